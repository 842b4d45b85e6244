//! The frame of every points-supermarket counter page (积分超市收银台): who
//! is at the counter, which village's shop, and the tabs between its pages.

use leptos::prelude::*;

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
