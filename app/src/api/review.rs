//! Server functions of the review queue (审核).

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json};

use super::types::{PendingView, ReviewedView};
use crate::domain::{ProposalId, VillageId};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use super::ctx;

/// Proposals of the village waiting for a decision, oldest first.
#[server(endpoint = "office_pending", input = GetUrl)]
pub async fn office_pending(village: Option<VillageId>) -> Result<Vec<PendingView>, AppError> {
    ctx::serve(async |req| {
        let village = req.office(village).await?.1;
        let list = crate::server::review::pending(&req.db, village).await?;
        Ok(list
            .into_iter()
            .map(crate::server::review::pending_view)
            .collect())
    })
    .await
}

/// The village's latest decisions, newest first.
#[server(endpoint = "office_reviewed", input = GetUrl)]
pub async fn office_reviewed(village: Option<VillageId>) -> Result<Vec<ReviewedView>, AppError> {
    ctx::serve(async |req| {
        let village = req.office(village).await?.1;
        let list = crate::server::review::recent_decisions(&req.db, village, 30).await?;
        Ok(list
            .into_iter()
            .map(crate::server::review::reviewed_view)
            .collect())
    })
    .await
}

/// Approves or rejects the chosen proposals, all or nothing; returns how
/// many were decided.
#[server(endpoint = "review_proposals", input = Json)]
pub async fn review_proposals(
    village: Option<VillageId>,
    proposals: Vec<ProposalId>,
    approve: bool,
    reason: String,
) -> Result<usize, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::review::decide(
            &req.db,
            &caller,
            village,
            &proposals,
            approve,
            &reason,
            ctx::now(),
        )
        .await
    })
    .await
}
