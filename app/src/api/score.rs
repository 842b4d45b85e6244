//! Server functions of the scorer's page (评分员, `/score`): a scoring-team
//! member proposes awards and deductions for the clerk's review queue and
//! sees what became of them. A scorer approves nothing.

pub use wire::score::*;

use leptos::prelude::*;
use server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use super::ctx;
use crate::domain::{EvidenceId, HouseholdId, MemberId, RuleItemId};
use crate::error::AppError;

/// The signed-in scorer's households and proposals.
#[server(endpoint = "scorer_home", input = GetUrl)]
pub async fn scorer_home() -> Result<ScorerView, AppError> {
    ctx::serve(async |req| crate::server::score::home(&req.db, &req.caller().await?).await).await
}

/// Proposes an award or deduction for a household of the scorer's village
/// (and group); it waits in the clerk's review queue.
#[server(endpoint = "scorer_propose")]
pub async fn scorer_propose(
    household: HouseholdId,
    rule_item: RuleItemId,
    occurred_on: String,
    reason: String,
    member: Option<MemberId>,
    evidence: Option<EvidenceId>,
) -> Result<(), AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let occurred_on = chrono::NaiveDate::parse_from_str(occurred_on.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid("请选择发生日期"))?;
        let input = crate::server::review::NewProposal {
            household,
            member,
            rule_item,
            reason,
            occurred_on,
            evidence,
            assisted: false,
        };
        crate::server::review::propose(&req.db, &caller, input, ctx::now()).await?;
        Ok(())
    })
    .await
}
