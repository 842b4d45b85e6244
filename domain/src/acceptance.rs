//! Acceptance (验收) of a village's points system against the plan's six
//! basic standards (三(二)), the 15 August deadline (四(二)), and the stored
//! forms of the evaluation inputs (living-environment scores, disqualifying
//! events, nomination levels). Facts in, statuses out; `today` is always an
//! argument (a China calendar date).

use chrono::{Datelike, NaiveDate};

use super::evaluation::{percent_text, permille, Disqualification, Level};
use super::time::{month_key, previous_month};

/// At least this many kinds of goods on sale (三(二)(3)).
pub const MIN_GOODS_KINDS: u32 = 10;

/// A village "uses the platform" when it recorded entries within this many
/// days (三(二)(4)).
pub const PLATFORM_DAYS: i64 = 30;

/// One line of the acceptance checklist. Seven are proven by an uploaded
/// photo or document (the scheme and the 六有); four are computed from the
/// platform's own data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChecklistItem {
    /// (1) 积分制方案.
    Scheme,
    /// (2) 六有: 固定场所（或合作商店）.
    Place,
    /// 六有: 统一标识标牌.
    Signboard,
    /// 六有: 明码标价.
    Prices,
    /// 六有: 管理制度.
    Rules,
    /// 六有: 发放台账.
    IssueLedger,
    /// 六有: 专人管理.
    Staff,
    /// (3) 商品种类不少于 10 种.
    GoodsKinds,
    /// (4) 使用线上平台.
    PlatformUse,
    /// (5) 在家群众知晓率.
    Awareness,
    /// (6) 积分台账、兑换台账按月公示.
    Postings,
}

impl ChecklistItem {
    /// Every item, in the plan's order.
    pub const ALL: [ChecklistItem; 11] = [
        Self::Scheme,
        Self::Place,
        Self::Signboard,
        Self::Prices,
        Self::Rules,
        Self::IssueLedger,
        Self::Staff,
        Self::GoodsKinds,
        Self::PlatformUse,
        Self::Awareness,
        Self::Postings,
    ];

    /// The items proven by an upload.
    pub const WITH_EVIDENCE: [ChecklistItem; 7] = [
        Self::Scheme,
        Self::Place,
        Self::Signboard,
        Self::Prices,
        Self::Rules,
        Self::IssueLedger,
        Self::Staff,
    ];

    /// The 六有.
    pub const SIX_HAVES: [ChecklistItem; 6] = [
        Self::Place,
        Self::Signboard,
        Self::Prices,
        Self::Rules,
        Self::IssueLedger,
        Self::Staff,
    ];

    /// Stable text stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheme => "scheme",
            Self::Place => "place",
            Self::Signboard => "signboard",
            Self::Prices => "prices",
            Self::Rules => "rules",
            Self::IssueLedger => "issue_ledger",
            Self::Staff => "staff",
            Self::GoodsKinds => "goods_kinds",
            Self::PlatformUse => "platform_use",
            Self::Awareness => "awareness",
            Self::Postings => "postings",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.as_str() == s)
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Scheme => "积分制实施方案",
            Self::Place => "固定场所（或合作商店）",
            Self::Signboard => "统一标识标牌",
            Self::Prices => "明码标价",
            Self::Rules => "管理制度",
            Self::IssueLedger => "发放台账",
            Self::Staff => "专人管理",
            Self::GoodsKinds => "商品种类不少于 10 种",
            Self::PlatformUse => "使用线上平台",
            Self::Awareness => "在家群众知晓率 100%",
            Self::Postings => "积分台账按月公示",
        }
    }

    /// Whether the item is proven by an uploaded photo or document.
    pub fn needs_evidence(self) -> bool {
        Self::WITH_EVIDENCE.contains(&self)
    }

    /// Which of the six basic standards (1..=6) the item belongs to.
    pub fn standard(self) -> u8 {
        match self {
            Self::Scheme => 1,
            Self::Place
            | Self::Signboard
            | Self::Prices
            | Self::Rules
            | Self::IssueLedger
            | Self::Staff => 2,
            Self::GoodsKinds => 3,
            Self::PlatformUse => 4,
            Self::Awareness => 5,
            Self::Postings => 6,
        }
    }
}

/// The six basic standards of 三(二), numbered 1..=6.
pub const STANDARDS: [&str; 6] = [
    "有积分制方案",
    "达到“六有”标准",
    "商品种类不少于 10 种",
    "推广使用线上平台",
    "在家群众知晓率 100%",
    "积分台账按月公示",
];

/// What the platform knows about one village, for its checklist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VillageFacts {
    /// Items with at least one uploaded evidence file.
    pub evidence: Vec<ChecklistItem>,
    /// Kinds of goods on sale (active, in stock).
    pub goods_kinds: u32,
    /// Ledger entries recorded in the last [`PLATFORM_DAYS`] days.
    pub recent_entries: u32,
    /// Resident households that have not moved away (在家户).
    pub resident: u32,
    /// Of those, households marked as knowing the system.
    pub aware: u32,
    /// Months whose posting is due (see [`posting_months_due`]).
    pub postings_due: Vec<i32>,
    /// Of those, the months not published.
    pub postings_missing: Vec<i32>,
}

/// One checklist line's verdict, with the figure it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemStatus {
    pub item: ChecklistItem,
    pub met: bool,
    /// "在售 12 种", "近 30 天 86 条记录", "95.0%（57/60 户）", "已上传"...
    pub figure: String,
    /// The same, short enough for a list cell: "12 种", "86 条", "95.0%",
    /// "3/4 月"; empty for uploaded items.
    pub short: String,
}

/// The verdict of one checklist item.
pub fn item_status(item: ChecklistItem, f: &VillageFacts) -> ItemStatus {
    let done = f.postings_due.len() - f.postings_missing.len();
    let short = match item {
        i if i.needs_evidence() => String::new(),
        ChecklistItem::GoodsKinds => format!("{} 种", f.goods_kinds),
        ChecklistItem::PlatformUse => format!("{} 条", f.recent_entries),
        ChecklistItem::Awareness => percent_text(permille(f.aware, f.resident)),
        _ => format!("{done}/{} 月", f.postings_due.len()),
    };
    let (met, figure) = match item {
        i if i.needs_evidence() => {
            let has = f.evidence.contains(&i);
            (has, if has { "已上传" } else { "未上传" }.to_string())
        }
        ChecklistItem::GoodsKinds => (
            f.goods_kinds >= MIN_GOODS_KINDS,
            format!("在售 {} 种", f.goods_kinds),
        ),
        ChecklistItem::PlatformUse => (
            f.recent_entries > 0,
            format!("近 {PLATFORM_DAYS} 天 {} 条记录", f.recent_entries),
        ),
        ChecklistItem::Awareness => (
            f.resident > 0 && f.aware >= f.resident,
            format!(
                "{}（{}/{} 户）",
                percent_text(permille(f.aware, f.resident)),
                f.aware.min(f.resident),
                f.resident
            ),
        ),
        _ => (
            f.postings_missing.is_empty(),
            if f.postings_missing.is_empty() {
                format!("应公示 {} 个月，已全部公示", f.postings_due.len())
            } else {
                format!(
                    "应公示 {} 个月，已公示 {}，缺 {}",
                    f.postings_due.len(),
                    done,
                    f.postings_missing
                        .iter()
                        .map(|m| format!("{}月", m % 100))
                        .collect::<Vec<_>>()
                        .join("、")
                )
            },
        ),
    };
    ItemStatus {
        item,
        met,
        figure,
        short,
    }
}

/// Every item's verdict, in order.
pub fn checklist(f: &VillageFacts) -> Vec<ItemStatus> {
    ChecklistItem::ALL
        .into_iter()
        .map(|i| item_status(i, f))
        .collect()
}

/// Whether each of the six standards is met (index 0 is standard 1): a
/// standard is met when all its items are.
pub fn standards_met(items: &[ItemStatus]) -> [bool; 6] {
    let mut met = [true; 6];
    for s in items {
        if !s.met {
            met[usize::from(s.item.standard()) - 1] = false;
        }
    }
    met
}

/// The acceptance deadline of a year: 15 August (四(二)).
pub fn deadline(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 8, 15).expect("15 August exists")
}

/// Whether a village is late for the year's deadline (逾期): accepted after
/// 15 August, or not accepted and 15 August has passed. The deadline day
/// itself is on time. `today` is the China calendar date.
pub fn is_late(accepted_on: Option<NaiveDate>, year: i32, today: NaiveDate) -> bool {
    let due = deadline(year);
    match accepted_on {
        Some(d) => d > due,
        None => today > due,
    }
}

/// The months whose ledger posting is due by `today`, from the village's
/// first month with data: a month is posted during the following month, so
/// it is due once that month has ended (October's posting is due after 30
/// November).
pub fn posting_months_due(first_month: Option<i32>, today: NaiveDate) -> Vec<i32> {
    let Some(first) = first_month else {
        return Vec::new();
    };
    let last = previous_month(previous_month(month_key(today)));
    let mut months = Vec::new();
    let mut m = first;
    while m <= last {
        months.push(m);
        m = super::time::next_month(m);
    }
    months
}

/// Highest living-environment score, in tenths.
pub const MAX_SCORE_TENTHS: u32 = 1000;

/// The plan's reference line: a month's score should be over 90.
pub const SCORE_LINE_TENTHS: u32 = 900;

/// Parses a score as typed ("91.5", "90", "88.0") into tenths; `None`
/// unless it is a number from 0 to 100 with at most one decimal.
pub fn parse_score(text: &str) -> Option<u32> {
    let t = text.trim();
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, f),
        None => (t, ""),
    };
    if whole.is_empty()
        || whole.len() > 3
        || frac.len() > 1
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (t.contains('.') && frac.is_empty())
    {
        return None;
    }
    let tenths = whole.parse::<u32>().ok()? * 10 + frac.parse::<u32>().unwrap_or(0);
    (tenths <= MAX_SCORE_TENTHS).then_some(tenths)
}

/// "91.5" from tenths.
pub fn score_text(tenths: u32) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Whether a month's score is at or under the line (shown as a warning).
pub fn score_low(tenths: u32) -> bool {
    tenths <= SCORE_LINE_TENTHS
}

impl Disqualification {
    /// The eight events, in the plan's order.
    pub const ALL: [Disqualification; 8] = [
        Self::MajorCrime,
        Self::Gangs,
        Self::Cults,
        Self::CadreMisconduct,
        Self::MassIncident,
        Self::NegativePublicity,
        Self::Falsification,
        Self::PovertyReliefFailure,
    ];

    /// Stable text stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MajorCrime => "major_crime",
            Self::Gangs => "gangs",
            Self::Cults => "cults",
            Self::CadreMisconduct => "cadre_misconduct",
            Self::MassIncident => "mass_incident",
            Self::NegativePublicity => "negative_publicity",
            Self::Falsification => "falsification",
            Self::PovertyReliefFailure => "poverty_relief_failure",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

impl Level {
    /// Both levels.
    pub const ALL: [Level; 2] = [Self::District, Self::Town];

    /// Stable text stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::District => "district",
            Self::Town => "town",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::District => "区级示范村",
            Self::Town => "镇级示范村",
        }
    }

    /// The other level (the two must differ).
    pub fn other(self) -> Level {
        match self {
            Self::District => Self::Town,
            Self::Town => Self::District,
        }
    }
}

/// The year whose acceptance round `today` belongs to.
pub fn round_year(today: NaiveDate) -> i32 {
    today.year()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::china_date;
    use chrono::{TimeZone, Utc};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_deadline_day_is_on_time_in_china_time() {
        // 23:59:59 on 15 August in China is 15:59:59 UTC.
        let last_second = china_date(Utc.with_ymd_and_hms(2026, 8, 15, 15, 59, 59).unwrap());
        let next_second = china_date(Utc.with_ymd_and_hms(2026, 8, 15, 16, 0, 0).unwrap());
        assert_eq!(last_second, day(2026, 8, 15));
        assert_eq!(next_second, day(2026, 8, 16));
        assert!(!is_late(Some(last_second), 2026, day(2026, 11, 1)));
        assert!(is_late(Some(next_second), 2026, day(2026, 11, 1)));
        // Not accepted: late only once the day has passed.
        assert!(!is_late(None, 2026, last_second));
        assert!(is_late(None, 2026, next_second));
        assert!(!is_late(None, 2026, day(2026, 7, 1)));
        assert!(!is_late(Some(day(2026, 7, 28)), 2026, day(2026, 12, 1)));
    }

    fn facts() -> VillageFacts {
        VillageFacts {
            evidence: ChecklistItem::WITH_EVIDENCE.to_vec(),
            goods_kinds: 10,
            recent_entries: 3,
            resident: 60,
            aware: 60,
            postings_due: vec![202606, 202607],
            postings_missing: vec![],
        }
    }

    #[test]
    fn a_complete_village_meets_all_six_standards() {
        let items = checklist(&facts());
        assert_eq!(items.len(), 11);
        assert!(items.iter().all(|s| s.met), "{items:?}");
        assert_eq!(standards_met(&items), [true; 6]);
        assert_eq!(items[7].figure, "在售 10 种");
        assert_eq!(items[9].figure, "100.0%（60/60 户）");
        assert_eq!(items[10].figure, "应公示 2 个月，已全部公示");
        let shorts: Vec<&str> = items[7..].iter().map(|s| s.short.as_str()).collect();
        assert_eq!(shorts, vec!["10 种", "3 条", "100.0%", "2/2 月"]);
    }

    #[test]
    fn each_missing_fact_fails_its_own_standard() {
        let mut f = facts();
        f.evidence.retain(|i| *i != ChecklistItem::Signboard);
        f.goods_kinds = 9;
        f.aware = 57;
        f.postings_missing = vec![202607];
        let items = checklist(&f);
        assert_eq!(
            standards_met(&items),
            [true, false, false, true, false, false]
        );
        let sign = item_status(ChecklistItem::Signboard, &f);
        assert!(!sign.met);
        assert_eq!(sign.figure, "未上传");
        assert_eq!(
            item_status(ChecklistItem::Awareness, &f).figure,
            "95.0%（57/60 户）"
        );
        assert_eq!(
            item_status(ChecklistItem::Postings, &f).figure,
            "应公示 2 个月，已公示 1，缺 7月"
        );
        f.recent_entries = 0;
        assert!(!item_status(ChecklistItem::PlatformUse, &f).met);
        // No resident households: awareness cannot be met.
        f.resident = 0;
        f.aware = 0;
        assert!(!item_status(ChecklistItem::Awareness, &f).met);
    }

    #[test]
    fn a_month_is_due_for_posting_once_the_following_month_ends() {
        assert_eq!(
            posting_months_due(Some(202606), day(2026, 11, 30)),
            vec![202606, 202607, 202608, 202609]
        );
        assert_eq!(
            posting_months_due(Some(202606), day(2026, 12, 1)),
            vec![202606, 202607, 202608, 202609, 202610]
        );
        assert_eq!(
            posting_months_due(Some(202511), day(2026, 2, 1)),
            vec![202511, 202512]
        );
        assert!(posting_months_due(Some(202611), day(2026, 11, 30)).is_empty());
        assert!(posting_months_due(None, day(2026, 11, 30)).is_empty());
    }

    #[test]
    fn scores_are_tenths_from_0_to_100() {
        assert_eq!(parse_score("91.5"), Some(915));
        assert_eq!(parse_score(" 90 "), Some(900));
        assert_eq!(parse_score("100"), Some(1000));
        assert_eq!(parse_score("0"), Some(0));
        assert_eq!(parse_score("100.1"), None);
        assert_eq!(parse_score("91.55"), None);
        assert_eq!(parse_score("-1"), None);
        assert_eq!(parse_score("9a"), None);
        assert_eq!(parse_score("91."), None);
        assert_eq!(parse_score(""), None);
        assert_eq!(score_text(915), "91.5");
        assert!(score_low(900));
        assert!(!score_low(901));
    }

    #[test]
    fn stored_texts_round_trip() {
        for i in ChecklistItem::ALL {
            assert_eq!(ChecklistItem::parse(i.as_str()), Some(i));
        }
        for d in Disqualification::ALL {
            assert_eq!(Disqualification::parse(d.as_str()), Some(d));
        }
        for l in Level::ALL {
            assert_eq!(Level::parse(l.as_str()), Some(l));
            assert_ne!(l.other(), l);
        }
        assert_eq!(ChecklistItem::Staff.standard(), 2);
        assert!(!ChecklistItem::Awareness.needs_evidence());
    }
}
