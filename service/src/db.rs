//! Opening the database and serialising writers.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::sqlx::Connection as _;
use sea_orm::{
    sea_query::Expr, ConnectOptions, ConnectionTrait, Database, DatabaseConnection,
    DatabaseTransaction, DbBackend, DbErr, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};
use thiserror::Error;
use tokio::sync::{Mutex, OwnedMutexGuard};

use super::versions::{self, Touched, Versions};
use domain::VillageId;

/// Default location of the embedded database.
pub const DEFAULT_DB_PATH: &str = "data/gaoliang.db";

/// The shared database handle.
///
/// SQLite allows one writer at a time. Write transactions begin IMMEDIATE,
/// so a writer that finds the file locked (by another process) waits in the
/// busy handler instead of failing when a read lock would need upgrading;
/// every write transaction of this process also takes `write_lock` first, so
/// writers of one process queue without spinning in that handler.
#[derive(Clone)]
pub struct Db {
    pub conn: DatabaseConnection,
    /// The connection every write transaction of this process runs on: one
    /// connection of its own for an SQLite file, else `conn`. SQLite drops a
    /// connection's page cache whenever another connection has written the
    /// file since its last transaction, so writers taking turns on the
    /// pool's connections each re-read every B-tree page they touch; one
    /// writer connection keeps them cached (a redemption on the large town
    /// spent most of its time re-reading pages).
    writer: DatabaseConnection,
    write_lock: Arc<Mutex<()>>,
    files: Arc<PathBuf>,
    versions: Arc<Versions>,
}

/// A write transaction holding the process-wide writer lock. Dropping it
/// without `commit` rolls back.
///
/// Its commit bumps the data versions ([`super::versions`]) of what it
/// said it touched ([`WriteTxn::touches`], [`WriteTxn::touches_town`],
/// [`WriteTxn::private`]); a transaction that said nothing bumps the
/// town's, so a forgotten call costs cache hits, never a stale page.
pub struct WriteTxn {
    txn: DatabaseTransaction,
    touched: std::sync::Mutex<Touched>,
    versions: Arc<Versions>,
    _guard: OwnedMutexGuard<()>,
}

impl std::ops::Deref for WriteTxn {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

impl WriteTxn {
    /// Commits (with the data versions bumped in the same transaction),
    /// then releases the writer lock.
    pub async fn commit(self) -> Result<(), DbErr> {
        self.commit_with(Vec::new()).await
    }

    /// Runs `stmts` (writes whose results are not needed, as
    /// [`execute_all`]), then commits. On SQLite the statements go in one
    /// request with the data-version bump, so a write that ends with its
    /// bookkeeping costs one round trip to the database less. The first
    /// failing statement fails the call and nothing is committed.
    pub async fn commit_with(self, stmts: Vec<Statement>) -> Result<(), DbErr> {
        let scopes = self
            .touched
            .lock()
            .map(|t| t.scopes())
            .unwrap_or_else(|_| Touched::Unsaid.scopes());
        let bumped = versions::bump(&self.txn, stmts, &scopes).await?;
        self.txn.commit().await?;
        self.versions.set(&bumped);
        Ok(())
    }

    /// Says this transaction changed `village`'s records (and the town
    /// figures summed from them), not other villages'.
    pub fn touches(&self, village: VillageId) {
        if let Ok(mut t) = self.touched.lock() {
            t.village(village);
        }
    }

    /// Says this transaction changed town-wide records.
    pub fn touches_town(&self) {
        if let Ok(mut t) = self.touched.lock() {
            t.town();
        }
    }

    /// Says this transaction changed nothing the public sees (sessions,
    /// throttling).
    pub fn private(&self) {
        if let Ok(mut t) = self.touched.lock() {
            t.private();
        }
    }
}

pub use wire::db::{storage_fault, StorageFault};

/// Why the database could not be opened.
#[derive(Debug, Error)]
pub enum OpenError {
    #[error("数据库目录 {0} 无法创建或不可写：{1}")]
    NotWritable(PathBuf, String),
    #[error("无法打开数据库 {0}：{1}")]
    Connect(String, DbErr),
    #[error("数据库迁移失败：{0}")]
    Migrate(DbErr),
}

/// Resolves the database URL: `DATABASE_URL` if set, else `GAOLIANG_DB`
/// (a file path), else `data/gaoliang.db`.
pub fn database_url_from_env() -> String {
    if let Ok(url) = std::env::var("DATABASE_URL") {
        if !url.trim().is_empty() {
            return url;
        }
    }
    let path = std::env::var("GAOLIANG_DB").unwrap_or_else(|_| DEFAULT_DB_PATH.to_string());
    sqlite_url(Path::new(&path))
}

/// The sea-orm URL of an SQLite file, created if missing.
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// The file behind an SQLite URL, if it is one.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path == ":memory:" {
        None
    } else {
        Some(PathBuf::from(path))
    }
}

/// Checks that the folder of an SQLite file exists (creating it) and is writable,
/// so a bad path gives one clear message instead of a driver error.
fn ensure_writable_dir(file: &Path) -> Result<(), OpenError> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| OpenError::NotWritable(dir.clone(), e.to_string()))?;
    let probe = dir.join(format!(".write-test-{}", std::process::id()));
    std::fs::write(&probe, b"ok")
        .map_err(|e| OpenError::NotWritable(dir.clone(), e.to_string()))?;
    let _ = std::fs::remove_file(probe);
    if file.exists() {
        std::fs::OpenOptions::new()
            .append(true)
            .open(file)
            .map_err(|e| OpenError::NotWritable(file.to_path_buf(), e.to_string()))?;
    }
    Ok(())
}

impl Db {
    /// Opens (creating if needed) the database and applies pending migrations.
    pub async fn open(url: &str) -> Result<Db, OpenError> {
        let path = sqlite_path(url);
        if let Some(path) = &path {
            ensure_writable_dir(path)?;
        }
        // Uploaded files live beside the database file (or where
        // GAOLIANG_FILES says, for a database that is not a file).
        let files = match (std::env::var("GAOLIANG_FILES"), &path) {
            (Ok(dir), _) if !dir.trim().is_empty() => PathBuf::from(dir),
            (_, Some(p)) => p
                .parent()
                .map(|d| d.join("files"))
                .unwrap_or_else(|| PathBuf::from("files")),
            _ => PathBuf::from("data/files"),
        };
        let connect = |max: u32| async move {
            Database::connect(connect_options(url, max))
                .await
                .map_err(|e| OpenError::Connect(url.to_string(), e))
        };
        let conn = connect(8).await?;
        Migrator::up(&conn, None)
            .await
            .map_err(OpenError::Migrate)?;
        // An in-memory database is one per connection: it keeps one pool.
        let writer = match (&path, conn.get_database_backend()) {
            (Some(_), DbBackend::Sqlite) => connect(1).await?,
            _ => conn.clone(),
        };
        let versions = Versions::load(&conn).await.map_err(OpenError::Migrate)?;
        Ok(Db {
            conn,
            writer,
            write_lock: Arc::new(Mutex::new(())),
            files: Arc::new(files),
            versions: Arc::new(versions),
        })
    }

    /// The folder uploaded files (evidence photos) are kept in.
    pub fn files_dir(&self) -> &Path {
        &self.files
    }

    /// Starts a write transaction, waiting for other writers of this process
    /// and (in SQLite's busy handler) of other processes.
    pub async fn write(&self) -> Result<WriteTxn, DbErr> {
        let guard = self.write_lock.clone().lock_owned().await;
        let txn = self
            .writer
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?;
        Ok(WriteTxn {
            txn,
            touched: Default::default(),
            versions: self.versions.clone(),
            _guard: guard,
        })
    }

    /// This process's copy of the data versions.
    pub fn versions(&self) -> &Versions {
        &self.versions
    }

    /// Whether the connection is SQLite (for backend-specific maintenance only).
    pub fn is_sqlite(&self) -> bool {
        self.conn.get_database_backend() == sea_orm::DatabaseBackend::Sqlite
    }
}

/// Runs write statements whose results are not needed, in order, inside
/// the caller's transaction. On SQLite they go to the connection's worker
/// thread as one request: each request is a round trip between threads that
/// costs more than SQLite's own work on a small statement, and a
/// redemption's bookkeeping is six of them. PostgreSQL takes no several
/// statements with parameters in one request, so there they run one by one.
/// The first failing statement fails the call; the caller then drops its
/// transaction, which rolls back the ones before it.
pub async fn execute_all<C: ConnectionTrait>(conn: &C, stmts: Vec<Statement>) -> Result<(), DbErr> {
    if conn.get_database_backend() != DbBackend::Sqlite {
        for stmt in stmts {
            conn.execute_raw(stmt).await?;
        }
        return Ok(());
    }
    if !stmts.is_empty() {
        conn.execute_raw(join_statements(stmts)).await?;
    }
    Ok(())
}

/// SQLite statements as one (`;`-separated, their values in order: sqlx
/// binds `?` across the statements of one request).
pub fn join_statements(stmts: impl IntoIterator<Item = Statement>) -> Statement {
    let mut sql = String::new();
    let mut values = Vec::new();
    for stmt in stmts {
        if !sql.is_empty() {
            sql.push_str(";\n");
        }
        sql.push_str(&stmt.sql);
        values.extend(stmt.values.map(|v| v.0).unwrap_or_default());
    }
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

/// The id the next row of `table` (an auto-increment `id`) will get, as an
/// expression to read inside a write transaction, so that rows referring to
/// it can be sent together with its insert. On SQLite the number SQLite
/// itself would choose (`AUTOINCREMENT`: one past the table's
/// `sqlite_sequence`), exact because write transactions begin IMMEDIATE and
/// hold the file's write lock from their start; on PostgreSQL the next
/// value of the column's sequence, taken once (an uncorrelated subquery,
/// so a read of several rows does not take one per row).
pub fn next_id_expr(backend: DbBackend, table: &str) -> Expr {
    match backend {
        DbBackend::Postgres => Expr::cust_with_values(
            "(SELECT nextval(pg_get_serial_sequence($1, 'id')))",
            [table],
        ),
        _ => Expr::cust_with_values(
            "(SELECT COALESCE(MAX(seq), 0) + 1 FROM sqlite_sequence WHERE name = ?)",
            [table],
        ),
    }
}

/// How every connection is opened: WAL, full sync, a 15 s busy wait,
/// foreign keys on, and no connection reused while inside a transaction.
fn connect_options(url: &str, max_connections: u32) -> ConnectOptions {
    let mut opts = ConnectOptions::new(url.to_string());
    opts.max_connections(max_connections)
        .min_connections(1)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(15))
                .foreign_keys(true)
        })
        .map_sqlx_sqlite_pool_opts(|o| o.after_release(|conn, _| Box::pin(still_clean(conn))));
    opts
}

/// Whether a connection handed back to the pool is outside any transaction;
/// one that is not is closed instead of reused.
///
/// When COMMIT fails on a full disk SQLite has already rolled the
/// transaction back, the ROLLBACK that follows fails ("no transaction is
/// active"), and sqlx keeps counting the transaction as open. Reused, that
/// connection would turn each later BEGIN into a SAVEPOINT and each COMMIT
/// into a RELEASE inside a transaction that never commits: redemptions
/// acknowledged but never durable. A fresh connection has no such state.
async fn still_clean(
    conn: &mut sea_orm::sqlx::SqliteConnection,
) -> Result<bool, sea_orm::sqlx::Error> {
    // A dropped transaction queues its ROLLBACK on the connection's worker;
    // a ping behind it waits until it has run, so the count below is final.
    conn.ping().await?;
    if conn.is_in_transaction() {
        tracing::error!(
            "a database connection came back inside a transaction (a failed commit or rollback); closing it"
        );
        return Ok(false);
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_are_read_from_urls() {
        assert_eq!(
            sqlite_path("sqlite://data/x.db?mode=rwc"),
            Some(PathBuf::from("data/x.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:///tmp/x.db"),
            Some(PathBuf::from("/tmp/x.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://h/db"), None);
    }
}
