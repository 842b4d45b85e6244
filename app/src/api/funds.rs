//! Server functions of the town's fund ledger (资金台账): the town's list
//! of villages, a village's funds, tranches, spending and reconciliation.
//! The town admin alone writes; a village admin reads their own village;
//! the public reads the per-village summary once the town publishes it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::{GetUrl, Json, MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use super::ctx;
use crate::domain::VillageId;
use crate::error::AppError;

/// One village's line on the town's funds page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VillageFundsRow {
    pub village_id: VillageId,
    pub name: String,
    pub granted_fen: i64,
    pub received_fen: i64,
    pub spent_fen: i64,
    /// Spent on the points system (goods, supermarket).
    pub points_fen: i64,
    pub balance_fen: i64,
    /// Tranches of the subsidy paid, e.g. 2 of 2.
    pub tranches_paid: i32,
    /// Chinese warnings of every fund of the village.
    pub warnings: Vec<String>,
}

/// The town's funds page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundsOverview {
    /// The caller is the town admin (may write and switch publishing).
    pub may_write: bool,
    /// Whether the summary is published to the public.
    pub published: bool,
    pub villages: Vec<VillageFundsRow>,
}

/// A tranche of a fund (拨付批次).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrancheView {
    pub tranche: i32,
    /// "第一笔（50%，4 月底前）".
    pub label: String,
    pub standard_fen: i64,
    /// `2026-04-20` when paid (net of reversals).
    pub paid_on: Option<String>,
    pub paid_fen: i64,
}

/// A source fund of a village.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundView {
    pub id: i32,
    pub kind: String,
    pub kind_label: String,
    pub granted_fen: i64,
    pub granted_on: String,
    pub received_fen: i64,
    pub spent_fen: i64,
    pub points_fen: i64,
    pub balance_fen: i64,
    pub tranches: Vec<TrancheView>,
    pub warnings: Vec<String>,
}

/// A payment (到账) row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentView {
    pub id: i32,
    pub fund_label: String,
    pub tranche: i32,
    pub paid_on: String,
    pub amount_fen: i64,
    pub note: String,
    pub reverses: Option<i32>,
    pub reversed: bool,
    pub reason: Option<String>,
}

/// A spending (支出) row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendingView {
    pub id: i32,
    pub fund_id: i32,
    pub fund_label: String,
    pub spent_on: String,
    pub amount_fen: i64,
    pub category_label: String,
    pub points_system: bool,
    pub description: String,
    /// Where the voucher photo is shown from.
    pub voucher: Option<String>,
    /// Set on a reversal: the row it cancels.
    pub reverses: Option<i32>,
    /// Whether a reversal cancels this row.
    pub reversed: bool,
    pub reason: Option<String>,
    /// China time, `2026-11-29 10:05`.
    pub recorded_at: String,
}

/// A village's funds page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VillageFunds {
    pub village_id: VillageId,
    pub name: String,
    pub may_write: bool,
    /// The day the village passed acceptance (验收), if it has.
    pub accepted_on: Option<String>,
    pub funds: Vec<FundView>,
    /// Newest first.
    pub payments: Vec<PaymentView>,
    /// Newest first.
    pub spending: Vec<SpendingView>,
    /// Months with any data, as `yyyymm`, for the reconciliation's choice.
    pub first_month: i32,
    pub this_month: i32,
}

/// The reconciliation (对账) of a village and a month range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReconcileView {
    pub from: i32,
    pub to: i32,
    pub numbers: crate::domain::funds::Reconciliation,
    pub explain: Vec<String>,
}

/// A payment to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PaymentForm {
    pub fund: i32,
    pub tranche: i32,
    /// Yuan.
    pub amount: String,
    /// `2026-04-20`.
    pub paid_on: String,
    pub note: String,
}

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
    kind: String,
    granted_on: String,
    note: String,
) -> Result<i32, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let kind = crate::domain::funds::FundKind::parse(&kind)
            .ok_or_else(|| AppError::invalid("请选择资金类别"))?;
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
        Ok(f.id)
    })
    .await
}

/// Records a tranche payment (town admin).
#[server(endpoint = "fund_payment", input = Json)]
pub async fn record_payment(form: PaymentForm) -> Result<i32, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let p = crate::server::funds::record_payment(&req.db, &caller, &form, ctx::now()).await?;
        Ok(p.id)
    })
    .await
}

/// Records a spending with an optional voucher photo (town admin). Form
/// fields: `fund`, `spent_on`, `amount` (yuan), `category`, `description`,
/// `photo`.
#[server(endpoint = "fund_spend", input = MultipartFormData)]
pub async fn record_spending(data: MultipartData) -> Result<i32, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let (form, photo) = spending_form(data).await?;
        let s = crate::server::funds::record_spending(&req.db, &caller, &form, photo, ctx::now())
            .await?;
        Ok(s.id)
    })
    .await
}

/// Reverses a spending record with a reason (冲销, town admin).
#[server(endpoint = "fund_spending_reverse", input = Json)]
pub async fn reverse_spending(id: i32, reason: String) -> Result<i32, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let r = crate::server::funds::reverse_spending(&req.db, &caller, id, &reason, ctx::now())
            .await?;
        Ok(r.id)
    })
    .await
}

/// Reverses a payment with a reason (冲销, town admin).
#[server(endpoint = "fund_payment_reverse", input = Json)]
pub async fn reverse_payment(id: i32, reason: String) -> Result<i32, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let r = crate::server::funds::reverse_payment(&req.db, &caller, id, &reason, ctx::now())
            .await?;
        Ok(r.id)
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

/// What the spending form sends, as text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpendingForm {
    pub fund: i32,
    pub spent_on: String,
    pub amount: String,
    pub category: String,
    pub description: String,
}

/// Reads the spending form and its optional photo.
#[cfg(feature = "ssr")]
async fn spending_form(data: MultipartData) -> Result<(SpendingForm, Option<Vec<u8>>), AppError> {
    let mut form = data.into_inner().ok_or(AppError::Internal)?;
    let broken = |_| AppError::invalid("上传中断，请重试");
    let mut out = SpendingForm::default();
    let mut bytes = Vec::new();
    while let Some(mut field) = form.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "photo" {
            while let Some(chunk) = field.chunk().await.map_err(broken)? {
                if bytes.len() + chunk.len() > crate::server::evidence::MAX_UPLOAD {
                    return Err(AppError::invalid("照片太大（最大 12 MB）"));
                }
                bytes.extend_from_slice(&chunk);
            }
            continue;
        }
        let text = field.text().await.map_err(broken)?;
        match name.as_str() {
            "fund" => {
                out.fund = text
                    .trim()
                    .parse()
                    .map_err(|_| AppError::invalid("请选择资金来源"))?
            }
            "spent_on" => out.spent_on = text,
            "amount" => out.amount = text,
            "category" => out.category = text,
            "description" => out.description = text,
            _ => {}
        }
    }
    Ok((out, (!bytes.is_empty()).then_some(bytes)))
}
