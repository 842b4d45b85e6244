//! How a database error reaches the caller (the `db` feature, for the
//! service crate only): a full or failing disk is told as such (503, nothing
//! saved); any other database error is logged and answered 500.

use sea_orm::{DbErr, RuntimeErr};

use crate::AppError;

/// A failure of the storage under the database: what was being written is
/// not saved, and later writes may succeed once it is fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageFault {
    /// The disk (or the database's size limit) is full: SQLITE_FULL.
    Full,
    /// The disk failed to read or write: SQLITE_IOERR.
    Io,
}

impl StorageFault {
    /// What a user is told: nothing was saved, and who can fix it.
    pub fn message(self) -> &'static str {
        match self {
            StorageFault::Full => {
                "服务器存储空间不足，本次操作未保存。请联系镇管理员清理空间后重试"
            }
            StorageFault::Io => "服务器磁盘读写出错，本次操作未保存。请稍后重试或联系镇管理员",
        }
    }
}

/// Whether a database error is a storage fault (disk full or I/O error)
/// rather than a refusal or a bug.
pub fn storage_fault(err: &DbErr) -> Option<StorageFault> {
    let runtime = match err {
        DbErr::Conn(r) | DbErr::Exec(r) | DbErr::Query(r) => r,
        _ => return None,
    };
    let RuntimeErr::SqlxError(e) = runtime else {
        return None;
    };
    match e.as_database_error() {
        // SQLite reports extended codes; the primary code is the low byte.
        Some(db)
            if db
                .code()
                .is_some_and(|c| c.parse::<i64>().is_ok_and(|n| n & 0xff == 13)) =>
        {
            Some(StorageFault::Full)
        }
        Some(db)
            if db
                .code()
                .is_some_and(|c| c.parse::<i64>().is_ok_and(|n| n & 0xff == 10)) =>
        {
            Some(StorageFault::Io)
        }
        _ => {
            let text = e.to_string();
            if text.contains("database or disk is full") {
                Some(StorageFault::Full)
            } else if text.contains("disk I/O error") {
                Some(StorageFault::Io)
            } else {
                None
            }
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        match storage_fault(&err) {
            Some(fault) => {
                // Loud on purpose: someone must free space or replace the disk.
                tracing::error!(error = %err, ?fault, "STORAGE FAULT: the write was not saved");
                Self::Unavailable(fault.message().into())
            }
            None => {
                tracing::error!(error = %err, "database error");
                Self::Internal
            }
        }
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(e) => e.into(),
            sea_orm::TransactionError::Transaction(e) => e,
        }
    }
}
