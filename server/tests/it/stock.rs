//! The shop's stock (库存): receipts and adjustments keep every goods' stock
//! equal to the sum of its movements, stock never goes below zero, only the
//! village's counter may touch it, and goods photos are stored and served.

use crate::common;

use std::io::Cursor;

use app::api::stock::{AdjustForm, GoodsForm, ReceiveForm, StockGoods};
use app::domain::roles::Caller;
use app::domain::{GoodsId, VillageId};
use app::error::AppError;
use app::server::entities::*;
use app::server::{ledger, stock, Db};
use axum::body::Body;
use chrono::{Duration, Utc};
use common::*;
use http::{header, Request, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use tower::ServiceExt;

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn goods_form(name: &str) -> GoodsForm {
    GoodsForm {
        name: name.into(),
        unit: "块".into(),
        category: "清洁用品".into(),
        price: "5".into(),
        low_stock: "3".into(),
    }
}

fn receipt(goods: GoodsId, quantity: &str, cost: &str) -> ReceiveForm {
    ReceiveForm {
        goods,
        quantity: quantity.into(),
        unit_cost: cost.into(),
        supplier: "镇供销社".into(),
        moved_on: today().format("%Y-%m-%d").to_string(),
    }
}

fn adjustment(goods: GoodsId, quantity: &str, reason: &str, note: &str) -> AdjustForm {
    AdjustForm {
        goods,
        quantity: quantity.into(),
        reason: reason.into(),
        note: note.into(),
        moved_on: today().format("%Y-%m-%d").to_string(),
    }
}

async fn movements_of(db: &Db, goods: GoodsId) -> Vec<stock_movement::Model> {
    stock_movement::Entity::find()
        .filter(stock_movement::Column::GoodsId.eq(goods.0))
        .all(&db.conn)
        .await
        .unwrap()
}

async fn stored(db: &Db, goods: GoodsId) -> goods::Model {
    goods::Entity::find_by_id(goods.0)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap()
}

async fn audit_rows(db: &Db) -> u64 {
    audit_log::Entity::find().count(&db.conn).await.unwrap()
}

async fn assert_ledger_balances(db: &Db) {
    let mismatches = ledger::verify(db).await.unwrap();
    assert!(
        mismatches.is_empty(),
        "{:?}",
        mismatches.iter().map(|m| &m.what).collect::<Vec<_>>()
    );
}

async fn new_goods(db: &Db, clerk: &Caller, village: i32, name: &str) -> StockGoods {
    stock::create_goods(db, clerk, VillageId(village), &goods_form(name), Utc::now())
        .await
        .unwrap()
}

#[tokio::test]
async fn receipts_and_adjustments_keep_stock_equal_to_its_movements() {
    let db = small_town("stock-moves").await;
    let v = village(&db, "201").await;
    let clerk = caller(&db, "shop201").await;

    let g = new_goods(&db, &clerk, v.id, "硫磺皂").await;
    assert_eq!((g.stock, g.active, g.low), (0, true, true));
    let audits = audit_rows(&db).await;

    let after = stock::receive(&db, &clerk, &receipt(g.id, "24", "12.5"), Utc::now())
        .await
        .unwrap();
    assert_eq!(after.stock, 24);
    assert!(!after.low);
    let after = stock::adjust(
        &db,
        &clerk,
        &adjustment(g.id, "-3", "损耗/破损", "受潮"),
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(after.stock, 21);
    // The village admin may stand in at the counter.
    let admin = caller(&db, "cun201").await;
    let after = stock::adjust(
        &db,
        &admin,
        &adjustment(g.id, "+1", "盘点更正", ""),
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(after.stock, 22);
    assert_eq!(audit_rows(&db).await, audits + 3, "one audit row per write");

    let moves = movements_of(&db, g.id).await;
    assert_eq!(moves.iter().map(|m| m.quantity).sum::<i32>(), 22);
    assert_eq!(stored(&db, g.id).await.stock, 22);
    let received = moves.iter().find(|m| m.kind == "received").unwrap();
    assert_eq!(received.unit_cost_fen, Some(1250));
    assert_eq!(received.supplier.as_deref(), Some("镇供销社"));
    assert_eq!(received.moved_on, Some(today()));
    assert_eq!(received.recorded_by, Some(clerk.user.0));

    // The history lists them newest first, in Chinese.
    let d = stock::detail(&db, &clerk, g.id).await.unwrap();
    let kinds: Vec<_> = d.movements.iter().map(|m| m.kind_label.as_str()).collect();
    assert_eq!(kinds, ["调整", "调整", "入库"]);
    assert_eq!(d.movements[0].quantity, 1);
    assert_eq!(d.movements[0].reason.as_deref(), Some("盘点更正"));
    assert_eq!(d.movements[1].reason.as_deref(), Some("损耗/破损：受潮"));
    assert_eq!(d.movements[2].unit_cost.as_deref(), Some("12.50"));
    assert_eq!(d.movements[2].amount.as_deref(), Some("300.00"));
    assert_eq!(d.movements[2].by, format!("{}超市管理员", v.name));
    assert_eq!((d.received_units, d.received_cost.as_str()), (24, "300.00"));
    assert!(!d.more);

    // A delivery entered late lists by its own date, not by when it was typed in.
    let late = ReceiveForm {
        moved_on: (today() - Duration::days(3)).format("%Y-%m-%d").to_string(),
        ..receipt(g.id, "6", "12.00")
    };
    stock::receive(&db, &clerk, &late, Utc::now())
        .await
        .unwrap();
    let d = stock::detail(&db, &clerk, g.id).await.unwrap();
    assert_eq!(d.movements.len(), 4);
    assert_eq!(d.movements[0].quantity, 1, "today's latest stays first");
    let oldest = d.movements.last().unwrap();
    assert_eq!((oldest.quantity, oldest.kind_label.as_str()), (6, "入库"));
    assert_eq!((d.received_units, d.received_cost.as_str()), (30, "372.00"));
    assert_eq!(stored(&db, g.id).await.stock, 28);

    // A seeded goods, with redemptions in its history, takes a receipt too.
    let seeded = goods::Entity::find()
        .filter(goods::Column::VillageId.eq(v.id))
        .filter(goods::Column::Name.eq("洗衣粉"))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    let before = seeded.stock;
    let after = stock::receive(
        &db,
        &clerk,
        &receipt(GoodsId(seeded.id), "10", "0"),
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(after.stock, before + 10);
    let d = stock::detail(&db, &clerk, GoodsId(seeded.id))
        .await
        .unwrap();
    assert_eq!(d.movements[0].kind_label, "入库");
    assert!(d.movements.iter().all(|m| m.kind_label != m.kind));
    if let Some(r) = d.movements.iter().find(|m| m.kind == "redeemed") {
        assert_eq!(r.kind_label, "兑换");
        assert!(r.quantity < 0);
        assert!(r.receipt_no.is_some(), "a redemption names its receipt");
    }
    assert_ledger_balances(&db).await;
}

#[tokio::test]
async fn an_adjustment_below_zero_or_any_bad_input_writes_nothing() {
    let db = small_town("stock-negative").await;
    let v = village(&db, "201").await;
    let clerk = caller(&db, "shop201").await;
    let g = new_goods(&db, &clerk, v.id, "火柴").await;
    stock::receive(&db, &clerk, &receipt(g.id, "2", "0.5"), Utc::now())
        .await
        .unwrap();
    let (moves, audits) = (movements_of(&db, g.id).await.len(), audit_rows(&db).await);

    let r = stock::adjust(&db, &clerk, &adjustment(g.id, "-3", "过期", ""), Utc::now()).await;
    match r {
        Err(AppError::Invalid(m)) => assert!(m.starts_with("调整后库存不能为负"), "{m}"),
        other => panic!("{other:?}"),
    }
    let tomorrow = (today() + Duration::days(1)).format("%Y-%m-%d").to_string();
    let refused = [
        stock::adjust(&db, &clerk, &adjustment(g.id, "-1", "", ""), Utc::now()).await,
        stock::adjust(
            &db,
            &clerk,
            &adjustment(g.id, "-1", "其他", " "),
            Utc::now(),
        )
        .await,
        stock::adjust(&db, &clerk, &adjustment(g.id, "0", "过期", ""), Utc::now()).await,
        stock::receive(&db, &clerk, &receipt(g.id, "0", "1"), Utc::now()).await,
        stock::receive(&db, &clerk, &receipt(g.id, "5", "-1"), Utc::now()).await,
        stock::receive(&db, &clerk, &receipt(g.id, "5", "1.234"), Utc::now()).await,
        stock::receive(&db, &clerk, &receipt(g.id, "5", "abc"), Utc::now()).await,
        stock::receive(
            &db,
            &clerk,
            &ReceiveForm {
                moved_on: tomorrow,
                ..receipt(g.id, "5", "1")
            },
            Utc::now(),
        )
        .await,
    ];
    for r in refused {
        assert!(matches!(r, Err(AppError::Invalid(_))), "{r:?}");
    }
    assert_eq!(stored(&db, g.id).await.stock, 2);
    assert_eq!(movements_of(&db, g.id).await.len(), moves);
    assert_eq!(audit_rows(&db).await, audits);

    // Down to exactly zero is fine.
    let after = stock::adjust(&db, &clerk, &adjustment(g.id, "-2", "过期", ""), Utc::now())
        .await
        .unwrap();
    assert_eq!(after.stock, 0);
    assert_ledger_balances(&db).await;
}

#[tokio::test]
async fn concurrent_adjustments_never_take_stock_below_zero() {
    let db = small_town("stock-race").await;
    let v = village(&db, "201").await;
    let clerk = caller(&db, "shop201").await;
    let g = new_goods(&db, &clerk, v.id, "电池").await;
    stock::receive(&db, &clerk, &receipt(g.id, "5", "2"), Utc::now())
        .await
        .unwrap();
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let (db, clerk) = (db.clone(), clerk.clone());
            tokio::spawn(async move {
                stock::adjust(
                    &db,
                    &clerk,
                    &adjustment(g.id, "-1", "损耗/破损", ""),
                    Utc::now(),
                )
                .await
            })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        if t.await.unwrap().is_ok() {
            ok += 1;
        }
    }
    assert_eq!(ok, 5);
    assert_eq!(stored(&db, g.id).await.stock, 0);
    assert_ledger_balances(&db).await;
}

#[tokio::test]
async fn only_the_villages_counter_may_read_or_change_its_stock() {
    let db = small_town("stock-perm").await;
    let v = village(&db, "201").await;
    let clerk = caller(&db, "shop201").await;
    let g = new_goods(&db, &clerk, v.id, "针线包").await;
    let audits = audit_rows(&db).await;
    let now = Utc::now();
    for who in ["shop200", "cun200", "hu200", "admin"] {
        let c = caller(&db, who).await;
        let results = [
            stock::overview(&db, &c, VillageId(v.id)).await.map(|_| ()),
            stock::detail(&db, &c, g.id).await.map(|_| ()),
            stock::receive(&db, &c, &receipt(g.id, "3", "1"), now)
                .await
                .map(|_| ()),
            stock::adjust(&db, &c, &adjustment(g.id, "1", "盘点更正", ""), now)
                .await
                .map(|_| ()),
            stock::create_goods(&db, &c, VillageId(v.id), &goods_form("别村商品"), now)
                .await
                .map(|_| ()),
            stock::update_goods(&db, &c, g.id, &goods_form("改名"), now)
                .await
                .map(|_| ()),
            stock::set_active(&db, &c, g.id, false, now)
                .await
                .map(|_| ()),
            stock::store_photo(&db, &c, g.id, png(20, 20), now)
                .await
                .map(|_| ()),
            stock::remove_photo(&db, &c, g.id, now).await.map(|_| ()),
        ];
        for (i, r) in results.into_iter().enumerate() {
            assert_eq!(r, Err(AppError::Forbidden), "{who} call {i}");
        }
    }
    // Even with bad input, an outsider hears 403, not what was wrong.
    let villager = caller(&db, "hu200").await;
    let r = stock::receive(&db, &villager, &receipt(g.id, "x", "y"), now).await;
    assert_eq!(r, Err(AppError::Forbidden));
    assert_eq!(audit_rows(&db).await, audits);
    assert_eq!(stored(&db, g.id).await.stock, 0);
    // A goods that does not exist is 404.
    let r = stock::detail(&db, &clerk, GoodsId(999_999)).await;
    assert!(matches!(r, Err(AppError::NotFound(_))), "{r:?}");
}

#[tokio::test]
async fn goods_names_are_unique_within_a_village() {
    let db = small_town("stock-names").await;
    let (v200, v201) = (village(&db, "200").await, village(&db, "201").await);
    let clerk = caller(&db, "shop201").await;
    let now = Utc::now();
    // The demo shop already sells 洗衣粉; spaces do not make a new name.
    for name in ["洗衣粉", " 洗衣 粉 "] {
        let r = stock::create_goods(&db, &clerk, VillageId(v201.id), &goods_form(name), now).await;
        match r {
            Err(AppError::Conflict(m)) => assert_eq!(m, "本村超市已有商品“洗衣粉”"),
            other => panic!("{other:?}"),
        }
    }
    let a = new_goods(&db, &clerk, v201.id, "老干妈").await;
    let b = new_goods(&db, &clerk, v201.id, "榨菜").await;
    // Another village may have its own.
    let other = caller(&db, "shop200").await;
    new_goods(&db, &other, v200.id, "老干妈").await;

    // Renaming onto another goods is refused; keeping one's own name is not.
    let r = stock::update_goods(&db, &clerk, b.id, &goods_form("老干妈"), now).await;
    assert!(matches!(r, Err(AppError::Conflict(_))), "{r:?}");
    let edited = stock::update_goods(
        &db,
        &clerk,
        a.id,
        &GoodsForm {
            price: "12".into(),
            category: "粮油调味".into(),
            unit: "瓶".into(),
            low_stock: "6".into(),
            ..goods_form("老干妈")
        },
        now,
    )
    .await
    .unwrap();
    assert_eq!(
        (
            edited.price,
            edited.category.as_str(),
            edited.unit.as_str(),
            edited.low_stock
        ),
        (12, "粮油调味", "瓶", 6)
    );
    // A deactivated goods still holds its name, and says how to get it back.
    stock::set_active(&db, &clerk, b.id, false, now)
        .await
        .unwrap();
    let r = stock::create_goods(&db, &clerk, VillageId(v201.id), &goods_form("榨菜"), now).await;
    match r {
        Err(AppError::Conflict(m)) => assert!(m.contains("已下架"), "{m}"),
        other => panic!("{other:?}"),
    }
    // A bad form is refused with its reason.
    let r = stock::create_goods(
        &db,
        &clerk,
        VillageId(v201.id),
        &GoodsForm {
            price: "0".into(),
            ..goods_form("新品")
        },
        now,
    )
    .await;
    assert!(matches!(r, Err(AppError::Invalid(_))), "{r:?}");
}

#[tokio::test]
async fn deactivated_goods_leave_the_kinds_on_sale() {
    let db = small_town("stock-kinds").await;
    let v = village(&db, "200").await;
    let clerk = caller(&db, "shop200").await;
    let now = Utc::now();
    let start = stock::overview(&db, &clerk, VillageId(v.id)).await.unwrap();
    assert_eq!(start.kinds_warning, None, "the demo shop has enough kinds");
    assert_eq!(start.min_kinds, 10);
    let on_sale: Vec<_> = start
        .goods
        .iter()
        .filter(|g| g.active && g.stock > 0)
        .collect();
    assert_eq!(start.kinds_on_sale, on_sale.len());

    // A new goods with no stock is active but not on sale.
    let g = new_goods(&db, &clerk, v.id, "晾衣架").await;
    let o = stock::overview(&db, &clerk, VillageId(v.id)).await.unwrap();
    assert_eq!(o.kinds_on_sale, start.kinds_on_sale);
    assert!(o.goods.iter().any(|x| x.id == g.id && x.low));

    // Take goods off sale until fewer than ten kinds are left.
    let drop = on_sale.len() - 9;
    for x in on_sale.iter().take(drop) {
        let after = stock::set_active(&db, &clerk, x.id, false, now)
            .await
            .unwrap();
        assert!(!after.active && !after.low, "inactive goods are not warned");
    }
    let o = stock::overview(&db, &clerk, VillageId(v.id)).await.unwrap();
    assert_eq!(o.kinds_on_sale, 9);
    assert_eq!(
        o.kinds_warning.as_deref(),
        Some("在售商品仅 9 种，方案要求不少于10种")
    );
    assert_eq!(o.inactive_count, drop);
    assert!(
        !o.goods.last().unwrap().active,
        "inactive goods are listed last"
    );
    // The public catalogue no longer shows them; back on sale, it does.
    let public = app::server::portal::village_goods(&db, VillageId(v.id))
        .await
        .unwrap();
    assert!(public.iter().all(|p| p.id != on_sale[0].id));
    stock::set_active(&db, &clerk, on_sale[0].id, true, now)
        .await
        .unwrap();
    let o = stock::overview(&db, &clerk, VillageId(v.id)).await.unwrap();
    assert_eq!((o.kinds_on_sale, o.kinds_warning), (10, None));
    assert_ledger_balances(&db).await;
}

#[tokio::test]
async fn a_goods_photo_is_stored_under_the_village_and_served_publicly() {
    let db = small_town("stock-photo").await;
    let v = village(&db, "201").await;
    let clerk = caller(&db, "shop201").await;
    let g = new_goods(&db, &clerk, v.id, "搪瓷盆").await;
    let now = Utc::now();

    let junk = stock::store_photo(&db, &clerk, g.id, b"not a picture".to_vec(), now).await;
    assert!(matches!(junk, Err(AppError::Invalid(_))), "{junk:?}");
    let empty = stock::store_photo(&db, &clerk, g.id, Vec::new(), now).await;
    assert!(matches!(empty, Err(AppError::Invalid(_))), "{empty:?}");

    let with = stock::store_photo(&db, &clerk, g.id, png(2400, 1600), now)
        .await
        .unwrap();
    let row = stored(&db, g.id).await;
    let rel = row.photo_path.clone().unwrap();
    assert!(rel.starts_with(&format!("goods/{}/", v.id)), "{rel}");
    let file = db.files_dir().join(&rel);
    let jpeg = std::fs::read(&file).unwrap();
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "a JPEG");
    let img = image::load_from_memory(&jpeg).unwrap();
    assert_eq!((img.width(), img.height()), (1280, 853));
    let url = with.photo.clone().unwrap();
    assert!(
        url.starts_with(&format!("/goods-photo/{}?v=", g.id)),
        "{url}"
    );

    // Served to anyone, without signing in.
    let app = app_router(&db);
    let get = |uri: String| Request::get(uri).body(Body::empty()).unwrap();
    let res = app.clone().oneshot(get(url.clone())).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "image/jpeg");
    let body = axum::body::to_bytes(res.into_body(), 1 << 22)
        .await
        .unwrap();
    assert_eq!(body.as_ref(), jpeg.as_slice());
    // The public catalogue points at the same address.
    let public = app::server::portal::village_goods(&db, VillageId(v.id))
        .await
        .unwrap();
    let p = public.iter().find(|p| p.id == g.id).unwrap();
    assert_eq!(p.photo.as_deref(), Some(url.as_str()));

    // A new photo gets a new address and the old file goes.
    let replaced = stock::store_photo(&db, &clerk, g.id, png(300, 200), now)
        .await
        .unwrap();
    assert_ne!(replaced.photo, with.photo);
    assert!(!file.exists(), "the old photo file is removed");

    // Without a photo, or for no such goods: 404.
    let plain = new_goods(&db, &clerk, v.id, "竹篮").await;
    for uri in [
        format!("/goods-photo/{}", plain.id),
        "/goods-photo/999999".to_string(),
    ] {
        let res = app.clone().oneshot(get(uri)).await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
    let removed = stock::remove_photo(&db, &clerk, g.id, now).await.unwrap();
    assert_eq!(removed.photo, None);
    let res = app
        .clone()
        .oneshot(get(format!("/goods-photo/{}", g.id)))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let left: Vec<_> = std::fs::read_dir(db.files_dir().join(format!("goods/{}", v.id)))
        .unwrap()
        .collect();
    assert!(left.is_empty(), "no photo file is left behind");
}

#[tokio::test]
async fn redemptions_and_voids_are_labelled_in_the_history() {
    use app::domain::redemption::LineRequest;
    use app::server::redeem::{redeem, RedeemRequest};
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{ActiveModelTrait, Set};

    let db = small_town("stock-history").await;
    let v = village(&db, "201").await;
    let clerk = caller(&db, "shop201").await;
    let g = new_goods(&db, &clerk, v.id, "毛线").await;
    stock::receive(&db, &clerk, &receipt(g.id, "5", "3"), Utc::now())
        .await
        .unwrap();
    let hh = funded_household(&db, v.id, "2019991", 100).await;
    let r = redeem(
        &db,
        &clerk,
        RedeemRequest {
            household: app::domain::HouseholdId(hh.id),
            lines: vec![LineRequest {
                goods: g.id,
                quantity: 2,
            }],
            idempotency_key: "stock-history-0001".into(),
        },
        Utc::now(),
    )
    .await
    .unwrap();
    // A void as the counter writes it (the kiosk work): a reversing
    // redemption with its reason, and a 'voided' movement putting the goods
    // back. Its points are left out here; only the stock matters.
    let void = redemption::ActiveModel {
        village_id: Set(v.id),
        household_id: Set(hh.id),
        clerk_id: Set(clerk.user.0),
        idempotency_key: Set("stock-history-void".into()),
        receipt_no: Set(format!("{}-V", r.receipt_no)),
        total_points: Set(0),
        created_at: Set(Utc::now()),
        reverses: Set(Some(r.id.0)),
        reason: Set(Some("拿错了".into())),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .unwrap();
    stock_movement::ActiveModel {
        goods_id: Set(g.id.0),
        kind: Set("voided".into()),
        quantity: Set(2),
        redemption_id: Set(Some(void.id)),
        recorded_by: Set(Some(clerk.user.0)),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .unwrap();
    goods::Entity::update_many()
        .col_expr(goods::Column::Stock, Expr::col(goods::Column::Stock).add(2))
        .filter(goods::Column::Id.eq(g.id.0))
        .exec(&db.conn)
        .await
        .unwrap();

    let d = stock::detail(&db, &clerk, g.id).await.unwrap();
    let seen: Vec<_> = d
        .movements
        .iter()
        .map(|m| (m.kind_label.as_str(), m.quantity))
        .collect();
    assert_eq!(seen, [("作废退回", 2), ("兑换", -2), ("入库", 5)]);
    assert_eq!(
        d.movements[0].receipt_no,
        Some(format!("{}-V", r.receipt_no))
    );
    assert_eq!(d.movements[0].reason.as_deref(), Some("拿错了"));
    assert_eq!(d.movements[1].receipt_no, Some(r.receipt_no.clone()));
    assert_eq!(d.goods.stock, 5);
    assert_ledger_balances(&db).await;
}
