//! Server functions of setting the town up: the readiness checklist and the
//! units' flags (town admin, `/town/setup`); a village's groups and the
//! record of printed card sheets (the village's back office: its village
//! admin, or the town admin with `?v=`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::{GetUrl, Json};

#[cfg(feature = "ssr")]
use super::ctx;
use crate::domain::setup::Check;
use crate::domain::{GroupId, VillageId};
use crate::error::AppError;

/// One cell of the readiness checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckCell {
    pub check: Check,
    pub ok: bool,
    /// "2 个", "80 户", "12 / 80 户", "2026-12-01 打印"...
    pub figure: String,
}

/// A village taking part and its checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadinessRow {
    pub village_id: VillageId,
    pub village_name: String,
    /// In the order of [`SetupPage::columns`].
    pub cells: Vec<CheckCell>,
    /// Every cell is ✓.
    pub ready: bool,
}

/// A unit (村/社区) of the town with its flags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitView {
    pub id: VillageId,
    pub name: String,
    pub code: String,
    /// 村 or 社区.
    pub kind_label: String,
    /// 涉农.
    pub agricultural: bool,
    /// 参与积分制.
    pub taking_part: bool,
}

/// The `/town/setup` page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetupPage {
    /// The checklist's columns and their headings.
    pub columns: Vec<(Check, String)>,
    /// One row per village taking part, in the town's order.
    pub rows: Vec<ReadinessRow>,
    /// Every unit of the town, taking part or not.
    pub units: Vec<UnitView>,
}

/// A group (组) of a village.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    pub id: GroupId,
    pub name: String,
    /// Households of the group not moved away.
    pub households: u32,
    /// Merged into another group: kept for past months, out of the pickers.
    pub retired: bool,
    /// The group it was merged into.
    pub merged_into: Option<String>,
    /// `2026-12-06`, when merged.
    pub retired_on: Option<String>,
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeDone {
    /// Households moved.
    pub moved: u32,
    pub from: String,
    pub into: String,
}

/// The readiness checklist and the units' flags (town admin).
#[server(endpoint = "setup_overview", input = GetUrl)]
pub async fn setup_overview() -> Result<SetupPage, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::setup::overview(&req.db, &caller, ctx::now()).await
    })
    .await
}

/// Sets a unit's 涉农 and 参与积分制 flags (town admin).
#[server(endpoint = "unit_flags_set", input = Json)]
pub async fn set_unit_flags(
    village: VillageId,
    agricultural: bool,
    taking_part: bool,
) -> Result<UnitView, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::setup::set_unit_flags(
            &req.db,
            &caller,
            village,
            agricultural,
            taking_part,
            ctx::now(),
        )
        .await
    })
    .await
}

/// A village's groups with their households, merged ones last.
#[server(endpoint = "office_groups", input = GetUrl)]
pub async fn office_groups(village: Option<VillageId>) -> Result<Vec<GroupRow>, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::setup::groups(&req.db, &caller, village).await
    })
    .await
}

/// Creates a group of the village.
#[server(endpoint = "group_create", input = Json)]
pub async fn create_group(village: Option<VillageId>, name: String) -> Result<GroupRow, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::setup::create_group(&req.db, &caller, village, &name, ctx::now()).await
    })
    .await
}

/// Renames a group of the village.
#[server(endpoint = "group_rename", input = Json)]
pub async fn rename_group(
    village: Option<VillageId>,
    group: GroupId,
    name: String,
) -> Result<GroupRow, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::setup::rename_group(&req.db, &caller, village, group, &name, ctx::now())
            .await
    })
    .await
}

/// Merges group `from` into group `into`: its households move, it retires.
#[server(endpoint = "group_merge", input = Json)]
pub async fn merge_groups(
    village: Option<VillageId>,
    from: GroupId,
    into: GroupId,
) -> Result<MergeDone, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::setup::merge_groups(&req.db, &caller, village, from, into, ctx::now()).await
    })
    .await
}

/// Notes that the village's card sheet (or one group's) is being printed;
/// returns the number of cards.
#[server(endpoint = "cards_printed", input = Json)]
pub async fn cards_printed(
    village: Option<VillageId>,
    group: Option<GroupId>,
) -> Result<u32, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::setup::record_card_print(&req.db, &caller, village, group, ctx::now()).await
    })
    .await
}
