//! The scorer's page (评分员, `/score`): the households a scoring-team
//! member may score and the proposals they made, with the clerk's decision.
//! Proposals themselves go through [`super::review::propose`], so the
//! review queue, its checks and separation of duties are the same for all.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::{household, proposal, proposal_review, rule_item, village, village_group};
use super::Db;
use domain::roles::{Caller, Role};
use domain::time::china_minute;
use domain::{HouseholdId, VillageId};
use wire::score::{MyProposal, ScoreHousehold, ScorerView};
use wire::AppError;

/// How many of their latest proposals a scorer sees.
const RECENT: u64 = 30;

/// The scorer's village (or group), its households still living there,
/// and the scorer's latest proposals.
pub async fn home(db: &Db, caller: &Caller) -> Result<ScorerView, AppError> {
    let (Role::Scorer, Some(v)) = (caller.role, caller.village) else {
        return Err(AppError::Forbidden);
    };
    let village = village::Entity::find_by_id(v.0)
        .one(&db.conn)
        .await?
        .ok_or(AppError::Forbidden)?;
    let groups = village_group::Entity::find()
        .filter(village_group::Column::VillageId.eq(v.0))
        .all(&db.conn)
        .await?;
    let group_name = |id: i32| {
        groups
            .iter()
            .find(|g| g.id == id)
            .map(|g| g.name.clone())
            .unwrap_or_default()
    };
    let mut q = household::Entity::find()
        .filter(household::Column::VillageId.eq(v.0))
        .filter(household::Column::MovedAway.eq(false));
    if let Some(g) = caller.group {
        q = q.filter(household::Column::GroupId.eq(g.0));
    }
    let households = q
        .order_by_asc(household::Column::CardNo)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|h| ScoreHousehold {
            id: HouseholdId(h.id),
            card_no: h.card_no,
            head_name: h.head_name,
            group_name: group_name(h.group_id),
        })
        .collect();
    let mine = proposal::Entity::find()
        .filter(proposal::Column::ProposedBy.eq(caller.user.0))
        .order_by_desc(proposal::Column::Id)
        .limit(RECENT)
        .all(&db.conn)
        .await?;
    let ids = |f: fn(&proposal::Model) -> i32| mine.iter().map(f).collect::<Vec<_>>();
    let heads = household::Entity::find()
        .filter(household::Column::Id.is_in(ids(|p| p.household_id)))
        .all(&db.conn)
        .await?;
    let items = rule_item::Entity::find()
        .filter(rule_item::Column::Id.is_in(ids(|p| p.rule_item_id)))
        .all(&db.conn)
        .await?;
    let reviews = proposal_review::Entity::find()
        .filter(proposal_review::Column::ProposalId.is_in(ids(|p| p.id)))
        .all(&db.conn)
        .await?;
    let recent = mine
        .iter()
        .map(|p| {
            let hh = heads.iter().find(|h| h.id == p.household_id);
            let item = items.iter().find(|i| i.id == p.rule_item_id);
            let review = reviews.iter().find(|r| r.proposal_id == p.id);
            MyProposal {
                household: hh
                    .map(|h| format!("{}（{}）", h.head_name, h.card_no))
                    .unwrap_or_default(),
                item: item.map(|i| i.title.clone()).unwrap_or_default(),
                points: item.map_or(0, |i| i.points),
                occurred_on: p.occurred_on.format("%Y-%m-%d").to_string(),
                proposed_at: china_minute(p.proposed_at),
                status: match review {
                    None => "待审核",
                    Some(r) if r.approved => "已通过",
                    Some(_) => "未通过",
                }
                .into(),
                review_reason: review.map(|r| r.reason.clone()).filter(|r| !r.is_empty()),
            }
        })
        .collect();
    Ok(ScorerView {
        village: VillageId(village.id),
        village_name: village.name,
        group_name: caller.group.map(|g| group_name(g.0)),
        households,
        recent,
    })
}
