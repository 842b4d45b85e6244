//! Loading and error states.

use leptos::prelude::*;

use crate::error::AppError;

/// Shown while data loads.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"正在加载…"</p> }
}

/// A clear Chinese error message with a way on: log in, retry, or go home.
#[component]
pub fn ErrorBox(err: AppError) -> impl IntoView {
    let action = match err {
        AppError::Unauthenticated => view! { <a class="button" href="/login">"去登录"</a> }.into_any(),
        AppError::PasswordChangeRequired => {
            view! { <a class="button button-primary" href="/me/password">"去修改密码"</a> }.into_any()
        }
        AppError::Network | AppError::Internal => view! {
            <button class="button" on:click=|_| { let _ = window().location().reload(); }>"重试"</button>
        }
        .into_any(),
        _ => view! { <a class="button" href="/">"返回首页"</a> }.into_any(),
    };
    view! {
        <div class="error-box" role="alert">
            <p class="error-title">{err.to_string()}</p>
            {action}
        </div>
    }
}

/// A form's refusal in the words the rule or the server gave, announced by
/// screen readers as it appears. Every form shows its errors through this.
#[component]
pub fn FormError(
    /// The sentence shown.
    #[prop(into)]
    message: String,
    /// `data-testid` for the browser tests.
    #[prop(optional)]
    testid: Option<&'static str>,
) -> impl IntoView {
    view! { <p class="form-error" role="alert" data-testid=testid>{message}</p> }
}
