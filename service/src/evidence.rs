//! Photo evidence (证明照片): an upload is decoded, turned upright, shrunk to
//! at most [`MAX_SIDE`] pixels, re-encoded as JPEG (which also drops the
//! camera's metadata, such as the place it was taken), and stored under the
//! data folder. Only those allowed to see the village's records get it back.

use std::io::Cursor;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use image::{DynamicImage, ImageDecoder, ImageReader};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use super::entities::{evidence, ledger_entry, proposal};
use super::files::{self, RouteCaller, StoredFile};
use super::{audit, Db};
use domain::roles::{Caller, Role};
use domain::{EvidenceId, VillageId};
use wire::AppError;

/// Longest side of a stored photo, in pixels.
pub const MAX_SIDE: u32 = 1280;
/// Largest upload accepted, in bytes.
pub const MAX_UPLOAD: usize = 12 * 1024 * 1024;
/// Widest or tallest photo decoded, in pixels.
pub const MAX_DECODED_SIDE: u32 = 10_000;
/// Most pixels a photo decoded may have (a 50-megapixel phone camera takes
/// 8160 x 6120): a PNG of under a megabyte can declare 30000 x 30000 pixels,
/// 2.7 GB once decoded.
pub const MAX_DECODED_PIXELS: u64 = 50_000_000;
/// Most memory the decoder may allocate for one photo, in bytes (50
/// megapixels of RGBA).
pub const MAX_DECODE_ALLOC: u64 = 256 * 1024 * 1024;

/// The decoder limits of every uploaded photo.
fn decode_limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    limits
}

/// The refusal of a photo too large to decode.
fn too_many_pixels() -> AppError {
    AppError::invalid(format!(
        "图片尺寸过大：最长边不超过 {MAX_DECODED_SIDE} 像素、总像素不超过 5000 万，请缩小后再上传"
    ))
}

/// Who may attach a photo in a village: its back office, and its villagers
/// (for their own declarations).
fn may_upload(caller: &Caller, village: VillageId) -> bool {
    caller.may_record_points(village)
        || (matches!(caller.role, Role::Villager | Role::Scorer) && caller.village == Some(village))
}

/// Decodes, rotates upright, shrinks and re-encodes a photo; returns the
/// JPEG bytes and their size in pixels. The size the file declares is
/// checked before any pixel is decoded, and the decoder's memory is bounded.
/// Every uploaded photo goes through here (by `uploads::shrink_photo`).
pub fn normalise(bytes: &[u8]) -> Result<(Vec<u8>, u32, u32), AppError> {
    let unreadable = || AppError::invalid("无法识别该图片，请上传 JPG 或 PNG 照片");
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| unreadable())?;
    reader.limits(decode_limits());
    let refused = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => too_many_pixels(),
        _ => unreadable(),
    };
    let mut decoder = reader.into_decoder().map_err(refused)?;
    let (w, h) = decoder.dimensions();
    if w > MAX_DECODED_SIDE
        || h > MAX_DECODED_SIDE
        || u64::from(w) * u64::from(h) > MAX_DECODED_PIXELS
    {
        return Err(too_many_pixels());
    }
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(refused)?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    if img.width() > MAX_SIDE || img.height() > MAX_SIDE {
        img = img.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle);
    }
    let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80);
    rgb.write_with_encoder(encoder).map_err(|e| {
        tracing::error!("jpeg encoding failed: {e}");
        AppError::Internal
    })?;
    Ok((out, rgb.width(), rgb.height()))
}

/// Stores an uploaded photo for a village.
pub async fn store(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    bytes: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<evidence::Model, AppError> {
    if !may_upload(caller, village) {
        return Err(AppError::Forbidden);
    }
    let (jpeg, width, height) = super::uploads::shrink_photo(bytes).await?;
    let size = jpeg.len();
    let file_name = super::uploads::write(db, "evidence", village.0, "jpg", &jpeg).await?;
    let txn = db.write().await?;
    let row = evidence::ActiveModel {
        village_id: Set(village.0),
        file_name: Set(file_name),
        width: Set(width as i32),
        height: Set(height as i32),
        bytes: Set(size as i32),
        uploaded_by: Set(caller.user.0),
        uploaded_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "upload_evidence",
        "evidence",
        Some(row.id),
        format!("{width}x{height} {size} bytes"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// A stored photo, if the caller may see it: the village's staff and the
/// town, its uploader, or a household of the photo's village whose entry or
/// declaration it belongs to. "Not yours" answers the same 404 as "none",
/// so ids cannot be probed.
pub async fn open(db: &Db, caller: &Caller, id: i32) -> Result<(PathBuf, usize), AppError> {
    let missing = || AppError::not_found("找不到该照片");
    let row = evidence::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(missing)?;
    let allowed = caller.may_read_village(VillageId(row.village_id))
        || caller.user.0 == row.uploaded_by
        || match caller.household {
            // A household only ever sees photos of its own village, even if
            // an older row points across villages.
            Some(h) if caller.village == Some(VillageId(row.village_id)) => {
                ledger_entry::Entity::find()
                    .filter(ledger_entry::Column::EvidenceId.eq(id))
                    .filter(ledger_entry::Column::HouseholdId.eq(h.0))
                    .count(&db.conn)
                    .await?
                    + proposal::Entity::find()
                        .filter(proposal::Column::EvidenceId.eq(id))
                        .filter(proposal::Column::HouseholdId.eq(h.0))
                        .count(&db.conn)
                        .await?
                    > 0
            }
            _ => false,
        };
    if !allowed {
        return Err(missing());
    }
    Ok((db.files_dir().join(&row.file_name), row.bytes as usize))
}

/// Checks that a photo may be attached to a record of `village` by this
/// caller: it belongs to the village and, for a villager, was uploaded by
/// them (a villager must not borrow a neighbour's or the clerk's photo and
/// so gain the right to see it). Unknown and foreign ids are answered alike.
pub async fn ensure_attachable<C: sea_orm::ConnectionTrait>(
    conn: &C,
    caller: &Caller,
    village: VillageId,
    id: EvidenceId,
) -> Result<(), AppError> {
    evidence::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .filter(|e| e.village_id == village.0)
        // A villager or scorer attaches only their own uploads.
        .filter(|e| {
            !matches!(caller.role, Role::Villager | Role::Scorer) || e.uploaded_by == caller.user.0
        })
        .map(|_| ())
        .ok_or_else(|| AppError::invalid("证明照片无效，请重新上传"))
}

/// The evidence photo `id` names, for a signed-in caller allowed to see it
/// (`GET /evidence/{id}`).
pub async fn stored_photo(db: &Db, caller: &RouteCaller, id: i32) -> Result<StoredFile, AppError> {
    let (path, _) = open(db, &caller.required().await?, id).await?;
    let bytes = files::read(&path, AppError::Internal).await?;
    Ok(StoredFile::jpeg(bytes, "private, max-age=86400"))
}
