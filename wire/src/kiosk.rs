//! What crosses the network for the supermarket counter (积分超市收银台): identify the
//! household, read the shelf, redeem, void, and the day's list.

use domain::{GoodsId, HouseholdId, RedemptionId};
use serde::{Deserialize, Serialize};

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
