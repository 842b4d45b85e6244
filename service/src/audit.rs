//! The audit log (操作日志): who did what to which record, when.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryTrait, Set, Statement};

use super::entities::audit_log;
use domain::UserId;

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
    let row = Row {
        user,
        action,
        target_table,
        target_id,
        detail,
        at: now,
    };
    conn.execute_raw(row.statement(conn.get_database_backend()))
        .await?;
    Ok(())
}

/// One audit row, for a caller that sends it together with its own
/// statements ([`super::db::execute_all`]).
pub struct Row<'a> {
    pub user: Option<UserId>,
    pub action: &'a str,
    pub target_table: &'a str,
    pub target_id: Option<i32>,
    pub detail: String,
    pub at: DateTime<Utc>,
}

impl Row<'_> {
    /// The insert of this row.
    pub fn statement(self, backend: DbBackend) -> Statement {
        audit_log::Entity::insert(audit_log::ActiveModel {
            user_id: Set(self.user.map(|u| u.0)),
            action: Set(self.action.to_string()),
            target_table: Set(self.target_table.to_string()),
            target_id: Set(self.target_id),
            detail: Set(self.detail),
            at: Set(self.at),
            ..Default::default()
        })
        .build(backend)
    }
}
