//! Server functions of the villager's own pages (我的积分): the household's
//! home, declaring a good deed (申报), appealing an entry (申诉); the clerk's
//! answers to appeals; and the clerk setting how a household signs in.
//!
//! Every household-facing function takes an optional household: none means
//! the signed-in villager's own; one means the village's staff acting for a
//! household without a phone (代办模式), which the audit log records.

use leptos::prelude::*;
use server_fn::codec::GetUrl;

use super::types::{AppealView, LoginSetting, MyHousehold};
use crate::domain::{EntryId, EvidenceId, HouseholdId, MemberId, RuleItemId, VillageId};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use super::ctx;

/// The household's home: figures, every entry, declarations, appeals,
/// sign-ups, redemptions and the card's QR code.
#[server(endpoint = "villager_home", input = GetUrl)]
pub async fn villager_home(household: Option<HouseholdId>) -> Result<MyHousehold, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let (hh, assisted) =
            crate::server::villager::household_for(&req.db, &caller, household).await?;
        crate::server::villager::home(&req.db, hh, assisted, ctx::now()).await
    })
    .await
}

/// Declares a good deed for the clerk's review queue (申报).
#[server(endpoint = "declare_deed")]
pub async fn declare_deed(
    household: Option<HouseholdId>,
    rule_item: RuleItemId,
    occurred_on: String,
    reason: String,
    member: Option<MemberId>,
    evidence: Option<EvidenceId>,
) -> Result<(), AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let (hh, assisted) =
            crate::server::villager::household_for(&req.db, &caller, household).await?;
        let occurred_on = chrono::NaiveDate::parse_from_str(occurred_on.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid("请选择发生日期"))?;
        let input = crate::server::review::NewProposal {
            household: HouseholdId(hh.id),
            member,
            rule_item,
            reason,
            occurred_on,
            evidence,
            assisted,
        };
        crate::server::review::propose(&req.db, &caller, input, ctx::now()).await?;
        Ok(())
    })
    .await
}

/// Appeals one of the household's entries (申诉).
#[server(endpoint = "file_appeal")]
pub async fn file_appeal(entry: EntryId, reason: String) -> Result<(), AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::appeal::file(&req.db, &caller, entry, &reason, ctx::now()).await?;
        Ok(())
    })
    .await
}

/// The village's appeals: open ones first, then the latest answered.
#[server(endpoint = "office_appeals", input = GetUrl)]
pub async fn office_appeals(village: Option<VillageId>) -> Result<Vec<AppealView>, AppError> {
    ctx::serve(async |req| {
        let village = req.office(village).await?.1;
        crate::server::villager::office_appeals(&req.db, village).await
    })
    .await
}

/// Answers an appeal: upheld reverses the entry, rejected leaves it.
#[server(endpoint = "answer_appeal")]
pub async fn answer_appeal(appeal: i32, uphold: bool, answer: String) -> Result<(), AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::appeal::answer(&req.db, &caller, appeal, uphold, &answer, ctx::now())
            .await?;
        Ok(())
    })
    .await
}

/// How a household of the village signs in (its phone, whether a PIN is set).
#[server(endpoint = "villager_login", input = GetUrl)]
pub async fn villager_login(
    village: Option<VillageId>,
    household: HouseholdId,
) -> Result<LoginSetting, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::villager::login_of(&req.db, &caller, village, household).await
    })
    .await
}

/// Records a household's phone and sets its PIN (empty keeps the PIN).
#[server(endpoint = "set_villager_login")]
pub async fn set_villager_login(
    village: Option<VillageId>,
    household: HouseholdId,
    phone: String,
    pin: String,
) -> Result<LoginSetting, AppError> {
    ctx::serve(async |req| {
        let (caller, village) = req.office(village).await?;
        crate::server::villager::set_login(
            &req.db,
            &caller,
            village,
            household,
            &phone,
            Some(pin.as_str()),
            ctx::now(),
        )
        .await
    })
    .await
}
