//! Village notices (村务公示) on the portal: a village's tab, the town-wide
//! list `/notices`, and one notice `/notice/:id`, printable on A4.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::get_town;
use crate::api::notice::{
    get_notice, town_notices, village_notices, NoticeFileView, NoticeSummary,
};
use crate::components::feedback::{ErrorBox, Loading};
use crate::domain::notice::CATEGORIES;
use crate::domain::{NoticeId, VillageId};
use crate::error::AppError;

/// The category filter: 全部 or one of the categories.
#[component]
fn CategorySelect(category: RwSignal<String>) -> impl IntoView {
    view! {
        <select class="group-select" aria-label="公示类别" data-testid="notice-filter-category"
            on:change=move |ev| category.set(event_target_value(&ev))>
            <option value="" selected=move || category.with(String::is_empty)>"全部类别"</option>
            {CATEGORIES.iter().map(|c| view! {
                <option value=*c selected=move || category.with(|x| x == c)>{*c}</option>
            }).collect_view()}
        </select>
    }
}

/// A list of notices; `with_village` names each one's village (town list).
#[component]
pub fn NoticeList(list: Vec<NoticeSummary>, with_village: bool) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="empty" data-testid="notice-empty">"暂无公示"</p> }.into_any();
    }
    view! {
        <ul class="notice-list" data-testid="notice-list">
            {list.into_iter().map(|n| view! {
                <li>
                    <a class="notice-row" class:pinned=n.pinned href=format!("/notice/{}", n.id) data-id=n.id.to_string()>
                        <span class="notice-row-title">
                            {n.pinned.then(|| view! { <span class="notice-pin">"置顶"</span> })}
                            {n.title.clone()}
                        </span>
                        <span class="notice-row-meta">
                            <span class=format!("notice-cat notice-cat-{}", category_class(&n.category))>{n.category.clone()}</span>
                            {with_village.then(|| view! { <span class="notice-row-village">{n.village_name.clone()}</span> })}
                            <span>{n.publish_at.get(..10).unwrap_or(&n.publish_at).to_string()}</span>
                            {(n.files > 0).then(|| view! { <span>{format!("附件 {}", n.files)}</span> })}
                            {(n.versions > 1).then(|| view! { <span>"有修改"</span> })}
                        </span>
                    </a>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A stable class name per category, for its colour.
pub fn category_class(category: &str) -> &'static str {
    match category {
        "党务公开" => "party",
        "村务公开" => "village",
        "财务公开" => "finance",
        "积分公示" => "points",
        _ => "other",
    }
}

/// `/village/:id/notices`: the village's 公示 tab.
#[component]
pub fn VillageNoticesTab() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i32>().ok())
            .map(VillageId)
    });
    let category = RwSignal::new(String::new());
    let list = Resource::new(
        move || (id.get(), category.get()),
        |(id, category)| async move {
            match id {
                Some(id) => village_notices(id, (!category.is_empty()).then_some(category)).await,
                None => Err(AppError::not_found("找不到该村（社区）")),
            }
        },
    );
    view! {
        <div class="filters">
            <CategorySelect category/>
        </div>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    // An unknown village is already explained by the header.
                    Err(AppError::NotFound(_)) => ().into_any(),
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(list) => view! { <NoticeList list with_village=false/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/notices`: every village's notices, with village and category filters.
#[component]
pub fn TownNoticesPage() -> impl IntoView {
    let town = Resource::new(|| (), |_| get_town());
    let village = RwSignal::new(None::<VillageId>);
    let category = RwSignal::new(String::new());
    let list = Resource::new(
        move || (village.get(), category.get()),
        |(village, category)| town_notices(village, (!category.is_empty()).then_some(category)),
    );
    view! {
        <Title text="村务公示"/>
        <h1>"村务公示"</h1>
        <p class="note">"各村（社区）的党务、村务、财务公开和积分公示。"</p>
        <div class="filters">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let villages = town.await.map(|t| t.villages).unwrap_or_default();
                    view! {
                        <select class="group-select" aria-label="村（社区）" data-testid="notice-filter-village"
                            on:change=move |ev| village.set(event_target_value(&ev).parse::<i32>().ok().map(VillageId))>
                            <option value="">"全部村（社区）"</option>
                            {villages.into_iter().map(|v| view! {
                                <option value=v.id.0.to_string() selected=move || village.get() == Some(v.id)>{v.name}</option>
                            }).collect_view()}
                        </select>
                    }
                })}
            </Suspense>
            <CategorySelect category/>
        </div>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(list) => view! { <NoticeList list with_village=true/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// An attachment's small badge (instead of an icon font).
fn file_badge(f: &NoticeFileView) -> (&'static str, &'static str) {
    match f.kind_label.as_str() {
        "PDF" => ("PDF", "file-pdf"),
        "图片" => ("图", "file-image"),
        _ => ("XLS", "file-xlsx"),
    }
}

/// `/notice/:id`: one notice with its attachments and earlier versions.
#[component]
pub fn NoticePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i32>().ok())
            .map(NoticeId)
    });
    let notice = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_notice(id).await,
                None => Err(AppError::not_found("找不到该公示")),
            }
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match notice.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(n) => {
                        let committee = if n.village_name.ends_with("社区") { "居民委员会" } else { "村民委员会" };
                        let back = format!("/village/{}/notices", n.village_id);
                        let edit = format!("/office/notices/edit/{}?v={}", n.id, n.village_id);
                        let (images, others): (Vec<_>, Vec<_>) = n.files.iter().cloned().partition(|f| f.is_image);
                        let edits = n.history.len();
                        view! {
                            <Title text=n.title.clone()/>
                            <article class="notice-page" data-testid="notice">
                                <header class="notice-head">
                                    <p class="notice-kicker">
                                        <span class=format!("notice-cat notice-cat-{}", category_class(&n.category)) data-testid="notice-category">{n.category.clone()}</span>
                                        <span>{n.village_name.clone()}</span>
                                    </p>
                                    <h1 data-testid="notice-title">{n.title.clone()}</h1>
                                    <p class="notice-meta">
                                        {format!("发布时间：{}", n.publish_at)}
                                        {(n.version > 1).then(|| format!("　最后修改：{}", n.edited_at))}
                                    </p>
                                    {(!n.published).then(|| view! {
                                        <p class="badge badge-warn notice-scheduled" data-testid="notice-scheduled">"定时发布：到时间后才对外公开"</p>
                                    })}
                                </header>
                                <div class="no-print action-row">
                                    <button type="button" class="button button-primary" data-testid="print"
                                        on:click=move |_| { let _ = window().print(); }>"打印（A4）"</button>
                                    <a class="button" href=back>"本村全部公示"</a>
                                    {n.may_edit.then(|| view! { <a class="button" href=edit data-testid="notice-edit">"编辑"</a> })}
                                </div>
                                <div class="notice-body" data-testid="notice-body" inner_html=n.body_html.clone()></div>
                                {(!images.is_empty()).then(|| view! {
                                    <div class="notice-images">
                                        {images.iter().map(|f| view! {
                                            <figure>
                                                <a href=f.href() rel="external"><img src=f.href() alt=f.name.clone() loading="lazy"/></a>
                                                <figcaption>{f.name.clone()}</figcaption>
                                            </figure>
                                        }).collect_view()}
                                    </div>
                                })}
                                {(!n.files.is_empty()).then(|| view! {
                                    <section class="notice-files" data-testid="notice-files">
                                        <h2>"附件"</h2>
                                        <ul>
                                            {others.iter().chain(images.iter()).map(|f| {
                                                let (badge, class) = file_badge(f);
                                                view! {
                                                    <li>
                                                        <a class="notice-file" href=f.href() rel="external" target="_blank">
                                                            <span class=format!("file-badge {class}") aria-hidden="true">{badge}</span>
                                                            <span class="notice-file-name">{f.name.clone()}</span>
                                                            <span class="notice-file-size">{format!("{} · {}", f.kind_label, f.size_label)}</span>
                                                        </a>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    </section>
                                })}
                                <p class="notice-sign">{format!("{}{}", n.village_name, committee)}<br/>{n.publish_at.get(..10).unwrap_or_default().to_string()}</p>
                                {(edits > 0).then(|| view! {
                                    <section class="notice-history" data-testid="notice-history">
                                        <h2>"修改记录"</h2>
                                        <p class="note">{format!("本公示发布后修改过 {edits} 次，当前为第 {} 版。以下是修改前的内容：", n.version)}</p>
                                        {n.history.iter().map(|v| view! {
                                            <details class="notice-version">
                                                <summary>{format!("第 {} 版 · {} · {}", v.version, v.edited_at, v.title)}</summary>
                                                <h3>{v.title.clone()}</h3>
                                                <div class="notice-body" inner_html=v.body_html.clone()></div>
                                            </details>
                                        }).collect_view()}
                                    </section>
                                })}
                            </article>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
