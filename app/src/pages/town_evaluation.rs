//! `/town/evaluation`: demonstration-village evaluation (示范村评选). The
//! eligible villages ranked on the six criteria of 三(三), the villages ruled
//! out by a disqualifying event with the reason, the year's nominations of a
//! district and a town demonstration village, an Excel export and a
//! printable report.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::acceptance::{nominate_village, withdraw_village_nomination};
use crate::api::evaluation::{town_evaluation, Evaluation, EvaluationRow};
use crate::components::feedback::{ErrorBox, Loading};
use crate::domain::evaluation::{Level, CRITERIA};
use crate::domain::VillageId;

/// A nomination being made: its level and village.
type Pending = Option<(Level, VillageId, String)>;

/// The page.
#[component]
pub fn TownEvaluationPage() -> impl IntoView {
    let query = use_query_map();
    let year = Memo::new(move |_| query.read().get("y").and_then(|y| y.parse().ok()));
    let pending = RwSignal::new(Pending::None);
    let note = RwSignal::new(String::new());
    let done = RwSignal::new(None::<String>);
    let nominate = Action::new(
        move |(y, level, v, name, note): &(i32, Level, VillageId, String, String)| {
            let (y, level, v, name, note) = (*y, *level, *v, name.clone(), note.clone());
            async move {
                let r = nominate_village(y, level, v, note).await;
                if r.is_ok() {
                    pending.set(None);
                    done.set(Some(format!("已提名{}为{}", name, level.label())));
                }
                r.map(|_| ())
            }
        },
    );
    let withdraw = Action::new(move |(y, level, reason): &(i32, Level, String)| {
        let (y, level, reason) = (*y, *level, reason.clone());
        async move {
            let r = withdraw_village_nomination(y, level, reason).await;
            if r.is_ok() {
                done.set(Some("已撤销提名".into()));
            }
            r
        }
    });
    // Reloaded after every nomination or withdrawal, whatever its outcome.
    let data = Resource::new(
        move || {
            (
                year.get(),
                nominate.version().get(),
                withdraw.version().get(),
            )
        },
        |(y, _, _)| town_evaluation(y),
    );
    view! {
        <Title text="示范村评选"/>
        {move || done.get().map(|m| view! { <p class="form-ok no-print" role="status" data-testid="evaluation-done">{m}</p> })}
        {move || nominate.value().get().and_then(|r| r.err()).map(|e| view! {
            <p class="form-error no-print" role="alert" data-testid="nominate-error">{e.to_string()}</p>
        })}
        {move || withdraw.value().get().and_then(|r| r.err()).map(|e| view! {
            <p class="form-error no-print" role="alert">{e.to_string()}</p>
        })}
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(ev) => {
                        let y = ev.year;
                        let on_nominate = Callback::new(move |(level, v, name): (Level, VillageId, String)| {
                            note.set(String::new());
                            pending.set(Some((level, v, name)));
                        });
                        let on_withdraw = Callback::new(move |(level, reason): (Level, String)| {
                            withdraw.dispatch((y, level, reason));
                        });
                        view! {
                            <Report ev=ev.clone() on_nominate on_withdraw/>
                            {move || pending.get().map(|(level, v, name)| {
                                let shown = name.clone();
                                view! {
                                    <div class="panel nominate-panel no-print" data-testid="nominate-panel">
                                        <h2>{format!("提名{}为{}年{}", shown, y, level.label())}</h2>
                                        <label class="field">
                                            <span>"提名说明（可不填）"</span>
                                            <input type="text" class="big-input" data-testid="nominate-note"
                                                prop:value=note on:input=move |e| note.set(event_target_value(&e))/>
                                        </label>
                                        <div class="form-actions">
                                            <button class="button button-primary" data-testid="nominate-confirm"
                                                on:click=move |_| { nominate.dispatch((y, level, v, name.clone(), note.get_untracked())); }>
                                                "确认提名"
                                            </button>
                                            <button class="button" on:click=move |_| pending.set(None)>"取消"</button>
                                        </div>
                                    </div>
                                }
                            })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The ranked list and the nominations, as printed.
#[component]
fn Report(
    ev: Evaluation,
    on_nominate: Callback<(Level, VillageId, String)>,
    on_withdraw: Callback<(Level, String)>,
) -> impl IntoView {
    let y = ev.year;
    let nominated = ev.nominations.clone();
    let rows = ev
        .rows
        .iter()
        .cloned()
        .map(|r| view! { <Row row=r nominated=nominated.clone() on_nominate/> })
        .collect_view();
    view! {
        <div class="dash evaluation" data-testid="evaluation">
            <div class="dash-head">
                <h1>{format!("{y}年示范村评选")}</h1>
                <div class="dash-actions no-print">
                    <a class="button" href=format!("/export/evaluation/{y}") data-testid="evaluation-export" download>"导出 Excel"</a>
                    <button class="button" on:click=|_| { let _ = window().print(); }>"打印报告"</button>
                    <a class="button" href="/town">"返回工作台"</a>
                </div>
            </div>
            <p class="note">
                {format!("按 1 月至今 {} 个月的平台数据自动评价。有一票否决情形的村不参与排名。区级、镇级示范村各提名一个，且不能是同一个村。", ev.months)}
            </p>
            <section class="nominations" data-testid="nominations">
                <h2>"本年度提名"</h2>
                {Level::ALL.into_iter().map(|level| {
                    let current = ev.nominations.iter().find(|n| n.level == level).cloned();
                    view! {
                        <div class="nomination" data-level=level.as_str()>
                            <span class="nomination-level">{level.label()}</span>
                            {match current {
                                Some(n) => {
                                    let reason = RwSignal::new(String::new());
                                    view! {
                                        <span class="nomination-village" data-testid="nominated">{n.village_name.clone()}</span>
                                        <span class="note">{format!("{} 由{}提名{}", n.nominated_at, n.nominated_by, if n.note.is_empty() { String::new() } else { format!("：{}", n.note) })}</span>
                                        <span class="no-print withdraw">
                                            <input type="text" placeholder="撤销理由" aria-label="撤销理由" prop:value=reason
                                                on:input=move |e| reason.set(event_target_value(&e))/>
                                            <button class="button" on:click=move |_| on_withdraw.run((level, reason.get_untracked()))>"撤销提名"</button>
                                        </span>
                                    }.into_any()
                                }
                                None => view! { <span class="note">"尚未提名"</span> }.into_any(),
                            }}
                        </div>
                    }
                }).collect_view()}
            </section>
            <h2>"评价结果"</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label="表格，可左右滑动">
                <table class="ledger-table dash-table eval-table" data-testid="evaluation-table">
                    <thead>
                        <tr>
                            <th>"名次"</th>
                            <th>"村（社区）"</th>
                            {CRITERIA.iter().enumerate().map(|(i, c)| view! { <th>{format!("{}. {c}", i + 1)}</th> }).collect_view()}
                            <th>"验收"</th>
                            <th class="no-print">"提名"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="print-only sign-line">"高梁镇人民政府（盖章）　　　　审核人：　　　　　　日期："</p>
            {(!ev.history.is_empty()).then(|| view! {
                <h2>"提名记录"</h2>
                <ul class="history">
                    {ev.history.iter().map(|n| view! {
                        <li>
                            {format!("{} {} {}：{}（{}）", n.nominated_at, n.nominated_by, n.level_label, n.village_name, if n.note.is_empty() { "无说明" } else { n.note.as_str() })}
                            {n.withdrawn_at.clone().map(|at| format!(" — {} 撤销：{}", at, n.withdraw_reason.clone().unwrap_or_default()))}
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
}

#[component]
fn Row(
    row: EvaluationRow,
    nominated: Vec<crate::api::acceptance::NominationView>,
    on_nominate: Callback<(Level, VillageId, String)>,
) -> impl IntoView {
    let eligible = row.flags.is_empty();
    let v = row.village;
    let name = row.name.clone();
    let is = |level: Level| {
        nominated
            .iter()
            .any(|n| n.level == level && n.village_id == v)
    };
    let cells = row
        .criteria
        .shown()
        .into_iter()
        .map(|(text, ok)| {
            view! {
                <td class=if ok { "ind met" } else { "ind unmet" }>
                    <span class="ind-value">{text}</span>
                    <span class="ind-mark">{if ok { "✓ 达到" } else { "✗ 未达到" }}</span>
                </td>
            }
        })
        .collect_view();
    let reason = row
        .flags
        .iter()
        .map(|f| format!("{}（{}）", f.label, f.occurred_on))
        .collect::<Vec<_>>()
        .join("；");
    view! {
        <tr data-village=row.name.clone() class:ruled-out=!eligible>
            <td class="num">{row.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into())}</td>
            <th scope="row">
                {row.name.clone()}
                {is(Level::District).then(|| view! { <span class="badge">"区级提名"</span> })}
                {is(Level::Town).then(|| view! { <span class="badge">"镇级提名"</span> })}
            </th>
            {if eligible {
                cells.into_any()
            } else {
                view! {
                    <td colspan="6" class="ind unmet" data-testid="ruled-out">
                        <span class="ind-value">{format!("不具备评选资格：一票否决——{reason}")}</span>
                    </td>
                }.into_any()
            }}
            <td>{row.accepted_on.clone().unwrap_or_else(|| "未验收".into())}</td>
            <td class="no-print nominate-cell">
                {eligible.then(|| {
                    let (n1, n2) = (name.clone(), name.clone());
                    view! {
                        <button class="button" data-testid="nominate-district"
                            on:click=move |_| on_nominate.run((Level::District, v, n1.clone()))>"提名区级"</button>
                        <button class="button" data-testid="nominate-town"
                            on:click=move |_| on_nominate.run((Level::Town, v, n2.clone()))>"提名镇级"</button>
                    }
                })}
            </td>
        </tr>
    }
}
