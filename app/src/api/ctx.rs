//! Request context for server functions: the database, the caller, cookies,
//! and the HTTP status of errors.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use sea_orm::EntityTrait;

use super::types::{DemoAccount, HomeSummary, UserView};
use crate::domain::roles::{Caller, Role};
use crate::error::AppError;
use crate::server::entities::{household, user_account, village};
use crate::server::http::AppState;
use crate::server::{auth, seed, Db};

/// The clock of server functions.
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// The shared database handle.
pub fn db() -> Result<Db, AppError> {
    use_context::<AppState>().map(|s| s.db).ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

/// Whether cookies carry the Secure flag (deployments behind https).
pub fn secure_cookies() -> bool {
    use_context::<AppState>().is_some_and(|s| s.secure_cookies)
}

/// Sends an error with its own HTTP status instead of the default 500.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &result {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(
                http::StatusCode::from_u16(e.status())
                    .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
            );
        }
    }
    result
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        res.append_header(http::header::SET_COOKIE, v);
    }
}

/// The session token of the request, if any.
pub fn session_token() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .find_map(auth::token_from_cookie_header)
}

/// The network address of the client, for login throttling.
pub fn client_address() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| {
            p.extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// The signed-in account, if the session is valid.
pub async fn current_account(db: &Db) -> Result<Option<user_account::Model>, AppError> {
    match session_token() {
        Some(token) => auth::user_for_token(db, &token, now()).await,
        None => Ok(None),
    }
}

/// The caller, or 401.
pub async fn require_caller() -> Result<Caller, AppError> {
    let db = db()?;
    let user = current_account(&db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    auth::caller_of(&user).ok_or(AppError::Forbidden)
}

/// The wire view of an account.
pub async fn user_view(db: &Db, user: &user_account::Model) -> Result<UserView, AppError> {
    let role = Role::parse(&user.role).ok_or(AppError::Internal)?;
    let village_name = match user.village_id {
        Some(v) => village::Entity::find_by_id(v)
            .one(&db.conn)
            .await?
            .map(|v| v.name),
        None => None,
    };
    let household_card = match user.household_id {
        Some(h) => household::Entity::find_by_id(h)
            .one(&db.conn)
            .await?
            .map(|h| h.card_no),
        None => None,
    };
    Ok(UserView {
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role,
        role_label: role.label().into(),
        village_id: user.village_id.map(crate::domain::VillageId),
        village_name,
        household_card,
        home: role.home_path().into(),
    })
}

/// The demo accounts while demo mode is on.
pub async fn demo_accounts() -> Result<Vec<DemoAccount>, AppError> {
    let db = db()?;
    if !seed::demo_mode(&db).await? {
        return Ok(Vec::new());
    }
    Ok(seed::demo_logins()
        .into_iter()
        .map(|d| DemoAccount {
            username: d.username,
            password: seed::DEMO_PASSWORD.into(),
            role_label: d.role.label().into(),
            village_name: d.village,
        })
        .collect())
}

/// Figures for the signed-in user's home page.
pub async fn home_summary() -> Result<HomeSummary, AppError> {
    let db = db()?;
    let user = current_account(&db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let view = user_view(&db, &user).await?;
    let mut figures = Vec::new();
    match view.role {
        Role::TownAdmin => {
            let town = crate::server::portal::town_overview(&db, now()).await?;
            figures.push(("参与村（社区）".into(), town.villages.len().to_string()));
            figures.push(("参与农户".into(), town.total_households.to_string()));
            figures.push((
                format!("{}发放积分", town.month_label),
                town.total_points_this_month.to_string(),
            ));
        }
        Role::VillageAdmin | Role::Clerk => {
            let v = user.village_id.ok_or(AppError::Internal)?;
            let info =
                crate::server::portal::village_info(&db, crate::domain::VillageId(v)).await?;
            figures.push(("农户数".into(), info.households.to_string()));
            figures.push(("村民小组".into(), info.groups.len().to_string()));
            figures.push(("在售商品种类".into(), info.goods_kinds.to_string()));
        }
        Role::Villager => {
            let h = user.household_id.ok_or(AppError::Internal)?;
            let hh = household::Entity::find_by_id(h)
                .one(&db.conn)
                .await?
                .ok_or(AppError::Internal)?;
            figures.push(("可用积分".into(), hh.balance.to_string()));
            figures.push(("累计获得".into(), hh.earned_total.to_string()));
            figures.push(("累计兑换".into(), hh.redeemed_total.to_string()));
        }
    }
    Ok(HomeSummary {
        user: view,
        figures,
    })
}
