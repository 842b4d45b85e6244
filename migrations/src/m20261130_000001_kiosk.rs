//! The points-supermarket counter: goods categories and low-stock thresholds,
//! stock receipts with cost and supplier, and same-day voids of redemptions
//! written as reversal redemptions.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// SQLite allows one change per ALTER TABLE statement.
async fn add(m: &SchemaManager<'_>, table: &str, col: ColumnDef) -> Result<(), DbErr> {
    m.alter_table(
        Table::alter()
            .table(table.to_owned())
            .add_column(col)
            .to_owned(),
    )
    .await
}

async fn drop(m: &SchemaManager<'_>, table: &str, col: &str) -> Result<(), DbErr> {
    m.alter_table(
        Table::alter()
            .table(table.to_owned())
            .drop_column(col.to_owned())
            .to_owned(),
    )
    .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The kiosk groups its tiles by category (商品分类).
        add(m, "goods", string("category").default("日用品").to_owned()).await?;
        // Below this many units the stock page warns (库存预警).
        add(m, "goods", integer("low_stock").default(5).to_owned()).await?;

        // A receipt (入库) records what the goods cost and who supplied them;
        // the town's reconciliation of points against money reads these.
        add(m, "stock_movement", big_integer_null("unit_cost_fen")).await?;
        add(m, "stock_movement", string_null("supplier")).await?;
        add(m, "stock_movement", date_null("moved_on")).await?;

        // A void (作废) is a redemption with negated total and lines that
        // points at the one it cancels; unique, so a receipt is voided once.
        add(m, "redemption", integer_null("reverses")).await?;
        add(m, "redemption", string_null("reason")).await?;
        m.create_index(
            Index::create()
                .name("uq_redemption_reverses")
                .table("redemption")
                .col("reverses")
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("uq_redemption_reverses")
                .table("redemption")
                .to_owned(),
        )
        .await?;
        for (t, c) in [
            ("redemption", "reason"),
            ("redemption", "reverses"),
            ("stock_movement", "moved_on"),
            ("stock_movement", "supplier"),
            ("stock_movement", "unit_cost_fen"),
            ("goods", "low_stock"),
            ("goods", "category"),
        ] {
            drop(m, t, c).await?;
        }
        Ok(())
    }
}
