//! `/town/funds` (and `/funds` for the public once published) and
//! `/town/funds/:village`: the town's fund ledger (资金台账 — 村财镇代管、
//! 专款专用). The town admin sees every village's money at a glance with the
//! plan's warnings, publishes the summary, records tranches and spending
//! with a voucher photo, reverses mistakes (冲销) and reconciles points
//! against goods and money (对账). A village admin reads their own village.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::funds::{
    get_funds_overview, get_reconciliation, get_village_funds, grant_fund, record_payment,
    record_spending, reverse_payment, reverse_spending, set_funds_public, FundView, FundsOverview,
    PaymentForm, PaymentView, SpendingView, VillageFunds,
};
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::upload::{picked_file, upload_form, PickedFiles};
use crate::domain::funds::{yuan, FundKind, SpendCategory};
use crate::domain::time::china_day;
use crate::domain::{FundId, PaymentId, SpendingId, VillageId};
use crate::error::AppError;

fn money(fen: i64) -> String {
    format!("{} 元", yuan(fen))
}

/// `/town/funds` and `/funds`.
#[component]
pub fn FundsPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(move || refresh.get(), |_| get_funds_overview());
    view! {
        <Title text="资金台账"/>
        <h1>"资金台账"</h1>
        <p class="note">"村财镇代管、专款专用：每村区级补助 7,000 元（4 月底前拨付 50%，验收通过后拨付 50%），全部用于积分制（积分超市商品、超市建设）；示范村奖补至少 60% 用于积分制。"</p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(o) => view! { <Overview o refresh/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Overview(o: FundsOverview, refresh: RwSignal<u32>) -> impl IntoView {
    let publish = Action::new(move |on: &bool| {
        let on = *on;
        async move {
            let r = set_funds_public(on).await;
            if r.is_ok() {
                refresh.update(|n| *n += 1);
            }
            r
        }
    });
    let total = |f: fn(&crate::api::funds::VillageFundsRow) -> i64| -> i64 {
        o.villages.iter().map(f).sum()
    };
    let (granted, received, spent, balance) = (
        total(|r| r.granted_fen),
        total(|r| r.received_fen),
        total(|r| r.spent_fen),
        total(|r| r.balance_fen),
    );
    let warned = o.villages.iter().filter(|r| !r.warnings.is_empty()).count();
    let may_write = o.may_write;
    let published = o.published;
    view! {
        {may_write.then(|| view! {
            <section class="panel funds-publish">
                <p>
                    {if published { "资金汇总已向公众公开（无需登录即可查看各村汇总，不含明细和凭证）。" } else { "资金汇总目前仅镇管理员可见；村管理员可查看本村资金（只读）。" }}
                </p>
                <button type="button" class="button" data-testid="funds-publish"
                    disabled=move || publish.pending().get()
                    on:click=move |_| { publish.dispatch(!published); }>
                    {if published { "取消公开" } else { "向公众公开资金汇总" }}
                </button>
                {move || publish.value().get().and_then(|r| r.err()).map(|e| view! { <FormError message=e.to_string()/> })}
            </section>
        })}
        {(!may_write).then(|| view! { <p class="note" data-testid="funds-public-note">"以下为镇政府公开的各村积分制资金汇总。"</p> })}
        <div class="stat-row funds-totals">
            <div class="stat"><span class="stat-value">{yuan(granted)}</span><span class="stat-label">"核定资金（元）"</span></div>
            <div class="stat"><span class="stat-value">{yuan(received)}</span><span class="stat-label">"已到账（元）"</span></div>
            <div class="stat"><span class="stat-value">{yuan(spent)}</span><span class="stat-label">"已支出（元）"</span></div>
            <div class="stat"><span class="stat-value">{yuan(balance)}</span><span class="stat-label">"结余（元）"</span></div>
            <div class="stat"><span class="stat-value">{warned}</span><span class="stat-label">"有提醒的村"</span></div>
        </div>
        <ul class="funds-villages" data-testid="funds-villages">
            {o.villages.into_iter().map(|r| {
                let warn = !r.warnings.is_empty();
                let name = r.name.clone();
                view! {
                    <li class="funds-village" class:funds-warned=warn data-village=r.village_id.to_string()>
                        <h2>
                            {if may_write {
                                view! { <a href=format!("/town/funds/{}", r.village_id)>{name}</a> }.into_any()
                            } else {
                                view! { <span>{name}</span> }.into_any()
                            }}
                            {if warn {
                                view! { <span class="badge badge-warn">{format!("{} 条提醒", r.warnings.len())}</span> }.into_any()
                            } else {
                                view! { <span class="badge">"正常"</span> }.into_any()
                            }}
                        </h2>
                        <dl class="funds-figures">
                            <dt>"核定"</dt><dd>{money(r.granted_fen)}</dd>
                            <dt>"到账"</dt><dd>{money(r.received_fen)}</dd>
                            <dt>"支出"</dt><dd>{money(r.spent_fen)}</dd>
                            <dt>"其中积分制"</dt><dd>{money(r.points_fen)}</dd>
                            <dt>"结余"</dt><dd class="strong">{money(r.balance_fen)}</dd>
                            <dt>"补助拨付"</dt><dd>{format!("{} / 2 笔", r.tranches_paid)}</dd>
                        </dl>
                        {warn.then(|| view! {
                            <ul class="funds-warnings">
                                {r.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}
                            </ul>
                        })}
                        {may_write.then(|| view! {
                            <a class="button" href=format!("/town/funds/{}", r.village_id)>"查看明细、登记支出"</a>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// `/town/funds/:village`.
#[component]
pub fn VillageFundsPage() -> impl IntoView {
    let params = use_params_map();
    let village = move || {
        params
            .read()
            .get("village")
            .and_then(|s| s.parse::<i32>().ok())
            .map(VillageId)
    };
    let refresh = RwSignal::new(0u32);
    // The spending form's outcome lives here: a saved spending refreshes
    // the page, which rebuilds the form.
    let flash = RwSignal::new(None::<Result<String, AppError>>);
    let data = Resource::new(
        move || (village(), refresh.get()),
        |(v, _)| async move {
            match v {
                Some(v) => get_village_funds(v).await,
                None => Err(AppError::not_found("找不到该村（社区）")),
            }
        },
    );
    view! {
        <Title text="村资金台账"/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(d) => view! { <VillageBooks d refresh flash/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn VillageBooks(
    d: VillageFunds,
    refresh: RwSignal<u32>,
    flash: RwSignal<Option<Result<String, AppError>>>,
) -> impl IntoView {
    let may_write = d.may_write;
    let village = d.village_id;
    let missing: Vec<FundKind> = FundKind::ALL
        .into_iter()
        .filter(|k| !d.funds.iter().any(|f| f.kind == *k))
        .collect();
    let no_funds = d.funds.is_empty();
    let fund_choices: Vec<(FundId, String)> = d
        .funds
        .iter()
        .map(|f| (f.id, f.kind_label.clone()))
        .collect();
    view! {
        <h1 data-testid="funds-village-name">{format!("{} · 资金台账", d.name)}</h1>
        <p class="note">
            {match &d.accepted_on {
                Some(a) => format!("验收：{a} 通过。"),
                None => "验收：尚未通过。".to_string(),
            }}
            {(!may_write).then_some("本页为只读：资金由镇政府代管，如有疑问请联系镇管理员。")}
        </p>
        <p>
            {may_write.then(|| view! { <a class="button" href="/town/funds">"返回各村资金"</a> })}
            {(!may_write).then(|| view! { <a class="button" href="/office">"返回积分管理"</a> })}
        </p>
        <div class="funds-cards" data-testid="funds-cards">
            {d.funds.into_iter().map(|f| view! { <FundCard f may_write refresh/> }).collect_view()}
        </div>
        {no_funds.then(|| view! { <p class="empty">"还没有登记资金"</p> })}
        {(may_write && !fund_choices.is_empty()).then(|| view! { <SpendForm funds=fund_choices.clone() refresh result=flash/> })}
        <SpendingList rows=d.spending may_write refresh/>
        <PaymentList rows=d.payments may_write refresh/>
        {(may_write && !missing.is_empty()).then(|| view! { <GrantForm village missing refresh/> })}
        <ReconcilePanel village first=d.first_month last=d.this_month/>
    }
    .into_any()
}

#[component]
fn FundCard(f: FundView, may_write: bool, refresh: RwSignal<u32>) -> impl IntoView {
    let warn = !f.warnings.is_empty();
    let fund = f.id;
    view! {
        <section class="panel funds-card" class:funds-warned=warn data-testid="fund-card" data-kind=f.kind.as_str()>
            <h2>{f.kind_label.clone()}</h2>
            <dl class="funds-figures">
                <dt>"核定"</dt><dd>{money(f.granted_fen)}</dd>
                <dt>"下达日期"</dt><dd>{f.granted_on.clone()}</dd>
                <dt>"到账"</dt><dd>{money(f.received_fen)}</dd>
                <dt>"支出"</dt><dd>{money(f.spent_fen)}</dd>
                <dt>"其中积分制"</dt><dd>{money(f.points_fen)}</dd>
                <dt>"结余"</dt><dd class="strong">{money(f.balance_fen)}</dd>
            </dl>
            <h3>"拨付"</h3>
            <ul class="funds-tranches">
                {f.tranches.into_iter().map(|t| {
                    let paid = t.paid_on.clone();
                    view! {
                        <li data-testid="tranche">
                            <span>{t.label.clone()}</span>" "
                            {match paid {
                                Some(day) => view! { <span class="badge">{format!("{day} 已拨付 {}", money(t.paid_fen))}</span> }.into_any(),
                                None => view! { <span class="badge badge-warn">"未拨付"</span> }.into_any(),
                            }}
                            {(may_write && t.paid_on.is_none()).then(|| view! {
                                <TranchePay fund tranche=t.tranche standard=t.standard_fen refresh/>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {warn.then(|| view! {
                <ul class="funds-warnings" data-testid="fund-warnings">
                    {f.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
fn TranchePay(fund: FundId, tranche: i32, standard: i64, refresh: RwSignal<u32>) -> impl IntoView {
    let amount = RwSignal::new(crate::domain::stock::format_fen(standard));
    let paid_on = RwSignal::new(china_day(chrono::Utc::now()));
    let save = Action::new(move |form: &PaymentForm| {
        let form = form.clone();
        async move {
            let r = record_payment(form).await;
            if r.is_ok() {
                refresh.update(|n| *n += 1);
            }
            r
        }
    });
    view! {
        <div class="funds-inline">
            <input type="date" class="big-input" aria-label="拨付日期" prop:value=paid_on
                on:input=move |ev| paid_on.set(event_target_value(&ev))/>
            <input type="text" inputmode="decimal" class="big-input" aria-label="金额（元）" prop:value=amount
                on:input=move |ev| amount.set(event_target_value(&ev))/>
            <button type="button" class="button" data-testid="tranche-pay" disabled=move || save.pending().get()
                on:click=move |_| {
                    save.dispatch(PaymentForm {
                        fund,
                        tranche,
                        amount: amount.get_untracked(),
                        paid_on: paid_on.get_untracked(),
                        note: "区财政拨付".into(),
                    });
                }>"登记拨付"</button>
            {move || save.value().get().and_then(|r| r.err()).map(|e| view! { <FormError message=e.to_string()/> })}
        </div>
    }
}

#[component]
fn GrantForm(village: VillageId, missing: Vec<FundKind>, refresh: RwSignal<u32>) -> impl IntoView {
    let kind = RwSignal::new(missing[0]);
    let granted_on = RwSignal::new(china_day(chrono::Utc::now()));
    let note = RwSignal::new(String::new());
    let save = Action::new(move |_: &()| async move {
        let r = grant_fund(
            village,
            kind.get_untracked(),
            granted_on.get_untracked(),
            note.get_untracked(),
        )
        .await;
        if r.is_ok() {
            refresh.update(|n| *n += 1);
        }
        r
    });
    view! {
        <section class="panel">
            <h2>"登记资金"</h2>
            <p class="note">"区级补助 7,000 元分两笔拨付；示范村奖补（区级 30,000 元、镇级 10,000 元）登记当日全额到账。"</p>
            <div class="field-row">
                <label class="field grow">
                    <span>"资金类别"</span>
                    <select class="group-select" on:change=move |ev| if let Some(k) = FundKind::parse(&event_target_value(&ev)) { kind.set(k) }>
                        {missing.iter().map(|&k| {
                            view! { <option value=k.as_str() selected=move || kind.get() == k>{format!("{}（{}）", k.label(), money(k.standard_fen()))}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field grow">
                    <span>"下达日期"</span>
                    <input type="date" class="big-input" prop:value=granted_on on:input=move |ev| granted_on.set(event_target_value(&ev))/>
                </label>
                <label class="field grow">
                    <span>"备注"</span>
                    <input type="text" class="big-input" maxlength="100" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))/>
                </label>
            </div>
            <button type="button" class="button button-primary" disabled=move || save.pending().get()
                on:click=move |_| { save.dispatch(()); }>"登记"</button>
            {move || save.value().get().and_then(|r| r.err()).map(|e| view! { <FormError message=e.to_string()/> })}
        </section>
    }
}

#[component]
fn SpendForm(
    funds: Vec<(FundId, String)>,
    refresh: RwSignal<u32>,
    result: RwSignal<Option<Result<String, AppError>>>,
) -> impl IntoView {
    let fund = RwSignal::new(funds[0].0);
    let spent_on = RwSignal::new(china_day(chrono::Utc::now()));
    let amount = RwSignal::new(String::new());
    let category = RwSignal::new(SpendCategory::Goods.as_str().to_string());
    let description = RwSignal::new(String::new());
    let photo_name = RwSignal::new(None::<String>);
    // The voucher photo, until the spending is recorded.
    let voucher = PickedFiles::new("spending-voucher");
    let save = Action::new_local(move |_: &()| async move {
        let file = voucher.get();
        let Some(data) = upload_form(
            &[
                ("fund", &fund.get_untracked().to_string()),
                ("spent_on", &spent_on.get_untracked()),
                ("amount", &amount.get_untracked()),
                ("category", &category.get_untracked()),
                ("description", &description.get_untracked()),
            ],
            file.as_ref().map(|f| ("photo", f)),
        ) else {
            result.set(Some(Err(AppError::Internal)));
            return;
        };
        match record_spending(data.into()).await {
            Ok(_) => {
                voucher.set(None);
                photo_name.set(None);
                amount.set(String::new());
                description.set(String::new());
                result.set(Some(Ok("已登记".into())));
                refresh.update(|n| *n += 1);
            }
            Err(e) => result.set(Some(Err(e))),
        }
    });
    let on_photo = move |ev: leptos::ev::Event| {
        let file = picked_file(&ev);
        photo_name.set(file.as_ref().map(|f| f.name()));
        voucher.set(file);
    };
    view! {
        <section class="panel funds-spend" data-testid="spend-form">
            <h2>"登记支出"</h2>
            <div class="field-row">
                <label class="field grow">
                    <span>"资金来源"</span>
                    <select class="group-select" data-testid="spend-fund"
                        on:change=move |ev| { if let Ok(id) = event_target_value(&ev).parse() { fund.set(FundId(id)) } }>
                        {funds.iter().map(|(id, label)| {
                            let id = *id;
                            view! { <option value=id.to_string() selected=move || fund.get() == id>{label.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field grow">
                    <span>"支出日期"</span>
                    <input type="date" class="big-input" data-testid="spend-date" prop:value=spent_on
                        on:input=move |ev| spent_on.set(event_target_value(&ev))/>
                </label>
                <label class="field grow">
                    <span>"金额（元）"</span>
                    <input type="text" inputmode="decimal" class="big-input" data-testid="spend-amount" placeholder="如 350.00"
                        prop:value=amount on:input=move |ev| amount.set(event_target_value(&ev))/>
                </label>
            </div>
            <label class="field">
                <span>"支出类别"</span>
                <select class="group-select" data-testid="spend-category"
                    on:change=move |ev| category.set(event_target_value(&ev))>
                    {SpendCategory::ALL.iter().map(|c| {
                        let v = c.as_str();
                        let label = if c.is_points_system() { format!("{}（积分制）", c.label()) } else { c.label().to_string() };
                        view! { <option value=v selected=move || category.with(|x| x == v)>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>"支出说明"</span>
                <input type="text" class="big-input" maxlength="100" data-testid="spend-description" placeholder="如：采购洗衣粉 20 袋、牙膏 30 支"
                    prop:value=description on:input=move |ev| description.set(event_target_value(&ev))/>
            </label>
            <div class="field">
                <span>"凭证照片（发票、收据）"</span>
                <label class="button">
                    {move || photo_name.get().map(|n| format!("已选：{n}")).unwrap_or_else(|| "选择或拍摄凭证照片".into())}
                    <input type="file" accept="image/*" class="visually-hidden" data-testid="spend-photo" on:change=on_photo/>
                </label>
            </div>
            <button type="button" class="button button-primary button-block" data-testid="spend-save"
                disabled=move || save.pending().get()
                on:click=move |_| { result.set(None); save.dispatch_local(()); }>
                {move || if save.pending().get() { "正在登记…" } else { "登记支出" }}
            </button>
            {move || result.get().map(|r| match r {
                Ok(m) => view! { <p class="form-ok" role="status" data-testid="spend-result">{m}</p> }.into_any(),
                Err(e) => view! { <FormError message=e.to_string() testid="spend-error"/> }.into_any(),
            })}
        </section>
    }
}

/// A reversal (冲销) button that asks for the reason.
#[component]
fn ReverseButton<I>(
    /// Sends the reversal of `id` with the reason typed.
    on_reverse: Action<(I, String), Result<I, AppError>>,
    id: I,
) -> impl IntoView
where
    I: Copy + Send + Sync + 'static,
{
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    view! {
        <Show when=move || open.get() fallback=move || view! {
            <button type="button" class="button button-danger" data-testid="reverse-open" on:click=move |_| open.set(true)>"冲销"</button>
        }>
            <div class="funds-inline">
                <input type="text" class="big-input" maxlength="100" aria-label="冲销原因" placeholder="冲销原因" data-testid="reverse-reason"
                    prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                <button type="button" class="button button-danger" data-testid="reverse-confirm"
                    disabled=move || on_reverse.pending().get()
                    on:click=move |_| { on_reverse.dispatch((id, reason.get_untracked())); }>"确认冲销"</button>
                <button type="button" class="button" on:click=move |_| open.set(false)>"取消"</button>
            </div>
        </Show>
    }
}

#[component]
fn SpendingList(rows: Vec<SpendingView>, may_write: bool, refresh: RwSignal<u32>) -> impl IntoView {
    let reverse = Action::new(move |(id, reason): &(SpendingId, String)| {
        let (id, reason) = (*id, reason.clone());
        async move {
            let r = reverse_spending(id, reason).await;
            if r.is_ok() {
                refresh.update(|n| *n += 1);
            }
            r
        }
    });
    view! {
        <section class="panel">
            <h2>"支出明细"</h2>
            <p class="note">"支出只增不改：登记有误时“冲销”（写一条负数记录并注明原因），原记录保留。"</p>
            {move || reverse.value().get().and_then(|r| r.err()).map(|e| view! { <FormError message=e.to_string()/> })}
            {if rows.is_empty() {
                view! { <p class="empty">"还没有支出记录"</p> }.into_any()
            } else {
                view! {
                    <ul class="funds-spending" data-testid="spending-list">
                        {rows.into_iter().map(|s| {
                            let reversal = s.reverses.is_some();
                            let can_reverse = may_write && !reversal && !s.reversed;
                            view! {
                                <li class="funds-row" class:reversal=reversal class:reversed=s.reversed
                                    data-testid="spending-row" data-id=s.id.to_string()>
                                    <div class="funds-row-main">
                                        <span class="funds-amount" class:minus=s.amount_fen < 0>{money(s.amount_fen)}</span>
                                        <span class="funds-desc">{s.description.clone()}</span>
                                    </div>
                                    <div class="funds-row-meta">
                                        <span>{s.spent_on.clone()}</span>
                                        <span>{s.fund_label.clone()}</span>
                                        <span class="badge" class:badge-grey=!s.points_system>{s.category_label.clone()}</span>
                                        {s.reversed.then(|| view! { <span class="badge badge-warn" data-testid="spending-reversed">"已冲销"</span> })}
                                        {s.reason.clone().map(|r| view! { <span data-testid="spending-reason">{format!("冲销原因：{r}")}</span> })}
                                        <span class="note">{format!("登记于 {}", s.recorded_at)}</span>
                                    </div>
                                    {s.voucher.clone().map(|src| { let href = src.clone(); view! {
                                        <a href=href rel="external" target="_blank" class="funds-voucher" data-testid="spending-voucher">
                                            <img src=src alt="凭证照片" loading="lazy"/>
                                        </a>
                                    }})}
                                    {can_reverse.then(|| view! { <ReverseButton on_reverse=reverse id=s.id/> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn PaymentList(rows: Vec<PaymentView>, may_write: bool, refresh: RwSignal<u32>) -> impl IntoView {
    let reverse = Action::new(move |(id, reason): &(PaymentId, String)| {
        let (id, reason) = (*id, reason.clone());
        async move {
            let r = reverse_payment(id, reason).await;
            if r.is_ok() {
                refresh.update(|n| *n += 1);
            }
            r
        }
    });
    view! {
        <section class="panel">
            <h2>"到账记录"</h2>
            {move || reverse.value().get().and_then(|r| r.err()).map(|e| view! { <FormError message=e.to_string()/> })}
            <ul class="funds-spending" data-testid="payment-list">
                {rows.into_iter().map(|p| {
                    let reversal = p.reverses.is_some();
                    let can_reverse = may_write && !reversal && !p.reversed;
                    view! {
                        <li class="funds-row" class:reversal=reversal class:reversed=p.reversed>
                            <div class="funds-row-main">
                                <span class="funds-amount" class:minus=p.amount_fen < 0>{money(p.amount_fen)}</span>
                                <span class="funds-desc">{format!("{} 第 {} 笔", p.fund_label, p.tranche)}</span>
                            </div>
                            <div class="funds-row-meta">
                                <span>{p.paid_on.clone()}</span>
                                <span>{p.note.clone()}</span>
                                {p.reversed.then(|| view! { <span class="badge badge-warn">"已冲销"</span> })}
                                {p.reason.clone().map(|r| view! { <span>{format!("冲销原因：{r}")}</span> })}
                            </div>
                            {can_reverse.then(|| view! { <ReverseButton on_reverse=reverse id=p.id/> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

fn month_input(m: i32) -> String {
    format!("{}-{:02}", m / 100, m % 100)
}

fn month_key_of(s: &str) -> Option<i32> {
    let (y, m) = s.trim().split_once('-')?;
    Some(y.parse::<i32>().ok()? * 100 + m.parse::<i32>().ok()?)
}

#[component]
fn ReconcilePanel(village: VillageId, first: i32, last: i32) -> impl IntoView {
    let from = RwSignal::new(month_input(first));
    let to = RwSignal::new(month_input(last));
    let run = Action::new(move |_: &()| async move {
        let (Some(f), Some(t)) = (
            month_key_of(&from.get_untracked()),
            month_key_of(&to.get_untracked()),
        ) else {
            return Err(AppError::invalid("请选择月份"));
        };
        get_reconciliation(village, f, t).await
    });
    view! {
        <section class="panel funds-reconcile" data-testid="reconcile">
            <h2>"对账：积分、商品与资金"</h2>
            <p class="note">"选一段月份，比较兑出的积分、兑出商品的进价（按入库记录的加权平均进价计算）和同期为积分超市采购商品的支出。"</p>
            <div class="field-row">
                <label class="field grow">
                    <span>"从"</span>
                    <input type="month" class="big-input" data-testid="reconcile-from" prop:value=from on:input=move |ev| from.set(event_target_value(&ev))/>
                </label>
                <label class="field grow">
                    <span>"到"</span>
                    <input type="month" class="big-input" data-testid="reconcile-to" prop:value=to on:input=move |ev| to.set(event_target_value(&ev))/>
                </label>
            </div>
            <button type="button" class="button button-primary" data-testid="reconcile-run"
                disabled=move || run.pending().get() on:click=move |_| { run.dispatch(()); }>"对账"</button>
            {move || run.value().get().map(|r| match r {
                Err(e) => view! { <FormError message=e.to_string()/> }.into_any(),
                Ok(r) => {
                    let n = r.numbers;
                    view! {
                        <div class="stat-row" data-testid="reconcile-result">
                            <div class="stat"><span class="stat-value">{n.points_redeemed}</span><span class="stat-label">"兑出积分（分）"</span></div>
                            <div class="stat"><span class="stat-value">{yuan(n.goods_cost_fen)}</span><span class="stat-label">"兑出商品进价（元）"</span></div>
                            <div class="stat"><span class="stat-value">{yuan(n.goods_spent_fen)}</span><span class="stat-label">"采购商品支出（元）"</span></div>
                        </div>
                        <ul class="funds-explain">
                            {r.explain.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            })}
        </section>
    }
}
