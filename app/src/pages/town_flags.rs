//! `/town/flags`: the eight disqualifying events (一票否决情形) of a
//! demonstration village: record one for a village with its date and a
//! note, lift one with a reason; current and lifted ones are listed (none
//! is deleted). A village with a current event cannot be nominated.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::acceptance::{flag_list, lift_flag, record_flag, FlagView, FlagsPage};
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::town::TownNav;
use crate::domain::VillageId;

/// The page.
#[component]
pub fn TownFlagsPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let page = Resource::new(move || version.get(), |_| flag_list());
    view! {
        <Title text="一票否决情形"/>
        <h1>"一票否决情形"</h1>
        <TownNav current="/town/flags"/>
        <p class="note">"方案规定，村（社区）发生下列情形之一的，不能评为示范村。记录后该村即显示为不具备评选资格；情况消除后可填写理由解除，记录永久保留。"</p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(p) => view! { <Flags p version/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Flags(p: FlagsPage, version: RwSignal<u32>) -> impl IntoView {
    let village = RwSignal::new(
        p.villages
            .first()
            .map(|v| v.0.to_string())
            .unwrap_or_default(),
    );
    let kind = RwSignal::new(p.kinds.first().map(|k| k.0.clone()).unwrap_or_default());
    let on = RwSignal::new(p.today.clone());
    let note = RwSignal::new(String::new());
    let add = Action::new(move |_: &()| {
        let v = VillageId(village.get_untracked().parse().unwrap_or(0));
        let (k, d, n) = (
            kind.get_untracked(),
            on.get_untracked(),
            note.get_untracked(),
        );
        async move {
            let r = record_flag(v, k, d, n).await;
            if r.is_ok() {
                note.set(String::new());
                version.update(|x| *x += 1);
            }
            r
        }
    });
    let (current, lifted): (Vec<FlagView>, Vec<FlagView>) =
        p.flags.into_iter().partition(|f| f.lifted_at.is_none());
    view! {
        <section class="panel flag-form">
            <h2>"记录一票否决情形"</h2>
            <div class="field-row">
                <label class="field grow">
                    <span>"村（社区）"</span>
                    <select class="group-select" data-testid="flag-village" on:change=move |ev| village.set(event_target_value(&ev))>
                        {p.villages.iter().map(|(id, name)| {
                            let id = id.to_string();
                            view! { <option value=id.clone() selected=move || village.with(|v| *v == id)>{name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field grow">
                    <span>"情形"</span>
                    <select class="group-select" data-testid="flag-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        {p.kinds.iter().map(|(k, label)| {
                            let k = k.clone();
                            view! { <option value=k.clone() selected=move || kind.with(|x| *x == k)>{label.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>"发生日期"</span>
                    <input type="date" class="big-input" max=p.today.clone() data-testid="flag-date"
                        prop:value=on on:input=move |ev| on.set(event_target_value(&ev))/>
                </label>
            </div>
            <label class="field">
                <span>"情况说明"</span>
                <textarea class="big-input" rows="3" maxlength="300" data-testid="flag-note"
                    prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            </label>
            <button type="button" class="button button-primary" data-testid="flag-add"
                disabled=move || add.pending().get()
                on:click=move |_| { add.dispatch(()); }>"记录"</button>
            {move || add.value().get().map(|r| match r {
                Ok(f) => view! { <p class="form-ok" role="status">{format!("已记录：{} · {}", f.village_name, f.label)}</p> }.into_any(),
                Err(e) => view! { <FormError message=e.to_string() testid="flag-error"/> }.into_any(),
            })}
        </section>
        <section class="panel">
            <h2>{format!("当前有效（{}）", current.len())}</h2>
            {if current.is_empty() {
                view! { <p class="empty">"没有村（社区）存在一票否决情形"</p> }.into_any()
            } else {
                view! {
                    <ul class="flag-list" data-testid="flag-current">
                        {current.into_iter().map(|f| view! { <FlagCard f version/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="panel">
            <h2>{format!("已解除（{}）", lifted.len())}</h2>
            {if lifted.is_empty() {
                view! { <p class="empty">"没有已解除的记录"</p> }.into_any()
            } else {
                view! {
                    <ul class="flag-list" data-testid="flag-lifted">
                        {lifted.into_iter().map(|f| view! { <FlagCard f version/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn FlagCard(f: FlagView, version: RwSignal<u32>) -> impl IntoView {
    let id = f.id;
    let reason = RwSignal::new(String::new());
    let lift = Action::new(move |_: &()| {
        let r = reason.get_untracked();
        async move {
            let r = lift_flag(id, r).await;
            if r.is_ok() {
                version.update(|x| *x += 1);
            }
            r
        }
    });
    let active = f.lifted_at.is_none();
    view! {
        <li class="flag-card" class:lifted=!active data-testid="flag-card">
            <div class="flag-head">
                <strong>{f.village_name.clone()}</strong>
                <span class="badge" class:badge-late=active class:badge-grey=!active>{f.label.clone()}</span>
                <span class="note">{format!("发生于 {}", f.occurred_on)}</span>
            </div>
            <p class="flag-note">{f.note.clone()}</p>
            <p class="note">{format!("{} 记录于 {}", f.recorded_by, f.recorded_at)}</p>
            {f.lifted_at.clone().map(|at| view! {
                <p class="flag-lifted">{format!("已于 {at} 由 {} 解除，理由：{}", f.lifted_by.clone().unwrap_or_default(), f.lift_reason.clone().unwrap_or_default())}</p>
            })}
            {active.then(|| view! {
                <div class="flag-lift">
                    <input type="text" class="big-input" maxlength="300" placeholder="解除理由（如：整改到位，经核实情况已消除）"
                        aria-label="解除理由" data-testid="flag-lift-reason"
                        prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                    <button type="button" class="button" data-testid="flag-lift"
                        disabled=move || lift.pending().get()
                        on:click=move |_| { lift.dispatch(()); }>"解除"</button>
                </div>
                {move || lift.value().get().and_then(Result::err).map(|e| view! { <FormError message=e.to_string()/> })}
            })}
        </li>
    }
}
