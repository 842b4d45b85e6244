//! The inputs of the demonstration-village evaluation (示范村评选), kept by
//! the town admin: monthly living-environment scores (人居环境评分), the
//! eight disqualifying events (一票否决, flags lifted with a reason, never
//! deleted), and the nominations of one district and one town
//! demonstration village a year (replaced or withdrawn ones kept).
//!
//! The evaluation page reads them through [`active_flags`],
//! [`living_scores`] and [`nominations`], and writes through [`nominate`]
//! and [`withdraw_nomination`].

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::acceptance::{taking_part, user_names};
use super::entities::{living_score, nomination, village, village_flag};
use super::{audit, Db};
use domain::acceptance::MAX_SCORE_TENTHS;
use domain::evaluation::{check_nomination, Disqualification, Level};
use domain::roles::Caller;
use domain::time::{china_date, month_key, month_label, next_month};
use domain::VillageId;
use wire::acceptance::{FlagView, NominationView, ScoreGrid};
use wire::AppError;

fn town_only(caller: &Caller) -> Result<(), AppError> {
    if caller.may_run_town() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn text(s: &str, max: usize, what: &str) -> Result<String, AppError> {
    let s = s.trim();
    if s.chars().count() > max {
        return Err(AppError::invalid(format!("{what}太长（最多 {max} 字）")));
    }
    Ok(s.to_string())
}

async fn village_name(db: &Db, v: VillageId) -> Result<String, AppError> {
    village::Entity::find_by_id(v.0)
        .one(&db.conn)
        .await?
        .filter(|v| v.taking_part)
        .map(|v| v.name)
        .ok_or_else(|| AppError::not_found("找不到该村（社区）"))
}

async fn village_names(db: &Db) -> Result<HashMap<i32, String>, AppError> {
    Ok(village::Entity::find()
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect())
}

// ---- living-environment scores -------------------------------------------

/// Every entered living-environment score with its month in
/// `from_month..=to_month` (`yyyymm`), by (village, month), in tenths
/// (915 = 91.5). Months without a score are absent.
pub async fn living_scores(
    db: &Db,
    from_month: i32,
    to_month: i32,
) -> Result<HashMap<(VillageId, i32), u32>, AppError> {
    Ok(living_score::Entity::find()
        .filter(living_score::Column::Month.gte(from_month))
        .filter(living_score::Column::Month.lte(to_month))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|s| ((VillageId(s.village_id), s.month), s.score_tenths as u32))
        .collect())
}

/// Enters (or re-enters) a village's score for a month that has begun, in
/// tenths from 0 to 1000. A re-entry replaces the value; the old one stays
/// in the audit log. Town admin only.
pub async fn set_living_score(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    month: i32,
    tenths: u32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    town_only(caller)?;
    super::publication::served_month(month, now)?;
    village_name(db, village).await?;
    if tenths > MAX_SCORE_TENTHS {
        return Err(AppError::invalid("评分应在 0 到 100 分之间"));
    }
    if !(1..=12).contains(&(month % 100)) || month < 200001 {
        return Err(AppError::invalid("月份不正确"));
    }
    if month > month_key(china_date(now)) {
        return Err(AppError::invalid("不能为未来的月份评分"));
    }
    let txn = db.write().await?;
    let old = living_score::Entity::find()
        .filter(living_score::Column::VillageId.eq(village.0))
        .filter(living_score::Column::Month.eq(month))
        .one(&*txn)
        .await?;
    let (id, detail) = match old {
        Some(old) if old.score_tenths == tenths as i32 => return Ok(()),
        Some(old) => {
            let id = old.id;
            let before = old.score_tenths;
            let mut row: living_score::ActiveModel = old.into();
            row.score_tenths = Set(tenths as i32);
            row.entered_by = Set(caller.user.0);
            row.entered_at = Set(now);
            row.update(&*txn).await?;
            (
                id,
                format!("village {} {month}: {before} -> {tenths}", village.0),
            )
        }
        None => {
            let row = living_score::ActiveModel {
                village_id: Set(village.0),
                month: Set(month),
                score_tenths: Set(tenths as i32),
                entered_by: Set(caller.user.0),
                entered_at: Set(now),
                ..Default::default()
            }
            .insert(&*txn)
            .await?;
            (row.id, format!("village {} {month}: {tenths}", village.0))
        }
    };
    audit::record(
        &*txn,
        Some(caller.user),
        "set_living_score",
        "living_score",
        Some(id),
        detail,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The score grid of a year for the town admin: every month of the year up
/// to the current one, every taking-part village, the entered scores.
pub async fn score_grid(
    db: &Db,
    caller: &Caller,
    year: i32,
    now: DateTime<Utc>,
) -> Result<ScoreGrid, AppError> {
    town_only(caller)?;
    let year = super::publication::served_year(year, now)?;
    let current = month_key(china_date(now));
    let mut months = Vec::new();
    let mut m = year * 100 + 1;
    while m <= year * 100 + 12 && m <= current {
        months.push(m);
        m = next_month(m);
    }
    let scores = living_scores(db, year * 100 + 1, year * 100 + 12).await?;
    let villages = taking_part(db).await?;
    let cells = villages
        .iter()
        .map(|(v, _)| {
            months
                .iter()
                .map(|m| scores.get(&(*v, *m)).copied())
                .collect()
        })
        .collect();
    Ok(ScoreGrid {
        year,
        month_labels: months.iter().map(|m| month_label(*m)).collect(),
        months,
        villages,
        cells,
    })
}

// ---- disqualifying events -----------------------------------------------

fn flag_view(
    f: &village_flag::Model,
    villages: &HashMap<i32, String>,
    users: &HashMap<i32, String>,
) -> Option<FlagView> {
    let kind = Disqualification::parse(&f.kind)?;
    Some(FlagView {
        id: f.id,
        village_id: VillageId(f.village_id),
        village_name: villages.get(&f.village_id).cloned().unwrap_or_default(),
        kind: kind.as_str().into(),
        label: kind.label().into(),
        occurred_on: f.occurred_on.format("%Y-%m-%d").to_string(),
        note: f.note.clone(),
        recorded_by: users.get(&f.recorded_by).cloned().unwrap_or_default(),
        recorded_at: domain::notice::display_time(f.recorded_at),
        lifted_at: f.lifted_at.map(domain::notice::display_time),
        lifted_by: f.lifted_by.and_then(|u| users.get(&u).cloned()),
        lift_reason: f.lift_reason.clone(),
    })
}

async fn flag_views(db: &Db, rows: Vec<village_flag::Model>) -> Result<Vec<FlagView>, AppError> {
    let villages = village_names(db).await?;
    let mut ids: Vec<i32> = rows.iter().map(|f| f.recorded_by).collect();
    ids.extend(rows.iter().filter_map(|f| f.lifted_by));
    let users = user_names(db, &ids).await?;
    Ok(rows
        .iter()
        .filter_map(|f| flag_view(f, &villages, &users))
        .collect())
}

/// The disqualifying events not lifted, by village (oldest first). A
/// village with any is not eligible; `FlagView::label` is the reason.
pub async fn active_flags(db: &Db) -> Result<HashMap<VillageId, Vec<FlagView>>, AppError> {
    let rows = village_flag::Entity::find()
        .filter(village_flag::Column::LiftedAt.is_null())
        .order_by_asc(village_flag::Column::OccurredOn)
        .order_by_asc(village_flag::Column::Id)
        .all(&db.conn)
        .await?;
    let mut out: HashMap<VillageId, Vec<FlagView>> = HashMap::new();
    for f in flag_views(db, rows).await? {
        out.entry(f.village_id).or_default().push(f);
    }
    Ok(out)
}

/// Every event ever recorded, current first, newest first (the flags page).
pub async fn all_flags(db: &Db, caller: &Caller) -> Result<Vec<FlagView>, AppError> {
    town_only(caller)?;
    let rows = village_flag::Entity::find()
        .order_by_desc(village_flag::Column::OccurredOn)
        .order_by_desc(village_flag::Column::Id)
        .all(&db.conn)
        .await?;
    let mut list = flag_views(db, rows).await?;
    list.sort_by_key(|f| f.lifted_at.is_some());
    Ok(list)
}

/// Records a disqualifying event of a village on a date (not in the
/// future) with a note. Town admin only.
pub async fn record_flag(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    kind: Disqualification,
    occurred_on: NaiveDate,
    note: &str,
    now: DateTime<Utc>,
) -> Result<FlagView, AppError> {
    town_only(caller)?;
    village_name(db, village).await?;
    let note = text(note, 300, "说明")?;
    if note.is_empty() {
        return Err(AppError::invalid("请填写情况说明"));
    }
    if occurred_on > china_date(now) {
        return Err(AppError::invalid("发生日期不能晚于今天"));
    }
    let txn = db.write().await?;
    let row = village_flag::ActiveModel {
        village_id: Set(village.0),
        kind: Set(kind.as_str().into()),
        occurred_on: Set(occurred_on),
        note: Set(note),
        recorded_by: Set(caller.user.0),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "record_flag",
        "village_flag",
        Some(row.id),
        format!("village {} {} on {occurred_on}", village.0, kind.as_str()),
        now,
    )
    .await?;
    txn.commit().await?;
    flag_views(db, vec![row])
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

/// Lifts a disqualifying event with a reason; it stays on record. Town
/// admin only.
pub async fn lift_flag(
    db: &Db,
    caller: &Caller,
    flag: i32,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    town_only(caller)?;
    let reason = text(reason, 300, "理由")?;
    if reason.is_empty() {
        return Err(AppError::invalid("请填写解除理由"));
    }
    let txn = db.write().await?;
    let row = village_flag::Entity::find_by_id(flag)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该记录"))?;
    if row.lifted_at.is_some() {
        return Err(AppError::Conflict("该情形已经解除".into()));
    }
    let mut row: village_flag::ActiveModel = row.into();
    row.lifted_at = Set(Some(now));
    row.lifted_by = Set(Some(caller.user.0));
    row.lift_reason = Set(Some(reason.clone()));
    row.update(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "lift_flag",
        "village_flag",
        Some(flag),
        reason,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---- nominations ---------------------------------------------------------

async fn nomination_views(
    db: &Db,
    rows: Vec<nomination::Model>,
) -> Result<Vec<NominationView>, AppError> {
    let villages = village_names(db).await?;
    let mut ids: Vec<i32> = rows.iter().map(|n| n.nominated_by).collect();
    ids.extend(rows.iter().filter_map(|n| n.withdrawn_by));
    let users = user_names(db, &ids).await?;
    Ok(rows
        .into_iter()
        .filter_map(|n| {
            let level = Level::parse(&n.level)?;
            Some(NominationView {
                id: n.id,
                year: n.year,
                level,
                level_label: level.label().into(),
                village_id: VillageId(n.village_id),
                village_name: villages.get(&n.village_id).cloned().unwrap_or_default(),
                note: n.note,
                nominated_by: users.get(&n.nominated_by).cloned().unwrap_or_default(),
                nominated_at: domain::notice::display_time(n.nominated_at),
                withdrawn_at: n.withdrawn_at.map(domain::notice::display_time),
                withdrawn_by: n.withdrawn_by.and_then(|u| users.get(&u).cloned()),
                withdraw_reason: n.withdraw_reason,
            })
        })
        .collect())
}

/// The year's current nominations (at most one per level), district first.
pub async fn nominations(db: &Db, year: i32) -> Result<Vec<NominationView>, AppError> {
    let rows = nomination::Entity::find()
        .filter(nomination::Column::Year.eq(year))
        .filter(nomination::Column::WithdrawnAt.is_null())
        .order_by_asc(nomination::Column::Level)
        .all(&db.conn)
        .await?;
    nomination_views(db, rows).await
}

/// Every nomination of the year, withdrawn and replaced ones too, newest
/// first.
pub async fn nomination_history(db: &Db, year: i32) -> Result<Vec<NominationView>, AppError> {
    let rows = nomination::Entity::find()
        .filter(nomination::Column::Year.eq(year))
        .order_by_desc(nomination::Column::Id)
        .all(&db.conn)
        .await?;
    nomination_views(db, rows).await
}

/// Nominates a village as the year's district or town demonstration
/// village. Refused (400, with the reason) when the village has a
/// disqualifying event not lifted, or is the other level's current choice.
/// A different village already nominated at this level is replaced (its
/// row is kept, withdrawn with the reason "改为提名…"). Town admin only.
#[allow(clippy::too_many_arguments)]
pub async fn nominate(
    db: &Db,
    caller: &Caller,
    year: i32,
    level: Level,
    village: VillageId,
    note: &str,
    now: DateTime<Utc>,
) -> Result<NominationView, AppError> {
    town_only(caller)?;
    let name = village_name(db, village).await?;
    let note = text(note, 300, "说明")?;
    super::publication::served_year(year, now)?;
    let txn = db.write().await?;
    let flags: Vec<Disqualification> = village_flag::Entity::find()
        .filter(village_flag::Column::VillageId.eq(village.0))
        .filter(village_flag::Column::LiftedAt.is_null())
        .order_by_asc(village_flag::Column::OccurredOn)
        .all(&*txn)
        .await?
        .iter()
        .filter_map(|f| Disqualification::parse(&f.kind))
        .collect();
    let current = nomination::Entity::find()
        .filter(nomination::Column::Year.eq(year))
        .filter(nomination::Column::WithdrawnAt.is_null())
        .all(&*txn)
        .await?;
    let other = current
        .iter()
        .find(|n| n.level == level.other().as_str())
        .map(|n| VillageId(n.village_id));
    check_nomination(village, &flags, other)?;
    if let Some(same) = current.iter().find(|n| n.level == level.as_str()) {
        if same.village_id == village.0 {
            return Err(AppError::Conflict(format!(
                "{name}已是{year}年{}",
                level.label()
            )));
        }
        let mut old: nomination::ActiveModel = same.clone().into();
        old.withdrawn_at = Set(Some(now));
        old.withdrawn_by = Set(Some(caller.user.0));
        old.withdraw_reason = Set(Some(format!("改为提名{name}")));
        old.update(&*txn).await?;
    }
    let row = nomination::ActiveModel {
        year: Set(year),
        level: Set(level.as_str().into()),
        village_id: Set(village.0),
        note: Set(note),
        nominated_by: Set(caller.user.0),
        nominated_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "nominate",
        "nomination",
        Some(row.id),
        format!("{year} {} village {}", level.as_str(), village.0),
        now,
    )
    .await?;
    txn.commit().await?;
    nomination_views(db, vec![row])
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

/// Withdraws the year's current nomination at a level, with a reason; the
/// row stays in the history. Town admin only.
pub async fn withdraw_nomination(
    db: &Db,
    caller: &Caller,
    year: i32,
    level: Level,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    town_only(caller)?;
    let reason = text(reason, 300, "理由")?;
    if reason.is_empty() {
        return Err(AppError::invalid("请填写撤回理由"));
    }
    let txn = db.write().await?;
    let row = nomination::Entity::find()
        .filter(nomination::Column::Year.eq(year))
        .filter(nomination::Column::Level.eq(level.as_str()))
        .filter(nomination::Column::WithdrawnAt.is_null())
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::invalid(format!("{year}年还没有提名{}", level.label())))?;
    let id = row.id;
    let mut row: nomination::ActiveModel = row.into();
    row.withdrawn_at = Set(Some(now));
    row.withdrawn_by = Set(Some(caller.user.0));
    row.withdraw_reason = Set(Some(reason.clone()));
    row.update(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "withdraw_nomination",
        "nomination",
        Some(id),
        reason,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
