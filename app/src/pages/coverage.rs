//! `/coverage`: the public coverage figures and the town ranking of villages
//! on the plan's online statistics (覆盖率与线上统计排名), open to all.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::dashboard::public_coverage;
use crate::components::dashboard::{
    IndicatorCharts, IndicatorTable, OnlineRanking, Span, SpanPicker, TownSummary,
};
use crate::components::feedback::{ErrorBox, Loading};

/// The public page.
#[component]
pub fn CoveragePage() -> impl IntoView {
    let query = use_query_map();
    let year = Memo::new(move |_| query.read().get("y").and_then(|y| y.parse().ok()));
    let m = Memo::new(move |_| query.read().get("m"));
    let town = Resource::new(move || year.get(), public_coverage);
    view! {
        <Title text="各村积分制覆盖情况"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match town.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(t) => {
                        let span = Span::parse(m.get().as_deref(), &t);
                        view! {
                            <div class="dash" data-testid="coverage">
                                <h1>{format!("各村积分制覆盖情况 · {}", span.label(t.year))}</h1>
                                <p class="note">"由平台数据自动统计，每户每月是否参与、是否兑换、活动场次和参与人次均可追溯到公开的积分台账。"</p>
                                <SpanPicker town=t.clone() span base="/coverage".into()/>
                                <TownSummary town=t.clone() span/>
                                <h2>"线上统计排名（参与人次、活动场次）"</h2>
                                <OnlineRanking town=t.clone() span/>
                                <h2>"各村指标"</h2>
                                <IndicatorTable town=t.clone() span scores=false link=Some(public_link)/>
                                <h2>"指标图表"</h2>
                                <div class="chart-grid">
                                    <IndicatorCharts town=t span scores=false/>
                                </div>
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn public_link(id: i32) -> String {
    format!("/village/{id}")
}
