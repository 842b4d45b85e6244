//! The top of every signed-in home: who is here and their key figures.

use leptos::prelude::*;

use crate::api::types::HomeSummary;
use crate::domain::roles::Role;

/// Title, greeting and figure cards of a role's home, then its own content.
#[component]
pub fn RoleHeader(
    role: Role,
    title: &'static str,
    summary: HomeSummary,
    children: Children,
) -> impl IntoView {
    let user = summary.user;
    view! {
        <section class="role-home" data-testid="role-home" data-role=role.as_str()>
            <h1>{title}</h1>
            <p class="note">
                {format!("{}，您好（{}", user.display_name, user.role_label)}
                {user.village_name.map(|v| format!(" · {v}"))}
                "）"
            </p>
            <div class="stat-row">
                {summary.figures.into_iter().map(|(label, value)| view! {
                    <div class="stat"><span class="stat-value">{value}</span><span class="stat-label">{label}</span></div>
                }).collect_view()}
            </div>
            {children()}
            {(role != Role::Villager).then(|| view! {
                <p><a class="button" href="/me/password" data-testid="change-password-link">"修改我的密码"</a></p>
            })}
        </section>
    }
}

/// Shown when a signed-in user opens another role's page.
#[component]
pub fn WrongRole(home: String) -> impl IntoView {
    view! {
        <div class="error-box" role="alert">
            <p class="error-title">"此页面不属于您的角色"</p>
            <a class="button" href=home>"前往我的工作台"</a>
        </div>
    }
}
