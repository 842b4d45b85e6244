//! The fund ledger (资金台账): the plan's checks on the demo town, spending
//! and payments append-only with reversals, the reconciliation on hand-made
//! stock and redemptions, and who may read or write what.

use crate::common;

use std::io::Cursor;

use app::api::funds::{PaymentForm, SpendingForm};
use app::domain::funds::FundKind;
use app::domain::roles::Caller;
use app::domain::{FundId, PaymentId, SpendingId, VillageId};
use app::error::AppError;
use app::server::demo_funds;
use app::server::entities::*;
use app::server::funds;
use app::server::Db;
use chrono::{NaiveDate, TimeZone, Utc};
use common::*;
use http::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 3, y as u8 * 4, 90]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

async fn subsidy_of(db: &Db, village: i32) -> fund::Model {
    fund::Entity::find()
        .filter(fund::Column::VillageId.eq(village))
        .filter(fund::Column::Kind.eq("subsidy"))
        .one(&db.conn)
        .await
        .unwrap()
        .expect("demo subsidy")
}

fn spending(fund: i32, on: &str, amount: &str, category: &str, what: &str) -> SpendingForm {
    SpendingForm {
        fund: Some(FundId(fund)),
        spent_on: on.into(),
        amount: amount.into(),
        category: category.into(),
        description: what.into(),
    }
}

async fn warnings(db: &Db, admin: &Caller, v: i32) -> Vec<String> {
    funds::village(db, admin, VillageId(v), Utc::now())
        .await
        .unwrap()
        .funds
        .into_iter()
        .flat_map(|f| f.warnings)
        .collect()
}

#[tokio::test]
async fn the_demo_town_shows_the_plans_checks() {
    let db = small_town("funds-demo").await;
    let admin = caller(&db, "admin").await;
    let o = funds::overview(&db, Some(&admin), Utc::now())
        .await
        .unwrap();
    assert!(o.may_write);
    assert!(!o.published);
    assert_eq!(o.villages.len(), 15);
    for (i, row) in o.villages.iter().enumerate() {
        assert!(row.granted_fen >= 700_000, "{}", row.name);
        assert_eq!(
            row.tranches_paid,
            if demo_funds::UNPAID_SECOND.contains(&i) {
                1
            } else {
                2
            },
            "{}",
            row.name
        );
        assert_eq!(row.balance_fen, row.received_fen - row.spent_fen);
        let off = row.warnings.iter().any(|w| w.contains("用于积分制以外"));
        assert_eq!(off, i == demo_funds::OFF_PURPOSE, "{}", row.name);
        let low = row
            .warnings
            .iter()
            .any(|w| w.contains("低于方案要求的 60%"));
        assert_eq!(low, i == demo_funds::TOWN_AWARD, "{}", row.name);
        assert!(
            !row.warnings.iter().any(|w| w.contains("支出超过")),
            "{}",
            row.name
        );
    }
    let district = &o.villages[demo_funds::DISTRICT_AWARD];
    assert_eq!(district.granted_fen, 700_000 + 3_000_000);
    let town = &o.villages[demo_funds::TOWN_AWARD];
    assert_eq!(town.granted_fen, 700_000 + 1_000_000);
    // Voucher photos were written for the demo's records that have one.
    let with_photo = fund_spending::Entity::find()
        .filter(fund_spending::Column::VoucherPath.is_not_null())
        .all(&db.conn)
        .await
        .unwrap();
    assert!(with_photo.len() >= 15);
    for s in &with_photo {
        assert!(db
            .files_dir()
            .join(s.voucher_path.as_ref().unwrap())
            .exists());
    }
}

#[tokio::test]
async fn spending_is_append_only_and_corrected_by_one_reversal() {
    let db = small_town("funds-reverse").await;
    let admin = caller(&db, "admin").await;
    let v = village(&db, "200").await;
    let sub = subsidy_of(&db, v.id).await;
    let now = Utc::now();
    assert!(!warnings(&db, &admin, v.id)
        .await
        .iter()
        .any(|w| w.contains("积分制以外")));

    let s = funds::record_spending(
        &db,
        &admin,
        &spending(sub.id, "2026-09-01", "350.50", "training", "村干部培训"),
        Some(png()),
        now,
    )
    .await
    .unwrap();
    assert_eq!(s.amount_fen, 35_050);
    assert!(s
        .voucher_path
        .as_ref()
        .unwrap()
        .starts_with(&format!("funds/{}/", v.id)));
    let w = warnings(&db, &admin, v.id).await;
    assert!(
        w.contains(&"区级补助有 350.50 元用于积分制以外（培训、人居环境等），按方案应全部用于积分超市商品和超市建设".to_string()),
        "{w:?}"
    );

    // Bad input writes nothing.
    let before = fund_spending::Entity::find().count(&db.conn).await.unwrap();
    for bad in [
        spending(sub.id, "2026-09-01", "0", "goods", "x"),
        spending(sub.id, "2026-09-01", "12.345", "goods", "x"),
        spending(sub.id, "2099-01-01", "10", "goods", "x"),
        spending(sub.id, "2026-09-01", "10", "food", "x"),
        spending(sub.id, "2026-09-01", "10", "goods", "  "),
        spending(999_999, "2026-09-01", "10", "goods", "x"),
    ] {
        let r = funds::record_spending(&db, &admin, &bad, None, now).await;
        assert!(matches!(r, Err(AppError::Invalid(_))), "{bad:?}: {r:?}");
    }
    let junk = funds::record_spending(
        &db,
        &admin,
        &spending(sub.id, "2026-09-01", "10", "goods", "x"),
        Some(b"not a photo".to_vec()),
        now,
    )
    .await;
    assert!(matches!(junk, Err(AppError::Invalid(_))));
    assert_eq!(
        fund_spending::Entity::find().count(&db.conn).await.unwrap(),
        before
    );

    // The reversal needs a reason, cancels once, and is never reversed.
    let r = funds::reverse_spending(&db, &admin, SpendingId(s.id), " ", now).await;
    assert!(matches!(r, Err(AppError::Invalid(_))));
    let rev = funds::reverse_spending(&db, &admin, SpendingId(s.id), "类别记错，应为补货", now)
        .await
        .unwrap();
    assert_eq!(rev.amount_fen, -35_050);
    assert_eq!(rev.reverses, Some(s.id));
    assert_eq!(rev.category, "training");
    assert_eq!(rev.spent_on, s.spent_on);
    assert_eq!(rev.reason.as_deref(), Some("类别记错，应为补货"));
    let again = funds::reverse_spending(&db, &admin, SpendingId(s.id), "再来一次", now).await;
    assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");
    let of_rev = funds::reverse_spending(&db, &admin, SpendingId(rev.id), "冲销冲销", now).await;
    assert!(matches!(of_rev, Err(AppError::Invalid(_))), "{of_rev:?}");
    // The original is untouched; the warning is gone.
    let original = fund_spending::Entity::find_by_id(s.id)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(original, s);
    assert!(!warnings(&db, &admin, v.id)
        .await
        .iter()
        .any(|w| w.contains("积分制以外")));
    let page = funds::village(&db, &admin, VillageId(v.id), now)
        .await
        .unwrap();
    let row = page
        .spending
        .iter()
        .find(|x| x.id == SpendingId(s.id))
        .unwrap();
    assert!(row.reversed);
    assert_eq!(
        row.voucher.as_deref(),
        Some(format!("/fund-voucher/{}", s.id).as_str())
    );
    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("fund_spending_reverse"))
        .count(&db.conn)
        .await
        .unwrap();
    assert_eq!(audit, 1);
}

#[tokio::test]
async fn tranches_are_paid_once_and_overspending_warns() {
    let db = small_town("funds-tranche").await;
    let admin = caller(&db, "admin").await;
    let now = Utc::now();
    let o = funds::overview(&db, Some(&admin), now).await.unwrap();
    let unpaid = &o.villages[demo_funds::UNPAID_SECOND[0]];
    let sub = subsidy_of(&db, unpaid.village_id.0).await;
    let pay = |tranche: i32, amount: &str| PaymentForm {
        fund: FundId(sub.id),
        tranche,
        amount: amount.into(),
        paid_on: "2026-09-20".into(),
        note: "区财政拨付".into(),
    };
    let twice = funds::record_payment(&db, &admin, &pay(1, "3500"), now).await;
    assert!(matches!(twice, Err(AppError::Conflict(_))), "{twice:?}");
    let third = funds::record_payment(&db, &admin, &pay(3, "3500"), now).await;
    assert!(matches!(third, Err(AppError::Invalid(_))));

    // Spending beyond the first tranche warns until the second arrives.
    let received = unpaid.received_fen;
    let over = received - unpaid.spent_fen + 100;
    funds::record_spending(
        &db,
        &admin,
        &spending(
            sub.id,
            "2026-09-10",
            &app::domain::stock::format_fen(over),
            "goods",
            "补货",
        ),
        None,
        now,
    )
    .await
    .unwrap();
    let w = warnings(&db, &admin, unpaid.village_id.0).await;
    assert!(
        w.contains(&"支出超过已到账资金 1.00 元".to_string()),
        "{w:?}"
    );

    let p = funds::record_payment(&db, &admin, &pay(2, "3500"), now)
        .await
        .unwrap();
    let w = warnings(&db, &admin, unpaid.village_id.0).await;
    assert!(!w.iter().any(|x| x.contains("支出超过")), "{w:?}");
    // The village was accepted before the payment: no acceptance warning.
    let accepted = funds::accepted_on(&db.conn, unpaid.village_id)
        .await
        .unwrap()
        .expect("the demo accepts this village");
    assert!(accepted < chrono::NaiveDate::from_ymd_opt(2026, 9, 20).unwrap());
    assert!(!w.iter().any(|x| x.contains("尚未通过验收")), "{w:?}");
    // Once its acceptance is withdrawn, the paid second tranche is flagged.
    app::server::acceptance::withdraw_acceptance(
        &db,
        &admin,
        unpaid.village_id,
        "验收材料不全，重新验收",
        now,
    )
    .await
    .unwrap();
    let w = warnings(&db, &admin, unpaid.village_id.0).await;
    assert!(
        w.iter()
            .any(|x| x.contains("第二笔补助已于 2026-09-20 拨付")),
        "{w:?}"
    );

    // A mistaken payment is reversed, then recorded again.
    let rev = funds::reverse_payment(&db, &admin, PaymentId(p.id), "金额登记错误", now)
        .await
        .unwrap();
    assert_eq!(rev.amount_fen, -350_000);
    let again = funds::reverse_payment(&db, &admin, PaymentId(p.id), "金额登记错误", now).await;
    assert!(matches!(again, Err(AppError::Conflict(_))));
    funds::record_payment(&db, &admin, &pay(2, "3500"), now)
        .await
        .unwrap();
    let page = funds::village(&db, &admin, unpaid.village_id, now)
        .await
        .unwrap();
    let subsidy = page
        .funds
        .iter()
        .find(|f| f.kind == app::domain::funds::FundKind::Subsidy)
        .unwrap();
    assert_eq!(subsidy.received_fen, 700_000);
    assert_eq!(subsidy.tranches[1].paid_on.as_deref(), Some("2026-09-20"));

    // An award is registered once and arrives in full.
    let v = unpaid.village_id;
    let a = funds::grant(
        &db,
        &admin,
        v,
        FundKind::DistrictAward,
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        "区级示范村",
        now,
    )
    .await
    .unwrap();
    assert_eq!(a.granted_fen, 3_000_000);
    let dup = funds::grant(
        &db,
        &admin,
        v,
        FundKind::DistrictAward,
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        "",
        now,
    )
    .await;
    assert!(matches!(dup, Err(AppError::Conflict(_))));
    let page = funds::village(&db, &admin, v, now).await.unwrap();
    let award = page.funds.iter().find(|f| f.id == FundId(a.id)).unwrap();
    assert_eq!(award.received_fen, 3_000_000);
    assert!(award.warnings.is_empty(), "{:?}", award.warnings);
}

#[tokio::test]
async fn reconciliation_prices_goods_at_the_weighted_average_cost() {
    let db = small_town("funds-reconcile").await;
    let admin = caller(&db, "admin").await;
    let v = village(&db, "201").await;
    let hh = first_household(&db, v.id).await;
    let g = goods::ActiveModel {
        village_id: Set(v.id),
        name: Set("对账测试肥皂".into()),
        unit: Set("块".into()),
        price_points: Set(5),
        stock: Set(0),
        photo_path: Set(None),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .unwrap();
    let receipt = |on: (u32, u32, i32), qty: i32, cost: i64| stock_movement::ActiveModel {
        goods_id: Set(g.id),
        kind: Set("received".into()),
        quantity: Set(qty),
        reason: Set(None),
        redemption_id: Set(None),
        recorded_by: Set(None),
        recorded_at: Set(Utc::now()),
        unit_cost_fen: Set(Some(cost)),
        supplier: Set(None),
        moved_on: Set(NaiveDate::from_ymd_opt(on.2, on.0, on.1)),
        ..Default::default()
    };
    receipt((12, 20, 2024), 10, 800)
        .insert(&db.conn)
        .await
        .unwrap();
    receipt((1, 10, 2025), 30, 1_000)
        .insert(&db.conn)
        .await
        .unwrap();
    // Redemptions in China time: 2025-01-05 09:00 and 2025-01-31 23:30
    // (15:30 UTC, still January in China), a void of the second, and one on
    // 2025-02-01 00:30 China time (January 31st in UTC), outside.
    let mut n = 0;
    let mut redeem = |at: chrono::DateTime<Utc>, qty: i32, reverses: Option<i32>| {
        n += 1;
        let key = format!("recon-{n}");
        let db = db.clone();
        let hh = hh.id;
        let village = v.id;
        let goods = g.id;
        let clerk = admin.user.0;
        async move {
            let r = redemption::ActiveModel {
                village_id: Set(village),
                household_id: Set(hh),
                clerk_id: Set(clerk),
                idempotency_key: Set(key.clone()),
                receipt_no: Set(key),
                total_points: Set(i64::from(qty) * 5),
                created_at: Set(at),
                reverses: Set(reverses),
                reason: Set(reverses.map(|_| "作废".to_string())),
                ..Default::default()
            }
            .insert(&db.conn)
            .await
            .unwrap();
            redemption_line::ActiveModel {
                redemption_id: Set(r.id),
                goods_id: Set(goods),
                quantity: Set(qty),
                unit_price: Set(5),
                ..Default::default()
            }
            .insert(&db.conn)
            .await
            .unwrap();
            r.id
        }
    };
    redeem(Utc.with_ymd_and_hms(2025, 1, 5, 1, 0, 0).unwrap(), 2, None).await;
    let late = redeem(
        Utc.with_ymd_and_hms(2025, 1, 31, 15, 30, 0).unwrap(),
        4,
        None,
    )
    .await;
    redeem(
        Utc.with_ymd_and_hms(2025, 1, 31, 15, 40, 0).unwrap(),
        -1,
        Some(late),
    )
    .await;
    redeem(
        Utc.with_ymd_and_hms(2025, 1, 31, 16, 30, 0).unwrap(),
        7,
        None,
    )
    .await;
    let sub = subsidy_of(&db, v.id).await;
    let now = Utc::now();
    for (on, amount, cat) in [
        ("2025-01-08", "300", "goods"),
        ("2025-01-20", "50", "supermarket"),
        ("2025-02-01", "99", "goods"),
    ] {
        funds::record_spending(
            &db,
            &admin,
            &spending(sub.id, on, amount, cat, "对账"),
            None,
            now,
        )
        .await
        .unwrap();
    }

    let r = funds::reconcile(&db, &admin, VillageId(v.id), 202501, 202501)
        .await
        .unwrap();
    // 2 at 8.00 (only December's receipt by Jan 5th), then 4 - 1 at the
    // average (10×8 + 30×10)/40 = 9.50.
    assert_eq!(r.numbers.points_redeemed, (2 + 4 - 1) * 5);
    assert_eq!(r.numbers.points_value_fen, 2_500);
    assert_eq!(r.numbers.goods_cost_fen, 1_600 + 3 * 950);
    assert_eq!(r.numbers.goods_spent_fen, 30_000);
    assert_eq!(r.numbers.uncosted_units, 0);
    assert_eq!(r.explain.len(), 3);
    assert!(r.explain[0].contains("兑出积分 25 分"), "{:?}", r.explain);

    let feb = funds::reconcile(&db, &admin, VillageId(v.id), 202502, 202502)
        .await
        .unwrap();
    assert_eq!(feb.numbers.points_redeemed, 35);
    assert_eq!(feb.numbers.goods_cost_fen, 7 * 950);
    assert_eq!(feb.numbers.goods_spent_fen, 9_900);
    let bad = funds::reconcile(&db, &admin, VillageId(v.id), 202503, 202502).await;
    assert!(matches!(bad, Err(AppError::Invalid(_))));
}

#[tokio::test]
async fn only_the_town_writes_a_village_reads_its_own_and_the_public_waits_for_publishing() {
    let db = small_town("funds-roles").await;
    let admin = caller(&db, "admin").await;
    let cun = caller(&db, "cun200").await;
    let shop = caller(&db, "shop200").await;
    let own = village(&db, "200").await;
    let other = village(&db, "201").await;
    let sub = subsidy_of(&db, own.id).await;
    let now = Utc::now();

    // The village admin reads their own village, read-only.
    let page = funds::village(&db, &cun, VillageId(own.id), now)
        .await
        .unwrap();
    assert!(!page.may_write);
    assert!(!page.funds.is_empty());
    for r in [
        funds::village(&db, &cun, VillageId(other.id), now)
            .await
            .err(),
        funds::village(&db, &shop, VillageId(own.id), now)
            .await
            .err(),
        funds::reconcile(&db, &cun, VillageId(other.id), 202601, 202612)
            .await
            .err(),
        funds::overview(&db, Some(&cun), now).await.err(),
    ] {
        assert!(matches!(r, Some(AppError::Forbidden)), "{r:?}");
    }
    assert!(
        funds::reconcile(&db, &cun, VillageId(own.id), 202601, 202612)
            .await
            .is_ok()
    );
    // No writes but the town's.
    let before = (
        fund_spending::Entity::find().count(&db.conn).await.unwrap(),
        fund_payment::Entity::find().count(&db.conn).await.unwrap(),
        fund::Entity::find().count(&db.conn).await.unwrap(),
    );
    let s = fund_spending::Entity::find()
        .filter(fund_spending::Column::VillageId.eq(own.id))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    let p = fund_payment::Entity::find()
        .filter(fund_payment::Column::VillageId.eq(own.id))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    for who in [&cun, &shop] {
        let form = spending(sub.id, "2026-09-01", "10", "goods", "越权");
        assert!(matches!(
            funds::record_spending(&db, who, &form, None, now).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            funds::reverse_spending(&db, who, SpendingId(s.id), "越权冲销", now).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            funds::reverse_payment(&db, who, PaymentId(p.id), "越权冲销", now).await,
            Err(AppError::Forbidden)
        ));
        let pay = PaymentForm {
            fund: FundId(sub.id),
            tranche: 2,
            amount: "3500".into(),
            paid_on: "2026-09-01".into(),
            note: String::new(),
        };
        assert!(matches!(
            funds::record_payment(&db, who, &pay, now).await,
            Err(AppError::Forbidden)
        ));
        let award = funds::grant(
            &db,
            who,
            VillageId(own.id),
            FundKind::TownAward,
            NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            "",
            now,
        )
        .await;
        assert!(matches!(award, Err(AppError::Forbidden)));
        assert!(matches!(
            funds::set_public(&db, who, true, now).await,
            Err(AppError::Forbidden)
        ));
    }
    let after = (
        fund_spending::Entity::find().count(&db.conn).await.unwrap(),
        fund_payment::Entity::find().count(&db.conn).await.unwrap(),
        fund::Entity::find().count(&db.conn).await.unwrap(),
    );
    assert_eq!(before, after);

    // Over HTTP: anonymous 401, village admin 403 on writes and on another
    // village; the summary is public only once published.
    let app = app_router(&db);
    let Reply { status: st, .. } = send(&app, get("/api/funds_overview", None)).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let Reply { status: st, .. } = send(
        &app,
        get(&format!("/api/village_funds?village={}", own.id), None),
    )
    .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let cun_cookie = login(&app, "cun200").await;
    let Reply {
        status: st, body, ..
    } = send(
        &app,
        get(
            &format!("/api/village_funds?village={}", own.id),
            Some(&cun_cookie),
        ),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let Reply { status: st, .. } = send(
        &app,
        get(
            &format!("/api/village_funds?village={}", other.id),
            Some(&cun_cookie),
        ),
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let Reply { status: st, .. } = send(
        &app,
        post_json(
            "/api/fund_spending_reverse",
            serde_json::json!({"id": s.id, "reason": "越权冲销"}),
            Some(&cun_cookie),
        ),
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let Reply { status: st, .. } = send(
        &app,
        post_json("/api/funds_publish", serde_json::json!({"on": true}), None),
    )
    .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);

    // The voucher photo: the town and the village's admin, nobody else.
    let with_photo = fund_spending::Entity::find()
        .filter(fund_spending::Column::VoucherPath.is_not_null())
        .filter(fund_spending::Column::VillageId.eq(own.id))
        .one(&db.conn)
        .await
        .unwrap()
        .expect("a demo voucher in 沙坝村");
    let uri = format!("/fund-voucher/{}", with_photo.id);
    let Reply { status: st, .. } = send(&app, get(&uri, None)).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let Reply { status: st, .. } = send(&app, get(&uri, Some(&cun_cookie))).await;
    assert_eq!(st, StatusCode::OK);
    let cun201 = login(&app, "cun201").await;
    let Reply { status: st, .. } = send(&app, get(&uri, Some(&cun201))).await;
    // Another village's voucher answers as if it did not exist.
    assert_eq!(st, StatusCode::NOT_FOUND);

    // The town publishes the summary: anyone reads it, nobody else writes.
    let admin_cookie = login(&app, "admin").await;
    let Reply { status: st, .. } = send(
        &app,
        post_json(
            "/api/funds_publish",
            serde_json::json!({"on": true}),
            Some(&admin_cookie),
        ),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let Reply {
        status: st, body, ..
    } = send(&app, get("/api/funds_overview", None)).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert!(body.contains(&own.name));
    let o = funds::overview(&db, None, now).await.unwrap();
    assert!(!o.may_write && o.published);
    assert!(funds::overview(&db, Some(&cun), now).await.is_ok());
    // The village page stays private.
    let Reply { status: st, .. } = send(
        &app,
        get(&format!("/api/village_funds?village={}", own.id), None),
    )
    .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    funds::set_public(&db, &admin, false, now).await.unwrap();
    let Reply { status: st, .. } = send(&app, get("/api/funds_overview", None)).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
}
