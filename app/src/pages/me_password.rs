//! `/me/password`: a staff member sets their own password — at first sign-in
//! in place of the one-time password, or whenever they want to.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::current_user;
use crate::api::staff::ChangePassword;
use crate::components::feedback::FormError;
use crate::domain::staff::MIN_PASSWORD_CHARS;

/// The page.
#[component]
pub fn MePasswordPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let me = Resource::new(|| (), |_| current_user());
    Effect::new(move |_| {
        if let Some(Ok(home)) = change.value().get() {
            // A full load: every part of the page sees the account as it is now.
            let _ = window().location().set_href(&home);
        }
    });
    view! {
        <Title text="修改密码"/>
        <section class="login-card">
            <h1>"修改密码"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match me.await {
                        Ok(Some(u)) if u.must_change_password => view! {
                            <p class="notice-box" data-testid="must-change">{format!("{}，您正在使用初始密码。请先设置自己的密码，之后才能使用系统。", u.display_name)}</p>
                        }.into_any(),
                        Ok(Some(u)) => view! { <p class="note">{format!("{}（{}）", u.display_name, u.username)}</p> }.into_any(),
                        _ => view! { <p class="form-error" role="alert">"请先登录"</p><a class="button" href="/login">"去登录"</a> }.into_any(),
                    }
                })}
            </Suspense>
            <ActionForm action=change>
                <label class="field">
                    <span>"原密码（或初始密码）"</span>
                    <input type="password" name="old" class="big-input" autocomplete="current-password" required data-testid="old-password"/>
                </label>
                <label class="field">
                    <span>"新密码"</span>
                    <input type="password" name="new" class="big-input" autocomplete="new-password" required
                        minlength=MIN_PASSWORD_CHARS.to_string() maxlength="128" data-testid="new-password"/>
                </label>
                <label class="field">
                    <span>"再输入一次新密码"</span>
                    <input type="password" name="repeat" class="big-input" autocomplete="new-password" required
                        maxlength="128" data-testid="repeat-password"/>
                </label>
                <ul class="rule-hints">
                    <li>{format!("至少 {MIN_PASSWORD_CHARS} 个字符，字母、数字、符号或汉字都可以")}</li>
                    <li>"不能全是数字，不能包含用户名"</li>
                    <li>"不能是常见密码（如 password123、woaini1314）"</li>
                </ul>
                <button type="submit" class="button button-primary button-block" data-testid="password-submit"
                    disabled=move || change.pending().get()>
                    {move || if change.pending().get() { "正在保存…" } else { "保存新密码" }}
                </button>
            </ActionForm>
            {move || change.value().get().and_then(Result::err).map(|e| view! {
                <FormError message=e.to_string() testid="password-error"/>
            })}
        </section>
    }
}
