//! Village notices (村务公示) on the database. A notice's text lives in
//! numbered versions: an edit adds a version and never changes an earlier
//! one, so readers can see what was posted before.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::entities::{notice, notice_version};
use super::{audit, markdown, Db};
use crate::domain::notice::check_notice;
use crate::domain::roles::Caller;
use crate::domain::{UserId, VillageId};
use crate::error::AppError;

/// A notice with its versions, newest first, bodies rendered to safe HTML.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeWithVersions {
    pub notice: notice::Model,
    /// (version, title, rendered body, edited at), newest first.
    pub versions: Vec<(i32, String, String, DateTime<Utc>)>,
}

fn refused(e: crate::domain::notice::NoticeError) -> AppError {
    AppError::invalid(e.to_string())
}

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
    let (title, category, body) = check_notice(title, category, body).map_err(refused)?;
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

/// Edits a notice: a new version; the earlier ones stay.
pub async fn edit(
    db: &Db,
    caller: &Caller,
    notice_id: i32,
    title: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    let txn = db.write().await?;
    let n = notice::Entity::find_by_id(notice_id)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该公示"))?;
    if !caller.may_record_points(VillageId(n.village_id)) {
        return Err(AppError::Forbidden);
    }
    let (title, _, body) = check_notice(title, &n.category, body).map_err(refused)?;
    let last = notice_version::Entity::find()
        .filter(notice_version::Column::NoticeId.eq(n.id))
        .order_by_desc(notice_version::Column::Version)
        .one(&*txn)
        .await?
        .map_or(0, |v| v.version);
    notice_version::ActiveModel {
        notice_id: Set(n.id),
        version: Set(last + 1),
        title: Set(title),
        body: Set(body),
        edited_by: Set(caller.user.0),
        edited_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "edit_notice",
        "notice",
        Some(n.id),
        format!("version {}", last + 1),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(last + 1)
}

/// A village's notices published by `now`: pinned first, then newest; with
/// their current titles. `category` filters when given.
pub async fn list(
    db: &Db,
    village: VillageId,
    category: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<(notice::Model, String)>, AppError> {
    let mut find = notice::Entity::find()
        .filter(notice::Column::VillageId.eq(village.0))
        .filter(notice::Column::PublishAt.lte(now));
    if let Some(c) = category {
        find = find.filter(notice::Column::Category.eq(c));
    }
    let notices = find
        .order_by_desc(notice::Column::Pinned)
        .order_by_desc(notice::Column::PublishAt)
        .all(&db.conn)
        .await?;
    let versions = notice_version::Entity::find()
        .filter(notice_version::Column::NoticeId.is_in(notices.iter().map(|n| n.id)))
        .order_by_asc(notice_version::Column::Version)
        .all(&db.conn)
        .await?;
    Ok(notices
        .into_iter()
        .map(|n| {
            let title = versions
                .iter()
                .rfind(|v| v.notice_id == n.id)
                .map(|v| v.title.clone())
                .unwrap_or_default();
            (n, title)
        })
        .collect())
}

/// One notice with every version, for the public page (once published).
pub async fn show(
    db: &Db,
    notice_id: i32,
    now: DateTime<Utc>,
) -> Result<NoticeWithVersions, AppError> {
    let n = notice::Entity::find_by_id(notice_id)
        .one(&db.conn)
        .await?
        .filter(|n| n.publish_at <= now)
        .ok_or_else(|| AppError::not_found("找不到该公示"))?;
    let versions = notice_version::Entity::find()
        .filter(notice_version::Column::NoticeId.eq(n.id))
        .order_by_desc(notice_version::Column::Version)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|v| (v.version, v.title, markdown::render(&v.body), v.edited_at))
        .collect();
    Ok(NoticeWithVersions {
        notice: n,
        versions,
    })
}
