//! Redemption at the points supermarket (积分兑换): one transaction checks
//! points and stock and writes the redemption, its lines, the stock movements
//! and the balance. A retried request with the same idempotency key returns
//! the first result and writes nothing. A same-day mistake is voided (作废) by
//! a reversal redemption: negated total and lines, stock returned by
//! movements, never by changing the original.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult,
    IdenStatic, IntoActiveModel, Iterable, PaginatorTrait, QueryFilter, QueryOrder, QueryTrait,
    Set, Statement,
};

use super::db::{execute_all, next_id_expr};
use super::entities::{
    goods, household, redemption, redemption_line, stock_movement, user_account, village,
};
use super::ledger::totals_statements;
use super::{audit, Db};
use domain::redemption::{
    check_line_count, check_redemption, check_void, LineRequest, PlannedLine, ShelfGoods,
    VoidCandidate,
};
use domain::roles::{Caller, Duty};
use domain::time::{china_date, china_midnight, month_key};
use domain::{GoodsId, HouseholdId, RedemptionId, UserId, VillageId};
use wire::kiosk::{Receipt, ReceiptLine};
use wire::AppError;

/// What the counter asks for.
#[derive(Debug, Clone)]
pub struct RedeemRequest {
    pub household: HouseholdId,
    pub lines: Vec<LineRequest>,
    /// Chosen by the client once per order, reused on every retry.
    pub idempotency_key: String,
}

/// One line of a completed redemption (negative quantity on a void).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoneLine {
    pub goods: GoodsId,
    pub name: String,
    pub unit: String,
    pub quantity: i32,
    pub unit_price: i32,
}

/// A completed redemption or void, as the receipt and the day list show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redemption {
    pub id: RedemptionId,
    pub receipt_no: String,
    pub household: HouseholdId,
    pub card_no: String,
    pub head_name: String,
    pub village_name: String,
    pub clerk_name: String,
    /// Negative on a void.
    pub total: i64,
    /// The household's balance now (right after, for a fresh redemption).
    pub balance_after: i64,
    pub lines: Vec<DoneLine>,
    pub created_at: DateTime<Utc>,
    /// True when this answers a retry of an earlier request.
    pub replayed: bool,
    /// On a void: the receipt number it cancels.
    pub voids: Option<String>,
    /// On a voided redemption: the void's receipt number.
    pub voided_by: Option<String>,
    /// On a void: why.
    pub reason: Option<String>,
}

fn valid_key(key: &str) -> bool {
    (8..=64).contains(&key.len())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// How a client's key is stored: scoped to the village (`<village>:<key>`),
/// so one village's keys neither collide with nor reveal another's. `:` is
/// outside the client's alphabet, so a stored client key never equals the
/// key the server gives a void (`void-<id>`) or another village's.
pub fn stored_key(village: VillageId, key: &str) -> String {
    format!("{}:{key}", village.0)
}

/// The redemption a client key made in a village, if any (keys stored
/// before they were scoped are matched as they are, within the village;
/// voids never, as their keys are the server's).
async fn find_by_key<C: ConnectionTrait>(
    conn: &C,
    village: VillageId,
    key: &str,
) -> Result<Option<redemption::Model>, AppError> {
    // Only the key in SQL: it is unique, so this reads at most two rows by
    // its index. With `reverses IS NULL` in the query SQLite chose the
    // unique index on `reverses`, where nearly every row is NULL, and read
    // the whole table on every order (22 ms per redemption on the large
    // town); the village and "not a void" are checked on the rows found.
    Ok(redemption::Entity::find()
        .filter(
            redemption::Column::IdempotencyKey.is_in([stored_key(village, key), key.to_string()]),
        )
        .all(conn)
        .await?
        .into_iter()
        .find(|r| r.village_id == village.0 && r.reverses.is_none()))
}

/// The goods and quantities of an order, summed per goods, to tell whether
/// a retry asks for the same thing as the first request.
fn order_content(lines: impl IntoIterator<Item = (i32, i32)>) -> Vec<(i32, i64)> {
    let mut sum: HashMap<i32, i64> = HashMap::new();
    for (goods, quantity) in lines {
        *sum.entry(goods).or_default() += i64::from(quantity);
    }
    let mut out: Vec<(i32, i64)> = sum.into_iter().collect();
    out.sort_unstable();
    out
}

/// Fills in lines, names and void links of many redemptions with a fixed
/// number of queries, keeping their order.
async fn load_many<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<redemption::Model>,
    replayed: bool,
) -> Result<Vec<Redemption>, AppError> {
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let lines = redemption_line::Entity::find()
        .filter(redemption_line::Column::RedemptionId.is_in(ids.clone()))
        .order_by_asc(redemption_line::Column::Id)
        .all(conn)
        .await?;
    let goods: HashMap<i32, goods::Model> = goods::Entity::find()
        .filter(goods::Column::Id.is_in(lines.iter().map(|l| l.goods_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let households: HashMap<i32, household::Model> = household::Entity::find()
        .filter(household::Column::Id.is_in(rows.iter().map(|r| r.household_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let villages: HashMap<i32, String> = village::Entity::find()
        .filter(village::Column::Id.is_in(rows.iter().map(|r| r.village_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect();
    let clerks: HashMap<i32, String> = user_account::Entity::find()
        .filter(user_account::Column::Id.is_in(rows.iter().map(|r| r.clerk_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    // Voids of these, and the originals these void: two indexed lookups.
    // (One OR of both, or an empty IN list, makes SQLite scan the table.)
    let mut linked: Vec<redemption::Model> = redemption::Entity::find()
        .filter(redemption::Column::Reverses.is_in(ids.clone()))
        .all(conn)
        .await?;
    let originals: Vec<i32> = rows.iter().filter_map(|r| r.reverses).collect();
    if !originals.is_empty() {
        linked.extend(
            redemption::Entity::find()
                .filter(redemption::Column::Id.is_in(originals))
                .all(conn)
                .await?,
        );
    }
    let voided_by: HashMap<i32, String> = linked
        .iter()
        .filter_map(|v| v.reverses.map(|o| (o, v.receipt_no.clone())))
        .chain(
            rows.iter()
                .filter_map(|v| v.reverses.map(|o| (o, v.receipt_no.clone()))),
        )
        .collect();
    let receipt_of: HashMap<i32, String> = linked
        .iter()
        .chain(rows.iter())
        .map(|r| (r.id, r.receipt_no.clone()))
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let hh = households.get(&r.household_id).ok_or(AppError::Internal)?;
        let done = lines
            .iter()
            .filter(|l| l.redemption_id == r.id)
            .map(|l| {
                let g = goods.get(&l.goods_id);
                DoneLine {
                    goods: GoodsId(l.goods_id),
                    name: g.map(|g| g.name.clone()).unwrap_or_default(),
                    unit: g.map(|g| g.unit.clone()).unwrap_or_default(),
                    quantity: l.quantity,
                    unit_price: l.unit_price,
                }
            })
            .collect();
        out.push(Redemption {
            id: RedemptionId(r.id),
            household: HouseholdId(hh.id),
            card_no: hh.card_no.clone(),
            head_name: hh.head_name.clone(),
            village_name: villages.get(&r.village_id).cloned().unwrap_or_default(),
            clerk_name: clerks.get(&r.clerk_id).cloned().unwrap_or_default(),
            total: r.total_points,
            balance_after: hh.balance,
            lines: done,
            created_at: r.created_at,
            replayed,
            voids: r.reverses.and_then(|o| receipt_of.get(&o).cloned()),
            voided_by: voided_by.get(&r.id).cloned(),
            reason: r.reason,
            receipt_no: r.receipt_no,
        });
    }
    Ok(out)
}

async fn load<C: ConnectionTrait>(
    conn: &C,
    r: redemption::Model,
    replayed: bool,
) -> Result<Redemption, AppError> {
    load_many(conn, vec![r], replayed)
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

/// How many redemptions and voids a village's counter has made since the
/// start of a China date (a receipt number's sequence is this plus one).
fn day_count(village_id: i32, today: NaiveDate) -> SelectStatement {
    Query::select()
        .expr_as(Expr::col(redemption::Column::Id).count(), "seq")
        .from(redemption::Entity)
        .and_where(Expr::col(redemption::Column::VillageId).eq(village_id))
        .and_where(Expr::col(redemption::Column::CreatedAt).gte(china_midnight(today)))
        .to_owned()
}

/// The next receipt number of a village's day (see [`receipt_no`]).
async fn next_receipt_no<C: ConnectionTrait>(
    conn: &C,
    village_id: i32,
    today: NaiveDate,
) -> Result<String, AppError> {
    let v = village::Entity::find_by_id(village_id)
        .one(conn)
        .await?
        .ok_or(AppError::Internal)?;
    let row = conn
        .query_one(&day_count(village_id, today))
        .await?
        .ok_or(AppError::Internal)?;
    let count: i64 = row.try_get("", "seq")?;
    Ok(receipt_no(
        &v.code,
        today,
        u64::try_from(count).unwrap_or(0) + 1,
    ))
}

/// `<village code tail>-<yyyymmdd>-<seq>`.
fn receipt_no(village_code: &str, today: NaiveDate, seq: u64) -> String {
    let suffix = &village_code[village_code.len().saturating_sub(3)..];
    format!("{suffix}-{}-{seq:04}", today.format("%Y%m%d"))
}

/// What the counter reads before an order, in one statement: the
/// household with what its receipt will name (the number from the
/// village's code and the day's count so far, the village's name, the
/// clerk's), whether the order's key was used before, the id the
/// redemption will get ([`next_id_expr`]) and the goods asked for (a row
/// per goods found).
struct CounterRead {
    hh: household::Model,
    goods: HashMap<i32, goods::Model>,
    receipt_no: String,
    village_name: String,
    clerk_name: String,
    /// A redemption holds the key (scoped to the counter's village, or as
    /// stored before keys were scoped): the order may be a retry.
    key_seen: bool,
    /// The id the redemption will be inserted with.
    next_id: i32,
}

/// Goods columns in the counter's read are named with this prefix.
const GOODS: &str = "g_";

async fn counter_read<C: ConnectionTrait>(
    conn: &C,
    household_id: HouseholdId,
    goods_ids: Vec<i32>,
    counter: VillageId,
    clerk: UserId,
    key: &str,
    today: NaiveDate,
) -> Result<Option<CounterRead>, AppError> {
    // Counted for the counter's village: a household of another is refused
    // before its receipt number matters.
    let seq = day_count(counter.0, today);
    let clerk_name = Query::select()
        .column(user_account::Column::DisplayName)
        .from(user_account::Entity)
        .and_where(Expr::col(user_account::Column::Id).eq(clerk.0))
        .to_owned();
    // Only the key in SQL, read by its unique index (see `find_by_key`).
    let key_seen = Query::select()
        .expr(Expr::col(redemption::Column::Id).count())
        .from(redemption::Entity)
        .and_where(
            Expr::col(redemption::Column::IdempotencyKey)
                .is_in([stored_key(counter, key), key.to_string()]),
        )
        .to_owned();
    let mut q = Query::select();
    q.columns(household::Column::iter().map(|c| (household::Entity, c)));
    for c in goods::Column::iter() {
        q.expr_as(
            Expr::col((goods::Entity, c)),
            format!("{GOODS}{}", c.as_str()),
        );
    }
    q.expr_as(
        Expr::col((village::Entity, village::Column::Code)),
        "v_code",
    )
    .expr_as(
        Expr::col((village::Entity, village::Column::Name)),
        "v_name",
    )
    .expr_as(Expr::SubQuery(None, Box::new(seq.into())), "seq")
    .expr_as(Expr::SubQuery(None, Box::new(clerk_name.into())), "clerk")
    .expr_as(Expr::SubQuery(None, Box::new(key_seen.into())), "key_seen")
    .expr_as(
        next_id_expr(conn.get_database_backend(), "redemption"),
        "next_id",
    )
    .from(household::Entity)
    .inner_join(
        village::Entity,
        Expr::col((village::Entity, village::Column::Id))
            .equals((household::Entity, household::Column::VillageId)),
    )
    // Not related to the household: the goods asked for, each by its
    // primary key, beside the household's one row.
    .left_join(
        goods::Entity,
        Expr::col((goods::Entity, goods::Column::Id)).is_in(goods_ids),
    )
    .and_where(Expr::col((household::Entity, household::Column::Id)).eq(household_id.0));
    let rows = conn.query_all(&q).await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let mut goods = HashMap::new();
    for r in &rows {
        if r.try_get::<Option<i32>>("", &format!("{GOODS}id"))?
            .is_some()
        {
            let g = goods::Model::from_query_result(r, GOODS)?;
            goods.insert(g.id, g);
        }
    }
    let hh = household::Model::from_query_result(row, "")?;
    let code: String = row.try_get("", "v_code")?;
    let count: i64 = row.try_get("", "seq")?;
    let seen: i64 = row.try_get("", "key_seen")?;
    let clerk: Option<String> = row.try_get("", "clerk")?;
    let next_id: i64 = row.try_get("", "next_id")?;
    Ok(Some(CounterRead {
        hh,
        goods,
        receipt_no: receipt_no(&code, today, u64::try_from(count).unwrap_or(0) + 1),
        village_name: row.try_get("", "v_name")?,
        clerk_name: clerk.unwrap_or_default(),
        key_seen: seen > 0,
        next_id: i32::try_from(next_id).map_err(|_| AppError::Internal)?,
    }))
}

/// Moves a goods' stock by `delta`, failing (a NOT NULL violation on
/// `goods.stock`, see [`is_stock_shortfall`]) where that would take it below
/// zero: the redemption's check saw enough stock, and this keeps that true
/// even if another writer (another server process) got in between. A
/// failing statement rather than a count of changed rows, so that it can be
/// sent together with the redemption's other statements.
pub fn move_stock(goods_id: i32, delta: i32) -> sea_orm::UpdateMany<goods::Entity> {
    let after = Expr::col(goods::Column::Stock).add(delta);
    goods::Entity::update_many()
        .col_expr(
            goods::Column::Stock,
            Expr::case(after.clone().gte(0), after)
                .finally(Expr::null())
                .into(),
        )
        .filter(goods::Column::Id.eq(goods_id))
}

/// Whether a database error is [`move_stock`] refusing to take a goods'
/// stock below zero (SQLite's and PostgreSQL's words for it).
pub fn is_stock_shortfall(err: &DbErr) -> bool {
    let text = err.to_string();
    text.contains("NOT NULL constraint failed: goods.stock")
        || (text.contains("\"stock\"") && text.contains("not-null"))
}

/// The redemption a request key already made at this village's counter, if
/// any: a counter that lost the answer (reload, timeout) shows that receipt
/// instead of asking again. Another village's keys answer `None`, like an
/// unused key.
pub async fn by_key(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    key: &str,
) -> Result<Option<Redemption>, AppError> {
    if !caller.may_redeem(village) {
        return Err(AppError::Forbidden);
    }
    if !valid_key(key) {
        return Err(AppError::invalid("请求编号无效，请刷新页面后重试"));
    }
    match find_by_key(&db.conn, village, key).await? {
        Some(r) => Ok(Some(load(&db.conn, r, true).await?)),
        None => Ok(None),
    }
}

/// A village's redemptions and voids made on a China date, oldest first.
pub async fn day(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    date: NaiveDate,
) -> Result<Vec<Redemption>, AppError> {
    if !caller.may_redeem(village) {
        return Err(AppError::Forbidden);
    }
    let rows = redemption::Entity::find()
        .filter(redemption::Column::VillageId.eq(village.0))
        .filter(redemption::Column::CreatedAt.gte(china_midnight(date)))
        .filter(redemption::Column::CreatedAt.lt(china_midnight(date + chrono::Days::new(1))))
        .order_by_asc(redemption::Column::Id)
        .all(&db.conn)
        .await?;
    load_many(&db.conn, rows, false).await
}

/// Voids a redemption made today at this village's counter: a reversal
/// redemption with negated total and lines, the goods returned to stock by
/// 'voided' movements and the points to the household, in one transaction.
pub async fn void(
    db: &Db,
    caller: &Caller,
    redemption: RedemptionId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Redemption, AppError> {
    let txn = db.write().await?;
    let orig = redemption::Entity::find_by_id(redemption.0)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到这张兑换小票"))?;
    if !caller.may_redeem(VillageId(orig.village_id)) {
        return Err(AppError::Forbidden);
    }
    caller.check_duty(Duty::Reverse, HouseholdId(orig.household_id))?;
    let voided = redemption::Entity::find()
        .filter(redemption::Column::Reverses.eq(orig.id))
        .count(&*txn)
        .await?
        > 0;
    let today = china_date(now);
    let reason = check_void(
        &VoidCandidate {
            receipt_no: orig.receipt_no.clone(),
            sold_on: china_date(orig.created_at),
            is_void: orig.reverses.is_some(),
            voided,
        },
        today,
        reason,
    )?;
    let hh = household::Entity::find_by_id(orig.household_id)
        .one(&*txn)
        .await?
        .ok_or(AppError::Internal)?;
    let lines = redemption_line::Entity::find()
        .filter(redemption_line::Column::RedemptionId.eq(orig.id))
        .order_by_asc(redemption_line::Column::Id)
        .all(&*txn)
        .await?;
    txn.touches(VillageId(orig.village_id));
    let receipt_no = next_receipt_no(&*txn, orig.village_id, today).await?;
    let v = redemption::ActiveModel {
        village_id: Set(orig.village_id),
        household_id: Set(orig.household_id),
        clerk_id: Set(caller.user.0),
        // At most one void per redemption, whatever the client sends.
        idempotency_key: Set(format!("void-{}", orig.id)),
        receipt_no: Set(receipt_no),
        total_points: Set(-orig.total_points),
        created_at: Set(now),
        reverses: Set(Some(orig.id)),
        reason: Set(Some(reason.clone())),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    let returned: Vec<PlannedLine> = lines
        .iter()
        .map(|l| PlannedLine {
            goods: GoodsId(l.goods_id),
            quantity: -l.quantity,
            unit_price: l.unit_price,
        })
        .collect();
    let movement = Movement {
        kind: "voided",
        reason: Some(&reason),
        clerk: caller.user,
        now,
    };
    let detail = format!("voids {} ({}): {reason}", orig.id, orig.receipt_no);
    let stmts = settle(
        txn.get_database_backend(),
        &v,
        &hh,
        &returned,
        &movement,
        "void_redemption",
        detail,
    );
    execute_all(&*txn, stmts).await.map_err(shelf_error)?;
    let done = load(&*txn, v, false).await?;
    txn.commit().await?;
    Ok(done)
}

/// How the stock movements of a redemption's lines are recorded.
struct Movement<'a> {
    /// "redeemed" or "voided".
    kind: &'a str,
    reason: Option<&'a str>,
    clerk: UserId,
    now: DateTime<Utc>,
}

/// The statements that write a redemption's lines and, for each, the
/// stock movement the other way (goods leave on a redemption, come back on
/// a void), book its points on the household and its month, and audit it:
/// sent together after the redemption's own insert ([`execute_all`],
/// [`super::db::WriteTxn::commit_with`]). They fail ([`shelf_error`]) on a line the
/// shelf no longer holds.
fn settle(
    backend: DbBackend,
    r: &redemption::Model,
    hh: &household::Model,
    lines: &[PlannedLine],
    m: &Movement<'_>,
    action: &str,
    detail: String,
) -> Vec<Statement> {
    let mut stmts = Vec::with_capacity(3 * lines.len() + 3);
    for line in lines {
        // Nothing is read back: the receipt is built from what the
        // transaction already holds.
        stmts.push(
            redemption_line::Entity::insert(redemption_line::ActiveModel {
                redemption_id: Set(r.id),
                goods_id: Set(line.goods.0),
                quantity: Set(line.quantity),
                unit_price: Set(line.unit_price),
                ..Default::default()
            })
            .build(backend),
        );
        stmts.push(
            stock_movement::Entity::insert(stock_movement::ActiveModel {
                goods_id: Set(line.goods.0),
                kind: Set(m.kind.into()),
                quantity: Set(-line.quantity),
                reason: Set(m.reason.map(str::to_string)),
                redemption_id: Set(Some(r.id)),
                recorded_by: Set(Some(m.clerk.0)),
                recorded_at: Set(m.now),
                moved_on: Set(Some(china_date(m.now))),
                ..Default::default()
            })
            .build(backend),
        );
        stmts.push(move_stock(line.goods.0, -line.quantity).build(backend));
    }
    let month = month_key(china_date(m.now));
    stmts.extend(totals_statements(
        backend,
        std::slice::from_ref(hh),
        month,
        0,
        r.total_points,
        0,
    ));
    stmts.push(
        audit::Row {
            user: Some(m.clerk),
            action,
            target_table: "redemption",
            target_id: Some(r.id),
            detail,
            at: m.now,
        }
        .statement(backend),
    );
    stmts
}

/// A failure of [`settle`]'s statements, as the counter is told it.
fn shelf_error(e: DbErr) -> AppError {
    if is_stock_shortfall(&e) {
        AppError::Conflict("商品库存刚被其他柜台兑换，请刷新商品后重试".into())
    } else {
        e.into()
    }
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
    // Before anything is read: the goods ids become one SQL statement.
    check_line_count(&req.lines)?;
    // Only a counter's own village's staff redeem at all.
    let Some(counter) = caller.village.filter(|&v| caller.may_redeem(v)) else {
        return Err(AppError::Forbidden);
    };
    let today = china_date(now);
    let txn = db.write().await?;
    let CounterRead {
        hh,
        goods: on_shelf,
        receipt_no,
        village_name,
        clerk_name,
        key_seen,
        next_id,
    } = counter_read(
        &*txn,
        req.household,
        req.lines.iter().map(|l| l.goods.0).collect(),
        counter,
        caller.user,
        &req.idempotency_key,
        today,
    )
    .await?
    .ok_or_else(|| AppError::not_found("找不到该农户"))?;
    let village_id = VillageId(hh.village_id);
    if !caller.may_redeem(village_id) {
        return Err(AppError::Forbidden);
    }
    caller.check_duty(Duty::Redeem, HouseholdId(hh.id))?;
    let replay = if key_seen {
        find_by_key(&*txn, village_id, &req.idempotency_key).await?
    } else {
        None
    };
    if let Some(first) = replay {
        let first = load(&*txn, first, true).await?;
        // A retry must ask for the same order; the same key with another
        // household or other goods is a client bug or a replay attempt, and
        // gets the first receipt with a refusal, never a silent 200.
        let same = first.household == HouseholdId(hh.id)
            && order_content(first.lines.iter().map(|l| (l.goods.0, l.quantity)))
                == order_content(req.lines.iter().map(|l| (l.goods.0, l.quantity)));
        if !same {
            return Err(AppError::KeyReused(Box::new(crate::redeem::receipt(first))));
        }
        return Ok(first);
    }
    if hh.moved_away {
        return Err(AppError::invalid("该户已迁出，不能兑换"));
    }
    let shelf: Vec<ShelfGoods> = on_shelf
        .values()
        .map(|g| ShelfGoods {
            id: GoodsId(g.id),
            village: VillageId(g.village_id),
            name: g.name.clone(),
            price: g.price_points,
            stock: g.stock,
            active: g.active,
        })
        .collect();
    let plan = check_redemption(village_id, hh.balance, &req.lines, &shelf)?;

    txn.touches(village_id);

    let r = redemption::Model {
        id: next_id,
        village_id: hh.village_id,
        household_id: hh.id,
        clerk_id: caller.user.0,
        idempotency_key: stored_key(village_id, &req.idempotency_key),
        receipt_no,
        total_points: plan.total,
        created_at: now,
        reverses: None,
        reason: None,
    };
    let movement = Movement {
        kind: "redeemed",
        reason: None,
        clerk: caller.user,
        now,
    };
    let detail = format!("household {} total {}", hh.id, plan.total);
    let backend = txn.get_database_backend();
    // The redemption first (its lines refer to it), then its bookkeeping
    // and the commit's version bump: one request on SQLite.
    let mut stmts = vec![redemption::Entity::insert(r.clone().into_active_model()).build(backend)];
    stmts.extend(settle(
        backend,
        &r,
        &hh,
        &plan.lines,
        &movement,
        "redeem",
        detail,
    ));
    // The receipt, from what this transaction read and wrote: it holds the
    // writer lock, so nothing else moved the balance in between.
    let done = Redemption {
        id: RedemptionId(r.id),
        receipt_no: r.receipt_no,
        household: HouseholdId(hh.id),
        card_no: hh.card_no,
        head_name: hh.head_name,
        village_name,
        clerk_name,
        total: plan.total,
        balance_after: hh.balance - plan.total,
        lines: plan
            .lines
            .iter()
            .map(|l| {
                let g = on_shelf.get(&l.goods.0);
                DoneLine {
                    goods: l.goods,
                    name: g.map(|g| g.name.clone()).unwrap_or_default(),
                    unit: g.map(|g| g.unit.clone()).unwrap_or_default(),
                    quantity: l.quantity,
                    unit_price: l.unit_price,
                }
            })
            .collect(),
        created_at: r.created_at,
        replayed: false,
        voids: None,
        voided_by: None,
        reason: None,
    };
    txn.commit_with(stmts).await.map_err(shelf_error)?;
    Ok(done)
}

/// The receipt of a redemption as the counter shows it.
pub fn receipt(r: Redemption) -> Receipt {
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
            .with_timezone(&domain::time::china_offset())
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
