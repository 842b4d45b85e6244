//! What crosses the network between the browser and the server: the types
//! server functions take and return, [`AppError`], and the view-models both
//! sides compute (the dashboard's spans and cells). Serde and chrono only;
//! one module per feature, named as in the service and app crates.

pub mod acceptance;
pub mod activity;
pub mod dashboard;
#[cfg(feature = "db")]
pub mod db;
pub mod error;
pub mod evaluation;
pub mod funds;
pub mod households;
pub mod kiosk;
pub mod notice;
pub mod rules;
pub mod score;
pub mod setup;
pub mod staff;
pub mod stock;
pub mod types;

pub use error::AppError;
