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
        let (caller, village) = match caller.office_village(form.village) {
            Some(v) => (caller, v),
            None if caller.role == crate::domain::roles::Role::TownAdmin => {
                return Err(AppError::invalid("请先选择村（社区）"))
            }
            None => return Err(AppError::Forbidden),
        };
        crate::server::rules::publish(&req.db, &caller, village, form, ctx::now()).await
    })
    .await
}

/// Reads the publish form. The minutes are bounded while they arrive; text
/// fields are bounded too, so a field of a megabyte is refused.
#[cfg(feature = "ssr")]
async fn publish_form(data: MultipartData) -> Result<PublishForm, AppError> {
    use crate::server::rules::MAX_MINUTES;
    let mut form = data.into_inner().ok_or(AppError::Internal)?;
    let broken = |_| AppError::invalid("上传中断，请重试");
    let mut out = PublishForm::default();
    while let Some(mut field) = form.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "minutes" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(broken)? {
                if bytes.len() + chunk.len() > MAX_MINUTES {
                    return Err(AppError::invalid("会议记录文件太大（最大 10 MB）"));
                }
                bytes.extend_from_slice(&chunk);
            }
            out.minutes = Some((file_name, bytes));
            continue;
        }
        let text = field.text().await.map_err(broken)?;
        crate::domain::text::check_text("表单内容", &text, crate::domain::text::MAX_LINE)?;
        let text = text.trim().to_string();
        match name.as_str() {
            "village" => out.village = text.parse().ok().map(VillageId),
            "revision" => out.revision = text,
            "effective_from" => out.effective_from = text,
            "meeting_kind" => out.meeting_kind = text,
            "meeting_on" => out.meeting_on = text,
            "entitled" => out.entitled = text,
            "attended" => out.attended = text,
            "votes_for" => out.votes_for = text,
            "votes_against" => out.votes_against = text,
            "votes_abstain" => out.votes_abstain = text,
            "note" => out.note = text,
            _ => {}
        }
    }
    Ok(out)
}
