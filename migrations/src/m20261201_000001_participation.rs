//! Villagers taking part (村民线上参与), activities (积分活动) and village
//! notices (村务公示): sign-ups and check-ins, appeals of ledger entries,
//! notices with every published version kept, and the villager's PIN login.

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
        m.create_table(
            Table::create()
                .table("activity")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(string("title"))
                .col(text("description"))
                .col(string("category"))
                .col(string("place"))
                .col(timestamp_with_time_zone("starts_at"))
                .col(timestamp_with_time_zone("ends_at"))
                .col(timestamp_with_time_zone("signup_deadline"))
                .col(integer_null("capacity"))
                // The rule item each participant is awarded (积分细则).
                .col(integer("rule_item_id"))
                .col(string_null("photo_path"))
                .col(string("status"))
                .col(string_null("cancel_reason"))
                .col(timestamp_with_time_zone_null("awarded_at"))
                .col(integer("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("activity", "village_id", "village"))
                .foreign_key(&mut fk("activity", "rule_item_id", "rule_item"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("activity", &["village_id", "starts_at"], false))
            .await?;

        // One row per member signed up; a withdrawal is marked, not deleted.
        m.create_table(
            Table::create()
                .table("activity_signup")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("activity_id"))
                .col(integer("household_id"))
                .col(integer("member_id"))
                .col(integer("signed_up_by"))
                // The clerk signed up a household without a phone (代报名).
                .col(boolean("assisted"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("withdrawn_at"))
                .col(timestamp_with_time_zone_null("checked_in_at"))
                .col(integer_null("checked_in_by"))
                .foreign_key(&mut fk("activity_signup", "activity_id", "activity"))
                .foreign_key(&mut fk("activity_signup", "household_id", "household"))
                .foreign_key(&mut fk("activity_signup", "member_id", "member"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "activity_signup",
            &["activity_id", "member_id"],
            true,
        ))
        .await?;
        m.create_index(index("activity_signup", &["household_id"], false))
            .await?;
        // Entries awarded for taking part point at their activity.
        m.alter_table(
            Table::alter()
                .table("ledger_entry")
                .add_column(integer_null("activity_id"))
                .to_owned(),
        )
        .await?;

        // 申诉: one ledger entry disputed by its household.
        m.create_table(
            Table::create()
                .table("appeal")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(integer("household_id"))
                .col(integer("entry_id"))
                .col(string("reason"))
                .col(integer("filed_by"))
                .col(boolean("assisted"))
                .col(timestamp_with_time_zone("filed_at"))
                .col(string("status"))
                .col(string_null("answer"))
                .col(integer_null("answered_by"))
                .col(timestamp_with_time_zone_null("answered_at"))
                .col(integer_null("reversal_entry_id"))
                .foreign_key(&mut fk("appeal", "entry_id", "ledger_entry"))
                .foreign_key(&mut fk("appeal", "household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("appeal", &["entry_id"], false))
            .await?;
        m.create_index(index("appeal", &["village_id", "status"], false))
            .await?;

        // 村务公示: the notice, and every version of its text ever published.
        m.create_table(
            Table::create()
                .table("notice")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(string("category"))
                .col(boolean("pinned"))
                .col(timestamp_with_time_zone("publish_at"))
                .col(integer("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                // Set when the notice is the 积分公示 of a published month.
                .col(integer_null("published_month_id"))
                .foreign_key(&mut fk("notice", "village_id", "village"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("notice", &["village_id", "publish_at"], false))
            .await?;
        m.create_table(
            Table::create()
                .table("notice_version")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("notice_id"))
                .col(integer("version"))
                .col(string("title"))
                .col(text("body"))
                .col(integer("edited_by"))
                .col(timestamp_with_time_zone("edited_at"))
                .foreign_key(&mut fk("notice_version", "notice_id", "notice"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("notice_version", &["notice_id", "version"], true))
            .await?;
        m.create_table(
            Table::create()
                .table("notice_file")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("notice_id"))
                .col(string("file_name"))
                .col(string("original_name"))
                .col(string("content_type"))
                .col(integer("bytes"))
                .col(timestamp_with_time_zone("uploaded_at"))
                .foreign_key(&mut fk("notice_file", "notice_id", "notice"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("notice_file", &["notice_id"], false))
            .await?;

        // A villager signs in with the card number or a phone and a PIN the
        // clerk sets; the phone is the household's contact.
        m.alter_table(
            Table::alter()
                .table("household")
                .add_column(string_null("phone"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("household")
                .drop_column("phone")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("ledger_entry")
                .drop_column("activity_id")
                .to_owned(),
        )
        .await?;
        for t in [
            "notice_file",
            "notice_version",
            "notice",
            "appeal",
            "activity_signup",
            "activity",
        ] {
            m.drop_table(Table::drop().table(t.to_owned()).to_owned())
                .await?;
        }
        Ok(())
    }
}
