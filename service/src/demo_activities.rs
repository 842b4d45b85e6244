//! Points activities (积分活动) of the demo town: each village's past
//! activities (held, checked in, points awarded) and upcoming ones open for
//! sign-up. The activity rows are made before the village's households;
//! [`Plan::take_part`] then decides, household by household and month by
//! month, who came, so the award entries join the loader's own balance and
//! monthly arithmetic before past months are published.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, Set};

use super::demo_data::DemoRng;
use super::entities::{activity, activity_signup, ledger_entry, member, rule_item};
use domain::activity::ActivityStatus;
use domain::ledger::EntryStatus;
use domain::time::{china_date, china_offset, month_key};

/// Category, rule item title (a positive item of the demo catalogue) and
/// the titles an activity of that kind gets.
const KINDS: [(&str, &str, [&str; 3]); 3] = [
    (
        "会议",
        "按时参加村民大会",
        ["村民代表大会", "院坝会：人居环境整治", "村规民约宣讲会"],
    ),
    (
        "环境整治",
        "参加全民清洁日",
        ["全民清洁日", "河沟垃圾清理", "村道两旁除草"],
    ),
    (
        "志愿服务",
        "参加志愿服务",
        ["关爱留守老人志愿服务", "森林防火宣传", "敬老院志愿服务"],
    ),
];

/// One activity of the plan.
pub struct Planned {
    id: i32,
    title: String,
    /// `yyyymm` of its China date; 0 for upcoming ones.
    month: i32,
    day: NaiveDate,
    ends_at: DateTime<Utc>,
    /// Index of its rule item in the village's catalogue.
    item: usize,
    /// Expected participants.
    target: u64,
    /// Held and awarded (past) or open for sign-up (upcoming).
    past: bool,
}

/// A village's activities and the generator deciding who came.
pub struct Plan {
    rng: DemoRng,
    households: u64,
    pub activities: Vec<Planned>,
    pub signups: Vec<activity_signup::ActiveModel>,
}

/// 09:00 China time on `day`.
fn at_nine(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(9, 0, 0)
        .expect("time")
        .and_local_timezone(china_offset())
        .single()
        .expect("fixed offset")
        .with_timezone(&Utc)
}

impl Plan {
    /// Makes the village's activities from `first_month` to the days after
    /// `now`: 2 to 4 a month, busier in some villages than others (which
    /// then meet the plan's 2 activities and 20 person-times a month).
    #[allow(clippy::too_many_arguments)]
    pub async fn make<C: ConnectionTrait>(
        c: &C,
        village: i32,
        village_index: usize,
        admin: i32,
        items: &[rule_item::Model],
        households: i32,
        first_month: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Plan, DbErr> {
        let seed = (village_index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut rng = DemoRng::new(seed ^ 0xAC71);
        let today = china_date(now);
        let kinds: Vec<(&str, usize, &[&str; 3])> = KINDS
            .iter()
            .filter_map(|(cat, item, titles)| {
                items
                    .iter()
                    .position(|i| i.title == *item && i.points > 0)
                    .map(|i| (*cat, i, titles))
            })
            .collect();
        let mut plan = Plan {
            rng: DemoRng::new(seed ^ 0x5161),
            households: households.max(1) as u64,
            activities: Vec::new(),
            signups: Vec::new(),
        };
        if kinds.is_empty() {
            return Ok(plan);
        }
        // Busy villages draw more people to each activity.
        let busy = village_index % 3 != 1;
        let mut month_start = first_month;
        let mut made = 0usize;
        while month_start <= today {
            let next = month_start
                .checked_add_months(chrono::Months::new(1))
                .expect("month");
            let days_in = (next - month_start).num_days() as u64;
            let n = rng.range_i32(2, 4) as u64;
            for k in 0..n {
                // Spread over the month; the current month only until yesterday.
                let day = month_start + Duration::days(((k * days_in) / n + rng.below(5)) as i64);
                if day >= today || day >= next {
                    continue;
                }
                let (cat, item, titles) = kinds[rng.below(kinds.len() as u64) as usize];
                let target = if busy {
                    rng.range_i32(8, 16)
                } else {
                    rng.range_i32(3, 8)
                } as u64;
                made += 1;
                // Now and then one is rained off.
                let cancelled = made % 11 == 5;
                plan.insert(
                    c,
                    village,
                    admin,
                    items,
                    (cat, item, titles[rng.below(3) as usize]),
                    day,
                    target,
                    if cancelled {
                        ActivityStatus::Cancelled
                    } else {
                        ActivityStatus::Finished
                    },
                )
                .await?;
            }
            month_start = next;
        }
        // Two coming up, open for sign-up.
        for ahead in [3, 9] {
            let (cat, item, titles) = kinds[rng.below(kinds.len() as u64) as usize];
            let day = today + Duration::days(ahead + rng.below(3) as i64);
            let target = rng.range_i32(4, 10) as u64;
            plan.insert(
                c,
                village,
                admin,
                items,
                (cat, item, titles[rng.below(3) as usize]),
                day,
                target,
                ActivityStatus::Published,
            )
            .await?;
        }
        Ok(plan)
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert<C: ConnectionTrait>(
        &mut self,
        c: &C,
        village: i32,
        admin: i32,
        items: &[rule_item::Model],
        (category, item, title): (&str, usize, &str),
        day: NaiveDate,
        target: u64,
        status: ActivityStatus,
    ) -> Result<(), DbErr> {
        let starts_at = at_nine(day);
        let ends_at = starts_at + Duration::hours(2);
        let title = format!("{}月{}", day.month(), title);
        let held = status == ActivityStatus::Finished;
        let a = activity::ActiveModel {
            village_id: Set(village),
            title: Set(title.clone()),
            description: Set(format!(
                "{}月{}日上午9点开始，请准时到场签到，参加者按积分细则“{}”计分。",
                day.month(),
                day.day(),
                items[item].title
            )),
            category: Set(category.into()),
            place: Set(if category == "会议" {
                "村委会会议室"
            } else {
                "村委会广场集合"
            }
            .into()),
            starts_at: Set(starts_at),
            ends_at: Set(ends_at),
            signup_deadline: Set(starts_at - Duration::hours(15)),
            capacity: Set(None),
            rule_item_id: Set(items[item].id),
            photo_path: Set(None),
            status: Set(status.as_str().into()),
            cancel_reason: Set(
                (status == ActivityStatus::Cancelled).then(|| "天气原因，改期另行通知".to_string())
            ),
            awarded_at: Set(held.then(|| ends_at + Duration::hours(1))),
            created_by: Set(admin),
            created_at: Set(starts_at - Duration::days(7)),
            ..Default::default()
        }
        .insert(c)
        .await?;
        if status != ActivityStatus::Cancelled {
            self.activities.push(Planned {
                id: a.id,
                title,
                month: if held { month_key(day) } else { 0 },
                day,
                ends_at,
                item,
                target,
                past: held,
            });
        }
        Ok(())
    }

    /// The month's activities a household came to (one or two of its
    /// members each), as sign-up rows and award entries; `used` is the
    /// household's use of each rule item this month (points, times), kept
    /// within monthly caps. Returns the points awarded. `month == 0` signs
    /// up for upcoming activities instead. `villager` is the household's own
    /// account, which signed itself up; the clerk signed up the others.
    #[allow(clippy::too_many_arguments)]
    pub fn take_part(
        &mut self,
        month: i32,
        household: i32,
        members: &[member::Model],
        admin: i32,
        villager: Option<i32>,
        items: &[rule_item::Model],
        used: &mut std::collections::HashMap<usize, (i32, u32)>,
        entries: &mut Vec<ledger_entry::ActiveModel>,
    ) -> i64 {
        let mut points = 0i64;
        for a in self.activities.iter().filter(|a| a.month == month) {
            if self.rng.below(self.households) >= a.target || members.is_empty() {
                continue;
            }
            let item = &items[a.item];
            let people = if members.len() > 1 && self.rng.chance(30) {
                2
            } else {
                1
            };
            let first = self.rng.below(members.len() as u64) as usize;
            for k in 0..people {
                let m = &members[(first + k) % members.len()];
                let starts_at = a.ends_at - Duration::hours(2);
                let mut checked_in = None;
                if a.past {
                    let u = used.entry(a.item).or_insert((0, 0));
                    if item.monthly_cap.is_some_and(|cap| u.0 + item.points > cap) {
                        break;
                    }
                    u.0 += item.points;
                    u.1 += 1;
                    checked_in = Some(starts_at - Duration::minutes(10));
                    points += i64::from(item.points);
                    entries.push(ledger_entry::ActiveModel {
                        village_id: Set(item.village_id),
                        household_id: Set(household),
                        member_id: Set(Some(m.id)),
                        rule_item_id: Set(item.id),
                        points: Set(item.points),
                        reason: Set(format!("参加活动：{}", a.title)),
                        occurred_on: Set(a.day),
                        recorded_by: Set(admin),
                        recorded_at: Set(a.ends_at + Duration::hours(1)),
                        status: Set(EntryStatus::Approved.as_str().into()),
                        reverses: Set(None),
                        activity_id: Set(Some(a.id)),
                        ..Default::default()
                    });
                }
                // Households without an account are signed up by the clerk.
                self.signups.push(activity_signup::ActiveModel {
                    activity_id: Set(a.id),
                    household_id: Set(household),
                    member_id: Set(m.id),
                    signed_up_by: Set(villager.unwrap_or(admin)),
                    assisted: Set(villager.is_none()),
                    created_at: Set(starts_at - Duration::days(2)),
                    withdrawn_at: Set(None),
                    checked_in_at: Set(checked_in),
                    checked_in_by: Set(checked_in.map(|_| admin)),
                    ..Default::default()
                });
            }
        }
        points
    }

    /// Writes the sign-up rows gathered so far.
    pub async fn flush<C: ConnectionTrait>(&mut self, c: &C) -> Result<(), DbErr> {
        for chunk in self.signups.chunks(500) {
            activity_signup::Entity::insert_many(chunk.to_vec())
                .exec(c)
                .await?;
        }
        self.signups.clear();
        Ok(())
    }
}
