//! Server functions of the demonstration-village evaluation (示范村评选):
//! the town admin's ranked list. Nominating goes through
//! [`super::acceptance::nominate_village`].

pub use wire::evaluation::*;

use leptos::prelude::*;
use server_fn::codec::GetUrl;

use crate::error::AppError;

#[cfg(feature = "ssr")]
use super::ctx;

/// The evaluation of a year (town admin).
#[server(endpoint = "town_evaluation", input = GetUrl)]
pub async fn town_evaluation(year: Option<i32>) -> Result<Evaluation, AppError> {
    ctx::serve(async |req| {
        if !req.caller().await?.may_read_town() {
            return Err(AppError::Forbidden);
        }
        let year = super::dashboard::year_or_now(year);
        crate::server::evaluation::evaluation(&req.db, year, ctx::now()).await
    })
    .await
}
