//! `/office/batch`: batch entry (批量记分). One rule item for many households
//! at once (after a clean-up day, 30 households get +5): pick them by group
//! or by ticking a list, check the effect, confirm once; all or nothing.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::types::{EvidenceView, OfficeHousehold};
use crate::api::{get_village, office_roster, record_batch, village_rules, RecordBatch};
use crate::components::entry_fields::DateAndReason;
use crate::components::evidence::EvidenceInput;
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::office::{OfficeShell, OfficeVillage};
use crate::components::rule_picker::{chosen_rule, RulePicker};
use crate::domain::ledger::signed;
use crate::domain::time::china_day;
use crate::domain::{EvidenceId, GroupId, RuleItemId, VillageId};

/// The page.
#[component]
pub fn OfficeBatchPage() -> impl IntoView {
    view! {
        <Title text="批量记分"/>
        <OfficeShell title="村积分管理工作台" current="/office/batch">
            {move || { let village = expect_context::<OfficeVillage>().id; view! { <BatchForm village/> } }}
        </OfficeShell>
    }
}

#[component]
fn BatchForm(village: VillageId) -> impl IntoView {
    let rules = Resource::new(move || village, village_rules);
    let info = Resource::new(move || village, get_village);
    let rule = RwSignal::new(None::<RuleItemId>);
    let group = RwSignal::new(None::<GroupId>);
    let filter = RwSignal::new(String::new());
    let picked = RwSignal::new(Vec::<OfficeHousehold>::new());
    let reason = RwSignal::new(String::new());
    let evidence = RwSignal::new(None::<EvidenceView>);
    let date = RwSignal::new(china_day(chrono::Utc::now()));
    let batch = Action::new(move |args: &RecordBatch| {
        let args = args.clone();
        async move {
            let r = record_batch(
                args.households,
                args.rule_item,
                args.reason,
                args.occurred_on,
                args.evidence,
            )
            .await;
            if r.is_ok() {
                picked.set(Vec::new());
                reason.set(String::new());
                evidence.set(None);
            }
            r
        }
    });
    // The roster reloads after each batch (their balances changed).
    let roster = Resource::new(
        move || (group.get(), batch.version().get()),
        move |(g, _)| office_roster(Some(village), g),
    );
    let item = move || chosen_rule(rules, rule);
    // A new photo or another item answers an earlier refusal: clear it.
    Effect::new(
        move |prev: Option<(Option<RuleItemId>, Option<EvidenceId>)>| {
            let now = (rule.get(), evidence.with(|e| e.as_ref().map(|e| e.id)));
            if let Some((rule_before, photo_before)) = prev {
                if rule_before != now.0 || (now.1.is_some() && photo_before != now.1) {
                    batch.value().set(None);
                }
            }
            now
        },
    );
    let submit = move |_| {
        let Some(r) = rule.get_untracked() else {
            return;
        };
        batch.dispatch(RecordBatch {
            households: picked.with_untracked(|p| p.iter().map(|h| h.id).collect()),
            rule_item: r,
            reason: reason.get_untracked(),
            occurred_on: date.get_untracked(),
            evidence: evidence.get_untracked().map(|e| e.id),
        });
    };
    let matches = move |h: &OfficeHousehold| {
        let f = filter.get();
        let f = f.trim();
        f.is_empty() || h.head_name.contains(f) || h.card_no.contains(f)
    };
    let is_picked = move |id| picked.with(|p| p.iter().any(|h| h.id == id));

    view! {
        <section class="panel" data-testid="batch-form">
            <h2>"批量记分"</h2>
            <p class="note">"同一条细则一次记给多户（如全民清洁日参加的各户）。确认后全部录入；有一户不符合规定则全部不录入，并说明是哪一户。"</p>
            <h3>"1. 选择细则"</h3>
            <RulePicker rules rule/>
            <h3>"2. 选择农户"</h3>
            <div class="field-row">
                <label class="field">
                    <span>"村民小组"</span>
                    <Suspense fallback=Loading>
                        {move || Suspend::new(async move {
                            let groups = info.await.map(|v| v.groups).unwrap_or_default();
                            view! {
                                <select class="big-input" data-testid="batch-group"
                                    on:change=move |ev| group.set(event_target_value(&ev).parse::<i32>().ok().map(GroupId))>
                                    <option value="">"全部小组"</option>
                                    {groups.into_iter().map(|g| view! { <option value=g.id.0.to_string()>{g.name}</option> }).collect_view()}
                                </select>
                            }
                        })}
                    </Suspense>
                </label>
                <label class="field grow">
                    <span>"在列表中查找"</span>
                    <input type="search" class="big-input" placeholder="姓名或户卡号" data-testid="batch-filter"
                        prop:value=filter on:input=move |ev| filter.set(event_target_value(&ev))/>
                </label>
            </div>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match roster.await {
                        Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                        Ok(list) => {
                            let list = StoredValue::new(list);
                            let tick_all = move |_| {
                                let shown: Vec<OfficeHousehold> = list.with_value(|l| l.iter().filter(|h| matches(h)).cloned().collect());
                                picked.update(|p| for h in shown {
                                    if !p.iter().any(|x| x.id == h.id) { p.push(h); }
                                });
                            };
                            view! {
                                <div class="action-row">
                                    <button type="button" class="button" data-testid="batch-tick-all" on:click=tick_all>"全选列表中的农户"</button>
                                    <button type="button" class="button" on:click=move |_| picked.set(Vec::new())>"清空已选"</button>
                                </div>
                                <ul class="tick-list" data-testid="batch-roster">
                                    {move || list.with_value(|l| l.iter().filter(|h| matches(h)).cloned().collect::<Vec<_>>()).into_iter().map(|h| {
                                        let id = h.id;
                                        let row = h.clone();
                                        view! {
                                            <li>
                                                <label class="tick-row" class:chosen=move || is_picked(id)>
                                                    <input type="checkbox" prop:checked=move || is_picked(id)
                                                        on:change=move |ev| {
                                                            let on = event_target_checked(&ev);
                                                            picked.update(|p| {
                                                                p.retain(|x| x.id != id);
                                                                if on { p.push(row.clone()); }
                                                            });
                                                        }/>
                                                    <span class="tick-name">{h.head_name.clone()}</span>
                                                    <span class="tick-meta">{format!("{} · {}", h.group_name, h.card_no)}</span>
                                                    <span class="tick-balance">{format!("{} 分", h.balance)}</span>
                                                </label>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
            <h3>"3. 核对并录入"</h3>
            <DateAndReason date reason testid="batch" placeholder="如：11月全民清洁日集中打扫"/>
            <EvidenceInput village evidence/>
            <div class="preview" data-testid="batch-preview" aria-live="polite">
                {move || {
                    let n = picked.with(Vec::len);
                    match item() {
                        Some(i) => format!("已选 {n} 户 · 每户 {} 分 · 合计 {} 分（{}）", signed(i.points.into()), signed(i64::from(i.points) * n as i64), i.title),
                        None => format!("已选 {n} 户；请选择细则"),
                    }
                }}
            </div>
            <Show when=move || picked.with(|p| !p.is_empty())>
                <details class="batch-effect" open>
                    <summary>"各户录入前后积分"</summary>
                    <table class="ledger-table" data-testid="batch-effect">
                        <thead><tr><th>"户主"</th><th>"户卡号"</th><th class="num">"当前"</th><th class="num">"录入后"</th></tr></thead>
                        <tbody>
                            {move || {
                                let p = item().map(|i| i64::from(i.points)).unwrap_or(0);
                                picked.get().into_iter().map(|h| view! {
                                    <tr><td>{h.head_name}</td><td>{h.card_no}</td><td class="num">{h.balance}</td><td class="num strong">{h.balance + p}</td></tr>
                                }).collect_view()
                            }}
                        </tbody>
                    </table>
                </details>
            </Show>
            <button type="button" class="button button-primary button-block" data-testid="batch-submit"
                disabled=move || batch.pending().get() || picked.with(Vec::is_empty) || rule.with(Option::is_none)
                on:click=submit>
                {move || if batch.pending().get() { "正在录入…".to_string() } else { format!("确认为 {} 户录入", picked.with(Vec::len)) }}
            </button>
            {move || batch.value().get().map(|r| match r {
                Ok(n) => view! { <p class="form-ok" role="status" data-testid="batch-result">{format!("已为 {n} 户录入")}</p> }.into_any(),
                Err(e) => view! { <FormError message=e.to_string() testid="batch-error"/> }.into_any(),
            })}
        </section>
    }
}
