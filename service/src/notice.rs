//! Village notices (村务公示) on the database. A notice's text lives in
//! numbered versions: an edit adds a version and never changes an earlier
//! one, so readers can see what was posted before.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::entities::{notice, notice_file, notice_version, village};
use super::files::{self, RouteCaller, StoredFile};
use super::{audit, markdown, Db};
use domain::notice::{
    check_file, check_notice, clean_file_name, display_time, input_time, parse_publish_at,
    size_label, FileKind,
};
use domain::roles::Caller;
use domain::{NoticeFileId, NoticeId, UserId, VillageId};
use wire::notice::{
    NoticeDetail, NoticeEditView, NoticeFileView, NoticeForm, NoticeSummary, NoticeVersionView,
};
use wire::AppError;

/// Most notices a public list shows.
pub const LIST_LIMIT: u64 = 200;

/// Writes a notice and its first version inside the caller's transaction
/// (also used when a month's ledger is published).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn post_in<C: ConnectionTrait>(
    conn: &C,
    author: UserId,
    village: VillageId,
    category: &str,
    title: &str,
    body: &str,
    pinned: bool,
    publish_at: DateTime<Utc>,
    published_month: Option<i32>,
    now: DateTime<Utc>,
) -> Result<notice::Model, AppError> {
    let (title, category, body) = check_notice(title, category, body)?;
    let n = notice::ActiveModel {
        village_id: Set(village.0),
        category: Set(category),
        pinned: Set(pinned),
        publish_at: Set(publish_at),
        created_by: Set(author.0),
        created_at: Set(now),
        published_month_id: Set(published_month),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    notice_version::ActiveModel {
        notice_id: Set(n.id),
        version: Set(1),
        title: Set(title.clone()),
        body: Set(body),
        edited_by: Set(author.0),
        edited_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        Some(author),
        "post_notice",
        "notice",
        Some(n.id),
        title,
        now,
    )
    .await?;
    Ok(n)
}

/// Adds a version to a notice inside the caller's transaction (the demo
/// loader's edit history).
pub(crate) async fn add_version_in<C: ConnectionTrait>(
    conn: &C,
    author: UserId,
    notice_id: i32,
    version: i32,
    title: &str,
    body: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let (title, _, body) = check_notice(title, domain::notice::CATEGORIES[0], body)?;
    notice_version::ActiveModel {
        notice_id: Set(notice_id),
        version: Set(version),
        title: Set(title),
        body: Set(body),
        edited_by: Set(author.0),
        edited_at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Posts a notice of a village (the village's clerk, or the town admin).
#[allow(clippy::too_many_arguments)]
pub async fn post(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    category: &str,
    title: &str,
    body: &str,
    pinned: bool,
    publish_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<notice::Model, AppError> {
    if !caller.may_record_points(village) {
        return Err(AppError::Forbidden);
    }
    let txn = db.write().await?;
    let n = post_in(
        &*txn,
        caller.user,
        village,
        category,
        title,
        body,
        pinned,
        publish_at,
        None,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(n)
}

/// Posts a notice from the back office's form.
pub async fn create(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    form: &NoticeForm,
    now: DateTime<Utc>,
) -> Result<notice::Model, AppError> {
    let publish_at = parse_publish_at(form.publish_at.as_deref(), now)?;
    post(
        db,
        caller,
        village,
        &form.category,
        &form.title,
        &form.body,
        form.pinned,
        publish_at,
        now,
    )
    .await
}

/// Saves the back office's form over a notice of `village`: category and
/// pinning change in place; the publish time only while the notice is still
/// scheduled; a changed title or body becomes a new version. Returns the
/// current version.
pub async fn update(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    notice_id: NoticeId,
    form: &NoticeForm,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    let (title, category, body) = check_notice(&form.title, &form.category, &form.body)?;
    let txn = db.write().await?;
    let n = notice::Entity::find_by_id(notice_id.0)
        .one(&*txn)
        .await?
        .filter(|n| n.village_id == village.0)
        .ok_or_else(|| AppError::not_found("找不到该公示"))?;
    if !caller.may_record_points(village) {
        return Err(AppError::Forbidden);
    }
    let publish_at = if n.publish_at > now {
        parse_publish_at(form.publish_at.as_deref(), now)?
    } else {
        // Once out, a notice keeps the day it was published.
        n.publish_at
    };
    let last = notice_version::Entity::find()
        .filter(notice_version::Column::NoticeId.eq(n.id))
        .order_by_desc(notice_version::Column::Version)
        .one(&*txn)
        .await?
        .ok_or(AppError::Internal)?;
    if n.category != category || n.pinned != form.pinned || n.publish_at != publish_at {
        notice::ActiveModel {
            id: Set(n.id),
            category: Set(category),
            pinned: Set(form.pinned),
            publish_at: Set(publish_at),
            ..Default::default()
        }
        .update(&*txn)
        .await?;
    }
    let mut version = last.version;
    if last.title != title || last.body != body {
        version += 1;
        notice_version::ActiveModel {
            notice_id: Set(n.id),
            version: Set(version),
            title: Set(title),
            body: Set(body),
            edited_by: Set(caller.user.0),
            edited_at: Set(now),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
    }
    audit::record(
        &*txn,
        Some(caller.user),
        "edit_notice",
        "notice",
        Some(n.id),
        format!("version {version}"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(version)
}

/// Lists built from notice rows: current titles, version and file counts,
/// village names.
async fn summaries<C: ConnectionTrait>(
    conn: &C,
    notices: Vec<notice::Model>,
    now: DateTime<Utc>,
) -> Result<Vec<NoticeSummary>, AppError> {
    let ids: Vec<i32> = notices.iter().map(|n| n.id).collect();
    // (notice, version, title) only: bodies can be long.
    let versions: Vec<(i32, i32, String)> = notice_version::Entity::find()
        .select_only()
        .column(notice_version::Column::NoticeId)
        .column(notice_version::Column::Version)
        .column(notice_version::Column::Title)
        .filter(notice_version::Column::NoticeId.is_in(ids.clone()))
        .order_by_asc(notice_version::Column::Version)
        .into_tuple()
        .all(conn)
        .await?;
    let mut latest: HashMap<i32, (i32, String)> = HashMap::new();
    for (id, version, title) in versions {
        latest.insert(id, (version, title));
    }
    let files: Vec<i32> = notice_file::Entity::find()
        .select_only()
        .column(notice_file::Column::NoticeId)
        .filter(notice_file::Column::NoticeId.is_in(ids))
        .into_tuple()
        .all(conn)
        .await?;
    let names: HashMap<i32, String> = village::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect();
    Ok(notices
        .into_iter()
        .map(|n| {
            let (versions, title) = latest.get(&n.id).cloned().unwrap_or_default();
            NoticeSummary {
                id: NoticeId(n.id),
                village_id: VillageId(n.village_id),
                village_name: names.get(&n.village_id).cloned().unwrap_or_default(),
                category: n.category,
                title,
                pinned: n.pinned,
                publish_at: display_time(n.publish_at),
                published: n.publish_at <= now,
                versions,
                files: files.iter().filter(|f| **f == n.id).count() as i32,
            }
        })
        .collect())
}

/// Published notices: of one village, pinned first, then newest; or of the
/// whole town, newest first. `category` filters when given (an unknown one
/// finds nothing).
pub async fn public_list(
    db: &Db,
    village: Option<VillageId>,
    category: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<NoticeSummary>, AppError> {
    let mut find = notice::Entity::find().filter(notice::Column::PublishAt.lte(now));
    if let Some(v) = village {
        find = find.filter(notice::Column::VillageId.eq(v.0));
    }
    if let Some(c) = category.filter(|c| !c.is_empty()) {
        find = find.filter(notice::Column::Category.eq(c));
    }
    // Pinning is a village's: its list keeps them on top. The town-wide list
    // is simply newest first (otherwise every village's pinned notice would
    // fill its first screen); pinned ones are still marked.
    if village.is_some() {
        find = find.order_by_desc(notice::Column::Pinned);
    }
    let notices = find
        .order_by_desc(notice::Column::PublishAt)
        .order_by_desc(notice::Column::Id)
        .limit(LIST_LIMIT)
        .all(&db.conn)
        .await?;
    summaries(&db.conn, notices, now).await
}

/// Every notice of a village for its back office, scheduled ones first,
/// then newest.
pub async fn office_list(
    db: &Db,
    village: VillageId,
    now: DateTime<Utc>,
) -> Result<Vec<NoticeSummary>, AppError> {
    let notices = notice::Entity::find()
        .filter(notice::Column::VillageId.eq(village.0))
        .order_by_desc(notice::Column::PublishAt)
        .order_by_desc(notice::Column::Id)
        .all(&db.conn)
        .await?;
    let mut list = summaries(&db.conn, notices, now).await?;
    list.sort_by_key(|n| n.published);
    Ok(list)
}

fn file_view(f: &notice_file::Model) -> NoticeFileView {
    let (kind_label, is_image) = match f.content_type.as_str() {
        "application/pdf" => ("PDF", false),
        t if t.starts_with("image/") => ("图片", true),
        _ => ("Excel", false),
    };
    NoticeFileView {
        id: NoticeFileId(f.id),
        name: f.original_name.clone(),
        content_type: f.content_type.clone(),
        bytes: i64::from(f.bytes),
        size_label: size_label(i64::from(f.bytes)),
        kind_label: kind_label.into(),
        is_image,
    }
}

async fn files_of<C: ConnectionTrait>(
    conn: &C,
    notice_id: i32,
) -> Result<Vec<NoticeFileView>, AppError> {
    Ok(notice_file::Entity::find()
        .filter(notice_file::Column::NoticeId.eq(notice_id))
        .order_by_asc(notice_file::Column::Id)
        .all(conn)
        .await?
        .iter()
        .map(file_view)
        .collect())
}

/// A notice's page: anyone once it is published; the village's staff (and
/// the town) also before.
pub async fn detail(
    db: &Db,
    caller: Option<&Caller>,
    notice_id: NoticeId,
    now: DateTime<Utc>,
) -> Result<NoticeDetail, AppError> {
    let n = notice::Entity::find_by_id(notice_id.0)
        .one(&db.conn)
        .await?
        .filter(|n| {
            n.publish_at <= now
                || caller.is_some_and(|c| c.may_read_village(VillageId(n.village_id)))
        })
        .ok_or_else(|| AppError::not_found("找不到该公示（可能尚未发布）"))?;
    let village_name = village::Entity::find_by_id(n.village_id)
        .one(&db.conn)
        .await?
        .map(|v| v.name)
        .unwrap_or_default();
    let mut versions = notice_version::Entity::find()
        .filter(notice_version::Column::NoticeId.eq(n.id))
        .order_by_desc(notice_version::Column::Version)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|v| NoticeVersionView {
            version: v.version,
            title: v.title,
            body_html: markdown::render(&v.body),
            edited_at: display_time(v.edited_at),
        });
    let current = versions.next().ok_or(AppError::Internal)?;
    let history = versions.collect();
    Ok(NoticeDetail {
        id: NoticeId(n.id),
        village_id: VillageId(n.village_id),
        village_name,
        category: n.category,
        pinned: n.pinned,
        publish_at: display_time(n.publish_at),
        published: n.publish_at <= now,
        title: current.title,
        body_html: current.body_html,
        version: current.version,
        edited_at: current.edited_at,
        history,
        files: files_of(&db.conn, n.id).await?,
        may_edit: caller.is_some_and(|c| c.may_record_points(VillageId(n.village_id))),
    })
}

/// A notice of `village` as the back office's form shows it.
pub async fn edit_view(
    db: &Db,
    village: VillageId,
    notice_id: NoticeId,
    now: DateTime<Utc>,
) -> Result<NoticeEditView, AppError> {
    let n = notice::Entity::find_by_id(notice_id.0)
        .one(&db.conn)
        .await?
        .filter(|n| n.village_id == village.0)
        .ok_or_else(|| AppError::not_found("找不到该公示"))?;
    let v = notice_version::Entity::find()
        .filter(notice_version::Column::NoticeId.eq(n.id))
        .order_by_desc(notice_version::Column::Version)
        .one(&db.conn)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(NoticeEditView {
        id: NoticeId(n.id),
        form: NoticeForm {
            category: n.category,
            title: v.title,
            body: v.body,
            pinned: n.pinned,
            publish_at: Some(input_time(n.publish_at)),
        },
        published: n.publish_at <= now,
        version: v.version,
        files: files_of(&db.conn, n.id).await?,
    })
}

/// Attaches a file to a notice (its village's clerk, or the town admin):
/// stored under the data folder as uploaded, after checking it is a PDF,
/// an xlsx workbook or a JPG/PNG picture of at most 10 MB.
pub async fn attach(
    db: &Db,
    caller: &Caller,
    notice_id: NoticeId,
    name: &str,
    bytes: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<NoticeFileView, AppError> {
    let n = notice::Entity::find_by_id(notice_id.0)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该公示"))?;
    if !caller.may_record_points(VillageId(n.village_id)) {
        return Err(AppError::Forbidden);
    }
    let kind: FileKind = check_file(name, &bytes)?;
    let original_name = clean_file_name(name);
    let size = bytes.len();
    let file_name =
        super::uploads::write(db, "notices", n.village_id, kind.extension(), &bytes).await?;
    let txn = db.write().await?;
    let row = notice_file::ActiveModel {
        notice_id: Set(n.id),
        file_name: Set(file_name),
        original_name: Set(original_name.clone()),
        content_type: Set(kind.content_type().into()),
        bytes: Set(size as i32),
        uploaded_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "attach_notice_file",
        "notice",
        Some(n.id),
        format!("{original_name} ({size} bytes)"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(file_view(&row))
}

/// A stored attachment, if the caller may have it: anyone once its notice
/// is published; the village's staff and the town before.
pub async fn open_file(
    db: &Db,
    caller: Option<&Caller>,
    file_id: NoticeFileId,
    now: DateTime<Utc>,
) -> Result<(PathBuf, notice_file::Model), AppError> {
    let missing = || AppError::not_found("找不到该附件");
    let file = notice_file::Entity::find_by_id(file_id.0)
        .one(&db.conn)
        .await?
        .ok_or_else(missing)?;
    let n = notice::Entity::find_by_id(file.notice_id)
        .one(&db.conn)
        .await?
        .ok_or_else(missing)?;
    let allowed =
        n.publish_at <= now || caller.is_some_and(|c| c.may_read_village(VillageId(n.village_id)));
    if !allowed {
        return Err(missing());
    }
    Ok((db.files_dir().join(&file.file_name), file))
}

/// The attachment `id` names with its type and original name, for whoever
/// may see its notice (`GET /notice-file/{id}`).
pub async fn stored_file(db: &Db, caller: &RouteCaller, id: i32) -> Result<StoredFile, AppError> {
    let now = Utc::now();
    let (path, file) = open_file(db, caller.maybe().await.as_ref(), NoticeFileId(id), now).await?;
    let bytes = files::read(&path, AppError::not_found("找不到该附件")).await?;
    Ok(StoredFile::document(
        bytes,
        file.content_type,
        file.original_name,
        "private, max-age=3600",
    ))
}
