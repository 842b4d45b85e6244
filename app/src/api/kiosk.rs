//! Server functions of the supermarket counter (积分超市收银台): identify the
//! household, read the shelf, redeem, void, and the day's list.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::{GetUrl, Json};

use super::types::OfficeHousehold;
use crate::domain::redemption::LineRequest;
use crate::domain::{GoodsId, HouseholdId, RedemptionId};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use super::ctx;

/// One tile of the counter's goods grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShelfTile {
    pub id: GoodsId,
    pub name: String,
    pub unit: String,
    pub category: String,
    pub price: i32,
    pub stock: i32,
    /// URL of the goods photo, if there is one.
    pub photo: Option<String>,
}

/// One line of a receipt (negative quantity on a void).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptLine {
    pub name: String,
    pub unit: String,
    pub quantity: i32,
    pub unit_price: i32,
}

/// A redemption receipt (兑换小票), or a void of one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub id: RedemptionId,
    pub receipt_no: String,
    pub household: HouseholdId,
    pub card_no: String,
    pub head_name: String,
    pub village_name: String,
    pub clerk_name: String,
    /// China time, "2026-11-29 10:32".
    pub time: String,
    pub total: i64,
    pub balance_after: i64,
    pub lines: Vec<ReceiptLine>,
    /// True when this answers a retry of an earlier request.
    pub replayed: bool,
    /// On a void: the receipt it cancels.
    pub voids: Option<String>,
    /// On a voided redemption: the void's receipt number.
    pub voided_by: Option<String>,
    pub reason: Option<String>,
}

/// A day at the counter (日结).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DaySheet {
    /// "2026-11-29".
    pub date: String,
    pub today: bool,
    /// Oldest first.
    pub receipts: Vec<Receipt>,
    pub redemptions: usize,
    pub voids: usize,
    pub households: usize,
    pub points: i64,
    /// Goods name, unit and units handed over, net of voids.
    pub goods: Vec<(String, i32)>,
}

/// The receipt of a redemption as the counter shows it.
#[cfg(feature = "ssr")]
pub(crate) fn receipt(r: crate::server::redeem::Redemption) -> Receipt {
    Receipt {
        id: r.id,
        receipt_no: r.receipt_no,
        household: r.household,
        card_no: r.card_no,
        head_name: r.head_name,
        village_name: r.village_name,
        clerk_name: r.clerk_name,
        time: r
            .created_at
            .with_timezone(&crate::domain::time::china_offset())
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        total: r.total,
        balance_after: r.balance_after,
        lines: r
            .lines
            .into_iter()
            .map(|l| ReceiptLine {
                name: l.name,
                unit: l.unit,
                quantity: l.quantity,
                unit_price: l.unit_price,
            })
            .collect(),
        replayed: r.replayed,
        voids: r.voids,
        voided_by: r.voided_by,
        reason: r.reason,
    }
}

/// The household whose card was scanned or typed at the counter.
#[server(endpoint = "counter_identify", input = GetUrl)]
pub async fn counter_identify(card_no: String) -> Result<OfficeHousehold, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.counter().await?;
        crate::server::kiosk::identify(&req.db, &caller, village, &card_no).await
    })
    .await
}

/// Households of the counter's village by name, initials or card prefix.
#[server(endpoint = "counter_search", input = GetUrl)]
pub async fn counter_search(q: String) -> Result<Vec<OfficeHousehold>, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.counter().await?;
        crate::server::kiosk::search(&req.db, &caller, village, &q).await
    })
    .await
}

/// The goods on sale at the counter, by category.
#[server(endpoint = "counter_shelf", input = GetUrl)]
pub async fn counter_shelf() -> Result<Vec<ShelfTile>, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.counter().await?;
        crate::server::kiosk::shelf(&req.db, &caller, village).await
    })
    .await
}

/// Redeems goods for a household at the counter (supermarket clerk).
#[server(endpoint = "redeem", input = Json)]
pub async fn redeem(
    household: HouseholdId,
    lines: Vec<LineRequest>,
    idempotency_key: String,
) -> Result<Receipt, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let request = crate::server::redeem::RedeemRequest {
            household,
            lines,
            idempotency_key,
        };
        let r = crate::server::redeem::redeem(&req.db, &caller, request, ctx::now()).await?;
        Ok(receipt(r))
    })
    .await
}

/// The redemption an order key already made, if any (after a reload or a
/// lost answer the counter shows it instead of redeeming again).
#[server(endpoint = "counter_receipt_by_key", input = GetUrl)]
pub async fn counter_receipt_by_key(key: String) -> Result<Option<Receipt>, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.counter().await?;
        let r = crate::server::redeem::by_key(&req.db, &caller, village, &key).await?;
        Ok(r.map(receipt))
    })
    .await
}

/// Voids a redemption of today, with a reason (作废).
#[server(endpoint = "void_redemption")]
pub async fn void_redemption(
    redemption: RedemptionId,
    reason: String,
) -> Result<Receipt, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let r =
            crate::server::redeem::void(&req.db, &caller, redemption, &reason, ctx::now()).await?;
        Ok(receipt(r))
    })
    .await
}

/// The counter's day: every redemption and void, and the totals (日结).
/// `date` is "yyyy-mm-dd"; today when empty.
#[server(endpoint = "counter_day", input = GetUrl)]
pub async fn counter_day(date: String) -> Result<DaySheet, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.counter().await?;
        let today = crate::domain::time::china_date(ctx::now());
        let day = if date.trim().is_empty() {
            today
        } else {
            chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
                .map_err(|_| AppError::invalid("日期格式应为 2026-11-29"))?
        };
        let rows = crate::server::redeem::day(&req.db, &caller, village, day).await?;
        let t = crate::domain::redemption::summarise_day(
            &rows
                .iter()
                .map(|r| crate::domain::redemption::DayRow {
                    household: r.household,
                    total: r.total,
                    lines: r
                        .lines
                        .iter()
                        .map(|l| (l.name.clone(), l.quantity))
                        .collect(),
                    is_void: r.voids.is_some(),
                    voided: r.voided_by.is_some(),
                })
                .collect::<Vec<_>>(),
        );
        Ok(DaySheet {
            date: day.format("%Y-%m-%d").to_string(),
            today: day == today,
            receipts: rows.into_iter().map(receipt).collect(),
            redemptions: t.redemptions,
            voids: t.voids,
            households: t.households,
            points: t.points,
            goods: t.goods,
        })
    })
    .await
}
