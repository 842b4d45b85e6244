//! Server functions of the households part of the back office (户籍管理):
//! list, create, edit, move away, import from a spreadsheet, print cards.
//! Each checks that the caller runs the village's back office.

pub use wire::households::*;

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json};

#[cfg(feature = "ssr")]
use super::ctx;
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

/// Reads an import file (.xlsx or CSV, base64) and tells what it would do;
/// writes nothing.
#[server(endpoint = "hh_import_preview", input = Json)]
pub async fn preview_import_file(
    village: Option<VillageId>,
    file_name: String,
    data_base64: String,
) -> Result<ImportPreview, AppError> {
    ctx::serve(async |req| {
        let (_, village) = req.office(village).await?;
        let bytes = crate::server::households::decode_upload(&data_base64)?;
        let plan = crate::server::households::preview_import(&req.db, village, &bytes).await?;
        Ok(ImportPreview {
            file_name,
            households: plan.households,
            problems: plan.problems,
        })
    })
    .await
}

/// Imports the file checked by [`preview_import_file`]: every household or none.
#[server(endpoint = "hh_import_commit", input = Json)]
pub async fn import_commit(
    village: Option<VillageId>,
    file_name: String,
    data_base64: String,
) -> Result<ImportDone, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        let bytes = crate::server::households::decode_upload(&data_base64)?;
        crate::server::households::import(&req.db, &caller, village, &file_name, &bytes, ctx::now())
            .await
    })
    .await
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
