//! Setting a village up: groups (组) can be merged, and household card
//! printing is recorded.
//!
//! A merged group is retired, not deleted: past months' aggregates
//! (`household_month.group_id`) and frozen postings still name it, so the
//! row stays and only leaves the pickers. `card_print` notes each time a
//! village's card sheet is printed, for the town's readiness checklist.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Two statements: SQLite alters one column at a time.
        m.alter_table(
            Table::alter()
                .table("village_group".to_owned())
                .add_column(timestamp_with_time_zone_null("retired_at"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("village_group".to_owned())
                .add_column(integer_null("merged_into"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("card_print")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(integer_null("group_id"))
                .col(integer("cards"))
                .col(integer("printed_by"))
                .col(timestamp_with_time_zone("printed_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_card_print_village_id")
                        .from("card_print".to_owned(), "village_id".to_owned())
                        .to("village".to_owned(), "id".to_owned()),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_card_print_village_id")
                .table("card_print".to_owned())
                .col("village_id".to_owned())
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("card_print".to_owned()).to_owned())
            .await?;
        for col in ["merged_into", "retired_at"] {
            m.alter_table(
                Table::alter()
                    .table("village_group".to_owned())
                    .drop_column(col.to_owned())
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
