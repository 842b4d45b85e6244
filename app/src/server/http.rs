//! The axum router: pages, server functions, static files, and the
//! same-origin guard in front of every state-changing request.

use axum::body::Body;
use axum::extract::{FromRef, Request};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use http::{header, Method, StatusCode};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::time::Duration;

use super::Db;
use crate::app::{may_use_camera, shell, App};

/// Shared state of the server.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    /// Mark cookies Secure (set when served over https).
    pub secure_cookies: bool,
}

/// Refuses a state-changing request that a browser sent from another site.
/// Browsers send `Origin` on every cross-origin and every POST request; a
/// request without it (curl, the test client) is not a cross-site forgery.
pub async fn same_origin_only(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let cross_site = match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        Some(origin) => {
            let authority = origin.split_once("://").map(|(_, a)| a);
            authority.is_none() || authority != host
        }
        None => headers
            .get("sec-fetch-site")
            .and_then(|s| s.to_str().ok())
            .is_some_and(|s| s == "cross-site"),
    };
    if cross_site {
        tracing::warn!(method = %req.method(), uri = %req.uri(), "refused cross-site request");
        return (StatusCode::FORBIDDEN, "跨站请求已被拒绝").into_response();
    }
    next.run(req).await
}

/// The Content-Security-Policy nonce of one response. [`security_headers`]
/// makes a fresh one per request and puts it in the request's extensions;
/// [`provide_request_nonce`] hands it to the renderer, so the inline
/// hydration scripts carry the nonce the header names.
#[derive(Clone, Debug)]
pub struct CspNonce(pub std::sync::Arc<str>);

impl CspNonce {
    /// 128 random bits, base64url: what CSP asks of a nonce.
    fn fresh() -> Self {
        use base64::Engine as _;
        use rand::RngCore as _;
        let mut bytes = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut bytes);
        Self(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(bytes)
                .into(),
        )
    }
}

/// Puts the request's [`CspNonce`] into the rendering context, in place of
/// the one leptos_axum makes up (which no header would name).
pub fn provide_request_nonce() {
    use leptos::prelude::{provide_context, use_context};
    let nonce =
        use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<CspNonce>().cloned());
    if let Some(n) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(n.0));
    }
}

/// The Content-Security-Policy of a response whose inline scripts carry
/// `nonce`. Scripts come only from this site (the WASM bundle, the camera
/// scanner) or carry the nonce (Leptos' hydration and resource scripts);
/// WebAssembly may be compiled; no plugins, framing, foreign form targets
/// or `<base>`. Inline styles are allowed: the counter's receipt sizes its
/// 58 mm print page by its number of lines in a `<style>` made in the
/// browser, which no nonce can reach, and CSS runs no script. Images
/// include `data:` and `blob:` for the previews of photos picked or taken
/// before upload.
pub fn content_security_policy(nonce: &str) -> String {
    // `cargo leptos watch` reloads the page over a WebSocket on its own
    // port; read once, not on every response.
    static RELOAD: std::sync::LazyLock<&str> = std::sync::LazyLock::new(|| {
        if std::env::var_os("LEPTOS_WATCH").is_some() {
            " ws: wss:"
        } else {
            ""
        }
    });
    let reload = *RELOAD;
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; \
         connect-src 'self'{reload}; font-src 'self'; object-src 'none'; base-uri 'self'; \
         frame-ancestors 'none'; form-action 'self'"
    )
}

/// The Permissions-Policy of a page at `path`: the camera only where it is
/// used ([`may_use_camera`]); microphone, location and the rest never.
pub fn permissions_policy(path: &str) -> &'static str {
    if may_use_camera(path) {
        "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"
    } else {
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    }
}

/// Adds the security headers to every response (pages, server functions,
/// files, errors): the CSP with a fresh nonce, which the request carries to
/// the renderer, and headers that keep pages from being framed or sniffed.
async fn security_headers(mut req: Request<Body>, next: Next) -> Response {
    let nonce = CspNonce::fresh();
    let permissions = permissions_policy(req.uri().path());
    req.extensions_mut().insert(nonce.clone());
    let mut res = next.run(req).await;
    // A 304's headers replace the stored page's: a new nonce there would
    // block the scripts of the page the browser keeps, which carry the
    // nonce of the answer it was first sent with.
    if res.status() != StatusCode::NOT_MODIFIED {
        if let Ok(csp) = header::HeaderValue::from_str(&content_security_policy(&nonce.0)) {
            res.headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, csp);
        }
    }
    let h = res.headers_mut();
    h.insert(
        "permissions-policy",
        header::HeaderValue::from_static(permissions),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::X_FRAME_OPTIONS,
        header::HeaderValue::from_static("DENY"),
    );
    h.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("same-origin"),
    );
    res
}

/// How long the server waits for slow clients, and for itself on shutdown.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// From a connection's first byte (or the end of its last response) to
    /// the end of the request headers.
    pub header_read: Duration,
    /// Longest silence inside a request body: a photo upload over a weak
    /// signal keeps sending, a stalled one is cut.
    pub body_idle: Duration,
    /// After a stop signal, how long open requests may still finish.
    pub shutdown_grace: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            header_read: Duration::from_secs(15),
            body_idle: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Cuts a request body that stays silent longer than `idle`.
async fn body_idle_timeout(idle: Duration, req: Request<Body>, next: Next) -> Response {
    let req = req.map(|b| Body::new(tower_http::timeout::TimeoutBody::new(idle, b)));
    next.run(req).await
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets open
/// requests finish for at most `timeouts.shutdown_grace`.
///
/// `axum::serve` has no header-read timeout and waits for every connection
/// on shutdown, so one client that never finishes its headers holds a
/// SIGTERM forever; this loop gives each connection hyper's header timer
/// and bounds the shutdown.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    timeouts: Timeouts,
    shutdown: impl std::future::Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    use tower::ServiceExt;

    let app = app.layer(middleware::from_fn(move |req, next| {
        body_idle_timeout(timeouts.body_idle, req, next)
    }));
    let graceful = GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read);
    tokio::pin!(shutdown);
    loop {
        let (tcp, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of file descriptors and the like: wait, not spin.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        // Without TCP_NODELAY a response written in two segments waits for
        // the client's delayed ACK: ~40 ms on every request.
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!("cannot set TCP_NODELAY: {e}");
        }
        let service = app
            .clone()
            .map_request(move |mut req: Request<hyper::body::Incoming>| {
                req.extensions_mut()
                    .insert(axum::extract::ConnectInfo(remote));
                req.map(Body::new)
            });
        let conn = builder.serve_connection(
            TokioIo::new(tcp),
            hyper_util::service::TowerToHyperService::new(service),
        );
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!("connection from {remote} ended: {e}");
            }
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(timeouts.shutdown_grace) => {
            tracing::warn!(
                "requests still open {} s after the stop signal; stopping anyway",
                timeouts.shutdown_grace.as_secs()
            );
        }
    }
}

/// The app's routes, generated once per process. Generating them runs the
/// app with resource loading suppressed by a process-wide flag in
/// `leptos_server`, and a resource first polled meanwhile, by a page being
/// rendered on another thread, waits forever (leptos issue #4773). A server
/// builds one router, but the tests build one per test while others render.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let routes = routes();
    let options = state.leptos_options.clone();
    let pkg_dir = format!("{}/{}", options.site_root, options.site_pkg_dir);
    let pages = super::page_cache::PageCache::new(state.db.clone());
    Router::new()
        // Stored files and Excel downloads: plain GETs, not server functions.
        .merge(super::files::routes())
        .leptos_routes_with_context(&state, routes, provide_request_nonce, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .nest_service(
            &format!("/{}", options.site_pkg_dir),
            tower_http::services::ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(provide_request_nonce, shell))
        // Photos are uploaded as they come from the camera; they are shrunk
        // on the server.
        .layer(axum::extract::DefaultBodyLimit::max(
            super::evidence::MAX_UPLOAD + 64 * 1024,
        ))
        .layer(middleware::from_fn(
            super::input_guard::server_fn_input_guard,
        ))
        .layer(middleware::from_fn(same_origin_only))
        .layer(middleware::from_fn(move |req, next| {
            super::page_cache::serve(pages.clone(), req, next)
        }))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}
