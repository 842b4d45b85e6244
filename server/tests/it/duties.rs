//! Separation of duties over HTTP: a scorer proposes and approves nothing;
//! whoever proposed an entry cannot approve it; a staff member who lives in
//! a household cannot score, approve, correct or redeem for it. Each
//! refusal is a 403 that says why, and writes nothing.

use crate::common;

use app::server::entities::*;
use axum::Router;
use common::*;
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

async fn newest_proposal(db: &app::server::Db, household: i32) -> proposal::Model {
    proposal::Entity::find()
        .filter(proposal::Column::HouseholdId.eq(household))
        .order_by_desc(proposal::Column::Id)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap()
}

async fn review(app: &Router, cookie: &str, village: i32, proposal: i32) -> Reply {
    send(
        app,
        post_json(
            "/api/review_proposals",
            json!({ "village": village, "proposals": [proposal], "approve": true, "reason": "" }),
            Some(cookie),
        ),
    )
    .await
}

fn propose_form(household: i32, item: i32) -> String {
    format!(
        "household={household}&rule_item={item}&occurred_on={}&reason=%E5%85%A5%E6%88%B7%E6%A3%80%E6%9F%A5",
        today().format("%Y-%m-%d")
    )
}

#[tokio::test]
async fn a_scorers_proposal_waits_for_the_clerk_and_the_scorer_cannot_approve_it() {
    let db = small_town("duties-scorer").await;
    let app = app_router(&db);
    let v = village(&db, "200").await;
    let hh = first_household(&db, v.id).await;
    let item = uncapped_item(&db, v.id, 3).await;
    let pf = login(&app, "pf200").await;
    let before = reload(&db, hh.id).await.balance;

    let r = send(
        &app,
        post_form(
            "/api/scorer_propose",
            &propose_form(hh.id, item.id),
            Some(&pf),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        reload(&db, hh.id).await.balance,
        before,
        "a proposal is not points"
    );
    let p = newest_proposal(&db, hh.id).await;
    assert_eq!(p.source, "team");

    // The scorer cannot approve, not even by naming the village.
    let r = review(&app, &pf, v.id, p.id).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = send(
        &app,
        post_form(
            "/api/record_entry",
            &format!(
                "household={}&rule_item={}&reason=x&occurred_on={}",
                hh.id,
                item.id,
                today()
            ),
            Some(&pf),
        ),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a scorer records nothing directly"
    );

    let cun = login(&app, "cun200").await;
    let r = review(&app, &cun, v.id, p.id).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(reload(&db, hh.id).await.balance, before + 3);

    // The scorer's page shows the decision.
    let r = send(&app, get("/api/scorer_home", Some(&pf))).await;
    assert!(r.body.contains("已通过"), "{}", r.body);
}

#[tokio::test]
async fn a_scorer_bound_to_a_group_scores_only_that_group_and_only_with_the_photo_the_rule_asks() {
    let db = small_town("duties-group").await;
    let app = app_router(&db);
    let admin = login(&app, "admin").await;
    let v = village(&db, "200").await;
    let groups = village_group::Entity::find()
        .filter(village_group::Column::VillageId.eq(v.id))
        .order_by_asc(village_group::Column::Id)
        .all(&db.conn)
        .await
        .unwrap();
    let (mine, other) = (&groups[0], &groups[1]);
    let pf_id = caller(&db, "pf200").await.user.0;
    let form = json!({ "username": "pf200", "display_name": "评分员", "phone": "", "role": "Scorer",
        "village": v.id, "group": mine.id, "household_card": "" });
    let r = send(
        &app,
        post_json(
            "/api/staff_update",
            json!({ "id": pf_id, "form": form }),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let pf = login(&app, "pf200").await;
    let item = uncapped_item(&db, v.id, 2).await;
    let in_group = |g: i32| {
        household::Entity::find()
            .filter(household::Column::VillageId.eq(v.id))
            .filter(household::Column::GroupId.eq(g))
            .filter(household::Column::MovedAway.eq(false))
            .one(&db.conn)
    };
    let theirs = in_group(other.id).await.unwrap().unwrap();
    let ours = in_group(mine.id).await.unwrap().unwrap();

    let r = send(
        &app,
        post_form(
            "/api/scorer_propose",
            &propose_form(theirs.id, item.id),
            Some(&pf),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = send(&app, get("/api/scorer_home", Some(&pf))).await;
    assert!(
        !r.body.contains(&theirs.card_no),
        "only the group's households are offered"
    );
    assert!(r.body.contains(&ours.card_no));

    let photo_item = rule_item::Entity::find()
        .filter(rule_item::Column::VillageId.eq(v.id))
        .filter(rule_item::Column::EvidenceRequired.eq(true))
        .filter(rule_item::Column::ActiveUntil.is_null())
        .one(&db.conn)
        .await
        .unwrap()
        .expect("an item that needs a photo");
    let r = send(
        &app,
        post_form(
            "/api/scorer_propose",
            &propose_form(ours.id, photo_item.id),
            Some(&pf),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("证明照片"), "{}", r.body);
}

#[tokio::test]
async fn whoever_files_a_proposal_cannot_approve_it_but_another_reviewer_can() {
    let db = small_town("duties-own-proposal").await;
    let app = app_router(&db);
    let v = village(&db, "200").await;
    let hh = first_household(&db, v.id).await;
    let item = uncapped_item(&db, v.id, 4).await;
    let cun = login(&app, "cun200").await;
    // The clerk files a declaration for a household without a phone (代申报).
    let r = send(
        &app,
        post_form(
            "/api/declare_deed",
            &propose_form(hh.id, item.id),
            Some(&cun),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let p = newest_proposal(&db, hh.id).await;
    let r = review(&app, &cun, v.id, p.id).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("不能审核自己提交的记录"), "{}", r.body);
    let reviews = proposal_review::Entity::find()
        .filter(proposal_review::Column::ProposalId.eq(p.id))
        .all(&db.conn)
        .await
        .unwrap();
    assert!(reviews.is_empty(), "nothing written: {reviews:?}");

    let admin = login(&app, "admin").await;
    let r = review(&app, &admin, v.id, p.id).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn staff_who_live_in_a_household_cannot_score_correct_approve_or_redeem_for_it() {
    let db = small_town("duties-own-household").await;
    let app = app_router(&db);
    let admin = login(&app, "admin").await;
    let v = village(&db, "200").await;
    let home = funded_household(&db, v.id, "2009901", 100).await;
    let neighbour = first_household(&db, v.id).await;
    assert_ne!(home.id, neighbour.id);
    let link = |user: &str, role: &str| {
        json!({ "username": user, "display_name": "住在本村", "phone": "", "role": role,
            "village": v.id, "group": null, "household_card": home.card_no })
    };
    for (user, role) in [("cun200", "VillageAdmin"), ("shop200", "Clerk")] {
        let id = caller(&db, user).await.user.0;
        let r = send(
            &app,
            post_json(
                "/api/staff_update",
                json!({ "id": id, "form": link(user, role) }),
                Some(&admin),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let cun = login(&app, "cun200").await;
    let shop = login(&app, "shop200").await;
    let item = uncapped_item(&db, v.id, 5).await;
    let before = reload(&db, home.id).await;

    let record = |h: i32| {
        post_form(
            "/api/record_entry",
            &format!(
                "household={h}&rule_item={}&reason=x&occurred_on={}",
                item.id,
                today()
            ),
            Some(&cun),
        )
    };
    let r = send(&app, record(home.id)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("不能为自己家记分"), "{}", r.body);
    let r = send(&app, record(neighbour.id)).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the neighbour is fine: {}",
        r.body
    );

    let r = send(
        &app,
        post_json(
            "/api/record_batch",
            json!({ "households": [neighbour.id, home.id], "rule_item": item.id, "reason": "x",
                "occurred_on": today().format("%Y-%m-%d").to_string(), "evidence": null }),
            Some(&cun),
        ),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a batch with the own household: {}",
        r.body
    );

    let entry = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::HouseholdId.eq(home.id))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    let r = send(
        &app,
        post_form(
            "/api/reverse_entry",
            &format!("entry={}&reason=x", entry.id),
            Some(&cun),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("不能更正自己家"), "{}", r.body);

    let pf = login(&app, "pf200").await;
    send(
        &app,
        post_form(
            "/api/scorer_propose",
            &propose_form(home.id, item.id),
            Some(&pf),
        ),
    )
    .await;
    let p = newest_proposal(&db, home.id).await;
    let r = review(&app, &cun, v.id, p.id).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("不能审核自己家"), "{}", r.body);

    let goods = stocked_goods(&db, v.id, 1, 10).await;
    let r = send(
        &app,
        post_json(
            "/api/redeem",
            json!({ "household": home.id, "lines": [{ "goods": goods.id, "quantity": 1 }], "idempotency_key": "own-home-0001" }),
            Some(&shop),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("不能为自己家兑换"), "{}", r.body);

    let after = reload(&db, home.id).await;
    assert_eq!(after.balance, before.balance, "no refusal wrote anything");
    let v: Value =
        serde_json::from_str(&send(&app, get("/api/staff_page", Some(&admin))).await.body).unwrap();
    let linked = v["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["household_card"] == json!(home.card_no))
        .count();
    assert_eq!(linked, 2);
}
