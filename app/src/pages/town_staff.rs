//! `/town/staff`: the town admin's list of staff accounts (工作人员账号):
//! create one for a village clerk, supermarket clerk, scorer or town staff
//! member, change it, reset its password or disable it. A new or reset
//! account's one-time password is shown once, on a slip that prints.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::staff::{
    create_staff, get_staff_page, reset_staff_password, set_staff_active, suggest_username,
    update_staff, NewStaff, OneTimePassword, StaffPage, StaffView, StaffVillage,
};
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::town::TownNav;
use crate::domain::roles::Role;
use crate::domain::{GroupId, VillageId};

/// The page.
#[component]
pub fn TownStaffPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let page = Resource::new(move || version.get(), |_| get_staff_page());
    // The one-time password last made, shown until the admin closes it.
    let slip = RwSignal::new(None::<OneTimePassword>);
    view! {
        <Title text="工作人员账号"/>
        <div class="no-print">
            <h1>"工作人员账号"</h1>
            <TownNav current="/town/staff"/>
            <p class="note">"为各村的积分管理员、超市管理员、评分员和镇干部开设账号。新账号和重置后的账号得到一个一次性初始密码，首次登录必须改成自己的密码。停用账号或重置密码后，该账号在所有设备上立即退出。"</p>
        </div>
        {move || slip.get().map(|s| view! { <Slip s slip/> })}
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(p) => view! { <Staff p version slip/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The one-time password, large, with what to tell its holder; prints
/// alone on a slip.
#[component]
fn Slip(s: OneTimePassword, slip: RwSignal<Option<OneTimePassword>>) -> impl IntoView {
    let a = s.account;
    let scope = scope_of(&a);
    view! {
        <section class="panel otp-slip" data-testid="otp-slip" role="status">
            <h2>"账号开通单"</h2>
            <dl class="otp-lines">
                <dt>"姓名"</dt><dd>{a.display_name}</dd>
                <dt>"角色"</dt><dd>{a.role_label}{(!scope.is_empty()).then(|| format!("（{scope}）"))}</dd>
                <dt>"用户名"</dt><dd class="otp-value" data-testid="otp-username">{a.username}</dd>
                <dt>"初始密码"</dt><dd class="otp-value" data-testid="otp-password">{s.password}</dd>
            </dl>
            <p class="otp-note">"初始密码只能使用一次，只在此显示一次。首次登录后须设置自己的密码：至少 10 位，不能全是数字，不能含用户名。"</p>
            <div class="action-row no-print">
                <button type="button" class="button button-primary" on:click=|_| { let _ = window().print(); }>"打印开通单"</button>
                <button type="button" class="button" data-testid="otp-close" on:click=move |_| slip.set(None)>"已交给本人，关闭"</button>
            </div>
        </section>
    }
}

#[component]
fn Staff(
    p: StaffPage,
    version: RwSignal<u32>,
    slip: RwSignal<Option<OneTimePassword>>,
) -> impl IntoView {
    let villages = StoredValue::new(p.villages);
    let roles = StoredValue::new(p.roles);
    let may_write = p.may_write;
    let editing = RwSignal::new(None::<crate::domain::UserId>);
    let count = p.accounts.len();
    // Which village's accounts the list shows ("" for all, "town" for the town's own).
    let shown = RwSignal::new(String::new());
    let in_view = move |a: &StaffView| {
        shown.with(|f| match f.as_str() {
            "" => true,
            "town" => a.village.is_none(),
            id => a.village.as_ref().is_some_and(|v| v.0 .0.to_string() == id),
        })
    };
    view! {
        <div class="no-print">
            {may_write.then(|| view! {
                <section class="panel">
                    <h2>"开设账号"</h2>
                    <StaffForm existing=None villages roles version slip editing/>
                </section>
            })}
            <section class="panel">
                <h2>{format!("全部账号（{count}）")}</h2>
                <label class="field">
                    <span>"只看"</span>
                    <select class="group-select" data-testid="staff-filter" on:change=move |ev| shown.set(event_target_value(&ev))>
                        <option value="">"全部"</option>
                        <option value="town">"镇里"</option>
                        {villages.with_value(|vs| vs.iter().filter(|v| v.taking_part).map(|v| view! {
                            <option value=v.id.0.to_string()>{v.name.clone()}</option>
                        }).collect_view())}
                    </select>
                </label>
                <ul class="staff-list" data-testid="staff-list">
                    {p.accounts.into_iter().map(|a| {
                        let keep = a.clone();
                        view! {
                            <Show when=move || in_view(&keep)>
                                <StaffRow a=a.clone() may_write villages roles version slip editing/>
                            </Show>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </div>
    }
}

#[component]
fn StaffRow(
    a: StaffView,
    may_write: bool,
    villages: StoredValue<Vec<StaffVillage>>,
    roles: StoredValue<Vec<(Role, String)>>,
    version: RwSignal<u32>,
    slip: RwSignal<Option<OneTimePassword>>,
    editing: RwSignal<Option<crate::domain::UserId>>,
) -> impl IntoView {
    let id = a.id;
    let active = a.active;
    let confirm = RwSignal::new(None::<&'static str>);
    let reset = Action::new(move |_: &()| async move {
        let r = reset_staff_password(id).await;
        if let Ok(otp) = &r {
            slip.set(Some(otp.clone()));
            window().scroll_to_with_x_and_y(0.0, 0.0);
            confirm.set(None);
            version.update(|x| *x += 1);
        }
        r.map(|_| ())
    });
    let toggle = Action::new(move |_: &()| async move {
        let r = set_staff_active(id, !active).await;
        if r.is_ok() {
            confirm.set(None);
            version.update(|x| *x += 1);
        }
        r.map(|_| ())
    });
    let scope = scope_of(&a);
    let editable = may_write && a.role != Role::TownAdmin;
    let existing = a.clone();
    view! {
        <li class="staff-card" class:inactive=!active data-testid="staff-row" data-username=a.username.clone()>
            <div class="staff-head">
                <strong class="staff-name">{a.display_name.clone()}</strong>
                <span class="badge">{a.role_label.clone()}</span>
                {(!active).then(|| view! { <span class="badge badge-grey" data-testid="staff-disabled">"已停用"</span> })}
                {a.must_change_password.then(|| view! { <span class="badge badge-late">"待改初始密码"</span> })}
            </div>
            <p class="staff-meta">
                <span>"用户名 "<b class="mono">{a.username.clone()}</b></span>
                {(!scope.is_empty()).then(|| view! { <span>{scope.clone()}</span> })}
                {a.phone.clone().map(|p| view! { <span>{format!("电话 {p}")}</span> })}
                {a.household_card.clone().map(|c| view! { <span>{format!("本人家庭户卡 {c}")}</span> })}
            </p>
            <p class="note">{format!("开设于 {}", a.created_at)}{a.last_login.clone().map(|t| format!(" · 最近登录 {t}"))}</p>
            {editable.then(|| view! {
                <div class="action-row">
                    <button type="button" class="button" data-testid="staff-edit"
                        on:click=move |_| editing.update(|e| *e = if *e == Some(id) { None } else { Some(id) })>"修改"</button>
                    <button type="button" class="button" data-testid="staff-reset"
                        on:click=move |_| confirm.set(Some("reset"))>"重置密码"</button>
                    <button type="button" class="button" data-testid="staff-toggle"
                        on:click=move |_| if active { confirm.set(Some("disable")) } else { toggle.dispatch(()); }>
                        {if active { "停用" } else { "重新启用" }}
                    </button>
                </div>
                {move || confirm.get().map(|what| {
                    let (text, go) = if what == "reset" {
                        ("重置后原密码立即失效，该账号在所有设备上退出。确定重置？", reset)
                    } else {
                        ("停用后该账号立即退出，不能再登录（记录保留）。确定停用？", toggle)
                    };
                    view! {
                        <div class="confirm-row" role="alertdialog">
                            <span>{text}</span>
                            <button type="button" class="button button-danger" data-testid="staff-confirm"
                                disabled=move || go.pending().get()
                                on:click=move |_| { go.dispatch(()); }>"确定"</button>
                            <button type="button" class="button" on:click=move |_| confirm.set(None)>"取消"</button>
                        </div>
                    }
                })}
                {move || reset.value().get().or(toggle.value().get()).and_then(Result::err).map(|e| view! {
                    <FormError message=e.to_string()/>
                })}
                <Show when=move || editing.get() == Some(id)>
                    <StaffForm existing=Some(existing.clone()) villages roles version slip editing/>
                </Show>
            })}
        </li>
    }
}

/// Where an account works: "沙坝村 · 一组", or empty for the town.
fn scope_of(a: &StaffView) -> String {
    [
        a.village.as_ref().map(|v| v.1.as_str()),
        a.group.as_ref().map(|g| g.1.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ")
}

fn role_value(r: Role) -> String {
    r.as_str().to_string()
}

/// The account form: to create (with a suggested user name) or to change
/// an existing account.
#[component]
fn StaffForm(
    existing: Option<StaffView>,
    villages: StoredValue<Vec<StaffVillage>>,
    roles: StoredValue<Vec<(Role, String)>>,
    version: RwSignal<u32>,
    slip: RwSignal<Option<OneTimePassword>>,
    editing: RwSignal<Option<crate::domain::UserId>>,
) -> impl IntoView {
    let first_village = villages.with_value(|vs| {
        vs.iter()
            .find(|v| v.taking_part)
            .map(|v| v.id.0.to_string())
            .unwrap_or_default()
    });
    let e = existing.clone();
    let role = RwSignal::new(
        e.as_ref()
            .map(|a| role_value(a.role))
            .unwrap_or_else(|| role_value(Role::VillageAdmin)),
    );
    let village = RwSignal::new(
        e.as_ref()
            .map(|a| {
                a.village
                    .as_ref()
                    .map(|v| v.0 .0.to_string())
                    .unwrap_or_default()
            })
            .unwrap_or(first_village),
    );
    let group = RwSignal::new(
        e.as_ref()
            .and_then(|a| a.group.as_ref().map(|g| g.0 .0.to_string()))
            .unwrap_or_default(),
    );
    let username = RwSignal::new(e.as_ref().map(|a| a.username.clone()).unwrap_or_default());
    let name = RwSignal::new(
        e.as_ref()
            .map(|a| a.display_name.clone())
            .unwrap_or_default(),
    );
    let phone = RwSignal::new(e.as_ref().and_then(|a| a.phone.clone()).unwrap_or_default());
    let card = RwSignal::new(
        e.as_ref()
            .and_then(|a| a.household_card.clone())
            .unwrap_or_default(),
    );
    let is_new = existing.is_none();
    let the_role = move || Role::parse(&role.get()).unwrap_or(Role::VillageAdmin);
    let needs_village = move || the_role() != Role::TownStaff;
    let picked_village = move || {
        needs_village()
            .then(|| village.get().parse().ok().map(VillageId))
            .flatten()
    };
    // A new account's user name follows its role and village until the
    // admin types their own.
    let typed_name = RwSignal::new(false);
    let suggest = Action::new(move |(r, v): &(Role, Option<VillageId>)| {
        let (r, v) = (*r, *v);
        async move {
            if let Ok(name) = suggest_username(r, v).await {
                if !typed_name.get_untracked() {
                    username.set(name);
                }
            }
        }
    });
    if is_new {
        Effect::new(move |_| {
            suggest.dispatch((the_role(), picked_village()));
        });
    }
    let existing_id = existing.as_ref().map(|a| a.id);
    let save = Action::new(move |_: &()| {
        let form = NewStaff {
            username: username.get_untracked(),
            display_name: name.get_untracked(),
            phone: phone.get_untracked(),
            role: Role::parse(&role.get_untracked()).unwrap_or(Role::VillageAdmin),
            village: if role.get_untracked() == Role::TownStaff.as_str() {
                None
            } else {
                village.get_untracked().parse().ok().map(VillageId)
            },
            group: if role.get_untracked() == Role::Scorer.as_str() {
                group.get_untracked().parse().ok().map(GroupId)
            } else {
                None
            },
            household_card: card.get_untracked(),
        };
        async move {
            let r = match existing_id {
                None => create_staff(form).await.map(|otp| {
                    slip.set(Some(otp));
                    // The slip is at the top; on a phone the form is far below it.
                    window().scroll_to_with_x_and_y(0.0, 0.0);
                    name.set(String::new());
                    phone.set(String::new());
                    card.set(String::new());
                    typed_name.set(false);
                    "已开设账号，请把开通单交给本人".to_string()
                }),
                Some(id) => update_staff(id, form).await.map(|_| {
                    editing.set(None);
                    "已保存".to_string()
                }),
            };
            if r.is_ok() {
                version.update(|x| *x += 1);
            }
            r
        }
    });
    let groups = move || {
        let v: Option<i32> = village.get().parse().ok();
        villages.with_value(|vs| {
            vs.iter()
                .find(|x| Some(x.id.0) == v)
                .map(|x| x.groups.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <form class="staff-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <div class="field-row">
                <label class="field grow">
                    <span>"角色"</span>
                    <select class="group-select" data-testid="staff-role" on:change=move |ev| role.set(event_target_value(&ev))>
                        {roles.with_value(|rs| rs.iter().map(|(r, label)| {
                            let v = role_value(*r);
                            let v2 = v.clone();
                            view! { <option value=v selected=move || role.with(|x| *x == v2)>{label.clone()}</option> }
                        }).collect_view())}
                    </select>
                </label>
                <Show when=needs_village>
                    <label class="field grow">
                        <span>"村（社区）"</span>
                        <select class="group-select" data-testid="staff-village" on:change=move |ev| { village.set(event_target_value(&ev)); group.set(String::new()); }>
                            {villages.with_value(|vs| vs.iter().map(|v| {
                                let id = v.id.0.to_string();
                                let id2 = id.clone();
                                let label = if v.taking_part { v.name.clone() } else { format!("{}（未参与）", v.name) };
                                view! { <option value=id selected=move || village.with(|x| *x == id2)>{label}</option> }
                            }).collect_view())}
                        </select>
                    </label>
                </Show>
                <Show when=move || role.with(|r| r == Role::Scorer.as_str())>
                    <label class="field grow">
                        <span>"负责小组"</span>
                        <select class="group-select" data-testid="staff-group" on:change=move |ev| group.set(event_target_value(&ev))>
                            <option value="" selected=move || group.with(String::is_empty)>"全村"</option>
                            {move || groups().into_iter().map(|(id, gname)| {
                                let id = id.0.to_string();
                                let id2 = id.clone();
                                view! { <option value=id selected=move || group.with(|x| *x == id2)>{gname}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
            </div>
            <div class="field-row">
                <label class="field grow">
                    <span>"姓名"</span>
                    <input type="text" class="big-input" maxlength="50" required data-testid="staff-name"
                        prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label class="field grow">
                    <span>"用户名"</span>
                    <input type="text" class="big-input mono" maxlength="64" autocomplete="off" autocapitalize="off"
                        spellcheck="false" data-testid="staff-username" readonly=!is_new
                        prop:value=username on:input=move |ev| { typed_name.set(true); username.set(event_target_value(&ev)); }/>
                </label>
            </div>
            <div class="field-row">
                <label class="field grow">
                    <span>"手机号（可不填）"</span>
                    <input type="tel" inputmode="numeric" class="big-input" maxlength="20" data-testid="staff-phone"
                        prop:value=phone on:input=move |ev| phone.set(event_target_value(&ev))/>
                </label>
                <label class="field grow">
                    <span>"本人家庭户卡号（住在本村时填写）"</span>
                    <input type="text" inputmode="numeric" class="big-input" maxlength="20" data-testid="staff-card"
                        prop:value=card on:input=move |ev| card.set(event_target_value(&ev))/>
                </label>
            </div>
            <p class="note">"填写本人家庭户卡号后，该工作人员不能为自己家记分、审核或兑换。"</p>
            <button type="submit" class="button button-primary" data-testid="staff-save"
                disabled=move || save.pending().get()>{if is_new { "开设账号" } else { "保存修改" }}</button>
            {move || save.value().get().map(|r| match r {
                Ok(msg) => view! { <p class="form-ok" role="status">{msg}</p> }.into_any(),
                Err(e) => view! { <FormError message=e.to_string() testid="staff-error"/> }.into_any(),
            })}
        </form>
    }
}
