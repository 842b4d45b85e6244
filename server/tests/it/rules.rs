//! The rule catalogue editor: a draft revision is not in force; publishing
//! needs a decision record and writes new versions that leave old entries
//! pointing at theirs; other villages' clerks are refused; a village starts
//! from the standard catalogue; the public sees the decision and the diff.

use crate::common;

use std::io::Cursor;

use app::api::rules::{ChangeForm, CopySource, PublishForm};
use app::domain::rule_revision::ChangeKind;
use app::domain::rules::RuleUnit;
use app::domain::{HouseholdId, RuleItemId, VillageId};
use app::error::AppError;
use app::server::entities::*;
use app::server::ledger::{self, NewEntry};
use app::server::rules;
use chrono::Utc;
use common::*;
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 30, image::Rgb([200, 200, 190]));
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn change_points(item: &rule_item::Model, category: &str, points: i32) -> ChangeForm {
    ChangeForm {
        kind: ChangeKind::Change,
        item: Some(RuleItemId(item.id)),
        category: category.into(),
        title: item.title.clone(),
        points,
        unit: RuleUnit::parse(&item.unit).unwrap(),
        monthly_cap: item.monthly_cap,
        evidence_required: item.evidence_required,
    }
}

/// A passing decision of 30 representatives, effective today.
fn decision(revision: i32) -> PublishForm {
    PublishForm {
        village: None,
        revision: revision.to_string(),
        effective_from: day(today()),
        meeting_kind: "representatives".into(),
        meeting_on: day(today()),
        entitled: "30".into(),
        attended: "24".into(),
        votes_for: "20".into(),
        votes_against: "3".into(),
        votes_abstain: "1".into(),
        note: "调整加分".into(),
        minutes: Some(("会议记录.jpg".into(), jpeg())),
    }
}

async fn category_name(db: &app::server::Db, id: i32) -> String {
    rule_category::Entity::find_by_id(id)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap()
        .name
}

#[tokio::test]
async fn a_draft_is_not_in_force_and_publishing_makes_new_versions_old_entries_keep_theirs() {
    let db = small_town("rules-draft").await;
    let v = village(&db, "200").await;
    let clerk = caller(&db, "cun200").await;
    let hh = empty_household(&db, v.id, "2009006").await;
    let item = uncapped_item(&db, v.id, 4).await;
    let cat = category_name(&db, item.category_id).await;
    let draft = rules::save_change(
        &db,
        &clerk,
        VillageId(v.id),
        &change_points(&item, &cat, 7),
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(draft.changes.len(), 1);
    assert_eq!(draft.changes[0].sentence, "修改 测试细则4：+4 → +7");

    // The draft is not in force: entries still use the published version.
    let entry = |item: i32| NewEntry {
        household: HouseholdId(hh.id),
        member: None,
        evidence: None,
        rule_item: RuleItemId(item),
        reason: "参加清扫".into(),
        occurred_on: today(),
    };
    let old = ledger::record_entry(&db, &clerk, entry(item.id), Utc::now())
        .await
        .unwrap();
    assert_eq!(old.points, 4);
    let public = app::server::portal::village_rules(&db, VillageId(v.id), Utc::now())
        .await
        .unwrap();
    let shown = public
        .iter()
        .flat_map(|c| &c.items)
        .find(|i| i.title == "测试细则4")
        .unwrap();
    assert_eq!((shown.id.0, shown.points), (item.id, 4));

    // Without a decision record (or with one that did not pass) nothing
    // is published.
    let mut none = decision(draft.id.0);
    none.meeting_kind = String::new();
    none.minutes = None;
    assert!(matches!(
        rules::publish(&db, &clerk, VillageId(v.id), none, Utc::now()).await,
        Err(AppError::Invalid(_))
    ));
    let mut no_file = decision(draft.id.0);
    no_file.minutes = None;
    assert!(matches!(
        rules::publish(&db, &clerk, VillageId(v.id), no_file, Utc::now()).await,
        Err(AppError::Invalid(m)) if m.contains("会议记录")
    ));
    let mut no_quorum = decision(draft.id.0);
    no_quorum.attended = "19".into();
    no_quorum.votes_for = "15".into();
    assert!(matches!(
        rules::publish(&db, &clerk, VillageId(v.id), no_quorum, Utc::now()).await,
        Err(AppError::Invalid(m)) if m.contains("三分之二")
    ));
    let mut lost = decision(draft.id.0);
    lost.votes_for = "12".into();
    lost.votes_against = "12".into();
    lost.votes_abstain = String::new();
    assert!(matches!(
        rules::publish(&db, &clerk, VillageId(v.id), lost, Utc::now()).await,
        Err(AppError::Invalid(m)) if m.contains("过半") || m.contains("一半")
    ));
    let mut past = decision(draft.id.0);
    past.effective_from = day(today().pred_opt().unwrap());
    assert!(
        rules::publish(&db, &clerk, VillageId(v.id), past, Utc::now())
            .await
            .is_err()
    );
    let still = rule_item::Entity::find_by_id(item.id)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.active_until, None, "a refused publish writes nothing");
    assert_eq!(
        rule_revision::Entity::find_by_id(draft.id.0)
            .one(&db.conn)
            .await
            .unwrap()
            .unwrap()
            .status,
        "draft"
    );

    // Published: the item has a new version; the old entry keeps its own.
    let id = rules::publish(
        &db,
        &clerk,
        VillageId(v.id),
        decision(draft.id.0),
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(id, draft.id);
    let closed = rule_item::Entity::find_by_id(item.id)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(closed.active_until, today().pred_opt());
    assert_eq!(closed.points, 4, "the old version's terms are untouched");
    let next = rule_item::Entity::find()
        .filter(rule_item::Column::LineageId.eq(item.id))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (next.version, next.points, next.active_from),
        (2, 7, today())
    );
    let kept = ledger_entry::Entity::find_by_id(old.id)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((kept.rule_item_id, kept.points), (item.id, 4));
    let new = ledger::record_entry(&db, &clerk, entry(next.id), Utc::now())
        .await
        .unwrap();
    assert_eq!(new.points, 7);

    // Publishing again is refused; the public book shows it in force.
    assert!(matches!(
        rules::publish(
            &db,
            &clerk,
            VillageId(v.id),
            decision(draft.id.0),
            Utc::now()
        )
        .await,
        Err(AppError::Conflict(_))
    ));
    let book = rules::rulebook(&db, VillageId(v.id), Utc::now())
        .await
        .unwrap();
    let in_force = book.in_force.unwrap();
    assert_eq!((in_force.seq, in_force.changed), (2, 1));
    assert_eq!(in_force.decision.votes_for, 20);
    assert!(in_force.decision.minutes_href.is_some());
    assert_eq!(in_force.lines[0].sentence(), "修改 测试细则4：+4 → +7");
    assert_eq!(book.history.len(), 1, "the demo's first revision");
    assert_eq!(book.history[0].added, 39);
    assert!(ledger::verify(&db).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_standard_catalogue_copied_into_an_empty_village_publishes_39_items() {
    let db = small_town("rules-copy").await;
    // 大碑村 does not take part in the demo: it has no items.
    let empty = village(&db, "208").await;
    let admin = caller(&db, "admin").await;
    let n = rules::copy_into_draft(
        &db,
        &admin,
        VillageId(empty.id),
        CopySource::Standard,
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(n, 39);
    // Copying again adds nothing twice.
    let again = rules::copy_into_draft(
        &db,
        &admin,
        VillageId(empty.id),
        CopySource::Standard,
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(again, 0);
    // A village with items changes them instead.
    let shaba = village(&db, "200").await;
    assert!(matches!(
        rules::copy_into_draft(
            &db,
            &admin,
            VillageId(shaba.id),
            CopySource::Standard,
            Utc::now()
        )
        .await,
        Err(AppError::Conflict(_))
    ));
    let editor = rules::editor(&db, VillageId(empty.id), Utc::now())
        .await
        .unwrap();
    assert!(editor.items.is_empty(), "a draft is not the catalogue");
    let draft = editor.draft.unwrap();
    assert_eq!(draft.changes.len(), 39);
    let mut form = decision(draft.id.0);
    form.meeting_kind = "villagers".into();
    form.entitled = "400".into();
    form.attended = "230".into();
    form.votes_for = "200".into();
    form.minutes = Some(("决议.pdf".into(), b"%PDF-1.4\n%minutes\n".to_vec()));
    rules::publish(&db, &admin, VillageId(empty.id), form, Utc::now())
        .await
        .unwrap();
    let live = rule_item::Entity::find()
        .filter(rule_item::Column::VillageId.eq(empty.id))
        .count(&db.conn)
        .await
        .unwrap();
    assert_eq!(live, 39);
    let public = app::server::portal::village_rules(&db, VillageId(empty.id), Utc::now())
        .await
        .unwrap();
    assert_eq!(public.iter().map(|c| c.items.len()).sum::<usize>(), 39);
    assert_eq!(public.len(), 7);
    let book = rules::rulebook(&db, VillageId(empty.id), Utc::now())
        .await
        .unwrap();
    let r = book.in_force.unwrap();
    assert_eq!(
        (r.seq, r.added, r.decision.meeting.as_str()),
        (1, 39, "村民会议")
    );
    assert!(r.decision.minutes_is_pdf);

    // Another village may start from this one's catalogue.
    let other = village(&db, "209").await;
    let n = rules::copy_into_draft(
        &db,
        &admin,
        VillageId(other.id),
        CopySource::Village(VillageId(empty.id)),
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(n, 39);
}

async fn publish_http(
    app: &axum::Router,
    cookie: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Reply {
    let file = file.map(|(name, bytes)| ("minutes", name, bytes));
    send(
        app,
        post_multipart("/api/rules_publish", fields, file, Some(cookie)),
    )
    .await
}

#[tokio::test]
async fn over_http_other_villages_are_refused_and_the_public_sees_the_decision_and_the_diff() {
    let db = small_town("rules-http").await;
    let app = app_router(&db);
    let v = village(&db, "200").await;
    let item = uncapped_item(&db, v.id, 4).await;
    let cat = category_name(&db, item.category_id).await;
    let mine = login(&app, "cun200").await;
    let other = login(&app, "cun201").await;
    let form = serde_json::to_value(change_points(&item, &cat, 6)).unwrap();

    // Another village's clerk can neither name this village nor its item.
    let r = send(
        &app,
        post_json(
            "/api/rules_draft_save",
            json!({ "village": v.id, "form": form }),
            Some(&other),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = send(
        &app,
        post_json(
            "/api/rules_draft_save",
            json!({ "form": form }),
            Some(&other),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = send(
        &app,
        post_json("/api/rules_draft_save", json!({ "form": form }), None),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);

    let r = send(
        &app,
        post_json(
            "/api/rules_draft_save",
            json!({ "form": form }),
            Some(&mine),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let draft: Value = serde_json::from_str(&r.body).unwrap();
    let revision = draft["id"].to_string();
    let today = day(today());
    let fields = [
        ("revision", revision.as_str()),
        ("effective_from", today.as_str()),
        ("meeting_kind", "representatives"),
        ("meeting_on", today.as_str()),
        ("entitled", "21"),
        ("attended", "18"),
        ("votes_for", "16"),
        ("votes_against", "2"),
        ("votes_abstain", ""),
        ("note", ""),
    ];
    let pdf: &[u8] = b"%PDF-1.4\nminutes\n";
    // The other village's clerk cannot publish this village's draft.
    let r = publish_http(&app, &other, &fields, Some(("m.pdf", pdf))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // A file that is neither a picture nor a PDF is refused.
    let r = publish_http(&app, &mine, &fields, Some(("m.pdf", b"<html>"))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    // The draft is still not in force.
    let r = send(
        &app,
        get(&format!("/api/village_rules?village={}", v.id), None),
    )
    .await;
    assert!(
        r.body.contains("\"title\":\"测试细则4\",\"points\":4"),
        "{}",
        r.body
    );

    let r = publish_http(&app, &mine, &fields, Some(("决议 记录.pdf", pdf))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = send(
        &app,
        get(&format!("/api/village_rules?village={}", v.id), None),
    )
    .await;
    assert!(
        r.body.contains("\"title\":\"测试细则4\",\"points\":6"),
        "{}",
        r.body
    );

    let r = send(
        &app,
        get(&format!("/api/village_rulebook?village={}", v.id), None),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let book: Value = serde_json::from_str(&r.body).unwrap();
    let in_force = &book["in_force"];
    assert_eq!(in_force["decision"]["attended"], 18);
    assert_eq!(in_force["decision"]["votes_for"], 16);
    assert_eq!(in_force["lines"][0]["old_points"], 4);
    assert_eq!(in_force["lines"][0]["new_points"], 6);
    let href = in_force["decision"]["minutes_href"].as_str().unwrap();
    let r = send(&app, get(href, None)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[http::header::CONTENT_TYPE], "application/pdf");
    assert!(r.body.starts_with("%PDF"));

    // The public page, rendered on the server, shows the decision and the
    // history line.
    let r = send(&app, get(&format!("/village/{}", v.id), None)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("修改 测试细则4：+4 → +6"), "history line");
    assert!(r.body.contains("赞成 16 票，反对 2 票"), "the vote");
    assert!(r.body.contains("村民代表大会"));
}

#[tokio::test]
async fn a_revision_for_a_later_date_retires_and_adds_from_that_date_only() {
    let db = small_town("rules-later").await;
    let v = village(&db, "200").await;
    let clerk = caller(&db, "cun200").await;
    let item = uncapped_item(&db, v.id, 3).await;
    let cat = category_name(&db, item.category_id).await;
    let retire = ChangeForm {
        kind: ChangeKind::Retire,
        ..change_points(&item, &cat, 3)
    };
    rules::save_change(&db, &clerk, VillageId(v.id), &retire, Utc::now())
        .await
        .unwrap();
    let add = ChangeForm {
        kind: ChangeKind::Add,
        item: None,
        category: "生态保护".into(),
        title: "义务植树".into(),
        points: 3,
        unit: RuleUnit::PerTime,
        monthly_cap: Some(9),
        evidence_required: true,
    };
    let draft = rules::save_change(&db, &clerk, VillageId(v.id), &add, Utc::now())
        .await
        .unwrap();
    assert_eq!(draft.changes.len(), 2);
    // The same title twice in one scheme is refused.
    assert!(matches!(
        rules::save_change(&db, &clerk, VillageId(v.id), &add, Utc::now()).await,
        Err(AppError::Invalid(m)) if m.contains("重复")
    ));
    // An item of another village is not this village's to change.
    let foreign = uncapped_item(&db, village(&db, "201").await.id, 2).await;
    assert!(matches!(
        rules::save_change(
            &db,
            &clerk,
            VillageId(v.id),
            &change_points(&foreign, &cat, 5),
            Utc::now()
        )
        .await,
        Err(AppError::NotFound(_))
    ));

    let tomorrow = today().succ_opt().unwrap();
    let mut form = decision(draft.id.0);
    form.effective_from = day(tomorrow);
    rules::publish(&db, &clerk, VillageId(v.id), form, Utc::now())
        .await
        .unwrap();
    let titles = |cats: Vec<app::api::types::RuleCategoryView>| -> Vec<String> {
        cats.into_iter()
            .flat_map(|c| {
                c.items
                    .into_iter()
                    .map(move |i| format!("{}/{}", c.name, i.title))
            })
            .collect()
    };
    let now = titles(
        app::server::portal::village_rules(&db, VillageId(v.id), Utc::now())
            .await
            .unwrap(),
    );
    assert!(now.contains(&format!("{cat}/测试细则3")));
    assert!(!now.iter().any(|t| t.ends_with("义务植树")));
    let later_time = app::domain::time::china_midnight(tomorrow) + chrono::Duration::hours(9);
    let later = titles(
        app::server::portal::village_rules(&db, VillageId(v.id), later_time)
            .await
            .unwrap(),
    );
    assert!(later.contains(&"生态保护/义务植树".to_string()));
    assert!(!later.iter().any(|t| t.ends_with("测试细则3")));
    // Retired, not deleted.
    let retired = rule_item::Entity::find_by_id(item.id)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(retired.active_until, Some(today()));
    let book = rules::rulebook(&db, VillageId(v.id), Utc::now())
        .await
        .unwrap();
    assert_eq!(book.in_force.unwrap().seq, 1);
    assert_eq!(book.upcoming.len(), 1);
    let up = &book.upcoming[0];
    assert_eq!((up.added, up.removed, up.changed), (1, 1, 0));
    assert_eq!(up.lines[0].sentence(), "停用 测试细则3：+3");

    // Revisions start in the order they are published.
    let other = uncapped_item(&db, v.id, 6).await;
    let next = rules::save_change(
        &db,
        &clerk,
        VillageId(v.id),
        &change_points(&other, &cat, 8),
        Utc::now(),
    )
    .await
    .unwrap();
    assert!(matches!(
        rules::publish(&db, &clerk, VillageId(v.id), decision(next.id.0), Utc::now()).await,
        Err(AppError::Invalid(m)) if m.contains("上一次修订")
    ));
}
