//! A bad-input test over every server function, found automatically: each
//! registered function is called as the town admin (so authorization does
//! not answer first) and as anonymous with malformed and wrong-typed bodies,
//! huge strings and absurd numbers in every argument. None may answer 5xx,
//! every refusal says why in Chinese, a refused call writes nothing, and the
//! ledger still verifies afterwards. A new server function is covered
//! without being listed here.

use crate::common;

use std::collections::HashMap;

use app::server::{ledger, Db};
use axum::body::Body;
use axum::Router;
use common::endpoints::{all_server_fns, shapes, signatures, Input, Shape, Signature};
use common::*;
use http::{header, Method, Request};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{json, Value};

/// A string far longer than any field allows (100k characters).
fn huge() -> String {
    "测".repeat(100_000)
}

/// A long string for a query string, which `http::Uri` stops at 64 KB
/// (and servers in front of the app at 8 KB): long for a field, several of
/// them still fit in one URI.
fn huge_in_url() -> String {
    "x".repeat(6_000)
}

/// Today in China, as date fields expect it.
fn today_text() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%Y-%m-%d")
        .to_string()
}

/// The type inside `Option<..>`, without module paths.
fn bare(ty: &str) -> &str {
    let ty = ty.trim();
    match ty.strip_prefix("Option<").and_then(|t| t.strip_suffix('>')) {
        Some(inner) => bare(inner),
        None => ty.rsplit("::").next().unwrap_or(ty),
    }
}

/// The element type of a `Vec<..>` (or `Option<Vec<..>>`).
fn vec_inner(ty: &str) -> Option<&str> {
    let ty = ty.trim();
    let ty = ty
        .strip_prefix("Option<")
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(ty);
    ty.strip_prefix("Vec<").and_then(|t| t.strip_suffix('>'))
}

fn is_number(ty: &str) -> bool {
    matches!(ty, "i32" | "i64" | "u32" | "u64" | "usize" | "u8" | "i16") || ty.ends_with("Id")
}

/// A value of the right type that the function may well accept.
fn plausible(name: &str, ty: &str, shapes: &HashMap<String, Shape>) -> Value {
    if let Some(inner) = vec_inner(ty) {
        return json!([plausible(name, inner, shapes)]);
    }
    let ty = bare(ty);
    if is_number(ty) {
        return json!(1);
    }
    match ty {
        "bool" => json!(true),
        "String" if name.ends_with("_on") || name == "on" || name == "date" => {
            json!(today_text())
        }
        "String" if name == "idempotency_key" || name == "key" => {
            json!(format!("bad-input-{}", rand::random::<u32>()))
        }
        "String" => json!("测试"),
        _ => match shapes.get(ty) {
            Some(Shape::Struct(fields)) => Value::Object(
                fields
                    .iter()
                    .map(|(f, t)| (f.clone(), plausible(f, t, shapes)))
                    .collect(),
            ),
            Some(Shape::Enum(first)) => json!(first),
            None => json!({}),
        },
    }
}

/// Values of an argument that no function may fail on with a 5xx.
fn bad_values(name: &str, ty: &str, shapes: &HashMap<String, Shape>, in_url: bool) -> Vec<Value> {
    let long = if in_url { huge_in_url() } else { huge() };
    let full = ty.trim();
    let ty = bare(full);
    let mut out = vec![json!(null), json!("abc"), json!([]), json!({})];
    if vec_inner(full).is_some() {
        let one = plausible(name, full, shapes)[0].clone();
        let n = if in_url { 500 } else { 40_000 };
        out.push(Value::Array(vec![one; n]));
        out.push(json!(long));
        return out;
    }
    if is_number(ty) {
        out.extend([
            json!(2147483648u64),
            json!(-1),
            json!(0),
            json!(2147483647),
            json!(-2147483648i64),
            json!(1e308),
            json!(long),
        ]);
    } else if ty == "bool" {
        out.extend([json!("maybe"), json!(2)]);
    } else if ty == "String" {
        out.extend([
            json!(long),
            json!(12345),
            json!("\u{0}\u{202e}<script>"),
            json!("2147483648"),
            json!("-1"),
            json!("1e308"),
        ]);
    } else if let Some(Shape::Struct(_)) = shapes.get(ty) {
        out.push(everywhere(&plausible(name, full, shapes), &json!(long)));
        out.push(numbers_everywhere(&plausible(name, full, shapes)));
    } else {
        out.push(json!(long));
    }
    out
}

/// `v` with every string inside replaced by `s`.
fn everywhere(v: &Value, s: &Value) -> Value {
    match v {
        Value::String(_) => s.clone(),
        Value::Array(a) => Value::Array(a.iter().map(|x| everywhere(x, s)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), everywhere(x, s)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `v` with every number inside replaced by an absurd one, and every
/// string holding a number made absurd too.
fn numbers_everywhere(v: &Value) -> Value {
    match v {
        Value::Number(_) => json!(2147483647),
        Value::String(_) => json!("99999999999999999999"),
        Value::Array(a) => Value::Array(a.iter().map(numbers_everywhere).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), numbers_everywhere(x)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Percent-encodes a query value.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A JSON object as a query string the way serde_qs reads it
/// (`a=1&list[0]=2&form[name]=x`); nulls are left out.
fn qs(v: &Value) -> String {
    fn walk(prefix: &str, v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Null => {}
            Value::Object(o) => {
                for (k, x) in o {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}[{k}]")
                    };
                    walk(&key, x, out);
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(&format!("{prefix}[{i}]"), x, out);
                }
            }
            Value::String(s) => out.push(format!("{prefix}={}", enc(s))),
            other => out.push(format!("{prefix}={}", enc(&other.to_string()))),
        }
    }
    let mut out = Vec::new();
    walk("", v, &mut out);
    out.join("&")
}

/// One request to send and what it is, for the failure list.
struct Probe {
    what: String,
    req: Request<Body>,
}

fn raw(
    method: Method,
    uri: &str,
    content_type: &str,
    body: Vec<u8>,
    cookie: Option<&str>,
) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "127.0.0.1:3000");
    if !content_type.is_empty() {
        b = b.header(header::CONTENT_TYPE, content_type);
    }
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(body)).unwrap()
}

/// A multipart form of text fields (and a `photo`/`file` of junk bytes).
fn multipart(fields: &[(&str, String)], boundary: &str) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    for file in ["photo", "file"] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{file}\"; filename=\"x.png\"\r\nContent-Type: image/png\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\xff\xff\xff\xff");
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body
}

/// Every probe of one server function.
fn probes(
    sig: &Signature,
    method: &Method,
    shapes: &HashMap<String, Shape>,
    cookie: Option<&str>,
) -> Vec<Probe> {
    let path = sig.path.as_str();
    let mut out = Vec::new();
    if sig.input == Input::Multipart {
        let ct_json = "application/json";
        out.push(Probe {
            what: "multipart without boundary".into(),
            req: raw(
                Method::POST,
                path,
                "multipart/form-data",
                b"--x\r\n\r\n".to_vec(),
                cookie,
            ),
        });
        out.push(Probe {
            what: "multipart with empty boundary".into(),
            req: raw(
                Method::POST,
                path,
                "multipart/form-data; boundary=",
                b"--\r\n".to_vec(),
                cookie,
            ),
        });
        out.push(Probe {
            what: "json to a multipart function".into(),
            req: raw(Method::POST, path, ct_json, b"{}".to_vec(), cookie),
        });
        out.push(Probe {
            what: "no content type".into(),
            req: raw(Method::POST, path, "", Vec::new(), cookie),
        });
        out.push(Probe {
            what: "multipart cut short".into(),
            req: raw(
                Method::POST,
                path,
                "multipart/form-data; boundary=XyZ",
                b"--XyZ\r\nContent-Disposition: form-data; name=\"photo\"\r\n\r\nabc".to_vec(),
                cookie,
            ),
        });
        let names = [
            "village",
            "goods",
            "id",
            "notice",
            "activity",
            "fund",
            "kind",
            "amount",
            "spent_on",
            "description",
            "item",
            "year",
        ];
        for value in [
            "abc".to_string(),
            "2147483648".into(),
            "-1".into(),
            "1e308".into(),
            huge(),
        ] {
            let fields: Vec<(&str, String)> = names.iter().map(|n| (*n, value.clone())).collect();
            out.push(Probe {
                what: format!("multipart with fields = {}", &value[..value.len().min(12)]),
                req: raw(
                    Method::POST,
                    path,
                    "multipart/form-data; boundary=XyZ",
                    multipart(&fields, "XyZ"),
                    cookie,
                ),
            });
        }
        return out;
    }
    let in_url = sig.input == Input::GetUrl;
    let send_obj = |what: String, v: &Value| -> Probe {
        let req = match sig.input {
            Input::GetUrl => raw(
                method.clone(),
                &format!("{path}?{}", qs(v)),
                "",
                Vec::new(),
                cookie,
            ),
            Input::PostUrl => raw(
                Method::POST,
                path,
                "application/x-www-form-urlencoded",
                qs(v).into_bytes(),
                cookie,
            ),
            Input::Json => raw(
                Method::POST,
                path,
                "application/json",
                v.to_string().into_bytes(),
                cookie,
            ),
            Input::Multipart => unreachable!(),
        };
        Probe { what, req }
    };
    // Bodies that are not the arguments at all.
    let content_type = match sig.input {
        Input::Json => "application/json",
        _ => "application/x-www-form-urlencoded",
    };
    if in_url {
        for q in [
            "",
            "%ff%fe%00",
            "a[=1&&[]]=",
            "village[0][1][2][3][4][5][6]=1",
        ] {
            out.push(Probe {
                what: format!("query {q:?}"),
                req: raw(
                    method.clone(),
                    &format!("{path}?{q}"),
                    "",
                    Vec::new(),
                    cookie,
                ),
            });
        }
    } else {
        for (what, body) in [
            ("empty body", Vec::new()),
            ("{}", b"{}".to_vec()),
            (
                "garbage bytes",
                vec![0xff, 0xfe, 0x00, b'{', b'"', 0x80, b'=', b'&'],
            ),
            ("null", b"null".to_vec()),
            ("an array", b"[1,2,3]".to_vec()),
            ("deep nesting", "[".repeat(10_000).into_bytes()),
        ] {
            out.push(Probe {
                what: what.into(),
                req: raw(Method::POST, path, content_type, body, cookie),
            });
        }
        out.push(Probe {
            what: "json sent as text/plain".into(),
            req: raw(Method::POST, path, "text/plain", b"{}".to_vec(), cookie),
        });
    }
    let base: serde_json::Map<String, Value> = sig
        .args
        .iter()
        .map(|(n, t)| (n.clone(), plausible(n, t, shapes)))
        .collect();
    out.push(send_obj(
        "plausible arguments".into(),
        &Value::Object(base.clone()),
    ));
    for (name, ty) in &sig.args {
        for bad in bad_values(name, ty, shapes, in_url) {
            let mut args = base.clone();
            let shown = bad.to_string();
            args.insert(name.clone(), bad);
            out.push(send_obj(
                format!("{name} = {}", &shown.chars().take(40).collect::<String>()),
                &Value::Object(args),
            ));
        }
    }
    let long = if in_url { huge_in_url() } else { huge() };
    let all = Value::Object(base.clone());
    out.push(send_obj(
        "huge strings in every field".into(),
        &everywhere(&all, &json!(long)),
    ));
    out.push(send_obj(
        "absurd numbers in every field".into(),
        &numbers_everywhere(&all),
    ));
    out
}

/// The number of rows of every table, in one statement.
async fn row_counts(db: &Db) -> String {
    let tables: Vec<String> = db
        .conn
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        // Refused logins are counted on purpose, and sessions come and go.
        .filter(|t| !matches!(t.as_str(), "login_attempt" | "session" | "audit_log"))
        .collect();
    let sql = tables
        .iter()
        .map(|t| format!("'{t}=' || (SELECT count(*) FROM \"{t}\")"))
        .collect::<Vec<_>>()
        .join(" || ',' || ");
    db.conn
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            format!("SELECT {sql}"),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<String>(0)
        .unwrap()
}

/// Text columns holding more characters than any field allows.
async fn overlong_text(db: &Db) -> Vec<String> {
    let limit = app::domain::text::MAX_LONG_TEXT;
    let tables: Vec<String> = db
        .conn
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect();
    let mut out = Vec::new();
    for t in tables {
        let cols = db
            .conn
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                format!("SELECT name, type FROM pragma_table_info('{t}')"),
            ))
            .await
            .unwrap();
        for c in cols {
            let name: String = c.try_get_by_index(0).unwrap();
            let ty: String = c.try_get_by_index(1).unwrap();
            if !ty.to_ascii_lowercase().contains("text")
                && !ty.to_ascii_lowercase().contains("char")
            {
                continue;
            }
            let longest: Option<i64> = db
                .conn
                .query_one_raw(Statement::from_string(
                    DbBackend::Sqlite,
                    format!("SELECT max(length(\"{name}\")) FROM \"{t}\""),
                ))
                .await
                .unwrap()
                .and_then(|r| r.try_get_by_index::<Option<i64>>(0).ok())
                .flatten();
            if let Some(n) = longest.filter(|n| *n > limit as i64) {
                out.push(format!("{t}.{name}: {n} characters"));
            }
        }
    }
    out
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Sends every probe of every server function; returns what went wrong.
async fn probe_all(app: &Router, db: &Db, cookie: Option<&str>, who: &str) -> Vec<String> {
    let shapes = shapes();
    let sigs: HashMap<String, Signature> = signatures()
        .into_iter()
        .map(|s| (s.path.clone(), s))
        .collect();
    let mut failures = Vec::new();
    for (path, method) in all_server_fns() {
        // Logging out ends the session the rest of the pass runs in.
        if path == "/api/logout" {
            continue;
        }
        let sig = &sigs[&path];
        for probe in probes(sig, &method, &shapes, cookie) {
            let before = row_counts(db).await;
            let where_ = format!("{who} {path} [{}]", probe.what);
            // A panic in a handler kills the request's connection; here it
            // is caught so every probe still runs and all are listed.
            let r = {
                let app = app.clone();
                match tokio::spawn(async move { send(&app, probe.req).await }).await {
                    Ok(r) => r,
                    Err(e) => {
                        failures.push(format!("{where_}: {e}"));
                        continue;
                    }
                }
            };
            if r.status.is_server_error() {
                failures.push(format!(
                    "{where_}: {} {}",
                    r.status,
                    r.body.chars().take(200).collect::<String>()
                ));
            }
            if r.status.is_client_error() && !has_chinese(&r.body) {
                failures.push(format!(
                    "{where_}: {} without a Chinese message: {}",
                    r.status,
                    r.body.chars().take(200).collect::<String>()
                ));
            }
            if !r.status.is_success() {
                let after = row_counts(db).await;
                if after != before {
                    failures.push(format!("{where_}: refused ({}) but wrote rows", r.status));
                }
            }
        }
    }
    failures
}

#[test]
fn every_registered_server_function_is_found_in_the_source() {
    let registered = all_server_fns();
    assert!(
        registered.len() >= 100,
        "only {} registered",
        registered.len()
    );
    let declared: HashMap<String, Signature> = signatures()
        .into_iter()
        .map(|s| (s.path.clone(), s))
        .collect();
    for (path, method) in &registered {
        let sig = declared
            .get(path)
            .unwrap_or_else(|| panic!("{path} is registered but its declaration was not found"));
        let expected = if sig.input == Input::GetUrl {
            Method::GET
        } else {
            Method::POST
        };
        assert_eq!(method, &expected, "{path}");
    }
    assert_eq!(declared.len(), registered.len(), "declared vs registered");
}

#[tokio::test]
async fn no_server_function_answers_bad_input_with_a_5xx_or_a_partial_write() {
    let db = small_town("bad-input").await;
    let app = app_router(&db);
    // Signed in first: anonymous junk sent to the login below counts as
    // failed logins of this client.
    let admin = login(&app, "admin").await;
    let started = std::time::Instant::now();
    let mut failures = probe_all(&app, &db, Some(&admin), "town admin").await;
    failures.extend(probe_all(&app, &db, None, "anonymous").await);
    println!(
        "bad input over every server function: {} ms",
        started.elapsed().as_millis()
    );
    failures.extend(
        overlong_text(&db)
            .await
            .into_iter()
            .map(|c| format!("stored: {c}")),
    );
    let mismatches = ledger::verify(&db).await.unwrap();
    assert!(
        mismatches.is_empty(),
        "ledger mismatches after bad input: {mismatches:?}"
    );
    // The admin's session survived the pass, so it ran signed in throughout.
    let r = send(&app, get("/api/current_user", Some(&admin))).await;
    assert!(
        r.body.contains("admin"),
        "session lost: {} {}",
        r.status,
        r.body
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
