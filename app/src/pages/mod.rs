//! One module per route.

pub mod activities;
pub mod home;
pub mod homes;
pub mod household;
pub mod household_cards;
pub mod household_edit;
pub mod household_import;
pub mod households;
pub mod kiosk;
pub mod kiosk_stock;
pub mod kiosk_today;
pub mod ledger;
pub mod login;
pub mod me;
pub mod not_found;
pub mod notices;
pub mod office;
pub mod office_activities;
pub mod office_appeals;
pub mod office_batch;
pub mod office_ledger;
pub mod office_notices;
pub mod office_review;
pub mod ranking;
pub mod search;
pub mod village;
