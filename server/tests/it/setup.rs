//! Setting the town up, over HTTP: the readiness checklist's figures against
//! the demo town (counted here with plain queries, not through the
//! service), the units' flags (town admin only, taking part only when
//! agricultural), and a village's groups (its own clerk or the town admin;
//! a merge moves the households and leaves past months alone).

use crate::common;

use std::collections::{HashMap, HashSet};

use app::domain::time::china_date;
use app::server::entities::*;
use app::server::{ledger, Db};
use chrono::Utc;
use common::*;
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

fn body(r: &Reply) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.body))
}

/// The checklist row of a village, as `check key -> (ok, figure)`.
fn row_of(page: &Value, village: i32) -> HashMap<String, (bool, String)> {
    let row = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["village_id"] == json!(village))
        .unwrap_or_else(|| panic!("no row for village {village}"));
    let keys: Vec<String> = page["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[0].as_str().unwrap().to_string())
        .collect();
    row["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let key = c["check"].as_str().unwrap().to_string();
            assert!(keys.contains(&key), "{key} not a column");
            (
                key,
                (
                    c["ok"].as_bool().unwrap(),
                    c["figure"].as_str().unwrap().into(),
                ),
            )
        })
        .collect()
}

async fn overview(app: &axum::Router, cookie: &str) -> Value {
    let r = send(app, get("/api/setup_overview", Some(cookie))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    body(&r)
}

/// Village 200's figures, counted row by row in Rust.
struct Expected {
    clerks: usize,
    shops: usize,
    groups: usize,
    rules: usize,
    households: usize,
    pins: usize,
    goods: usize,
    published: usize,
}

async fn expected(db: &Db, v: i32) -> Expected {
    let accounts = user_account::Entity::find().all(&db.conn).await.unwrap();
    let staff = |role: &str| {
        accounts
            .iter()
            .filter(|a| a.village_id == Some(v) && a.role == role && a.active)
            .count()
    };
    let today = china_date(Utc::now());
    let rules = rule_item::Entity::find()
        .filter(rule_item::Column::VillageId.eq(v))
        .all(&db.conn)
        .await
        .unwrap()
        .into_iter()
        .filter(|i| i.active_from <= today && i.active_until.is_none_or(|u| u >= today))
        .count();
    let households: Vec<household::Model> = household::Entity::find()
        .filter(household::Column::VillageId.eq(v))
        .all(&db.conn)
        .await
        .unwrap()
        .into_iter()
        .filter(|h| !h.moved_away)
        .collect();
    let signed_in: HashSet<i32> = accounts
        .iter()
        .filter(|a| a.role == "villager" && a.active)
        .filter_map(|a| a.household_id)
        .collect();
    let goods = goods::Entity::find()
        .filter(goods::Column::VillageId.eq(v))
        .all(&db.conn)
        .await
        .unwrap()
        .into_iter()
        .filter(|g| g.active && g.stock > 0)
        .count();
    Expected {
        clerks: staff("village_admin"),
        shops: staff("clerk"),
        groups: village_group::Entity::find()
            .filter(village_group::Column::VillageId.eq(v))
            .all(&db.conn)
            .await
            .unwrap()
            .into_iter()
            .filter(|g| g.retired_at.is_none())
            .count(),
        rules,
        pins: households
            .iter()
            .filter(|h| signed_in.contains(&h.id))
            .count(),
        households: households.len(),
        goods,
        published: published_month::Entity::find()
            .filter(published_month::Column::VillageId.eq(v))
            .count(&db.conn)
            .await
            .unwrap() as usize,
    }
}

#[tokio::test]
async fn the_checklist_shows_the_demo_towns_figures_and_notes_printed_cards() {
    let db = small_town("setup-checklist").await;
    let app = app_router(&db);
    let admin = login(&app, "admin").await;
    let page = overview(&app, &admin).await;

    let units = village::Entity::find().all(&db.conn).await.unwrap();
    assert_eq!(page["units"].as_array().unwrap().len(), units.len());
    assert_eq!(units.len(), 22);
    let taking_part: Vec<i32> = units
        .iter()
        .filter(|u| u.taking_part)
        .map(|u| u.id)
        .collect();
    assert_eq!(page["rows"].as_array().unwrap().len(), taking_part.len());

    let v = village(&db, "200").await;
    let e = expected(&db, v.id).await;
    let row = row_of(&page, v.id);
    let cell = |k: &str| row.get(k).cloned().unwrap_or_else(|| panic!("no cell {k}"));
    assert_eq!(
        cell("clerk_account"),
        (e.clerks > 0, format!("{} 个", e.clerks))
    );
    assert_eq!(
        cell("shop_account"),
        (e.shops > 0, format!("{} 个", e.shops))
    );
    assert_eq!(cell("groups"), (e.groups > 0, format!("{} 个组", e.groups)));
    assert_eq!(cell("rules"), (e.rules > 0, format!("{} 条", e.rules)));
    assert_eq!(cell("households"), (true, format!("{} 户", e.households)));
    assert_eq!(
        cell("pins"),
        (e.pins > 0, format!("{} / {} 户", e.pins, e.households))
    );
    assert_eq!(cell("goods"), (e.goods >= 10, format!("{} 种", e.goods)));
    let posted = if e.published > 0 {
        format!("已公示 {} 个月", e.published)
    } else {
        "未公示".to_string()
    };
    assert_eq!(cell("first_month"), (e.published > 0, posted));
    // The demo town has staff, rules, households and a PIN in every village.
    assert!(e.clerks > 0 && e.shops > 0 && e.rules > 0 && e.pins > 0);
    // Nothing has recorded a card print yet.
    assert_eq!(cell("cards"), (false, "未打印".into()));

    // The clerk prints the card sheet: the cell turns ✓ with today's date.
    let clerk = login(&app, "cun200").await;
    let r = send(
        &app,
        post_json(
            "/api/cards_printed",
            json!({ "village": null }),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(body(&r), json!(e.households));
    let print = card_print::Entity::find()
        .filter(card_print::Column::VillageId.eq(v.id))
        .one(&db.conn)
        .await
        .unwrap()
        .expect("a print row");
    assert_eq!(print.cards as usize, e.households);
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("print_cards"))
        .count(&db.conn)
        .await
        .unwrap();
    assert_eq!(audited, 1);
    let row = row_of(&overview(&app, &admin).await, v.id);
    let today = china_date(Utc::now()).format("%Y-%m-%d").to_string();
    assert_eq!(row["cards"], (true, format!("{today} 打印")));
    // A household added after the print has no card yet.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    empty_household(&db, v.id, "2009992").await;
    let row = row_of(&overview(&app, &admin).await, v.id);
    assert!(!row["cards"].0, "{:?}", row["cards"]);
    assert!(
        row["cards"].1.contains("之后有新增农户"),
        "{:?}",
        row["cards"]
    );
    // Another village's clerk cannot note a print of 200.
    let other = login(&app, "cun201").await;
    let r = send(
        &app,
        post_json(
            "/api/cards_printed",
            json!({ "village": v.id }),
            Some(&other),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Village clerks do not read the town's checklist.
    let r = send(&app, get("/api/setup_overview", Some(&clerk))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn only_the_town_admin_sets_flags_and_only_agricultural_units_take_part() {
    let db = small_town("setup-flags").await;
    let app = app_router(&db);
    let admin = login(&app, "admin").await;
    let clerk = login(&app, "cun200").await;
    let v = village(&db, "200").await;
    let set = |village: i32, agricultural: bool, taking_part: bool| json!({ "village": village, "agricultural": agricultural, "taking_part": taking_part });
    let audits = || async {
        audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("set_unit_flags"))
            .count(&db.conn)
            .await
            .unwrap()
    };

    // A village clerk may not, not even for their own village.
    let r = send(
        &app,
        post_json("/api/unit_flags_set", set(v.id, true, false), Some(&clerk)),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = send(
        &app,
        post_json("/api/unit_flags_set", set(v.id, true, false), None),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(village(&db, "200").await.taking_part);

    // A unit that is not agricultural cannot take part: 400 in Chinese.
    let dabei = village::Entity::find()
        .filter(village::Column::Name.eq("大碑村"))
        .one(&db.conn)
        .await
        .unwrap()
        .expect("大碑村");
    assert!(!dabei.taking_part);
    let r = send(
        &app,
        post_json(
            "/api/unit_flags_set",
            set(dabei.id, false, true),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("涉农"), "{}", r.body);
    // Nor may a taking-part unit lose its agricultural flag.
    let r = send(
        &app,
        post_json("/api/unit_flags_set", set(v.id, false, true), Some(&admin)),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let r = send(
        &app,
        post_json(
            "/api/unit_flags_set",
            set(999_999, true, true),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert_eq!(audits().await, 0);

    // The town admin takes 200 out: it leaves the checklist; audited.
    let r = send(
        &app,
        post_json("/api/unit_flags_set", set(v.id, true, false), Some(&admin)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(body(&r)["taking_part"], json!(false));
    assert!(!village(&db, "200").await.taking_part);
    let page = overview(&app, &admin).await;
    assert!(page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["village_id"] != json!(v.id)));
    assert_eq!(audits().await, 1);
    // Saving the same flags again writes nothing.
    let r = send(
        &app,
        post_json("/api/unit_flags_set", set(v.id, true, false), Some(&admin)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(audits().await, 1);
    // And back in.
    let r = send(
        &app,
        post_json("/api/unit_flags_set", set(v.id, true, true), Some(&admin)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(village(&db, "200").await.taking_part);
    // 大碑村 made agricultural may then take part.
    let r = send(
        &app,
        post_json(
            "/api/unit_flags_set",
            set(dabei.id, true, true),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(audits().await, 3);
}

async fn groups_of(db: &Db, v: i32) -> Vec<village_group::Model> {
    village_group::Entity::find()
        .filter(village_group::Column::VillageId.eq(v))
        .order_by_asc(village_group::Column::SortOrder)
        .order_by_asc(village_group::Column::Id)
        .all(&db.conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_clerk_of_another_village_cannot_touch_the_groups_of_200() {
    let db = small_town("setup-groups-authz").await;
    let app = app_router(&db);
    let other = login(&app, "cun201").await;
    let shop = login(&app, "shop200").await;
    let v = village(&db, "200").await;
    let before = groups_of(&db, v.id).await;
    let (a, b) = (before[0].id, before[1].id);
    let calls = [
        (
            "/api/group_create",
            json!({ "village": v.id, "name": "外村组" }),
        ),
        (
            "/api/group_rename",
            json!({ "village": v.id, "group": a, "name": "外村改名" }),
        ),
        (
            "/api/group_merge",
            json!({ "village": v.id, "from": a, "into": b }),
        ),
    ];
    for (uri, args) in &calls {
        for cookie in [Some(other.as_str()), Some(shop.as_str()), None] {
            let r = send(&app, post_json(uri, args.clone(), cookie)).await;
            assert!(
                matches!(r.status.as_u16(), 401 | 403),
                "{uri} {cookie:?}: {} {}",
                r.status,
                r.body
            );
        }
    }
    // Naming 200's groups from their own village (no `village`) is 404.
    let r = send(
        &app,
        post_json(
            "/api/group_rename",
            json!({ "village": null, "group": a, "name": "外村改名" }),
            Some(&other),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let theirs = groups_of(&db, village(&db, "201").await.id).await;
    let r = send(
        &app,
        post_json(
            "/api/group_merge",
            json!({ "village": null, "from": theirs[0].id, "into": a }),
            Some(&other),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = send(
        &app,
        get(
            &format!("/api/office_groups?village={}", v.id),
            Some(&other),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(groups_of(&db, v.id).await, before);
    assert_eq!(groups_of(&db, village(&db, "201").await.id).await, theirs);
}

#[tokio::test]
async fn names_are_checked_and_unique_among_the_villages_current_groups() {
    let db = small_town("setup-group-names").await;
    let app = app_router(&db);
    let clerk = login(&app, "cun200").await;
    let v = village(&db, "200").await;
    let groups = groups_of(&db, v.id).await;
    let taken = groups[0].name.clone();
    for name in [
        taken.clone(),
        format!(" {taken} "),
        String::new(),
        "组".repeat(21),
    ] {
        let r = send(
            &app,
            post_json(
                "/api/group_create",
                json!({ "village": null, "name": name }),
                Some(&clerk),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{name}: {}", r.body);
    }
    let r = send(
        &app,
        post_json(
            "/api/group_rename",
            json!({ "village": null, "group": groups[1].id, "name": taken }),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("已有"), "{}", r.body);
    assert_eq!(groups_of(&db, v.id).await, groups);

    let r = send(
        &app,
        post_json(
            "/api/group_create",
            json!({ "village": null, "name": "新建组" }),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = send(
        &app,
        post_json(
            "/api/group_rename",
            json!({ "village": null, "group": groups[0].id, "name": "改过的组" }),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let after = groups_of(&db, v.id).await;
    assert_eq!(after.len(), groups.len() + 1);
    assert_eq!(after[0].name, "改过的组");
    assert_eq!(after.last().unwrap().name, "新建组");
    let audits = audit_log::Entity::find()
        .filter(audit_log::Column::Action.is_in(["create_group", "rename_group"]))
        .count(&db.conn)
        .await
        .unwrap();
    assert_eq!(audits, 2);
    // The town admin works on any village's groups with `village`.
    let admin = login(&app, "admin").await;
    let r = send(
        &app,
        post_json(
            "/api/group_create",
            json!({ "village": v.id, "name": "镇里建的组" }),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn a_merge_moves_the_households_and_past_months_keep_their_group() {
    let db = small_town("setup-merge").await;
    let app = app_router(&db);
    let clerk = login(&app, "cun200").await;
    let v = village(&db, "200").await;
    let groups = groups_of(&db, v.id).await;
    let (a, b) = (groups[0].clone(), groups[1].clone());
    let in_a: Vec<i32> = household::Entity::find()
        .filter(household::Column::GroupId.eq(a.id))
        .all(&db.conn)
        .await
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    let in_b_before = household::Entity::find()
        .filter(household::Column::GroupId.eq(b.id))
        .count(&db.conn)
        .await
        .unwrap() as usize;
    assert!(!in_a.is_empty());
    let months_before = household_month::Entity::find()
        .filter(household_month::Column::VillageId.eq(v.id))
        .order_by_asc(household_month::Column::HouseholdId)
        .order_by_asc(household_month::Column::Month)
        .all(&db.conn)
        .await
        .unwrap();
    assert!(
        months_before.iter().any(|m| m.group_id == a.id),
        "the demo has months of group A"
    );
    let published_before = published_month::Entity::find()
        .filter(published_month::Column::VillageId.eq(v.id))
        .all(&db.conn)
        .await
        .unwrap();

    let r = send(
        &app,
        post_json(
            "/api/group_merge",
            json!({ "village": null, "from": a.id, "into": b.id }),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(body(&r)["moved"], json!(in_a.len()));

    for h in &in_a {
        assert_eq!(reload(&db, *h).await.group_id, b.id);
    }
    let in_b_after = household::Entity::find()
        .filter(household::Column::GroupId.eq(b.id))
        .count(&db.conn)
        .await
        .unwrap() as usize;
    assert_eq!(in_b_after, in_b_before + in_a.len());
    // Past months and postings untouched.
    let months_after = household_month::Entity::find()
        .filter(household_month::Column::VillageId.eq(v.id))
        .order_by_asc(household_month::Column::HouseholdId)
        .order_by_asc(household_month::Column::Month)
        .all(&db.conn)
        .await
        .unwrap();
    assert_eq!(months_after, months_before);
    let published_after = published_month::Entity::find()
        .filter(published_month::Column::VillageId.eq(v.id))
        .all(&db.conn)
        .await
        .unwrap();
    assert_eq!(published_after, published_before);
    // A is retired, pointing at B, and audited.
    let a_now = village_group::Entity::find_by_id(a.id)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert!(a_now.retired_at.is_some());
    assert_eq!(a_now.merged_into, Some(b.id));
    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("merge_group"))
        .one(&db.conn)
        .await
        .unwrap()
        .expect("audited");
    assert_eq!(audit.target_id, Some(a.id));

    // A leaves the pickers; the office list shows it last, merged.
    let r = send(
        &app,
        get(&format!("/api/village_info?village={}", v.id), None),
    )
    .await;
    let info = body(&r);
    assert!(info["groups"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["id"] != json!(a.id)));
    let r = send(&app, get("/api/office_groups", Some(&clerk))).await;
    let list = body(&r);
    let last = list.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["id"], json!(a.id));
    assert_eq!(last["retired"], json!(true));
    assert_eq!(last["merged_into"], json!(b.name));
    // A's past months stay on the board's group filter by its id.
    let r = send(
        &app,
        get(
            &format!(
                "/api/leaderboard?village={}&period=Year&group={}",
                v.id, a.id
            ),
            None,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The batch roster of A is empty: its households are B's now.
    let r = send(
        &app,
        get(&format!("/api/office_roster?group={}", a.id), Some(&clerk)),
    )
    .await;
    assert_eq!(body(&r), json!([]));

    // A merged group takes no more merges, renames or households.
    for args in [
        json!({ "village": null, "from": a.id, "into": b.id }),
        json!({ "village": null, "from": b.id, "into": a.id }),
        json!({ "village": null, "from": b.id, "into": b.id }),
    ] {
        let r = send(
            &app,
            post_json("/api/group_merge", args.clone(), Some(&clerk)),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{args}: {}", r.body);
    }
    let r = send(
        &app,
        post_json(
            "/api/group_rename",
            json!({ "village": null, "group": a.id, "name": "复活" }),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let r = send(
        &app,
        post_json(
            "/api/hh_create",
            json!({ "village": null, "form": { "group": a.id, "head_name": "新户", "card_no": "",
                "address": "x", "resident": true, "aware": true, "members": [] } }),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    // Its name is free again for a new group.
    let r = send(
        &app,
        post_json(
            "/api/group_create",
            json!({ "village": null, "name": a.name }),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(ledger::verify(&db).await.unwrap().is_empty());
}
