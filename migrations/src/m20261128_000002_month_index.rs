//! Town-wide monthly figures (the home page, the village ranking) filter
//! `household_month` by month alone; without this index they scan every row.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("ix_household_month_month_village_id")
                .table("household_month")
                .col("month")
                .col("village_id")
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_household_month_month_village_id")
                .table("household_month")
                .to_owned(),
        )
        .await
    }
}
