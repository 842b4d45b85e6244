//! Server functions of the town dashboard (各村考核指标): the town admin's
//! whole view, a village admin's own village, and the public coverage page
//! (覆盖率与排名) without the town's living-environment scores.

pub use wire::dashboard::*;

use leptos::prelude::*;
use server_fn::codec::GetUrl;

use crate::domain::VillageId;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use super::ctx;

/// The whole town's year (town admin).
#[server(endpoint = "town_dashboard", input = GetUrl)]
pub async fn town_dashboard(year: Option<i32>) -> Result<TownYear, AppError> {
    ctx::serve(async |req| {
        if !req.caller().await?.may_read_town() {
            return Err(AppError::Forbidden);
        }
        crate::server::dashboard::town_year(&req.db, year_or_now(year), ctx::now()).await
    })
    .await
}

/// One village's year: the town admin any village, a village admin their own.
#[server(endpoint = "village_dashboard", input = GetUrl)]
pub async fn village_dashboard(
    village: VillageId,
    year: Option<i32>,
) -> Result<TownYear, AppError> {
    ctx::serve(async |req| {
        if !req.caller().await?.may_read_oversight(village) {
            return Err(AppError::Forbidden);
        }
        let mut town =
            crate::server::dashboard::town_year(&req.db, year_or_now(year), ctx::now()).await?;
        town.villages.retain(|v| v.village == village);
        if town.villages.is_empty() {
            return Err(AppError::not_found("找不到该村"));
        }
        Ok(town)
    })
    .await
}

/// The public coverage figures and ranking: everything but the town's
/// living-environment scores, which are its own evaluation notes.
#[server(endpoint = "public_coverage", input = GetUrl)]
pub async fn public_coverage(year: Option<i32>) -> Result<TownYear, AppError> {
    ctx::serve(async |req| {
        let mut town =
            crate::server::dashboard::town_year(&req.db, year_or_now(year), ctx::now()).await?;
        for v in &mut town.villages {
            v.year.living_score_tenths = None;
            for m in &mut v.months {
                m.facts.living_score_tenths = None;
            }
        }
        Ok(town)
    })
    .await
}

/// The asked year, or this one (China time). The services refuse years
/// outside the platform's life (`publication::served_year`).
#[cfg(feature = "ssr")]
pub(crate) fn year_or_now(year: Option<i32>) -> i32 {
    use chrono::Datelike;
    year.unwrap_or_else(|| crate::domain::time::china_date(ctx::now()).year())
}
