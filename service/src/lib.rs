//! The services: sea-orm entities, the transactions that read and write
//! them (returning domain and wire types), demo data, stored files and the
//! axum routes that serve them. No Leptos here: the app crate's server
//! functions call these, and only under its `ssr` feature.

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
pub mod files;
pub mod funds;
pub mod home;
pub mod households;
pub mod kiosk;
pub mod ledger;
pub mod like;
pub mod markdown;
pub mod notice;
pub mod office;
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
