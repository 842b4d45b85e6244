//! The town dashboard's counts: how many live entries each household has in
//! each month (a household "takes part" in a month when it has one that was
//! not reversed), and the month a household moved away, so the resident
//! households of any past month can be counted.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, TransactionTrait};
use sea_orm_migration::{schema::*, sea_orm::prelude::Date};
use std::collections::{HashMap, HashSet};

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
        // Approved entries dated in the month that are neither a reversal nor
        // reversed: the household took part (参与) in the month.
        add(
            m,
            "household_month",
            big_integer("entries").default(0).to_owned(),
        )
        .await?;
        // yyyymm (China time) of the day the household moved away (迁出); it
        // counts as resident only in the months before. NULL on a moved-away
        // household means "before records began".
        add(m, "household", integer_null("moved_away_month").to_owned()).await?;
        backfill_entries(m).await?;
        // The dashboard sums a year of every village's months: an index that
        // holds every column it reads spares a table lookup per row. It
        // starts with the (month, village_id) index it replaces.
        m.drop_index(
            Index::drop()
                .name("ix_household_month_month_village_id")
                .table("household_month".to_owned())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_household_month_dashboard")
                .table("household_month".to_owned())
                .col("month".to_owned())
                .col("village_id".to_owned())
                .col("household_id".to_owned())
                .col("entries".to_owned())
                .col("redeemed".to_owned())
                .col("awarded".to_owned())
                .col("deducted".to_owned())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_household_month_dashboard")
                .table("household_month".to_owned())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_household_month_month_village_id")
                .table("household_month".to_owned())
                .col("month".to_owned())
                .col("village_id".to_owned())
                .to_owned(),
        )
        .await?;
        drop(m, "household", "moved_away_month").await?;
        drop(m, "household_month", "entries").await
    }
}

/// Counts the live entries of the ledger as it stands. Done in Rust with
/// portable statements: month arithmetic on dates differs between databases.
async fn backfill_entries(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let select = Query::select()
        .columns(["id", "household_id", "occurred_on", "reverses"])
        .from("ledger_entry")
        .and_where(Expr::col("status").eq("approved"))
        .to_owned();
    let rows = db.query_all(&select).await?;
    let mut entries: Vec<(i32, i32, i32)> = Vec::with_capacity(rows.len());
    let mut reversed: HashSet<i32> = HashSet::new();
    for row in rows {
        let id: i32 = row.try_get("", "id")?;
        let household: i32 = row.try_get("", "household_id")?;
        let day: Date = row.try_get("", "occurred_on")?;
        match row.try_get::<Option<i32>>("", "reverses")? {
            Some(original) => {
                reversed.insert(original);
            }
            None => {
                let month = day.format("%Y%m").to_string().parse().unwrap_or(0);
                entries.push((id, household, month));
            }
        }
    }
    let mut counts: HashMap<(i32, i32), i64> = HashMap::new();
    for (id, household, month) in entries {
        if !reversed.contains(&id) {
            *counts.entry((household, month)).or_default() += 1;
        }
    }
    let txn = db.begin().await?;
    for ((household, month), n) in counts {
        let update = Query::update()
            .table("household_month")
            .value("entries", n)
            .and_where(Expr::col("household_id").eq(household))
            .and_where(Expr::col("month").eq(month))
            .to_owned();
        txn.execute(&update).await?;
    }
    txn.commit().await
}
