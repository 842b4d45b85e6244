//! Who is signed in, as the pages show it: the account's wire view, the
//! demo accounts of the login page, and the figures of a signed-in home page.

use chrono::{DateTime, Utc};
use sea_orm::EntityTrait;

use super::entities::{household, user_account, village};
use super::{seed, Db};
use domain::roles::Role;
use domain::VillageId;
use wire::types::{DemoAccount, HomeSummary, UserView};
use wire::AppError;

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
        village_id: user.village_id.map(VillageId),
        village_name,
        household_card,
        // Until the one-time password is replaced, that is the only
        // page the account can use.
        home: if user.must_change_password {
            "/me/password".into()
        } else {
            role.home_path().into()
        },
        must_change_password: user.must_change_password,
    })
}

/// The demo accounts while demo mode is on.
pub async fn demo_accounts(db: &Db) -> Result<Vec<DemoAccount>, AppError> {
    if !seed::demo_mode(db).await? {
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
pub async fn home_summary(
    db: &Db,
    user: &user_account::Model,
    now: DateTime<Utc>,
) -> Result<HomeSummary, AppError> {
    let view = user_view(db, user).await?;
    let mut figures = Vec::new();
    match view.role {
        Role::TownAdmin => {
            let town = crate::portal::town_overview(db, now).await?;
            figures.push(("参与村（社区）".into(), town.villages.len().to_string()));
            figures.push(("参与农户".into(), town.total_households.to_string()));
            figures.push((
                format!("{}发放积分", town.month_label),
                town.total_points_this_month.to_string(),
            ));
        }
        Role::TownStaff => {
            let town = crate::portal::town_overview(db, now).await?;
            figures.push(("参与村（社区）".into(), town.villages.len().to_string()));
            figures.push(("参与农户".into(), town.total_households.to_string()));
        }
        Role::VillageAdmin | Role::Clerk | Role::Scorer => {
            let v = user.village_id.ok_or(AppError::Internal)?;
            let info = crate::portal::village_info(db, VillageId(v)).await?;
            figures.push(("农户数".into(), info.households.to_string()));
            if view.role != Role::Clerk {
                let pending = crate::review::pending_count(&db.conn, VillageId(v)).await?;
                figures.push(("待审核".into(), pending.to_string()));
            } else {
                figures.push(("村民小组".into(), info.groups.len().to_string()));
            }
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
