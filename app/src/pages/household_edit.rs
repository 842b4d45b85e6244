//! `/office/households/new` and `/office/households/edit/:id`: the household
//! form (户主, 组别, 地址, 常住/知晓, members), moving away and deleting.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::households::{
    create_household, delete_household, get_household_detail, household_defaults, set_moved_away,
    update_household, HouseholdDetail, HouseholdForm, MemberForm, MemberView,
};
use crate::api::types::GroupView;
use crate::api::villager::{set_villager_login, villager_login};
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::office::{OfficeShell, OfficeVillage};
use crate::domain::{GroupId, HouseholdId, MemberId, VillageId};
use crate::error::AppError;

/// The create page.
#[component]
pub fn HouseholdNewPage() -> impl IntoView {
    view! {
        <Title text="新增农户"/>
        <OfficeShell title="农户管理" current="/office/households">
            {move || {
                let ov = expect_context::<OfficeVillage>();
                view! { <NewHousehold village=ov.id/> }
            }}
        </OfficeShell>
    }
}

/// The edit page.
#[component]
pub fn HouseholdEditPage() -> impl IntoView {
    let params = use_params_map();
    view! {
        <Title text="编辑农户"/>
        <OfficeShell title="农户管理" current="/office/households">
            {move || {
                let ov = expect_context::<OfficeVillage>();
                let id = params.read().get("id").and_then(|s| s.parse::<i32>().ok()).map(HouseholdId);
                match id {
                    Some(id) => view! { <EditHousehold village=ov.id id/> }.into_any(),
                    None => view! { <ErrorBox err=AppError::not_found("找不到该农户")/> }.into_any(),
                }
            }}
        </OfficeShell>
    }
}

/// One member row of the form; `key` tells rows apart while editing.
#[derive(Clone, Copy)]
struct MemberRow {
    key: u32,
    id: Option<MemberId>,
    name: RwSignal<String>,
    relation: RwSignal<String>,
}

/// The form's fields.
#[derive(Clone, Copy)]
struct FormState {
    group: RwSignal<Option<GroupId>>,
    head_name: RwSignal<String>,
    card_no: RwSignal<String>,
    address: RwSignal<String>,
    resident: RwSignal<bool>,
    aware: RwSignal<bool>,
    members: RwSignal<Vec<MemberRow>>,
    next_key: RwSignal<u32>,
}

impl FormState {
    fn new(group: Option<GroupId>) -> Self {
        FormState {
            group: RwSignal::new(group),
            head_name: RwSignal::new(String::new()),
            card_no: RwSignal::new(String::new()),
            address: RwSignal::new(String::new()),
            resident: RwSignal::new(true),
            aware: RwSignal::new(false),
            members: RwSignal::new(Vec::new()),
            next_key: RwSignal::new(0),
        }
    }

    fn add_member(&self, id: Option<MemberId>, name: String, relation: String) {
        let key = self.next_key.get_untracked();
        self.next_key.set(key + 1);
        self.members.update(|m| {
            m.push(MemberRow {
                key,
                id,
                name: RwSignal::new(name),
                relation: RwSignal::new(relation),
            })
        });
    }

    fn set_members(&self, members: &[MemberView]) {
        self.members.set(Vec::new());
        for m in members {
            self.add_member(Some(m.id), m.name.clone(), m.relation.clone());
        }
    }

    fn load(&self, d: &HouseholdDetail) {
        self.group.set(Some(d.group));
        self.head_name.set(d.head_name.clone());
        self.card_no.set(d.card_no.clone());
        self.address.set(d.address.clone());
        self.resident.set(d.resident);
        self.aware.set(d.aware);
        self.set_members(&d.members);
    }

    fn form(&self) -> Result<HouseholdForm, AppError> {
        let group = self
            .group
            .get_untracked()
            .ok_or_else(|| AppError::invalid("请选择组别"))?;
        Ok(HouseholdForm {
            group,
            head_name: self.head_name.get_untracked(),
            card_no: self.card_no.get_untracked(),
            address: self.address.get_untracked(),
            resident: self.resident.get_untracked(),
            aware: self.aware.get_untracked(),
            members: self
                .members
                .get_untracked()
                .iter()
                .map(|m| MemberForm {
                    id: m.id,
                    name: m.name.get_untracked(),
                    relation: m.relation.get_untracked(),
                })
                .collect(),
        })
    }
}

#[component]
fn NewHousehold(village: VillageId) -> impl IntoView {
    let ov = expect_context::<OfficeVillage>();
    let defaults = Resource::new(move || village, |v| household_defaults(Some(v)));
    let f = FormState::new(None);
    let save = Action::new(move |form: &Result<HouseholdForm, AppError>| {
        let form = form.clone();
        async move {
            let result = match form {
                Ok(form) => create_household(Some(village), form).await,
                Err(e) => Err(e),
            };
            if result.is_ok() {
                // Ready for the next household; the suggestion moves on.
                f.head_name.set(String::new());
                f.address.set(String::new());
                f.members.set(Vec::new());
                f.card_no.set(String::new());
                defaults.refetch();
            }
            result
        }
    });
    view! {
        <section class="panel hh-form-panel">
            <h2>"新增农户"</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match defaults.await {
                        Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                        Ok(d) => {
                            if f.group.get_untracked().is_none() {
                                f.group.set(d.groups.first().map(|g| g.id));
                            }
                            view! {
                                <HouseholdFields f groups=d.groups card_hint=Some(d.next_card_no)/>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
            <button type="button" class="button button-primary button-block" data-testid="hh-save"
                disabled=move || save.pending().get()
                on:click=move |_| { save.dispatch(f.form()); }>
                {move || if save.pending().get() { "正在保存…" } else { "保存" }}
            </button>
            {move || save.value().get().map(|r| match r {
                Ok(d) => view! {
                    <p class="form-ok" role="status" data-testid="hh-result">
                        {format!("已新增：{}，户卡号 {}", d.head_name, d.card_no)}
                    </p>
                    <a class="button" data-testid="hh-open-created" href=ov.link(&format!("/office/households/edit/{}", d.id))>"查看该户"</a>
                }.into_any(),
                Err(e) => view! { <FormError message=e.to_string() testid="hh-error"/> }.into_any(),
            })}
            <a class="button" href=ov.link("/office/households")>"返回农户列表"</a>
        </section>
    }
}

#[component]
fn EditHousehold(village: VillageId, id: HouseholdId) -> impl IntoView {
    let detail = Resource::new(
        move || id,
        move |id| get_household_detail(Some(village), id),
    );
    let defaults = Resource::new(move || village, |v| household_defaults(Some(v)));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match (detail.await, defaults.await) {
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorBox err=e/> }.into_any(),
                    (Ok(d), Ok(g)) => view! { <EditForm village d groups=g.groups/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditForm(village: VillageId, d: HouseholdDetail, groups: Vec<GroupView>) -> impl IntoView {
    let ov = expect_context::<OfficeVillage>();
    let f = FormState::new(None);
    f.load(&d);
    let id = d.id;
    let current = RwSignal::new(d);
    let deleted = RwSignal::new(false);
    // The latest outcome of any of the actions below.
    let notice = RwSignal::new(None::<Result<String, AppError>>);
    let save = Action::new(move |form: &Result<HouseholdForm, AppError>| {
        let form = form.clone();
        async move {
            let result = match form {
                Ok(form) => update_household(Some(village), id, form).await,
                Err(e) => Err(e),
            };
            if let Ok(d) = &result {
                f.set_members(&d.members);
                current.set(d.clone());
            }
            notice.set(Some(result.map(|_| "已保存".to_string())));
        }
    });
    let status = Action::new(move |moved: &bool| {
        let moved = *moved;
        async move {
            let result = set_moved_away(Some(village), id, moved).await;
            if let Ok(d) = &result {
                current.set(d.clone());
            }
            notice.set(Some(result.map(|d| {
                if d.moved_away {
                    "已标记为迁出".to_string()
                } else {
                    "已恢复为在册".to_string()
                }
            })));
        }
    });
    let confirm_delete = RwSignal::new(false);
    let remove = Action::new(move |_: &()| async move {
        let result = delete_household(Some(village), id).await;
        if result.is_ok() {
            deleted.set(true);
        }
        if let Err(e) = result {
            notice.set(Some(Err(e)));
        }
    });
    view! {
        <Show when=move || !deleted.get() fallback=move || view! {
            <section class="panel">
                <p class="form-ok" role="status" data-testid="hh-result">"该户已删除"</p>
                <a class="button" href=ov.link("/office/households")>"返回农户列表"</a>
            </section>
        }>
            <section class="panel hh-form-panel">
                <h2>{move || current.with(|c| format!("编辑农户 · 卡号 {}", c.card_no))}</h2>
                <p class="note">
                    {move || current.with(|c| format!("当前积分 {} 分", c.balance))}
                    {move || current.with(|c| c.moved_away).then(|| view! { <span class="badge badge-grey">"已迁出"</span> })}
                </p>
                <HouseholdFields f groups=groups.clone() card_hint=None/>
                <button type="button" class="button button-primary button-block" data-testid="hh-save"
                    disabled=move || save.pending().get()
                    on:click=move |_| { save.dispatch(f.form()); }>
                    {move || if save.pending().get() { "正在保存…" } else { "保存修改" }}
                </button>
                {move || notice.get().map(|r| match r {
                    Ok(m) => view! { <p class="form-ok" role="status" data-testid="hh-result">{m}</p> }.into_any(),
                    Err(e) => view! { <FormError message=e.to_string() testid="hh-error"/> }.into_any(),
                })}
            </section>
            <SignInPanel village id/>
            <section class="panel">
                <h2>"迁出与删除"</h2>
                <p class="note">"农户搬离本村时请标记为“已迁出”：积分记录保留，不再参与记分。有积分或兑换记录的农户不能删除。"</p>
                {move || if current.with(|c| c.moved_away) {
                    view! { <button type="button" class="button" data-testid="hh-move-back" on:click=move |_| { status.dispatch(false); }>"恢复为在册"</button> }.into_any()
                } else {
                    view! { <button type="button" class="button" data-testid="hh-move-away" on:click=move |_| { status.dispatch(true); }>"标记为已迁出"</button> }.into_any()
                }}
                {move || (!current.with(|c| c.has_history)).then(|| view! {
                    <Show when=move || confirm_delete.get() fallback=move || view! {
                        <button type="button" class="button" data-testid="hh-delete" on:click=move |_| confirm_delete.set(true)>"删除（录入错误时）"</button>
                    }>
                        <span class="hh-confirm">"确定删除该户？"</span>
                        <button type="button" class="button button-primary" data-testid="hh-delete-confirm" on:click=move |_| { remove.dispatch(()); }>"确定删除"</button>
                        <button type="button" class="button" on:click=move |_| confirm_delete.set(false)>"取消"</button>
                    </Show>
                })}
                <a class="button" href=ov.link("/office/households")>"返回农户列表"</a>
            </section>
        </Show>
    }
}

/// The fields of the household form. `card_hint` is the suggested card
/// number when creating; when editing the card number is shown, not edited.
#[component]
fn HouseholdFields(
    f: FormState,
    groups: Vec<GroupView>,
    card_hint: Option<String>,
) -> impl IntoView {
    let creating = card_hint.is_some();
    view! {
        <div class="field-row">
            <label class="field grow">
                <span>"户主姓名"</span>
                <input type="text" class="big-input" maxlength="20" data-testid="hh-head" required
                    prop:value=f.head_name on:input=move |ev| f.head_name.set(event_target_value(&ev))/>
            </label>
            <label class="field">
                <span>"组别"</span>
                <select class="group-select" data-testid="hh-group-select"
                    on:change=move |ev| f.group.set(event_target_value(&ev).parse().ok().map(GroupId))>
                    {groups.into_iter().map(|g| view! {
                        <option value=g.id.0.to_string() selected=move || f.group.get() == Some(g.id)>{g.name}</option>
                    }).collect_view()}
                </select>
            </label>
        </div>
        {if creating {
            view! {
                <label class="field">
                    <span>"户卡号（留空则自动编号）"</span>
                    <input type="text" class="big-input" inputmode="numeric" maxlength="12" data-testid="hh-card"
                        placeholder=card_hint.map(|c| format!("自动编号：{c}"))
                        prop:value=f.card_no on:input=move |ev| f.card_no.set(event_target_value(&ev))/>
                </label>
            }.into_any()
        } else {
            view! { <p class="note" data-testid="hh-card-fixed">{move || format!("户卡号 {}（已印制，不可修改）", f.card_no.get())}</p> }.into_any()
        }}
        <label class="field">
            <span>"地址"</span>
            <input type="text" class="big-input" maxlength="100" data-testid="hh-address"
                prop:value=f.address on:input=move |ev| f.address.set(event_target_value(&ev))/>
        </label>
        <div class="hh-flags">
            <label class="toggle">
                <input type="checkbox" data-testid="hh-resident" prop:checked=f.resident
                    on:change=move |ev| f.resident.set(event_target_checked(&ev))/>
                "常住在家"
            </label>
            <label class="toggle">
                <input type="checkbox" data-testid="hh-aware" prop:checked=f.aware
                    on:change=move |ev| f.aware.set(event_target_checked(&ev))/>
                "已知晓积分制"
            </label>
        </div>
        <fieldset class="hh-members">
            <legend>"家庭成员（户主以外）"</legend>
            <For each=move || f.members.get() key=|m| m.key let:m>
                <div class="hh-member" data-testid="hh-member">
                    <input type="text" class="big-input" maxlength="20" placeholder="姓名" aria-label="成员姓名" data-testid="hh-member-name"
                        prop:value=m.name on:input=move |ev| m.name.set(event_target_value(&ev))/>
                    <input type="text" class="big-input hh-relation" maxlength="10" placeholder="关系，如配偶" aria-label="与户主关系" data-testid="hh-member-relation"
                        prop:value=m.relation on:input=move |ev| m.relation.set(event_target_value(&ev))/>
                    <button type="button" class="button" aria-label="移除该成员" data-testid="hh-member-remove"
                        on:click=move |_| f.members.update(|list| list.retain(|x| x.key != m.key))>"移除"</button>
                </div>
            </For>
            <button type="button" class="button" data-testid="hh-member-add"
                on:click=move |_| f.add_member(None, String::new(), String::new())>"添加成员"</button>
        </fieldset>
    }
}

/// 村民登录与代办: the household's phone and PIN for signing in, and the
/// way into acting for a household without a phone.
#[component]
fn SignInPanel(village: VillageId, id: HouseholdId) -> impl IntoView {
    let ov = expect_context::<OfficeVillage>();
    let phone = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let setting = Resource::new(move || id, move |id| villager_login(Some(village), id));
    let save = Action::new(move |_: &()| {
        let (p, n) = (phone.get_untracked(), pin.get_untracked());
        async move {
            let r = set_villager_login(Some(village), id, p, n).await;
            if r.is_ok() {
                pin.set(String::new());
            }
            r
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(s)) = setting.get() {
            phone.set(s.phone.unwrap_or_default());
        }
    });
    let has_pin = move || match save.value().get() {
        Some(Ok(s)) => Some(s.has_pin),
        _ => setting.get().and_then(|r| r.ok()).map(|s| s.has_pin),
    };
    view! {
        <section class="panel" data-testid="signin-panel">
            <h2>"村民登录"</h2>
            <p class="note">"村民用户卡号或手机号加 6 位数字密码登录“我的积分”。密码由您设置后当面告诉村民；忘记时在这里重设。"</p>
            <p class="note" data-testid="signin-state">
                {move || match has_pin() {
                    Some(true) => "已开通登录",
                    Some(false) => "尚未开通登录：设置密码即可开通",
                    None => "",
                }}
            </p>
            <div class="field-row">
                <label class="field">
                    <span>"手机号（可选）"</span>
                    <input type="tel" inputmode="numeric" class="big-input" maxlength="13" data-testid="signin-phone"
                        prop:value=phone on:input=move |ev| phone.set(event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>"新密码（6 位数字，不改请留空）"</span>
                    <input type="text" inputmode="numeric" autocomplete="off" class="big-input" maxlength="6" data-testid="signin-pin"
                        prop:value=pin on:input=move |ev| pin.set(event_target_value(&ev))/>
                </label>
            </div>
            <button type="button" class="button button-primary" data-testid="signin-save"
                disabled=move || save.pending().get() on:click=move |_| { save.dispatch(()); }>"保存登录设置"</button>
            {move || save.value().get().map(|r| match r {
                Ok(_) => view! { <p class="form-ok" role="status" data-testid="signin-result">"登录设置已保存"</p> }.into_any(),
                Err(e) => view! { <FormError message=e.to_string() testid="signin-error"/> }.into_any(),
            })}
            <h2>"代村民办理"</h2>
            <p class="note">"没有手机的村民，可由您代为查看积分、申报好事、提出申诉，操作日志会记为代办。"</p>
            <a class="button" data-testid="assist-open" href=ov.link(&format!("/office/assist/{}", id))>"代该户办理"</a>
        </section>
    }
}
