//! Shared set-up of the service and HTTP tests: a real SQLite file in a
//! temporary folder, migrated by the real migrations, with a small town.
#![allow(dead_code)]

pub mod endpoints;
mod web;
pub use web::*;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use app::domain::roles::{Caller, Role};
use app::domain::{HouseholdId, UserId, VillageId};
use app::server::db::sqlite_url;
use app::server::entities::*;
use app::server::seed::{self, Scale};
use app::server::Db;
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, Set, Statement,
};

/// A small town: every village of the demo, few households.
pub const SMALL: Scale = Scale {
    households: (6, 10),
    groups: (2, 3),
    months: 2,
    entries_per_month: (0, 3),
    redeem_percent: 30,
    publish_past: true,
};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh database file path under the system temp folder.
pub fn temp_db_path(name: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "gaoliang-test-{}-{}-{}",
        std::process::id(),
        name,
        n
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("test.db")
}

/// The small town, migrated and seeded once per test run (seeding hashes
/// the demo passwords and writes two months of history, most of a service
/// test's set-up time); each test opens a copy of its file.
static TEMPLATE: tokio::sync::OnceCell<PathBuf> = tokio::sync::OnceCell::const_new();

async fn template() -> &'static PathBuf {
    TEMPLATE
        .get_or_init(|| async {
            let path = temp_db_path("template");
            let db = Db::open(&sqlite_url(&path))
                .await
                .expect("open the template db");
            seed::load_demo(&db, SMALL, Utc::now())
                .await
                .expect("seed the template");
            // Everything into the main file, so that a copy of it is the
            // whole town (the test's own connections then start a new WAL).
            let row = db
                .conn
                .query_one_raw(Statement::from_string(
                    DbBackend::Sqlite,
                    "PRAGMA wal_checkpoint(TRUNCATE)",
                ))
                .await
                .expect("checkpoint the template")
                .expect("a checkpoint row");
            let busy: i32 = row.try_get_by_index(0).expect("busy flag");
            assert_eq!(busy, 0, "the template's checkpoint was blocked");
            path
        })
        .await
}

/// Opens a migrated database with the small demo town: a fresh copy of the
/// run's template file and of the files the demo stored beside it (fund
/// vouchers), so tests never see each other's writes.
pub async fn small_town(name: &str) -> Db {
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    let path = temp_db_path(name);
    let template = template().await;
    std::fs::copy(template, &path).expect("copy the template town");
    let files = |db: &PathBuf| db.parent().expect("a test folder").join("files");
    copy_dir(&files(template), &files(&path));
    Db::open(&sqlite_url(&path)).await.expect("open test db")
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    std::fs::create_dir_all(to).expect("create a files folder");
    for entry in entries {
        let entry = entry.expect("a stored file");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("its type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy a stored file");
        }
    }
}

/// A taking-part village by its code suffix, e.g. "200" for 沙坝村.
pub async fn village(db: &Db, suffix: &str) -> village::Model {
    village::Entity::find()
        .filter(village::Column::Code.ends_with(suffix))
        .one(&db.conn)
        .await
        .unwrap()
        .expect("village")
}

/// The user with that name, as a caller.
pub async fn caller(db: &Db, username: &str) -> Caller {
    let u = user_account::Entity::find()
        .filter(user_account::Column::Username.eq(username))
        .one(&db.conn)
        .await
        .unwrap()
        .expect("user");
    Caller {
        user: UserId(u.id),
        role: Role::parse(&u.role).unwrap(),
        village: u.village_id.map(VillageId),
        household: u.household_id.map(HouseholdId),
        group: u.group_id.map(app::domain::GroupId),
    }
}

/// The first household of a village.
pub async fn first_household(db: &Db, village_id: i32) -> household::Model {
    household::Entity::find()
        .filter(household::Column::VillageId.eq(village_id))
        .order_by_asc(household::Column::Id)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap()
}

/// Re-reads a household.
pub async fn reload(db: &Db, id: i32) -> household::Model {
    household::Entity::find_by_id(id)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap()
}

/// A new uncapped rule item worth `points` in a village (test set-up).
pub async fn uncapped_item(db: &Db, village_id: i32, points: i32) -> rule_item::Model {
    let cat = rule_category::Entity::find()
        .filter(rule_category::Column::VillageId.eq(village_id))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    rule_item::ActiveModel {
        village_id: Set(village_id),
        category_id: Set(cat.id),
        lineage_id: Set(None),
        version: Set(1),
        title: Set(format!("测试细则{points}")),
        points: Set(points),
        unit: Set("per_time".into()),
        monthly_cap: Set(None),
        evidence_required: Set(false),
        active_from: Set(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()),
        active_until: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .unwrap()
}

/// New goods with `stock` received (test set-up through a stock movement).
pub async fn stocked_goods(db: &Db, village_id: i32, price: i32, stock: i32) -> goods::Model {
    let g = goods::ActiveModel {
        village_id: Set(village_id),
        name: Set(format!("测试商品{price}")),
        unit: Set("件".into()),
        price_points: Set(price),
        stock: Set(stock),
        photo_path: Set(None),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .unwrap();
    stock_movement::ActiveModel {
        goods_id: Set(g.id),
        kind: Set("received".into()),
        quantity: Set(stock),
        reason: Set(Some("测试进货".into())),
        redemption_id: Set(None),
        recorded_by: Set(None),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .unwrap();
    g
}

/// A new household with no history in a village's first group (test set-up).
pub async fn empty_household(db: &Db, village_id: i32, card_no: &str) -> household::Model {
    let group = village_group::Entity::find()
        .filter(village_group::Column::VillageId.eq(village_id))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    household::ActiveModel {
        village_id: Set(village_id),
        group_id: Set(group.id),
        card_no: Set(card_no.into()),
        head_name: Set("测试户".into()),
        head_initials: Set("csh".into()),
        address: Set("测试地址".into()),
        resident: Set(true),
        aware: Set(true),
        moved_away: Set(false),
        balance: Set(0),
        earned_total: Set(0),
        redeemed_total: Set(0),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .unwrap()
}

/// Today in China.
pub fn today() -> NaiveDate {
    app::domain::time::china_date(Utc::now())
}

/// Gives a fresh household exactly `points` through one recorded entry.
pub async fn funded_household(
    db: &Db,
    village_id: i32,
    card: &str,
    points: i32,
) -> household::Model {
    let hh = empty_household(db, village_id, card).await;
    let item = uncapped_item(db, village_id, points).await;
    let admin = user_account::Entity::find()
        .filter(user_account::Column::Role.eq("village_admin"))
        .filter(user_account::Column::VillageId.eq(village_id))
        .one(&db.conn)
        .await
        .unwrap()
        .expect("village admin");
    let clerk = caller(db, &admin.username).await;
    app::server::ledger::record_entry(
        db,
        &clerk,
        app::server::ledger::NewEntry {
            household: HouseholdId(hh.id),
            member: None,
            evidence: None,
            rule_item: app::domain::RuleItemId(item.id),
            reason: "测试加分".into(),
            occurred_on: today(),
        },
        Utc::now(),
    )
    .await
    .unwrap();
    reload(db, hh.id).await
}

/// A demo award item of a village that may be scored once a month.
pub async fn once_a_month_item(db: &Db, village_id: i32) -> rule_item::Model {
    rule_item::Entity::find()
        .filter(rule_item::Column::VillageId.eq(village_id))
        .filter(rule_item::Column::Unit.eq("per_month"))
        .filter(rule_item::Column::Points.gt(0))
        .one(&db.conn)
        .await
        .unwrap()
        .expect("a once-a-month item")
}
