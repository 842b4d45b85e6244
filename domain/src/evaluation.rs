//! The town's measures of each village (groundwork for the town dashboard):
//! the plan's monthly indicators against their targets, the disqualifying
//! events of a demonstration village (示范村), the nomination rule, and the
//! funds' spending checks. Plain figures in, verdicts out.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::time::{first_day, next_month};
use super::VillageId;

/// One village's facts for one month, counted from the data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthFacts {
    /// Households living in the village (常住户).
    pub resident: u32,
    /// Resident households with at least one approved entry in the month.
    pub participating: u32,
    /// Resident households with at least one redemption in the month.
    pub redeeming: u32,
    /// Resident households marked as knowing the system (知晓).
    pub aware: u32,
    /// Points activities held (场次).
    pub activities: u32,
    /// Participant person-times (人次).
    pub person_times: u32,
    /// Kinds of goods on sale at the end of the month (for the current month:
    /// now); `None` where not counted.
    pub goods_kinds: Option<u32>,
    /// The town's living-environment score, in tenths (905 = 90.5), when entered.
    pub living_score_tenths: Option<u32>,
}

/// The plan's measures (三(二), 三(三)), in the order the dashboard shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indicator {
    /// 参与户占比: target 100% of resident households.
    Participation,
    /// 兑换户占比: target 100% of resident households.
    Redemption,
    /// 知晓率: target 100%.
    Awareness,
    /// 积分活动场次: at least 2 a month.
    Activities,
    /// 参与人次: at least 20 a month.
    PersonTimes,
    /// 在售商品种类: at least 10.
    GoodsKinds,
    /// 人居环境月度评分: over 90.
    LivingEnvironment,
}

impl Indicator {
    /// Every indicator, in order.
    pub const ALL: [Indicator; 7] = [
        Self::Participation,
        Self::Redemption,
        Self::Awareness,
        Self::Activities,
        Self::PersonTimes,
        Self::GoodsKinds,
        Self::LivingEnvironment,
    ];

    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Participation => "参与户占比",
            Self::Redemption => "兑换户占比",
            Self::Awareness => "知晓率",
            Self::Activities => "积分活动场次",
            Self::PersonTimes => "参与人次",
            Self::GoodsKinds => "在售商品种类",
            Self::LivingEnvironment => "人居环境评分",
        }
    }

    /// The target as the plan words it.
    pub fn target(self) -> &'static str {
        match self {
            Self::Participation | Self::Redemption | Self::Awareness => "100%",
            Self::Activities => "每月不少于 2 场",
            Self::PersonTimes => "每月不少于 20 人次",
            Self::GoodsKinds => "不少于 10 种",
            Self::LivingEnvironment => "90 分以上",
        }
    }

    /// Whether the month meets the target; `None` when there is nothing to
    /// judge (no resident households, no score entered, no shelf count).
    pub fn met(self, f: &MonthFacts) -> Option<bool> {
        let all = |part: u32| (f.resident > 0).then_some(part >= f.resident);
        match self {
            Self::Participation => all(f.participating),
            Self::Redemption => all(f.redeeming),
            Self::Awareness => all(f.aware),
            Self::Activities => Some(f.activities >= 2),
            Self::PersonTimes => Some(f.person_times >= 20),
            Self::GoodsKinds => f.goods_kinds.map(|k| k >= 10),
            Self::LivingEnvironment => f.living_score_tenths.map(|s| s > 900),
        }
    }
}

/// Whether a household counts among a month's resident households (常住户):
/// it lives in the village (not 外出) and had not moved away (迁出) by the
/// month's end. A household that moves away mid-month is not counted in that
/// month at all, neither its entries nor in the base of the rates. One marked
/// moved away with no month moved away before records began.
pub fn resident_in(
    resident: bool,
    moved_away: bool,
    moved_away_month: Option<i32>,
    month: i32,
) -> bool {
    resident && (!moved_away || moved_away_month.is_some_and(|m| month < m))
}

/// A month's ledger is due to be posted (积分公示) by the end of the next
/// month: the plan asks for monthly postings without a date, and the clerk
/// needs the month closed and checked first. The acceptance checklist counts
/// a month as due from the same day.
pub fn posting_due(month: i32) -> NaiveDate {
    first_day(next_month(next_month(month)))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// Whether a month's ledger was posted, and in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Posting {
    /// Posted by the end of the next month.
    OnTime,
    /// Posted later.
    Late,
    /// Not posted and past due.
    Missing,
    /// Not posted, not yet due.
    NotDue,
}

impl Posting {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::OnTime => "按时公示",
            Self::Late => "逾期公示",
            Self::Missing => "未公示",
            Self::NotDue => "未到期",
        }
    }

    /// Judges `month` (yyyymm) from the China date it was published, if it
    /// was, and today's China date.
    pub fn of(month: i32, published_on: Option<NaiveDate>, today: NaiveDate) -> Self {
        let due = posting_due(month);
        match published_on {
            Some(d) if d <= due => Self::OnTime,
            Some(_) => Self::Late,
            None if today > due => Self::Missing,
            None => Self::NotDue,
        }
    }
}

/// A month's facts judged on every indicator: `(met, judged)` months.
pub fn months_met(indicator: Indicator, months: &[MonthFacts]) -> (u32, u32) {
    months
        .iter()
        .filter_map(|f| indicator.met(f))
        .fold((0, 0), |(met, judged), ok| {
            (met + u32::from(ok), judged + 1)
        })
}

/// The town ranking on the plan's online statistics (三(三)(5)): person-times
/// first, then activities held. Higher is better.
pub fn online_key(f: &MonthFacts) -> (u32, u32) {
    (f.person_times, f.activities)
}

/// `part` of `whole` in tenths of a percent (1000 = 100%), rounded down;
/// 0 when there is no whole.
pub fn permille(part: u32, whole: u32) -> u32 {
    if whole == 0 {
        0
    } else {
        (u64::from(part.min(whole)) * 1000 / u64::from(whole)) as u32
    }
}

/// "87.5%" from tenths of a percent.
pub fn percent_text(permille: u32) -> String {
    format!("{}.{}%", permille / 10, permille % 10)
}

/// The eight events that rule a village out of demonstration (三(三)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disqualification {
    MajorCrime,
    Gangs,
    Cults,
    CadreMisconduct,
    MassIncident,
    NegativePublicity,
    Falsification,
    PovertyReliefFailure,
}

impl Disqualification {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::MajorCrime => "发生重大刑事案件",
            Self::Gangs => "存在涉黑涉恶问题",
            Self::Cults => "存在邪教活动",
            Self::CadreMisconduct => "村干部违纪违法",
            Self::MassIncident => "发生群体性事件",
            Self::NegativePublicity => "造成负面舆情",
            Self::Falsification => "弄虚作假",
            Self::PovertyReliefFailure => "巩固脱贫成果出现问题",
        }
    }
}

/// A village's standing on the six extra criteria of a demonstration
/// village (三(三)), over the year so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criteria {
    /// Participating and redeeming households among those resident at the
    /// end of the period, each household once (tenths of a percent).
    pub participation_permille: u32,
    pub redemption_permille: u32,
    /// Has its own points supermarket with the unified signboard (the 六有
    /// evidence for the place and the signboard).
    pub supermarket: bool,
    /// Months with at least 2 activities, of the months so far.
    pub activity_months: (u32, u32),
    /// Months with at least 20 person-times, of the months so far.
    pub person_time_months: (u32, u32),
    /// Place in the town ranking on the online statistics, of how many.
    pub online_rank: (u32, u32),
    /// Months scored over 90, of the months scored.
    pub living_months: (u32, u32),
}

/// The six criteria's names, in the plan's order.
pub const CRITERIA: [&str; 6] = [
    "参与户、兑换户占比达100%",
    "有自己的积分超市并有统一标识标牌",
    "每月积分活动不少于2场",
    "每月参与不少于20人次",
    "线上统计排名前列（前一半）",
    "人居环境月度评分90分以上",
];

impl Criteria {
    /// Whether each criterion is met. Monthly criteria need every month
    /// judged so far; none judged yet is not met. The ranking criterion is
    /// met in the top half of the town (the plan asks for the statistics to
    /// be ranked; the top half is the town's working line).
    pub fn met(&self) -> [bool; 6] {
        let all = |(met, of): (u32, u32)| of > 0 && met == of;
        let (rank, of) = self.online_rank;
        [
            self.participation_permille >= 1000 && self.redemption_permille >= 1000,
            self.supermarket,
            all(self.activity_months),
            all(self.person_time_months),
            rank >= 1 && rank <= of.div_ceil(2),
            all(self.living_months),
        ]
    }

    /// Each criterion's figure in words, with its verdict.
    pub fn shown(&self) -> [(String, bool); 6] {
        let met = self.met();
        let months = |(m, of): (u32, u32)| {
            if of == 0 {
                "暂无数据".to_string()
            } else {
                format!("{m}/{of} 个月")
            }
        };
        [
            (
                format!(
                    "参与 {} · 兑换 {}",
                    percent_text(self.participation_permille),
                    percent_text(self.redemption_permille)
                ),
                met[0],
            ),
            (
                if self.supermarket { "有" } else { "缺材料" }.to_string(),
                met[1],
            ),
            (months(self.activity_months), met[2]),
            (months(self.person_time_months), met[3]),
            (
                format!("第 {} 名（共 {}）", self.online_rank.0, self.online_rank.1),
                met[4],
            ),
            (months(self.living_months), met[5]),
        ]
    }

    /// Sort key, higher first: criteria met, then how close the village
    /// came on the others (shares in tenths of a percent, summed), then the
    /// online ranking.
    pub fn key(&self) -> (u32, u32, std::cmp::Reverse<u32>) {
        let share = |(met, of): (u32, u32)| permille(met, of);
        let met = self.met().iter().filter(|m| **m).count() as u32;
        let closeness = (self.participation_permille + self.redemption_permille) / 2
            + if self.supermarket { 1000 } else { 0 }
            + share(self.activity_months)
            + share(self.person_time_months)
            + share(self.living_months);
        (met, closeness, std::cmp::Reverse(self.online_rank.0))
    }
}

/// Which demonstration title a nomination is for. On the wire as its
/// stored text ("district", "town").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// 区级示范村.
    District,
    /// 镇级示范村.
    Town,
}

/// Why a nomination is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NominationError {
    #[error("该村存在一票否决情形（{0}），不能评为示范村")]
    Disqualified(&'static str),
    #[error("区级和镇级示范村不能是同一个村")]
    SameVillage,
}

/// Checks a nomination: the village has no disqualifying event, and the
/// other level's demonstration village (if chosen) is a different one.
pub fn check_nomination(
    village: VillageId,
    flags: &[Disqualification],
    other_level: Option<VillageId>,
) -> Result<(), NominationError> {
    if let Some(f) = flags.first() {
        return Err(NominationError::Disqualified(f.label()));
    }
    if other_level == Some(village) {
        return Err(NominationError::SameVillage);
    }
    Ok(())
}

/// Whether a demonstration award was spent as the plan asks: at least 60%
/// of what was spent went to the points system (amounts in fen). Nothing
/// spent yet is not a breach.
pub fn award_share_ok(spent_total_fen: i64, spent_on_points_fen: i64) -> bool {
    spent_total_fen <= 0 || spent_on_points_fen * 10 >= spent_total_fen * 6
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> MonthFacts {
        MonthFacts {
            resident: 80,
            participating: 80,
            redeeming: 64,
            aware: 79,
            activities: 2,
            person_times: 19,
            goods_kinds: Some(10),
            living_score_tenths: Some(900),
        }
    }

    #[test]
    fn each_indicator_is_judged_against_the_plans_target() {
        let f = facts();
        let verdicts: Vec<Option<bool>> = Indicator::ALL.iter().map(|i| i.met(&f)).collect();
        assert_eq!(
            verdicts,
            vec![
                Some(true),  // 80 of 80 took part
                Some(false), // 64 of 80 redeemed
                Some(false), // 79 of 80 aware
                Some(true),  // 2 activities
                Some(false), // 19 person-times
                Some(true),  // 10 kinds
                Some(false), // 90.0 is not over 90
            ]
        );
        let better = MonthFacts {
            living_score_tenths: Some(901),
            person_times: 20,
            ..f
        };
        assert_eq!(Indicator::LivingEnvironment.met(&better), Some(true));
        assert_eq!(Indicator::PersonTimes.met(&better), Some(true));
    }

    #[test]
    fn nothing_to_judge_is_not_a_verdict() {
        let empty = MonthFacts::default();
        assert_eq!(Indicator::Participation.met(&empty), None);
        assert_eq!(Indicator::LivingEnvironment.met(&empty), None);
        assert_eq!(Indicator::Activities.met(&empty), Some(false));
    }

    #[test]
    fn a_household_moved_away_mid_month_leaves_that_month() {
        // Moved away in May 2026: resident through April only.
        assert!(resident_in(true, true, Some(202605), 202604));
        assert!(!resident_in(true, true, Some(202605), 202605));
        assert!(!resident_in(true, true, Some(202605), 202606));
        assert!(resident_in(true, false, None, 202605));
        assert!(
            !resident_in(false, false, None, 202605),
            "外出 households are not the base"
        );
        assert!(
            !resident_in(true, true, None, 202001),
            "moved away before records"
        );
    }

    #[test]
    fn postings_are_due_by_the_end_of_the_next_month() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(
            Posting::of(202610, Some(d(11, 30)), d(12, 5)),
            Posting::OnTime
        );
        assert_eq!(Posting::of(202610, Some(d(12, 1)), d(12, 5)), Posting::Late);
        assert_eq!(Posting::of(202610, None, d(11, 30)), Posting::NotDue);
        assert_eq!(Posting::of(202610, None, d(12, 1)), Posting::Missing);
        // January's is due at the end of February; December's in the next year.
        assert_eq!(posting_due(202601), d(2, 28));
        assert_eq!(
            posting_due(202612),
            NaiveDate::from_ymd_opt(2027, 1, 31).unwrap()
        );
    }

    #[test]
    fn months_met_counts_only_judged_months() {
        let ok = facts();
        let unknown = MonthFacts {
            living_score_tenths: None,
            ..ok
        };
        let good = MonthFacts {
            living_score_tenths: Some(950),
            ..ok
        };
        assert_eq!(
            months_met(Indicator::LivingEnvironment, &[ok, unknown, good]),
            (1, 2)
        );
        assert_eq!(
            months_met(Indicator::Activities, &[ok, unknown, good]),
            (3, 3)
        );
        assert!(
            online_key(&good)
                > online_key(&MonthFacts {
                    person_times: 18,
                    ..good
                })
        );
    }

    fn criteria() -> Criteria {
        Criteria {
            participation_permille: 1000,
            redemption_permille: 1000,
            supermarket: true,
            activity_months: (11, 11),
            person_time_months: (11, 11),
            online_rank: (8, 15),
            living_months: (10, 10),
        }
    }

    #[test]
    fn the_six_criteria_are_judged_over_the_year() {
        assert_eq!(criteria().met(), [true; 6]);
        let c = Criteria {
            redemption_permille: 999,
            activity_months: (10, 11),
            online_rank: (9, 15),
            living_months: (0, 0),
            ..criteria()
        };
        assert_eq!(c.met(), [false, true, false, true, false, false]);
        // Ties on criteria met are broken by how near the rest came.
        let nearer = Criteria {
            activity_months: (10, 11),
            ..criteria()
        };
        let further = Criteria {
            activity_months: (3, 11),
            ..criteria()
        };
        assert!(nearer.key() > further.key());
        assert!(criteria().key() > nearer.key());
    }

    #[test]
    fn rates_in_tenths_of_a_percent() {
        assert_eq!(permille(64, 80), 800);
        assert_eq!(permille(2, 3), 666);
        assert_eq!(permille(5, 0), 0);
        assert_eq!(permille(9, 8), 1000, "capped at 100%");
        assert_eq!(percent_text(875), "87.5%");
        assert_eq!(percent_text(1000), "100.0%");
    }

    #[test]
    fn nominations_refuse_disqualified_and_doubled_villages() {
        let (a, b) = (VillageId(1), VillageId(2));
        assert_eq!(check_nomination(a, &[], None), Ok(()));
        assert_eq!(check_nomination(a, &[], Some(b)), Ok(()));
        assert_eq!(
            check_nomination(a, &[], Some(a)),
            Err(NominationError::SameVillage)
        );
        let err = check_nomination(a, &[Disqualification::MassIncident], None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "该村存在一票否决情形（发生群体性事件），不能评为示范村"
        );
    }

    #[test]
    fn sixty_percent_of_an_award_goes_to_the_points_system() {
        assert!(award_share_ok(0, 0));
        assert!(award_share_ok(3_000_000, 1_800_000));
        assert!(!award_share_ok(3_000_000, 1_799_999));
        assert!(award_share_ok(1_000_000, 1_000_000));
    }
}
