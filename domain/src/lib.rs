//! Pure domain rules of the points system: no Leptos, no database, no clock.
//! Everything here takes `now` or `today` as an argument and is unit tested.

pub mod acceptance;
pub mod account;
pub mod activity;
pub mod appeal;
pub mod evaluation;
pub mod funds;
pub mod goods;
pub mod households;
pub mod ids;
pub mod ledger;
pub mod metrics;
pub mod notice;
pub mod publication;
pub mod redemption;
pub mod review;
pub mod roles;
pub mod rule_revision;
pub mod rules;
pub mod setup;
pub mod speech;
pub mod staff;
pub mod standard_rules;
pub mod stock;
pub mod text;
pub mod time;

pub use ids::*;
