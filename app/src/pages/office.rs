//! `/office`: the village points clerk's desk (村积分管理工作台): record an
//! award or deduction with its effect shown first, and correct recent entries.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::types::{EvidenceView, OfficeHousehold};
use crate::api::{
    office_entries, office_households, office_members, record_entry, reverse_entry, village_rules,
    RecordEntry, ReverseEntry,
};
use crate::components::entry_fields::DateAndReason;
use crate::components::evidence::EvidenceInput;
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::office::{OfficeShell, OfficeVillage};
use crate::components::rule_picker::{chosen_rule, RulePicker};
use crate::domain::ledger::signed;
use crate::domain::time::china_day;
use crate::domain::{EntryId, MemberId, RuleItemId, VillageId};

/// State shared by the entry form and the recent-entries list.
#[derive(Clone, Copy)]
struct Desk {
    /// Bumped after every write so the recent-entries list reloads.
    version: RwSignal<u32>,
    /// The household picked in the entry form.
    chosen: RwSignal<Option<OfficeHousehold>>,
}

impl Desk {
    /// Takes a write's result into the shared state.
    fn written(&self, done: &crate::api::types::Recorded) {
        self.chosen.update(|c| {
            if let Some(h) = c.as_mut().filter(|h| h.id == done.household) {
                h.balance = done.balance_after;
            }
        });
        self.version.update(|v| *v += 1);
    }
}

/// The office page.
#[component]
pub fn OfficePage() -> impl IntoView {
    provide_context(Desk {
        version: RwSignal::new(0),
        chosen: RwSignal::new(None),
    });
    view! {
        <Title text="村积分管理工作台"/>
        <OfficeShell title="村积分管理工作台" current="/office">
            {move || {
                let ov = expect_context::<OfficeVillage>();
                let village = ov.id;
                view! {
                    <EntryForm village/>
                    <RecentEntries village/>
                    {(!ov.by_town).then(|| view! {
                        <p class="office-aside">
                            <a href=format!("/town/dashboard/{}", village.0) data-testid="village-dashboard-link">"本村考核指标（只读）"</a>
                            " · "
                            <a href=format!("/town/acceptance/{village}") data-testid="office-acceptance">"本村验收情况（只读）"</a>
                        </p>
                    })}
                }
            }}
        </OfficeShell>
    }
}

/// 积分录入: pick a household and a rule item, see the effect, record.
#[component]
fn EntryForm(village: VillageId) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let chosen = desk.chosen;
    let query = RwSignal::new(String::new());
    let searched = RwSignal::new(String::new());
    let rule = RwSignal::new(None::<RuleItemId>);
    let reason = RwSignal::new(String::new());
    let date = RwSignal::new(china_day(chrono::Utc::now()));
    let hits = Resource::new(
        move || searched.get(),
        move |q| async move {
            if q.trim().is_empty() {
                Ok(Vec::new())
            } else {
                office_households(Some(village), q).await
            }
        },
    );
    let rules = Resource::new(move || village, village_rules);
    let member = RwSignal::new(None::<MemberId>);
    let evidence = RwSignal::new(None::<EvidenceView>);
    let members = Resource::new(
        move || chosen.with(|c| c.as_ref().map(|h| h.id)),
        move |h| async move {
            match h {
                Some(h) => office_members(Some(village), h).await,
                None => Ok(Vec::new()),
            }
        },
    );
    // A new household starts with the whole household, not someone else's member.
    Effect::new(move |_| {
        chosen.track();
        member.set(None);
    });
    // Follow-ups run in the action itself, right after the server answers.
    let record = Action::new(move |args: &RecordEntry| {
        let args = args.clone();
        async move {
            let result = record_entry(
                args.household,
                args.rule_item,
                args.reason,
                args.occurred_on,
                args.member,
                args.evidence,
            )
            .await;
            if let Ok(done) = &result {
                reason.set(String::new());
                evidence.set(None);
                desk.written(done);
            }
            result
        }
    });

    let rule_points = move || chosen_rule(rules, rule).map(|i| i.points);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(h), Some(r)) = (chosen.get_untracked(), rule.get_untracked()) else {
            return;
        };
        record.dispatch(RecordEntry {
            household: h.id,
            rule_item: r,
            reason: reason.get_untracked(),
            occurred_on: date.get_untracked(),
            member: member.get_untracked(),
            evidence: evidence.get_untracked().map(|e| e.id),
        });
    };

    view! {
        <section class="panel" data-testid="entry-form">
            <h2>"积分录入"</h2>
            <form class="search-bar" on:submit=move |ev| { ev.prevent_default(); searched.set(query.get_untracked()); }>
                <input type="search" class="big-input" placeholder="户卡号 / 户主姓名 / 拼音首字母" aria-label="查找农户"
                    data-testid="office-search" prop:value=query on:input=move |ev| query.set(event_target_value(&ev))/>
                <button type="submit" class="button button-primary">"查找"</button>
            </form>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match hits.await {
                        Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                        Ok(list) => view! {
                            <ul class="hit-list" data-testid="office-hits">
                                {list.into_iter().map(|h| {
                                    let pick = h.clone();
                                    let is_chosen = { let id = h.id; move || chosen.with(|c| c.as_ref().map(|c| c.id) == Some(id)) };
                                    view! {
                                        <li>
                                            <button type="button" class="hit hit-button" class:chosen=is_chosen
                                                on:click=move |_| chosen.set(Some(pick.clone()))>
                                                <span class="hit-name">{h.head_name.clone()}</span>
                                                <span class="hit-meta">{format!("{} · 卡号 {}", h.group_name, h.card_no)}</span>
                                                <span class="hit-balance">{format!("{} 分", h.balance)}</span>
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
            <form on:submit=submit>
                <RulePicker rules rule/>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = members.await.unwrap_or_default();
                        (list.len() > 1).then(|| view! {
                            <label class="field">
                                <span>"家庭成员（可选）"</span>
                                <select class="big-input" data-testid="entry-member"
                                    on:change=move |ev| member.set(event_target_value(&ev).parse::<i32>().ok().map(MemberId))>
                                    <option value="">"全户"</option>
                                    {list.into_iter().map(|m| view! {
                                        <option value=m.id.0.to_string()>{format!("{}（{}）", m.name, m.relation)}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                        })
                    })}
                </Transition>
                <DateAndReason date reason testid="entry" placeholder="如：11月全民清洁日参加打扫"/>
                <EvidenceInput village evidence/>
                <div class="preview" data-testid="entry-preview" aria-live="polite">
                    {move || match (chosen.get(), rule_points()) {
                        (Some(h), Some(p)) => view! {
                            <span>{format!("{}（{}）：当前 {} 分 ", h.head_name, h.card_no, h.balance)}</span>
                            <strong class={if p >= 0 { "points-plus" } else { "points-minus" }}>{signed(p.into())}</strong>
                            <span>{format!(" → 录入后 {} 分", h.balance + i64::from(p))}</span>
                        }.into_any(),
                        (Some(h), None) => view! { <span>{format!("已选 {}（{}），当前 {} 分；请选择细则", h.head_name, h.card_no, h.balance)}</span> }.into_any(),
                        _ => view! { <span>"请先查找并选择农户"</span> }.into_any(),
                    }}
                </div>
                <button type="submit" class="button button-primary button-block" data-testid="entry-submit"
                    disabled=move || record.pending().get() || chosen.with(Option::is_none) || rule.with(Option::is_none)>
                    {move || if record.pending().get() { "正在保存…" } else { "确认录入" }}
                </button>
            </form>
            {move || record.value().get().map(|r| match r {
                Ok(done) => view! {
                    <p class="form-ok" role="status" data-testid="entry-result">
                        {format!("已录入：{} {} 分，现有 {} 分", done.head_name, signed(done.points.into()), done.balance_after)}
                    </p>
                }.into_any(),
                Err(e) => view! { <FormError message=e.to_string() testid="entry-error"/> }.into_any(),
            })}
        </section>
    }
}

/// 最近录入: the village's latest entries, each correctable by a reversal.
#[component]
fn RecentEntries(village: VillageId) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let entries = Resource::new(
        move || desk.version.get(),
        move |_| office_entries(Some(village)),
    );
    let open = RwSignal::new(None::<EntryId>);
    let why = RwSignal::new(String::new());
    let reverse = Action::new(move |args: &ReverseEntry| {
        let args = args.clone();
        async move {
            let result = reverse_entry(args.entry, args.reason).await;
            if let Ok(done) = &result {
                open.set(None);
                why.set(String::new());
                desk.written(done);
            }
            result
        }
    });
    view! {
        <section class="panel">
            <h2>"最近录入"</h2>
            {move || reverse.value().get().and_then(|r| r.err()).map(|e| view! {
                <FormError message=e.to_string() testid="reverse-error"/>
            })}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match entries.await {
                        Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                        Ok(list) => view! {
                            <ul class="entry-list" data-testid="recent-entries">
                                {list.into_iter().map(|e| {
                                    let id = e.id;
                                    let can_reverse = !e.reversed && e.reverses.is_none();
                                    view! {
                                        <li class="entry" class:reversed=e.reversed>
                                            <div class="entry-main">
                                                <span class="entry-item">{format!("{} · {}", e.head_name, e.item)}</span>
                                                <span class="entry-reason">{e.reason.clone()}</span>
                                                <span class="entry-date">
                                                    {format!("{} · 卡号 {}", e.occurred_on, e.card_no)}
                                                    {e.reversed.then_some(" · 已冲正")}
                                                </span>
                                                {can_reverse.then(|| view! {
                                                    <div class="reverse-row">
                                                        <Show when=move || open.get() == Some(id)
                                                            fallback=move || view! {
                                                                <button type="button" class="button" data-testid="reverse-open" on:click=move |_| open.set(Some(id))>"冲正"</button>
                                                            }>
                                                            <span class="reverse-effect" data-testid="reverse-effect">{format!("冲正后 {}：{} 分 → {} 分", e.head_name, e.balance, e.balance - i64::from(e.points))}</span>
                                                            <input type="text" class="big-input" placeholder="冲正原因" data-testid="reverse-reason"
                                                                prop:value=why on:input=move |ev| why.set(event_target_value(&ev))/>
                                                            <button type="button" class="button button-primary" data-testid="reverse-confirm"
                                                                disabled=move || reverse.pending().get()
                                                                on:click=move |_| { reverse.dispatch(ReverseEntry { entry: id, reason: why.get_untracked() }); }>"确认冲正"</button>
                                                            <button type="button" class="button" on:click=move |_| open.set(None)>"取消"</button>
                                                        </Show>
                                                    </div>
                                                })}
                                            </div>
                                            <span class={if e.points >= 0 { "points points-plus" } else { "points points-minus" }}>{signed(e.points.into())}</span>
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
