//! Shared pieces of pages.

pub mod activity;
pub mod dashboard;
pub mod entry_fields;
pub mod evidence;
pub mod feedback;
pub mod folded_list;
pub mod kiosk;
pub mod layout;
pub mod ledger;
pub mod office;
pub mod role;
pub mod rule_picker;
pub mod town;
pub mod upload;
