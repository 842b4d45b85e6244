//! The town dashboard's figures (各村考核指标): every village taking part,
//! month by month through a year, counted from the ledger, the counter, the
//! activities and the postings. Nothing here is typed in except the town's
//! living-environment scores.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    RelationDef,
};

use super::entities::{
    activity, activity_signup, goods, household, household_month, published_month, stock_movement,
    village,
};
use super::Db;
use domain::activity::{month_figures, ActivityStatus, HeldActivity};
use domain::evaluation::{resident_in, MonthFacts, Posting};
use domain::stock::stock_at_month_ends;
use domain::time::{china_date, china_midnight, first_day, month_key, next_month};
use domain::VillageId;
use wire::dashboard::{TownYear, VillageMonthRow, VillageYear};
use wire::AppError;

/// A village's month: village, month, points awarded, deducted and
/// redeemed, resident households that took part and that redeemed.
type MonthFlow = (
    i32,
    i32,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// household_month → household, for the residence conditions.
fn to_household() -> RelationDef {
    household_month::Entity::belongs_to(household::Entity)
        .from(household_month::Column::HouseholdId)
        .to(household::Column::Id)
        .into()
}

/// The household lived in the village in the row's month (see
/// [`resident_in`]), written as a condition on the joined household.
fn resident_in_row_month() -> Condition {
    Condition::all()
        .add(household::Column::Resident.eq(true))
        .add(
            Condition::any()
                .add(household::Column::MovedAway.eq(false))
                .add(
                    Expr::col((household_month::Entity, household_month::Column::Month)).lt(
                        Expr::col((household::Entity, household::Column::MovedAwayMonth)),
                    ),
                ),
        )
}

/// What the dashboard needs of a household.
struct Residence {
    village: i32,
    resident: bool,
    moved_away: bool,
    moved_away_month: Option<i32>,
    aware: bool,
}

impl Residence {
    fn resident_in(&self, month: i32) -> bool {
        resident_in(self.resident, self.moved_away, self.moved_away_month, month)
    }
}

/// The months of `year` shown on `today`: January to this month, or all
/// twelve for a past year.
pub fn months_of(year: i32, today: NaiveDate) -> Vec<i32> {
    let now = month_key(today);
    (1..=12)
        .map(|m| year * 100 + m)
        .filter(|m| *m <= now)
        .collect()
}

/// Every village's figures for `year` up to `today` (China date).
pub async fn town_year(db: &Db, year: i32, now: DateTime<Utc>) -> Result<TownYear, AppError> {
    let year = super::publication::served_year(year, now)?;
    let today = china_date(now);
    let months = months_of(year, today);
    let villages = village::Entity::find()
        .filter(village::Column::TakingPart.eq(true))
        .order_by_asc(village::Column::SortOrder)
        .all(&db.conn)
        .await?;
    let (Some(&first), Some(&last)) = (months.first(), months.last()) else {
        return Ok(TownYear {
            year,
            months,
            current_month: month_key(today),
            villages: Vec::new(),
        });
    };

    // Households: few enough to judge residence month by month in Rust.
    let households = async {
        let rows: Vec<(i32, i32, bool, bool, Option<i32>, bool)> = household::Entity::find()
            .select_only()
            .columns([
                household::Column::Id,
                household::Column::VillageId,
                household::Column::Resident,
                household::Column::MovedAway,
                household::Column::MovedAwayMonth,
                household::Column::Aware,
            ])
            .into_tuple()
            .all(&db.conn)
            .await?;
        Ok::<_, AppError>(rows)
    };
    // Per village and month: points, and resident households that took
    // part or redeemed, summed in the database.
    let flows = async {
        let counted = |c: Condition| Expr::case(c, 1).finally(0).sum();
        let rows: Vec<MonthFlow> = household_month::Entity::find()
            .select_only()
            .column(household_month::Column::VillageId)
            .column(household_month::Column::Month)
            .column_as(household_month::Column::Awarded.sum(), "awarded")
            .column_as(household_month::Column::Deducted.sum(), "deducted")
            .column_as(household_month::Column::Redeemed.sum(), "redeemed")
            .column_as(
                counted(resident_in_row_month().add(household_month::Column::Entries.gt(0))),
                "took_part",
            )
            .column_as(
                counted(resident_in_row_month().add(household_month::Column::Redeemed.gt(0))),
                "redeeming",
            )
            .join(JoinType::InnerJoin, to_household())
            .filter(household_month::Column::Month.between(first, last))
            .group_by(household_month::Column::VillageId)
            .group_by(household_month::Column::Month)
            .into_tuple()
            .all(&db.conn)
            .await?;
        Ok::<_, AppError>(rows)
    };
    // The year so far: each household once, if it still lives there at the
    // end. Summed per household in the database (a month's live entries and
    // net redeemed points are never below zero, so a positive sum means some
    // month had one); few enough rows to judge residence in Rust.
    let per_household = async {
        let rows: Vec<(i32, i32, Option<i64>, Option<i64>)> = household_month::Entity::find()
            .select_only()
            .column(household_month::Column::VillageId)
            .column(household_month::Column::HouseholdId)
            .column_as(household_month::Column::Entries.sum(), "entries")
            .column_as(household_month::Column::Redeemed.sum(), "redeemed")
            .filter(household_month::Column::Month.between(first, last))
            .group_by(household_month::Column::VillageId)
            .group_by(household_month::Column::HouseholdId)
            .into_tuple()
            .all(&db.conn)
            .await?;
        Ok::<_, AppError>(rows)
    };
    // Independent reads: SQLite serves them side by side from the pool.
    let (rows, flows, per_household, held, postings, kinds, scores, firsts) = tokio::try_join!(
        households,
        flows,
        per_household,
        held_activities(db, first, last),
        postings(db, first, last),
        goods_kinds_by_month(db, &months),
        super::evaluation_inputs::living_scores(db, first, last),
        super::acceptance::first_months(db),
    )?;

    let residents: HashMap<i32, Residence> = rows
        .into_iter()
        .map(
            |(id, village, resident, moved_away, moved_away_month, aware)| {
                (
                    id,
                    Residence {
                        village,
                        resident,
                        moved_away,
                        moved_away_month,
                        aware,
                    },
                )
            },
        )
        .collect();
    let flows: HashMap<(i32, i32), [i64; 5]> = flows
        .into_iter()
        .map(|(v, m, a, d, r, p, x)| {
            let n = |o: Option<i64>| o.unwrap_or(0);
            ((v, m), [n(a), n(d), n(r), n(p), n(x)])
        })
        .collect();
    let mut year_counts: HashMap<i32, (i64, i64)> = HashMap::new();
    for (village, id, entries, redeemed) in per_household {
        if !residents.get(&id).is_some_and(|h| h.resident_in(last)) {
            continue;
        }
        let c = year_counts.entry(village).or_default();
        c.0 += i64::from(entries.unwrap_or(0) > 0);
        c.1 += i64::from(redeemed.unwrap_or(0) > 0);
    }

    let this_month = month_key(today);
    let to_u32 = |n: i64| u32::try_from(Ord::max(n, 0)).unwrap_or(u32::MAX);
    let villages = villages
        .into_iter()
        .map(|v| {
            let own: Vec<&Residence> = residents.values().filter(|h| h.village == v.id).collect();
            let activities = held.get(&v.id).map(Vec::as_slice).unwrap_or(&[]);
            let rows: Vec<VillageMonthRow> = months
                .iter()
                .map(|&m| {
                    let living: Vec<_> = own.iter().filter(|h| h.resident_in(m)).collect();
                    let [awarded, deducted, redeemed, took_part, redeeming] =
                        flows.get(&(v.id, m)).copied().unwrap_or_default();
                    let (n, people) = month_figures(activities, m);
                    VillageMonthRow {
                        month: m,
                        started: firsts.get(&v.id).is_some_and(|f| m >= *f),
                        facts: MonthFacts {
                            resident: living.len() as u32,
                            participating: to_u32(took_part),
                            redeeming: to_u32(redeeming),
                            aware: living.iter().filter(|h| h.aware).count() as u32,
                            activities: n as u32,
                            person_times: to_u32(people),
                            goods_kinds: Some(kinds.get(&(v.id, m)).copied().unwrap_or(0)),
                            living_score_tenths: scores.get(&(VillageId(v.id), m)).copied(),
                        },
                        awarded,
                        deducted,
                        redeemed,
                        posting: Posting::of(m, postings.get(&(v.id, m)).copied(), today),
                    }
                })
                .collect();
            let living_at_end: Vec<_> = own.iter().filter(|h| h.resident_in(last)).collect();
            let (took_part, redeeming) = year_counts.get(&v.id).copied().unwrap_or_default();
            let entered: Vec<u32> = rows
                .iter()
                .filter_map(|r| r.facts.living_score_tenths)
                .collect();
            let year = MonthFacts {
                resident: living_at_end.len() as u32,
                participating: to_u32(took_part),
                redeeming: to_u32(redeeming),
                aware: living_at_end.iter().filter(|h| h.aware).count() as u32,
                activities: rows.iter().map(|r| r.facts.activities).sum(),
                person_times: rows.iter().map(|r| r.facts.person_times).sum(),
                goods_kinds: Some(kinds.get(&(v.id, last)).copied().unwrap_or(0)),
                living_score_tenths: (!entered.is_empty())
                    .then(|| entered.iter().sum::<u32>() / entered.len() as u32),
            };
            VillageYear {
                village: VillageId(v.id),
                name: v.name,
                awarded: rows.iter().map(|r| r.awarded).sum(),
                deducted: rows.iter().map(|r| r.deducted).sum(),
                redeemed: rows.iter().map(|r| r.redeemed).sum(),
                months: rows,
                year,
            }
        })
        .collect();
    Ok(TownYear {
        year,
        months,
        current_month: this_month,
        villages,
    })
}

/// 在售商品种类 at the end of each month (for the current month: now), by
/// village and month: active goods whose stock then was above zero. The
/// shelves keep no history, so each goods' stock is worked back from today's
/// through its movements, summed per month in the database. Whether a goods
/// is active has no history either: today's flag stands for every month.
async fn goods_kinds_by_month(
    db: &Db,
    months: &[i32],
) -> Result<HashMap<(i32, i32), u32>, AppError> {
    let end_of = |m: i32| china_midnight(first_day(next_month(m)).unwrap_or_default());
    let shelves: Vec<(i32, i32, i32)> = goods::Entity::find()
        .select_only()
        .columns([
            goods::Column::Id,
            goods::Column::VillageId,
            goods::Column::Stock,
        ])
        .filter(goods::Column::Active.eq(true))
        .into_tuple()
        .all(&db.conn)
        .await?;
    // Window k runs from the end of month k to the end of month k + 1, the
    // last from the end of the last month on. One range read per window on
    // the (recorded_at, goods_id, quantity) index: each is a few thousand
    // rows even in a large town.
    let far_future = NaiveDate::from_ymd_opt(9999, 12, 31)
        .unwrap_or_default()
        .and_time(NaiveTime::MIN)
        .and_utc();
    let mut by_goods: HashMap<i32, Vec<i64>> = HashMap::new();
    for (k, &m) in months.iter().enumerate() {
        // The last window is bounded too: with a lower bound only, SQLite
        // guesses a quarter of the table and walks the goods_id index
        // instead, row by row (50 ms rather than 1 on the large town).
        let until = match months.get(k + 1) {
            Some(&next) => end_of(next),
            None => far_future,
        };
        let moved: Vec<(i32, Option<i64>)> = stock_movement::Entity::find()
            .select_only()
            .column(stock_movement::Column::GoodsId)
            .column_as(stock_movement::Column::Quantity.sum(), "moved")
            .filter(stock_movement::Column::RecordedAt.gte(end_of(m)))
            .filter(stock_movement::Column::RecordedAt.lt(until))
            .group_by(stock_movement::Column::GoodsId)
            .into_tuple()
            .all(&db.conn)
            .await?;
        for (g, n) in moved {
            by_goods.entry(g).or_insert_with(|| vec![0; months.len()])[k] += n.unwrap_or(0);
        }
    }
    let mut kinds: HashMap<(i32, i32), u32> = HashMap::new();
    for (id, village, stock) in shelves {
        let ends = match by_goods.get(&id) {
            Some(windows) => stock_at_month_ends(i64::from(stock), windows),
            None => vec![i64::from(stock); months.len()],
        };
        for (&m, end) in months.iter().zip(ends) {
            if end > 0 {
                *kinds.entry((village, m)).or_default() += 1;
            }
        }
    }
    Ok(kinds)
}

/// Activities that started in the months, with their check-ins, by village.
async fn held_activities(
    db: &Db,
    first: i32,
    last: i32,
) -> Result<HashMap<i32, Vec<HeldActivity>>, AppError> {
    let day = |m: i32| first_day(m).unwrap_or_default();
    let (from, until) = (
        china_midnight(day(first)),
        china_midnight(day(next_month(last))),
    );
    let list: Vec<(i32, i32, String, DateTime<Utc>)> = activity::Entity::find()
        .select_only()
        .columns([
            activity::Column::Id,
            activity::Column::VillageId,
            activity::Column::Status,
            activity::Column::StartsAt,
        ])
        .filter(activity::Column::StartsAt.gte(from))
        .filter(activity::Column::StartsAt.lt(until))
        .into_tuple()
        .all(&db.conn)
        .await?;
    let in_range = Query::select()
        .column(activity::Column::Id)
        .from(activity::Entity)
        .and_where(activity::Column::StartsAt.gte(from))
        .and_where(activity::Column::StartsAt.lt(until))
        .to_owned();
    let checked_in: HashMap<i32, i64> = activity_signup::Entity::find()
        .select_only()
        .column(activity_signup::Column::ActivityId)
        .column_as(activity_signup::Column::Id.count(), "n")
        .filter(activity_signup::Column::ActivityId.in_subquery(in_range))
        .filter(activity_signup::Column::WithdrawnAt.is_null())
        .filter(activity_signup::Column::CheckedInAt.is_not_null())
        .group_by(activity_signup::Column::ActivityId)
        .into_tuple::<(i32, i64)>()
        .all(&db.conn)
        .await?
        .into_iter()
        .collect();
    let mut out: HashMap<i32, Vec<HeldActivity>> = HashMap::new();
    for (id, village, status, starts_at) in list {
        out.entry(village).or_default().push(HeldActivity {
            status: ActivityStatus::parse(&status).unwrap_or(ActivityStatus::Draft),
            starts_at,
            checked_in: checked_in.get(&id).copied().unwrap_or(0),
        });
    }
    Ok(out)
}

/// The China date each month's ledger was posted, by village and month.
async fn postings(
    db: &Db,
    first: i32,
    last: i32,
) -> Result<HashMap<(i32, i32), NaiveDate>, AppError> {
    let rows: Vec<(i32, i32, DateTime<Utc>)> = published_month::Entity::find()
        .select_only()
        .columns([
            published_month::Column::VillageId,
            published_month::Column::Month,
            published_month::Column::PublishedAt,
        ])
        .filter(published_month::Column::Month.between(first, last))
        .into_tuple()
        .all(&db.conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(v, m, at)| ((v, m), china_date(at)))
        .collect())
}
