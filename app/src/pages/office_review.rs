//! `/office/review`: the review queue (审核). Villagers' declarations and
//! scoring teams' proposals wait here; the clerk approves or rejects one or
//! many at once, with a reason, seeing each household's balance after.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::review::{office_pending, office_reviewed, review_proposals};
use crate::api::types::PendingView;
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::office::{OfficeShell, OfficeVillage};
use crate::domain::ledger::signed;
use crate::domain::ProposalId;

/// The page.
#[component]
pub fn OfficeReviewPage() -> impl IntoView {
    view! {
        <Title text="审核"/>
        <OfficeShell title="村积分管理工作台" current="/office/review">
            {move || { let ov = expect_context::<OfficeVillage>(); view! { <Queue ov/> } }}
        </OfficeShell>
    }
}

/// What one decision of the clerk carries.
#[derive(Clone)]
struct Decision {
    ids: Vec<ProposalId>,
    approve: bool,
    reason: String,
}

#[component]
fn Queue(ov: OfficeVillage) -> impl IntoView {
    let selected = RwSignal::new(Vec::<ProposalId>::new());
    let reason = RwSignal::new(String::new());
    let decide = Action::new(move |d: &Decision| {
        let d = d.clone();
        async move {
            let r = review_proposals(Some(ov.id), d.ids, d.approve, d.reason).await;
            if r.is_ok() {
                selected.set(Vec::new());
                reason.set(String::new());
            }
            r.map(|n| (n, d.approve))
        }
    });
    let pending = Resource::new(
        move || decide.version().get(),
        move |_| office_pending(Some(ov.id)),
    );
    let reviewed = Resource::new(
        move || decide.version().get(),
        move |_| office_reviewed(Some(ov.id)),
    );
    let send = move |approve: bool| {
        decide.dispatch(Decision {
            ids: selected.get_untracked(),
            approve,
            reason: reason.get_untracked(),
        });
    };
    view! {
        <section class="panel" data-testid="review-queue">
            <h2>"待审核"</h2>
            <p class="note">"村民申报和小组评议的积分，审核通过后才计入积分。可多选后一次通过或驳回；驳回须填写理由。"</p>
            {move || decide.value().get().map(|r| match r {
                Ok((n, approve)) => view! {
                    <p class="form-ok" role="status" data-testid="review-result">
                        {format!("已{} {} 条", if approve { "通过" } else { "驳回" }, n)}
                    </p>
                }.into_any(),
                Err(e) => view! { <FormError message=e.to_string() testid="review-error"/> }.into_any(),
            })}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match pending.await {
                        Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty" data-testid="review-empty">"没有待审核的记录"</p> }.into_any(),
                        Ok(list) => {
                            let all: Vec<ProposalId> = list.iter().map(|p| p.id).collect();
                            let count = all.len();
                            let list = StoredValue::new(list);
                            let total = move || list.with_value(|l| l.iter().filter(|p| selected.with(|s| s.contains(&p.id))).map(|p| i64::from(p.points)).sum::<i64>());
                            view! {
                                <label class="toggle select-all">
                                    <input type="checkbox" data-testid="review-all"
                                        prop:checked=move || selected.with(|s| s.len() == count)
                                        on:change={
                                            let all = all.clone();
                                            move |ev| selected.set(if event_target_checked(&ev) { all.clone() } else { Vec::new() })
                                        }/>
                                    {format!("全选（共 {count} 条）")}
                                </label>
                                <ul class="review-list">
                                    {list.get_value().into_iter().map(|p| view! { <PendingCard p selected list/> }).collect_view()}
                                </ul>
                                <div class="review-bar" data-testid="review-bar">
                                    <p class="review-summary">
                                        {move || format!("已选 {} 条，合计 {} 分", selected.with(Vec::len), signed(total()))}
                                    </p>
                                    <input type="text" class="big-input" maxlength="200" placeholder="审核意见（驳回时必填）" data-testid="review-reason"
                                        prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                                    <div class="action-row">
                                        <button type="button" class="button button-primary" data-testid="review-approve"
                                            disabled=move || decide.pending().get() || selected.with(Vec::is_empty)
                                            on:click=move |_| send(true)>"通过所选"</button>
                                        <button type="button" class="button" data-testid="review-reject"
                                            disabled=move || decide.pending().get() || selected.with(Vec::is_empty)
                                            on:click=move |_| send(false)>"驳回所选"</button>
                                    </div>
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
        <section class="panel">
            <h2>"最近审核"</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match reviewed.await {
                        Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty">"还没有审核记录"</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="entry-list" data-testid="reviewed">
                                {list.into_iter().map(|r| view! {
                                    <li class="entry" class:rejected=!r.approved>
                                        <div class="entry-main">
                                            <span class="entry-item">{format!("{} · {}", r.head_name, r.item)}</span>
                                            <span class="entry-reason">{r.reason}</span>
                                            <span class="entry-date">
                                                {format!("{} · {}：{}", r.reviewed_at, if r.approved { "已通过" } else { "已驳回" }, r.review_reason)}
                                            </span>
                                        </div>
                                        <span class={if r.approved { "points points-plus" } else { "points muted" }}>{signed(r.points.into())}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// One pending proposal, with its checkbox and the household's balance
/// after approval (counting the other selected proposals of that household).
#[component]
fn PendingCard(
    p: PendingView,
    selected: RwSignal<Vec<ProposalId>>,
    list: StoredValue<Vec<PendingView>>,
) -> impl IntoView {
    let id = p.id;
    let household = p.household;
    let own = i64::from(p.points);
    let after = move || {
        let chosen_here: i64 = list.with_value(|l| {
            l.iter()
                .filter(|q| q.household == household && q.id != id)
                .filter(|q| selected.with(|s| s.contains(&q.id)))
                .map(|q| i64::from(q.points))
                .sum()
        });
        p.balance + chosen_here + own
    };
    let is_on = move || selected.with(|s| s.contains(&id));
    view! {
        <li class="review-card" class:chosen=is_on data-testid="pending">
            <label class="review-check">
                <input type="checkbox" prop:checked=is_on aria-label="选择"
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| {
                            s.retain(|x| *x != id);
                            if on { s.push(id); }
                        });
                    }/>
            </label>
            <span class="review-who">
                <strong>{p.head_name.clone()}</strong>
                <span class="entry-date">{format!("{} · 卡号 {}", p.group_name, p.card_no)}</span>
            </span>
            <span class={if p.points >= 0 { "points points-plus" } else { "points points-minus" }}>{signed(own)}</span>
            <div class="review-body">
                <span class="entry-item">{p.item.clone()}</span>
                <span class="entry-reason">{p.reason.clone()}</span>
                <span class="entry-date">{format!("{} · {} · {}", p.occurred_on, p.source_label, p.proposed_by)}</span>
                // The photo itself, small; a tap opens it whole.
                {p.evidence.map(|e| view! {
                    <a class="evidence-link" href=format!("/evidence/{e}") target="_blank" data-testid="review-evidence">
                        <img class="evidence-thumb" src=format!("/evidence/{e}") loading="lazy" alt="证明照片（点开看大图）"/>
                    </a>
                })}
                <span class="review-effect">{move || format!("当前 {} 分 → 通过后 {} 分", p.balance, after())}</span>
            </div>
        </li>
    }
}
