//! Ledger arithmetic (积分台账): entries, their status, reversals and balances.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::text::{required_text, TextError, MAX_REASON};
use super::{EntryId, HouseholdId};

/// Points as every page writes them: "+5", "−2" (a true minus sign), "0".
pub fn signed(points: i64) -> String {
    match points {
        p if p > 0 => format!("+{p}"),
        p if p < 0 => format!("−{}", p.unsigned_abs()),
        _ => "0".into(),
    }
}

/// Review status of a ledger entry. Only approved entries count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryStatus {
    /// 待审核: declared by a villager or proposed by a group's scoring team.
    Pending,
    /// 已通过: counts in the balance.
    Approved,
    /// 未通过: kept for the record, never counts.
    Rejected,
}

impl EntryStatus {
    /// Stable text stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "approved" => Some(Self::Approved),
            "rejected" => Some(Self::Rejected),
            _ => None,
        }
    }

    /// Chinese label for the UI.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "待审核",
            Self::Approved => "已通过",
            Self::Rejected => "未通过",
        }
    }
}

/// The part of an entry that ledger arithmetic needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryFacts {
    pub id: EntryId,
    pub household: HouseholdId,
    pub points: i32,
    pub status: EntryStatus,
    pub reverses: Option<EntryId>,
}

/// A household's position: what it earned (net of deductions) and redeemed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    /// Sum of approved entries (awards minus deductions).
    pub earned: i64,
    /// Sum of points spent at the supermarket.
    pub redeemed: i64,
}

impl Balance {
    /// Points available to spend.
    pub fn available(&self) -> i64 {
        self.earned - self.redeemed
    }

    /// Recomputes a balance from scratch: the rule `verify` checks the stored
    /// balances against.
    pub fn from_history<'a>(
        entries: impl IntoIterator<Item = &'a EntryFacts>,
        redemptions: impl IntoIterator<Item = i64>,
    ) -> Self {
        let earned = entries
            .into_iter()
            .filter(|e| e.status == EntryStatus::Approved)
            .map(|e| i64::from(e.points))
            .sum();
        Balance {
            earned,
            redeemed: redemptions.into_iter().sum(),
        }
    }

    /// The balance after one more approved entry.
    pub fn with_entry(self, points: i32) -> Self {
        Balance {
            earned: self.earned + i64::from(points),
            ..self
        }
    }

    /// The balance after one more redemption.
    pub fn with_redemption(self, points: i64) -> Self {
        Balance {
            redeemed: self.redeemed + points,
            ..self
        }
    }
}

/// Why an entry cannot be reversed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReversalError {
    #[error("只能冲正已通过的记录")]
    NotApproved,
    #[error("冲正记录不能再次冲正")]
    IsReversal,
    #[error("该记录已冲正过")]
    AlreadyReversed,
    #[error("请填写冲正原因")]
    MissingReason,
    #[error("冲正原因不能超过 {} 个字", MAX_REASON)]
    ReasonTooLong,
}

/// What a reversal entry will hold: the negated points of the original, approved
/// at once, linked to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReversalPlan {
    pub household: HouseholdId,
    pub points: i32,
    pub reverses: EntryId,
    pub reason: String,
}

/// Plans the correction of `original`. `already_reversed` tells whether a
/// reversal pointing at it exists.
pub fn plan_reversal(
    original: &EntryFacts,
    already_reversed: bool,
    reason: &str,
) -> Result<ReversalPlan, ReversalError> {
    if original.status != EntryStatus::Approved {
        return Err(ReversalError::NotApproved);
    }
    if original.reverses.is_some() {
        return Err(ReversalError::IsReversal);
    }
    if already_reversed {
        return Err(ReversalError::AlreadyReversed);
    }
    let reason = required_text("冲正原因", reason, MAX_REASON).map_err(|e| match e {
        TextError::Missing(_) => ReversalError::MissingReason,
        TextError::TooLong { .. } => ReversalError::ReasonTooLong,
    })?;
    Ok(ReversalPlan {
        household: original.household,
        points: -original.points,
        reverses: original.id,
        reason: format!("冲正：{reason}"),
    })
}

/// Most households one batch entry (批量录入) may cover.
pub const MAX_BATCH: usize = 2000;

/// Why a batch entry is refused before anything is read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BatchError {
    #[error("请至少选择一户")]
    Empty,
    #[error("一次最多录入 {} 户", MAX_BATCH)]
    TooMany,
}

/// The distinct households of a batch, in the order first chosen. The count
/// is checked before anything else so a request of a million ids costs no
/// more than one of `MAX_BATCH + 1`, and repeats are dropped through a set
/// (a list search per id made 200,000 ids take 15 s).
pub fn batch_households(chosen: &[HouseholdId]) -> Result<Vec<HouseholdId>, BatchError> {
    // Repeats can only make the list shorter; a list more than twice the
    // cap is refused at once (the page never sends a household twice).
    if chosen.len() > 2 * MAX_BATCH {
        return Err(BatchError::TooMany);
    }
    let mut seen = std::collections::HashSet::with_capacity(chosen.len());
    let unique: Vec<HouseholdId> = chosen.iter().copied().filter(|h| seen.insert(*h)).collect();
    if unique.is_empty() {
        return Err(BatchError::Empty);
    }
    if unique.len() > MAX_BATCH {
        return Err(BatchError::TooMany);
    }
    Ok(unique)
}

/// Checks the reason of a new entry (事由): required, at most
/// [`MAX_REASON`] characters; returns it trimmed.
pub fn check_entry_reason(reason: &str) -> Result<String, TextError> {
    required_text("事由", reason, MAX_REASON)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_read_with_their_sign_and_zero_without_one() {
        assert_eq!(signed(5), "+5");
        assert_eq!(signed(-2), "−2");
        assert_eq!(signed(0), "0");
        assert_eq!(signed(i64::MIN), "−9223372036854775808");
    }

    fn entry(id: i32, points: i32, status: EntryStatus) -> EntryFacts {
        EntryFacts {
            id: EntryId(id),
            household: HouseholdId(1),
            points,
            status,
            reverses: None,
        }
    }

    #[test]
    fn balance_counts_only_approved_entries_minus_redemptions() {
        let entries = [
            entry(1, 10, EntryStatus::Approved),
            entry(2, -2, EntryStatus::Approved),
            entry(3, 50, EntryStatus::Pending),
            entry(4, 20, EntryStatus::Rejected),
        ];
        let b = Balance::from_history(&entries, [3, 1]);
        assert_eq!(b.earned, 8);
        assert_eq!(b.redeemed, 4);
        assert_eq!(b.available(), 4);
    }

    #[test]
    fn incremental_balance_matches_recomputed_balance() {
        let entries = [
            entry(1, 5, EntryStatus::Approved),
            entry(2, -1, EntryStatus::Approved),
        ];
        let stepwise = Balance::default()
            .with_entry(5)
            .with_entry(-1)
            .with_redemption(3);
        assert_eq!(stepwise, Balance::from_history(&entries, [3]));
    }

    #[test]
    fn reversal_negates_and_links_the_original() {
        let original = entry(7, 5, EntryStatus::Approved);
        let plan = plan_reversal(&original, false, " 录错户 ").unwrap();
        assert_eq!(plan.points, -5);
        assert_eq!(plan.reverses, EntryId(7));
        assert_eq!(plan.reason, "冲正：录错户");
        let after = Balance::default().with_entry(5).with_entry(plan.points);
        assert_eq!(after.available(), 0);
    }

    #[test]
    fn a_reversal_reason_longer_than_the_reason_limit_is_refused() {
        let original = entry(7, 5, EntryStatus::Approved);
        let huge = "错".repeat(1 << 20);
        assert_eq!(
            plan_reversal(&original, false, &huge),
            Err(ReversalError::ReasonTooLong)
        );
        let longest = "错".repeat(MAX_REASON);
        assert!(plan_reversal(&original, false, &longest).is_ok());
    }

    #[test]
    fn a_batch_drops_repeats_and_keeps_the_order_first_chosen() {
        let ids = [3, 1, 3, 2, 1].map(HouseholdId);
        assert_eq!(
            batch_households(&ids).unwrap(),
            [3, 1, 2].map(HouseholdId).to_vec()
        );
        assert_eq!(batch_households(&[]), Err(BatchError::Empty));
    }

    #[test]
    fn a_batch_of_two_hundred_thousand_ids_is_refused_at_once() {
        let ids: Vec<HouseholdId> = (0..200_000).map(HouseholdId).collect();
        let started = std::time::Instant::now();
        assert_eq!(batch_households(&ids), Err(BatchError::TooMany));
        assert!(started.elapsed() < std::time::Duration::from_millis(50));
        let over: Vec<HouseholdId> = (0..MAX_BATCH as i32 + 1).map(HouseholdId).collect();
        assert_eq!(batch_households(&over), Err(BatchError::TooMany));
        let repeated: Vec<HouseholdId> = (0..2 * MAX_BATCH as i32)
            .map(|i| HouseholdId(i % 5))
            .collect();
        assert_eq!(batch_households(&repeated).unwrap().len(), 5);
    }

    #[test]
    fn an_entry_reason_is_required_and_bounded() {
        assert_eq!(check_entry_reason(" 扫雪 ").unwrap(), "扫雪");
        assert_eq!(
            check_entry_reason("  ").unwrap_err().to_string(),
            "请填写事由"
        );
        assert_eq!(
            check_entry_reason(&"x".repeat(MAX_REASON + 1))
                .unwrap_err()
                .to_string(),
            "事由不能超过 200 个字"
        );
    }

    #[test]
    fn reversal_is_refused_when_it_would_double_count() {
        let original = entry(7, 5, EntryStatus::Approved);
        assert_eq!(
            plan_reversal(&original, true, "x"),
            Err(ReversalError::AlreadyReversed)
        );
        let pending = entry(8, 5, EntryStatus::Pending);
        assert_eq!(
            plan_reversal(&pending, false, "x"),
            Err(ReversalError::NotApproved)
        );
        let mut rev = entry(9, -5, EntryStatus::Approved);
        rev.reverses = Some(EntryId(7));
        assert_eq!(
            plan_reversal(&rev, false, "x"),
            Err(ReversalError::IsReversal)
        );
        assert_eq!(
            plan_reversal(&original, false, "  "),
            Err(ReversalError::MissingReason)
        );
    }

    #[test]
    fn status_round_trips_through_text() {
        for s in [
            EntryStatus::Pending,
            EntryStatus::Approved,
            EntryStatus::Rejected,
        ] {
            assert_eq!(EntryStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(EntryStatus::parse("deleted"), None);
    }
}
