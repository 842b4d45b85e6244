//! `/kiosk/stock`: the shop's stock (库存). Filled in by the stock work.

use leptos::prelude::*;

use crate::components::kiosk::KioskShell;

/// The stock page.
#[component]
pub fn KioskStockPage() -> impl IntoView {
    view! { <KioskShell title="库存管理" current="/kiosk/stock"><p>"库存"</p></KioskShell> }
}
