//! The village back office: photo evidence, pending proposals and their
//! review, and the monthly public ledger frozen at publication.

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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // 证明照片: a resized photo stored under the data folder.
        m.create_table(
            Table::create()
                .table("evidence")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(string("file_name"))
                .col(integer("width"))
                .col(integer("height"))
                .col(integer("bytes"))
                .col(integer("uploaded_by"))
                .col(timestamp_with_time_zone("uploaded_at"))
                .foreign_key(&mut fk("evidence", "village_id", "village"))
                .foreign_key(&mut fk("evidence", "uploaded_by", "user_account"))
                .to_owned(),
        )
        .await?;
        // SQLite cannot add a foreign key to an existing table; the service
        // only ever sets this to an evidence row of the entry's own village.
        m.alter_table(
            Table::alter()
                .table("ledger_entry")
                .add_column(integer_null("evidence_id"))
                .to_owned(),
        )
        .await?;

        // 待审核: a villager's declaration or a scoring team's proposal.
        m.create_table(
            Table::create()
                .table("proposal")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(integer("household_id"))
                .col(integer_null("member_id"))
                .col(integer("rule_item_id"))
                .col(string("reason"))
                .col(date("occurred_on"))
                .col(string("source"))
                .col(integer("proposed_by"))
                .col(timestamp_with_time_zone("proposed_at"))
                .col(integer_null("evidence_id"))
                .foreign_key(&mut fk("proposal", "village_id", "village"))
                .foreign_key(&mut fk("proposal", "household_id", "household"))
                .foreign_key(&mut fk("proposal", "rule_item_id", "rule_item"))
                .foreign_key(&mut fk("proposal", "proposed_by", "user_account"))
                .foreign_key(&mut fk("proposal", "evidence_id", "evidence"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_proposal_village_id")
                .table("proposal")
                .col("village_id")
                .col("id")
                .if_not_exists()
                .to_owned(),
        )
        .await?;
        // One decision per proposal, never changed: the unique key makes the
        // pending -> approved/rejected step one-way.
        m.create_table(
            Table::create()
                .table("proposal_review")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer_uniq("proposal_id"))
                .col(boolean("approved"))
                .col(string("reason"))
                .col(integer_null("entry_id"))
                .col(integer("reviewed_by"))
                .col(timestamp_with_time_zone("reviewed_at"))
                .foreign_key(&mut fk("proposal_review", "proposal_id", "proposal"))
                .foreign_key(&mut fk("proposal_review", "entry_id", "ledger_entry"))
                .foreign_key(&mut fk("proposal_review", "reviewed_by", "user_account"))
                .to_owned(),
        )
        .await?;

        // 月度公示: the frozen content of a village's month and its digest.
        m.create_table(
            Table::create()
                .table("published_month")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(integer("month"))
                .col(text("content"))
                .col(string("digest"))
                .col(big_integer("points_awarded"))
                .col(big_integer("points_deducted"))
                .col(big_integer("points_redeemed"))
                .col(integer("entries"))
                .col(integer("redemptions"))
                .col(integer("published_by"))
                .col(timestamp_with_time_zone("published_at"))
                .foreign_key(&mut fk("published_month", "village_id", "village"))
                .foreign_key(&mut fk("published_month", "published_by", "user_account"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_published_month_village_id_month")
                .table("published_month")
                .col("village_id")
                .col("month")
                .unique()
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["published_month", "proposal_review", "proposal"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table("ledger_entry")
                .drop_column("evidence_id")
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("evidence").to_owned())
            .await
    }
}
