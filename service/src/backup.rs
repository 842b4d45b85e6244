//! `server backup FILE`: a consistent copy of the live SQLite database,
//! taken while the server runs.
//!
//! `VACUUM INTO` reads the database inside one read transaction, so the
//! copy is a snapshot of one moment: every transaction committed before it
//! started is in it, none half-done. In WAL mode readers do not block
//! writers, so the counter keeps redeeming while the copy is written.
//! The uploaded files (photos, attachments) live in a folder beside the
//! database and are copied separately (see the README).

use std::path::{Path, PathBuf};

use sea_orm::ConnectionTrait;
use thiserror::Error;

use super::Db;

/// Why a backup was not written.
#[derive(Debug, Error)]
pub enum BackupError {
    #[error("备份只支持 SQLite 数据库（DATABASE_URL 不是 sqlite:// 地址）；其他数据库请用其自带的备份工具")]
    NotSqlite,
    #[error("备份文件 {0} 已存在，未覆盖；请换一个文件名或先移走旧文件")]
    Exists(PathBuf),
    #[error("备份文件名 {0} 含有无法使用的字符")]
    BadPath(PathBuf),
    #[error("无法创建备份目录 {0}：{1}")]
    Folder(PathBuf, String),
    #[error("写入备份失败：{0}")]
    Write(String),
}

/// Whether a database URL names an SQLite database (the only kind
/// `VACUUM INTO` can copy).
pub fn is_sqlite_url(url: &str) -> bool {
    url.trim_start().starts_with("sqlite:")
}

/// The statement that writes the copy, with the path as an SQL string
/// literal: quotes doubled, so no file name can end the literal early. A
/// path that is not UTF-8 or holds a NUL cannot be written as one.
pub fn vacuum_into_sql(target: &Path) -> Result<String, BackupError> {
    let text = target
        .to_str()
        .filter(|t| !t.is_empty() && !t.contains('\0'))
        .ok_or_else(|| BackupError::BadPath(target.to_path_buf()))?;
    Ok(format!("VACUUM INTO '{}'", text.replace('\'', "''")))
}

/// Writes a consistent copy of the database to `target`, which must not
/// exist (its folder is created), and flushes it to disk. Returns its size
/// in bytes.
pub async fn backup_to(db: &Db, target: &Path) -> Result<u64, BackupError> {
    if !db.is_sqlite() {
        return Err(BackupError::NotSqlite);
    }
    let sql = vacuum_into_sql(target)?;
    // `VACUUM INTO` refuses a non-empty file too; this says so in Chinese
    // and never touches an empty one someone left there.
    if target.exists() {
        return Err(BackupError::Exists(target.to_path_buf()));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| BackupError::Folder(dir.to_path_buf(), e.to_string()))?;
    }
    db.conn.execute_unprepared(&sql).await.map_err(|e| {
        if target.exists() {
            // A partial copy must not pass for a backup.
            let _ = std::fs::remove_file(target);
        }
        BackupError::Write(e.to_string())
    })?;
    // SQLite writes the copy without syncing it: a backup that a power cut
    // can lose is no backup.
    let file = std::fs::File::open(target).map_err(|e| BackupError::Write(e.to_string()))?;
    file.sync_all()
        .map_err(|e| BackupError::Write(e.to_string()))?;
    let bytes = file
        .metadata()
        .map_err(|e| BackupError::Write(e.to_string()))?
        .len();
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_as_sql_literals() {
        assert_eq!(
            vacuum_into_sql(Path::new("backups/a.db")).unwrap(),
            "VACUUM INTO 'backups/a.db'"
        );
        assert_eq!(
            vacuum_into_sql(Path::new("/tmp/it's'; DROP TABLE x; --.db")).unwrap(),
            "VACUUM INTO '/tmp/it''s''; DROP TABLE x; --.db'"
        );
        assert!(vacuum_into_sql(Path::new("")).is_err());
        assert!(vacuum_into_sql(Path::new("a\0b")).is_err());
    }

    #[test]
    fn only_sqlite_urls_are_backed_up() {
        assert!(is_sqlite_url("sqlite://data/gaoliang.db?mode=rwc"));
        assert!(is_sqlite_url("sqlite::memory:"));
        assert!(!is_sqlite_url("postgres://u@h/db"));
        assert!(!is_sqlite_url("mysql://h/db"));
    }
}
