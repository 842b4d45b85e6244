//! The one error type server functions return. Its messages are Chinese and
//! shown to users as they are; internal details are logged on the server only.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};
use thiserror::Error;

/// Error of a server function, with the HTTP status it is sent with. On the
/// wire it is `{"kind": .., "message": ..}`, so any HTTP client reads the
/// Chinese message too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Error)]
#[serde(into = "ErrorWire", from = "ErrorWire")]
pub enum AppError {
    #[error("请先登录")]
    Unauthenticated,
    #[error("无权进行此操作")]
    Forbidden,
    /// The account still holds its one-time password (403): nothing but
    /// setting its own password is allowed until it does.
    #[error("请先修改初始密码")]
    PasswordChangeRequired,
    /// A rule of separation of duties forbids this caller this act (403),
    /// with the reason: "不能审核自己提交的记录".
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    #[error("尝试次数过多，请 {0} 分钟后再试")]
    Throttled(i64),
    /// An order key already used for a different order (409): the first
    /// receipt comes along, so the counter can show what that key bought.
    #[error("这一单已用其他内容兑换过")]
    KeyReused(Box<crate::kiosk::Receipt>),
    #[error("系统繁忙，请稍后再试")]
    Internal,
    /// The server cannot keep what it is asked to (its disk is full or
    /// failing): nothing was saved, and a retry later is safe.
    #[error("{0}")]
    Unavailable(String),
    #[error("无法连接服务器，请检查网络后重试")]
    Network,
}

/// The serialized form of [`AppError`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorWire {
    pub kind: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<i64>,
    /// With `key_reused`: the receipt the key made first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<Box<crate::kiosk::Receipt>>,
}

impl From<AppError> for ErrorWire {
    fn from(e: AppError) -> Self {
        let kind = match &e {
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::PasswordChangeRequired => "password_change_required",
            AppError::Refused(_) => "refused",
            AppError::NotFound(_) => "not_found",
            AppError::Invalid(_) => "invalid",
            AppError::Conflict(_) => "conflict",
            AppError::Throttled(_) => "throttled",
            AppError::KeyReused(_) => "key_reused",
            AppError::Internal => "internal",
            AppError::Unavailable(_) => "unavailable",
            AppError::Network => "network",
        };
        let message = e.to_string();
        let (minutes, receipt) = match e {
            AppError::Throttled(m) => (Some(m), None),
            AppError::KeyReused(r) => (None, Some(r)),
            _ => (None, None),
        };
        ErrorWire {
            kind: kind.into(),
            message,
            minutes,
            receipt,
        }
    }
}

impl From<ErrorWire> for AppError {
    fn from(w: ErrorWire) -> Self {
        match w.kind.as_str() {
            "unauthenticated" => AppError::Unauthenticated,
            "forbidden" => AppError::Forbidden,
            "password_change_required" => AppError::PasswordChangeRequired,
            "refused" => AppError::Refused(w.message),
            "not_found" => AppError::NotFound(w.message),
            "invalid" => AppError::Invalid(w.message),
            "conflict" => AppError::Conflict(w.message),
            "throttled" => AppError::Throttled(w.minutes.unwrap_or(15)),
            "key_reused" => match w.receipt {
                Some(r) => AppError::KeyReused(r),
                None => AppError::Conflict(w.message),
            },
            "network" => AppError::Network,
            "unavailable" => AppError::Unavailable(w.message),
            _ => AppError::Internal,
        }
    }
}

impl AppError {
    /// The HTTP status the error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthenticated => 401,
            Self::Forbidden | Self::PasswordChangeRequired | Self::Refused(_) => 403,
            Self::NotFound(_) => 404,
            Self::Invalid(_) => 400,
            Self::Conflict(_) | Self::KeyReused(_) => 409,
            Self::Throttled(_) => 429,
            Self::Internal => 500,
            Self::Unavailable(_) => 503,
            Self::Network => 503,
        }
    }

    /// Shorthand for a 400 with a message.
    pub fn invalid(msg: impl Into<String>) -> Self {
        Self::Invalid(msg.into())
    }

    /// Shorthand for a 404 with a message.
    pub fn not_found(msg: impl Into<String>) -> Self {
        Self::NotFound(msg.into())
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => Self::Network,
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => Self::Invalid("请求参数有误".into()),
            ServerFnErrorErr::UnsupportedRequestMethod(_) => {
                Self::Invalid("不支持的请求方式".into())
            }
            _ => Self::Internal,
        }
    }
}

/// A form the domain rules refuse is the caller's to fix (400), with the
/// rule's own sentence.
macro_rules! invalid_from {
    ($($t:ty),*) => {$(
        impl From<$t> for AppError {
            fn from(e: $t) -> Self {
                Self::Invalid(e.to_string())
            }
        }
    )*};
}

invalid_from!(
    domain::account::AccountError,
    domain::activity::ActivityError,
    domain::appeal::AppealError,
    domain::evaluation::NominationError,
    domain::funds::FundsError,
    domain::households::HouseholdError,
    domain::households::SheetError,
    domain::ledger::BatchError,
    domain::ledger::ReversalError,
    domain::notice::NoticeError,
    domain::publication::MonthClosed,
    domain::redemption::RedemptionError,
    domain::review::ReviewError,
    domain::rule_revision::RevisionError,
    domain::rules::RuleError,
    domain::setup::FlagsError,
    domain::setup::GroupError,
    domain::staff::StaffError,
    domain::stock::StockError,
    domain::text::TextError
);

/// Publishing a month twice is a conflict with what is stored (409); any
/// other refusal is the caller's to fix.
impl From<domain::publication::PublishError> for AppError {
    fn from(e: domain::publication::PublishError) -> Self {
        match e {
            domain::publication::PublishError::AlreadyPublished(_) => Self::Conflict(e.to_string()),
            _ => Self::Invalid(e.to_string()),
        }
    }
}

/// Voiding a receipt already voided is a conflict (409); any other refusal
/// is the caller's to fix.
impl From<domain::redemption::VoidError> for AppError {
    fn from(e: domain::redemption::VoidError) -> Self {
        match e {
            domain::redemption::VoidError::AlreadyVoided(_) => Self::Conflict(e.to_string()),
            _ => Self::Invalid(e.to_string()),
        }
    }
}

impl From<domain::roles::DutyError> for AppError {
    fn from(e: domain::roles::DutyError) -> Self {
        Self::Refused(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_travel_with_their_message() {
        for e in [
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::NotFound("找不到".into()),
            AppError::Invalid("积分不足".into()),
            AppError::Conflict("冲突".into()),
            AppError::Throttled(15),
            AppError::Internal,
            AppError::Unavailable("存储空间不足".into()),
        ] {
            let json = serde_json::to_string(&e).unwrap();
            assert!(json.contains(&e.to_string()), "{json}");
            assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), e);
        }
    }
}
