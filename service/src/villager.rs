//! The villager's own pages (我的积分) on the database: the household's
//! figures and full history, what it declared and appealed, its activity
//! sign-ups and redemptions; and the clerk setting how it signs in.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::entities::{
    activity, activity_signup, appeal, household, household_month, ledger_entry, member, proposal,
    proposal_review, rule_item, user_account, village, village_group,
};
use super::{audit, auth, portal, Db};
use domain::account::{check_phone, check_pin, rank_in_village};
use domain::activity::ActivityStatus;
use domain::appeal::{may_appeal, AppealStatus, AppealedEntry};
use domain::ledger::EntryStatus;
use domain::review::ProposalSource;
use domain::roles::{Caller, Role};
use domain::time::{china_date, china_minute, month_key, month_label, year_bounds};
use domain::{EntryId, HouseholdId, MemberId, VillageId};
use wire::types::{
    AppealView, LoginSetting, MemberView, MyDeclaration, MyEntry, MyHousehold, MySignup,
};
use wire::AppError;

/// The household whose pages the caller opens: their own (a villager), or
/// one of the village's households opened by its staff (代办模式, assisted).
/// Returns the household and whether it is assisted.
pub async fn household_for(
    db: &Db,
    caller: &Caller,
    asked: Option<HouseholdId>,
) -> Result<(household::Model, bool), AppError> {
    let id = match (asked, caller.household) {
        (Some(h), _) => h,
        (None, Some(h)) if caller.role == Role::Villager => h,
        _ => return Err(AppError::Forbidden),
    };
    let hh = household::Entity::find_by_id(id.0)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该农户"))?;
    let own = caller.role == Role::Villager && caller.household == Some(id);
    if own {
        Ok((hh, false))
    } else if caller.may_record_points(VillageId(hh.village_id)) {
        Ok((hh, true))
    } else {
        Err(AppError::Forbidden)
    }
}

/// Appeals with the entries they concern, as the pages show them.
pub async fn appeal_views(
    db: &Db,
    appeals: Vec<appeal::Model>,
) -> Result<Vec<AppealView>, AppError> {
    let entries: HashMap<i32, ledger_entry::Model> = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::Id.is_in(appeals.iter().map(|a| a.entry_id)))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let households: HashMap<i32, household::Model> = household::Entity::find()
        .filter(household::Column::Id.is_in(appeals.iter().map(|a| a.household_id)))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let titles = portal::rule_titles(db, entries.values().map(|e| e.rule_item_id)).await?;
    Ok(appeals
        .into_iter()
        .filter_map(|a| {
            let e = entries.get(&a.entry_id)?;
            let hh = households.get(&a.household_id)?;
            let status = AppealStatus::parse(&a.status).unwrap_or(AppealStatus::Pending);
            Some(AppealView {
                id: a.id,
                entry: EntryId(e.id),
                entry_date: e.occurred_on.format("%Y-%m-%d").to_string(),
                entry_item: titles.get(&e.rule_item_id).cloned().unwrap_or_default(),
                entry_points: e.points,
                entry_reason: e.reason.clone(),
                card_no: hh.card_no.clone(),
                head_name: hh.head_name.clone(),
                reason: a.reason,
                filed_at: china_minute(a.filed_at),
                assisted: a.assisted,
                status,
                status_label: status.label().into(),
                answer: a.answer,
                answered_at: a.answered_at.map(china_minute),
                reversal: a.reversal_entry_id.map(EntryId),
            })
        })
        .collect())
}

/// The household's net points (awarded − deducted) per household of the
/// village over months `from..=to`.
async fn village_net(
    db: &Db,
    village: i32,
    from: i32,
    to: i32,
) -> Result<HashMap<i32, i64>, AppError> {
    let net = Expr::col(household_month::Column::Awarded)
        .sum()
        .sub(Expr::col(household_month::Column::Deducted).sum());
    Ok(household_month::Entity::find()
        .select_only()
        .column(household_month::Column::HouseholdId)
        .column_as(net, "net")
        .filter(household_month::Column::VillageId.eq(village))
        .filter(household_month::Column::Month.between(from, to))
        .group_by(household_month::Column::HouseholdId)
        .into_tuple::<(i32, Option<i64>)>()
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|(h, n)| (h, n.unwrap_or(0)))
        .collect())
}

/// Everything the villager's home shows.
pub async fn home(
    db: &Db,
    hh: household::Model,
    assisted: bool,
    now: DateTime<Utc>,
) -> Result<MyHousehold, AppError> {
    let conn = &db.conn;
    let v = village::Entity::find_by_id(hh.village_id)
        .one(conn)
        .await?
        .ok_or(AppError::Internal)?;
    let group = village_group::Entity::find_by_id(hh.group_id)
        .one(conn)
        .await?
        .map(|g| g.name)
        .unwrap_or_default();
    let month = month_key(china_date(now));
    let (year_from, year_to) = year_bounds(month);
    let year = village_net(db, hh.village_id, year_from, year_to).await?;
    let month_points = household_month::Entity::find()
        .filter(household_month::Column::HouseholdId.eq(hh.id))
        .filter(household_month::Column::Month.eq(month))
        .one(conn)
        .await?
        .map(|m| m.awarded - m.deducted)
        .unwrap_or(0);
    // Ranked among the households still in the village.
    let current: Vec<i32> = household::Entity::find()
        .select_only()
        .column(household::Column::Id)
        .filter(household::Column::VillageId.eq(hh.village_id))
        .filter(household::Column::MovedAway.eq(false))
        .into_tuple()
        .all(conn)
        .await?;
    let year_points = year.get(&hh.id).copied().unwrap_or(0);
    let rank = rank_in_village(
        year_points,
        current
            .iter()
            .filter(|h| **h != hh.id)
            .map(|h| year.get(h).copied().unwrap_or(0)),
    );

    let members = member::Entity::find()
        .filter(member::Column::HouseholdId.eq(hh.id))
        .order_by_asc(member::Column::Id)
        .all(conn)
        .await?;
    let member_names: HashMap<i32, String> =
        members.iter().map(|m| (m.id, m.name.clone())).collect();

    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::HouseholdId.eq(hh.id))
        .filter(ledger_entry::Column::Status.eq(EntryStatus::Approved.as_str()))
        .order_by_desc(ledger_entry::Column::OccurredOn)
        .order_by_desc(ledger_entry::Column::Id)
        .all(conn)
        .await?;
    let appeals = appeal::Entity::find()
        .filter(appeal::Column::HouseholdId.eq(hh.id))
        .order_by_asc(appeal::Column::Id)
        .all(conn)
        .await?;
    let proposals = proposal::Entity::find()
        .filter(proposal::Column::HouseholdId.eq(hh.id))
        .filter(proposal::Column::Source.eq(ProposalSource::Villager.as_str()))
        .order_by_desc(proposal::Column::Id)
        .limit(50)
        .all(conn)
        .await?;
    let reviews: HashMap<i32, proposal_review::Model> = proposal_review::Entity::find()
        .filter(proposal_review::Column::ProposalId.is_in(proposals.iter().map(|p| p.id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.proposal_id, r))
        .collect();
    let users: HashMap<i32, user_account::Model> = user_account::Entity::find()
        .filter(
            user_account::Column::Id.is_in(
                entries
                    .iter()
                    .map(|e| e.recorded_by)
                    .chain(proposals.iter().map(|p| p.proposed_by))
                    .collect::<HashSet<_>>(),
            ),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let items: HashMap<i32, rule_item::Model> = rule_item::Entity::find()
        .filter(
            rule_item::Column::Id.is_in(
                entries
                    .iter()
                    .map(|e| e.rule_item_id)
                    .chain(proposals.iter().map(|p| p.rule_item_id))
                    .collect::<HashSet<_>>(),
            ),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let signups = activity_signup::Entity::find()
        .filter(activity_signup::Column::HouseholdId.eq(hh.id))
        .order_by_desc(activity_signup::Column::Id)
        .limit(50)
        .all(conn)
        .await?;
    let activities: HashMap<i32, activity::Model> = activity::Entity::find()
        .filter(
            activity::Column::Id.is_in(
                signups
                    .iter()
                    .map(|s| s.activity_id)
                    .chain(entries.iter().filter_map(|e| e.activity_id))
                    .collect::<HashSet<_>>(),
            ),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();

    let appeal_list = appeal_views(db, appeals).await?;
    let reversed: HashSet<i32> = entries.iter().filter_map(|e| e.reverses).collect();
    let item_title = |id: i32| items.get(&id).map(|i| i.title.clone()).unwrap_or_default();
    let my_entries = entries
        .iter()
        .map(|e| {
            let on_entry: Vec<AppealView> = appeal_list
                .iter()
                .filter(|a| a.entry.0 == e.id)
                .cloned()
                .collect();
            let open_appeal = on_entry.iter().any(|a| a.status == AppealStatus::Pending);
            MyEntry {
                id: EntryId(e.id),
                occurred_on: e.occurred_on.format("%Y-%m-%d").to_string(),
                item: item_title(e.rule_item_id),
                points: e.points,
                reason: e.reason.clone(),
                recorded_by: users
                    .get(&e.recorded_by)
                    .map(|u| u.display_name.clone())
                    .unwrap_or_default(),
                activity: e
                    .activity_id
                    .and_then(|a| activities.get(&a))
                    .map(|a| a.title.clone()),
                reversed: reversed.contains(&e.id),
                reverses: e.reverses.map(EntryId),
                may_appeal: !hh.moved_away
                    && may_appeal(AppealedEntry {
                        own: true,
                        is_reversal: e.reverses.is_some(),
                        reversed: reversed.contains(&e.id),
                        open_appeal,
                    }),
                appeals: on_entry,
            }
        })
        .collect();
    let declarations = proposals
        .iter()
        .map(|p| {
            let review = reviews.get(&p.id);
            MyDeclaration {
                occurred_on: p.occurred_on.format("%Y-%m-%d").to_string(),
                item: item_title(p.rule_item_id),
                points: items.get(&p.rule_item_id).map(|i| i.points).unwrap_or(0),
                reason: p.reason.clone(),
                declared_at: china_minute(p.proposed_at),
                assisted: users
                    .get(&p.proposed_by)
                    .is_some_and(|u| u.role != Role::Villager.as_str()),
                status_label: match review.map(|r| r.approved) {
                    None => EntryStatus::Pending.label(),
                    Some(true) => EntryStatus::Approved.label(),
                    Some(false) => EntryStatus::Rejected.label(),
                }
                .into(),
                approved: review.map(|r| r.approved),
                decision: review.map(|r| r.reason.clone()),
            }
        })
        .collect();
    let my_signups = signups
        .iter()
        .filter_map(|s| {
            let a = activities.get(&s.activity_id)?;
            let status = ActivityStatus::parse(&a.status).unwrap_or(ActivityStatus::Draft);
            let state = if status == ActivityStatus::Cancelled {
                "活动已取消"
            } else if s.withdrawn_at.is_some() {
                "已取消报名"
            } else if s.checked_in_at.is_some() && a.awarded_at.is_some() {
                "已签到，积分已发放"
            } else if s.checked_in_at.is_some() {
                "已签到"
            } else {
                "已报名"
            };
            Some(MySignup {
                activity_id: a.id,
                title: a.title.clone(),
                starts_at: china_minute(a.starts_at),
                place: a.place.clone(),
                member: member_names.get(&s.member_id).cloned().unwrap_or_default(),
                state: state.into(),
                assisted: s.assisted,
            })
        })
        .collect();
    let redemptions = portal::household_redemptions(db, hh.id).await?;
    Ok(MyHousehold {
        household: HouseholdId(hh.id),
        qr_svg: super::households::card_qr_svg(&hh.card_no)?,
        card_no: hh.card_no,
        head_name: hh.head_name,
        village_id: VillageId(v.id),
        village_name: v.name,
        group_name: group,
        balance: hh.balance,
        month_points,
        year_points,
        month_label: month_label(month),
        rank,
        ranked_of: current.len().max(1) as u32,
        members: members
            .into_iter()
            .map(|m| MemberView {
                id: MemberId(m.id),
                name: m.name,
                relation: m.relation,
            })
            .collect(),
        entries: my_entries,
        declarations,
        appeals: appeal_list,
        signups: my_signups,
        redemptions,
        assisted,
    })
}

/// The village's appeals for the clerk: every open one, oldest first, then
/// the latest answered.
pub async fn office_appeals(db: &Db, village: VillageId) -> Result<Vec<AppealView>, AppError> {
    let open = appeal::Entity::find()
        .filter(appeal::Column::VillageId.eq(village.0))
        .filter(appeal::Column::Status.eq(AppealStatus::Pending.as_str()))
        .order_by_asc(appeal::Column::Id)
        .all(&db.conn)
        .await?;
    let answered = appeal::Entity::find()
        .filter(appeal::Column::VillageId.eq(village.0))
        .filter(appeal::Column::Status.ne(AppealStatus::Pending.as_str()))
        .order_by_desc(appeal::Column::Id)
        .limit(30)
        .all(&db.conn)
        .await?;
    appeal_views(db, open.into_iter().chain(answered).collect()).await
}

/// How a household signs in (village staff only).
pub async fn login_of(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    id: HouseholdId,
) -> Result<LoginSetting, AppError> {
    if !caller.may_record_points(village) {
        return Err(AppError::Forbidden);
    }
    let hh = household_of_village(&db.conn, village, id).await?;
    let account = villager_account(&db.conn, hh.id).await?;
    Ok(LoginSetting {
        phone: hh.phone,
        has_pin: account.is_some_and(|a| a.active),
    })
}

/// A household of the village; another village's is refused.
async fn household_of_village<C: sea_orm::ConnectionTrait>(
    conn: &C,
    village: VillageId,
    id: HouseholdId,
) -> Result<household::Model, AppError> {
    let hh = household::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该农户"))?;
    if hh.village_id != village.0 {
        return Err(AppError::Forbidden);
    }
    Ok(hh)
}

async fn villager_account<C: sea_orm::ConnectionTrait>(
    conn: &C,
    household: i32,
) -> Result<Option<user_account::Model>, AppError> {
    Ok(user_account::Entity::find()
        .filter(user_account::Column::HouseholdId.eq(household))
        .filter(user_account::Column::Role.eq(Role::Villager.as_str()))
        .order_by_asc(user_account::Column::Id)
        .one(conn)
        .await?)
}

/// The clerk records a household's phone and, when given, sets its PIN
/// (creating the household's sign-in on first use). The PIN itself is never
/// logged.
pub async fn set_login(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    id: HouseholdId,
    phone: &str,
    pin: Option<&str>,
    now: DateTime<Utc>,
) -> Result<LoginSetting, AppError> {
    if !caller.may_record_points(village) {
        return Err(AppError::Forbidden);
    }
    let phone = check_phone(phone)?;
    let pin = match pin.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Some(check_pin(p)?),
        None => None,
    };
    // Hash outside the write lock: argon2 is slow on purpose.
    let hash = match pin {
        Some(p) => Some(
            tokio::task::spawn_blocking(move || auth::hash_password(&p))
                .await
                .map_err(|_| AppError::Internal)?,
        ),
        None => None,
    };
    let txn = db.write().await?;
    let hh = household_of_village(&*txn, village, id).await?;
    if hh.moved_away {
        return Err(AppError::invalid("该户已迁出，不能再设置登录"));
    }
    if let Some(p) = &phone {
        // One number signs in one household: not another's phone, nor any
        // household's card number. The answer names no one: the other
        // household may be in another village.
        let taken = household::Entity::find()
            .filter(household::Column::Id.ne(hh.id))
            .filter(
                household::Column::CardNo
                    .eq(p.as_str())
                    .or(household::Column::Phone
                        .eq(p.as_str())
                        .and(household::Column::MovedAway.eq(false))),
            )
            .count(&*txn)
            .await?;
        if taken > 0 {
            return Err(AppError::Conflict("该手机号已被使用".into()));
        }
    }
    let mut what = Vec::new();
    if hh.phone != phone {
        what.push("phone");
        let mut a: household::ActiveModel = hh.clone().into();
        a.phone = Set(phone.clone());
        a.update(&*txn).await?;
    }
    let account = villager_account(&*txn, hh.id).await?;
    let has_pin = match (hash, account) {
        (Some(hash), Some(acc)) => {
            // A new PIN ends every session the old one opened (a lost or
            // shared phone is why PINs get reset).
            let ended = auth::end_sessions(&*txn, domain::UserId(acc.id)).await?;
            if ended > 0 {
                what.push("sessions ended");
            }
            let mut a: user_account::ActiveModel = acc.into();
            a.password_hash = Set(hash);
            a.active = Set(true);
            a.update(&*txn).await?;
            what.push("pin");
            true
        }
        (Some(hash), None) => {
            user_account::ActiveModel {
                username: Set(hh.card_no.clone()),
                password_hash: Set(hash),
                display_name: Set(hh.head_name.clone()),
                role: Set(Role::Villager.as_str().into()),
                village_id: Set(Some(hh.village_id)),
                household_id: Set(Some(hh.id)),
                active: Set(true),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&*txn)
            .await?;
            what.push("pin (new sign-in)");
            true
        }
        (None, acc) => acc.is_some_and(|a| a.active),
    };
    audit::record(
        &*txn,
        Some(caller.user),
        "set_villager_login",
        "household",
        Some(hh.id),
        what.join(", "),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(LoginSetting { phone, has_pin })
}
