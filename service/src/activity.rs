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
use super::files::{self, RouteCaller, StoredFile};
use super::ledger::NewEntry;
use super::{audit, Db};
use domain::activity::{
    check_award, check_cancel_reason, check_check_in, check_finish, check_form, check_signup,
    check_withdraw, ActivityError, ActivityForm, ActivityStatus,
};
use domain::roles::Caller;
use domain::time::china_date;
use domain::{ActivityId, HouseholdId, MemberId, RuleItemId, SignupId, VillageId};
use wire::AppError;

fn status_of(a: &activity::Model) -> ActivityStatus {
    ActivityStatus::parse(&a.status).unwrap_or(ActivityStatus::Draft)
}

async fn load<C: ConnectionTrait>(conn: &C, id: ActivityId) -> Result<activity::Model, AppError> {
    activity::Entity::find_by_id(id.0)
        .one(conn)
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
    let form = check_form(form)?;
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
    id: ActivityId,
    to: ActivityStatus,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<activity::Model, AppError> {
    let txn = db.write().await?;
    let a = load(&*txn, id).await?;
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
    if to == ActivityStatus::Finished {
        check_finish(a.starts_at, now)?;
    }
    let cancel_reason = if to == ActivityStatus::Cancelled {
        Some(check_cancel_reason(reason)?)
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
    activity_id: ActivityId,
    member_id: MemberId,
    now: DateTime<Utc>,
) -> Result<activity_signup::Model, AppError> {
    let txn = db.write().await?;
    let a = load(&*txn, activity_id).await?;
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
    )?;
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
    signup_id: SignupId,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = db.write().await?;
    let s = activity_signup::Entity::find_by_id(signup_id.0)
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
    check_withdraw(a.signup_deadline, now)?;
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
    activity_id: ActivityId,
    member_id: MemberId,
    now: DateTime<Utc>,
) -> Result<activity_signup::Model, AppError> {
    let a = load(&db.conn, activity_id).await?;
    if !caller.may_record_points(VillageId(a.village_id)) {
        return Err(AppError::Forbidden);
    }
    check_check_in(status_of(&a), a.starts_at, a.awarded_at.is_some(), now)?;
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
    activity_id: ActivityId,
    now: DateTime<Utc>,
) -> Result<Vec<super::entities::ledger_entry::Model>, AppError> {
    let txn = db.write().await?;
    let a = load(&*txn, activity_id).await?;
    if !caller.may_record_points(VillageId(a.village_id)) {
        return Err(AppError::Forbidden);
    }
    check_award(status_of(&a), a.ends_at, a.awarded_at.is_some(), now)?;
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

/// Takes a member's check-in back (a wrong tick), until the points are
/// awarded.
pub async fn undo_check_in(
    db: &Db,
    caller: &Caller,
    activity_id: ActivityId,
    member_id: MemberId,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = db.write().await?;
    let a = load(&*txn, activity_id).await?;
    if !caller.may_record_points(VillageId(a.village_id)) {
        return Err(AppError::Forbidden);
    }
    if a.awarded_at.is_some() {
        return Err(AppError::from(ActivityError::AlreadyAwarded));
    }
    let Some(s) = signup_of(&*txn, a.id, member_id.0).await? else {
        return Ok(());
    };
    if s.checked_in_at.is_none() {
        return Ok(());
    }
    let mut m: activity_signup::ActiveModel = s.into();
    m.checked_in_at = Set(None);
    m.checked_in_by = Set(None);
    let s = m.update(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "activity_undo_check_in",
        "activity_signup",
        Some(s.id),
        format!("member {}", member_id.0),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---- Read models -------------------------------------------------------

use std::collections::HashMap;

use sea_orm::QuerySelect;

use super::entities::village;
use domain::activity::{month_figures, HeldActivity};
use domain::time::{china_minute, china_offset, month_key, month_label, previous_month};
use wire::activity::{
    ActivityDesk, ActivityLists, ActivitySummary, ActivityView, CardAtActivity, MemberSignup,
    MonthFigure, RosterRow,
};

/// How many months of 场次/人次 a village's list shows.
const MONTHS_SHOWN: usize = 6;
/// How many past activities a list shows.
const PAST_SHOWN: usize = 40;

/// Reads the clerk's form; times are China time as a `datetime-local`
/// field sends them, an empty deadline is [`default_deadline`].
#[allow(clippy::too_many_arguments)]
pub fn parse_form(
    title: String,
    category: String,
    place: String,
    starts: &str,
    ends: &str,
    deadline: &str,
    capacity: &str,
    now: DateTime<Utc>,
) -> Result<ActivityForm, AppError> {
    let time = |s: &str, what: &str| -> Result<DateTime<Utc>, AppError> {
        let s = s.trim().replace(' ', "T");
        chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M")
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S"))
            .ok()
            .and_then(|t| t.and_local_timezone(china_offset()).single())
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| AppError::invalid(format!("请填写{what}")))
    };
    let starts_at = time(starts, "开始时间")?;
    let ends_at = time(ends, "结束时间")?;
    let signup_deadline = if deadline.trim().is_empty() {
        domain::activity::default_deadline(starts_at, now)
    } else {
        time(deadline, "报名截止时间")?
    };
    let capacity = match capacity.trim() {
        "" => None,
        c => Some(
            c.parse::<i32>()
                .map_err(|_| AppError::from(ActivityError::BadCapacity))?,
        ),
    };
    Ok(ActivityForm {
        title,
        category,
        place,
        starts_at,
        ends_at,
        signup_deadline,
        capacity,
    })
}

/// Sign-ups (not withdrawn) and check-ins of each activity.
async fn counts(db: &Db, ids: &[i32]) -> Result<HashMap<i32, (i64, i64)>, AppError> {
    let rows: Vec<(i32, Option<DateTime<Utc>>)> = activity_signup::Entity::find()
        .select_only()
        .column(activity_signup::Column::ActivityId)
        .column(activity_signup::Column::CheckedInAt)
        .filter(activity_signup::Column::ActivityId.is_in(ids.iter().copied()))
        .filter(activity_signup::Column::WithdrawnAt.is_null())
        .into_tuple()
        .all(&db.conn)
        .await?;
    let mut out: HashMap<i32, (i64, i64)> = HashMap::new();
    for (id, checked) in rows {
        let c = out.entry(id).or_default();
        c.0 += 1;
        c.1 += i64::from(checked.is_some());
    }
    Ok(out)
}

/// List rows of activities, in the order given.
async fn summaries(
    db: &Db,
    list: Vec<activity::Model>,
    now: DateTime<Utc>,
) -> Result<Vec<ActivitySummary>, AppError> {
    let ids: Vec<i32> = list.iter().map(|a| a.id).collect();
    let counts = counts(db, &ids).await?;
    let villages: HashMap<i32, String> = village::Entity::find()
        .filter(village::Column::Id.is_in(list.iter().map(|a| a.village_id)))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect();
    let points: HashMap<i32, i32> = rule_item::Entity::find()
        .filter(rule_item::Column::Id.is_in(list.iter().map(|a| a.rule_item_id)))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i.points))
        .collect();
    Ok(list
        .into_iter()
        .map(|a| {
            let status = status_of(&a);
            let (signed_up, checked_in) = counts.get(&a.id).copied().unwrap_or_default();
            let ends = if china_date(a.ends_at) == china_date(a.starts_at) {
                a.ends_at
                    .with_timezone(&china_offset())
                    .format("%H:%M")
                    .to_string()
            } else {
                china_minute(a.ends_at)
            };
            ActivitySummary {
                id: ActivityId(a.id),
                village_id: VillageId(a.village_id),
                village_name: villages.get(&a.village_id).cloned().unwrap_or_default(),
                starts: china_minute(a.starts_at),
                ends,
                deadline: china_minute(a.signup_deadline),
                status,
                status_label: status.label().into(),
                upcoming: is_upcoming(&a, now),
                signed_up,
                checked_in,
                capacity: a.capacity,
                points: points.get(&a.rule_item_id).copied().unwrap_or_default(),
                awarded: a.awarded_at.is_some(),
                photo: a.photo_path.as_deref().map(|p| photo_url(a.id, p)),
                title: a.title,
                category: a.category,
                place: a.place,
            }
        })
        .collect())
}

/// Not yet over and still on (a draft counts for the clerk's list).
fn is_upcoming(a: &activity::Model, now: DateTime<Utc>) -> bool {
    matches!(
        status_of(a),
        ActivityStatus::Draft | ActivityStatus::Published
    ) && a.ends_at > now
}

/// Splits activities (any order) into upcoming soonest first and past
/// latest first, with the monthly figures of the last months.
async fn split(
    db: &Db,
    mut list: Vec<activity::Model>,
    now: DateTime<Utc>,
    with_months: bool,
) -> Result<ActivityLists, AppError> {
    let months = if with_months {
        let held: Vec<HeldActivity> = {
            let ids: Vec<i32> = list.iter().map(|a| a.id).collect();
            let counts = counts(db, &ids).await?;
            list.iter()
                .map(|a| HeldActivity {
                    status: status_of(a),
                    starts_at: a.starts_at,
                    checked_in: counts.get(&a.id).map(|c| c.1).unwrap_or_default(),
                })
                .collect()
        };
        let mut month = month_key(china_date(now));
        let mut out = Vec::with_capacity(MONTHS_SHOWN);
        for _ in 0..MONTHS_SHOWN {
            let (n, people) = month_figures(&held, month);
            out.push(MonthFigure {
                month,
                label: month_label(month),
                held: n,
                people,
                meets_plan: n >= 2 && people >= 20,
            });
            month = previous_month(month);
        }
        out
    } else {
        Vec::new()
    };
    list.sort_by_key(|a| a.starts_at);
    let (upcoming, mut past): (Vec<_>, Vec<_>) =
        list.into_iter().partition(|a| is_upcoming(a, now));
    past.reverse();
    past.truncate(PAST_SHOWN);
    Ok(ActivityLists {
        months,
        upcoming: summaries(db, upcoming, now).await?,
        past: summaries(db, past, now).await?,
    })
}

/// A village's public list: every activity but drafts.
pub async fn village_list(
    db: &Db,
    village: VillageId,
    now: DateTime<Utc>,
) -> Result<ActivityLists, AppError> {
    village::Entity::find_by_id(village.0)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该村（社区）"))?;
    let list = activity::Entity::find()
        .filter(activity::Column::VillageId.eq(village.0))
        .filter(activity::Column::Status.ne(ActivityStatus::Draft.as_str()))
        .all(&db.conn)
        .await?;
    split(db, list, now, true).await
}

/// The back office's list: drafts included.
pub async fn office_list(
    db: &Db,
    village: VillageId,
    now: DateTime<Utc>,
) -> Result<ActivityLists, AppError> {
    let list = activity::Entity::find()
        .filter(activity::Column::VillageId.eq(village.0))
        .all(&db.conn)
        .await?;
    split(db, list, now, true).await
}

/// The town-wide list: upcoming activities of every village, then the
/// latest past ones.
pub async fn town_list(db: &Db, now: DateTime<Utc>) -> Result<ActivityLists, AppError> {
    let upcoming = activity::Entity::find()
        .filter(activity::Column::Status.eq(ActivityStatus::Published.as_str()))
        .filter(activity::Column::EndsAt.gt(now))
        .all(&db.conn)
        .await?;
    let past = activity::Entity::find()
        .filter(activity::Column::Status.ne(ActivityStatus::Draft.as_str()))
        .filter(
            sea_orm::Condition::any()
                .add(activity::Column::Status.is_in([
                    ActivityStatus::Finished.as_str(),
                    ActivityStatus::Cancelled.as_str(),
                ]))
                .add(activity::Column::EndsAt.lte(now)),
        )
        .order_by_desc(activity::Column::StartsAt)
        .limit(PAST_SHOWN as u64)
        .all(&db.conn)
        .await?;
    let mut list = upcoming;
    list.extend(past.into_iter().filter(|a| !is_upcoming(a, now)));
    split(db, list, now, false).await
}

async fn detail_of(
    db: &Db,
    a: activity::Model,
    now: DateTime<Utc>,
) -> Result<ActivityView, AppError> {
    let status = status_of(&a);
    let rule_title = rule_item::Entity::find_by_id(a.rule_item_id)
        .one(&db.conn)
        .await?
        .map(|i| i.title)
        .unwrap_or_default();
    let signup_open = status == ActivityStatus::Published && now <= a.signup_deadline;
    let awarded = a.awarded_at.is_some();
    let check_in_open = check_check_in(status, a.starts_at, awarded, now).is_ok();
    let award_open = check_award(status, a.ends_at, awarded, now).is_ok();
    let description = a.description.clone();
    let cancel_reason = a.cancel_reason.clone();
    let awarded_at = a.awarded_at.map(china_minute);
    let summary = summaries(db, vec![a], now)
        .await?
        .pop()
        .ok_or(AppError::Internal)?;
    Ok(ActivityView {
        summary,
        description,
        rule_title,
        cancel_reason,
        signup_open,
        check_in_open,
        award_open,
        awarded_at,
    })
}

/// An activity's public page; a draft is not found.
pub async fn public_detail(
    db: &Db,
    id: ActivityId,
    now: DateTime<Utc>,
) -> Result<ActivityView, AppError> {
    let a = load(&db.conn, id).await?;
    if status_of(&a) == ActivityStatus::Draft {
        return Err(AppError::not_found("找不到该活动"));
    }
    detail_of(db, a, now).await
}

/// An activity of the village with its check-in list.
pub async fn office_detail(
    db: &Db,
    village: VillageId,
    id: ActivityId,
    now: DateTime<Utc>,
) -> Result<ActivityDesk, AppError> {
    let a = load(&db.conn, id).await?;
    if a.village_id != village.0 {
        return Err(AppError::not_found("找不到该活动"));
    }
    let rows = activity_signup::Entity::find()
        .filter(activity_signup::Column::ActivityId.eq(a.id))
        .filter(activity_signup::Column::WithdrawnAt.is_null())
        .all(&db.conn)
        .await?;
    let households: HashMap<i32, household::Model> = household::Entity::find()
        .filter(household::Column::Id.is_in(rows.iter().map(|r| r.household_id)))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let members: HashMap<i32, String> = member::Entity::find()
        .filter(member::Column::Id.is_in(rows.iter().map(|r| r.member_id)))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let mut roster: Vec<RosterRow> = rows
        .into_iter()
        .map(|r| {
            let hh = households.get(&r.household_id);
            RosterRow {
                signup: SignupId(r.id),
                household: HouseholdId(r.household_id),
                card_no: hh.map(|h| h.card_no.clone()).unwrap_or_default(),
                head_name: hh.map(|h| h.head_name.clone()).unwrap_or_default(),
                member: MemberId(r.member_id),
                member_name: members.get(&r.member_id).cloned().unwrap_or_default(),
                assisted: r.assisted,
                checked_in: r.checked_in_at.is_some(),
            }
        })
        .collect();
    roster.sort_by(|x, y| (&x.card_no, x.member).cmp(&(&y.card_no, y.member)));
    Ok(ActivityDesk {
        detail: detail_of(db, a, now).await?,
        roster,
    })
}

/// A household's members and where each stands at an activity.
async fn member_states(
    db: &Db,
    activity_id: i32,
    household_id: i32,
) -> Result<Vec<MemberSignup>, AppError> {
    let people = member::Entity::find()
        .filter(member::Column::HouseholdId.eq(household_id))
        .order_by_desc(member::Column::IsHead)
        .order_by_asc(member::Column::Id)
        .all(&db.conn)
        .await?;
    let rows: HashMap<i32, activity_signup::Model> = activity_signup::Entity::find()
        .filter(activity_signup::Column::ActivityId.eq(activity_id))
        .filter(activity_signup::Column::HouseholdId.eq(household_id))
        .filter(activity_signup::Column::WithdrawnAt.is_null())
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|s| (s.member_id, s))
        .collect();
    Ok(people
        .into_iter()
        .map(|m| {
            let row = rows.get(&m.id);
            MemberSignup {
                member: MemberId(m.id),
                signup: row.map(|s| SignupId(s.id)),
                checked_in: row.is_some_and(|s| s.checked_in_at.is_some()),
                name: m.name,
                relation: m.relation,
            }
        })
        .collect())
}

/// The villager's own household's members at an activity of their village;
/// `None` for anyone else.
pub async fn my_members(
    db: &Db,
    caller: &Caller,
    id: ActivityId,
) -> Result<Option<Vec<MemberSignup>>, AppError> {
    let Some(hh) = caller.household else {
        return Ok(None);
    };
    let a = load(&db.conn, id).await?;
    let Some(h) = household::Entity::find_by_id(hh.0).one(&db.conn).await? else {
        return Ok(None);
    };
    if h.village_id != a.village_id || status_of(&a) == ActivityStatus::Draft {
        return Ok(None);
    }
    Ok(Some(member_states(db, a.id, h.id).await?))
}

/// A household of the village and its members at an activity, for the
/// clerk signing them up.
pub async fn household_members(
    db: &Db,
    village: VillageId,
    id: ActivityId,
    household_id: HouseholdId,
) -> Result<Vec<MemberSignup>, AppError> {
    let a = load(&db.conn, id).await?;
    let h = household::Entity::find_by_id(household_id.0)
        .one(&db.conn)
        .await?
        .filter(|h| h.village_id == village.0 && a.village_id == village.0)
        .ok_or_else(|| AppError::not_found("找不到该农户"))?;
    member_states(db, a.id, h.id).await
}

/// The household whose card was scanned at check-in, with its members.
pub async fn card_at(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    id: ActivityId,
    card: &str,
) -> Result<CardAtActivity, AppError> {
    if !caller.may_record_points(village) {
        return Err(AppError::Forbidden);
    }
    let a = load(&db.conn, id).await?;
    if a.village_id != village.0 {
        return Err(AppError::not_found("找不到该活动"));
    }
    let card = card.trim();
    if !super::portal::is_card_query(card) || card.len() > 20 {
        return Err(AppError::invalid("卡号只含数字，请重新扫码或输入"));
    }
    let h = household::Entity::find()
        .filter(household::Column::CardNo.eq(card))
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("没有卡号为 {card} 的农户，请核对卡号")))?;
    if h.village_id != village.0 {
        return Err(AppError::invalid(format!(
            "卡号 {card} 不是本村农户，不能在本村活动签到"
        )));
    }
    let members = member_states(db, a.id, h.id).await?;
    let household = super::office::office_households(db, vec![h])
        .await?
        .pop()
        .ok_or(AppError::Internal)?;
    Ok(CardAtActivity { household, members })
}

// ---- Cover photo ---------------------------------------------------------

/// The address of an activity's cover photo; it carries a version so it
/// may be cached.
fn photo_url(id: i32, rel: &str) -> String {
    format!(
        "/activity-photo/{id}?v={}",
        domain::stock::photo_version(rel)
    )
}

/// Sets an activity's cover photo (shrunk and re-encoded like evidence
/// photos, under `activity/<village>/`); returns its address.
pub async fn store_photo(
    db: &Db,
    caller: &Caller,
    id: ActivityId,
    bytes: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let a = load(&db.conn, id).await?;
    if !caller.may_record_points(VillageId(a.village_id)) {
        return Err(AppError::Forbidden);
    }
    let (jpeg, width, height) = super::uploads::shrink_photo(bytes).await?;
    let rel = super::uploads::write(db, "activity", a.village_id, "jpg", &jpeg).await?;
    let recorded = async {
        let txn = db.write().await?;
        let a = load(&*txn, id).await?;
        let old = a.photo_path.clone();
        let mut m: activity::ActiveModel = a.into();
        m.photo_path = Set(Some(rel.clone()));
        let a = m.update(&*txn).await?;
        audit::record(
            &*txn,
            Some(caller.user),
            "activity_photo",
            "activity",
            Some(a.id),
            format!("{width}x{height} {} bytes", jpeg.len()),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok::<_, AppError>(old)
    }
    .await;
    match recorded {
        Ok(old) => {
            if let Some(old) = old {
                super::uploads::remove(db, "activity", &old).await;
            }
            Ok(photo_url(id.0, &rel))
        }
        Err(e) => {
            super::uploads::remove(db, "activity", &rel).await;
            Err(e)
        }
    }
}

/// An activity's cover photo as JPEG (`GET /activity-photo/{id}`). Public
/// once the activity is (anything but a draft, as its page); a draft's only
/// to those who run the village's back office. Anybody else gets the same
/// 404 as for an activity without a photo, or none at all.
pub async fn stored_photo(db: &Db, caller: &RouteCaller, id: i32) -> Result<StoredFile, AppError> {
    let none = || AppError::not_found("该活动没有封面照片");
    let a =
        load(&db.conn, ActivityId(id))
            .await
            .map_err(|e| if e.status() == 404 { none() } else { e })?;
    let mut cache = "public, max-age=604800";
    if status_of(&a) == ActivityStatus::Draft {
        let caller = caller.maybe().await;
        if !caller.is_some_and(|c| c.may_record_points(VillageId(a.village_id))) {
            return Err(none());
        }
        // A draft's photo may change or never go public: no shared caches.
        cache = "private, no-store";
    }
    let rel = a.photo_path.clone().ok_or_else(none)?;
    let path = super::uploads::resolve(db, "activity", &rel).ok_or_else(none)?;
    let bytes = files::read(&path, none()).await?;
    Ok(StoredFile::jpeg(bytes, cache))
}
