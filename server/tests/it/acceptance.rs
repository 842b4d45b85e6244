//! Acceptance (验收) and the evaluation inputs on a real SQLite file: the
//! demo's acceptance records, marking and withdrawing, evidence uploads,
//! score entry and its range, disqualifying flags, the nomination rules,
//! and who may do each (also over HTTP: anonymous 401, village admin 403).

use crate::common;

use std::io::Cursor;

use app::domain::acceptance::ChecklistItem;
use app::domain::evaluation::{Disqualification, Level};
use app::domain::time::{china_date, month_key};
use app::domain::VillageId;
use app::error::AppError;
use app::server::entities::audit_log;
use app::server::{acceptance, evaluation_inputs as inputs};
use chrono::{Datelike, NaiveDate, Utc};
use common::*;
use http::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 30, image::Rgb([200, 30, 30]));
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

#[tokio::test]
async fn the_demo_town_has_acceptances_late_ones_and_one_waiting() {
    let db = small_town("accept-demo").await;
    let today = china_date(Utc::now());
    let list = acceptance::acceptance_overview(&db, today).await.unwrap();
    assert_eq!(list.len(), 15);
    let by = |name: &str| list.iter().find(|v| v.village_name == name).unwrap();
    assert_eq!(by("沙坝村").accepted_on.as_deref(), Some("2026-07-30"));
    assert!(!by("沙坝村").late);
    assert_eq!(by("庙垭村").accepted_on.as_deref(), Some("2026-08-15"));
    assert!(!by("庙垭村").late, "the deadline day is on time");
    assert!(by("茨坪村").late && by("顺安村").late && by("桐槽村").late);
    assert_eq!(by("豪家村").accepted_on, None);
    assert!(by("豪家村").late, "not accepted after 15 August");
    assert_eq!(list.iter().filter(|v| v.late).count(), 4);
    // Evidence: 豪家村 has only its scheme; 桐槽村 lacks two of the 六有.
    let hao = by("豪家村");
    assert!(hao.standards[0] && !hao.standards[1]);
    let tong = by("桐槽村");
    let missing: Vec<&str> = tong
        .items
        .iter()
        .filter(|i| i.needs_evidence && !i.met)
        .map(|i| i.item.as_str())
        .collect();
    assert_eq!(missing, vec!["signboard", "prices"]);
    // Scores for every finished month, one flag on one village.
    let scores = inputs::living_scores(&db, 202601, 202612).await.unwrap();
    let finished = (month_key(today) - 202601).min(12) as usize;
    assert_eq!(scores.len(), 15 * finished);
    assert!(scores.values().all(|s| (880..=972).contains(s)));
    assert!(scores.values().any(|s| *s <= 900));
    let flags = inputs::active_flags(&db).await.unwrap();
    assert_eq!(flags.len(), 1);
    let (_, f) = flags.iter().next().unwrap();
    assert_eq!(f[0].village_name, "茨坪村");
    assert_eq!(f[0].label, "造成负面舆情");
}

#[tokio::test]
async fn the_town_admin_accepts_withdraws_and_adds_evidence() {
    let db = small_town("accept-mark").await;
    let town = caller(&db, "admin").await;
    let clerk = caller(&db, "cun200").await;
    let hao = VillageId(village(&db, "214").await.id);
    let own = VillageId(village(&db, "200").await.id);
    let now = Utc::now();
    let today = china_date(now);

    // Village admins and clerks may not write.
    let on = NaiveDate::from_ymd_opt(2026, 8, 20).unwrap();
    assert_eq!(
        acceptance::mark_accepted(&db, &clerk, own, on, "", now).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        acceptance::withdraw_acceptance(&db, &clerk, own, "x", now).await,
        Err(AppError::Forbidden)
    );
    assert!(matches!(
        acceptance::add_evidence(
            &db,
            &clerk,
            own,
            ChecklistItem::Place,
            "a.jpg",
            jpeg(),
            "",
            now
        )
        .await,
        Err(AppError::Forbidden)
    ));
    // A date in the future is refused.
    assert!(matches!(
        acceptance::mark_accepted(&db, &town, hao, today.succ_opt().unwrap(), "", now).await,
        Err(AppError::Invalid(_))
    ));

    acceptance::mark_accepted(&db, &town, hao, on, "补验合格", now)
        .await
        .unwrap();
    assert!(matches!(
        acceptance::mark_accepted(&db, &town, hao, on, "", now).await,
        Err(AppError::Conflict(_))
    ));
    let d = acceptance::village_detail(&db, &town, hao, today)
        .await
        .unwrap();
    assert_eq!(d.overview.accepted_on.as_deref(), Some("2026-08-20"));
    assert!(d.overview.late);
    assert_eq!(d.overview.accepted_by.as_deref(), Some("镇管理员"));

    // Withdrawal needs a reason and keeps the record.
    assert!(matches!(
        acceptance::withdraw_acceptance(&db, &town, hao, "  ", now).await,
        Err(AppError::Invalid(_))
    ));
    acceptance::withdraw_acceptance(&db, &town, hao, "台账不全，重新验收", now)
        .await
        .unwrap();
    let early = NaiveDate::from_ymd_opt(2026, 8, 15).unwrap();
    acceptance::mark_accepted(&db, &town, hao, early, "", now)
        .await
        .unwrap();
    let d = acceptance::village_detail(&db, &town, hao, today)
        .await
        .unwrap();
    assert_eq!(d.history.len(), 2);
    assert_eq!(
        d.history[1].withdraw_reason.as_deref(),
        Some("台账不全，重新验收")
    );
    assert!(!d.overview.late);

    // Evidence: a photo adds to the item, an unknown file is refused.
    let before = d
        .overview
        .items
        .iter()
        .find(|i| i.item == "signboard")
        .unwrap()
        .met;
    assert!(!before);
    let e = acceptance::add_evidence(
        &db,
        &town,
        hao,
        ChecklistItem::Signboard,
        "招牌.jpg",
        jpeg(),
        "新招牌",
        now,
    )
    .await
    .unwrap();
    assert!(e.is_image);
    assert!(matches!(
        acceptance::add_evidence(
            &db,
            &town,
            hao,
            ChecklistItem::Signboard,
            "x.exe",
            b"MZ..".to_vec(),
            "",
            now
        )
        .await,
        Err(AppError::Invalid(_))
    ));
    assert!(matches!(
        acceptance::add_evidence(
            &db,
            &town,
            hao,
            ChecklistItem::GoodsKinds,
            "a.jpg",
            jpeg(),
            "",
            now
        )
        .await,
        Err(AppError::Invalid(_))
    ));
    let d = acceptance::village_detail(&db, &town, hao, today)
        .await
        .unwrap();
    assert!(
        d.overview
            .items
            .iter()
            .find(|i| i.item == "signboard")
            .unwrap()
            .met
    );
    assert_eq!(d.evidence[0].name, "招牌.jpg");
    assert!(d.may_edit);

    // The village admin reads their own village, read-only, and no other.
    let mine = acceptance::village_detail(&db, &clerk, own, today)
        .await
        .unwrap();
    assert!(!mine.may_edit);
    assert_eq!(
        acceptance::village_detail(&db, &clerk, hao, today)
            .await
            .err(),
        Some(AppError::Forbidden)
    );
    let shop = caller(&db, "shop200").await;
    assert_eq!(
        acceptance::village_detail(&db, &shop, own, today)
            .await
            .err(),
        Some(AppError::Forbidden)
    );
}

#[tokio::test]
async fn scores_are_kept_in_range_and_re_entries_audited() {
    let db = small_town("accept-score").await;
    let town = caller(&db, "admin").await;
    let clerk = caller(&db, "cun200").await;
    let v = VillageId(village(&db, "200").await.id);
    let now = Utc::now();
    let month = month_key(china_date(now));

    assert_eq!(
        inputs::set_living_score(&db, &clerk, v, month, 900, now).await,
        Err(AppError::Forbidden)
    );
    assert!(matches!(
        inputs::set_living_score(&db, &town, v, month, 1001, now).await,
        Err(AppError::Invalid(_))
    ));
    assert!(matches!(
        inputs::set_living_score(&db, &town, v, 202613, 900, now).await,
        Err(AppError::Invalid(_))
    ));
    let next = app::domain::time::next_month(month);
    assert!(matches!(
        inputs::set_living_score(&db, &town, v, next, 900, now).await,
        Err(AppError::Invalid(_))
    ));
    inputs::set_living_score(&db, &town, v, month, 1000, now)
        .await
        .unwrap();
    inputs::set_living_score(&db, &town, v, month, 0, now)
        .await
        .unwrap();
    inputs::set_living_score(&db, &town, v, month, 915, now)
        .await
        .unwrap();
    let scores = inputs::living_scores(&db, month, month).await.unwrap();
    assert_eq!(scores.get(&(v, month)), Some(&915));
    let audits = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("set_living_score"))
        .count(&db.conn)
        .await
        .unwrap();
    assert_eq!(audits, 3, "every entry and re-entry is in the audit log");
    let grid = inputs::score_grid(&db, &town, month / 100, now)
        .await
        .unwrap();
    assert_eq!(grid.months.last(), Some(&month));
    assert_eq!(grid.villages.len(), 15);
}

#[tokio::test]
async fn nominations_follow_the_plans_rules() {
    let db = small_town("accept-nominate").await;
    let town = caller(&db, "admin").await;
    let clerk = caller(&db, "cun200").await;
    let sha = VillageId(village(&db, "200").await.id);
    let kang = VillageId(village(&db, "207").await.id);
    let ci = VillageId(village(&db, "211").await.id); // flagged in the demo
    let now = Utc::now();
    let year = now.year();

    assert!(matches!(
        inputs::nominate(&db, &clerk, year, Level::District, sha, "", now).await,
        Err(AppError::Forbidden)
    ));
    inputs::nominate(
        &db,
        &town,
        year,
        Level::District,
        sha,
        "参与率全镇第一",
        now,
    )
    .await
    .unwrap();
    // The same village cannot hold both titles.
    let err = inputs::nominate(&db, &town, year, Level::Town, sha, "", now)
        .await
        .unwrap_err();
    assert_eq!(err, AppError::invalid("区级和镇级示范村不能是同一个村"));
    // A flagged village is refused with its reason.
    let err = inputs::nominate(&db, &town, year, Level::Town, ci, "", now)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        AppError::invalid("该村存在一票否决情形（造成负面舆情），不能评为示范村")
    );
    // Lifting the flag allows it.
    let flags = inputs::active_flags(&db).await.unwrap();
    let f = &flags[&ci][0];
    assert_eq!(
        inputs::lift_flag(&db, &clerk, f.id, "x", now).await,
        Err(AppError::Forbidden)
    );
    assert!(matches!(
        inputs::lift_flag(&db, &town, f.id, "", now).await,
        Err(AppError::Invalid(_))
    ));
    inputs::lift_flag(&db, &town, f.id, "整改到位，经核实舆情已平息", now)
        .await
        .unwrap();
    assert!(matches!(
        inputs::lift_flag(&db, &town, f.id, "again", now).await,
        Err(AppError::Conflict(_))
    ));
    inputs::nominate(&db, &town, year, Level::Town, ci, "", now)
        .await
        .unwrap();
    // A new flag on a village blocks it again; the lifted one stays on record.
    let today = china_date(now);
    assert_eq!(
        inputs::record_flag(
            &db,
            &clerk,
            kang,
            Disqualification::MassIncident,
            today,
            "x",
            now
        )
        .await
        .err(),
        Some(AppError::Forbidden)
    );
    inputs::record_flag(
        &db,
        &town,
        kang,
        Disqualification::MassIncident,
        today,
        "上访",
        now,
    )
    .await
    .unwrap();
    let err = inputs::nominate(&db, &town, year, Level::District, kang, "", now)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("发生群体性事件"), "{err}");
    let all = inputs::all_flags(&db, &town).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(all[1].lifted_at.is_some(), "current first, lifted kept");

    // Replacing keeps history; withdrawing needs a reason.
    let current = inputs::nominations(&db, year).await.unwrap();
    assert_eq!(current.len(), 2);
    assert_eq!(current[0].level, Level::District);
    inputs::withdraw_nomination(&db, &town, year, Level::Town, "重新评估", now)
        .await
        .unwrap();
    let villages = [village(&db, "201").await.id, village(&db, "202").await.id];
    inputs::nominate(
        &db,
        &town,
        year,
        Level::Town,
        VillageId(villages[0]),
        "",
        now,
    )
    .await
    .unwrap();
    inputs::nominate(
        &db,
        &town,
        year,
        Level::Town,
        VillageId(villages[1]),
        "",
        now,
    )
    .await
    .unwrap();
    let current = inputs::nominations(&db, year).await.unwrap();
    assert_eq!(current.len(), 2);
    assert_eq!(current[1].village_id, VillageId(villages[1]));
    let history = inputs::nomination_history(&db, year).await.unwrap();
    assert_eq!(history.len(), 4);
    assert_eq!(
        history[1].withdraw_reason.as_deref(),
        Some("改为提名香良村")
    );
    assert!(matches!(
        inputs::withdraw_nomination(&db, &town, year, Level::Town, "", now).await,
        Err(AppError::Invalid(_))
    ));
}

#[tokio::test]
async fn the_endpoints_answer_401_and_403() {
    let db = small_town("accept-http").await;
    let app = app_router(&db);
    let own = village(&db, "200").await.id;
    let other = village(&db, "214").await.id;
    let mark = |v: i32| serde_json::json!({ "village": v, "on": "2026-08-01", "note": "" });
    let nominate = serde_json::json!({ "year": 2026, "level": "town", "village": own, "note": "" });

    // Anonymous: 401 on reads and writes, and on the files.
    for (m, uri, body) in [
        (Method::GET, "/api/acceptance_list".to_string(), None),
        (
            Method::GET,
            format!("/api/acceptance_village?village={own}"),
            None,
        ),
        (
            Method::POST,
            "/api/acceptance_mark".to_string(),
            Some(mark(other)),
        ),
        (
            Method::POST,
            "/api/nomination_make".to_string(),
            Some(nominate.clone()),
        ),
        (Method::GET, "/api/flag_list".to_string(), None),
        (Method::GET, "/acceptance-file/1".to_string(), None),
    ] {
        let Reply { status, body, .. } = send(&app, json_request(m, &uri, body, None)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{uri}: {body}");
    }

    // The village admin: own page yes (read-only), writes and others no.
    let cun = login(&app, "cun200").await;
    let Reply { status, body, .. } = send(
        &app,
        json_request(
            Method::GET,
            &format!("/api/acceptance_village?village={own}"),
            None,
            Some(&cun),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("沙坝村") && body.contains("\"may_edit\":false"));
    for (m, uri, body) in [
        (
            Method::GET,
            format!("/api/acceptance_village?village={other}"),
            None,
        ),
        (Method::GET, "/api/acceptance_list".to_string(), None),
        (
            Method::POST,
            "/api/acceptance_mark".to_string(),
            Some(mark(own)),
        ),
        (
            Method::POST,
            "/api/acceptance_withdraw".to_string(),
            Some(serde_json::json!({ "village": own, "reason": "x" })),
        ),
        (
            Method::POST,
            "/api/living_score_set".to_string(),
            Some(serde_json::json!({ "village": own, "month": 202601, "score": "99" })),
        ),
        (
            Method::POST,
            "/api/nomination_make".to_string(),
            Some(nominate.clone()),
        ),
        (Method::GET, "/api/flag_list".to_string(), None),
    ] {
        let Reply { status, body, .. } = send(&app, json_request(m, &uri, body, Some(&cun))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}: {body}");
    }
    // Their own evidence file opens; another village's does not.
    let town = caller(&db, "admin").await;
    let now = Utc::now();
    let mine = acceptance::add_evidence(
        &db,
        &town,
        VillageId(own),
        ChecklistItem::Place,
        "p.jpg",
        jpeg(),
        "",
        now,
    )
    .await
    .unwrap();
    let theirs = acceptance::add_evidence(
        &db,
        &town,
        VillageId(other),
        ChecklistItem::Place,
        "p.jpg",
        jpeg(),
        "",
        now,
    )
    .await
    .unwrap();
    let Reply { status, .. } = send(
        &app,
        json_request(Method::GET, &mine.href(), None, Some(&cun)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let Reply { status, .. } = send(
        &app,
        json_request(Method::GET, &theirs.href(), None, Some(&cun)),
    )
    .await;
    // Another village's file answers as if it did not exist.
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The town admin: a bad score is a 400 with its reason.
    let admin = login(&app, "admin").await;
    let Reply { status, body, .. } = send(
        &app,
        json_request(
            Method::POST,
            "/api/living_score_set",
            Some(serde_json::json!({ "village": own, "month": 202601, "score": "100.5" })),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let Reply { status, body, .. } = send(
        &app,
        json_request(Method::GET, "/api/acceptance_list", None, Some(&admin)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
