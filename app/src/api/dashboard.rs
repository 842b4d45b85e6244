//! Server functions of the town dashboard (各村考核指标): the town admin's
//! whole view, a village admin's own village, and the public coverage page
//! (覆盖率与排名) without the town's living-environment scores.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::GetUrl;

use crate::domain::evaluation::{MonthFacts, Posting};
use crate::domain::VillageId;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use super::ctx;

/// Every village taking part, month by month through a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TownYear {
    pub year: i32,
    /// The months shown (yyyymm), January first.
    pub months: Vec<i32>,
    /// This month (yyyymm), whose goods count is known.
    pub current_month: i32,
    pub villages: Vec<VillageYear>,
}

/// One village's year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VillageYear {
    pub village: VillageId,
    pub name: String,
    /// One row per month of [`TownYear::months`], in the same order.
    pub months: Vec<VillageMonthRow>,
    /// The year so far: households counted once (those still resident at
    /// the end), activities and person-times summed, the mean score.
    pub year: MonthFacts,
    /// Points issued (awards), deducted and redeemed in the year.
    pub awarded: i64,
    pub deducted: i64,
    pub redeemed: i64,
}

/// One village's month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VillageMonthRow {
    pub month: i32,
    /// The village had started the scheme on the platform (its first month
    /// with points data is this one or earlier); months before are not
    /// judged.
    pub started: bool,
    pub facts: MonthFacts,
    pub awarded: i64,
    pub deducted: i64,
    pub redeemed: i64,
    /// Whether the month's ledger was posted (积分公示), and in time.
    pub posting: Posting,
}

impl TownYear {
    /// The index of `month` in [`Self::months`].
    pub fn month_index(&self, month: i32) -> Option<usize> {
        self.months.iter().position(|m| *m == month)
    }
}

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
