//! Server functions of points activities (积分活动): the public lists and
//! page, a villager's sign-ups, and the clerk's publishing, check-in and
//! award.

pub use wire::activity::*;

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json, MultipartData, MultipartFormData};

use crate::domain::activity::ActivityStatus;
use crate::domain::{ActivityId, HouseholdId, MemberId, SignupId, VillageId};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use super::ctx;
#[cfg(feature = "ssr")]
use super::upload::{self, UploadForm};

/// A village's public activity list with its monthly figures.
#[server(endpoint = "village_activities", input = GetUrl)]
pub async fn village_activities(village: VillageId) -> Result<ActivityLists, AppError> {
    ctx::serve(async |req| {
        crate::server::activity::village_list(&req.db, village, ctx::now()).await
    })
    .await
}

/// Published activities of the whole town, upcoming first.
#[server(endpoint = "town_activities", input = GetUrl)]
pub async fn town_activities() -> Result<ActivityLists, AppError> {
    ctx::serve(async |req| crate::server::activity::town_list(&req.db, ctx::now()).await).await
}

/// An activity's public page (drafts are not public).
#[server(endpoint = "activity_detail", input = GetUrl)]
pub async fn activity_detail(id: ActivityId) -> Result<ActivityView, AppError> {
    ctx::serve(async |req| crate::server::activity::public_detail(&req.db, id, ctx::now()).await)
        .await
}

/// The signed-in villager's household members and their sign-ups for an
/// activity of their village; `None` for anyone else.
#[server(endpoint = "activity_my_members", input = GetUrl)]
pub async fn activity_my_members(id: ActivityId) -> Result<Option<Vec<MemberSignup>>, AppError> {
    ctx::serve(async |req| {
        let Some(caller) = req.optional_caller().await? else {
            return Ok(None);
        };
        crate::server::activity::my_members(&req.db, &caller, id).await
    })
    .await
}

/// Signs a member up: the villager for their household, or the village's
/// clerk for anyone of the village (代报名).
#[server(endpoint = "activity_sign_up")]
pub async fn activity_sign_up(id: ActivityId, member: MemberId) -> Result<(), AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::activity::sign_up(&req.db, &caller, id, member, ctx::now()).await?;
        Ok(())
    })
    .await
}

/// Withdraws a sign-up before the deadline.
#[server(endpoint = "activity_withdraw")]
pub async fn activity_withdraw(signup: SignupId) -> Result<(), AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::activity::withdraw(&req.db, &caller, signup, ctx::now()).await
    })
    .await
}

/// The village's activities for the back office, drafts included.
#[server(endpoint = "office_activities", input = GetUrl)]
pub async fn office_activities(village: Option<VillageId>) -> Result<ActivityLists, AppError> {
    ctx::serve(async |req| {
        let village = req.office(village).await?.1;
        crate::server::activity::office_list(&req.db, village, ctx::now()).await
    })
    .await
}

/// An activity with its check-in list (back office).
#[server(endpoint = "office_activity", input = GetUrl)]
pub async fn office_activity(
    village: Option<VillageId>,
    id: ActivityId,
) -> Result<ActivityDesk, AppError> {
    ctx::serve(async |req| {
        let village = req.office(village).await?.1;
        crate::server::activity::office_detail(&req.db, village, id, ctx::now()).await
    })
    .await
}

/// Creates a draft activity; returns its id.
#[server(endpoint = "create_activity", input = Json)]
pub async fn create_activity(
    village: Option<VillageId>,
    form: NewActivity,
) -> Result<ActivityId, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        let rule_item = form
            .rule_item
            .ok_or_else(|| AppError::invalid("请选择参与积分的细则"))?;
        let parsed = crate::server::activity::parse_form(
            form.title,
            form.category,
            form.place,
            &form.starts,
            &form.ends,
            &form.deadline,
            &form.capacity,
            ctx::now(),
        )?;
        let a = crate::server::activity::create(
            &req.db,
            &caller,
            village,
            parsed,
            &form.description,
            rule_item,
            ctx::now(),
        )
        .await?;
        Ok(ActivityId(a.id))
    })
    .await
}

/// Publishes (`published`), cancels with a reason (`cancelled`) or
/// finishes (`finished`) an activity.
#[server(endpoint = "activity_set_status")]
pub async fn activity_set_status(
    id: ActivityId,
    to: ActivityStatus,
    reason: String,
) -> Result<(), AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::activity::set_status(&req.db, &caller, id, to, &reason, ctx::now()).await?;
        Ok(())
    })
    .await
}

/// The household of a scanned or typed card number, its members and their
/// check-in state.
#[server(endpoint = "activity_card", input = GetUrl)]
pub async fn activity_card(
    village: Option<VillageId>,
    id: ActivityId,
    card: String,
) -> Result<CardAtActivity, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::activity::card_at(&req.db, &caller, village, id, &card).await
    })
    .await
}

/// The members of a household of the village and their state at an
/// activity (to sign them up on their behalf).
#[server(endpoint = "activity_household", input = GetUrl)]
pub async fn activity_household(
    village: Option<VillageId>,
    id: ActivityId,
    household: HouseholdId,
) -> Result<Vec<MemberSignup>, AppError> {
    ctx::serve(async |req| {
        let village = req.office(village).await?.1;
        crate::server::activity::household_members(&req.db, village, id, household).await
    })
    .await
}

/// Ticks (or unticks) a member as present.
#[server(endpoint = "activity_check_in")]
pub async fn activity_check_in(
    id: ActivityId,
    member: MemberId,
    present: bool,
) -> Result<(), AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        if present {
            crate::server::activity::check_in(&req.db, &caller, id, member, ctx::now()).await?;
            Ok(())
        } else {
            crate::server::activity::undo_check_in(&req.db, &caller, id, member, ctx::now()).await
        }
    })
    .await
}

/// Awards the activity's points to everyone checked in, once.
#[server(endpoint = "activity_award")]
pub async fn activity_award(id: ActivityId) -> Result<Awarded, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let entries = crate::server::activity::award(&req.db, &caller, id, ctx::now()).await?;
        let households: std::collections::HashSet<i32> =
            entries.iter().map(|e| e.household_id).collect();
        Ok(Awarded {
            people: entries.len(),
            households: households.len(),
            points: entries.iter().map(|e| i64::from(e.points)).sum(),
        })
    })
    .await
}

/// Sets an activity's cover photo (form fields `activity` and `photo`);
/// returns its address.
#[server(endpoint = "activity_photo", input = MultipartFormData)]
pub async fn activity_photo(data: MultipartData) -> Result<String, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let mut form = UploadForm::read(data, upload::photo()).await?;
        let bytes = form.take_bytes();
        let id = form
            .id("activity", ActivityId)
            .ok_or_else(|| AppError::invalid("找不到该活动"))?;
        crate::server::activity::store_photo(&req.db, &caller, id, bytes, ctx::now()).await
    })
    .await
}
