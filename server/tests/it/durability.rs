//! Faults other than a crash: the database's disk fills up and empties
//! again, and another process holds the write lock. Nothing acknowledged may
//! be lost, nothing may be written twice, and the server recovers by itself.

use crate::common;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use app::domain::redemption::LineRequest;
use app::domain::roles::Caller;
use app::domain::{GoodsId, HouseholdId, VillageId};
use app::error::AppError;
use app::server::db::sqlite_url;
use app::server::entities::*;
use app::server::redeem::{redeem, stored_key, RedeemRequest, Redemption};
use app::server::{ledger, Db};
use chrono::Utc;
use common::*;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// A small tmpfs mounted for one test, unmounted when dropped: a real
/// filesystem that really runs out of space.
struct SmallDisk {
    dir: PathBuf,
}

impl SmallDisk {
    fn mount(name: &str, size: &str) -> SmallDisk {
        let dir = temp_db_path(name).parent().unwrap().join("disk");
        std::fs::create_dir_all(&dir).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "this test mounts a {size} tmpfs to fill it up and needs root: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk { dir }
    }

    /// Writes a filler file until the disk refuses another byte.
    fn fill(&self) -> PathBuf {
        let path = self.dir.join("filler");
        let mut f = std::fs::File::create(&path).unwrap();
        let chunk = vec![0u8; 4096];
        while f.write_all(&chunk).and_then(|_| f.flush()).is_ok() {}
        let _ = f.sync_all();
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}

/// One order of one unit at the counter.
async fn sell_one(
    db: &Db,
    shop: &Caller,
    hh: i32,
    goods: i32,
    key: &str,
) -> Result<Redemption, AppError> {
    let order = RedeemRequest {
        household: HouseholdId(hh),
        lines: vec![LineRequest {
            goods: GoodsId(goods),
            quantity: 1,
        }],
        idempotency_key: key.into(),
    };
    redeem(db, shop, order, Utc::now()).await
}

/// How many redemptions a client key of 沙坝村's counter made.
async fn count_by_key(db: &Db, key: &str) -> u64 {
    let v = village(db, "200").await;
    redemption::Entity::find()
        .filter(redemption::Column::IdempotencyKey.eq(stored_key(VillageId(v.id), key)))
        .count(&db.conn)
        .await
        .unwrap()
}

/// Opens the database file again, as a restarted server would.
async fn reopen(path: &Path) -> Db {
    Db::open(&sqlite_url(path)).await.expect("reopen")
}

#[tokio::test]
async fn redemptions_acknowledged_around_a_full_disk_are_all_on_disk_after_a_restart() {
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    let disk = SmallDisk::mount("disk-full", "6m");
    let path = disk.dir.join("gaoliang.db");
    let db = Db::open(&sqlite_url(&path)).await.unwrap();
    app::server::seed::load_demo(&db, SMALL, Utc::now())
        .await
        .unwrap();
    let v = village(&db, "200").await;
    let soap = stocked_goods(&db, v.id, 1, 100_000).await;
    let hh = funded_household(&db, v.id, "2009301", 100_000).await;
    let shop = caller(&db, "shop200").await;

    // Every acknowledged order with its receipt number, and how the refused
    // ones were refused.
    let mut acknowledged: HashMap<String, i32> = HashMap::new();
    let mut refused_full = 0;
    let mut other_errors: Vec<String> = Vec::new();
    let mut n = 0;
    let (hh, soap) = (hh.id, soap.id);

    for _ in 0..20 {
        n += 1;
        let key = format!("disk-before-{n:04}");
        let r = sell_one(&db, &shop, hh, soap, &key).await;
        acknowledged.insert(key, r.expect("redeems with space left").id.0);
    }

    let filler = disk.fill();
    // While the disk is full each order is either saved (SQLite may reuse
    // space inside its files) or refused with a clear 503, never a 500.
    for _ in 0..60 {
        n += 1;
        let key = format!("disk-full-{n:04}");
        let r = sell_one(&db, &shop, hh, soap, &key).await;
        match r {
            Ok(receipt) => {
                acknowledged.insert(key, receipt.id.0);
            }
            Err(e @ AppError::Unavailable(_)) => {
                assert_eq!(e.status(), 503);
                assert!(e.to_string().contains("存储空间不足"), "{e}");
                refused_full += 1;
            }
            Err(e) => other_errors.push(format!("while full: {e:?}")),
        }
    }

    // Space comes back: the server recovers without a restart.
    std::fs::remove_file(&filler).unwrap();
    for _ in 0..40 {
        n += 1;
        let key = format!("disk-after-{n:04}");
        let r = sell_one(&db, &shop, hh, soap, &key).await;
        match r {
            Ok(receipt) => {
                acknowledged.insert(key, receipt.id.0);
            }
            Err(e) => other_errors.push(format!("after space came back: {e:?}")),
        }
    }
    // Every pooled connection answers alike about every acknowledged key.
    let mut seen_before_restart = Vec::new();
    for key in acknowledged.keys() {
        seen_before_restart.push((key.clone(), count_by_key(&db, key).await));
    }
    db.conn.close().await.unwrap();

    let db = reopen(&path).await;
    for (key, id) in &acknowledged {
        let found = redemption::Entity::find()
            .filter(redemption::Column::IdempotencyKey.eq(stored_key(VillageId(v.id), key)))
            .all(&db.conn)
            .await
            .unwrap();
        assert_eq!(
            found.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![*id],
            "acknowledged order {key} is not on disk exactly once after a restart"
        );
    }
    for (key, count) in seen_before_restart {
        assert_eq!(
            count, 1,
            "{key} was not visible exactly once before the restart"
        );
    }
    assert!(
        refused_full > 0,
        "the disk never filled up: the test did not test anything"
    );
    assert!(
        other_errors.is_empty(),
        "a full disk answers 503 and the server recovers by itself: {other_errors:?}"
    );
    let mismatches = ledger::verify(&db).await.unwrap();
    assert!(mismatches.is_empty(), "{mismatches:?}");
    let stored = household::Entity::find_by_id(hh)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.balance, 100_000 - acknowledged.len() as i64);
}

#[tokio::test]
async fn a_redemption_waits_for_a_writer_in_another_process_instead_of_failing() {
    let db = small_town("other-writer").await;
    let v = village(&db, "200").await;
    let soap = stocked_goods(&db, v.id, 1, 100).await;
    let hh = funded_household(&db, v.id, "2009302", 100).await;
    let shop = caller(&db, "shop200").await;
    // Another process (the sqlite3 shell, a backup script) takes the write
    // lock after the server has read the file, and holds it a while.
    let url = db.conn.get_database_backend();
    assert_eq!(url, sea_orm::DatabaseBackend::Sqlite);
    let path = sqlite_file(&db).await;
    let mut opts = sea_orm::ConnectOptions::new(sqlite_url(&path));
    opts.max_connections(1).sqlx_logging(false);
    let other = sea_orm::Database::connect(opts).await.unwrap();
    other.execute_unprepared("BEGIN IMMEDIATE").await.unwrap();
    let holder = tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        other.execute_unprepared("COMMIT").await.unwrap();
    });
    let started = std::time::Instant::now();
    let sold = sell_one(&db, &shop, hh.id, soap.id, "other-writer-0001").await;
    holder.await.unwrap();
    let sold = sold.expect("the redemption queues behind the other writer");
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(1000),
        "it cannot have been written while the other process held the lock"
    );
    assert_eq!(count_by_key(&db, "other-writer-0001").await, 1);
    assert_eq!(sold.total, 1);
}

/// The file behind a test database.
async fn sqlite_file(db: &Db) -> PathBuf {
    use sea_orm::{ConnectionTrait, Statement};
    let row = db
        .conn
        .query_one_raw(Statement::from_string(
            sea_orm::DatabaseBackend::Sqlite,
            "SELECT file FROM pragma_database_list WHERE name = 'main'",
        ))
        .await
        .unwrap()
        .unwrap();
    PathBuf::from(row.try_get::<String>("", "file").unwrap())
}
