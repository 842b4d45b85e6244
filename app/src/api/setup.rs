//! Server functions of setting the town up: the readiness checklist and the
//! units' flags (town admin, `/town/setup`); a village's groups and the
//! record of printed card sheets (the village's back office: its village
//! admin, or the town admin with `?v=`).

pub use wire::setup::*;

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json};

#[cfg(feature = "ssr")]
use super::ctx;
use crate::domain::{GroupId, VillageId};
use crate::error::AppError;

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
