//! Points activities (积分活动) in public: a village's list with its monthly
//! 场次/人次 (`/village/:id/activities`), the town-wide list
//! (`/activities`), and an activity's page (`/activity/:id`), where a
//! signed-in villager signs members of the household up or withdraws them.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::activity::{
    activity_detail, activity_my_members, activity_sign_up, activity_withdraw, town_activities,
    village_activities, ActivityLists, ActivitySummary, ActivityView, MemberSignup, MonthFigure,
};
use crate::components::feedback::{ErrorBox, Loading};
use crate::domain::{MemberId, VillageId};
use crate::error::AppError;

/// A number from the URL.
fn param(name: &'static str) -> Memo<Option<i32>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get(name).and_then(|s| s.parse::<i32>().ok()))
}

/// "已报名 12 人 / 限 30 人".
pub fn signed_up_text(a: &ActivitySummary) -> String {
    match a.capacity {
        Some(c) => format!("已报名 {} 人 / 限 {c} 人", a.signed_up),
        None => format!("已报名 {} 人", a.signed_up),
    }
}

/// The CSS class of a status badge.
pub fn status_class(status: &str) -> String {
    format!("activity-status status-{status}")
}

/// A list of activities as cards linking to their pages (`href` makes the
/// link from the id).
#[component]
pub fn ActivityCards(
    list: Vec<ActivitySummary>,
    /// Show the village's name (the town-wide list).
    #[prop(optional)]
    show_village: bool,
    #[prop(optional)] href: Option<Callback<i32, String>>,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    view! {
        <ul class="activity-list" data-testid=testid>
            {list.into_iter().map(|a| {
                let link = href.map(|h| h.run(a.id)).unwrap_or_else(|| format!("/activity/{}", a.id));
                let people = if a.upcoming || a.checked_in == 0 { signed_up_text(&a) } else { format!("签到 {} 人", a.checked_in) };
                view! {
                    <li>
                        <a class="activity-card" href=link data-testid="activity-card">
                            <span class="activity-when">{format!("{} – {}", a.starts, a.ends)}</span>
                            <span class=status_class(&a.status)>{a.status_label.clone()}</span>
                            <span class="activity-title">{a.title.clone()}</span>
                            <span class="activity-meta">
                                {show_village.then(|| format!("{} · ", a.village_name))}
                                {format!("{} · {} · 每人 +{} 分", a.category, a.place, a.points)}
                            </span>
                            <span class="activity-people">{people}</span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// 场次 and 人次 of the last months, against the plan's targets.
#[component]
pub fn MonthFigures(months: Vec<MonthFigure>) -> impl IntoView {
    view! {
        <section class="activity-months" data-testid="activity-months">
            <h2>"每月活动场次与参与人次"</h2>
            <p class="note">"目标：每月开展活动不少于 2 场，参与不少于 20 人次。"</p>
            <table class="ledger-table month-figures">
                <thead><tr><th>"月份"</th><th class="num">"场次"</th><th class="num">"人次"</th><th>"达标"</th></tr></thead>
                <tbody>
                    {months.into_iter().map(|m| view! {
                        <tr data-testid="activity-month">
                            <td>{m.label}</td>
                            <td class="num">{m.held}</td>
                            <td class="num">{m.people}</td>
                            <td class=if m.meets_plan { "meets" } else { "short" }>{if m.meets_plan { "达标" } else { "未达标" }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
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

/// The facts of an activity, shared by its public page and the clerk's.
#[component]
pub fn ActivityFacts(d: ActivityView) -> impl IntoView {
    let a = d.summary;
    view! {
        <section class="activity-head" data-testid="activity-head">
            {a.photo.clone().map(|src| view! { <img class="activity-cover" src=src alt="活动封面" data-testid="activity-cover"/> })}
            <span class=status_class(&a.status) data-testid="activity-status">{a.status_label.clone()}</span>
            <h1 data-testid="activity-title">{a.title.clone()}</h1>
            {d.cancel_reason.clone().filter(|_| a.status == "cancelled").map(|r| view! {
                <p class="activity-cancelled" role="alert" data-testid="activity-cancel-reason">{format!("活动已取消：{r}")}</p>
            })}
            <dl class="activity-facts">
                <dt>"时间"</dt><dd>{format!("{} – {}", a.starts, a.ends)}</dd>
                <dt>"地点"</dt><dd>{a.place.clone()}</dd>
                <dt>"类别"</dt><dd>{format!("{} · {}", a.category, a.village_name)}</dd>
                <dt>"积分"</dt><dd>{format!("签到参加每人 +{} 分（{}）", a.points, d.rule_title)}</dd>
                <dt>"报名"</dt><dd data-testid="activity-signed-up">{signed_up_text(&a)}</dd>
                <dt>"截止"</dt><dd>{format!("{} 报名截止", a.deadline)}</dd>
                {(a.checked_in > 0).then(|| view! { <dt>"签到"</dt><dd data-testid="activity-checked-in">{format!("{} 人", a.checked_in)}</dd> })}
            </dl>
            {(!d.description.trim().is_empty()).then(|| view! {
                <p class="activity-description">{d.description.clone()}</p>
            })}
        </section>
    }
}

/// `/activity/:id`.
#[component]
pub fn ActivityPage() -> impl IntoView {
    let id = param("id");
    let version = RwSignal::new(0u32);
    let detail = Resource::new(
        move || (id.get(), version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => activity_detail(id).await,
                None => Err(AppError::not_found("找不到该活动")),
            }
        },
    );
    // Owned here, not by the section it serves: a sign-up reloads the page's
    // data and with it that section, and its answer must stay on screen.
    let act = Action::new(move |ask: &Ask| {
        let ask = ask.clone();
        let id = id.get_untracked().unwrap_or_default();
        async move {
            let r = match ask {
                Ask::SignUp(m) => activity_sign_up(id, m).await.map(|_| "已报名"),
                Ask::Withdraw(s) => activity_withdraw(s).await.map(|_| "已取消报名"),
            };
            if r.is_ok() {
                version.update(|v| *v += 1);
            }
            r
        }
    });
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
                            <MySignups id=aid open version act/>
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
    Withdraw(i32),
}

/// The signed-in villager's household members, each with 报名 or 取消报名.
#[component]
fn MySignups(
    id: i32,
    open: bool,
    version: RwSignal<u32>,
    act: Action<Ask, Result<&'static str, AppError>>,
) -> impl IntoView {
    let mine = Resource::new(move || version.get(), move |_| activity_my_members(id));
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
                                Err(e) => view! { <p class="form-error" role="alert" data-testid="signup-error">{e.to_string()}</p> }.into_any(),
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
