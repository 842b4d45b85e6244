//! `/login`: sign in; the demo accounts are listed while demo mode is on.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{demo_accounts, Login};
use crate::components::feedback::FormError;

/// The login page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let demos = Resource::new(|| (), |_| demo_accounts());
    Effect::new(move |_| {
        if let Some(Ok(user)) = login.value().get() {
            // A full load, so every part of the page sees the new session.
            let _ = window().location().set_href(&user.home);
        }
    });
    let username = RwSignal::new(String::new());
    view! {
        <Title text="登录"/>
        <section class="login-card">
            <h1>"工作人员及村民登录"</h1>
            <ActionForm action=login>
                <label class="field">
                    <span>"用户名 / 户卡号 / 手机号"</span>
                    <input type="text" name="username" class="big-input" autocomplete="username" required data-testid="username"
                        on:input=move |ev| username.set(event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>"密码"</span>
                    // A villager signs in with a card number or a phone number
                    // and a 6-digit PIN: then the phone shows its number pad.
                    <input type="password" name="password" class="big-input" autocomplete="current-password" required data-testid="password"
                        inputmode=move || if villager_name(&username.get()) { "numeric" } else { "text" }/>
                </label>
                <button type="submit" class="button button-primary button-block" data-testid="login-submit"
                    disabled=move || login.pending().get()>
                    {move || if login.pending().get() { "正在登录…" } else { "登录" }}
                </button>
            </ActionForm>
            <p class="note">"村民请用户卡号或登记的手机号登录，密码是村积分管理员为您设置的 6 位数字；忘记密码请找村积分管理员重设。"</p>
            {move || login.value().get().and_then(|r| r.err()).map(|e| view! {
                <FormError message=e.to_string() testid="login-error"/>
            })}
        </section>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = demos.await.unwrap_or_default();
                (!list.is_empty()).then(|| view! {
                    <section class="demo-accounts" data-testid="demo-accounts">
                        <h2>"演示账号"</h2>
                        <p class="note">"当前为演示模式，以下账号的密码均为 "<code>{list[0].password.clone()}</code></p>
                        <table>
                            <thead><tr><th>"用户名"</th><th>"角色"</th><th>"所属"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|d| view! {
                                    <tr><td><code>{d.username}</code></td><td>{d.role_label}</td><td>{d.village_name}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                })
            })}
        </Suspense>
        <p><a class="button" href="/" data-testid="login-home">"返回首页"</a></p>
    }
}

/// Whether a sign-in name is a villager's: a card number or a phone
/// number, digits only (staff names have letters).
fn villager_name(name: &str) -> bool {
    let name = name.trim();
    !name.is_empty() && name.chars().all(|c| c.is_ascii_digit())
}
