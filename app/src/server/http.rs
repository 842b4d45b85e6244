//! The axum router: pages, server functions, static files, and the
//! same-origin guard in front of every state-changing request.

use axum::body::Body;
use axum::extract::{FromRef, Request};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use http::{header, Method, StatusCode};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};

use super::Db;
use crate::app::{shell, App};

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

/// Adds headers that keep pages from being framed or sniffed.
async fn security_headers(req: Request<Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
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

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let pkg_dir = format!("{}/{}", options.site_root, options.site_pkg_dir);
    Router::new()
        .route(
            "/export/ledger/{village}/{month}",
            axum::routing::get(super::export::ledger_xlsx),
        )
        .route(
            "/export/dashboard/{year}",
            axum::routing::get(super::export::dashboard_xlsx),
        )
        .route(
            "/export/evaluation/{year}",
            axum::routing::get(super::export::evaluation_xlsx),
        )
        .route("/evidence/{id}", axum::routing::get(super::evidence::serve))
        .route(
            "/goods-photo/{id}",
            axum::routing::get(super::stock::serve_photo),
        )
        .route(
            "/notice-file/{id}",
            axum::routing::get(super::notice::serve_file),
        )
        .route(
            "/acceptance-file/{id}",
            axum::routing::get(super::acceptance::serve_evidence),
        )
        .route(
            "/fund-voucher/{id}",
            axum::routing::get(super::funds::serve_voucher),
        )
        .route(
            "/activity-photo/{id}",
            axum::routing::get(super::activity::serve_photo),
        )
        .leptos_routes_with_context(&state, routes, || (), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .nest_service(
            &format!("/{}", options.site_pkg_dir),
            tower_http::services::ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Photos are uploaded as they come from the camera; they are shrunk
        // on the server.
        .layer(axum::extract::DefaultBodyLimit::max(
            super::evidence::MAX_UPLOAD + 64 * 1024,
        ))
        .layer(middleware::from_fn(
            super::input_guard::server_fn_input_guard,
        ))
        .layer(middleware::from_fn(same_origin_only))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}
