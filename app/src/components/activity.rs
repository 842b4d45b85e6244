//! Pieces of points activities shared by the public pages and the back
//! office: the cards of a list, the monthly 场次/人次, an activity's facts.

use leptos::prelude::*;

use crate::api::activity::{ActivitySummary, ActivityView, MonthFigure};
use crate::domain::activity::ActivityStatus;
use crate::domain::ActivityId;

/// "已报名 12 人 / 限 30 人".
pub fn signed_up_text(a: &ActivitySummary) -> String {
    match a.capacity {
        Some(c) => format!("已报名 {} 人 / 限 {c} 人", a.signed_up),
        None => format!("已报名 {} 人", a.signed_up),
    }
}

/// The CSS class of a status badge.
pub fn status_class(status: ActivityStatus) -> String {
    format!("activity-status status-{}", status.as_str())
}

/// A list of activities as cards linking to their pages (`href` makes the
/// link from the id).
#[component]
pub fn ActivityCards(
    list: Vec<ActivitySummary>,
    /// Show the village's name (the town-wide list).
    #[prop(optional)]
    show_village: bool,
    #[prop(optional)] href: Option<Callback<ActivityId, String>>,
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
                            <span class=status_class(a.status)>{a.status_label.clone()}</span>
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

/// The facts of an activity, shared by its public page and the clerk's.
#[component]
pub fn ActivityFacts(d: ActivityView) -> impl IntoView {
    let a = d.summary;
    view! {
        <section class="activity-head" data-testid="activity-head">
            {a.photo.clone().map(|src| view! { <img class="activity-cover" src=src alt="活动封面" data-testid="activity-cover"/> })}
            <span class=status_class(a.status) data-testid="activity-status">{a.status_label.clone()}</span>
            <h1 data-testid="activity-title">{a.title.clone()}</h1>
            {d.cancel_reason.clone().filter(|_| a.status == ActivityStatus::Cancelled).map(|r| view! {
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
