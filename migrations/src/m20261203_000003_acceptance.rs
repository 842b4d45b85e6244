//! Acceptance (验收) of each village's points system against the plan's six
//! basic standards, and the inputs of the demonstration-village evaluation:
//! the town's monthly living-environment scores, the disqualifying events,
//! and the nominations. Nothing here is deleted: evidence is added, an
//! acceptance or a nomination is withdrawn with a reason, a flag is lifted.

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
        // A photo or document proving one checklist item; newer rows add to
        // older ones.
        m.create_table(
            Table::create()
                .table("acceptance_evidence")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(string("item"))
                .col(string("file_name"))
                .col(string("original_name"))
                .col(string("content_type"))
                .col(integer("bytes"))
                .col(string("note"))
                .col(integer("uploaded_by"))
                .col(timestamp_with_time_zone("uploaded_at"))
                .foreign_key(&mut fk("acceptance_evidence", "village_id", "village"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("acceptance_evidence", &["village_id", "item"], false))
            .await?;

        // The town's acceptance of a village on a date; a withdrawn one keeps
        // its row with the reason.
        m.create_table(
            Table::create()
                .table("village_acceptance")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(date("accepted_on"))
                .col(string("note"))
                .col(integer("accepted_by"))
                .col(timestamp_with_time_zone("recorded_at"))
                .col(timestamp_with_time_zone_null("withdrawn_at"))
                .col(integer_null("withdrawn_by"))
                .col(string_null("withdraw_reason"))
                .foreign_key(&mut fk("village_acceptance", "village_id", "village"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("village_acceptance", &["village_id"], false))
            .await?;

        // 人居环境月度评分, in tenths (915 = 91.5); one row per village and
        // month, re-entries go to the audit log.
        m.create_table(
            Table::create()
                .table("living_score")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(integer("month"))
                .col(integer("score_tenths"))
                .col(integer("entered_by"))
                .col(timestamp_with_time_zone("entered_at"))
                .foreign_key(&mut fk("living_score", "village_id", "village"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("living_score", &["village_id", "month"], true))
            .await?;
        m.create_index(index("living_score", &["month"], false))
            .await?;

        // 一票否决 events; lifted with a reason, never deleted.
        m.create_table(
            Table::create()
                .table("village_flag")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("village_id"))
                .col(string("kind"))
                .col(date("occurred_on"))
                .col(string("note"))
                .col(integer("recorded_by"))
                .col(timestamp_with_time_zone("recorded_at"))
                .col(timestamp_with_time_zone_null("lifted_at"))
                .col(integer_null("lifted_by"))
                .col(string_null("lift_reason"))
                .foreign_key(&mut fk("village_flag", "village_id", "village"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("village_flag", &["village_id"], false))
            .await?;

        // 示范村 nominations: one current row per year and level; replaced or
        // withdrawn rows stay with the reason.
        m.create_table(
            Table::create()
                .table("nomination")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("year"))
                .col(string("level"))
                .col(integer("village_id"))
                .col(string("note"))
                .col(integer("nominated_by"))
                .col(timestamp_with_time_zone("nominated_at"))
                .col(timestamp_with_time_zone_null("withdrawn_at"))
                .col(integer_null("withdrawn_by"))
                .col(string_null("withdraw_reason"))
                .foreign_key(&mut fk("nomination", "village_id", "village"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("nomination", &["year", "level"], false))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "nomination",
            "village_flag",
            "living_score",
            "village_acceptance",
            "acceptance_evidence",
        ] {
            m.drop_table(Table::drop().table(t.to_owned()).to_owned())
                .await?;
        }
        Ok(())
    }
}
