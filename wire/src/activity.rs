//! What crosses the network for points activities (积分活动): the public lists and
//! page, a villager's sign-ups, and the clerk's publishing, check-in and
//! award.

use crate::types::OfficeHousehold;
use domain::activity::ActivityStatus;
use domain::{ActivityId, HouseholdId, MemberId, RuleItemId, SignupId, VillageId};
use serde::{Deserialize, Serialize};

/// An activity in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivitySummary {
    pub id: ActivityId,
    pub village_id: VillageId,
    pub village_name: String,
    pub title: String,
    pub category: String,
    pub place: String,
    /// China time, "2026-11-29 09:00".
    pub starts: String,
    /// China time; only the clock when on the day it starts.
    pub ends: String,
    pub deadline: String,
    pub status: ActivityStatus,
    pub status_label: String,
    /// Published and not yet over.
    pub upcoming: bool,
    pub signed_up: i64,
    pub checked_in: i64,
    pub capacity: Option<i32>,
    /// Points per participant.
    pub points: i32,
    pub awarded: bool,
    /// Address of the cover photo, if it has one.
    pub photo: Option<String>,
}

/// 场次 and 人次 of a village's month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthFigure {
    pub month: i32,
    pub label: String,
    /// Activities held.
    pub held: usize,
    /// Participant person-times (check-ins).
    pub people: i64,
    /// At least 2 activities and 20 person-times (the plan's targets).
    pub meets_plan: bool,
}

/// A village's activities: the monthly figures, then upcoming soonest
/// first, then past latest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityLists {
    /// This month first.
    pub months: Vec<MonthFigure>,
    pub upcoming: Vec<ActivitySummary>,
    pub past: Vec<ActivitySummary>,
}

/// An activity's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityView {
    pub summary: ActivitySummary,
    pub description: String,
    pub rule_title: String,
    pub cancel_reason: Option<String>,
    /// Sign-up (and withdrawing) is open now.
    pub signup_open: bool,
    /// Check-in is open now (the clerk's page).
    pub check_in_open: bool,
    /// The points can be awarded now.
    pub award_open: bool,
    /// China time the points were awarded.
    pub awarded_at: Option<String>,
}

/// A member of the signed-in villager's household and their sign-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberSignup {
    pub member: MemberId,
    pub name: String,
    pub relation: String,
    /// The sign-up row, while signed up (not withdrawn).
    pub signup: Option<SignupId>,
    pub checked_in: bool,
}

/// One person on the clerk's check-in list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterRow {
    pub signup: SignupId,
    pub household: HouseholdId,
    pub card_no: String,
    pub head_name: String,
    pub member: MemberId,
    pub member_name: String,
    /// Signed up by the clerk (代报名) or added at the door.
    pub assisted: bool,
    pub checked_in: bool,
}

/// The clerk's page of an activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityDesk {
    pub detail: ActivityView,
    /// Signed up or checked in, by card number.
    pub roster: Vec<RosterRow>,
}

/// A household whose card was scanned at check-in, its members and where
/// each stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardAtActivity {
    pub household: OfficeHousehold,
    pub members: Vec<MemberSignup>,
}

/// What one click of 发放积分 did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Awarded {
    pub people: usize,
    pub households: usize,
    pub points: i64,
}

/// The clerk's form for a new activity; times are China time
/// `YYYY-MM-DDTHH:MM`, an empty deadline means the start, an empty
/// capacity no limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewActivity {
    pub title: String,
    pub description: String,
    pub category: String,
    pub place: String,
    pub starts: String,
    pub ends: String,
    pub deadline: String,
    pub capacity: String,
    pub rule_item: Option<RuleItemId>,
}
