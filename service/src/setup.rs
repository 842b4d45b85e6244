//! Setting the town up (`/town/setup`, `/office/groups`): the readiness
//! checklist of every village taking part, the units' 涉农 and 参与积分制
//! flags, a village's groups (组: create, rename, merge), and the record of
//! card sheets printed. Every write is audited.
//!
//! The checklist reads one grouped query per figure, for all villages at
//! once: its cost follows the number of figures, not of villages.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::entities::{
    card_print, household, published_month, rule_item, user_account, village, village_group,
};
use super::{audit, Db};
use domain::roles::{Caller, Role};
use domain::setup::{
    check_flags, check_group_name, check_merge, readiness, Check, GroupFacts, VillageFacts,
};
use domain::time::{china_date, china_offset};
use domain::{GroupId, VillageId};
use wire::setup::{CheckCell, GroupRow, MergeDone, ReadinessRow, SetupPage, UnitView};
use wire::AppError;

fn town_only(caller: &Caller) -> Result<(), AppError> {
    if caller.may_run_town() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The caller runs the village's back office (its village admin, or the
/// town admin), and the village exists.
async fn office_village<C: ConnectionTrait>(
    conn: &C,
    caller: &Caller,
    v: VillageId,
) -> Result<village::Model, AppError> {
    if !caller.may_record_points(v) {
        return Err(AppError::Forbidden);
    }
    village::Entity::find_by_id(v.0)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该村（社区）"))
}

fn kind_label(kind: &str) -> &'static str {
    if kind == "community" {
        "社区"
    } else {
        "村"
    }
}

fn unit_view(v: &village::Model) -> UnitView {
    UnitView {
        id: VillageId(v.id),
        name: v.name.clone(),
        code: v.code.clone(),
        kind_label: kind_label(&v.kind).into(),
        agricultural: v.agricultural,
        taking_part: v.taking_part,
    }
}

/// A time as its China calendar date, `2026-12-06`.
fn china_day(t: DateTime<Utc>) -> String {
    t.with_timezone(&china_offset())
        .format("%Y-%m-%d")
        .to_string()
}

/// Counts per village from a `(village_id, n)` query.
fn per_village(rows: Vec<(i32, i64)>) -> HashMap<i32, u32> {
    rows.into_iter()
        .map(|(v, n)| (v, u32::try_from(n).unwrap_or(u32::MAX)))
        .collect()
}

/// The facts of the checklist for every village, one query per figure.
async fn facts(db: &Db, now: DateTime<Utc>) -> Result<HashMap<i32, VillageFacts>, AppError> {
    let conn = &db.conn;
    let today = china_date(now);
    let mut out: HashMap<i32, VillageFacts> = HashMap::new();

    let staff: Vec<(Option<i32>, String, i64)> = user_account::Entity::find()
        .select_only()
        .column(user_account::Column::VillageId)
        .column(user_account::Column::Role)
        .column_as(Expr::col(user_account::Column::Id).count(), "n")
        .filter(user_account::Column::Active.eq(true))
        .filter(
            user_account::Column::Role.is_in([Role::VillageAdmin.as_str(), Role::Clerk.as_str()]),
        )
        .filter(user_account::Column::VillageId.is_not_null())
        .group_by(user_account::Column::VillageId)
        .group_by(user_account::Column::Role)
        .into_tuple()
        .all(conn)
        .await?;
    for (v, role, n) in staff {
        let Some(v) = v else { continue };
        let f = out.entry(v).or_default();
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        if role == Role::VillageAdmin.as_str() {
            f.clerk_accounts = n;
        } else {
            f.shop_accounts = n;
        }
    }

    let groups = per_village(
        village_group::Entity::find()
            .select_only()
            .column(village_group::Column::VillageId)
            .column_as(Expr::col(village_group::Column::Id).count(), "n")
            .filter(village_group::Column::RetiredAt.is_null())
            .group_by(village_group::Column::VillageId)
            .into_tuple()
            .all(conn)
            .await?,
    );
    // The items the public rules tab shows today (`portal::village_rules`).
    let rules = per_village(
        rule_item::Entity::find()
            .select_only()
            .column(rule_item::Column::VillageId)
            .column_as(Expr::col(rule_item::Column::Id).count(), "n")
            .filter(rule_item::Column::ActiveFrom.lte(today))
            .filter(
                rule_item::Column::ActiveUntil
                    .is_null()
                    .or(rule_item::Column::ActiveUntil.gte(today)),
            )
            .group_by(rule_item::Column::VillageId)
            .into_tuple()
            .all(conn)
            .await?,
    );
    let households: Vec<(i32, i64, Option<DateTime<Utc>>)> = household::Entity::find()
        .select_only()
        .column(household::Column::VillageId)
        .column_as(Expr::col(household::Column::Id).count(), "n")
        .column_as(Expr::col(household::Column::CreatedAt).max(), "newest")
        .filter(household::Column::MovedAway.eq(false))
        .group_by(household::Column::VillageId)
        .into_tuple()
        .all(conn)
        .await?;
    let printed: Vec<(i32, Option<DateTime<Utc>>)> = card_print::Entity::find()
        .select_only()
        .column(card_print::Column::VillageId)
        .column_as(Expr::col(card_print::Column::PrintedAt).max(), "last")
        .group_by(card_print::Column::VillageId)
        .into_tuple()
        .all(conn)
        .await?;
    // Households that can sign in: an active villager account is theirs.
    let pins = per_village(
        household::Entity::find()
            .select_only()
            .column(household::Column::VillageId)
            .column_as(Expr::col(household::Column::Id).count(), "n")
            .filter(household::Column::MovedAway.eq(false))
            .filter(
                household::Column::Id.in_subquery(
                    Query::select()
                        .column(user_account::Column::HouseholdId)
                        .from(user_account::Entity)
                        .and_where(user_account::Column::Role.eq(Role::Villager.as_str()))
                        .and_where(user_account::Column::Active.eq(true))
                        .and_where(user_account::Column::HouseholdId.is_not_null())
                        .to_owned(),
                ),
            )
            .group_by(household::Column::VillageId)
            .into_tuple()
            .all(conn)
            .await?,
    );
    let goods = super::acceptance::fact_goods_kinds(db).await?;
    let published = per_village(
        published_month::Entity::find()
            .select_only()
            .column(published_month::Column::VillageId)
            .column_as(Expr::col(published_month::Column::Id).count(), "n")
            .group_by(published_month::Column::VillageId)
            .into_tuple()
            .all(conn)
            .await?,
    );

    for (v, n) in groups {
        out.entry(v).or_default().groups = n;
    }
    for (v, n) in rules {
        out.entry(v).or_default().rule_items = n;
    }
    for (v, n, newest) in households {
        let f = out.entry(v).or_default();
        f.households = u32::try_from(n).unwrap_or(u32::MAX);
        f.newest_household = newest;
    }
    for (v, last) in printed {
        out.entry(v).or_default().last_card_print = last;
    }
    for (v, n) in pins {
        out.entry(v).or_default().households_with_pin = n;
    }
    for (v, n) in goods {
        out.entry(v.0).or_default().goods_kinds = n;
    }
    for (v, n) in published {
        out.entry(v).or_default().published_months = n;
    }
    Ok(out)
}

/// The `/town/setup` page: the readiness checklist of every village taking
/// part, and every unit of the town with its flags (town admin).
pub async fn overview(db: &Db, caller: &Caller, now: DateTime<Utc>) -> Result<SetupPage, AppError> {
    town_only(caller)?;
    let units = village::Entity::find()
        .order_by_asc(village::Column::SortOrder)
        .order_by_asc(village::Column::Id)
        .all(&db.conn)
        .await?;
    let mut facts = facts(db, now).await?;
    let rows = units
        .iter()
        .filter(|v| v.taking_part)
        .map(|v| {
            let f = facts.remove(&v.id).unwrap_or_default();
            let cells: Vec<CheckCell> = readiness(&f, china_day)
                .into_iter()
                .map(|r| CheckCell {
                    check: r.check,
                    ok: r.ok,
                    figure: r.figure,
                })
                .collect();
            ReadinessRow {
                village_id: VillageId(v.id),
                village_name: v.name.clone(),
                ready: cells.iter().all(|c| c.ok),
                cells,
            }
        })
        .collect();
    Ok(SetupPage {
        columns: Check::ALL
            .iter()
            .map(|c| (*c, c.label().to_string()))
            .collect(),
        rows,
        units: units.iter().map(unit_view).collect(),
    })
}

/// Sets a unit's 涉农 and 参与积分制 flags (town admin). A unit takes part
/// only if it is agricultural. Unchanged flags write nothing.
pub async fn set_unit_flags(
    db: &Db,
    caller: &Caller,
    v: VillageId,
    agricultural: bool,
    taking_part: bool,
    now: DateTime<Utc>,
) -> Result<UnitView, AppError> {
    town_only(caller)?;
    check_flags(agricultural, taking_part)?;
    let txn = db.write().await?;
    let unit = village::Entity::find_by_id(v.0)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该村（社区）"))?;
    if unit.agricultural == agricultural && unit.taking_part == taking_part {
        return Ok(unit_view(&unit));
    }
    let detail = format!(
        "{}: agricultural {} -> {agricultural}, taking_part {} -> {taking_part}",
        unit.name, unit.agricultural, unit.taking_part
    );
    let mut am: village::ActiveModel = unit.into();
    am.agricultural = Set(agricultural);
    am.taking_part = Set(taking_part);
    let unit = am.update(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "set_unit_flags",
        "village",
        Some(unit.id),
        detail,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(unit_view(&unit))
}

async fn groups_in<C: ConnectionTrait>(
    conn: &C,
    v: VillageId,
) -> Result<Vec<village_group::Model>, AppError> {
    Ok(village_group::Entity::find()
        .filter(village_group::Column::VillageId.eq(v.0))
        .order_by_asc(village_group::Column::SortOrder)
        .order_by_asc(village_group::Column::Id)
        .all(conn)
        .await?)
}

/// A group of the village; another village's (or none) answers 404 alike.
async fn group_in<C: ConnectionTrait>(
    conn: &C,
    v: VillageId,
    g: GroupId,
) -> Result<village_group::Model, AppError> {
    village_group::Entity::find_by_id(g.0)
        .one(conn)
        .await?
        .filter(|x| x.village_id == v.0)
        .ok_or_else(|| AppError::not_found("找不到该组，请刷新页面后重试"))
}

fn facts_of(g: &village_group::Model) -> GroupFacts {
    GroupFacts {
        id: g.id,
        village: g.village_id,
        retired: g.retired_at.is_some(),
    }
}

/// A village's groups with their households (not moved away): current
/// groups first in their order, then the merged ones.
pub async fn groups(db: &Db, caller: &Caller, v: VillageId) -> Result<Vec<GroupRow>, AppError> {
    office_village(&db.conn, caller, v).await?;
    let groups = groups_in(&db.conn, v).await?;
    let counts = per_village(
        household::Entity::find()
            .select_only()
            .column(household::Column::GroupId)
            .column_as(Expr::col(household::Column::Id).count(), "n")
            .filter(household::Column::VillageId.eq(v.0))
            .filter(household::Column::MovedAway.eq(false))
            .group_by(household::Column::GroupId)
            .into_tuple()
            .all(&db.conn)
            .await?,
    );
    let names: HashMap<i32, String> = groups.iter().map(|g| (g.id, g.name.clone())).collect();
    let (current, retired): (Vec<_>, Vec<_>) =
        groups.into_iter().partition(|g| g.retired_at.is_none());
    Ok(current
        .into_iter()
        .chain(retired)
        .map(|g| GroupRow {
            id: GroupId(g.id),
            households: counts.get(&g.id).copied().unwrap_or(0),
            retired: g.retired_at.is_some(),
            merged_into: g.merged_into.and_then(|m| names.get(&m).cloned()),
            retired_on: g.retired_at.map(china_day),
            name: g.name,
        })
        .collect())
}

/// Creates a group at the end of the village's list.
pub async fn create_group(
    db: &Db,
    caller: &Caller,
    v: VillageId,
    name: &str,
    now: DateTime<Utc>,
) -> Result<GroupRow, AppError> {
    // Who may is settled before the writer lock is taken.
    office_village(&db.conn, caller, v).await?;
    let txn = db.write().await?;
    let groups = groups_in(&*txn, v).await?;
    let name = check_group_name(
        name,
        groups
            .iter()
            .filter(|g| g.retired_at.is_none())
            .map(|g| g.name.as_str()),
    )?;
    let sort_order = groups.iter().map(|g| g.sort_order).max().unwrap_or(0) + 1;
    let g = village_group::ActiveModel {
        village_id: Set(v.0),
        name: Set(name.clone()),
        sort_order: Set(sort_order),
        retired_at: Set(None),
        merged_into: Set(None),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "create_group",
        "village_group",
        Some(g.id),
        format!("village {} group {name}", v.0),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(GroupRow {
        id: GroupId(g.id),
        name,
        households: 0,
        retired: false,
        merged_into: None,
        retired_on: None,
    })
}

/// Renames a current group; the name stays unique among the village's
/// current groups. Households and past postings follow the group by id.
pub async fn rename_group(
    db: &Db,
    caller: &Caller,
    v: VillageId,
    g: GroupId,
    name: &str,
    now: DateTime<Utc>,
) -> Result<GroupRow, AppError> {
    // Who may is settled before the writer lock is taken.
    office_village(&db.conn, caller, v).await?;
    let txn = db.write().await?;
    let group = group_in(&*txn, v, g).await?;
    if group.retired_at.is_some() {
        return Err(AppError::invalid(
            domain::setup::GroupError::Retired(group.name).to_string(),
        ));
    }
    let groups = groups_in(&*txn, v).await?;
    let name = check_group_name(
        name,
        groups
            .iter()
            .filter(|x| x.retired_at.is_none() && x.id != group.id)
            .map(|x| x.name.as_str()),
    )?;
    let households = household::Entity::find()
        .filter(household::Column::GroupId.eq(group.id))
        .filter(household::Column::MovedAway.eq(false))
        .count(&*txn)
        .await?;
    if name != group.name {
        let old = group.name.clone();
        let mut am: village_group::ActiveModel = group.clone().into();
        am.name = Set(name.clone());
        am.update(&*txn).await?;
        audit::record(
            &*txn,
            Some(caller.user),
            "rename_group",
            "village_group",
            Some(group.id),
            format!("{old} -> {name}"),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(GroupRow {
        id: g,
        name,
        households: u32::try_from(households).unwrap_or(u32::MAX),
        retired: false,
        merged_into: None,
        retired_on: None,
    })
}

/// Merges group `from` into `into`: every household of `from` (moved away
/// ones too, so no household is left in a retired group) moves to `into`,
/// and `from` is retired. Past months keep their group: the monthly
/// aggregates (`household_month.group_id`) and frozen postings are not
/// rewritten, as when one household moves between groups.
pub async fn merge_groups(
    db: &Db,
    caller: &Caller,
    v: VillageId,
    from: GroupId,
    into: GroupId,
    now: DateTime<Utc>,
) -> Result<MergeDone, AppError> {
    // Who may is settled before the writer lock is taken.
    office_village(&db.conn, caller, v).await?;
    let txn = db.write().await?;
    let a = group_in(&*txn, v, from).await?;
    let b = group_in(&*txn, v, into).await?;
    check_merge(facts_of(&a), &a.name, facts_of(&b), &b.name)?;
    let moved = household::Entity::update_many()
        .col_expr(household::Column::GroupId, Expr::value(b.id))
        .filter(household::Column::VillageId.eq(v.0))
        .filter(household::Column::GroupId.eq(a.id))
        .exec(&*txn)
        .await?
        .rows_affected;
    // Scorers bound to the merged group now score the group it became.
    let scorers = user_account::Entity::update_many()
        .col_expr(user_account::Column::GroupId, Expr::value(b.id))
        .filter(user_account::Column::GroupId.eq(a.id))
        .exec(&*txn)
        .await?
        .rows_affected;
    let mut am: village_group::ActiveModel = a.clone().into();
    am.retired_at = Set(Some(now));
    am.merged_into = Set(Some(b.id));
    am.update(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "merge_group",
        "village_group",
        Some(a.id),
        format!(
            "{} ({}) into {} ({}): {moved} households, {scorers} scorers",
            a.name, a.id, b.name, b.id
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(MergeDone {
        moved: u32::try_from(moved).unwrap_or(u32::MAX),
        from: a.name,
        into: b.name,
    })
}

/// Notes that a village's card sheet (or one group's) was printed, with
/// the number of cards on it, for the readiness checklist.
pub async fn record_card_print(
    db: &Db,
    caller: &Caller,
    v: VillageId,
    group: Option<GroupId>,
    now: DateTime<Utc>,
) -> Result<u32, AppError> {
    // Who may is settled before the writer lock is taken.
    office_village(&db.conn, caller, v).await?;
    let txn = db.write().await?;
    if let Some(g) = group {
        group_in(&*txn, v, g).await?;
    }
    let mut find = household::Entity::find()
        .filter(household::Column::VillageId.eq(v.0))
        .filter(household::Column::MovedAway.eq(false));
    if let Some(g) = group {
        find = find.filter(household::Column::GroupId.eq(g.0));
    }
    let cards = u32::try_from(find.count(&*txn).await?).unwrap_or(u32::MAX);
    let row = card_print::ActiveModel {
        village_id: Set(v.0),
        group_id: Set(group.map(|g| g.0)),
        cards: Set(i32::try_from(cards).unwrap_or(i32::MAX)),
        printed_by: Set(caller.user.0),
        printed_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "print_cards",
        "card_print",
        Some(row.id),
        format!(
            "village {} group {} cards {cards}",
            v.0,
            group.map(|g| g.to_string()).unwrap_or_else(|| "all".into())
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(cards)
}
