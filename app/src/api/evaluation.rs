//! Server functions of the demonstration-village evaluation (示范村评选):
//! the town admin's ranked list. Nominating goes through
//! [`super::acceptance::nominate_village`].

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::GetUrl;

use super::acceptance::{FlagView, NominationView};
use crate::domain::evaluation::Criteria;
use crate::domain::VillageId;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use super::ctx;

/// The year's evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub year: i32,
    /// Months counted so far.
    pub months: u32,
    /// Eligible villages ranked best first, then the ruled-out.
    pub rows: Vec<EvaluationRow>,
    /// The nominations in force, district first.
    pub nominations: Vec<NominationView>,
    /// Every nomination of the year, withdrawn ones included.
    pub history: Vec<NominationView>,
}

/// One village's standing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationRow {
    pub village: VillageId,
    pub name: String,
    /// Place among the eligible; none for a village ruled out.
    pub rank: Option<u32>,
    pub criteria: Criteria,
    /// Disqualifying events in force (一票否决).
    pub flags: Vec<FlagView>,
    /// When the village was accepted (验收), if it was.
    pub accepted_on: Option<String>,
    pub person_times: u32,
    pub activities: u32,
}

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
