//! Service tests on a real SQLite file with the real migrations.

use crate::common;

use app::domain::redemption::LineRequest;
use app::domain::{EntryId, GoodsId, HouseholdId, RuleItemId};
use app::error::AppError;
use app::server::entities::*;
use app::server::ledger::{self, NewEntry};
use app::server::redeem::{redeem, RedeemRequest};
use app::server::Db;
use chrono::Utc;
use common::*;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn counts(db: &Db) -> (u64, u64, u64, u64) {
    (
        redemption::Entity::find().count(&db.conn).await.unwrap(),
        redemption_line::Entity::find()
            .count(&db.conn)
            .await
            .unwrap(),
        stock_movement::Entity::find()
            .count(&db.conn)
            .await
            .unwrap(),
        audit_log::Entity::find().count(&db.conn).await.unwrap(),
    )
}

#[tokio::test]
async fn a_redemption_writes_everything_or_nothing() {
    let db = small_town("all-or-nothing").await;
    let v = village(&db, "200").await;
    let hh = funded_household(&db, v.id, "2009001", 100).await;
    let soap = stocked_goods(&db, v.id, 10, 5).await;
    let oil = stocked_goods(&db, v.id, 30, 1).await;
    let clerk = caller(&db, "shop200").await;
    let before = counts(&db).await;

    // Second line is short of stock: the whole redemption is refused.
    let err = redeem(
        &db,
        &clerk,
        RedeemRequest {
            household: HouseholdId(hh.id),
            lines: vec![
                LineRequest {
                    goods: GoodsId(soap.id),
                    quantity: 2,
                },
                LineRequest {
                    goods: GoodsId(oil.id),
                    quantity: 2,
                },
            ],
            idempotency_key: "order-fail-0001".into(),
        },
        Utc::now(),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, AppError::Invalid(ref m) if m.contains("库存不足")),
        "{err:?}"
    );
    assert_eq!(counts(&db).await, before, "nothing written");
    assert_eq!(reload(&db, hh.id).await.balance, 100);
    assert_eq!(
        goods::Entity::find_by_id(soap.id)
            .one(&db.conn)
            .await
            .unwrap()
            .unwrap()
            .stock,
        5
    );

    // A covered order writes header, lines, movements, stock, balance and audit.
    let r = redeem(
        &db,
        &clerk,
        RedeemRequest {
            household: HouseholdId(hh.id),
            lines: vec![
                LineRequest {
                    goods: GoodsId(soap.id),
                    quantity: 2,
                },
                LineRequest {
                    goods: GoodsId(oil.id),
                    quantity: 1,
                },
            ],
            idempotency_key: "order-ok-0001".into(),
        },
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(r.total, 50);
    assert_eq!(r.balance_after, 50);
    assert!(!r.replayed);
    assert_eq!(
        counts(&db).await,
        (before.0 + 1, before.1 + 2, before.2 + 2, before.3 + 1)
    );
    let after = reload(&db, hh.id).await;
    assert_eq!(
        (after.balance, after.redeemed_total, after.earned_total),
        (50, 50, 100)
    );
    assert_eq!(
        goods::Entity::find_by_id(soap.id)
            .one(&db.conn)
            .await
            .unwrap()
            .unwrap()
            .stock,
        3
    );
    assert_eq!(
        goods::Entity::find_by_id(oil.id)
            .one(&db.conn)
            .await
            .unwrap()
            .unwrap()
            .stock,
        0
    );
    assert_eq!(ledger::verify(&db).await.unwrap(), vec![]);

    // Not enough points left: refused with both figures, nothing written.
    let rice = stocked_goods(&db, v.id, 60, 5).await;
    let before = counts(&db).await;
    let err = redeem(
        &db,
        &clerk,
        RedeemRequest {
            household: HouseholdId(hh.id),
            lines: vec![LineRequest {
                goods: GoodsId(rice.id),
                quantity: 1,
            }],
            idempotency_key: "order-poor-001".into(),
        },
        Utc::now(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err,
        AppError::Invalid("积分不足：可用 50 分，需要 60 分，请减少商品后再兑换".into())
    );
    assert_eq!(counts(&db).await, before);
    assert_eq!(reload(&db, hh.id).await.balance, 50);
}

#[tokio::test]
async fn a_retried_request_never_redeems_twice() {
    let db = small_town("idempotent").await;
    let v = village(&db, "200").await;
    let hh = funded_household(&db, v.id, "2009002", 100).await;
    let g = stocked_goods(&db, v.id, 10, 10).await;
    let clerk = caller(&db, "shop200").await;
    let req = RedeemRequest {
        household: HouseholdId(hh.id),
        lines: vec![LineRequest {
            goods: GoodsId(g.id),
            quantity: 1,
        }],
        idempotency_key: "retry-key-0001".into(),
    };
    let first = redeem(&db, &clerk, req.clone(), Utc::now()).await.unwrap();
    let before = counts(&db).await;
    let second = redeem(&db, &clerk, req.clone(), Utc::now()).await.unwrap();
    assert!(second.replayed);
    assert_eq!(second.receipt_no, first.receipt_no);
    assert_eq!(second.id, first.id);
    assert_eq!(counts(&db).await, before, "the retry wrote nothing");
    assert_eq!(reload(&db, hh.id).await.balance, 90);
    assert_eq!(
        goods::Entity::find_by_id(g.id)
            .one(&db.conn)
            .await
            .unwrap()
            .unwrap()
            .stock,
        9
    );
}

#[tokio::test]
async fn fifty_concurrent_redemptions_with_points_for_ten() {
    let db = small_town("concurrent").await;
    let v = village(&db, "200").await;
    let hh = funded_household(&db, v.id, "2009003", 100).await;
    let g = stocked_goods(&db, v.id, 10, 40).await;
    let clerk = caller(&db, "shop200").await;
    let mut tasks = Vec::new();
    for i in 0..50 {
        let (db, clerk) = (db.clone(), clerk.clone());
        let req = RedeemRequest {
            household: HouseholdId(hh.id),
            lines: vec![LineRequest {
                goods: GoodsId(g.id),
                quantity: 1,
            }],
            idempotency_key: format!("concurrent-{i:04}"),
        };
        tasks.push(tokio::spawn(async move {
            redeem(&db, &clerk, req, Utc::now()).await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(AppError::Invalid(m)) => assert!(m.contains("积分不足"), "unexpected refusal: {m}"),
            Err(e) => panic!("a redemption failed with {e:?}, not a clean refusal"),
        }
    }
    assert_eq!(ok, 10);
    let after = reload(&db, hh.id).await;
    assert_eq!((after.balance, after.redeemed_total), (0, 100));
    assert_eq!(
        goods::Entity::find_by_id(g.id)
            .one(&db.conn)
            .await
            .unwrap()
            .unwrap()
            .stock,
        30
    );
    let n = redemption::Entity::find()
        .filter(redemption::Column::HouseholdId.eq(hh.id))
        .count(&db.conn)
        .await
        .unwrap();
    assert_eq!(n, 10);
    assert_eq!(ledger::verify(&db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn verify_passes_on_the_demo_town_and_catches_tampering() {
    let db = small_town("verify").await;
    assert_eq!(ledger::verify(&db).await.unwrap(), vec![]);
    let hh = first_household(&db, village(&db, "201").await.id).await;
    db.conn
        .execute_unprepared(&format!(
            "UPDATE household SET balance = balance + 7 WHERE id = {}",
            hh.id
        ))
        .await
        .unwrap();
    let found = ledger::verify(&db).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].stored - found[0].recomputed, 7);
    assert!(found[0].what.contains(&hh.card_no));
}

#[tokio::test]
async fn entries_follow_the_rules_and_reversals_restore_the_balance() {
    let db = small_town("entries").await;
    let v = village(&db, "200").await;
    let hh = empty_household(&db, v.id, "2009004").await;
    let admin = caller(&db, "cun200").await;
    // A capped item from the demo catalogue: 参加全民清洁日-like items have caps.
    let capped = rule_item::Entity::find()
        .filter(rule_item::Column::VillageId.eq(v.id))
        .filter(rule_item::Column::MonthlyCap.is_not_null())
        .filter(rule_item::Column::Points.gt(0))
        .filter(rule_item::Column::Unit.eq("per_time"))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    let cap = capped.monthly_cap.unwrap();
    let times = cap / capped.points;
    let entry = |reason: &str| NewEntry {
        household: HouseholdId(hh.id),
        member: None,
        evidence: None,
        rule_item: RuleItemId(capped.id),
        reason: reason.into(),
        occurred_on: today(),
    };
    let mut first = None;
    for i in 0..times {
        let e = ledger::record_entry(&db, &admin, entry(&format!("第{i}次")), Utc::now())
            .await
            .unwrap();
        first.get_or_insert(e.id);
    }
    let err = ledger::record_entry(&db, &admin, entry("超出上限"), Utc::now())
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Invalid(ref m) if m.contains("上限")),
        "{err:?}"
    );
    assert_eq!(
        reload(&db, hh.id).await.balance,
        i64::from(times * capped.points)
    );

    // Another village's clerk may not record here.
    let other = caller(&db, "cun201").await;
    assert_eq!(
        ledger::record_entry(&db, &other, entry("越权"), Utc::now())
            .await
            .unwrap_err(),
        AppError::Forbidden
    );

    // Reverse the first entry: the balance drops, the original stays.
    let rev = ledger::reverse_entry(&db, &admin, EntryId(first.unwrap()), "录入错误", Utc::now())
        .await
        .unwrap();
    assert_eq!(rev.points, -capped.points);
    assert_eq!(rev.reverses, first);
    assert_eq!(
        reload(&db, hh.id).await.balance,
        i64::from((times - 1) * capped.points)
    );
    assert!(ledger_entry::Entity::find_by_id(first.unwrap())
        .one(&db.conn)
        .await
        .unwrap()
        .is_some());
    let again = ledger::reverse_entry(&db, &admin, EntryId(first.unwrap()), "再次", Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(again, AppError::Invalid(ref m) if m.contains("已冲正")));
    assert_eq!(ledger::verify(&db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn reopening_the_database_neither_loses_nor_reseeds() {
    let path = temp_db_path("reopen");
    let url = app::server::db::sqlite_url(&path);
    let db = Db::open(&url).await.unwrap();
    assert!(app::server::seed::is_empty(&db).await.unwrap());
    app::server::seed::load_demo(&db, SMALL, Utc::now())
        .await
        .unwrap();
    let n = household::Entity::find().count(&db.conn).await.unwrap();
    drop(db);
    let db = Db::open(&url).await.unwrap();
    assert!(!app::server::seed::is_empty(&db).await.unwrap());
    assert_eq!(household::Entity::find().count(&db.conn).await.unwrap(), n);
}

#[tokio::test]
async fn revising_a_rule_makes_a_new_version_and_old_entries_keep_theirs() {
    use app::domain::rules::{RuleTerms, RuleUnit};
    let db = small_town("rules").await;
    let v = village(&db, "200").await;
    let hh = empty_household(&db, v.id, "2009005").await;
    let admin = caller(&db, "cun200").await;
    let v1 = uncapped_item(&db, v.id, 5).await;
    let yesterday = today().pred_opt().unwrap();
    let entry = |item: i32, on| NewEntry {
        household: HouseholdId(hh.id),
        member: None,
        evidence: None,
        rule_item: RuleItemId(item),
        reason: "参加清扫".into(),
        occurred_on: on,
    };
    let old = ledger::record_entry(&db, &admin, entry(v1.id, yesterday), Utc::now())
        .await
        .unwrap();

    let terms = RuleTerms {
        title: v1.title.clone(),
        points: 8,
        unit: RuleUnit::PerTime,
        monthly_cap: None,
        evidence_required: false,
    };
    let other = caller(&db, "cun201").await;
    assert_eq!(
        app::server::rules::revise_item(
            &db,
            &other,
            RuleItemId(v1.id),
            terms.clone(),
            today(),
            Utc::now()
        )
        .await
        .unwrap_err(),
        AppError::Forbidden
    );
    let v2 = app::server::rules::revise_item(
        &db,
        &admin,
        RuleItemId(v1.id),
        terms.clone(),
        today(),
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!((v2.version, v2.points, v2.lineage_id), (2, 8, Some(v1.id)));

    // The old version keeps its terms; its entry keeps pointing at it.
    let v1_now = rule_item::Entity::find_by_id(v1.id)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((v1_now.points, v1_now.active_until), (5, Some(yesterday)));
    let old_now = ledger_entry::Entity::find_by_id(old.id)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((old_now.rule_item_id, old_now.points), (v1.id, 5));

    // Today only the new version applies.
    let err = ledger::record_entry(&db, &admin, entry(v1.id, today()), Utc::now())
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Invalid(ref m) if m.contains("不在有效期内")),
        "{err:?}"
    );
    let new = ledger::record_entry(&db, &admin, entry(v2.id, today()), Utc::now())
        .await
        .unwrap();
    assert_eq!(new.points, 8);
    assert_eq!(reload(&db, hh.id).await.balance, 13);
    // A closed version cannot be revised again.
    let again = app::server::rules::revise_item(
        &db,
        &admin,
        RuleItemId(v1.id),
        terms,
        today().succ_opt().unwrap(),
        Utc::now(),
    )
    .await
    .unwrap_err();
    assert!(matches!(again, AppError::Conflict(_)));
}

#[tokio::test]
async fn a_batch_entry_is_all_or_nothing() {
    let db = small_town("batch").await;
    let v = village(&db, "200").await;
    let admin = caller(&db, "cun200").await;
    let a = empty_household(&db, v.id, "2009201").await;
    let b = empty_household(&db, v.id, "2009202").await;
    let c = empty_household(&db, v.id, "2009203").await;
    let ids = [HouseholdId(a.id), HouseholdId(b.id), HouseholdId(c.id)];
    let item = uncapped_item(&db, v.id, 5).await;
    let done = ledger::record_batch(
        &db,
        &admin,
        &ids,
        RuleItemId(item.id),
        "清洁日集中打扫",
        today(),
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(done.len(), 3);
    for h in [&a, &b, &c] {
        assert_eq!(reload(&db, h.id).await.balance, 5);
    }

    // A capped item: household b already used its month, so nobody gets it.
    let capped = once_a_month_item(&db, v.id).await;
    ledger::record_entry(
        &db,
        &admin,
        NewEntry {
            household: HouseholdId(b.id),
            member: None,
            evidence: None,
            rule_item: RuleItemId(capped.id),
            reason: "本月已评".into(),
            occurred_on: today(),
        },
        Utc::now(),
    )
    .await
    .unwrap();
    let entries_before = ledger_entry::Entity::find().count(&db.conn).await.unwrap();
    let err = ledger::record_batch(
        &db,
        &admin,
        &ids,
        RuleItemId(capped.id),
        "月度评议",
        today(),
        None,
        Utc::now(),
    )
    .await
    .unwrap_err();
    match err {
        AppError::Invalid(m) => {
            assert!(m.contains("2009202") && m.contains("本批次未录入"), "{m}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        ledger_entry::Entity::find().count(&db.conn).await.unwrap(),
        entries_before
    );
    assert_eq!(
        reload(&db, a.id).await.balance,
        5,
        "a got nothing from the refused batch"
    );

    // A household of another village in the batch: refused, nothing written.
    let other = first_household(&db, village(&db, "201").await.id).await;
    let err = ledger::record_batch(
        &db,
        &admin,
        &[HouseholdId(a.id), HouseholdId(other.id)],
        RuleItemId(item.id),
        "越权",
        today(),
        None,
        Utc::now(),
    )
    .await
    .unwrap_err();
    assert_eq!(err, AppError::Forbidden);
    assert_eq!(
        ledger_entry::Entity::find().count(&db.conn).await.unwrap(),
        entries_before
    );
    assert_eq!(ledger::verify(&db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn a_reversed_entry_no_longer_uses_up_the_monthly_limit() {
    let db = small_town("cap-after-reversal").await;
    let v = village(&db, "200").await;
    let admin = caller(&db, "cun200").await;
    let hh = empty_household(&db, v.id, "2009301").await;
    let monthly = once_a_month_item(&db, v.id).await;
    let entry = || NewEntry {
        household: HouseholdId(hh.id),
        member: None,
        evidence: None,
        rule_item: RuleItemId(monthly.id),
        reason: "月度评议".into(),
        occurred_on: today(),
    };
    let first = ledger::record_entry(&db, &admin, entry(), Utc::now())
        .await
        .unwrap();
    assert!(ledger::record_entry(&db, &admin, entry(), Utc::now())
        .await
        .is_err());
    ledger::reverse_entry(&db, &admin, EntryId(first.id), "录错月份", Utc::now())
        .await
        .unwrap();
    ledger::record_entry(&db, &admin, entry(), Utc::now())
        .await
        .unwrap();
    assert_eq!(reload(&db, hh.id).await.balance, i64::from(monthly.points));
}

#[tokio::test]
async fn a_batch_over_a_whole_village_keeps_every_total_in_step() {
    let db = small_town("batch-village").await;
    let v = village(&db, "200").await;
    let admin = caller(&db, "cun200").await;
    let households = household::Entity::find()
        .filter(household::Column::VillageId.eq(v.id))
        .all(&db.conn)
        .await
        .unwrap();
    // Some have a row for this month already, some do not: both paths run.
    let month = app::domain::time::month_key(today());
    let with_row = household_month::Entity::find()
        .filter(household_month::Column::VillageId.eq(v.id))
        .filter(household_month::Column::Month.eq(month))
        .count(&db.conn)
        .await
        .unwrap() as usize;
    assert!(with_row > 0 && with_row < households.len(), "{with_row}");
    let item = uncapped_item(&db, v.id, 4).await;
    let ids: Vec<HouseholdId> = households.iter().map(|h| HouseholdId(h.id)).collect();
    let audits_before = audit_log::Entity::find().count(&db.conn).await.unwrap();
    let done = ledger::record_batch(
        &db,
        &admin,
        &ids,
        RuleItemId(item.id),
        "全村大扫除",
        today(),
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(done.len(), households.len());
    assert!(done
        .iter()
        .all(|e| e.points == 4 && e.reason == "全村大扫除"));
    for h in &households {
        assert_eq!(reload(&db, h.id).await.balance, h.balance + 4);
    }
    assert_eq!(
        audit_log::Entity::find().count(&db.conn).await.unwrap(),
        audits_before + households.len() as u64
    );
    assert_eq!(ledger::verify(&db).await.unwrap(), vec![]);
}
