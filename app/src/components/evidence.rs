//! Attaching a photo of evidence (证明照片) to an entry: pick or take a
//! photo, it uploads at once, and a thumbnail shows what was attached.

use leptos::prelude::*;
use web_sys::FormData;

use crate::api::evidence::upload_evidence;
use crate::api::types::EvidenceView;
use crate::components::feedback::FormError;
use crate::components::upload::{picked_file, upload_form};
use crate::domain::VillageId;

/// The photo field. `evidence` holds the uploaded photo, if any.
#[component]
pub fn EvidenceInput(
    village: VillageId,
    evidence: RwSignal<Option<EvidenceView>>,
) -> impl IntoView {
    let upload = Action::new_local(move |data: &FormData| {
        let data = data.clone();
        async move {
            let r = upload_evidence(data.into()).await;
            if let Ok(v) = &r {
                evidence.set(Some(v.clone()));
            }
            r
        }
    });
    let on_change = move |ev: leptos::ev::Event| {
        let village = village.0.to_string();
        if let Some(form) = picked_file(&ev)
            .and_then(|file| upload_form(&[("village", &village)], Some(("photo", &file))))
        {
            upload.dispatch_local(form);
        }
    };
    view! {
        <div class="field evidence-field">
            <span>"证明照片"</span>
            {move || match evidence.get() {
                Some(e) => view! {
                    <div class="evidence-chosen">
                        <img class="evidence-thumb" src=format!("/evidence/{}", e.id) alt="证明照片" data-testid="evidence-thumb"/>
                        <button type="button" class="button" on:click=move |_| evidence.set(None)>"移除照片"</button>
                    </div>
                }.into_any(),
                None => view! {
                    <label class="button evidence-pick">
                        {move || if upload.pending().get() { "正在上传…" } else { "拍照 / 选择照片" }}
                        <input type="file" accept="image/*" class="visually-hidden" data-testid="evidence-file" on:change=on_change/>
                    </label>
                }.into_any(),
            }}
            {move || upload.value().get().and_then(|r| r.err()).map(|e| view! {
                <FormError message=e.to_string() testid="evidence-error"/>
            })}
        </div>
    }
}
