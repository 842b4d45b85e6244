//! The monthly public ledger (积分台账和兑换台账按月公示): what a village posts
//! for a month, its totals, and when a month may be published.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::time::month_label;

/// One approved entry of the month, as posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsLine {
    pub entry: i32,
    /// `YYYY-MM-DD`, the day the deed happened (or the correction was made).
    pub date: String,
    pub card_no: String,
    pub head_name: String,
    pub item: String,
    pub reason: String,
    pub points: i32,
    /// The entry this one reverses (冲正), if it is a correction.
    pub reverses: Option<i32>,
}

/// One redemption at the points supermarket, as posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedemptionLine {
    pub receipt_no: String,
    pub date: String,
    pub card_no: String,
    pub head_name: String,
    /// "大米×2、洗衣粉×1".
    pub goods: String,
    pub points: i64,
}

/// A household's month: what it earned, lost and spent, and its balance at
/// the month's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthBalance {
    pub card_no: String,
    pub head_name: String,
    pub group: String,
    pub awarded: i64,
    pub deducted: i64,
    pub redeemed: i64,
    pub balance: i64,
}

/// Everything a village posts for one month. Its JSON form is what gets
/// frozen and hashed, so field order and line order are part of the format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthLedger {
    pub village: String,
    /// `yyyymm`.
    pub month: i32,
    /// In entry order.
    pub points: Vec<PointsLine>,
    /// In redemption order.
    pub redemptions: Vec<RedemptionLine>,
    /// By group, then card number.
    pub households: Vec<MonthBalance>,
}

/// A month's totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthTotals {
    pub awarded: i64,
    pub deducted: i64,
    pub redeemed: i64,
    pub entries: usize,
    pub redemptions: usize,
}

impl MonthLedger {
    /// Sums of the month's lines.
    pub fn totals(&self) -> MonthTotals {
        let awarded = self
            .points
            .iter()
            .filter(|l| l.points > 0)
            .map(|l| i64::from(l.points))
            .sum();
        let deducted = self
            .points
            .iter()
            .filter(|l| l.points < 0)
            .map(|l| -i64::from(l.points))
            .sum();
        MonthTotals {
            awarded,
            deducted,
            redeemed: self.redemptions.iter().map(|r| r.points).sum(),
            entries: self.points.len(),
            redemptions: self.redemptions.len(),
        }
    }

    /// "2026年10月".
    pub fn month_label(&self) -> String {
        month_label(self.month)
    }
}

/// Why a month cannot be published.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PublishError {
    #[error("{0}尚未结束，月末之后才能公示")]
    NotOver(String),
    #[error("{0}已公示，不能重复公示；之后的更正会记入以后的月份")]
    AlreadyPublished(String),
}

/// Whether `month` may be published when the current month is `current`.
pub fn check_publishable(
    month: i32,
    current: i32,
    already_published: bool,
) -> Result<(), PublishError> {
    if already_published {
        return Err(PublishError::AlreadyPublished(month_label(month)));
    }
    if month >= current {
        return Err(PublishError::NotOver(month_label(month)));
    }
    Ok(())
}

/// Why an entry may not be dated in a month.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}台账已公示，不能再记入该月；请按本月日期补录，并在事由中注明")]
pub struct MonthClosed(pub String);

/// Entries may not be dated in a published month: that month's posting is
/// final, and a late entry belongs to the month it is recorded in.
pub fn check_month_open(month: i32, published: bool) -> Result<(), MonthClosed> {
    if published {
        Err(MonthClosed(month_label(month)))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(entry: i32, points: i32) -> PointsLine {
        PointsLine {
            entry,
            date: "2026-10-03".into(),
            card_no: "2000101".into(),
            head_name: "张三".into(),
            item: "参加清洁日".into(),
            reason: "打扫".into(),
            points,
            reverses: None,
        }
    }

    #[test]
    fn totals_split_awards_deductions_and_redemptions() {
        let ledger = MonthLedger {
            village: "高梁村".into(),
            month: 202610,
            points: vec![line(1, 5), line(2, -3), line(3, 10)],
            redemptions: vec![RedemptionLine {
                receipt_no: "GL-20261005-1".into(),
                date: "2026-10-05".into(),
                card_no: "2000101".into(),
                head_name: "张三".into(),
                goods: "大米×1".into(),
                points: 7,
            }],
            households: vec![],
        };
        let t = ledger.totals();
        assert_eq!((t.awarded, t.deducted, t.redeemed), (15, 3, 7));
        assert_eq!((t.entries, t.redemptions), (3, 1));
        assert_eq!(ledger.month_label(), "2026年10月");
    }

    #[test]
    fn only_a_finished_month_is_published_and_only_once() {
        assert_eq!(check_publishable(202610, 202611, false), Ok(()));
        assert_eq!(
            check_publishable(202611, 202611, false),
            Err(PublishError::NotOver("2026年11月".into()))
        );
        let twice = check_publishable(202610, 202611, true).unwrap_err();
        assert_eq!(twice, PublishError::AlreadyPublished("2026年10月".into()));
        assert!(twice.to_string().contains("不能重复公示"));
    }

    #[test]
    fn a_published_month_takes_no_more_entries() {
        assert!(check_month_open(202610, false).is_ok());
        let closed = check_month_open(202610, true).unwrap_err();
        assert!(closed.to_string().starts_with("2026年10月台账已公示"));
    }

    #[test]
    fn the_frozen_form_is_stable_json() {
        let ledger = MonthLedger {
            village: "高梁村".into(),
            month: 202610,
            points: vec![line(1, 5)],
            redemptions: vec![],
            households: vec![],
        };
        let a = serde_json::to_string(&ledger).unwrap();
        let back: MonthLedger = serde_json::from_str(&a).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), a);
        assert!(a.starts_with(r#"{"village":"高梁村","month":202610,"points":[{"entry":1"#));
    }
}
