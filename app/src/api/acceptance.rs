//! Server functions of acceptance (验收) and the evaluation inputs: the
//! checklist of every village, one village's evidence and acceptance, the
//! living-environment score grid, the disqualifying events, and the
//! nominations. Writes are the town admin's; a village admin reads their own
//! village's acceptance page.

pub use wire::acceptance::*;

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json, MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use super::ctx;
#[cfg(feature = "ssr")]
use super::upload::{self, UploadForm};
use crate::domain::evaluation::Level;
use crate::domain::VillageId;
use crate::error::AppError;

#[cfg(feature = "ssr")]
fn parse_date(s: &str) -> Result<chrono::NaiveDate, AppError> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("请选择日期"))
}

#[cfg(feature = "ssr")]
fn today() -> chrono::NaiveDate {
    crate::domain::time::china_date(ctx::now())
}

/// Every village's checklist and acceptance (town admin).
#[server(endpoint = "acceptance_list", input = GetUrl)]
pub async fn acceptance_list() -> Result<Vec<VillageAcceptance>, AppError> {
    ctx::serve(async |req| {
        if !req.caller().await?.may_read_town() {
            return Err(AppError::Forbidden);
        }
        crate::server::acceptance::acceptance_overview(&req.db, today()).await
    })
    .await
}

/// One village's acceptance page (the town admin; the village's own admin
/// read-only). `None`: the caller's own village.
#[server(endpoint = "acceptance_village", input = GetUrl)]
pub async fn acceptance_village(village: Option<VillageId>) -> Result<AcceptanceDetail, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let village = village.or(caller.village).ok_or(AppError::Forbidden)?;
        crate::server::acceptance::village_detail(&req.db, &caller, village, today()).await
    })
    .await
}

/// Uploads an evidence file (form fields `village`, `item`, `note`, `file`):
/// a JPG/PNG photo, a PDF or an xlsx of at most 10 MB.
#[server(endpoint = "acceptance_upload", input = MultipartFormData)]
pub async fn upload_acceptance_evidence(data: MultipartData) -> Result<EvidenceView, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        if !caller.may_run_town() {
            return Err(AppError::Forbidden);
        }
        let mut form = UploadForm::read(data, upload::document()).await?;
        let file = form.take_file().unwrap_or_default();
        let village = form
            .id("village", VillageId)
            .ok_or_else(|| AppError::invalid("缺少村（社区）"))?;
        let item = crate::domain::acceptance::ChecklistItem::parse(form.text("item"))
            .ok_or_else(|| AppError::invalid("请选择验收项目"))?;
        crate::server::acceptance::add_evidence(
            &req.db,
            &caller,
            village,
            item,
            &file.name,
            file.bytes,
            form.text("note"),
            ctx::now(),
        )
        .await
    })
    .await
}

/// Marks a village accepted on a date (`2026-08-03`) with a note.
#[server(endpoint = "acceptance_mark", input = Json)]
pub async fn mark_village_accepted(
    village: VillageId,
    on: String,
    note: String,
) -> Result<(), AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let on = parse_date(&on)?;
        crate::server::acceptance::mark_accepted(&req.db, &caller, village, on, &note, ctx::now())
            .await
    })
    .await
}

/// Withdraws a village's acceptance with a reason.
#[server(endpoint = "acceptance_withdraw", input = Json)]
pub async fn withdraw_village_acceptance(
    village: VillageId,
    reason: String,
) -> Result<(), AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::acceptance::withdraw_acceptance(
            &req.db,
            &caller,
            village,
            &reason,
            ctx::now(),
        )
        .await
    })
    .await
}

/// The living-environment score grid of a year (default: this year).
#[server(endpoint = "living_score_grid", input = GetUrl)]
pub async fn living_score_grid(year: Option<i32>) -> Result<ScoreGrid, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        // An absurd year overflowed the month keys (year * 100).
        let year = super::dashboard::year_or_now(year);
        crate::server::evaluation_inputs::score_grid(&req.db, &caller, year, ctx::now()).await
    })
    .await
}

/// Enters a village's score for a month, as typed ("91.5"); returns it in
/// tenths.
#[server(endpoint = "living_score_set", input = Json)]
pub async fn set_living_score(
    village: VillageId,
    month: i32,
    score: String,
) -> Result<u32, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let tenths = crate::domain::acceptance::parse_score(&score)
            .ok_or_else(|| AppError::invalid("评分应为 0 到 100 之间的数，最多一位小数"))?;
        crate::server::evaluation_inputs::set_living_score(
            &req.db,
            &caller,
            village,
            month,
            tenths,
            ctx::now(),
        )
        .await?;
        Ok(tenths)
    })
    .await
}

/// The disqualifying events, current and lifted (town admin).
#[server(endpoint = "flag_list", input = GetUrl)]
pub async fn flag_list() -> Result<FlagsPage, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let flags = crate::server::evaluation_inputs::all_flags(&req.db, &caller).await?;
        Ok(FlagsPage {
            flags,
            kinds: crate::domain::evaluation::Disqualification::ALL
                .iter()
                .map(|d| (d.as_str().to_string(), d.label().to_string()))
                .collect(),
            villages: crate::server::acceptance::taking_part(&req.db).await?,
            today: today().format("%Y-%m-%d").to_string(),
        })
    })
    .await
}

/// Records a disqualifying event of a village.
#[server(endpoint = "flag_record", input = Json)]
pub async fn record_flag(
    village: VillageId,
    kind: String,
    on: String,
    note: String,
) -> Result<FlagView, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        let kind = crate::domain::evaluation::Disqualification::parse(&kind)
            .ok_or_else(|| AppError::invalid("请选择情形"))?;
        let on = parse_date(&on)?;
        crate::server::evaluation_inputs::record_flag(
            &req.db,
            &caller,
            village,
            kind,
            on,
            &note,
            ctx::now(),
        )
        .await
    })
    .await
}

/// Lifts a disqualifying event with a reason.
#[server(endpoint = "flag_lift", input = Json)]
pub async fn lift_flag(id: i32, reason: String) -> Result<(), AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::evaluation_inputs::lift_flag(&req.db, &caller, id, &reason, ctx::now()).await
    })
    .await
}

/// The year's nominations, current and past (town admin).
#[server(endpoint = "nomination_list", input = GetUrl)]
pub async fn nomination_list(year: i32) -> Result<NominationsView, AppError> {
    ctx::serve(async |req| {
        if !req.caller().await?.may_read_town() {
            return Err(AppError::Forbidden);
        }
        let year = crate::server::publication::served_year(year, ctx::now())?;
        Ok(NominationsView {
            current: crate::server::evaluation_inputs::nominations(&req.db, year).await?,
            history: crate::server::evaluation_inputs::nomination_history(&req.db, year).await?,
        })
    })
    .await
}

/// Nominates a village at a level (区级 or 镇级); refused with the
/// reason for a village with a disqualifying event, or the other level's
/// village.
#[server(endpoint = "nomination_make", input = Json)]
pub async fn nominate_village(
    year: i32,
    level: Level,
    village: VillageId,
    note: String,
) -> Result<NominationView, AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::evaluation_inputs::nominate(
            &req.db,
            &caller,
            year,
            level,
            village,
            &note,
            ctx::now(),
        )
        .await
    })
    .await
}

/// Withdraws the year's nomination at a level, with a reason.
#[server(endpoint = "nomination_withdraw", input = Json)]
pub async fn withdraw_village_nomination(
    year: i32,
    level: Level,
    reason: String,
) -> Result<(), AppError> {
    ctx::serve(async |req| {
        let caller = req.caller().await?;
        crate::server::evaluation_inputs::withdraw_nomination(
            &req.db,
            &caller,
            year,
            level,
            &reason,
            ctx::now(),
        )
        .await
    })
    .await
}
