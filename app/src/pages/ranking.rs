//! `/ranking` and the village page's ranking tab: the town ranking of villages.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::get_ranking;
use crate::components::feedback::{ErrorBox, Loading};

/// The town-wide ranking as a page.
#[component]
pub fn RankingPage() -> impl IntoView {
    view! {
        <Title text="村（社区）排名"/>
        <h1>"村（社区）积分排名"</h1>
        <p><a href="/coverage" data-testid="coverage-link">"各村积分制覆盖情况与考核指标 →"</a></p>
        <RankingTable/>
    }
}

/// The ranking table, by participation rate then points per household.
#[component]
pub fn RankingTable() -> impl IntoView {
    let ranking = Resource::new(|| (), |_| get_ranking());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match ranking.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(r) => view! {
                        <p class="note">{format!("{}，按参与率、户均积分排名", r.month_label)}</p>
                        <ol class="rank-list" data-testid="village-ranking">
                            {r.rows.into_iter().map(|row| view! {
                                <li class="rank-row">
                                    <span class=format!("rank rank-{}", row.rank.min(4))>{row.rank}</span>
                                    <a class="rank-name" href=format!("/village/{}/board", row.village_id)>{row.name}</a>
                                    <span class="rank-figures">
                                        <span>{format!("参与率 {}", row.participation_pct)}</span>
                                        <span>{format!("户均 {} 分", row.points_per_household)}</span>
                                        <span>{format!("在家 {} 户中 {} 户参与", row.resident_households, row.participating)}</span>
                                    </span>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
