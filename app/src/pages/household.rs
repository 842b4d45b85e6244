//! `/household/:card`: a household's public points record (公示).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::get_household;
use crate::api::types::EntryView;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::folded_list::FoldedList;

/// A household's balance, entries with reasons, and redemptions.
#[component]
pub fn HouseholdPage() -> impl IntoView {
    let params = use_params_map();
    let card = Memo::new(move |_| params.read().get("card").unwrap_or_default());
    let record = Resource::new(move || card.get(), get_household);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match record.await {
                    Err(e) => view! { <Title text="查询失败"/><ErrorBox err=e/> }.into_any(),
                    Ok(h) => view! {
                        <Title text=format!("{}户积分", h.head_name)/>
                        <section class="balance-card">
                            <h1 class="balance-who"><span data-testid="head-name">{h.head_name.clone()}</span>" 户"</h1>
                            <p class="balance-where">{format!("{}{} · 卡号 {}", h.village_name, h.group_name, h.card_no)}</p>
                            <p class="balance-label">"可用积分"</p>
                            <p class="balance-value" data-testid="balance">{h.balance}</p>
                            <p class="balance-sub">{format!("累计获得 {} 分 · 已兑换 {} 分", h.earned_total, h.redeemed_total)}</p>
                        </section>
                        <h2>"积分明细"</h2>
                        {h.entries.is_empty().then(|| view! { <p class="empty">"暂无积分记录"</p> })}
                        <FoldedList items=h.entries class="entry-list" testid="entries" render=|e: EntryView| {
                                let plus = e.points > 0;
                                view! {
                                    <li class="entry" class:reversed=e.reversed>
                                        <div class="entry-main">
                                            <span class="entry-item">{e.item}</span>
                                            <span class="entry-reason">{e.reason}</span>
                                            <span class="entry-date">
                                                {e.occurred_on}
                                                {e.reversed.then_some(" · 已冲正")}
                                            </span>
                                        </div>
                                        <span class=if plus { "points points-plus" } else { "points points-minus" }>
                                            {if plus { format!("+{}", e.points) } else { format!("−{}", -e.points) }}
                                        </span>
                                    </li>
                                }
                            }/>
                        <h2>"兑换记录"</h2>
                        {h.redemptions.is_empty().then(|| view! { <p class="empty">"暂无兑换记录"</p> })}
                        <ul class="entry-list">
                            {h.redemptions.into_iter().map(|r| view! {
                                <li class="entry">
                                    <div class="entry-main">
                                        <span class="entry-item">{r.items}</span>
                                        <span class="entry-date">{format!("{} · 单号 {}", r.date, r.receipt_no)}</span>
                                    </div>
                                    <span class="points points-minus">{format!("−{}", r.total)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
