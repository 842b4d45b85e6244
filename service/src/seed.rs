//! Loading the demo town into an empty database, and `init` of a real,
//! empty one. The same generator, at a larger scale, feeds the benchmarks.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, Set};

use super::auth::hash_password;
use super::demo_data::{self as dd, DemoRng};
use super::entities::*;
use super::Db;
use domain::ledger::EntryStatus;
use domain::review::ProposalSource;
use domain::roles::Role;
use domain::rules::RuleUnit;
use domain::time::{china_date, china_offset, month_key, next_month, previous_month};

/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "gaoliang2026";

/// How big a generated town is.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// Households per taking-part village, inclusive range.
    pub households: (i32, i32),
    /// Groups per village, inclusive range.
    pub groups: (i32, i32),
    /// Months of history, ending with the current one.
    pub months: u32,
    /// Entries per household per month, inclusive range.
    pub entries_per_month: (i32, i32),
    /// Chance (percent) that a household redeems in a given month.
    pub redeem_percent: u32,
    /// Whether past months are published (all but the last finished one,
    /// which is left for the clerk to publish).
    pub publish_past: bool,
}

impl Scale {
    /// The demo town of the README.
    pub const DEMO: Scale = Scale {
        households: (40, 120),
        groups: (3, 8),
        months: 6,
        entries_per_month: (0, 4),
        redeem_percent: 35,
        publish_past: true,
    };

    /// The benchmark town: 15 villages of 667 households (10,005 in all) with
    /// 24 months of history, about a million ledger entries.
    pub const BENCH: Scale = Scale {
        households: (667, 667),
        groups: (8, 8),
        months: 24,
        entries_per_month: (3, 5),
        redeem_percent: 50,
        publish_past: false,
    };
}

/// A demo account as listed on the login page.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub username: String,
    pub role: Role,
    pub village: String,
}

/// Whether the database holds no town yet.
pub async fn is_empty(db: &Db) -> Result<bool, DbErr> {
    Ok(town::Entity::find().count(&db.conn).await? == 0)
}

/// Reads a setting.
pub async fn setting(db: &Db, key: &str) -> Result<Option<String>, DbErr> {
    Ok(setting::Entity::find_by_id(key.to_string())
        .one(&db.conn)
        .await?
        .map(|s| s.value))
}

/// Whether the login page shows the demo accounts.
pub async fn demo_mode(db: &Db) -> Result<bool, DbErr> {
    Ok(setting(db, "demo_mode").await?.as_deref() == Some("true"))
}

async fn put_setting<C: ConnectionTrait>(c: &C, key: &str, value: &str) -> Result<(), DbErr> {
    setting::ActiveModel {
        key: Set(key.into()),
        value: Set(value.into()),
    }
    .insert(c)
    .await?;
    Ok(())
}

/// The demo accounts, in the order the README lists them.
pub fn demo_logins() -> Vec<DemoLogin> {
    let v = |i: usize| {
        dd::UNITS
            .iter()
            .filter(|u| u.taking_part)
            .nth(i)
            .expect("15 units")
            .name
            .to_string()
    };
    vec![
        DemoLogin {
            username: "admin".into(),
            role: Role::TownAdmin,
            village: "高梁镇".into(),
        },
        DemoLogin {
            username: "cun200".into(),
            role: Role::VillageAdmin,
            village: v(1),
        },
        DemoLogin {
            username: "shop200".into(),
            role: Role::Clerk,
            village: v(1),
        },
        DemoLogin {
            username: "hu200".into(),
            role: Role::Villager,
            village: v(1),
        },
        DemoLogin {
            username: "pf200".into(),
            role: Role::Scorer,
            village: v(1),
        },
        DemoLogin {
            username: "zhen".into(),
            role: Role::TownStaff,
            village: "高梁镇".into(),
        },
        DemoLogin {
            username: "cun201".into(),
            role: Role::VillageAdmin,
            village: v(2),
        },
        DemoLogin {
            username: "shop201".into(),
            role: Role::Clerk,
            village: v(2),
        },
    ]
}

/// Creates an empty town with one town administrator (`server init`).
pub async fn init_empty(db: &Db, admin_password: &str, now: DateTime<Utc>) -> Result<(), DbErr> {
    let txn = db.write().await?;
    let t = insert_town(&*txn).await?;
    for (i, u) in dd::UNITS.iter().enumerate() {
        insert_village(&*txn, t.id, i as i32, u).await?;
    }
    user_account::ActiveModel {
        username: Set("admin".into()),
        password_hash: Set(hash_password(admin_password)),
        display_name: Set("镇管理员".into()),
        role: Set(Role::TownAdmin.as_str().into()),
        village_id: Set(None),
        household_id: Set(None),
        active: Set(true),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    put_setting(&*txn, "demo_mode", "false").await?;
    txn.commit().await
}

async fn insert_town<C: ConnectionTrait>(c: &C) -> Result<town::Model, DbErr> {
    town::ActiveModel {
        name: Set(dd::TOWN_NAME.into()),
        code: Set(dd::TOWN_CODE.into()),
        ..Default::default()
    }
    .insert(c)
    .await
}

async fn insert_village<C: ConnectionTrait>(
    c: &C,
    town_id: i32,
    i: i32,
    u: &dd::DemoUnit,
) -> Result<village::Model, DbErr> {
    village::ActiveModel {
        town_id: Set(town_id),
        name: Set(u.name.into()),
        code: Set(u.code.into()),
        kind: Set(if u.is_community {
            "community"
        } else {
            "village"
        }
        .into()),
        agricultural: Set(u.agricultural),
        taking_part: Set(u.taking_part),
        sort_order: Set(i),
        ..Default::default()
    }
    .insert(c)
    .await
}

/// Loads the demo town at the given scale. The database must be empty.
pub async fn load_demo(db: &Db, scale: Scale, now: DateTime<Utc>) -> Result<(), DbErr> {
    let today = china_date(now);
    let first_month = {
        let mut d = today.with_day(1).expect("day 1");
        for _ in 1..scale.months.max(1) {
            d = (d - Duration::days(1)).with_day(1).expect("day 1");
        }
        d
    };
    let txn = db.write().await?;
    let t = insert_town(&*txn).await?;
    let password_hash = hash_password(DEMO_PASSWORD);
    let user = |username: String,
                display: String,
                role: Role,
                village: Option<i32>,
                household: Option<i32>| user_account::ActiveModel {
        username: Set(username),
        password_hash: Set(password_hash.clone()),
        display_name: Set(display),
        role: Set(role.as_str().into()),
        village_id: Set(village),
        household_id: Set(household),
        active: Set(true),
        created_at: Set(now),
        ..Default::default()
    };
    let town_admin = user(
        "admin".into(),
        "镇管理员".into(),
        Role::TownAdmin,
        None,
        None,
    )
    .insert(&*txn)
    .await?;
    user("zhen".into(), "镇干部".into(), Role::TownStaff, None, None)
        .insert(&*txn)
        .await?;
    put_setting(&*txn, "demo_mode", "true").await?;
    let mut taking_part = Vec::new();

    let mut rng = DemoRng::new(20230525);
    for (vi, u) in dd::UNITS.iter().enumerate() {
        let v = insert_village(&*txn, t.id, vi as i32, u).await?;
        if !u.taking_part {
            continue;
        }
        taking_part.push(v.id);
        let suffix = &u.code[u.code.len() - 3..];
        let admin = user(
            format!("cun{suffix}"),
            format!("{}积分管理员", u.name),
            Role::VillageAdmin,
            Some(v.id),
            None,
        )
        .insert(&*txn)
        .await?;
        user(
            format!("shop{suffix}"),
            format!("{}超市管理员", u.name),
            Role::Clerk,
            Some(v.id),
            None,
        )
        .insert(&*txn)
        .await?;
        // Each village's scoring team (评分小组) files the team's proposals.
        let scorer = user(
            format!("pf{suffix}"),
            format!("{}评分员", u.name),
            Role::Scorer,
            Some(v.id),
            None,
        )
        .insert(&*txn)
        .await?;
        demo_notices(&*txn, v.id, u, vi, admin.id, now).await?;

        // Rule catalogue: categories in first-seen order.
        let mut cats: Vec<(&str, i32)> = Vec::new();
        for item in dd::RULE_ITEMS {
            if !cats.iter().any(|(c, _)| *c == item.category) {
                let c = rule_category::ActiveModel {
                    village_id: Set(v.id),
                    name: Set(item.category.into()),
                    sort_order: Set(cats.len() as i32),
                    ..Default::default()
                }
                .insert(&*txn)
                .await?;
                cats.push((item.category, c.id));
            }
        }
        let catalogue_start = NaiveDate::from_ymd_opt(first_month.year(), 1, 1).expect("jan 1");
        let mut items: Vec<rule_item::Model> = Vec::new();
        for item in dd::RULE_ITEMS {
            let cat = cats
                .iter()
                .find(|(c, _)| *c == item.category)
                .expect("category")
                .1;
            items.push(
                rule_item::ActiveModel {
                    village_id: Set(v.id),
                    category_id: Set(cat),
                    lineage_id: Set(None),
                    version: Set(1),
                    title: Set(item.title.into()),
                    points: Set(item.points),
                    unit: Set(if item.per_month {
                        RuleUnit::PerMonth
                    } else {
                        RuleUnit::PerTime
                    }
                    .as_str()
                    .into()),
                    monthly_cap: Set(item.monthly_cap),
                    evidence_required: Set(item.evidence_required),
                    active_from: Set(catalogue_start),
                    active_until: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&*txn)
                .await?,
            );
        }

        // The catalogue as the village's first published revision, with
        // its decision record, so the public tab shows who decided it.
        let cat_names: HashMap<i32, String> = cats
            .iter()
            .map(|(name, id)| (*id, name.to_string()))
            .collect();
        super::rules::seed_first_revision(&*txn, v.id, admin.id, vi, &items, &cat_names, now)
            .await?;

        // Supermarket goods, each stocked by a 'received' movement.
        let mut shelf: Vec<goods::Model> = Vec::new();
        for g in dd::GOODS {
            let model = goods::ActiveModel {
                village_id: Set(v.id),
                name: Set(g.name.into()),
                unit: Set(g.unit.into()),
                price_points: Set(g.price),
                category: Set(g.category.into()),
                stock: Set(0),
                photo_path: Set(None),
                active: Set(true),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&*txn)
            .await?;
            shelf.push(model);
        }
        // Units of each goods redeemed by the generated history; the opening
        // delivery covers them plus the shelf stock the demo data names.
        let mut redeemed_units: HashMap<i32, i32> = HashMap::new();
        let mut movements: Vec<stock_movement::ActiveModel> = Vec::new();
        let received_at = first_month.and_hms_opt(1, 0, 0).expect("time").and_utc();

        let n_groups = rng.range_i32(scale.groups.0, scale.groups.1);
        let mut groups = Vec::new();
        for gi in 0..n_groups {
            groups.push(
                village_group::ActiveModel {
                    village_id: Set(v.id),
                    name: Set(dd::group_name(gi as usize)),
                    sort_order: Set(gi),
                    ..Default::default()
                }
                .insert(&*txn)
                .await?,
            );
        }

        let n_households = rng.range_i32(scale.households.0, scale.households.1);
        let mut plan = super::demo_activities::Plan::make(
            &*txn,
            v.id,
            vi,
            admin.id,
            &items,
            n_households,
            first_month,
            now,
        )
        .await?;
        let mut entries: Vec<ledger_entry::ActiveModel> = Vec::new();
        let mut months: Vec<household_month::ActiveModel> = Vec::new();
        let mut clerk_redemptions = 0;
        // (villager account, its household), and households with a pending
        // proposal from their group's scoring team.
        let mut villager: Option<(i32, i32)> = None;
        let mut proposed: Vec<i32> = Vec::new();
        let mut per_day: HashMap<NaiveDate, u32> = HashMap::new();
        for hi in 0..n_households {
            let group = &groups[rng.below(groups.len() as u64) as usize];
            let head = dd::person_name(&mut rng);
            // The first household is the demo villager's (hu<code>): it lives
            // at home and takes part every month, so its pages have a history.
            let resident = hi == 0 || rng.chance(88);
            let hh = household::ActiveModel {
                village_id: Set(v.id),
                group_id: Set(group.id),
                card_no: Set(format!("{suffix}{:04}", hi + 1)),
                head_initials: Set(dd::pinyin_initials(&head)),
                head_name: Set(head.clone()),
                address: Set(dd::address(u.name, &group.name, &mut rng)),
                resident: Set(resident),
                aware: Set(resident && rng.chance(95)),
                moved_away: Set(false),
                balance: Set(0),
                earned_total: Set(0),
                redeemed_total: Set(0),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&*txn)
            .await?;
            let mut members = vec![member::ActiveModel {
                household_id: Set(hh.id),
                name: Set(head.clone()),
                relation: Set("户主".into()),
                is_head: Set(true),
                ..Default::default()
            }];
            for _ in 0..rng.range_i32(0, 4) {
                members.push(member::ActiveModel {
                    household_id: Set(hh.id),
                    name: Set(dd::person_name(&mut rng)),
                    relation: Set(rng.pick(dd::relation_names()).to_string()),
                    is_head: Set(false),
                    ..Default::default()
                });
            }
            let members = member::Entity::insert_many(members)
                .exec_with_returning(&*txn)
                .await?;
            if hi == 0 {
                let u = user(
                    format!("hu{suffix}"),
                    head.clone(),
                    Role::Villager,
                    Some(v.id),
                    Some(hh.id),
                )
                .insert(&*txn)
                .await?;
                villager = Some((u.id, hh.id));
            }
            if hi % 9 == 4 && proposed.len() < 6 {
                proposed.push(hh.id);
            }

            let (mut earned, mut redeemed) = (0i64, 0i64);
            let mut month_start = first_month;
            while month_start <= today {
                let next = month_start
                    .checked_add_months(chrono::Months::new(1))
                    .expect("month");
                let last_day = if next > today {
                    today
                } else {
                    next - Duration::days(1)
                };
                let days = (last_day - month_start).num_days() as u64 + 1;
                let (mut awarded, mut deducted) = (0i64, 0i64);
                let first_entry = entries.len();
                let mut used: HashMap<usize, (i32, u32)> = HashMap::new();
                let activity = if resident {
                    scale.entries_per_month.1
                } else {
                    scale.entries_per_month.0
                };
                let fewest = if hi == 0 {
                    scale.entries_per_month.0.max(activity.min(2))
                } else {
                    scale.entries_per_month.0
                };
                for _ in 0..rng.range_i32(fewest, activity) {
                    // Awards are much more common than deductions in practice.
                    let idx = loop {
                        let i = rng.below(items.len() as u64) as usize;
                        if items[i].points > 0 || rng.chance(25) {
                            break i;
                        }
                    };
                    let item = &items[idx];
                    let u = used.entry(idx).or_insert((0, 0));
                    if item.unit == RuleUnit::PerMonth.as_str() && u.1 > 0 {
                        continue;
                    }
                    if item
                        .monthly_cap
                        .is_some_and(|cap| u.0 + item.points.abs() > cap)
                    {
                        continue;
                    }
                    u.0 += item.points.abs();
                    u.1 += 1;
                    let day = month_start + Duration::days(rng.below(days) as i64);
                    let reason =
                        dd::reason_for(&item.title, item.points, day.month(), day.day(), &mut rng);
                    entries.push(ledger_entry::ActiveModel {
                        village_id: Set(v.id),
                        household_id: Set(hh.id),
                        member_id: Set(None),
                        rule_item_id: Set(item.id),
                        points: Set(item.points),
                        reason: Set(reason),
                        occurred_on: Set(day),
                        recorded_by: Set(admin.id),
                        recorded_at: Set(day.and_hms_opt(2, 0, 0).expect("time").and_utc()),
                        status: Set(EntryStatus::Approved.as_str().into()),
                        reverses: Set(None),
                        ..Default::default()
                    });
                    if item.points > 0 {
                        awarded += i64::from(item.points);
                    } else {
                        deducted -= i64::from(item.points);
                    }
                }
                // Activities of the month the household came to.
                if resident {
                    let own = villager.filter(|v| v.1 == hh.id).map(|v| v.0);
                    awarded += plan.take_part(
                        month_key(month_start),
                        hh.id,
                        &members,
                        admin.id,
                        own,
                        &items,
                        &mut used,
                        &mut entries,
                    );
                }
                earned += awarded - deducted;
                let mut month_redeemed = 0i64;
                if rng.chance(scale.redeem_percent) {
                    let g = &shelf[rng.below(shelf.len() as u64) as usize];
                    let qty = rng.range_i32(1, 2);
                    let cost = i64::from(g.price_points * qty);
                    if earned - redeemed >= cost {
                        *redeemed_units.entry(g.id).or_insert(0) += qty;
                        clerk_redemptions += 1;
                        let seq = per_day.entry(last_day).or_insert(0);
                        *seq += 1;
                        let day = last_day
                            .and_hms_opt(2, 30, 0)
                            .expect("time")
                            .and_local_timezone(china_offset())
                            .single()
                            .expect("fixed")
                            .with_timezone(&Utc);
                        let r = redemption::ActiveModel {
                            village_id: Set(v.id),
                            household_id: Set(hh.id),
                            clerk_id: Set(admin.id),
                            idempotency_key: Set(format!("demo-{}-{}", v.id, clerk_redemptions)),
                            receipt_no: Set(format!(
                                "{suffix}-{}-{:04}",
                                last_day.format("%Y%m%d"),
                                seq
                            )),
                            total_points: Set(cost),
                            created_at: Set(day),
                            ..Default::default()
                        }
                        .insert(&*txn)
                        .await?;
                        redemption_line::ActiveModel {
                            redemption_id: Set(r.id),
                            goods_id: Set(g.id),
                            quantity: Set(qty),
                            unit_price: Set(g.price_points),
                            ..Default::default()
                        }
                        .insert(&*txn)
                        .await?;
                        movements.push(stock_movement::ActiveModel {
                            goods_id: Set(g.id),
                            kind: Set("redeemed".into()),
                            quantity: Set(-qty),
                            reason: Set(None),
                            redemption_id: Set(Some(r.id)),
                            recorded_by: Set(Some(admin.id)),
                            recorded_at: Set(day),
                            ..Default::default()
                        });
                        redeemed += cost;
                        month_redeemed = cost;
                    }
                }
                if awarded + deducted + month_redeemed > 0 {
                    months.push(household_month::ActiveModel {
                        household_id: Set(hh.id),
                        month: Set(month_key(month_start)),
                        village_id: Set(v.id),
                        group_id: Set(group.id),
                        awarded: Set(awarded),
                        deducted: Set(deducted),
                        redeemed: Set(month_redeemed),
                        entries: Set((entries.len() - first_entry) as i64),
                    });
                }
                month_start = next;
            }
            household::ActiveModel {
                id: Set(hh.id),
                balance: Set(earned - redeemed),
                earned_total: Set(earned),
                redeemed_total: Set(redeemed),
                ..Default::default()
            }
            .update(&*txn)
            .await?;
            // Sign-ups for the activities coming up (the demo villager's
            // household is left for its own sign-up).
            if resident && hi != 0 {
                plan.take_part(
                    0,
                    hh.id,
                    &members,
                    admin.id,
                    None,
                    &items,
                    &mut HashMap::new(),
                    &mut entries,
                );
            }
            if entries.len() >= 2000 {
                flush(&*txn, &mut entries).await?;
            }
        }
        flush(&*txn, &mut entries).await?;
        plan.flush(&*txn).await?;
        for chunk in months.chunks(1000) {
            household_month::Entity::insert_many(chunk.to_vec())
                .exec(&*txn)
                .await?;
        }
        for (g, d) in shelf.iter().zip(dd::GOODS) {
            let used = redeemed_units.get(&g.id).copied().unwrap_or(0);
            // One item is sold out, as happens between deliveries.
            let left = if d.name == "扫帚" { 0 } else { d.stock };
            movements.push(stock_movement::ActiveModel {
                goods_id: Set(g.id),
                kind: Set("received".into()),
                quantity: Set(used + left),
                reason: Set(Some("开业进货".into())),
                redemption_id: Set(None),
                recorded_by: Set(Some(admin.id)),
                recorded_at: Set(received_at),
                // Bought at about 85% of the shelf value (1 point = 1 yuan).
                unit_cost_fen: Set(Some(i64::from(d.price) * 85)),
                supplier: Set(Some("高梁镇供销社".into())),
                moved_on: Set(Some(first_month)),
                ..Default::default()
            });
            goods::ActiveModel {
                id: Set(g.id),
                stock: Set(left),
                ..Default::default()
            }
            .update(&*txn)
            .await?;
        }
        for chunk in movements.chunks(1000) {
            stock_movement::Entity::insert_many(chunk.to_vec())
                .exec(&*txn)
                .await?;
        }
        // Pending review: a villager's own declarations and the scoring
        // teams' proposals of this month.
        let simple: Vec<&rule_item::Model> = items
            .iter()
            .filter(|i| {
                i.points > 0
                    && !i.evidence_required
                    && i.monthly_cap.is_none()
                    && i.unit == RuleUnit::PerTime.as_str()
            })
            .collect();
        let mut pending = Vec::new();
        let month_start = today.with_day(1).expect("day 1");
        let days = (today - month_start).num_days() as u64 + 1;
        let propose = |household: i32, by: i32, source: ProposalSource, rng: &mut DemoRng| {
            let item = simple[rng.below(simple.len() as u64) as usize];
            let day = month_start + Duration::days(rng.below(days) as i64);
            proposal::ActiveModel {
                village_id: Set(v.id),
                household_id: Set(household),
                member_id: Set(None),
                rule_item_id: Set(item.id),
                reason: Set(dd::reason_for(
                    &item.title,
                    item.points,
                    day.month(),
                    day.day(),
                    rng,
                )),
                occurred_on: Set(day),
                source: Set(source.as_str().into()),
                proposed_by: Set(by),
                proposed_at: Set(now),
                evidence_id: Set(None),
                ..Default::default()
            }
        };
        if simple.is_empty() {
            proposed.clear();
            villager = None;
        }
        if let Some((user_id, hh)) = villager {
            pending.push(propose(hh, user_id, ProposalSource::Villager, &mut rng));
        }
        for hh in &proposed {
            pending.push(propose(*hh, scorer.id, ProposalSource::Team, &mut rng));
        }
        if !pending.is_empty() {
            proposal::Entity::insert_many(pending).exec(&*txn).await?;
        }
        demo_appeals(&*txn, v.id, &proposed, admin.id, now).await?;
        if scale.publish_past {
            let current = month_key(today);
            let mut m = month_key(first_month);
            while previous_month(current) > m {
                // Posted on the 3rd of the following month, as villages do.
                let (_, next) = super::publication::month_bounds(m).map_err(app_err)?;
                let posted = (next + Duration::days(2))
                    .and_hms_opt(1, 0, 0)
                    .expect("time")
                    .and_utc();
                super::publication::freeze(&*txn, v.id, m, admin.id, posted)
                    .await
                    .map_err(app_err)?;
                m = next_month(m);
            }
        }
    }
    super::demo_acceptance::load(&*txn, db, town_admin.id, now).await?;
    super::demo_funds::load(&*txn, db, &taking_part, town_admin.id, now).await?;
    txn.commit().await
}

/// Appeals (积分申诉) of a village: one household's waits for the clerk,
/// another's was answered (not upheld), so both states show. Appeals do not
/// touch the ledger.
async fn demo_appeals<C: ConnectionTrait>(
    c: &C,
    village: i32,
    households: &[i32],
    clerk: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    use domain::appeal::AppealStatus;
    use sea_orm::{ColumnTrait, QueryFilter};
    for (i, hh) in households.iter().take(2).enumerate() {
        // Read through the household index and pick in Rust: a filter on the
        // mostly-NULL `reverses` column would send SQLite to the wrong index.
        let entries = ledger_entry::Entity::find()
            .filter(ledger_entry::Column::HouseholdId.eq(*hh))
            .all(c)
            .await?;
        let reversed: Vec<i32> = entries.iter().filter_map(|e| e.reverses).collect();
        // People dispute deductions first; otherwise the latest award.
        let Some(e) = entries
            .iter()
            .filter(|e| {
                e.status == EntryStatus::Approved.as_str()
                    && e.reverses.is_none()
                    && !reversed.contains(&e.id)
            })
            .max_by_key(|e| (e.points < 0, e.occurred_on, e.id))
        else {
            continue;
        };
        let pending = i == 0;
        appeal::ActiveModel {
            village_id: Set(village),
            household_id: Set(*hh),
            entry_id: Set(e.id),
            reason: Set(if e.points < 0 {
                "那天家里老人住院，没顾上打扫，能否酌情处理".into()
            } else {
                "这次加分少记了家里另一个人的，请核实".into()
            }),
            filed_by: Set(clerk),
            assisted: Set(true),
            filed_at: Set(now - Duration::days(2 + i as i64)),
            status: Set(if pending {
                AppealStatus::Pending
            } else {
                AppealStatus::Rejected
            }
            .as_str()
            .into()),
            answer: Set((!pending).then(|| "经小组长核实，原记录无误，维持不变".to_string())),
            answered_by: Set((!pending).then_some(clerk)),
            answered_at: Set((!pending).then(|| now - Duration::days(1))),
            ..Default::default()
        }
        .insert(c)
        .await?;
    }
    Ok(())
}

/// A village's demo notices (村务公示), a few rows each: one of every
/// category, one pinned, two edited once, one scheduled.
async fn demo_notices<C: ConnectionTrait>(
    c: &C,
    village: i32,
    unit: &dd::DemoUnit,
    index: usize,
    author: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let today = china_date(now);
    // The last finished quarter.
    let (year, quarter) = match (today.month() - 1) / 3 {
        0 => (today.year() - 1, 4),
        q => (today.year(), q),
    };
    let author = domain::UserId(author);
    for d in dd::notices(unit.name, unit.is_community, index, year, quarter) {
        let at = now - Duration::days(d.days_ago);
        let n = super::notice::post_in(
            c,
            author,
            domain::VillageId(village),
            d.category,
            &d.title,
            &d.body,
            d.pinned,
            at,
            None,
            at.min(now),
        )
        .await
        .map_err(app_err)?;
        if let Some((title, body)) = &d.edit {
            let edited = (at + Duration::days(1)).min(now);
            super::notice::add_version_in(c, author, n.id, 2, title, body, edited)
                .await
                .map_err(app_err)?;
        }
    }
    Ok(())
}

fn app_err(e: wire::AppError) -> DbErr {
    DbErr::Custom(e.to_string())
}

async fn flush<C: ConnectionTrait>(
    c: &C,
    entries: &mut Vec<ledger_entry::ActiveModel>,
) -> Result<(), DbErr> {
    for chunk in entries.chunks(500) {
        ledger_entry::Entity::insert_many(chunk.to_vec())
            .exec(c)
            .await?;
    }
    entries.clear();
    Ok(())
}
