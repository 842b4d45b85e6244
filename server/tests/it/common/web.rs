//! Requests to the real router in-process: the server functions tested as
//! the public HTTP endpoints they are.

use app::server::http::{router, AppState};
use app::server::Db;
use axum::body::Body;
use axum::Router;
use http::{header, Method, Request, StatusCode};
use leptos::config::LeptosOptions;
use tower::ServiceExt;

/// The app's router over `db`, as the server builds it.
pub fn app_router(db: &Db) -> Router {
    let options = LeptosOptions::builder()
        .output_name("gaoliang")
        .site_root("target/site")
        .build();
    router(AppState {
        leptos_options: options,
        db: db.clone(),
        secure_cookies: false,
    })
}

/// What came back: the status, the session cookie if one was set, the
/// headers, the body.
pub struct Reply {
    pub status: StatusCode,
    pub cookie: Option<String>,
    pub headers: http::HeaderMap,
    pub body: String,
}

/// Sends one request through the router.
pub async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let cookie = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("gl_session="))
        .map(|c| c.split(';').next().unwrap().to_string());
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .unwrap();
    Reply {
        status,
        cookie,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// A request with a body of the given content type, from the app's own
/// origin (server functions refuse cross-site writes).
pub fn request(
    method: Method,
    uri: &str,
    content_type: &str,
    body: String,
    cookie: Option<&str>,
) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::CONTENT_TYPE, content_type);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(body)).unwrap()
}

/// A GET with no body.
pub fn get(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::builder().method(Method::GET).uri(uri);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::empty()).unwrap()
}

/// A form POST, as a server function's `<ActionForm>` sends it.
pub fn post_form(uri: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    request(
        Method::POST,
        uri,
        "application/x-www-form-urlencoded",
        body.to_string(),
        cookie,
    )
}

/// A multipart form as the browser's upload sends it (`components::upload`):
/// the text fields, then the file as (field, file name, bytes).
pub fn post_multipart(
    uri: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &str, &[u8])>,
    cookie: Option<&str>,
) -> Request<Body> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--B0und\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((field, file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--B0und\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--B0und--\r\n");
    let mut req = request(
        Method::POST,
        uri,
        "multipart/form-data; boundary=B0und",
        String::new(),
        cookie,
    );
    *req.body_mut() = Body::from(body);
    req
}

/// A JSON POST.
pub fn post_json(uri: &str, body: serde_json::Value, cookie: Option<&str>) -> Request<Body> {
    request(
        Method::POST,
        uri,
        "application/json",
        body.to_string(),
        cookie,
    )
}

/// A request with a JSON body, or none.
pub fn json_request(
    method: Method,
    uri: &str,
    body: Option<serde_json::Value>,
    cookie: Option<&str>,
) -> Request<Body> {
    match body {
        Some(j) => request(method, uri, "application/json", j.to_string(), cookie),
        None => request(method, uri, "text/plain", String::new(), cookie),
    }
}

/// Logs a demo account in and returns its session cookie.
pub async fn login(app: &Router, user: &str) -> String {
    let r = send(
        app,
        post_form(
            "/api/login",
            &format!("username={user}&password=gaoliang2026"),
            None,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "login {user}: {}", r.body);
    r.cookie.expect("session cookie")
}
