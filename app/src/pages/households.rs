//! `/office/households`: the village's households (户籍管理): search by card
//! number, name or pinyin initials, filter by group and status, and open one
//! to edit; links to adding, importing and printing cards.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::households::{list_households, HouseholdRow, HouseholdStatus};
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::office::{OfficeShell, OfficeVillage};
use crate::domain::{GroupId, VillageId};

/// The households list page.
#[component]
pub fn HouseholdsPage() -> impl IntoView {
    view! {
        <Title text="农户管理"/>
        <OfficeShell title="农户管理" current="/office/households">
            {move || {
                let ov = expect_context::<OfficeVillage>();
                view! { <HouseholdList village=ov.id/> }
            }}
        </OfficeShell>
    }
}

/// Percentage text of `part` in `whole`.
fn percent(part: u64, whole: u64) -> String {
    match (part * 100).checked_div(whole) {
        Some(p) => format!("{p}%"),
        None => "—".into(),
    }
}

#[component]
fn HouseholdList(village: VillageId) -> impl IntoView {
    let ov = expect_context::<OfficeVillage>();
    let query = RwSignal::new(String::new());
    let searched = RwSignal::new(String::new());
    let group = RwSignal::new(None::<GroupId>);
    let status = RwSignal::new(HouseholdStatus::Current);
    let page = RwSignal::new(1u32);
    let list = Resource::new(
        move || (searched.get(), group.get(), status.get(), page.get()),
        move |(q, g, s, p)| list_households(Some(village), q, g, s, p),
    );
    view! {
        <section class="panel hh-panel">
            <div class="hh-actions">
                <a class="button button-primary" data-testid="hh-new" href=ov.link("/office/households/new")>"新增农户"</a>
                <a class="button" data-testid="hh-import" href=ov.link("/office/households/import")>"批量导入"</a>
                <a class="button" data-testid="hh-cards" href=ov.link("/office/households/cards")>"打印户卡"</a>
            </div>
            <form class="search-bar" on:submit=move |ev| { ev.prevent_default(); page.set(1); searched.set(query.get_untracked()); }>
                <input type="search" class="big-input" placeholder="户卡号 / 户主姓名 / 拼音首字母 / 地址" aria-label="查找农户"
                    data-testid="hh-search" prop:value=query on:input=move |ev| query.set(event_target_value(&ev))/>
                <button type="submit" class="button button-primary">"查找"</button>
            </form>
            <div class="filters hh-filters">
                <select class="group-select" aria-label="状态" data-testid="hh-status"
                    on:change=move |ev| { page.set(1); status.set(HouseholdStatus::parse(&event_target_value(&ev))); }>
                    {HouseholdStatus::ALL.iter().map(|(s, label)| view! {
                        <option value=s.as_str() selected=move || status.get() == *s>{*label}</option>
                    }).collect_view()}
                </select>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let groups = list.await.map(|l| l.groups).unwrap_or_default();
                        view! {
                            <select class="group-select" aria-label="组别" data-testid="hh-group"
                                on:change=move |ev| { page.set(1); group.set(event_target_value(&ev).parse().ok().map(GroupId)); }>
                                <option value="">"全部组"</option>
                                {groups.into_iter().map(|g| view! {
                                    <option value=g.id.0.to_string() selected=move || group.get() == Some(g.id)>{g.name}</option>
                                }).collect_view()}
                            </select>
                        }
                    })}
                </Transition>
            </div>
        </section>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(l) => {
                        let c = l.counts;
                        let (cur, pages, total) = (l.page, l.pages, l.total);
                        view! {
                            <div class="stat-row hh-stats" data-testid="hh-counts">
                                <div class="stat"><span class="stat-value">{c.current}</span><span class="stat-label">"在册农户"</span></div>
                                <div class="stat"><span class="stat-value">{c.resident}</span><span class="stat-label">"常住户"</span></div>
                                <div class="stat"><span class="stat-value">{percent(c.resident_aware, c.resident)}</span><span class="stat-label">"常住户知晓率"</span></div>
                            </div>
                            <p class="note" data-testid="hh-total">{format!("共 {total} 户，第 {cur}/{pages} 页")}</p>
                            {if l.rows.is_empty() {
                                view! { <p class="empty">"没有符合条件的农户"</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="hh-list" data-testid="hh-list">
                                        {l.rows.into_iter().map(|h| view! { <HouseholdItem h/> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <div class="hh-pager">
                                // Braced: a bare `>` in an attribute closes the tag.
                                <button type="button" class="button" data-testid="hh-prev" disabled=move || { cur <= 1 }
                                    on:click=move |_| page.set(cur.saturating_sub(1).max(1))>"上一页"</button>
                                <button type="button" class="button" data-testid="hh-next" disabled=move || { cur >= pages }
                                    on:click=move |_| page.set(cur + 1)>"下一页"</button>
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// One household in the list, linking to its edit page.
#[component]
fn HouseholdItem(h: HouseholdRow) -> impl IntoView {
    let ov = expect_context::<OfficeVillage>();
    let href = ov.link(&format!("/office/households/edit/{}", h.id));
    view! {
        <li>
            <a class="hh-row" class:moved=h.moved_away href=href data-testid="hh-row">
                <span class="hh-name">{h.head_name.clone()}</span>
                <span class="hh-meta">
                    {format!("卡号 {} · {} · {} 人", h.card_no, h.group_name, h.members)}
                </span>
                <span class="hh-address">{h.address.clone()}</span>
                <span class="hh-badges">
                    {h.moved_away.then(|| view! { <span class="badge badge-grey">"已迁出"</span> })}
                    {(!h.resident).then(|| view! { <span class="badge">"不常住"</span> })}
                    {(!h.aware).then(|| view! { <span class="badge badge-warn">"未知晓"</span> })}
                </span>
                <span class="hh-balance">{format!("{} 分", h.balance)}</span>
            </a>
        </li>
    }
}
