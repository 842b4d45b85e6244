//! `/town/setup`: setting the town up (town admin). The readiness checklist
//! of every village taking part, one table with a cell per step (each
//! links to where the step is done), and every unit of the town with its
//! 涉农 and 参与积分制 flags, editable here.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::setup::{set_unit_flags, setup_overview, CheckCell, ReadinessRow, UnitView};
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::town::TownNav;
use crate::domain::setup::Check;
use crate::domain::VillageId;

/// Where a step of the checklist is done, for the village.
fn fix_link(check: Check, v: VillageId) -> String {
    match check {
        Check::ClerkAccount | Check::ShopAccount => format!("/town/staff?v={v}"),
        Check::Groups => format!("/office/groups?v={v}"),
        Check::Rules => format!("/office/rules?v={v}"),
        Check::Households => format!("/office/households/import?v={v}"),
        Check::Cards => format!("/office/households/cards?v={v}"),
        Check::Pins => format!("/office/households?v={v}"),
        // The counter is the village's own (its clerk or village admin).
        Check::Goods => "/kiosk/stock".to_string(),
        Check::FirstMonth => format!("/office/ledger?v={v}"),
    }
}

/// The page.
#[component]
pub fn TownSetupPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    // The checklist reloads after a flag changes; the unit list is read
    // once, so each row keeps its own result message.
    let checklist = Resource::new(move || version.get(), |_| setup_overview());
    let units = Resource::new(|| (), |_| setup_overview());
    view! {
        <Title text="村（社区）设置"/>
        <h1>"村（社区）设置"</h1>
        <TownNav current="/town/setup"/>
        <section class="panel">
            <h2>"各村准备情况"</h2>
            <p class="note">"参与积分制的村（社区）逐项检查：✓ 已完成，✗ 未完成。点格子进入该项的办理页面。表格可左右滑动。"</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match checklist.await {
                        Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                        Ok(p) => view! { <Readiness columns=p.columns rows=p.rows/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <section class="panel">
            <h2>"涉农与参与积分制"</h2>
            <p class="note">"全镇各村（社区）。只有涉农村（社区）才能参与积分制；不参与的村（社区）不出现在全镇统计、排名和验收中，已有记录保留。"</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match units.await {
                        Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                        Ok(p) => view! {
                            <ul class="unit-list" data-testid="unit-list">
                                {p.units.into_iter().map(|u| view! { <UnitRow u version/> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Readiness(columns: Vec<(Check, String)>, rows: Vec<ReadinessRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"还没有参与积分制的村（社区），请在下方勾选"</p> }
            .into_any();
    }
    let ready = rows.iter().filter(|r| r.ready).count();
    let total = rows.len();
    view! {
        <p class="setup-summary" data-testid="setup-summary">{format!("{ready} / {total} 个村（社区）全部就绪")}</p>
        // Focusable so a keyboard can scroll it; labelled for screen readers.
        <div class="table-scroll setup-scroll" tabindex="0" role="region" aria-label="各村准备情况表，可左右滑动">
            <table class="ledger-table setup-table" data-testid="setup-table">
                <thead>
                    <tr>
                        <th scope="col" class="setup-village">"村（社区）"</th>
                        {columns.into_iter().map(|(_, label)| view! { <th scope="col">{label}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let v = r.village_id;
                        view! {
                            <tr data-testid="setup-row" data-village=v.to_string()>
                                <th scope="row" class="setup-village">
                                    {r.village_name.clone()}
                                    {r.ready.then(|| view! { <span class="badge setup-ready">"就绪"</span> })}
                                </th>
                                {r.cells.into_iter().map(|c| view! { <Cell c v/> }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Cell(c: CheckCell, v: VillageId) -> impl IntoView {
    let mark = if c.ok { "✓" } else { "✗" };
    let state = if c.ok { "已完成" } else { "未完成" };
    view! {
        <td class="setup-cell" class:ok=c.ok class:todo=!c.ok
            data-testid=format!("cell-{}", c.check.as_str()) data-ok=c.ok.to_string()>
            <a href=fix_link(c.check, v) aria-label=format!("{}：{state}，{}", c.check.label(), c.figure)>
                <span class="setup-mark" aria-hidden="true">{mark}</span>
                <span class="setup-figure">{c.figure.clone()}</span>
            </a>
        </td>
    }
}

#[component]
fn UnitRow(u: UnitView, version: RwSignal<u32>) -> impl IntoView {
    let id = u.id;
    let saved = RwSignal::new((u.agricultural, u.taking_part));
    let agricultural = RwSignal::new(u.agricultural);
    let taking_part = RwSignal::new(u.taking_part);
    let confirming = RwSignal::new(false);
    let changed = move || (agricultural.get(), taking_part.get()) != saved.get();
    let save = Action::new(move |_: &()| {
        let (a, t) = (agricultural.get_untracked(), taking_part.get_untracked());
        async move {
            let r = set_unit_flags(id, a, t).await;
            if let Ok(u) = &r {
                saved.set((u.agricultural, u.taking_part));
                version.update(|x| *x += 1);
            }
            r
        }
    });
    // Taking a unit in or out of the scheme changes the town's figures:
    // that is asked once more; the agricultural flag alone is saved at once.
    let on_save = move |_| {
        if taking_part.get_untracked() != saved.get_untracked().1 && !confirming.get_untracked() {
            confirming.set(true);
        } else {
            confirming.set(false);
            save.dispatch(());
        }
    };
    let name = u.name.clone();
    view! {
        <li class="unit-row" data-testid="unit-row" data-village=id.to_string()>
            <div class="unit-name">
                <strong>{u.name.clone()}</strong>
                <span class="note">{format!("{} · {}", u.kind_label, u.code)}</span>
            </div>
            <div class="unit-flags">
                <label class="check-field">
                    <input type="checkbox" data-testid="unit-agricultural"
                        prop:checked=move || agricultural.get()
                        on:change=move |ev| { agricultural.set(event_target_checked(&ev)); confirming.set(false); }/>
                    <span>"涉农"</span>
                </label>
                <label class="check-field">
                    <input type="checkbox" data-testid="unit-taking-part"
                        prop:checked=move || taking_part.get()
                        on:change=move |ev| { taking_part.set(event_target_checked(&ev)); confirming.set(false); }/>
                    <span>"参与积分制"</span>
                </label>
                <button type="button" class="button button-primary" data-testid="unit-save"
                    disabled=move || !changed() || save.pending().get()
                    on:click=on_save>"保存"</button>
            </div>
            {move || confirming.get().then(|| {
                let text = if taking_part.get() {
                    format!("确定让{name}参与积分制？该村（社区）将出现在全镇统计、排名和验收中。")
                } else {
                    format!("确定让{name}不再参与积分制？该村（社区）将不再出现在全镇统计、排名和验收中，已有记录保留。")
                };
                view! {
                    <div class="confirm-box" role="alert">
                        <p>{text}</p>
                        <button type="button" class="button button-primary" data-testid="unit-confirm"
                            on:click=on_save>"确认保存"</button>
                        <button type="button" class="button" on:click=move |_| confirming.set(false)>"取消"</button>
                    </div>
                }
            })}
            {move || save.value().get().map(|r| match r {
                Ok(u) => view! {
                    <p class="form-ok" role="status" data-testid="unit-ok">{format!(
                        "已保存：{} · 涉农：{} · 参与积分制：{}",
                        u.name,
                        if u.agricultural { "是" } else { "否" },
                        if u.taking_part { "是" } else { "否" },
                    )}</p>
                }.into_any(),
                Err(e) => view! { <FormError message=e.to_string() testid="unit-error"/> }.into_any(),
            })}
        </li>
    }
}
