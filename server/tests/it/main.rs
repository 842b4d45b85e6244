//! The service and HTTP tests, linked into one binary: each module opens its
//! own SQLite file under the system temp folder, so they run side by side.
//! One binary instead of one per file keeps the debug build small on disk
//! and links once.

mod common;

mod acceptance;
mod accounts;
mod activity;
mod appeal;
mod authz;
mod backup;
mod bad_input;
mod dashboard;
mod durability;
mod duties;
mod evidence;
mod funds;
mod households;
mod http_auth;
mod input_bounds;
mod kiosk;
mod notice;
mod page_cache;
mod publication;
mod review;
mod rules;
mod serve;
mod services;
mod setup;
mod staff;
mod stock;
mod style;
mod villager;
mod web_security;
