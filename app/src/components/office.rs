//! The frame of every back-office page (村积分管理): who is signed in, which
//! village they work on, and the tabs between the office's pages.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{get_town, get_village, my_home};
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::role::{RoleHeader, WrongRole};
use crate::domain::roles::Role;
use crate::domain::VillageId;

/// The village a back-office page works on; provided by [`OfficeShell`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OfficeVillage {
    pub id: VillageId,
    /// Whether the town admin is acting on this village (links carry `?v=`).
    pub by_town: bool,
}

impl OfficeVillage {
    /// A back-office path that keeps the town admin's village choice.
    pub fn link(&self, path: &str) -> String {
        if self.by_town {
            let sep = if path.contains('?') { '&' } else { '?' };
            format!("{path}{sep}v={}", self.id)
        } else {
            path.to_string()
        }
    }
}

/// The back office's pages, in tab order: path and Chinese label.
const TABS: [(&str, &str); 10] = [
    ("/office", "记分"),
    ("/office/batch", "批量记分"),
    ("/office/review", "审核"),
    ("/office/appeals", "申诉"),
    ("/office/households", "农户"),
    ("/office/groups", "小组"),
    ("/office/ledger", "月度公示"),
    ("/office/notices", "村务公示"),
    ("/office/activities", "活动"),
    ("/office/rules", "积分细则"),
];

/// Frames a back-office page: checks the role, settles the village (a village
/// admin's own, or `?v=` for the town admin, who otherwise picks one), shows
/// the tabs, then the page itself with [`OfficeVillage`] in context.
#[component]
pub fn OfficeShell(
    /// The page's heading.
    title: &'static str,
    /// Which tab is current (its path).
    current: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let home = Resource::new(|| (), |_| my_home());
    let query = use_query_map();
    let asked = move || {
        query
            .read()
            .get("v")
            .and_then(|v| v.parse::<i32>().ok())
            .map(VillageId)
    };
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let h = match home.await {
                    Err(e) => return view! { <ErrorBox err=e/> }.into_any(),
                    Ok(h) => h,
                };
                let village = match (h.user.role, h.user.village_id) {
                    (Role::VillageAdmin, Some(v)) => Some(OfficeVillage { id: v, by_town: false }),
                    (Role::TownAdmin, _) => asked().map(|v| OfficeVillage { id: v, by_town: true }),
                    _ => return view! { <WrongRole home=h.user.home.clone()/> }.into_any(),
                };
                let role = h.user.role;
                match village {
                    None => view! {
                        <RoleHeader role title summary=h>
                            <p class="note">"镇管理员可进入任一村（社区）的积分管理："</p>
                        </RoleHeader>
                        <VillagePicker current/>
                    }.into_any(),
                    Some(ov) => {
                        provide_context(ov);
                        view! {
                            // The figures are on the desk; the other tabs keep the
                            // header short so a phone shows their work at once.
                            <div class:office-compact=current != "/office">
                                <RoleHeader role title summary=h>
                                    <a class="button" href=format!("/village/{}", ov.id)>"本村公开页面"</a>
                                    <a class="button" href=format!("/town/funds/{}", ov.id) data-testid="office-funds">"资金台账"</a>
                                    {ov.by_town.then(|| view! { <a class="button" href=current>"换一个村"</a> })}
                                </RoleHeader>
                            </div>
                            {ov.by_town.then(|| view! { <TownVillageLabel id=ov.id/> })}
                            <nav class="tabs office-tabs" aria-label="积分管理">
                                {TABS.iter().map(|(path, label)| view! {
                                    <a href=ov.link(path) class="tab" class:active=*path == current
                                        rel=crate::app::may_use_camera(path).then_some("external")
                                        aria-current=(*path == current).then_some("page")>{*label}</a>
                                }).collect_view()}
                            </nav>
                            {children.with_value(|c| c())}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Which village the town admin is acting on, always visible.
#[component]
fn TownVillageLabel(id: VillageId) -> impl IntoView {
    let info = Resource::new(move || id, get_village);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                info.await.ok().map(|v| view! {
                    <p class="office-village" data-testid="office-village">{format!("正在管理：{}", v.name)}</p>
                })
            })}
        </Suspense>
    }
}

/// The town admin's list of villages to act on.
#[component]
fn VillagePicker(current: &'static str) -> impl IntoView {
    let town = Resource::new(|| (), |_| get_town());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match town.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(t) => view! {
                        <ul class="village-pick" data-testid="office-village-pick">
                            {t.villages.into_iter().map(|v| view! {
                                <li><a class="button" href=format!("{current}?v={}", v.id)>{v.name}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
