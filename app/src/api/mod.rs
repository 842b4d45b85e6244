//! Server functions: the public HTTP API of the app. Each checks who is
//! calling and what they may touch, calls a service, and maps to wire types.
//! Reads use GET; everything that writes uses POST.

pub mod acceptance;
pub mod activity;
pub mod dashboard;
pub mod evaluation;
pub mod evidence;
pub mod funds;
pub mod households;
pub mod kiosk;
pub mod ledger;
pub mod notice;
pub mod review;
pub mod rules;
pub mod score;
pub mod setup;
pub mod staff;
pub mod stock;
pub use wire::types;
pub mod villager;

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json};

use crate::domain::metrics::Period;
use crate::domain::{EvidenceId, GroupId, HouseholdId, MemberId, VillageId};
use crate::error::AppError;
use types::*;

#[cfg(feature = "ssr")]
mod ctx;
#[cfg(feature = "ssr")]
mod upload;

/// The town home page.
#[server(endpoint = "town_overview", input = GetUrl)]
pub async fn get_town() -> Result<TownOverview, AppError> {
    ctx::serve(async |req| crate::server::portal::town_overview(&req.db, ctx::now()).await).await
}

/// A village's public header.
#[server(endpoint = "village_info", input = GetUrl)]
pub async fn get_village(village: VillageId) -> Result<VillageInfo, AppError> {
    ctx::serve(async |req| crate::server::portal::village_info(&req.db, village).await).await
}

/// A village's published rules.
#[server(endpoint = "village_rules", input = GetUrl)]
pub async fn village_rules(village: VillageId) -> Result<Vec<RuleCategoryView>, AppError> {
    ctx::serve(async |req| crate::server::portal::village_rules(&req.db, village, ctx::now()).await)
        .await
}

/// A village's goods catalogue.
#[server(endpoint = "village_goods", input = GetUrl)]
pub async fn village_goods(village: VillageId) -> Result<Vec<GoodsView>, AppError> {
    ctx::serve(async |req| crate::server::portal::village_goods(&req.db, village).await).await
}

/// A village's household leaderboard.
#[server(endpoint = "leaderboard", input = GetUrl)]
pub async fn leaderboard(
    village: VillageId,
    period: Period,
    group: Option<GroupId>,
) -> Result<LeaderboardView, AppError> {
    ctx::serve(async |req| {
        crate::server::portal::leaderboard(&req.db, village, period, group, ctx::now()).await
    })
    .await
}

/// The town-wide ranking of villages.
#[server(endpoint = "village_ranking", input = GetUrl)]
pub async fn get_ranking() -> Result<VillageRanking, AppError> {
    ctx::serve(async |req| crate::server::portal::village_ranking(&req.db, ctx::now()).await).await
}

/// Public household search; without signing in, rate-limited per address.
#[server(endpoint = "search_households", input = GetUrl)]
pub async fn search_households(q: String) -> Result<Vec<HouseholdHit>, AppError> {
    ctx::serve(async |req| {
        if req.account().await?.is_none() {
            crate::server::rate_limit::PUBLIC_SEARCH.check(req.address())?;
        }
        crate::server::portal::search_households(&req.db, &q).await
    })
    .await
}

/// A household's public page.
#[server(endpoint = "household_public", input = GetUrl)]
pub async fn get_household(card_no: String) -> Result<HouseholdPublic, AppError> {
    ctx::serve(async |req| crate::server::portal::household_public(&req.db, &card_no).await).await
}

/// A household's private record: village staff and the household itself only.
#[server(endpoint = "household_private", input = GetUrl)]
pub async fn get_household_private(household: HouseholdId) -> Result<HouseholdPrivate, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let (village, record) =
            crate::server::portal::household_private(&req.db, household).await?;
        if !caller.may_read_household(village, household) {
            return Err(AppError::Forbidden);
        }
        Ok(record)
    })
    .await
}

/// Signs in; sets the session cookie.
#[server(endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<UserView, AppError> {
    ctx::serve(async |req| {
        // Failed attempts are stored by name: a name of a megabyte must not be.
        use crate::domain::text::{check_text, MAX_LOGIN_NAME};
        check_text("用户名", username.trim(), MAX_LOGIN_NAME)?;
        let (user, token) =
            crate::server::auth::login(&req.db, &username, &password, req.address(), ctx::now())
                .await?;
        req.set_cookie(&crate::server::auth::session_cookie(
            &token,
            req.secure_cookies(),
        ));
        req.user_view(&user).await
    })
    .await
}

/// Signs out; clears the session cookie.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    ctx::serve(async |req| {
        if let Some(token) = req.token() {
            crate::server::auth::logout(&req.db, token, ctx::now()).await?;
        }
        req.set_cookie(&crate::server::auth::clear_cookie(req.secure_cookies()));
        Ok(())
    })
    .await
}

/// The signed-in user, if any.
#[server(endpoint = "current_user", input = GetUrl)]
pub async fn current_user() -> Result<Option<UserView>, AppError> {
    ctx::serve(async |req| match req.account().await? {
        Some(user) => Ok(Some(req.user_view(&user).await?)),
        None => Ok(None),
    })
    .await
}

/// The demo accounts, while demo mode is on; empty otherwise.
#[server(endpoint = "demo_accounts", input = GetUrl)]
pub async fn demo_accounts() -> Result<Vec<DemoAccount>, AppError> {
    ctx::serve(async |req| req.demo_accounts().await).await
}

/// The signed-in user's home page figures.
#[server(endpoint = "my_home", input = GetUrl)]
pub async fn my_home() -> Result<HomeSummary, AppError> {
    ctx::serve(async |req| req.home_summary().await).await
}

/// Households of the caller's village matching a search (village points clerk).
#[server(endpoint = "office_households", input = GetUrl)]
pub async fn office_households(
    village: Option<VillageId>,
    q: String,
) -> Result<Vec<OfficeHousehold>, AppError> {
    ctx::serve(async |req| {
        let village = req.office(village).await?.1;
        crate::server::office::search(&req.db, village, &q).await
    })
    .await
}

/// The households of a village (or of one of its groups) still living
/// there, for batch entry.
#[server(endpoint = "office_roster", input = GetUrl)]
pub async fn office_roster(
    village: Option<VillageId>,
    group: Option<GroupId>,
) -> Result<Vec<OfficeHousehold>, AppError> {
    ctx::serve(async |req| {
        let village = req.office(village).await?.1;
        crate::server::office::roster(&req.db, village, group).await
    })
    .await
}

/// The members of a household of the village, for the entry form.
#[server(endpoint = "office_members", input = GetUrl)]
pub async fn office_members(
    village: Option<VillageId>,
    household: HouseholdId,
) -> Result<Vec<MemberView>, AppError> {
    ctx::serve(async |req| {
        let village = req.office(village).await?.1;
        crate::server::office::members(&req.db, village, household).await
    })
    .await
}

/// The latest entries of the caller's village (village points clerk).
#[server(endpoint = "office_entries", input = GetUrl)]
pub async fn office_entries(village: Option<VillageId>) -> Result<Vec<OfficeEntry>, AppError> {
    ctx::serve(async |req| {
        let village = req.office(village).await?.1;
        crate::server::office::recent_entries(&req.db, village, 30).await
    })
    .await
}

/// Records an award or deduction (village points clerk).
#[server(endpoint = "record_entry")]
pub async fn record_entry(
    household: HouseholdId,
    rule_item: crate::domain::RuleItemId,
    reason: String,
    occurred_on: String,
    member: Option<MemberId>,
    evidence: Option<EvidenceId>,
) -> Result<Recorded, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let occurred_on = chrono::NaiveDate::parse_from_str(occurred_on.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid("日期格式应为 2026-01-31"))?;
        let input = crate::server::ledger::NewEntry {
            household,
            member,
            evidence,
            rule_item,
            reason,
            occurred_on,
        };
        let entry =
            crate::server::ledger::record_entry(&req.db, &caller, input, ctx::now()).await?;
        crate::server::office::recorded(&req.db, &entry).await
    })
    .await
}

/// Batch entry: one rule item for many households, all or nothing (village
/// points clerk). Returns how many entries were written.
#[server(endpoint = "record_batch", input = Json)]
pub async fn record_batch(
    households: Vec<HouseholdId>,
    rule_item: crate::domain::RuleItemId,
    reason: String,
    occurred_on: String,
    evidence: Option<EvidenceId>,
) -> Result<usize, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let occurred_on = chrono::NaiveDate::parse_from_str(occurred_on.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid("日期格式应为 2026-01-31"))?;
        let entries = crate::server::ledger::record_batch(
            &req.db,
            &caller,
            &households,
            rule_item,
            &reason,
            occurred_on,
            evidence,
            ctx::now(),
        )
        .await?;
        Ok(entries.len())
    })
    .await
}

/// Corrects an approved entry with a reversal entry (village points clerk).
#[server(endpoint = "reverse_entry")]
pub async fn reverse_entry(
    entry: crate::domain::EntryId,
    reason: String,
) -> Result<Recorded, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let reversal =
            crate::server::ledger::reverse_entry(&req.db, &caller, entry, &reason, ctx::now())
                .await?;
        crate::server::office::recorded(&req.db, &reversal).await
    })
    .await
}
