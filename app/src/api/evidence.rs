//! Uploading photo evidence (证明照片).

use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};

use super::types::EvidenceView;
#[cfg(feature = "ssr")]
use crate::domain::{EvidenceId, VillageId};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use super::{
    ctx,
    upload::{self, UploadForm},
};

/// Stores a photo (form fields `village` and `photo`); returns its id to
/// attach to an entry or a declaration.
#[server(endpoint = "upload_evidence", input = MultipartFormData)]
pub async fn upload_evidence(data: MultipartData) -> Result<EvidenceView, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let mut form = UploadForm::read(data, upload::photo()).await?;
        let bytes = form.take_bytes();
        let village = form
            .id("village", VillageId)
            .or(caller.village)
            .ok_or_else(|| AppError::invalid("请先选择村（社区）"))?;
        let row =
            crate::server::evidence::store(&req.db, &caller, village, bytes, ctx::now()).await?;
        Ok(EvidenceView {
            id: EvidenceId(row.id),
            width: row.width,
            height: row.height,
        })
    })
    .await
}
