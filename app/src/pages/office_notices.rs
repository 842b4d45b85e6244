//! `/office/notices`, `/office/notices/new` and `/office/notices/edit/:id`:
//! the back office's notices (村务公示): the list with scheduled ones, and
//! the form (title, category, Markdown body with a preview, publish time,
//! pinning, attachments).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use web_sys::File;

use crate::api::notice::{
    create_notice, office_notice, office_notices, preview_notice, update_notice,
    upload_notice_file, NoticeEditView, NoticeFileView, NoticeForm,
};
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::office::{OfficeShell, OfficeVillage};
use crate::components::upload::{picked_files, upload_form, PickedFiles};
use crate::domain::notice::{size_label, CATEGORIES, MAX_FILE};
use crate::domain::NoticeId;
use crate::error::AppError;
use crate::pages::notices::category_class;

/// The list page.
#[component]
pub fn OfficeNoticesPage() -> impl IntoView {
    view! {
        <Title text="村务公示管理"/>
        <OfficeShell title="村务公示" current="/office/notices">
            {move || { let ov = expect_context::<OfficeVillage>(); view! { <OfficeList ov/> } }}
        </OfficeShell>
    }
}

#[component]
fn OfficeList(ov: OfficeVillage) -> impl IntoView {
    let list = Resource::new(move || ov.id, |v| office_notices(Some(v)));
    // Set when the editor has just saved a notice (`?saved=<id>`).
    let query = use_query_map();
    let saved = move || {
        query.with(|q| {
            q.get("saved")
                .and_then(|s| s.parse::<i32>().ok())
                .map(NoticeId)
        })
    };
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let id = saved()?;
                let title = list.await.ok()?.into_iter().find(|n| n.id == id)?.title;
                Some(view! {
                    <div class="panel form-ok" role="status" data-testid="notice-saved">
                        <p>{format!("已保存：{title}")}</p>
                        <a class="button" data-testid="notice-saved-view" href=format!("/notice/{id}")>"查看公开页面"</a>
                    </div>
                })
            })}
        </Transition>
        <section class="panel">
            <h2>"村务公示"</h2>
            <p class="note">"党务、村务、财务公开和积分公示。发布后修改会保留修改记录，村民可以看到修改前的内容。"</p>
            <a class="button button-primary" href=ov.link("/office/notices/new") data-testid="notice-new">"发布新公示"</a>
            <a class="button" href=format!("/village/{}/notices", ov.id)>"查看公开页面"</a>
        </section>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="empty">"本村还没有公示"</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="notice-list" data-testid="office-notice-list">
                            {list.into_iter().map(|n| view! {
                                <li class="notice-office-row" data-id=n.id.to_string()>
                                    <a class="notice-row" class:pinned=n.pinned href=ov.link(&format!("/office/notices/edit/{}", n.id))>
                                        <span class="notice-row-title">
                                            {n.pinned.then(|| view! { <span class="notice-pin">"置顶"</span> })}
                                            {n.title.clone()}
                                        </span>
                                        <span class="notice-row-meta">
                                            {if n.published {
                                                view! { <span class="badge notice-status" data-testid="notice-status">"已发布"</span> }.into_any()
                                            } else {
                                                view! { <span class="badge badge-warn notice-status" data-testid="notice-status">"定时发布"</span> }.into_any()
                                            }}
                                            <span class=format!("notice-cat notice-cat-{}", category_class(&n.category))>{n.category.clone()}</span>
                                            <span>{n.publish_at.clone()}</span>
                                            {(n.files > 0).then(|| view! { <span>{format!("附件 {}", n.files)}</span> })}
                                            {(n.versions > 1).then(|| view! { <span>{format!("第 {} 版", n.versions)}</span> })}
                                        </span>
                                    </a>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The create page.
#[component]
pub fn OfficeNoticeNewPage() -> impl IntoView {
    view! {
        <Title text="发布公示"/>
        <OfficeShell title="村务公示" current="/office/notices">
            {move || {
                let ov = expect_context::<OfficeVillage>();
                view! { <NoticeEditor ov existing=None/> }
            }}
        </OfficeShell>
    }
}

/// The edit page.
#[component]
pub fn OfficeNoticeEditPage() -> impl IntoView {
    let params = use_params_map();
    view! {
        <Title text="编辑公示"/>
        <OfficeShell title="村务公示" current="/office/notices">
            {move || {
                let ov = expect_context::<OfficeVillage>();
                match params.read().get("id").and_then(|s| s.parse::<i32>().ok()).map(NoticeId) {
                    Some(id) => view! { <EditLoader ov id/> }.into_any(),
                    None => view! { <ErrorBox err=AppError::not_found("找不到该公示")/> }.into_any(),
                }
            }}
        </OfficeShell>
    }
}

#[component]
fn EditLoader(ov: OfficeVillage, id: NoticeId) -> impl IntoView {
    let current = Resource::new(move || id, move |id| office_notice(Some(ov.id), id));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match current.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(n) => view! { <NoticeEditor ov existing=Some(n)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Whether a chosen file may be attached, checked before it is sent (the
/// server checks again).
fn file_problem(file: &File) -> Option<String> {
    let name = file.name().to_lowercase();
    let known = [".pdf", ".xlsx", ".jpg", ".jpeg", ".png"]
        .iter()
        .any(|ext| name.ends_with(ext));
    if !known {
        Some(format!(
            "{}：只能上传 PDF、Excel（xlsx）或图片（JPG、PNG）文件",
            file.name()
        ))
    } else if file.size() > MAX_FILE as f64 {
        Some(format!("{}：文件太大（每个文件最大 10 MB）", file.name()))
    } else {
        None
    }
}

/// The form, for a new notice or an existing one.
#[component]
fn NoticeEditor(ov: OfficeVillage, existing: Option<NoticeEditView>) -> impl IntoView {
    // Actions only set where to go; an effect (browser only) navigates, so
    // the actions hold nothing the server would drop on another thread.
    let go = RwSignal::new(None::<String>);
    {
        let navigate = use_navigate();
        Effect::new(move |_| {
            if let Some(path) = go.get() {
                navigate(&path, Default::default());
            }
        });
    }
    let id = existing.as_ref().map(|e| e.id);
    let published = existing.as_ref().is_some_and(|e| e.published);
    let start = existing
        .as_ref()
        .map(|e| e.form.clone())
        .unwrap_or_else(|| NoticeForm {
            category: CATEGORIES[1].into(),
            ..Default::default()
        });
    let title = RwSignal::new(start.title.clone());
    let category = RwSignal::new(start.category.clone());
    let body = RwSignal::new(start.body.clone());
    let pinned = RwSignal::new(start.pinned);
    // A new notice goes out now unless a time is chosen; an existing one
    // not yet published keeps its time.
    let scheduled = RwSignal::new(existing.as_ref().is_some_and(|e| !e.published));
    let publish_at = RwSignal::new(start.publish_at.clone().unwrap_or_default());
    let stored: Vec<NoticeFileView> = existing
        .as_ref()
        .map(|e| e.files.clone())
        .unwrap_or_default();
    // Files chosen but not yet sent: (key, name, size) to show, and the
    // browser's File objects, held by `picked`.
    let pending = RwSignal::new(Vec::<(u32, String, f64)>::new());
    let picked = PickedFiles::new("notice-files");
    let next_key = StoredValue::new(0u32);
    let file_error = RwSignal::new(None::<String>);
    let preview_html = RwSignal::new(None::<String>);
    let preview = Action::new(move |text: &String| {
        let text = text.clone();
        async move {
            let r = preview_notice(Some(ov.id), text).await;
            if let Ok(html) = &r {
                preview_html.set(Some(html.clone()));
            }
            r.map(|_| ())
        }
    });
    let result = RwSignal::new(None::<Result<String, AppError>>);
    let save = Action::new_local(move |form: &NoticeForm| {
        let form = form.clone();
        async move {
            let saved = match id {
                Some(id) => update_notice(Some(ov.id), id, form).await.map(|_| id),
                None => create_notice(Some(ov.id), form).await,
            };
            let notice = match saved {
                Ok(n) => n,
                Err(e) => {
                    result.set(Some(Err(e)));
                    return;
                }
            };
            // Then the attachments, one by one.
            for (key, file) in picked.all() {
                let notice_id = notice.to_string();
                let Some(data) = upload_form(&[("notice", &notice_id)], Some(("file", &file)))
                else {
                    continue;
                };
                match upload_notice_file(data.into()).await {
                    Ok(_) => {
                        picked.remove(key);
                        pending.update(|p| p.retain(|(k, _, _)| *k != key));
                    }
                    Err(e) => {
                        // The notice is saved; the file can be tried again from its edit page.
                        result.set(Some(Err(AppError::invalid(format!(
                            "公示已保存，但附件“{}”上传失败：{e}",
                            file.name()
                        )))));
                        if id.is_none() {
                            go.set(Some(ov.link(&format!("/office/notices/edit/{notice}"))));
                        }
                        return;
                    }
                }
            }
            result.set(Some(Ok("已保存".into())));
            // Back to the office's list, which says what was saved and
            // links to the public page.
            go.set(Some(ov.link(&format!("/office/notices?saved={notice}"))));
        }
    });
    let on_files = move |ev: leptos::ev::Event| {
        let mut problems = Vec::new();
        // Choosing the same file again adds it again.
        for file in picked_files(&ev) {
            if let Some(p) = file_problem(&file) {
                problems.push(p);
                continue;
            }
            let key = next_key.get_value();
            next_key.set_value(key + 1);
            pending.update(|p| p.push((key, file.name(), file.size())));
            picked.push(key, file);
        }
        file_error.set((!problems.is_empty()).then(|| problems.join("；")));
    };
    let submit = move || {
        if scheduled.get_untracked() && !published && publish_at.with_untracked(String::is_empty) {
            result.set(Some(Err(AppError::invalid("请选择定时发布的时间"))));
            return;
        }
        result.set(None);
        save.dispatch_local(NoticeForm {
            category: category.get_untracked(),
            title: title.get_untracked(),
            body: body.get_untracked(),
            pinned: pinned.get_untracked(),
            publish_at: (scheduled.get_untracked() && !published)
                .then(|| publish_at.get_untracked()),
        });
    };
    let heading = match &existing {
        Some(e) => format!("编辑公示（当前第 {} 版）", e.version),
        None => "发布新公示".to_string(),
    };
    view! {
        <section class="panel notice-form">
            <h2>{heading}</h2>
            {published.then(|| view! {
                <p class="note">"此公示已发布。修改标题或正文会生成新版本，修改前的内容仍在“修改记录”中公开。"</p>
            })}
            <label class="field">
                <span>"标题"</span>
                <input type="text" class="big-input" maxlength="60" data-testid="notice-title-input"
                    prop:value=title on:input=move |ev| title.set(event_target_value(&ev))/>
            </label>
            <label class="field">
                <span>"类别"</span>
                <select class="group-select" data-testid="notice-category-select"
                    on:change=move |ev| category.set(event_target_value(&ev))>
                    {CATEGORIES.iter().map(|c| view! {
                        <option value=*c selected=move || category.with(|x| x == c)>{*c}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>"正文"</span>
                <textarea class="big-input notice-textarea" rows="12" data-testid="notice-body-input"
                    prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            </label>
            <details class="notice-help">
                <summary>"排版说明"</summary>
                <p>"# 大标题　## 小标题　**加粗**　- 列表项　1. 编号项　[链接文字](https://…)"</p>
                <p>"表格：第一行写表头，如 | 项目 | 金额 |，第二行写 | --- | ---: |，下面每行一项。"</p>
            </details>
            <button type="button" class="button" data-testid="notice-preview-button"
                on:click=move |_| { preview.dispatch(body.get_untracked()); }>
                {move || if preview.pending().get() { "正在生成预览…" } else { "预览" }}
            </button>
            {move || preview.value().get().and_then(|r| r.err()).map(|e| view! { <FormError message=e.to_string()/> })}
            {move || preview_html.get().map(|html| view! {
                <div class="notice-preview" data-testid="notice-preview">
                    <p class="notice-preview-label">"预览（村民看到的样子）"</p>
                    <div class="notice-body" inner_html=html></div>
                </div>
            })}
            <fieldset class="notice-when">
                <legend>"发布时间"</legend>
                {if published {
                    view! { <p data-testid="notice-published-at">{format!("已于 {} 发布", start.publish_at.clone().unwrap_or_default().replace('T', " "))}</p> }.into_any()
                } else {
                    view! {
                        <label class="toggle">
                            <input type="radio" name="notice-when" data-testid="notice-now" prop:checked=move || !scheduled.get()
                                on:change=move |_| scheduled.set(false)/>
                            "立即发布"
                        </label>
                        <label class="toggle">
                            <input type="radio" name="notice-when" data-testid="notice-scheduled-radio" prop:checked=move || scheduled.get()
                                on:change=move |_| scheduled.set(true)/>
                            "定时发布"
                        </label>
                        <Show when=move || scheduled.get()>
                            <input type="datetime-local" class="big-input" data-testid="notice-publish-at" aria-label="发布时间"
                                prop:value=publish_at on:input=move |ev| publish_at.set(event_target_value(&ev))/>
                        </Show>
                    }.into_any()
                }}
            </fieldset>
            <label class="toggle">
                <input type="checkbox" data-testid="notice-pinned" prop:checked=pinned
                    on:change=move |ev| pinned.set(event_target_checked(&ev))/>
                "置顶（显示在列表最前面）"
            </label>
            <fieldset class="notice-attach">
                <legend>"附件（PDF、Excel、图片，每个最大 10 MB）"</legend>
                {(!stored.is_empty()).then(|| view! {
                    <ul class="notice-attach-list" data-testid="notice-stored-files">
                        {stored.iter().map(|f| view! {
                            <li><a href=f.href() rel="external" target="_blank">{f.name.clone()}</a>" "<span class="note">{format!("{} · {}", f.kind_label, f.size_label)}</span></li>
                        }).collect_view()}
                    </ul>
                })}
                <ul class="notice-attach-list" data-testid="notice-pending-files">
                    <For each=move || pending.get() key=|p| p.0 let:p>
                        <li>
                            <span>{p.1.clone()}</span>" "<span class="note">{format!("{}（保存时上传）", size_label(p.2 as i64))}</span>
                            <button type="button" class="button" data-testid="notice-file-remove"
                                on:click=move |_| {
                                    picked.remove(p.0);
                                    pending.update(|list| list.retain(|x| x.0 != p.0));
                                }>"移除"</button>
                        </li>
                    </For>
                </ul>
                <label class="button">
                    "添加附件"
                    <input type="file" multiple accept=".pdf,.xlsx,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                        class="visually-hidden" data-testid="notice-file" on:change=on_files/>
                </label>
                {move || file_error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="notice-file-error">{e}</p> })}
            </fieldset>
            <button type="button" class="button button-primary button-block" data-testid="notice-save"
                disabled=move || save.pending().get()
                on:click=move |_| submit()>
                {move || if save.pending().get() {
                    "正在保存…"
                } else if published {
                    "保存修改"
                } else if scheduled.get() {
                    "保存（到时间自动发布）"
                } else {
                    "保存并发布"
                }}
            </button>
            {move || result.get().map(|r| match r {
                Ok(m) => view! { <p class="form-ok" role="status" data-testid="notice-result">{m}</p> }.into_any(),
                Err(e) => view! { <FormError message=e.to_string() testid="notice-error"/> }.into_any(),
            })}
            <a class="button" href=ov.link("/office/notices")>"返回公示列表"</a>
            {id.map(|id| view! { <a class="button" href=format!("/notice/{id}")>"查看公示页面"</a> })}
        </section>
    }
    .into_any()
}
