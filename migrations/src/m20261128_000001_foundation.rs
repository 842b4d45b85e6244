//! The foundation schema: town, villages, households, rules, ledger, goods,
//! redemptions, accounts, sessions and the audit log.

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
    let mut stmt = Index::create();
    stmt.name(format!("ix_{}_{}", table, cols.join("_")))
        .table(table.to_owned())
        .if_not_exists();
    for c in cols {
        stmt.col(String::from(*c));
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}

/// Tables in creation order (children after parents); dropped in reverse.
const TABLES: &[&str] = &[
    "town",
    "village",
    "village_group",
    "household",
    "member",
    "rule_category",
    "rule_item",
    "user_account",
    "ledger_entry",
    "household_month",
    "goods",
    "redemption",
    "redemption_line",
    "stock_movement",
    "session",
    "login_attempt",
    "audit_log",
    "setting",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("town")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(string("name"))
                .col(string("code"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("village")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("town_id"))
                .col(string("name"))
                .col(string_uniq("code"))
                .col(string("kind"))
                .col(boolean("agricultural"))
                .col(boolean("taking_part"))
                .col(integer("sort_order"))
                .foreign_key(&mut fk("village", "town_id", "town"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("village_group")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(string("name"))
                .col(integer("sort_order"))
                .foreign_key(&mut fk("village_group", "village_id", "village"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("household")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(integer("group_id"))
                .col(string_uniq("card_no"))
                .col(string("head_name"))
                .col(string("head_initials"))
                .col(string("address"))
                .col(boolean("resident"))
                .col(boolean("aware"))
                .col(boolean("moved_away"))
                .col(big_integer("balance"))
                .col(big_integer("earned_total"))
                .col(big_integer("redeemed_total"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("household", "village_id", "village"))
                .foreign_key(&mut fk("household", "group_id", "village_group"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("household", &["village_id", "group_id"], false))
            .await?;
        m.create_index(index("household", &["village_id", "head_name"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("member")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("household_id"))
                .col(string("name"))
                .col(string("relation"))
                .col(boolean("is_head"))
                .foreign_key(&mut fk("member", "household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("member", &["household_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("rule_category")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(string("name"))
                .col(integer("sort_order"))
                .foreign_key(&mut fk("rule_category", "village_id", "village"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("rule_item")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(integer("category_id"))
                // All versions of one item share its lineage (the id of version 1).
                .col(integer_null("lineage_id"))
                .col(integer("version"))
                .col(string("title"))
                .col(integer("points"))
                .col(string("unit"))
                .col(integer_null("monthly_cap"))
                .col(boolean("evidence_required"))
                .col(date("active_from"))
                .col(date_null("active_until"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("rule_item", "village_id", "village"))
                .foreign_key(&mut fk("rule_item", "category_id", "rule_category"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("rule_item", &["village_id", "category_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("user_account")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(string_uniq("username"))
                .col(string("password_hash"))
                .col(string("display_name"))
                .col(string("role"))
                .col(integer_null("village_id"))
                .col(integer_null("household_id"))
                .col(boolean("active"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("user_account", "village_id", "village"))
                .foreign_key(&mut fk("user_account", "household_id", "household"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("ledger_entry")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(integer("household_id"))
                .col(integer_null("member_id"))
                .col(integer("rule_item_id"))
                .col(integer("points"))
                .col(string("reason"))
                .col(date("occurred_on"))
                .col(integer("recorded_by"))
                .col(timestamp_with_time_zone("recorded_at"))
                .col(string("status"))
                .col(integer_null("reverses"))
                .foreign_key(&mut fk("ledger_entry", "village_id", "village"))
                .foreign_key(&mut fk("ledger_entry", "household_id", "household"))
                .foreign_key(&mut fk("ledger_entry", "member_id", "member"))
                .foreign_key(&mut fk("ledger_entry", "rule_item_id", "rule_item"))
                .foreign_key(&mut fk("ledger_entry", "recorded_by", "user_account"))
                .foreign_key(&mut fk("ledger_entry", "reverses", "ledger_entry"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ledger_entry", &["household_id", "id"], false))
            .await?;
        m.create_index(index("ledger_entry", &["village_id", "occurred_on"], false))
            .await?;
        // At most one reversal per entry.
        m.create_index(index("ledger_entry", &["reverses"], true))
            .await?;

        // Per household per month aggregates, written in the same transaction as
        // the entries and redemptions they summarise: leaderboards read these
        // rows, so their cost follows households, not ledger entries.
        m.create_table(
            Table::create()
                .table("household_month")
                .if_not_exists()
                .col(integer("household_id"))
                .col(integer("village_id"))
                .col(integer("group_id"))
                .col(integer("month"))
                .col(big_integer("awarded"))
                .col(big_integer("deducted"))
                .col(big_integer("redeemed"))
                .primary_key(Index::create().col("household_id").col("month"))
                .foreign_key(&mut fk("household_month", "household_id", "household"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("household_month", &["village_id", "month"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("goods")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(string("name"))
                .col(string("unit"))
                .col(integer("price_points"))
                .col(integer("stock"))
                .col(string_null("photo_path"))
                .col(boolean("active"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("goods", "village_id", "village"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("goods", &["village_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("redemption")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(integer("household_id"))
                .col(integer("clerk_id"))
                .col(string_uniq("idempotency_key"))
                .col(string_uniq("receipt_no"))
                .col(big_integer("total_points"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("redemption", "village_id", "village"))
                .foreign_key(&mut fk("redemption", "household_id", "household"))
                .foreign_key(&mut fk("redemption", "clerk_id", "user_account"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("redemption", &["household_id", "id"], false))
            .await?;
        m.create_index(index("redemption", &["village_id", "created_at"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("redemption_line")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("redemption_id"))
                .col(integer("goods_id"))
                .col(integer("quantity"))
                .col(integer("unit_price"))
                .foreign_key(&mut fk("redemption_line", "redemption_id", "redemption"))
                .foreign_key(&mut fk("redemption_line", "goods_id", "goods"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("redemption_line", &["redemption_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("stock_movement")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("goods_id"))
                .col(string("kind"))
                .col(integer("quantity"))
                .col(string_null("reason"))
                .col(integer_null("redemption_id"))
                .col(integer_null("recorded_by"))
                .col(timestamp_with_time_zone("recorded_at"))
                .foreign_key(&mut fk("stock_movement", "goods_id", "goods"))
                .foreign_key(&mut fk("stock_movement", "redemption_id", "redemption"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("stock_movement", &["goods_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("session")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(string_uniq("token_hash"))
                .col(integer("user_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .foreign_key(&mut fk("session", "user_id", "user_account"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("login_attempt")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(string("username"))
                .col(string("address"))
                .col(boolean("success"))
                .col(timestamp_with_time_zone("at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("login_attempt", &["username", "at"], false))
            .await?;
        m.create_index(index("login_attempt", &["address", "at"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("audit_log")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer_null("user_id"))
                .col(string("action"))
                .col(string("target_table"))
                .col(integer_null("target_id"))
                .col(text("detail"))
                .col(timestamp_with_time_zone("at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("setting")
                .if_not_exists()
                .col(string("key").primary_key())
                .col(string("value"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES.iter().rev() {
            m.drop_table(Table::drop().table(String::from(*t)).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
