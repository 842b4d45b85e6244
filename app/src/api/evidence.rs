//! Uploading photo evidence (证明照片).

use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};

use super::types::EvidenceView;
#[cfg(feature = "ssr")]
use crate::domain::{EvidenceId, VillageId};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use super::ctx;

/// Stores a photo (form fields `village` and `photo`); returns its id to
/// attach to an entry or a declaration.
#[server(endpoint = "upload_evidence", input = MultipartFormData)]
pub async fn upload_evidence(data: MultipartData) -> Result<EvidenceView, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let (village, bytes) = photo_form(data, "village").await?;
        let village = village
            .map(VillageId)
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

/// Reads a photo upload: the `photo` field's bytes (at most 12 MB) and the
/// number in the form field named `id_field` (the village, the goods...).
#[cfg(feature = "ssr")]
pub(crate) async fn photo_form(
    data: MultipartData,
    id_field: &str,
) -> Result<(Option<i32>, Vec<u8>), AppError> {
    let mut form = data.into_inner().ok_or(AppError::Internal)?;
    let broken = |_| AppError::invalid("上传中断，请重试");
    let (mut id, mut bytes) = (None, Vec::new());
    while let Some(mut field) = form.next_field().await.map_err(broken)? {
        match field.name() {
            Some("photo") => {
                while let Some(chunk) = field.chunk().await.map_err(broken)? {
                    if bytes.len() + chunk.len() > crate::server::evidence::MAX_UPLOAD {
                        return Err(AppError::invalid("照片太大（最大 12 MB）"));
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            Some(name) if name == id_field => {
                id = field.text().await.ok().and_then(|t| t.trim().parse().ok());
            }
            _ => {}
        }
    }
    Ok((id, bytes))
}
