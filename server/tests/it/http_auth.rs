//! Server functions tested as the public HTTP endpoints they are: who may
//! read and write what, methods, origins and login throttling.

use crate::common;

use app::server::Db;
use axum::Router;
use common::*;
use http::{header, StatusCode};

async fn app(name: &str) -> (Router, Db) {
    let db = small_town(name).await;
    (app_router(&db), db)
}

fn redeem_body(household: i32, goods: i32, key: &str) -> serde_json::Value {
    serde_json::json!({ "household": household, "lines": [{ "goods": goods, "quantity": 1 }], "idempotency_key": key })
}

#[tokio::test]
async fn anonymous_callers_cannot_write_or_read_private_data() {
    let (app, db) = app("anon").await;
    let v = village(&db, "200").await;
    let hh = first_household(&db, v.id).await;
    let g = stocked_goods(&db, v.id, 1, 10).await;
    let before = reload(&db, hh.id).await.balance;

    let r = send(
        &app,
        post_json(
            "/api/redeem",
            redeem_body(hh.id, g.id, "anon-key-0001"),
            None,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("请先登录"), "{}", r.body);
    let r = send(
        &app,
        post_form(
            "/api/record_entry",
            &format!(
                "household={}&rule_item=1&reason=x&occurred_on=2026-01-01",
                hh.id
            ),
            None,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = send(
        &app,
        get(&format!("/api/household_private?household={}", hh.id), None),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reload(&db, hh.id).await.balance, before);

    // Public reads work without login.
    let r = send(
        &app,
        get(
            &format!("/api/household_public?card_no={}", hh.card_no),
            None,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&hh.head_name));
    assert!(
        !r.body.contains(&hh.address),
        "no private data on the public page"
    );
}

#[tokio::test]
async fn a_clerk_is_confined_to_their_own_village() {
    let (app, db) = app("confined").await;
    let own = village(&db, "200").await;
    let other = village(&db, "201").await;
    let own_hh = first_household(&db, own.id).await;
    let other_hh = first_household(&db, other.id).await;
    let own_goods = stocked_goods(&db, own.id, 1, 10).await;
    let other_goods = stocked_goods(&db, other.id, 1, 10).await;
    let clerk = login(&app, "shop200").await;

    let r = send(
        &app,
        get(
            &format!("/api/household_private?household={}", other_hh.id),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!r.body.contains(&other_hh.address));
    let r = send(
        &app,
        get(
            &format!("/api/household_private?household={}", own_hh.id),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&own_hh.address));

    let before = reload(&db, other_hh.id).await.balance;
    let r = send(
        &app,
        post_json(
            "/api/redeem",
            redeem_body(other_hh.id, other_goods.id, "cross-key-0001"),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(reload(&db, other_hh.id).await.balance, before);

    // Own village: the same request shape succeeds.
    let funded = funded_household(&db, own.id, "2009100", 10).await;
    let r = send(
        &app,
        post_json(
            "/api/redeem",
            redeem_body(funded.id, own_goods.id, "own-key-00001"),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("receipt_no"));
    assert_eq!(reload(&db, funded.id).await.balance, 9);

    // A village points clerk cannot record points in another village.
    let admin = login(&app, "cun200").await;
    let item = uncapped_item(&db, other.id, 5).await;
    let body = format!(
        "household={}&rule_item={}&reason=%E8%B6%8A%E6%9D%83&occurred_on=2026-01-01",
        other_hh.id, item.id
    );
    let r = send(&app, post_form("/api/record_entry", &body, Some(&admin))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(reload(&db, other_hh.id).await.balance, before);
    assert!(app::server::ledger::verify(&db).await.unwrap().is_empty());
}

#[tokio::test]
async fn writes_need_post_from_the_same_site() {
    let (app, db) = app("origin").await;
    let v = village(&db, "200").await;
    let hh = first_household(&db, v.id).await;
    let g = stocked_goods(&db, v.id, 1, 10).await;
    let clerk = login(&app, "shop200").await;

    // A write endpoint does not answer GET.
    let r = send(&app, get("/api/logout", Some(&clerk))).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);

    // Another site's page cannot make the browser post for the clerk.
    let mut req = post_json(
        "/api/redeem",
        redeem_body(hh.id, g.id, "evil-key-00001"),
        Some(&clerk),
    );
    req.headers_mut()
        .insert(header::ORIGIN, "http://evil.example".parse().unwrap());
    let before = reload(&db, hh.id).await.balance;
    let r = send(&app, req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(reload(&db, hh.id).await.balance, before);

    // The same request from our own origin is accepted.
    let mut req = post_form("/api/logout", "", Some(&clerk));
    req.headers_mut()
        .insert(header::ORIGIN, "http://127.0.0.1:3000".parse().unwrap());
    assert_eq!(send(&app, req).await.status, StatusCode::OK);
    // And the session is gone.
    let r = send(
        &app,
        get(
            &format!("/api/household_private?household={}", hh.id),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_status() {
    let (app, db) = app("bad-input").await;
    let r = send(&app, get("/api/household_public?card_no=abc", None)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("户卡号格式不正确"), "{}", r.body);
    let r = send(&app, get("/api/household_public?card_no=9999999", None)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = send(&app, get("/api/village_info?village=99999", None)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("找不到该村"), "{}", r.body);
    let clerk = login(&app, "shop200").await;
    let hh = first_household(&db, village(&db, "200").await.id).await;
    let r = send(&app, post_json("/api/redeem", serde_json::json!({ "household": hh.id, "lines": [], "idempotency_key": "empty-order-01" }), Some(&clerk))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("请至少选择一件商品"), "{}", r.body);
}

#[tokio::test]
async fn repeated_failed_logins_are_throttled() {
    let (app, _db) = app("throttle").await;
    for _ in 0..5 {
        let r = send(
            &app,
            post_form("/api/login", "username=shop200&password=wrong", None),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("用户名或密码错误"), "{}", r.body);
    }
    // Even the right password is refused while the account is locked.
    let r = send(
        &app,
        post_form("/api/login", "username=shop200&password=gaoliang2026", None),
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("尝试次数过多"), "{}", r.body);
    // Another account from elsewhere is unaffected.
    let r = send(
        &app,
        post_form("/api/login", "username=cun200&password=gaoliang2026", None),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.cookie.is_some());
}

#[tokio::test]
async fn pages_render_on_the_server_with_their_status() {
    let (app, db) = app("pages").await;
    let r = send(&app, get("/", None)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("沙坝村") && r.body.contains("lang=\"zh-CN\""));
    let v = village(&db, "200").await;
    let r = send(&app, get(&format!("/village/{}/board", v.id), None)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("积分榜"));
    let r = send(&app, get("/no/such/page", None)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("页面不存在"));
}

#[tokio::test]
async fn the_office_search_is_for_village_points_clerks_and_stays_in_their_village() {
    let (app, db) = app("office").await;
    let other_hh = first_household(&db, village(&db, "201").await.id).await;
    let r = send(&app, get("/api/office_households?q=200", None)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let clerk = login(&app, "shop200").await;
    let r = send(&app, get("/api/office_households?q=200", Some(&clerk))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let admin = login(&app, "cun200").await;
    let r = send(&app, get("/api/office_households?q=200", Some(&admin))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("\"card_no\":\"200"), "{}", r.body);
    // Another village's card number finds nothing for this clerk.
    let r = send(
        &app,
        get(
            &format!("/api/office_households?q={}", other_hh.card_no),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body, "[]");
    let r = send(&app, get("/api/office_entries", Some(&admin))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains(&other_hh.card_no));
}

#[tokio::test]
async fn back_office_endpoints_stay_in_the_callers_village() {
    let (app, db) = app("office-scope").await;
    let own = village(&db, "200").await;
    let other = village(&db, "201").await;
    let month = app::domain::time::previous_month(app::domain::time::month_key(today()));
    let admin = login(&app, "cun200").await;
    let clerk = login(&app, "shop200").await;
    let town = login(&app, "admin").await;

    // A village admin asking for another village is refused; their own is fine.
    for path in [
        "office_pending",
        "office_ledger_months",
        "office_roster",
        "office_appeals",
    ] {
        let r = send(
            &app,
            get(&format!("/api/{path}?village={}", other.id), Some(&admin)),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.body);
        let r = send(
            &app,
            get(&format!("/api/{path}?village={}", own.id), Some(&admin)),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        let r = send(
            &app,
            get(&format!("/api/{path}?village={}", own.id), Some(&clerk)),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.body);
        // The town admin must say which village, and may act on any.
        let r = send(&app, get(&format!("/api/{path}"), Some(&town))).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.body);
        let r = send(
            &app,
            get(&format!("/api/{path}?village={}", other.id), Some(&town)),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    }

    // Publishing: not for the shop clerk, not another village's, and only once.
    let body = format!("village={}&month={month}", other.id);
    let r = send(&app, post_form("/api/publish_month", &body, Some(&clerk))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = send(&app, post_form("/api/publish_month", &body, Some(&admin))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let body = format!("village={}&month={month}", own.id);
    let r = send(&app, post_form("/api/publish_month", &body, Some(&admin))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = send(&app, post_form("/api/publish_month", &body, Some(&admin))).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("不能重复公示"), "{}", r.body);

    // The posting and its Excel file are public once published, not before.
    let r = send(
        &app,
        get(
            &format!("/api/published_month?village={}&month={month}", own.id),
            None,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = send(
        &app,
        get(&format!("/export/ledger/{}/{month}", own.id), None),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with("PK"));
    let r = send(
        &app,
        get(&format!("/export/ledger/{}/{month}", other.id), None),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = send(
        &app,
        get(
            &format!("/export/ledger/{}/{month}", other.id),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Reviewing another village's proposals is refused and decides nothing.
    let pending = app::server::review::pending(&db, app::domain::VillageId(other.id))
        .await
        .unwrap();
    let body = serde_json::json!({
        "village": other.id, "proposals": [pending[0].proposal.id], "approve": true, "reason": ""
    });
    let r = send(&app, post_json("/api/review_proposals", body, Some(&admin))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let still = app::server::review::pending(&db, app::domain::VillageId(other.id))
        .await
        .unwrap();
    assert_eq!(still.len(), pending.len());

    // Photos are only served to a signed-in caller allowed to see them.
    let r = send(&app, get("/evidence/1", None)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_villagers_pages_are_the_households_own_or_its_clerks() {
    let (app, db) = app("villager-http").await;
    let own = village(&db, "200").await;
    let villager = login(&app, "hu200").await;
    let neighbour = login(&app, "hu201").await;
    let admin = login(&app, "cun200").await;
    let other_admin = login(&app, "cun201").await;
    let mine = first_household(&db, own.id).await;

    let r = send(&app, get("/api/villager_home", None)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = send(&app, get("/api/villager_home", Some(&villager))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(&mine.card_no), "{}", r.body);
    // Staff have no household of their own; other villages' people may not look.
    let r = send(&app, get("/api/villager_home", Some(&admin))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for who in [&neighbour, &other_admin] {
        let r = send(
            &app,
            get(
                &format!("/api/villager_home?household={}", mine.id),
                Some(who),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
    // The village's clerk may act for the household (assisted).
    let r = send(
        &app,
        get(
            &format!("/api/villager_home?household={}", mine.id),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Setting a PIN: only the village's back office, and a bad PIN is a 400.
    let body = format!("household={}&phone=&pin=305271", mine.id);
    for who in [&villager, &other_admin] {
        let r = send(&app, post_form("/api/set_villager_login", &body, Some(who))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
    let bad = format!("household={}&phone=&pin=111111", mine.id);
    let r = send(
        &app,
        post_form("/api/set_villager_login", &bad, Some(&admin)),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let r = send(
        &app,
        post_form("/api/set_villager_login", &body, Some(&admin)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = send(
        &app,
        post_form(
            "/api/login",
            &format!("username={}&password=305271", mine.card_no),
            None,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.cookie.is_some());
    // The new PIN ended the household's earlier session: the new one goes on.
    let r2 = send(&app, get("/api/villager_home", Some(&villager))).await;
    assert_eq!(r2.status, StatusCode::UNAUTHORIZED, "{}", r2.body);
    let villager = r.cookie.unwrap();

    // Appeals are answered by the village's back office only.
    let r = send(
        &app,
        post_form(
            "/api/answer_appeal",
            "appeal=1&uphold=true&answer=x",
            Some(&villager),
        ),
    )
    .await;
    assert!(
        r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND,
        "{}: {}",
        r.status,
        r.body
    );
}

#[tokio::test]
async fn the_town_dashboard_and_evaluation_are_the_town_admins() {
    let (app, db) = app("town-dashboard").await;
    let own = village(&db, "200").await;
    let other = village(&db, "201").await;
    let village_admin = login(&app, "cun200").await;
    let town = login(&app, "admin").await;
    let village_q = |v: i32| format!("/api/village_dashboard?village={v}");
    for uri in [
        "/api/town_dashboard".to_string(),
        "/api/town_evaluation".to_string(),
        village_q(own.id),
        "/export/dashboard/2026".to_string(),
        "/export/evaluation/2026".to_string(),
    ] {
        assert_eq!(
            send(&app, get(&uri, None)).await.status,
            StatusCode::UNAUTHORIZED,
            "{uri}"
        );
        assert_eq!(
            send(&app, get(&uri, Some(&town))).await.status,
            StatusCode::OK,
            "{uri}"
        );
    }
    // A village admin reads their own village's months and nothing else.
    for (uri, status) in [
        (village_q(own.id), StatusCode::OK),
        (village_q(other.id), StatusCode::FORBIDDEN),
        ("/api/town_dashboard".to_string(), StatusCode::FORBIDDEN),
        ("/api/town_evaluation".to_string(), StatusCode::FORBIDDEN),
        ("/export/dashboard/2026".to_string(), StatusCode::FORBIDDEN),
        ("/export/evaluation/2026".to_string(), StatusCode::FORBIDDEN),
    ] {
        let r = send(&app, get(&uri, Some(&village_admin))).await;
        assert_eq!(r.status, status, "{uri}");
    }
    // The public coverage figures are open, without the town's scores.
    let r = send(&app, get("/api/public_coverage", None)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("沙坝村"));
    assert!(
        !r.body.contains("\"living_score_tenths\":9"),
        "{}",
        &r.body[..200]
    );
    let r = send(&app, get("/api/town_dashboard", Some(&town))).await;
    assert!(r.body.contains("\"living_score_tenths\":9"));
}
