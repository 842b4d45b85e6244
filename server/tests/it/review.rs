//! Review of pending proposals: decided once, all or nothing, and only an
//! approval writes a ledger entry.

use crate::common;

use app::domain::time::{month_key, previous_month};
use app::domain::{HouseholdId, ProposalId, RuleItemId, VillageId};
use app::error::AppError;
use app::server::entities::*;
use app::server::review::{self, NewProposal};
use app::server::{publication, Db};
use chrono::{NaiveDate, Utc};
use common::*;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn entries(db: &Db) -> u64 {
    ledger_entry::Entity::find().count(&db.conn).await.unwrap()
}

#[tokio::test]
async fn the_demo_town_has_pending_proposals_and_approval_writes_entries() {
    let db = small_town("review-approve").await;
    let v = village(&db, "200").await;
    let admin = caller(&db, "cun200").await;
    let queue = review::pending(&db, VillageId(v.id)).await.unwrap();
    assert!(queue.len() >= 2, "the demo town has proposals waiting");
    let (first, second) = (&queue[0], &queue[1]);
    let balance_before = reload(&db, first.household.id).await.balance;
    let n = entries(&db).await;

    let done = review::decide(
        &db,
        &admin,
        VillageId(v.id),
        &[ProposalId(first.proposal.id)],
        true,
        "",
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(done, 1);
    assert_eq!(entries(&db).await, n + 1);
    assert_eq!(
        reload(&db, first.household.id).await.balance,
        balance_before + i64::from(first.item.points)
    );
    let decided = review::recent_decisions(&db, VillageId(v.id), 10)
        .await
        .unwrap();
    assert_eq!(decided[0].review.reason, "审核通过");
    let entry = decided[0]
        .review
        .entry_id
        .expect("an approval links its entry");
    let e = ledger_entry::Entity::find_by_id(entry)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.reason, first.proposal.reason);
    assert_eq!(e.occurred_on, first.proposal.occurred_on);

    // A decision is taken once: deciding it again, alone or with another, is refused.
    for ids in [
        vec![first.proposal.id],
        vec![second.proposal.id, first.proposal.id],
    ] {
        let ids: Vec<ProposalId> = ids.into_iter().map(ProposalId).collect();
        let again = review::decide(
            &db,
            &admin,
            VillageId(v.id),
            &ids,
            false,
            "重复",
            Utc::now(),
        )
        .await;
        assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");
    }
    assert_eq!(entries(&db).await, n + 1);

    // A rejection needs a reason and writes no entry.
    let no_reason = review::decide(
        &db,
        &admin,
        VillageId(v.id),
        &[ProposalId(second.proposal.id)],
        false,
        " ",
        Utc::now(),
    )
    .await;
    assert!(matches!(no_reason, Err(AppError::Invalid(m)) if m.contains("理由")));
    review::decide(
        &db,
        &admin,
        VillageId(v.id),
        &[ProposalId(second.proposal.id)],
        false,
        "情况不属实",
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(entries(&db).await, n + 1);
    let left = review::pending(&db, VillageId(v.id)).await.unwrap();
    assert_eq!(left.len(), queue.len() - 2);
}

#[tokio::test]
async fn a_batch_review_is_all_or_nothing() {
    let db = small_town("review-batch").await;
    let v = village(&db, "200").await;
    let admin = caller(&db, "cun200").await;
    // The scoring team proposes; the clerk, who did not, decides.
    let scorer = caller(&db, "pf200").await;
    let hh = empty_household(&db, v.id, "2009101").await;
    let item = once_a_month_item(&db, v.id).await;
    // Two proposals of a once-a-month item for the same household this
    // month: the second cannot be approved, so neither is.
    let mut ids = Vec::new();
    for reason in ["第一次", "第二次"] {
        let p = review::propose(
            &db,
            &scorer,
            NewProposal {
                household: HouseholdId(hh.id),
                member: None,
                rule_item: RuleItemId(item.id),
                reason: reason.into(),
                occurred_on: today(),
                evidence: None,
                assisted: false,
            },
            Utc::now(),
        )
        .await
        .unwrap();
        assert_eq!(p.source, "team");
        ids.push(ProposalId(p.id));
    }
    let n = entries(&db).await;
    let r = review::decide(&db, &admin, VillageId(v.id), &ids, true, "", Utc::now()).await;
    match r {
        Err(AppError::Invalid(m)) => {
            assert!(m.contains("2009101") && m.contains("本次审核未保存"), "{m}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(entries(&db).await, n);
    assert_eq!(reload(&db, hh.id).await.balance, 0);
    let still = review::pending(&db, VillageId(v.id)).await.unwrap();
    assert!(ids
        .iter()
        .all(|id| still.iter().any(|p| p.proposal.id == id.0)));
}

#[tokio::test]
async fn villagers_declare_for_their_own_household_and_others_cannot_decide() {
    let db = small_town("review-roles").await;
    let v = village(&db, "200").await;
    let villager = caller(&db, "hu200").await;
    let own = villager.household.unwrap();
    let item = uncapped_item(&db, v.id, 4).await;
    let declare = |h: HouseholdId| NewProposal {
        household: h,
        member: None,
        rule_item: RuleItemId(item.id),
        reason: "帮邻居收玉米".into(),
        occurred_on: today(),
        evidence: None,
        assisted: false,
    };
    let p = review::propose(&db, &villager, declare(own), Utc::now())
        .await
        .unwrap();
    assert_eq!(p.source, "villager");
    let other = first_household(&db, v.id).await;
    let other = if other.id == own.0 {
        empty_household(&db, v.id, "2009102").await
    } else {
        other
    };
    let r = review::propose(&db, &villager, declare(HouseholdId(other.id)), Utc::now()).await;
    assert!(matches!(r, Err(AppError::Forbidden)));

    for who in ["cun201", "shop200", "hu200"] {
        let c = caller(&db, who).await;
        let r = review::decide(
            &db,
            &c,
            VillageId(v.id),
            &[ProposalId(p.id)],
            true,
            "",
            Utc::now(),
        )
        .await;
        assert!(matches!(r, Err(AppError::Forbidden)), "{who}: {r:?}");
    }
    // Another village's admin cannot slip this proposal into their own village.
    let v2 = village(&db, "201").await;
    let other_admin = caller(&db, "cun201").await;
    let r = review::decide(
        &db,
        &other_admin,
        VillageId(v2.id),
        &[ProposalId(p.id)],
        true,
        "",
        Utc::now(),
    )
    .await;
    assert!(matches!(r, Err(AppError::NotFound(_))), "{r:?}");
}

#[tokio::test]
async fn a_deed_of_a_published_month_is_booked_in_the_current_month() {
    let db = small_town("review-late").await;
    let v = village(&db, "200").await;
    let admin = caller(&db, "cun200").await;
    // The scoring team proposes; the clerk, who did not, decides.
    let scorer = caller(&db, "pf200").await;
    let hh = empty_household(&db, v.id, "2009103").await;
    let item = uncapped_item(&db, v.id, 6).await;
    let last = previous_month(month_key(today()));
    let day = NaiveDate::from_ymd_opt(last / 100, (last % 100) as u32, 20).unwrap();
    let p = review::propose(
        &db,
        &scorer,
        NewProposal {
            household: HouseholdId(hh.id),
            member: None,
            rule_item: RuleItemId(item.id),
            reason: "扶老人过河".into(),
            occurred_on: day,
            evidence: None,
            assisted: false,
        },
        Utc::now(),
    )
    .await
    .unwrap();
    let frozen = publication::publish(&db, &admin, VillageId(v.id), last, Utc::now())
        .await
        .unwrap();
    review::decide(
        &db,
        &admin,
        VillageId(v.id),
        &[ProposalId(p.id)],
        true,
        "",
        Utc::now(),
    )
    .await
    .unwrap();
    let e = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::HouseholdId.eq(hh.id))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.occurred_on, today());
    assert!(e.reason.contains("补记：申报日期"), "{}", e.reason);
    let after = publication::published(&db, VillageId(v.id), last)
        .await
        .unwrap();
    assert_eq!(after.digest, frozen.digest);
}
