//! Staff accounts over HTTP on a real SQLite file: the town admin creates
//! them with a one-time password that must be replaced before anything
//! else; disabling, resetting or re-scoping ends every session at once;
//! the rules on passwords and user names hold; each change is audited.

use crate::common;

use app::server::entities::*;
use axum::Router;
use common::*;
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

fn form(username: &str, role: &str, village: Option<i32>) -> Value {
    json!({ "username": username, "display_name": "李明", "phone": "", "role": role,
        "village": village, "group": null, "household_card": "" })
}

async fn login_with(app: &Router, user: &str, password: &str) -> Reply {
    send(
        app,
        post_form(
            "/api/login",
            &format!("username={user}&password={}", urlencode(password)),
            None,
        ),
    )
    .await
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Creates an account as the town admin; answers its one-time password.
async fn create(app: &Router, admin: &str, form: Value) -> (i64, String) {
    let r = send(
        app,
        post_json("/api/staff_create", json!({ "form": form }), Some(admin)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    (
        v["account"]["id"].as_i64().unwrap(),
        v["password"].as_str().unwrap().to_string(),
    )
}

fn change(old: &str, new: &str) -> String {
    format!(
        "old={}&new={}&repeat={}",
        urlencode(old),
        urlencode(new),
        urlencode(new)
    )
}

#[tokio::test]
async fn a_new_clerk_signs_in_once_with_the_slip_and_must_set_a_password_before_selling() {
    let db = small_town("staff-first-login").await;
    let app = app_router(&db);
    let admin = login(&app, "admin").await;
    let v = village(&db, "200").await;
    let (_, otp) = create(&app, &admin, form("shop200-2", "Clerk", Some(v.id))).await;

    let r = login_with(&app, "shop200-2", &otp).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("\"home\":\"/me/password\""), "{}", r.body);
    let clerk = r.cookie.unwrap();
    // Nothing works until the password is replaced, over HTTP too.
    let r = send(&app, get("/api/counter_shelf", Some(&clerk))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("请先修改初始密码"), "{}", r.body);

    for (weak, says) in [
        ("short-1", "至少 10 个字符"),
        ("13800138000", "不能全是数字"),
        ("shop200-2-pass", "用户名"),
        ("password123", "太常见"),
        ("aaaaaaaaaaaa", "重复"),
    ] {
        let r = send(
            &app,
            post_form("/api/change_password", &change(&otp, weak), Some(&clerk)),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{weak}: {}", r.body);
        assert!(r.body.contains(says), "{weak}: {}", r.body);
    }
    let r = send(
        &app,
        post_form(
            "/api/change_password",
            &change("not-the-otp", "春风十里扬州路-2026"),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("原密码不正确"), "{}", r.body);

    let r = send(
        &app,
        post_form(
            "/api/change_password",
            &change(&otp, "春风十里扬州路-2026"),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("/kiosk"), "{}", r.body);
    let r = send(&app, get("/api/counter_shelf", Some(&clerk))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The one-time password is spent; the new one signs in.
    assert_eq!(
        login_with(&app, "shop200-2", &otp).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        login_with(&app, "shop200-2", "春风十里扬州路-2026")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_at_once_and_it_cannot_sign_in() {
    let db = small_town("staff-disable").await;
    let app = app_router(&db);
    let admin = login(&app, "admin").await;
    let shop = login(&app, "shop200").await;
    let shop_on_tablet = login(&app, "shop200").await;
    assert_eq!(
        send(&app, get("/api/counter_shelf", Some(&shop)))
            .await
            .status,
        StatusCode::OK
    );
    let id = caller(&db, "shop200").await.user.0;

    let r = send(
        &app,
        post_form(
            "/api/staff_set_active",
            &format!("id={id}&active=false"),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for cookie in [&shop, &shop_on_tablet] {
        let r = send(&app, get("/api/counter_shelf", Some(cookie))).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = login_with(&app, "shop200", "gaoliang2026").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let sessions = session::Entity::find()
        .filter(session::Column::UserId.eq(id))
        .all(&db.conn)
        .await
        .unwrap();
    assert!(sessions.is_empty(), "{sessions:?}");

    send(
        &app,
        post_form(
            "/api/staff_set_active",
            &format!("id={id}&active=true"),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(
        login_with(&app, "shop200", "gaoliang2026").await.status,
        StatusCode::OK
    );

    // The admin cannot lock themself out.
    let me = caller(&db, "admin").await.user.0;
    let r = send(
        &app,
        post_form(
            "/api/staff_set_active",
            &format!("id={me}&active=false"),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_reset_password_replaces_the_old_one_and_signs_the_account_out_everywhere() {
    let db = small_town("staff-reset").await;
    let app = app_router(&db);
    let admin = login(&app, "admin").await;
    let cun = login(&app, "cun200").await;
    let id = caller(&db, "cun200").await.user.0;

    let r = send(
        &app,
        post_form(
            "/api/staff_reset_password",
            &format!("id={id}"),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let otp = serde_json::from_str::<Value>(&r.body).unwrap()["password"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        send(&app, get("/api/office_pending", Some(&cun)))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login_with(&app, "cun200", "gaoliang2026").await.status,
        StatusCode::BAD_REQUEST
    );
    let r = login_with(&app, "cun200", &otp).await;
    assert!(
        r.body.contains("\"must_change_password\":true"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn moving_a_clerk_to_another_village_ends_the_sessions_of_the_old_one() {
    let db = small_town("staff-rescope").await;
    let app = app_router(&db);
    let admin = login(&app, "admin").await;
    let shop = login(&app, "shop200").await;
    let id = caller(&db, "shop200").await.user.0;
    let other = village(&db, "201").await;

    // A change of phone only keeps the session.
    let mut f = form("ignored", "Clerk", Some(village(&db, "200").await.id));
    f["phone"] = json!("138 0013 8000");
    let r = send(
        &app,
        post_json(
            "/api/staff_update",
            json!({ "id": id, "form": f }),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("13800138000"), "{}", r.body);
    assert!(
        r.body.contains("\"username\":\"shop200\""),
        "user names stay: {}",
        r.body
    );
    assert_eq!(
        send(&app, get("/api/counter_shelf", Some(&shop)))
            .await
            .status,
        StatusCode::OK
    );

    let r = send(
        &app,
        post_json(
            "/api/staff_update",
            json!({ "id": id, "form": form("x", "Clerk", Some(other.id)) }),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        send(&app, get("/api/counter_shelf", Some(&shop)))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        caller(&db, "shop200").await.village.map(|v| v.0),
        Some(other.id)
    );
}

#[tokio::test]
async fn user_names_are_suggested_unique_and_never_digits_and_scopes_follow_the_role() {
    let db = small_town("staff-names").await;
    let app = app_router(&db);
    let admin = login(&app, "admin").await;
    let v = village(&db, "200").await;

    let r = send(
        &app,
        get(
            &format!("/api/staff_suggest_username?role=Clerk&village={}", v.id),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(r.body, "\"shop200-2\"", "shop200 is taken");
    let r = send(
        &app,
        get("/api/staff_suggest_username?role=TownStaff", Some(&admin)),
    )
    .await;
    assert_eq!(r.body, "\"zhen-2\"");

    let r = send(
        &app,
        post_json(
            "/api/staff_create",
            json!({ "form": form("shop200", "Clerk", Some(v.id)) }),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = send(
        &app,
        post_json(
            "/api/staff_create",
            json!({ "form": form("2000001", "Clerk", Some(v.id)) }),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "a card number as user name: {}",
        r.body
    );
    let r = send(
        &app,
        post_json(
            "/api/staff_create",
            json!({ "form": form("shop-x", "Clerk", None) }),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("请选择村"), "{}", r.body);
    let r = send(
        &app,
        post_json(
            "/api/staff_create",
            json!({ "form": form("admin2", "TownAdmin", None) }),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "no second town admin from a browser: {}",
        r.body
    );
    // A group of another village is refused.
    let other_group = village_group::Entity::find()
        .filter(village_group::Column::VillageId.ne(v.id))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    let mut f = form("pf200-2", "Scorer", Some(v.id));
    f["group"] = json!(other_group.id);
    let r = send(
        &app,
        post_json("/api/staff_create", json!({ "form": f }), Some(&admin)),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(
        user_account::Entity::find()
            .filter(user_account::Column::Username.eq("pf200-2"))
            .one(&db.conn)
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn the_audit_log_names_who_created_disabled_and_reset_which_account() {
    let db = small_town("staff-audit").await;
    let app = app_router(&db);
    let admin = login(&app, "admin").await;
    let admin_id = caller(&db, "admin").await.user.0;
    let (id, _) = create(
        &app,
        &admin,
        form("pf200-2", "Scorer", Some(village(&db, "200").await.id)),
    )
    .await;
    send(
        &app,
        post_form(
            "/api/staff_reset_password",
            &format!("id={id}"),
            Some(&admin),
        ),
    )
    .await;
    send(
        &app,
        post_form(
            "/api/staff_set_active",
            &format!("id={id}&active=false"),
            Some(&admin),
        ),
    )
    .await;
    let rows = audit_log::Entity::find()
        .filter(audit_log::Column::TargetTable.eq("user_account"))
        .filter(audit_log::Column::TargetId.eq(id as i32))
        .order_by_asc(audit_log::Column::Id)
        .all(&db.conn)
        .await
        .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        ["staff_create", "staff_reset_password", "staff_disable"]
    );
    assert!(rows.iter().all(|r| r.user_id == Some(admin_id)));
    // The one-time password is never written down, not even in the log.
    let otp_logged = rows
        .iter()
        .any(|r| r.detail.contains('-') && r.detail.len() == 14);
    assert!(!otp_logged);
}

#[tokio::test]
async fn town_staff_read_the_staff_list_and_change_nothing() {
    let db = small_town("staff-readonly").await;
    let app = app_router(&db);
    let zhen = login(&app, "zhen").await;
    let r = send(&app, get("/api/staff_page", Some(&zhen))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("\"may_write\":false"));
    assert!(r.body.contains("shop200"));
    let r = send(&app, get("/api/town_dashboard", Some(&zhen))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = caller(&db, "shop200").await.user.0;
    let r = send(
        &app,
        post_form(
            "/api/staff_reset_password",
            &format!("id={id}"),
            Some(&zhen),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A village clerk may not create staff.
    let cun = login(&app, "cun200").await;
    let r = send(
        &app,
        post_json(
            "/api/staff_create",
            json!({ "form": form("shop200-9", "Clerk", Some(village(&db, "200").await.id)) }),
            Some(&cun),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_stolen_session_cannot_be_used_to_guess_the_current_password() {
    let db = small_town("staff-guess").await;
    let app = app_router(&db);
    let cun = login(&app, "cun200").await;
    let mut statuses = Vec::new();
    for i in 0..8 {
        let r = send(
            &app,
            post_form(
                "/api/change_password",
                &change(&format!("guess-{i:04}"), "春风十里扬州路-2026"),
                Some(&cun),
            ),
        )
        .await;
        statuses.push(r.status.as_u16());
    }
    assert_eq!(&statuses[..5], &[400; 5], "{statuses:?}");
    assert!(
        statuses[5..].iter().all(|s| *s == 429),
        "then each guess must wait: {statuses:?}"
    );
    // The right password waits too, and the old one still signs in later.
    let r = send(
        &app,
        post_form(
            "/api/change_password",
            &change("gaoliang2026", "春风十里扬州路-2026"),
            Some(&cun),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}
