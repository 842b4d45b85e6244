//! Leaderboards read `household_month` by village and month range. This
//! covering index holds every column they read, so a village's month is one
//! contiguous index range instead of rows scattered over the table, and the
//! read does not slow down as months of history pile up.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_household_month_board";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name(NAME)
                .table("household_month")
                .col("village_id")
                .col("month")
                .col("household_id")
                .col("group_id")
                .col("awarded")
                .col("deducted")
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name(NAME).table("household_month").to_owned())
            .await
    }
}
