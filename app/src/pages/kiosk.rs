//! `/kiosk`: redeeming points at the counter (积分兑换).

use leptos::prelude::*;

use crate::components::kiosk::KioskShell;

/// The counter.
#[component]
pub fn KioskPage() -> impl IntoView {
    view! { <KioskShell title="积分兑换" current="/kiosk"><p>"兑换"</p></KioskShell> }
}
