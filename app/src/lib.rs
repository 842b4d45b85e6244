//! The Gaoliang town points platform (高梁镇乡村治理"积分制"线上平台):
//! components, pages, server functions and the domain, shared by the server
//! (`ssr`) and the browser (`hydrate`).
#![recursion_limit = "512"]

pub mod api;
pub mod app;
pub mod components;
/// The pure rules, re-exported so that `crate::domain::...` reads as before.
pub use domain;
/// The one error type, from the wire crate, so `crate::error::AppError` reads as before.
pub use wire::error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

pub use app::{shell, App};
