//! `/village/:id`: a village's public page with tabs for rules, goods,
//! the household leaderboard and the town ranking.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::rules::{village_rulebook, DecisionView, RevisionView};
use crate::api::{get_village, leaderboard, village_goods, village_rules};
use crate::components::feedback::{ErrorBox, Loading};
use crate::domain::ledger::signed;
use crate::domain::metrics::Period;
use crate::domain::rule_revision::ChangeKind;
use crate::domain::{GroupId, VillageId};
use crate::error::AppError;

/// The village id from the URL; `None` when it is not a number.
fn village_id() -> Memo<Option<VillageId>> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i32>().ok())
            .map(VillageId)
    })
}

/// Loads something of the village in the URL, or says the village is unknown.
async fn for_village<T, Fut>(
    id: Option<VillageId>,
    load: impl FnOnce(VillageId) -> Fut,
) -> Result<T, AppError>
where
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    match id {
        Some(id) => load(id).await,
        None => Err(AppError::not_found("找不到该村（社区），请从首页重新进入")),
    }
}

/// The village header, shared by the page and its tabs.
#[derive(Clone, Copy)]
struct VillageResource(Resource<Result<crate::api::types::VillageInfo, AppError>>);

/// Header and tabs of a village; the tab content is the nested route.
#[component]
pub fn VillagePage() -> impl IntoView {
    let id = village_id();
    let info = Resource::new(move || id.get(), |id| for_village(id, get_village));
    // The tabs read the same header (the board needs the groups) instead of
    // asking the server again.
    provide_context(VillageResource(info));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match info.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(v) => {
                        let base = format!("/village/{}", v.id);
                        view! {
                            <Title text=v.name.clone()/>
                            <section class="village-head">
                                <h1 data-testid="village-name">{v.name.clone()}</h1>
                                <p class="note">{format!("{} 户 · {} 个村民小组 · {} 种兑换商品", v.households, v.groups.len(), v.goods_kinds)}</p>
                            </section>
                            <nav class="tabs village-tabs" aria-label="栏目">
                                <A href=base.clone() exact=true>"积分规则"</A>
                                <A href=format!("{base}/goods")>"积分超市"</A>
                                <A href=format!("{base}/board")>"积分榜"</A>
                                <A href=format!("{base}/ranking")>"村排名"</A>
                                <A href=format!("{base}/ledger")>"月度公示"</A>
                                <A href=format!("{base}/notices")>"村务公示"</A>
                                <A href=format!("{base}/activities")>"活动"</A>
                            </nav>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
        <section class="tab-body">
            <Outlet/>
        </section>
    }
}

/// 积分规则公开: the decision behind the rules in force, the rules grouped
/// by category, and the history of the scheme's revisions.
#[component]
pub fn RulesTab() -> impl IntoView {
    let id = village_id();
    let rules = Resource::new(move || id.get(), |id| for_village(id, village_rules));
    let book = Resource::new(move || id.get(), |id| for_village(id, village_rulebook));
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match book.await {
                    // An unknown village is already explained by the header.
                    Err(AppError::NotFound(_)) => ().into_any(),
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(b) => view! {
                        {match b.in_force.clone() {
                            Some(r) => view! { <InForce r/> }.into_any(),
                            None => view! { <p class="note" data-testid="rules-no-decision">"本村积分制方案尚未登记村民决议。"</p> }.into_any(),
                        }}
                        {b.upcoming.into_iter().map(|r| view! {
                            <section class="panel rule-upcoming" data-testid="rules-upcoming">
                                <h2>{format!("新方案将于 {} 起施行", r.effective_from)}</h2>
                                <Decision d=r.decision.clone()/>
                                <RevisionLines r/>
                            </section>
                        }).collect_view()}
                    }.into_any(),
                }
            })}
        </Transition>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match rules.await {
                    Err(AppError::NotFound(_)) => ().into_any(),
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(cats) => view! {
                        <div data-testid="rules">
                            {cats.into_iter().map(|c| view! {
                                <section class="rule-category">
                                    <h2>{c.name}</h2>
                                    <ul class="rule-list">
                                        {c.items.into_iter().map(|i| {
                                            let plus = i.points > 0;
                                            view! {
                                                <li class="rule-item">
                                                    <span class="rule-title">{i.title}</span>
                                                    <span class="rule-meta">
                                                        {i.unit_label}
                                                        {i.monthly_cap.map(|c| format!(" · 每月最多 {c} 分"))}
                                                        {i.evidence_required.then_some(" · 需照片")}
                                                    </span>
                                                    <span class=if plus { "points points-plus" } else { "points points-minus" }>
                                                        {signed(i.points.into())}
                                                    </span>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </section>
                            }).collect_view()}
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match book.await {
                    Ok(b) if b.in_force.is_some() => {
                        let all: Vec<RevisionView> = b.in_force.into_iter().chain(b.history).collect();
                        view! {
                            <section class="rule-history" data-testid="rules-history">
                                <h2>"方案修订记录"</h2>
                                {all.into_iter().map(|r| view! {
                                    <article class="panel rule-revision">
                                        <h3>{format!("第 {} 次 · {} 起施行", r.seq, r.effective_from)}</h3>
                                        <p class="note">{format!("{} {} 表决：赞成 {} 票，反对 {} 票", r.decision.meeting, r.decision.meeting_on, r.decision.votes_for, r.decision.votes_against)}</p>
                                        <RevisionLines r/>
                                    </article>
                                }).collect_view()}
                            </section>
                        }.into_any()
                    }
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}

/// The revision in force and its decision record.
#[component]
fn InForce(r: RevisionView) -> impl IntoView {
    view! {
        <section class="panel rule-decision" data-testid="rules-decision">
            <h2>{format!("现行方案：第 {} 次修订，{} 起施行", r.seq, r.effective_from)}</h2>
            <Decision d=r.decision/>
            {(!r.note.is_empty()).then(|| view! { <p class="note">{r.note}</p> })}
        </section>
    }
}

/// A decision record in a few lines (决议记录).
#[component]
fn Decision(d: DecisionView) -> impl IntoView {
    view! {
        <dl class="decision">
            <dt>"决议会议"</dt><dd data-testid="decision-meeting">{format!("{}（{}）", d.meeting, d.meeting_on)}</dd>
            <dt>"到会"</dt><dd>{format!("应到 {} 人，实到 {} 人", d.entitled, d.attended)}</dd>
            <dt>"表决"</dt>
            <dd data-testid="decision-votes">
                {format!("赞成 {} 票，反对 {} 票", d.votes_for, d.votes_against)}
                {d.votes_abstain.map(|a| format!("，弃权 {a} 票"))}
            </dd>
            <dt>"会议记录"</dt>
            <dd>
                {match d.minutes_href {
                    Some(href) => view! {
                        <a href=href target="_blank" rel="noopener" data-testid="decision-minutes">
                            {if d.minutes_is_pdf { "查看会议记录（PDF）" } else { "查看会议记录照片" }}
                        </a>
                    }.into_any(),
                    None => view! { <span>"原件存村委会"</span> }.into_any(),
                }}
            </dd>
        </dl>
    }
}

/// What a revision changed, one line each; a long list (a whole first
/// catalogue) folds away behind its counts.
#[component]
fn RevisionLines(r: RevisionView) -> impl IntoView {
    let summary = [(r.added, "新增"), (r.changed, "修改"), (r.removed, "停用")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, label)| format!("{label} {n} 项"))
        .collect::<Vec<_>>()
        .join("，");
    let long = r.lines.len() > 8;
    let list = view! {
        <ul class="rule-diff">
            {r.lines.into_iter().map(|l| {
                let class = match l.kind {
                    ChangeKind::Add => "diff-add",
                    ChangeKind::Change => "diff-change",
                    ChangeKind::Retire => "diff-remove",
                };
                view! { <li class=class data-testid="rules-history-line">{l.sentence()}</li> }
            }).collect_view()}
        </ul>
    };
    if long {
        view! {
            <details class="rule-diff-fold">
                <summary>{format!("{summary}（点击查看）")}</summary>
                {list}
            </details>
        }
        .into_any()
    } else {
        view! { <p class="rule-diff-summary">{summary}</p> {list} }.into_any()
    }
}

/// 商品展示: the supermarket catalogue.
#[component]
pub fn GoodsTab() -> impl IntoView {
    let id = village_id();
    let goods = Resource::new(move || id.get(), |id| for_village(id, village_goods));
    let in_stock_only = RwSignal::new(false);
    view! {
        <label class="toggle">
            <input type="checkbox" data-testid="in-stock-only" prop:checked=in_stock_only on:change=move |ev| in_stock_only.set(event_target_checked(&ev))/>
            "只看有货"
        </label>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match goods.await {
                    // An unknown village is already explained by the header.
                    Err(AppError::NotFound(_)) => ().into_any(),
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(list) => view! {
                        <ul class="goods-grid" data-testid="goods">
                            {list.into_iter().map(|g| {
                                let available = g.stock > 0;
                                view! {
                                    <li class="goods-card" class:sold-out=!available
                                        // A class keeps the look in the stylesheet.
                                        class:filtered-out=move || in_stock_only.get() && !available>
                                        {match g.photo.clone() {
                                            Some(src) => view! { <img class="goods-photo" src=src alt=g.name.clone()/> }.into_any(),
                                            None => view! { <div class="goods-photo placeholder" aria-hidden="true">{g.name.chars().next().map(String::from).unwrap_or_default()}</div> }.into_any(),
                                        }}
                                        <span class="goods-name">{g.name.clone()}</span>
                                        <span class="goods-price">{format!("{} 分/{}", g.price, g.unit)}</span>
                                        <span class="goods-stock">{if available { format!("有货（{}）", g.stock) } else { "暂时缺货".to_string() }}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The board's address with a period and group chosen: what each chip
/// links to, so a tap before the page is interactive still works (it
/// loads that address) and a tap after it moves without a reload.
fn board_href(village: Option<VillageId>, period: Period, group: Option<GroupId>) -> String {
    let base = village
        .map(|v| format!("/village/{v}/board"))
        .unwrap_or_default();
    match group {
        Some(g) => format!("{base}?period={}&group={}", period.as_str(), g.0),
        None => format!("{base}?period={}", period.as_str()),
    }
}

/// 亮积分、比积分: the household leaderboard with period and group filters,
/// both kept in the address (`?period=year&group=3`).
#[component]
pub fn BoardTab() -> impl IntoView {
    let id = village_id();
    let query = use_query_map();
    let period = Memo::new(move |_| Period::parse(&query.read().get("period").unwrap_or_default()));
    let group = Memo::new(move |_| {
        query
            .read()
            .get("group")
            .and_then(|g| g.parse::<i32>().ok())
            .map(GroupId)
    });
    let groups = expect_context::<VillageResource>().0;
    let board = Resource::new(
        move || (id.get(), period.get(), group.get()),
        |(id, period, group)| for_village(id, move |id| leaderboard(id, period, group)),
    );
    view! {
        <div class="filters">
            <div class="segmented" role="group" aria-label="时间">
                {[Period::Month, Period::Year, Period::AllTime].into_iter().map(|p| view! {
                    <a class="chip" class:active=move || period.get() == p
                        aria-current=move || (period.get() == p).then_some("true")
                        href=move || board_href(id.get(), p, group.get())>{p.label()}</a>
                }).collect_view()}
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = groups.await.map(|v| v.groups).unwrap_or_default();
                    view! {
                        <nav class="chips group-chips" aria-label="村民小组" data-testid="group-chips">
                            <a class="chip" class:active=move || group.get().is_none()
                                aria-current=move || group.get().is_none().then_some("true")
                                href=move || board_href(id.get(), period.get(), None)>"全部小组"</a>
                            {list.into_iter().map(|g| {
                                let gid = g.id;
                                view! {
                                    <a class="chip" class:active=move || group.get() == Some(gid)
                                        aria-current=move || (group.get() == Some(gid)).then_some("true")
                                        href=move || board_href(id.get(), period.get(), Some(gid))>{g.name}</a>
                                }
                            }).collect_view()}
                        </nav>
                    }
                })}
            </Suspense>
        </div>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match board.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(b) => view! {
                        <p class="note" data-testid="board-period">{format!("{} 积分榜", b.period_label)}</p>
                        {b.rows.is_empty().then(|| view! { <p class="empty">"暂无积分记录"</p> })}
                        <ol class="board" data-testid="board">
                            {b.rows.into_iter().map(|r| view! {
                                <li class="board-row">
                                    <span class=format!("rank rank-{}", r.rank.min(4))>{r.rank}</span>
                                    <a class="board-name" href=format!("/household/{}", r.card_no)>{r.head_name}</a>
                                    <span class="board-group">{r.group_name}</span>
                                    <span class="board-points" class:negative=r.points < 0>{r.points}</span>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
