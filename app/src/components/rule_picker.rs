//! Picking a rule item (积分细则) from the village's catalogue: a keyword
//! filter and a select grouped by category.

use leptos::prelude::*;

use crate::api::types::{RuleCategoryView, RuleItemView};
use crate::components::feedback::Loading;
use crate::domain::ledger::signed;
use crate::domain::RuleItemId;
use crate::error::AppError;

/// The loaded catalogue of a village.
pub type Catalogue = Resource<Result<Vec<RuleCategoryView>, AppError>>;

/// The chosen item, looked up in the loaded catalogue (tracks both).
pub fn chosen_rule(rules: Catalogue, rule: RwSignal<Option<RuleItemId>>) -> Option<RuleItemView> {
    let id = rule.get()?;
    rules
        .get()?
        .ok()?
        .iter()
        .flat_map(|c| c.items.iter())
        .find(|i| i.id == id)
        .cloned()
}

/// The filter box and the grouped select.
#[component]
pub fn RulePicker(rules: Catalogue, rule: RwSignal<Option<RuleItemId>>) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    view! {
        <label class="field">
            <span>"积分细则"</span>
            <input type="search" class="big-input" placeholder="输入关键字筛选，如“清洁”" aria-label="筛选细则"
                data-testid="rule-filter" prop:value=filter on:input=move |ev| filter.set(event_target_value(&ev))/>
        </label>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let cats: Vec<RuleCategoryView> = rules.await.unwrap_or_default();
                view! {
                    <select class="big-input rule-select" data-testid="rule-select" aria-label="积分细则"
                        on:change=move |ev| rule.set(event_target_value(&ev).parse::<i32>().ok().map(RuleItemId))>
                        <option value="">"请选择细则"</option>
                        {move || {
                            let f = filter.get();
                            let f = f.trim();
                            cats.iter().map(|c| {
                                let items: Vec<_> = c.items.iter().filter(|i| f.is_empty() || i.title.contains(f)).cloned().collect();
                                (!items.is_empty()).then(|| view! {
                                    <optgroup label=c.name.clone()>
                                        {items.into_iter().map(|i| view! {
                                            <option value=i.id.0.to_string() selected=move || rule.get() == Some(i.id)>
                                                {format!("{}（{}分/{}）{}", i.title, signed(i.points.into()), i.unit_label, if i.evidence_required { " 需照片" } else { "" })}
                                            </option>
                                        }).collect_view()}
                                    </optgroup>
                                })
                            }).collect_view()
                        }}
                    </select>
                }
            })}
        </Suspense>
    }
}
