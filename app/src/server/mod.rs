//! The server side of the app, compiled only with the `ssr` feature: the
//! services (the `service` crate, re-exported so `crate::server::ledger`
//! reads as before) and the HTTP layer around the pages: the router, the
//! page cache and the guard in front of server-function bodies.

pub use service::*;

pub mod http;
pub mod input_guard;
pub mod page_cache;
