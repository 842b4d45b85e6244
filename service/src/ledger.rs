//! The points ledger service (积分台账): recording entries and reversals,
//! keeping stored balances and monthly aggregates in step, and `verify`.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    QuerySelect, QueryTrait, Set, Statement,
};

use super::db::execute_all;
use super::entities::{
    audit_log, evidence, goods, household, household_month, ledger_entry, member, redemption,
    rule_item, stock_movement,
};
use super::{audit, Db};
use domain::ledger::{plan_reversal, EntryFacts, EntryStatus};
use domain::roles::{Caller, Duty};
use domain::rules::{RuleTerms, RuleUnit, RuleVersion};
use domain::time::{china_date, month_key};
use domain::{EntryId, EvidenceId, HouseholdId, MemberId, RuleItemId, VillageId};
use sea_orm::DatabaseTransaction;
use wire::AppError;

/// An award or deduction to record.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub household: HouseholdId,
    pub member: Option<MemberId>,
    /// A photo uploaded beforehand (证明照片), of the same village.
    pub evidence: Option<EvidenceId>,
    pub rule_item: RuleItemId,
    pub reason: String,
    pub occurred_on: NaiveDate,
}

/// The stored version of a rule item, in domain terms.
pub fn rule_version(item: &rule_item::Model) -> RuleVersion {
    RuleVersion {
        version: item.version,
        terms: RuleTerms {
            title: item.title.clone(),
            points: item.points,
            unit: RuleUnit::parse(&item.unit).unwrap_or(RuleUnit::PerTime),
            monthly_cap: item.monthly_cap,
            evidence_required: item.evidence_required,
        },
        active_from: item.active_from,
        active_until: item.active_until,
    }
}

/// Adds `points` of approved entries (and `redeemed` points) to a household's
/// stored totals and to its row for `month`, with `entries` more live
/// entries in that month. Runs inside the caller's transaction, next to the
/// entry or redemption it accounts for.
pub async fn apply_to_totals<C: ConnectionTrait>(
    conn: &C,
    hh: &household::Model,
    month: i32,
    points: i64,
    redeemed: i64,
    entries: i64,
) -> Result<(), DbErr> {
    apply_to_totals_many(
        conn,
        std::slice::from_ref(hh),
        month,
        points,
        redeemed,
        entries,
    )
    .await
}

/// [`apply_to_totals`] for many households at once, each getting the same
/// `points` and `redeemed`: a few statements whatever their number, sent
/// together ([`execute_all`]).
pub async fn apply_to_totals_many<C: ConnectionTrait>(
    conn: &C,
    households: &[household::Model],
    month: i32,
    points: i64,
    redeemed: i64,
    entries: i64,
) -> Result<(), DbErr> {
    let stmts = totals_statements(
        conn.get_database_backend(),
        households,
        month,
        points,
        redeemed,
        entries,
    );
    execute_all(conn, stmts).await
}

/// The statements of [`apply_to_totals_many`], for a caller that sends them
/// together with its own.
pub fn totals_statements(
    backend: DbBackend,
    households: &[household::Model],
    month: i32,
    points: i64,
    redeemed: i64,
    entries: i64,
) -> Vec<Statement> {
    let (awarded, deducted) = if points >= 0 {
        (points, 0)
    } else {
        (0, -points)
    };
    let mut out = Vec::new();
    for chunk in households.chunks(IN_CHUNK) {
        let ids: Vec<i32> = chunk.iter().map(|h| h.id).collect();
        out.push(
            household::Entity::update_many()
                .col_expr(
                    household::Column::EarnedTotal,
                    Expr::col(household::Column::EarnedTotal).add(points),
                )
                .col_expr(
                    household::Column::RedeemedTotal,
                    Expr::col(household::Column::RedeemedTotal).add(redeemed),
                )
                .col_expr(
                    household::Column::Balance,
                    Expr::col(household::Column::Balance).add(points - redeemed),
                )
                .filter(household::Column::Id.is_in(ids))
                .build(backend),
        );
        // One insert-or-add per chunk: a household's first entry of the
        // month makes its row, later ones add to it.
        let rows: Vec<household_month::ActiveModel> = chunk
            .iter()
            .map(|h| household_month::ActiveModel {
                household_id: Set(h.id),
                month: Set(month),
                village_id: Set(h.village_id),
                group_id: Set(h.group_id),
                awarded: Set(awarded),
                deducted: Set(deducted),
                redeemed: Set(redeemed),
                entries: Set(entries),
            })
            .collect();
        let add =
            |c: household_month::Column, by: i64| Expr::col((household_month::Entity, c)).add(by);
        out.push(
            household_month::Entity::insert_many(rows)
                .on_conflict(
                    OnConflict::columns([
                        household_month::Column::HouseholdId,
                        household_month::Column::Month,
                    ])
                    .value(
                        household_month::Column::Awarded,
                        add(household_month::Column::Awarded, awarded),
                    )
                    .value(
                        household_month::Column::Deducted,
                        add(household_month::Column::Deducted, deducted),
                    )
                    .value(
                        household_month::Column::Redeemed,
                        add(household_month::Column::Redeemed, redeemed),
                    )
                    .value(
                        household_month::Column::Entries,
                        add(household_month::Column::Entries, entries),
                    )
                    .to_owned(),
                )
                .build(backend),
        );
    }
    out
}

/// Checks the parts of an entry that do not need the database; returns the
/// trimmed reason.
fn checked_reason(
    reason: &str,
    occurred_on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let reason = domain::ledger::check_entry_reason(reason)?;
    if occurred_on > china_date(now) {
        return Err(AppError::invalid("发生日期不能晚于今天"));
    }
    Ok(reason)
}

/// The rule item (of the household's village) and every version of its
/// lineage, with the photo rule checked: an item that needs a photo gets one,
/// and the photo belongs to the same village.
async fn item_for<C: ConnectionTrait>(
    conn: &C,
    village: i32,
    item: RuleItemId,
    photo: Option<EvidenceId>,
    checked_in: bool,
) -> Result<(rule_item::Model, Vec<i32>), AppError> {
    let item = rule_item::Entity::find_by_id(item.0)
        .one(conn)
        .await?
        .filter(|i| i.village_id == village)
        .ok_or_else(|| AppError::not_found("找不到该积分细则"))?;
    match photo {
        Some(e) => {
            evidence::Entity::find_by_id(e.0)
                .one(conn)
                .await?
                .filter(|e| e.village_id == village)
                .ok_or_else(|| AppError::invalid("证明照片无效，请重新上传"))?;
        }
        // At an activity the clerk's check-in is the proof.
        None if item.evidence_required && !checked_in => {
            return Err(AppError::invalid(format!("“{}”需上传证明照片", item.title)));
        }
        None => {}
    }
    let lineage = item.lineage_id.unwrap_or(item.id);
    let versions: Vec<i32> = rule_item::Entity::find()
        .select_only()
        .column(rule_item::Column::Id)
        .filter(
            rule_item::Column::Id
                .eq(lineage)
                .or(rule_item::Column::LineageId.eq(lineage)),
        )
        .into_tuple()
        .all(conn)
        .await?;
    Ok((item, versions))
}

/// Ids per statement when a list goes into `IN (...)`, well under the bind
/// limits of SQLite and PostgreSQL.
const IN_CHUNK: usize = 500;

/// What each household has already used of an item (any version) in the
/// month of `date`: the sum of its points (absolute) and the number of
/// entries that still count (not rejected, not a reversal, not reversed).
async fn used_in_month<C: ConnectionTrait>(
    conn: &C,
    households: &[i32],
    versions: &[i32],
    date: NaiveDate,
) -> Result<HashMap<i32, (i32, u32)>, AppError> {
    let month_start = date.with_day(1).expect("day 1 exists");
    let next_month = month_start
        .checked_add_months(chrono::Months::new(1))
        .expect("date in range");
    // Read through the household index; which rows count is decided here
    // rather than in SQL, because a `reverses IS NULL` condition lets SQLite
    // pick the (mostly NULL) `reverses` index and scan the whole ledger.
    let mut rows: Vec<(i32, i32, i32, String, Option<i32>)> = Vec::new();
    for chunk in households.chunks(IN_CHUNK) {
        rows.extend(
            ledger_entry::Entity::find()
                .select_only()
                .column(ledger_entry::Column::HouseholdId)
                .column(ledger_entry::Column::Id)
                .column(ledger_entry::Column::Points)
                .column(ledger_entry::Column::Status)
                .column(ledger_entry::Column::Reverses)
                .filter(ledger_entry::Column::HouseholdId.is_in(chunk.iter().copied()))
                .filter(ledger_entry::Column::RuleItemId.is_in(versions.iter().copied()))
                .filter(ledger_entry::Column::OccurredOn.gte(month_start))
                .filter(ledger_entry::Column::OccurredOn.lt(next_month))
                .into_tuple::<(i32, i32, i32, String, Option<i32>)>()
                .all(conn)
                .await?,
        );
    }
    // Entries reversed since (whenever the reversal was dated) no longer count.
    let ids: Vec<i32> = rows.iter().map(|r| r.1).collect();
    let mut reversed: HashSet<i32> = HashSet::new();
    for chunk in ids.chunks(IN_CHUNK) {
        reversed.extend(
            ledger_entry::Entity::find()
                .select_only()
                .column(ledger_entry::Column::Reverses)
                .filter(ledger_entry::Column::Reverses.is_in(chunk.iter().copied()))
                .into_tuple::<Option<i32>>()
                .all(conn)
                .await?
                .into_iter()
                .flatten(),
        );
    }
    let mut used: HashMap<i32, (i32, u32)> = HashMap::new();
    for (household, id, points, status, reverses) in rows {
        if status != EntryStatus::Rejected.as_str() && reverses.is_none() && !reversed.contains(&id)
        {
            let u = used.entry(household).or_default();
            u.0 += points.abs();
            u.1 += 1;
        }
    }
    Ok(used)
}

/// Records one approved entry inside the caller's write transaction: the
/// household must be in the caller's village, the rule version in force on
/// the date, and the item's monthly cap not exceeded. `activity` links an
/// award for taking part in an activity (积分活动) to it.
pub(crate) async fn record_in(
    txn: &DatabaseTransaction,
    caller: &Caller,
    input: &NewEntry,
    reason: &str,
    activity: Option<i32>,
    now: DateTime<Utc>,
) -> Result<ledger_entry::Model, AppError> {
    let hh = household::Entity::find_by_id(input.household.0)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该农户"))?;
    if !caller.may_record_points(domain::VillageId(hh.village_id)) {
        return Err(AppError::Forbidden);
    }
    caller.check_duty(Duty::Record, input.household)?;
    if hh.moved_away {
        return Err(AppError::invalid("该户已迁出，不能再记分"));
    }
    super::publication::ensure_month_open(txn, hh.village_id, input.occurred_on).await?;
    let (item, versions) = item_for(
        txn,
        hh.village_id,
        input.rule_item,
        input.evidence,
        activity.is_some(),
    )
    .await?;
    if let Some(m) = input.member {
        member::Entity::find_by_id(m.0)
            .one(txn)
            .await?
            .filter(|m| m.household_id == hh.id)
            .ok_or_else(|| AppError::invalid("该成员不属于这一户"))?;
    }
    let used = used_in_month(txn, &[hh.id], &versions, input.occurred_on).await?;
    let (used_abs, used_count) = used.get(&hh.id).copied().unwrap_or_default();
    rule_version(&item).check_use(input.occurred_on, used_abs, used_count)?;

    let entry = ledger_entry::ActiveModel {
        village_id: Set(hh.village_id),
        household_id: Set(hh.id),
        member_id: Set(input.member.map(|m| m.0)),
        rule_item_id: Set(item.id),
        points: Set(item.points),
        reason: Set(reason.to_string()),
        occurred_on: Set(input.occurred_on),
        recorded_by: Set(caller.user.0),
        recorded_at: Set(now),
        status: Set(EntryStatus::Approved.as_str().to_string()),
        reverses: Set(None),
        evidence_id: Set(input.evidence.map(|e| e.0)),
        activity_id: Set(activity),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    apply_to_totals(
        txn,
        &hh,
        month_key(input.occurred_on),
        i64::from(item.points),
        0,
        1,
    )
    .await?;
    audit::record(
        txn,
        Some(caller.user),
        "record_entry",
        "ledger_entry",
        Some(entry.id),
        format!(
            "household {} item {} points {}",
            hh.id, item.id, item.points
        ),
        now,
    )
    .await?;
    Ok(entry)
}

/// Records an approved award or deduction by a village's points clerk, with
/// the points of the rule version in force and its monthly cap checked.
pub async fn record_entry(
    db: &Db,
    caller: &Caller,
    input: NewEntry,
    now: DateTime<Utc>,
) -> Result<ledger_entry::Model, AppError> {
    let reason = checked_reason(&input.reason, input.occurred_on, now)?;
    let txn = db.write().await?;
    let entry = record_in(&txn, caller, &input, &reason, None, now).await?;
    txn.touches(VillageId(entry.village_id));
    txn.commit().await?;
    Ok(entry)
}

pub use domain::ledger::MAX_BATCH;

/// Batch entry (批量录入): the same rule item for many households, all or
/// nothing. A refusal names the household it is about.
#[allow(clippy::too_many_arguments)] // the batch form's fields, one by one
pub async fn record_batch(
    db: &Db,
    caller: &Caller,
    households: &[HouseholdId],
    rule_item: RuleItemId,
    reason: &str,
    occurred_on: NaiveDate,
    evidence: Option<EvidenceId>,
    now: DateTime<Utc>,
) -> Result<Vec<ledger_entry::Model>, AppError> {
    let reason = checked_reason(reason, occurred_on, now)?;
    let unique = domain::ledger::batch_households(households)?;
    let txn = db.write().await?;
    let entries = record_batch_in(
        &txn,
        caller,
        &unique,
        rule_item,
        &reason,
        occurred_on,
        evidence,
        now,
    )
    .await?;
    for e in &entries {
        txn.touches(VillageId(e.village_id));
    }
    txn.commit().await?;
    Ok(entries)
}

/// The batch inside the caller's transaction: the same checks as a single
/// entry, but each read and write covers all households in a few statements.
#[allow(clippy::too_many_arguments)]
async fn record_batch_in(
    txn: &DatabaseTransaction,
    caller: &Caller,
    unique: &[HouseholdId],
    rule_item: RuleItemId,
    reason: &str,
    occurred_on: NaiveDate,
    evidence: Option<EvidenceId>,
    now: DateTime<Utc>,
) -> Result<Vec<ledger_entry::Model>, AppError> {
    let ids: Vec<i32> = unique.iter().map(|h| h.0).collect();
    let mut found: HashMap<i32, household::Model> = HashMap::new();
    for chunk in ids.chunks(IN_CHUNK) {
        found.extend(
            household::Entity::find()
                .filter(household::Column::Id.is_in(chunk.iter().copied()))
                .all(txn)
                .await?
                .into_iter()
                .map(|h| (h.id, h)),
        );
    }
    let who = |h: &household::Model| format!("{}（{}）", h.head_name, h.card_no);
    let refused = |h: &household::Model, msg: &str| {
        AppError::Invalid(format!("{}：{msg}，本批次未录入", who(h)))
    };
    let mut households = Vec::with_capacity(ids.len());
    for id in &ids {
        let h = found
            .remove(id)
            .ok_or_else(|| AppError::not_found("找不到所选农户，请刷新后重试"))?;
        if !caller.may_record_points(domain::VillageId(h.village_id)) {
            return Err(AppError::Forbidden);
        }
        caller.check_duty(Duty::Record, HouseholdId(h.id))?;
        households.push(h);
    }
    let village = households[0].village_id;
    for h in &households {
        if h.village_id != village {
            return Err(refused(h, "不是同一个村（社区）的农户"));
        }
        if h.moved_away {
            return Err(refused(h, "该户已迁出，不能再记分"));
        }
    }
    super::publication::ensure_month_open(txn, village, occurred_on).await?;
    let (item, versions) = item_for(txn, village, rule_item, evidence, false).await?;
    let version = rule_version(&item);
    let used = used_in_month(txn, &ids, &versions, occurred_on).await?;
    for h in &households {
        let (used_abs, used_count) = used.get(&h.id).copied().unwrap_or_default();
        version
            .check_use(occurred_on, used_abs, used_count)
            .map_err(|e| refused(h, &e.to_string()))?;
    }

    let rows: Vec<ledger_entry::ActiveModel> = households
        .iter()
        .map(|h| ledger_entry::ActiveModel {
            village_id: Set(village),
            household_id: Set(h.id),
            member_id: Set(None),
            rule_item_id: Set(item.id),
            points: Set(item.points),
            reason: Set(reason.to_string()),
            occurred_on: Set(occurred_on),
            recorded_by: Set(caller.user.0),
            recorded_at: Set(now),
            status: Set(EntryStatus::Approved.as_str().to_string()),
            reverses: Set(None),
            evidence_id: Set(evidence.map(|e| e.0)),
            ..Default::default()
        })
        .collect();
    let mut entries = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(IN_CHUNK) {
        entries.extend(
            ledger_entry::Entity::insert_many(chunk.to_vec())
                .exec_with_returning(txn)
                .await?,
        );
    }
    apply_to_totals_many(
        txn,
        &households,
        month_key(occurred_on),
        i64::from(item.points),
        0,
        1,
    )
    .await?;
    let audits: Vec<audit_log::ActiveModel> = entries
        .iter()
        .map(|e| audit_log::ActiveModel {
            user_id: Set(Some(caller.user.0)),
            action: Set("record_entry".into()),
            target_table: Set("ledger_entry".into()),
            target_id: Set(Some(e.id)),
            detail: Set(format!(
                "batch: household {} item {} points {}",
                e.household_id, item.id, item.points
            )),
            at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in audits.chunks(IN_CHUNK) {
        audit_log::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    Ok(entries)
}

/// Corrects an approved entry with a reversal entry dated today; the
/// original stays as it was.
pub async fn reverse_entry(
    db: &Db,
    caller: &Caller,
    entry: EntryId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<ledger_entry::Model, AppError> {
    let txn = db.write().await?;
    let reversal = reverse_in(&txn, caller, entry, reason, now).await?;
    txn.touches(VillageId(reversal.village_id));
    txn.commit().await?;
    Ok(reversal)
}

/// [`reverse_entry`] inside the caller's write transaction (an upheld
/// appeal reverses its entry together with the answer).
pub(crate) async fn reverse_in(
    txn: &DatabaseTransaction,
    caller: &Caller,
    entry: EntryId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<ledger_entry::Model, AppError> {
    let original = ledger_entry::Entity::find_by_id(entry.0)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该积分记录"))?;
    if !caller.may_record_points(domain::VillageId(original.village_id)) {
        return Err(AppError::Forbidden);
    }
    caller.check_duty(Duty::Reverse, HouseholdId(original.household_id))?;
    let already = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::Reverses.eq(original.id))
        .one(txn)
        .await?
        .is_some();
    let facts = EntryFacts {
        id: EntryId(original.id),
        household: HouseholdId(original.household_id),
        points: original.points,
        status: EntryStatus::parse(&original.status).unwrap_or(EntryStatus::Pending),
        reverses: original.reverses.map(EntryId),
    };
    let plan = plan_reversal(&facts, already, reason)?;
    let hh = household::Entity::find_by_id(original.household_id)
        .one(txn)
        .await?
        .ok_or(AppError::Internal)?;
    let today = china_date(now);
    let reversal = ledger_entry::ActiveModel {
        village_id: Set(original.village_id),
        household_id: Set(original.household_id),
        member_id: Set(original.member_id),
        rule_item_id: Set(original.rule_item_id),
        points: Set(plan.points),
        reason: Set(plan.reason),
        occurred_on: Set(today),
        recorded_by: Set(caller.user.0),
        recorded_at: Set(now),
        status: Set(EntryStatus::Approved.as_str().to_string()),
        reverses: Set(Some(original.id)),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    apply_to_totals(txn, &hh, month_key(today), i64::from(plan.points), 0, 0).await?;
    // The original no longer counts as taking part in its month; its row
    // exists since the entry was counted there when approved.
    household_month::Entity::update_many()
        .col_expr(
            household_month::Column::Entries,
            Expr::col(household_month::Column::Entries).sub(1),
        )
        .filter(household_month::Column::HouseholdId.eq(original.household_id))
        .filter(household_month::Column::Month.eq(month_key(original.occurred_on)))
        .exec(txn)
        .await?;
    audit::record(
        txn,
        Some(caller.user),
        "reverse_entry",
        "ledger_entry",
        Some(reversal.id),
        format!("reverses {}", original.id),
        now,
    )
    .await?;
    Ok(reversal)
}

/// A difference between stored figures and what the history says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub what: String,
    pub stored: i64,
    pub recomputed: i64,
}

/// Recomputes every household's balance, earned and redeemed totals from its
/// entries and redemptions, and every goods' stock from its movements.
pub async fn verify(db: &Db) -> Result<Vec<Mismatch>, DbErr> {
    let earned: HashMap<i32, i64> = ledger_entry::Entity::find()
        .select_only()
        .column(ledger_entry::Column::HouseholdId)
        .column_as(Expr::col(ledger_entry::Column::Points).sum(), "s")
        .filter(ledger_entry::Column::Status.eq(EntryStatus::Approved.as_str()))
        .group_by(ledger_entry::Column::HouseholdId)
        .into_tuple::<(i32, Option<i64>)>()
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|(h, s)| (h, s.unwrap_or(0)))
        .collect();
    let redeemed: HashMap<i32, i64> = redemption::Entity::find()
        .select_only()
        .column(redemption::Column::HouseholdId)
        .column_as(Expr::col(redemption::Column::TotalPoints).sum(), "s")
        .group_by(redemption::Column::HouseholdId)
        .into_tuple::<(i32, Option<i64>)>()
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|(h, s)| (h, s.unwrap_or(0)))
        .collect();
    // Live entries: each reversal cancels the count of the entry it reverses.
    let live: HashMap<i32, i64> = ledger_entry::Entity::find()
        .select_only()
        .column(ledger_entry::Column::HouseholdId)
        .column_as(
            Expr::case(ledger_entry::Column::Reverses.is_null(), 1)
                .finally(-1)
                .sum(),
            "n",
        )
        .filter(ledger_entry::Column::Status.eq(EntryStatus::Approved.as_str()))
        .group_by(ledger_entry::Column::HouseholdId)
        .into_tuple::<(i32, Option<i64>)>()
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|(h, n)| (h, n.unwrap_or(0)))
        .collect();
    let counted: HashMap<i32, i64> = household_month::Entity::find()
        .select_only()
        .column(household_month::Column::HouseholdId)
        .column_as(Expr::col(household_month::Column::Entries).sum(), "n")
        .group_by(household_month::Column::HouseholdId)
        .into_tuple::<(i32, Option<i64>)>()
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|(h, n)| (h, n.unwrap_or(0)))
        .collect();
    let months: HashMap<i32, (i64, i64)> = household_month::Entity::find()
        .select_only()
        .column(household_month::Column::HouseholdId)
        .column_as(
            Expr::col(household_month::Column::Awarded)
                .sum()
                .sub(Expr::col(household_month::Column::Deducted).sum()),
            "e",
        )
        .column_as(Expr::col(household_month::Column::Redeemed).sum(), "r")
        .group_by(household_month::Column::HouseholdId)
        .into_tuple::<(i32, Option<i64>, Option<i64>)>()
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|(h, e, r)| (h, (e.unwrap_or(0), r.unwrap_or(0))))
        .collect();

    let mut out = Vec::new();
    let mut check = |what: String, stored: i64, recomputed: i64| {
        if stored != recomputed {
            out.push(Mismatch {
                what,
                stored,
                recomputed,
            });
        }
    };
    let households = household::Entity::find()
        .select_only()
        .columns([
            household::Column::Id,
            household::Column::CardNo,
            household::Column::Balance,
            household::Column::EarnedTotal,
            household::Column::RedeemedTotal,
        ])
        .into_tuple::<(i32, String, i64, i64, i64)>()
        .all(&db.conn)
        .await?;
    for (id, card, balance, earned_total, redeemed_total) in households {
        let e = earned.get(&id).copied().unwrap_or(0);
        let r = redeemed.get(&id).copied().unwrap_or(0);
        let (me, mr) = months.get(&id).copied().unwrap_or((0, 0));
        check(format!("农户 {card} 余额"), balance, e - r);
        check(format!("农户 {card} 累计获得"), earned_total, e);
        check(format!("农户 {card} 累计兑换"), redeemed_total, r);
        check(format!("农户 {card} 月度汇总获得"), me, e);
        check(format!("农户 {card} 月度汇总兑换"), mr, r);
        check(
            format!("农户 {card} 月度有效记录数"),
            counted.get(&id).copied().unwrap_or(0),
            live.get(&id).copied().unwrap_or(0),
        );
    }
    let moved: HashMap<i32, i64> = stock_movement::Entity::find()
        .select_only()
        .column(stock_movement::Column::GoodsId)
        .column_as(Expr::col(stock_movement::Column::Quantity).sum(), "s")
        .group_by(stock_movement::Column::GoodsId)
        .into_tuple::<(i32, Option<i64>)>()
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|(g, s)| (g, s.unwrap_or(0)))
        .collect();
    for g in goods::Entity::find().all(&db.conn).await? {
        check(
            format!("商品 {}（#{}）库存", g.name, g.id),
            i64::from(g.stock),
            moved.get(&g.id).copied().unwrap_or(0),
        );
    }
    Ok(out)
}
