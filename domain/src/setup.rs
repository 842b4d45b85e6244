//! Setting a town up for its first day: the readiness checklist of a
//! village taking part, the units' flags, and the rules of the village
//! groups (组): names, and merging one group into another. Facts in,
//! decisions out; no database, no clock.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::acceptance::MIN_GOODS_KINDS;
use super::text::{required_text, MAX_NAME};

/// One line of the readiness checklist, in the order a village is set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// A village points clerk (村积分管理员) account is active.
    ClerkAccount,
    /// A supermarket clerk (超市管理员) account is active.
    ShopAccount,
    /// The village has at least one group (组): households are filed under one.
    Groups,
    /// Rule items are in force today.
    Rules,
    /// Households are imported (not moved away).
    Households,
    /// The card sheet was printed after the newest household was added.
    Cards,
    /// Households that can sign in with a PIN.
    Pins,
    /// At least [`MIN_GOODS_KINDS`] kinds of goods on sale.
    Goods,
    /// A month's ledger has been posted (公示).
    FirstMonth,
}

impl Check {
    /// Every line, in the table's column order.
    pub const ALL: [Check; 9] = [
        Check::ClerkAccount,
        Check::ShopAccount,
        Check::Groups,
        Check::Rules,
        Check::Households,
        Check::Cards,
        Check::Pins,
        Check::Goods,
        Check::FirstMonth,
    ];

    /// Stable key (test ids; the wire form is the same).
    pub fn as_str(self) -> &'static str {
        match self {
            Check::ClerkAccount => "clerk_account",
            Check::ShopAccount => "shop_account",
            Check::Groups => "groups",
            Check::Rules => "rules",
            Check::Households => "households",
            Check::Cards => "cards",
            Check::Pins => "pins",
            Check::Goods => "goods",
            Check::FirstMonth => "first_month",
        }
    }

    /// The column heading.
    pub fn label(self) -> &'static str {
        match self {
            Check::ClerkAccount => "村积分管理员",
            Check::ShopAccount => "超市管理员",
            Check::Groups => "村民小组",
            Check::Rules => "积分细则",
            Check::Households => "农户导入",
            Check::Cards => "户卡打印",
            Check::Pins => "村民登录密码",
            Check::Goods => "在售商品",
            Check::FirstMonth => "首月公示",
        }
    }
}

/// What the platform knows about one village, gathered by the service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VillageFacts {
    /// Active `village_admin` accounts of the village.
    pub clerk_accounts: u32,
    /// Active `clerk` (supermarket) accounts of the village.
    pub shop_accounts: u32,
    /// Groups not merged away.
    pub groups: u32,
    /// Rule items in force today.
    pub rule_items: u32,
    /// Households not moved away.
    pub households: u32,
    /// When the newest of those households was added.
    pub newest_household: Option<DateTime<Utc>>,
    /// When the card sheet was last printed.
    pub last_card_print: Option<DateTime<Utc>>,
    /// Households (not moved away) with an active villager sign-in (PIN).
    pub households_with_pin: u32,
    /// Kinds of goods on sale (active, in stock).
    pub goods_kinds: u32,
    /// Months posted (published).
    pub published_months: u32,
}

/// One cell of the checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    pub check: Check,
    pub ok: bool,
    /// The figure the cell shows: "2 个", "80 户", "12 / 80 户"...
    pub figure: String,
}

/// The checklist of one village. `date` formats a time as the China
/// calendar date (the caller's clock stays out of the domain).
pub fn readiness(f: &VillageFacts, date: impl Fn(DateTime<Utc>) -> String) -> Vec<CheckResult> {
    Check::ALL
        .iter()
        .map(|&check| {
            let (ok, figure) = match check {
                Check::ClerkAccount => (f.clerk_accounts > 0, format!("{} 个", f.clerk_accounts)),
                Check::ShopAccount => (f.shop_accounts > 0, format!("{} 个", f.shop_accounts)),
                Check::Groups => (f.groups > 0, format!("{} 个组", f.groups)),
                Check::Rules => (f.rule_items > 0, format!("{} 条", f.rule_items)),
                Check::Households => (f.households > 0, format!("{} 户", f.households)),
                Check::Cards => cards(f, &date),
                // Cards suffice for villagers without a phone: one household
                // that can sign in shows sign-in works; the figure shows how far.
                Check::Pins => (
                    f.households_with_pin > 0,
                    format!("{} / {} 户", f.households_with_pin, f.households),
                ),
                Check::Goods => (
                    f.goods_kinds >= MIN_GOODS_KINDS,
                    format!("{} 种", f.goods_kinds),
                ),
                Check::FirstMonth => (
                    f.published_months > 0,
                    if f.published_months > 0 {
                        format!("已公示 {} 个月", f.published_months)
                    } else {
                        "未公示".to_string()
                    },
                ),
            };
            CheckResult { check, ok, figure }
        })
        .collect()
}

/// Cards are ready when printed after the newest household was added: a
/// household added since has no card yet.
fn cards(f: &VillageFacts, date: &impl Fn(DateTime<Utc>) -> String) -> (bool, String) {
    match (f.last_card_print, f.newest_household) {
        (None, _) => (false, "未打印".into()),
        (Some(p), Some(h)) if h > p => (false, format!("{} 打印，之后有新增农户", date(p))),
        (Some(p), _) => (f.households > 0, format!("{} 打印", date(p))),
    }
}

/// Why a unit's flags are refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FlagsError {
    #[error("只有涉农村（社区）才能参与积分制：请先勾选“涉农”，或取消“参与积分制”")]
    TakingPartNeedsAgricultural,
}

/// A unit may take part in the points system only if it is agricultural
/// (涉农): the plan covers the town's agricultural villages.
pub fn check_flags(agricultural: bool, taking_part: bool) -> Result<(), FlagsError> {
    if taking_part && !agricultural {
        return Err(FlagsError::TakingPartNeedsAgricultural);
    }
    Ok(())
}

/// What the merge rules know of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupFacts {
    pub id: i32,
    pub village: i32,
    pub retired: bool,
}

/// Why a group change is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GroupError {
    #[error("{0}")]
    Name(String),
    #[error("本村已有名为“{0}”的组")]
    Taken(String),
    #[error("不能把一个组并入它自己，请选择另一个组")]
    SameGroup,
    #[error("两个组不属于同一个村（社区）")]
    OtherVillage,
    #[error("“{0}”已并入其他组，不能再合并或改名")]
    Retired(String),
}

/// Checks a group's name: given, at most [`MAX_NAME`] characters, and not
/// the name of another current group of the village (`others`, compared
/// without surrounding spaces). Returns the trimmed name.
pub fn check_group_name<'a>(
    name: &str,
    others: impl IntoIterator<Item = &'a str>,
) -> Result<String, GroupError> {
    let name =
        required_text("组名", name, MAX_NAME).map_err(|e| GroupError::Name(e.to_string()))?;
    if others.into_iter().any(|o| o.trim() == name) {
        return Err(GroupError::Taken(name));
    }
    Ok(name)
}

/// Checks that group `from` may be merged into `into`: the same village,
/// two different groups, neither already merged away.
pub fn check_merge(
    from: GroupFacts,
    from_name: &str,
    into: GroupFacts,
    into_name: &str,
) -> Result<(), GroupError> {
    if from.id == into.id {
        return Err(GroupError::SameGroup);
    }
    if from.village != into.village {
        return Err(GroupError::OtherVillage);
    }
    if from.retired {
        return Err(GroupError::Retired(from_name.to_string()));
    }
    if into.retired {
        return Err(GroupError::Retired(into_name.to_string()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, 2, 0, 0).unwrap()
    }

    fn day(t: DateTime<Utc>) -> String {
        t.format("%Y-%m-%d").to_string()
    }

    fn cell(f: &VillageFacts, c: Check) -> CheckResult {
        readiness(f, day)
            .into_iter()
            .find(|r| r.check == c)
            .unwrap()
    }

    #[test]
    fn the_wire_form_is_the_stable_key() {
        for c in Check::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
    }

    #[test]
    fn an_empty_village_is_ready_nowhere() {
        let rows = readiness(&VillageFacts::default(), day);
        assert_eq!(rows.len(), Check::ALL.len());
        assert!(rows.iter().all(|r| !r.ok), "{rows:?}");
        assert_eq!(
            cell(&VillageFacts::default(), Check::Cards).figure,
            "未打印"
        );
    }

    #[test]
    fn goods_need_ten_kinds() {
        let mut f = VillageFacts {
            goods_kinds: 9,
            ..Default::default()
        };
        assert!(!cell(&f, Check::Goods).ok);
        f.goods_kinds = 10;
        assert!(cell(&f, Check::Goods).ok);
        assert_eq!(cell(&f, Check::Goods).figure, "10 种");
    }

    #[test]
    fn cards_printed_before_a_new_household_are_not_enough() {
        let mut f = VillageFacts {
            households: 3,
            newest_household: Some(at(2)),
            last_card_print: Some(at(1)),
            ..Default::default()
        };
        let c = cell(&f, Check::Cards);
        assert!(!c.ok);
        assert!(c.figure.contains("之后有新增农户"), "{}", c.figure);
        f.last_card_print = Some(at(3));
        let c = cell(&f, Check::Cards);
        assert!(c.ok);
        assert_eq!(c.figure, "2026-12-03 打印");
    }

    #[test]
    fn pins_show_how_many_of_the_households() {
        let f = VillageFacts {
            households: 80,
            households_with_pin: 12,
            ..Default::default()
        };
        let c = cell(&f, Check::Pins);
        assert!(c.ok);
        assert_eq!(c.figure, "12 / 80 户");
    }

    #[test]
    fn only_an_agricultural_unit_takes_part() {
        assert!(check_flags(true, true).is_ok());
        assert!(check_flags(true, false).is_ok());
        assert!(check_flags(false, false).is_ok());
        let e = check_flags(false, true).unwrap_err();
        assert!(e.to_string().contains("涉农"), "{e}");
    }

    #[test]
    fn group_names_are_given_short_and_unique() {
        assert_eq!(check_group_name(" 一组 ", ["二组"]).unwrap(), "一组");
        assert!(matches!(
            check_group_name("  ", []),
            Err(GroupError::Name(_))
        ));
        let long = "组".repeat(MAX_NAME + 1);
        assert!(matches!(
            check_group_name(&long, []),
            Err(GroupError::Name(_))
        ));
        assert_eq!(
            check_group_name("一组", ["一组 "]),
            Err(GroupError::Taken("一组".into()))
        );
        assert!(check_group_name(&"组".repeat(MAX_NAME), []).is_ok());
    }

    #[test]
    fn a_merge_needs_two_current_groups_of_one_village() {
        let g = |id, village, retired| GroupFacts {
            id,
            village,
            retired,
        };
        assert!(check_merge(g(1, 7, false), "一组", g(2, 7, false), "二组").is_ok());
        assert_eq!(
            check_merge(g(1, 7, false), "一组", g(1, 7, false), "一组"),
            Err(GroupError::SameGroup)
        );
        assert_eq!(
            check_merge(g(1, 7, false), "一组", g(2, 8, false), "二组"),
            Err(GroupError::OtherVillage)
        );
        assert_eq!(
            check_merge(g(1, 7, true), "一组", g(2, 7, false), "二组"),
            Err(GroupError::Retired("一组".into()))
        );
        assert_eq!(
            check_merge(g(1, 7, false), "一组", g(2, 7, true), "二组"),
            Err(GroupError::Retired("二组".into()))
        );
    }
}
