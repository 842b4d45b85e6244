//! Notices on a real SQLite file: versions kept on edit, pinned first,
//! scheduled ones hidden, bodies rendered inert, and the month's posting
//! announced when a ledger is published.

mod common;

use app::domain::VillageId;
use app::error::AppError;
use app::server::notice;
use chrono::{Duration, Utc};
use common::*;

#[tokio::test]
async fn notices_keep_every_version_and_render_safely() {
    let db = small_town("notice").await;
    let v = village(&db, "200").await;
    let vid = VillageId(v.id);
    let clerk = caller(&db, "cun200").await;
    let now = Utc::now();

    let plain = notice::post(
        &db,
        &clerk,
        vid,
        "村务公开",
        "停水通知",
        "明天**停水**。",
        false,
        now,
        now,
    )
    .await
    .unwrap();
    let pinned = notice::post(
        &db,
        &clerk,
        vid,
        "财务公开",
        "三季度收支",
        "见附件",
        true,
        now - Duration::days(9),
        now,
    )
    .await
    .unwrap();
    let later = notice::post(
        &db,
        &clerk,
        vid,
        "其他",
        "下周的事",
        "稍后公布",
        false,
        now + Duration::days(1),
        now,
    )
    .await
    .unwrap();
    let err = notice::post(&db, &clerk, vid, "八卦", "x", "y", false, now, now)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "请选择公示类别");
    let other = caller(&db, "cun201").await;
    assert!(matches!(
        notice::post(&db, &other, vid, "其他", "x", "y", false, now, now).await,
        Err(AppError::Forbidden)
    ));

    let list = notice::list(&db, vid, None, now).await.unwrap();
    assert_eq!(list[0].0.id, pinned.id, "pinned first");
    assert!(list
        .iter()
        .any(|(n, t)| n.id == plain.id && t == "停水通知"));
    assert!(
        list.iter().all(|(n, _)| n.id != later.id),
        "scheduled ones wait"
    );
    let finance = notice::list(&db, vid, Some("财务公开"), now).await.unwrap();
    assert_eq!(finance.len(), 1);

    let v2 = notice::edit(
        &db,
        &clerk,
        plain.id,
        "停水通知（更正）",
        "后天停水。<script>alert(1)</script>",
        now,
    )
    .await
    .unwrap();
    assert_eq!(v2, 2);
    let shown = notice::show(&db, plain.id, now).await.unwrap();
    assert_eq!(shown.versions.len(), 2);
    assert_eq!(shown.versions[0].1, "停水通知（更正）");
    assert!(
        !shown.versions[0].2.contains("<script"),
        "{}",
        shown.versions[0].2
    );
    assert!(shown.versions[1].2.contains("<strong>停水</strong>"));
    assert!(matches!(
        notice::show(&db, later.id, now).await,
        Err(AppError::NotFound(_))
    ));
}

#[tokio::test]
async fn a_published_month_is_announced_as_a_points_posting() {
    let db = small_town("notice-month").await;
    let v = village(&db, "200").await;
    let clerk = caller(&db, "cun200").await;
    let last = app::domain::time::previous_month(app::domain::time::month_key(today()));
    app::server::publication::publish(&db, &clerk, VillageId(v.id), last, Utc::now())
        .await
        .unwrap();
    let postings = notice::list(&db, VillageId(v.id), Some("积分公示"), Utc::now())
        .await
        .unwrap();
    assert!(!postings.is_empty());
    let (n, title) = &postings[0];
    assert!(title.ends_with("积分台账公示"), "{title}");
    assert!(n.published_month_id.is_some());
    assert!(
        title.contains(&app::domain::time::month_label(last)),
        "{title}"
    );
    let shown = notice::show(&db, n.id, Utc::now()).await.unwrap();
    assert!(shown.versions[0]
        .2
        .contains(&format!("href=\"/ledger/{}/", v.id)));
}
