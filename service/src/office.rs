//! Read models of the village back office (村积分管理).

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::{household, ledger_entry};
use super::{portal, Db};
use domain::{EntryId, HouseholdId, VillageId};
use wire::types::{OfficeEntry, OfficeHousehold, Recorded};
use wire::AppError;

/// Households of one village matching a search, with their balances.
pub async fn search(
    db: &Db,
    village: VillageId,
    q: &str,
) -> Result<Vec<OfficeHousehold>, AppError> {
    let found = portal::find_households(db, q, Some(village)).await?;
    office_households(db, found).await
}

/// Households as the office and the counter list them, with their group's name.
pub(crate) async fn office_households(
    db: &Db,
    found: Vec<household::Model>,
) -> Result<Vec<OfficeHousehold>, AppError> {
    let groups = portal::group_names(db, found.iter().map(|h| h.group_id)).await?;
    Ok(found
        .into_iter()
        .map(|h| OfficeHousehold {
            id: HouseholdId(h.id),
            group_name: groups.get(&h.group_id).cloned().unwrap_or_default(),
            card_no: h.card_no,
            head_name: h.head_name,
            balance: h.balance,
        })
        .collect())
}

/// The latest entries recorded in a village, newest first.
pub async fn recent_entries(
    db: &Db,
    village: VillageId,
    limit: u64,
) -> Result<Vec<OfficeEntry>, AppError> {
    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::VillageId.eq(village.0))
        .order_by_desc(ledger_entry::Column::Id)
        .limit(limit)
        .all(&db.conn)
        .await?;
    let households: HashMap<i32, household::Model> = household::Entity::find()
        .filter(household::Column::Id.is_in(entries.iter().map(|e| e.household_id)))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let titles = portal::rule_titles(db, entries.iter().map(|e| e.rule_item_id)).await?;
    let reversed: Vec<i32> = ledger_entry::Entity::find()
        .select_only()
        .column(ledger_entry::Column::Reverses)
        .filter(ledger_entry::Column::Reverses.is_in(entries.iter().map(|e| e.id)))
        .into_tuple::<Option<i32>>()
        .all(&db.conn)
        .await?
        .into_iter()
        .flatten()
        .collect();
    Ok(entries
        .into_iter()
        .map(|e| {
            let hh = households.get(&e.household_id);
            OfficeEntry {
                id: EntryId(e.id),
                card_no: hh.map(|h| h.card_no.clone()).unwrap_or_default(),
                head_name: hh.map(|h| h.head_name.clone()).unwrap_or_default(),
                item: titles.get(&e.rule_item_id).cloned().unwrap_or_default(),
                points: e.points,
                reversed: reversed.contains(&e.id),
                reverses: e.reverses.map(EntryId),
                balance: hh.map(|h| h.balance).unwrap_or_default(),
                occurred_on: e.occurred_on.format("%Y-%m-%d").to_string(),
                reason: e.reason,
            }
        })
        .collect())
}

/// What the clerk is told after an entry or reversal was written.
pub async fn recorded(db: &Db, entry: &ledger_entry::Model) -> Result<Recorded, AppError> {
    let hh = household::Entity::find_by_id(entry.household_id)
        .one(&db.conn)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(Recorded {
        entry: EntryId(entry.id),
        household: HouseholdId(hh.id),
        head_name: hh.head_name,
        points: entry.points,
        balance_after: hh.balance,
    })
}

/// Households of a village still living there, optionally of one group, by
/// card number: the list batch entry ticks from.
pub async fn roster(
    db: &Db,
    village: VillageId,
    group: Option<domain::GroupId>,
) -> Result<Vec<OfficeHousehold>, AppError> {
    let mut find = household::Entity::find()
        .filter(household::Column::VillageId.eq(village.0))
        .filter(household::Column::MovedAway.eq(false));
    if let Some(g) = group {
        find = find.filter(household::Column::GroupId.eq(g.0));
    }
    let found = find
        .order_by_asc(household::Column::CardNo)
        .all(&db.conn)
        .await?;
    office_households(db, found).await
}

/// The members of a household of the village, head first.
pub async fn members(
    db: &Db,
    village: VillageId,
    household: HouseholdId,
) -> Result<Vec<wire::types::MemberView>, AppError> {
    household::Entity::find_by_id(household.0)
        .one(&db.conn)
        .await?
        .filter(|h| h.village_id == village.0)
        .ok_or_else(|| AppError::not_found("找不到该农户"))?;
    Ok(super::entities::member::Entity::find()
        .filter(super::entities::member::Column::HouseholdId.eq(household.0))
        .order_by_desc(super::entities::member::Column::IsHead)
        .order_by_asc(super::entities::member::Column::Id)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|m| wire::types::MemberView {
            id: domain::MemberId(m.id),
            name: m.name,
            relation: m.relation,
        })
        .collect())
}
