//! The supermarket counter on a real SQLite file: two counters racing for
//! the last unit, same-day voids, identifying cards, the day's summary.

use crate::common;

use app::domain::redemption::LineRequest;
use app::domain::time::{china_date, month_key};
use app::domain::{GoodsId, HouseholdId, VillageId};
use app::error::AppError;
use app::server::entities::*;
use app::server::redeem::{by_key, day, redeem, void, RedeemRequest};
use app::server::{kiosk, ledger, publication};
use chrono::{Duration, Utc};
use common::*;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

fn order(hh: i32, lines: &[(i32, i32)], key: &str) -> RedeemRequest {
    RedeemRequest {
        household: HouseholdId(hh),
        lines: lines
            .iter()
            .map(|(g, q)| LineRequest {
                goods: GoodsId(*g),
                quantity: *q,
            })
            .collect(),
        idempotency_key: key.into(),
    }
}

async fn stock(db: &app::server::Db, id: i32) -> i32 {
    goods::Entity::find_by_id(id)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap()
        .stock
}

#[tokio::test]
async fn two_counters_racing_for_the_last_unit_hand_it_over_once() {
    let db = small_town("last-unit").await;
    let v = village(&db, "200").await;
    let oil = stocked_goods(&db, v.id, 60, 1).await;
    let a = funded_household(&db, v.id, "2009101", 400).await;
    let b = funded_household(&db, v.id, "2009102", 400).await;
    // Two counters: the clerk's tablet and the village admin standing in.
    let shop = caller(&db, "shop200").await;
    let admin = caller(&db, "cun200").await;
    for round in 0..5 {
        // Restock the one unit between rounds through a movement.
        if round > 0 {
            stock_movement::ActiveModel {
                goods_id: Set(oil.id),
                kind: Set("received".into()),
                quantity: Set(1),
                recorded_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&db.conn)
            .await
            .unwrap();
            goods::ActiveModel {
                id: Set(oil.id),
                stock: Set(1),
                ..Default::default()
            }
            .update(&db.conn)
            .await
            .unwrap();
        }
        let (x, y) = tokio::join!(
            redeem(
                &db,
                &shop,
                order(a.id, &[(oil.id, 1)], &format!("race-a-{round:04}")),
                Utc::now()
            ),
            redeem(
                &db,
                &admin,
                order(b.id, &[(oil.id, 1)], &format!("race-b-{round:04}")),
                Utc::now()
            ),
        );
        let won = [&x, &y].iter().filter(|r| r.is_ok()).count();
        assert_eq!(won, 1, "round {round}: {x:?} / {y:?}");
        let lost = if x.is_err() { x } else { y };
        assert!(
            matches!(lost, Err(AppError::Invalid(ref m)) if m.contains("库存不足")),
            "{lost:?}"
        );
        assert_eq!(stock(&db, oil.id).await, 0);
    }
    let spent = reload(&db, a.id).await.redeemed_total + reload(&db, b.id).await.redeemed_total;
    assert_eq!(spent, 5 * 60);
    assert_eq!(ledger::verify(&db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn a_void_restores_points_and_stock_exactly_and_only_once() {
    let db = small_town("void").await;
    let v = village(&db, "200").await;
    let hh = funded_household(&db, v.id, "2009201", 100).await;
    let soap = stocked_goods(&db, v.id, 4, 10).await;
    let rice = stocked_goods(&db, v.id, 50, 3).await;
    let shop = caller(&db, "shop200").await;
    let now = Utc::now();
    let month_before = household_month::Entity::find()
        .filter(household_month::Column::HouseholdId.eq(hh.id))
        .filter(household_month::Column::Month.eq(month_key(china_date(now))))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();

    let sold = redeem(
        &db,
        &shop,
        order(hh.id, &[(soap.id, 3), (rice.id, 1)], "void-test-0001"),
        now,
    )
    .await
    .unwrap();
    assert_eq!((sold.total, sold.balance_after), (62, 38));

    // Refusals write nothing.
    let err = void(&db, &shop, sold.id, "  ", now).await.unwrap_err();
    assert_eq!(err.to_string(), "请填写作废原因");
    let err = void(&db, &shop, sold.id, "拿错", now + Duration::days(1))
        .await
        .unwrap_err();
    assert!(err.to_string().starts_with("只能作废当天的兑换"), "{err}");
    let other = caller(&db, "shop201").await;
    assert!(matches!(
        void(&db, &other, sold.id, "拿错", now).await,
        Err(AppError::Forbidden)
    ));
    assert_eq!(reload(&db, hh.id).await.balance, 38);

    let voided = void(&db, &shop, sold.id, "拿错商品", now).await.unwrap();
    assert_eq!(voided.total, -62);
    assert_eq!(voided.voids.as_deref(), Some(sold.receipt_no.as_str()));
    assert_eq!(
        voided.lines.iter().map(|l| l.quantity).collect::<Vec<_>>(),
        vec![-3, -1]
    );
    let after = reload(&db, hh.id).await;
    assert_eq!(
        (after.balance, after.redeemed_total, after.earned_total),
        (100, 0, 100)
    );
    assert_eq!(
        (stock(&db, soap.id).await, stock(&db, rice.id).await),
        (10, 3)
    );
    let month_after = household_month::Entity::find()
        .filter(household_month::Column::HouseholdId.eq(hh.id))
        .filter(household_month::Column::Month.eq(month_key(china_date(now))))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(month_after.redeemed, month_before.redeemed);
    // The stock ledger shows the goods coming back, linked to the void.
    let back = stock_movement::Entity::find()
        .filter(stock_movement::Column::Kind.eq("voided"))
        .filter(stock_movement::Column::RedemptionId.eq(voided.id.0))
        .all(&db.conn)
        .await
        .unwrap();
    assert_eq!(back.iter().map(|m| m.quantity).sum::<i32>(), 4);
    assert_eq!(ledger::verify(&db).await.unwrap(), vec![]);

    // Once only; a void is not voided itself.
    assert!(matches!(
        void(&db, &shop, sold.id, "再来一次", now).await,
        Err(AppError::Conflict(_))
    ));
    let err = void(&db, &shop, voided.id, "撤销作废", now)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "作废记录本身不能再作废");
    assert_eq!(reload(&db, hh.id).await.balance, 100);

    // The month's public ledger carries both, netting to nothing.
    let month = publication::build_month(&db.conn, v.id, month_key(china_date(now)))
        .await
        .unwrap();
    let ours: Vec<_> = month
        .redemptions
        .iter()
        .filter(|r| r.card_no == "2009201")
        .collect();
    assert_eq!(ours.len(), 2);
    assert_eq!(ours.iter().map(|r| r.points).sum::<i64>(), 0);
    assert_eq!(
        ours[1].goods,
        format!(
            "作废小票 {}（拿错商品）：测试商品4×3、测试商品50×1",
            sold.receipt_no
        )
    );

    // The day's list links them both ways.
    let list = day(&db, &shop, VillageId(v.id), china_date(now))
        .await
        .unwrap();
    let orig = list.iter().find(|r| r.id == sold.id).unwrap();
    assert_eq!(orig.voided_by.as_deref(), Some(voided.receipt_no.as_str()));
}

#[tokio::test]
async fn a_lost_answer_is_found_again_by_its_key() {
    let db = small_town("by-key").await;
    let v = village(&db, "200").await;
    let hh = funded_household(&db, v.id, "2009301", 40).await;
    let g = stocked_goods(&db, v.id, 10, 5).await;
    let shop = caller(&db, "shop200").await;
    let vid = VillageId(v.id);
    assert!(by_key(&db, &shop, vid, "never-sent-0001")
        .await
        .unwrap()
        .is_none());
    let first = redeem(
        &db,
        &shop,
        order(hh.id, &[(g.id, 2)], "reload-key-0001"),
        Utc::now(),
    )
    .await
    .unwrap();
    let found = by_key(&db, &shop, vid, "reload-key-0001")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found.id, found.replayed), (first.id, true));
    // Another village's counter cannot read it, nor tell it is used: at its
    // own counter the key answers like a fresh one, and into ours it may not.
    let other = caller(&db, "shop201").await;
    let theirs = VillageId(village(&db, "201").await.id);
    assert!(by_key(&db, &other, theirs, "reload-key-0001")
        .await
        .unwrap()
        .is_none());
    assert!(matches!(
        by_key(&db, &other, vid, "reload-key-0001").await,
        Err(AppError::Forbidden)
    ));
    assert_eq!(reload(&db, hh.id).await.balance, 20);
}

#[tokio::test]
async fn the_counter_says_whose_card_it_is_and_what_to_do() {
    let db = small_town("identify").await;
    let v = village(&db, "200").await;
    let w = village(&db, "201").await;
    let shop = caller(&db, "shop200").await;
    let ours = empty_household(&db, v.id, "2009401").await;
    let theirs = empty_household(&db, w.id, "2019401").await;

    let h = kiosk::identify(&db, &shop, VillageId(v.id), " 2009401 ")
        .await
        .unwrap();
    assert_eq!(h.id.0, ours.id);
    let err = kiosk::identify(&db, &shop, VillageId(v.id), "2019401")
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("这是{}的户卡，只能在{}积分超市兑换", w.name, w.name)
    );
    let _ = theirs;
    let err = kiosk::identify(&db, &shop, VillageId(v.id), "2009999")
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::NotFound(_)), "{err:?}");
    let err = kiosk::identify(&db, &shop, VillageId(v.id), "abc")
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Invalid(_)));

    household::ActiveModel {
        id: Set(ours.id),
        moved_away: Set(true),
        ..Default::default()
    }
    .update(&db.conn)
    .await
    .unwrap();
    let err = kiosk::identify(&db, &shop, VillageId(v.id), "2009401")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("已迁出本村，不能兑换"), "{err}");

    // A villager is no counter.
    let villager = caller(&db, "hu200").await;
    assert!(matches!(
        kiosk::shelf(&db, &villager, VillageId(v.id)).await,
        Err(AppError::Forbidden)
    ));
    let shelf = kiosk::shelf(&db, &shop, VillageId(v.id)).await.unwrap();
    assert!(shelf.len() >= 10);
    assert_eq!(shelf[0].category, "粮油调味");
}

#[tokio::test]
async fn the_same_key_with_another_order_is_refused_with_the_first_receipt() {
    let db = small_town("key-reuse").await;
    let v = village(&db, "200").await;
    let hh = funded_household(&db, v.id, "2009501", 400).await;
    let other_hh = funded_household(&db, v.id, "2009502", 400).await;
    let a = stocked_goods(&db, v.id, 10, 50).await;
    let b = stocked_goods(&db, v.id, 12, 50).await;
    let shop = caller(&db, "shop200").await;
    let now = Utc::now();
    let first = redeem(
        &db,
        &shop,
        order(hh.id, &[(a.id, 1)], "reuse-key-0001"),
        now,
    )
    .await
    .unwrap();
    // The same order again: the first receipt.
    let again = redeem(
        &db,
        &shop,
        order(hh.id, &[(a.id, 1)], "reuse-key-0001"),
        now,
    )
    .await
    .unwrap();
    assert_eq!((again.id, again.replayed), (first.id, true));
    for changed in [
        order(hh.id, &[(b.id, 1)], "reuse-key-0001"),
        order(hh.id, &[(a.id, 5)], "reuse-key-0001"),
        order(hh.id, &[(a.id, 1), (b.id, 1)], "reuse-key-0001"),
        order(other_hh.id, &[(a.id, 1)], "reuse-key-0001"),
    ] {
        match redeem(&db, &shop, changed, now).await {
            Err(e @ AppError::KeyReused(_)) => {
                assert_eq!(e.status(), 409);
                assert_eq!(e.to_string(), "这一单已用其他内容兑换过");
                let AppError::KeyReused(r) = e else {
                    unreachable!()
                };
                assert_eq!((r.id, r.replayed), (first.id, true));
                assert_eq!(r.lines.len(), 1);
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(reload(&db, hh.id).await.balance, 390);
    assert_eq!((stock(&db, a.id).await, stock(&db, b.id).await), (49, 50));
    assert_eq!(reload(&db, other_hh.id).await.balance, 400);
}

#[tokio::test]
async fn a_client_key_can_neither_take_a_void_key_nor_collide_across_villages() {
    let db = small_town("key-space").await;
    let v = village(&db, "200").await;
    let w = village(&db, "201").await;
    let hh = funded_household(&db, v.id, "2009601", 400).await;
    let theirs = funded_household(&db, w.id, "2019601", 400).await;
    let g = stocked_goods(&db, v.id, 10, 50).await;
    let h = stocked_goods(&db, w.id, 10, 50).await;
    let shop = caller(&db, "shop200").await;
    let shop201 = caller(&db, "shop201").await;
    let now = Utc::now();
    // Ids from 100 on make void keys (`void-<id>`) long enough to be a
    // valid client key: start the redemption ids there.
    redemption::ActiveModel {
        id: Set(100_000),
        village_id: Set(v.id),
        household_id: Set(hh.id),
        clerk_id: Set(shop.user.0),
        idempotency_key: Set("id-bump".into()),
        receipt_no: Set("id-bump".into()),
        total_points: Set(0),
        created_at: Set(now - Duration::days(400)),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .unwrap();
    let sold = redeem(
        &db,
        &shop,
        order(hh.id, &[(g.id, 1)], "space-key-0001"),
        now,
    )
    .await
    .unwrap();
    // A client key shaped like the server's void key is just a key: it
    // neither replays a void nor stops that redemption from being voided.
    let squat = format!("void-{}", sold.id.0);
    let other = redeem(&db, &shop, order(hh.id, &[(g.id, 1)], &squat), now)
        .await
        .unwrap();
    assert!(!other.replayed);
    assert!(other.voids.is_none());
    void(&db, &shop, sold.id, "拿错商品", now).await.unwrap();
    assert_eq!(
        by_key(&db, &shop, VillageId(v.id), &squat)
            .await
            .unwrap()
            .map(|r| r.id),
        Some(other.id)
    );
    // Another village uses the same key for its own order: a fresh
    // redemption there, not a conflict that reveals ours.
    let there = redeem(
        &db,
        &shop201,
        order(theirs.id, &[(h.id, 2)], "space-key-0001"),
        now,
    )
    .await
    .unwrap();
    assert!(!there.replayed);
    assert_ne!(there.id, sold.id);
    assert_eq!(
        by_key(&db, &shop201, VillageId(w.id), "space-key-0001")
            .await
            .unwrap()
            .map(|r| r.id),
        Some(there.id)
    );
    assert_eq!(ledger::verify(&db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn a_stock_move_below_zero_fails_and_takes_the_statements_sent_with_it() {
    // On one SQLite file the writer lock and the redemption's check keep
    // stock from going below zero; the stock statement itself refuses too,
    // for writers the lock does not cover (another server process).
    use app::server::db::execute_all;
    use app::server::redeem::{is_stock_shortfall, move_stock};
    use sea_orm::QueryTrait;

    let db = small_town("stock-floor").await;
    let v = village(&db, "200").await;
    let oil = stocked_goods(&db, v.id, 30, 1).await;
    let backend = db.conn.get_database_backend();
    let audit_rows = || async {
        audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("stock-floor-test"))
            .all(&db.conn)
            .await
            .unwrap()
            .len()
    };
    let note = || {
        app::server::audit::Row {
            user: None,
            action: "stock-floor-test",
            target_table: "goods",
            target_id: Some(oil.id),
            detail: String::new(),
            at: Utc::now(),
        }
        .statement(backend)
    };

    let txn = db.write().await.unwrap();
    let err = execute_all(&*txn, vec![note(), move_stock(oil.id, -2).build(backend)])
        .await
        .expect_err("two units leave a shelf of one");
    assert!(is_stock_shortfall(&err), "{err}");
    drop(txn);
    assert_eq!(stock(&db, oil.id).await, 1, "the stock did not move");
    assert_eq!(
        audit_rows().await,
        0,
        "the statement sent before it is gone too"
    );

    let txn = db.write().await.unwrap();
    execute_all(&*txn, vec![note(), move_stock(oil.id, -1).build(backend)])
        .await
        .unwrap();
    txn.commit().await.unwrap();
    assert_eq!(stock(&db, oil.id).await, 0, "the last unit may leave");
    assert_eq!(audit_rows().await, 1);
}

#[tokio::test]
async fn every_receipt_names_the_row_its_order_was_stored_as() {
    // A redemption is written with the id it read before its insert (so its
    // lines go in the same request); voids take theirs from the database.
    // Sold, voided and sold again, each receipt must still be its own row.
    let db = small_town("receipt-ids").await;
    let v = village(&db, "200").await;
    let hh = funded_household(&db, v.id, "2009401", 100).await;
    let g = stocked_goods(&db, v.id, 5, 10).await;
    let shop = caller(&db, "shop200").await;
    let now = Utc::now();
    let first = redeem(&db, &shop, order(hh.id, &[(g.id, 1)], "ids-key-0001"), now)
        .await
        .unwrap();
    let voided = void(&db, &shop, first.id, "拿错", now).await.unwrap();
    let second = redeem(&db, &shop, order(hh.id, &[(g.id, 2)], "ids-key-0002"), now)
        .await
        .unwrap();
    let third = redeem(&db, &shop, order(hh.id, &[(g.id, 3)], "ids-key-0003"), now)
        .await
        .unwrap();
    let ids = [first.id, voided.id, second.id, third.id];
    assert!(ids.windows(2).all(|w| w[0].0 < w[1].0), "{ids:?}");
    for (r, units) in [(&first, 1), (&voided, -1), (&second, 2), (&third, 3)] {
        let row = redemption::Entity::find_by_id(r.id.0)
            .one(&db.conn)
            .await
            .unwrap()
            .expect("the receipt's row");
        assert_eq!(
            (row.receipt_no.as_str(), row.total_points),
            (r.receipt_no.as_str(), r.total)
        );
        let lines = redemption_line::Entity::find()
            .filter(redemption_line::Column::RedemptionId.eq(r.id.0))
            .all(&db.conn)
            .await
            .unwrap();
        assert_eq!(lines.iter().map(|l| l.quantity).sum::<i32>(), units);
    }
    assert_eq!(reload(&db, hh.id).await.balance, 75);
    assert_eq!(stock(&db, g.id).await, 5);
    assert_eq!(ledger::verify(&db).await.unwrap(), vec![]);
}
