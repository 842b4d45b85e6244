//! `/town/acceptance` and `/town/acceptance/:village`: the town's acceptance
//! (验收) of each village against the plan's six basic standards: the list
//! with each standard's status, the accepted date and who is late for 15
//! August; and one village's evidence, acceptance and history. A village
//! admin reads their own village's page, read-only.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::acceptance::{
    acceptance_list, acceptance_village, mark_village_accepted, upload_acceptance_evidence,
    withdraw_village_acceptance, AcceptanceDetail, EvidenceView, ItemView, VillageAcceptance,
};
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::town::TownNav;
use crate::components::upload::{picked_file, upload_form};
use crate::domain::acceptance::STANDARDS;
use crate::domain::notice::MAX_FILE;
use crate::domain::time::china_day;
use crate::domain::VillageId;
use crate::error::AppError;

fn short(n: usize) -> &'static str {
    ["方案", "六有", "商品", "平台", "知晓", "公示"][n]
}

/// The list page.
#[component]
pub fn TownAcceptancePage() -> impl IntoView {
    let list = Resource::new(|| (), |_| acceptance_list());
    view! {
        <Title text="验收情况"/>
        <h1>"积分制推广建设验收"</h1>
        <TownNav current="/town/acceptance"/>
        <p class="note">"各村（社区）须于 8 月 15 日前完成镇级验收。下表按方案六项基本条件逐项显示：方案和“六有”以上传的照片或文件为据，商品种类、平台使用、知晓率和按月公示由平台数据自动计算。"</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(list) => view! { <AcceptanceList list/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AcceptanceList(list: Vec<VillageAcceptance>) -> impl IntoView {
    let accepted = list.iter().filter(|v| v.accepted_on.is_some()).count();
    let late = list.iter().filter(|v| v.late).count();
    let waiting = list.len() - accepted;
    view! {
        <div class="stat-row">
            <div class="stat"><span class="stat-value" data-testid="acc-accepted">{accepted}</span><span class="stat-label">"已验收"</span></div>
            <div class="stat"><span class="stat-value">{waiting}</span><span class="stat-label">"未验收"</span></div>
            <div class="stat"><span class="stat-value">{late}</span><span class="stat-label">"逾期（8月15日后）"</span></div>
        </div>
        <ul class="acc-list" data-testid="acc-list">
            {list.into_iter().map(|v| view! { <AcceptanceRow v/> }).collect_view()}
        </ul>
    }
}

#[component]
fn AcceptanceRow(v: VillageAcceptance) -> impl IntoView {
    let href = format!("/town/acceptance/{}", v.village_id);
    // The figure shown under each standard: the 六有 count, or the
    // computed item's figure.
    let figure = |n: usize| -> String {
        let of: Vec<&ItemView> = v
            .items
            .iter()
            .filter(|i| usize::from(i.standard) == n + 1)
            .collect();
        if n == 1 {
            format!("{}/6", of.iter().filter(|i| i.met).count())
        } else {
            of.iter()
                .map(|i| i.short.clone())
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    let chips = (0..6)
        .map(|n| {
            let met = v.standards.get(n).copied().unwrap_or(false);
            let title = format!("{}. {}：{}", n + 1, STANDARDS[n], if met { "达标" } else { "未达标" });
            view! {
                <li class="acc-chip" class:ok=met class:no=!met title=title.clone() aria-label=title>
                    <span class="acc-mark">{if met { "✓" } else { "✗" }}</span>
                    <span class="acc-chip-name">{short(n)}</span>
                    <span class="acc-chip-figure">{figure(n)}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <li class="acc-row" data-testid="acc-row" data-village=v.village_id.to_string()>
            <a class="acc-name" href=href.clone()>{v.village_name.clone()}</a>
            <ul class="acc-chips">{chips}</ul>
            <div class="acc-status">
                {match v.accepted_on.clone() {
                    Some(d) => view! { <span class="acc-date" data-testid="acc-date">{format!("{d} 验收")}</span> }.into_any(),
                    None => view! { <span class="badge badge-grey" data-testid="acc-date">"未验收"</span> }.into_any(),
                }}
                {v.late.then(|| view! { <span class="badge badge-late" data-testid="acc-late">"逾期"</span> })}
                <a class="button acc-open" href=href>"查看"</a>
            </div>
        </li>
    }
}

/// One village's page.
#[component]
pub fn TownAcceptanceVillagePage() -> impl IntoView {
    let params = use_params_map();
    let version = RwSignal::new(0u32);
    let village = move || {
        params
            .read()
            .get("village")
            .and_then(|s| s.parse::<i32>().ok())
            .map(VillageId)
    };
    let detail = Resource::new(
        move || (village(), version.get()),
        |(v, _)| async move {
            match v {
                Some(v) => acceptance_village(Some(v)).await,
                None => Err(AppError::not_found("找不到该村（社区）")),
            }
        },
    );
    view! {
        <Title text="村（社区）验收"/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(d) => view! { <VillageAcceptancePanel d version/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn VillageAcceptancePanel(d: AcceptanceDetail, version: RwSignal<u32>) -> impl IntoView {
    let v = d.overview.clone();
    let village = v.village_id;
    let may_edit = d.may_edit;
    let evidence = StoredValue::new(d.evidence.clone());
    let standards = (0..6)
        .map(|n| {
            let items: Vec<ItemView> = v
                .items
                .iter()
                .filter(|i| usize::from(i.standard) == n + 1)
                .cloned()
                .collect();
            let met = v.standards.get(n).copied().unwrap_or(false);
            view! {
                <section class="panel acc-standard" data-testid="acc-standard">
                    <h2>
                        <span class="acc-mark" class:ok=met class:no=!met>{if met { "✓" } else { "✗" }}</span>
                        {format!("{}. {}", n + 1, STANDARDS[n])}
                    </h2>
                    <ul class="acc-items">
                        {let single = items.len() == 1; items.into_iter().map(|i| {
                            let files: Vec<EvidenceView> = evidence.with_value(|e| e.iter().filter(|f| f.item == i.item).cloned().collect());
                            view! { <ItemLine i files may_edit village version single/> }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <h1>{format!("{} · 验收", v.village_name)}</h1>
        {if may_edit {
            view! { <TownNav current="/town/acceptance"/> }.into_any()
        } else {
            view! { <p class="note">"本页由镇管理员维护，村（社区）只能查看。"</p><a class="button" href="/office">"返回积分管理"</a> }.into_any()
        }}
        <section class="panel acc-head">
            <p class="acc-head-status">
                {match v.accepted_on.clone() {
                    Some(day) => view! { <strong data-testid="acc-village-date">{format!("已于 {day} 验收")}</strong> }.into_any(),
                    None => view! { <strong data-testid="acc-village-date">"未验收"</strong> }.into_any(),
                }}
                {v.late.then(|| view! { " " <span class="badge badge-late">"逾期"</span> })}
            </p>
            <p class="note">{format!("验收截止日期：{}。", d.deadline)}</p>
        </section>
        {standards}
        <AcceptanceForm d=d.clone() version/>
    }
    .into_any()
}

/// One checklist line: a computed figure, or the evidence files with the
/// upload button.
#[component]
fn ItemLine(
    i: ItemView,
    files: Vec<EvidenceView>,
    may_edit: bool,
    village: VillageId,
    version: RwSignal<u32>,
    /// The only item of its standard: the heading already names it.
    single: bool,
) -> impl IntoView {
    let item = i.item.clone();
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = picked_file(&ev) else {
            return;
        };
        if file.size() > MAX_FILE as f64 {
            error.set(Some("文件太大（最大 10 MB）".into()));
            return;
        }
        let Some(data) = upload_form(
            &[
                ("village", &village.to_string()),
                ("item", &item),
                ("note", &note.get_untracked()),
            ],
            Some(("file", &file)),
        ) else {
            return;
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let r = upload_acceptance_evidence(data.into()).await;
            busy.set(false);
            match r {
                Ok(_) => {
                    note.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <li class="acc-item" data-testid="acc-item" data-item=i.item.clone()>
            <div class="acc-item-head">
                {(!single).then(|| view! {
                    <span class="acc-mark" class:ok=i.met class:no=!i.met>{if i.met { "✓" } else { "✗" }}</span>
                    <span class="acc-item-label">{i.label.clone()}</span>
                })}
                <span class="acc-item-figure" data-testid="acc-item-figure">{i.figure.clone()}</span>
            </div>
            {(!files.is_empty()).then(|| view! {
                <ul class="acc-files">
                    {files.into_iter().map(|f| view! {
                        <li class="acc-file">
                            <a href=f.href() rel="external" target="_blank">
                                {if f.is_image {
                                    view! { <img class="acc-thumb" src=f.href() alt=f.name.clone() loading="lazy"/> }.into_any()
                                } else {
                                    view! { <span class="acc-doc">{f.kind_label.clone()}</span> }.into_any()
                                }}
                            </a>
                            <span class="acc-file-meta">
                                <a href=f.href() rel="external" target="_blank">{f.name.clone()}</a>
                                <span class="note">{format!("{} · {} · {}", f.size_label, f.uploaded_at, f.uploaded_by)}</span>
                                {(!f.note.is_empty()).then(|| view! { <span>{f.note.clone()}</span> })}
                            </span>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {(may_edit && i.needs_evidence).then(|| view! {
                <div class="acc-upload">
                    <input type="text" class="big-input" maxlength="200" placeholder="说明（可不填）" aria-label="说明"
                        prop:value=note on:input=move |ev| note.set(event_target_value(&ev))/>
                    <label class="button" class:disabled=move || busy.get()>
                        {move || if busy.get() { "正在上传…" } else { "上传照片或文件" }}
                        <input type="file" accept=".jpg,.jpeg,.png,.pdf,.xlsx,image/jpeg,image/png,application/pdf"
                            class="visually-hidden" data-testid="acc-file" on:change=on_file/>
                    </label>
                </div>
            })}
            {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="acc-upload-error">{e}</p> })}
        </li>
    }
}

/// Marks the village accepted, or withdraws the acceptance; the history.
#[component]
fn AcceptanceForm(d: AcceptanceDetail, version: RwSignal<u32>) -> impl IntoView {
    let village = d.overview.village_id;
    let accepted = d.overview.accepted_on.clone();
    let today = china_day(chrono::Utc::now());
    let on = RwSignal::new(today.clone());
    let note = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let mark = Action::new(move |_: &()| {
        let (d, n) = (on.get_untracked(), note.get_untracked());
        async move {
            let r = mark_village_accepted(village, d, n).await;
            if r.is_ok() {
                version.update(|v| *v += 1);
            }
            r
        }
    });
    let withdraw = Action::new(move |_: &()| {
        let r = reason.get_untracked();
        async move {
            let r = withdraw_village_acceptance(village, r).await;
            if r.is_ok() {
                version.update(|v| *v += 1);
            }
            r
        }
    });
    let error = move || {
        mark.value()
            .get()
            .and_then(Result::err)
            .or_else(|| withdraw.value().get().and_then(Result::err))
    };
    view! {
        <section class="panel acc-decision">
            <h2>"验收结论"</h2>
            {match (d.may_edit, accepted.clone()) {
                (false, _) => ().into_any(),
                (true, Some(day)) => view! {
                    <p>{format!("已于 {day} 验收合格。如需更改日期或验收有误，可撤销（撤销记录会保留）。")}</p>
                    <label class="field">
                        <span>"撤销理由"</span>
                        <input type="text" class="big-input" maxlength="200" data-testid="acc-withdraw-reason"
                            prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                    </label>
                    <button type="button" class="button button-danger" data-testid="acc-withdraw"
                        disabled=move || withdraw.pending().get()
                        on:click=move |_| { withdraw.dispatch(()); }>"撤销验收"</button>
                }.into_any(),
                (true, None) => view! {
                    <div class="field-row">
                        <label class="field">
                            <span>"验收日期"</span>
                            <input type="date" class="big-input" max=today.clone() data-testid="acc-on"
                                prop:value=on on:input=move |ev| on.set(event_target_value(&ev))/>
                        </label>
                        <label class="field grow">
                            <span>"验收意见"</span>
                            <input type="text" class="big-input" maxlength="200" data-testid="acc-note" placeholder="如：现场查看“六有”齐全，验收合格"
                                prop:value=note on:input=move |ev| note.set(event_target_value(&ev))/>
                        </label>
                    </div>
                    <button type="button" class="button button-primary" data-testid="acc-mark"
                        disabled=move || mark.pending().get()
                        on:click=move |_| { mark.dispatch(()); }>"标记为验收合格"</button>
                }.into_any(),
            }}
            {move || error().map(|e| view! { <FormError message=e.to_string() testid="acc-error"/> })}
            <h3>"验收记录"</h3>
            {if d.history.is_empty() {
                view! { <p class="empty">"还没有验收记录"</p> }.into_any()
            } else {
                view! {
                    <ul class="acc-history" data-testid="acc-history">
                        {d.history.iter().map(|h| view! {
                            <li class:withdrawn=h.withdrawn_at.is_some()>
                                <strong>{format!("{} 验收合格", h.accepted_on)}</strong>
                                {(!h.note.is_empty()).then(|| view! { <span>{format!("：{}", h.note)}</span> })}
                                <span class="note">{format!("（{} 记录于 {}）", h.accepted_by, h.recorded_at)}</span>
                                {h.withdrawn_at.clone().map(|at| view! {
                                    <span class="acc-withdrawn">
                                        {format!("已于 {at} 由 {} 撤销，理由：{}", h.withdrawn_by.clone().unwrap_or_default(), h.withdraw_reason.clone().unwrap_or_default())}
                                    </span>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
