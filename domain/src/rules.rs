//! The rule catalogue (积分规则): items, their versions and the monthly cap.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// How often an item may be scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleUnit {
    /// 每次: every occurrence counts.
    PerTime,
    /// 每月: at most once a month.
    PerMonth,
}

impl RuleUnit {
    /// Stable text stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PerTime => "per_time",
            Self::PerMonth => "per_month",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "per_time" => Some(Self::PerTime),
            "per_month" => Some(Self::PerMonth),
            _ => None,
        }
    }

    /// Chinese label for the UI.
    pub fn label(self) -> &'static str {
        match self {
            Self::PerTime => "每次",
            Self::PerMonth => "每月",
        }
    }
}

/// The terms of one version of a rule item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleTerms {
    pub title: String,
    /// Signed: positive awards, negative deductions.
    pub points: i32,
    pub unit: RuleUnit,
    /// Most points (in absolute value) one household may get from the item in a month.
    pub monthly_cap: Option<i32>,
    pub evidence_required: bool,
}

/// One stored version of an item with its active period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleVersion {
    pub version: i32,
    pub terms: RuleTerms,
    pub active_from: NaiveDate,
    /// Last day the version applies (inclusive); `None` while current.
    pub active_until: Option<NaiveDate>,
}

/// Problems with a rule definition or its use.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RuleError {
    #[error("细则名称不能为空")]
    EmptyTitle,
    #[error("分值不能为 0")]
    ZeroPoints,
    #[error("每月上限必须大于 0 且不小于单次分值")]
    BadCap,
    #[error("该细则在 {0} 不在有效期内")]
    NotActive(NaiveDate),
    #[error("新版本的生效日期必须晚于当前版本的生效日期")]
    BadEffectiveDate,
    #[error("本月该项已达上限 {cap} 分（已记 {used} 分）")]
    CapReached { cap: i32, used: i32 },
    #[error("该项每月只能记一次，本月已记过")]
    OncePerMonth,
}

impl RuleTerms {
    /// Checks the terms before they are stored.
    pub fn validate(&self) -> Result<(), RuleError> {
        if self.title.trim().is_empty() {
            return Err(RuleError::EmptyTitle);
        }
        if self.points == 0 {
            return Err(RuleError::ZeroPoints);
        }
        if let Some(cap) = self.monthly_cap {
            if cap <= 0 || cap < self.points.abs() {
                return Err(RuleError::BadCap);
            }
        }
        Ok(())
    }
}

impl RuleVersion {
    /// Whether the version applies on `date`.
    pub fn is_active_on(&self, date: NaiveDate) -> bool {
        date >= self.active_from && self.active_until.is_none_or(|until| date <= until)
    }

    /// Checks one more scoring of this item for a household on `date`, given
    /// what it already got from the same item (all versions) in that month:
    /// `used_abs` points in `used_count` entries.
    pub fn check_use(
        &self,
        date: NaiveDate,
        used_abs: i32,
        used_count: u32,
    ) -> Result<(), RuleError> {
        if !self.is_active_on(date) {
            return Err(RuleError::NotActive(date));
        }
        if self.terms.unit == RuleUnit::PerMonth && used_count > 0 {
            return Err(RuleError::OncePerMonth);
        }
        if let Some(cap) = self.terms.monthly_cap {
            if used_abs + self.terms.points.abs() > cap {
                return Err(RuleError::CapReached {
                    cap,
                    used: used_abs,
                });
            }
        }
        Ok(())
    }
}

/// Revises an item that may already be in use: the current version is closed
/// the day before `effective`, and a new version starts on `effective`. Entries
/// recorded earlier keep pointing at the version they were recorded under.
pub fn revise(
    current: &RuleVersion,
    terms: RuleTerms,
    effective: NaiveDate,
) -> Result<(RuleVersion, RuleVersion), RuleError> {
    terms.validate()?;
    if effective <= current.active_from {
        return Err(RuleError::BadEffectiveDate);
    }
    let closed = RuleVersion {
        active_until: Some(
            effective
                .pred_opt()
                .expect("date after active_from has a predecessor"),
        ),
        ..current.clone()
    };
    let next = RuleVersion {
        version: current.version + 1,
        terms,
        active_from: effective,
        active_until: None,
    };
    Ok((closed, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cleanup_day() -> RuleVersion {
        RuleVersion {
            version: 1,
            terms: RuleTerms {
                title: "参加全民清洁日".into(),
                points: 5,
                unit: RuleUnit::PerTime,
                monthly_cap: Some(20),
                evidence_required: false,
            },
            active_from: d(2026, 1, 1),
            active_until: None,
        }
    }

    #[test]
    fn revision_closes_the_old_version_and_keeps_its_terms() {
        let v1 = cleanup_day();
        let mut terms = v1.terms.clone();
        terms.points = 6;
        let (closed, v2) = revise(&v1, terms, d(2026, 7, 1)).unwrap();
        assert_eq!(closed.terms.points, 5, "old terms are never edited");
        assert_eq!(closed.active_until, Some(d(2026, 6, 30)));
        assert_eq!(v2.version, 2);
        assert_eq!(v2.terms.points, 6);
        assert!(closed.is_active_on(d(2026, 6, 30)));
        assert!(!closed.is_active_on(d(2026, 7, 1)));
        assert!(v2.is_active_on(d(2026, 7, 1)));
        assert!(!v2.is_active_on(d(2026, 6, 30)));
    }

    #[test]
    fn revision_must_start_after_the_current_version() {
        let v1 = cleanup_day();
        assert_eq!(
            revise(&v1, v1.terms.clone(), d(2026, 1, 1)),
            Err(RuleError::BadEffectiveDate)
        );
    }

    #[test]
    fn monthly_cap_is_enforced() {
        let v1 = cleanup_day();
        assert!(v1.check_use(d(2026, 3, 5), 15, 3).is_ok());
        assert_eq!(
            v1.check_use(d(2026, 3, 5), 20, 4),
            Err(RuleError::CapReached { cap: 20, used: 20 })
        );
        assert_eq!(
            v1.check_use(d(2025, 12, 31), 0, 0),
            Err(RuleError::NotActive(d(2025, 12, 31)))
        );
    }

    #[test]
    fn per_month_items_score_once() {
        let mut v = cleanup_day();
        v.terms.unit = RuleUnit::PerMonth;
        v.terms.monthly_cap = None;
        assert!(v.check_use(d(2026, 3, 5), 0, 0).is_ok());
        assert_eq!(
            v.check_use(d(2026, 3, 6), 5, 1),
            Err(RuleError::OncePerMonth)
        );
    }

    #[test]
    fn terms_are_validated() {
        let mut t = cleanup_day().terms;
        t.points = 0;
        assert_eq!(t.validate(), Err(RuleError::ZeroPoints));
        t.points = -10;
        t.monthly_cap = Some(5);
        assert_eq!(t.validate(), Err(RuleError::BadCap));
        t.title = " ".into();
        assert_eq!(t.validate(), Err(RuleError::EmptyTitle));
    }
}
