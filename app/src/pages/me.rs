//! `/me`: the villager's own page (我的积分): the balance in large digits,
//! this month's and year's points and the rank in the village; every entry
//! with its rule, reason and who recorded it, each open to an appeal
//! (申诉); declaring a good deed (申报); sign-ups, redemptions and the
//! household card's QR code. `/office/assist/:id` is the same page opened by
//! the village's clerk for a household without a phone (代办模式).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::types::{EvidenceView, MyEntry, MyHousehold, RuleCategoryView};
use crate::api::village_rules;
use crate::api::villager::{declare_deed, file_appeal, villager_home};
use crate::components::entry_fields::DateAndReason;
use crate::components::evidence::EvidenceInput;
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::folded_list::FoldedList;
use crate::components::office::OfficeShell;
use crate::components::rule_picker::RulePicker;
use crate::domain::ledger::signed;
use crate::domain::time::china_day;
use crate::domain::{EntryId, HouseholdId, MemberId, RuleItemId, VillageId};

/// The sections of the page, as big tab buttons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Entries,
    Declare,
    Appeals,
    Signups,
    Redemptions,
    Card,
}

const TABS: [(Tab, &str, &str); 6] = [
    (Tab::Entries, "积分明细", "tab-entries"),
    (Tab::Declare, "申报好事", "tab-declare"),
    (Tab::Appeals, "我的申诉", "tab-appeals"),
    (Tab::Signups, "活动报名", "tab-signups"),
    (Tab::Redemptions, "兑换记录", "tab-redemptions"),
    (Tab::Card, "我的户卡", "tab-card"),
];

/// State shared by the sections: which tab, a reload counter, and the last
/// success message (kept outside the reloading part so it stays visible).
#[derive(Clone, Copy)]
struct Me {
    household: Option<HouseholdId>,
    tab: RwSignal<Tab>,
    version: RwSignal<u32>,
    done: RwSignal<Option<String>>,
}

impl Me {
    fn reload(&self, message: String) {
        self.done.set(Some(message));
        self.version.update(|v| *v += 1);
    }
}

/// `/me`.
#[component]
pub fn MePage() -> impl IntoView {
    view! {
        <Title text="我的积分"/>
        <HouseholdDesk household=None/>
    }
}

/// `/office/assist/:id`: the clerk acting for a household (代办).
#[component]
pub fn AssistPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i32>().ok())
            .map(HouseholdId)
    };
    view! {
        <Title text="代村民办理"/>
        <OfficeShell title="代村民办理" current="/office/households">
            {move || match id() {
                Some(h) => view! { <HouseholdDesk household=Some(h)/> }.into_any(),
                None => view! { <p class="form-error" role="alert">"农户编号不正确"</p> }.into_any(),
            }}
        </OfficeShell>
    }
}

/// The household's page, for the villager or for the clerk acting for them.
#[component]
fn HouseholdDesk(household: Option<HouseholdId>) -> impl IntoView {
    let me = Me {
        household,
        tab: RwSignal::new(Tab::Entries),
        version: RwSignal::new(0),
        done: RwSignal::new(None),
    };
    provide_context(me);
    let home = Resource::new(move || me.version.get(), move |_| villager_home(household));
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match home.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(h) => view! { <Summary h/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Header figures, tabs and the current section.
#[component]
fn Summary(h: MyHousehold) -> impl IntoView {
    let me = expect_context::<Me>();
    let h = StoredValue::new(h);
    let hv = h.get_value();
    let tab = Memo::new(move |_| me.tab.get());
    let full_card = RwSignal::new(false);
    view! {
        <section class="role-home my-home" data-testid="role-home" data-role="villager">
            {hv.assisted.then(|| view! {
                <p class="assist-banner" role="note" data-testid="assist-banner">
                    {format!("代办模式：正在为 {}（户卡号 {}）办理。申报、申诉等操作将记为“工作人员代办”，并记入操作日志。", hv.head_name, hv.card_no)}
                </p>
            })}
            <h1>{if hv.assisted { "村民积分（代办）" } else { "我的积分" }}</h1>
            <p class="note">{format!("{} 户 · {}{} · 户卡号 {}", hv.head_name, hv.village_name, hv.group_name, hv.card_no)}</p>
            // The card first: it is what a villager opens the page for at
            // the counter.
            <button type="button" class="button button-primary button-block my-card-open" data-testid="show-card"
                on:click=move |_| full_card.set(true)>"出示户卡二维码"</button>
            <Show when=move || full_card.get()>
                <FullCard h=h.get_value() open=full_card/>
            </Show>
            <div class="balance-card my-balance">
                <p class="balance-label">"可用积分"</p>
                <p class="balance-value" data-testid="my-balance">{hv.balance}</p>
            </div>
            <div class="stat-row">
                <div class="stat"><span class="stat-value" data-testid="my-month">{signed(hv.month_points)}</span><span class="stat-label">{format!("{}积分", hv.month_label)}</span></div>
                <div class="stat"><span class="stat-value" data-testid="my-year">{signed(hv.year_points)}</span><span class="stat-label">"本年积分"</span></div>
                <div class="stat"><span class="stat-value" data-testid="my-rank">{hv.rank}</span><span class="stat-label">{format!("本年村内名次（共 {} 户）", hv.ranked_of)}</span></div>
            </div>
            {move || me.done.get().map(|m| view! { <p class="form-ok" role="status" data-testid="me-done">{m}</p> })}
            <nav class="my-tabs" aria-label="我的积分">
                {TABS.iter().map(|(t, label, testid)| {
                    let t = *t;
                    view! {
                        <button type="button" class="my-tab" class:active=move || tab.get() == t
                            aria-pressed=move || (tab.get() == t).to_string()
                            data-testid=*testid on:click=move |_| { me.done.set(None); me.tab.set(t); }>{*label}</button>
                    }
                }).collect_view()}
            </nav>
            {move || {
                let h = h.get_value();
                match tab.get() {
                    Tab::Entries => view! { <Entries entries=h.entries/> }.into_any(),
                    Tab::Declare => view! { <Declare h/> }.into_any(),
                    Tab::Appeals => view! { <Appeals h/> }.into_any(),
                    Tab::Signups => view! { <Signups h/> }.into_any(),
                    Tab::Redemptions => view! { <Redemptions h/> }.into_any(),
                    Tab::Card => view! { <Card h/> }.into_any(),
                }
            }}
        </section>
    }
}

/// 积分明细: every entry, each with its appeal history and an appeal button.
#[component]
fn Entries(entries: Vec<MyEntry>) -> impl IntoView {
    let me = expect_context::<Me>();
    let open = RwSignal::new(None::<EntryId>);
    let why = RwSignal::new(String::new());
    let appeal = Action::new(move |(entry, reason): &(EntryId, String)| {
        let (entry, reason) = (*entry, reason.clone());
        async move {
            let r = file_appeal(entry, reason).await;
            if r.is_ok() {
                open.set(None);
                why.set(String::new());
                me.reload("申诉已提交，村积分管理员答复后会显示在这条记录下".into());
            }
            r
        }
    });
    view! {
        {entries.is_empty().then(|| view! { <p class="empty">"暂无积分记录"</p> })}
        <FoldedList items=entries class="entry-list my-entries" testid="my-entries" render=move |e: MyEntry| {
                let id = e.id;
                let plus = e.points > 0;
                view! {
                    <li class="entry" class:reversed=e.reversed data-testid="my-entry">
                        <div class="entry-main">
                            <span class="entry-item">{e.item.clone()}</span>
                            <span class="entry-reason">{e.reason.clone()}</span>
                            {e.activity.clone().map(|a| view! { <span class="entry-meta">{format!("活动：{a}")}</span> })}
                            <span class="entry-date">
                                {format!("{} · 记录人：{}", e.occurred_on, e.recorded_by)}
                                {e.reversed.then_some(" · 已冲正")}
                                {e.reverses.map(|_| " · 冲正记录")}
                            </span>
                            {e.appeals.into_iter().map(|a| view! {
                                <div class="appeal-note" data-testid="entry-appeal">
                                    <p>{format!("申诉（{}，{}{}）：{}", a.status_label, a.filed_at, if a.assisted { "，工作人员代办" } else { "" }, a.reason)}</p>
                                    {a.answer.map(|ans| view! { <p class="appeal-answer">{format!("答复（{}）：{}", a.answered_at.unwrap_or_default(), ans)}</p> })}
                                </div>
                            }).collect_view()}
                            {e.may_appeal.then(|| view! {
                                <div class="reverse-row">
                                    <Show when=move || open.get() == Some(id)
                                        fallback=move || view! {
                                            <button type="button" class="button" data-testid="appeal-open"
                                                on:click=move |_| { why.set(String::new()); open.set(Some(id)); }>"对此记录申诉"</button>
                                        }>
                                        <label class="field grow">
                                            <span>"申诉理由"</span>
                                            <textarea class="big-input" rows="3" maxlength="200" placeholder="请写明您认为哪里不对，如：当天我家有人在家，并未缺席"
                                                data-testid="appeal-reason" prop:value=why on:input=move |ev| why.set(event_target_value(&ev))></textarea>
                                        </label>
                                        <button type="button" class="button button-primary" data-testid="appeal-submit"
                                            disabled=move || appeal.pending().get()
                                            on:click=move |_| { appeal.dispatch((id, why.get_untracked())); }>
                                            {move || if appeal.pending().get() { "正在提交…" } else { "提交申诉" }}
                                        </button>
                                        <button type="button" class="button" on:click=move |_| open.set(None)>"取消"</button>
                                        {move || appeal.value().get().and_then(|r| r.err()).map(|e| view! {
                                            <FormError message=e.to_string() testid="appeal-error"/>
                                        })}
                                    </Show>
                                </div>
                            })}
                        </div>
                        <span class=if plus { "points points-plus" } else { "points points-minus" }>{signed(e.points.into())}</span>
                    </li>
                }
            }/>
    }
}

/// Keeps the items that award points: a villager declares good deeds only.
fn awards_only(cats: Vec<RuleCategoryView>) -> Vec<RuleCategoryView> {
    cats.into_iter()
        .map(|mut c| {
            c.items.retain(|i| i.points > 0);
            c
        })
        .filter(|c| !c.items.is_empty())
        .collect()
}

/// 申报好事: declare a good deed for the clerk's review, and what became of
/// earlier declarations.
#[component]
fn Declare(h: MyHousehold) -> impl IntoView {
    let me = expect_context::<Me>();
    let village: VillageId = h.village_id;
    let rules = Resource::new(
        move || village,
        |v| async move { village_rules(v).await.map(awards_only) },
    );
    let rule = RwSignal::new(None::<RuleItemId>);
    let member = RwSignal::new(None::<MemberId>);
    let reason = RwSignal::new(String::new());
    let date = RwSignal::new(china_day(chrono::Utc::now()));
    let evidence = RwSignal::new(None::<EvidenceView>);
    let household = me.household;
    let declare = Action::new(move |_: &()| {
        let (r, m, why, on, ev) = (
            rule.get_untracked(),
            member.get_untracked(),
            reason.get_untracked(),
            date.get_untracked(),
            evidence.get_untracked().map(|e| e.id),
        );
        async move {
            let Some(r) = r else {
                return Err(crate::error::AppError::invalid("请选择申报的积分细则"));
            };
            let result = declare_deed(household, r, on, why, m, ev).await;
            if result.is_ok() {
                me.reload("申报已提交，等待村积分管理员审核".into());
            }
            result
        }
    });
    let members = h.members.clone();
    view! {
        <section class="panel" data-testid="declare-form">
            <h2>"申报好人好事"</h2>
            <p class="note">"做了好事可以自己申报，村积分管理员核实后加分。请写清楚时间、地点和做了什么，有照片更好。"</p>
            <form on:submit=move |ev| { ev.prevent_default(); declare.dispatch(()); }>
                <RulePicker rules rule/>
                {(members.len() > 1).then(|| view! {
                    <label class="field">
                        <span>"家庭成员"</span>
                        <select class="big-input" data-testid="declare-member"
                            on:change=move |ev| member.set(event_target_value(&ev).parse::<i32>().ok().map(MemberId))>
                            <option value="">"全户"</option>
                            {members.into_iter().map(|m| view! {
                                <option value=m.id.0.to_string()>{format!("{}（{}）", m.name, m.relation)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                })}
                <DateAndReason date reason testid="declare" placeholder="如：11月20日帮五保户张大爷收玉米"/>
                <EvidenceInput village evidence/>
                <button type="submit" class="button button-primary button-block" data-testid="declare-submit"
                    disabled=move || declare.pending().get()>
                    {move || if declare.pending().get() { "正在提交…" } else { "提交申报" }}
                </button>
                {move || declare.value().get().and_then(|r| r.err()).map(|e| view! {
                    <FormError message=e.to_string() testid="declare-error"/>
                })}
            </form>
        </section>
        <h2>"我的申报"</h2>
        {h.declarations.is_empty().then(|| view! { <p class="empty">"还没有申报过"</p> })}
        <ul class="entry-list" data-testid="my-declarations">
            {h.declarations.into_iter().map(|d| view! {
                <li class="entry" data-testid="my-declaration">
                    <div class="entry-main">
                        <span class="entry-item">{d.item}</span>
                        <span class="entry-reason">{d.reason}</span>
                        <span class="entry-date">{format!("发生 {} · 申报于 {}{}", d.occurred_on, d.declared_at, if d.assisted { " · 工作人员代办" } else { "" })}</span>
                        <span class="status-chip" class:ok={ d.approved == Some(true) } class:no={ d.approved == Some(false) }>{d.status_label}</span>
                        {d.decision.filter(|r| !r.is_empty()).map(|r| view! { <span class="entry-meta">{format!("审核意见：{r}")}</span> })}
                    </div>
                    <span class="points points-plus">{signed(d.points.into())}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// 我的申诉: every appeal and its answer.
#[component]
fn Appeals(h: MyHousehold) -> impl IntoView {
    view! {
        <p class="note">"对某条积分有异议，请在“积分明细”中找到这条记录，点“对此记录申诉”。"</p>
        {h.appeals.is_empty().then(|| view! { <p class="empty">"没有申诉"</p> })}
        <ul class="entry-list" data-testid="my-appeals">
            {h.appeals.into_iter().rev().map(|a| view! {
                <li class="entry" data-testid="my-appeal">
                    <div class="entry-main">
                        <span class="entry-item">{format!("{} {}（{}）", a.entry_date, a.entry_item, signed(a.entry_points.into()))}</span>
                        <span class="entry-reason">{format!("申诉理由：{}", a.reason)}</span>
                        <span class="entry-date">{format!("提交于 {}{}", a.filed_at, if a.assisted { " · 工作人员代办" } else { "" })}</span>
                        <span class="status-chip" class:ok={ a.reversal.is_some() } class:no={ a.answer.is_some() && a.reversal.is_none() }>{a.status_label}</span>
                        {a.answer.map(|ans| view! { <span class="entry-meta">{format!("答复：{ans}")}</span> })}
                    </div>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// 活动报名: the household's sign-ups.
#[component]
fn Signups(h: MyHousehold) -> impl IntoView {
    view! {
        <p><a class="button button-primary" href=format!("/village/{}/activities", h.village_id)>"查看本村活动并报名"</a></p>
        {h.signups.is_empty().then(|| view! { <p class="empty">"还没有报名活动"</p> })}
        <ul class="entry-list" data-testid="my-signups">
            {h.signups.into_iter().map(|s| view! {
                <li class="entry">
                    <div class="entry-main">
                        <a class="entry-item" href=format!("/activity/{}", s.activity_id)>{s.title}</a>
                        <span class="entry-date">{format!("{} · {}", s.starts_at, s.place)}</span>
                        <span class="entry-meta">{format!("{} · {}{}", s.member, s.state, if s.assisted { " · 工作人员代报名" } else { "" })}</span>
                    </div>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// 兑换记录.
#[component]
fn Redemptions(h: MyHousehold) -> impl IntoView {
    view! {
        {h.redemptions.is_empty().then(|| view! { <p class="empty">"暂无兑换记录"</p> })}
        <ul class="entry-list" data-testid="my-redemptions">
            {h.redemptions.into_iter().map(|r| view! {
                <li class="entry">
                    <div class="entry-main">
                        <span class="entry-item">{r.items}</span>
                        <span class="entry-date">{format!("{} · 小票号 {}", r.date, r.receipt_no)}</span>
                    </div>
                    <span class={ if r.total >= 0 { "points points-minus" } else { "points points-plus" } }>{signed(-r.total)}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// 我的户卡: the card's QR code, to show at the supermarket counter.
#[component]
fn Card(h: MyHousehold) -> impl IntoView {
    view! {
        <section class="my-card" data-testid="my-card">
            <p class="my-card-village">{format!("{} 积分户卡", h.village_name)}</p>
            <div class="my-card-qr" inner_html=h.qr_svg aria-label=format!("户卡号 {} 的二维码", h.card_no)></div>
            <p class="my-card-no">{format!("户卡号 {}", h.card_no)}</p>
            <p class="my-card-name">{format!("户主 {}", h.head_name)}</p>
            <p class="note">"到积分超市兑换时，把这个二维码给工作人员扫一下即可。"</p>
        </section>
    }
}

/// The card's QR code over the whole screen, as large as the phone allows,
/// for the counter's scanner.
#[component]
fn FullCard(h: MyHousehold, open: RwSignal<bool>) -> impl IntoView {
    view! {
        <div class="my-card-full" role="dialog" aria-modal="true" aria-label="户卡二维码" data-testid="full-card">
            <p class="my-card-village">{format!("{} 积分户卡", h.village_name)}</p>
            <div class="my-card-qr" inner_html=h.qr_svg aria-label=format!("户卡号 {} 的二维码", h.card_no)></div>
            <p class="my-card-no">{format!("户卡号 {}", h.card_no)}</p>
            <p class="my-card-name">{format!("户主 {}", h.head_name)}</p>
            <button type="button" class="button button-block" data-testid="full-card-close"
                on:click=move |_| open.set(false)>"关闭"</button>
        </div>
    }
}
