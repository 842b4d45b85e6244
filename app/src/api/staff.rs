//! Server functions of staff accounts (`/town/staff`, town admin) and of
//! changing one's own password (`/me/password`, every staff member).

pub use wire::staff::*;

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json};

#[cfg(feature = "ssr")]
use super::ctx;
use crate::domain::roles::Role;
use crate::domain::{UserId, VillageId};
use crate::error::AppError;

/// Every staff account (the town admin; town staff read).
#[server(endpoint = "staff_page", input = GetUrl)]
pub async fn get_staff_page() -> Result<StaffPage, AppError> {
    ctx::serve(async |req| crate::server::staff::page(&req.db, &req.caller().await?).await).await
}

/// A free user name for a new account of this role and village.
#[server(endpoint = "staff_suggest_username", input = GetUrl)]
pub async fn suggest_username(role: Role, village: Option<VillageId>) -> Result<String, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::staff::suggested_username(&req.db, &caller, role, village).await
    })
    .await
}

/// Creates a staff account; answers its one-time password (town admin).
#[server(endpoint = "staff_create", input = Json)]
pub async fn create_staff(form: NewStaff) -> Result<OneTimePassword, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::staff::create(&req.db, &caller, form, ctx::now()).await
    })
    .await
}

/// Changes a staff account (town admin).
#[server(endpoint = "staff_update", input = Json)]
pub async fn update_staff(id: UserId, form: NewStaff) -> Result<StaffView, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::staff::update(&req.db, &caller, id, form, ctx::now()).await
    })
    .await
}

/// Disables (ending its sessions) or re-enables a staff account.
#[server(endpoint = "staff_set_active")]
pub async fn set_staff_active(id: UserId, active: bool) -> Result<StaffView, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::staff::set_active(&req.db, &caller, id, active, ctx::now()).await
    })
    .await
}

/// Gives a staff account a new one-time password (town admin).
#[server(endpoint = "staff_reset_password")]
pub async fn reset_staff_password(id: UserId) -> Result<OneTimePassword, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::staff::reset_password(&req.db, &caller, id, ctx::now()).await
    })
    .await
}

/// Sets the caller's own password (any staff member, also one who must
/// still replace a one-time password). Answers where to go next.
#[server(endpoint = "change_password")]
pub async fn change_password(old: String, new: String, repeat: String) -> Result<String, AppError> {
    ctx::serve(async |req| {
        let user = req.account().await?.ok_or(AppError::Unauthenticated)?;
        let token = req.token().ok_or(AppError::Unauthenticated)?;
        let change = crate::server::staff::PasswordChange { old, new, repeat };
        crate::server::staff::change_own_password(
            &req.db,
            &user,
            token,
            req.address(),
            change,
            ctx::now(),
        )
        .await?;
        let role = Role::parse(&user.role).ok_or(AppError::Internal)?;
        Ok(role.home_path().to_string())
    })
    .await
}
