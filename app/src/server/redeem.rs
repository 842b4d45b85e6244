//! Redemption at the points supermarket (积分兑换): one transaction checks
//! points and stock and writes the redemption, its lines, the stock movements
//! and the balance. A retried request with the same idempotency key returns
//! the first result and writes nothing.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use super::entities::{goods, household, redemption, redemption_line, stock_movement, village};
use super::ledger::apply_to_totals;
use super::{audit, Db};
use crate::domain::redemption::{check_redemption, LineRequest, ShelfGoods};
use crate::domain::roles::Caller;
use crate::domain::time::{china_date, china_offset, month_key};
use crate::domain::{GoodsId, HouseholdId, RedemptionId, VillageId};
use crate::error::AppError;

/// What the counter asks for.
#[derive(Debug, Clone)]
pub struct RedeemRequest {
    pub household: HouseholdId,
    pub lines: Vec<LineRequest>,
    /// Chosen by the client once per order, reused on every retry.
    pub idempotency_key: String,
}

/// One line of a completed redemption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoneLine {
    pub goods: GoodsId,
    pub name: String,
    pub unit: String,
    pub quantity: i32,
    pub unit_price: i32,
}

/// A completed redemption, as the receipt shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redemption {
    pub id: RedemptionId,
    pub receipt_no: String,
    pub household: HouseholdId,
    pub total: i64,
    pub balance_after: i64,
    pub lines: Vec<DoneLine>,
    pub created_at: DateTime<Utc>,
    /// True when this answers a retry of an earlier request.
    pub replayed: bool,
}

fn valid_key(key: &str) -> bool {
    (8..=64).contains(&key.len())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

async fn load<C: ConnectionTrait>(
    conn: &C,
    r: redemption::Model,
    replayed: bool,
) -> Result<Redemption, AppError> {
    let lines = redemption_line::Entity::find()
        .filter(redemption_line::Column::RedemptionId.eq(r.id))
        .order_by_asc(redemption_line::Column::Id)
        .all(conn)
        .await?;
    let mut done = Vec::with_capacity(lines.len());
    for l in lines {
        let g = goods::Entity::find_by_id(l.goods_id)
            .one(conn)
            .await?
            .ok_or(AppError::Internal)?;
        done.push(DoneLine {
            goods: GoodsId(g.id),
            name: g.name,
            unit: g.unit,
            quantity: l.quantity,
            unit_price: l.unit_price,
        });
    }
    let hh = household::Entity::find_by_id(r.household_id)
        .one(conn)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(Redemption {
        id: RedemptionId(r.id),
        receipt_no: r.receipt_no,
        household: HouseholdId(r.household_id),
        total: r.total_points,
        balance_after: hh.balance,
        lines: done,
        created_at: r.created_at,
        replayed,
    })
}

/// Redeems goods for a household, all or nothing.
pub async fn redeem(
    db: &Db,
    caller: &Caller,
    req: RedeemRequest,
    now: DateTime<Utc>,
) -> Result<Redemption, AppError> {
    if !valid_key(&req.idempotency_key) {
        return Err(AppError::invalid("请求编号无效，请刷新页面后重试"));
    }
    let txn = db.write().await?;
    let hh = household::Entity::find_by_id(req.household.0)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该农户"))?;
    let village_id = VillageId(hh.village_id);
    if !caller.may_redeem(village_id) {
        return Err(AppError::Forbidden);
    }
    if let Some(first) = redemption::Entity::find()
        .filter(redemption::Column::IdempotencyKey.eq(req.idempotency_key.as_str()))
        .one(&*txn)
        .await?
    {
        if first.household_id != hh.id {
            return Err(AppError::Conflict("该请求编号已用于其他农户的兑换".into()));
        }
        return load(&*txn, first, true).await;
    }
    if hh.moved_away {
        return Err(AppError::invalid("该户已迁出，不能兑换"));
    }
    let ids: Vec<i32> = req.lines.iter().map(|l| l.goods.0).collect();
    let shelf: Vec<ShelfGoods> = goods::Entity::find()
        .filter(goods::Column::Id.is_in(ids))
        .all(&*txn)
        .await?
        .into_iter()
        .map(|g| ShelfGoods {
            id: GoodsId(g.id),
            village: VillageId(g.village_id),
            name: g.name,
            price: g.price_points,
            stock: g.stock,
            active: g.active,
        })
        .collect();
    let plan = check_redemption(village_id, hh.balance, &req.lines, &shelf)
        .map_err(|e| AppError::invalid(e.to_string()))?;

    let v = village::Entity::find_by_id(hh.village_id)
        .one(&*txn)
        .await?
        .ok_or(AppError::Internal)?;
    let today = china_date(now);
    let day_start = today
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_local_timezone(china_offset())
        .single()
        .expect("fixed offset is unambiguous")
        .with_timezone(&Utc);
    let seq = redemption::Entity::find()
        .filter(redemption::Column::VillageId.eq(hh.village_id))
        .filter(redemption::Column::CreatedAt.gte(day_start))
        .count(&*txn)
        .await?
        + 1;
    let suffix = &v.code[v.code.len().saturating_sub(3)..];
    let receipt_no = format!("{suffix}-{}-{seq:04}", today.format("%Y%m%d"));

    let r = redemption::ActiveModel {
        village_id: Set(hh.village_id),
        household_id: Set(hh.id),
        clerk_id: Set(caller.user.0),
        idempotency_key: Set(req.idempotency_key.clone()),
        receipt_no: Set(receipt_no),
        total_points: Set(plan.total),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    for line in &plan.lines {
        redemption_line::ActiveModel {
            redemption_id: Set(r.id),
            goods_id: Set(line.goods.0),
            quantity: Set(line.quantity),
            unit_price: Set(line.unit_price),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        stock_movement::ActiveModel {
            goods_id: Set(line.goods.0),
            kind: Set("redeemed".into()),
            quantity: Set(-line.quantity),
            reason: Set(None),
            redemption_id: Set(Some(r.id)),
            recorded_by: Set(Some(caller.user.0)),
            recorded_at: Set(now),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        goods::Entity::update_many()
            .col_expr(
                goods::Column::Stock,
                Expr::col(goods::Column::Stock).sub(line.quantity),
            )
            .filter(goods::Column::Id.eq(line.goods.0))
            .exec(&*txn)
            .await?;
    }
    apply_to_totals(&*txn, &hh, month_key(today), 0, plan.total).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "redeem",
        "redemption",
        Some(r.id),
        format!("household {} total {}", hh.id, plan.total),
        now,
    )
    .await?;
    let done = load(&*txn, r, false).await?;
    txn.commit().await?;
    Ok(done)
}
