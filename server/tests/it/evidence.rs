//! Photo evidence: shrunk, stored under the data folder, shown only to
//! those allowed, and required by the rule items that say so.

use crate::common;

use std::io::Cursor;

use app::domain::{EvidenceId, MemberId, RuleItemId, VillageId};
use app::error::AppError;
use app::server::entities::*;
use app::server::evidence::{self, MAX_SIDE};
use app::server::ledger::{self, NewEntry};
use app::server::review::{self, NewProposal};
use chrono::Utc;
use common::*;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[test]
fn a_large_photo_is_shrunk_to_a_jpeg_and_junk_is_refused() {
    let (jpeg, w, h) = evidence::normalise(&png(3000, 2000)).unwrap();
    assert_eq!((w, h), (MAX_SIDE, MAX_SIDE * 2 / 3));
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "a JPEG");
    let decoded = image::load_from_memory(&jpeg).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (w, h));
    let (_, w, h) = evidence::normalise(&png(400, 300)).unwrap();
    assert_eq!((w, h), (400, 300), "small photos keep their size");
    match evidence::normalise(b"not a picture") {
        Err(AppError::Invalid(m)) => assert!(m.contains("无法识别该图片")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_photo_is_stored_for_the_village_and_shown_only_to_those_allowed() {
    let db = small_town("evidence").await;
    let v = village(&db, "200").await;
    let admin = caller(&db, "cun200").await;
    let stored = evidence::store(&db, &admin, VillageId(v.id), png(2000, 1000), Utc::now())
        .await
        .unwrap();
    assert_eq!((stored.width, stored.height), (1280, 640));
    let (path, size) = evidence::open(&db, &admin, stored.id).await.unwrap();
    assert!(path.starts_with(db.files_dir()));
    assert_eq!(std::fs::metadata(&path).unwrap().len() as usize, size);

    // Another village's staff and its shop clerk cannot upload here or look.
    let other = caller(&db, "cun201").await;
    let r = evidence::store(&db, &other, VillageId(v.id), png(10, 10), Utc::now()).await;
    assert!(matches!(r, Err(AppError::Forbidden)));
    assert!(matches!(
        evidence::open(&db, &other, stored.id).await,
        Err(AppError::NotFound(_))
    ));
    // A villager sees it once it belongs to their household's entry.
    let villager = caller(&db, "hu200").await;
    assert!(matches!(
        evidence::open(&db, &villager, stored.id).await,
        Err(AppError::NotFound(_))
    ));
    let item = rule_item::ActiveModel {
        evidence_required: Set(true),
        ..uncapped_item(&db, v.id, 8).await.into()
    }
    .update(&db.conn)
    .await
    .unwrap();
    let entry = |evidence| NewEntry {
        household: villager.household.unwrap(),
        member: None,
        evidence,
        rule_item: RuleItemId(item.id),
        reason: "见义勇为".into(),
        occurred_on: today(),
    };
    // The item needs a photo: refused without one.
    let r = ledger::record_entry(&db, &admin, entry(None), Utc::now()).await;
    assert!(matches!(r, Err(AppError::Invalid(m)) if m.contains("需上传证明照片")));
    // A photo of another village is not accepted either.
    let elsewhere = evidence::store(
        &db,
        &other,
        VillageId(village(&db, "201").await.id),
        png(10, 10),
        Utc::now(),
    )
    .await
    .unwrap();
    let r = ledger::record_entry(
        &db,
        &admin,
        entry(Some(EvidenceId(elsewhere.id))),
        Utc::now(),
    )
    .await;
    assert!(matches!(r, Err(AppError::Invalid(m)) if m.contains("证明照片无效")));
    let e = ledger::record_entry(&db, &admin, entry(Some(EvidenceId(stored.id))), Utc::now())
        .await
        .unwrap();
    assert_eq!(e.evidence_id, Some(stored.id));
    evidence::open(&db, &villager, stored.id).await.unwrap();
    let audit = audit_log::Entity::find().all(&db.conn).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "upload_evidence"));
}

#[tokio::test]
async fn a_villager_cannot_declare_another_villages_photo_or_member_to_see_it() {
    let db = small_town("evidence-declare").await;
    let v200 = village(&db, "200").await;
    let v201 = village(&db, "201").await;
    let villager = caller(&db, "hu200").await;
    let clerk201 = caller(&db, "cun201").await;
    let clerk200 = caller(&db, "cun200").await;
    let theirs = evidence::store(&db, &clerk201, VillageId(v201.id), png(10, 10), Utc::now())
        .await
        .unwrap();
    // Even a photo of the villager's own village that someone else uploaded.
    let neighbours = evidence::store(&db, &clerk200, VillageId(v200.id), png(10, 10), Utc::now())
        .await
        .unwrap();
    let item = uncapped_item(&db, v200.id, 5).await;
    let other_member = member::Entity::find()
        .filter(member::Column::HouseholdId.eq(first_household(&db, v201.id).await.id))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    let declare = |member: Option<MemberId>, evidence: Option<EvidenceId>| NewProposal {
        household: villager.household.unwrap(),
        member,
        rule_item: RuleItemId(item.id),
        reason: "帮邻居收谷子".into(),
        occurred_on: today(),
        evidence,
        assisted: false,
    };
    for photo in [theirs.id, neighbours.id, 999_999] {
        let r = review::propose(
            &db,
            &villager,
            declare(None, Some(EvidenceId(photo))),
            Utc::now(),
        )
        .await;
        assert!(
            matches!(&r, Err(AppError::Invalid(m)) if m.contains("证明照片无效")),
            "photo {photo}: {r:?}"
        );
        assert!(matches!(
            evidence::open(&db, &villager, photo).await,
            Err(AppError::NotFound(_))
        ));
    }
    let r = review::propose(
        &db,
        &villager,
        declare(Some(MemberId(other_member.id)), None),
        Utc::now(),
    )
    .await;
    assert!(
        matches!(&r, Err(AppError::Invalid(m)) if m.contains("成员")),
        "{r:?}"
    );
    let mine_count = || {
        proposal::Entity::find()
            .filter(proposal::Column::HouseholdId.eq(villager.household.unwrap().0))
            .filter(proposal::Column::EvidenceId.is_not_null())
            .count(&db.conn)
    };
    assert_eq!(mine_count().await.unwrap(), 0, "nothing was written");
    // Their own upload is fine.
    let mine = evidence::store(&db, &villager, VillageId(v200.id), png(10, 10), Utc::now())
        .await
        .unwrap();
    review::propose(
        &db,
        &villager,
        declare(None, Some(EvidenceId(mine.id))),
        Utc::now(),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn every_file_route_answers_another_villages_file_as_if_it_did_not_exist() {
    let db = small_town("evidence-404").await;
    let v201 = village(&db, "201").await;
    let clerk201 = caller(&db, "cun201").await;
    let theirs = evidence::store(&db, &clerk201, VillageId(v201.id), png(10, 10), Utc::now())
        .await
        .unwrap();
    let voucher = fund_spending::Entity::find()
        .filter(fund_spending::Column::VillageId.eq(v201.id))
        .filter(fund_spending::Column::VoucherPath.is_not_null())
        .one(&db.conn)
        .await
        .unwrap();
    let oversight = acceptance_evidence::Entity::find()
        .filter(acceptance_evidence::Column::VillageId.eq(v201.id))
        .one(&db.conn)
        .await
        .unwrap();
    let app = app_router(&db);
    for user in ["hu200", "cun200", "shop200"] {
        let cookie = login(&app, user).await;
        let mut routes = vec![(
            format!("/evidence/{}", theirs.id),
            "/evidence/999999".to_string(),
        )];
        if let Some(s) = &voucher {
            routes.push((
                format!("/fund-voucher/{}", s.id),
                "/fund-voucher/999999".into(),
            ));
        }
        if let Some(e) = &oversight {
            routes.push((
                format!("/acceptance-file/{}", e.id),
                "/acceptance-file/999999".into(),
            ));
        }
        for (foreign, none) in routes {
            let a = send(&app, get(&foreign, Some(&cookie))).await;
            let b = send(&app, get(&none, Some(&cookie))).await;
            assert_eq!(
                a.status,
                http::StatusCode::NOT_FOUND,
                "{user} {foreign}: {}",
                a.body
            );
            assert_eq!(
                (a.status, &a.body),
                (b.status, &b.body),
                "{user} {foreign} vs {none}"
            );
        }
    }
}
