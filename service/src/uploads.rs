//! Uploaded files kept under the data folder (photos of evidence, goods and
//! activities; notice attachments): checked and shrunk photos, written under
//! a random name, resolved back only inside their own folder, removed when
//! replaced.

use std::path::{Component, Path, PathBuf};

use rand::RngCore;

use super::evidence::{normalise, MAX_UPLOAD};
use super::Db;
use wire::AppError;

/// Photos decoded at once. Each may take a few hundred megabytes while it
/// is decoded; more at once than the machine has cores would only queue
/// for the CPU while holding that memory.
const PHOTO_DECODES: usize = 2;
static DECODING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(PHOTO_DECODES);

/// Checks an uploaded photo and shrinks it off the async threads: the JPEG
/// bytes and their size in pixels. The one way an upload is decoded.
pub async fn shrink_photo(bytes: Vec<u8>) -> Result<(Vec<u8>, u32, u32), AppError> {
    if bytes.is_empty() {
        return Err(AppError::invalid("请选择照片"));
    }
    if bytes.len() > MAX_UPLOAD {
        return Err(AppError::invalid("照片太大（最大 12 MB）"));
    }
    let _turn = DECODING.acquire().await.map_err(|_| AppError::Internal)?;
    tokio::task::spawn_blocking(move || normalise(&bytes))
        .await
        .map_err(|e| {
            tracing::error!("photo task failed: {e}");
            AppError::Internal
        })?
}

/// Writes an upload as `<folder>/<village>/<random>.<ext>` in the files
/// folder; returns that relative name, which is what the database keeps.
pub async fn write(
    db: &Db,
    folder: &str,
    village: i32,
    ext: &str,
    bytes: &[u8],
) -> Result<String, AppError> {
    let mut raw = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut raw);
    let rel = format!("{folder}/{village}/{}.{ext}", hex::encode(raw));
    let path = db.files_dir().join(&rel);
    let io_failed = |e: std::io::Error| {
        tracing::error!("cannot store upload at {}: {e}", path.display());
        AppError::Internal
    };
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await.map_err(io_failed)?;
    }
    tokio::fs::write(&path, bytes).await.map_err(io_failed)?;
    Ok(rel)
}

/// The file of a stored relative name, refusing anything outside `folder`
/// or that could leave the files folder.
pub fn resolve(db: &Db, folder: &str, rel: &str) -> Option<PathBuf> {
    let p = Path::new(rel);
    let plain = p.components().all(|c| matches!(c, Component::Normal(_)));
    let inside = p
        .components()
        .next()
        .is_some_and(|c| c.as_os_str() == folder);
    (plain && inside).then(|| db.files_dir().join(p))
}

/// Removes a stored file that nothing refers to any more (a replaced photo,
/// or one whose record failed); a failure is only logged.
pub async fn remove(db: &Db, folder: &str, rel: &str) {
    if let Some(path) = resolve(db, folder, rel) {
        if let Err(e) = tokio::fs::remove_file(&path).await {
            tracing::warn!("cannot remove stored file {}: {e}", path.display());
        }
    }
}
