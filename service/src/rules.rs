//! The rule catalogue service: drafting a revision of a village's scheme,
//! publishing it with its decision record, and the public history.
//!
//! The published catalogue is `rule_item` with its versions; a draft lives
//! only in `rule_revision`/`rule_change`, so nothing that records points
//! ever sees it. Publishing writes the catalogue in one transaction: a
//! changed item gets its next version (the current one is closed the day
//! before, its terms untouched, so entries keep pointing at the version in
//! force when they were recorded), an addition inserts version 1, a
//! retirement closes the item.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use super::entities::{rule_category, rule_change, rule_item, rule_revision, village};
use super::files::{self, RouteCaller, StoredFile};
use super::ledger::rule_version;
use super::{audit, Db};
use domain::roles::Caller;
use domain::rule_revision::{
    check_change, describe, plan, ChangeKind, CurrentItem, Decision, DiffLine, DraftChange,
    MeetingKind, RevisionError, Step, MAX_CHANGES,
};
use domain::rules::{revise, RuleTerms, RuleUnit};
use domain::standard_rules::STANDARD_RULES;
use domain::text::{optional_text, required_text, MAX_LINE, MAX_NAME, MAX_TITLE};
use domain::time::{china_date, china_minute};
use domain::{RuleChangeId, RuleItemId, RuleRevisionId, VillageId};
use wire::rules::{
    ChangeForm, CopySource, CopySourceView, DecisionView, DraftChangeView, DraftView, EditorItem,
    PublishForm, RevisionView, RulebookView, RulesEditorView,
};
use wire::AppError;

/// Largest minutes file (a photo before shrinking, or a PDF).
pub const MAX_MINUTES: usize = 10 * 1024 * 1024;

const DRAFT: &str = "draft";
const PUBLISHED: &str = "published";

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Revises a rule item from `effective` on. The current version keeps its
/// terms and is closed the day before; entries recorded under it keep
/// pointing at it. Returns the new version.
pub async fn revise_item(
    db: &Db,
    caller: &Caller,
    item: RuleItemId,
    terms: RuleTerms,
    effective: NaiveDate,
    now: DateTime<Utc>,
) -> Result<rule_item::Model, AppError> {
    let txn = db.write().await?;
    let current = rule_item::Entity::find_by_id(item.0)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该积分细则"))?;
    if !caller.may_record_points(VillageId(current.village_id)) {
        return Err(AppError::Forbidden);
    }
    if current.active_until.is_some() {
        return Err(AppError::Conflict(
            "该细则已有新版本，请修改最新版本".into(),
        ));
    }
    let category = current.category_id;
    let new = next_version(&*txn, &current, terms, category, effective, now).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "revise_rule_item",
        "rule_item",
        Some(new.id),
        format!("supersedes {} from {}", current.id, effective),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(new)
}

/// Closes `current` the day before `effective` and inserts its next
/// version. Only the end of the active period is set on the old row: the
/// terms of a version that entries point at are never changed.
async fn next_version<C: ConnectionTrait>(
    conn: &C,
    current: &rule_item::Model,
    terms: RuleTerms,
    category: i32,
    effective: NaiveDate,
    now: DateTime<Utc>,
) -> Result<rule_item::Model, AppError> {
    let (closed, next) = revise(&rule_version(current), terms, effective)?;
    rule_item::ActiveModel {
        id: Set(current.id),
        active_until: Set(closed.active_until),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(rule_item::ActiveModel {
        village_id: Set(current.village_id),
        category_id: Set(category),
        lineage_id: Set(Some(current.lineage_id.unwrap_or(current.id))),
        version: Set(next.version),
        title: Set(next.terms.title.trim().to_string()),
        points: Set(next.terms.points),
        unit: Set(next.terms.unit.as_str().into()),
        monthly_cap: Set(next.terms.monthly_cap),
        evidence_required: Set(next.terms.evidence_required),
        active_from: Set(next.active_from),
        active_until: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

/// The latest catalogue of a village: every lineage's latest version that
/// is not closed (a revision published to start later already counts), with
/// the village's categories by id.
async fn latest<C: ConnectionTrait>(
    conn: &C,
    village: VillageId,
) -> Result<(Vec<rule_item::Model>, HashMap<i32, rule_category::Model>), AppError> {
    let items = rule_item::Entity::find()
        .filter(rule_item::Column::VillageId.eq(village.0))
        .filter(rule_item::Column::ActiveUntil.is_null())
        .order_by_asc(rule_item::Column::Id)
        .all(conn)
        .await?;
    let cats = rule_category::Entity::find()
        .filter(rule_category::Column::VillageId.eq(village.0))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    Ok((items, cats))
}

fn lineage(item: &rule_item::Model) -> i32 {
    item.lineage_id.unwrap_or(item.id)
}

fn current_items(
    items: &[rule_item::Model],
    cats: &HashMap<i32, rule_category::Model>,
) -> Vec<CurrentItem> {
    items
        .iter()
        .map(|i| CurrentItem {
            lineage: lineage(i),
            item: i.id,
            category: cats
                .get(&i.category_id)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            terms: rule_version(i).terms,
            active_from: i.active_from,
        })
        .collect()
}

fn change_terms(c: &rule_change::Model) -> Option<RuleTerms> {
    Some(RuleTerms {
        title: c.title.clone()?,
        points: c.points?,
        unit: RuleUnit::parse(c.unit.as_deref()?)?,
        monthly_cap: c.monthly_cap,
        evidence_required: c.evidence_required.unwrap_or(false),
    })
}

fn draft_change(c: &rule_change::Model) -> DraftChange {
    DraftChange {
        kind: ChangeKind::parse(&c.kind).unwrap_or(ChangeKind::Add),
        lineage: c.lineage_id,
        category: c.category.clone(),
        terms: change_terms(c),
    }
}

async fn draft_of<C: ConnectionTrait>(
    conn: &C,
    village: VillageId,
) -> Result<Option<rule_revision::Model>, AppError> {
    Ok(rule_revision::Entity::find()
        .filter(rule_revision::Column::VillageId.eq(village.0))
        .filter(rule_revision::Column::Status.eq(DRAFT))
        .order_by_asc(rule_revision::Column::Id)
        .one(conn)
        .await?)
}

async fn changes_of<C: ConnectionTrait>(
    conn: &C,
    revisions: &[i32],
) -> Result<Vec<rule_change::Model>, AppError> {
    if revisions.is_empty() {
        return Ok(Vec::new());
    }
    Ok(rule_change::Entity::find()
        .filter(rule_change::Column::RevisionId.is_in(revisions.iter().copied()))
        .order_by_asc(rule_change::Column::Id)
        .all(conn)
        .await?)
}

/// The items changes were drafted on (the "before" of each line), with the
/// names of their categories.
async fn bases<C: ConnectionTrait>(
    conn: &C,
    changes: &[rule_change::Model],
) -> Result<HashMap<i32, (String, RuleTerms)>, AppError> {
    let ids: Vec<i32> = changes.iter().filter_map(|c| c.base_item_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let items = rule_item::Entity::find()
        .filter(rule_item::Column::Id.is_in(ids))
        .all(conn)
        .await?;
    let cats: HashMap<i32, String> = rule_category::Entity::find()
        .filter(rule_category::Column::Id.is_in(items.iter().map(|i| i.category_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    Ok(items
        .into_iter()
        .map(|i| {
            let cat = cats.get(&i.category_id).cloned().unwrap_or_default();
            (i.id, (cat, rule_version(&i).terms))
        })
        .collect())
}

fn line_of(c: &rule_change::Model, bases: &HashMap<i32, (String, RuleTerms)>) -> DiffLine {
    let kind = ChangeKind::parse(&c.kind).unwrap_or(ChangeKind::Add);
    let before = c
        .base_item_id
        .and_then(|b| bases.get(&b))
        .map(|(cat, t)| (cat.as_str(), t));
    let after_terms = change_terms(c);
    let after = match kind {
        ChangeKind::Retire => None,
        _ => after_terms.as_ref().map(|t| (c.category.as_str(), t)),
    };
    describe(kind, before, after)
}

async fn draft_view<C: ConnectionTrait>(
    conn: &C,
    draft: &rule_revision::Model,
) -> Result<DraftView, AppError> {
    let changes = changes_of(conn, &[draft.id]).await?;
    let bases = bases(conn, &changes).await?;
    Ok(DraftView {
        id: RuleRevisionId(draft.id),
        created_at: china_minute(draft.created_at),
        changes: changes
            .iter()
            .map(|c| {
                let line = line_of(c, &bases);
                DraftChangeView {
                    id: RuleChangeId(c.id),
                    sentence: line.sentence(),
                    line,
                }
            })
            .collect(),
    })
}

async fn village_name<C: ConnectionTrait>(conn: &C, id: VillageId) -> Result<String, AppError> {
    Ok(village::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该村（社区）"))?
        .name)
}

/// The editor page: the latest catalogue, the draft, and the villages whose
/// published catalogue may be copied.
pub async fn editor(
    db: &Db,
    village: VillageId,
    now: DateTime<Utc>,
) -> Result<RulesEditorView, AppError> {
    let conn = &db.conn;
    let village_name = village_name(conn, village).await?;
    let (items, cats) = latest(conn, village).await?;
    let draft = draft_of(conn, village).await?;
    let (draft, pending): (Option<DraftView>, HashMap<i32, ChangeKind>) = match &draft {
        Some(d) => {
            let view = draft_view(conn, d).await?;
            let pending = changes_of(conn, &[d.id])
                .await?
                .iter()
                .filter_map(|c| Some((c.lineage_id?, ChangeKind::parse(&c.kind)?)))
                .collect();
            (Some(view), pending)
        }
        None => (None, HashMap::new()),
    };
    let mut sorted_cats: Vec<&rule_category::Model> = cats.values().collect();
    sorted_cats.sort_by_key(|c| (c.sort_order, c.id));
    let mut editor_items: Vec<EditorItem> = items
        .iter()
        .map(|i| EditorItem {
            id: RuleItemId(i.id),
            category: cats
                .get(&i.category_id)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            title: i.title.clone(),
            points: i.points,
            unit: RuleUnit::parse(&i.unit).unwrap_or(RuleUnit::PerTime),
            monthly_cap: i.monthly_cap,
            evidence_required: i.evidence_required,
            version: i.version,
            active_from: day(i.active_from),
            pending: pending.get(&lineage(i)).copied(),
        })
        .collect();
    let order: HashMap<&str, usize> = sorted_cats
        .iter()
        .enumerate()
        .map(|(n, c)| (c.name.as_str(), n))
        .collect();
    editor_items.sort_by_key(|i| {
        order
            .get(i.category.as_str())
            .copied()
            .unwrap_or(usize::MAX)
    });
    // Other villages with a catalogue of their own to copy.
    let counts: Vec<(i32, i64)> = {
        use sea_orm::sea_query::{Expr, ExprTrait};
        use sea_orm::QuerySelect;
        rule_item::Entity::find()
            .select_only()
            .column(rule_item::Column::VillageId)
            .column_as(Expr::col(rule_item::Column::Id).count(), "n")
            .filter(rule_item::Column::ActiveUntil.is_null())
            .filter(rule_item::Column::VillageId.ne(village.0))
            .group_by(rule_item::Column::VillageId)
            .into_tuple()
            .all(conn)
            .await?
    };
    let names: HashMap<i32, String> = village::Entity::find()
        .filter(village::Column::Id.is_in(counts.iter().map(|c| c.0)))
        .all(conn)
        .await?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect();
    let mut sources: Vec<CopySourceView> = counts
        .into_iter()
        .filter_map(|(v, n)| {
            Some(CopySourceView {
                village: VillageId(v),
                name: names.get(&v)?.clone(),
                items: n as usize,
            })
        })
        .collect();
    sources.sort_by_key(|s| s.village);
    let published = rule_revision::Entity::find()
        .filter(rule_revision::Column::VillageId.eq(village.0))
        .filter(rule_revision::Column::Status.eq(PUBLISHED))
        .count(conn)
        .await? as usize;
    Ok(RulesEditorView {
        village,
        village_name,
        categories: sorted_cats.iter().map(|c| c.name.clone()).collect(),
        items: editor_items,
        draft,
        sources,
        standard_items: STANDARD_RULES.len(),
        today: day(china_date(now)),
        published,
    })
}

/// The village's draft, started if there is none. At most one draft per
/// village: callers hold the write transaction, so two cannot start at once.
async fn draft_or_new<C: ConnectionTrait>(
    conn: &C,
    caller: &Caller,
    village: VillageId,
    now: DateTime<Utc>,
) -> Result<rule_revision::Model, AppError> {
    if let Some(d) = draft_of(conn, village).await? {
        return Ok(d);
    }
    Ok(rule_revision::ActiveModel {
        village_id: Set(village.0),
        status: Set(DRAFT.into()),
        note: Set(String::new()),
        created_by: Set(caller.user.0),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

fn change_row(
    revision: i32,
    change: &DraftChange,
    base: Option<i32>,
    now: DateTime<Utc>,
) -> rule_change::ActiveModel {
    let t = change.terms.as_ref();
    rule_change::ActiveModel {
        revision_id: Set(revision),
        kind: Set(change.kind.as_str().into()),
        lineage_id: Set(change.lineage),
        base_item_id: Set(base),
        category: Set(change.category.clone()),
        title: Set(t.map(|t| t.title.trim().to_string())),
        points: Set(t.map(|t| t.points)),
        unit: Set(t.map(|t| t.unit.as_str().to_string())),
        monthly_cap: Set(t.and_then(|t| t.monthly_cap)),
        evidence_required: Set(t.map(|t| t.evidence_required)),
        result_item_id: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
}

/// Adds a change to the village's draft; a change or retirement of an item
/// the draft already changes replaces that change.
pub async fn save_change(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    form: &ChangeForm,
    now: DateTime<Utc>,
) -> Result<DraftView, AppError> {
    let txn = db.write().await?;
    // A town admin may name any village: one that does not exist is 404.
    village_name(&*txn, village).await?;
    let (items, cats) = latest(&*txn, village).await?;
    let current = current_items(&items, &cats);
    // The item named must be the latest version of one of this village's
    // lineages; anything else is refused before the draft is touched.
    let target = match (form.kind, form.item) {
        (ChangeKind::Add, _) => None,
        (_, Some(id)) => Some(
            current
                .iter()
                .find(|c| c.item == id.0)
                .ok_or_else(|| {
                    AppError::not_found("找不到该积分细则，它可能已被修改或停用，请刷新")
                })?
                .clone(),
        ),
        (_, None) => return Err(AppError::invalid("请选择要修改的细则")),
    };
    let change = match form.kind {
        ChangeKind::Retire => DraftChange {
            kind: ChangeKind::Retire,
            lineage: target.as_ref().map(|t| t.lineage),
            category: target
                .as_ref()
                .map(|t| t.category.clone())
                .unwrap_or_default(),
            terms: None,
        },
        kind => {
            let title = required_text("细则名称", &form.title, MAX_TITLE)?;
            let category = required_text("类别", &form.category, MAX_NAME)?;
            DraftChange {
                kind,
                lineage: target.as_ref().map(|t| t.lineage),
                category,
                terms: Some(RuleTerms {
                    title,
                    points: form.points,
                    unit: form.unit,
                    monthly_cap: form.monthly_cap,
                    evidence_required: form.evidence_required,
                }),
            }
        }
    };
    let draft = draft_or_new(&*txn, caller, village, now).await?;
    let existing = changes_of(&*txn, &[draft.id]).await?;
    let replaced: Vec<&rule_change::Model> = existing
        .iter()
        .filter(|c| change.lineage.is_some() && c.lineage_id == change.lineage)
        .collect();
    let others: Vec<DraftChange> = existing
        .iter()
        .filter(|c| !replaced.iter().any(|r| r.id == c.id))
        .map(draft_change)
        .collect();
    check_change(&current, &others, &change)?;
    // The whole draft must still apply: titles unique, at most
    // MAX_CHANGES. The effective date is not known yet; the latest possible
    // one checks everything but the dates.
    let mut after = others.clone();
    after.push(change.clone());
    plan(&current, &after, NaiveDate::MAX)?;
    for r in &replaced {
        rule_change::Entity::delete_by_id(r.id).exec(&*txn).await?;
    }
    let row = change_row(draft.id, &change, target.as_ref().map(|t| t.item), now)
        .insert(&*txn)
        .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "draft_rule_change",
        "rule_revision",
        Some(draft.id),
        format!("{} {}", change.kind.as_str(), row.id),
        now,
    )
    .await?;
    let view = draft_view(&*txn, &draft).await?;
    txn.commit().await?;
    Ok(view)
}

/// Takes a change out of the village's draft; the draft goes when its last
/// change does. Only a draft's changes may go: a published revision is
/// history.
pub async fn remove_change(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    change: RuleChangeId,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = db.write().await?;
    let missing = || AppError::not_found("找不到该修改，请刷新");
    let draft = draft_of(&*txn, village).await?.ok_or_else(missing)?;
    let row = rule_change::Entity::find_by_id(change.0)
        .one(&*txn)
        .await?
        .filter(|c| c.revision_id == draft.id)
        .ok_or_else(missing)?;
    rule_change::Entity::delete_by_id(row.id)
        .exec(&*txn)
        .await?;
    if changes_of(&*txn, &[draft.id]).await?.is_empty() {
        rule_revision::Entity::delete_by_id(draft.id)
            .exec(&*txn)
            .await?;
    }
    audit::record(
        &*txn,
        Some(caller.user),
        "remove_rule_change",
        "rule_revision",
        Some(draft.id),
        format!("{} {}", row.kind, row.id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Throws the village's draft away.
pub async fn discard_draft(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = db.write().await?;
    let draft = draft_of(&*txn, village)
        .await?
        .ok_or_else(|| AppError::not_found("本村没有草稿"))?;
    rule_change::Entity::delete_many()
        .filter(rule_change::Column::RevisionId.eq(draft.id))
        .exec(&*txn)
        .await?;
    rule_revision::Entity::delete_by_id(draft.id)
        .exec(&*txn)
        .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "discard_rule_draft",
        "rule_revision",
        Some(draft.id),
        String::new(),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Copies the standard catalogue, or another village's latest one, into the
/// draft of a village that has no items yet, as additions; items whose
/// title the draft already adds are skipped. Returns how many were added.
pub async fn copy_into_draft(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    source: CopySource,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let txn = db.write().await?;
    village_name(&*txn, village).await?;
    let (items, _) = latest(&*txn, village).await?;
    if !items.is_empty() {
        return Err(AppError::Conflict(
            "本村已有积分细则，请在现有细则上逐项修改".into(),
        ));
    }
    let copied: Vec<(String, RuleTerms)> = match source {
        CopySource::Standard => STANDARD_RULES
            .iter()
            .map(|r| (r.category.to_string(), r.terms()))
            .collect(),
        CopySource::Village(from) => {
            if from == village {
                return Err(AppError::invalid("请选择其他村（社区）"));
            }
            village_name(&*txn, from).await?;
            let (items, cats) = latest(&*txn, from).await?;
            if items.is_empty() {
                return Err(AppError::invalid("该村（社区）还没有积分细则可复制"));
            }
            let mut current = current_items(&items, &cats);
            // In the source's category order.
            current.sort_by_key(|c| {
                items
                    .iter()
                    .find(|i| i.id == c.item)
                    .and_then(|i| cats.get(&i.category_id))
                    .map(|cat| (cat.sort_order, cat.id))
            });
            current.into_iter().map(|c| (c.category, c.terms)).collect()
        }
    };
    let draft = draft_or_new(&*txn, caller, village, now).await?;
    let existing = changes_of(&*txn, &[draft.id]).await?;
    let mut titles: Vec<String> = existing.iter().filter_map(|c| c.title.clone()).collect();
    let mut added = 0;
    for (category, terms) in copied {
        if titles.iter().any(|t| t == terms.title.trim()) {
            continue;
        }
        if existing.len() + added >= MAX_CHANGES {
            return Err(AppError::from(RevisionError::TooManyChanges));
        }
        titles.push(terms.title.trim().to_string());
        let change = DraftChange {
            kind: ChangeKind::Add,
            lineage: None,
            category,
            terms: Some(terms),
        };
        change_row(draft.id, &change, None, now)
            .insert(&*txn)
            .await?;
        added += 1;
    }
    audit::record(
        &*txn,
        Some(caller.user),
        "copy_rules",
        "rule_revision",
        Some(draft.id),
        format!("{source:?}: {added} items"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(added)
}

fn count(field: &'static str, s: &str) -> Result<i32, AppError> {
    s.trim()
        .parse::<i32>()
        .map_err(|_| AppError::invalid(format!("请填写{field}（整数）")))
}

fn date(field: &'static str, s: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid(format!("{field}格式应为 2026-01-31")))
}

/// The minutes as stored: a PDF as sent (recognised by its `%PDF-`
/// header), or a photo checked and shrunk like every photo; with its
/// extension and content type.
async fn minutes_file(bytes: Vec<u8>) -> Result<(Vec<u8>, &'static str, &'static str), AppError> {
    if bytes.is_empty() {
        return Err(AppError::invalid("请上传会议记录的照片或 PDF"));
    }
    if bytes.len() > MAX_MINUTES {
        return Err(AppError::invalid("会议记录文件太大（最大 10 MB）"));
    }
    if bytes.starts_with(b"%PDF-") {
        return Ok((bytes, "pdf", "application/pdf"));
    }
    let (jpeg, _, _) = super::uploads::shrink_photo(bytes).await?;
    Ok((jpeg, "jpg", "image/jpeg"))
}

/// Publishes the village's draft with its decision record: checks the
/// record (quorum, majority, dates) and the draft against the latest
/// catalogue, stores the minutes, then in one transaction writes the
/// catalogue and marks the revision published.
pub async fn publish(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    form: PublishForm,
    now: DateTime<Utc>,
) -> Result<RuleRevisionId, AppError> {
    let today = china_date(now);
    let revision: i32 = form
        .revision
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("请刷新页面后再发布"))?;
    // The draft must be this village's: an id of another village's is
    // answered as missing, like any id that is not the caller's.
    let missing = || AppError::not_found("找不到该草稿，请刷新");
    let draft = rule_revision::Entity::find_by_id(revision)
        .one(&db.conn)
        .await?
        .filter(|r| r.village_id == village.0)
        .ok_or_else(missing)?;
    if draft.status != DRAFT {
        return Err(AppError::Conflict("该修订已发布".into()));
    }
    let kind = MeetingKind::parse(&form.meeting_kind)
        .ok_or_else(|| AppError::invalid("请选择会议类型"))?;
    let decision = Decision {
        kind,
        held_on: date("会议日期", &form.meeting_on)?,
        entitled: count("应到人数", &form.entitled)?,
        attended: count("到会人数", &form.attended)?,
        votes_for: count("赞成票数", &form.votes_for)?,
        votes_against: count("反对票数", &form.votes_against)?,
        votes_abstain: match form.votes_abstain.trim() {
            "" => None,
            s => Some(count("弃权票数", s)?),
        },
    };
    let effective = date("生效日期", &form.effective_from)?;
    decision.check(effective, today)?;
    let note = optional_text("说明", &form.note, MAX_LINE)?;
    let (name, bytes) = form
        .minutes
        .ok_or_else(|| AppError::invalid("请上传会议记录的照片或 PDF"))?;
    // Checked against the catalogue before the file is kept, and again
    // inside the transaction below.
    in_order(&db.conn, village, effective).await?;
    {
        let (items, cats) = latest(&db.conn, village).await?;
        let changes = changes_of(&db.conn, &[draft.id]).await?;
        let drafted: Vec<DraftChange> = changes.iter().map(draft_change).collect();
        plan(&current_items(&items, &cats), &drafted, effective)?;
    }
    let (stored, ext, content_type) = minutes_file(bytes).await?;
    let file = super::uploads::write(db, "minutes", village.0, ext, &stored).await?;
    let result = publish_in(
        db,
        caller,
        village,
        draft.id,
        &decision,
        effective,
        note,
        (&file, content_type, &domain::notice::clean_file_name(&name)),
        now,
    )
    .await;
    if result.is_err() {
        super::uploads::remove(db, "minutes", &file).await;
    }
    result
}

#[allow(clippy::too_many_arguments)]
async fn publish_in(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    revision: i32,
    decision: &Decision,
    effective: NaiveDate,
    note: String,
    (file, content_type, original): (&str, &str, &str),
    now: DateTime<Utc>,
) -> Result<RuleRevisionId, AppError> {
    let txn = db.write().await?;
    // Read again under the write lock: another request may have published
    // or changed the draft since the checks above.
    let draft = rule_revision::Entity::find_by_id(revision)
        .one(&*txn)
        .await?
        .filter(|r| r.village_id == village.0 && r.status == DRAFT)
        .ok_or_else(|| AppError::Conflict("该草稿已发布或已删除，请刷新".into()))?;
    in_order(&*txn, village, effective).await?;
    let (items, mut cats) = latest(&*txn, village).await?;
    let changes = changes_of(&*txn, &[draft.id]).await?;
    let drafted: Vec<DraftChange> = changes.iter().map(draft_change).collect();
    let steps = plan(&current_items(&items, &cats), &drafted, effective)?;
    let by_id: HashMap<i32, &rule_item::Model> = items.iter().map(|i| (i.id, i)).collect();
    let mut next_sort = cats.values().map(|c| c.sort_order + 1).max().unwrap_or(0);
    let until = effective
        .pred_opt()
        .ok_or_else(|| AppError::invalid("生效日期有误"))?;
    for (step, change) in steps.into_iter().zip(&changes) {
        let (base, result) = match step {
            Step::Add { category, terms } => {
                let cat = category_id(&*txn, village, &mut cats, &category, &mut next_sort).await?;
                let new = rule_item::ActiveModel {
                    village_id: Set(village.0),
                    category_id: Set(cat),
                    lineage_id: Set(None),
                    version: Set(1),
                    title: Set(terms.title.trim().to_string()),
                    points: Set(terms.points),
                    unit: Set(terms.unit.as_str().into()),
                    monthly_cap: Set(terms.monthly_cap),
                    evidence_required: Set(terms.evidence_required),
                    active_from: Set(effective),
                    active_until: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&*txn)
                .await?;
                (None, Some(new.id))
            }
            Step::Revise {
                item,
                category,
                terms,
                ..
            } => {
                let current = by_id.get(&item).copied().ok_or(AppError::Internal)?;
                let cat = category_id(&*txn, village, &mut cats, &category, &mut next_sort).await?;
                let new = next_version(&*txn, current, terms, cat, effective, now).await?;
                (Some(item), Some(new.id))
            }
            Step::Retire { item } => {
                rule_item::ActiveModel {
                    id: Set(item),
                    active_until: Set(Some(until)),
                    ..Default::default()
                }
                .update(&*txn)
                .await?;
                (Some(item), None)
            }
        };
        // The "before" is the version actually closed, in case the item
        // was revised after the change was drafted.
        rule_change::ActiveModel {
            id: Set(change.id),
            base_item_id: Set(base),
            result_item_id: Set(result),
            ..Default::default()
        }
        .update(&*txn)
        .await?;
    }
    let seq = rule_revision::Entity::find()
        .filter(rule_revision::Column::VillageId.eq(village.0))
        .filter(rule_revision::Column::Status.eq(PUBLISHED))
        .count(&*txn)
        .await? as i32
        + 1;
    rule_revision::ActiveModel {
        id: Set(draft.id),
        status: Set(PUBLISHED.into()),
        seq: Set(Some(seq)),
        effective_from: Set(Some(effective)),
        meeting_kind: Set(Some(decision.kind.as_str().into())),
        meeting_on: Set(Some(decision.held_on)),
        entitled: Set(Some(decision.entitled)),
        attended: Set(Some(decision.attended)),
        votes_for: Set(Some(decision.votes_for)),
        votes_against: Set(Some(decision.votes_against)),
        votes_abstain: Set(decision.votes_abstain),
        minutes_file: Set(Some(file.to_string())),
        minutes_type: Set(Some(content_type.to_string())),
        minutes_name: Set(Some(original.to_string())),
        note: Set(note),
        published_by: Set(Some(caller.user.0)),
        published_at: Set(Some(now)),
        ..Default::default()
    }
    .update(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "publish_rule_revision",
        "rule_revision",
        Some(draft.id),
        format!(
            "第 {seq} 次, {} changes, from {effective}, {} {} {}/{}",
            changes.len(),
            decision.kind.as_str(),
            decision.held_on,
            decision.votes_for,
            decision.attended
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(RuleRevisionId(draft.id))
}

/// Revisions take effect in the order they are published: a new one may
/// not start before the latest published one, so "the revision in force" is
/// always the latest that has started.
async fn in_order<C: ConnectionTrait>(
    conn: &C,
    village: VillageId,
    effective: NaiveDate,
) -> Result<(), AppError> {
    let last = rule_revision::Entity::find()
        .filter(rule_revision::Column::VillageId.eq(village.0))
        .filter(rule_revision::Column::Status.eq(PUBLISHED))
        .order_by_desc(rule_revision::Column::EffectiveFrom)
        .one(conn)
        .await?
        .and_then(|r| r.effective_from);
    match last {
        Some(last) if effective < last => Err(AppError::invalid(format!(
            "生效日期不能早于上一次修订的生效日期 {}",
            day(last)
        ))),
        _ => Ok(()),
    }
}

/// The id of the village's category of that name, made when missing.
async fn category_id<C: ConnectionTrait>(
    conn: &C,
    village: VillageId,
    cats: &mut HashMap<i32, rule_category::Model>,
    name: &str,
    next_sort: &mut i32,
) -> Result<i32, AppError> {
    if let Some(c) = cats.values().find(|c| c.name == name) {
        return Ok(c.id);
    }
    let c = rule_category::ActiveModel {
        village_id: Set(village.0),
        name: Set(name.to_string()),
        sort_order: Set(*next_sort),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    *next_sort += 1;
    let id = c.id;
    cats.insert(id, c);
    Ok(id)
}

fn minutes_href(id: i32) -> String {
    format!("/rule-minutes/{id}")
}

fn revision_view(
    r: &rule_revision::Model,
    changes: &[&rule_change::Model],
    bases: &HashMap<i32, (String, RuleTerms)>,
) -> RevisionView {
    let lines: Vec<DiffLine> = changes.iter().map(|c| line_of(c, bases)).collect();
    let n = |k: ChangeKind| lines.iter().filter(|l| l.kind == k).count();
    RevisionView {
        id: RuleRevisionId(r.id),
        seq: r.seq.unwrap_or(0),
        effective_from: r.effective_from.map(day).unwrap_or_default(),
        published_on: r
            .published_at
            .map(|t| day(china_date(t)))
            .unwrap_or_default(),
        decision: DecisionView {
            meeting: r
                .meeting_kind
                .as_deref()
                .and_then(MeetingKind::parse)
                .map(|k| k.label().to_string())
                .unwrap_or_default(),
            meeting_on: r.meeting_on.map(day).unwrap_or_default(),
            entitled: r.entitled.unwrap_or(0),
            attended: r.attended.unwrap_or(0),
            votes_for: r.votes_for.unwrap_or(0),
            votes_against: r.votes_against.unwrap_or(0),
            votes_abstain: r.votes_abstain,
            minutes_href: r.minutes_file.as_ref().map(|_| minutes_href(r.id)),
            minutes_is_pdf: r.minutes_type.as_deref() == Some("application/pdf"),
        },
        note: r.note.clone(),
        added: n(ChangeKind::Add),
        removed: n(ChangeKind::Retire),
        changed: n(ChangeKind::Change),
        lines,
    }
}

/// A village's published revisions: the one in force today, those that
/// start later, and the earlier ones, each with its decision and changes.
pub async fn rulebook(
    db: &Db,
    village: VillageId,
    now: DateTime<Utc>,
) -> Result<RulebookView, AppError> {
    let conn = &db.conn;
    village_name(conn, village).await?;
    let today = china_date(now);
    let revisions = rule_revision::Entity::find()
        .filter(rule_revision::Column::VillageId.eq(village.0))
        .filter(rule_revision::Column::Status.eq(PUBLISHED))
        .order_by_desc(rule_revision::Column::Seq)
        .all(conn)
        .await?;
    let ids: Vec<i32> = revisions.iter().map(|r| r.id).collect();
    let changes = changes_of(conn, &ids).await?;
    let bases = bases(conn, &changes).await?;
    let mut view = RulebookView {
        in_force: None,
        upcoming: Vec::new(),
        history: Vec::new(),
    };
    for r in &revisions {
        let mine: Vec<&rule_change::Model> =
            changes.iter().filter(|c| c.revision_id == r.id).collect();
        let v = revision_view(r, &mine, &bases);
        if r.effective_from.is_some_and(|e| e > today) {
            view.upcoming.insert(0, v);
        } else if view.in_force.is_none() {
            view.in_force = Some(v);
        } else {
            view.history.push(v);
        }
    }
    Ok(view)
}

/// The minutes of a published revision, public like the decision they
/// record (`GET /rule-minutes/{id}`).
pub async fn stored_minutes(db: &Db, _: &RouteCaller, id: i32) -> Result<StoredFile, AppError> {
    let missing = || AppError::not_found("找不到该会议记录");
    let r = rule_revision::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .filter(|r| r.status == PUBLISHED)
        .ok_or_else(missing)?;
    let (Some(file), Some(content_type)) = (r.minutes_file, r.minutes_type) else {
        return Err(missing());
    };
    let path = super::uploads::resolve(db, "minutes", &file).ok_or_else(missing)?;
    let bytes = files::read(&path, missing()).await?;
    Ok(StoredFile::document(
        bytes,
        content_type,
        r.minutes_name.unwrap_or_default(),
        "public, max-age=86400",
    ))
}

/// Writes the demo town's first revision of a village: its catalogue as
/// published additions, decided by a 村民代表大会 before the catalogue
/// started. The minutes are kept on paper at the village office, so no file.
pub async fn seed_first_revision<C: ConnectionTrait>(
    conn: &C,
    village: i32,
    by: i32,
    index: usize,
    items: &[rule_item::Model],
    category_names: &HashMap<i32, String>,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let Some(start) = items.iter().map(|i| i.active_from).min() else {
        return Ok(());
    };
    // Plausible figures that differ by village without touching the demo's
    // random sequence (other demo data depends on it).
    let entitled = 27 + (index as i32 % 5) * 3;
    let attended = entitled - 1 - (index as i32 % 4);
    let against = (index as i32) % 3;
    let abstain = (index as i32 + 1) % 2;
    let held_on = start - chrono::Duration::days(12 + (index as i64 % 9));
    let published = domain::time::china_midnight(held_on + chrono::Duration::days(3))
        + chrono::Duration::hours(10);
    let r = rule_revision::ActiveModel {
        village_id: Set(village),
        status: Set(PUBLISHED.into()),
        seq: Set(Some(1)),
        effective_from: Set(Some(start)),
        meeting_kind: Set(Some(MeetingKind::Representatives.as_str().into())),
        meeting_on: Set(Some(held_on)),
        entitled: Set(Some(entitled)),
        attended: Set(Some(attended)),
        votes_for: Set(Some(attended - against - abstain)),
        votes_against: Set(Some(against)),
        votes_abstain: Set(Some(abstain)),
        minutes_file: Set(None),
        minutes_type: Set(None),
        minutes_name: Set(None),
        note: Set("首次制定本村积分制方案（会议记录原件存村委会）".into()),
        created_by: Set(by),
        created_at: Set(published),
        published_by: Set(Some(by)),
        published_at: Set(Some(published)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let rows: Vec<rule_change::ActiveModel> = items
        .iter()
        .map(|i| rule_change::ActiveModel {
            revision_id: Set(r.id),
            kind: Set(ChangeKind::Add.as_str().into()),
            lineage_id: Set(None),
            base_item_id: Set(None),
            category: Set(category_names
                .get(&i.category_id)
                .cloned()
                .unwrap_or_default()),
            title: Set(Some(i.title.clone())),
            points: Set(Some(i.points)),
            unit: Set(Some(i.unit.clone())),
            monthly_cap: Set(i.monthly_cap),
            evidence_required: Set(Some(i.evidence_required)),
            result_item_id: Set(Some(i.id)),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    if !rows.is_empty() {
        rule_change::Entity::insert_many(rows).exec(conn).await?;
    }
    Ok(())
}
