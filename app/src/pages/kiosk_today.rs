//! `/kiosk/today`: the day's redemptions, voids and end-of-day summary (日结).

use leptos::prelude::*;

use crate::components::kiosk::KioskShell;

/// The day at the counter.
#[component]
pub fn KioskTodayPage() -> impl IntoView {
    view! { <KioskShell title="今日兑换" current="/kiosk/today"><p>"今日"</p></KioskShell> }
}
