//! The web-facing defences of issue 13, through the real router: user text
//! in `<title>` escaped, the security headers (CSP with a per-response
//! nonce, Permissions-Policy) on every response, a draft activity's photo
//! kept private, literal search, absurd years refused, and anonymous search
//! rate-limited per address.

use std::net::SocketAddr;

use crate::common;

use app::api::notice::NoticeForm;
use app::domain::activity::{ActivityForm, ActivityStatus};
use app::domain::{ActivityId, RuleItemId, VillageId};
use app::server::entities::*;
use app::server::{activity, notice, portal};
use axum::body::Body;
use axum::extract::ConnectInfo;
use chrono::{Datelike, Duration, Utc};
use common::*;
use http::{Request, StatusCode};
use sea_orm::{ActiveModelTrait, Set};

const SCRIPT: &str = "</title><script>alert(1)</script>";
const ESCAPED: &str = "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;";

/// The text of the page's `<title>` element.
fn title_of(html: &str) -> &str {
    let start = html.find("<title>").expect("a <title>") + "<title>".len();
    let end = start + html[start..].find("</title>").expect("its end");
    &html[start..end]
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8, y as u8, 90]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A draft activity of 沙坝村 with a cover photo.
async fn draft_with_photo(db: &app::server::Db) -> app::server::entities::activity::Model {
    let v = village(db, "200").await;
    let clerk = caller(db, "cun200").await;
    let item = uncapped_item(db, v.id, 5).await;
    let now = Utc::now();
    let form = ActivityForm {
        title: SCRIPT.into(),
        category: "环境整治".into(),
        place: "村委会广场".into(),
        starts_at: now + Duration::days(3),
        ends_at: now + Duration::days(3) + Duration::hours(3),
        signup_deadline: now + Duration::days(2),
        capacity: None,
    };
    let a = activity::create(
        db,
        &clerk,
        VillageId(v.id),
        form,
        "带好扫帚",
        RuleItemId(item.id),
        now,
    )
    .await
    .unwrap();
    activity::store_photo(db, &clerk, ActivityId(a.id), png(), now)
        .await
        .unwrap();
    a
}

/// Gives the first household of a village (kept current) a head's name;
/// returns its card number.
async fn rename_head(db: &app::server::Db, village_id: i32, name: &str) -> String {
    let hh = first_household(db, village_id).await;
    let card = hh.card_no.clone();
    let mut m: household::ActiveModel = hh.into();
    m.head_name = Set(name.into());
    m.moved_away = Set(false);
    m.update(&db.conn).await.unwrap();
    card
}

#[tokio::test]
async fn user_text_reaches_the_title_escaped() {
    let db = small_town("web-title").await;
    let app = app_router(&db);
    let v = village(&db, "200").await;
    let clerk = caller(&db, "cun200").await;
    let now = Utc::now();
    let n = notice::create(
        &db,
        &clerk,
        VillageId(v.id),
        &NoticeForm {
            category: "村务公开".into(),
            title: SCRIPT.into(),
            body: "正文".into(),
            pinned: false,
            publish_at: None,
        },
        now,
    )
    .await
    .unwrap();
    let a = draft_with_photo(&db).await;
    activity::set_status(
        &db,
        &clerk,
        ActivityId(a.id),
        ActivityStatus::Published,
        "",
        now,
    )
    .await
    .unwrap();
    let card = rename_head(&db, v.id, SCRIPT).await;

    for uri in [
        format!("/notice/{}", n.id),
        format!("/activity/{}", a.id),
        format!("/household/{card}"),
    ] {
        let r = send(&app, get(&uri, None)).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert!(
            !r.body.contains("<script>alert"),
            "{uri}: raw script in\n{}",
            r.body
        );
        assert!(
            title_of(&r.body).contains(ESCAPED),
            "{uri}: {}",
            title_of(&r.body)
        );
    }
}

/// The CSP's nonce, after checking the directives every response needs.
fn csp_nonce(r: &Reply, what: &str) -> String {
    let csp = r
        .headers
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"))
        .to_str()
        .unwrap();
    for directive in [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "img-src 'self' data: blob:",
    ] {
        assert!(
            csp.contains(directive),
            "{what}: {directive} missing in {csp}"
        );
    }
    let script = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap_or_else(|| panic!("{what}: no script-src in {csp}"));
    for loose in ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:"] {
        assert!(
            !script.split_whitespace().any(|t| t == loose),
            "{what}: {script}"
        );
    }
    let nonce = script
        .split_whitespace()
        .find_map(|t| t.strip_prefix("'nonce-")?.strip_suffix('\''))
        .unwrap_or_else(|| panic!("{what}: no nonce in {script}"));
    assert!(nonce.len() >= 22, "{what}: a short nonce {nonce}");
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("x-frame-options", "DENY"),
    ] {
        assert_eq!(
            r.headers.get(name).and_then(|v| v.to_str().ok()),
            Some(value),
            "{what}: {name}"
        );
    }
    let permissions = r
        .headers
        .get("permissions-policy")
        .unwrap()
        .to_str()
        .unwrap();
    for feature in ["microphone=()", "geolocation=()"] {
        assert!(permissions.contains(feature), "{what}: {permissions}");
    }
    nonce.to_string()
}

/// Every `<script` of a page carries `nonce`.
fn scripts_carry(html: &str, nonce: &str, what: &str) {
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert!(!scripts.is_empty(), "{what}: no scripts");
    for s in scripts {
        let tag = &s[..s.find('>').unwrap()];
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "{what}: <script{tag}>"
        );
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers_with_a_fresh_nonce() {
    let db = small_town("web-headers").await;
    let app = app_router(&db);
    let admin = login(&app, "admin").await;
    let v = village(&db, "200").await;
    let pages = [
        "/".to_string(),
        format!("/village/{}", v.id),
        "/no-such-page".to_string(),
        "/kiosk".to_string(),
    ];
    let mut seen = Vec::new();
    for uri in &pages {
        let r = send(&app, get(uri, None)).await;
        let nonce = csp_nonce(&r, uri);
        scripts_carry(&r.body, &nonce, uri);
        seen.push(nonce);
    }
    let r = send(&app, get("/no-such-page", None)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    seen.push(csp_nonce(&r, "404"));
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), pages.len() + 1, "a fresh nonce per response");

    for (uri, cookie) in [
        ("/api/household_public?card_no=abc", None),
        ("/api/village_ranking", None),
        ("/activity-photo/999999", None),
        ("/evidence/999999", None),
        ("/favicon.svg", None),
        ("/pkg/gaoliang.js", None),
        ("/export/dashboard/2147483647", Some(admin.as_str())),
    ] {
        let r = send(&app, get(uri, cookie)).await;
        csp_nonce(&r, uri);
    }
    let r = send(&app, post_json("/api/logout", serde_json::json!({}), None)).await;
    csp_nonce(&r, "a POST");
}

#[tokio::test]
async fn the_camera_is_allowed_only_where_cards_are_scanned() {
    let db = small_town("web-camera").await;
    let app = app_router(&db);
    let policy = |r: &Reply| {
        r.headers
            .get("permissions-policy")
            .expect("Permissions-Policy")
            .to_str()
            .unwrap()
            .to_string()
    };
    for uri in ["/kiosk", "/kiosk/today", "/office/activities/1"] {
        let p = policy(&send(&app, get(uri, None)).await);
        assert!(p.contains("camera=(self)"), "{uri}: {p}");
    }
    for uri in ["/", "/office", "/search", "/api/village_ranking"] {
        let p = policy(&send(&app, get(uri, None)).await);
        assert!(p.contains("camera=()"), "{uri}: {p}");
    }
}

#[tokio::test]
async fn a_draft_activitys_photo_is_not_public() {
    let db = small_town("web-draft-photo").await;
    let app = app_router(&db);
    let a = draft_with_photo(&db).await;
    let uri = format!("/activity-photo/{}", a.id);
    let none = send(&app, get("/activity-photo/999999", None)).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);

    let anonymous = send(&app, get(&uri, None)).await;
    assert_eq!(anonymous.status, StatusCode::NOT_FOUND, "anonymous");
    assert_eq!(
        anonymous.body, none.body,
        "alike for 'none' and 'not yours'"
    );
    for other in ["cun201", "hu200"] {
        let cookie = login(&app, other).await;
        let r = send(&app, get(&uri, Some(&cookie))).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{other}");
        assert_eq!(r.body, none.body, "{other}");
    }
    for staff in ["cun200", "admin"] {
        let cookie = login(&app, staff).await;
        let r = send(&app, get(&uri, Some(&cookie))).await;
        assert_eq!(r.status, StatusCode::OK, "{staff}");
        let cache = r.headers.get("cache-control").unwrap().to_str().unwrap();
        assert!(cache.contains("no-store"), "{staff}: {cache}");
    }

    let clerk = caller(&db, "cun200").await;
    activity::set_status(
        &db,
        &clerk,
        ActivityId(a.id),
        ActivityStatus::Published,
        "",
        Utc::now(),
    )
    .await
    .unwrap();
    let r = send(&app, get(&uri, None)).await;
    assert_eq!(r.status, StatusCode::OK, "published: public");
}

#[tokio::test]
async fn search_matches_percent_and_underscore_literally() {
    let db = small_town("web-like").await;
    let v = village(&db, "200").await;
    let card = rename_head(&db, v.id, "王_五%").await;

    for q in ["%", "_", "_五%", "王_"] {
        let hits = portal::search_households(&db, q).await.unwrap();
        let cards: Vec<&str> = hits.iter().map(|h| h.card_no.as_str()).collect();
        assert_eq!(cards, vec![card.as_str()], "{q}");
    }
    assert!(portal::search_households(&db, "王%五")
        .await
        .unwrap()
        .is_empty());
    let list = app::server::households::list(
        &db,
        VillageId(v.id),
        "_",
        None,
        app::api::households::HouseholdStatus::All,
        1,
    )
    .await
    .unwrap()
    .rows;
    assert_eq!(
        list.iter().map(|h| h.card_no.as_str()).collect::<Vec<_>>(),
        vec![card.as_str()],
        "the office list too"
    );
}

#[tokio::test]
async fn absurd_years_are_refused() {
    let db = small_town("web-years").await;
    let app = app_router(&db);
    let admin = login(&app, "admin").await;
    let this_year = Utc::now().year();
    for uri in [
        "/export/dashboard/2147483647".to_string(),
        "/export/evaluation/2147483647".to_string(),
        "/export/dashboard/1999".to_string(),
        format!("/export/evaluation/{}", this_year + 5),
        "/api/town_dashboard?year=2147483647".to_string(),
        "/api/town_evaluation?year=-2147483648".to_string(),
        "/api/living_score_grid?year=99999".to_string(),
        "/api/nomination_list?year=2147483647".to_string(),
    ] {
        let r = send(&app, get(&uri, Some(&admin))).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}: {}", r.body);
        assert!(r.body.contains("年份应在"), "{uri}: {}", r.body);
    }
    for uri in [
        format!("/export/dashboard/{this_year}"),
        format!("/api/town_dashboard?year={this_year}"),
    ] {
        let r = send(&app, get(&uri, Some(&admin))).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
    }
}

/// A GET from a client at `addr`, as the server sees its connection.
fn get_from(uri: &str, addr: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req = get(uri, cookie);
    let addr: SocketAddr = addr.parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    req
}

#[tokio::test]
async fn anonymous_search_is_rate_limited_per_address() {
    let db = small_town("web-search-limit").await;
    let app = app_router(&db);
    let search = "/api/search_households?q=%E5%BC%A0";
    for i in 0..30 {
        let r = send(&app, get_from(search, "10.13.0.1:5000", None)).await;
        assert_eq!(r.status, StatusCode::OK, "search {i}: {}", r.body);
    }
    let r = send(&app, get_from(search, "10.13.0.1:5001", None)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.body.contains("\"kind\":\"throttled\""), "{}", r.body);
    assert!(r.body.contains("请 1 分钟后再试"), "{}", r.body);

    let r = send(&app, get_from(search, "10.13.0.2:5000", None)).await;
    assert_eq!(r.status, StatusCode::OK, "another address");
    let villager = login(&app, "hu200").await;
    let r = send(&app, get_from(search, "10.13.0.1:5002", Some(&villager))).await;
    assert_eq!(r.status, StatusCode::OK, "signed in");
    // The public pages stay public.
    let r = send(
        &app,
        get_from("/api/village_ranking", "10.13.0.1:5003", None),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
}
