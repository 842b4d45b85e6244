//! Sessions end after a while without use (idle timeout), not only at
//! their absolute expiry: each session notes when it was last used.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Null on sessions opened before this migration: they count as last
        // used when they were created.
        m.alter_table(
            Table::alter()
                .table("session".to_owned())
                .add_column(timestamp_with_time_zone_null("last_seen_at"))
                .to_owned(),
        )
        .await?;
        // Ending every session of an account (PIN reset, moved away) finds
        // them by user.
        m.create_index(
            Index::create()
                .name("ix_session_user_id")
                .table("session".to_owned())
                .col("user_id".to_owned())
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_session_user_id")
                .table("session".to_owned())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("session".to_owned())
                .drop_column("last_seen_at".to_owned())
                .to_owned(),
        )
        .await
    }
}
