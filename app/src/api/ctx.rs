//! Request context for server functions.
//!
//! Everything a server function needs from the request (the database, the
//! session token, the client address, the response options) is read from the
//! reactive context once, synchronously, at the top of the function: after an
//! `.await` the future may resume where that context is not current.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::types::{DemoAccount, HomeSummary, UserView};
use crate::domain::roles::{Caller, Role};
use crate::domain::VillageId;
use crate::error::AppError;
use crate::server::entities::user_account;
use crate::server::http::AppState;
use crate::server::{auth, home, Db};

/// The clock of server functions.
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// The one shape of a server function: captures the request (before any
/// `.await`, see [`req`]), runs `body` with it, and sends an error with its
/// own HTTP status ([`Req::respond`]).
pub async fn serve<T>(body: impl AsyncFnOnce(&Req) -> Result<T, AppError>) -> Result<T, AppError> {
    let req = req()?;
    let result = body(&req).await;
    req.respond(result)
}

/// What a server function knows about its request.
pub struct Req {
    pub db: Db,
    secure_cookies: bool,
    token: Option<String>,
    address: String,
    response: Option<leptos_axum::ResponseOptions>,
}

/// Captures the request context; [`serve`] calls it first, before any `.await`.
fn req() -> Result<Req, AppError> {
    let state = use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })?;
    let parts = use_context::<http::request::Parts>();
    let token = parts
        .as_ref()
        .and_then(|p| auth::token_from_headers(&p.headers));
    let address = parts
        .as_ref()
        .and_then(|p| {
            p.extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    Ok(Req {
        db: state.db,
        secure_cookies: state.secure_cookies,
        token,
        address,
        response: use_context::<leptos_axum::ResponseOptions>(),
    })
}

impl Req {
    /// Sends an error with its own HTTP status instead of the default 500.
    fn respond<T>(&self, result: Result<T, AppError>) -> Result<T, AppError> {
        if let (Err(e), Some(res)) = (&result, &self.response) {
            res.set_status(
                http::StatusCode::from_u16(e.status())
                    .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
            );
        }
        result
    }

    /// Adds a `Set-Cookie` header to the response.
    pub fn set_cookie(&self, value: &str) {
        if let (Some(res), Ok(v)) = (&self.response, http::HeaderValue::from_str(value)) {
            res.append_header(http::header::SET_COOKIE, v);
        }
    }

    /// Whether cookies carry the Secure flag (deployments behind https).
    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies
    }

    /// The network address of the client, for login throttling.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The session token of the request, if any.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The signed-in account, if the session is valid.
    pub async fn account(&self) -> Result<Option<user_account::Model>, AppError> {
        match &self.token {
            Some(token) => auth::user_for_token(&self.db, token, now()).await,
            None => Ok(None),
        }
    }

    /// The caller, or 401.
    pub async fn caller(&self) -> Result<Caller, AppError> {
        let user = self.account().await?.ok_or(AppError::Unauthenticated)?;
        auth::caller_for(&user)
    }

    /// The caller if signed in and able to act, else `None` (a public page
    /// that shows its staff a little more).
    pub async fn optional_caller(&self) -> Result<Option<Caller>, AppError> {
        Ok(self
            .account()
            .await?
            .and_then(|user| auth::caller_for(&user).ok()))
    }

    /// The caller, who must work in a village's back office, and that
    /// village: a village admin's own, or the one a town admin asked for.
    pub async fn office(&self, asked: Option<VillageId>) -> Result<(Caller, VillageId), AppError> {
        office_scope(self.caller().await?, asked)
    }

    /// The caller, who must work at a village's supermarket counter (its
    /// clerk or village admin), and that village.
    pub async fn counter(&self) -> Result<(Caller, VillageId), AppError> {
        let caller = self.caller().await?;
        match caller.village {
            Some(v) if caller.may_redeem(v) => Ok((caller, v)),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The wire view of an account.
    pub async fn user_view(&self, user: &user_account::Model) -> Result<UserView, AppError> {
        home::user_view(&self.db, user).await
    }

    /// The demo accounts while demo mode is on.
    pub async fn demo_accounts(&self) -> Result<Vec<DemoAccount>, AppError> {
        home::demo_accounts(&self.db).await
    }

    /// Figures for the signed-in user's home page.
    pub async fn home_summary(&self) -> Result<HomeSummary, AppError> {
        let user = self.account().await?.ok_or(AppError::Unauthenticated)?;
        home::home_summary(&self.db, &user, now()).await
    }
}

/// The village a signed-in caller works on in the back office: their own,
/// or the one a town admin chose (an upload names it in the form, which is
/// read after the caller is known).
pub fn office_scope(
    caller: Caller,
    asked: Option<VillageId>,
) -> Result<(Caller, VillageId), AppError> {
    match caller.office_village(asked) {
        Some(v) => Ok((caller, v)),
        None if caller.role == Role::TownAdmin => Err(AppError::invalid("请先选择村（社区）")),
        None => Err(AppError::Forbidden),
    }
}
