//! The audit log (操作日志): who did what to which record, when.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};

use super::entities::audit_log;
use crate::domain::UserId;

/// Appends one audit row inside the caller's transaction.
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    user: Option<UserId>,
    action: &str,
    target_table: &str,
    target_id: Option<i32>,
    detail: String,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    audit_log::Entity::insert(audit_log::ActiveModel {
        user_id: Set(user.map(|u| u.0)),
        action: Set(action.to_string()),
        target_table: Set(target_table.to_string()),
        target_id: Set(target_id),
        detail: Set(detail),
        at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}
