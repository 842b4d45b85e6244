//! Goods on sale in past months: the dashboard works each goods' stock back
//! from today's through its movements, one month at a time. This index lets
//! each month's movements be read by time without touching the table.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("ix_stock_movement_recorded_at")
                .table("stock_movement".to_owned())
                .col("recorded_at".to_owned())
                .col("goods_id".to_owned())
                .col("quantity".to_owned())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_stock_movement_recorded_at")
                .table("stock_movement".to_owned())
                .to_owned(),
        )
        .await
    }
}
