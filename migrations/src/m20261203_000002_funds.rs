//! The town's fund ledger (资金台账 — 村财镇代管、专款专用): the funds a
//! village is granted (the district subsidy, demonstration awards), the
//! payments that reach it (the subsidy's two tranches), and what it spent,
//! by category, with a voucher photo. Payments and spending are append-only:
//! a mistake is corrected by a reversal row (冲销) naming the row it cancels.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(from_table: &str, from_col: &str, to_table: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_col}"))
        .from(from_table.to_owned(), from_col.to_owned())
        .to(to_table.to_owned(), "id")
        .to_owned()
}

fn index(table: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(format!(
        "{}_{}_{}",
        if unique { "uq" } else { "ix" },
        table,
        cols.join("_")
    ))
    .table(table.to_owned());
    for c in cols {
        i.col(String::from(*c));
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // A source fund of a village: "subsidy" (区级补助), "district_award"
        // (区级示范村奖补) or "town_award" (镇级示范村奖补).
        m.create_table(
            Table::create()
                .table("fund")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(string("kind"))
                .col(big_integer("granted_fen"))
                .col(date("granted_on"))
                .col(string("note"))
                .col(integer("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("fund", "village_id", "village"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("fund", &["village_id", "kind"], false))
            .await?;

        // Money reaching the village from a fund (到账): tranche 1 or 2 of
        // the subsidy; an award arrives as tranche 1.
        m.create_table(
            Table::create()
                .table("fund_payment")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("fund_id"))
                .col(integer("village_id"))
                .col(integer("tranche"))
                .col(big_integer("amount_fen"))
                .col(date("paid_on"))
                .col(string("note"))
                .col(integer_null("reverses"))
                .col(string_null("reason"))
                .col(integer("recorded_by"))
                .col(timestamp_with_time_zone("recorded_at"))
                .foreign_key(&mut fk("fund_payment", "fund_id", "fund"))
                .foreign_key(&mut fk("fund_payment", "village_id", "village"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("fund_payment", &["fund_id"], false))
            .await?;
        m.create_index(index("fund_payment", &["reverses"], true))
            .await?;

        // Money spent (支出); a reversal has the negated amount.
        m.create_table(
            Table::create()
                .table("fund_spending")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("fund_id"))
                .col(integer("village_id"))
                .col(date("spent_on"))
                .col(big_integer("amount_fen"))
                .col(string("category"))
                .col(string("description"))
                .col(string_null("voucher_path"))
                .col(integer_null("reverses"))
                .col(string_null("reason"))
                .col(integer("recorded_by"))
                .col(timestamp_with_time_zone("recorded_at"))
                .foreign_key(&mut fk("fund_spending", "fund_id", "fund"))
                .foreign_key(&mut fk("fund_spending", "village_id", "village"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("fund_spending", &["village_id", "spent_on"], false))
            .await?;
        m.create_index(index("fund_spending", &["reverses"], true))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["fund_spending", "fund_payment", "fund"] {
            m.drop_table(Table::drop().table(t.to_owned()).to_owned())
                .await?;
        }
        Ok(())
    }
}
