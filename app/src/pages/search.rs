//! `/search`: find a household by card number, head's name or pinyin initials.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::search_households;
use crate::components::feedback::{ErrorBox, Loading};

/// The public household search.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let hits = Resource::new(
        move || q.get(),
        |q| async move {
            if q.trim().is_empty() {
                Ok(None)
            } else {
                search_households(q).await.map(Some)
            }
        },
    );
    view! {
        <Title text="查积分"/>
        <h1>"查询农户积分"</h1>
        <Form method="GET" action="">
            <div class="search-bar">
                <input type="search" name="q" class="big-input" placeholder="户卡号 / 户主姓名 / 拼音首字母"
                    aria-label="户卡号或户主姓名" data-testid="search-input" prop:value=move || q.get()/>
                <button type="submit" class="button button-primary" data-testid="search-submit">"查询"</button>
            </div>
        </Form>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match hits.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(None) => view! { <p class="note">"输入户卡上的号码，或户主姓名（如“张三”，也可输入拼音首字母“zs”）。"</p> }.into_any(),
                    Ok(Some(list)) if list.is_empty() => view! { <p class="empty" data-testid="no-hits">"没有找到符合条件的农户"</p> }.into_any(),
                    Ok(Some(list)) => view! {
                        <ul class="hit-list" data-testid="hits">
                            {list.into_iter().map(|h| view! {
                                <li>
                                    <a class="hit" href=format!("/household/{}", h.card_no)>
                                        <span class="hit-name">{h.head_name}</span>
                                        <span class="hit-meta">{format!("{}{} · 卡号 {}", h.village_name, h.group_name, h.card_no)}</span>
                                        <span class="hit-balance">{format!("{} 分", h.balance)}</span>
                                    </a>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
