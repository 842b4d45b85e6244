//! The clerk's activities (积分活动) in the back office: the list
//! (`/office/activities`), a new one (`/office/activities/new`), and one
//! activity's desk (`/office/activities/:id`): publish, cancel with a
//! reason, finish; sign a household up on its behalf; check people in by
//! scanning their household card or ticking the list; award the points once.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::api::activity::{
    activity_award, activity_card, activity_check_in, activity_household, activity_photo,
    activity_set_status, activity_sign_up, create_activity, office_activities, office_activity,
    ActivityDesk, Awarded, CardAtActivity, MemberSignup, NewActivity,
};
use crate::api::types::OfficeHousehold;
use crate::api::{office_households, village_rules};
use crate::components::activity::{ActivityCards, ActivityFacts, MonthFigures};
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::office::{OfficeShell, OfficeVillage};
use crate::components::rule_picker::RulePicker;
use crate::components::upload::{picked_file, upload_form};
use crate::domain::activity::{ActivityStatus, CATEGORIES};
use crate::domain::{ActivityId, MemberId, RuleItemId};
use crate::error::AppError;

/// `/office/activities`.
#[component]
pub fn OfficeActivitiesPage() -> impl IntoView {
    view! {
        <Title text="积分活动"/>
        <OfficeShell title="村积分管理工作台" current="/office/activities">
            {move || { let ov = expect_context::<OfficeVillage>(); view! { <ActivityIndex ov/> } }}
        </OfficeShell>
    }
}

#[component]
fn ActivityIndex(ov: OfficeVillage) -> impl IntoView {
    let lists = Resource::new(move || ov.id, |v| office_activities(Some(v)));
    let href = Callback::new(move |id: ActivityId| ov.link(&format!("/office/activities/{id}")));
    view! {
        <section class="panel">
            <h2>"积分活动"</h2>
            <p class="note">"发布活动，村民报名；活动当天扫户卡或勾选名单签到，结束后一键为签到的人发放积分。"</p>
            <a class="button button-primary button-block" href=ov.link("/office/activities/new") data-testid="activity-new">"＋ 新建活动"</a>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match lists.await {
                        Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                        Ok(l) => view! {
                            <h3>"即将开展（含草稿）"</h3>
                            {if l.upcoming.is_empty() {
                                view! { <p class="empty">"暂无"</p> }.into_any()
                            } else {
                                view! { <ActivityCards list=l.upcoming href testid="office-upcoming"/> }.into_any()
                            }}
                            <MonthFigures months=l.months/>
                            <h3>"往期活动"</h3>
                            {if l.past.is_empty() {
                                view! { <p class="empty">"暂无"</p> }.into_any()
                            } else {
                                view! { <ActivityCards list=l.past href testid="office-past"/> }.into_any()
                            }}
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// `/office/activities/new`.
#[component]
pub fn OfficeActivityNewPage() -> impl IntoView {
    view! {
        <Title text="新建活动"/>
        <OfficeShell title="村积分管理工作台" current="/office/activities">
            {move || { let ov = expect_context::<OfficeVillage>(); view! { <NewForm ov/> } }}
        </OfficeShell>
    }
}

#[component]
fn NewForm(ov: OfficeVillage) -> impl IntoView {
    let rules = Resource::new(move || ov.id, village_rules);
    let rule = RwSignal::new(None::<RuleItemId>);
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let category = RwSignal::new(CATEGORIES[0].to_string());
    let place = RwSignal::new(String::new());
    let starts = RwSignal::new(String::new());
    let ends = RwSignal::new(String::new());
    let deadline = RwSignal::new(String::new());
    let capacity = RwSignal::new(String::new());
    let navigate = use_navigate();
    let create = Action::new(move |f: &NewActivity| {
        let f = f.clone();
        async move { create_activity(Some(ov.id), f).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(
                &ov.link(&format!("/office/activities/{id}")),
                Default::default(),
            );
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(NewActivity {
            title: title.get_untracked(),
            description: description.get_untracked(),
            category: category.get_untracked(),
            place: place.get_untracked(),
            starts: starts.get_untracked(),
            ends: ends.get_untracked(),
            deadline: deadline.get_untracked(),
            capacity: capacity.get_untracked(),
            rule_item: rule.get_untracked(),
        });
    };
    let text = move |sig: RwSignal<String>| move |ev| sig.set(event_target_value(&ev));
    view! {
        <form class="panel activity-form" data-testid="activity-form" on:submit=submit>
            <h2>"新建活动"</h2>
            <p class="note">"保存后是草稿，核对无误再发布。报名截止不填，就是活动前一天 18:00（来不及的，报名到活动开始为止）。"</p>
            <label class="field"><span>"活动名称"</span>
                <input class="big-input" maxlength="40" data-testid="activity-title-input" placeholder="如：12月全民清洁日"
                    prop:value=title on:input=text(title)/></label>
            <label class="field"><span>"类别"</span>
                <select class="big-input" data-testid="activity-category" on:change=text(category)>
                    {CATEGORIES.iter().map(|c| view! { <option value=*c selected=move || category.get() == *c>{*c}</option> }).collect_view()}
                </select></label>
            <label class="field"><span>"地点"</span>
                <input class="big-input" maxlength="40" data-testid="activity-place" placeholder="如：村委会广场"
                    prop:value=place on:input=text(place)/></label>
            <div class="field-row">
                <label class="field grow"><span>"开始时间"</span>
                    <input class="big-input" type="datetime-local" data-testid="activity-starts" prop:value=starts on:input=text(starts)/></label>
                <label class="field grow"><span>"结束时间"</span>
                    <input class="big-input" type="datetime-local" data-testid="activity-ends" prop:value=ends on:input=text(ends)/></label>
            </div>
            <div class="field-row">
                <label class="field grow"><span>"报名截止（可不填）"</span>
                    <input class="big-input" type="datetime-local" data-testid="activity-deadline" prop:value=deadline on:input=text(deadline)/></label>
                <label class="field grow"><span>"人数上限（可不填）"</span>
                    <input class="big-input" type="number" min="1" max="1000" inputmode="numeric" data-testid="activity-capacity"
                        prop:value=capacity on:input=text(capacity)/></label>
            </div>
            <h3>"每位参加者获得的积分"</h3>
            <RulePicker rules rule/>
            <label class="field"><span>"活动说明"</span>
                <textarea class="big-input" rows="4" maxlength="2000" data-testid="activity-description"
                    placeholder="集合时间、要带的东西、注意事项"
                    prop:value=description on:input=text(description)></textarea></label>
            {move || create.value().get().and_then(|r| r.err()).map(|e| view! {
                <FormError message=e.to_string() testid="activity-form-error"/>
            })}
            <button type="submit" class="button button-primary button-block" data-testid="activity-save"
                disabled=move || create.pending().get()>
                {move || if create.pending().get() { "正在保存…" } else { "保存为草稿" }}
            </button>
        </form>
    }
}

/// `/office/activities/:id`.
#[component]
pub fn OfficeActivityPage() -> impl IntoView {
    view! {
        <Title text="活动管理"/>
        <leptos_meta::Script src="/kiosk-scan.js" defer="true"/>
        <OfficeShell title="村积分管理工作台" current="/office/activities">
            {move || { let ov = expect_context::<OfficeVillage>(); view! { <Desk ov/> } }}
        </OfficeShell>
    }
}

/// The desk's state that outlives a reload of the activity.
#[derive(Clone, Copy)]
struct DeskState {
    ov: OfficeVillage,
    id: ActivityId,
    version: RwSignal<u32>,
    /// A status change or the award is on its way.
    busy: RwSignal<bool>,
    /// The household whose card was scanned, and its members.
    scanned: RwSignal<Option<CardAtActivity>>,
    /// The household being signed up by the clerk, and its members.
    helping: RwSignal<Option<(OfficeHousehold, Vec<MemberSignup>)>>,
    /// The last refusal or confirmation of a tick or sign-up.
    note: RwSignal<Option<Result<String, String>>>,
    tick: Action<(MemberId, bool), Result<(), AppError>>,
    sign_up: Action<MemberId, Result<(), AppError>>,
}

impl DeskState {
    fn reload(&self) {
        self.version.update(|v| *v += 1);
    }
}

#[component]
fn Desk(ov: OfficeVillage) -> impl IntoView {
    let params = use_params_map();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|s| s.parse::<i32>().ok())
        .map_or(ActivityId(0), ActivityId);
    let version = RwSignal::new(0u32);
    let scanned = RwSignal::new(None::<CardAtActivity>);
    let helping = RwSignal::new(None::<(OfficeHousehold, Vec<MemberSignup>)>);
    let note = RwSignal::new(None::<Result<String, String>>);
    let set_member =
        move |list: &mut Vec<MemberSignup>, m: MemberId, f: &dyn Fn(&mut MemberSignup)| {
            list.iter_mut().filter(|x| x.member == m).for_each(f);
        };
    let tick = Action::new(move |(m, present): &(MemberId, bool)| {
        let (m, present) = (*m, *present);
        async move {
            let r = activity_check_in(id, m, present).await;
            match &r {
                Ok(()) => {
                    scanned.update(|s| {
                        if let Some(s) = s {
                            set_member(&mut s.members, m, &|x| x.checked_in = present);
                        }
                    });
                    note.set(Some(Ok(if present {
                        "已签到".into()
                    } else {
                        "已取消签到".into()
                    })));
                    version.update(|v| *v += 1);
                }
                Err(e) => note.set(Some(Err(e.to_string()))),
            }
            r
        }
    });
    let sign_up = Action::new(move |m: &MemberId| {
        let m = *m;
        async move {
            let r = activity_sign_up(id, m).await;
            match &r {
                Ok(()) => {
                    let hh = helping.with_untracked(|h| h.as_ref().map(|h| h.0.id));
                    if let Some(hh) = hh {
                        if let Ok(members) = activity_household(Some(ov.id), id, hh).await {
                            helping.update(|h| {
                                if let Some(h) = h {
                                    h.1 = members;
                                }
                            });
                        }
                    }
                    note.set(Some(Ok("已代为报名".into())));
                    version.update(|v| *v += 1);
                }
                Err(e) => note.set(Some(Err(e.to_string()))),
            }
            r
        }
    });
    let st = DeskState {
        ov,
        id,
        version,
        busy: RwSignal::new(false),
        scanned,
        helping,
        note,
        tick,
        sign_up,
    };
    let desk = Resource::new(
        move || version.get(),
        move |_| office_activity(Some(ov.id), id),
    );
    view! {
        <p><a class="button" href=ov.link("/office/activities")>"← 全部活动"</a></p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match desk.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(d) => view! { <DeskBody d st/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DeskBody(d: ActivityDesk, st: DeskState) -> impl IntoView {
    let status = d.detail.summary.status;
    let signup_open = d.detail.signup_open;
    let check_in_open = d.detail.check_in_open;
    let awarded = d.detail.summary.awarded;
    let facts = d.detail.clone();
    let facts_photo = d.detail.summary.photo.clone();
    view! {
        <div class="activity-desk" data-testid="activity-desk">
            <ActivityFacts d=facts/>
            <StatusActions status can_finish=check_in_open st/>
            {matches!(status, ActivityStatus::Draft | ActivityStatus::Published).then(|| view! { <CoverPhoto st has=facts_photo.is_some()/> })}
            {move || st.note.get().map(|n| match n {
                Ok(m) => view! { <p class="form-ok" role="status" data-testid="desk-ok">{m}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert" data-testid="desk-error">{e}</p> }.into_any(),
            })}
            {check_in_open.then(|| view! { <ScanCard st/> })}
            <Roster d=d.clone() st/>
            {signup_open.then(|| view! { <AssistedSignup st/> })}
            {(d.detail.award_open || awarded).then(|| view! { <Award d=d.clone() st/> })}
        </div>
    }
}

/// Publish, finish, cancel with a reason.
#[component]
fn StatusActions(
    status: ActivityStatus,
    /// The activity has come (check-in is open): it may be marked finished.
    can_finish: bool,
    st: DeskState,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let cancelling = RwSignal::new(false);
    // Ending an activity cannot be undone: it asks first.
    let finishing = RwSignal::new(false);
    // Changing the status reloads the desk, this component with it: the
    // request writes only to the desk's signals.
    let change = move |to: ActivityStatus, reason: String| {
        if st.busy.get_untracked() {
            return;
        }
        st.busy.set(true);
        leptos::task::spawn_local(async move {
            let r = activity_set_status(st.id, to, reason).await;
            st.busy.set(false);
            match r {
                Ok(()) => {
                    st.note.set(None);
                    st.reload();
                }
                Err(e) => st.note.set(Some(Err(e.to_string()))),
            }
        });
    };
    let draft = status == ActivityStatus::Draft;
    let published = status == ActivityStatus::Published;
    view! {
        <section class="panel" data-testid="status-actions">
            <div class="action-row">
                {draft.then(|| view! {
                    <button type="button" class="button button-primary" data-testid="activity-publish"
                        disabled=move || st.busy.get()
                        on:click=move |_| change(ActivityStatus::Published, String::new())>"发布活动"</button>
                })}
                {(published && can_finish).then(|| view! {
                    <button type="button" class="button button-primary" data-testid="activity-finish"
                        on:click=move |_| { cancelling.set(false); finishing.update(|f| *f = !*f); }>"结束活动"</button>
                })}
                {(draft || published).then(|| view! {
                    <button type="button" class="button" data-testid="activity-cancel"
                        on:click=move |_| { finishing.set(false); cancelling.update(|c| *c = !*c); }>"取消活动"</button>
                })}
            </div>
            <Show when=move || finishing.get()>
                <div class="confirm-box" data-testid="finish-box">
                    <p>"结束后不能再报名和签到，之后可以给签到的村民发放积分。结束后不能撤回。"</p>
                    <div class="action-row">
                        <button type="button" class="button button-primary" data-testid="finish-confirm"
                            disabled=move || st.busy.get()
                            on:click=move |_| change(ActivityStatus::Finished, String::new())>"确认结束活动"</button>
                        <button type="button" class="button" data-testid="finish-back"
                            on:click=move |_| finishing.set(false)>"先不结束"</button>
                    </div>
                </div>
            </Show>
            <Show when=move || cancelling.get()>
                <div class="confirm-box">
                    <label class="field"><span>"取消原因（会告诉已报名的村民）"</span>
                        <input class="big-input" maxlength="100" data-testid="cancel-reason" placeholder="如：下雨，改期另行通知"
                            prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/></label>
                    <button type="button" class="button button-primary" data-testid="cancel-confirm"
                        disabled=move || st.busy.get()
                        on:click=move |_| change(ActivityStatus::Cancelled, reason.get_untracked())>"确认取消活动"</button>
                </div>
            </Show>
        </section>
    }
}

/// A member's tick box (check-in) or sign-up button.
#[component]
fn MemberTicks(members: Vec<MemberSignup>, st: DeskState, check_in: bool) -> impl IntoView {
    view! {
        <ul class="tick-list member-ticks">
            {members.into_iter().map(|m| {
                let member = m.member;
                let label = format!("{}（{}）", m.name, m.relation);
                if check_in {
                    view! {
                        <li>
                            <label class="tick-row" class:chosen=m.checked_in data-testid="card-member">
                                <input type="checkbox" prop:checked=m.checked_in
                                    disabled=move || st.tick.pending().get()
                                    on:change=move |ev| { st.tick.dispatch((member, event_target_checked(&ev))); }/>
                                <span class="tick-name">{label}</span>
                                <span class="tick-meta">{if m.checked_in { "已签到" } else if m.signup.is_some() { "已报名，未签到" } else { "未报名（现场参加）" }}</span>
                            </label>
                        </li>
                    }.into_any()
                } else {
                    view! {
                        <li class="member-signup" data-testid="help-member">
                            <span class="member-name">{label}</span>
                            {if m.signup.is_some() {
                                view! { <span class="member-state on">"已报名"</span> }.into_any()
                            } else {
                                view! {
                                    <button type="button" class="button button-primary" data-testid="help-signup"
                                        disabled=move || st.sign_up.pending().get()
                                        on:click=move |_| { st.sign_up.dispatch(member); }>"代报名"</button>
                                }.into_any()
                            }}
                        </li>
                    }.into_any()
                }
            }).collect_view()}
        </ul>
    }
}

/// Check-in by card: a scanner types the number and Enter, the camera reads
/// the QR, or the clerk types it; then tick who came.
#[component]
fn ScanCard(st: DeskState) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let look = Action::new(move |card: &String| {
        let card = card.clone();
        async move {
            let r = activity_card(Some(st.ov.id), st.id, card).await;
            match r {
                Ok(c) => {
                    st.note.set(None);
                    st.scanned.set(Some(c));
                    code.set(String::new());
                }
                Err(e) => {
                    st.scanned.set(None);
                    st.note.set(Some(Err(e.to_string())));
                }
            }
        }
    });
    view! {
        <section class="panel" data-testid="scan-card">
            <h2>"扫卡签到"</h2>
            <form class="kiosk-code-form" on:submit=move |ev| {
                ev.prevent_default();
                let c = code.get_untracked().trim().to_string();
                if !c.is_empty() { look.dispatch(c); }
            }>
                <input id="activity-code" class="big-input" data-testid="checkin-code" inputmode="numeric"
                    autocomplete="off" placeholder="扫户卡二维码或输入卡号"
                    prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
                <button type="submit" class="button button-primary" data-testid="checkin-find">"查找"</button>
                <button type="button" class="button kiosk-camera" data-camera-scan="activity-code">"摄像头扫码"</button>
            </form>
            <video id="kiosk-camera-view" class="kiosk-camera-view" playsinline muted></video>
            {move || st.scanned.get().map(|c| view! {
                <div class="scanned" data-testid="scanned">
                    <p class="scanned-who">{format!("{} · 卡号 {} · {}", c.household.head_name, c.household.card_no, c.household.group_name)}</p>
                    <p class="note">"勾选今天来参加的人："</p>
                    <MemberTicks members=c.members st check_in=true/>
                </div>
            })}
        </section>
    }
}

/// Everyone signed up or checked in, to tick on a phone.
#[component]
fn Roster(d: ActivityDesk, st: DeskState) -> impl IntoView {
    let open = d.detail.check_in_open;
    let present = d.roster.iter().filter(|r| r.checked_in).count();
    let total = d.roster.len();
    view! {
        <section class="panel" data-testid="roster">
            <h2>{format!("报名名单（{total} 人，已签到 {present} 人）")}</h2>
            {(!open && !d.detail.summary.awarded && matches!(d.detail.summary.status, ActivityStatus::Draft | ActivityStatus::Published)).then(|| view! {
                <p class="note">"活动开始前 2 小时起可以签到。"</p>
            })}
            {if d.roster.is_empty() {
                view! { <p class="empty">"还没有人报名"</p> }.into_any()
            } else {
                view! {
                    <ul class="tick-list">
                        {d.roster.into_iter().map(|r| {
                            let member = r.member;
                            view! {
                                <li>
                                    <label class="tick-row" class:chosen=r.checked_in data-testid="roster-row">
                                        <input type="checkbox" prop:checked=r.checked_in aria-label="签到"
                                            disabled=move || !open || st.tick.pending().get()
                                            on:change=move |ev| { st.tick.dispatch((member, event_target_checked(&ev))); }/>
                                        <span class="tick-name">{r.member_name.clone()}</span>
                                        <span class="tick-meta">{format!("户主 {} · {}{}", r.head_name, r.card_no, if r.assisted { " · 代报名" } else { "" })}</span>
                                        <span class="tick-balance">{if r.checked_in { "已签到" } else { "" }}</span>
                                    </label>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// 代报名: find a household by name or card number, sign members up.
#[component]
fn AssistedSignup(st: DeskState) -> impl IntoView {
    let q = RwSignal::new(String::new());
    let hits = RwSignal::new(None::<Result<Vec<OfficeHousehold>, AppError>>);
    let search = Action::new(move |q: &String| {
        let q = q.clone();
        async move { hits.set(Some(office_households(Some(st.ov.id), q).await)) }
    });
    let choose = Action::new(move |h: &OfficeHousehold| {
        let h = h.clone();
        async move {
            match activity_household(Some(st.ov.id), st.id, h.id).await {
                Ok(members) => {
                    hits.set(None);
                    st.helping.set(Some((h, members)));
                }
                Err(e) => st.note.set(Some(Err(e.to_string()))),
            }
        }
    });
    view! {
        <section class="panel" data-testid="assisted-signup">
            <h2>"代报名"</h2>
            <p class="note">"为没有手机的农户报名（日志记为代报名）。"</p>
            <form class="search-bar" on:submit=move |ev| { ev.prevent_default(); search.dispatch(q.get_untracked()); }>
                <input type="search" class="big-input" placeholder="户主姓名或户卡号" data-testid="help-search"
                    prop:value=q on:input=move |ev| q.set(event_target_value(&ev))/>
                <button type="submit" class="button" data-testid="help-search-go">"查找"</button>
            </form>
            {move || hits.get().map(|r| match r {
                Err(e) => view! { <FormError message=e.to_string()/> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="empty">"没有找到"</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="hit-list">
                        {list.into_iter().take(12).map(|h| {
                            let label = format!("{} · {} · {}", h.head_name, h.card_no, h.group_name);
                            view! {
                                <li><button type="button" class="button hit-button" data-testid="help-hit"
                                    on:click=move |_| { choose.dispatch(h.clone()); }>{label}</button></li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
            {move || st.helping.get().map(|(h, members)| view! {
                <p class="scanned-who">{format!("{} · 卡号 {}", h.head_name, h.card_no)}</p>
                <MemberTicks members st check_in=false/>
            })}
        </section>
    }
}

/// One click to award the points of everyone checked in, after a confirm.
#[component]
fn Award(d: ActivityDesk, st: DeskState) -> impl IntoView {
    let people = d.roster.iter().filter(|r| r.checked_in).count();
    let each = d.detail.summary.points;
    let total = i64::from(each) * people as i64;
    let confirming = RwSignal::new(false);
    // Awarding reloads the desk: the result goes to the desk's note.
    let award = move || {
        if st.busy.get_untracked() {
            return;
        }
        st.busy.set(true);
        leptos::task::spawn_local(async move {
            let r = activity_award(st.id).await;
            st.busy.set(false);
            st.note.set(Some(match r {
                Ok(Awarded {
                    people,
                    households,
                    points,
                }) => Ok(format!(
                    "已为 {people} 人（{households} 户）发放积分，共 {points} 分"
                )),
                Err(e) => Err(e.to_string()),
            }));
            st.reload();
        });
    };
    view! {
        <section class="panel award-panel" data-testid="award">
            <h2>"发放积分"</h2>
            {match d.detail.awarded_at.clone() {
                Some(at) => view! {
                    <p class="form-ok" data-testid="award-done">{format!("本活动积分已于 {at} 发放，共 {} 人签到。不会重复发放。", d.detail.summary.checked_in)}</p>
                }.into_any(),
                None => view! {
                    <p class="note">{format!("已签到 {people} 人，每人 +{each} 分。")}</p>
                    <Show when=move || !confirming.get() fallback=move || view! {
                        <div class="confirm-box" data-testid="award-confirm-box">
                            <p class="strong">{format!("确认为 {people} 人发放积分，每人 +{each} 分，共 {total} 分？发放后不能撤回（如有错误请冲正）。")}</p>
                            <div class="action-row">
                                <button type="button" class="button button-primary" data-testid="award-confirm"
                                    disabled=move || st.busy.get()
                                    on:click=move |_| award()>"确认发放"</button>
                                <button type="button" class="button" on:click=move |_| confirming.set(false)>"再看看"</button>
                            </div>
                        </div>
                    }>
                        <button type="button" class="button button-primary button-block" data-testid="award-button"
                            disabled=people == 0
                            on:click=move |_| confirming.set(true)>{format!("为 {people} 位签到者发放积分")}</button>
                    </Show>
                }.into_any(),
            }}
        </section>
    }
}

/// Sets the cover photo: pick or take one, it uploads at once.
#[component]
fn CoverPhoto(st: DeskState, has: bool) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| {
        let Some(form) = picked_file(&ev).and_then(|file| {
            upload_form(&[("activity", &st.id.to_string())], Some(("photo", &file)))
        }) else {
            return;
        };
        st.busy.set(true);
        st.note.set(Some(Ok("正在上传照片…".into())));
        leptos::task::spawn_local(async move {
            let r = activity_photo(form.into()).await;
            st.busy.set(false);
            match r {
                Ok(_) => {
                    st.note.set(Some(Ok("封面照片已更新".into())));
                    st.reload();
                }
                Err(e) => st.note.set(Some(Err(e.to_string()))),
            }
        });
    };
    view! {
        <section class="panel">
            <label class="button evidence-pick">
                {if has { "更换封面照片" } else { "添加封面照片（可不加）" }}
                <input type="file" accept="image/*" class="visually-hidden" data-testid="activity-photo-file"
                    disabled=move || st.busy.get() on:change=on_change/>
            </label>
        </section>
    }
}
