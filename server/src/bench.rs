//! Write benchmarks for `make bench`: redemptions committed per second next to
//! raw single-row insert transactions on the same SQLite file, with the same
//! connection settings and the same writer lock.

use std::process::ExitCode;
use std::time::Instant;

use app::domain::redemption::LineRequest;
use app::domain::roles::{Caller, Role};
use app::domain::{GoodsId, HouseholdId, UserId, VillageId};
use app::server::entities::{goods, household, ledger_entry, user_account};
use app::server::redeem::{redeem, RedeemRequest};
use app::server::Db;
use sea_orm::sea_query::{ColumnDef, Query, Table};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// Prints the size of the generated town.
pub async fn print_sizes(db: &Db) -> Result<(), DbErr> {
    let households = household::Entity::find().count(&db.conn).await?;
    let entries = ledger_entry::Entity::find().count(&db.conn).await?;
    println!("households: {households}");
    println!("ledger entries: {entries}");
    Ok(())
}

fn failed(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(1)
}

/// The first supermarket clerk of the generated town and the cheapest goods
/// of their village: what the redemption benchmarks sell.
async fn counter_and_goods(db: &Db) -> Result<(user_account::Model, i32, goods::Model), ExitCode> {
    let clerk = user_account::Entity::find()
        .filter(user_account::Column::Role.eq(Role::Clerk.as_str()))
        .order_by_asc(user_account::Column::Id)
        .one(&db.conn)
        .await
        .map_err(failed)?
        .ok_or_else(|| failed("no clerk: generate the town first"))?;
    let village = clerk
        .village_id
        .ok_or_else(|| failed("clerk without village"))?;
    let cheapest = goods::Entity::find()
        .filter(goods::Column::VillageId.eq(village))
        .filter(goods::Column::Active.eq(true))
        .order_by_asc(goods::Column::PricePoints)
        .one(&db.conn)
        .await
        .map_err(failed)?
        .ok_or_else(|| failed("no goods"))?;
    Ok((clerk, village, cheapest))
}

/// Receives `units` of a goods (untimed set-up), as a stock receipt would.
async fn receive(db: &Db, goods_id: i32, units: i32) -> Result<(), ExitCode> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{ActiveModelTrait, Set};
    let txn = db.write().await.map_err(failed)?;
    app::server::entities::stock_movement::ActiveModel {
        goods_id: Set(goods_id),
        kind: Set("received".into()),
        quantity: Set(units),
        reason: Set(Some("bench".into())),
        recorded_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&*txn)
    .await
    .map_err(failed)?;
    goods::Entity::update_many()
        .col_expr(
            goods::Column::Stock,
            Expr::col(goods::Column::Stock).add(units),
        )
        .filter(goods::Column::Id.eq(goods_id))
        .exec(&*txn)
        .await
        .map_err(failed)?;
    txn.commit().await.map_err(failed)
}

/// Times `n` redemptions (one line each, sequential, then from 8 concurrent
/// tasks) and `n` single-row insert transactions; prints `key: value` lines.
pub async fn writes(n: usize) -> Result<ExitCode, ExitCode> {
    let db = Db::open(&app::server::db::database_url_from_env())
        .await
        .map_err(failed)?;
    print_sizes(&db).await.map_err(failed)?;
    let (clerk, village, cheapest) = counter_and_goods(&db).await?;
    let caller = Caller {
        user: UserId(clerk.id),
        role: Role::Clerk,
        village: Some(VillageId(village)),
        household: None,
        group: None,
    };
    let households: Vec<i32> = household::Entity::find()
        .select_only()
        .column(household::Column::Id)
        .filter(household::Column::VillageId.eq(village))
        .filter(household::Column::Balance.gte(i64::from(cheapest.price_points) * 4))
        .into_tuple()
        .all(&db.conn)
        .await
        .map_err(failed)?;
    if households.is_empty() {
        return Err(failed("no household with points"));
    }
    let run_tag = chrono::Utc::now().timestamp_millis();
    let request = |i: usize, phase: &str| RedeemRequest {
        household: HouseholdId(households[i % households.len()]),
        lines: vec![LineRequest {
            goods: GoodsId(cheapest.id),
            quantity: 1,
        }],
        idempotency_key: format!("bench-{run_tag}-{phase}-{i}"),
    };
    // Stock may run out over many runs; receive enough first (not timed).
    receive(&db, cheapest.id, (2 * n) as i32).await?;

    // Raw single-row insert transactions go into a scratch table.
    let create = Table::create()
        .table("bench_insert")
        .if_not_exists()
        .col(
            ColumnDef::new("id")
                .integer()
                .not_null()
                .auto_increment()
                .primary_key(),
        )
        .col(ColumnDef::new("v").big_integer().not_null())
        .to_owned();
    db.conn.execute(&create).await.map_err(failed)?;

    // Redemptions one at a time and raw inserts, in alternating rounds so
    // that both see the same machine (the other core's load, the WAL's
    // checkpoints) and the ratio does not drift with the order they ran in.
    const ROUNDS: usize = 10;
    let mut refused: Vec<app::error::AppError> = Vec::new();
    let (mut ok, mut redeem_time) = (0usize, std::time::Duration::ZERO);
    let mut raw_time = std::time::Duration::ZERO;
    for round in 0..ROUNDS {
        let range = (round * n / ROUNDS)..((round + 1) * n / ROUNDS);
        let started = Instant::now();
        for i in range.clone() {
            if redeem(&db, &caller, request(i, "seq"), chrono::Utc::now())
                .await
                .is_ok()
            {
                ok += 1;
            }
        }
        redeem_time += started.elapsed();
        let started = Instant::now();
        for i in range {
            let txn = db.write().await.map_err(failed)?;
            // A scratch table the public never sees: no data version moves.
            txn.private();
            let insert = Query::insert()
                .into_table("bench_insert")
                .columns(["v"])
                .values_panic([(i as i64).into()])
                .to_owned();
            txn.execute(&insert).await.map_err(failed)?;
            txn.commit().await.map_err(failed)?;
        }
        raw_time += started.elapsed();
    }
    let seq = ok as f64 / redeem_time.as_secs_f64();
    let raw = n as f64 / raw_time.as_secs_f64();

    let started = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..8 {
        let (db, caller) = (db.clone(), caller.clone());
        let reqs: Vec<RedeemRequest> = (0..n)
            .filter(|i| i % 8 == t)
            .map(|i| request(i, "par"))
            .collect();
        tasks.push(tokio::spawn(async move {
            let mut ok = 0usize;
            let mut refused = Vec::new();
            for r in reqs {
                match redeem(&db, &caller, r, chrono::Utc::now()).await {
                    Ok(_) => ok += 1,
                    Err(e) => refused.push(e),
                }
            }
            (ok, refused)
        }));
    }
    let mut ok_par = 0;
    for t in tasks {
        let (ok, mut r) = t.await.unwrap_or_default();
        ok_par += ok;
        refused.append(&mut r);
    }
    let par = ok_par as f64 / started.elapsed().as_secs_f64();

    let drop = Table::drop().table("bench_insert").to_owned();
    db.conn.execute(&drop).await.map_err(failed)?;

    println!("redemptions_ok_sequential: {ok}/{n}");
    println!("redemptions_per_s_sequential: {seq:.0}");
    println!("redemptions_ok_concurrent8: {ok_par}/{n}");
    println!("redemptions_per_s_concurrent8: {par:.0}");
    println!("raw_insert_tx_per_s: {raw:.0}");
    // A refusal for lack of points is the checks working (the run drains the
    // households it uses); anything else would be a failure.
    let short = refused
        .iter()
        .filter(|e| matches!(e, app::error::AppError::Invalid(m) if m.starts_with("积分不足")))
        .count();
    println!("refused_insufficient_points: {short}");
    println!("refused_other: {}", refused.len() - short);
    println!("ratio_redemption_to_raw: {:.3}", seq / raw);
    let mismatches = app::server::ledger::verify(&db).await.map_err(failed)?;
    println!("verify_mismatches: {}", mismatches.len());
    Ok(ExitCode::SUCCESS)
}

/// Times the leaderboard queries in-process (no HTTP, no load generator on
/// the same cores), so towns with different ledger sizes compare cleanly.
pub async fn reads(n: usize) -> Result<ExitCode, ExitCode> {
    use app::domain::metrics::Period;
    let db = Db::open(&app::server::db::database_url_from_env())
        .await
        .map_err(failed)?;
    let village = VillageId(7);
    for (label, period) in [
        ("month", Period::Month),
        ("year", Period::Year),
        ("all", Period::AllTime),
    ] {
        // One warm-up call fills SQLite's page cache.
        app::server::portal::leaderboard(&db, village, period, None, chrono::Utc::now())
            .await
            .map_err(failed)?;
        let started = Instant::now();
        for _ in 0..n {
            app::server::portal::leaderboard(&db, village, period, None, chrono::Utc::now())
                .await
                .map_err(failed)?;
        }
        println!(
            "leaderboard_{label}_us: {:.0}",
            started.elapsed().as_secs_f64() * 1e6 / n as f64
        );
    }
    // The villager's own page (我的积分) of the village's first household:
    // every entry of its history, the year's rank among all households.
    let hh = household::Entity::find()
        .filter(household::Column::VillageId.eq(village.0))
        .order_by_asc(household::Column::Id)
        .one(&db.conn)
        .await
        .map_err(failed)?
        .ok_or_else(|| failed("no household: generate the town first"))?;
    let home =
        |hh: household::Model| app::server::villager::home(&db, hh, false, chrono::Utc::now());
    let page = home(hh.clone()).await.map_err(failed)?;
    let started = Instant::now();
    for _ in 0..n {
        home(hh.clone()).await.map_err(failed)?;
    }
    println!(
        "villager_home_us: {:.0}",
        started.elapsed().as_secs_f64() * 1e6 / n as f64
    );
    println!("villager_home_entries: {}", page.entries.len());

    // The town dashboard: every village, month by month, last year (twelve
    // months) and this year so far.
    use chrono::Datelike;
    let now = chrono::Utc::now();
    let this_year = app::domain::time::china_date(now).year();
    let rounds = (n / 10).max(5);
    println!("dashboard_rounds: {rounds}");
    for (label, year) in [("last_year", this_year - 1), ("this_year", this_year)] {
        let town = app::server::dashboard::town_year(&db, year, now)
            .await
            .map_err(failed)?;
        let started = Instant::now();
        for _ in 0..rounds {
            app::server::dashboard::town_year(&db, year, now)
                .await
                .map_err(failed)?;
        }
        println!(
            "dashboard_{label}_us: {:.0}",
            started.elapsed().as_secs_f64() * 1e6 / rounds as f64
        );
        println!(
            "dashboard_{label}_shape: {} villages x {} months",
            town.villages.len(),
            town.months.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Batch entry against single entries: one rule item to `n` households of one
/// village as one batch (one transaction), then the same `n` households one
/// entry (one transaction) each. Households are added to the village first
/// when it has fewer than `n` (set-up, not timed).
pub async fn batch(n: usize) -> Result<ExitCode, ExitCode> {
    use app::server::entities::{rule_category, rule_item};
    use app::server::ledger::{record_batch, record_entry, NewEntry};
    use sea_orm::{ActiveModelTrait, Set};

    let db = Db::open(&app::server::db::database_url_from_env())
        .await
        .map_err(failed)?;
    let admin = user_account::Entity::find()
        .filter(user_account::Column::Role.eq(Role::VillageAdmin.as_str()))
        .order_by_asc(user_account::Column::Id)
        .one(&db.conn)
        .await
        .map_err(failed)?
        .ok_or_else(|| failed("no village admin: generate the town first"))?;
    let village = admin
        .village_id
        .ok_or_else(|| failed("admin without village"))?;
    let caller = Caller {
        user: UserId(admin.id),
        role: Role::VillageAdmin,
        village: Some(VillageId(village)),
        household: None,
        group: None,
    };
    let now = chrono::Utc::now();
    let mut ids: Vec<i32> = household::Entity::find()
        .select_only()
        .column(household::Column::Id)
        .filter(household::Column::VillageId.eq(village))
        .filter(household::Column::MovedAway.eq(false))
        .into_tuple()
        .all(&db.conn)
        .await
        .map_err(failed)?;
    let some = household::Entity::find_by_id(ids[0])
        .one(&db.conn)
        .await
        .map_err(failed)?
        .ok_or_else(|| failed("no household"))?;
    let mut extra = 0;
    while ids.len() < n {
        extra += 1;
        let h = household::ActiveModel {
            village_id: Set(village),
            group_id: Set(some.group_id),
            card_no: Set(format!("B{}{:05}", now.timestamp() % 100000, extra)),
            head_name: Set(format!("测试户{extra}")),
            head_initials: Set("csh".into()),
            address: Set(String::new()),
            resident: Set(true),
            aware: Set(true),
            moved_away: Set(false),
            balance: Set(0),
            earned_total: Set(0),
            redeemed_total: Set(0),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&db.conn)
        .await
        .map_err(failed)?;
        ids.push(h.id);
    }
    ids.truncate(n);
    let category = rule_category::Entity::find()
        .filter(rule_category::Column::VillageId.eq(village))
        .one(&db.conn)
        .await
        .map_err(failed)?
        .ok_or_else(|| failed("no rule category"))?;
    let item = |title: &str| rule_item::ActiveModel {
        village_id: Set(village),
        category_id: Set(category.id),
        lineage_id: Set(None),
        version: Set(1),
        title: Set(title.to_string()),
        points: Set(1),
        unit: Set("per_time".into()),
        monthly_cap: Set(None),
        evidence_required: Set(false),
        active_from: Set(chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("date")),
        active_until: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    let batch_item = item("基准测试：批量")
        .insert(&db.conn)
        .await
        .map_err(failed)?;
    let single_item = item("基准测试：逐户")
        .insert(&db.conn)
        .await
        .map_err(failed)?;
    let today = app::domain::time::china_date(now);
    let households: Vec<HouseholdId> = ids.iter().map(|i| HouseholdId(*i)).collect();

    let start = Instant::now();
    let written = record_batch(
        &db,
        &caller,
        &households,
        app::domain::RuleItemId(batch_item.id),
        "批量记分基准",
        today,
        None,
        now,
    )
    .await
    .map_err(failed)?;
    let batch_s = start.elapsed().as_secs_f64();

    let start = Instant::now();
    for h in &households {
        record_entry(
            &db,
            &caller,
            NewEntry {
                household: *h,
                member: None,
                evidence: None,
                rule_item: app::domain::RuleItemId(single_item.id),
                reason: "逐户记分基准".into(),
                occurred_on: today,
            },
            now,
        )
        .await
        .map_err(failed)?;
    }
    let single_s = start.elapsed().as_secs_f64();
    let mismatches = app::server::ledger::verify(&db).await.map_err(failed)?;
    println!("batch_households: {}", written.len());
    println!("households_added_for_bench: {extra}");
    println!("batch_one_transaction_ms: {:.0}", batch_s * 1000.0);
    println!("single_entries_ms: {:.0}", single_s * 1000.0);
    println!("batch_per_entry_ms: {:.2}", batch_s * 1000.0 / n as f64);
    println!("single_per_entry_ms: {:.2}", single_s * 1000.0 / n as f64);
    println!("single_to_batch_ratio: {:.1}", single_s / batch_s);
    println!("verify_mismatches: {}", mismatches.len());
    Ok(if mismatches.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Prepares a copy of the large town for the HTTP redemption bench: enough
/// stock of the village's cheapest goods, then prints the clerk's username,
/// that goods' id and households with points to spend (`key: value` lines
/// that `bench/run.sh` turns into a wrk script).
pub async fn http_prep(units: i32) -> Result<ExitCode, ExitCode> {
    let db = Db::open(&app::server::db::database_url_from_env())
        .await
        .map_err(failed)?;
    let (clerk, village, cheapest) = counter_and_goods(&db).await?;
    receive(&db, cheapest.id, units).await?;
    let households: Vec<i32> = household::Entity::find()
        .select_only()
        .column(household::Column::Id)
        .filter(household::Column::VillageId.eq(village))
        .filter(household::Column::MovedAway.eq(false))
        .filter(household::Column::Balance.gte(i64::from(cheapest.price_points) * 20))
        .order_by_asc(household::Column::Id)
        .into_tuple()
        .all(&db.conn)
        .await
        .map_err(failed)?;
    println!("clerk: {}", clerk.username);
    println!("goods: {}", cheapest.id);
    println!("price: {}", cheapest.price_points);
    println!("households_count: {}", households.len());
    println!(
        "households: {}",
        households
            .iter()
            .map(|h| h.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    Ok(ExitCode::SUCCESS)
}
