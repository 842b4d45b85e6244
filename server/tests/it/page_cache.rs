//! The public page cache through the real router: a kept page answers
//! again (with its own CSP nonce) and a conditional GET gets 304 while
//! nothing changed, and the first read after a committed write shows it.

use crate::common;

use app::domain::{HouseholdId, RuleItemId};
use app::server::ledger;
use axum::body::Body;
use chrono::Utc;
use common::*;
use http::{header, Method, Request, StatusCode};

fn etag(r: &Reply) -> String {
    r.headers
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .expect("an ETag")
        .to_string()
}

/// The nonce the response's CSP names.
fn csp_nonce(r: &Reply) -> String {
    let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    let start = csp.find("'nonce-").unwrap() + "'nonce-".len();
    csp[start..start + csp[start..].find('\'').unwrap()].to_string()
}

fn conditional(uri: &str, etag: &str) -> Request<Body> {
    Request::builder()
        .method(Method::GET)
        .uri(uri)
        .header(header::IF_NONE_MATCH, etag)
        .body(Body::empty())
        .unwrap()
}

/// Records an award for `household` through the service, as the office does.
async fn award(
    db: &app::server::Db,
    clerk: &app::domain::roles::Caller,
    household: i32,
    item: i32,
    reason: &str,
) {
    ledger::record_entry(
        db,
        clerk,
        ledger::NewEntry {
            household: HouseholdId(household),
            member: None,
            evidence: None,
            rule_item: RuleItemId(item),
            reason: reason.into(),
            occurred_on: today(),
        },
        Utc::now(),
    )
    .await
    .unwrap();
}

fn balance_of(html: &str) -> String {
    let at = html.find("data-testid=\"balance\"").expect("the balance");
    let start = at + html[at..].find('>').unwrap() + 1;
    html[start..start + html[start..].find('<').unwrap()].to_string()
}

#[tokio::test]
async fn a_public_page_is_answered_again_until_a_write_changes_it() {
    let db = small_town("page-cache").await;
    let app = app_router(&db);
    let v = village(&db, "200").await;
    let hh = empty_household(&db, v.id, "2009901").await;
    let item = uncapped_item(&db, v.id, 7).await;
    let clerk = caller(&db, "cun200").await;
    let page = "/household/2009901";

    let first = send(&app, get(page, None)).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(balance_of(&first.body), "0");
    let tag = etag(&first);
    assert_eq!(first.headers[header::CACHE_CONTROL], "no-cache");

    // Answered again: the same page, but with this answer's own nonce in
    // both the header and the scripts.
    let again = send(&app, get(page, None)).await;
    assert_eq!(etag(&again), tag);
    let (n1, n2) = (csp_nonce(&first), csp_nonce(&again));
    assert_ne!(n1, n2);
    assert!(again.body.contains(&format!("nonce=\"{n2}\"")));
    assert!(!again.body.contains(&n1));
    assert_eq!(again.body.replace(&n2, "N"), first.body.replace(&n1, "N"));

    // The browser that has it is told nothing changed, and no new CSP
    // replaces the one its kept page's scripts were sent with.
    let not_modified = send(&app, conditional(page, &tag)).await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    assert!(not_modified.body.is_empty());
    assert!(!not_modified
        .headers
        .contains_key(header::CONTENT_SECURITY_POLICY));

    // A write, then at once the page, the board and the town ranking.
    award(&db, &clerk, hh.id, item.id, "缓存测试").await;
    let after = send(&app, conditional(page, &tag)).await;
    assert_eq!(after.status, StatusCode::OK, "the changed page, not a 304");
    assert_eq!(balance_of(&after.body), "7");
    assert_ne!(etag(&after), tag);
    let board = send(&app, get(&format!("/village/{}/board", v.id), None)).await;
    assert!(
        board.body.contains("测试户"),
        "the board lists the new points"
    );
}

#[tokio::test]
async fn a_village_write_leaves_other_villages_pages_kept() {
    let db = small_town("page-cache-scope").await;
    let app = app_router(&db);
    let here = village(&db, "200").await;
    let other = village(&db, "201").await;
    let hh = empty_household(&db, here.id, "2009902").await;
    let item = uncapped_item(&db, here.id, 3).await;
    let clerk = caller(&db, "cun200").await;
    let other_board = format!("/village/{}/board", other.id);
    let here_board = format!("/village/{}/board", here.id);
    let minute = || Utc::now().timestamp() / 60;
    let started = minute();
    let other_tag = etag(&send(&app, get(&other_board, None)).await);
    let here_tag = etag(&send(&app, get(&here_board, None)).await);
    let home_tag = etag(&send(&app, get("/", None)).await);

    award(&db, &clerk, hh.id, item.id, "只改本村").await;
    let other_now = send(&app, conditional(&other_board, &other_tag)).await;
    let here_now = send(&app, conditional(&here_board, &here_tag)).await;
    let home_now = send(&app, conditional("/", &home_tag)).await;
    // Pages are also kept per minute: if the minute turned meanwhile every
    // tag moved, which is right but says nothing about villages.
    if minute() == started {
        assert_eq!(
            other_now.status,
            StatusCode::NOT_MODIFIED,
            "another village's board is unchanged"
        );
    }
    assert_eq!(
        here_now.status,
        StatusCode::OK,
        "this village's board changed"
    );
    assert_eq!(
        home_now.status,
        StatusCode::OK,
        "the town home sums every village"
    );
}

#[tokio::test]
async fn signed_in_callers_and_back_office_pages_are_never_kept() {
    let db = small_town("page-cache-signed-in").await;
    let app = app_router(&db);
    let cookie = login(&app, "cun200").await;
    let signed_in = send(&app, get("/", Some(&cookie))).await;
    assert_eq!(signed_in.status, StatusCode::OK);
    assert!(!signed_in.headers.contains_key(header::ETAG));
    let office = send(&app, get("/office", Some(&cookie))).await;
    assert!(!office.headers.contains_key(header::ETAG));
    let anonymous = send(&app, get("/", None)).await;
    assert!(anonymous.headers.contains_key(header::ETAG));
    assert!(
        !anonymous.body.contains("退出"),
        "an anonymous page names no one"
    );
}
