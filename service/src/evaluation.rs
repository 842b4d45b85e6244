//! Demonstration-village evaluation (示范村评选): every village's standing on
//! the six criteria of 三(三) over the year so far, the disqualifying events
//! that rule a village out, and the year's nominations.

use chrono::{DateTime, Utc};

use super::Db;
use domain::acceptance::ChecklistItem;
use domain::evaluation::{months_met, online_key, permille, Criteria, Indicator};
use domain::metrics::competition_ranks;
use domain::time::china_date;
use wire::evaluation::{Evaluation, EvaluationRow};
use wire::AppError;

/// The evaluation of `year`: eligible villages ranked by the criteria, then
/// those with a disqualifying event, with the reason.
pub async fn evaluation(db: &Db, year: i32, now: DateTime<Utc>) -> Result<Evaluation, AppError> {
    let town = super::dashboard::town_year(db, year, now).await?;
    let flags = super::evaluation_inputs::active_flags(db).await?;
    let acceptance = super::acceptance::acceptance_overview(db, china_date(now)).await?;
    let nominations = super::evaluation_inputs::nominations(db, year).await?;
    let history = super::evaluation_inputs::nomination_history(db, year).await?;

    let online: Vec<(u32, u32)> = town.villages.iter().map(|v| online_key(&v.year)).collect();
    let mut order: Vec<usize> = (0..online.len()).collect();
    order.sort_by(|a, b| online[*b].cmp(&online[*a]));
    let ranks = competition_ranks(&order.iter().map(|i| online[*i]).collect::<Vec<_>>());
    let mut online_rank = vec![0; online.len()];
    for (i, r) in order.into_iter().zip(ranks) {
        online_rank[i] = r;
    }
    let villages = town.villages.len() as u32;

    let mut rows: Vec<EvaluationRow> = town
        .villages
        .iter()
        .zip(online_rank)
        .map(|(v, rank)| {
            let months: Vec<_> = v
                .months
                .iter()
                .filter(|m| m.started)
                .map(|m| m.facts)
                .collect();
            let acc = acceptance.iter().find(|a| a.village_id == v.village);
            let has = |item: ChecklistItem| {
                acc.is_some_and(|a| a.items.iter().any(|i| i.item == item.as_str() && i.met))
            };
            let criteria = Criteria {
                participation_permille: permille(v.year.participating, v.year.resident),
                redemption_permille: permille(v.year.redeeming, v.year.resident),
                supermarket: has(ChecklistItem::Place) && has(ChecklistItem::Signboard),
                activity_months: months_met(Indicator::Activities, &months),
                person_time_months: months_met(Indicator::PersonTimes, &months),
                online_rank: (rank, villages),
                living_months: months_met(Indicator::LivingEnvironment, &months),
            };
            EvaluationRow {
                village: v.village,
                name: v.name.clone(),
                rank: None,
                criteria,
                flags: flags.get(&v.village).cloned().unwrap_or_default(),
                accepted_on: acc.and_then(|a| a.accepted_on.clone()),
                person_times: v.year.person_times,
                activities: v.year.activities,
            }
        })
        .collect();
    // Eligible first, best first; the ruled-out after, in the town's order.
    rows.sort_by(|a, b| {
        a.flags
            .is_empty()
            .cmp(&b.flags.is_empty())
            .reverse()
            .then_with(|| {
                if a.flags.is_empty() && b.flags.is_empty() {
                    b.criteria.key().cmp(&a.criteria.key())
                } else {
                    std::cmp::Ordering::Equal
                }
            })
    });
    let keys: Vec<_> = rows
        .iter()
        .filter(|r| r.flags.is_empty())
        .map(|r| r.criteria.key())
        .collect();
    for (row, rank) in rows.iter_mut().zip(competition_ranks(&keys)) {
        row.rank = Some(rank);
    }
    Ok(Evaluation {
        year,
        months: town.months.len() as u32,
        rows,
        nominations,
        history,
    })
}
