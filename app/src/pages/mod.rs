//! One module per route.

pub mod home;
pub mod homes;
pub mod household;
pub mod login;
pub mod not_found;
pub mod office;
pub mod ranking;
pub mod search;
pub mod village;
