//! What crosses the network for the scorer's page (评分员, `/score`): a scoring-team
//! member proposes awards and deductions for the clerk's review queue and
//! sees what became of them. A scorer approves nothing.

use domain::{HouseholdId, VillageId};
use serde::{Deserialize, Serialize};

/// A household the scorer may score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreHousehold {
    pub id: HouseholdId,
    pub card_no: String,
    pub head_name: String,
    pub group_name: String,
}

/// One of the scorer's proposals and the clerk's decision on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyProposal {
    pub household: String,
    pub item: String,
    pub points: i32,
    pub occurred_on: String,
    pub proposed_at: String,
    /// 待审核, 已通过 or 未通过.
    pub status: String,
    pub review_reason: Option<String>,
}

/// The scorer's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorerView {
    pub village: VillageId,
    pub village_name: String,
    /// The group the scorer is bound to; none for the whole village.
    pub group_name: Option<String>,
    pub households: Vec<ScoreHousehold>,
    pub recent: Vec<MyProposal>,
}
