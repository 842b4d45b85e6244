//! `/office/appeals`: the clerk answers households' appeals (积分申诉).
//! Upholding reverses the disputed entry with the answer as its reason;
//! rejecting leaves it. Either way the household sees the answer on the entry.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::villager::{answer_appeal, office_appeals};
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::office::{OfficeShell, OfficeVillage};
use crate::domain::appeal::AppealStatus;
use crate::domain::ledger::signed;

/// The appeals page.
#[component]
pub fn OfficeAppealsPage() -> impl IntoView {
    view! {
        <Title text="积分申诉"/>
        <OfficeShell title="积分申诉" current="/office/appeals">
            {move || view! { <AppealList/> }}
        </OfficeShell>
    }
}

#[component]
fn AppealList() -> impl IntoView {
    let office = expect_context::<OfficeVillage>();
    let village = office.id;
    let done = RwSignal::new(None::<String>);
    let open = RwSignal::new(None::<i32>);
    let text = RwSignal::new(String::new());
    let answer = Action::new(move |(id, uphold, words): &(i32, bool, String)| {
        let (id, uphold, words) = (*id, *uphold, words.clone());
        async move {
            let r = answer_appeal(id, uphold, words).await;
            if r.is_ok() {
                open.set(None);
                text.set(String::new());
                done.set(Some(if uphold {
                    "已答复：申诉成立，原记录已冲正".into()
                } else {
                    "已答复：申诉不成立，原记录保持不变".into()
                }));
            }
            r
        }
    });
    let list = Resource::new(
        move || answer.version().get(),
        move |_| office_appeals(Some(village)),
    );
    view! {
        <section class="panel">
            <h2>"农户申诉"</h2>
            <p class="note">"申诉成立会自动生成一条冲正记录（答复即冲正原因）；不成立则原记录不变。答复后农户在“我的积分”中可以看到。"</p>
            {move || done.get().map(|m| view! { <p class="form-ok" role="status" data-testid="appeal-done">{m}</p> })}
            {move || answer.value().get().and_then(|r| r.err()).map(|e| view! {
                <FormError message=e.to_string() testid="answer-error"/>
            })}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty">"暂无申诉"</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="entry-list" data-testid="office-appeals">
                                {list.into_iter().map(|a| {
                                    let id = a.id;
                                    let pending = a.status == AppealStatus::Pending;
                                    view! {
                                        <li class="entry appeal-item" data-testid="office-appeal" class:pending=pending>
                                            <div class="entry-main">
                                                <span class="entry-item">{format!("{}（户卡号 {}）", a.head_name, a.card_no)}</span>
                                                <span class="entry-meta">{format!("被申诉记录：{} {} {} 分 · {}", a.entry_date, a.entry_item, signed(a.entry_points.into()), a.entry_reason)}</span>
                                                <span class="entry-reason">{format!("申诉理由：{}", a.reason)}</span>
                                                <span class="entry-date">{format!("提交于 {}{}", a.filed_at, if a.assisted { " · 工作人员代办" } else { "" })}</span>
                                                <span class="status-chip" class:ok={ a.reversal.is_some() } class:no={ !pending && a.reversal.is_none() }>{a.status_label.clone()}</span>
                                                {a.answer.clone().map(|ans| view! { <span class="entry-meta">{format!("答复：{ans}")}</span> })}
                                                {pending.then(|| view! {
                                                    <div class="reverse-row">
                                                        <Show when=move || open.get() == Some(id)
                                                            fallback=move || view! {
                                                                <button type="button" class="button button-primary" data-testid="answer-open"
                                                                    on:click=move |_| { text.set(String::new()); open.set(Some(id)); }>"答复"</button>
                                                            }>
                                                            <label class="field grow">
                                                                <span>"答复内容"</span>
                                                                <textarea class="big-input" rows="3" maxlength="200" data-testid="answer-text"
                                                                    placeholder="如：经核实，当天该户确有人参加打扫"
                                                                    prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                                                            </label>
                                                            <button type="button" class="button button-primary" data-testid="answer-uphold"
                                                                disabled=move || answer.pending().get()
                                                                on:click=move |_| { answer.dispatch((id, true, text.get_untracked())); }>"申诉成立（冲正）"</button>
                                                            <button type="button" class="button" data-testid="answer-reject"
                                                                disabled=move || answer.pending().get()
                                                                on:click=move |_| { answer.dispatch((id, false, text.get_untracked())); }>"申诉不成立"</button>
                                                            <button type="button" class="button" on:click=move |_| open.set(None)>"取消"</button>
                                                        </Show>
                                                    </div>
                                                })}
                                            </div>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
