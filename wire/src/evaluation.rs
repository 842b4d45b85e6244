//! What crosses the network for the demonstration-village evaluation (示范村评选):
//! the town admin's ranked list. Nominating goes through
//! [`super::acceptance::nominate_village`].

use crate::acceptance::{FlagView, NominationView};
use domain::evaluation::Criteria;
use domain::VillageId;
use serde::{Deserialize, Serialize};

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
