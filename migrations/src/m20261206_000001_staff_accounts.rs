//! Staff accounts made in the browser (`/town/staff`): a contact phone, the
//! group a scorer (评分员) is bound to, and whether the account still holds
//! the one-time password it was given and must set its own at first login.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "user_account";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for column in [
            string_null("phone"),
            integer_null("group_id"),
            boolean("must_change_password").default(false).to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(TABLE.to_owned())
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["must_change_password", "group_id", "phone"] {
            m.alter_table(
                Table::alter()
                    .table(TABLE.to_owned())
                    .drop_column(column.to_owned())
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
