//! Database migrations for the Gaoliang points platform.
//!
//! Written with sea-orm-migration's portable schema builder so the same
//! migrations run on SQLite (the embedded default) and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_foundation;
mod m20261128_000002_month_index;
mod m20261128_000003_board_covering_index;
mod m20261129_000001_back_office;
mod m20261130_000001_kiosk;
mod m20261201_000001_participation;
mod m20261202_000001_villager_login;
mod m20261203_000001_town;
mod m20261203_000002_funds;
mod m20261203_000003_acceptance;
mod m20261204_000001_stock_history;
mod m20261205_000001_session_idle;
mod m20261206_000001_staff_accounts;
mod m20261206_000002_groups;
mod m20261206_000003_rule_revisions;
mod m20261207_000001_data_version;

/// All migrations, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_foundation::Migration),
            Box::new(m20261128_000002_month_index::Migration),
            Box::new(m20261128_000003_board_covering_index::Migration),
            Box::new(m20261129_000001_back_office::Migration),
            Box::new(m20261130_000001_kiosk::Migration),
            Box::new(m20261201_000001_participation::Migration),
            Box::new(m20261202_000001_villager_login::Migration),
            Box::new(m20261203_000001_town::Migration),
            Box::new(m20261203_000002_funds::Migration),
            Box::new(m20261203_000003_acceptance::Migration),
            Box::new(m20261204_000001_stock_history::Migration),
            Box::new(m20261205_000001_session_idle::Migration),
            Box::new(m20261206_000001_staff_accounts::Migration),
            Box::new(m20261206_000002_groups::Migration),
            Box::new(m20261206_000003_rule_revisions::Migration),
            Box::new(m20261207_000001_data_version::Migration),
        ]
    }
}
