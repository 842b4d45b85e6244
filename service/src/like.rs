//! `LIKE` conditions that match what a user typed literally: `%` and `_`
//! in a search are characters to find, not wildcards. The pattern names its
//! escape character explicitly (`LIKE ? ESCAPE '\'`), which SQLite and
//! PostgreSQL both understand.

use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::ColumnTrait;

const ESCAPE: char = '\\';

/// `text` with `LIKE`'s wildcards and the escape character escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | ESCAPE) {
            out.push(ESCAPE);
        }
        out.push(c);
    }
    out
}

/// `col` contains `text`.
pub fn contains<C: ColumnTrait>(col: C, text: &str) -> Expr {
    col.like(LikeExpr::new(format!("%{}%", escape(text))).escape(ESCAPE))
}

/// `col` starts with `text`.
pub fn starts_with<C: ColumnTrait>(col: C, text: &str) -> Expr {
    col.like(LikeExpr::new(format!("{}%", escape(text))).escape(ESCAPE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_are_escaped() {
        assert_eq!(escape("50%_a\\b"), "50\\%\\_a\\\\b");
        assert_eq!(escape("张三"), "张三");
    }
}
