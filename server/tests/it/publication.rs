//! The monthly public ledger: publishing freezes a month with its digest.

use crate::common;

use app::domain::time::{month_key, previous_month};
use app::domain::{EntryId, HouseholdId, RuleItemId, VillageId};
use app::error::AppError;
use app::server::entities::*;
use app::server::ledger::{self, NewEntry};
use app::server::publication;
use chrono::Utc;
use common::*;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

#[tokio::test]
async fn a_published_month_is_frozen_and_its_digest_stable() {
    let db = small_town("publish-frozen").await;
    let v = village(&db, "200").await;
    let admin = caller(&db, "cun200").await;
    let month = previous_month(month_key(today()));

    let row = publication::publish(&db, &admin, VillageId(v.id), month, Utc::now())
        .await
        .unwrap();
    assert_eq!(row.digest, publication::digest(&row.content));
    assert_eq!(row.digest.len(), 64);
    let before = publication::published(&db, VillageId(v.id), month)
        .await
        .unwrap();
    assert!(before.intact);
    // The frozen text is exactly the month as the ledger stood.
    let rebuilt = publication::build_month(&db.conn, v.id, month)
        .await
        .unwrap();
    assert_eq!(rebuilt, before.ledger);
    assert_eq!(before.ledger.totals().awarded, row.points_awarded);

    // Publishing again is refused with a clear message.
    let again = publication::publish(&db, &admin, VillageId(v.id), month, Utc::now()).await;
    match again {
        Err(AppError::Conflict(msg)) => assert!(msg.contains("不能重复公示"), "{msg}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    // The current month is not over yet.
    let current =
        publication::publish(&db, &admin, VillageId(v.id), month_key(today()), Utc::now()).await;
    assert!(matches!(current, Err(AppError::Invalid(m)) if m.contains("尚未结束")));

    // A correction of an entry of the frozen month lands in the current month.
    let Some(line) = before.ledger.points.iter().find(|p| p.reverses.is_none()) else {
        panic!("the demo month has entries");
    };
    let reversal = ledger::reverse_entry(&db, &admin, EntryId(line.entry), "录错户", Utc::now())
        .await
        .unwrap();
    assert_eq!(month_key(reversal.occurred_on), month_key(today()));
    let after = publication::published(&db, VillageId(v.id), month)
        .await
        .unwrap();
    assert_eq!(after.ledger, before.ledger);
    assert_eq!(after.digest, before.digest);
    assert!(after.intact);
    let now_month = publication::build_month(&db.conn, v.id, month_key(today()))
        .await
        .unwrap();
    assert!(now_month
        .points
        .iter()
        .any(|p| p.reverses == Some(line.entry) && p.points == -line.points));

    // A late entry may not be dated in the published month.
    let hh = first_household(&db, v.id).await;
    let item = uncapped_item(&db, v.id, 3).await;
    let late_day = chrono::NaiveDate::from_ymd_opt(month / 100, (month % 100) as u32, 15).unwrap();
    let late = ledger::record_entry(
        &db,
        &admin,
        NewEntry {
            household: HouseholdId(hh.id),
            member: None,
            evidence: None,
            rule_item: RuleItemId(item.id),
            reason: "补录".into(),
            occurred_on: late_day,
        },
        Utc::now(),
    )
    .await;
    assert!(matches!(late, Err(AppError::Invalid(m)) if m.contains("台账已公示")));
}

#[tokio::test]
async fn month_end_balances_add_up_to_todays_balance() {
    let db = small_town("publish-balances").await;
    let v = village(&db, "201").await;
    let month = previous_month(month_key(today()));
    let last = publication::build_month(&db.conn, v.id, month)
        .await
        .unwrap();
    let this = publication::build_month(&db.conn, v.id, month_key(today()))
        .await
        .unwrap();
    let households = household::Entity::find()
        .filter(household::Column::VillageId.eq(v.id))
        .all(&db.conn)
        .await
        .unwrap();
    assert_eq!(last.households.len(), households.len());
    for h in &households {
        let end_of_last = last
            .households
            .iter()
            .find(|b| b.card_no == h.card_no)
            .unwrap();
        let now = this
            .households
            .iter()
            .find(|b| b.card_no == h.card_no)
            .unwrap();
        assert_eq!(now.balance, h.balance, "{}", h.card_no);
        assert_eq!(
            end_of_last.balance + now.awarded - now.deducted - now.redeemed,
            h.balance
        );
    }
    // The points lines are exactly the month's entries.
    let net: i64 = last.points.iter().map(|p| i64::from(p.points)).sum();
    let t = last.totals();
    assert_eq!(net, t.awarded - t.deducted);
    let from_households: i64 = last.households.iter().map(|b| b.awarded - b.deducted).sum();
    assert_eq!(net, from_households);
    let redeemed: i64 = last.households.iter().map(|b| b.redeemed).sum();
    assert_eq!(redeemed, t.redeemed);
}

#[tokio::test]
async fn only_the_villages_own_admin_or_the_town_admin_publish() {
    let db = small_town("publish-roles").await;
    let v = village(&db, "200").await;
    let month = previous_month(month_key(today()));
    let other = caller(&db, "cun201").await;
    let clerk = caller(&db, "shop200").await;
    for who in [&other, &clerk] {
        let r = publication::publish(&db, who, VillageId(v.id), month, Utc::now()).await;
        assert!(matches!(r, Err(AppError::Forbidden)), "{r:?}");
    }
    assert!(!publication::is_published(&db.conn, v.id, month)
        .await
        .unwrap());
    let town = caller(&db, "admin").await;
    publication::publish(&db, &town, VillageId(v.id), month, Utc::now())
        .await
        .unwrap();
    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("publish_month"))
        .all(&db.conn)
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].user_id, Some(town.user.0));
}
