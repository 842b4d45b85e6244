//! Villagers sign in with their household's phone number: look it up by an
//! index rather than scanning every household.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("ix_household_phone")
                .table("household".to_owned())
                .col("phone".to_owned())
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_household_phone")
                .table("household".to_owned())
                .to_owned(),
        )
        .await
    }
}
