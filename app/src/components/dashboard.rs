//! The town dashboard's pieces, shared by the town admin's page, a village's
//! own page and the public coverage page: the period picker, the indicator
//! table, the ranking on the online statistics, and one server-rendered SVG
//! bar chart per indicator (plain shapes and printed values, so it prints).

use leptos::prelude::*;

use crate::api::dashboard::TownYear;
use crate::domain::evaluation::{online_key, permille, Indicator, MonthFacts};
use crate::domain::metrics::competition_ranks;
pub use wire::dashboard::{cell, span_facts, Cell, Span, SpanFacts};

fn verdict_class(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "ind met",
        Some(false) => "ind unmet",
        None => "ind unknown",
    }
}

fn verdict_mark(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "✓ 达标",
        Some(false) => "✗ 未达标",
        None => "",
    }
}

/// Month chips and 全年累计, as plain links (they work before hydration).
#[component]
pub fn SpanPicker(town: TownYear, span: Span, base: String) -> impl IntoView {
    let year = town.year;
    let chip = move |s: Span, text: String| {
        let current = (s == span).then_some("page");
        view! {
            <a class="span-chip" aria-current=current href=format!("{base}?y={year}&m={}", s.query())>{text}</a>
        }
    };
    view! {
        <nav class="span-picker no-print" aria-label="统计期间">
            {town.months.iter().rev().map(|m| chip(Span::Month(*m), format!("{}月", m % 100))).collect_view()}
            {chip(Span::Year, "全年累计".into())}
        </nav>
    }
}

/// The town's totals over the span: coverage and the headline rates.
#[component]
pub fn TownSummary(town: TownYear, span: Span) -> impl IntoView {
    let all: Vec<SpanFacts> = town
        .villages
        .iter()
        .map(|v| span_facts(&town, v, span))
        .collect();
    let sum = |f: fn(&MonthFacts) -> u32| all.iter().map(|s| f(&s.facts)).sum::<u32>();
    let resident = sum(|f| f.resident);
    let covered = all.iter().filter(|s| s.facts.participating > 0).count();
    let stats = vec![
        (
            "覆盖村（社区）".to_string(),
            format!("{covered}/{}", all.len()),
        ),
        ("常住户".into(), resident.to_string()),
        (
            "参与户占比".into(),
            crate::domain::evaluation::percent_text(permille(sum(|f| f.participating), resident)),
        ),
        (
            "兑换户占比".into(),
            crate::domain::evaluation::percent_text(permille(sum(|f| f.redeeming), resident)),
        ),
        ("积分活动".into(), format!("{} 场", sum(|f| f.activities))),
        ("参与人次".into(), sum(|f| f.person_times).to_string()),
    ];
    view! {
        <div class="stat-row dash-stats" data-testid="town-summary">
            {stats.into_iter().map(|(label, value)| view! {
                <div class="stat"><span class="stat-value">{value}</span><span class="stat-label">{label}</span></div>
            }).collect_view()}
        </div>
    }
}

/// Every village against every indicator over the span.
#[component]
pub fn IndicatorTable(
    town: TownYear,
    span: Span,
    /// Show the living-environment scores (not on the public page).
    scores: bool,
    /// Where a village's name links to, given its id; none for no link.
    link: Option<fn(i32) -> String>,
) -> impl IntoView {
    let indicators: Vec<Indicator> = Indicator::ALL
        .into_iter()
        .filter(|i| scores || *i != Indicator::LivingEnvironment)
        .collect();
    let heads = indicators.clone();
    let rows = town
        .villages
        .iter()
        .map(|v| {
            let s = span_facts(&town, v, span);
            let name = v.name.clone();
            let tag = v.name.clone();
            let id = v.village.0;
            let (on_time, late, missing) = s.postings;
            let posting = match span {
                Span::Month(m) => town
                    .month_index(m)
                    .and_then(|i| v.months.get(i))
                    .map(|r| r.posting),
                Span::Year => None,
            };
            let cells = indicators
                .iter()
                .map(|i| {
                    let c = cell(*i, &s);
                    view! {
                        <td class=verdict_class(c.met) data-indicator=i.label()>
                            <span class="ind-value">{c.value}</span>
                            <span class="ind-mark">{verdict_mark(c.met)}</span>
                            <span class="ind-detail">{c.detail}</span>
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr data-village=tag>
                    <th scope="row">
                        {match link {
                            Some(f) => view! { <a href=f(id)>{name}</a> }.into_any(),
                            None => view! { <span>{name}</span> }.into_any(),
                        }}
                    </th>
                    {cells}
                    <td class="num">{s.awarded}</td>
                    <td class="num">{s.redeemed}</td>
                    <td class={ if missing + late > 0 { "posting late" } else { "posting" } }>
                        {match posting {
                            Some(p) => p.label().to_string(),
                            None => format!("按时 {on_time} · 逾期 {late} · 未公示 {missing}"),
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="表格，可左右滑动">
            <table class="ledger-table dash-table" data-testid="indicator-table">
                <thead>
                    <tr>
                        <th>"村（社区）"</th>
                        {heads.iter().map(|i| view! {
                            <th>{i.label()}<br/><small>{i.target()}</small></th>
                        }).collect_view()}
                        <th>"发放积分"</th>
                        <th>"兑换积分"</th>
                        <th>"月度公示"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The town ranking on the plan's online statistics: person-times, then
/// activities held (三(三)(5)).
#[component]
pub fn OnlineRanking(town: TownYear, span: Span) -> impl IntoView {
    let mut rows: Vec<(String, MonthFacts)> = town
        .villages
        .iter()
        .map(|v| (v.name.clone(), span_facts(&town, v, span).facts))
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(online_key(&r.1)));
    let ranks = competition_ranks(&rows.iter().map(|r| online_key(&r.1)).collect::<Vec<_>>());
    view! {
        <ol class="rank-list" data-testid="online-ranking">
            {rows.into_iter().zip(ranks).map(|((name, f), rank)| view! {
                <li class="rank-row">
                    <span class=format!("rank rank-{}", rank.min(4))>{rank}</span>
                    <span class="rank-name">{name}</span>
                    <span class="rank-figures">
                        <span>{format!("参与 {} 人次", f.person_times)}</span>
                        <span>{format!("活动 {} 场", f.activities)}</span>
                    </span>
                </li>
            }).collect_view()}
        </ol>
    }
}

/// One horizontal bar chart per indicator, villages down the side, the
/// plan's target as a dashed line.
#[component]
pub fn IndicatorCharts(town: TownYear, span: Span, scores: bool) -> impl IntoView {
    let facts: Vec<(String, SpanFacts)> = town
        .villages
        .iter()
        .map(|v| (v.name.clone(), span_facts(&town, v, span)))
        .collect();
    let several = matches!(span, Span::Year) && town.months.len() > 1;
    Indicator::ALL
        .into_iter()
        .filter(|i| scores || *i != Indicator::LivingEnvironment)
        .map(|ind| {
            let bars: Vec<(String, Cell)> = facts
                .iter()
                .map(|(name, s)| (name.clone(), cell(ind, s)))
                .collect();
            let (target, unit) = match ind {
                Indicator::Participation | Indicator::Redemption | Indicator::Awareness => {
                    (100.0, "%")
                }
                Indicator::Activities => (2.0, if several { "场/月" } else { "场" }),
                Indicator::PersonTimes => (20.0, if several { "人次/月" } else { "人次" }),
                Indicator::GoodsKinds => (10.0, "种"),
                Indicator::LivingEnvironment => (90.0, "分"),
            };
            view! { <BarChart title=ind.label() target unit bars/> }
        })
        .collect_view()
}

const CHART_W: f64 = 640.0;
const LABEL_W: f64 = 124.0;
const VALUE_W: f64 = 96.0;
const BAR_H: f64 = 24.0;
const ROW_H: f64 = 32.0;

/// A horizontal bar chart in SVG.
#[component]
fn BarChart(
    title: &'static str,
    target: f64,
    unit: &'static str,
    bars: Vec<(String, Cell)>,
) -> impl IntoView {
    let max = bars.iter().map(|b| b.1.number).fold(target * 1.1, f64::max);
    let plot = CHART_W - LABEL_W - VALUE_W;
    let x = move |v: f64| LABEL_W + plot * (v / max);
    let height = 36.0 + ROW_H * bars.len() as f64;
    let target_x = x(target);
    view! {
        <figure class="chart" data-testid="indicator-chart" data-title=title>
            <figcaption>{format!("{title}（目标 {target} {unit}，虚线）")}</figcaption>
            <svg viewBox=format!("0 0 {CHART_W} {height}") role="img" aria-label=title xmlns="http://www.w3.org/2000/svg">
                {bars.into_iter().enumerate().map(|(i, (name, c))| {
                    let y = 8.0 + ROW_H * i as f64;
                    let class = match c.met {
                        Some(true) => "bar bar-met",
                        Some(false) => "bar bar-unmet",
                        None => "bar bar-unknown",
                    };
                    let shown = if c.met.is_none() && c.number == 0.0 { c.value.clone() } else { format!("{:.1}", c.number).trim_end_matches(".0").to_string() };
                    view! {
                        <text x=LABEL_W - 8.0 y=y + 19.0 text-anchor="end" class="chart-label">{name}</text>
                        <rect x=LABEL_W y=y width=(x(c.number) - LABEL_W).max(0.0) height=BAR_H class=class/>
                        <text x=x(c.number) + 6.0 y=y + 19.0 class="chart-value">
                            {format!("{shown} {}", if c.met == Some(false) { "✗" } else if c.met == Some(true) { "✓" } else { "" })}
                        </text>
                    }
                }).collect_view()}
                <line x1=target_x x2=target_x y1=2.0 y2=height - 20.0 class="chart-target"/>
                <text x=target_x y=height - 4.0 text-anchor="middle" class="chart-axis">{format!("{target}")}</text>
            </svg>
        </figure>
    }
}
