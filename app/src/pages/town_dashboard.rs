//! `/town/dashboard` (the town admin's indicators of every village) and
//! `/town/dashboard/:village` (one village month by month; its village
//! admin may read it too).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::dashboard::{town_dashboard, village_dashboard, TownYear};
use crate::components::dashboard::{
    cell, span_facts, IndicatorCharts, IndicatorTable, OnlineRanking, Span, SpanPicker, TownSummary,
};
use crate::components::feedback::{ErrorBox, Loading};
use crate::domain::evaluation::Indicator;
use crate::domain::time::month_label;
use crate::domain::VillageId;

/// The asked year from `?y=`.
fn asked_year() -> Memo<Option<i32>> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("y").and_then(|y| y.parse().ok()))
}

/// The asked span from `?m=`.
fn asked_span() -> Memo<Option<String>> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("m"))
}

/// The town admin's dashboard.
#[component]
pub fn TownDashboardPage() -> impl IntoView {
    let year = asked_year();
    let m = asked_span();
    let town = Resource::new(move || year.get(), town_dashboard);
    view! {
        <Title text="各村考核指标"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match town.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(t) => {
                        let span = Span::parse(m.get().as_deref(), &t);
                        view! { <TownDashboard town=t span/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn TownDashboard(town: TownYear, span: Span) -> impl IntoView {
    let year = town.year;
    view! {
        <div class="dash" data-testid="town-dashboard">
            <div class="dash-head">
                <h1>{format!("各村考核指标 · {}", span.label(year))}</h1>
                <div class="dash-actions no-print">
                    <a class="button" href=format!("/export/dashboard/{year}") data-testid="dashboard-export" download>"导出 Excel"</a>
                    <button class="button" on:click=|_| { let _ = window().print(); }>"打印"</button>
                    <a class="button" href="/town">"返回工作台"</a>
                </div>
            </div>
            <p class="note">"全部由平台数据自动统计：参与户指当月有有效积分记录（已冲正的不算）的常住户，兑换户指当月在积分超市兑换过的常住户；当月迁出的农户不计入当月。在售商品种类按月末库存计算（本月按当前库存）。月度公示在次月底前发布为按时。"</p>
            <SpanPicker town=town.clone() span base="/town/dashboard".into()/>
            <TownSummary town=town.clone() span/>
            <h2>"各村指标对照"</h2>
            <IndicatorTable town=town.clone() span scores=true link=Some(village_link)/>
            <h2>"线上统计排名（参与人次、活动场次）"</h2>
            <OnlineRanking town=town.clone() span/>
            <h2>"指标图表"</h2>
            <div class="chart-grid">
                <IndicatorCharts town span scores=true/>
            </div>
        </div>
    }
}

fn village_link(id: i32) -> String {
    format!("/town/dashboard/{id}")
}

/// One village's months (town admin, or the village's own admin).
#[component]
pub fn VillageDashboardPage() -> impl IntoView {
    let params = use_params_map();
    let village = Memo::new(move |_| {
        params
            .read()
            .get("village")
            .and_then(|v| v.parse().ok())
            .map(VillageId)
    });
    let year = asked_year();
    let town = Resource::new(
        move || (village.get(), year.get()),
        |(v, y)| async move {
            match v {
                Some(v) => village_dashboard(v, y).await,
                None => Err(crate::error::AppError::not_found("找不到该村")),
            }
        },
    );
    view! {
        <Title text="本村考核指标"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match town.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(t) => view! { <VillageMonths town=t/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn VillageMonths(town: TownYear) -> impl IntoView {
    let Some(v) = town.villages.first().cloned() else {
        return view! { <p class="empty">"暂无数据"</p> }.into_any();
    };
    let spans: Vec<Span> = town
        .months
        .iter()
        .rev()
        .map(|m| Span::Month(*m))
        .chain([Span::Year])
        .collect();
    let rows = spans
        .into_iter()
        .map(|span| {
            let s = span_facts(&town, &v, span);
            let label = match span {
                Span::Month(m) => month_label(m),
                Span::Year => "全年累计".into(),
            };
            view! {
                <tr class={ if span == Span::Year { "year-row" } else { "" } }>
                    <th scope="row">{label}</th>
                    {Indicator::ALL.into_iter().map(|i| {
                        let c = cell(i, &s);
                        view! {
                            <td class={ match c.met { Some(true) => "ind met", Some(false) => "ind unmet", None => "ind unknown" } } data-indicator=i.label()>
                                <span class="ind-value">{c.value}</span>
                                <span class="ind-detail">{c.detail}</span>
                            </td>
                        }
                    }).collect_view()}
                    <td class="num">{s.awarded}</td>
                    <td class="num">{s.redeemed}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="dash" data-testid="village-dashboard">
            <h1>{format!("{} · {}年考核指标", v.name, town.year)}</h1>
            <p class="note no-print">
                <a href="/town/dashboard">"← 各村指标"</a>
                " · 只读，全部由平台数据自动统计"
            </p>
            <div class="table-scroll" tabindex="0" role="region" aria-label="表格，可左右滑动">
                <table class="ledger-table dash-table">
                    <thead>
                        <tr>
                            <th>"月份"</th>
                            {Indicator::ALL.into_iter().map(|i| view! {
                                <th>{i.label()}<br/><small>{i.target()}</small></th>
                            }).collect_view()}
                            <th>"发放积分"</th>
                            <th>"兑换积分"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
    .into_any()
}
