//! Villagers' sign-in (村民登录): a household signs in with its card number
//! or the phone number the clerk noted, and a PIN the clerk set.

use thiserror::Error;

/// Digits of a villager's PIN (登录密码).
pub const PIN_DIGITS: usize = 6;

/// Why a PIN or phone number is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AccountError {
    #[error("登录密码应为 6 位数字")]
    PinForm,
    #[error("登录密码太简单（如 000000、123456），请换一个")]
    PinTooSimple,
    #[error("手机号应为 11 位数字，以 1 开头")]
    PhoneForm,
}

/// Checks a PIN set by the clerk: six digits, not all the same, not a
/// straight run up or down (the first guesses anyone tries).
pub fn check_pin(pin: &str) -> Result<String, AccountError> {
    let pin = pin.trim();
    if pin.len() != PIN_DIGITS || !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err(AccountError::PinForm);
    }
    let d: Vec<i32> = pin.bytes().map(|b| i32::from(b - b'0')).collect();
    let steps: Vec<i32> = d.windows(2).map(|w| (w[1] - w[0]).rem_euclid(10)).collect();
    if steps.iter().all(|s| *s == steps[0]) && matches!(steps[0], 0 | 1 | 9) {
        return Err(AccountError::PinTooSimple);
    }
    Ok(pin.to_string())
}

/// Checks a mobile phone number (empty means none): 11 digits starting
/// with 1; spaces and dashes people type are dropped.
pub fn check_phone(phone: &str) -> Result<Option<String>, AccountError> {
    let digits: String = phone
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.is_empty() {
        return Ok(None);
    }
    if digits.len() != 11 || !digits.starts_with('1') || !digits.chars().all(|c| c.is_ascii_digit())
    {
        return Err(AccountError::PhoneForm);
    }
    Ok(Some(digits))
}

/// What someone typed in the sign-in name field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginName {
    /// Digits: a household card number, or failing that a phone number.
    Digits(String),
    /// A staff (or demo) user name.
    Username(String),
}

impl LoginName {
    /// Reads the typed name; spaces are dropped from digits, since people
    /// copy card and phone numbers in groups.
    pub fn parse(typed: &str) -> Self {
        let typed = typed.trim();
        let compact: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if !compact.is_empty() && compact.chars().all(|c| c.is_ascii_digit()) {
            Self::Digits(compact)
        } else {
            Self::Username(typed.to_string())
        }
    }
}

/// A household's rank in its village by points (competition ranking:
/// households with equal points share a rank): 1 + how many households have
/// more. `others` are the points of every other household of the village.
pub fn rank_in_village(mine: i64, others: impl IntoIterator<Item = i64>) -> u32 {
    1 + others.into_iter().filter(|p| *p > mine).count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_six_digits_and_not_trivial() {
        assert_eq!(check_pin(" 305271 "), Ok("305271".into()));
        assert_eq!(check_pin("12345"), Err(AccountError::PinForm));
        assert_eq!(check_pin("1234567"), Err(AccountError::PinForm));
        assert_eq!(check_pin("12a456"), Err(AccountError::PinForm));
        for simple in ["000000", "888888", "123456", "654321", "890123", "098765"] {
            assert_eq!(
                check_pin(simple),
                Err(AccountError::PinTooSimple),
                "{simple}"
            );
        }
        assert!(check_pin("135791").is_ok());
        assert!(check_pin("112233").is_ok());
    }

    #[test]
    fn phones_are_eleven_digits() {
        assert_eq!(check_phone(""), Ok(None));
        assert_eq!(
            check_phone(" 138 0000-1234 "),
            Ok(Some("13800001234".into()))
        );
        assert_eq!(check_phone("23800001234"), Err(AccountError::PhoneForm));
        assert_eq!(check_phone("1380000123"), Err(AccountError::PhoneForm));
        assert_eq!(check_phone("1380000123x"), Err(AccountError::PhoneForm));
    }

    #[test]
    fn login_names() {
        assert_eq!(
            LoginName::parse(" 200 0001 "),
            LoginName::Digits("2000001".into())
        );
        assert_eq!(
            LoginName::parse("138-0000-1234"),
            LoginName::Digits("13800001234".into())
        );
        assert_eq!(
            LoginName::parse("cun200"),
            LoginName::Username("cun200".into())
        );
        assert_eq!(LoginName::parse(""), LoginName::Username("".into()));
    }

    #[test]
    fn ranks_share_ties() {
        assert_eq!(rank_in_village(30, [50, 30, 10]), 2);
        assert_eq!(rank_in_village(50, [30, 50, 10]), 1);
        assert_eq!(rank_in_village(0, []), 1);
        assert_eq!(rank_in_village(-5, [0, 0]), 3);
    }
}
