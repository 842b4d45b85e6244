//! Server-side code: database entities and the transactional services.
//! Compiled only with the `ssr` feature.

pub mod acceptance;
pub mod activity;
pub mod appeal;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod dashboard;
pub mod db;
pub mod demo_acceptance;
pub mod demo_activities;
pub mod demo_data;
pub mod demo_funds;
pub mod entities;
pub mod evaluation;
pub mod evaluation_inputs;
pub mod evidence;
pub mod export;
pub mod funds;
pub mod households;
pub mod http;
pub mod input_guard;
pub mod kiosk;
pub mod ledger;
pub mod like;
pub mod markdown;
pub mod notice;
pub mod office;
pub mod page_cache;
pub mod portal;
pub mod publication;
pub mod rate_limit;
pub mod redeem;
pub mod review;
pub mod rules;
pub mod score;
pub mod seed;
pub mod setup;
pub mod staff;
pub mod stock;
pub mod uploads;
pub mod versions;
pub mod villager;

pub use db::Db;
