//! The page header and footer.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::api::{current_user, logout};

/// Site header: name of the platform, main links, and who is signed in.
#[component]
pub fn Header() -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    let sign_out = Action::new(|_: &()| async move {
        let _ = logout().await;
        window().location().set_href("/").ok();
    });
    // At the counter the public site's menu is left out, so that one stray
    // tap on a shared tablet cannot leave the till; the clerk keeps their
    // name and 退出.
    let location = use_location();
    let counter = move || location.pathname.with(|p| p.starts_with("/kiosk"));
    view! {
        <header class="site-header">
            <a class="brand" href=move || (!counter()).then_some("/")>
                <span class="brand-mark">"积"</span>
                <span class="brand-text">"高梁镇积分制平台"</span>
            </a>
            <nav class="main-nav">
                <Show when=move || !counter()>
                    <A href="/" exact=true>"首页"</A>
                    <A href="/ranking">"村排名"</A>
                    <A href="/notices">"村务公示"</A>
                    <A href="/activities">"活动"</A>
                    <A href="/search">"查积分"</A>
                </Show>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(u)) => view! {
                                <a class="nav-user" href=u.home.clone() title=u.role_label.clone()
                                    rel=crate::app::may_use_camera(&u.home).then_some("external")>{u.display_name.clone()}</a>
                                <button class="link-button" data-testid="logout" on:click=move |_| { sign_out.dispatch(()); }>"退出"</button>
                            }.into_any(),
                            _ => view! { <A href="/login">"登录"</A> }.into_any(),
                        }
                    })}
                </Suspense>
            </nav>
        </header>
    }
}

/// Site footer.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>"重庆市万州区高梁镇人民政府 · 乡村治理“积分制”线上平台"</p>
            <p>"积分公开 · 规则公开 · 兑换公开"</p>
        </footer>
    }
}
