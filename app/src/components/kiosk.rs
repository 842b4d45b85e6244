//! The frame of every points-supermarket counter page (积分超市收银台): who
//! is at the counter, which village's shop, and the tabs between its pages.

use leptos::prelude::*;

use crate::api::kiosk::Receipt;
use crate::api::my_home;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::role::WrongRole;
use crate::domain::roles::Role;
use crate::domain::VillageId;

/// The village whose shop the counter serves; provided by [`KioskShell`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KioskVillage(pub VillageId);

/// The counter's pages, in tab order: path and Chinese label.
const TABS: [(&str, &str); 3] = [
    ("/kiosk", "兑换"),
    ("/kiosk/today", "今日兑换"),
    ("/kiosk/stock", "库存"),
];

/// Frames a counter page: checks the role (the supermarket clerk, or the
/// village admin standing in), shows a slim bar with the shop and the tabs,
/// then the page with [`KioskVillage`] in context.
#[component]
pub fn KioskShell(
    /// The page title.
    title: &'static str,
    /// Which tab is current (its path).
    current: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let home = Resource::new(|| (), |_| my_home());
    let children = StoredValue::new(children);
    view! {
        <leptos_meta::Title text=title/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let h = match home.await {
                    Err(e) => return view! { <ErrorBox err=e/> }.into_any(),
                    Ok(h) => h,
                };
                let village = match (h.user.role, h.user.village_id) {
                    (Role::Clerk | Role::VillageAdmin, Some(v)) => v,
                    _ => return view! { <WrongRole home=h.user.home.clone()/> }.into_any(),
                };
                provide_context(KioskVillage(village));
                let shop = format!("{}积分超市", h.user.village_name.clone().unwrap_or_default());
                view! {
                    <div class="kiosk" data-testid="kiosk">
                        <div class="kiosk-bar">
                            <span class="kiosk-shop">{shop}</span>
                            <nav class="kiosk-tabs" aria-label="收银台">
                                {TABS.iter().map(|(path, label)| view! {
                                    <a href=*path class="kiosk-tab" class:active=*path == current
                                        aria-current=(*path == current).then_some("page")>{*label}</a>
                                }).collect_view()}
                            </nav>
                            <span class="kiosk-clerk">{format!("{}（{}）", h.user.display_name, h.user.role_label)}</span>
                        </div>
                        {children.with_value(|c| c())}
                    </div>
                }.into_any()
            })}
        </Suspense>
    }
}

/// A receipt as printed: also used for reprints from the day's list.
#[component]
pub fn ReceiptSlip(receipt: Receipt) -> impl IntoView {
    let void = receipt.voids.is_some();
    // While a receipt is on screen, printing makes a 58 mm slip just long
    // enough for its lines, without the A4 page numbers.
    let page = format!(
        "@page {{ size: 58mm {}mm; margin: 3mm 2mm; @bottom-center {{ content: none; }} }}",
        78 + 6 * receipt.lines.len()
    );
    view! {
        <style>{page}</style>
        <article class="receipt" data-testid="receipt">
            <h2 class="receipt-title">{format!("{}积分超市", receipt.village_name)}</h2>
            <p class="receipt-kind">{if void { "作废凭证" } else { "积分兑换小票" }}</p>
            <dl class="receipt-meta">
                <dt>"小票号"</dt><dd data-testid="receipt-no">{receipt.receipt_no.clone()}</dd>
                <dt>"时间"</dt><dd>{receipt.time.clone()}</dd>
                <dt>"户主"</dt><dd>{format!("{}（{}）", receipt.head_name, receipt.card_no)}</dd>
                {receipt.voids.clone().map(|v| view! { <dt>"作废"</dt><dd>{v}</dd> })}
                {receipt.reason.clone().map(|r| view! { <dt>"原因"</dt><dd>{r}</dd> })}
            </dl>
            <table class="receipt-lines">
                <tbody>
                    {receipt.lines.iter().map(|l| view! {
                        <tr>
                            <td>{l.name.clone()}</td>
                            <td class="num">{format!("{}{}", l.quantity.abs(), l.unit)}</td>
                            <td class="num">{(i64::from(l.unit_price) * i64::from(l.quantity)).abs()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="receipt-total"><span>{if void { "退回积分" } else { "合计" }}</span>
                <span class="num" data-testid="receipt-total">{format!("{} 分", receipt.total.abs())}</span></p>
            <p class="receipt-balance"><span>{if receipt.replayed { "当前余额" } else { "余额" }}</span>
                <span class="num" data-testid="receipt-balance">{format!("{} 分", receipt.balance_after)}</span></p>
            <p class="receipt-foot">{format!("收银员：{}", receipt.clerk_name)}</p>
            <p class="receipt-foot">"积分兑换，文明乡风"</p>
        </article>
    }
}
