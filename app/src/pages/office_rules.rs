//! `/office/rules` (`?v=` for the town admin): the village's rule catalogue
//! editor (积分细则). Changes are collected in a draft revision that is not
//! in force; the draft is published with the villagers' decision record
//! (决议记录: the meeting, its date, attendance, the vote and the minutes).
//! A village without items starts from the standard catalogue or another
//! village's.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::rules::{
    copy_rules, discard_rule_draft, publish_rules, remove_rule_change, rules_editor,
    save_rule_change, ChangeForm, CopySource, DraftView, EditorItem, RulesEditorView,
};
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::office::{OfficeShell, OfficeVillage};
use crate::components::upload::{picked_file, upload_form, PickedFiles};
use crate::domain::ledger::signed;
use crate::domain::rule_revision::{ChangeKind, MeetingKind};
use crate::domain::rules::RuleUnit;
use crate::domain::{RuleChangeId, VillageId};
use crate::error::AppError;

/// The page.
#[component]
pub fn OfficeRulesPage() -> impl IntoView {
    view! {
        <Title text="积分细则管理"/>
        <OfficeShell title="积分细则" current="/office/rules">
            {move || { let ov = expect_context::<OfficeVillage>(); view! { <RulesEditor ov/> } }}
        </OfficeShell>
    }
}

/// What the item form is editing.
#[derive(Debug, Clone, PartialEq)]
enum Editing {
    New,
    Item(EditorItem),
}

#[component]
fn RulesEditor(ov: OfficeVillage) -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(
        move || (ov.id, refresh.get()),
        |(v, _)| rules_editor(Some(v)),
    );
    let editing = RwSignal::new(None::<Editing>);
    let message = RwSignal::new(None::<Result<String, AppError>>);
    view! {
        <section class="panel">
            <h2>"本村积分制方案"</h2>
            <p class="note">"新增、修改、停用细则先放进“待表决的修订”，不会立即生效；经村民代表大会或村民会议表决后，填写决议记录、上传会议记录，发布后按生效日期施行。已记的积分仍按记分时的细则版本。"</p>
            <a class="button" href=format!("/village/{}", ov.id)>"查看公开页面"</a>
        </section>
        {move || message.get().map(|r| match r {
            Ok(m) => view! { <p class="form-ok" role="status" data-testid="rules-ok">{m}</p> }.into_any(),
            Err(e) => view! { <FormError message=e.to_string() testid="rules-error"/> }.into_any(),
        })}
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(d) => view! { <EditorBody ov d refresh editing message/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn EditorBody(
    ov: OfficeVillage,
    d: RulesEditorView,
    refresh: RwSignal<u32>,
    editing: RwSignal<Option<Editing>>,
    message: RwSignal<Option<Result<String, AppError>>>,
) -> impl IntoView {
    let categories = d.categories.clone();
    let empty = d.items.is_empty();
    let today = d.today.clone();
    view! {
        {empty.then(|| view! { <StartCatalogue ov sources=d.sources.clone() standard=d.standard_items refresh message/> })}
        {d.draft.clone().map(|draft| view! { <Draft ov draft today=today.clone() refresh message/> })}
        <section class="panel">
            <h2>"现行细则"</h2>
            <p class="note">{format!("共 {} 项；已发布 {} 次修订。", d.items.len(), d.published)}</p>
            <button type="button" class="button button-primary" data-testid="rule-add"
                on:click=move |_| { message.set(None); editing.set(Some(Editing::New)); }>"新增细则"</button>
        </section>
        {move || editing.get().map(|e| {
            let categories = categories.clone();
            view! { <ItemForm ov editing=e categories refresh close=editing message/> }
        })}
        <CatalogueList items=d.items editing message/>
    }
}

/// The catalogue by category, each item with its buttons.
#[component]
fn CatalogueList(
    items: Vec<EditorItem>,
    editing: RwSignal<Option<Editing>>,
    message: RwSignal<Option<Result<String, AppError>>>,
) -> impl IntoView {
    // Items arrive in category order; group consecutive ones.
    let mut groups: Vec<(String, Vec<EditorItem>)> = Vec::new();
    for i in items {
        match groups.last_mut() {
            Some((c, list)) if *c == i.category => list.push(i),
            _ => groups.push((i.category.clone(), vec![i])),
        }
    }
    view! {
        <div data-testid="editor-items">
            {groups.into_iter().map(|(cat, list)| view! {
                <section class="rule-category">
                    <h2>{cat}</h2>
                    <ul class="rule-list">
                        {list.into_iter().map(|i| {
                            let plus = i.points > 0;
                            let item = i.clone();
                            view! {
                                <li class="rule-item rule-edit-item" data-testid="editor-item" data-title=i.title.clone()>
                                    <span class="rule-title">{i.title.clone()}</span>
                                    <span class="rule-meta">
                                        {i.unit.label()}
                                        {i.monthly_cap.map(|c| format!(" · 每月最多 {c} 分"))}
                                        {i.evidence_required.then_some(" · 需照片")}
                                        {format!(" · 第 {} 版，{} 起", i.version, i.active_from)}
                                    </span>
                                    <span class=if plus { "points points-plus" } else { "points points-minus" }>{signed(i.points.into())}</span>
                                    <span class="rule-actions">
                                        {match i.pending {
                                            Some(k) => view! { <span class="badge badge-warn">{format!("待表决：{}", k.label())}</span> }.into_any(),
                                            None => ().into_any(),
                                        }}
                                        <button type="button" class="button" data-testid="rule-change"
                                            on:click=move |_| { message.set(None); editing.set(Some(Editing::Item(item.clone()))); }>"修改"</button>
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }).collect_view()}
        </div>
    }
}

/// Adding or changing one item (and retiring it).
#[component]
fn ItemForm(
    ov: OfficeVillage,
    editing: Editing,
    categories: Vec<String>,
    refresh: RwSignal<u32>,
    close: RwSignal<Option<Editing>>,
    message: RwSignal<Option<Result<String, AppError>>>,
) -> impl IntoView {
    let current = match &editing {
        Editing::Item(i) => Some(i.clone()),
        Editing::New => None,
    };
    let category = RwSignal::new(
        current
            .as_ref()
            .map(|i| i.category.clone())
            .or_else(|| categories.first().cloned())
            .unwrap_or_default(),
    );
    let title = RwSignal::new(
        current
            .as_ref()
            .map(|i| i.title.clone())
            .unwrap_or_default(),
    );
    let points = RwSignal::new(
        current
            .as_ref()
            .map(|i| i.points.to_string())
            .unwrap_or_default(),
    );
    let per_month = RwSignal::new(
        current
            .as_ref()
            .is_some_and(|i| i.unit == RuleUnit::PerMonth),
    );
    let cap = RwSignal::new(
        current
            .as_ref()
            .and_then(|i| i.monthly_cap)
            .map(|c| c.to_string())
            .unwrap_or_default(),
    );
    let photo = RwSignal::new(current.as_ref().is_some_and(|i| i.evidence_required));
    let item_id = current.as_ref().map(|i| i.id);
    let save = Action::new(move |kind: &ChangeKind| {
        let kind = *kind;
        async move {
            let points = points
                .get_untracked()
                .trim()
                .replace('−', "-")
                .replace('＋', "+");
            let points: i32 = match points.trim_start_matches('+').parse() {
                Ok(p) => p,
                Err(_) if kind == ChangeKind::Retire => 0,
                Err(_) => return Err(AppError::invalid("分值请填整数，扣分填负数，如 -2")),
            };
            let cap = match cap.get_untracked().trim() {
                "" => None,
                s => Some(
                    s.parse::<i32>()
                        .map_err(|_| AppError::invalid("每月上限请填整数，或留空"))?,
                ),
            };
            let form = ChangeForm {
                kind,
                item: item_id,
                category: category.get_untracked(),
                title: title.get_untracked(),
                points,
                unit: if per_month.get_untracked() {
                    RuleUnit::PerMonth
                } else {
                    RuleUnit::PerTime
                },
                monthly_cap: cap,
                evidence_required: photo.get_untracked(),
            };
            let r = save_rule_change(Some(ov.id), form).await;
            if r.is_ok() {
                close.set(None);
                message.set(Some(Ok(match kind {
                    ChangeKind::Retire => "已加入待表决的修订：停用".into(),
                    _ => "已加入待表决的修订".into(),
                })));
                refresh.update(|n| *n += 1);
            }
            r.map(|_| ())
        }
    });
    let heading = match &current {
        Some(i) => format!("修改：{}", i.title),
        None => "新增细则".to_string(),
    };
    let is_change = current.is_some();
    // The form opens above the list: bring it to the clerk who tapped an
    // item far down (the browser only; effects do not run on the server).
    let form_ref = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if let Some(el) = form_ref.get() {
            el.scroll_into_view();
        }
    });
    view! {
        <section class="panel rule-form" data-testid="rule-form" node_ref=form_ref>
            <h2>{heading}</h2>
            <datalist id="rule-categories">
                {categories.into_iter().map(|c| view! { <option value=c/> }).collect_view()}
            </datalist>
            <div class="field-row">
                <label class="field grow">
                    <span>"类别"</span>
                    <input type="text" class="big-input" list="rule-categories" maxlength="20" data-testid="rule-category"
                        prop:value=category on:input=move |ev| category.set(event_target_value(&ev))/>
                </label>
                <label class="field grow">
                    <span>"细则名称"</span>
                    <input type="text" class="big-input" maxlength="60" data-testid="rule-title"
                        prop:value=title on:input=move |ev| title.set(event_target_value(&ev))/>
                </label>
            </div>
            <div class="field-row">
                <label class="field grow">
                    <span>"分值（加分填正数，扣分填负数）"</span>
                    <input type="text" inputmode="numeric" class="big-input" data-testid="rule-points" placeholder="如 5 或 -2"
                        prop:value=points on:input=move |ev| points.set(event_target_value(&ev))/>
                </label>
                <label class="field grow">
                    <span>"每月上限（分，可不填）"</span>
                    <input type="text" inputmode="numeric" class="big-input" data-testid="rule-cap"
                        prop:value=cap on:input=move |ev| cap.set(event_target_value(&ev))/>
                </label>
            </div>
            <div class="field">
                <span>"计分方式"</span>
                <div class="segmented" role="group" aria-label="计分方式">
                    <button type="button" class:active=move || !per_month.get() aria-pressed=move || (!per_month.get()).to_string()
                        on:click=move |_| per_month.set(false)>{RuleUnit::PerTime.label()}</button>
                    <button type="button" class:active=move || per_month.get() aria-pressed=move || per_month.get().to_string()
                        on:click=move |_| per_month.set(true)>{RuleUnit::PerMonth.label()}</button>
                </div>
            </div>
            <label class="toggle">
                <input type="checkbox" data-testid="rule-photo" prop:checked=photo on:change=move |ev| photo.set(event_target_checked(&ev))/>
                "记分时需上传照片"
            </label>
            <div class="form-actions">
                <button type="button" class="button button-primary" data-testid="rule-save" disabled=move || save.pending().get()
                    on:click=move |_| { save.dispatch(if is_change { ChangeKind::Change } else { ChangeKind::Add }); }>
                    "加入待表决的修订"
                </button>
                {is_change.then(|| view! {
                    <button type="button" class="button button-danger" data-testid="rule-retire" disabled=move || save.pending().get()
                        on:click=move |_| { save.dispatch(ChangeKind::Retire); }>"停用此项"</button>
                })}
                <button type="button" class="button" on:click=move |_| close.set(None)>"取消"</button>
            </div>
            {move || save.value().get().and_then(|r| r.err()).map(|e| view! { <FormError message=e.to_string() testid="rule-form-error"/> })}
        </section>
    }
}

/// Copying a catalogue into an empty village.
#[component]
fn StartCatalogue(
    ov: OfficeVillage,
    sources: Vec<crate::api::rules::CopySourceView>,
    standard: usize,
    refresh: RwSignal<u32>,
    message: RwSignal<Option<Result<String, AppError>>>,
) -> impl IntoView {
    let chosen = RwSignal::new(None::<VillageId>);
    let copy = Action::new(move |source: &CopySource| {
        let source = *source;
        async move {
            let r = copy_rules(Some(ov.id), source).await;
            message.set(Some(r.clone().map(|n| {
                format!("已复制 {n} 项细则到待表决的修订，可逐项修改后发布")
            })));
            if r.is_ok() {
                refresh.update(|n| *n += 1);
            }
        }
    });
    view! {
        <section class="panel" data-testid="rules-start">
            <h2>"建立本村细则"</h2>
            <p class="note">"本村还没有积分细则。可以从标准细则或其他村的细则开始，按本村实际修改，再提交村民表决。"</p>
            <button type="button" class="button button-primary button-block" data-testid="copy-standard"
                disabled=move || copy.pending().get()
                on:click=move |_| { copy.dispatch(CopySource::Standard); }>
                {format!("复制标准细则（{standard} 项）")}
            </button>
            {(!sources.is_empty()).then(|| view! {
                <div class="field-row">
                    <label class="field grow">
                        <span>"或复制其他村的细则"</span>
                        <select class="group-select" data-testid="copy-village"
                            on:change=move |ev| chosen.set(event_target_value(&ev).parse::<i32>().ok().map(VillageId))>
                            <option value="">"选择村（社区）"</option>
                            {sources.iter().map(|s| view! { <option value=s.village.0.to_string()>{format!("{}（{} 项）", s.name, s.items)}</option> }).collect_view()}
                        </select>
                    </label>
                </div>
                <button type="button" class="button" data-testid="copy-village-go"
                    disabled=move || copy.pending().get() || chosen.get().is_none()
                    on:click=move |_| { if let Some(v) = chosen.get_untracked() { copy.dispatch(CopySource::Village(v)); } }>
                    "复制该村细则"
                </button>
            })}
        </section>
    }
}

/// The draft: its changes, and the decision record to publish it with.
#[component]
fn Draft(
    ov: OfficeVillage,
    draft: DraftView,
    today: String,
    refresh: RwSignal<u32>,
    message: RwSignal<Option<Result<String, AppError>>>,
) -> impl IntoView {
    let remove = Action::new(move |id: &RuleChangeId| {
        let id = *id;
        async move {
            let r = remove_rule_change(Some(ov.id), id).await;
            message.set(r.clone().err().map(Err));
            if r.is_ok() {
                refresh.update(|n| *n += 1);
            }
        }
    });
    let discard = Action::new(move |_: &()| async move {
        let r = discard_rule_draft(Some(ov.id)).await;
        message.set(Some(r.clone().map(|_| "已删除草稿".to_string())));
        if r.is_ok() {
            refresh.update(|n| *n += 1);
        }
    });
    let confirm_discard = RwSignal::new(false);
    let count = draft.changes.len();
    let revision = draft.id;
    view! {
        <section class="panel rule-draft" data-testid="rules-draft">
            <h2>{format!("待表决的修订（{count} 项）")}</h2>
            <p class="note">{format!("草稿建于 {}。表决通过并发布前不生效，记分仍按现行细则。", draft.created_at)}</p>
            {if count > 8 {
                view! {
                    <details class="rule-diff-fold">
                        <summary>{format!("查看全部 {count} 项修改")}</summary>
                        <DraftLines changes=draft.changes.clone() remove/>
                    </details>
                }.into_any()
            } else {
                view! { <DraftLines changes=draft.changes.clone() remove/> }.into_any()
            }}
            {move || if confirm_discard.get() {
                view! {
                    <p class="form-error">"确定删除整个草稿？"</p>
                    <button type="button" class="button button-danger" data-testid="draft-discard-yes"
                        on:click=move |_| { discard.dispatch(()); }>"删除草稿"</button>
                    <button type="button" class="button" on:click=move |_| confirm_discard.set(false)>"不删除"</button>
                }.into_any()
            } else {
                view! { <button type="button" class="button button-danger" data-testid="draft-discard" on:click=move |_| confirm_discard.set(true)>"删除草稿"</button> }.into_any()
            }}
        </section>
        <PublishForm ov revision today refresh message/>
    }
}

#[component]
fn DraftLines(
    changes: Vec<crate::api::rules::DraftChangeView>,
    remove: Action<RuleChangeId, ()>,
) -> impl IntoView {
    view! {
        <ul class="rule-diff draft-lines">
            {changes.into_iter().map(|c| {
                let class = match c.line.kind {
                    ChangeKind::Add => "diff-add",
                    ChangeKind::Change => "diff-change",
                    ChangeKind::Retire => "diff-remove",
                };
                let id = c.id;
                view! {
                    <li class=class data-testid="draft-line">
                        <span>{c.sentence}</span>
                        <button type="button" class="button" data-testid="draft-remove"
                            disabled=move || remove.pending().get()
                            on:click=move |_| { remove.dispatch(id); }>"撤回"</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The decision record (决议记录) and the minutes; publishing sends them
/// with the draft's id.
#[component]
fn PublishForm(
    ov: OfficeVillage,
    revision: crate::domain::RuleRevisionId,
    today: String,
    refresh: RwSignal<u32>,
    message: RwSignal<Option<Result<String, AppError>>>,
) -> impl IntoView {
    let kind = RwSignal::new(MeetingKind::Representatives);
    let meeting_on = RwSignal::new(today.clone());
    let effective = RwSignal::new(today.clone());
    let entitled = RwSignal::new(String::new());
    let attended = RwSignal::new(String::new());
    let votes_for = RwSignal::new(String::new());
    let votes_against = RwSignal::new("0".to_string());
    let votes_abstain = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let file_name = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<AppError>);
    // The minutes file, until the revision is published.
    let minutes = PickedFiles::new("rules-minutes");
    let publish = Action::new_local(move |_: &()| async move {
        let file = minutes.get();
        let Some(data) = upload_form(
            &[
                ("village", &ov.id.to_string()),
                ("revision", &revision.to_string()),
                ("meeting_kind", kind.get_untracked().as_str()),
                ("meeting_on", &meeting_on.get_untracked()),
                ("effective_from", &effective.get_untracked()),
                ("entitled", &entitled.get_untracked()),
                ("attended", &attended.get_untracked()),
                ("votes_for", &votes_for.get_untracked()),
                ("votes_against", &votes_against.get_untracked()),
                ("votes_abstain", &votes_abstain.get_untracked()),
                ("note", &note.get_untracked()),
            ],
            file.as_ref().map(|f| ("minutes", f)),
        ) else {
            error.set(Some(AppError::Internal));
            return;
        };
        match publish_rules(data.into()).await {
            Ok(_) => {
                minutes.set(None);
                error.set(None);
                message.set(Some(Ok(format!(
                    "修订已发布，{} 起施行",
                    effective.get_untracked()
                ))));
                refresh.update(|n| *n += 1);
            }
            Err(e) => error.set(Some(e)),
        }
    });
    let on_file = move |ev: leptos::ev::Event| {
        let file = picked_file(&ev);
        file_name.set(file.as_ref().map(|f| f.name()));
        // A refusal for a missing file no longer holds.
        error.set(None);
        minutes.set(file);
    };
    let number = move |label: &'static str, testid: &'static str, sig: RwSignal<String>| {
        view! {
            <label class="field grow">
                <span>{label}</span>
                <input type="text" inputmode="numeric" class="big-input" data-testid=testid
                    prop:value=sig on:input=move |ev| sig.set(event_target_value(&ev))/>
            </label>
        }
    };
    view! {
        <section class="panel rule-publish" data-testid="rules-publish">
            <h2>"填写决议记录并发布"</h2>
            <p class="note">"村民代表大会须三分之二以上组成人员到会，村民会议须过半数村民到会；赞成票须超过到会人数的一半。"</p>
            <div class="field">
                <span>"会议类型"</span>
                <div class="segmented" role="group" aria-label="会议类型">
                    {MeetingKind::ALL.into_iter().map(|k| view! {
                        <button type="button" class:active=move || kind.get() == k aria-pressed=move || (kind.get() == k).to_string()
                            data-testid=format!("meeting-{}", k.as_str())
                            on:click=move |_| kind.set(k)>{k.label()}</button>
                    }).collect_view()}
                </div>
            </div>
            <div class="field-row">
                <label class="field grow">
                    <span>"会议日期"</span>
                    <input type="date" class="big-input" data-testid="meeting-on" prop:value=meeting_on
                        on:input=move |ev| meeting_on.set(event_target_value(&ev))/>
                </label>
                <label class="field grow">
                    <span>"生效日期"</span>
                    <input type="date" class="big-input" data-testid="effective-from" min=today.clone() prop:value=effective
                        on:input=move |ev| effective.set(event_target_value(&ev))/>
                </label>
            </div>
            <div class="field-row">
                {move || number(kind.get().entitled_label(), "entitled", entitled)}
                {number("实到人数", "attended", attended)}
            </div>
            <div class="field-row">
                {number("赞成票", "votes-for", votes_for)}
                {number("反对票", "votes-against", votes_against)}
                {number("弃权票（可不填）", "votes-abstain", votes_abstain)}
            </div>
            <label class="field">
                <span>"说明（可不填）"</span>
                <input type="text" class="big-input" maxlength="100" data-testid="revision-note" placeholder="如：调整清洁日加分"
                    prop:value=note on:input=move |ev| note.set(event_target_value(&ev))/>
            </label>
            <div class="field">
                <span>"会议记录（照片或 PDF，最大 10 MB）"</span>
                <label class="button">
                    {move || file_name.get().map(|n| format!("已选：{n}")).unwrap_or_else(|| "选择或拍摄会议记录".into())}
                    <input type="file" accept="image/*,application/pdf,.pdf" class="visually-hidden" data-testid="minutes-file" on:change=on_file/>
                </label>
            </div>
            <button type="button" class="button button-primary button-block" data-testid="rules-publish-go"
                disabled=move || publish.pending().get()
                on:click=move |_| { error.set(None); message.set(None); publish.dispatch_local(()); }>
                {move || if publish.pending().get() { "正在发布…" } else { "发布修订" }}
            </button>
            {move || error.get().map(|e| view! { <FormError message=e.to_string() testid="publish-error"/> })}
        </section>
    }
}
