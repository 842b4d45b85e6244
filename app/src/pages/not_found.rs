//! Fallback for unknown paths.

use leptos::prelude::*;
use leptos_meta::Title;

/// Page shown for an unknown address, with status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    // The one page compiled into the main bundle: it says itself that it is
    // interactive, as the lazily loaded pages do.
    crate::app::lazy::mark_hydrated();
    view! {
        <Title text="页面不存在"/>
        <div class="error-box" role="alert">
            <p class="error-title">"页面不存在"</p>
            <p>"您访问的地址有误，请从首页重新进入。"</p>
            <a class="button" href="/">"返回首页"</a>
        </div>
    }
}
