//! Server functions of the town's fund ledger (资金台账): the town's list
//! of villages, a village's funds, tranches, spending and reconciliation.
//! The town admin alone writes; a village admin reads their own village;
//! the public reads the per-village summary once the town publishes it.

pub use wire::funds::*;

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json, MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use super::ctx;
#[cfg(feature = "ssr")]
use super::upload::{self, UploadForm};
use crate::domain::{FundId, PaymentId, SpendingId, VillageId};
use crate::error::AppError;

/// The town's funds page (town admin; anyone once published).
#[server(endpoint = "funds_overview", input = GetUrl)]
pub async fn get_funds_overview() -> Result<FundsOverview, AppError> {
    ctx::serve(async |req| {
        let caller = req.optional_caller().await?;
        crate::server::funds::overview(&req.db, caller.as_ref(), ctx::now()).await
    })
    .await
}

/// Publishes the funds summary to the public, or withdraws it (town admin).
#[server(endpoint = "funds_publish", input = Json)]
pub async fn set_funds_public(on: bool) -> Result<bool, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::funds::set_public(&req.db, &caller, on, ctx::now()).await
    })
    .await
}

/// A village's funds (town admin; the village's own admin, read-only).
#[server(endpoint = "village_funds", input = GetUrl)]
pub async fn get_village_funds(village: VillageId) -> Result<VillageFunds, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::funds::village(&req.db, &caller, village, ctx::now()).await
    })
    .await
}

/// Registers a fund of a village: the subsidy or a demonstration award
/// (town admin). An award is paid in full on the day it is granted.
#[server(endpoint = "fund_grant", input = Json)]
pub async fn grant_fund(
    village: VillageId,
    kind: crate::domain::funds::FundKind,
    granted_on: String,
    note: String,
) -> Result<FundId, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let granted_on = crate::server::funds::parse_day(&granted_on, ctx::now())?;
        let f = crate::server::funds::grant(
            &req.db,
            &caller,
            village,
            kind,
            granted_on,
            &note,
            ctx::now(),
        )
        .await?;
        Ok(FundId(f.id))
    })
    .await
}

/// Records a tranche payment (town admin).
#[server(endpoint = "fund_payment", input = Json)]
pub async fn record_payment(form: PaymentForm) -> Result<PaymentId, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let p = crate::server::funds::record_payment(&req.db, &caller, &form, ctx::now()).await?;
        Ok(PaymentId(p.id))
    })
    .await
}

/// Records a spending with an optional voucher photo (town admin). Form
/// fields: `fund`, `spent_on`, `amount` (yuan), `category`, `description`,
/// `photo`.
#[server(endpoint = "fund_spend", input = MultipartFormData)]
pub async fn record_spending(data: MultipartData) -> Result<SpendingId, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let (form, photo) = spending_form(data).await?;
        let s = crate::server::funds::record_spending(&req.db, &caller, &form, photo, ctx::now())
            .await?;
        Ok(SpendingId(s.id))
    })
    .await
}

/// Reverses a spending record with a reason (冲销, town admin).
#[server(endpoint = "fund_spending_reverse", input = Json)]
pub async fn reverse_spending(id: SpendingId, reason: String) -> Result<SpendingId, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let r = crate::server::funds::reverse_spending(&req.db, &caller, id, &reason, ctx::now())
            .await?;
        Ok(SpendingId(r.id))
    })
    .await
}

/// Reverses a payment with a reason (冲销, town admin).
#[server(endpoint = "fund_payment_reverse", input = Json)]
pub async fn reverse_payment(id: PaymentId, reason: String) -> Result<PaymentId, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let r = crate::server::funds::reverse_payment(&req.db, &caller, id, &reason, ctx::now())
            .await?;
        Ok(PaymentId(r.id))
    })
    .await
}

/// The reconciliation of a village for months `from..=to` (`yyyymm`).
#[server(endpoint = "fund_reconcile", input = GetUrl)]
pub async fn get_reconciliation(
    village: VillageId,
    from: i32,
    to: i32,
) -> Result<ReconcileView, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::funds::reconcile(&req.db, &caller, village, from, to).await
    })
    .await
}

/// Reads the spending form and its optional photo.
#[cfg(feature = "ssr")]
async fn spending_form(data: MultipartData) -> Result<(SpendingForm, Option<Vec<u8>>), AppError> {
    let mut form = UploadForm::read(data, upload::photo()).await?;
    let bytes = form.take_bytes();
    let spending = SpendingForm {
        fund: form.id("fund", FundId),
        spent_on: form.string("spent_on"),
        amount: form.string("amount"),
        category: form.string("category"),
        description: form.string("description"),
    };
    Ok((spending, (!bytes.is_empty()).then_some(bytes)))
}
