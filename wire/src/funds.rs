//! What crosses the network for the town's fund ledger (资金台账): the town's list
//! of villages, a village's funds, tranches, spending and reconciliation.
//! The town admin alone writes; a village admin reads their own village;
//! the public reads the per-village summary once the town publishes it.

use domain::funds::FundKind;
use domain::{FundId, PaymentId, SpendingId, VillageId};
use serde::{Deserialize, Serialize};

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
    pub id: FundId,
    pub kind: FundKind,
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
    pub id: PaymentId,
    pub fund_label: String,
    pub tranche: i32,
    pub paid_on: String,
    pub amount_fen: i64,
    pub note: String,
    pub reverses: Option<PaymentId>,
    pub reversed: bool,
    pub reason: Option<String>,
}

/// A spending (支出) row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendingView {
    pub id: SpendingId,
    pub fund_id: FundId,
    pub fund_label: String,
    pub spent_on: String,
    pub amount_fen: i64,
    pub category_label: String,
    pub points_system: bool,
    pub description: String,
    /// Where the voucher photo is shown from.
    pub voucher: Option<String>,
    /// Set on a reversal: the row it cancels.
    pub reverses: Option<SpendingId>,
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
    pub numbers: domain::funds::Reconciliation,
    pub explain: Vec<String>,
}

/// A payment to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentForm {
    pub fund: FundId,
    pub tranche: i32,
    /// Yuan.
    pub amount: String,
    /// `2026-04-20`.
    pub paid_on: String,
    pub note: String,
}

/// What the spending form sends, as text.
#[derive(Debug, Clone, PartialEq)]
pub struct SpendingForm {
    /// None when the form names no fund (refused after the caller check).
    pub fund: Option<FundId>,
    pub spent_on: String,
    pub amount: String,
    pub category: String,
    pub description: String,
}
