//! Revisions of a village's rule catalogue (积分制方案的修订): a draft of
//! changes is published as one revision with the villagers' decision record
//! (决议记录). Published items stay in `rule_item` with their versions; a
//! draft lives only here, so it is never in force. A published revision and
//! its changes are kept for good: they are the public history of the scheme.

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

fn index(table: &str, cols: &[&str]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(format!("ix_{}_{}", table, cols.join("_")))
        .table(table.to_owned());
    for c in cols {
        i.col(String::from(*c));
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One row per revision. While `status` is 'draft' the decision
        // columns are empty; publishing fills them in the same transaction
        // that writes the catalogue. At most one draft per village (kept by
        // the service: a partial unique index is not portable).
        m.create_table(
            Table::create()
                .table("rule_revision")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(string("status"))
                // 第 N 次修订 of the village, given when published.
                .col(integer_null("seq"))
                .col(date_null("effective_from"))
                // 'representatives' (村民代表大会) or 'villagers' (村民会议).
                .col(string_null("meeting_kind"))
                .col(date_null("meeting_on"))
                // 应到, 实到 and the vote.
                .col(integer_null("entitled"))
                .col(integer_null("attended"))
                .col(integer_null("votes_for"))
                .col(integer_null("votes_against"))
                .col(integer_null("votes_abstain"))
                // The minutes (会议记录): a photo or PDF under the files folder.
                .col(string_null("minutes_file"))
                .col(string_null("minutes_type"))
                .col(string_null("minutes_name"))
                .col(string("note"))
                .col(integer("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(integer_null("published_by"))
                .col(timestamp_with_time_zone_null("published_at"))
                .foreign_key(&mut fk("rule_revision", "village_id", "village"))
                .foreign_key(&mut fk("rule_revision", "created_by", "user_account"))
                .foreign_key(&mut fk("rule_revision", "published_by", "user_account"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("rule_revision", &["village_id", "status"]))
            .await?;

        // One change of a revision: an addition, a change or a retirement.
        // The proposed terms are kept as drafted; `base_item_id` is the
        // version the change was drafted on (the "before" of the history)
        // and `result_item_id` the version publishing wrote.
        m.create_table(
            Table::create()
                .table("rule_change")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("revision_id"))
                .col(string("kind"))
                .col(integer_null("lineage_id"))
                .col(integer_null("base_item_id"))
                .col(string("category"))
                .col(string_null("title"))
                .col(integer_null("points"))
                .col(string_null("unit"))
                .col(integer_null("monthly_cap"))
                .col(boolean_null("evidence_required"))
                .col(integer_null("result_item_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("rule_change", "revision_id", "rule_revision"))
                .foreign_key(&mut fk("rule_change", "base_item_id", "rule_item"))
                .foreign_key(&mut fk("rule_change", "result_item_id", "rule_item"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("rule_change", &["revision_id"])).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["rule_change", "rule_revision"] {
            m.drop_table(Table::drop().table(t.to_owned()).to_owned())
                .await?;
        }
        Ok(())
    }
}
