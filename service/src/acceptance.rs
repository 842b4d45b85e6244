//! Acceptance (验收) of each village's points system: the checklist of the
//! plan's six basic standards with its evidence, the town's acceptance on a
//! date (withdrawable, history kept), and the 15 August deadline.
//!
//! The computed facts of the checklist (goods kinds on sale, recent use of
//! the platform, awareness, monthly postings) are the `fact_*` functions
//! below, one grouped query each over all villages, so the town dashboard
//! can show the same figures.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::entities::{
    acceptance_evidence, household, household_month, ledger_entry, published_month, user_account,
    village, village_acceptance,
};
use super::files::{self, RouteCaller, StoredFile};
use super::{audit, Db};
use domain::acceptance::{
    checklist, deadline, is_late, posting_months_due, standards_met, ChecklistItem, VillageFacts,
    PLATFORM_DAYS,
};
use domain::notice::{check_file, clean_file_name, size_label, FileKind};
use domain::roles::Caller;
use domain::time::china_date;
use domain::VillageId;
use wire::acceptance::{
    AcceptanceDetail, AcceptanceRecordView, EvidenceView, ItemView, VillageAcceptance,
};
use wire::AppError;

/// Folder of the evidence files under the data folder.
const FOLDER: &str = "acceptance";

/// The villages taking part, in the town's order: id and name.
pub async fn taking_part(db: &Db) -> Result<Vec<(VillageId, String)>, AppError> {
    Ok(village::Entity::find()
        .filter(village::Column::TakingPart.eq(true))
        .order_by_asc(village::Column::SortOrder)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|v| (VillageId(v.id), v.name))
        .collect())
}

/// 在售商品种类 of every village: active goods in stock, counted as the
/// village's public page counts them ([`super::portal::goods_on_sale`]).
pub async fn fact_goods_kinds(db: &Db) -> Result<HashMap<VillageId, u32>, AppError> {
    Ok(super::portal::goods_on_sale()
        .select_only()
        .column(super::entities::goods::Column::VillageId)
        .column_as(Expr::col(super::entities::goods::Column::Id).count(), "n")
        .group_by(super::entities::goods::Column::VillageId)
        .into_tuple::<(i32, i64)>()
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|(v, n)| (VillageId(v), n as u32))
        .collect())
}

/// Use of the platform: ledger entries of each village dated within the
/// last [`PLATFORM_DAYS`] days up to `today` (one index range per village).
pub async fn fact_recent_entries(
    db: &Db,
    villages: &[VillageId],
    today: NaiveDate,
) -> Result<HashMap<VillageId, u32>, AppError> {
    let since = today - Duration::days(PLATFORM_DAYS - 1);
    let mut out = HashMap::new();
    for v in villages {
        let n = ledger_entry::Entity::find()
            .filter(ledger_entry::Column::VillageId.eq(v.0))
            .filter(ledger_entry::Column::OccurredOn.gte(since))
            .filter(ledger_entry::Column::OccurredOn.lte(today))
            .count(&db.conn)
            .await?;
        out.insert(*v, n as u32);
    }
    Ok(out)
}

/// Awareness: (resident households not moved away, of them marked aware),
/// per village.
pub async fn fact_awareness(db: &Db) -> Result<HashMap<VillageId, (u32, u32)>, AppError> {
    let rows = household::Entity::find()
        .select_only()
        .column(household::Column::VillageId)
        .column(household::Column::Aware)
        .column_as(Expr::col(household::Column::Id).count(), "n")
        .filter(household::Column::Resident.eq(true))
        .filter(household::Column::MovedAway.eq(false))
        .group_by(household::Column::VillageId)
        .group_by(household::Column::Aware)
        .into_tuple::<(i32, bool, i64)>()
        .all(&db.conn)
        .await?;
    let mut out: HashMap<VillageId, (u32, u32)> = HashMap::new();
    for (v, aware, n) in rows {
        let e = out.entry(VillageId(v)).or_default();
        e.0 += n as u32;
        if aware {
            e.1 += n as u32;
        }
    }
    Ok(out)
}

/// Each village's first month with points data (yyyymm): when it started
/// running the scheme on the platform.
pub async fn first_months(db: &Db) -> Result<HashMap<i32, i32>, AppError> {
    Ok(household_month::Entity::find()
        .select_only()
        .column(household_month::Column::VillageId)
        .column_as(Expr::col(household_month::Column::Month).min(), "m")
        .group_by(household_month::Column::VillageId)
        .into_tuple::<(i32, Option<i32>)>()
        .all(&db.conn)
        .await?
        .into_iter()
        .filter_map(|(v, m)| Some((v, m?)))
        .collect())
}

/// Monthly postings: for each village, the months due by `today` (from its
/// first month with points data) and which of them are not published.
pub async fn fact_postings(
    db: &Db,
    today: NaiveDate,
) -> Result<HashMap<VillageId, (Vec<i32>, Vec<i32>)>, AppError> {
    let firsts = first_months(db).await?;
    let mut published: HashMap<i32, HashSet<i32>> = HashMap::new();
    for (v, m) in published_month::Entity::find()
        .select_only()
        .column(published_month::Column::VillageId)
        .column(published_month::Column::Month)
        .into_tuple::<(i32, i32)>()
        .all(&db.conn)
        .await?
    {
        published.entry(v).or_default().insert(m);
    }
    Ok(firsts
        .into_iter()
        .map(|(v, first)| {
            let due = posting_months_due(Some(first), today);
            let done = published.get(&v);
            let missing = due
                .iter()
                .copied()
                .filter(|m| !done.is_some_and(|d| d.contains(m)))
                .collect();
            (VillageId(v), (due, missing))
        })
        .collect())
}

/// Which evidence items each village has uploaded.
async fn fact_evidence(db: &Db) -> Result<HashMap<VillageId, Vec<ChecklistItem>>, AppError> {
    let mut out: HashMap<VillageId, Vec<ChecklistItem>> = HashMap::new();
    for (v, item) in acceptance_evidence::Entity::find()
        .select_only()
        .column(acceptance_evidence::Column::VillageId)
        .column(acceptance_evidence::Column::Item)
        .distinct()
        .into_tuple::<(i32, String)>()
        .all(&db.conn)
        .await?
    {
        if let Some(i) = ChecklistItem::parse(&item) {
            out.entry(VillageId(v)).or_default().push(i);
        }
    }
    Ok(out)
}

/// Every taking-part village's checklist facts, computed from the data.
pub async fn village_facts(
    db: &Db,
    today: NaiveDate,
) -> Result<Vec<(VillageId, String, VillageFacts)>, AppError> {
    let villages = taking_part(db).await?;
    let ids: Vec<VillageId> = villages.iter().map(|v| v.0).collect();
    let goods = fact_goods_kinds(db).await?;
    let recent = fact_recent_entries(db, &ids, today).await?;
    let aware = fact_awareness(db).await?;
    let mut postings = fact_postings(db, today).await?;
    let mut evidence = fact_evidence(db).await?;
    Ok(villages
        .into_iter()
        .map(|(id, name)| {
            let (resident, aware) = aware.get(&id).copied().unwrap_or_default();
            let (postings_due, postings_missing) = postings.remove(&id).unwrap_or_default();
            let facts = VillageFacts {
                evidence: evidence.remove(&id).unwrap_or_default(),
                goods_kinds: goods.get(&id).copied().unwrap_or(0),
                recent_entries: recent.get(&id).copied().unwrap_or(0),
                resident,
                aware,
                postings_due,
                postings_missing,
            };
            (id, name, facts)
        })
        .collect())
}

/// The current (not withdrawn) acceptance of each village.
/// The village's acceptance in force (not withdrawn), if any.
pub async fn current_of<C: sea_orm::ConnectionTrait>(
    c: &C,
    village: VillageId,
) -> Result<Option<village_acceptance::Model>, AppError> {
    Ok(village_acceptance::Entity::find()
        .filter(village_acceptance::Column::VillageId.eq(village.0))
        .filter(village_acceptance::Column::WithdrawnAt.is_null())
        .one(c)
        .await?)
}

async fn current_acceptances(
    db: &Db,
) -> Result<HashMap<VillageId, village_acceptance::Model>, AppError> {
    Ok(village_acceptance::Entity::find()
        .filter(village_acceptance::Column::WithdrawnAt.is_null())
        .order_by_asc(village_acceptance::Column::Id)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|a| (VillageId(a.village_id), a))
        .collect())
}

/// Display names of users, by id.
pub async fn user_names(db: &Db, ids: &[i32]) -> Result<HashMap<i32, String>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user_account::Entity::find()
        .filter(user_account::Column::Id.is_in(ids.iter().copied()))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn time_text(t: DateTime<Utc>) -> String {
    domain::notice::display_time(t)
}

fn overview_row(
    id: VillageId,
    name: String,
    facts: &VillageFacts,
    accepted: Option<&village_acceptance::Model>,
    names: &HashMap<i32, String>,
    today: NaiveDate,
) -> VillageAcceptance {
    let items = checklist(facts);
    let standards = standards_met(&items).to_vec();
    let year = chrono::Datelike::year(&today);
    VillageAcceptance {
        village_id: id,
        village_name: name,
        items: items
            .into_iter()
            .map(|s| ItemView {
                item: s.item.as_str().into(),
                label: s.item.label().into(),
                standard: s.item.standard(),
                needs_evidence: s.item.needs_evidence(),
                met: s.met,
                figure: s.figure,
                short: s.short,
            })
            .collect(),
        standards,
        accepted_on: accepted.map(|a| date_text(a.accepted_on)),
        accepted_by: accepted.and_then(|a| names.get(&a.accepted_by).cloned()),
        late: is_late(accepted.map(|a| a.accepted_on), year, today),
    }
}

/// Every taking-part village: each checklist item's status, the accepted
/// date (or none) and whether it is late for this year's 15 August.
/// `today` is the China calendar date.
pub async fn acceptance_overview(
    db: &Db,
    today: NaiveDate,
) -> Result<Vec<VillageAcceptance>, AppError> {
    let facts = village_facts(db, today).await?;
    let accepted = current_acceptances(db).await?;
    let by: Vec<i32> = accepted.values().map(|a| a.accepted_by).collect();
    let names = user_names(db, &by).await?;
    Ok(facts
        .into_iter()
        .map(|(id, name, f)| overview_row(id, name, &f, accepted.get(&id), &names, today))
        .collect())
}

fn evidence_view(e: &acceptance_evidence::Model, names: &HashMap<i32, String>) -> EvidenceView {
    let is_image = e.content_type.starts_with("image/");
    EvidenceView {
        id: e.id,
        item: e.item.clone(),
        name: e.original_name.clone(),
        note: e.note.clone(),
        is_image,
        kind_label: match e.content_type.as_str() {
            "application/pdf" => "PDF",
            _ if is_image => "图片",
            _ => "Excel",
        }
        .into(),
        size_label: size_label(i64::from(e.bytes)),
        uploaded_at: time_text(e.uploaded_at),
        uploaded_by: names.get(&e.uploaded_by).cloned().unwrap_or_default(),
    }
}

/// One village's acceptance page: its checklist, every evidence file
/// (newest first), and the acceptance history. The town admin and the
/// village's own admin (read-only) may read it.
pub async fn village_detail(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    today: NaiveDate,
) -> Result<AcceptanceDetail, AppError> {
    if !caller.may_read_oversight(village) {
        return Err(AppError::Forbidden);
    }
    let (id, name, facts) = village_facts(db, today)
        .await?
        .into_iter()
        .find(|(id, _, _)| *id == village)
        .ok_or_else(|| AppError::not_found("找不到该村（社区）"))?;
    let evidence = acceptance_evidence::Entity::find()
        .filter(acceptance_evidence::Column::VillageId.eq(village.0))
        .order_by_desc(acceptance_evidence::Column::Id)
        .all(&db.conn)
        .await?;
    let history = village_acceptance::Entity::find()
        .filter(village_acceptance::Column::VillageId.eq(village.0))
        .order_by_desc(village_acceptance::Column::Id)
        .all(&db.conn)
        .await?;
    let mut users: Vec<i32> = evidence.iter().map(|e| e.uploaded_by).collect();
    for a in &history {
        users.push(a.accepted_by);
        users.extend(a.withdrawn_by);
    }
    let names = user_names(db, &users).await?;
    let current = history.iter().find(|a| a.withdrawn_at.is_none());
    Ok(AcceptanceDetail {
        overview: overview_row(id, name, &facts, current, &names, today),
        evidence: evidence.iter().map(|e| evidence_view(e, &names)).collect(),
        history: history
            .iter()
            .map(|a| AcceptanceRecordView {
                id: a.id,
                accepted_on: date_text(a.accepted_on),
                note: a.note.clone(),
                accepted_by: names.get(&a.accepted_by).cloned().unwrap_or_default(),
                recorded_at: time_text(a.recorded_at),
                withdrawn_at: a.withdrawn_at.map(time_text),
                withdrawn_by: a.withdrawn_by.and_then(|u| names.get(&u).cloned()),
                withdraw_reason: a.withdraw_reason.clone(),
            })
            .collect(),
        may_edit: caller.may_run_town(),
        deadline: date_text(deadline(chrono::Datelike::year(&today))),
    })
}

async fn taking_part_village(db: &Db, v: VillageId) -> Result<village::Model, AppError> {
    village::Entity::find_by_id(v.0)
        .one(&db.conn)
        .await?
        .filter(|v| v.taking_part)
        .ok_or_else(|| AppError::not_found("找不到该村（社区）"))
}

fn clean_note(note: &str, max: usize) -> Result<String, AppError> {
    let note = note.trim();
    if note.chars().count() > max {
        return Err(AppError::invalid(format!("说明太长（最多 {max} 字）")));
    }
    Ok(note.to_string())
}

/// Adds an evidence file (photo or document) to one checklist item of a
/// village; earlier files stay. A JPG/PNG photo is shrunk; a PDF or xlsx is
/// kept as uploaded (at most 10 MB). Town admin only.
#[allow(clippy::too_many_arguments)]
pub async fn add_evidence(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    item: ChecklistItem,
    name: &str,
    bytes: Vec<u8>,
    note: &str,
    now: DateTime<Utc>,
) -> Result<EvidenceView, AppError> {
    if !caller.may_run_town() {
        return Err(AppError::Forbidden);
    }
    if !item.needs_evidence() {
        return Err(AppError::invalid("该项由平台数据自动计算，无需上传"));
    }
    taking_part_village(db, village).await?;
    let note = clean_note(note, 200)?;
    let kind = check_file(name, &bytes)?;
    let original_name = clean_file_name(name);
    let (bytes, content_type, ext) = if kind.is_image() {
        let (jpeg, _, _) = super::uploads::shrink_photo(bytes).await?;
        (jpeg, FileKind::Jpeg.content_type(), "jpg")
    } else {
        (bytes, kind.content_type(), kind.extension())
    };
    let size = bytes.len();
    let file_name = super::uploads::write(db, FOLDER, village.0, ext, &bytes).await?;
    let saved = async {
        let txn = db.write().await?;
        let row = acceptance_evidence::ActiveModel {
            village_id: Set(village.0),
            item: Set(item.as_str().into()),
            file_name: Set(file_name.clone()),
            original_name: Set(original_name.clone()),
            content_type: Set(content_type.into()),
            bytes: Set(size as i32),
            note: Set(note),
            uploaded_by: Set(caller.user.0),
            uploaded_at: Set(now),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        audit::record(
            &*txn,
            Some(caller.user),
            "add_acceptance_evidence",
            "acceptance_evidence",
            Some(row.id),
            format!("village {} {}: {original_name}", village.0, item.as_str()),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok::<_, AppError>(row)
    }
    .await;
    match saved {
        Ok(row) => {
            let names = user_names(db, &[caller.user.0]).await?;
            Ok(evidence_view(&row, &names))
        }
        Err(e) => {
            super::uploads::remove(db, FOLDER, &file_name).await;
            Err(e)
        }
    }
}

/// Marks a village accepted on a date (not in the future) with a note.
/// Town admin only; a village already accepted must be withdrawn first.
pub async fn mark_accepted(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    on: NaiveDate,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !caller.may_run_town() {
        return Err(AppError::Forbidden);
    }
    taking_part_village(db, village).await?;
    if on > china_date(now) {
        return Err(AppError::invalid("验收日期不能晚于今天"));
    }
    let note = clean_note(note, 200)?;
    let txn = db.write().await?;
    let current = current_of(&*txn, village).await?;
    if current.is_some() {
        return Err(AppError::Conflict(
            "该村已验收；如需更改验收日期，请先撤销原验收".into(),
        ));
    }
    let row = village_acceptance::ActiveModel {
        village_id: Set(village.0),
        accepted_on: Set(on),
        note: Set(note),
        accepted_by: Set(caller.user.0),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "accept_village",
        "village_acceptance",
        Some(row.id),
        format!("village {} accepted on {on}", village.0),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Withdraws a village's current acceptance with a reason; the record
/// stays in its history. Town admin only.
pub async fn withdraw_acceptance(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !caller.may_run_town() {
        return Err(AppError::Forbidden);
    }
    let reason = clean_note(reason, 200)?;
    if reason.is_empty() {
        return Err(AppError::invalid("请填写撤销理由"));
    }
    let txn = db.write().await?;
    let current = current_of(&*txn, village)
        .await?
        .ok_or_else(|| AppError::invalid("该村尚未验收"))?;
    let id = current.id;
    let mut row: village_acceptance::ActiveModel = current.into();
    row.withdrawn_at = Set(Some(now));
    row.withdrawn_by = Set(Some(caller.user.0));
    row.withdraw_reason = Set(Some(reason.clone()));
    row.update(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "withdraw_acceptance",
        "village_acceptance",
        Some(id),
        reason,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A stored evidence file, if the caller may read its village's oversight
/// records.
pub async fn open_evidence(
    db: &Db,
    caller: Option<&Caller>,
    id: i32,
) -> Result<(PathBuf, acceptance_evidence::Model), AppError> {
    let missing = || AppError::not_found("找不到该文件");
    // Sign-in first and "not yours" as "none", so ids cannot be probed.
    let caller = caller.ok_or(AppError::Unauthenticated)?;
    let e = acceptance_evidence::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .filter(|e| caller.may_read_oversight(VillageId(e.village_id)))
        .ok_or_else(missing)?;
    let path = super::uploads::resolve(db, FOLDER, &e.file_name).ok_or_else(missing)?;
    Ok((path, e))
}

/// The acceptance evidence `id` names, for the town admin and the
/// village's own admin (`GET /acceptance-file/{id}`).
pub async fn stored_evidence(
    db: &Db,
    caller: &RouteCaller,
    id: i32,
) -> Result<StoredFile, AppError> {
    let (path, file) = open_evidence(db, caller.maybe().await.as_ref(), id).await?;
    let bytes = files::read(&path, AppError::not_found("找不到该文件")).await?;
    Ok(StoredFile::document(
        bytes,
        file.content_type,
        file.original_name,
        "private, max-age=3600",
    ))
}
