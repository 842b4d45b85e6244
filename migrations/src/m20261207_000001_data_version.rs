//! What the public sees changes only when data does: each write transaction
//! bumps a version row in the same transaction, so a rendered public page
//! can be kept and answered again (and a browser told 304) until one of the
//! versions it depends on moves.
//!
//! Scopes: `0` moves on every write that the public may see; `-1` on those
//! that concern the whole town (rules of every village, settings) or that
//! did not say which village they touched; a village id on those that
//! touched only that village.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("data_version")
                .if_not_exists()
                .col(integer("scope").primary_key())
                .col(big_integer("version"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("data_version").to_owned())
            .await
    }
}
