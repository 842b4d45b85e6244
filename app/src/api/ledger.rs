//! Server functions of the monthly public ledger (月度公示).

use leptos::prelude::*;
use server_fn::codec::GetUrl;

use super::types::{LedgerMonth, MonthLedgerView, PublishedSummary};
use crate::domain::VillageId;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use super::ctx;

/// The back office's months with their publication status.
#[server(endpoint = "office_ledger_months", input = GetUrl)]
pub async fn office_ledger_months(
    village: Option<VillageId>,
) -> Result<Vec<LedgerMonth>, AppError> {
    ctx::serve(async |req| {
        let village = req.office(village).await?.1;
        crate::server::publication::office_months(&req.db, village, ctx::now()).await
    })
    .await
}

/// One month's ledger in the back office (a preview until it is published).
#[server(endpoint = "office_ledger_month", input = GetUrl)]
pub async fn office_ledger_month(
    village: Option<VillageId>,
    month: i32,
) -> Result<MonthLedgerView, AppError> {
    ctx::serve(async |req| {
        let village = req.office(village).await?.1;
        crate::server::publication::office_month(&req.db, village, month).await
    })
    .await
}

/// Publishes a finished month: frozen, with its digest; refused twice (409).
#[server(endpoint = "publish_month")]
pub async fn publish_month(
    village: Option<VillageId>,
    month: i32,
) -> Result<PublishedSummary, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        let row = crate::server::publication::publish(&req.db, &caller, village, month, ctx::now())
            .await?;
        Ok(crate::server::publication::summary(&row))
    })
    .await
}

/// A village's published months, newest first (public).
#[server(endpoint = "published_months", input = GetUrl)]
pub async fn published_months(village: VillageId) -> Result<Vec<PublishedSummary>, AppError> {
    ctx::serve(async |req| {
        let rows = crate::server::publication::published_months(&req.db, village).await?;
        Ok(rows
            .iter()
            .map(crate::server::publication::summary)
            .collect())
    })
    .await
}

/// One published month, as frozen (public).
#[server(endpoint = "published_month", input = GetUrl)]
pub async fn published_month(village: VillageId, month: i32) -> Result<MonthLedgerView, AppError> {
    ctx::serve(async |req| crate::server::publication::public_month(&req.db, village, month).await)
        .await
}
