//! Server functions of the rule catalogue editor (`/office/rules`) and the
//! public history of a village's scheme: drafting changes into one revision,
//! starting from the standard catalogue or another village's, publishing it
//! with the villagers' decision record. Writes are the village points
//! clerk's (or the town admin's, for any village).

pub use wire::rules::*;

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json, MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use super::ctx;
#[cfg(feature = "ssr")]
use super::upload::{self, UploadForm};
use crate::domain::{RuleChangeId, RuleRevisionId, VillageId};
use crate::error::AppError;

/// A village's published revisions with their decisions and changes
/// (public: the scheme is 公开, drafts are never shown).
#[server(endpoint = "village_rulebook", input = GetUrl)]
pub async fn village_rulebook(village: VillageId) -> Result<RulebookView, AppError> {
    ctx::serve(async |req| crate::server::rules::rulebook(&req.db, village, ctx::now()).await).await
}

/// The editor: the latest catalogue, the draft and what can be copied.
#[server(endpoint = "rules_editor", input = GetUrl)]
pub async fn rules_editor(village: Option<VillageId>) -> Result<RulesEditorView, AppError> {
    ctx::serve(async |req| {
        let village = req.office(village).await?.1;
        crate::server::rules::editor(&req.db, village, ctx::now()).await
    })
    .await
}

/// Adds a change to the village's draft (starting one if there is none); a
/// second change of the same item replaces the first.
#[server(endpoint = "rules_draft_save", input = Json)]
pub async fn save_rule_change(
    village: Option<VillageId>,
    form: ChangeForm,
) -> Result<DraftView, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::rules::save_change(&req.db, &caller, village, &form, ctx::now()).await
    })
    .await
}

/// Takes one change out of the draft.
#[server(endpoint = "rules_draft_remove", input = Json)]
pub async fn remove_rule_change(
    village: Option<VillageId>,
    change: RuleChangeId,
) -> Result<(), AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::rules::remove_change(&req.db, &caller, village, change, ctx::now()).await
    })
    .await
}

/// Copies the standard catalogue or another village's into the draft of a
/// village that has no items yet; returns how many items were added.
#[server(endpoint = "rules_draft_copy", input = Json)]
pub async fn copy_rules(village: Option<VillageId>, source: CopySource) -> Result<usize, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::rules::copy_into_draft(&req.db, &caller, village, source, ctx::now()).await
    })
    .await
}

/// Throws the village's draft away (a draft was never in force).
#[server(endpoint = "rules_draft_discard", input = Json)]
pub async fn discard_rule_draft(village: Option<VillageId>) -> Result<(), AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::rules::discard_draft(&req.db, &caller, village, ctx::now()).await
    })
    .await
}

/// Publishes the draft with its decision record (form fields `village`,
/// `revision`, `effective_from`, `meeting_kind`, `meeting_on`, `entitled`,
/// `attended`, `votes_for`, `votes_against`, `votes_abstain`, `note`, and
/// the minutes as `minutes`: a photo or a PDF). Returns the revision's id.
#[server(endpoint = "rules_publish", input = MultipartFormData)]
pub async fn publish_rules(data: MultipartData) -> Result<RuleRevisionId, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let form = publish_form(data).await?;
        let (caller, village) = ctx::office_scope(caller, form.village)?;
        crate::server::rules::publish(&req.db, &caller, village, form, ctx::now()).await
    })
    .await
}

/// Reads the publish form. The minutes are bounded while they arrive; every
/// text field is held to one line, so a field of a megabyte is refused.
#[cfg(feature = "ssr")]
async fn publish_form(data: MultipartData) -> Result<PublishForm, AppError> {
    use crate::domain::text::{check_text, MAX_LINE};
    let mut form = UploadForm::read(
        data,
        upload::FileField {
            name: "minutes",
            max: crate::server::rules::MAX_MINUTES,
            too_large: || AppError::invalid("会议记录文件太大（最大 10 MB）"),
        },
    )
    .await?;
    for text in form.texts() {
        check_text("表单内容", text, MAX_LINE)?;
    }
    let text = |name: &str| form.text(name).trim().to_string();
    let mut out = PublishForm {
        village: form.id("village", VillageId),
        revision: text("revision"),
        effective_from: text("effective_from"),
        meeting_kind: text("meeting_kind"),
        meeting_on: text("meeting_on"),
        entitled: text("entitled"),
        attended: text("attended"),
        votes_for: text("votes_for"),
        votes_against: text("votes_against"),
        votes_abstain: text("votes_abstain"),
        note: text("note"),
        ..Default::default()
    };
    out.minutes = form.take_file().map(|f| (f.name, f.bytes));
    Ok(out)
}
