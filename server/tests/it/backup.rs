//! `server backup`: a copy taken while another task keeps writing entries
//! is a consistent snapshot (it opens, verifies, holds every entry committed
//! before it began and only committed ones); an existing file and a
//! non-SQLite database are refused; the command's copy passes `server
//! verify`.

use crate::common;

use std::collections::HashMap;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use app::domain::{HouseholdId, RuleItemId};
use app::server::backup::{backup_to, BackupError};
use app::server::db::sqlite_url;
use app::server::entities::*;
use app::server::{ledger, seed, Db};
use chrono::Utc;
use common::*;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

async fn entries(db: &Db) -> HashMap<i32, ledger_entry::Model> {
    ledger_entry::Entity::find()
        .all(&db.conn)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.id, e))
        .collect()
}

async fn last_entry_id(db: &Db) -> i32 {
    ledger_entry::Entity::find()
        .select_only()
        .column_as(ledger_entry::Column::Id.max(), "m")
        .into_tuple::<Option<i32>>()
        .one(&db.conn)
        .await
        .unwrap()
        .flatten()
        .unwrap_or(0)
}

#[tokio::test]
async fn a_backup_taken_during_writes_is_a_consistent_snapshot() {
    let db = small_town("backup-live").await;
    let v = village(&db, "200").await;
    let item = uncapped_item(&db, v.id, 3).await;
    let households: Vec<i32> = household::Entity::find()
        .filter(household::Column::VillageId.eq(v.id))
        .filter(household::Column::MovedAway.eq(false))
        .order_by_asc(household::Column::Id)
        .all(&db.conn)
        .await
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    let clerk = caller(&db, "cun200").await;
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0usize;
            while !stop.load(Ordering::SeqCst) {
                let h = households[n % households.len()];
                ledger::record_entry(
                    &db,
                    &clerk,
                    ledger::NewEntry {
                        household: HouseholdId(h),
                        member: None,
                        evidence: None,
                        rule_item: RuleItemId(item.id),
                        reason: "备份时记分".into(),
                        occurred_on: today(),
                    },
                    Utc::now(),
                )
                .await
                .unwrap();
                n += 1;
            }
            n
        })
    };
    // Let the writer get going, then copy three times while it writes.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let dir = temp_db_path("backup-copies");
    let dir = dir.parent().unwrap().join("it's a folder");
    let mut copies = Vec::new();
    for i in 0..3 {
        let before = last_entry_id(&db).await;
        let path = dir.join(format!("copy-{i}.db"));
        let bytes = backup_to(&db, &path).await.expect("backup");
        assert!(bytes > 0);
        copies.push((path, before));
    }
    stop.store(true, Ordering::SeqCst);
    let written = writer.await.unwrap();
    assert!(written > 0, "the writer wrote during the backups");
    let live = entries(&db).await;
    let live_households: HashMap<i32, household::Model> = household::Entity::find()
        .all(&db.conn)
        .await
        .unwrap()
        .into_iter()
        .map(|h| (h.id, h))
        .collect();

    for (path, before) in copies {
        let copy = Db::open(&sqlite_url(&path)).await.expect("the copy opens");
        // Its balances equal its entries.
        let mismatches = ledger::verify(&copy).await.unwrap();
        assert!(mismatches.is_empty(), "{path:?}: {mismatches:?}");
        // Every entry committed before the copy began is in it, and each
        // entry in it is a committed one, as written.
        let copied = entries(&copy).await;
        for id in live.keys().filter(|id| **id <= before) {
            assert!(copied.contains_key(id), "{path:?} lacks entry {id}");
        }
        for (id, e) in &copied {
            assert_eq!(live.get(id), Some(e), "{path:?} entry {id}");
        }
        // A household with no entry after the copy's last has the live balance.
        let copy_last = copied.keys().max().copied().unwrap_or(0);
        let touched_later: std::collections::HashSet<i32> = live
            .values()
            .filter(|e| e.id > copy_last)
            .map(|e| e.household_id)
            .collect();
        for h in household::Entity::find().all(&copy.conn).await.unwrap() {
            if !touched_later.contains(&h.id) {
                assert_eq!(
                    h.balance, live_households[&h.id].balance,
                    "household {}",
                    h.id
                );
            }
        }
        copy.conn.close().await.unwrap();
    }
}

#[tokio::test]
async fn an_existing_file_is_never_overwritten() {
    let db = small_town("backup-exists").await;
    let path = temp_db_path("backup-exists-target");
    std::fs::write(&path, b"keep me").unwrap();
    match backup_to(&db, &path).await {
        Err(e @ BackupError::Exists(_)) => assert!(e.to_string().contains("已存在"), "{e}"),
        other => panic!("expected Exists, got {other:?}"),
    }
    assert_eq!(std::fs::read(&path).unwrap(), b"keep me");
    // An empty file too: it may be someone's.
    let empty = path.with_file_name("empty.db");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(
        backup_to(&db, &empty).await,
        Err(BackupError::Exists(_))
    ));
}

fn server(envs: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.args(args)
        .env_remove("DATABASE_URL")
        .env_remove("GAOLIANG_DB")
        .env_remove("GAOLIANG_FILES")
        .env("RUST_LOG", "warn");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("run server")
}

#[tokio::test]
async fn the_command_copies_a_database_in_use_and_the_copy_verifies() {
    let live = temp_db_path("backup-cli");
    // Open and kept open, as by a running server.
    let db = Db::open(&sqlite_url(&live)).await.unwrap();
    seed::load_demo(&db, SMALL, Utc::now()).await.unwrap();
    let live_text = live.to_str().unwrap();
    let copy = live.with_file_name("backups").join("gaoliang-copy.db");
    let copy_text = copy.to_str().unwrap();

    let out = server(&[("GAOLIANG_DB", live_text)], &["backup", copy_text]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("核对通过"), "{stdout}");
    let out = server(&[("GAOLIANG_DB", copy_text)], &["verify"]);
    assert!(
        out.status.success(),
        "verify of the copy: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The copy holds the town.
    let copied = Db::open(&sqlite_url(&copy)).await.unwrap();
    let n = household::Entity::find()
        .all(&copied.conn)
        .await
        .unwrap()
        .len();
    assert_eq!(
        n,
        household::Entity::find().all(&db.conn).await.unwrap().len()
    );
    copied.conn.close().await.unwrap();

    // The same file again: refused, the copy untouched.
    let size = std::fs::metadata(&copy).unwrap().len();
    let out = server(&[("GAOLIANG_DB", live_text)], &["backup", copy_text]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("已存在"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::metadata(&copy).unwrap().len(), size);
    // Another database than SQLite: refused with a clear message.
    let other = live.with_file_name("pg.db");
    let out = server(
        &[("DATABASE_URL", "postgres://user@localhost/gaoliang")],
        &["backup", other.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("只支持 SQLite"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!other.exists());
    // A database path that does not exist is not backed up as an empty town.
    let missing = live.with_file_name("missing.db");
    let out = server(
        &[("GAOLIANG_DB", missing.to_str().unwrap())],
        &["backup", other.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!missing.exists() && !other.exists());
    // No file named: usage.
    let out = server(&[("GAOLIANG_DB", live_text)], &["backup"]);
    assert_eq!(out.status.code(), Some(2));
}
