//! `/kiosk/today`: the day at the counter (日结). Every redemption and void,
//! the totals to hand over at closing time (printable), and voiding a
//! redemption of today with a reason (作废).

use leptos::prelude::*;

use crate::api::kiosk::{counter_day, void_redemption, Receipt};
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::kiosk::KioskShell;
use crate::components::kiosk::ReceiptSlip;
use crate::domain::redemption::VOID_REASONS;
use crate::domain::RedemptionId;

/// The page.
#[component]
pub fn KioskTodayPage() -> impl IntoView {
    view! {
        <KioskShell title="今日兑换" current="/kiosk/today">
            <Day/>
        </KioskShell>
    }
}

#[component]
fn Day() -> impl IntoView {
    // Empty means today (the server's China date).
    let date = RwSignal::new(String::new());
    let version = RwSignal::new(0u32);
    let day = Resource::new(move || (date.get(), version.get()), |(d, _)| counter_day(d));
    let reprint = RwSignal::new(None::<Receipt>);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let d = match day.await {
                    Err(e) => return view! { <ErrorBox err=e/> }.into_any(),
                    Ok(d) => d,
                };
                let today = d.today;
                view! {
                    <section class="day-sheet" data-testid="day-sheet" class:no-print=move || reprint.with(Option::is_some)>
                        <div class="day-head">
                            <h1>{format!("{} 兑换日结", d.date)}</h1>
                            <label class="no-print">"查看日期 "
                                <input type="date" data-testid="day-date" prop:value=d.date.clone()
                                    on:change=move |ev| date.set(event_target_value(&ev))/>
                            </label>
                            <button type="button" class="button no-print" data-testid="day-print"
                                on:click=move |_| { reprint.set(None); let _ = window().print(); }>"打印日结"</button>
                        </div>
                        <div class="stat-row">
                            <div class="stat"><span class="stat-value" data-testid="day-redemptions">{d.redemptions}</span><span class="stat-label">"兑换笔数"</span></div>
                            <div class="stat"><span class="stat-value" data-testid="day-households">{d.households}</span><span class="stat-label">"服务户数"</span></div>
                            <div class="stat"><span class="stat-value" data-testid="day-points">{d.points}</span><span class="stat-label">"兑出积分"</span></div>
                            <div class="stat"><span class="stat-value">{d.voids}</span><span class="stat-label">"作废笔数"</span></div>
                        </div>
                        <div class="day-body">
                        <div>
                        <h2>"出库商品"</h2>
                        {if d.goods.is_empty() {
                            view! { <p class="note">"今天还没有商品兑出"</p> }.into_any()
                        } else {
                            view! {
                                <table class="day-goods" data-testid="day-goods">
                                    <thead><tr><th>"商品"</th><th class="num">"数量"</th></tr></thead>
                                    <tbody>
                                        {d.goods.into_iter().map(|(name, q)| view! { <tr><td>{name}</td><td class="num">{q}</td></tr> }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                        </div>
                        <div>
                        <h2>"兑换记录"</h2>
                        <ul class="day-receipts" data-testid="day-receipts">
                            {d.receipts.into_iter().rev().map(|r| view! {
                                <DayReceipt receipt=r today version reprint/>
                            }).collect_view()}
                        </ul>
                        </div>
                        </div>
                    </section>
                    {move || reprint.get().map(|r| view! {
                        <div class="reprint" data-testid="reprint">
                            <ReceiptSlip receipt=r/>
                            <div class="no-print kiosk-done-actions">
                                <button type="button" class="button button-primary" on:click=|_| { let _ = window().print(); }>"打印小票"</button>
                                <button type="button" class="button" on:click=move |_| reprint.set(None)>"关闭"</button>
                            </div>
                        </div>
                    })}
                }.into_any()
            })}
        </Suspense>
    }
}

/// One receipt of the day, with reprint and, for today's standing ones, void.
#[component]
fn DayReceipt(
    receipt: Receipt,
    today: bool,
    version: RwSignal<u32>,
    reprint: RwSignal<Option<Receipt>>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let id: RedemptionId = receipt.id;
    let void = Action::new(move |reason: &String| {
        let reason = reason.clone();
        async move {
            let r = void_redemption(id, reason).await;
            if r.is_ok() {
                version.update(|v| *v += 1);
            }
            r
        }
    });
    let voidable = today && receipt.voids.is_none() && receipt.voided_by.is_none();
    let goods = receipt
        .lines
        .iter()
        .map(|l| format!("{}×{}", l.name, l.quantity.abs()))
        .collect::<Vec<_>>()
        .join("、");
    let status = match (&receipt.voids, &receipt.voided_by) {
        (Some(v), _) => format!("作废 {v}：{}", receipt.reason.clone().unwrap_or_default()),
        (_, Some(by)) => format!("已作废（{by}）"),
        _ => String::new(),
    };
    let slip = receipt.clone();
    view! {
        <li class="day-receipt" class:voided=receipt.voided_by.is_some() class:void=receipt.voids.is_some()
            data-testid="day-receipt" data-receipt=receipt.receipt_no.clone()>
            <div class="day-receipt-main">
                <span class="day-time">{receipt.time.get(11..).unwrap_or("").to_string()}</span>
                <span class="day-no">{receipt.receipt_no.clone()}</span>
                <span class="day-who">{format!("{}（{}）", receipt.head_name, receipt.card_no)}</span>
                <span class="day-what">{goods}</span>
                <span class="num day-points">{format!("{} 分", receipt.total)}</span>
            </div>
            {(!status.is_empty()).then(|| view! { <p class="day-status" data-testid="day-status">{status}</p> })}
            <div class="day-actions no-print">
                <button type="button" class="button" on:click=move |_| reprint.set(Some(slip.clone()))>"补打小票"</button>
                {voidable.then(|| view! {
                    <button type="button" class="button button-danger" data-testid="void-open"
                        on:click=move |_| asking.update(|a| *a = !*a)>"作废"</button>
                })}
            </div>
            <Show when=move || asking.get()>
                <form class="void-form no-print" data-testid="void-form" on:submit=move |ev| {
                    ev.prevent_default();
                    if !void.pending().get_untracked() { void.dispatch(reason.get_untracked()); }
                }>
                    <p class="note">"作废后积分退回农户、商品退回库存，并在积分台账和库存记录中各留一条作废记录。"</p>
                    <div class="stock-chips void-chips" role="radiogroup" aria-label="作废原因">
                        {VOID_REASONS.iter().enumerate().map(|(i, r)| view! {
                            <button type="button" role="radio" class="stock-chip"
                                class:active=move || reason.with(|x| x == r)
                                aria-checked=move || reason.with(|x| x == r).to_string()
                                data-testid=format!("void-reason-{i}")
                                on:click=move |_| reason.set(r.to_string())>{*r}</button>
                        }).collect_view()}
                    </div>
                    <input class="void-reason" data-testid="void-reason" placeholder="或写其他原因"
                        aria-label="作废原因"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                    {move || void.value().get().and_then(|r| r.err()).map(|e| view! {
                        <p class="kiosk-error" role="alert">{e.to_string()}</p>
                    })}
                    <button type="submit" class="button button-danger" data-testid="void-confirm"
                        disabled=move || void.pending().get()>
                        {move || if void.pending().get() { "正在作废…" } else { "确认作废" }}
                    </button>
                </form>
            </Show>
        </li>
    }
}
