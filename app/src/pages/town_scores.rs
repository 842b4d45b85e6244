//! `/town/scores`: the town's monthly living-environment scores (人居环境
//! 月度评分) of every village, entered in a month × village grid; scores at
//! or under 90 are marked (the plan's reference line is "over 90").

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::acceptance::{living_score_grid, set_living_score, ScoreGrid};
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::town::TownNav;
use crate::domain::acceptance::{parse_score, score_low, score_text};
use crate::domain::VillageId;

/// The page.
#[component]
pub fn TownScoresPage() -> impl IntoView {
    let query = use_query_map();
    let year = move || query.read().get("year").and_then(|y| y.parse::<i32>().ok());
    let grid = Resource::new(year, living_score_grid);
    view! {
        <Title text="人居环境月度评分"/>
        <h1>"人居环境月度评分"</h1>
        <TownNav current="/town/scores"/>
        <p class="note">"每月为各村（社区）录入人居环境评分（0-100 分，可带一位小数）。输入后离开输入框即保存；90 分及以下标红（方案要求 90 分以上，为区级示范村的重要参考）。"</p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match grid.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(g) => view! { <Grid g/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A status line of the latest save.
#[derive(Clone, PartialEq)]
enum Saved {
    Ok(String),
    Err(String),
}

#[component]
fn Grid(g: ScoreGrid) -> impl IntoView {
    let status = RwSignal::new(None::<Saved>);
    let year = g.year;
    let months = g.months.clone();
    let below = g
        .cells
        .iter()
        .flatten()
        .filter(|c| c.is_some_and(score_low))
        .count();
    let rows = g
        .villages
        .iter()
        .zip(g.cells.iter())
        .map(|((v, name), cells)| {
            let cells = cells
                .iter()
                .zip(months.iter())
                .map(|(c, m)| view! { <ScoreCell village=*v village_name=name.clone() month=*m start=*c status/> })
                .collect_view();
            view! {
                <tr data-testid="score-row" data-village=v.to_string()>
                    <th scope="row">{name.clone()}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="score-years">
            // Years before the platform are refused by the server: no link there.
            {(year > crate::domain::time::FIRST_YEAR).then(|| view! {
                <a class="button" href=format!("/town/scores?year={}", year - 1)>{format!("‹ {} 年", year - 1)}</a>
            })}
            <strong class="score-year">{format!("{year} 年")}</strong>
            <a class="button" href=format!("/town/scores?year={}", year + 1)>{format!("{} 年 ›", year + 1)}</a>
        </div>
        <p class="note">{format!("本年已录入的评分中，90 分及以下的有 {below} 个。")}</p>
        {move || status.get().map(|s| match s {
            Saved::Ok(m) => view! { <p class="form-ok" role="status" data-testid="score-status">{m}</p> }.into_any(),
            Saved::Err(m) => view! { <p class="form-error" role="alert" data-testid="score-error">{m}</p> }.into_any(),
        })}
        {if months.is_empty() {
            view! { <p class="empty">"这一年还没有可评分的月份"</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="表格，可左右滑动">
                    <table class="ledger-table score-table" data-testid="score-grid">
                        <thead>
                            <tr>
                                <th scope="col">"村（社区）"</th>
                                {months.iter().map(|m| view! { <th scope="col" class="num">{format!("{}月", m % 100)}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
    .into_any()
}

/// One village's score of one month, saved when the input is left.
#[component]
fn ScoreCell(
    village: VillageId,
    village_name: String,
    month: i32,
    start: Option<u32>,
    status: RwSignal<Option<Saved>>,
) -> impl IntoView {
    let value = RwSignal::new(start);
    let text = RwSignal::new(start.map(score_text).unwrap_or_default());
    let label = format!("{village_name} {}月评分", month % 100);
    let name = StoredValue::new(village_name);
    let save = Action::new(move |typed: &String| {
        let typed = typed.clone();
        async move {
            match set_living_score(village, month, typed).await {
                Ok(t) => {
                    value.set(Some(t));
                    text.set(score_text(t));
                    status.set(Some(Saved::Ok(format!(
                        "已保存：{} {}月 {} 分",
                        name.get_value(),
                        month % 100,
                        score_text(t)
                    ))));
                }
                Err(e) => status.set(Some(Saved::Err(format!(
                    "{} {}月：{e}",
                    name.get_value(),
                    month % 100
                )))),
            }
        }
    });
    let on_change = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        if typed.trim().is_empty() {
            return;
        }
        if parse_score(&typed) == value.get_untracked() {
            return;
        }
        text.set(typed.clone());
        save.dispatch(typed);
    };
    view! {
        <td class="score-cell" class:low=move || value.get().is_some_and(score_low)>
            <input type="text" inputmode="decimal" class="score-input" maxlength="5" aria-label=label
                data-testid="score-input" data-month=month.to_string()
                prop:value=text on:change=on_change/>
        </td>
    }
}
