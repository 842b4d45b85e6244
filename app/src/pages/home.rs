//! `/`: the town home, listing the villages taking part.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::get_town;
use crate::components::feedback::{ErrorBox, Loading};

/// The town home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_town());
    view! {
        <Title text=""/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(t) => view! {
                        <section class="hero">
                            <h1>{format!("{}乡村治理“积分制”", t.town_name)}</h1>
                            <p class="hero-sub">"亮积分 · 比积分 · 兑积分"</p>
                            <div class="stat-row">
                                <div class="stat"><span class="stat-value">{t.villages.len()}</span><span class="stat-label">"参与村（社区）"</span></div>
                                <div class="stat"><span class="stat-value">{t.total_households}</span><span class="stat-label">"参与农户"</span></div>
                                <div class="stat"><span class="stat-value">{t.total_points_this_month}</span><span class="stat-label">{format!("{}发放积分", t.month_label)}</span></div>
                            </div>
                            <a class="button button-primary search-cta" href="/search">"查我家积分"</a>
                            <a class="button search-cta" href="/notices" data-testid="home-notices">"村务公示"</a>
                        </section>
                        <h2>"参与村（社区）"</h2>
                        <ul class="village-list" data-testid="village-list">
                            {t.villages.into_iter().map(|v| view! {
                                <li class="village-card">
                                    <a href=format!("/village/{}", v.id)>
                                        <span class="village-name">{v.name}</span>
                                        <span class="village-meta">{format!("{} 户", v.households)}</span>
                                        <span class="village-points">{format!("本月 +{}", v.points_this_month)}</span>
                                    </a>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
