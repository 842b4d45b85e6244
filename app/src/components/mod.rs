//! Shared pieces of pages.

pub mod feedback;
pub mod layout;
pub mod ledger;
pub mod office;
pub mod role;
