//! Read models of the public portal. These queries read stored totals and
//! monthly aggregates, never whole ledgers, so their cost follows the number
//! of households shown.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::{
    goods, household, household_month, ledger_entry, member, redemption, redemption_line,
    rule_category, rule_item, town, village, village_group,
};
use super::{like, Db};
use domain::ledger::EntryStatus;
use domain::metrics::{competition_ranks, Period, VillageMonth};
use domain::redemption::{goods_text, void_text};
use domain::rules::RuleUnit;
use domain::time::{china_date, month_key, month_label, year_bounds};
use domain::{EntryId, GoodsId, GroupId, HouseholdId, RuleItemId, VillageId};
use wire::types::*;
use wire::AppError;

/// Most rows a leaderboard shows.
pub const LEADERBOARD_LIMIT: u64 = 100;

fn kind_label(kind: &str) -> &'static str {
    if kind == "community" {
        "社区"
    } else {
        "村"
    }
}

async fn village_or_404(db: &Db, id: VillageId) -> Result<village::Model, AppError> {
    village::Entity::find_by_id(id.0)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该村（社区），请从首页重新进入"))
}

/// Per-village household counts (households that have not moved away).
async fn household_counts(db: &Db) -> Result<HashMap<i32, i64>, AppError> {
    Ok(household::Entity::find()
        .select_only()
        .column(household::Column::VillageId)
        .column_as(Expr::col(household::Column::Id).count(), "n")
        .filter(household::Column::MovedAway.eq(false))
        .group_by(household::Column::VillageId)
        .into_tuple::<(i32, i64)>()
        .all(&db.conn)
        .await?
        .into_iter()
        .collect())
}

/// The town home: villages taking part with households and this month's points.
pub async fn town_overview(db: &Db, now: DateTime<Utc>) -> Result<TownOverview, AppError> {
    let month = month_key(china_date(now));
    let town_name = town::Entity::find()
        .one(&db.conn)
        .await?
        .map(|t| t.name)
        .unwrap_or_else(|| "高梁镇".into());
    let villages = village::Entity::find()
        .filter(village::Column::TakingPart.eq(true))
        .order_by_asc(village::Column::SortOrder)
        .all(&db.conn)
        .await?;
    let counts = household_counts(db).await?;
    let points: HashMap<i32, i64> = household_month::Entity::find()
        .select_only()
        .column(household_month::Column::VillageId)
        .column_as(Expr::col(household_month::Column::Awarded).sum(), "p")
        .filter(household_month::Column::Month.eq(month))
        .group_by(household_month::Column::VillageId)
        .into_tuple::<(i32, Option<i64>)>()
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|(v, p)| (v, p.unwrap_or(0)))
        .collect();
    let villages: Vec<VillageSummary> = villages
        .into_iter()
        .map(|v| VillageSummary {
            id: VillageId(v.id),
            kind_label: kind_label(&v.kind).into(),
            households: counts.get(&v.id).copied().unwrap_or(0),
            points_this_month: points.get(&v.id).copied().unwrap_or(0),
            name: v.name,
        })
        .collect();
    Ok(TownOverview {
        town_name,
        month_label: month_label(month),
        total_households: villages.iter().map(|v| v.households).sum(),
        total_points_this_month: villages.iter().map(|v| v.points_this_month).sum(),
        villages,
    })
}

/// Goods on sale (在售商品): active and in stock, as the counter's stock
/// page counts them. Add a village filter, or group by village.
pub fn goods_on_sale() -> sea_orm::Select<goods::Entity> {
    goods::Entity::find()
        .filter(goods::Column::Active.eq(true))
        .filter(goods::Column::Stock.gt(0))
}

/// A village's public header.
pub async fn village_info(db: &Db, id: VillageId) -> Result<VillageInfo, AppError> {
    let v = village_or_404(db, id).await?;
    // Pickers (the board's group filter, batch entry) offer current groups;
    // a merged group's past months stay reachable by its id.
    let groups = village_group::Entity::find()
        .filter(village_group::Column::VillageId.eq(v.id))
        .filter(village_group::Column::RetiredAt.is_null())
        .order_by_asc(village_group::Column::SortOrder)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|g| GroupView {
            id: GroupId(g.id),
            name: g.name,
        })
        .collect();
    let households = household::Entity::find()
        .filter(household::Column::VillageId.eq(v.id))
        .filter(household::Column::MovedAway.eq(false))
        .count(&db.conn)
        .await? as i64;
    let goods_kinds = goods_on_sale()
        .filter(goods::Column::VillageId.eq(v.id))
        .count(&db.conn)
        .await? as i64;
    Ok(VillageInfo {
        id,
        kind_label: kind_label(&v.kind).into(),
        name: v.name,
        code: v.code,
        taking_part: v.taking_part,
        groups,
        households,
        goods_kinds,
    })
}

/// The rule items in force today, grouped by category.
pub async fn village_rules(
    db: &Db,
    id: VillageId,
    now: DateTime<Utc>,
) -> Result<Vec<RuleCategoryView>, AppError> {
    let v = village_or_404(db, id).await?;
    let today = china_date(now);
    let cats = rule_category::Entity::find()
        .filter(rule_category::Column::VillageId.eq(v.id))
        .order_by_asc(rule_category::Column::SortOrder)
        .all(&db.conn)
        .await?;
    let items = rule_item::Entity::find()
        .filter(rule_item::Column::VillageId.eq(v.id))
        .filter(rule_item::Column::ActiveFrom.lte(today))
        .filter(
            rule_item::Column::ActiveUntil
                .is_null()
                .or(rule_item::Column::ActiveUntil.gte(today)),
        )
        .order_by_asc(rule_item::Column::Id)
        .all(&db.conn)
        .await?;
    Ok(cats
        .into_iter()
        .map(|c| RuleCategoryView {
            items: items
                .iter()
                .filter(|i| i.category_id == c.id)
                .map(|i| RuleItemView {
                    id: RuleItemId(i.id),
                    title: i.title.clone(),
                    points: i.points,
                    unit_label: RuleUnit::parse(&i.unit)
                        .unwrap_or(RuleUnit::PerTime)
                        .label()
                        .into(),
                    monthly_cap: i.monthly_cap,
                    evidence_required: i.evidence_required,
                    version: i.version,
                    active_from: i.active_from.format("%Y-%m-%d").to_string(),
                })
                .collect(),
            name: c.name,
        })
        .filter(|c| !c.items.is_empty())
        .collect())
}

/// The active goods of a village's supermarket.
pub async fn village_goods(db: &Db, id: VillageId) -> Result<Vec<GoodsView>, AppError> {
    let v = village_or_404(db, id).await?;
    Ok(goods::Entity::find()
        .filter(goods::Column::VillageId.eq(v.id))
        .filter(goods::Column::Active.eq(true))
        .order_by_asc(goods::Column::PricePoints)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|g| GoodsView {
            id: GoodsId(g.id),
            name: g.name,
            unit: g.unit,
            price: g.price_points,
            stock: g.stock,
            photo: g
                .photo_path
                .as_deref()
                .map(|p| domain::stock::photo_url(GoodsId(g.id), p)),
        })
        .collect())
}

/// The household leaderboard of a village for a period, optionally one group.
pub async fn leaderboard(
    db: &Db,
    id: VillageId,
    period: Period,
    group: Option<GroupId>,
    now: DateTime<Utc>,
) -> Result<LeaderboardView, AppError> {
    let v = village_or_404(db, id).await?;
    let month = month_key(china_date(now));
    let scored: Vec<(i32, i64)> = match period {
        Period::AllTime => {
            let mut q = household::Entity::find()
                .select_only()
                .column(household::Column::Id)
                .column(household::Column::EarnedTotal)
                .filter(household::Column::VillageId.eq(v.id))
                .filter(household::Column::MovedAway.eq(false))
                .filter(household::Column::EarnedTotal.ne(0));
            if let Some(g) = group {
                q = q.filter(household::Column::GroupId.eq(g.0));
            }
            q.order_by(household::Column::EarnedTotal, Order::Desc)
                .order_by_asc(household::Column::Id)
                .limit(LEADERBOARD_LIMIT)
                .into_tuple()
                .all(&db.conn)
                .await?
        }
        Period::Month | Period::Year => {
            let (from, to) = if period == Period::Month {
                (month, month)
            } else {
                year_bounds(month)
            };
            let net = Expr::col(household_month::Column::Awarded)
                .sum()
                .sub(Expr::col(household_month::Column::Deducted).sum());
            let mut q = household_month::Entity::find()
                .select_only()
                .column(household_month::Column::HouseholdId)
                .column_as(net.clone(), "net")
                .filter(household_month::Column::VillageId.eq(v.id))
                .filter(household_month::Column::Month.between(from, to));
            if let Some(g) = group {
                q = q.filter(household_month::Column::GroupId.eq(g.0));
            }
            q.group_by(household_month::Column::HouseholdId)
                .having(net.clone().ne(0))
                .order_by(net, Order::Desc)
                .order_by_asc(household_month::Column::HouseholdId)
                .limit(LEADERBOARD_LIMIT)
                .into_tuple::<(i32, Option<i64>)>()
                .all(&db.conn)
                .await?
                .into_iter()
                .map(|(h, n)| (h, n.unwrap_or(0)))
                .collect()
        }
    };
    let ids: Vec<i32> = scored.iter().map(|(h, _)| *h).collect();
    let households: HashMap<i32, household::Model> = household::Entity::find()
        .filter(household::Column::Id.is_in(ids))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let groups: HashMap<i32, String> = village_group::Entity::find()
        .filter(village_group::Column::VillageId.eq(v.id))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    // Households that moved away keep their history but leave the board.
    let scored: Vec<(i32, i64)> = scored
        .into_iter()
        .filter(|(h, _)| households.get(h).is_some_and(|hh| !hh.moved_away))
        .collect();
    let points: Vec<i64> = scored.iter().map(|(_, p)| *p).collect();
    let ranks = competition_ranks(&points);
    let rows = scored
        .iter()
        .zip(ranks)
        .filter_map(|((h, p), rank)| {
            let hh = households.get(h)?;
            Some(LeaderRow {
                rank,
                card_no: hh.card_no.clone(),
                head_name: hh.head_name.clone(),
                group_name: groups.get(&hh.group_id).cloned().unwrap_or_default(),
                points: *p,
            })
        })
        .collect();
    let period_label = match period {
        Period::Month => month_label(month),
        Period::Year => format!("{}年", month / 100),
        Period::AllTime => "累计".into(),
    };
    Ok(LeaderboardView {
        period,
        period_label,
        group,
        rows,
    })
}

/// The town-wide ranking of villages taking part, for the current month.
pub async fn village_ranking(db: &Db, now: DateTime<Utc>) -> Result<VillageRanking, AppError> {
    let month = month_key(china_date(now));
    let villages = village::Entity::find()
        .filter(village::Column::TakingPart.eq(true))
        .order_by_asc(village::Column::SortOrder)
        .all(&db.conn)
        .await?;
    let counts = household_counts(db).await?;
    let resident: HashMap<i32, i64> = household::Entity::find()
        .select_only()
        .column(household::Column::VillageId)
        .column_as(Expr::col(household::Column::Id).count(), "n")
        .filter(household::Column::MovedAway.eq(false))
        .filter(household::Column::Resident.eq(true))
        .group_by(household::Column::VillageId)
        .into_tuple::<(i32, i64)>()
        .all(&db.conn)
        .await?
        .into_iter()
        .collect();
    let active = || {
        household_month::Entity::find()
            .select_only()
            .column(household_month::Column::VillageId)
            .filter(household_month::Column::Month.eq(month))
            .filter(
                household_month::Column::Awarded
                    .gt(0)
                    .or(household_month::Column::Deducted.gt(0)),
            )
            .group_by(household_month::Column::VillageId)
    };
    let points: HashMap<i32, Option<i64>> = active()
        .column_as(Expr::col(household_month::Column::Awarded).sum(), "p")
        .into_tuple::<(i32, Option<i64>)>()
        .all(&db.conn)
        .await?
        .into_iter()
        .collect();
    // Participation counts households living at home, the base of the rate.
    let at_home = Query::select()
        .column(household::Column::Id)
        .from(household::Entity)
        .and_where(household::Column::Resident.eq(true))
        .and_where(household::Column::MovedAway.eq(false))
        .to_owned();
    let participating: HashMap<i32, i64> = active()
        .column_as(Expr::col(household_month::Column::HouseholdId).count(), "n")
        .filter(household_month::Column::HouseholdId.in_subquery(at_home))
        // A household whose only entries were reversed did not take part.
        .filter(household_month::Column::Entries.gt(0))
        .into_tuple::<(i32, i64)>()
        .all(&db.conn)
        .await?
        .into_iter()
        .collect();
    let mut rows: Vec<(village::Model, VillageMonth)> = villages
        .into_iter()
        .map(|v| {
            let participating = participating.get(&v.id).copied().unwrap_or(0);
            let points = points.get(&v.id).copied().flatten();
            let m = VillageMonth {
                households: counts.get(&v.id).copied().unwrap_or(0),
                resident_households: resident.get(&v.id).copied().unwrap_or(0),
                participating,
                points_awarded: points.unwrap_or(0),
            };
            (v, m)
        })
        .collect();
    rows.sort_by(|a, b| {
        b.1.ranking_key()
            .cmp(&a.1.ranking_key())
            .then(a.0.sort_order.cmp(&b.0.sort_order))
    });
    let keys: Vec<(i64, i64)> = rows.iter().map(|(_, m)| m.ranking_key()).collect();
    let ranks = competition_ranks(&keys);
    Ok(VillageRanking {
        month_label: month_label(month),
        rows: rows
            .into_iter()
            .zip(ranks)
            .map(|((v, m), rank)| VillageRankRow {
                rank,
                village_id: VillageId(v.id),
                name: v.name,
                households: m.households,
                resident_households: m.resident_households,
                participating: m.participating,
                participation_pct: format!("{:.1}%", m.participation_permille() as f64 / 10.0),
                points_awarded: m.points_awarded,
                points_per_household: if m.households == 0 {
                    "0".into()
                } else {
                    format!("{:.1}", m.points_awarded as f64 / m.households as f64)
                },
            })
            .collect(),
    })
}

/// Whether a query looks like a card number (digits only).
pub fn is_card_query(q: &str) -> bool {
    !q.is_empty() && q.chars().all(|c| c.is_ascii_digit())
}

/// Households (not moved away) matching a card number prefix, the head's
/// name, or the pinyin initials of the head's name, optionally in one village.
pub async fn find_households(
    db: &Db,
    q: &str,
    village: Option<VillageId>,
) -> Result<Vec<household::Model>, AppError> {
    let q = q.trim();
    if q.is_empty() {
        return Err(AppError::invalid("请输入户卡号或户主姓名"));
    }
    if q.chars().count() > 20 {
        return Err(AppError::invalid("查询内容过长"));
    }
    let mut find = household::Entity::find().filter(household::Column::MovedAway.eq(false));
    if let Some(v) = village {
        find = find.filter(household::Column::VillageId.eq(v.0));
    }
    find = if is_card_query(q) {
        find.filter(like::starts_with(household::Column::CardNo, q))
    } else if q.chars().all(|c| c.is_ascii_alphabetic()) {
        find.filter(household::Column::HeadInitials.eq(q.to_ascii_lowercase()))
    } else {
        find.filter(like::contains(household::Column::HeadName, q))
    };
    Ok(find
        .order_by_asc(household::Column::CardNo)
        .limit(30)
        .all(&db.conn)
        .await?)
}

/// Names of village groups by id.
pub async fn group_names(
    db: &Db,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, AppError> {
    Ok(village_group::Entity::find()
        .filter(village_group::Column::Id.is_in(ids))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect())
}

/// Titles of rule item versions by id.
pub async fn rule_titles(
    db: &Db,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, AppError> {
    Ok(rule_item::Entity::find()
        .filter(rule_item::Column::Id.is_in(ids))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i.title))
        .collect())
}

/// Public household search by card number, head's name or pinyin initials.
pub async fn search_households(db: &Db, q: &str) -> Result<Vec<HouseholdHit>, AppError> {
    let found = find_households(db, q, None).await?;
    let village_ids: Vec<i32> = found.iter().map(|h| h.village_id).collect();
    let villages: HashMap<i32, String> = village::Entity::find()
        .filter(village::Column::Id.is_in(village_ids))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect();
    let groups = group_names(db, found.iter().map(|h| h.group_id)).await?;
    let hits = found
        .into_iter()
        .map(|h| HouseholdHit {
            village_name: villages.get(&h.village_id).cloned().unwrap_or_default(),
            group_name: groups.get(&h.group_id).cloned().unwrap_or_default(),
            card_no: h.card_no,
            head_name: h.head_name,
            balance: h.balance,
        })
        .collect();
    Ok(hits)
}

/// Most entries a household page lists.
pub const HISTORY_LIMIT: u64 = 200;

/// A household's public page: approved entries with reasons, and redemptions.
pub async fn household_public(db: &Db, card_no: &str) -> Result<HouseholdPublic, AppError> {
    let card_no = card_no.trim();
    if !is_card_query(card_no) || card_no.len() > 12 {
        return Err(AppError::invalid("户卡号格式不正确：应为数字"));
    }
    let hh = household::Entity::find()
        .filter(household::Column::CardNo.eq(card_no))
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("没有户卡号为 {card_no} 的农户")))?;
    let v = village::Entity::find_by_id(hh.village_id)
        .one(&db.conn)
        .await?
        .ok_or(AppError::Internal)?;
    let g = village_group::Entity::find_by_id(hh.group_id)
        .one(&db.conn)
        .await?
        .map(|g| g.name)
        .unwrap_or_default();
    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::HouseholdId.eq(hh.id))
        .filter(ledger_entry::Column::Status.eq(EntryStatus::Approved.as_str()))
        .order_by_desc(ledger_entry::Column::OccurredOn)
        .order_by_desc(ledger_entry::Column::Id)
        .limit(HISTORY_LIMIT)
        .all(&db.conn)
        .await?;
    let titles = rule_titles(db, entries.iter().map(|e| e.rule_item_id)).await?;
    let reversed: Vec<i32> = entries.iter().filter_map(|e| e.reverses).collect();
    let entries = entries
        .iter()
        .map(|e| EntryView {
            id: EntryId(e.id),
            occurred_on: e.occurred_on.format("%Y-%m-%d").to_string(),
            item: titles.get(&e.rule_item_id).cloned().unwrap_or_default(),
            points: e.points,
            reason: e.reason.clone(),
            status_label: EntryStatus::parse(&e.status)
                .map(|s| s.label())
                .unwrap_or("")
                .into(),
            reversed: reversed.contains(&e.id),
            reverses: e.reverses.map(EntryId),
        })
        .collect();
    let redemptions = household_redemptions(db, hh.id).await?;
    Ok(HouseholdPublic {
        id: HouseholdId(hh.id),
        card_no: hh.card_no,
        head_name: hh.head_name,
        village_id: VillageId(v.id),
        village_name: v.name,
        group_name: g,
        balance: hh.balance,
        earned_total: hh.earned_total,
        redeemed_total: hh.redeemed_total,
        entries,
        redemptions,
    })
}

/// A household's latest redemptions (voids shown as such), newest first.
pub async fn household_redemptions(
    db: &Db,
    household: i32,
) -> Result<Vec<RedemptionSummary>, AppError> {
    let reds = redemption::Entity::find()
        .filter(redemption::Column::HouseholdId.eq(household))
        .order_by_desc(redemption::Column::Id)
        .limit(50)
        .all(&db.conn)
        .await?;
    let lines = redemption_line::Entity::find()
        .filter(redemption_line::Column::RedemptionId.is_in(reds.iter().map(|r| r.id)))
        .order_by_asc(redemption_line::Column::Id)
        .all(&db.conn)
        .await?;
    let goods_names: HashMap<i32, String> = goods::Entity::find()
        .filter(goods::Column::Id.is_in(lines.iter().map(|l| l.goods_id)))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let receipt_of: HashMap<i32, String> = redemption::Entity::find()
        .filter(redemption::Column::Id.is_in(reds.iter().filter_map(|r| r.reverses)))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r.receipt_no))
        .collect();
    Ok(reds
        .into_iter()
        .map(|r| {
            let items: Vec<(String, i32)> = lines
                .iter()
                .filter(|l| l.redemption_id == r.id)
                .map(|l| {
                    (
                        goods_names.get(&l.goods_id).cloned().unwrap_or_default(),
                        l.quantity,
                    )
                })
                .collect();
            let items = goods_text(&items, "，");
            RedemptionSummary {
                items: match r.reverses {
                    Some(o) => void_text(
                        receipt_of.get(&o).map(String::as_str).unwrap_or(""),
                        r.reason.as_deref(),
                        &items,
                    ),
                    None => items,
                },
                receipt_no: r.receipt_no,
                date: r
                    .created_at
                    .with_timezone(&domain::time::china_offset())
                    .format("%Y-%m-%d")
                    .to_string(),
                total: r.total_points,
            }
        })
        .collect())
}

/// A household's private record and the village it belongs to (for the
/// caller's permission check).
pub async fn household_private(
    db: &Db,
    id: HouseholdId,
) -> Result<(VillageId, HouseholdPrivate), AppError> {
    let hh = household::Entity::find_by_id(id.0)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该农户"))?;
    let members = member::Entity::find()
        .filter(member::Column::HouseholdId.eq(hh.id))
        .order_by_asc(member::Column::Id)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|m| MemberView {
            id: domain::MemberId(m.id),
            name: m.name,
            relation: m.relation,
        })
        .collect();
    Ok((
        VillageId(hh.village_id),
        HouseholdPrivate {
            id,
            card_no: hh.card_no,
            head_name: hh.head_name,
            address: hh.address,
            resident: hh.resident,
            aware: hh.aware,
            members,
            balance: hh.balance,
        },
    ))
}
