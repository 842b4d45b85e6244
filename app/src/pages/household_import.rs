//! `/office/households/import`: import households from an .xlsx or CSV file
//! in the template's layout. The preview lists every household the file
//! creates and every row with a problem; only a file without problems can be
//! imported, and then all of it or nothing.

use leptos::prelude::*;
use leptos_meta::Title;
use web_sys::{File, FormData};

use crate::api::households::{
    get_import_templates, import_commit, preview_import_file, ImportDone, ImportPreview,
};
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::office::{OfficeShell, OfficeVillage};
use crate::components::upload::{upload_form, PickedFiles};
use crate::domain::households::TEMPLATE_COLUMNS;
use crate::domain::VillageId;
use crate::error::AppError;

/// Rows of the preview shown before "show all".
const PREVIEW_ROWS: usize = 100;
/// Largest file the page sends (the server refuses larger ones too).
const MAX_FILE_BYTES: f64 = 4.0 * 1024.0 * 1024.0;

/// The import page.
#[component]
pub fn HouseholdImportPage() -> impl IntoView {
    view! {
        <Title text="批量导入农户"/>
        <OfficeShell title="农户管理" current="/office/households">
            {move || {
                let ov = expect_context::<OfficeVillage>();
                view! { <Import village=ov.id/> }
            }}
        </OfficeShell>
    }
}

/// Where the import stands.
#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Idle,
    Busy(String),
    Previewed(ImportPreview),
    Done(ImportDone),
    Failed(AppError),
}

/// The file chosen in `input`, checked before it is sent (the server
/// checks again).
fn chosen_file(input: &leptos::web_sys::HtmlInputElement) -> Result<File, AppError> {
    let file = input
        .files()
        .and_then(|l| l.get(0))
        .filter(|f| f.size() > 0.0 && !f.name().is_empty())
        .ok_or_else(|| AppError::invalid("请先选择要导入的文件"))?;
    if file.size() > MAX_FILE_BYTES {
        return Err(AppError::invalid("文件太大：请不超过 4 MB"));
    }
    Ok(file)
}

/// The form both steps send: the village and the file.
fn import_form(village: VillageId, file: &File) -> Result<FormData, AppError> {
    upload_form(&[("village", &village.to_string())], Some(("file", file)))
        .ok_or_else(|| AppError::invalid("无法读取该文件"))
}

#[component]
fn Import(village: VillageId) -> impl IntoView {
    let ov = expect_context::<OfficeVillage>();
    let input = NodeRef::<leptos::html::Input>::new();
    let stage = RwSignal::new(Stage::Idle);
    // The file as last previewed, sent again to import it.
    let file = PickedFiles::new("household-import");
    let show_all = RwSignal::new(false);

    let preview = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(el) = input.get_untracked() else {
            return;
        };
        stage.set(Stage::Busy("正在读取文件…".into()));
        show_all.set(false);
        leptos::task::spawn_local(async move {
            let result = async {
                let chosen = chosen_file(&el)?;
                stage.set(Stage::Busy(format!(
                    "正在上传并检查 {}（{:.0} KB）…",
                    chosen.name(),
                    (chosen.size() / 1024.0).ceil()
                )));
                let p = preview_import_file(import_form(village, &chosen)?.into()).await?;
                file.set(Some(chosen));
                Ok(p)
            }
            .await;
            stage.set(match result {
                Ok(p) => Stage::Previewed(p),
                Err(e) => Stage::Failed(e),
            });
        });
    };
    let commit = move |_| {
        let Some(chosen) = file.get() else {
            return;
        };
        let n = match stage.get_untracked() {
            Stage::Previewed(p) => p.households.len(),
            _ => return,
        };
        stage.set(Stage::Busy(format!("正在导入 {n} 户，请勿关闭页面…")));
        leptos::task::spawn_local(async move {
            let result = match import_form(village, &chosen) {
                Ok(form) => import_commit(form.into()).await,
                Err(e) => Err(e),
            };
            stage.set(match result {
                Ok(d) => Stage::Done(d),
                Err(e) => Stage::Failed(e),
            });
        });
    };

    view! {
        <section class="panel">
            <h2>"批量导入农户"</h2>
            <p class="note">
                {format!("按模板填写：{}。只有“组别”“户主姓名”必填；户卡号留空则自动编号；家庭成员写成“李四（配偶）、张小明（儿子）”；是否常住、是否知晓填“是”或“否”。模板里户主名带“（示例）”的两行是示例，导入时自动跳过，可以留着，也可以删掉。", TEMPLATE_COLUMNS.join("、"))}
            </p>
            <Templates village/>
            <form class="hh-upload" on:submit=preview>
                <label class="field">
                    <span>"选择文件（.xlsx 或 .csv）"</span>
                    <input type="file" name="file" node_ref=input class="big-input" data-testid="hh-file"
                        accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"/>
                </label>
                <button type="submit" class="button button-primary" data-testid="hh-preview"
                    disabled=move || matches!(stage.get(), Stage::Busy(_))>"上传并预览"</button>
            </form>
            <a class="button" href=ov.link("/office/households")>"返回农户列表"</a>
        </section>
        {move || match stage.get() {
            Stage::Idle => ().into_any(),
            Stage::Busy(what) => view! {
                <section class="panel" role="status" data-testid="hh-progress">
                    <p>{what}</p>
                    <progress class="hh-progress"></progress>
                </section>
            }.into_any(),
            Stage::Failed(e) => view! {
                <FormError message=e.to_string() testid="hh-import-error"/>
            }.into_any(),
            Stage::Done(d) => view! {
                <section class="panel" data-testid="hh-import-done">
                    <p class="form-ok" role="status">
                        {format!("已导入 {} 户，户卡号 {} 至 {}（用时 {:.1} 秒）", d.created, d.first_card, d.last_card, d.millis as f64 / 1000.0)}
                    </p>
                    <a class="button" href=ov.link("/office/households")>"查看农户列表"</a>
                    <a class="button" href=ov.link("/office/households/cards")>"打印户卡"</a>
                </section>
            }.into_any(),
            Stage::Previewed(p) => view! { <PreviewView p show_all commit/> }.into_any(),
        }}
    }
}

/// The two template downloads.
#[component]
fn Templates(village: VillageId) -> impl IntoView {
    let templates = Resource::new(move || village, |v| get_import_templates(Some(v)));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match templates.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(t) => view! {
                        <div class="hh-actions">
                            <a class="button" download="农户导入模板.xlsx" data-testid="hh-template-xlsx"
                                href=format!("data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,{}", t.xlsx_base64)>"下载模板（Excel）"</a>
                            <a class="button" download="农户导入模板.csv" data-testid="hh-template-csv"
                                href=format!("data:text/csv;charset=utf-8;base64,{}", t.csv_base64)>"下载模板（CSV）"</a>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the file would do, with the import button when it has no problems.
#[component]
fn PreviewView<F>(p: ImportPreview, show_all: RwSignal<bool>, commit: F) -> impl IntoView
where
    F: Fn(leptos::ev::MouseEvent) + Clone + Send + Sync + 'static,
{
    let ok = p.problems.is_empty() && !p.households.is_empty();
    let n = p.households.len();
    let problems = p.problems.clone();
    let skipped = p.skipped_examples.clone();
    let households = StoredValue::new(p.households);
    view! {
        <section class="panel" data-testid="hh-preview-result">
            <h2>{format!("预览：{}", p.file_name)}</h2>
            <p class="hh-summary" data-testid="hh-preview-summary">
                <strong class="points-plus">{format!("将新增 {n} 户")}</strong>
                {(!problems.is_empty()).then(|| view! {
                    "，"<strong class="points-minus">{format!("{} 行有问题", problems.len())}</strong>
                })}
            </p>
            {(!skipped.is_empty()).then(|| {
                let lines = skipped.iter().map(|l| format!("第 {l} 行")).collect::<Vec<_>>().join("、");
                view! {
                    <p class="note" data-testid="hh-skipped-examples">
                        {format!("已跳过模板的示例行（{lines}），这些示例不会导入。")}
                    </p>
                }
            })}
            {if ok {
                view! {
                    <p class="note">"确认无误后点击导入；全部写入或全部不写入。"</p>
                    <button type="button" class="button button-primary button-block" data-testid="hh-commit" on:click=commit>
                        {format!("确认导入 {n} 户")}
                    </button>
                }.into_any()
            } else if problems.is_empty() {
                ().into_any()
            } else {
                view! {
                    <p class="form-error">"请在文件中改正下列各行后重新上传；改正前不会导入任何农户。"</p>
                    <div class="hh-table-wrap">
                        <table class="hh-table" data-testid="hh-problems">
                            <thead><tr><th>"行号"</th><th>"户主"</th><th>"问题"</th></tr></thead>
                            <tbody>
                                {problems.into_iter().map(|r| view! {
                                    <tr class="hh-bad">
                                        <td>{r.line}</td>
                                        <td>{r.head_name}</td>
                                        <td>{r.problems.join("；")}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {(n > 0).then(|| view! {
                <h2>"将新增的农户"</h2>
                <div class="hh-table-wrap">
                    <table class="hh-table" data-testid="hh-planned">
                        <thead><tr><th>"行号"</th><th>"组别"</th><th>"户主"</th><th>"户卡号"</th><th>"成员"</th><th>"常住"</th><th>"知晓"</th></tr></thead>
                        <tbody>
                            {move || {
                                let all = show_all.get();
                                households.with_value(|hs| hs.iter().take(if all { usize::MAX } else { PREVIEW_ROWS }).map(|h| view! {
                                    <tr>
                                        <td>{h.line}</td>
                                        <td>{h.group.clone()}</td>
                                        <td>{h.head_name.clone()}</td>
                                        <td>{h.card_no.clone()}{h.card_generated.then_some("（自动）")}</td>
                                        <td>{h.members.iter().map(|m| format!("{}（{}）", m.name, m.relation)).collect::<Vec<_>>().join("、")}</td>
                                        <td>{if h.resident { "是" } else { "否" }}</td>
                                        <td>{if h.aware { "是" } else { "否" }}</td>
                                    </tr>
                                }).collect_view())
                            }}
                        </tbody>
                    </table>
                </div>
                {(n > PREVIEW_ROWS).then(|| view! {
                    <Show when=move || !show_all.get()>
                        <button type="button" class="button" on:click=move |_| show_all.set(true)>
                            {format!("显示全部 {n} 户（当前显示前 {PREVIEW_ROWS} 户）")}
                        </button>
                    </Show>
                })}
            })}
        </section>
    }
}
