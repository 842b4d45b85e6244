//! Notices on a real SQLite file: versions kept on edit, pinned first,
//! scheduled ones hidden, bodies rendered inert, and the month's posting
//! announced when a ledger is published.

use crate::common;

use app::api::notice::NoticeForm;
use app::domain::notice::input_time;
use app::domain::{NoticeId, VillageId};
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
    let form =
        |category: &str, title: &str, body: &str, pinned: bool, at: Option<String>| NoticeForm {
            category: category.into(),
            title: title.into(),
            body: body.into(),
            pinned,
            publish_at: at,
        };

    let pinned = notice::create(
        &db,
        &clerk,
        vid,
        &form("财务公开", "三季度收支", "见附件", true, None),
        now - Duration::days(9),
    )
    .await
    .unwrap();
    let plain = notice::create(
        &db,
        &clerk,
        vid,
        &form("村务公开", "停水通知", "明天**停水**。", false, None),
        now,
    )
    .await
    .unwrap();
    let later = notice::create(
        &db,
        &clerk,
        vid,
        &form(
            "其他",
            "下周的事",
            "稍后公布",
            false,
            Some(input_time(now + Duration::days(1))),
        ),
        now,
    )
    .await
    .unwrap();
    let err = notice::create(&db, &clerk, vid, &form("八卦", "x", "y", false, None), now)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "请选择公示类别");
    let other = caller(&db, "cun201").await;
    assert!(matches!(
        notice::create(&db, &other, vid, &form("其他", "x", "y", false, None), now).await,
        Err(AppError::Forbidden)
    ));

    let list = notice::public_list(&db, Some(vid), None, now)
        .await
        .unwrap();
    assert_eq!(list[0].id, NoticeId(pinned.id), "pinned first");
    assert!(list
        .iter()
        .any(|n| n.id == NoticeId(plain.id) && n.title == "停水通知"));
    assert!(
        list.iter().all(|n| n.id != NoticeId(later.id)),
        "scheduled ones wait"
    );
    let finance = notice::public_list(&db, Some(vid), Some("财务公开"), now)
        .await
        .unwrap();
    assert!(finance.iter().any(|n| n.id == NoticeId(pinned.id)));
    assert!(finance.iter().all(|n| n.category == "财务公开"));

    let v2 = notice::update(
        &db,
        &clerk,
        vid,
        NoticeId(plain.id),
        &form(
            "村务公开",
            "停水通知（更正）",
            "后天停水。<script>alert(1)</script>",
            false,
            None,
        ),
        now,
    )
    .await
    .unwrap();
    assert_eq!(v2, 2);
    let shown = notice::detail(&db, None, NoticeId(plain.id), now)
        .await
        .unwrap();
    assert_eq!(shown.title, "停水通知（更正）");
    assert!(!shown.body_html.contains("<script"), "{}", shown.body_html);
    assert!(shown
        .history
        .iter()
        .any(|h| h.version == 1 && h.body_html.contains("<strong>停水</strong>")));
    assert!(matches!(
        notice::detail(&db, None, NoticeId(later.id), now).await,
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
    let postings = notice::public_list(&db, Some(VillageId(v.id)), Some("积分公示"), Utc::now())
        .await
        .unwrap();
    assert!(!postings.is_empty());
    let n = &postings[0];
    assert!(n.title.ends_with("积分台账公示"), "{}", n.title);
    assert!(
        n.title.contains(&app::domain::time::month_label(last)),
        "{}",
        n.title
    );
    let shown = notice::detail(&db, None, n.id, Utc::now()).await.unwrap();
    assert!(shown
        .body_html
        .contains(&format!("href=\"/ledger/{}/", v.id)));
}

#[tokio::test]
async fn markdown_with_a_script_renders_inert() {
    let db = small_town("notice-script").await;
    let v = village(&db, "200").await;
    let clerk = caller(&db, "cun200").await;
    let now = Utc::now();
    let form = NoticeForm {
        category: "村务公开".into(),
        title: "道路硬化".into(),
        body: "# 通知\n\n<script>alert('x')</script>\n\n[点我](javascript:alert(1))\n\n<img src=x onerror=alert(2)>".into(),
        pinned: false,
        publish_at: None,
    };
    let n = notice::create(&db, &clerk, VillageId(v.id), &form, now)
        .await
        .unwrap();
    let page = notice::detail(&db, None, NoticeId(n.id), now)
        .await
        .unwrap();
    assert!(
        page.body_html.contains("<h1>通知</h1>"),
        "{}",
        page.body_html
    );
    assert!(!page.body_html.contains("<script"), "{}", page.body_html);
    assert!(!page.body_html.contains("<img"), "{}", page.body_html);
    assert!(
        !page.body_html.contains("javascript:"),
        "{}",
        page.body_html
    );
    assert!(page.body_html.contains("&lt;script&gt;"));
}

#[tokio::test]
async fn the_form_edits_in_place_or_as_a_new_version_and_schedules() {
    let db = small_town("notice-form").await;
    let v = village(&db, "200").await;
    let vid = VillageId(v.id);
    let other_v = village(&db, "201").await;
    let clerk = caller(&db, "cun200").await;
    let now = Utc::now();
    let mut form = NoticeForm {
        category: "党务公开".into(),
        title: "党员大会通知".into(),
        body: "周五开会".into(),
        pinned: false,
        // Tomorrow, China time.
        publish_at: Some(input_time(now + Duration::days(1))),
    };
    let n = notice::create(&db, &clerk, vid, &form, now).await.unwrap();
    // Scheduled: the public cannot see it; the staff list shows it first.
    assert!(notice::public_list(&db, Some(vid), None, now)
        .await
        .unwrap()
        .iter()
        .all(|s| s.id != NoticeId(n.id)));
    assert!(matches!(
        notice::detail(&db, None, NoticeId(n.id), now).await,
        Err(AppError::NotFound(_))
    ));
    let staff = notice::office_list(&db, vid, now).await.unwrap();
    let mine = staff.iter().position(|s| s.id == NoticeId(n.id)).unwrap();
    assert!(!staff[mine].published);
    assert!(
        staff[..mine].iter().all(|s| !s.published),
        "scheduled first"
    );
    assert!(notice::detail(&db, Some(&clerk), NoticeId(n.id), now)
        .await
        .is_ok());

    // Pinning and publishing now change the notice, not its text.
    form.pinned = true;
    form.publish_at = None;
    assert_eq!(
        notice::update(&db, &clerk, vid, NoticeId(n.id), &form, now).await,
        Ok(1)
    );
    let list = notice::public_list(&db, Some(vid), None, now)
        .await
        .unwrap();
    assert_eq!(list[0].id, NoticeId(n.id), "pinned on top");
    assert_eq!(list[0].versions, 1);
    // A changed body is a new version; the first stays in the history.
    form.body = "改为周六开会".into();
    assert_eq!(
        notice::update(&db, &clerk, vid, NoticeId(n.id), &form, now).await,
        Ok(2)
    );
    let page = notice::detail(&db, None, NoticeId(n.id), now)
        .await
        .unwrap();
    assert_eq!(page.version, 2);
    assert!(page.body_html.contains("周六"));
    assert_eq!(page.history.len(), 1);
    assert!(page.history[0].body_html.contains("周五"));

    // The town list names the village; the category filter narrows it.
    let town = notice::public_list(&db, None, Some("党务公开"), now)
        .await
        .unwrap();
    assert!(town
        .iter()
        .any(|s| s.id == NoticeId(n.id) && s.village_name == v.name));
    assert!(notice::public_list(&db, None, Some("财务公开"), now)
        .await
        .unwrap()
        .iter()
        .all(|s| s.id != NoticeId(n.id)));

    // Another village's clerk, or the wrong village in the URL, is refused.
    let other = caller(&db, "cun201").await;
    assert!(notice::update(&db, &other, vid, NoticeId(n.id), &form, now)
        .await
        .is_err());
    assert!(matches!(
        notice::update(
            &db,
            &other,
            VillageId(other_v.id),
            NoticeId(n.id),
            &form,
            now
        )
        .await,
        Err(AppError::NotFound(_))
    ));
    form.title = " ".into();
    assert_eq!(
        notice::update(&db, &clerk, vid, NoticeId(n.id), &form, now)
            .await
            .unwrap_err()
            .to_string(),
        "请填写标题（不超过60个字）"
    );
    form.title = "t".into();
    form.publish_at = Some("明天".into());
    let scheduled = notice::create(&db, &clerk, vid, &form, now).await;
    assert_eq!(
        scheduled.unwrap_err().to_string(),
        "发布时间格式不对，请重新选择"
    );
}

#[tokio::test]
async fn attachments_are_pdf_xlsx_or_pictures_of_the_clerks_village() {
    let db = small_town("notice-files").await;
    let v = village(&db, "200").await;
    let vid = VillageId(v.id);
    let clerk = caller(&db, "cun200").await;
    let now = Utc::now();
    let form = NoticeForm {
        category: "财务公开".into(),
        title: "三季度财务公开".into(),
        body: "详见附件".into(),
        pinned: false,
        publish_at: Some(input_time(now + Duration::days(2))),
    };
    let n = notice::create(&db, &clerk, vid, &form, now).await.unwrap();
    let pdf = b"%PDF-1.4\n%demo\n".to_vec();
    let f = notice::attach(
        &db,
        &clerk,
        NoticeId(n.id),
        "C:\\fakepath\\三季度收支.pdf",
        pdf.clone(),
        now,
    )
    .await
    .unwrap();
    assert_eq!(f.name, "三季度收支.pdf");
    assert_eq!(f.kind_label, "PDF");
    let x = notice::attach(
        &db,
        &clerk,
        NoticeId(n.id),
        "明细.xlsx",
        b"PK\x03\x04rest".to_vec(),
        now,
    )
    .await
    .unwrap();
    assert_eq!(x.kind_label, "Excel");

    let refused = |r: Result<_, AppError>| match r {
        Err(AppError::Invalid(m)) => m,
        other => panic!("{other:?}"),
    };
    let m = refused(
        notice::attach(
            &db,
            &clerk,
            NoticeId(n.id),
            "病毒.exe",
            b"MZ\x90".to_vec(),
            now,
        )
        .await,
    );
    assert!(m.contains("只能上传 PDF"), "{m}");
    let m = refused(
        notice::attach(
            &db,
            &clerk,
            NoticeId(n.id),
            "假.pdf",
            b"<html>".to_vec(),
            now,
        )
        .await,
    );
    assert!(m.contains("只能上传 PDF"), "{m}");
    let mut big = b"%PDF-".to_vec();
    big.resize(app::domain::notice::MAX_FILE + 1, b' ');
    let m = refused(notice::attach(&db, &clerk, NoticeId(n.id), "大.pdf", big, now).await);
    assert!(m.contains("10 MB"), "{m}");
    let other = caller(&db, "cun201").await;
    assert!(matches!(
        notice::attach(&db, &other, NoticeId(n.id), "a.pdf", pdf.clone(), now).await,
        Err(AppError::Forbidden)
    ));
    let shop = caller(&db, "shop200").await;
    assert!(matches!(
        notice::attach(&db, &shop, NoticeId(n.id), "a.pdf", pdf.clone(), now).await,
        Err(AppError::Forbidden)
    ));

    // Before the notice is out only the village's staff get the file.
    let (path, row) = notice::open_file(&db, Some(&clerk), f.id, now)
        .await
        .unwrap();
    assert!(path.starts_with(db.files_dir()));
    assert_eq!(std::fs::read(&path).unwrap(), pdf);
    assert_eq!(row.content_type, "application/pdf");
    assert!(notice::open_file(&db, None, f.id, now).await.is_err());
    assert!(notice::open_file(&db, Some(&other), f.id, now)
        .await
        .is_err());
    // Once published, anyone.
    let later = now + Duration::days(3);
    assert!(notice::open_file(&db, None, f.id, later).await.is_ok());
    let page = notice::detail(&db, None, NoticeId(n.id), later)
        .await
        .unwrap();
    assert_eq!(page.files.len(), 2);
    let listed = notice::public_list(&db, Some(vid), None, later)
        .await
        .unwrap();
    assert_eq!(
        listed
            .iter()
            .find(|s| s.id == NoticeId(n.id))
            .unwrap()
            .files,
        2
    );
}

#[tokio::test]
async fn the_demo_town_has_notices_of_every_kind() {
    let db = small_town("notice-demo").await;
    let v = village(&db, "200").await;
    let vid = VillageId(v.id);
    let now = Utc::now();
    let list = notice::public_list(&db, Some(vid), None, now)
        .await
        .unwrap();
    assert!(list[0].pinned, "one pinned, on top");
    // (积分公示 comes with a published month; the small town may have none.)
    for c in ["党务公开", "村务公开", "财务公开", "其他"] {
        assert!(list.iter().any(|n| n.category == c), "{c}");
    }
    assert!(list.iter().any(|n| n.versions > 1), "some edited");
    let staff = notice::office_list(&db, vid, now).await.unwrap();
    assert!(staff.iter().any(|n| !n.published), "one scheduled");
    let town = notice::public_list(&db, None, None, now).await.unwrap();
    assert!(town.iter().any(|n| n.village_id != vid));
    let finance = list.iter().find(|n| n.category == "财务公开").unwrap();
    let page = notice::detail(&db, None, finance.id, now).await.unwrap();
    assert!(page.body_html.contains("<table>"), "{}", page.body_html);
}
