//! What crosses the network for staff accounts (`/town/staff`, town admin) and of
//! changing one's own password (`/me/password`, every staff member).

use domain::roles::Role;
use domain::{GroupId, UserId, VillageId};
use serde::{Deserialize, Serialize};

/// One staff account as the town's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffView {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub role_label: String,
    pub village: Option<(VillageId, String)>,
    pub group: Option<(GroupId, String)>,
    pub phone: Option<String>,
    /// The card number of the household the staff member lives in.
    pub household_card: Option<String>,
    pub active: bool,
    /// Still holds its one-time password.
    pub must_change_password: bool,
    pub created_at: String,
    /// The latest sign-in of a still-kept session.
    pub last_login: Option<String>,
}

/// A village (and its groups) in the account form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffVillage {
    pub id: VillageId,
    pub name: String,
    pub taking_part: bool,
    pub groups: Vec<(GroupId, String)>,
}

/// The staff page: every account and what the form offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffPage {
    pub accounts: Vec<StaffView>,
    pub villages: Vec<StaffVillage>,
    pub roles: Vec<(Role, String)>,
    /// The caller may change accounts (the town admin; town staff read).
    pub may_write: bool,
}

/// A staff account as the form sends it, to create or change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewStaff {
    /// Ignored when an account is changed: a user name is for good.
    pub username: String,
    pub display_name: String,
    pub phone: String,
    pub role: Role,
    pub village: Option<VillageId>,
    /// A scorer's one group, if bound to one.
    pub group: Option<GroupId>,
    /// The card number of the household the staff member lives in (empty
    /// for none): they may not score, approve or redeem for it.
    pub household_card: String,
}

/// A one-time password, shown once: after creating or resetting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OneTimePassword {
    pub account: StaffView,
    pub password: String,
}
