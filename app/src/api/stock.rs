//! Server functions of the shop's stock (库存): the stock list, a goods'
//! movements, receipts (入库), adjustments (调整), and the goods themselves
//! (新增、编辑、照片、下架/上架). Every one is for the supermarket clerk of the
//! goods' village, or the village admin standing in.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::{GetUrl, Json, MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use super::ctx;
pub use crate::domain::stock::{AdjustForm, GoodsForm, ReceiveForm};
use crate::domain::{GoodsId, VillageId};
use crate::error::AppError;

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

/// The stock of the village's shop.
#[server(endpoint = "stock_overview", input = GetUrl)]
pub async fn get_stock_overview(village: VillageId) -> Result<StockOverview, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::stock::overview(&req.db, &caller, village).await
    })
    .await
}

/// One goods with its latest movements.
#[server(endpoint = "stock_goods", input = GetUrl)]
pub async fn get_goods_stock(goods: GoodsId) -> Result<GoodsStockDetail, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::stock::detail(&req.db, &caller, goods).await
    })
    .await
}

/// Receives goods into stock (入库).
#[server(endpoint = "stock_receive", input = Json)]
pub async fn stock_receive(form: ReceiveForm) -> Result<StockGoods, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::stock::receive(&req.db, &caller, &form, ctx::now()).await
    })
    .await
}

/// Adjusts stock with a reason (调整).
#[server(endpoint = "stock_adjust", input = Json)]
pub async fn stock_adjust(form: AdjustForm) -> Result<StockGoods, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::stock::adjust(&req.db, &caller, &form, ctx::now()).await
    })
    .await
}

/// Adds a new kind of goods to the village's shop, with no stock yet.
#[server(endpoint = "stock_goods_create", input = Json)]
pub async fn stock_goods_create(
    village: VillageId,
    form: GoodsForm,
) -> Result<StockGoods, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::stock::create_goods(&req.db, &caller, village, &form, ctx::now()).await
    })
    .await
}

/// Edits a goods: name, unit, category, price, threshold.
#[server(endpoint = "stock_goods_update", input = Json)]
pub async fn stock_goods_update(goods: GoodsId, form: GoodsForm) -> Result<StockGoods, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::stock::update_goods(&req.db, &caller, goods, &form, ctx::now()).await
    })
    .await
}

/// Takes a goods off sale (下架) or back on sale (上架).
#[server(endpoint = "stock_goods_active")]
pub async fn stock_goods_active(goods: GoodsId, active: bool) -> Result<StockGoods, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::stock::set_active(&req.db, &caller, goods, active, ctx::now()).await
    })
    .await
}

/// Sets a goods' photo (form fields `goods` and `photo`).
#[server(endpoint = "stock_goods_photo", input = MultipartFormData)]
pub async fn stock_goods_photo(data: MultipartData) -> Result<StockGoods, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let (goods, bytes) = super::evidence::photo_form(data, "goods").await?;
        let goods = goods
            .map(GoodsId)
            .ok_or_else(|| AppError::invalid("请先保存商品"))?;
        crate::server::stock::store_photo(&req.db, &caller, goods, bytes, ctx::now()).await
    })
    .await
}

/// Removes a goods' photo.
#[server(endpoint = "stock_goods_photo_remove")]
pub async fn stock_goods_photo_remove(goods: GoodsId) -> Result<StockGoods, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::stock::remove_photo(&req.db, &caller, goods, ctx::now()).await
    })
    .await
}
