//! The tables of a month's public ledger, shared by the back-office preview
//! and the public posting (and its A4 print).

use leptos::prelude::*;

use crate::api::types::MonthLedgerView;
use crate::domain::ledger::signed;

/// Totals, then the points ledger, the redemption ledger and the households'
/// month-end balances.
#[component]
pub fn LedgerTables(view: MonthLedgerView) -> AnyView {
    let t = view.totals;
    let l = view.ledger;
    view! {
        <div class="ledger" data-testid="ledger-tables">
            <div class="stat-row ledger-totals">
                <div class="stat"><span class="stat-value points-plus">{format!("+{}", t.awarded)}</span><span class="stat-label">{format!("加分（{} 条记录）", t.entries)}</span></div>
                <div class="stat"><span class="stat-value points-minus">{format!("−{}", t.deducted)}</span><span class="stat-label">"扣分"</span></div>
                <div class="stat"><span class="stat-value">{t.redeemed}</span><span class="stat-label">{format!("兑换积分（{} 笔）", t.redemptions)}</span></div>
            </div>
            <h2>"一、积分台账"</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label="表格，可左右滑动">
                <table class="ledger-table" data-testid="points-ledger">
                    <thead><tr><th>"日期"</th><th>"户卡号"</th><th>"户主"</th><th>"积分细则 / 事由"</th><th class="num">"积分"</th></tr></thead>
                    <tbody>
                        {l.points.into_iter().map(|p| view! {
                            <tr class:reversal=p.reverses.is_some()>
                                <td>{p.date}</td>
                                <td>{p.card_no}</td>
                                <td>{p.head_name}</td>
                                <td>
                                    <span class="ledger-item">{p.item}</span>
                                    <span class="ledger-reason">{p.reason}</span>
                                    {p.reverses.map(|o| view! { <span class="ledger-reason">{format!("（冲正第 {o} 号记录）")}</span> })}
                                </td>
                                <td class={if p.points >= 0 { "num points-plus" } else { "num points-minus" }}>{signed(p.points.into())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot><tr><td colspan="4">{format!("合计 {} 条", t.entries)}</td><td class="num">{signed(t.awarded - t.deducted)}</td></tr></tfoot>
                </table>
            </div>
            <h2>"二、兑换台账"</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label="表格，可左右滑动">
                <table class="ledger-table" data-testid="redemption-ledger">
                    <thead><tr><th>"日期"</th><th>"小票号"</th><th>"户主"</th><th>"兑换商品"</th><th class="num">"积分"</th></tr></thead>
                    <tbody>
                        {l.redemptions.into_iter().map(|r| view! {
                            <tr>
                                <td>{r.date}</td>
                                <td>{r.receipt_no}</td>
                                <td>{format!("{}（{}）", r.head_name, r.card_no)}</td>
                                <td>{r.goods}</td>
                                <td class="num">{r.points}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot><tr><td colspan="4">{format!("合计 {} 笔", t.redemptions)}</td><td class="num">{t.redeemed}</td></tr></tfoot>
                </table>
            </div>
            <h2>"三、农户月末积分"</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label="表格，可左右滑动">
                <table class="ledger-table" data-testid="balance-ledger">
                    <thead><tr><th>"小组"</th><th>"户主（卡号）"</th><th class="num">"加分"</th><th class="num">"扣分"</th><th class="num">"兑换"</th><th class="num">"月末余额"</th></tr></thead>
                    <tbody>
                        {l.households.into_iter().map(|h| view! {
                            <tr>
                                <td>{h.group}</td>
                                <td>{format!("{}（{}）", h.head_name, h.card_no)}</td>
                                <td class="num">{h.awarded}</td>
                                <td class="num">{h.deducted}</td>
                                <td class="num">{h.redeemed}</td>
                                <td class="num strong">{h.balance}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
    .into_any()
}
