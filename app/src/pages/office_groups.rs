//! `/office/groups`: a village's groups (村民小组): list them with their
//! households, create, rename, and merge one into another (its households
//! move; it leaves the pickers; past months keep it). The village admin
//! for their village, the town admin for any with `?v=`.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::setup::{
    create_group, merge_groups, office_groups, rename_group, GroupRow, MergeDone,
};
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::office::{OfficeShell, OfficeVillage};
use crate::domain::text::MAX_NAME;
use crate::domain::{GroupId, VillageId};
use crate::error::AppError;

/// The last merge's result: kept outside the list, which is drawn afresh
/// after a merge.
type LastMerge = RwSignal<Option<Result<MergeDone, AppError>>>;

/// The page.
#[component]
pub fn OfficeGroupsPage() -> impl IntoView {
    view! {
        <Title text="村民小组"/>
        <OfficeShell title="村民小组" current="/office/groups">
            {move || {
                let ov = expect_context::<OfficeVillage>();
                view! { <Groups village=ov.id/> }
            }}
        </OfficeShell>
    }
}

#[component]
fn Groups(village: VillageId) -> impl IntoView {
    let ov = expect_context::<OfficeVillage>();
    let version = RwSignal::new(0u32);
    let list = Resource::new(move || version.get(), move |_| office_groups(Some(village)));
    let last_merge: LastMerge = RwSignal::new(None);
    let name = RwSignal::new(String::new());
    let create = Action::new(move |_: &()| {
        let n = name.get_untracked();
        async move {
            let r = create_group(Some(village), n).await;
            if r.is_ok() {
                name.set(String::new());
                version.update(|x| *x += 1);
            }
            r
        }
    });
    view! {
        <section class="panel">
            <h2>"新建小组"</h2>
            <p class="note">"导入或新增农户前，先建好本村的组（如“一组”“二组”），导入表格中的组别须与这里的组名一致。"</p>
            <form class="search-bar" on:submit=move |ev| { ev.prevent_default(); create.dispatch(()); }>
                <input type="text" class="big-input" maxlength=MAX_NAME.to_string() placeholder="组名，如：一组"
                    aria-label="新组名" data-testid="group-new-name"
                    prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                <button type="submit" class="button button-primary" data-testid="group-create"
                    disabled=move || create.pending().get()>"新建"</button>
            </form>
            {move || create.value().get().map(|r| match r {
                Ok(g) => view! { <p class="form-ok" role="status" data-testid="group-ok">{format!("已新建：{}", g.name)}</p> }.into_any(),
                Err(e) => view! { <FormError message=e.to_string() testid="group-error"/> }.into_any(),
            })}
        </section>
        {move || last_merge.get().map(|r| match r {
            Ok(m) => view! { <p class="form-ok" role="status" data-testid="merge-ok">{format!("已合并：“{}”的 {} 户已并入“{}”", m.from, m.moved, m.into)}</p> }.into_any(),
            Err(e) => view! { <FormError message=e.to_string() testid="merge-error"/> }.into_any(),
        })}
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(groups) => view! { <GroupLists groups version village last_merge/> }.into_any(),
                }
            })}
        </Transition>
        <p><a class="button" href=ov.link("/office/households")>"去农户列表"</a></p>
    }
}

#[component]
fn GroupLists(
    groups: Vec<GroupRow>,
    version: RwSignal<u32>,
    village: VillageId,
    last_merge: LastMerge,
) -> impl IntoView {
    let (current, retired): (Vec<GroupRow>, Vec<GroupRow>) =
        groups.into_iter().partition(|g| !g.retired);
    let total: u32 = current.iter().map(|g| g.households).sum();
    let choices: Vec<(GroupId, String, u32)> = current
        .iter()
        .map(|g| (g.id, g.name.clone(), g.households))
        .collect();
    view! {
        <section class="panel">
            <h2>{format!("本村小组（{} 个，{} 户）", current.len(), total)}</h2>
            {if current.is_empty() {
                view! { <p class="empty" data-testid="group-none">"还没有小组，请先新建"</p> }.into_any()
            } else {
                view! {
                    <ul class="group-list" data-testid="group-list">
                        {current.into_iter().map(|g| view! { <GroupItem g version village/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        {(choices.len() >= 2).then(|| view! { <MergeForm choices version village last_merge/> })}
        {(!retired.is_empty()).then(|| view! {
            <section class="panel">
                <h2>"已合并的组"</h2>
                <p class="note">"已合并的组不再出现在选择列表中；合并前各月的积分记录和已公示的台账仍按原组显示。"</p>
                <ul class="group-list" data-testid="group-retired">
                    {retired.into_iter().map(|g| view! {
                        <li class="group-item retired">
                            <strong>{g.name.clone()}</strong>
                            <span class="note">{format!(
                                "{} 并入{}",
                                g.retired_on.clone().unwrap_or_default(),
                                g.merged_into.clone().unwrap_or_default()
                            )}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

#[component]
fn GroupItem(g: GroupRow, version: RwSignal<u32>, village: VillageId) -> impl IntoView {
    let id = g.id;
    let name = RwSignal::new(g.name.clone());
    let rename = Action::new(move |_: &()| {
        let n = name.get_untracked();
        async move {
            let r = rename_group(Some(village), id, n).await;
            if r.is_ok() {
                version.update(|x| *x += 1);
            }
            r
        }
    });
    view! {
        <li class="group-item" data-testid="group-item" data-group=id.to_string()>
            <div class="group-head">
                <strong class="group-name">{g.name.clone()}</strong>
                <span class="badge" data-testid="group-households">{format!("{} 户", g.households)}</span>
            </div>
            <form class="search-bar" on:submit=move |ev| { ev.prevent_default(); rename.dispatch(()); }>
                <input type="text" class="big-input" maxlength=MAX_NAME.to_string()
                    aria-label=format!("{}的新名称", g.name) data-testid="group-rename-name"
                    prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                <button type="submit" class="button" data-testid="group-rename"
                    disabled=move || rename.pending().get()>"改名"</button>
            </form>
            {move || rename.value().get().and_then(Result::err).map(|e| view! {
                <FormError message=e.to_string()/>
            })}
        </li>
    }
}

#[component]
fn MergeForm(
    choices: Vec<(GroupId, String, u32)>,
    version: RwSignal<u32>,
    village: VillageId,
    last_merge: LastMerge,
) -> impl IntoView {
    let from = RwSignal::new(choices.first().map(|c| c.0));
    let into = RwSignal::new(choices.get(1).map(|c| c.0));
    let confirming = RwSignal::new(false);
    let choices = StoredValue::new(choices);
    let label = move |g: Option<GroupId>| {
        choices.with_value(|cs| {
            cs.iter()
                .find(|c| Some(c.0) == g)
                .map(|c| (c.1.clone(), c.2))
                .unwrap_or_default()
        })
    };
    let merge = Action::new(move |_: &()| {
        let (f, i) = (from.get_untracked(), into.get_untracked());
        async move {
            let r = match (f, i) {
                (Some(f), Some(i)) => merge_groups(Some(village), f, i).await,
                _ => Err(AppError::invalid("请选择两个组")),
            };
            if r.is_ok() {
                version.update(|x| *x += 1);
            }
            last_merge.set(Some(r));
        }
    });
    let select = move |which: RwSignal<Option<GroupId>>, test: &'static str, aria: &'static str| {
        view! {
            <select class="group-select" data-testid=test aria-label=aria
                on:change=move |ev| { which.set(event_target_value(&ev).parse().ok().map(GroupId)); confirming.set(false); }>
                {choices.with_value(|cs| cs.iter().map(|(id, name, n)| {
                    let id = *id;
                    view! { <option value=id.to_string() selected=move || which.get() == Some(id)>{format!("{name}（{n} 户）")}</option> }
                }).collect_view())}
            </select>
        }
    };
    view! {
        <section class="panel">
            <h2>"合并小组"</h2>
            <p class="note">"把一个组的全部农户并入另一个组（如两个组合并为一个）。合并后原组不再出现在选择列表中；以往各月的记录和已公示的台账不变。"</p>
            <div class="field-row">
                <label class="field grow"><span>"把"</span>{select(from, "merge-from", "被合并的组")}</label>
                <label class="field grow"><span>"并入"</span>{select(into, "merge-into", "并入的组")}</label>
            </div>
            <button type="button" class="button button-primary" data-testid="merge-start"
                disabled=move || merge.pending().get()
                on:click=move |_| confirming.set(true)>"合并"</button>
            {move || confirming.get().then(|| {
                let (a, n) = label(from.get());
                let (b, _) = label(into.get());
                view! {
                    <div class="confirm-box" role="alert" data-testid="merge-confirm-box">
                        <p>{format!("确定把“{a}”的 {n} 户全部并入“{b}”？合并后不能撤销，“{a}”将不再出现在选择列表中。")}</p>
                        <button type="button" class="button button-primary" data-testid="merge-confirm"
                            on:click=move |_| { confirming.set(false); merge.dispatch(()); }>"确认合并"</button>
                        <button type="button" class="button" on:click=move |_| confirming.set(false)>"取消"</button>
                    </div>
                }
            })}
        </section>
    }
}
