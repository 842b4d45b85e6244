//! The date and reason fields every way of recording points asks for.

use leptos::prelude::*;

/// 发生日期 and 事由, side by side where there is room. `testid` prefixes the
/// fields' test ids (`<testid>-date`, `<testid>-reason`).
#[component]
pub fn DateAndReason(
    date: RwSignal<String>,
    reason: RwSignal<String>,
    testid: &'static str,
    placeholder: &'static str,
) -> impl IntoView {
    view! {
        <div class="field-row">
            <label class="field">
                <span>"发生日期"</span>
                <input type="date" class="big-input" data-testid=format!("{testid}-date")
                    prop:value=date on:input=move |ev| date.set(event_target_value(&ev))/>
            </label>
            <label class="field grow">
                <span>"事由"</span>
                <input type="text" class="big-input" maxlength="200" placeholder=placeholder data-testid=format!("{testid}-reason")
                    prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
            </label>
        </div>
    }
}
