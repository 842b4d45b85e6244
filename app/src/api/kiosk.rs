//! Server functions of the supermarket counter (积分超市收银台): identify the
//! household, read the shelf, redeem, void, and the day's list.

pub use wire::kiosk::*;

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json};

use super::types::OfficeHousehold;
use crate::domain::redemption::LineRequest;
use crate::domain::{HouseholdId, RedemptionId};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use super::ctx;

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
        Ok(crate::server::redeem::receipt(r))
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
        Ok(r.map(crate::server::redeem::receipt))
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
        Ok(crate::server::redeem::receipt(r))
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
            receipts: rows
                .into_iter()
                .map(crate::server::redeem::receipt)
                .collect(),
            redemptions: t.redemptions,
            voids: t.voids,
            households: t.households,
            points: t.points,
            goods: t.goods,
        })
    })
    .await
}
