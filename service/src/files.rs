//! The stored files (photos, attachments, minutes, vouchers) and the Excel
//! downloads as plain HTTP routes: one caller extractor, one error answer,
//! one way to read a stored file and send it. Each feature says only which
//! file an id names and who may have it (its `stored_*` function).

use std::convert::Infallible;
use std::path::Path as FsPath;

use axum::extract::{FromRef, FromRequestParts, Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use http::request::Parts;
use http::{header, HeaderValue, StatusCode};

use super::{auth, Db};
use domain::roles::Caller;
use wire::AppError;

/// Who calls a file route. Only the session token is read up front: a
/// public file never costs a session lookup, and a private one looks the
/// caller up once, when the feature asks.
pub struct RouteCaller {
    db: Db,
    token: Option<String>,
}

impl<S> FromRequestParts<S> for RouteCaller
where
    Db: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self {
            db: Db::from_ref(state),
            token: auth::token_from_headers(&parts.headers),
        })
    }
}

impl RouteCaller {
    /// The signed-in caller: 401 without a session, 403 while the account
    /// must still change its one-time password.
    pub async fn required(&self) -> Result<Caller, AppError> {
        let token = self.token.as_deref().ok_or(AppError::Unauthenticated)?;
        let user = auth::user_for_token(&self.db, token, Utc::now())
            .await?
            .ok_or(AppError::Unauthenticated)?;
        auth::caller_for(&user)
    }

    /// The signed-in caller, if there is one: for files that are public
    /// but for some (a draft activity's photo, an unpublished month).
    pub async fn maybe(&self) -> Option<Caller> {
        self.required().await.ok()
    }
}

/// An [`AppError`] as a plain HTTP answer: its status and Chinese message.
pub struct HttpError(pub AppError);

impl From<AppError> for HttpError {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::BAD_REQUEST);
        (status, self.0.to_string()).into_response()
    }
}

/// A stored file as an answer: its bytes and type, how long caches may
/// keep it, and for documents the name it downloads under.
pub struct StoredFile {
    pub bytes: Vec<u8>,
    pub content_type: String,
    /// The original name (documents); photos have none.
    pub name: Option<String>,
    pub cache: &'static str,
}

impl StoredFile {
    /// A JPEG photo (the uploads shrink every photo to one).
    pub fn jpeg(bytes: Vec<u8>, cache: &'static str) -> Self {
        Self {
            bytes,
            content_type: "image/jpeg".into(),
            name: None,
            cache,
        }
    }

    /// A document with the type and name it was uploaded with.
    pub fn document(
        bytes: Vec<u8>,
        content_type: String,
        name: String,
        cache: &'static str,
    ) -> Self {
        Self {
            bytes,
            content_type,
            name: Some(name),
            cache,
        }
    }
}

impl IntoResponse for StoredFile {
    fn into_response(self) -> Response {
        let content_type = HeaderValue::from_str(&self.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream"));
        let mut response = (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, HeaderValue::from_static(self.cache)),
            ],
            self.bytes,
        )
            .into_response();
        if let Some(name) = self.name {
            // Images and PDFs open in the browser; the rest download.
            let inline =
                self.content_type.starts_with("image/") || self.content_type == "application/pdf";
            let disposition = HeaderValue::from_str(&disposition(&name, inline))
                .unwrap_or(HeaderValue::from_static("attachment"));
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, disposition);
        }
        response
    }
}

/// Reads a stored file. One the record names but the disk lacks is logged
/// (someone must restore it) and answered as `missing`.
pub async fn read(path: &FsPath, missing: AppError) -> Result<Vec<u8>, AppError> {
    tokio::fs::read(path).await.map_err(|e| {
        tracing::error!("cannot read stored file {}: {e}", path.display());
        missing
    })
}

/// `Content-Disposition` with the original (Chinese) name: an ASCII
/// fallback and the UTF-8 name (RFC 6266). Pictures and PDFs open in the
/// browser; workbooks download.
pub fn disposition(name: &str, inline: bool) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "{}; filename=\"{fallback}\"; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        percent_encode(name)
    )
}

/// A name as UTF-8 percent-encoding (RFC 5987), for `filename*`.
pub fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The one handler behind every stored-file address: who calls, then the
/// feature's `stored_*` (which file the id names, whether this caller may
/// have it), then the bytes.
macro_rules! stored {
    ($open:path) => {
        get(
            |caller: RouteCaller, State(db): State<Db>, Path(id): Path<i32>| async move {
                $open(&db, &caller, id).await.map_err(HttpError)
            },
        )
    };
}

/// Every stored-file and download address, for the app's router.
pub fn routes<S>() -> Router<S>
where
    Db: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/evidence/{id}", stored!(super::evidence::stored_photo))
        .route("/goods-photo/{id}", stored!(super::stock::stored_photo))
        .route(
            "/activity-photo/{id}",
            stored!(super::activity::stored_photo),
        )
        .route("/rule-minutes/{id}", stored!(super::rules::stored_minutes))
        .route("/notice-file/{id}", stored!(super::notice::stored_file))
        .route(
            "/acceptance-file/{id}",
            stored!(super::acceptance::stored_evidence),
        )
        .route("/fund-voucher/{id}", stored!(super::funds::stored_voucher))
        .route(
            "/export/ledger/{village}/{month}",
            get(super::export::ledger_xlsx),
        )
        .route(
            "/export/dashboard/{year}",
            get(super::export::dashboard_xlsx),
        )
        .route(
            "/export/evaluation/{year}",
            get(super::export::evaluation_xlsx),
        )
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn the_original_name_travels_in_the_header() {
        assert_eq!(
            disposition("三季度 收支.pdf", true),
            "inline; filename=\"___ __.pdf\"; filename*=UTF-8''%E4%B8%89%E5%AD%A3%E5%BA%A6%20%E6%94%B6%E6%94%AF.pdf"
        );
        assert!(disposition("a.xlsx", false).starts_with("attachment; filename=\"a.xlsx\""));
    }
}
