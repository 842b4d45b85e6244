//! Appeals on a real SQLite file: filed once, answered once; upheld means a
//! reversal in the same transaction, rejected changes nothing.

use crate::common;

use app::domain::EntryId;
use app::error::AppError;
use app::server::appeal;
use app::server::entities::*;
use chrono::Utc;
use common::*;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// Standing, not-reversed entries of a household, oldest first.
async fn standing(db: &app::server::Db, household: i32) -> Vec<ledger_entry::Model> {
    let all = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::HouseholdId.eq(household))
        .order_by_asc(ledger_entry::Column::Id)
        .all(&db.conn)
        .await
        .unwrap();
    let reversed: Vec<i32> = all.iter().filter_map(|e| e.reverses).collect();
    all.into_iter()
        .filter(|e| e.reverses.is_none() && !reversed.contains(&e.id) && e.points != 0)
        .collect()
}

#[tokio::test]
async fn an_upheld_appeal_reverses_its_entry_and_a_rejected_one_changes_nothing() {
    let db = small_town("appeal").await;
    let villager = caller(&db, "hu200").await;
    let clerk = caller(&db, "cun200").await;
    let hh = villager.household.unwrap().0;
    let entries = standing(&db, hh).await;
    assert!(entries.len() >= 2, "the demo villager has entries");
    let (first, second) = (&entries[0], &entries[1]);
    let now = Utc::now();

    let a = appeal::file(&db, &villager, EntryId(first.id), "那天我在外地务工", now)
        .await
        .unwrap();
    assert!(!a.assisted);
    let err = appeal::file(&db, &villager, EntryId(first.id), "再申诉一次", now)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "该记录已有申诉正在处理，请等待答复");
    // Another household's villager may not appeal it.
    let neighbour = caller(&db, "hu201").await;
    assert!(matches!(
        appeal::file(&db, &neighbour, EntryId(first.id), "不对", now).await,
        Err(AppError::Forbidden)
    ));

    let before = reload(&db, hh).await.balance;
    let done = appeal::answer(&db, &clerk, a.id, true, "核实属实，予以更正", now)
        .await
        .unwrap();
    assert_eq!(done.status, "upheld");
    let reversal = ledger_entry::Entity::find_by_id(done.reversal_entry_id.unwrap())
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reversal.reverses, Some(first.id));
    assert_eq!(reversal.reason, "冲正：申诉成立：核实属实，予以更正");
    assert_eq!(
        reload(&db, hh).await.balance,
        before - i64::from(first.points)
    );
    assert!(matches!(
        appeal::answer(&db, &clerk, a.id, false, "改判", now).await,
        Err(AppError::Conflict(_))
    ));

    // The clerk files for a household without a phone; rejected, nothing moves.
    let b = appeal::file(&db, &clerk, EntryId(second.id), "户主电话申诉", now)
        .await
        .unwrap();
    assert!(b.assisted);
    let before = reload(&db, hh).await.balance;
    let err = appeal::answer(&db, &clerk, b.id, false, " ", now)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "请填写答复（不超过200个字）");
    let rejected = appeal::answer(&db, &clerk, b.id, false, "经核实记录无误", now)
        .await
        .unwrap();
    assert_eq!(
        (rejected.status.as_str(), rejected.reversal_entry_id),
        ("rejected", None)
    );
    assert_eq!(reload(&db, hh).await.balance, before);
    assert_eq!(app::server::ledger::verify(&db).await.unwrap(), vec![]);
}
