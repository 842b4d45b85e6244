//! Server functions of the shop's stock (库存): the stock list, a goods'
//! movements, receipts (入库), adjustments (调整), and the goods themselves
//! (新增、编辑、照片、下架/上架). Every one is for the supermarket clerk of the
//! goods' village, or the village admin standing in.

pub use wire::stock::*;

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json, MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use super::ctx;
#[cfg(feature = "ssr")]
use super::upload::{self, UploadForm};
pub use crate::domain::stock::{AdjustForm, GoodsForm, ReceiveForm};
use crate::domain::{GoodsId, VillageId};
use crate::error::AppError;

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
        let mut form = UploadForm::read(data, upload::photo()).await?;
        let bytes = form.take_bytes();
        let goods = form
            .id("goods", GoodsId)
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
