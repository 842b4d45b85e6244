//! Villagers' sign-in (村民登录): a household signs in with its card number
//! or the phone number the clerk noted, and a PIN the clerk set.

use chrono::{DateTime, Utc};
use thiserror::Error;

use super::roles::Role;

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

/// PINs people pick most (love numbers, lucky numbers, keypad patterns)
/// that the digit rules below do not already catch. An attacker tries these
/// first, so with a few tries per account they must not work.
const COMMON_PINS: &[&str] = &[
    "520520", "521521", "520521", "521520", "520131", "201314", "131420", "147258", "258369",
    "369258", "159753", "357159", "741852", "852963", "963852", "789456", "456789", "147369",
    "168168", "666888", "888666", "168888", "888168", "518518", "123321", "112233", "111222",
    "000111", "121212", "101010", "123654", "654123", "987789", "246810", "135790", "202020",
];

/// Whether six digits read as a date `YYMMDD` (a birthday: 800101,
/// 991231): the second thing anyone who knows the household tries.
fn is_short_date(d: &[i32]) -> bool {
    let month = d[2] * 10 + d[3];
    let day = d[4] * 10 + d[5];
    let longest = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29,
        _ => return false,
    };
    (1..=longest).contains(&day)
}

/// Checks a PIN set by the clerk: six digits; not all the same, not a
/// straight run up or down, not a repeated pair or triple (121212,
/// 123123), not a `YYMMDD` date, not one of the most common PINs.
pub fn check_pin(pin: &str) -> Result<String, AccountError> {
    let pin = pin.trim();
    if pin.len() != PIN_DIGITS || !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err(AccountError::PinForm);
    }
    let d: Vec<i32> = pin.bytes().map(|b| i32::from(b - b'0')).collect();
    let steps: Vec<i32> = d.windows(2).map(|w| (w[1] - w[0]).rem_euclid(10)).collect();
    let run = steps.iter().all(|s| *s == steps[0]) && matches!(steps[0], 0 | 1 | 9);
    let repeated = pin[..3] == pin[3..] || (pin[..2] == pin[2..4] && pin[2..4] == pin[4..]);
    if run || repeated || is_short_date(&d) || COMMON_PINS.contains(&pin) {
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
    if !is_phone_form(&digits) {
        return Err(AccountError::PhoneForm);
    }
    Ok(Some(digits))
}

/// Failed sign-ins in a row an account gets for free before each further
/// try must wait (from one address).
pub const FREE_FAILURES: u32 = 5;
/// Failed sign-ins in a row, from all addresses together, before each
/// further try must wait: higher, so that a stranger elsewhere slows the
/// owner's own office only after many more failures.
pub const FREE_FAILURES_ANYWHERE: u32 = 20;
/// The longest wait between two tries of one account.
pub const MAX_LOGIN_WAIT_SECONDS: i64 = 15 * 60;
/// Failures older than this no longer count toward an account's wait.
pub const FAILURE_MEMORY_HOURS: i64 = 24;
/// Failed sign-ins one network address may make in [`ADDRESS_WINDOW_MINUTES`]:
/// generous, since a whole town office can sit behind one address.
pub const ADDRESS_FAILURES: u64 = 100;
/// The window of [`ADDRESS_FAILURES`].
pub const ADDRESS_WINDOW_MINUTES: i64 = 15;

/// An account's failed sign-ins since its last success: how many and the
/// latest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FailureRun {
    pub count: u32,
    pub last: Option<DateTime<Utc>>,
}

/// Seconds a try must wait after the last failure, after `failures` in a
/// row of which `free` cost nothing: 2, 4, 8 … seconds, up to
/// [`MAX_LOGIN_WAIT_SECONDS`]. The owner is slowed, never locked out.
pub fn login_wait_seconds(failures: u32, free: u32) -> i64 {
    if failures < free {
        return 0;
    }
    let n = (failures - free + 1).min(20);
    (1i64 << n).min(MAX_LOGIN_WAIT_SECONDS)
}

/// Whether a sign-in may be checked now: the account's failures from this
/// address and from everywhere, and this address's recent failures on any
/// account. `Err` carries the seconds to wait.
pub fn login_gate(
    here: FailureRun,
    anywhere: FailureRun,
    address_failures: u64,
    now: DateTime<Utc>,
) -> Result<(), i64> {
    if address_failures >= ADDRESS_FAILURES {
        return Err(ADDRESS_WINDOW_MINUTES * 60);
    }
    let left = |run: FailureRun, free: u32| {
        run.last.map_or(0, |last| {
            let ready = last + chrono::Duration::seconds(login_wait_seconds(run.count, free));
            (ready - now).num_seconds().max(0)
        })
    };
    let wait = left(here, FREE_FAILURES).max(left(anywhere, FREE_FAILURES_ANYWHERE));
    if wait > 0 {
        Err(wait)
    } else {
        Ok(())
    }
}

/// Whether the failure that brings an account to `failures` in a row is
/// the one from which tries must wait: the moment to note in the audit log.
pub fn starts_waiting(failures_here: u32, failures_anywhere: u32) -> bool {
    failures_here == FREE_FAILURES || failures_anywhere == FREE_FAILURES_ANYWHERE
}

/// How long a session may go unused before it ends: a week for a
/// household's phone, twelve hours for staff (shared office computers).
pub fn session_idle_limit(role: Role) -> chrono::Duration {
    match role {
        Role::Villager => chrono::Duration::days(7),
        _ => chrono::Duration::hours(12),
    }
}

/// Whether a session last used at `last_seen` is still alive at `now`.
pub fn session_alive(role: Role, last_seen: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - last_seen <= session_idle_limit(role)
}

/// Whether digits have the form of a mobile phone number as [`check_phone`]
/// accepts it (11 digits starting with 1). A card number may not: villagers
/// sign in with either, and one typed number must mean one household.
pub fn is_phone_form(digits: &str) -> bool {
    digits.len() == 11 && digits.starts_with('1') && digits.chars().all(|c| c.is_ascii_digit())
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
        assert!(check_pin("305827").is_ok());
    }

    #[test]
    fn the_most_common_pins_are_refused() {
        for common in [
            "123123", "520520", "888888", "000000", "111111", "123456", "121212", "800101",
            "991231", "000229", "147258", "201314", "112233", "168168",
        ] {
            assert_eq!(
                check_pin(common),
                Err(AccountError::PinTooSimple),
                "{common}"
            );
        }
        // Not dates: month 13, day 32, day 31 of a 30-day month.
        for fine in ["801301", "800132", "800431", "305827", "739164"] {
            assert!(check_pin(fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn failed_sign_ins_grow_the_wait_instead_of_locking_out() {
        assert_eq!(login_wait_seconds(4, FREE_FAILURES), 0);
        assert_eq!(login_wait_seconds(5, FREE_FAILURES), 2);
        assert_eq!(login_wait_seconds(6, FREE_FAILURES), 4);
        assert_eq!(login_wait_seconds(13, FREE_FAILURES), 512);
        assert_eq!(
            login_wait_seconds(14, FREE_FAILURES),
            MAX_LOGIN_WAIT_SECONDS
        );
        assert_eq!(
            login_wait_seconds(10_000, FREE_FAILURES),
            MAX_LOGIN_WAIT_SECONDS
        );
        let now = Utc::now();
        let run = |count, ago: i64| FailureRun {
            count,
            last: Some(now - chrono::Duration::seconds(ago)),
        };
        let none = FailureRun::default();
        assert_eq!(login_gate(run(4, 0), run(4, 0), 0, now), Ok(()));
        assert_eq!(login_gate(run(5, 0), run(5, 0), 0, now), Err(2));
        assert_eq!(login_gate(run(5, 3), run(5, 3), 0, now), Ok(()));
        assert_eq!(login_gate(run(8, 10), run(8, 10), 0, now), Err(6));
        // Failures elsewhere slow this address only after many more.
        assert_eq!(login_gate(none, run(19, 0), 0, now), Ok(()));
        assert_eq!(login_gate(none, run(20, 0), 0, now), Err(2));
        // A shared office address gets 100 failures per window.
        assert_eq!(login_gate(none, none, 99, now), Ok(()));
        assert_eq!(login_gate(none, none, 100, now), Err(900));
        assert!(starts_waiting(5, 5) && starts_waiting(1, 20) && !starts_waiting(6, 6));
    }

    #[test]
    fn staff_sessions_end_after_twelve_idle_hours_villagers_after_a_week() {
        let now = Utc::now();
        let ago = |h: i64| now - chrono::Duration::hours(h);
        assert!(session_alive(Role::Clerk, ago(11), now));
        assert!(!session_alive(Role::Clerk, ago(13), now));
        assert!(!session_alive(Role::TownAdmin, ago(13), now));
        assert!(session_alive(Role::Villager, ago(24 * 6), now));
        assert!(!session_alive(Role::Villager, ago(24 * 8), now));
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
