//! Photo evidence: shrunk, stored under the data folder, shown only to
//! those allowed, and required by the rule items that say so.

use crate::common;

use std::io::Cursor;

use app::domain::{EvidenceId, RuleItemId, VillageId};
use app::error::AppError;
use app::server::entities::*;
use app::server::evidence::{self, MAX_SIDE};
use app::server::ledger::{self, NewEntry};
use chrono::Utc;
use common::*;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

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
        Err(AppError::Forbidden)
    ));
    // A villager sees it once it belongs to their household's entry.
    let villager = caller(&db, "hu200").await;
    assert!(matches!(
        evidence::open(&db, &villager, stored.id).await,
        Err(AppError::Forbidden)
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
