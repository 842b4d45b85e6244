//! What crosses the network for the shop's stock (库存): the stock list, a goods'
//! movements, receipts (入库), adjustments (调整), and the goods themselves
//! (新增、编辑、照片、下架/上架). Every one is for the supermarket clerk of the
//! goods' village, or the village admin standing in.

use domain::stock::GoodsForm;
use domain::GoodsId;
use serde::{Deserialize, Serialize};

/// One goods as the stock page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockGoods {
    pub id: GoodsId,
    pub name: String,
    pub unit: String,
    pub category: String,
    /// Points per unit.
    pub price: i32,
    pub stock: i32,
    /// Warn at or below this stock.
    pub low_stock: i32,
    pub active: bool,
    /// Address of the photo, if it has one.
    pub photo: Option<String>,
    /// On sale and at or below its threshold.
    pub low: bool,
}

impl StockGoods {
    /// The form that edits it, filled with what is stored.
    pub fn form(&self) -> GoodsForm {
        GoodsForm {
            name: self.name.clone(),
            unit: self.unit.clone(),
            category: self.category.clone(),
            price: self.price.to_string(),
            low_stock: self.low_stock.to_string(),
        }
    }
}

/// The shop's stock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockOverview {
    /// On sale first, by category and name; inactive ones last.
    pub goods: Vec<StockGoods>,
    /// Kinds active and in stock.
    pub kinds_on_sale: usize,
    /// The plan's minimum.
    pub min_kinds: usize,
    /// Set when fewer kinds are on sale than the plan asks for.
    pub kinds_warning: Option<String>,
    /// Goods on sale at or below their threshold.
    pub low_count: usize,
    /// Goods taken off sale.
    pub inactive_count: usize,
}

/// One stock movement in a goods' history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovementRow {
    pub id: i32,
    /// The business date, `yyyy-mm-dd`.
    pub date: String,
    /// As stored: received, adjusted, redeemed, voided.
    pub kind: String,
    /// 入库, 调整, 兑换, 作废退回.
    pub kind_label: String,
    /// Signed.
    pub quantity: i32,
    /// Yuan per unit, on a receipt.
    pub unit_cost: Option<String>,
    /// Quantity times unit cost, in yuan, on a receipt.
    pub amount: Option<String>,
    pub supplier: Option<String>,
    pub reason: Option<String>,
    /// The receipt number of a redemption or void.
    pub receipt_no: Option<String>,
    /// Who recorded it.
    pub by: String,
}

/// One goods with its movements, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoodsStockDetail {
    pub goods: StockGoods,
    pub movements: Vec<MovementRow>,
    /// More movements exist than are listed.
    pub more: bool,
    /// Units received over all time.
    pub received_units: i64,
    /// What those receipts cost, in yuan.
    pub received_cost: String,
}
