//! Staff accounts (`/town/staff`): the town admin creates, changes,
//! disables and resets the accounts of village clerks, supermarket clerks,
//! scorers and town staff; every staff member changes their own password.
//!
//! A new or reset account gets a one-time password, shown once and stored
//! only as a hash; until its holder sets their own, the account can do
//! nothing else (see [`crate::auth::caller_for`]). Disabling,
//! resetting or re-scoping an account ends all its sessions in the same
//! transaction, and each change is in the audit log.

use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::entities::{household, session, user_account, village, village_group};
use super::{audit, auth, Db};
use domain::account::check_phone;
use domain::roles::{Caller, Role};
use domain::staff::{
    check_new_password, check_scope, check_username, one_time_password, suggest_username,
    username_stem, MAX_PASSWORD_CHARS, STAFF_ROLES,
};
use domain::text::{required_text, MAX_NAME};
use domain::time::china_minute;
use domain::{GroupId, UserId, VillageId};
use wire::staff::{NewStaff, OneTimePassword, StaffPage, StaffView, StaffVillage};
use wire::AppError;

fn refuse_unless_town_admin(caller: &Caller) -> Result<(), AppError> {
    if caller.may_run_town() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Every staff account with what the form needs (villages and their
/// groups): the town admin, or town staff who may only read.
pub async fn page(db: &Db, caller: &Caller) -> Result<StaffPage, AppError> {
    if !caller.may_read_town() {
        return Err(AppError::Forbidden);
    }
    let staff_roles: Vec<&str> = STAFF_ROLES
        .iter()
        .chain(&[Role::TownAdmin])
        .map(|r| r.as_str())
        .collect();
    let accounts = user_account::Entity::find()
        .filter(user_account::Column::Role.is_in(staff_roles))
        .order_by_asc(user_account::Column::VillageId)
        .order_by_asc(user_account::Column::Username)
        .all(&db.conn)
        .await?;
    let villages = village::Entity::find()
        .order_by_asc(village::Column::SortOrder)
        .all(&db.conn)
        .await?;
    let groups = village_group::Entity::find()
        .order_by_asc(village_group::Column::SortOrder)
        .all(&db.conn)
        .await?;
    let cards = home_cards(&db.conn, &accounts).await?;
    let last_logins = last_logins(&db.conn, &accounts).await?;
    let views = accounts
        .iter()
        .filter_map(|a| view_of(a, &villages, &groups, &cards, &last_logins))
        .collect();
    Ok(StaffPage {
        accounts: views,
        villages: villages
            .iter()
            .map(|v| StaffVillage {
                id: VillageId(v.id),
                name: v.name.clone(),
                taking_part: v.taking_part,
                groups: groups
                    .iter()
                    .filter(|g| g.village_id == v.id)
                    .map(|g| (GroupId(g.id), g.name.clone()))
                    .collect(),
            })
            .collect(),
        roles: STAFF_ROLES
            .iter()
            .map(|r| (*r, r.label().to_string()))
            .collect(),
        may_write: caller.may_run_town(),
    })
}

async fn home_cards<C: ConnectionTrait>(
    conn: &C,
    accounts: &[user_account::Model],
) -> Result<Vec<(i32, String)>, AppError> {
    let ids: Vec<i32> = accounts.iter().filter_map(|a| a.household_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(household::Entity::find()
        .select_only()
        .column(household::Column::Id)
        .column(household::Column::CardNo)
        .filter(household::Column::Id.is_in(ids))
        .into_tuple()
        .all(conn)
        .await?)
}

/// Each account's latest session start: when it last signed in, while any
/// of its sessions is still kept.
async fn last_logins<C: ConnectionTrait>(
    conn: &C,
    accounts: &[user_account::Model],
) -> Result<Vec<(i32, DateTime<Utc>)>, AppError> {
    let ids: Vec<i32> = accounts.iter().map(|a| a.id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(session::Entity::find()
        .select_only()
        .column(session::Column::UserId)
        .column_as(session::Column::CreatedAt.max(), "at")
        .filter(session::Column::UserId.is_in(ids))
        .group_by(session::Column::UserId)
        .into_tuple()
        .all(conn)
        .await?)
}

fn view_of(
    a: &user_account::Model,
    villages: &[village::Model],
    groups: &[village_group::Model],
    cards: &[(i32, String)],
    last_logins: &[(i32, DateTime<Utc>)],
) -> Option<StaffView> {
    let role = Role::parse(&a.role)?;
    let village = a
        .village_id
        .and_then(|id| villages.iter().find(|v| v.id == id));
    let group = a.group_id.and_then(|id| groups.iter().find(|g| g.id == id));
    Some(StaffView {
        id: UserId(a.id),
        username: a.username.clone(),
        display_name: a.display_name.clone(),
        role,
        role_label: role.label().into(),
        village: village.map(|v| (VillageId(v.id), v.name.clone())),
        group: group.map(|g| (GroupId(g.id), g.name.clone())),
        phone: a.phone.clone(),
        household_card: a
            .household_id
            .and_then(|h| cards.iter().find(|(id, _)| *id == h))
            .map(|(_, c)| c.clone()),
        active: a.active,
        must_change_password: a.must_change_password,
        created_at: china_minute(a.created_at),
        last_login: last_logins
            .iter()
            .find(|(id, _)| *id == a.id)
            .map(|(_, t)| china_minute(*t)),
    })
}

async fn one_view<C: ConnectionTrait>(
    conn: &C,
    a: &user_account::Model,
) -> Result<StaffView, AppError> {
    let villages = match a.village_id {
        Some(v) => village::Entity::find_by_id(v).all(conn).await?,
        None => Vec::new(),
    };
    let groups = match a.group_id {
        Some(g) => village_group::Entity::find_by_id(g).all(conn).await?,
        None => Vec::new(),
    };
    let cards = home_cards(conn, std::slice::from_ref(a)).await?;
    view_of(a, &villages, &groups, &cards, &[]).ok_or(AppError::Internal)
}

/// A free user name for a new account of this role and village.
pub async fn suggested_username(
    db: &Db,
    caller: &Caller,
    role: Role,
    village: Option<VillageId>,
) -> Result<String, AppError> {
    refuse_unless_town_admin(caller)?;
    let code = match village {
        Some(v) => Some(
            village::Entity::find_by_id(v.0)
                .one(&db.conn)
                .await?
                .ok_or_else(|| AppError::not_found("找不到该村（社区）"))?
                .code,
        ),
        None => None,
    };
    let stem = username_stem(role, code.as_deref());
    let taken: Vec<String> = user_account::Entity::find()
        .select_only()
        .column(user_account::Column::Username)
        .filter(user_account::Column::Username.starts_with(stem.as_str()))
        .into_tuple()
        .all(&db.conn)
        .await?;
    Ok(suggest_username(&stem, &taken))
}

/// The checked fields of a staff account as the form sent them.
struct Checked {
    role: Role,
    village: Option<i32>,
    group: Option<i32>,
    display_name: String,
    phone: Option<String>,
    household: Option<i32>,
}

/// Checks a form against the role's scope and the database: the village
/// exists, the group is the village's, the home household (by card
/// number) lives in that village.
async fn check_form<C: ConnectionTrait>(conn: &C, form: &NewStaff) -> Result<Checked, AppError> {
    check_scope(form.role, form.village.is_some(), form.group.is_some())?;
    let display_name = required_text("姓名", &form.display_name, MAX_NAME)?;
    let phone = check_phone(&form.phone)?;
    if let Some(v) = form.village {
        village::Entity::find_by_id(v.0)
            .one(conn)
            .await?
            .ok_or_else(|| AppError::not_found("找不到该村（社区）"))?;
    }
    if let Some(g) = form.group {
        let group = village_group::Entity::find_by_id(g.0)
            .one(conn)
            .await?
            .ok_or_else(|| AppError::not_found("找不到该小组"))?;
        if Some(VillageId(group.village_id)) != form.village {
            return Err(AppError::invalid("该小组不属于所选村（社区）"));
        }
    }
    let card = form.household_card.trim();
    let household = if card.is_empty() {
        None
    } else {
        let hh = household::Entity::find()
            .filter(household::Column::CardNo.eq(card))
            .one(conn)
            .await?
            .ok_or_else(|| AppError::not_found("找不到该户卡号"))?;
        if form.village.is_some_and(|v| v.0 != hh.village_id) {
            return Err(AppError::invalid("该户不在所选村（社区）"));
        }
        Some(hh.id)
    };
    Ok(Checked {
        role: form.role,
        village: form.village.map(|v| v.0),
        group: form.group.map(|g| g.0),
        display_name,
        phone,
        household,
    })
}

/// A fresh one-time password and its hash (hashed off the async threads:
/// argon2 is slow on purpose).
async fn fresh_password() -> Result<(String, String), AppError> {
    let mut raw = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut raw);
    let password = one_time_password(&raw);
    let p = password.clone();
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&p))
        .await
        .map_err(|_| AppError::Internal)?;
    Ok((password, hash))
}

/// Creates a staff account with a one-time password (town admin).
pub async fn create(
    db: &Db,
    caller: &Caller,
    form: NewStaff,
    now: DateTime<Utc>,
) -> Result<OneTimePassword, AppError> {
    refuse_unless_town_admin(caller)?;
    let username = check_username(&form.username)?;
    let checked = check_form(&db.conn, &form).await?;
    let (password, hash) = fresh_password().await?;
    let txn = db.write().await?;
    let taken = user_account::Entity::find()
        .filter(user_account::Column::Username.eq(username.as_str()))
        .one(&*txn)
        .await?;
    if taken.is_some() {
        return Err(AppError::Conflict(format!("用户名 {username} 已被使用")));
    }
    let a = user_account::ActiveModel {
        username: Set(username.clone()),
        password_hash: Set(hash),
        display_name: Set(checked.display_name),
        role: Set(checked.role.as_str().into()),
        village_id: Set(checked.village),
        household_id: Set(checked.household),
        active: Set(true),
        created_at: Set(now),
        phone: Set(checked.phone),
        group_id: Set(checked.group),
        must_change_password: Set(true),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "staff_create",
        "user_account",
        Some(a.id),
        format!(
            "{} as {} of village {:?}",
            a.username,
            checked.role.as_str(),
            a.village_id
        ),
        now,
    )
    .await?;
    let account = one_view(&*txn, &a).await?;
    txn.commit().await?;
    Ok(OneTimePassword { account, password })
}

/// A staff account the town admin may change: not a villager's, which
/// belongs to the village office.
async fn staff_account<C: ConnectionTrait>(
    conn: &C,
    id: UserId,
) -> Result<user_account::Model, AppError> {
    let a = user_account::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该账号"))?;
    match Role::parse(&a.role) {
        Some(Role::Villager) | None => Err(AppError::not_found("找不到该账号")),
        Some(_) => Ok(a),
    }
}

/// Changes a staff account's name, phone, role, village, group and home
/// household (town admin). A change of role or scope ends its sessions:
/// what they were opened for no longer holds.
pub async fn update(
    db: &Db,
    caller: &Caller,
    id: UserId,
    form: NewStaff,
    now: DateTime<Utc>,
) -> Result<StaffView, AppError> {
    refuse_unless_town_admin(caller)?;
    let txn = db.write().await?;
    let a = staff_account(&*txn, id).await?;
    if a.role == Role::TownAdmin.as_str() {
        return Err(AppError::invalid("镇管理员账号不能在这里修改"));
    }
    let checked = check_form(&*txn, &form).await?;
    let rescoped = a.role != checked.role.as_str()
        || a.village_id != checked.village
        || a.group_id != checked.group;
    let mut what = Vec::new();
    if a.display_name != checked.display_name {
        what.push("name".to_string());
    }
    if a.phone != checked.phone {
        what.push("phone".into());
    }
    if a.household_id != checked.household {
        what.push(format!("home household {:?}", checked.household));
    }
    if rescoped {
        what.push(format!(
            "scope {} {:?} {:?} -> {} {:?} {:?}",
            a.role,
            a.village_id,
            a.group_id,
            checked.role.as_str(),
            checked.village,
            checked.group
        ));
        let ended = auth::end_sessions(&*txn, id).await?;
        what.push(format!("{ended} sessions ended"));
    }
    let mut m: user_account::ActiveModel = a.into();
    m.display_name = Set(checked.display_name);
    m.phone = Set(checked.phone);
    m.role = Set(checked.role.as_str().into());
    m.village_id = Set(checked.village);
    m.group_id = Set(checked.group);
    m.household_id = Set(checked.household);
    let a = m.update(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "staff_update",
        "user_account",
        Some(a.id),
        what.join(", "),
        now,
    )
    .await?;
    let view = one_view(&*txn, &a).await?;
    txn.commit().await?;
    Ok(view)
}

/// Disables or re-enables a staff account (town admin). Disabling ends
/// every session at once; the admin cannot disable their own account.
pub async fn set_active(
    db: &Db,
    caller: &Caller,
    id: UserId,
    active: bool,
    now: DateTime<Utc>,
) -> Result<StaffView, AppError> {
    refuse_unless_town_admin(caller)?;
    if id == caller.user && !active {
        return Err(AppError::invalid("不能停用自己的账号"));
    }
    let txn = db.write().await?;
    let a = staff_account(&*txn, id).await?;
    let ended = if active {
        0
    } else {
        auth::end_sessions(&*txn, id).await?
    };
    let mut m: user_account::ActiveModel = a.into();
    m.active = Set(active);
    let a = m.update(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        if active {
            "staff_enable"
        } else {
            "staff_disable"
        },
        "user_account",
        Some(a.id),
        format!("{}: {ended} sessions ended", a.username),
        now,
    )
    .await?;
    let view = one_view(&*txn, &a).await?;
    txn.commit().await?;
    Ok(view)
}

/// Gives a staff account a new one-time password (town admin): its
/// sessions end, and its holder must set their own at the next sign-in.
pub async fn reset_password(
    db: &Db,
    caller: &Caller,
    id: UserId,
    now: DateTime<Utc>,
) -> Result<OneTimePassword, AppError> {
    refuse_unless_town_admin(caller)?;
    if id == caller.user {
        return Err(AppError::invalid("请在“修改密码”页面修改自己的密码"));
    }
    let (password, hash) = fresh_password().await?;
    let txn = db.write().await?;
    let a = staff_account(&*txn, id).await?;
    let ended = auth::end_sessions(&*txn, id).await?;
    let mut m: user_account::ActiveModel = a.into();
    m.password_hash = Set(hash);
    m.must_change_password = Set(true);
    let a = m.update(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "staff_reset_password",
        "user_account",
        Some(a.id),
        format!("{}: {ended} sessions ended", a.username),
        now,
    )
    .await?;
    let account = one_view(&*txn, &a).await?;
    txn.commit().await?;
    Ok(OneTimePassword { account, password })
}

/// What the password form sends: the current password and the new one
/// twice.
pub struct PasswordChange {
    pub old: String,
    pub new: String,
    pub repeat: String,
}

/// A staff member sets their own password: the current one must be right,
/// the new one must meet the rules. Every other session of the account
/// ends (a password is changed because it may be known); this one stays.
pub async fn change_own_password(
    db: &Db,
    user: &user_account::Model,
    current_token: &str,
    address: &str,
    change: PasswordChange,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let PasswordChange { old, new, repeat } = change;
    if user.role == Role::Villager.as_str() {
        return Err(AppError::invalid(
            "村民的登录密码由村委会设置，请到村委会办理",
        ));
    }
    if old.chars().count() > MAX_PASSWORD_CHARS {
        return Err(AppError::invalid("原密码不正确"));
    }
    check_new_password(&old, &new, &repeat, &user.username)?;
    if !auth::verify_current_password(db, user, &old, address, now).await? {
        return Err(AppError::invalid("原密码不正确"));
    }
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&new))
        .await
        .map_err(|_| AppError::Internal)?;
    let txn = db.write().await?;
    let ended = auth::end_other_sessions(&*txn, UserId(user.id), current_token).await?;
    let mut m: user_account::ActiveModel = user.clone().into();
    m.password_hash = Set(hash);
    m.must_change_password = Set(false);
    m.update(&*txn).await?;
    audit::record(
        &*txn,
        Some(UserId(user.id)),
        "change_password",
        "user_account",
        Some(user.id),
        format!("{ended} other sessions ended"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
