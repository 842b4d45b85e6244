//! The town's fund ledger (资金台账 — 村财镇代管、专款专用): funds granted
//! to a village, payments reaching it, spending with a voucher photo, the
//! plan's checks, and the reconciliation of points against goods and money.
//! Payments and spending are append-only; a mistake is cancelled by a
//! reversal row (冲销) with a reason, which keeps the original's date so a
//! period's sums net out.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::entities::{
    fund, fund_payment, fund_spending, goods, redemption, redemption_line, setting, stock_movement,
    village,
};
use super::files::{self, RouteCaller, StoredFile};
use super::{audit, Db};
use domain::funds::{
    check_description, check_fund, check_reason, parse_amount, period_days, CostedReceipt,
    FundFacts, FundKind, OutLine, SpendCategory, Spent, PUBLIC_SETTING,
};
use domain::roles::Caller;
use domain::time::{china_date, china_midnight, china_minute, month_key};
use domain::{FundId, PaymentId, SpendingId, VillageId};
use wire::funds::{
    FundView, FundsOverview, PaymentForm, PaymentView, ReconcileView, SpendingForm, SpendingView,
    TrancheView, VillageFunds, VillageFundsRow,
};
use wire::AppError;

/// The folder of voucher photos under the files folder.
const FOLDER: &str = "funds";

/// The day a village passed its acceptance (验收), if it has.
///
/// The date the village was accepted (验收), while that acceptance stands:
/// the second subsidy tranche is paid after it.
pub async fn accepted_on<C: ConnectionTrait>(
    c: &C,
    village: VillageId,
) -> Result<Option<NaiveDate>, AppError> {
    Ok(super::acceptance::current_of(c, village)
        .await?
        .map(|a| a.accepted_on))
}

/// Whether the town published the funds summary.
pub async fn is_public<C: ConnectionTrait>(c: &C) -> Result<bool, AppError> {
    Ok(setting::Entity::find_by_id(PUBLIC_SETTING.to_string())
        .one(c)
        .await?
        .is_some_and(|s| s.value == "true"))
}

/// Publishes the summary or withdraws it (town admin).
pub async fn set_public(
    db: &Db,
    caller: &Caller,
    on: bool,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    if !caller.may_run_town() {
        return Err(AppError::Forbidden);
    }
    let txn = db.write().await?;
    let value = if on { "true" } else { "false" };
    let row = setting::ActiveModel {
        key: Set(PUBLIC_SETTING.into()),
        value: Set(value.into()),
    };
    if setting::Entity::find_by_id(PUBLIC_SETTING.to_string())
        .one(&*txn)
        .await?
        .is_some()
    {
        row.update(&*txn).await?;
    } else {
        row.insert(&*txn).await?;
    }
    audit::record(
        &*txn,
        Some(caller.user),
        "funds_public",
        "setting",
        None,
        value.into(),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(on)
}

/// A date typed as `yyyy-mm-dd`, not after today (China time).
pub fn parse_day(s: &str, now: DateTime<Utc>) -> Result<NaiveDate, AppError> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("日期格式应为 2026-04-20"))?;
    if d > china_date(now) {
        return Err(AppError::invalid("日期不能晚于今天"));
    }
    Ok(d)
}

/// Everything recorded for some villages, grouped.
struct Books {
    funds: Vec<fund::Model>,
    payments: Vec<fund_payment::Model>,
    spending: Vec<fund_spending::Model>,
}

async fn books<C: ConnectionTrait>(c: &C, village: Option<VillageId>) -> Result<Books, AppError> {
    let mut f = fund::Entity::find().order_by_asc(fund::Column::Id);
    let mut p = fund_payment::Entity::find().order_by_asc(fund_payment::Column::Id);
    let mut s = fund_spending::Entity::find().order_by_asc(fund_spending::Column::Id);
    if let Some(v) = village {
        f = f.filter(fund::Column::VillageId.eq(v.0));
        p = p.filter(fund_payment::Column::VillageId.eq(v.0));
        s = s.filter(fund_spending::Column::VillageId.eq(v.0));
    }
    Ok(Books {
        funds: f.all(c).await?,
        payments: p.all(c).await?,
        spending: s.all(c).await?,
    })
}

fn kind_of(f: &fund::Model) -> FundKind {
    FundKind::parse(&f.kind).unwrap_or(FundKind::Subsidy)
}

fn category_of(s: &fund_spending::Model) -> SpendCategory {
    SpendCategory::parse(&s.category).unwrap_or(SpendCategory::Other)
}

/// The checks' facts of one fund.
fn facts(b: &Books, f: &fund::Model) -> FundFacts {
    let reversed: HashSet<i32> = b.payments.iter().filter_map(|p| p.reverses).collect();
    let payments: Vec<&fund_payment::Model> =
        b.payments.iter().filter(|p| p.fund_id == f.id).collect();
    let mut tranche_paid_on: Vec<(i32, NaiveDate)> = payments
        .iter()
        .filter(|p| p.reverses.is_none() && !reversed.contains(&p.id))
        .map(|p| (p.tranche, p.paid_on))
        .collect();
    tranche_paid_on.sort();
    FundFacts {
        kind: kind_of(f),
        granted_fen: f.granted_fen,
        granted_on: f.granted_on,
        received_fen: payments.iter().map(|p| p.amount_fen).sum(),
        spent: b
            .spending
            .iter()
            .filter(|s| s.fund_id == f.id)
            .map(|s| Spent {
                category: category_of(s),
                fen: s.amount_fen,
            })
            .collect(),
        tranche_paid_on,
    }
}

/// The taking-part villages in the town's order.
async fn villages<C: ConnectionTrait>(c: &C) -> Result<Vec<village::Model>, AppError> {
    Ok(village::Entity::find()
        .filter(village::Column::TakingPart.eq(true))
        .order_by_asc(village::Column::SortOrder)
        .all(c)
        .await?)
}

/// The town's funds page: the town admin; anyone (signed in or not) once
/// the summary is published.
pub async fn overview(
    db: &Db,
    caller: Option<&Caller>,
    now: DateTime<Utc>,
) -> Result<FundsOverview, AppError> {
    let c = &db.conn;
    let may_write = caller.is_some_and(Caller::may_run_town);
    let published = is_public(c).await?;
    if !may_write && !published {
        return Err(match caller {
            None => AppError::Unauthenticated,
            Some(_) => AppError::Forbidden,
        });
    }
    let today = china_date(now);
    let b = books(c, None).await?;
    let mut rows = Vec::new();
    for v in villages(c).await? {
        let accepted = accepted_on(c, VillageId(v.id)).await?;
        let mut row = VillageFundsRow {
            village_id: VillageId(v.id),
            name: v.name.clone(),
            granted_fen: 0,
            received_fen: 0,
            spent_fen: 0,
            points_fen: 0,
            balance_fen: 0,
            tranches_paid: 0,
            warnings: Vec::new(),
        };
        for f in b.funds.iter().filter(|f| f.village_id == v.id) {
            let fa = facts(&b, f);
            row.granted_fen += fa.granted_fen;
            row.received_fen += fa.received_fen;
            row.spent_fen += fa.spent_fen();
            row.points_fen += fa.points_fen();
            if fa.kind == FundKind::Subsidy {
                row.tranches_paid = fa.tranche_paid_on.len() as i32;
            }
            row.warnings.extend(
                check_fund(&fa, accepted, today)
                    .into_iter()
                    .map(|w| format!("{}：{w}", fa.kind.label())),
            );
        }
        row.balance_fen = row.received_fen - row.spent_fen;
        rows.push(row);
    }
    Ok(FundsOverview {
        may_write,
        published,
        villages: rows,
    })
}

/// A village's funds page (town admin; the village's admin read-only).
pub async fn village(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    now: DateTime<Utc>,
) -> Result<VillageFunds, AppError> {
    if !caller.may_read_oversight(village) {
        return Err(AppError::Forbidden);
    }
    let c = &db.conn;
    let v = village::Entity::find_by_id(village.0)
        .one(c)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该村（社区）"))?;
    let today = china_date(now);
    let accepted = accepted_on(c, village).await?;
    let b = books(c, Some(village)).await?;
    let label: HashMap<i32, &'static str> =
        b.funds.iter().map(|f| (f.id, kind_of(f).label())).collect();
    let funds = b
        .funds
        .iter()
        .map(|f| {
            let fa = facts(&b, f);
            let kind = fa.kind;
            let tranches = (1..=kind.tranches())
                .map(|t| {
                    let paid_on = fa.paid_on(t);
                    TrancheView {
                        tranche: t,
                        label: match (kind, t) {
                            (FundKind::Subsidy, 1) => "第一笔（50%，4 月底前拨付）".into(),
                            (FundKind::Subsidy, _) => "第二笔（50%，验收通过后拨付）".into(),
                            _ => "奖补资金（一次拨付）".into(),
                        },
                        standard_fen: kind.tranche_fen(),
                        paid_on: paid_on.map(|d| d.format("%Y-%m-%d").to_string()),
                        paid_fen: b
                            .payments
                            .iter()
                            .filter(|p| p.fund_id == f.id && p.tranche == t)
                            .map(|p| p.amount_fen)
                            .sum(),
                    }
                })
                .collect();
            FundView {
                id: FundId(f.id),
                kind,
                kind_label: kind.label().into(),
                granted_fen: fa.granted_fen,
                granted_on: f.granted_on.format("%Y-%m-%d").to_string(),
                received_fen: fa.received_fen,
                spent_fen: fa.spent_fen(),
                points_fen: fa.points_fen(),
                balance_fen: fa.balance_fen(),
                tranches,
                warnings: check_fund(&fa, accepted, today)
                    .into_iter()
                    .map(|w| w.to_string())
                    .collect(),
            }
        })
        .collect();
    let reversed_p: HashSet<i32> = b.payments.iter().filter_map(|p| p.reverses).collect();
    let reversed_s: HashSet<i32> = b.spending.iter().filter_map(|s| s.reverses).collect();
    let payments = b
        .payments
        .iter()
        .rev()
        .map(|p| PaymentView {
            id: PaymentId(p.id),
            fund_label: label.get(&p.fund_id).copied().unwrap_or("").into(),
            tranche: p.tranche,
            paid_on: p.paid_on.format("%Y-%m-%d").to_string(),
            amount_fen: p.amount_fen,
            note: p.note.clone(),
            reverses: p.reverses.map(PaymentId),
            reversed: reversed_p.contains(&p.id),
            reason: p.reason.clone(),
        })
        .collect();
    let spending = b
        .spending
        .iter()
        .rev()
        .map(|s| {
            let cat = category_of(s);
            SpendingView {
                id: SpendingId(s.id),
                fund_id: FundId(s.fund_id),
                fund_label: label.get(&s.fund_id).copied().unwrap_or("").into(),
                spent_on: s.spent_on.format("%Y-%m-%d").to_string(),
                amount_fen: s.amount_fen,
                category_label: cat.label().into(),
                points_system: cat.is_points_system(),
                description: s.description.clone(),
                voucher: s
                    .voucher_path
                    .as_ref()
                    .map(|_| format!("/fund-voucher/{}", s.id)),
                reverses: s.reverses.map(SpendingId),
                reversed: reversed_s.contains(&s.id),
                reason: s.reason.clone(),
                recorded_at: china_minute(s.recorded_at),
            }
        })
        .collect();
    let first_day = b
        .funds
        .iter()
        .map(|f| f.granted_on)
        .chain(b.spending.iter().map(|s| s.spent_on))
        .min()
        .unwrap_or(today);
    Ok(VillageFunds {
        village_id: village,
        name: v.name,
        may_write: caller.may_run_town(),
        accepted_on: accepted.map(|d| d.format("%Y-%m-%d").to_string()),
        funds,
        payments,
        spending,
        first_month: month_key(first_day),
        this_month: month_key(today),
    })
}

/// Registers a fund of a village (town admin): one subsidy per village;
/// an award is paid in full on the day it is granted.
pub async fn grant(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    kind: FundKind,
    granted_on: NaiveDate,
    note: &str,
    now: DateTime<Utc>,
) -> Result<fund::Model, AppError> {
    if !caller.may_run_town() {
        return Err(AppError::Forbidden);
    }
    let txn = db.write().await?;
    village::Entity::find_by_id(village.0)
        .one(&*txn)
        .await?
        .filter(|v| v.taking_part)
        .ok_or_else(|| AppError::not_found("找不到该村（社区）"))?;
    let same = fund::Entity::find()
        .filter(fund::Column::VillageId.eq(village.0))
        .filter(fund::Column::Kind.eq(kind.as_str()))
        .one(&*txn)
        .await?;
    if same.is_some() {
        return Err(AppError::Conflict(format!("该村已登记{}", kind.label())));
    }
    let note = note.trim().chars().take(100).collect::<String>();
    let f = fund::ActiveModel {
        village_id: Set(village.0),
        kind: Set(kind.as_str().into()),
        granted_fen: Set(kind.standard_fen()),
        granted_on: Set(granted_on),
        note: Set(note.clone()),
        created_by: Set(caller.user.0),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    if kind.is_award() {
        fund_payment::ActiveModel {
            fund_id: Set(f.id),
            village_id: Set(village.0),
            tranche: Set(1),
            amount_fen: Set(kind.standard_fen()),
            paid_on: Set(granted_on),
            note: Set(note),
            reverses: Set(None),
            reason: Set(None),
            recorded_by: Set(caller.user.0),
            recorded_at: Set(now),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
    }
    audit::record(
        &*txn,
        Some(caller.user),
        "fund_grant",
        "fund",
        Some(f.id),
        format!("{} {} {}", village.0, kind.as_str(), f.granted_fen),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(f)
}

async fn fund_row<C: ConnectionTrait>(c: &C, id: FundId) -> Result<fund::Model, AppError> {
    fund::Entity::find_by_id(id.0)
        .one(c)
        .await?
        .ok_or_else(|| AppError::invalid("请选择资金来源"))
}

/// Records a tranche paid to a village (town admin); a tranche is paid
/// once (unless that payment was reversed).
pub async fn record_payment(
    db: &Db,
    caller: &Caller,
    form: &PaymentForm,
    now: DateTime<Utc>,
) -> Result<fund_payment::Model, AppError> {
    if !caller.may_run_town() {
        return Err(AppError::Forbidden);
    }
    let amount = parse_amount(&form.amount)?;
    let paid_on = parse_day(&form.paid_on, now)?;
    let txn = db.write().await?;
    let f = fund_row(&*txn, form.fund).await?;
    let kind = kind_of(&f);
    if form.tranche < 1 || form.tranche > kind.tranches() {
        return Err(AppError::invalid("拨付批次无效"));
    }
    let rows = fund_payment::Entity::find()
        .filter(fund_payment::Column::FundId.eq(f.id))
        .all(&*txn)
        .await?;
    let reversed: HashSet<i32> = rows.iter().filter_map(|p| p.reverses).collect();
    if rows
        .iter()
        .any(|p| p.tranche == form.tranche && p.reverses.is_none() && !reversed.contains(&p.id))
    {
        return Err(AppError::Conflict(
            "这一笔已登记拨付；如登记有误，请先冲销".into(),
        ));
    }
    let p = fund_payment::ActiveModel {
        fund_id: Set(f.id),
        village_id: Set(f.village_id),
        tranche: Set(form.tranche),
        amount_fen: Set(amount),
        paid_on: Set(paid_on),
        note: Set(form.note.trim().chars().take(100).collect()),
        reverses: Set(None),
        reason: Set(None),
        recorded_by: Set(caller.user.0),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "fund_payment",
        "fund_payment",
        Some(p.id),
        format!("fund {} tranche {} {}", f.id, form.tranche, amount),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(p)
}

/// Records a spending from a fund with an optional voucher photo (town
/// admin).
pub async fn record_spending(
    db: &Db,
    caller: &Caller,
    form: &SpendingForm,
    photo: Option<Vec<u8>>,
    now: DateTime<Utc>,
) -> Result<fund_spending::Model, AppError> {
    if !caller.may_run_town() {
        return Err(AppError::Forbidden);
    }
    let amount = parse_amount(&form.amount)?;
    let spent_on = parse_day(&form.spent_on, now)?;
    let category =
        SpendCategory::parse(&form.category).ok_or_else(|| AppError::invalid("请选择支出类别"))?;
    let description = check_description(&form.description)?;
    let fund = form
        .fund
        .ok_or_else(|| AppError::invalid("请选择资金来源"))?;
    let f = fund_row(&db.conn, fund).await?;
    let voucher = match photo {
        Some(bytes) => {
            let (jpeg, _, _) = super::uploads::shrink_photo(bytes).await?;
            Some(super::uploads::write(db, FOLDER, f.village_id, "jpg", &jpeg).await?)
        }
        None => None,
    };
    let saved = async {
        let txn = db.write().await?;
        let s = fund_spending::ActiveModel {
            fund_id: Set(f.id),
            village_id: Set(f.village_id),
            spent_on: Set(spent_on),
            amount_fen: Set(amount),
            category: Set(category.as_str().into()),
            description: Set(description),
            voucher_path: Set(voucher.clone()),
            reverses: Set(None),
            reason: Set(None),
            recorded_by: Set(caller.user.0),
            recorded_at: Set(now),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        audit::record(
            &*txn,
            Some(caller.user),
            "fund_spend",
            "fund_spending",
            Some(s.id),
            format!("fund {} {} {}", f.id, category.as_str(), amount),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok::<_, AppError>(s)
    }
    .await;
    if saved.is_err() {
        if let Some(rel) = &voucher {
            super::uploads::remove(db, FOLDER, rel).await;
        }
    }
    saved
}

/// Cancels a spending record by a reversal with a reason (town admin): the
/// negated amount, same fund, category and date; a record is reversed once
/// and a reversal is never reversed.
pub async fn reverse_spending(
    db: &Db,
    caller: &Caller,
    id: SpendingId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<fund_spending::Model, AppError> {
    if !caller.may_run_town() {
        return Err(AppError::Forbidden);
    }
    let reason = check_reason(reason)?;
    let txn = db.write().await?;
    let s = fund_spending::Entity::find_by_id(id.0)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该支出记录"))?;
    if s.reverses.is_some() {
        return Err(AppError::invalid("冲销记录不能再冲销"));
    }
    let done = fund_spending::Entity::find()
        .filter(fund_spending::Column::Reverses.eq(id.0))
        .one(&*txn)
        .await?;
    if done.is_some() {
        return Err(AppError::Conflict("该支出已冲销".into()));
    }
    let r = fund_spending::ActiveModel {
        fund_id: Set(s.fund_id),
        village_id: Set(s.village_id),
        spent_on: Set(s.spent_on),
        amount_fen: Set(-s.amount_fen),
        category: Set(s.category.clone()),
        description: Set(format!("冲销：{}", s.description)),
        voucher_path: Set(None),
        reverses: Set(Some(s.id)),
        reason: Set(Some(reason.clone())),
        recorded_by: Set(caller.user.0),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "fund_spending_reverse",
        "fund_spending",
        Some(r.id),
        format!("reverses {}: {reason}", s.id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(r)
}

/// Cancels a payment by a reversal with a reason (town admin).
pub async fn reverse_payment(
    db: &Db,
    caller: &Caller,
    id: PaymentId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<fund_payment::Model, AppError> {
    if !caller.may_run_town() {
        return Err(AppError::Forbidden);
    }
    let reason = check_reason(reason)?;
    let txn = db.write().await?;
    let p = fund_payment::Entity::find_by_id(id.0)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该拨付记录"))?;
    if p.reverses.is_some() {
        return Err(AppError::invalid("冲销记录不能再冲销"));
    }
    let done = fund_payment::Entity::find()
        .filter(fund_payment::Column::Reverses.eq(id.0))
        .one(&*txn)
        .await?;
    if done.is_some() {
        return Err(AppError::Conflict("该拨付已冲销".into()));
    }
    let r = fund_payment::ActiveModel {
        fund_id: Set(p.fund_id),
        village_id: Set(p.village_id),
        tranche: Set(p.tranche),
        amount_fen: Set(-p.amount_fen),
        paid_on: Set(p.paid_on),
        note: Set(format!("冲销：{}", p.note)),
        reverses: Set(Some(p.id)),
        reason: Set(Some(reason.clone())),
        recorded_by: Set(caller.user.0),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "fund_payment_reverse",
        "fund_payment",
        Some(r.id),
        format!("reverses {}: {reason}", p.id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(r)
}

/// The reconciliation (对账) of a village for months `from..=to`: points
/// redeemed net of voids, the weighted-average cost of the goods that left,
/// and the money spent on goods (by spending date), all in China time.
pub async fn reconcile(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    from: i32,
    to: i32,
) -> Result<ReconcileView, AppError> {
    if !caller.may_read_oversight(village) {
        return Err(AppError::Forbidden);
    }
    let now = chrono::Utc::now();
    super::publication::served_month(from, now)?;
    super::publication::served_month(to, now)?;
    let (start, end) = period_days(from, to)?;
    let c = &db.conn;
    let redemptions = redemption::Entity::find()
        .filter(redemption::Column::VillageId.eq(village.0))
        .filter(redemption::Column::CreatedAt.gte(china_midnight(start)))
        .filter(redemption::Column::CreatedAt.lt(china_midnight(end + Duration::days(1))))
        .all(c)
        .await?;
    let points: i64 = redemptions.iter().map(|r| r.total_points).sum();
    let day_of: HashMap<i32, NaiveDate> = redemptions
        .iter()
        .map(|r| (r.id, china_date(r.created_at)))
        .collect();
    let ids: Vec<i32> = redemptions.iter().map(|r| r.id).collect();
    let mut lines = Vec::new();
    for chunk in ids.chunks(500) {
        for l in redemption_line::Entity::find()
            .filter(redemption_line::Column::RedemptionId.is_in(chunk.to_vec()))
            .all(c)
            .await?
        {
            lines.push(OutLine {
                goods: l.goods_id,
                on: day_of[&l.redemption_id],
                quantity: i64::from(l.quantity),
            });
        }
    }
    let goods_ids: Vec<i32> = goods::Entity::find()
        .filter(goods::Column::VillageId.eq(village.0))
        .all(c)
        .await?
        .into_iter()
        .map(|g| g.id)
        .collect();
    let mut receipts = Vec::new();
    for chunk in goods_ids.chunks(500) {
        for m in stock_movement::Entity::find()
            .filter(stock_movement::Column::GoodsId.is_in(chunk.to_vec()))
            .filter(stock_movement::Column::Kind.eq("received"))
            .filter(stock_movement::Column::UnitCostFen.is_not_null())
            .all(c)
            .await?
        {
            receipts.push(CostedReceipt {
                goods: m.goods_id,
                on: m.moved_on.unwrap_or_else(|| china_date(m.recorded_at)),
                quantity: i64::from(m.quantity),
                unit_cost_fen: m.unit_cost_fen.unwrap_or(0),
            });
        }
    }
    let spent: i64 = fund_spending::Entity::find()
        .filter(fund_spending::Column::VillageId.eq(village.0))
        .filter(fund_spending::Column::Category.eq(SpendCategory::Goods.as_str()))
        .filter(fund_spending::Column::SpentOn.gte(start))
        .filter(fund_spending::Column::SpentOn.lte(end))
        .all(c)
        .await?
        .iter()
        .map(|s| s.amount_fen)
        .sum();
    let numbers = domain::funds::reconcile(points, &lines, &receipts, spent);
    Ok(ReconcileView {
        from,
        to,
        explain: numbers.explain(),
        numbers,
    })
}

/// A voucher photo's file, if the caller may read the village's funds.
pub async fn voucher_file(db: &Db, caller: &Caller, id: SpendingId) -> Result<PathBuf, AppError> {
    let s = fund_spending::Entity::find_by_id(id.0)
        .one(&db.conn)
        .await?
        // "Not yours" answers as "none", so ids cannot be probed.
        .filter(|s| caller.may_read_oversight(VillageId(s.village_id)))
        .ok_or_else(|| AppError::not_found("找不到该凭证"))?;
    s.voucher_path
        .as_deref()
        .and_then(|rel| super::uploads::resolve(db, FOLDER, rel))
        .ok_or_else(|| AppError::not_found("该支出没有凭证照片"))
}

/// A spending's voucher photo, for the town admin and the village's admin
/// (`GET /fund-voucher/{id}`).
pub async fn stored_voucher(
    db: &Db,
    caller: &RouteCaller,
    id: i32,
) -> Result<StoredFile, AppError> {
    let path = voucher_file(db, &caller.required().await?, SpendingId(id)).await?;
    let bytes = files::read(&path, AppError::not_found("找不到该凭证")).await?;
    Ok(StoredFile::jpeg(bytes, "private, max-age=86400"))
}
