//! The town dashboard's counts on a real SQLite file, against known changes:
//! a household that takes part, one whose only entry is reversed, one that
//! moves away in the month, a redemption just after midnight China time on
//! the month's first day, an activity with check-ins, and who may read what.

use crate::common;

use app::domain::evaluation::{Indicator, Posting};
use app::domain::redemption::LineRequest;
use app::domain::time::{china_date, china_midnight, month_key};
use app::domain::{EntryId, GoodsId, HouseholdId, RuleItemId, VillageId};
use app::server::dashboard::town_year;
use app::server::entities::{goods, stock_movement};
use app::server::households;
use app::server::ledger::{self, NewEntry};
use app::server::redeem::{self, RedeemRequest};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use common::*;
use sea_orm::{ActiveModelTrait, Set};

#[tokio::test]
async fn the_indicators_follow_the_ledger_the_counter_and_residence() {
    let db = small_town("dashboard").await;
    let clerk = caller(&db, "cun200").await;
    let shop = caller(&db, "shop200").await;
    let v = clerk.village.unwrap();
    let now = Utc::now();
    let today = china_date(now);
    let (year, month) = (today.year(), month_key(today));

    let figures = |town: &app::api::dashboard::TownYear| {
        let row = town.villages.iter().find(|r| r.village == v).unwrap();
        let i = town.month_index(month).unwrap();
        (row.months[i].clone(), row.year)
    };
    let (before, before_year) = figures(&town_year(&db, year, now).await.unwrap());
    let last_month_before = redeemed_in(&db, v, year, month - 1).await;

    let item = uncapped_item(&db, v.0, 5).await;
    let entry = |hh: i32| NewEntry {
        household: HouseholdId(hh),
        member: None,
        evidence: None,
        rule_item: RuleItemId(item.id),
        reason: "测试".into(),
        occurred_on: today,
    };
    // Takes part and redeems.
    let a = empty_household(&db, v.0, "2009701").await;
    ledger::record_entry(&db, &clerk, entry(a.id), now)
        .await
        .unwrap();
    // Its only entry is reversed: lives here, does not take part.
    let b = empty_household(&db, v.0, "2009702").await;
    let e = ledger::record_entry(&db, &clerk, entry(b.id), now)
        .await
        .unwrap();
    ledger::reverse_entry(&db, &clerk, EntryId(e.id), "记错了户", now)
        .await
        .unwrap();
    // Took part, then moved away this month: gone from the month entirely.
    let c = empty_household(&db, v.0, "2009703").await;
    ledger::record_entry(&db, &clerk, entry(c.id), now)
        .await
        .unwrap();
    households::set_moved_away(&db, &clerk, v, HouseholdId(c.id), true, now)
        .await
        .unwrap();

    // 00:30 on the month's first day in China is the day before in UTC.
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap();
    let just_after_midnight = china_midnight(first) + Duration::minutes(30);
    assert_ne!(just_after_midnight.date_naive().month(), first.month());
    let soap = stocked_goods(&db, v.0, 2, 10).await;
    redeem::redeem(
        &db,
        &shop,
        RedeemRequest {
            household: HouseholdId(a.id),
            lines: vec![LineRequest {
                goods: GoodsId(soap.id),
                quantity: 1,
            }],
            idempotency_key: "dashboard-test-0001".into(),
        },
        just_after_midnight,
    )
    .await
    .unwrap();

    let town = town_year(&db, year, now).await.unwrap();
    let (after, after_year) = figures(&town);
    assert_eq!(after.facts.resident, before.facts.resident + 2, "a and b");
    assert_eq!(after.facts.participating, before.facts.participating + 1);
    assert_eq!(after.facts.redeeming, before.facts.redeeming + 1);
    assert_eq!(after.facts.aware, before.facts.aware + 2);
    // Points still count every household: a's 5, b's 5 and -5, c's 5.
    assert_eq!(after.awarded, before.awarded + 15);
    assert_eq!(after.deducted, before.deducted + 5);
    assert_eq!(after.redeemed, before.redeemed + 2);
    assert_eq!(after_year.participating, before_year.participating + 1);
    assert_eq!(after_year.resident, before_year.resident + 2);
    // The redemption belongs to this month in China, not to the last.
    assert_eq!(
        redeemed_in(&db, v, year, month - 1).await,
        last_month_before
    );
    // This month's goods count is what is on the shelves now.
    let on_sale = app::server::acceptance::fact_goods_kinds(&db)
        .await
        .unwrap();
    assert_eq!(after.facts.goods_kinds, on_sale.get(&v).copied());
    assert!(after.facts.resident > 0);
    assert_eq!(
        Indicator::Participation.met(&after.facts),
        Some(after.facts.participating >= after.facts.resident)
    );
    // Past months of the small town were published on the day it was made.
    let row = town.villages.iter().find(|r| r.village == v).unwrap();
    assert_eq!(row.months.last().unwrap().posting, Posting::NotDue);
    // The small town has two months of history: the months before it
    // started are not judged, in the year's evaluation either.
    assert!(row.months.last().unwrap().started);
    if town.months.len() > 2 {
        assert!(!row.months[0].started);
        let ev = app::server::evaluation::evaluation(&db, year, now)
            .await
            .unwrap();
        let mine = ev.rows.iter().find(|r| r.village == v).unwrap();
        assert_eq!(mine.criteria.activity_months.1, 2);
    }
    assert!(ledger::verify(&db).await.unwrap().is_empty());
}

#[tokio::test]
async fn goods_on_sale_in_a_past_month_are_worked_back_from_the_stock_movements() {
    let db = small_town("dashboard-goods").await;
    let v = village(&db, "201").await.id;
    // 2020: before every movement of the demo's own goods, so only these
    // two count.
    let china = |d: &str, hm: (i64, i64)| -> DateTime<Utc> {
        china_midnight(NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap())
            + Duration::hours(hm.0)
            + Duration::minutes(hm.1)
    };
    let shelf = |name: &str, stock: i32, active: bool| goods::ActiveModel {
        village_id: Set(v),
        name: Set(name.into()),
        unit: Set("袋".into()),
        price_points: Set(5),
        stock: Set(stock),
        photo_path: Set(None),
        active: Set(active),
        created_at: Set(china("2020-01-02", (9, 0))),
        ..Default::default()
    };
    let salt = shelf("食盐", 5, true).insert(&db.conn).await.unwrap();
    let soy = shelf("酱油", 3, false).insert(&db.conn).await.unwrap();
    let moved = |g: i32, quantity: i32, at: DateTime<Utc>| stock_movement::ActiveModel {
        goods_id: Set(g),
        kind: Set(if quantity > 0 { "received" } else { "adjusted" }.into()),
        quantity: Set(quantity),
        reason: Set(Some("测试".into())),
        redemption_id: Set(None),
        recorded_by: Set(None),
        recorded_at: Set(at),
        ..Default::default()
    };
    for m in [
        moved(salt.id, 10, china("2020-03-15", (10, 0))),
        moved(salt.id, -10, china("2020-05-10", (10, 0))),
        // 00:30 on 1 July in China is still 30 June in UTC: July's.
        moved(salt.id, 5, china("2020-07-01", (0, 30))),
        // Stocked, but taken off the shelves since: never counted.
        moved(soy.id, 3, china("2020-02-01", (10, 0))),
    ] {
        m.insert(&db.conn).await.unwrap();
    }

    let town = town_year(&db, 2020, Utc::now()).await.unwrap();
    let row = town
        .villages
        .iter()
        .find(|r| r.village == VillageId(v))
        .unwrap();
    let kinds: Vec<u32> = row
        .months
        .iter()
        .map(|m| m.facts.goods_kinds.unwrap())
        .collect();
    assert_eq!(kinds, [0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1]);
    // The year's figure is December's end, and one kind is short of ten.
    assert_eq!(row.year.goods_kinds, Some(1));
    assert_eq!(Indicator::GoodsKinds.met(&row.year), Some(false));
    assert!(ledger::verify(&db).await.unwrap().is_empty());
}

/// Points redeemed in a village in a month of the year (0 outside it).
async fn redeemed_in(db: &app::server::Db, v: VillageId, year: i32, month: i32) -> i64 {
    let town = town_year(db, year, Utc::now()).await.unwrap();
    let row = town.villages.iter().find(|r| r.village == v).unwrap();
    town.month_index(month)
        .map(|i| row.months[i].redeemed)
        .unwrap_or(0)
}
