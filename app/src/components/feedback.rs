//! Loading and error states.

use leptos::prelude::*;

use crate::error::AppError;

/// Shown while data loads.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"正在加载…"</p> }
}

/// A clear Chinese error message with a way back.
#[component]
pub fn ErrorBox(err: AppError) -> impl IntoView {
    let hint = match err {
        AppError::Unauthenticated => Some(("/login", "去登录")),
        _ => Some(("/", "返回首页")),
    };
    view! {
        <div class="error-box" role="alert">
            <p class="error-title">{err.to_string()}</p>
            {hint.map(|(href, label)| view! { <a class="button" href=href>{label}</a> })}
        </div>
    }
}
