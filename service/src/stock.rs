//! Stock of the points supermarket (库存): receipts (入库), adjustments (调整),
//! the goods themselves and their photos.
//!
//! Every change of stock is one transaction that writes a `stock_movement`
//! row, moves `goods.stock` by the same quantity with a conditional UPDATE
//! (so stock never goes below zero, whoever else is writing), and appends an
//! audit row. Movements are never updated or deleted: `goods.stock` always
//! equals the sum of its movements, which `server verify` checks.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect, Set,
};

use super::entities::{goods, redemption, stock_movement, user_account};
use super::files::{self, RouteCaller, StoredFile};
use super::{audit, Db};
use domain::goods::{category_rank, MIN_KINDS_ON_SALE};
use domain::roles::Caller;
use domain::stock::{
    check_stock_after, format_fen, is_low, kind_label, kinds_on_sale, kinds_warning, name_key,
    photo_url, GoodsFields, MovementKind, StockError,
};
use domain::stock::{AdjustForm, GoodsForm, ReceiveForm};
use domain::time::china_date;
use domain::{GoodsId, VillageId};
use wire::stock::{GoodsStockDetail, MovementRow, StockGoods, StockOverview};
use wire::AppError;

/// How many movements a goods' history lists.
pub const HISTORY_LIMIT: u64 = 200;

/// The wire view of a goods.
pub fn view(g: &goods::Model) -> StockGoods {
    StockGoods {
        id: GoodsId(g.id),
        name: g.name.clone(),
        unit: g.unit.clone(),
        category: g.category.clone(),
        price: g.price_points,
        stock: g.stock,
        low_stock: g.low_stock,
        active: g.active,
        photo: g.photo_path.as_deref().map(|p| photo_url(GoodsId(g.id), p)),
        low: is_low(g.active, g.stock, g.low_stock),
    }
}

/// Refuses callers who run no supermarket counter at all, before any input
/// is looked at.
fn gate(caller: &Caller) -> Result<(), AppError> {
    match caller.village {
        Some(v) if caller.may_redeem(v) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// A goods the caller may manage: 404 if there is none, 403 if it belongs
/// to another village's shop.
async fn goods_of<C: ConnectionTrait>(
    conn: &C,
    caller: &Caller,
    id: GoodsId,
) -> Result<goods::Model, AppError> {
    let g = goods::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该商品"))?;
    if !caller.may_redeem(VillageId(g.village_id)) {
        return Err(AppError::Forbidden);
    }
    Ok(g)
}

/// Re-reads a goods after a change.
async fn reload<C: ConnectionTrait>(conn: &C, id: i32) -> Result<goods::Model, AppError> {
    goods::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::Internal)
}

/// The stock of a village's shop.
pub async fn overview(
    db: &Db,
    caller: &Caller,
    village: VillageId,
) -> Result<StockOverview, AppError> {
    if !caller.may_redeem(village) {
        return Err(AppError::Forbidden);
    }
    let mut all = goods::Entity::find()
        .filter(goods::Column::VillageId.eq(village.0))
        .all(&db.conn)
        .await?;
    all.sort_by(|a, b| {
        (!a.active, category_rank(&a.category), &a.name, a.id).cmp(&(
            !b.active,
            category_rank(&b.category),
            &b.name,
            b.id,
        ))
    });
    let on_sale = kinds_on_sale(all.iter().map(|g| (g.active, g.stock)));
    let goods: Vec<StockGoods> = all.iter().map(view).collect();
    Ok(StockOverview {
        kinds_on_sale: on_sale,
        min_kinds: MIN_KINDS_ON_SALE,
        kinds_warning: kinds_warning(on_sale),
        low_count: goods.iter().filter(|g| g.low).count(),
        inactive_count: goods.iter().filter(|g| !g.active).count(),
        goods,
    })
}

/// One goods with its latest movements, newest first.
pub async fn detail(
    db: &Db,
    caller: &Caller,
    goods_id: GoodsId,
) -> Result<GoodsStockDetail, AppError> {
    let g = goods_of(&db.conn, caller, goods_id).await?;
    // Newest first by business date (a receipt may be entered days after
    // the delivery), then by when it was recorded. A goods has at most a few
    // thousand movements, so they are sorted here rather than in SQL.
    let mut rows = stock_movement::Entity::find()
        .filter(stock_movement::Column::GoodsId.eq(g.id))
        .all(&db.conn)
        .await?;
    let day = |m: &stock_movement::Model| m.moved_on.unwrap_or_else(|| china_date(m.recorded_at));
    rows.sort_by_key(|m| std::cmp::Reverse((day(m), m.recorded_at, m.id)));
    let more = rows.len() as u64 > HISTORY_LIMIT;
    rows.truncate(HISTORY_LIMIT as usize);

    let mut user_ids: Vec<i32> = rows.iter().filter_map(|m| m.recorded_by).collect();
    user_ids.sort_unstable();
    user_ids.dedup();
    let names: HashMap<i32, String> = user_account::Entity::find()
        .filter(user_account::Column::Id.is_in(user_ids))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let mut redemption_ids: Vec<i32> = rows.iter().filter_map(|m| m.redemption_id).collect();
    redemption_ids.sort_unstable();
    redemption_ids.dedup();
    // A redemption's receipt number, and a void's reason (作废原因).
    let receipts: HashMap<i32, (String, Option<String>)> = redemption::Entity::find()
        .filter(redemption::Column::Id.is_in(redemption_ids))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|r| (r.id, (r.receipt_no, r.reason)))
        .collect();

    let received: Vec<(i32, Option<i64>)> = stock_movement::Entity::find()
        .select_only()
        .column(stock_movement::Column::Quantity)
        .column(stock_movement::Column::UnitCostFen)
        .filter(stock_movement::Column::GoodsId.eq(g.id))
        .filter(stock_movement::Column::Kind.eq(MovementKind::Received.as_str()))
        .into_tuple()
        .all(&db.conn)
        .await?;
    let received_units: i64 = received.iter().map(|(q, _)| i64::from(*q)).sum();
    let received_fen: i64 = received
        .iter()
        .map(|(q, c)| i64::from(*q) * c.unwrap_or(0))
        .sum();

    let movements = rows
        .into_iter()
        .map(|m| {
            let (receipt_no, void_reason) = m
                .redemption_id
                .and_then(|r| receipts.get(&r).cloned())
                .map_or((None, None), |(no, why)| (Some(no), why));
            MovementRow {
                id: m.id,
                date: day(&m).format("%Y-%m-%d").to_string(),
                kind_label: kind_label(&m.kind),
                kind: m.kind,
                quantity: m.quantity,
                unit_cost: m.unit_cost_fen.map(format_fen),
                amount: m
                    .unit_cost_fen
                    .map(|c| format_fen(c * i64::from(m.quantity))),
                supplier: m.supplier,
                reason: m.reason.or(void_reason),
                receipt_no,
                by: m
                    .recorded_by
                    .and_then(|u| names.get(&u).cloned())
                    .unwrap_or_else(|| "系统".into()),
            }
        })
        .collect();
    Ok(GoodsStockDetail {
        goods: view(&g),
        movements,
        more,
        received_units,
        received_cost: format_fen(received_fen),
    })
}

/// What a movement writes besides its goods and quantity.
struct MovementFacts {
    kind: MovementKind,
    reason: Option<String>,
    unit_cost_fen: Option<i64>,
    supplier: Option<String>,
    moved_on: chrono::NaiveDate,
}

/// Moves a goods' stock by `quantity` and writes the movement, inside the
/// caller's transaction. The UPDATE only applies when the stock stays at
/// zero or above; otherwise nothing is written and the adjustment is refused.
async fn move_stock<C: ConnectionTrait>(
    conn: &C,
    caller: &Caller,
    g: &goods::Model,
    quantity: i32,
    facts: MovementFacts,
    now: DateTime<Utc>,
) -> Result<stock_movement::Model, AppError> {
    let moved = goods::Entity::update_many()
        .col_expr(
            goods::Column::Stock,
            Expr::col(goods::Column::Stock).add(quantity),
        )
        .filter(goods::Column::Id.eq(g.id))
        .filter(Expr::col(goods::Column::Stock).add(quantity).gte(0))
        .exec(conn)
        .await?;
    if moved.rows_affected != 1 {
        let now_stock = reload(conn, g.id).await?.stock;
        let short = check_stock_after(now_stock, quantity).err();
        return Err(short
            .unwrap_or(StockError::BelowZero { stock: now_stock })
            .into());
    }
    let m = stock_movement::ActiveModel {
        goods_id: Set(g.id),
        kind: Set(facts.kind.as_str().into()),
        quantity: Set(quantity),
        reason: Set(facts.reason),
        redemption_id: Set(None),
        recorded_by: Set(Some(caller.user.0)),
        recorded_at: Set(now),
        unit_cost_fen: Set(facts.unit_cost_fen),
        supplier: Set(facts.supplier),
        moved_on: Set(Some(facts.moved_on)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(m)
}

/// Receives goods into stock (入库).
pub async fn receive(
    db: &Db,
    caller: &Caller,
    form: &ReceiveForm,
    now: DateTime<Utc>,
) -> Result<StockGoods, AppError> {
    gate(caller)?;
    let r = form.check(china_date(now))?;
    let txn = db.write().await?;
    let g = goods_of(&*txn, caller, r.goods).await?;
    let m = move_stock(
        &*txn,
        caller,
        &g,
        r.quantity,
        MovementFacts {
            kind: MovementKind::Received,
            reason: None,
            unit_cost_fen: Some(r.unit_cost_fen),
            supplier: r.supplier.clone(),
            moved_on: r.moved_on,
        },
        now,
    )
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "stock_receive",
        "stock_movement",
        Some(m.id),
        format!(
            "goods {} {} +{} at {} yuan from {} on {}",
            g.id,
            g.name,
            r.quantity,
            format_fen(r.unit_cost_fen),
            r.supplier.as_deref().unwrap_or("-"),
            r.moved_on
        ),
        now,
    )
    .await?;
    let g = reload(&*txn, g.id).await?;
    txn.commit().await?;
    Ok(view(&g))
}

/// Adjusts stock with a reason (调整); refused when the stock would go
/// below zero.
pub async fn adjust(
    db: &Db,
    caller: &Caller,
    form: &AdjustForm,
    now: DateTime<Utc>,
) -> Result<StockGoods, AppError> {
    gate(caller)?;
    let a = form.check(china_date(now))?;
    let txn = db.write().await?;
    let g = goods_of(&*txn, caller, a.goods).await?;
    check_stock_after(g.stock, a.quantity)?;
    let m = move_stock(
        &*txn,
        caller,
        &g,
        a.quantity,
        MovementFacts {
            kind: MovementKind::Adjusted,
            reason: Some(a.reason.clone()),
            unit_cost_fen: None,
            supplier: None,
            moved_on: a.moved_on,
        },
        now,
    )
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "stock_adjust",
        "stock_movement",
        Some(m.id),
        format!(
            "goods {} {} {:+} ({}) on {}",
            g.id, g.name, a.quantity, a.reason, a.moved_on
        ),
        now,
    )
    .await?;
    let g = reload(&*txn, g.id).await?;
    txn.commit().await?;
    Ok(view(&g))
}

/// Refuses a name another goods of the village already has (ignoring
/// spaces and letter case).
async fn unique_name<C: ConnectionTrait>(
    conn: &C,
    village: i32,
    name: &str,
    except: Option<i32>,
) -> Result<(), AppError> {
    let key = name_key(name);
    let clash = goods::Entity::find()
        .filter(goods::Column::VillageId.eq(village))
        .all(conn)
        .await?
        .into_iter()
        .find(|g| Some(g.id) != except && name_key(&g.name) == key);
    match clash {
        Some(g) if g.active => Err(AppError::Conflict(format!("本村超市已有商品“{}”", g.name))),
        Some(g) => Err(AppError::Conflict(format!(
            "本村超市已有商品“{}”（已下架，可重新上架）",
            g.name
        ))),
        None => Ok(()),
    }
}

/// Adds a new kind of goods to a village's shop, on sale with no stock yet.
pub async fn create_goods(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    form: &GoodsForm,
    now: DateTime<Utc>,
) -> Result<StockGoods, AppError> {
    if !caller.may_redeem(village) {
        return Err(AppError::Forbidden);
    }
    let f: GoodsFields = form.check()?;
    let txn = db.write().await?;
    unique_name(&*txn, village.0, &f.name, None).await?;
    let g = goods::ActiveModel {
        village_id: Set(village.0),
        name: Set(f.name.clone()),
        unit: Set(f.unit.clone()),
        price_points: Set(f.price),
        stock: Set(0),
        photo_path: Set(None),
        active: Set(true),
        created_at: Set(now),
        category: Set(f.category.clone()),
        low_stock: Set(f.low_stock),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "goods_create",
        "goods",
        Some(g.id),
        format!(
            "{} ({}) {} points per {}, warn at {}",
            f.name, f.category, f.price, f.unit, f.low_stock
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(view(&g))
}

/// Edits a goods' name, unit, category, price and threshold. A new price
/// applies to later redemptions only (each line keeps its own price).
pub async fn update_goods(
    db: &Db,
    caller: &Caller,
    goods_id: GoodsId,
    form: &GoodsForm,
    now: DateTime<Utc>,
) -> Result<StockGoods, AppError> {
    gate(caller)?;
    let f = form.check()?;
    let txn = db.write().await?;
    let g = goods_of(&*txn, caller, goods_id).await?;
    unique_name(&*txn, g.village_id, &f.name, Some(g.id)).await?;
    let before = format!(
        "{} ({}) {} points per {}, warn at {}",
        g.name, g.category, g.price_points, g.unit, g.low_stock
    );
    let mut am = g.into_active_model();
    am.name = Set(f.name.clone());
    am.unit = Set(f.unit.clone());
    am.category = Set(f.category.clone());
    am.price_points = Set(f.price);
    am.low_stock = Set(f.low_stock);
    let g = am.update(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "goods_update",
        "goods",
        Some(g.id),
        format!(
            "{before} -> {} ({}) {} points per {}, warn at {}",
            f.name, f.category, f.price, f.unit, f.low_stock
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(view(&g))
}

/// Takes a goods off sale (下架) or puts it back (上架). Its stock and
/// history stay as they are.
pub async fn set_active(
    db: &Db,
    caller: &Caller,
    goods_id: GoodsId,
    active: bool,
    now: DateTime<Utc>,
) -> Result<StockGoods, AppError> {
    gate(caller)?;
    let txn = db.write().await?;
    let g = goods_of(&*txn, caller, goods_id).await?;
    if g.active == active {
        return Ok(view(&g));
    }
    let name = g.name.clone();
    let mut am = g.into_active_model();
    am.active = Set(active);
    let g = am.update(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        if active {
            "goods_activate"
        } else {
            "goods_deactivate"
        },
        "goods",
        Some(g.id),
        name,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(view(&g))
}

/// Stores a goods' photo: shrunk and re-encoded like evidence photos, kept
/// under `goods/<village>/` in the files folder. The old photo, if any, is
/// removed once the new one is recorded.
pub async fn store_photo(
    db: &Db,
    caller: &Caller,
    goods_id: GoodsId,
    bytes: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<StockGoods, AppError> {
    gate(caller)?;
    let g = goods_of(&db.conn, caller, goods_id).await?;
    let (jpeg, width, height) = super::uploads::shrink_photo(bytes).await?;
    let rel = super::uploads::write(db, "goods", g.village_id, "jpg", &jpeg).await?;

    let recorded = async {
        let txn = db.write().await?;
        let g = goods_of(&*txn, caller, goods_id).await?;
        let old = g.photo_path.clone();
        let mut am = g.into_active_model();
        am.photo_path = Set(Some(rel.clone()));
        let g = am.update(&*txn).await?;
        audit::record(
            &*txn,
            Some(caller.user),
            "goods_photo",
            "goods",
            Some(g.id),
            format!("{} {width}x{height} {} bytes", g.name, jpeg.len()),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok::<_, AppError>((g, old))
    }
    .await;
    match recorded {
        Ok((g, old)) => {
            if let Some(old) = old {
                super::uploads::remove(db, "goods", &old).await;
            }
            Ok(view(&g))
        }
        Err(e) => {
            super::uploads::remove(db, "goods", &rel).await;
            Err(e)
        }
    }
}

/// Removes a goods' photo.
pub async fn remove_photo(
    db: &Db,
    caller: &Caller,
    goods_id: GoodsId,
    now: DateTime<Utc>,
) -> Result<StockGoods, AppError> {
    gate(caller)?;
    let txn = db.write().await?;
    let g = goods_of(&*txn, caller, goods_id).await?;
    let Some(old) = g.photo_path.clone() else {
        return Ok(view(&g));
    };
    let mut am = g.into_active_model();
    am.photo_path = Set(None);
    let g = am.update(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "goods_photo_remove",
        "goods",
        Some(g.id),
        g.name.clone(),
        now,
    )
    .await?;
    txn.commit().await?;
    super::uploads::remove(db, "goods", &old).await;
    Ok(view(&g))
}

/// The photo file of a goods, for anyone (goods are shown publicly).
pub async fn photo_file(db: &Db, goods_id: GoodsId) -> Result<PathBuf, AppError> {
    let none = || AppError::not_found("该商品没有照片");
    let g = goods::Entity::find_by_id(goods_id.0)
        .one(&db.conn)
        .await?
        .ok_or_else(none)?;
    let rel = g.photo_path.ok_or_else(none)?;
    super::uploads::resolve(db, "goods", &rel).ok_or_else(none)
}

/// The goods' photo as JPEG, public (`GET /goods-photo/{goods_id}`). Its
/// address carries a version (see [`photo_url`]), so it may be cached.
pub async fn stored_photo(db: &Db, _: &RouteCaller, id: i32) -> Result<StoredFile, AppError> {
    let path = photo_file(db, GoodsId(id)).await?;
    let bytes = files::read(&path, AppError::not_found("该商品没有照片")).await?;
    Ok(StoredFile::jpeg(bytes, "public, max-age=604800"))
}
