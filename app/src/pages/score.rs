//! `/score`: the scorer's page (评分员), made for a phone in the field: find
//! a household, pick the rule, note the date and what was seen, add a photo
//! where the rule asks for one, and send it to the clerk's review queue.
//! Below, the scorer's own proposals and what the clerk decided.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::score::{scorer_home, scorer_propose, ScoreHousehold, ScorerView};
use crate::api::types::EvidenceView;
use crate::api::village_rules;
use crate::components::entry_fields::DateAndReason;
use crate::components::evidence::EvidenceInput;
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::rule_picker::{chosen_rule, RulePicker};
use crate::domain::ledger::signed;
use crate::domain::time::china_day;
use crate::domain::RuleItemId;

/// How many matching households the picker lists at once.
const SHOWN: usize = 20;

/// The page.
#[component]
pub fn ScorerPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let home = Resource::new(move || version.get(), |_| scorer_home());
    // Outside the reloaded part, so the confirmation outlives the reload.
    let done = RwSignal::new(None::<String>);
    view! {
        <Title text="评分员"/>
        <h1>"评分员工作台"</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match home.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(h) => view! { <Scoring h version done/> }.into_any(),
                }
            })}
        </Transition>
        <p><a class="button" href="/me/password">"修改我的密码"</a></p>
    }
}

#[component]
fn Scoring(h: ScorerView, version: RwSignal<u32>, done: RwSignal<Option<String>>) -> impl IntoView {
    let village = h.village;
    let rules = Resource::new(move || village, village_rules);
    let households = StoredValue::new(h.households);
    let query = RwSignal::new(String::new());
    let picked = RwSignal::new(None::<ScoreHousehold>);
    let rule = RwSignal::new(None::<RuleItemId>);
    let reason = RwSignal::new(String::new());
    let today = china_day(chrono::Utc::now());
    let date = RwSignal::new(today);
    let evidence = RwSignal::new(None::<EvidenceView>);
    let send = Action::new(move |_: &()| {
        let (hh, r, on, why, ev) = (
            picked.get_untracked().map(|h| h.id),
            rule.get_untracked(),
            date.get_untracked(),
            reason.get_untracked(),
            evidence.get_untracked().map(|e| e.id),
        );
        async move {
            let (Some(hh), Some(r)) = (hh, r) else {
                return Err(crate::error::AppError::invalid("请先选择农户和积分细则"));
            };
            let result = scorer_propose(hh, r, on, why, None, ev).await;
            if result.is_ok() {
                done.set(picked.get_untracked().map(|h| {
                    format!(
                        "已提交：{}（{}），等待村积分管理员审核",
                        h.head_name, h.card_no
                    )
                }));
                picked.set(None);
                rule.set(None);
                reason.set(String::new());
                evidence.set(None);
                version.update(|x| *x += 1);
            }
            result
        }
    });
    let matches = move || {
        let q = query.get();
        let q = q.trim();
        households.with_value(|hs| {
            hs.iter()
                .filter(|h| q.is_empty() || h.card_no.contains(q) || h.head_name.contains(q))
                .take(SHOWN)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let count = households.with_value(Vec::len);
    let scope = match &h.group_name {
        Some(g) => format!("{} · {g}", h.village_name),
        None => h.village_name.clone(),
    };
    view! {
        <p class="note">{format!("{scope}：可评分农户 {count} 户。评分提交后由村积分管理员审核，审核通过才记入积分。")}</p>
        {move || done.get().map(|m| view! { <p class="form-ok" role="status" data-testid="score-done">{m}</p> })}
        <section class="panel" data-testid="score-form">
            <h2>"1. 选择农户"</h2>
            {move || match picked.get() {
                Some(hh) => view! {
                    <div class="picked-household" data-testid="score-picked">
                        <strong>{format!("{}（{}）", hh.head_name, hh.card_no)}</strong>
                        <span class="note">{hh.group_name.clone()}</span>
                        <button type="button" class="button" on:click=move |_| picked.set(None)>"换一户"</button>
                    </div>
                }.into_any(),
                None => view! {
                    <label class="field">
                        <span>"户主姓名或户卡号"</span>
                        <input type="search" class="big-input" data-testid="score-search"
                            prop:value=query on:input=move |ev| query.set(event_target_value(&ev))/>
                    </label>
                    <ul class="pick-list">
                        {move || matches().into_iter().map(|hh| {
                            let label = format!("{}（{}）", hh.head_name, hh.card_no);
                            let group = hh.group_name.clone();
                            view! {
                                <li>
                                    <button type="button" class="pick-button" data-testid="score-household"
                                        on:click=move |_| picked.set(Some(hh.clone()))>
                                        <span>{label}</span><span class="note">{group}</span>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <h2>"2. 积分细则"</h2>
            <RulePicker rules rule/>
            {move || chosen_rule(rules, rule).map(|i| view! {
                <p class="note" data-testid="score-points">{format!("{} 分{}", signed(i64::from(i.points)), if i.evidence_required { "，须上传照片" } else { "" })}</p>
            })}
            <h2>"3. 日期、事由和照片"</h2>
            <DateAndReason date reason testid="score" placeholder="如：12月1日入户检查，院落整洁"/>
            <EvidenceInput village evidence/>
            <button type="button" class="button button-primary button-block" data-testid="score-submit"
                disabled=move || send.pending().get()
                on:click=move |_| { done.set(None); send.dispatch(()); }>
                {move || if send.pending().get() { "正在提交…" } else { "提交评分" }}
            </button>
            {move || send.value().get().and_then(Result::err).map(|e| view! {
                <FormError message=e.to_string() testid="score-error"/>
            })}
        </section>
        <section class="panel">
            <h2>"我最近提交的评分"</h2>
            {h.recent.is_empty().then(|| view! { <p class="empty">"还没有提交过"</p> })}
            <ul class="entry-list" data-testid="score-recent">
                {h.recent.into_iter().map(|p| view! {
                    <li class="entry">
                        <span class="entry-title">{format!("{} · {}", p.household, p.item)}</span>
                        <span class="entry-points">{signed(i64::from(p.points))}</span>
                        <span class="entry-date">{format!("发生 {} · 提交于 {} · {}", p.occurred_on, p.proposed_at, p.status)}</span>
                        {p.review_reason.map(|r| view! { <span class="note">{format!("审核意见：{r}")}</span> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
