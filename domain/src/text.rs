//! Free text typed by users (reasons, notes, names, titles, addresses): one
//! way to trim it and bound its length, so no field stores a megabyte that
//! every page listing it then carries.

use thiserror::Error;

/// Longest reason or remark (事由, 冲正原因, 审核意见, 说明...).
pub const MAX_REASON: usize = 200;
/// Longest name of a person, goods or place.
pub const MAX_NAME: usize = 20;
/// Longest title (公示、活动标题).
pub const MAX_TITLE: usize = 60;
/// Longest one-line text such as an address or a supplier.
pub const MAX_LINE: usize = 100;
/// Longest login name (a username, card number or phone); a longer one is
/// refused before it is recorded as a login attempt.
pub const MAX_LOGIN_NAME: usize = 64;
/// Longest free text of all, a notice's body in Markdown; nothing a user
/// types may be longer.
pub const MAX_LONG_TEXT: usize = 20_000;

/// Why a text is refused; the field's Chinese name is in the message.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TextError {
    #[error("请填写{0}")]
    Missing(&'static str),
    #[error("{field}不能超过 {max} 个字")]
    TooLong { field: &'static str, max: usize },
}

/// Checks that `value` has at most `max` characters.
pub fn check_text(field: &'static str, value: &str, max: usize) -> Result<(), TextError> {
    // Counting stops after `max + 1`: a huge value costs no more than a long one.
    if value.chars().nth(max).is_some() {
        return Err(TextError::TooLong { field, max });
    }
    Ok(())
}

/// Trims a text that must be given and checks its length.
pub fn required_text(field: &'static str, value: &str, max: usize) -> Result<String, TextError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(TextError::Missing(field));
    }
    check_text(field, value, max)?;
    Ok(value.to_string())
}

/// Trims a text that may be left blank and checks its length.
pub fn optional_text(field: &'static str, value: &str, max: usize) -> Result<String, TextError> {
    let value = value.trim();
    check_text(field, value, max)?;
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_of_the_limit_passes_and_one_more_character_is_refused() {
        let at = "字".repeat(MAX_REASON);
        assert_eq!(check_text("事由", &at, MAX_REASON), Ok(()));
        let over = format!("{at}字");
        assert_eq!(
            check_text("事由", &over, MAX_REASON),
            Err(TextError::TooLong {
                field: "事由",
                max: MAX_REASON
            })
        );
        assert_eq!(
            check_text("事由", &over, MAX_REASON)
                .unwrap_err()
                .to_string(),
            "事由不能超过 200 个字"
        );
    }

    #[test]
    fn required_text_is_trimmed_and_must_not_be_blank() {
        assert_eq!(
            required_text("事由", "  录错户 ", MAX_REASON).unwrap(),
            "录错户"
        );
        assert_eq!(
            required_text("事由", "   ", MAX_REASON),
            Err(TextError::Missing("事由"))
        );
        assert_eq!(optional_text("说明", "  ", MAX_REASON).unwrap(), "");
    }

    #[test]
    fn a_megabyte_of_text_is_refused() {
        let huge = "x".repeat(1 << 20);
        assert!(required_text("原因", &huge, MAX_REASON).is_err());
        assert!(optional_text("说明", &huge, MAX_LONG_TEXT).is_err());
    }
}
