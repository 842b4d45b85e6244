//! The public page cache: a rendered public page is kept and answered again
//! until a data version it depends on ([`super::versions`]) or the minute
//! moves, and carries an `ETag` made of the same, so a browser that has the
//! page gets `304 Not Modified` without it being rendered.
//!
//! Only anonymous requests are served from it (a signed-in caller's header
//! names them), only `GET`s of the public portal's routes, only complete
//! `200` HTML answers. Each answer still gets its own CSP nonce: the stored
//! page is split where the nonce it was rendered with appeared, and joined
//! with the new request's nonce.
//!
//! Never stale: the key is read *before* the page is rendered, so a page
//! rendered from data older than a commit is stored under an older key than
//! any request after that commit asks for.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use http::{header, HeaderValue, Method, StatusCode};

use super::auth::token_from_cookie_header;
use super::http::CspNonce;
use super::versions::{ANY, TOWN};
use super::Db;

/// Most pages kept; the oldest goes first when full.
const MAX_ENTRIES: usize = 1024;
/// Largest page kept (the biggest public page, a month's posting of a large
/// village, is well under this).
const MAX_PAGE_BYTES: usize = 4 << 20;
/// Longest path and query kept (longer ones are rendered every time).
const MAX_KEY_CHARS: usize = 512;

/// What a public page's content depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depends {
    /// Figures from every village (the town home, rankings, search).
    Town,
    /// One village's records and the town-wide ones (its rules, goods,
    /// board, postings).
    Village(i32),
}

/// Which public page `path` is, if it is one the cache may keep.
pub fn public_page(path: &str) -> Option<Depends> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    match segments.as_slice() {
        [] | [""] => Some(Depends::Town),
        ["ranking" | "search" | "notices" | "activities" | "coverage" | "funds"] => {
            Some(Depends::Town)
        }
        ["household" | "notice" | "activity", _] => Some(Depends::Town),
        // The village's ranking tab ranks every village.
        ["village", _, "ranking"] => Some(Depends::Town),
        ["village", id]
        | ["village", id, "goods" | "board" | "ledger" | "notices" | "activities"] => {
            id.parse().ok().map(Depends::Village)
        }
        ["ledger", id, _] => id.parse().ok().map(Depends::Village),
        _ => None,
    }
}

/// One kept page.
struct Kept {
    key: Key,
    content_type: HeaderValue,
    /// The page split where its nonce was.
    parts: Vec<Bytes>,
    stored: Instant,
}

/// The versions (and minute) a page was rendered at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    a: i64,
    b: i64,
    minute: i64,
}

/// The cache of one router (one database).
pub struct PageCache {
    db: Db,
    /// Changes on every start, so a new build's pages never answer 304 to
    /// an old build's `ETag`.
    boot: String,
    kept: Mutex<HashMap<String, Arc<Kept>>>,
}

impl PageCache {
    /// An empty cache over `db`'s versions.
    pub fn new(db: Db) -> Arc<PageCache> {
        Arc::new(PageCache {
            db,
            boot: format!("{:x}", Utc::now().timestamp_micros()),
            kept: Mutex::new(HashMap::new()),
        })
    }

    fn key(&self, depends: Depends) -> Key {
        let v = self.db.versions();
        let (a, b) = match depends {
            Depends::Town => (v.get(ANY), 0),
            Depends::Village(id) => (v.get(TOWN), v.get(id)),
        };
        Key {
            a,
            b,
            minute: Utc::now().timestamp().div_euclid(60),
        }
    }

    fn etag(&self, key: Key) -> String {
        format!("W/\"{}-{}-{}-{}\"", self.boot, key.a, key.b, key.minute)
    }

    fn get(&self, path: &str, key: Key) -> Option<Arc<Kept>> {
        let kept = self.kept.lock().ok()?;
        kept.get(path).filter(|k| k.key == key).cloned()
    }

    fn put(&self, path: String, page: Kept) {
        let Ok(mut kept) = self.kept.lock() else {
            return;
        };
        if kept.len() >= MAX_ENTRIES && !kept.contains_key(&path) {
            if let Some(oldest) = kept
                .iter()
                .min_by_key(|(_, k)| k.stored)
                .map(|(p, _)| p.clone())
            {
                kept.remove(&oldest);
            }
        }
        kept.insert(path, Arc::new(page));
    }
}

fn cacheable(req: &Request) -> Option<Depends> {
    if req.method() != Method::GET {
        return None;
    }
    let signed_in = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| token_from_cookie_header(c).is_some());
    if signed_in {
        return None;
    }
    public_page(req.uri().path())
}

fn with_validators(mut res: Response, etag: &str) -> Response {
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    // Kept by the browser, but asked about every time: the answer is a
    // small 304 while nothing changed.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::VARY, HeaderValue::from_static("Cookie"));
    res
}

fn joined(parts: &[Bytes], nonce: &str) -> Vec<u8> {
    let len = parts.iter().map(Bytes::len).sum::<usize>() + nonce.len() * parts.len();
    let mut out = Vec::with_capacity(len);
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(nonce.as_bytes());
        }
        out.extend_from_slice(p);
    }
    out
}

fn split(body: &Bytes, nonce: &str) -> Vec<Bytes> {
    let mut parts = Vec::new();
    let needle = nonce.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while !needle.is_empty() && i + needle.len() <= body.len() {
        if &body[i..i + needle.len()] == needle {
            parts.push(body.slice(start..i));
            i += needle.len();
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(body.slice(start..));
    parts
}

/// The middleware: answers public pages from the cache (or 304), renders
/// and keeps them otherwise. Must run inside the layer that gives the
/// request its [`CspNonce`].
pub async fn serve(cache: Arc<PageCache>, req: Request, next: Next) -> Response {
    let Some(depends) = cacheable(&req) else {
        return next.run(req).await;
    };
    let path = match req.uri().path_and_query() {
        Some(pq) if pq.as_str().len() <= MAX_KEY_CHARS => pq.as_str().to_string(),
        _ => return next.run(req).await,
    };
    let Some(nonce) = req.extensions().get::<CspNonce>().map(|n| n.0.clone()) else {
        return next.run(req).await;
    };
    let key = cache.key(depends);
    let etag = cache.etag(key);
    let not_modified = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    if not_modified {
        return with_validators(StatusCode::NOT_MODIFIED.into_response(), &etag);
    }
    if let Some(page) = cache.get(&path, key) {
        let mut res = Response::new(Body::from(joined(&page.parts, &nonce)));
        res.headers_mut()
            .insert(header::CONTENT_TYPE, page.content_type.clone());
        return with_validators(res, &etag);
    }
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .filter(|t| t.as_bytes().starts_with(b"text/html"))
        .cloned();
    let keep = res.status() == StatusCode::OK
        && !res.headers().contains_key(header::SET_COOKIE)
        && html.is_some();
    let Some(content_type) = html.filter(|_| keep) else {
        return res;
    };
    let (parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(b) => b,
        Err(e) => {
            // Too large to keep, or the render failed midway: nothing is
            // kept, and the client gets what a failed stream would give.
            tracing::warn!(%path, "public page not kept: {e}");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "页面生成失败，请刷新重试",
            )
                .into_response();
        }
    };
    cache.put(
        path,
        Kept {
            key,
            content_type,
            parts: split(&bytes, &nonce),
            stored: Instant::now(),
        },
    );
    with_validators(Response::from_parts(parts, Body::from(bytes)), &etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portal_routes_are_public_pages() {
        assert_eq!(public_page("/"), Some(Depends::Town));
        assert_eq!(public_page("/ranking"), Some(Depends::Town));
        assert_eq!(public_page("/household/2000001"), Some(Depends::Town));
        assert_eq!(public_page("/village/7"), Some(Depends::Village(7)));
        assert_eq!(public_page("/village/7/board"), Some(Depends::Village(7)));
        assert_eq!(public_page("/village/7/ranking"), Some(Depends::Town));
        assert_eq!(public_page("/ledger/3/202611"), Some(Depends::Village(3)));
    }

    #[test]
    fn signed_in_and_back_office_routes_are_not() {
        for p in [
            "/office",
            "/kiosk",
            "/me",
            "/town",
            "/town/dashboard",
            "/api/redeem",
            "/pkg/gaoliang.wasm",
            "/village/x/board",
            "/village/7/other",
            "/evidence/3",
            "/login",
        ] {
            assert_eq!(public_page(p), None, "{p}");
        }
    }

    #[test]
    fn a_kept_page_takes_each_answers_nonce() {
        let body = Bytes::from_static(b"<script nonce=\"AAA\">1</script><script nonce=\"AAA\">");
        let parts = split(&body, "AAA");
        assert_eq!(parts.len(), 3);
        assert_eq!(
            joined(&parts, "BBB"),
            b"<script nonce=\"BBB\">1</script><script nonce=\"BBB\">".to_vec()
        );
        let plain = split(&Bytes::from_static(b"no nonce"), "AAA");
        assert_eq!(joined(&plain, "BBB"), b"no nonce".to_vec());
    }
}
