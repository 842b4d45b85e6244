//! Server functions: the public HTTP API of the app. Each checks who is
//! calling and what they may touch, calls a service, and maps to wire types.
//! Reads use GET; everything that writes uses POST.

pub mod types;

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json};

use crate::domain::metrics::Period;
use crate::domain::redemption::LineRequest;
use crate::domain::{GroupId, HouseholdId, VillageId};
use crate::error::AppError;
use types::*;

#[cfg(feature = "ssr")]
mod ctx;

/// The town home page.
#[server(endpoint = "town_overview", input = GetUrl)]
pub async fn get_town() -> Result<TownOverview, AppError> {
    ctx::respond(crate::server::portal::town_overview(&ctx::db()?, ctx::now()).await)
}

/// A village's public header.
#[server(endpoint = "village_info", input = GetUrl)]
pub async fn get_village(village: VillageId) -> Result<VillageInfo, AppError> {
    ctx::respond(crate::server::portal::village_info(&ctx::db()?, village).await)
}

/// A village's published rules.
#[server(endpoint = "village_rules", input = GetUrl)]
pub async fn village_rules(village: VillageId) -> Result<Vec<RuleCategoryView>, AppError> {
    ctx::respond(crate::server::portal::village_rules(&ctx::db()?, village, ctx::now()).await)
}

/// A village's goods catalogue.
#[server(endpoint = "village_goods", input = GetUrl)]
pub async fn village_goods(village: VillageId) -> Result<Vec<GoodsView>, AppError> {
    ctx::respond(crate::server::portal::village_goods(&ctx::db()?, village).await)
}

/// A village's household leaderboard.
#[server(endpoint = "leaderboard", input = GetUrl)]
pub async fn leaderboard(
    village: VillageId,
    period: Period,
    group: Option<GroupId>,
) -> Result<LeaderboardView, AppError> {
    ctx::respond(
        crate::server::portal::leaderboard(&ctx::db()?, village, period, group, ctx::now()).await,
    )
}

/// The town-wide ranking of villages.
#[server(endpoint = "village_ranking", input = GetUrl)]
pub async fn get_ranking() -> Result<VillageRanking, AppError> {
    ctx::respond(crate::server::portal::village_ranking(&ctx::db()?, ctx::now()).await)
}

/// Public household search.
#[server(endpoint = "search_households", input = GetUrl)]
pub async fn search_households(q: String) -> Result<Vec<HouseholdHit>, AppError> {
    ctx::respond(crate::server::portal::search_households(&ctx::db()?, &q).await)
}

/// A household's public page.
#[server(endpoint = "household_public", input = GetUrl)]
pub async fn get_household(card_no: String) -> Result<HouseholdPublic, AppError> {
    ctx::respond(crate::server::portal::household_public(&ctx::db()?, &card_no).await)
}

/// A household's private record: village staff and the household itself only.
#[server(endpoint = "household_private", input = GetUrl)]
pub async fn get_household_private(household: HouseholdId) -> Result<HouseholdPrivate, AppError> {
    ctx::respond(
        async {
            let caller = ctx::require_caller().await?;
            let (village, record) =
                crate::server::portal::household_private(&ctx::db()?, household).await?;
            if !caller.may_read_household(village, household) {
                return Err(AppError::Forbidden);
            }
            Ok(record)
        }
        .await,
    )
}

/// Signs in; sets the session cookie.
#[server(endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<UserView, AppError> {
    ctx::respond(
        async {
            let db = ctx::db()?;
            let (user, token) = crate::server::auth::login(
                &db,
                &username,
                &password,
                &ctx::client_address(),
                ctx::now(),
            )
            .await?;
            ctx::set_cookie(&crate::server::auth::session_cookie(
                &token,
                ctx::secure_cookies(),
            ));
            ctx::user_view(&db, &user).await
        }
        .await,
    )
}

/// Signs out; clears the session cookie.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    ctx::respond(
        async {
            if let Some(token) = ctx::session_token() {
                crate::server::auth::logout(&ctx::db()?, &token, ctx::now()).await?;
            }
            ctx::set_cookie(&crate::server::auth::clear_cookie(ctx::secure_cookies()));
            Ok(())
        }
        .await,
    )
}

/// The signed-in user, if any.
#[server(endpoint = "current_user", input = GetUrl)]
pub async fn current_user() -> Result<Option<UserView>, AppError> {
    ctx::respond(
        async {
            let db = ctx::db()?;
            match ctx::current_account(&db).await? {
                Some(user) => Ok(Some(ctx::user_view(&db, &user).await?)),
                None => Ok(None),
            }
        }
        .await,
    )
}

/// The demo accounts, while demo mode is on; empty otherwise.
#[server(endpoint = "demo_accounts", input = GetUrl)]
pub async fn demo_accounts() -> Result<Vec<DemoAccount>, AppError> {
    ctx::respond(ctx::demo_accounts().await)
}

/// The signed-in user's home page figures.
#[server(endpoint = "my_home", input = GetUrl)]
pub async fn my_home() -> Result<HomeSummary, AppError> {
    ctx::respond(ctx::home_summary().await)
}

/// Records an award or deduction (village points clerk).
#[server(endpoint = "record_entry")]
pub async fn record_entry(
    household: HouseholdId,
    rule_item: crate::domain::RuleItemId,
    reason: String,
    occurred_on: String,
) -> Result<i32, AppError> {
    ctx::respond(
        async {
            let caller = ctx::require_caller().await?;
            let occurred_on = chrono::NaiveDate::parse_from_str(occurred_on.trim(), "%Y-%m-%d")
                .map_err(|_| AppError::invalid("日期格式应为 2026-01-31"))?;
            let input = crate::server::ledger::NewEntry {
                household,
                member: None,
                rule_item,
                reason,
                occurred_on,
            };
            let entry =
                crate::server::ledger::record_entry(&ctx::db()?, &caller, input, ctx::now())
                    .await?;
            Ok(entry.id)
        }
        .await,
    )
}

/// Redeems goods for a household at the counter (supermarket clerk).
#[server(endpoint = "redeem", input = Json)]
pub async fn redeem(
    household: HouseholdId,
    lines: Vec<LineRequest>,
    idempotency_key: String,
) -> Result<Receipt, AppError> {
    ctx::respond(
        async {
            let caller = ctx::require_caller().await?;
            let req = crate::server::redeem::RedeemRequest {
                household,
                lines,
                idempotency_key,
            };
            let r = crate::server::redeem::redeem(&ctx::db()?, &caller, req, ctx::now()).await?;
            Ok(Receipt {
                receipt_no: r.receipt_no,
                household: r.household,
                total: r.total,
                balance_after: r.balance_after,
                lines: r
                    .lines
                    .into_iter()
                    .map(|l| ReceiptLine {
                        name: l.name,
                        unit: l.unit,
                        quantity: l.quantity,
                        unit_price: l.unit_price,
                    })
                    .collect(),
                replayed: r.replayed,
            })
        }
        .await,
    )
}
