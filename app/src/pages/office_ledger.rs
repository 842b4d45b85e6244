//! `/office/ledger`: the clerk's monthly postings (月度公示): every month with
//! its status, a preview of its ledgers, and publishing a finished month.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::ledger::{office_ledger_month, office_ledger_months, publish_month};
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::ledger::LedgerTables;
use crate::components::office::{OfficeShell, OfficeVillage};

/// The page.
#[component]
pub fn OfficeLedgerPage() -> impl IntoView {
    view! {
        <Title text="月度公示"/>
        <OfficeShell title="村积分管理工作台" current="/office/ledger">
            {move || { let ov = expect_context::<OfficeVillage>(); view! { <Months ov/> } }}
        </OfficeShell>
    }
}

#[component]
fn Months(ov: OfficeVillage) -> impl IntoView {
    let chosen = RwSignal::new(None::<i32>);
    let confirm = RwSignal::new(false);
    let publish = Action::new(move |month: &i32| {
        let month = *month;
        async move {
            let r = publish_month(Some(ov.id), month).await;
            if r.is_ok() {
                confirm.set(false);
            }
            r
        }
    });
    // The months and the preview reload after each publication.
    let months = Resource::new(
        move || publish.version().get(),
        move |_| office_ledger_months(Some(ov.id)),
    );
    let preview = Resource::new(
        move || (chosen.get(), publish.version().get()),
        move |(m, _)| async move {
            match m {
                Some(m) => office_ledger_month(Some(ov.id), m).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <section class="panel">
            <h2>"月度公示"</h2>
            <p class="note">"每月结束后，核对本月积分台账和兑换台账，然后公示。公示后该月冻结，之后的更正会记入以后的月份。"</p>
            {move || publish.value().get().map(|r| match r {
                Ok(p) => view! { <p class="form-ok" role="status" data-testid="publish-result">{format!("{}已公示，校验码 {}", p.label, p.digest)}</p> }.into_any(),
                Err(e) => view! { <FormError message=e.to_string() testid="publish-error"/> }.into_any(),
            })}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match months.await {
                        Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                        Ok(list) => view! {
                            <ul class="month-list" data-testid="office-months">
                                {list.into_iter().map(|m| {
                                    let month = m.month;
                                    let status = match (&m.published, m.publishable) {
                                        (Some(p), _) => format!("已公示 · {}", p.published_on),
                                        (None, true) => "待公示".to_string(),
                                        (None, false) => "本月进行中".to_string(),
                                    };
                                    view! {
                                        <li>
                                            <button type="button" class="month-card" data-month=month.to_string()
                                                class:chosen=move || chosen.get() == Some(month)
                                                class:due=m.publishable
                                                on:click=move |_| { confirm.set(false); chosen.set(Some(month)); }>
                                                <span class="month-label">{m.label.clone()}</span>
                                                <span class="month-meta">{status}</span>
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match preview.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(None) => view! { <p class="empty">"请选择月份查看台账"</p> }.into_any(),
                    Ok(Some(v)) => {
                        let month = v.ledger.month;
                        let label = v.ledger.month_label();
                        let export = format!("/export/ledger/{}/{}", v.village_id, month);
                        let public = format!("/ledger/{}/{}", v.village_id, month);
                        let published = v.published.clone();
                        let publishable = published.is_none() && months.get().and_then(|r| r.ok()).is_some_and(|l| l.iter().any(|m| m.month == month && m.publishable));
                        view! {
                            <section class="panel" data-testid="month-preview">
                                <h2>{format!("{label}台账{}", if published.is_some() { "（已公示）" } else { "（预览）" })}</h2>
                                {published.map(|p| view! {
                                    <p class="posting-digest">"SHA-256 校验码：" <code data-testid="office-digest">{p.digest}</code></p>
                                    <a class="button" href=public.clone() data-testid="open-posting">"查看公示页 / 打印"</a>
                                })}
                                <a class="button" href=export rel="external" download>"导出 Excel"</a>
                                {publishable.then(|| {
                                    let open_label = format!("公示{label}");
                                    let ask = format!("确认公示{label}？公示后该月台账冻结，不能再修改。");
                                    view! {
                                    <Show when=move || confirm.get()
                                        fallback=move || view! {
                                            <button type="button" class="button button-primary" data-testid="publish-open"
                                                on:click=move |_| confirm.set(true)>{open_label.clone()}</button>
                                        }>
                                        <div class="confirm-box" role="alertdialog">
                                            <p>{ask.clone()}</p>
                                            <button type="button" class="button button-primary" data-testid="publish-confirm"
                                                disabled=move || publish.pending().get()
                                                on:click=move |_| { publish.dispatch(month); }>
                                                {move || if publish.pending().get() { "正在公示…" } else { "确认公示" }}
                                            </button>
                                            <button type="button" class="button" on:click=move |_| confirm.set(false)>"取消"</button>
                                        </div>
                                    </Show>
                                }})}
                                <LedgerTables view=v/>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
