//! The town's fund ledger (资金台账 — 村财镇代管、专款专用): the plan's
//! rules on the district subsidy and the demonstration awards, the checks
//! that raise warnings, and the reconciliation (对账) of points redeemed
//! against the cost of the goods that left the shelves and the money spent
//! on goods. Amounts are integer fen everywhere.
//!
//! Decisions:
//! - Only two categories count as the points system (积分制): goods for
//!   the supermarket and the supermarket's construction and signboard. The
//!   plan says the 7,000 yuan is "all spent on the points system (goods,
//!   supermarket)"; training, living environment, collective economy and
//!   other are outside it.
//! - The cost of goods that left the shelves is the weighted average unit
//!   cost of that goods' receipts (入库) dated on or before the day it left
//!   (加权平均进价), rounded to the fen per line. A goods with no costed
//!   receipt by then is counted apart as "no cost known" (its units are
//!   reported, not guessed).
//! - Points are valued at 1 point = 1 yuan, the common scheme price.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::evaluation::award_share_ok;
use super::time::first_day;

/// The district subsidy per village: 7,000 yuan.
pub const SUBSIDY_FEN: i64 = 700_000;
/// The district demonstration village award: 30,000 yuan.
pub const DISTRICT_AWARD_FEN: i64 = 3_000_000;
/// The town demonstration village award: 10,000 yuan.
pub const TOWN_AWARD_FEN: i64 = 1_000_000;
/// A point's face value in fen (1 point = 1 yuan).
pub const POINT_FEN: i64 = 100;
/// The setting key of the town admin's switch publishing the funds summary.
pub const PUBLIC_SETTING: &str = "funds_public";
/// Longest description of a spending record, in characters.
pub const MAX_DESCRIPTION: usize = 100;

/// A source fund.
/// Travels as its stored name (`subsidy`, `district_award`, `town_award`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundKind {
    /// 区级补助, 7,000 yuan per village, in two tranches.
    Subsidy,
    /// 区级示范村奖补, 30,000 yuan.
    DistrictAward,
    /// 镇级示范村奖补, 10,000 yuan.
    TownAward,
}

impl FundKind {
    pub const ALL: [FundKind; 3] = [Self::Subsidy, Self::DistrictAward, Self::TownAward];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Subsidy => "subsidy",
            Self::DistrictAward => "district_award",
            Self::TownAward => "town_award",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Subsidy => "区级补助",
            Self::DistrictAward => "区级示范村奖补",
            Self::TownAward => "镇级示范村奖补",
        }
    }

    /// The amount the plan grants.
    pub fn standard_fen(self) -> i64 {
        match self {
            Self::Subsidy => SUBSIDY_FEN,
            Self::DistrictAward => DISTRICT_AWARD_FEN,
            Self::TownAward => TOWN_AWARD_FEN,
        }
    }

    /// How many tranches the money arrives in: the subsidy two (50% by the
    /// end of April, 50% after acceptance), an award one.
    pub fn tranches(self) -> i32 {
        match self {
            Self::Subsidy => 2,
            _ => 1,
        }
    }

    /// The standard amount of one tranche.
    pub fn tranche_fen(self) -> i64 {
        self.standard_fen() / i64::from(self.tranches())
    }

    pub fn is_award(self) -> bool {
        self != Self::Subsidy
    }
}

/// What money was spent on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SpendCategory {
    /// 为积分超市采购商品.
    Goods,
    /// 超市建设及标识标牌.
    Supermarket,
    /// 培训.
    Training,
    /// 人居环境.
    Environment,
    /// 集体经济.
    Collective,
    /// 其他.
    Other,
}

impl SpendCategory {
    pub const ALL: [SpendCategory; 6] = [
        Self::Goods,
        Self::Supermarket,
        Self::Training,
        Self::Environment,
        Self::Collective,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Goods => "goods",
            Self::Supermarket => "supermarket",
            Self::Training => "training",
            Self::Environment => "environment",
            Self::Collective => "collective",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Goods => "为积分超市采购商品",
            Self::Supermarket => "超市建设及标识标牌",
            Self::Training => "培训",
            Self::Environment => "人居环境",
            Self::Collective => "集体经济",
            Self::Other => "其他",
        }
    }

    /// Whether the money went to the points system (积分制): goods and the
    /// supermarket only (see the module's decisions).
    pub fn is_points_system(self) -> bool {
        matches!(self, Self::Goods | Self::Supermarket)
    }
}

/// Fen as yuan with two decimals and thousands separators:
/// 700000 -> "7,000.00".
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    let whole = (a / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", a % 100)
}

/// Why a funds form is refused: each reads as the sentence the clerk sees.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FundsError {
    #[error("请填写金额（元）")]
    AmountMissing,
    #[error("金额应大于 0")]
    AmountZero,
    #[error("金额应为元，如 350 或 350.50，最多两位小数，不超过 99,999.99")]
    AmountForm,
    #[error("请填写支出说明")]
    DescriptionMissing,
    #[error("支出说明不能超过 {} 个字", MAX_DESCRIPTION)]
    DescriptionTooLong,
    #[error("请填写冲销原因")]
    ReasonMissing,
    #[error("冲销原因不能超过 {} 个字", MAX_DESCRIPTION)]
    ReasonTooLong,
    #[error("月份无效")]
    MonthInvalid,
    #[error("结束月份不能早于开始月份")]
    MonthsReversed,
}

/// An amount typed in yuan ("3500", "3,500.00", "¥86.5") as fen: more than
/// zero, at most two decimals.
pub fn parse_amount(s: &str) -> Result<i64, FundsError> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    let t = t.trim_end_matches('元').trim();
    if t.is_empty() {
        return Err(FundsError::AmountMissing);
    }
    match super::stock::parse_yuan(t) {
        Ok(0) => Err(FundsError::AmountZero),
        Ok(fen) => Ok(fen),
        Err(_) => Err(FundsError::AmountForm),
    }
}

/// A description of a spending record: required, bounded.
pub fn check_description(s: &str) -> Result<String, FundsError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(FundsError::DescriptionMissing);
    }
    if s.chars().count() > MAX_DESCRIPTION {
        return Err(FundsError::DescriptionTooLong);
    }
    Ok(s.to_string())
}

/// A reversal's reason: required, bounded.
pub fn check_reason(s: &str) -> Result<String, FundsError> {
    let s = s.trim();
    if s.chars().count() < 2 {
        return Err(FundsError::ReasonMissing);
    }
    if s.chars().count() > MAX_DESCRIPTION {
        return Err(FundsError::ReasonTooLong);
    }
    Ok(s.to_string())
}

/// One spending record as the checks see it (a reversal has a negative
/// amount and the category of what it cancels).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spent {
    pub category: SpendCategory,
    pub fen: i64,
}

/// What the checks know of one fund.
#[derive(Debug, Clone, PartialEq)]
pub struct FundFacts {
    pub kind: FundKind,
    pub granted_fen: i64,
    pub granted_on: NaiveDate,
    /// Net payments received (到账), reversals included.
    pub received_fen: i64,
    /// Net spending per record, reversals included.
    pub spent: Vec<Spent>,
    /// The day each tranche was paid (net of reversals), by tranche number.
    pub tranche_paid_on: Vec<(i32, NaiveDate)>,
}

impl FundFacts {
    pub fn spent_fen(&self) -> i64 {
        self.spent.iter().map(|s| s.fen).sum()
    }

    pub fn points_fen(&self) -> i64 {
        self.spent
            .iter()
            .filter(|s| s.category.is_points_system())
            .map(|s| s.fen)
            .sum()
    }

    pub fn balance_fen(&self) -> i64 {
        self.received_fen - self.spent_fen()
    }

    /// When a tranche was paid, if it was.
    pub fn paid_on(&self, tranche: i32) -> Option<NaiveDate> {
        self.tranche_paid_on
            .iter()
            .find(|(t, _)| *t == tranche)
            .map(|(_, d)| *d)
    }
}

/// A warning on a fund (shown in Chinese).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FundWarning {
    /// The subsidy paid for something outside the points system.
    SubsidyOffPurpose { fen: i64 },
    /// Under 60% of an award went to the points system (share in tenths of
    /// a percent).
    AwardShareLow { share_permille: i64 },
    /// More spent than received.
    Overspent { fen: i64 },
    /// More received than granted.
    OverPaid { fen: i64 },
    /// The first tranche was not paid by the end of April.
    FirstTrancheLate { paid_on: Option<NaiveDate> },
    /// The second tranche was paid while the village was not accepted (or
    /// before the day it was).
    SecondTrancheEarly {
        paid_on: NaiveDate,
        accepted_on: Option<NaiveDate>,
    },
}

impl std::fmt::Display for FundWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SubsidyOffPurpose { fen } => write!(
                f,
                "区级补助有 {} 元用于积分制以外（培训、人居环境等），按方案应全部用于积分超市商品和超市建设",
                yuan(*fen)
            ),
            Self::AwardShareLow { share_permille } => write!(
                f,
                "示范村奖补用于积分制的比例为 {}.{}%，低于方案要求的 60%",
                share_permille / 10,
                share_permille % 10
            ),
            Self::Overspent { fen } => {
                write!(f, "支出超过已到账资金 {} 元", yuan(*fen))
            }
            Self::OverPaid { fen } => {
                write!(f, "到账金额超过核定金额 {} 元", yuan(*fen))
            }
            Self::FirstTrancheLate { paid_on: None } => {
                write!(f, "第一笔补助（50%）应在 4 月底前拨付，至今未拨付")
            }
            Self::FirstTrancheLate { paid_on: Some(d) } => write!(
                f,
                "第一笔补助（50%）应在 4 月底前拨付，实际 {} 拨付",
                d.format("%Y-%m-%d")
            ),
            Self::SecondTrancheEarly {
                paid_on,
                accepted_on: None,
            } => write!(
                f,
                "第二笔补助已于 {} 拨付，但该村尚未通过验收",
                paid_on.format("%Y-%m-%d")
            ),
            Self::SecondTrancheEarly {
                paid_on,
                accepted_on: Some(a),
            } => write!(
                f,
                "第二笔补助于 {} 拨付，早于该村验收日期 {}",
                paid_on.format("%Y-%m-%d"),
                a.format("%Y-%m-%d")
            ),
        }
    }
}

/// The checks of one fund: `accepted_on` is the day the village passed its
/// acceptance (验收), if it has; `today` is China's date.
pub fn check_fund(
    facts: &FundFacts,
    accepted_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<FundWarning> {
    let mut out = Vec::new();
    let spent = facts.spent_fen();
    let points = facts.points_fen();
    match facts.kind {
        FundKind::Subsidy => {
            if spent - points > 0 {
                out.push(FundWarning::SubsidyOffPurpose {
                    fen: spent - points,
                });
            }
            let deadline =
                NaiveDate::from_ymd_opt(facts.granted_on.year(), 4, 30).expect("April 30 exists");
            match facts.paid_on(1) {
                Some(d) if d > deadline => {
                    out.push(FundWarning::FirstTrancheLate { paid_on: Some(d) })
                }
                None if today > deadline => {
                    out.push(FundWarning::FirstTrancheLate { paid_on: None })
                }
                _ => {}
            }
            if let Some(paid_on) = facts.paid_on(2) {
                let early = match accepted_on {
                    None => true,
                    Some(a) => paid_on < a,
                };
                if early {
                    out.push(FundWarning::SecondTrancheEarly {
                        paid_on,
                        accepted_on,
                    });
                }
            }
        }
        FundKind::DistrictAward | FundKind::TownAward => {
            if !award_share_ok(spent, points) {
                out.push(FundWarning::AwardShareLow {
                    share_permille: points * 1000 / spent,
                });
            }
        }
    }
    if spent > facts.received_fen {
        out.push(FundWarning::Overspent {
            fen: spent - facts.received_fen,
        });
    }
    if facts.received_fen > facts.granted_fen {
        out.push(FundWarning::OverPaid {
            fen: facts.received_fen - facts.granted_fen,
        });
    }
    out
}

/// A receipt of goods (入库) with its unit cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostedReceipt {
    pub goods: i32,
    pub on: NaiveDate,
    pub quantity: i64,
    pub unit_cost_fen: i64,
}

/// Goods leaving the shelves on a redemption line: positive; a void's line
/// is negative.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutLine {
    pub goods: i32,
    pub on: NaiveDate,
    pub quantity: i64,
}

/// The weighted average unit cost of a goods' receipts dated on or before
/// `day`, as (total cost in fen, total units); `None` when none is costed.
fn cost_basis(receipts: &[CostedReceipt], goods: i32, day: NaiveDate) -> Option<(i64, i64)> {
    let (mut cost, mut units) = (0i64, 0i64);
    for r in receipts
        .iter()
        .filter(|r| r.goods == goods && r.on <= day && r.quantity > 0)
    {
        cost += r.quantity * r.unit_cost_fen;
        units += r.quantity;
    }
    (units > 0).then_some((cost, units))
}

/// The cost in fen of `quantity` units of a goods leaving on `day` at the
/// weighted average cost, rounded half away from zero; `None` if no costed
/// receipt came before.
pub fn line_cost(receipts: &[CostedReceipt], line: &OutLine) -> Option<i64> {
    let (cost, units) = cost_basis(receipts, line.goods, line.on)?;
    let num = line.quantity * cost;
    let half = units / 2;
    Some(if num >= 0 {
        (num + half) / units
    } else {
        -((-num + half) / units)
    })
}

/// The three numbers of the reconciliation of a village and a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Reconciliation {
    /// Points redeemed, net of voids.
    pub points_redeemed: i64,
    /// Their face value in fen (1 point = 1 yuan).
    pub points_value_fen: i64,
    /// What the goods that left the shelves cost (weighted average).
    pub goods_cost_fen: i64,
    /// Units that left with no costed receipt before them (not in the cost).
    pub uncosted_units: i64,
    /// Money spent on goods for the supermarket in the period, net.
    pub goods_spent_fen: i64,
}

impl Reconciliation {
    /// Face value of the points over the goods' cost.
    pub fn markup_fen(&self) -> i64 {
        self.points_value_fen - self.goods_cost_fen
    }

    /// Money spent on goods over the cost of the goods that left.
    pub fn stock_gap_fen(&self) -> i64 {
        self.goods_spent_fen - self.goods_cost_fen
    }

    /// The plain Chinese reading of the numbers, one sentence each.
    pub fn explain(&self) -> Vec<String> {
        let mut out = vec![format!(
            "本期兑出积分 {} 分，按 1 分 = 1 元计，面值 {} 元；兑出商品的进价合计 {} 元；同期为积分超市采购商品支出 {} 元。",
            self.points_redeemed,
            yuan(self.points_value_fen),
            yuan(self.goods_cost_fen),
            yuan(self.goods_spent_fen)
        )];
        let m = self.markup_fen();
        out.push(if m > 0 {
            format!(
                "积分面值比商品进价多 {} 元：商品按积分标价，一般高于进价，这是正常的。",
                yuan(m)
            )
        } else if m < 0 {
            format!(
                "积分面值比商品进价少 {} 元：有商品标价低于进价，请核对商品积分标价。",
                yuan(-m)
            )
        } else {
            "积分面值与商品进价相等。".to_string()
        });
        let g = self.stock_gap_fen();
        out.push(if g > 0 {
            format!("采购支出比兑出商品的进价多 {} 元：多买的商品应仍在货架或库房中（库存），可到库存页面核对。", yuan(g))
        } else if g < 0 {
            format!("兑出商品的进价比采购支出多 {} 元：本期兑出的商品有一部分是以前采购的库存，或有进货未登记资金支出，请核对。", yuan(-g))
        } else {
            "采购支出与兑出商品的进价相等。".to_string()
        });
        if self.uncosted_units > 0 {
            out.push(format!(
                "另有 {} 件商品在兑出前没有带进价的入库记录，未计入进价合计。",
                self.uncosted_units
            ));
        }
        out
    }
}

/// Reconciles a period: `points_redeemed` net of voids, the lines that left
/// the shelves in the period, every receipt of those goods (of any date),
/// and the net money spent on goods in the period.
pub fn reconcile(
    points_redeemed: i64,
    lines: &[OutLine],
    receipts: &[CostedReceipt],
    goods_spent_fen: i64,
) -> Reconciliation {
    let mut goods_cost_fen = 0;
    let mut uncosted: HashMap<i32, i64> = HashMap::new();
    for l in lines {
        match line_cost(receipts, l) {
            Some(c) => goods_cost_fen += c,
            None => *uncosted.entry(l.goods).or_insert(0) += l.quantity,
        }
    }
    Reconciliation {
        points_redeemed,
        points_value_fen: points_redeemed * POINT_FEN,
        goods_cost_fen,
        uncosted_units: uncosted.values().sum::<i64>().max(0),
        goods_spent_fen,
    }
}

/// A month range `from..=to` (`yyyymm`) as its first and last day.
pub fn period_days(from: i32, to: i32) -> Result<(NaiveDate, NaiveDate), FundsError> {
    let (Some(start), Some(_)) = (first_day(from), first_day(to)) else {
        return Err(FundsError::MonthInvalid);
    };
    if to < from {
        return Err(FundsError::MonthsReversed);
    }
    let next = first_day(super::time::next_month(to)).ok_or(FundsError::MonthInvalid)?;
    Ok((start, next.pred_opt().expect("a day before")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn subsidy(spent: &[(SpendCategory, i64)]) -> FundFacts {
        FundFacts {
            kind: FundKind::Subsidy,
            granted_fen: SUBSIDY_FEN,
            granted_on: d("2026-03-01"),
            received_fen: 350_000,
            spent: spent
                .iter()
                .map(|&(category, fen)| Spent { category, fen })
                .collect(),
            tranche_paid_on: vec![(1, d("2026-04-20"))],
        }
    }

    #[test]
    fn amounts_print_and_parse_as_yuan() {
        assert_eq!(yuan(700_000), "7,000.00");
        assert_eq!(yuan(3_000_000), "30,000.00");
        assert_eq!(yuan(123_456_789), "1,234,567.89");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(-12_345), "-123.45");
        assert_eq!(parse_amount("3500"), Ok(350_000));
        assert_eq!(parse_amount("3,500.00"), Ok(350_000));
        assert_eq!(parse_amount("86.5元"), Ok(8_650));
        assert_eq!(parse_amount("0"), Err(FundsError::AmountZero));
        assert!(parse_amount("-5").is_err());
        assert!(parse_amount("1.234").is_err());
        assert_eq!(parse_amount(""), Err(FundsError::AmountMissing));
    }

    #[test]
    fn categories_and_kinds_round_trip() {
        for c in SpendCategory::ALL {
            assert_eq!(SpendCategory::parse(c.as_str()), Some(c));
        }
        for k in FundKind::ALL {
            assert_eq!(FundKind::parse(k.as_str()), Some(k));
        }
        let points: Vec<_> = SpendCategory::ALL
            .into_iter()
            .filter(|c| c.is_points_system())
            .collect();
        assert_eq!(points, [SpendCategory::Goods, SpendCategory::Supermarket]);
        assert_eq!(FundKind::Subsidy.tranche_fen(), 350_000);
        assert_eq!(FundKind::TownAward.tranche_fen(), TOWN_AWARD_FEN);
    }

    #[test]
    fn the_subsidy_goes_only_to_the_points_system() {
        let today = d("2026-11-29");
        let ok = subsidy(&[
            (SpendCategory::Goods, 200_000),
            (SpendCategory::Supermarket, 100_000),
        ]);
        assert_eq!(check_fund(&ok, None, today), vec![]);
        let off = subsidy(&[
            (SpendCategory::Goods, 200_000),
            (SpendCategory::Training, 30_000),
            (SpendCategory::Other, 5_000),
        ]);
        assert_eq!(
            check_fund(&off, None, today),
            vec![FundWarning::SubsidyOffPurpose { fen: 35_000 }]
        );
        // A reversed training record no longer counts.
        let fixed = subsidy(&[
            (SpendCategory::Goods, 200_000),
            (SpendCategory::Training, 30_000),
            (SpendCategory::Training, -30_000),
        ]);
        assert_eq!(check_fund(&fixed, None, today), vec![]);
        assert!(FundWarning::SubsidyOffPurpose { fen: 35_000 }
            .to_string()
            .contains("350.00 元用于积分制以外"));
    }

    #[test]
    fn spending_more_than_received_is_a_warning() {
        let today = d("2026-11-29");
        let over = subsidy(&[(SpendCategory::Goods, 350_001)]);
        assert_eq!(
            check_fund(&over, None, today),
            vec![FundWarning::Overspent { fen: 1 }]
        );
        let exact = subsidy(&[(SpendCategory::Goods, 350_000)]);
        assert_eq!(check_fund(&exact, None, today), vec![]);
        let mut paid_twice = subsidy(&[]);
        paid_twice.received_fen = 1_050_000;
        assert_eq!(
            check_fund(&paid_twice, None, today),
            vec![FundWarning::OverPaid { fen: 350_000 }]
        );
    }

    #[test]
    fn tranches_follow_april_and_acceptance() {
        // Not paid by the end of April: a warning from May 1st on.
        let mut f = subsidy(&[]);
        f.tranche_paid_on.clear();
        assert_eq!(check_fund(&f, None, d("2026-04-30")), vec![]);
        assert_eq!(
            check_fund(&f, None, d("2026-05-01")),
            vec![FundWarning::FirstTrancheLate { paid_on: None }]
        );
        f.tranche_paid_on = vec![(1, d("2026-05-06"))];
        assert_eq!(
            check_fund(&f, None, d("2026-11-29")),
            vec![FundWarning::FirstTrancheLate {
                paid_on: Some(d("2026-05-06"))
            }]
        );
        // The second tranche: after acceptance, on the day is fine.
        let mut g = subsidy(&[]);
        g.received_fen = SUBSIDY_FEN;
        g.tranche_paid_on.push((2, d("2026-08-20")));
        let today = d("2026-11-29");
        assert_eq!(check_fund(&g, Some(d("2026-08-12")), today), vec![]);
        assert_eq!(check_fund(&g, Some(d("2026-08-20")), today), vec![]);
        assert_eq!(
            check_fund(&g, Some(d("2026-08-21")), today),
            vec![FundWarning::SecondTrancheEarly {
                paid_on: d("2026-08-20"),
                accepted_on: Some(d("2026-08-21"))
            }]
        );
        assert_eq!(
            check_fund(&g, None, today),
            vec![FundWarning::SecondTrancheEarly {
                paid_on: d("2026-08-20"),
                accepted_on: None
            }]
        );
        assert_eq!(
            check_fund(&g, None, today)[0].to_string(),
            "第二笔补助已于 2026-08-20 拨付，但该村尚未通过验收"
        );
    }

    #[test]
    fn an_award_needs_sixty_percent_on_the_points_system() {
        let award = |spent: &[(SpendCategory, i64)]| FundFacts {
            kind: FundKind::TownAward,
            granted_fen: TOWN_AWARD_FEN,
            granted_on: d("2026-10-10"),
            received_fen: TOWN_AWARD_FEN,
            spent: spent
                .iter()
                .map(|&(category, fen)| Spent { category, fen })
                .collect(),
            tranche_paid_on: vec![(1, d("2026-10-10"))],
        };
        let today = d("2026-11-29");
        assert_eq!(check_fund(&award(&[]), None, today), vec![]);
        let ok = award(&[
            (SpendCategory::Goods, 300_000),
            (SpendCategory::Supermarket, 300_000),
            (SpendCategory::Environment, 400_000),
        ]);
        assert_eq!(check_fund(&ok, None, today), vec![]);
        let low = award(&[
            (SpendCategory::Goods, 250_000),
            (SpendCategory::Collective, 450_000),
        ]);
        let w = check_fund(&low, None, today);
        assert_eq!(
            w,
            vec![FundWarning::AwardShareLow {
                share_permille: 357
            }]
        );
        assert_eq!(
            w[0].to_string(),
            "示范村奖补用于积分制的比例为 35.7%，低于方案要求的 60%"
        );
    }

    fn receipt(goods: i32, on: &str, quantity: i64, unit_cost_fen: i64) -> CostedReceipt {
        CostedReceipt {
            goods,
            on: d(on),
            quantity,
            unit_cost_fen,
        }
    }

    fn out(goods: i32, on: &str, quantity: i64) -> OutLine {
        OutLine {
            goods,
            on: d(on),
            quantity,
        }
    }

    #[test]
    fn goods_cost_the_weighted_average_of_earlier_receipts() {
        let receipts = [
            receipt(1, "2026-06-01", 10, 800),
            receipt(1, "2026-07-01", 30, 1_000),
            receipt(2, "2026-06-01", 3, 333),
        ];
        // Before July's delivery only June's price counts.
        assert_eq!(line_cost(&receipts, &out(1, "2026-06-15", 2)), Some(1_600));
        // From July 1st: (10×8 + 30×10) / 40 = 9.50 yuan.
        assert_eq!(line_cost(&receipts, &out(1, "2026-07-01", 2)), Some(1_900));
        assert_eq!(
            line_cost(&receipts, &out(1, "2026-07-01", -2)),
            Some(-1_900)
        );
        // Rounded to the fen: 333 × 1 = 3.33.
        assert_eq!(line_cost(&receipts, &out(2, "2026-06-02", 1)), Some(333));
        // Nothing received before: no cost.
        assert_eq!(line_cost(&receipts, &out(1, "2026-05-31", 1)), None);
        assert_eq!(line_cost(&receipts, &out(3, "2026-07-31", 1)), None);
    }

    #[test]
    fn reconciliation_compares_points_cost_and_spending() {
        let receipts = [
            receipt(1, "2026-06-01", 10, 800),
            receipt(1, "2026-07-01", 30, 1_000),
        ];
        let lines = [
            out(1, "2026-07-03", 3),  // 3 × 9.50 = 28.50
            out(1, "2026-07-03", -1), // a void: -9.50
            out(9, "2026-07-04", 2),  // never received
        ];
        // 2 units net at 10 points and 2 more at 5 points.
        let r = reconcile(30, &lines, &receipts, 30_000);
        assert_eq!(
            r,
            Reconciliation {
                points_redeemed: 30,
                points_value_fen: 3_000,
                goods_cost_fen: 1_900,
                uncosted_units: 2,
                goods_spent_fen: 30_000,
            }
        );
        assert_eq!(r.markup_fen(), 1_100);
        assert_eq!(r.stock_gap_fen(), 28_100);
        let text = r.explain();
        assert_eq!(text.len(), 4);
        assert!(text[0].contains("兑出积分 30 分"));
        assert!(text[1].contains("多 11.00 元"));
        assert!(text[2].contains("采购支出比兑出商品的进价多 281.00 元"));
        assert!(text[3].contains("2 件商品"));
        let none = reconcile(0, &[], &receipts, 0);
        assert_eq!(none.explain().len(), 3);
    }

    #[test]
    fn periods_are_whole_months() {
        assert_eq!(
            period_days(202606, 202608),
            Ok((d("2026-06-01"), d("2026-08-31")))
        );
        assert_eq!(
            period_days(202612, 202612),
            Ok((d("2026-12-01"), d("2026-12-31")))
        );
        assert_eq!(period_days(202608, 202606), Err(FundsError::MonthsReversed));
        assert_eq!(period_days(202613, 202613), Err(FundsError::MonthInvalid));
    }
}
