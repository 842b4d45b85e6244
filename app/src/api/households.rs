//! Server functions of the households part of the back office (户籍管理):
//! list, create, edit, move away, import from a spreadsheet, print cards.
//! Each checks that the caller runs the village's back office.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::{GetUrl, Json};

#[cfg(feature = "ssr")]
use super::ctx;
use super::types::GroupView;
pub use crate::domain::households::{MemberInput, PlannedHousehold, RowProblem};
use crate::domain::{GroupId, HouseholdId, MemberId, VillageId};
use crate::error::AppError;

/// Which households a list shows besides the search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum HouseholdStatus {
    /// Households still in the village (not moved away).
    #[default]
    Current,
    /// Current households not living at home.
    NotResident,
    /// Current households not yet aware of the points system.
    NotAware,
    /// Households marked as moved away.
    MovedAway,
    /// Every household.
    All,
}

impl HouseholdStatus {
    /// Every status with its Chinese label, in menu order.
    pub const ALL: [(HouseholdStatus, &'static str); 5] = [
        (Self::Current, "在册农户"),
        (Self::NotResident, "不常住"),
        (Self::NotAware, "未知晓"),
        (Self::MovedAway, "已迁出"),
        (Self::All, "全部"),
    ];

    /// Stable text for forms and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::NotResident => "not_resident",
            Self::NotAware => "not_aware",
            Self::MovedAway => "moved_away",
            Self::All => "all",
        }
    }

    /// Parses [`Self::as_str`]; anything else is `Current`.
    pub fn parse(s: &str) -> Self {
        Self::ALL
            .iter()
            .map(|(st, _)| *st)
            .find(|st| st.as_str() == s)
            .unwrap_or_default()
    }
}

/// One household in the office list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdRow {
    pub id: HouseholdId,
    pub card_no: String,
    pub head_name: String,
    pub group_name: String,
    pub address: String,
    pub members: u32,
    pub resident: bool,
    pub aware: bool,
    pub moved_away: bool,
    pub balance: i64,
}

/// Head counts of a village's households.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HouseholdCounts {
    /// Households not moved away.
    pub current: u64,
    /// Of those, living at home.
    pub resident: u64,
    /// Of the resident ones, aware of the points system.
    pub resident_aware: u64,
    /// Households moved away.
    pub moved_away: u64,
}

/// One page of the office household list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdList {
    pub rows: Vec<HouseholdRow>,
    /// Households matching the search, over all pages.
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    pub groups: Vec<GroupView>,
    pub counts: HouseholdCounts,
}

/// A household member as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: MemberId,
    pub name: String,
    pub relation: String,
}

/// A household with its members, for the edit form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdDetail {
    pub id: HouseholdId,
    pub card_no: String,
    pub head_name: String,
    pub group: GroupId,
    pub address: String,
    pub resident: bool,
    pub aware: bool,
    pub moved_away: bool,
    pub balance: i64,
    /// Members other than the head.
    pub members: Vec<MemberView>,
    /// Whether it has ledger entries or redemptions (then it is never deleted).
    pub has_history: bool,
}

/// A member in the household form; `id` is set for members already stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberForm {
    pub id: Option<MemberId>,
    pub name: String,
    pub relation: String,
}

/// The household form, for creating and editing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdForm {
    pub group: GroupId,
    pub head_name: String,
    /// Used when creating only (blank: the next free number); a card number
    /// never changes once printed.
    pub card_no: String,
    pub address: String,
    pub resident: bool,
    pub aware: bool,
    /// Members other than the head.
    pub members: Vec<MemberForm>,
}

/// What the create form starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewHouseholdDefaults {
    pub groups: Vec<GroupView>,
    pub next_card_no: String,
}

/// The preview of an import: every household it creates and every row it
/// refuses. Nothing has been written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub file_name: String,
    pub households: Vec<PlannedHousehold>,
    pub problems: Vec<RowProblem>,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportDone {
    pub created: usize,
    pub first_card: String,
    pub last_card: String,
    /// Time the server took, in milliseconds.
    pub millis: u64,
}

/// The import template in both formats, base64-encoded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportTemplates {
    pub csv_base64: String,
    pub xlsx_base64: String,
}

/// One printed household card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdCard {
    pub village_name: String,
    pub group_name: String,
    pub head_name: String,
    pub card_no: String,
    /// The QR code of the card number as an SVG document.
    pub qr_svg: String,
}

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
