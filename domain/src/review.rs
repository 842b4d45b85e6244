//! Review of pending points (审核): villagers' declarations (村民申报) and
//! scoring teams' proposals (小组评议) wait for the clerk, who approves or
//! rejects each once. Only an approval writes a ledger entry.

use super::text::{check_text, MAX_REASON};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Where a pending proposal came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProposalSource {
    /// 村民申报: a household declared its own good deed.
    Villager,
    /// 小组评议: a group's scoring team proposed it.
    Team,
}

impl ProposalSource {
    /// Stable text stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Villager => "villager",
            Self::Team => "team",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "villager" => Some(Self::Villager),
            "team" => Some(Self::Team),
            _ => None,
        }
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Villager => "村民申报",
            Self::Team => "小组评议",
        }
    }
}

/// Why a review is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReviewError {
    #[error("请至少选择一条待审核记录")]
    NothingChosen,
    #[error("驳回时请填写理由")]
    MissingReason,
    #[error("审核意见不能超过 {} 个字", MAX_REASON)]
    ReasonTooLong,
    #[error("该记录已审核过，不能重复审核")]
    AlreadyDecided,
}

/// Most proposals one review may decide.
pub const MAX_REVIEW: usize = 500;

/// Checks a review decision and returns the reason to store: a rejection
/// must say why; an approval without a reason says "审核通过".
pub fn decision_reason(chosen: usize, approve: bool, reason: &str) -> Result<String, ReviewError> {
    if chosen == 0 {
        return Err(ReviewError::NothingChosen);
    }
    let reason = reason.trim();
    check_text("审核意见", reason, MAX_REASON).map_err(|_| ReviewError::ReasonTooLong)?;
    match (approve, reason.is_empty()) {
        (false, true) => Err(ReviewError::MissingReason),
        (true, true) => Ok("审核通过".into()),
        _ => Ok(reason.to_string()),
    }
}

/// The date and reason of the entry an approval writes. A deed declared in a
/// month whose ledger is already published is booked today, with the
/// declared date kept in the reason, so the frozen month never changes.
pub fn entry_for_approval(
    declared_on: NaiveDate,
    declared_month_published: bool,
    reason: &str,
    today: NaiveDate,
) -> (NaiveDate, String) {
    if declared_month_published {
        (
            today,
            format!(
                "{reason}（补记：申报日期 {}）",
                declared_on.format("%Y-%m-%d")
            ),
        )
    } else {
        (declared_on, reason.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_rejection_needs_a_reason_an_approval_does_not() {
        assert_eq!(decision_reason(2, true, "  "), Ok("审核通过".into()));
        assert_eq!(
            decision_reason(1, true, " 情况属实 "),
            Ok("情况属实".into())
        );
        assert_eq!(
            decision_reason(1, false, " "),
            Err(ReviewError::MissingReason)
        );
        assert_eq!(
            decision_reason(1, false, "照片不清楚"),
            Ok("照片不清楚".into())
        );
        assert_eq!(
            decision_reason(0, true, ""),
            Err(ReviewError::NothingChosen)
        );
        assert_eq!(
            decision_reason(1, false, &"长".repeat(201)),
            Err(ReviewError::ReasonTooLong)
        );
    }

    #[test]
    fn a_deed_of_a_published_month_is_booked_today() {
        let today = d(2026, 11, 29);
        assert_eq!(
            entry_for_approval(d(2026, 11, 3), false, "扶老人过河", today),
            (d(2026, 11, 3), "扶老人过河".into())
        );
        assert_eq!(
            entry_for_approval(d(2026, 10, 30), true, "扶老人过河", today),
            (today, "扶老人过河（补记：申报日期 2026-10-30）".into())
        );
    }

    #[test]
    fn sources_round_trip() {
        for s in [ProposalSource::Villager, ProposalSource::Team] {
            assert_eq!(ProposalSource::parse(s.as_str()), Some(s));
        }
    }
}
