//! Points activities (积分活动) in public: a village's list with its monthly
//! 场次/人次 (`/village/:id/activities`), the town-wide list
//! (`/activities`), and an activity's page (`/activity/:id`), where a
//! signed-in villager signs members of the household up or withdraws them.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::activity::{
    activity_detail, activity_my_members, activity_sign_up, activity_withdraw, town_activities,
    village_activities, ActivityLists, MemberSignup,
};
use crate::components::activity::{ActivityCards, ActivityFacts, MonthFigures};
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::domain::{ActivityId, MemberId, SignupId, VillageId};
use crate::error::AppError;

/// A number from the URL.
fn param(name: &'static str) -> Memo<Option<i32>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get(name).and_then(|s| s.parse::<i32>().ok()))
}

/// Upcoming, then (for a village) the monthly figures, then past.
#[component]
fn Lists(lists: ActivityLists, #[prop(optional)] show_village: bool) -> impl IntoView {
    let months = lists.months.clone();
    view! {
        <h2>"即将开展"</h2>
        {if lists.upcoming.is_empty() {
            view! { <p class="empty" data-testid="activities-none">"暂无即将开展的活动"</p> }.into_any()
        } else {
            view! { <ActivityCards list=lists.upcoming show_village testid="activities-upcoming"/> }.into_any()
        }}
        {(!months.is_empty()).then(|| view! { <MonthFigures months/> })}
        <h2>"往期活动"</h2>
        {if lists.past.is_empty() {
            view! { <p class="empty">"还没有往期活动"</p> }.into_any()
        } else {
            view! { <ActivityCards list=lists.past show_village testid="activities-past"/> }.into_any()
        }}
    }
}

/// The `活动` tab of a village's page.
#[component]
pub fn ActivitiesTab() -> impl IntoView {
    let id = param("id");
    let lists = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => village_activities(VillageId(id)).await,
                None => Err(AppError::not_found("找不到该村（社区）")),
            }
        },
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match lists.await {
                    // An unknown village is already explained by the header.
                    Err(AppError::NotFound(_)) => ().into_any(),
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(l) => view! {
                        <div data-testid="village-activities"><Lists lists=l/></div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/activities`: every village's activities.
#[component]
pub fn TownActivitiesPage() -> impl IntoView {
    let lists = Resource::new(|| (), |_| town_activities());
    view! {
        <Title text="积分活动"/>
        <h1>"全镇积分活动"</h1>
        <p class="note">"参加村里组织的活动，签到后按规定获得积分。"</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match lists.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(l) => view! { <div data-testid="town-activities"><Lists lists=l show_village=true/></div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/activity/:id`.
#[component]
pub fn ActivityPage() -> impl IntoView {
    let raw = param("id");
    let id = Memo::new(move |_| raw.get().map(ActivityId));
    // Owned here, not by the section it serves: a sign-up reloads the page's
    // data and with it that section, and its answer must stay on screen.
    // The page reloads whenever it has answered (its version).
    let act = Action::new(move |ask: &Ask| {
        let ask = ask.clone();
        let id = id.get_untracked();
        async move {
            let id = id.ok_or_else(|| AppError::not_found("找不到该活动"))?;
            match ask {
                Ask::SignUp(m) => activity_sign_up(id, m).await.map(|_| "已报名"),
                Ask::Withdraw(s) => activity_withdraw(s).await.map(|_| "已取消报名"),
            }
        }
    });
    let detail = Resource::new(
        move || (id.get(), act.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => activity_detail(id).await,
                None => Err(AppError::not_found("找不到该活动")),
            }
        },
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(d) => {
                        let aid = d.summary.id;
                        let open = d.signup_open;
                        let back = format!("/village/{}/activities", d.summary.village_id);
                        view! {
                            <Title text=d.summary.title.clone()/>
                            <ActivityFacts d/>
                            <MySignups id=aid open act/>
                            <p><a class="button" href=back>"返回本村活动"</a></p>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// A sign-up or withdrawal the villager asked for.
#[derive(Clone)]
enum Ask {
    SignUp(MemberId),
    Withdraw(SignupId),
}

/// The signed-in villager's household members, each with 报名 or 取消报名.
#[component]
fn MySignups(
    id: ActivityId,
    open: bool,
    act: Action<Ask, Result<&'static str, AppError>>,
) -> impl IntoView {
    let mine = Resource::new(
        move || act.version().get(),
        move |_| activity_my_members(id),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match mine.await {
                    Ok(Some(members)) => view! {
                        <section class="panel" data-testid="my-signups">
                            <h2>"我家报名"</h2>
                            {if open {
                                view! { <p class="note">"为家里的成员报名；报名截止前可以取消。"</p> }.into_any()
                            } else {
                                view! { <p class="note">"现在不能报名或取消报名。"</p> }.into_any()
                            }}
                            <ul class="member-signups">
                                {members.into_iter().map(|m| view! { <MemberRow m open act/> }).collect_view()}
                            </ul>
                            {move || act.value().get().map(|r| match r {
                                Ok(msg) => view! { <p class="form-ok" role="status" data-testid="signup-result">{msg}</p> }.into_any(),
                                Err(e) => view! { <FormError message=e.to_string() testid="signup-error"/> }.into_any(),
                            })}
                        </section>
                    }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn MemberRow(
    m: MemberSignup,
    open: bool,
    act: Action<Ask, Result<&'static str, AppError>>,
) -> impl IntoView {
    let state = if m.checked_in {
        "已签到"
    } else if m.signup.is_some() {
        "已报名"
    } else {
        "未报名"
    };
    let member = m.member;
    view! {
        <li class="member-signup" data-testid="member-signup">
            <span class="member-name">{format!("{}（{}）", m.name, m.relation)}</span>
            <span class="member-state" class:on=m.signup.is_some()>{state}</span>
            {match (open, m.signup, m.checked_in) {
                (true, None, _) => Some(view! {
                    <button type="button" class="button button-primary" data-testid="signup-button"
                        disabled=move || act.pending().get()
                        on:click=move |_| { act.dispatch(Ask::SignUp(member)); }>"报名"</button>
                }.into_any()),
                (true, Some(s), false) => Some(view! {
                    <button type="button" class="button" data-testid="withdraw-button"
                        disabled=move || act.pending().get()
                        on:click=move |_| { act.dispatch(Ask::Withdraw(s)); }>"取消报名"</button>
                }.into_any()),
                _ => None,
            }}
        </li>
    }
}
