//! Each role's home after login. They show the role's key figures; the work
//! screens themselves arrive with later issues.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::my_home;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::role::{RoleHeader, WrongRole};
use crate::domain::roles::Role;

/// A role home: greeting, figures, and what the role will find here.
#[component]
fn RoleHome(role: Role, title: &'static str, coming: &'static [&'static str]) -> impl IntoView {
    let home = Resource::new(|| (), |_| my_home());
    view! {
        <Title text=title/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match home.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    // Town staff read the town admin's home, without its writes.
                    Ok(h) if h.user.role != role && !(role == Role::TownAdmin && h.user.role == Role::TownStaff) => view! { <WrongRole home=h.user.home.clone()/> }.into_any(),
                    Ok(h) => {
                        let card = h.user.household_card.clone();
                        let village = h.user.village_id;
                        let who = h.user.role;
                        view! {
                            <RoleHeader role title summary=h>
                                {card.map(|card| view! {
                                    <a class="button button-primary" href=format!("/household/{card}")>"查看我家积分明细"</a>
                                })}
                                {village.map(|v| view! {
                                    <a class="button" href=format!("/village/{v}")>"本村公开页面"</a>
                                })}
                                {(who == Role::TownAdmin).then(|| view! {
                                    <a class="button button-primary" href="/town/setup" data-testid="town-setup">"村（社区）设置与准备情况"</a>
                                    <a class="button button-primary" href="/office" data-testid="town-office">"进入各村积分管理"</a>
                                    <a class="button" href="/town/staff" data-testid="town-staff">"工作人员账号"</a>
                                    <a class="button button-primary" href="/town/dashboard" data-testid="town-dashboard-link">"各村考核指标"</a>
                                    <a class="button button-primary" href="/town/evaluation" data-testid="town-evaluation-link">"示范村评选"</a>
                                    <a class="button" href="/town/acceptance" data-testid="town-acceptance">"验收情况"</a>
                                    <a class="button" href="/town/scores" data-testid="town-scores">"人居环境评分"</a>
                                    <a class="button" href="/town/flags" data-testid="town-flags">"一票否决情形"</a>
                                    <a class="button" href="/town/funds" data-testid="town-funds">"资金台账"</a>
                                })}
                                {(who == Role::TownStaff).then(|| view! {
                                    <a class="button button-primary" href="/town/dashboard">"各村考核指标"</a>
                                    <a class="button" href="/town/evaluation">"示范村评选"</a>
                                    <a class="button" href="/town/acceptance">"验收情况"</a>
                                    <a class="button" href="/town/funds">"资金台账"</a>
                                    <a class="button" href="/town/staff">"工作人员账号"</a>
                                })}
                                {(!coming.is_empty()).then(|| view! {
                                    <h2>"即将上线"</h2>
                                    <ul class="coming">
                                        {coming.iter().map(|c| view! { <li>{*c}</li> }).collect_view()}
                                    </ul>
                                })}
                            </RoleHeader>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/town`: the town administrator's home.
#[component]
pub fn TownHome() -> impl IntoView {
    view! { <RoleHome role=Role::TownAdmin title="镇管理工作台" coming=&[]/> }
}
