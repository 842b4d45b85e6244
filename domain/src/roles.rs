//! Who may do what: roles and their village scope.

use serde::{Deserialize, Serialize};

use super::{GroupId, HouseholdId, UserId, VillageId};

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
    /// 评分员: a scoring-team member of one village (optionally one group)
    /// who proposes entries for the clerk to review and approves nothing.
    Scorer,
    /// 镇干部: town staff who read every village's records and write nothing.
    TownStaff,
}

impl Role {
    /// Stable text stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TownAdmin => "town_admin",
            Self::VillageAdmin => "village_admin",
            Self::Clerk => "clerk",
            Self::Villager => "villager",
            Self::Scorer => "scorer",
            Self::TownStaff => "town_staff",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "town_admin" => Some(Self::TownAdmin),
            "village_admin" => Some(Self::VillageAdmin),
            "clerk" => Some(Self::Clerk),
            "villager" => Some(Self::Villager),
            "scorer" => Some(Self::Scorer),
            "town_staff" => Some(Self::TownStaff),
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
            Self::Scorer => "评分员",
            Self::TownStaff => "镇干部",
        }
    }

    /// Where the role lands after login.
    pub fn home_path(self) -> &'static str {
        match self {
            Self::TownAdmin => "/town",
            Self::VillageAdmin => "/office",
            Self::Clerk => "/kiosk",
            Self::Villager => "/me",
            Self::Scorer => "/score",
            Self::TownStaff => "/town",
        }
    }
}

/// An act on a household's points that separation of duties governs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duty {
    /// Recording an award or deduction (also a batch or an activity's).
    Record,
    /// Proposing one for review (a scorer, or the office for its team).
    Propose,
    /// Approving or rejecting a proposal.
    Review,
    /// Correcting an entry by a reversal.
    Reverse,
    /// Redeeming goods at the counter.
    Redeem,
}

/// Why separation of duties refuses an act; the message says who should
/// do it instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DutyError {
    #[error("不能为自己家记分，请由其他工作人员办理")]
    OwnHouseholdRecord,
    #[error("不能为自己家提交评分，请由其他评分员提交")]
    OwnHouseholdPropose,
    #[error("不能审核自己家的记录，请由其他工作人员审核")]
    OwnHouseholdReview,
    #[error("不能更正自己家的记录，请由其他工作人员办理")]
    OwnHouseholdReverse,
    #[error("不能为自己家兑换，请由其他工作人员办理")]
    OwnHouseholdRedeem,
    #[error("不能审核自己提交的记录，请由其他工作人员审核")]
    OwnProposal,
}

/// The authenticated caller of a server function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caller {
    pub user: UserId,
    pub role: Role,
    pub village: Option<VillageId>,
    pub household: Option<HouseholdId>,
    /// The one group (组) a scorer is bound to, if any.
    pub group: Option<GroupId>,
}

impl Caller {
    /// Whether the caller may read a village's private data (members,
    /// addresses, pending entries). Villagers see only their own household.
    pub fn may_read_village(&self, village: VillageId) -> bool {
        match self.role {
            Role::TownAdmin | Role::TownStaff => true,
            Role::VillageAdmin | Role::Clerk => self.village == Some(village),
            Role::Villager | Role::Scorer => false,
        }
    }

    /// Whether the caller may run a village's back office: record, review and
    /// correct points, keep its households, publish its monthly ledger. The
    /// town admin may act on any village.
    pub fn may_record_points(&self, village: VillageId) -> bool {
        match self.role {
            Role::TownAdmin => true,
            Role::VillageAdmin => self.village == Some(village),
            _ => false,
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

    /// Whether the caller may read the town's records across villages
    /// (dashboards, acceptance, evaluation, funds, staff): the town admin,
    /// and town staff, who change nothing.
    pub fn may_read_town(&self) -> bool {
        matches!(self.role, Role::TownAdmin | Role::TownStaff)
    }

    /// Whether the caller may propose an entry for a household of this
    /// village and group: a scorer of the village (and of the group, when
    /// bound to one), or the village's own back office.
    pub fn may_propose(&self, village: VillageId, group: GroupId) -> bool {
        match self.role {
            Role::Scorer => self.village == Some(village) && self.group.is_none_or(|g| g == group),
            _ => self.may_record_points(village),
        }
    }

    /// Whether the caller may read a village's oversight records (its
    /// acceptance checklist, evaluation and funds): the town admin any
    /// village, a village admin their own, read-only.
    pub fn may_read_oversight(&self, village: VillageId) -> bool {
        match self.role {
            Role::TownAdmin | Role::TownStaff => true,
            Role::VillageAdmin => self.village == Some(village),
            _ => false,
        }
    }

    /// Separation of duties: staff may not score, approve, correct or
    /// redeem for the household they live in. A villager's own acts for
    /// their household (declaring a deed) are not staff duties.
    pub fn check_duty(&self, duty: Duty, household: HouseholdId) -> Result<(), DutyError> {
        if self.role == Role::Villager || self.household != Some(household) {
            return Ok(());
        }
        Err(match duty {
            Duty::Record => DutyError::OwnHouseholdRecord,
            Duty::Propose => DutyError::OwnHouseholdPropose,
            Duty::Review => DutyError::OwnHouseholdReview,
            Duty::Reverse => DutyError::OwnHouseholdReverse,
            Duty::Redeem => DutyError::OwnHouseholdRedeem,
        })
    }

    /// Separation of duties on review: whoever proposed an entry cannot
    /// approve it, nor anyone approve their own household's.
    pub fn check_review(
        &self,
        proposed_by: UserId,
        household: HouseholdId,
    ) -> Result<(), DutyError> {
        if proposed_by == self.user {
            return Err(DutyError::OwnProposal);
        }
        self.check_duty(Duty::Review, household)
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
            group: None,
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
    fn town_staff_read_everything_and_write_nothing() {
        let staff = caller(Role::TownStaff, None, None);
        assert!(staff.may_read_town());
        assert!(staff.may_read_village(VillageId(3)));
        assert!(staff.may_read_oversight(VillageId(3)));
        assert!(!staff.may_run_town());
        assert!(!staff.may_record_points(VillageId(3)));
        assert!(!staff.may_redeem(VillageId(3)));
        assert_eq!(staff.office_village(Some(VillageId(3))), None);
    }

    #[test]
    fn a_scorer_proposes_in_their_village_and_group_and_records_nothing() {
        let mut s = caller(Role::Scorer, Some(1), None);
        assert!(s.may_propose(VillageId(1), GroupId(4)));
        assert!(!s.may_propose(VillageId(2), GroupId(4)));
        s.group = Some(GroupId(5));
        assert!(s.may_propose(VillageId(1), GroupId(5)));
        assert!(!s.may_propose(VillageId(1), GroupId(4)));
        assert!(!s.may_record_points(VillageId(1)));
        assert!(!s.may_read_village(VillageId(1)));
        assert!(!s.may_redeem(VillageId(1)));
        assert!(!s.may_read_town());
    }

    #[test]
    fn staff_may_not_act_for_their_own_household() {
        let mut clerk = caller(Role::VillageAdmin, Some(1), Some(7));
        assert_eq!(
            clerk.check_duty(Duty::Record, HouseholdId(7)),
            Err(DutyError::OwnHouseholdRecord)
        );
        assert_eq!(
            clerk.check_duty(Duty::Redeem, HouseholdId(7)),
            Err(DutyError::OwnHouseholdRedeem)
        );
        assert_eq!(clerk.check_duty(Duty::Record, HouseholdId(8)), Ok(()));
        clerk.household = None;
        assert_eq!(clerk.check_duty(Duty::Reverse, HouseholdId(7)), Ok(()));
        // A villager declaring for their own household is not a staff duty.
        let v = caller(Role::Villager, Some(1), Some(7));
        assert_eq!(v.check_duty(Duty::Propose, HouseholdId(7)), Ok(()));
    }

    #[test]
    fn a_proposer_cannot_approve_their_own_proposal() {
        let clerk = caller(Role::VillageAdmin, Some(1), None);
        assert_eq!(
            clerk.check_review(UserId(1), HouseholdId(3)),
            Err(DutyError::OwnProposal)
        );
        assert_eq!(clerk.check_review(UserId(2), HouseholdId(3)), Ok(()));
        let lives_there = caller(Role::VillageAdmin, Some(1), Some(3));
        assert_eq!(
            lives_there.check_review(UserId(2), HouseholdId(3)),
            Err(DutyError::OwnHouseholdReview)
        );
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
            Role::Scorer,
            Role::TownStaff,
        ] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }
}
