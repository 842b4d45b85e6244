//! Staff accounts (工作人员账号): who the town admin may create, their
//! user names, and the password rules every staff password must meet.

use thiserror::Error;

use super::roles::Role;
use super::text::MAX_LOGIN_NAME;

/// The shortest staff password.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest staff password: hashing is deliberately slow, so a password
/// of a megabyte must not be hashed.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// The roles the town admin creates in `/town/staff`. Villager accounts
/// belong to households and are kept at the village office; a second town
/// admin is made on the command line, not from a browser.
pub const STAFF_ROLES: [Role; 4] = [
    Role::VillageAdmin,
    Role::Clerk,
    Role::Scorer,
    Role::TownStaff,
];

/// Why a password, user name or account scope is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StaffError {
    #[error("密码至少 {MIN_PASSWORD_CHARS} 个字符")]
    PasswordShort,
    #[error("密码最多 {MAX_PASSWORD_CHARS} 个字符")]
    PasswordLong,
    #[error("密码不能全是数字，请加入字母")]
    PasswordDigits,
    #[error("密码不能与用户名相同或包含用户名")]
    PasswordIsUsername,
    #[error("这个密码太常见，很容易被猜到，请换一个")]
    PasswordCommon,
    #[error("密码不能是同一个字符重复或连续的字符（如 aaaaaaaaaa、abcdefghij）")]
    PasswordPattern,
    #[error("新密码不能与原密码相同")]
    PasswordUnchanged,
    #[error("两次输入的新密码不一致")]
    PasswordMismatch,
    #[error("用户名应为 3 到 {MAX_LOGIN_NAME} 个小写字母、数字、- 或 _，以字母开头")]
    UsernameForm,
    #[error("该角色只能由镇管理员在命令行创建")]
    RoleNotStaff,
    #[error("请选择村（社区）")]
    VillageMissing,
    #[error("镇干部账号不属于某个村（社区）")]
    VillageNotAllowed,
    #[error("只有评分员可以指定小组")]
    GroupNotAllowed,
}

/// Passwords people pick most, in their lower-case form, that the length
/// and pattern rules do not already catch (a list like those published from
/// leaked password sets, with the Chinese favourites: pinyin, love numbers
/// and keyboard walks). An attacker tries these first.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890a",
    "a1234567890",
    "a123456789",
    "abc1234567",
    "abcd123456",
    "abc123456789",
    "abcdef1234",
    "qwertyuiop",
    "qwerty1234",
    "qwerty123456",
    "1qaz2wsx3edc",
    "1q2w3e4r5t",
    "1q2w3e4r5t6y",
    "q1w2e3r4t5",
    "zaq12wsxcde3",
    "asdfghjkl1",
    "asdfghjkl;",
    "zxcvbnm123",
    "zxcvbnm1234",
    "qazwsxedc1",
    "qazwsxedcrfv",
    "password12",
    "password123",
    "password1234",
    "password!1",
    "p@ssw0rd12",
    "p@ssword123",
    "passw0rd123",
    "iloveyou12",
    "iloveyou123",
    "woaini1314",
    "woaini520",
    "woaini5201314",
    "5201314woaini",
    "woaini123456",
    "aini1314520",
    "wangyiming1",
    "zhangwei123",
    "wangwei123",
    "liuyang123",
    "admin12345",
    "admin123456",
    "administrator",
    "admin@1234",
    "admin@123456",
    "root123456",
    "welcome123",
    "welcome1234",
    "letmein123",
    "sunshine12",
    "princess12",
    "football12",
    "baseball12",
    "dragon1234",
    "monkey1234",
    "master1234",
    "superman12",
    "michael123",
    "qwe1234567",
    "qweasdzxc1",
    "qweasdzxc123",
    "asd1234567",
    "zxc1234567",
    "aa12345678",
    "aa123456789",
    "a12345678a",
    "abc@123456",
    "abc123abc123",
    "test123456",
    "testtest12",
    "changeme12",
    "changeme123",
    "gaoliang123",
    "gaoliang2026",
    "gaoliang12345",
    "jifen123456",
    "jifenzhi123",
    "chaoshi123456",
    "cunwei123456",
    "beibei1234",
    "huawei1234",
    "xiaomi1234",
    "china12345",
    "china123456",
    "zhongguo123",
    "abcd1234abcd",
    "1234abcd1234",
    "1234qwer1234",
    "12345qwert",
    "123456abc",
    "123456abcd",
    "123456qwer",
    "123456qwerty",
    "123456789a",
    "123456789ab",
    "123456789abc",
    "123456789q",
    "123456789z",
    "1234567890q",
    "0987654321a",
    "987654321a",
    "a987654321",
    "qq123456789",
    "qq1234567890",
    "w123456789",
    "z123456789",
    "x123456789",
    "s123456789",
    "l123456789",
];

/// Checks a new staff password: at least [`MIN_PASSWORD_CHARS`]
/// characters (and at most [`MAX_PASSWORD_CHARS`]), not only digits (those
/// are the first thing tried, and a card number is digits), not the user
/// name or containing it, not a run of one character or a straight run,
/// not in the common list.
pub fn check_password(password: &str, username: &str) -> Result<(), StaffError> {
    let chars: Vec<char> = password.chars().collect();
    if chars.len() < MIN_PASSWORD_CHARS {
        return Err(StaffError::PasswordShort);
    }
    if chars.len() > MAX_PASSWORD_CHARS {
        return Err(StaffError::PasswordLong);
    }
    if chars.iter().all(|c| c.is_ascii_digit()) {
        return Err(StaffError::PasswordDigits);
    }
    let lower = password.to_lowercase();
    let name = username.trim().to_lowercase();
    if !name.is_empty() && lower.contains(&name) {
        return Err(StaffError::PasswordIsUsername);
    }
    let steps: Vec<i64> = chars
        .windows(2)
        .map(|w| i64::from(u32::from(w[1])) - i64::from(u32::from(w[0])))
        .collect();
    if steps.iter().all(|s| *s == steps[0]) && matches!(steps[0], -1..=1) {
        return Err(StaffError::PasswordPattern);
    }
    if COMMON_PASSWORDS.contains(&lower.as_str()) {
        return Err(StaffError::PasswordCommon);
    }
    Ok(())
}

/// Checks a password change: the new one twice the same, different from
/// the old one, and meeting [`check_password`].
pub fn check_new_password(
    old: &str,
    new: &str,
    repeat: &str,
    username: &str,
) -> Result<(), StaffError> {
    if new != repeat {
        return Err(StaffError::PasswordMismatch);
    }
    if new == old {
        return Err(StaffError::PasswordUnchanged);
    }
    check_password(new, username)
}

/// Letters of a one-time password: no 0/o, 1/l/i, that a clerk reading
/// it off a slip could mistake.
pub const ONE_TIME_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// Turns random bytes into a one-time password of 12 characters in three
/// groups (`k7mp-3xq9-hw2r`): 31^12 (about 2^59) choices, easy to read out
/// and type. Any byte source will do; the server passes a CSPRNG's.
pub fn one_time_password(random: &[u8; 12]) -> String {
    let mut out = String::with_capacity(14);
    for (i, b) in random.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        let n = ONE_TIME_ALPHABET.len();
        out.push(char::from(ONE_TIME_ALPHABET[usize::from(*b) % n]));
    }
    out
}

/// Checks a staff user name: 3 to [`MAX_LOGIN_NAME`] characters of
/// lower-case letters, digits, `-` and `_`, starting with a letter. A name
/// of digits only would be read as a card or phone number at sign-in.
pub fn check_username(username: &str) -> Result<String, StaffError> {
    let name = username.trim().to_lowercase();
    let ok_len = (3..=MAX_LOGIN_NAME).contains(&name.len());
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    let ok_start = name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    if ok_len && ok_chars && ok_start {
        Ok(name)
    } else {
        Err(StaffError::UsernameForm)
    }
}

/// The stem of a suggested user name: the role's prefix and the last
/// three digits of the village code (`cun200`, `shop200`, `pf200`), or
/// `zhen` for town staff.
pub fn username_stem(role: Role, village_code: Option<&str>) -> String {
    let prefix = match role {
        Role::VillageAdmin => "cun",
        Role::Clerk => "shop",
        Role::Scorer => "pf",
        Role::TownStaff => "zhen",
        Role::TownAdmin => "admin",
        Role::Villager => "hu",
    };
    match (role, village_code) {
        (Role::TownStaff | Role::TownAdmin, _) | (_, None) => prefix.to_string(),
        (_, Some(code)) => {
            let digits: String = code.chars().filter(char::is_ascii_digit).collect();
            let tail = &digits[digits.len().saturating_sub(3)..];
            format!("{prefix}{tail}")
        }
    }
}

/// The first of `stem`, `stem-2`, `stem-3` … not in `taken`.
pub fn suggest_username(stem: &str, taken: &[String]) -> String {
    let free = |n: &str| !taken.iter().any(|t| t == n);
    if free(stem) {
        return stem.to_string();
    }
    (2..)
        .map(|i| format!("{stem}-{i}"))
        .find(|n| free(n))
        .expect("an unbounded range has a free name")
}

/// What a staff account is bound to, checked against its role: village
/// roles need a village, town staff must have none, only a scorer may be
/// bound to one group.
pub fn check_scope(role: Role, has_village: bool, has_group: bool) -> Result<(), StaffError> {
    if !STAFF_ROLES.contains(&role) {
        return Err(StaffError::RoleNotStaff);
    }
    match role {
        Role::TownStaff if has_village => Err(StaffError::VillageNotAllowed),
        Role::TownStaff => Ok(()),
        _ if !has_village => Err(StaffError::VillageMissing),
        Role::Scorer => Ok(()),
        _ if has_group => Err(StaffError::GroupNotAllowed),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_password_passes() {
        assert_eq!(check_password("chun-feng-2026", "cun200"), Ok(()));
        assert_eq!(check_password("高梁镇积分超市2026", "shop200"), Ok(()));
    }

    #[test]
    fn short_digit_and_long_passwords_are_refused() {
        assert_eq!(
            check_password("abc12345", "x"),
            Err(StaffError::PasswordShort)
        );
        assert_eq!(
            check_password("13800138000", "x"),
            Err(StaffError::PasswordDigits)
        );
        let long = "a".repeat(64) + &"b".repeat(65);
        assert_eq!(check_password(&long, "x"), Err(StaffError::PasswordLong));
    }

    #[test]
    fn a_password_holding_the_user_name_is_refused_in_any_case() {
        assert_eq!(
            check_password("Cun200-2026", "cun200"),
            Err(StaffError::PasswordIsUsername)
        );
        assert_eq!(
            check_password("mypass-cun200", "CUN200"),
            Err(StaffError::PasswordIsUsername)
        );
    }

    #[test]
    fn common_and_patterned_passwords_are_refused() {
        assert_eq!(
            check_password("Password123", "x"),
            Err(StaffError::PasswordCommon)
        );
        assert_eq!(
            check_password("woaini5201314", "x"),
            Err(StaffError::PasswordCommon)
        );
        assert_eq!(
            check_password("qwertyuiop", "x"),
            Err(StaffError::PasswordCommon)
        );
        assert_eq!(
            check_password("aaaaaaaaaaaa", "x"),
            Err(StaffError::PasswordPattern)
        );
        assert_eq!(
            check_password("abcdefghijk", "x"),
            Err(StaffError::PasswordPattern)
        );
        assert_eq!(
            check_password("kjihgfedcba", "x"),
            Err(StaffError::PasswordPattern)
        );
    }

    #[test]
    fn a_change_must_repeat_the_new_password_and_differ_from_the_old() {
        assert_eq!(
            check_new_password("old-pass-2026", "new-pass-2026", "new-pass-2025", "u"),
            Err(StaffError::PasswordMismatch)
        );
        assert_eq!(
            check_new_password("same-pass-2026", "same-pass-2026", "same-pass-2026", "u"),
            Err(StaffError::PasswordUnchanged)
        );
        assert_eq!(
            check_new_password("old-pass-2026", "new-pass-2026", "new-pass-2026", "u"),
            Ok(())
        );
    }

    #[test]
    fn one_time_passwords_are_readable_and_pass_the_rules() {
        let p = one_time_password(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
        assert_eq!(p.len(), 14);
        assert_eq!(p.matches('-').count(), 2);
        assert!(p
            .chars()
            .all(|c| c == '-' || ONE_TIME_ALPHABET.contains(&(c as u8))));
        assert!(!p.contains(['0', 'o', '1', 'l', 'i']));
        assert_eq!(check_password(&p, "cun200"), Ok(()));
    }

    #[test]
    fn user_names_are_lower_case_and_start_with_a_letter() {
        assert_eq!(check_username(" Cun200 "), Ok("cun200".into()));
        assert_eq!(check_username("2000001"), Err(StaffError::UsernameForm));
        assert_eq!(check_username("ab"), Err(StaffError::UsernameForm));
        assert_eq!(check_username("张三"), Err(StaffError::UsernameForm));
        assert_eq!(check_username("a b c"), Err(StaffError::UsernameForm));
    }

    #[test]
    fn suggested_names_follow_role_and_village_and_skip_taken_ones() {
        assert_eq!(
            username_stem(Role::VillageAdmin, Some("510116105200")),
            "cun200"
        );
        assert_eq!(username_stem(Role::Clerk, Some("510116105200")), "shop200");
        assert_eq!(username_stem(Role::Scorer, Some("510116105201")), "pf201");
        assert_eq!(username_stem(Role::TownStaff, Some("510116105201")), "zhen");
        let taken = vec!["pf200".to_string(), "pf200-2".to_string()];
        assert_eq!(suggest_username("pf200", &taken), "pf200-3");
        assert_eq!(suggest_username("shop200", &taken), "shop200");
    }

    #[test]
    fn each_role_has_its_own_scope() {
        assert_eq!(check_scope(Role::VillageAdmin, true, false), Ok(()));
        assert_eq!(
            check_scope(Role::VillageAdmin, false, false),
            Err(StaffError::VillageMissing)
        );
        assert_eq!(
            check_scope(Role::Clerk, true, true),
            Err(StaffError::GroupNotAllowed)
        );
        assert_eq!(check_scope(Role::Scorer, true, true), Ok(()));
        assert_eq!(check_scope(Role::TownStaff, false, false), Ok(()));
        assert_eq!(
            check_scope(Role::TownStaff, true, false),
            Err(StaffError::VillageNotAllowed)
        );
        assert_eq!(
            check_scope(Role::TownAdmin, false, false),
            Err(StaffError::RoleNotStaff)
        );
        assert_eq!(
            check_scope(Role::Villager, true, false),
            Err(StaffError::RoleNotStaff)
        );
    }
}
