//! The rule catalogue service: revising an item makes a new version.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

use super::entities::rule_item;
use super::ledger::rule_version;
use super::{audit, Db};
use crate::domain::roles::Caller;
use crate::domain::rules::{revise, RuleTerms};
use crate::domain::{RuleItemId, VillageId};
use crate::error::AppError;

/// Revises a rule item from `effective` on. The current version keeps its
/// terms and is closed the day before; entries recorded under it keep
/// pointing at it. Returns the new version.
pub async fn revise_item(
    db: &Db,
    caller: &Caller,
    item: RuleItemId,
    terms: RuleTerms,
    effective: NaiveDate,
    now: DateTime<Utc>,
) -> Result<rule_item::Model, AppError> {
    let txn = db.write().await?;
    let current = rule_item::Entity::find_by_id(item.0)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该积分细则"))?;
    if !caller.may_record_points(VillageId(current.village_id)) {
        return Err(AppError::Forbidden);
    }
    if current.active_until.is_some() {
        return Err(AppError::Conflict(
            "该细则已有新版本，请修改最新版本".into(),
        ));
    }
    let (closed, next) = revise(&rule_version(&current), terms, effective)
        .map_err(|e| AppError::invalid(e.to_string()))?;
    // Only the end of the active period is set; the terms of a version that
    // entries point at are never changed.
    rule_item::ActiveModel {
        id: Set(current.id),
        active_until: Set(closed.active_until),
        ..Default::default()
    }
    .update(&*txn)
    .await?;
    let new = rule_item::ActiveModel {
        village_id: Set(current.village_id),
        category_id: Set(current.category_id),
        lineage_id: Set(Some(current.lineage_id.unwrap_or(current.id))),
        version: Set(next.version),
        title: Set(next.terms.title.trim().to_string()),
        points: Set(next.terms.points),
        unit: Set(next.terms.unit.as_str().into()),
        monthly_cap: Set(next.terms.monthly_cap),
        evidence_required: Set(next.terms.evidence_required),
        active_from: Set(next.active_from),
        active_until: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "revise_rule_item",
        "rule_item",
        Some(new.id),
        format!("supersedes {} from {}", current.id, effective),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(new)
}
