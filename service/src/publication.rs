//! The monthly public ledger (月度公示): building a village's month from the
//! ledger, and publishing it frozen with a SHA-256 digest.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};

use super::entities::{
    goods, household, household_month, ledger_entry, published_month, redemption, redemption_line,
    rule_item, village, village_group,
};
use super::{audit, Db};
use domain::ledger::EntryStatus;
use domain::publication::{
    check_month_open, check_publishable, MonthBalance, MonthLedger, PointsLine, RedemptionLine,
};
use domain::redemption::{goods_text, void_text};
use domain::roles::Caller;
use domain::time::{
    china_date, china_day, china_midnight, first_day, month_key, month_label, month_served,
    previous_month, year_served, FIRST_YEAR,
};
use domain::VillageId;
use wire::types::{LedgerMonth, MonthLedgerView, PublishedSummary};
use wire::AppError;

/// `year` if the platform serves it on `now` ([`year_served`]), else a 400
/// that says which years are.
///
/// [`year_served`]: domain::time::year_served
pub fn served_year(year: i32, now: DateTime<Utc>) -> Result<i32, AppError> {
    let today = china_date(now);
    if year_served(year, today) {
        Ok(year)
    } else {
        Err(AppError::invalid(format!(
            "年份应在 {FIRST_YEAR} 年至 {} 年之间",
            today.year() + 1
        )))
    }
}

/// `month` (`yyyymm`) if it is a month of a served year, else a 400.
pub fn served_month(month: i32, now: DateTime<Utc>) -> Result<i32, AppError> {
    if month_served(month, china_date(now)) {
        Ok(month)
    } else {
        Err(AppError::invalid(format!(
            "月份无效：应为 {FIRST_YEAR} 年以来的年月，如 {}",
            month_key(china_date(now))
        )))
    }
}

/// First day of a `yyyymm` month and of the month after it.
pub fn month_bounds(month: i32) -> Result<(NaiveDate, NaiveDate), AppError> {
    let start = first_day(month).ok_or_else(|| AppError::invalid("月份无效"))?;
    let next = start
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(|| AppError::invalid("月份无效"))?;
    Ok((start, next))
}

/// SHA-256 of the frozen text, in lowercase hex.
pub fn digest(content: &str) -> String {
    hex::encode(Sha256::digest(content.as_bytes()))
}

/// Whether a village's month has been published.
pub async fn is_published<C: ConnectionTrait>(
    conn: &C,
    village: i32,
    month: i32,
) -> Result<bool, AppError> {
    Ok(published_month::Entity::find()
        .filter(published_month::Column::VillageId.eq(village))
        .filter(published_month::Column::Month.eq(month))
        .count(conn)
        .await?
        > 0)
}

/// Refuses an entry dated in a month the village has already published.
pub async fn ensure_month_open<C: ConnectionTrait>(
    conn: &C,
    village: i32,
    date: NaiveDate,
) -> Result<(), AppError> {
    let month = month_key(date);
    check_month_open(month, is_published(conn, village, month).await?).map_err(AppError::from)
}

/// Builds a village's month from the ledger as it stands: every approved
/// entry dated in the month, every redemption made in it, and each
/// household's month with its balance at the month's end.
pub async fn build_month<C: ConnectionTrait>(
    conn: &C,
    village_id: i32,
    month: i32,
) -> Result<MonthLedger, AppError> {
    let v = village::Entity::find_by_id(village_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该村（社区）"))?;
    let (start, next) = month_bounds(month)?;

    let households: HashMap<i32, household::Model> = household::Entity::find()
        .filter(household::Column::VillageId.eq(village_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let who = |id: i32| {
        households
            .get(&id)
            .map(|h| (h.card_no.clone(), h.head_name.clone()))
            .unwrap_or_default()
    };

    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::VillageId.eq(village_id))
        .filter(ledger_entry::Column::Status.eq(EntryStatus::Approved.as_str()))
        .filter(ledger_entry::Column::OccurredOn.gte(start))
        .filter(ledger_entry::Column::OccurredOn.lt(next))
        .order_by_asc(ledger_entry::Column::Id)
        .all(conn)
        .await?;
    let titles: HashMap<i32, String> = rule_item::Entity::find()
        .filter(rule_item::Column::VillageId.eq(village_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i.title))
        .collect();
    let points = entries
        .into_iter()
        .map(|e| {
            let (card_no, head_name) = who(e.household_id);
            PointsLine {
                entry: e.id,
                date: e.occurred_on.format("%Y-%m-%d").to_string(),
                card_no,
                head_name,
                item: titles.get(&e.rule_item_id).cloned().unwrap_or_default(),
                reason: e.reason,
                points: e.points,
                reverses: e.reverses,
            }
        })
        .collect();

    let redemptions = redemption::Entity::find()
        .filter(redemption::Column::VillageId.eq(village_id))
        .filter(redemption::Column::CreatedAt.gte(china_midnight(start)))
        .filter(redemption::Column::CreatedAt.lt(china_midnight(next)))
        .order_by_asc(redemption::Column::Id)
        .all(conn)
        .await?;
    let lines = redemption_line::Entity::find()
        .filter(redemption_line::Column::RedemptionId.is_in(redemptions.iter().map(|r| r.id)))
        .order_by_asc(redemption_line::Column::Id)
        .all(conn)
        .await?;
    let goods_names: HashMap<i32, String> = goods::Entity::find()
        .filter(goods::Column::VillageId.eq(village_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let mut goods_of: HashMap<i32, Vec<(String, i32)>> = HashMap::new();
    for l in lines {
        goods_of.entry(l.redemption_id).or_default().push((
            goods_names.get(&l.goods_id).cloned().unwrap_or_default(),
            l.quantity,
        ));
    }
    // A void is made the same day as what it cancels, so both are here.
    let receipt_of: HashMap<i32, String> = redemptions
        .iter()
        .map(|r| (r.id, r.receipt_no.clone()))
        .collect();
    let redemptions = redemptions
        .into_iter()
        .map(|r| {
            let (card_no, head_name) = who(r.household_id);
            let goods = goods_text(&goods_of.remove(&r.id).unwrap_or_default(), "、");
            let goods = match r.reverses {
                Some(o) => void_text(
                    receipt_of.get(&o).map(String::as_str).unwrap_or(""),
                    r.reason.as_deref(),
                    &goods,
                ),
                None => goods,
            };
            RedemptionLine {
                date: china_day(r.created_at),
                goods,
                receipt_no: r.receipt_no,
                card_no,
                head_name,
                points: r.total_points,
            }
        })
        .collect();

    // Balances at the month's end, from the monthly aggregates up to it.
    let mut months: BTreeMap<i32, (i64, i64, i64, i64)> = BTreeMap::new();
    let rows = household_month::Entity::find()
        .filter(household_month::Column::VillageId.eq(village_id))
        .filter(household_month::Column::Month.lte(month))
        .all(conn)
        .await?;
    for r in rows {
        let m = months.entry(r.household_id).or_default();
        m.3 += r.awarded - r.deducted - r.redeemed;
        if r.month == month {
            m.0 += r.awarded;
            m.1 += r.deducted;
            m.2 += r.redeemed;
        }
    }
    let groups: HashMap<i32, village_group::Model> = village_group::Entity::find()
        .filter(village_group::Column::VillageId.eq(village_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let mut listed: Vec<&household::Model> = households
        .values()
        .filter(|h| !h.moved_away || months.get(&h.id).is_some_and(|m| m.0 + m.1 + m.2 > 0))
        .collect();
    listed.sort_by_key(|h| {
        (
            groups.get(&h.group_id).map(|g| g.sort_order).unwrap_or(0),
            h.card_no.clone(),
        )
    });
    let households = listed
        .into_iter()
        .map(|h| {
            let (awarded, deducted, redeemed, balance) =
                months.get(&h.id).copied().unwrap_or_default();
            MonthBalance {
                card_no: h.card_no.clone(),
                head_name: h.head_name.clone(),
                group: groups
                    .get(&h.group_id)
                    .map(|g| g.name.clone())
                    .unwrap_or_default(),
                awarded,
                deducted,
                redeemed,
                balance,
            }
        })
        .collect();

    Ok(MonthLedger {
        village: v.name,
        month,
        points,
        redemptions,
        households,
    })
}

/// A month as published: the frozen ledger, its digest and when it was posted.
#[derive(Debug, Clone)]
pub struct Published {
    pub ledger: MonthLedger,
    pub digest: String,
    pub published_at: DateTime<Utc>,
    /// Digest, posting date and totals, as lists show them.
    pub summary: PublishedSummary,
    /// Whether the stored text still hashes to the stored digest.
    pub intact: bool,
}

/// Publishes a finished month of a village: builds it, freezes its JSON and
/// SHA-256 digest, and refuses a second time.
pub async fn publish(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    month: i32,
    now: DateTime<Utc>,
) -> Result<published_month::Model, AppError> {
    if !caller.may_record_points(village) {
        return Err(AppError::Forbidden);
    }
    month_bounds(month)?;
    let txn = db.write().await?;
    let already = is_published(&*txn, village.0, month).await?;
    check_publishable(month, month_key(china_date(now)), already)?;
    let row = freeze(&*txn, village.0, month, caller.user.0, now).await?;
    txn.commit().await?;
    Ok(row)
}

/// Builds a village's month and stores it frozen with its digest, inside the
/// caller's transaction; the checks are the caller's.
pub async fn freeze<C: ConnectionTrait>(
    conn: &C,
    village: i32,
    month: i32,
    by: i32,
    now: DateTime<Utc>,
) -> Result<published_month::Model, AppError> {
    let ledger = build_month(conn, village, month).await?;
    let totals = ledger.totals();
    let content = serde_json::to_string(&ledger).map_err(|e| {
        tracing::error!("month ledger did not serialise: {e}");
        AppError::Internal
    })?;
    let row = published_month::ActiveModel {
        village_id: Set(village),
        month: Set(month),
        digest: Set(digest(&content)),
        content: Set(content),
        points_awarded: Set(totals.awarded),
        points_deducted: Set(totals.deducted),
        points_redeemed: Set(totals.redeemed),
        entries: Set(totals.entries as i32),
        redemptions: Set(totals.redemptions as i32),
        published_by: Set(by),
        published_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        Some(domain::UserId(by)),
        "publish_month",
        "published_month",
        Some(row.id),
        format!("village {village} month {month} digest {}", row.digest),
        now,
    )
    .await?;
    // The posting is announced among the village's notices (积分公示).
    let (title, body) = domain::notice::month_posting(
        &ledger.village,
        &month_label(month),
        &format!("/ledger/{village}/{month}"),
    );
    super::notice::post_in(
        conn,
        domain::UserId(by),
        VillageId(village),
        domain::notice::POINTS_POSTING,
        &title,
        &body,
        false,
        now,
        Some(row.id),
        now,
    )
    .await?;
    Ok(row)
}

/// The published months of a village, newest first.
pub async fn published_months(
    db: &Db,
    village: VillageId,
) -> Result<Vec<published_month::Model>, AppError> {
    Ok(published_month::Entity::find()
        .filter(published_month::Column::VillageId.eq(village.0))
        .order_by_desc(published_month::Column::Month)
        .all(&db.conn)
        .await?)
}

/// One published month, read back from its frozen text.
pub async fn published(db: &Db, village: VillageId, month: i32) -> Result<Published, AppError> {
    let row = published_month::Entity::find()
        .filter(published_month::Column::VillageId.eq(village.0))
        .filter(published_month::Column::Month.eq(month))
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("该月台账尚未公示"))?;
    let ledger: MonthLedger = serde_json::from_str(&row.content).map_err(|e| {
        tracing::error!("published month {} does not parse: {e}", row.id);
        AppError::Internal
    })?;
    Ok(Published {
        intact: digest(&row.content) == row.digest,
        summary: summary(&row),
        ledger,
        digest: row.digest,
        published_at: row.published_at,
    })
}

/// The wire summary of a published month.
pub fn summary(row: &published_month::Model) -> PublishedSummary {
    PublishedSummary {
        month: row.month,
        label: month_label(row.month),
        digest: row.digest.clone(),
        published_on: china_day(row.published_at),
        awarded: row.points_awarded,
        deducted: row.points_deducted,
        redeemed: row.points_redeemed,
        entries: row.entries,
        redemptions: row.redemptions,
    }
}

/// Most months the back office lists.
const MONTHS_LISTED: usize = 24;

/// The back office's months, newest first: from the village's first month
/// with points to the current one, each published or not.
pub async fn office_months(
    db: &Db,
    village: VillageId,
    now: DateTime<Utc>,
) -> Result<Vec<LedgerMonth>, AppError> {
    let current = month_key(china_date(now));
    let first: Option<i32> = household_month::Entity::find()
        .select_only()
        .column_as(household_month::Column::Month.min(), "m")
        .filter(household_month::Column::VillageId.eq(village.0))
        .into_tuple::<Option<i32>>()
        .one(&db.conn)
        .await?
        .flatten();
    let published: HashMap<i32, published_month::Model> = published_months(db, village)
        .await?
        .into_iter()
        .map(|p| (p.month, p))
        .collect();
    let mut out = Vec::new();
    let mut m = current;
    let first = first.unwrap_or(current).min(current);
    while m >= first && out.len() < MONTHS_LISTED {
        let p = published.get(&m);
        out.push(LedgerMonth {
            month: m,
            label: month_label(m),
            publishable: m < current && p.is_none(),
            published: p.map(summary),
        });
        m = previous_month(m);
    }
    Ok(out)
}

/// A month's ledger for the back office: frozen if published, as it stands
/// otherwise.
pub async fn office_month(
    db: &Db,
    village: VillageId,
    month: i32,
) -> Result<MonthLedgerView, AppError> {
    match public_month(db, village, month).await {
        Err(AppError::NotFound(_)) => {}
        published => return published,
    }
    month_bounds(month)?;
    let ledger = build_month(&db.conn, village.0, month).await?;
    Ok(MonthLedgerView {
        village_id: village,
        totals: ledger.totals(),
        ledger,
        published: None,
        intact: true,
    })
}

/// A published month as the public sees it.
pub async fn public_month(
    db: &Db,
    village: VillageId,
    month: i32,
) -> Result<MonthLedgerView, AppError> {
    let p = published(db, village, month).await?;
    Ok(MonthLedgerView {
        village_id: village,
        totals: p.ledger.totals(),
        ledger: p.ledger,
        published: Some(p.summary),
        intact: p.intact,
    })
}
