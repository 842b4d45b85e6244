//! Data versions: a counter per scope that moves whenever what the public
//! sees may have changed, bumped inside the write transaction that changes
//! it ([`super::db::WriteTxn::commit`]). The public page cache
//! ([`super::page_cache`]) keys every rendered page on the versions it
//! depends on, so a page is never answered from before a committed write.
//!
//! The rows live in `data_version` (the truth, shared by every process on
//! the database); this process keeps a copy in memory, set from the rows
//! each of its commits returns, so a page lookup reads no database. Writes
//! by another process on the same SQLite file (the `server` commands run
//! while serving) are not seen until restart; a multi-process deployment
//! reads the rows instead.

use std::collections::{BTreeSet, HashMap};
use std::sync::RwLock;

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, EntityTrait, Iden, Statement};

use super::db::{execute_all, join_statements};
use super::entities::data_version;
use domain::VillageId;

/// Moves on every write the public may see.
pub const ANY: i32 = 0;
/// Moves on writes that concern the whole town, or that did not name the
/// villages they touched (the safe default).
pub const TOWN: i32 = -1;

/// What a write transaction has said it changed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Touched {
    /// Nothing said: the write may have changed anything.
    #[default]
    Unsaid,
    /// Only these villages' records (and the town-wide figures summed from
    /// them).
    Villages(BTreeSet<i32>),
    /// Town-wide records (settings, every village's rules).
    Town,
    /// Nothing the public sees (sessions, sign-in throttling, scratch
    /// tables).
    Private,
}

impl Touched {
    /// Notes that the transaction touched `village`.
    pub fn village(&mut self, village: VillageId) {
        match self {
            Touched::Villages(set) => {
                set.insert(village.0);
            }
            Touched::Town => {}
            Touched::Unsaid | Touched::Private => {
                *self = Touched::Villages(BTreeSet::from([village.0]))
            }
        }
    }

    /// Notes that the transaction changed nothing public, unless something
    /// in it already said otherwise.
    pub fn private(&mut self) {
        if *self == Touched::Unsaid {
            *self = Touched::Private;
        }
    }

    /// Notes that the transaction changed town-wide records.
    pub fn town(&mut self) {
        *self = Touched::Town;
    }

    /// The scopes to bump at commit.
    pub fn scopes(&self) -> Vec<i32> {
        match self {
            Touched::Unsaid | Touched::Town => vec![ANY, TOWN],
            Touched::Villages(set) => std::iter::once(ANY).chain(set.iter().copied()).collect(),
            Touched::Private => Vec::new(),
        }
    }
}

/// This process's copy of the version rows.
#[derive(Debug, Default)]
pub struct Versions {
    map: RwLock<HashMap<i32, i64>>,
}

impl Versions {
    /// Reads every row (at start).
    pub async fn load<C: ConnectionTrait>(conn: &C) -> Result<Versions, DbErr> {
        let map = data_version::Entity::find()
            .all(conn)
            .await?
            .into_iter()
            .map(|r| (r.scope, r.version))
            .collect();
        Ok(Versions {
            map: RwLock::new(map),
        })
    }

    /// The version of `scope` (0 before its first write).
    pub fn get(&self, scope: i32) -> i64 {
        self.map
            .read()
            .map(|m| m.get(&scope).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    /// Takes the versions a commit returned (never moving one backwards:
    /// two commits' answers may arrive in either order).
    pub fn set(&self, rows: &[(i32, i64)]) {
        if let Ok(mut m) = self.map.write() {
            for &(scope, version) in rows {
                let v = m.entry(scope).or_insert(version);
                *v = Ord::max(*v, version);
            }
        }
    }
}

/// Runs `before` (writes whose results are not needed), then bumps
/// `scopes` (one statement, an insert-or-increment that returns the new
/// versions), inside the caller's transaction: on SQLite in one request
/// ([`join_statements`]), elsewhere one statement after another.
pub async fn bump<C: ConnectionTrait>(
    conn: &C,
    before: Vec<Statement>,
    scopes: &[i32],
) -> Result<Vec<(i32, i64)>, DbErr> {
    let backend = conn.get_database_backend();
    // Sent with the bump on SQLite; first, on their own, elsewhere.
    let before = if backend == DbBackend::Sqlite && !scopes.is_empty() {
        before
    } else {
        execute_all(conn, before).await?;
        Vec::new()
    };
    if scopes.is_empty() {
        return Ok(Vec::new());
    }
    let mut insert = Query::insert();
    insert
        .into_table(data_version::Entity)
        .columns([data_version::Column::Scope, data_version::Column::Version]);
    for &s in scopes {
        insert.values_panic([s.into(), 1i64.into()]);
    }
    insert
        .on_conflict(
            OnConflict::column(data_version::Column::Scope)
                .value(
                    data_version::Column::Version,
                    Expr::col((data_version::Entity, data_version::Column::Version)).add(1),
                )
                .to_owned(),
        )
        .returning(Query::returning().columns([
            data_version::Column::Scope.to_string(),
            data_version::Column::Version.to_string(),
        ]));
    // One scope (nearly every write) is one row: read as one, the driver
    // stops at it instead of also sending the statement's end.
    let bump = backend.build(&insert);
    let stmt = if backend == DbBackend::Sqlite {
        // Only the bump returns rows, and it comes last: every statement
        // before it has run once its first row is read.
        join_statements(before.into_iter().chain([bump]))
    } else {
        bump
    };
    let rows = if scopes.len() == 1 {
        conn.query_one_raw(stmt).await?.into_iter().collect()
    } else {
        conn.query_all_raw(stmt).await?
    };
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get::<i32>("", "scope")?,
                r.try_get::<i64>("", "version")?,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unsaid_write_moves_the_town_and_everything() {
        assert_eq!(Touched::default().scopes(), vec![ANY, TOWN]);
    }

    #[test]
    fn a_village_write_moves_its_village_only() {
        let mut t = Touched::Private;
        t.village(VillageId(7));
        t.village(VillageId(3));
        assert_eq!(t.scopes(), vec![ANY, 3, 7]);
        // Saying "private" afterwards does not hide the village write.
        t.private();
        assert_eq!(t.scopes(), vec![ANY, 3, 7]);
    }

    #[test]
    fn a_town_write_stays_town_wide() {
        let mut t = Touched::Unsaid;
        t.town();
        t.village(VillageId(7));
        t.private();
        assert_eq!(t.scopes(), vec![ANY, TOWN]);
        let mut p = Touched::Unsaid;
        p.private();
        assert!(p.scopes().is_empty());
    }

    #[test]
    fn versions_never_move_backwards() {
        let v = Versions::default();
        v.set(&[(7, 5)]);
        v.set(&[(7, 4)]);
        assert_eq!(v.get(7), 5);
        assert_eq!(v.get(8), 0);
    }
}
