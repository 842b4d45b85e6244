//! The Gaoliang points platform server.
//!
//! `server` (or `server serve`) serves the app; `server verify` recomputes
//! every balance; `server init` prepares an empty town for a real deployment;
//! `server backup FILE` writes a consistent copy of the live database;
//! `server bench-town` fills a database with a large generated town.

use std::process::ExitCode;

use app::server::db::{database_url_from_env, Db};
use app::server::http::{router, serve as serve_http, AppState, Timeouts};
use app::server::{ledger, seed};
use leptos::config::get_configuration;

mod bench;

fn usage() -> ExitCode {
    eprintln!(
        "用法 / usage:\n  server [serve]        启动服务 / serve the app\n  server verify         核对全部余额 / recompute every balance, exit 1 on a difference\n  server init           初始化空白镇（非演示）/ create an empty town and the first admin\n  server backup FILE    备份数据库（服务运行中亦可）/ consistent copy of the live database, then verify it\n  server bench-town [months]  生成大规模测试数据 / generate the benchmark town\n  server bench-reads [n]      读取基准 / time n leaderboard queries in-process\n  server bench-writes [n]     写入基准 / time n redemptions against n raw inserts\n  server bench-batch [n]      批量记分基准 / one batch of n entries against n single entries\n  server bench-http-prep [units]  兑换压测准备 / stock and households for the HTTP redemption bench\n\n环境变量 / environment: DATABASE_URL or GAOLIANG_DB (file path, default data/gaoliang.db), LEPTOS_SITE_ADDR, GAOLIANG_SECURE_COOKIES=1 behind https, GAOLIANG_DEMO=0 to start empty"
    );
    ExitCode::from(2)
}

async fn open() -> Result<Db, ExitCode> {
    let url = database_url_from_env();
    Db::open(&url).await.map_err(|e| {
        eprintln!("错误 / error: {e}");
        ExitCode::from(1)
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .with_writer(std::io::stdout)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => serve().await,
        Some("verify") => verify().await,
        Some("init") => init().await,
        Some("backup") => match args.get(1) {
            Some(file) if args.len() == 2 => backup(file).await,
            _ => return usage(),
        },
        Some("bench-town") => bench_town(args.get(1).and_then(|m| m.parse().ok())).await,
        Some("bench-reads") => {
            bench::reads(args.get(1).and_then(|n| n.parse().ok()).unwrap_or(500)).await
        }
        Some("bench-writes") => {
            bench::writes(args.get(1).and_then(|n| n.parse().ok()).unwrap_or(2000)).await
        }
        Some("bench-http-prep") => {
            bench::http_prep(args.get(1).and_then(|n| n.parse().ok()).unwrap_or(100_000)).await
        }
        Some("bench-batch") => {
            bench::batch(args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1000)).await
        }
        _ => return usage(),
    };
    result.unwrap_or_else(|code| code)
}

async fn serve() -> Result<ExitCode, ExitCode> {
    let conf = get_configuration(None).map_err(|e| {
        eprintln!("错误 / error: cannot read the Leptos configuration: {e}");
        ExitCode::from(1)
    })?;
    let options = conf.leptos_options;
    let addr = options.site_addr;
    // Bind first: a taken port fails fast, before the database is touched.
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            eprintln!("错误 / error: 端口已被占用 / address {addr} is already in use; stop the other server or set LEPTOS_SITE_ADDR");
        } else {
            eprintln!("错误 / error: cannot listen on {addr}: {e}");
        }
        ExitCode::from(1)
    })?;
    let db = open().await?;
    let demo_wanted = std::env::var("GAOLIANG_DEMO")
        .map(|v| v != "0")
        .unwrap_or(true);
    if demo_wanted && seed::is_empty(&db).await.map_err(db_failed)? {
        tracing::info!("empty database: loading the demo town");
        seed::load_demo(&db, seed::Scale::DEMO, chrono::Utc::now())
            .await
            .map_err(db_failed)?;
        tracing::info!("demo town loaded");
    }
    let state = AppState {
        leptos_options: options,
        db,
        secure_cookies: std::env::var("GAOLIANG_SECURE_COOKIES").is_ok_and(|v| v == "1"),
    };
    let app = router(state);
    tracing::info!("serving on http://{addr}");
    serve_http(listener, app, Timeouts::default(), shutdown_signal()).await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

fn db_failed(e: sea_orm::DbErr) -> ExitCode {
    eprintln!("错误 / error: database: {e}");
    ExitCode::from(1)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

async fn verify() -> Result<ExitCode, ExitCode> {
    let db = open().await?;
    let mismatches = ledger::verify(&db).await.map_err(db_failed)?;
    if mismatches.is_empty() {
        println!("核对通过 / verify ok: every balance equals the sum of its entries");
        Ok(ExitCode::SUCCESS)
    } else {
        for m in &mismatches {
            println!(
                "不一致 / mismatch: {}: stored {} recomputed {}",
                m.what, m.stored, m.recomputed
            );
        }
        println!(
            "核对失败 / verify failed: {} difference(s)",
            mismatches.len()
        );
        Ok(ExitCode::from(1))
    }
}

/// Writes a consistent copy of the live database to `file` (the server may
/// be running), then opens the copy and checks it as `server verify` would.
async fn backup(file: &str) -> Result<ExitCode, ExitCode> {
    use app::server::backup::{backup_to, is_sqlite_url, BackupError};
    let url = database_url_from_env();
    if !is_sqlite_url(&url) {
        eprintln!("错误 / error: {}", BackupError::NotSqlite);
        return Ok(ExitCode::from(1));
    }
    // Opening would create an empty database: a wrong path must not be
    // "backed up" as an empty town.
    if let Some(live) = app::server::db::sqlite_path(&url).filter(|p| !p.exists()) {
        eprintln!(
            "错误 / error: 数据库文件 {} 不存在 / no database at that path; check GAOLIANG_DB",
            live.display()
        );
        return Ok(ExitCode::from(1));
    }
    let target = std::path::Path::new(file);
    // Refused before the database is opened, so a typo costs nothing.
    if target.exists() {
        eprintln!(
            "错误 / error: {}",
            BackupError::Exists(target.to_path_buf())
        );
        return Ok(ExitCode::from(1));
    }
    let db = open().await?;
    let started = std::time::Instant::now();
    let bytes = match backup_to(&db, target).await {
        Ok(b) => b,
        Err(e) => {
            eprintln!("错误 / error: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let _ = db.conn.close().await;
    let copy = Db::open(&app::server::db::sqlite_url(target))
        .await
        .map_err(|e| {
            eprintln!("错误 / error: 备份文件无法打开 / the copy does not open: {e}");
            ExitCode::from(1)
        })?;
    let mismatches = ledger::verify(&copy).await.map_err(db_failed)?;
    let _ = copy.conn.close().await;
    if !mismatches.is_empty() {
        for m in &mismatches {
            println!(
                "不一致 / mismatch: {}: stored {} recomputed {}",
                m.what, m.stored, m.recomputed
            );
        }
        println!("备份已写入但核对失败 / the copy was written but does not verify");
        return Ok(ExitCode::from(1));
    }
    println!(
        "备份完成 / backup written: {file} ({:.1} MB, {:.1} s), 核对通过 / verify ok",
        bytes as f64 / 1_048_576.0,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

async fn init() -> Result<ExitCode, ExitCode> {
    let db = open().await?;
    if !seed::is_empty(&db).await.map_err(db_failed)? {
        eprintln!(
            "错误 / error: 数据库已有数据 / the database already holds a town; nothing changed"
        );
        return Ok(ExitCode::from(1));
    }
    let password = match std::env::var("GAOLIANG_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            println!("请输入镇管理员 admin 的密码（至少 10 位）/ password for the first admin (10+ chars):");
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|_| ExitCode::from(1))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    // The same rules as every staff password set in the browser.
    if let Err(e) = app::domain::staff::check_password(&password, "admin") {
        eprintln!("错误 / error: {e} / the password does not meet the password rules");
        return Ok(ExitCode::from(1));
    }
    seed::init_empty(&db, &password, chrono::Utc::now())
        .await
        .map_err(db_failed)?;
    println!("已创建空白镇与管理员 admin / created the empty town and user `admin`");
    Ok(ExitCode::SUCCESS)
}

async fn bench_town(months: Option<u32>) -> Result<ExitCode, ExitCode> {
    let db = open().await?;
    if !seed::is_empty(&db).await.map_err(db_failed)? {
        eprintln!("错误 / error: the benchmark town needs an empty database");
        return Ok(ExitCode::from(1));
    }
    let mut scale = seed::Scale::BENCH;
    if let Some(m) = months {
        scale.months = m;
    }
    let started = std::time::Instant::now();
    seed::load_demo(&db, scale, chrono::Utc::now())
        .await
        .map_err(db_failed)?;
    println!(
        "benchmark town generated in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    bench::print_sizes(&db).await.map_err(db_failed)?;
    Ok(ExitCode::SUCCESS)
}
