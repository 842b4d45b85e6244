//! Who may do what: roles and their village scope.

use serde::{Deserialize, Serialize};

use super::{HouseholdId, UserId, VillageId};

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// 镇管理员: oversees every village.
    TownAdmin,
    /// 村管理员 / 积分管理员: one village's back office.
    VillageAdmin,
    /// 超市管理员: one village's points-supermarket counter.
    Clerk,
    /// 村民: linked to one household.
    Villager,
}

impl Role {
    /// Stable text stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TownAdmin => "town_admin",
            Self::VillageAdmin => "village_admin",
            Self::Clerk => "clerk",
            Self::Villager => "villager",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "town_admin" => Some(Self::TownAdmin),
            "village_admin" => Some(Self::VillageAdmin),
            "clerk" => Some(Self::Clerk),
            "villager" => Some(Self::Villager),
            _ => None,
        }
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::TownAdmin => "镇管理员",
            Self::VillageAdmin => "村积分管理员",
            Self::Clerk => "超市管理员",
            Self::Villager => "村民",
        }
    }

    /// Where the role lands after login.
    pub fn home_path(self) -> &'static str {
        match self {
            Self::TownAdmin => "/town",
            Self::VillageAdmin => "/office",
            Self::Clerk => "/kiosk",
            Self::Villager => "/me",
        }
    }
}

/// The authenticated caller of a server function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caller {
    pub user: UserId,
    pub role: Role,
    pub village: Option<VillageId>,
    pub household: Option<HouseholdId>,
}

impl Caller {
    /// Whether the caller may read a village's private data (members,
    /// addresses, pending entries). Villagers see only their own household.
    pub fn may_read_village(&self, village: VillageId) -> bool {
        match self.role {
            Role::TownAdmin => true,
            Role::VillageAdmin | Role::Clerk => self.village == Some(village),
            Role::Villager => false,
        }
    }

    /// Whether the caller may run a village's back office: record, review and
    /// correct points, keep its households, publish its monthly ledger. The
    /// town admin may act on any village.
    pub fn may_record_points(&self, village: VillageId) -> bool {
        match self.role {
            Role::TownAdmin => true,
            Role::VillageAdmin => self.village == Some(village),
            Role::Clerk | Role::Villager => false,
        }
    }

    /// The village whose back office the caller works in: a village admin's
    /// own (asking for another is refused), or the one a town admin picked.
    pub fn office_village(&self, asked: Option<VillageId>) -> Option<VillageId> {
        match (self.role, asked) {
            (Role::VillageAdmin, None) => self.village,
            (Role::VillageAdmin, Some(v)) | (Role::TownAdmin, Some(v)) => {
                self.may_record_points(v).then_some(v)
            }
            _ => None,
        }
    }

    /// Whether the caller may redeem goods at a village's supermarket.
    pub fn may_redeem(&self, village: VillageId) -> bool {
        matches!(self.role, Role::Clerk | Role::VillageAdmin) && self.village == Some(village)
    }

    /// Whether the caller may change the town's oversight records:
    /// acceptance (验收), evaluation inputs, nominations and funds.
    pub fn may_run_town(&self) -> bool {
        self.role == Role::TownAdmin
    }

    /// Whether the caller may read a village's oversight records (its
    /// acceptance checklist, evaluation and funds): the town admin any
    /// village, a village admin their own, read-only.
    pub fn may_read_oversight(&self, village: VillageId) -> bool {
        match self.role {
            Role::TownAdmin => true,
            Role::VillageAdmin => self.village == Some(village),
            Role::Clerk | Role::Villager => false,
        }
    }

    /// Whether the caller may read one household's private data.
    pub fn may_read_household(&self, village: VillageId, household: HouseholdId) -> bool {
        self.may_read_village(village) || self.household == Some(household)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: Role, village: Option<i32>, household: Option<i32>) -> Caller {
        Caller {
            user: UserId(1),
            role,
            village: village.map(VillageId),
            household: household.map(HouseholdId),
        }
    }

    #[test]
    fn village_staff_are_confined_to_their_village() {
        let admin = caller(Role::VillageAdmin, Some(1), None);
        assert!(admin.may_read_village(VillageId(1)));
        assert!(!admin.may_read_village(VillageId(2)));
        assert!(admin.may_record_points(VillageId(1)));
        assert!(!admin.may_record_points(VillageId(2)));
        let clerk = caller(Role::Clerk, Some(1), None);
        assert!(clerk.may_redeem(VillageId(1)));
        assert!(!clerk.may_redeem(VillageId(2)));
        assert!(!clerk.may_record_points(VillageId(1)));
    }

    #[test]
    fn town_admin_reads_everywhere_but_does_not_run_a_counter() {
        let town = caller(Role::TownAdmin, None, None);
        assert!(town.may_read_village(VillageId(9)));
        assert!(!town.may_redeem(VillageId(9)));
        assert!(town.may_record_points(VillageId(9)));
    }

    #[test]
    fn office_village_is_the_admins_own_or_the_town_admins_pick() {
        let admin = caller(Role::VillageAdmin, Some(1), None);
        assert_eq!(admin.office_village(None), Some(VillageId(1)));
        assert_eq!(admin.office_village(Some(VillageId(1))), Some(VillageId(1)));
        assert_eq!(admin.office_village(Some(VillageId(2))), None);
        let town = caller(Role::TownAdmin, None, None);
        assert_eq!(town.office_village(None), None);
        assert_eq!(town.office_village(Some(VillageId(2))), Some(VillageId(2)));
        let clerk = caller(Role::Clerk, Some(1), None);
        assert_eq!(clerk.office_village(None), None);
    }

    #[test]
    fn villagers_see_only_their_household() {
        let v = caller(Role::Villager, Some(1), Some(5));
        assert!(!v.may_read_village(VillageId(1)));
        assert!(v.may_read_household(VillageId(1), HouseholdId(5)));
        assert!(!v.may_read_household(VillageId(1), HouseholdId(6)));
    }

    #[test]
    fn roles_round_trip() {
        for r in [
            Role::TownAdmin,
            Role::VillageAdmin,
            Role::Clerk,
            Role::Villager,
        ] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }
}
