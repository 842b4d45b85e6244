//! Appeals (积分申诉) on the database: a household disputes one of its
//! entries; the village clerk answers. Upholding reverses the entry in the
//! same transaction, so the entry, the appeal, the answer and the reversal
//! all stay on the ledger.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::entities::{appeal, ledger_entry};
use super::{audit, ledger, Db};
use domain::appeal::{check_answer, check_appeal, reversal_reason, AppealStatus, AppealedEntry};
use domain::roles::Caller;
use domain::{EntryId, HouseholdId, VillageId};
use wire::AppError;

/// Files an appeal against an entry: by the household itself, or by the
/// village's clerk on its behalf (assisted, for people without a phone).
pub async fn file(
    db: &Db,
    caller: &Caller,
    entry: EntryId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<appeal::Model, AppError> {
    let txn = db.write().await?;
    let e = ledger_entry::Entity::find_by_id(entry.0)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该积分记录"))?;
    let own = caller.household == Some(HouseholdId(e.household_id));
    let staff = caller.may_record_points(VillageId(e.village_id));
    if !own && !staff {
        return Err(AppError::Forbidden);
    }
    let reversed = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::HouseholdId.eq(e.household_id))
        .filter(ledger_entry::Column::Reverses.eq(e.id))
        .one(&*txn)
        .await?
        .is_some();
    let open_appeal = appeal::Entity::find()
        .filter(appeal::Column::EntryId.eq(e.id))
        .filter(appeal::Column::Status.eq(AppealStatus::Pending.as_str()))
        .one(&*txn)
        .await?
        .is_some();
    let reason = check_appeal(
        AppealedEntry {
            own: true,
            is_reversal: e.reverses.is_some(),
            reversed,
            open_appeal,
        },
        reason,
    )?;
    let a = appeal::ActiveModel {
        village_id: Set(e.village_id),
        household_id: Set(e.household_id),
        entry_id: Set(e.id),
        reason: Set(reason),
        filed_by: Set(caller.user.0),
        assisted: Set(!own),
        filed_at: Set(now),
        status: Set(AppealStatus::Pending.as_str().into()),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    let how = if own { "self" } else { "assisted" };
    audit::record(
        &*txn,
        Some(caller.user),
        "file_appeal",
        "appeal",
        Some(a.id),
        format!("{how}: entry {}", e.id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(a)
}

/// The clerk's answer: upheld (the entry is reversed, with the answer as
/// the reason) or rejected (the entry stands). Answered once.
pub async fn answer(
    db: &Db,
    caller: &Caller,
    appeal_id: i32,
    uphold: bool,
    answer: &str,
    now: DateTime<Utc>,
) -> Result<appeal::Model, AppError> {
    let txn = db.write().await?;
    let a = appeal::Entity::find_by_id(appeal_id)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该申诉"))?;
    if !caller.may_record_points(VillageId(a.village_id)) {
        return Err(AppError::Forbidden);
    }
    let status = AppealStatus::parse(&a.status).unwrap_or(AppealStatus::Pending);
    let answer = check_answer(status, answer).map_err(|e| match status {
        AppealStatus::Pending => AppError::invalid(e.to_string()),
        _ => AppError::Conflict(e.to_string()),
    })?;
    let reversal = if uphold {
        let r = ledger::reverse_in(
            &txn,
            caller,
            EntryId(a.entry_id),
            &reversal_reason(&answer),
            now,
        )
        .await?;
        Some(r.id)
    } else {
        None
    };
    let to = if uphold {
        AppealStatus::Upheld
    } else {
        AppealStatus::Rejected
    };
    let mut m: appeal::ActiveModel = a.into();
    m.status = Set(to.as_str().into());
    m.answer = Set(Some(answer));
    m.answered_by = Set(Some(caller.user.0));
    m.answered_at = Set(Some(now));
    m.reversal_entry_id = Set(reversal);
    let a = m.update(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "answer_appeal",
        "appeal",
        Some(a.id),
        to.as_str().into(),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(a)
}
