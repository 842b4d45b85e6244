//! Server functions of village notices (村务公示): the public lists and
//! notice page, and the back office's list, form, preview and attachments.
//! Writes are the village points clerk's (or the town admin's).

pub use wire::notice::*;

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json, MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use super::ctx;
#[cfg(feature = "ssr")]
use super::upload::{self, UploadForm};
use crate::domain::{NoticeId, VillageId};
use crate::error::AppError;

/// A village's published notices, pinned first, newest first (public).
#[server(endpoint = "village_notices", input = GetUrl)]
pub async fn village_notices(
    village: VillageId,
    category: Option<String>,
) -> Result<Vec<NoticeSummary>, AppError> {
    ctx::serve(async |req| {
        crate::server::notice::public_list(&req.db, Some(village), category.as_deref(), ctx::now())
            .await
    })
    .await
}

/// Every village's published notices, or one village's (public).
#[server(endpoint = "town_notices", input = GetUrl)]
pub async fn town_notices(
    village: Option<VillageId>,
    category: Option<String>,
) -> Result<Vec<NoticeSummary>, AppError> {
    ctx::serve(async |req| {
        crate::server::notice::public_list(&req.db, village, category.as_deref(), ctx::now()).await
    })
    .await
}

/// One notice with its history and attachments: public once published; the
/// village's staff also see it while it is scheduled.
#[server(endpoint = "notice_detail", input = GetUrl)]
pub async fn get_notice(id: NoticeId) -> Result<NoticeDetail, AppError> {
    ctx::serve(async |req| {
        let caller = req.optional_caller().await?;
        crate::server::notice::detail(&req.db, caller.as_ref(), id, ctx::now()).await
    })
    .await
}

/// The back office's notices, scheduled ones too.
#[server(endpoint = "office_notices", input = GetUrl)]
pub async fn office_notices(village: Option<VillageId>) -> Result<Vec<NoticeSummary>, AppError> {
    ctx::serve(async |req| {
        let village = req.office(village).await?.1;
        crate::server::notice::office_list(&req.db, village, ctx::now()).await
    })
    .await
}

/// A notice as the back office's form shows it.
#[server(endpoint = "office_notice", input = GetUrl)]
pub async fn office_notice(
    village: Option<VillageId>,
    id: NoticeId,
) -> Result<NoticeEditView, AppError> {
    ctx::serve(async |req| {
        let village = req.office(village).await?.1;
        crate::server::notice::edit_view(&req.db, village, id, ctx::now()).await
    })
    .await
}

/// Posts a notice; returns its id.
#[server(endpoint = "notice_create", input = Json)]
pub async fn create_notice(
    village: Option<VillageId>,
    form: NoticeForm,
) -> Result<NoticeId, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        let n = crate::server::notice::create(&req.db, &caller, village, &form, ctx::now()).await?;
        Ok(NoticeId(n.id))
    })
    .await
}

/// Saves a notice: a new version when its title or body changed (earlier
/// versions stay visible); returns the current version.
#[server(endpoint = "notice_update", input = Json)]
pub async fn update_notice(
    village: Option<VillageId>,
    id: NoticeId,
    form: NoticeForm,
) -> Result<i32, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::notice::update(&req.db, &caller, village, id, &form, ctx::now()).await
    })
    .await
}

/// Renders Markdown the way the notice page will (预览).
#[server(endpoint = "notice_preview", input = Json)]
pub async fn preview_notice(village: Option<VillageId>, body: String) -> Result<String, AppError> {
    ctx::serve(async |req| {
        req.office(village).await?;
        Ok(crate::server::markdown::render(&body))
    })
    .await
}

/// Attaches a file (form fields `notice` and `file`): a PDF, an xlsx
/// workbook or a JPG/PNG picture of at most 10 MB.
#[server(endpoint = "notice_upload", input = MultipartFormData)]
pub async fn upload_notice_file(data: MultipartData) -> Result<NoticeFileView, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let mut form = UploadForm::read(data, upload::document()).await?;
        let file = form.take_file().unwrap_or_default();
        let notice = form
            .id("notice", NoticeId)
            .ok_or_else(|| AppError::invalid("请先保存公示，再上传附件"))?;
        crate::server::notice::attach(&req.db, &caller, notice, &file.name, file.bytes, ctx::now())
            .await
    })
    .await
}
