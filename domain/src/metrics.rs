//! Leaderboards and village rankings (亮积分、比积分).

use serde::{Deserialize, Serialize};

/// The period a leaderboard covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Period {
    /// 本月
    #[default]
    Month,
    /// 本年
    Year,
    /// 累计
    AllTime,
}

impl Period {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Month => "本月",
            Self::Year => "本年",
            Self::AllTime => "累计",
        }
    }

    /// Stable text for URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Year => "year",
            Self::AllTime => "all",
        }
    }

    /// Parses URL text; anything unknown is the month.
    pub fn parse(s: &str) -> Self {
        match s {
            "year" => Self::Year,
            "all" => Self::AllTime,
            _ => Self::Month,
        }
    }
}

/// Competition ranking ("1224"): equal scores share a rank, the next rank
/// skips. `scores` must already be sorted from best to worst.
pub fn competition_ranks<T: PartialEq>(scores: &[T]) -> Vec<u32> {
    let mut ranks = Vec::with_capacity(scores.len());
    for (i, s) in scores.iter().enumerate() {
        if i > 0 && scores[i - 1] == *s {
            ranks.push(ranks[i - 1]);
        } else {
            ranks.push(i as u32 + 1);
        }
    }
    ranks
}

/// One village's month, as the town ranking needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VillageMonth {
    pub households: i64,
    pub resident_households: i64,
    /// Resident households with at least one approved entry this month.
    pub participating: i64,
    pub points_awarded: i64,
}

impl VillageMonth {
    /// Participation rate in per mille of resident households (0..=1000).
    pub fn participation_permille(&self) -> i64 {
        if self.resident_households == 0 {
            0
        } else {
            (self.participating * 1000 / self.resident_households).min(1000)
        }
    }

    /// Sort key for the town ranking: participation first, then points per
    /// household, so a large village cannot win by size alone.
    pub fn ranking_key(&self) -> (i64, i64) {
        let per_household = if self.households == 0 {
            0
        } else {
            self.points_awarded * 100 / self.households
        };
        (self.participation_permille(), per_household)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_a_rank() {
        assert_eq!(competition_ranks(&[30, 20, 20, 10]), vec![1, 2, 2, 4]);
        assert_eq!(competition_ranks::<i64>(&[]), Vec::<u32>::new());
        assert_eq!(competition_ranks(&[(9, 1), (9, 1), (9, 0)]), vec![1, 1, 3]);
        assert_eq!(competition_ranks(&[5, 5, 5]), vec![1, 1, 1]);
    }

    #[test]
    fn participation_rate_is_bounded_and_safe_on_empty_villages() {
        let m = VillageMonth {
            households: 10,
            resident_households: 8,
            participating: 6,
            points_awarded: 50,
        };
        assert_eq!(m.participation_permille(), 750);
        let empty = VillageMonth {
            households: 0,
            resident_households: 0,
            participating: 0,
            points_awarded: 0,
        };
        assert_eq!(empty.participation_permille(), 0);
        assert_eq!(empty.ranking_key(), (0, 0));
    }

    #[test]
    fn ranking_prefers_participation_over_size() {
        let small = VillageMonth {
            households: 40,
            resident_households: 40,
            participating: 36,
            points_awarded: 200,
        };
        let big = VillageMonth {
            households: 120,
            resident_households: 120,
            participating: 60,
            points_awarded: 900,
        };
        assert!(small.ranking_key() > big.ranking_key());
    }

    #[test]
    fn period_parses_from_urls() {
        assert_eq!(Period::parse("year"), Period::Year);
        assert_eq!(Period::parse("all"), Period::AllTime);
        assert_eq!(Period::parse("bogus"), Period::Month);
    }
}
