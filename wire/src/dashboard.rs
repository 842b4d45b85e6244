//! What crosses the network for the town dashboard (各村考核指标): the town admin's
//! whole view, a village admin's own village, and the public coverage page
//! (覆盖率与排名) without the town's living-environment scores.

use domain::evaluation::{months_met, permille, Indicator};
use domain::evaluation::{MonthFacts, Posting};
use domain::time::month_label;
use domain::VillageId;
use serde::{Deserialize, Serialize};

/// Every village taking part, month by month through a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TownYear {
    pub year: i32,
    /// The months shown (yyyymm), January first.
    pub months: Vec<i32>,
    /// This month (yyyymm), whose goods count is known.
    pub current_month: i32,
    pub villages: Vec<VillageYear>,
}

/// One village's year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VillageYear {
    pub village: VillageId,
    pub name: String,
    /// One row per month of [`TownYear::months`], in the same order.
    pub months: Vec<VillageMonthRow>,
    /// The year so far: households counted once (those still resident at
    /// the end), activities and person-times summed, the mean score.
    pub year: MonthFacts,
    /// Points issued (awards), deducted and redeemed in the year.
    pub awarded: i64,
    pub deducted: i64,
    pub redeemed: i64,
}

/// One village's month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VillageMonthRow {
    pub month: i32,
    /// The village had started the scheme on the platform (its first month
    /// with points data is this one or earlier); months before are not
    /// judged.
    pub started: bool,
    pub facts: MonthFacts,
    pub awarded: i64,
    pub deducted: i64,
    pub redeemed: i64,
    /// Whether the month's ledger was posted (积分公示), and in time.
    pub posting: Posting,
}

impl TownYear {
    /// The index of `month` in [`Self::months`].
    pub fn month_index(&self, month: i32) -> Option<usize> {
        self.months.iter().position(|m| *m == month)
    }
}

/// Which part of the year the dashboard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// One month (yyyymm).
    Month(i32),
    /// January to now (全年累计).
    Year,
}

impl Span {
    /// From the `m` query value: a month key, `year`, or nothing (this
    /// month when shown, else the last month of the year).
    pub fn parse(m: Option<&str>, town: &TownYear) -> Self {
        match m {
            Some("year") => Self::Year,
            Some(m) => m
                .parse::<i32>()
                .ok()
                .filter(|m| town.month_index(*m).is_some())
                .map(Self::Month)
                .unwrap_or_else(|| Self::latest(town)),
            None => Self::latest(town),
        }
    }

    fn latest(town: &TownYear) -> Self {
        town.months.last().copied().map_or(Self::Year, Self::Month)
    }

    /// "2026年11月" or "2026年全年累计".
    pub fn label(self, year: i32) -> String {
        match self {
            Self::Month(m) => month_label(m),
            Self::Year => format!("{year}年累计（1月至今）"),
        }
    }

    /// The `m` query value that picks this span.
    pub fn query(self) -> String {
        match self {
            Self::Month(m) => m.to_string(),
            Self::Year => "year".into(),
        }
    }
}

/// A village's figures over the span.
#[derive(Debug, Clone)]
pub struct SpanFacts {
    pub facts: MonthFacts,
    /// The months of the span, to judge monthly targets month by month.
    pub months: Vec<MonthFacts>,
    pub awarded: i64,
    pub redeemed: i64,
    /// Postings: (on time, late, missing) months.
    pub postings: (u32, u32, u32),
}

/// The village's facts for the span.
pub fn span_facts(town: &TownYear, v: &VillageYear, span: Span) -> SpanFacts {
    use domain::evaluation::Posting;
    let rows: Vec<_> = match span {
        Span::Month(m) => town
            .month_index(m)
            .and_then(|i| v.months.get(i))
            .into_iter()
            .collect(),
        Span::Year => v.months.iter().collect(),
    };
    // Months before the village started are not judged.
    let rows: Vec<_> = rows.into_iter().filter(|r| r.started).collect();
    let count = |p: Posting| rows.iter().filter(|r| r.posting == p).count() as u32;
    SpanFacts {
        facts: match span {
            Span::Month(_) => rows.first().map(|r| r.facts).unwrap_or_default(),
            Span::Year => v.year,
        },
        months: rows.iter().map(|r| r.facts).collect(),
        awarded: rows.iter().map(|r| r.awarded).sum(),
        redeemed: rows.iter().map(|r| r.redeemed).sum(),
        postings: (
            count(Posting::OnTime),
            count(Posting::Late),
            count(Posting::Missing),
        ),
    }
}

/// One indicator's cell: the figure, a detail line, and the verdict.
pub struct Cell {
    pub value: String,
    pub detail: String,
    pub met: Option<bool>,
    /// The figure as a number, for the charts.
    pub number: f64,
}

/// Judges one indicator over a span. Monthly targets (activities,
/// person-times) over several months are met when every month met them.
pub fn cell(ind: Indicator, s: &SpanFacts) -> Cell {
    let f = &s.facts;
    if s.months.is_empty() {
        return Cell {
            value: "未启用".into(),
            detail: String::new(),
            met: None,
            number: 0.0,
        };
    }
    let several = s.months.len() > 1;
    let rate = |part: u32| {
        let p = permille(part, f.resident);
        Cell {
            value: domain::evaluation::percent_text(p),
            detail: format!("{}/{} 户", part.min(f.resident), f.resident),
            met: ind.met(f),
            number: f64::from(p) / 10.0,
        }
    };
    let monthly = |n: u32, unit: &str| {
        if several {
            let (met, judged) = months_met(ind, &s.months);
            Cell {
                value: format!("{n} {unit}"),
                detail: format!("{met}/{judged} 个月达标"),
                met: (judged > 0).then_some(met == judged),
                number: f64::from(n) / f64::from(judged.max(1)),
            }
        } else {
            Cell {
                value: format!("{n} {unit}"),
                detail: String::new(),
                met: ind.met(f),
                number: f64::from(n),
            }
        }
    };
    match ind {
        Indicator::Participation => rate(f.participating),
        Indicator::Redemption => rate(f.redeeming),
        Indicator::Awareness => rate(f.aware),
        Indicator::Activities => monthly(f.activities, "场"),
        Indicator::PersonTimes => monthly(f.person_times, "人次"),
        // A standing condition: the count at the end of the span, and over
        // several months, how many months ended with enough on the shelves.
        Indicator::GoodsKinds => match f.goods_kinds {
            Some(k) if several => {
                let (met, judged) = months_met(ind, &s.months);
                Cell {
                    value: format!("{k} 种"),
                    detail: format!("{met}/{judged} 个月达标"),
                    met: (judged > 0).then_some(met == judged),
                    number: f64::from(k),
                }
            }
            Some(k) => Cell {
                value: format!("{k} 种"),
                detail: "月末在售".into(),
                met: ind.met(f),
                number: f64::from(k),
            },
            None => Cell {
                value: "—".into(),
                detail: String::new(),
                met: None,
                number: 0.0,
            },
        },
        Indicator::LivingEnvironment => match f.living_score_tenths {
            Some(t) => Cell {
                value: format!("{}.{}", t / 10, t % 10),
                detail: if several {
                    "月均分".into()
                } else {
                    String::new()
                },
                met: ind.met(f),
                number: f64::from(t) / 10.0,
            },
            None => Cell {
                value: "未评".into(),
                detail: String::new(),
                met: None,
                number: 0.0,
            },
        },
    }
}
