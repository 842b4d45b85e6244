//! Appeals (积分申诉): a household disputes one ledger entry; the clerk
//! answers. An upheld appeal is settled by a reversal entry, so the entry,
//! the appeal and its answer all stay visible on the ledger.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Longest appeal reason or answer.
pub const MAX_TEXT: usize = 200;

/// Where an appeal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppealStatus {
    /// 待处理.
    Pending,
    /// 申诉成立: the entry was reversed.
    Upheld,
    /// 申诉不成立: the entry stands.
    Rejected,
}

impl AppealStatus {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Upheld => "upheld",
            Self::Rejected => "rejected",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "upheld" => Some(Self::Upheld),
            "rejected" => Some(Self::Rejected),
            _ => None,
        }
    }

    /// In Chinese.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "待处理",
            Self::Upheld => "申诉成立",
            Self::Rejected => "申诉不成立",
        }
    }
}

/// The entry an appeal is about, as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppealedEntry {
    /// The entry is the household's own.
    pub own: bool,
    /// The entry is itself a reversal (冲正).
    pub is_reversal: bool,
    /// The entry has been reversed already.
    pub reversed: bool,
    /// An appeal of it is still waiting.
    pub open_appeal: bool,
}

/// Why an appeal or its answer is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AppealError {
    #[error("只能对本户的积分记录申诉")]
    NotOwn,
    #[error("冲正记录不能申诉，请对原记录申诉")]
    IsReversal,
    #[error("该记录已冲正，无需申诉")]
    AlreadyReversed,
    #[error("该记录已有申诉正在处理，请等待答复")]
    AlreadyOpen,
    #[error("请写明申诉理由（不超过200个字）")]
    BadReason,
    #[error("请填写答复（不超过200个字）")]
    BadAnswer,
    #[error("该申诉已答复")]
    AlreadyAnswered,
}

fn text(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty() && t.chars().count() <= MAX_TEXT).then(|| t.to_string())
}

/// Checks a new appeal; returns the trimmed reason.
pub fn check_appeal(entry: AppealedEntry, reason: &str) -> Result<String, AppealError> {
    if !entry.own {
        return Err(AppealError::NotOwn);
    }
    if entry.is_reversal {
        return Err(AppealError::IsReversal);
    }
    if entry.reversed {
        return Err(AppealError::AlreadyReversed);
    }
    if entry.open_appeal {
        return Err(AppealError::AlreadyOpen);
    }
    text(reason).ok_or(AppealError::BadReason)
}

/// Whether the household may appeal the entry now (the page offers the
/// button only then).
pub fn may_appeal(entry: AppealedEntry) -> bool {
    check_appeal(entry, "-").is_ok()
}

/// Checks the clerk's answer; returns the trimmed answer.
pub fn check_answer(status: AppealStatus, answer: &str) -> Result<String, AppealError> {
    if status != AppealStatus::Pending {
        return Err(AppealError::AlreadyAnswered);
    }
    text(answer).ok_or(AppealError::BadAnswer)
}

/// The reason written on the reversal entry of an upheld appeal.
pub fn reversal_reason(answer: &str) -> String {
    format!("申诉成立：{answer}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: AppealedEntry = AppealedEntry {
        own: true,
        is_reversal: false,
        reversed: false,
        open_appeal: false,
    };

    #[test]
    fn an_appeal_is_about_a_standing_entry_of_ones_own_household() {
        assert_eq!(
            check_appeal(OK, "  那天我在外地 "),
            Ok("那天我在外地".into())
        );
        assert_eq!(check_appeal(OK, " "), Err(AppealError::BadReason));
        assert_eq!(
            check_appeal(OK, &"长".repeat(201)),
            Err(AppealError::BadReason)
        );
        let cases = [
            (AppealedEntry { own: false, ..OK }, AppealError::NotOwn),
            (
                AppealedEntry {
                    is_reversal: true,
                    ..OK
                },
                AppealError::IsReversal,
            ),
            (
                AppealedEntry {
                    reversed: true,
                    ..OK
                },
                AppealError::AlreadyReversed,
            ),
            (
                AppealedEntry {
                    open_appeal: true,
                    ..OK
                },
                AppealError::AlreadyOpen,
            ),
        ];
        for (entry, err) in cases {
            assert_eq!(check_appeal(entry, "理由"), Err(err));
        }
    }

    #[test]
    fn an_appeal_is_answered_once_with_words() {
        assert_eq!(
            check_answer(AppealStatus::Pending, " 核实无误 "),
            Ok("核实无误".into())
        );
        assert_eq!(
            check_answer(AppealStatus::Pending, ""),
            Err(AppealError::BadAnswer)
        );
        assert_eq!(
            check_answer(AppealStatus::Upheld, "再答一次"),
            Err(AppealError::AlreadyAnswered)
        );
        assert_eq!(
            reversal_reason("当天在外地务工"),
            "申诉成立：当天在外地务工"
        );
        for s in [
            AppealStatus::Pending,
            AppealStatus::Upheld,
            AppealStatus::Rejected,
        ] {
            assert_eq!(AppealStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn the_appeal_button_shows_only_where_an_appeal_is_allowed() {
        assert!(may_appeal(OK));
        assert!(!may_appeal(AppealedEntry {
            reversed: true,
            ..OK
        }));
        assert!(!may_appeal(AppealedEntry {
            open_appeal: true,
            ..OK
        }));
        assert!(!may_appeal(AppealedEntry {
            is_reversal: true,
            ..OK
        }));
    }
}
