//! Points activities (积分活动) on the database: the clerk creates and
//! publishes them, households sign members up (or the clerk does it for
//! them), the clerk checks people in, and once it is over one click awards
//! every participant's points as ledger entries linked to it, once.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use super::entities::{activity, activity_signup, household, member, rule_item};
use super::ledger::NewEntry;
use super::{audit, Db};
use crate::domain::activity::{
    check_award, check_cancel_reason, check_check_in, check_form, check_signup, check_withdraw,
    ActivityError, ActivityForm, ActivityStatus,
};
use crate::domain::roles::Caller;
use crate::domain::time::china_date;
use crate::domain::{HouseholdId, MemberId, RuleItemId, VillageId};
use crate::error::AppError;

fn refused(e: ActivityError) -> AppError {
    AppError::invalid(e.to_string())
}

fn status_of(a: &activity::Model) -> ActivityStatus {
    ActivityStatus::parse(&a.status).unwrap_or(ActivityStatus::Draft)
}

async fn load(db: &Db, id: i32) -> Result<activity::Model, AppError> {
    activity::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该活动"))
}

/// A member and their household.
async fn member_and_household<C: ConnectionTrait>(
    conn: &C,
    member_id: MemberId,
) -> Result<(member::Model, household::Model), AppError> {
    let m = member::Entity::find_by_id(member_id.0)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该家庭成员"))?;
    let hh = household::Entity::find_by_id(m.household_id)
        .one(conn)
        .await?
        .ok_or(AppError::Internal)?;
    Ok((m, hh))
}

/// A member's row for an activity (signed up, withdrawn or checked in).
async fn signup_of<C: ConnectionTrait>(
    conn: &C,
    activity_id: i32,
    member_id: i32,
) -> Result<Option<activity_signup::Model>, AppError> {
    Ok(activity_signup::Entity::find()
        .filter(activity_signup::Column::ActivityId.eq(activity_id))
        .filter(activity_signup::Column::MemberId.eq(member_id))
        .one(conn)
        .await?)
}

/// Creates a draft activity of a village, awarding `rule_item` to each
/// participant.
pub async fn create(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    form: ActivityForm,
    description: &str,
    rule_item: RuleItemId,
    now: DateTime<Utc>,
) -> Result<activity::Model, AppError> {
    if !caller.may_record_points(village) {
        return Err(AppError::Forbidden);
    }
    let form = check_form(form).map_err(refused)?;
    let item = rule_item::Entity::find_by_id(rule_item.0)
        .one(&db.conn)
        .await?
        .filter(|i| i.village_id == village.0 && i.points > 0)
        .ok_or_else(|| AppError::invalid("请选择本村的加分细则作为参与积分"))?;
    let txn = db.write().await?;
    let a = activity::ActiveModel {
        village_id: Set(village.0),
        title: Set(form.title),
        description: Set(description.trim().chars().take(2000).collect()),
        category: Set(form.category),
        place: Set(form.place),
        starts_at: Set(form.starts_at),
        ends_at: Set(form.ends_at),
        signup_deadline: Set(form.signup_deadline),
        capacity: Set(form.capacity),
        rule_item_id: Set(item.id),
        status: Set(ActivityStatus::Draft.as_str().into()),
        created_by: Set(caller.user.0),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "create_activity",
        "activity",
        Some(a.id),
        a.title.clone(),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(a)
}

/// Moves an activity to `to`: draft → published, published → cancelled
/// (with a reason) or finished.
pub async fn set_status(
    db: &Db,
    caller: &Caller,
    id: i32,
    to: ActivityStatus,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<activity::Model, AppError> {
    let txn = db.write().await?;
    let a = activity::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该活动"))?;
    if !caller.may_record_points(VillageId(a.village_id)) {
        return Err(AppError::Forbidden);
    }
    let from = status_of(&a);
    let allowed = matches!(
        (from, to),
        (ActivityStatus::Draft, ActivityStatus::Published)
            | (ActivityStatus::Draft, ActivityStatus::Cancelled)
            | (ActivityStatus::Published, ActivityStatus::Cancelled)
            | (ActivityStatus::Published, ActivityStatus::Finished)
    );
    if !allowed {
        return Err(AppError::Conflict(format!(
            "活动已是“{}”，不能改为“{}”",
            from.label(),
            to.label()
        )));
    }
    let cancel_reason = if to == ActivityStatus::Cancelled {
        Some(check_cancel_reason(reason).map_err(refused)?)
    } else {
        None
    };
    let mut m: activity::ActiveModel = a.into();
    m.status = Set(to.as_str().into());
    if cancel_reason.is_some() {
        m.cancel_reason = Set(cancel_reason);
    }
    let a = m.update(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "activity_status",
        "activity",
        Some(a.id),
        to.as_str().into(),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(a)
}

/// Signs a member of a household up. A villager signs up their own
/// household's members; the village's staff may sign up anyone of the
/// village (代报名, recorded as assisted).
pub async fn sign_up(
    db: &Db,
    caller: &Caller,
    activity_id: i32,
    member_id: MemberId,
    now: DateTime<Utc>,
) -> Result<activity_signup::Model, AppError> {
    let txn = db.write().await?;
    let a = activity::Entity::find_by_id(activity_id)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该活动"))?;
    let (m, hh) = member_and_household(&*txn, member_id).await?;
    let village = VillageId(hh.village_id);
    let own = caller.household == Some(HouseholdId(hh.id));
    let staff = caller.may_record_points(village);
    if a.village_id != hh.village_id || !(own || staff) {
        return Err(AppError::Forbidden);
    }
    let signed = activity_signup::Entity::find()
        .filter(activity_signup::Column::ActivityId.eq(a.id))
        .filter(activity_signup::Column::WithdrawnAt.is_null())
        .count(&*txn)
        .await? as i32;
    let mine = signup_of(&*txn, a.id, m.id).await?;
    let already = mine.as_ref().is_some_and(|s| s.withdrawn_at.is_none());
    check_signup(
        status_of(&a),
        a.signup_deadline,
        a.capacity,
        signed,
        already,
        now,
    )
    .map_err(refused)?;
    let row = match mine {
        // Signing up again after withdrawing reopens the same row.
        Some(s) => {
            let mut s: activity_signup::ActiveModel = s.into();
            s.withdrawn_at = Set(None);
            s.signed_up_by = Set(caller.user.0);
            s.assisted = Set(!own);
            s.created_at = Set(now);
            s.update(&*txn).await?
        }
        None => {
            activity_signup::ActiveModel {
                activity_id: Set(a.id),
                household_id: Set(hh.id),
                member_id: Set(m.id),
                signed_up_by: Set(caller.user.0),
                assisted: Set(!own),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&*txn)
            .await?
        }
    };
    let how = if own { "self" } else { "assisted" };
    audit::record(
        &*txn,
        Some(caller.user),
        "activity_signup",
        "activity_signup",
        Some(row.id),
        format!("{how}: member {}", m.id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Withdraws a sign-up before the deadline.
pub async fn withdraw(
    db: &Db,
    caller: &Caller,
    signup_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = db.write().await?;
    let s = activity_signup::Entity::find_by_id(signup_id)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该报名"))?;
    let a = activity::Entity::find_by_id(s.activity_id)
        .one(&*txn)
        .await?
        .ok_or(AppError::Internal)?;
    let own = caller.household == Some(HouseholdId(s.household_id));
    if !(own || caller.may_record_points(VillageId(a.village_id))) {
        return Err(AppError::Forbidden);
    }
    check_withdraw(a.signup_deadline, now).map_err(refused)?;
    if s.checked_in_at.is_some() {
        return Err(AppError::invalid("已签到，不能取消报名"));
    }
    let mut m: activity_signup::ActiveModel = s.into();
    m.withdrawn_at = Set(Some(now));
    let s = m.update(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "activity_withdraw",
        "activity_signup",
        Some(s.id),
        String::new(),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The village's activities, soonest first.
pub async fn list(db: &Db, village: VillageId) -> Result<Vec<activity::Model>, AppError> {
    Ok(activity::Entity::find()
        .filter(activity::Column::VillageId.eq(village.0))
        .order_by_desc(activity::Column::StartsAt)
        .all(&db.conn)
        .await?)
}

/// Checks a member in (the clerk ticks a list or scans the household card
/// and picks who came). Someone who did not sign up is added as they come.
pub async fn check_in(
    db: &Db,
    caller: &Caller,
    activity_id: i32,
    member_id: MemberId,
    now: DateTime<Utc>,
) -> Result<activity_signup::Model, AppError> {
    let a = load(db, activity_id).await?;
    if !caller.may_record_points(VillageId(a.village_id)) {
        return Err(AppError::Forbidden);
    }
    check_check_in(status_of(&a), a.starts_at, a.awarded_at.is_some(), now).map_err(refused)?;
    let txn = db.write().await?;
    let (m, hh) = member_and_household(&*txn, member_id).await?;
    if hh.village_id != a.village_id {
        return Err(AppError::invalid("不是本村农户，不能签到"));
    }
    let existing = signup_of(&*txn, a.id, m.id).await?;
    let row = match existing {
        Some(s) if s.checked_in_at.is_some() && s.withdrawn_at.is_none() => s,
        Some(s) => {
            let mut s: activity_signup::ActiveModel = s.into();
            s.withdrawn_at = Set(None);
            s.checked_in_at = Set(Some(now));
            s.checked_in_by = Set(Some(caller.user.0));
            s.update(&*txn).await?
        }
        None => {
            activity_signup::ActiveModel {
                activity_id: Set(a.id),
                household_id: Set(hh.id),
                member_id: Set(m.id),
                signed_up_by: Set(caller.user.0),
                assisted: Set(true),
                created_at: Set(now),
                checked_in_at: Set(Some(now)),
                checked_in_by: Set(Some(caller.user.0)),
                ..Default::default()
            }
            .insert(&*txn)
            .await?
        }
    };
    audit::record(
        &*txn,
        Some(caller.user),
        "activity_check_in",
        "activity_signup",
        Some(row.id),
        format!("member {}", m.id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Awards the activity's rule item to every member checked in, as approved
/// entries linked to the activity, in one transaction: all or nothing, and
/// never twice (the activity is marked awarded in the same transaction).
pub async fn award(
    db: &Db,
    caller: &Caller,
    activity_id: i32,
    now: DateTime<Utc>,
) -> Result<Vec<super::entities::ledger_entry::Model>, AppError> {
    let txn = db.write().await?;
    let a = activity::Entity::find_by_id(activity_id)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该活动"))?;
    if !caller.may_record_points(VillageId(a.village_id)) {
        return Err(AppError::Forbidden);
    }
    check_award(status_of(&a), a.ends_at, a.awarded_at.is_some(), now).map_err(refused)?;
    let present = activity_signup::Entity::find()
        .filter(activity_signup::Column::ActivityId.eq(a.id))
        .filter(activity_signup::Column::CheckedInAt.is_not_null())
        .filter(activity_signup::Column::WithdrawnAt.is_null())
        .order_by_asc(activity_signup::Column::Id)
        .all(&*txn)
        .await?;
    if present.is_empty() {
        return Err(AppError::invalid("还没有人签到，无法发放积分"));
    }
    let reason = format!("参加活动：{}", a.title);
    let mut entries = Vec::with_capacity(present.len());
    for p in &present {
        let input = NewEntry {
            household: HouseholdId(p.household_id),
            member: Some(MemberId(p.member_id)),
            evidence: None,
            rule_item: RuleItemId(a.rule_item_id),
            reason: reason.clone(),
            occurred_on: china_date(a.starts_at),
        };
        entries
            .push(super::ledger::record_in(&txn, caller, &input, &reason, Some(a.id), now).await?);
    }
    let mut m: activity::ActiveModel = a.into();
    m.awarded_at = Set(Some(now));
    m.status = Set(ActivityStatus::Finished.as_str().into());
    let a = m.update(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "activity_award",
        "activity",
        Some(a.id),
        format!("{} entries", entries.len()),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(entries)
}
