//! The monthly public ledger on the portal (积分公示): a village's list of
//! published months, and one month as posted, printable on A4.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::ledger::{published_month, published_months};
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::ledger::LedgerTables;
use crate::domain::VillageId;
use crate::error::AppError;

/// The village tab listing its published months, newest first.
#[component]
pub fn LedgerTab() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i32>().ok())
            .map(VillageId)
    });
    let months = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => published_months(id).await,
                None => Err(AppError::not_found("找不到该村（社区）")),
            }
        },
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match months.await {
                    Err(AppError::NotFound(_)) => ().into_any(),
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="empty">"本村尚未公示月度台账"</p> }.into_any(),
                    Ok(list) => {
                        let village = id.get_untracked().map(|v| v.0).unwrap_or_default();
                        view! {
                            <p class="note">"每月台账公示后即冻结，并附 SHA-256 校验码；之后的更正记入以后的月份。"</p>
                            <ul class="month-list" data-testid="published-months">
                                {list.into_iter().map(|m| view! {
                                    <li>
                                        <a class="month-card" href=format!("/ledger/{village}/{}", m.month)>
                                            <span class="month-label">{m.label.clone()}</span>
                                            <span class="month-meta">{format!("加分 {} · 扣分 {} · 兑换 {}", m.awarded, m.deducted, m.redeemed)}</span>
                                            <span class="month-meta">{format!("{} 公示 · 校验码 {}…", m.published_on, &m.digest[..12])}</span>
                                        </a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// `/ledger/:village/:month`: one published month, as frozen.
#[component]
pub fn LedgerPage() -> impl IntoView {
    let params = use_params_map();
    let key = Memo::new(move |_| {
        let p = params.read();
        let v = p.get("village").and_then(|s| s.parse::<i32>().ok());
        let m = p.get("month").and_then(|s| s.parse::<i32>().ok());
        v.zip(m)
    });
    let month = Resource::new(
        move || key.get(),
        |key| async move {
            match key {
                Some((v, m)) => published_month(VillageId(v), m).await,
                None => Err(AppError::not_found("找不到该月公示")),
            }
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match month.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(v) => {
                        let title = format!("{}{}积分公示", v.ledger.village, v.ledger.month_label());
                        let published = v.published.clone();
                        let export = format!("/export/ledger/{}/{}", v.village_id, v.ledger.month);
                        let back = format!("/village/{}/ledger", v.village_id);
                        let intact = v.intact;
                        view! {
                            <Title text=title.clone()/>
                            <article class="posting" data-testid="posting">
                                <header class="posting-head">
                                    <h1>{title}</h1>
                                    <p class="posting-sub">"积分台账和兑换台账按月公告公示"</p>
                                    {published.map(|p| view! {
                                        <p class="posting-meta">{format!("公示日期：{}　　公示单位：{}{}", p.published_on, v.ledger.village, if v.ledger.village.ends_with("社区") { "居民委员会" } else { "村民委员会" })}</p>
                                        <p class="posting-digest" data-testid="posting-digest">"SHA-256 校验码：" <code>{p.digest}</code></p>
                                    })}
                                    {(!intact).then(|| view! { <p class="form-error" role="alert">"警告：存档内容与校验码不符，请联系镇管理员"</p> })}
                                </header>
                                <div class="no-print action-row">
                                    <button type="button" class="button button-primary" data-testid="print"
                                        on:click=move |_| { let _ = window().print(); }>"打印（A4）"</button>
                                    <a class="button" href=export rel="external" download>"导出 Excel"</a>
                                    <a class="button" href=back>"全部公示月份"</a>
                                </div>
                                <LedgerTables view=v/>
                                <p class="posting-sign"><span>"公示单位（盖章）："</span><span>"监督人签字："</span></p>
                                <p class="posting-foot">"本月台账公示后已冻结，不再改动；如有更正，记入以后月份的台账。对公示内容有异议的，请向村积分管理员提出申诉。"</p>
                            </article>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
