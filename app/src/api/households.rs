//! Server functions of the households part of the back office (户籍管理):
//! list, create, edit, move away, import from a spreadsheet, print cards.
//! Each checks that the caller runs the village's back office.

pub use wire::households::*;

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json, MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use super::ctx;
#[cfg(feature = "ssr")]
use super::upload::{self, UploadForm};
pub use crate::domain::households::{MemberInput, PlannedHousehold, RowProblem};
use crate::domain::{GroupId, HouseholdId, VillageId};
use crate::error::AppError;

/// A page of the village's households.
#[server(endpoint = "hh_list", input = GetUrl)]
pub async fn list_households(
    village: Option<VillageId>,
    q: String,
    group: Option<GroupId>,
    status: HouseholdStatus,
    page: u32,
) -> Result<HouseholdList, AppError> {
    ctx::serve(async |req| {
        let (_, village) = req.office(village).await?;
        crate::server::households::list(&req.db, village, &q, group, status, page).await
    })
    .await
}

/// One household with its members.
#[server(endpoint = "hh_detail", input = GetUrl)]
pub async fn get_household_detail(
    village: Option<VillageId>,
    household: HouseholdId,
) -> Result<HouseholdDetail, AppError> {
    ctx::serve(async |req| {
        let (_, village) = req.office(village).await?;
        crate::server::households::detail(&req.db, village, household).await
    })
    .await
}

/// The village's groups and the next free card number.
#[server(endpoint = "hh_defaults", input = GetUrl)]
pub async fn household_defaults(
    village: Option<VillageId>,
) -> Result<NewHouseholdDefaults, AppError> {
    ctx::serve(async |req| {
        let (_, village) = req.office(village).await?;
        crate::server::households::defaults(&req.db, village).await
    })
    .await
}

/// Creates a household with its head and members.
#[server(endpoint = "hh_create", input = Json)]
pub async fn create_household(
    village: Option<VillageId>,
    form: HouseholdForm,
) -> Result<HouseholdDetail, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::households::create(&req.db, &caller, village, form, ctx::now()).await
    })
    .await
}

/// Edits a household: head, group, address, flags, members.
#[server(endpoint = "hh_update", input = Json)]
pub async fn update_household(
    village: Option<VillageId>,
    household: HouseholdId,
    form: HouseholdForm,
) -> Result<HouseholdDetail, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::households::update(&req.db, &caller, village, household, form, ctx::now())
            .await
    })
    .await
}

/// Marks a household as moved away, or back as living in the village.
#[server(endpoint = "hh_moved_away")]
pub async fn set_moved_away(
    village: Option<VillageId>,
    household: HouseholdId,
    moved_away: bool,
) -> Result<HouseholdDetail, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::households::set_moved_away(
            &req.db,
            &caller,
            village,
            household,
            moved_away,
            ctx::now(),
        )
        .await
    })
    .await
}

/// Deletes a household entered by mistake; one with entries or redemptions
/// is refused (mark it moved away instead).
#[server(endpoint = "hh_delete")]
pub async fn delete_household(
    village: Option<VillageId>,
    household: HouseholdId,
) -> Result<(), AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::households::delete(&req.db, &caller, village, household, ctx::now()).await
    })
    .await
}

/// Reads an import file (.xlsx or CSV; form fields `village` and `file`)
/// and tells what it would do; writes nothing.
#[server(endpoint = "hh_import_preview", input = MultipartFormData)]
pub async fn preview_import_file(data: MultipartData) -> Result<ImportPreview, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let (village, file) = import_form(data).await?;
        let (_, village) = ctx::office_scope(caller, village)?;
        let file = not_empty(file)?;
        let plan = crate::server::households::preview_import(&req.db, village, &file.bytes).await?;
        Ok(ImportPreview {
            file_name: file.name,
            households: plan.households,
            problems: plan.problems,
            skipped_examples: plan.skipped_examples,
        })
    })
    .await
}

/// Imports the file checked by [`preview_import_file`] (the same form):
/// every household or none.
#[server(endpoint = "hh_import_commit", input = MultipartFormData)]
pub async fn import_commit(data: MultipartData) -> Result<ImportDone, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let (village, file) = import_form(data).await?;
        let (caller, village) = ctx::office_scope(caller, village)?;
        let file = not_empty(file)?;
        crate::server::households::import(
            &req.db,
            &caller,
            village,
            &file.name,
            &file.bytes,
            ctx::now(),
        )
        .await
    })
    .await
}

/// Reads an import form: the village and the file (at most 4 MB).
#[cfg(feature = "ssr")]
async fn import_form(
    data: MultipartData,
) -> Result<(Option<VillageId>, upload::UploadedFile), AppError> {
    use crate::server::households::MAX_UPLOAD_BYTES;
    let mut form = UploadForm::read(
        data,
        upload::FileField {
            name: "file",
            max: MAX_UPLOAD_BYTES,
            too_large: || AppError::invalid("文件太大：请不超过 4 MB"),
        },
    )
    .await?;
    Ok((
        form.id("village", VillageId),
        form.take_file().unwrap_or_default(),
    ))
}

/// The file, unless it is empty (or was not sent).
#[cfg(feature = "ssr")]
fn not_empty(file: upload::UploadedFile) -> Result<upload::UploadedFile, AppError> {
    if file.bytes.is_empty() {
        return Err(AppError::invalid("文件是空的"));
    }
    Ok(file)
}

/// The import template as CSV and .xlsx.
#[server(endpoint = "hh_templates", input = GetUrl)]
pub async fn get_import_templates(village: Option<VillageId>) -> Result<ImportTemplates, AppError> {
    ctx::serve(async |req| {
        req.office(village).await?;
        crate::server::households::templates()
    })
    .await
}

/// Printable cards of the village's current households, optionally of one group.
#[server(endpoint = "hh_cards", input = GetUrl)]
pub async fn household_cards(
    village: Option<VillageId>,
    group: Option<GroupId>,
) -> Result<Vec<HouseholdCard>, AppError> {
    ctx::serve(async |req| {
        let (_, village) = req.office(village).await?;
        crate::server::households::cards(&req.db, village, group).await
    })
    .await
}
