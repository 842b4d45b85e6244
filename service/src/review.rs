//! Review of pending points (审核): proposals wait in `proposal`; a decision
//! is one insert into `proposal_review` (unique per proposal, so a proposal
//! is decided once), and an approval writes the ledger entry in the same
//! transaction.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::entities::{
    household, member, proposal, proposal_review, rule_item, user_account, village_group,
};
use super::ledger::{record_in, NewEntry};
use super::{audit, publication, Db};
use domain::review::{decision_reason, entry_for_approval, ProposalSource, MAX_REVIEW};
use domain::roles::{Caller, Duty, Role};
use domain::time::{china_date, month_key};
use domain::{
    EvidenceId, GroupId, HouseholdId, MemberId, ProposalId, RuleItemId, UserId, VillageId,
};
use wire::AppError;

/// A declaration or proposal to put before the clerk.
#[derive(Debug, Clone)]
pub struct NewProposal {
    pub household: HouseholdId,
    pub member: Option<MemberId>,
    pub rule_item: RuleItemId,
    pub reason: String,
    pub occurred_on: NaiveDate,
    pub evidence: Option<EvidenceId>,
    /// Staff file it as the household's own declaration (代申报), for
    /// people without a phone; the audit log says so.
    pub assisted: bool,
}

/// Files a proposal as pending. A villager declares for their own household;
/// a village's back office files a scoring team's proposal.
pub async fn propose(
    db: &Db,
    caller: &Caller,
    input: NewProposal,
    now: DateTime<Utc>,
) -> Result<proposal::Model, AppError> {
    let reason = domain::ledger::check_entry_reason(&input.reason)?;
    if input.occurred_on > china_date(now) {
        return Err(AppError::invalid("发生日期不能晚于今天"));
    }
    let txn = db.write().await?;
    let hh = household::Entity::find_by_id(input.household.0)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该农户"))?;
    let village = VillageId(hh.village_id);
    let source = match caller.role {
        Role::Villager if caller.household == Some(input.household) => ProposalSource::Villager,
        _ if caller.may_record_points(village) && input.assisted => ProposalSource::Villager,
        _ if caller.may_propose(village, GroupId(hh.group_id)) => ProposalSource::Team,
        _ => return Err(AppError::Forbidden),
    };
    caller.check_duty(Duty::Propose, input.household)?;
    if hh.moved_away {
        return Err(AppError::invalid("该户已迁出，不能再记分"));
    }
    let item = rule_item::Entity::find_by_id(input.rule_item.0)
        .one(&*txn)
        .await?
        .filter(|i| i.village_id == hh.village_id)
        .ok_or_else(|| AppError::not_found("找不到该积分细则"))?;
    // A scoring team's proposal could not be approved without the photo
    // the rule asks for: say so now, on the spot, not at review.
    if source == ProposalSource::Team && item.evidence_required && input.evidence.is_none() {
        return Err(AppError::invalid("该细则需要上传证明照片"));
    }
    // Ids come from the client: a member must be of this household and a
    // photo of this village (and the villager's own upload), or the
    // declaration would open someone else's photo to the declaring household.
    if let Some(m) = input.member {
        member::Entity::find_by_id(m.0)
            .one(&*txn)
            .await?
            .filter(|m| m.household_id == hh.id)
            .ok_or_else(|| AppError::invalid("该成员不属于这一户"))?;
    }
    if let Some(e) = input.evidence {
        super::evidence::ensure_attachable(&*txn, caller, village, e).await?;
    }
    let row = proposal::ActiveModel {
        village_id: Set(hh.village_id),
        household_id: Set(hh.id),
        member_id: Set(input.member.map(|m| m.0)),
        rule_item_id: Set(input.rule_item.0),
        reason: Set(reason),
        occurred_on: Set(input.occurred_on),
        source: Set(source.as_str().into()),
        proposed_by: Set(caller.user.0),
        proposed_at: Set(now),
        evidence_id: Set(input.evidence.map(|e| e.0)),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "propose",
        "proposal",
        Some(row.id),
        format!(
            "household {} item {}{}",
            hh.id,
            input.rule_item.0,
            if input.assisted {
                " assisted (代申报)"
            } else {
                ""
            }
        ),
        now,
    )
    .await?;
    txn.touches(village);
    txn.commit().await?;
    Ok(row)
}

/// A pending proposal as the clerk reviews it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub proposal: proposal::Model,
    pub household: household::Model,
    pub group_name: String,
    pub item: rule_item::Model,
    pub proposed_by: String,
}

/// Proposals of a village still waiting for a decision, oldest first.
pub async fn pending(db: &Db, village: VillageId) -> Result<Vec<Pending>, AppError> {
    let decided = Query::select()
        .column(proposal_review::Column::ProposalId)
        .from(proposal_review::Entity)
        .to_owned();
    let rows = proposal::Entity::find()
        .filter(proposal::Column::VillageId.eq(village.0))
        .filter(proposal::Column::Id.not_in_subquery(decided))
        .order_by_asc(proposal::Column::Id)
        .limit(MAX_REVIEW as u64)
        .all(&db.conn)
        .await?;
    expand(db, rows).await
}

async fn expand(db: &Db, rows: Vec<proposal::Model>) -> Result<Vec<Pending>, AppError> {
    let households: HashMap<i32, household::Model> = household::Entity::find()
        .filter(household::Column::Id.is_in(rows.iter().map(|p| p.household_id)))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let items: HashMap<i32, rule_item::Model> = rule_item::Entity::find()
        .filter(rule_item::Column::Id.is_in(rows.iter().map(|p| p.rule_item_id)))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let users: HashMap<i32, String> = user_account::Entity::find()
        .filter(user_account::Column::Id.is_in(rows.iter().map(|p| p.proposed_by)))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let groups: HashMap<i32, String> = village_group::Entity::find()
        .filter(village_group::Column::Id.is_in(households.values().map(|h| h.group_id)))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    rows.into_iter()
        .map(|p| {
            let household = households
                .get(&p.household_id)
                .cloned()
                .ok_or(AppError::Internal)?;
            Ok(Pending {
                group_name: groups.get(&household.group_id).cloned().unwrap_or_default(),
                household,
                item: items
                    .get(&p.rule_item_id)
                    .cloned()
                    .ok_or(AppError::Internal)?,
                proposed_by: users.get(&p.proposed_by).cloned().unwrap_or_default(),
                proposal: p,
            })
        })
        .collect()
}

/// A decision taken, as the list of recent reviews shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decided {
    pub pending: Pending,
    pub review: proposal_review::Model,
}

/// The latest decisions in a village, newest first.
pub async fn recent_decisions(
    db: &Db,
    village: VillageId,
    limit: u64,
) -> Result<Vec<Decided>, AppError> {
    let reviews = proposal_review::Entity::find()
        .filter(
            proposal_review::Column::ProposalId.in_subquery(
                Query::select()
                    .column(proposal::Column::Id)
                    .from(proposal::Entity)
                    .and_where(proposal::Column::VillageId.eq(village.0))
                    .to_owned(),
            ),
        )
        .order_by_desc(proposal_review::Column::Id)
        .limit(limit)
        .all(&db.conn)
        .await?;
    let proposals = proposal::Entity::find()
        .filter(proposal::Column::Id.is_in(reviews.iter().map(|r| r.proposal_id)))
        .all(&db.conn)
        .await?;
    let mut by_id: HashMap<i32, Pending> = expand(db, proposals)
        .await?
        .into_iter()
        .map(|p| (p.proposal.id, p))
        .collect();
    Ok(reviews
        .into_iter()
        .filter_map(|r| {
            by_id
                .remove(&r.proposal_id)
                .map(|pending| Decided { pending, review: r })
        })
        .collect())
}

/// Approves or rejects the chosen proposals, all or nothing. An approval
/// records the entry under the usual rules (the rule version in force, the
/// monthly cap, the photo); a refusal of one names its household and decides
/// none. Returns how many were decided.
pub async fn decide(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    chosen: &[ProposalId],
    approve: bool,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    if !caller.may_record_points(village) {
        return Err(AppError::Forbidden);
    }
    let mut ids: Vec<i32> = chosen.iter().map(|p| p.0).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() > MAX_REVIEW {
        return Err(AppError::invalid(format!("一次最多审核 {MAX_REVIEW} 条")));
    }
    let note = decision_reason(ids.len(), approve, reason)?;
    let today = china_date(now);
    let txn = db.write().await?;
    let rows = proposal::Entity::find()
        .filter(proposal::Column::Id.is_in(ids.clone()))
        .order_by_asc(proposal::Column::Id)
        .all(&*txn)
        .await?;
    if rows.len() != ids.len() || rows.iter().any(|p| p.village_id != village.0) {
        return Err(AppError::not_found("找不到所选的待审核记录，请刷新后重试"));
    }
    let already = proposal_review::Entity::find()
        .filter(proposal_review::Column::ProposalId.is_in(ids.clone()))
        .count(&*txn)
        .await?;
    if already > 0 {
        return Err(AppError::Conflict(
            domain::review::ReviewError::AlreadyDecided.to_string(),
        ));
    }
    for p in &rows {
        caller.check_review(UserId(p.proposed_by), HouseholdId(p.household_id))?;
        let entry_id = if approve {
            let published =
                publication::is_published(&*txn, p.village_id, month_key(p.occurred_on)).await?;
            let (date, entry_reason) =
                entry_for_approval(p.occurred_on, published, &p.reason, today);
            let input = NewEntry {
                household: HouseholdId(p.household_id),
                member: p.member_id.map(MemberId),
                evidence: p.evidence_id.map(EvidenceId),
                rule_item: RuleItemId(p.rule_item_id),
                reason: entry_reason.clone(),
                occurred_on: date,
            };
            match record_in(&txn, caller, &input, &entry_reason, None, now).await {
                Ok(e) => Some(e.id),
                Err(AppError::Invalid(msg)) => {
                    let who = household::Entity::find_by_id(p.household_id)
                        .one(&*txn)
                        .await?
                        .map(|h| format!("{}（{}）", h.head_name, h.card_no))
                        .unwrap_or_default();
                    return Err(AppError::Invalid(format!("{who}：{msg}，本次审核未保存")));
                }
                Err(e) => return Err(e),
            }
        } else {
            None
        };
        let review = proposal_review::ActiveModel {
            proposal_id: Set(p.id),
            approved: Set(approve),
            reason: Set(note.clone()),
            entry_id: Set(entry_id),
            reviewed_by: Set(caller.user.0),
            reviewed_at: Set(now),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        audit::record(
            &*txn,
            Some(caller.user),
            if approve { "approve" } else { "reject" },
            "proposal_review",
            Some(review.id),
            format!("proposal {} entry {:?}", p.id, entry_id),
            now,
        )
        .await?;
    }
    txn.touches(village);
    txn.commit().await?;
    Ok(rows.len())
}

/// Counts a village's pending proposals.
pub async fn pending_count<C: ConnectionTrait>(
    conn: &C,
    village: VillageId,
) -> Result<u64, AppError> {
    let decided = Query::select()
        .column(proposal_review::Column::ProposalId)
        .from(proposal_review::Entity)
        .to_owned();
    Ok(proposal::Entity::find()
        .filter(proposal::Column::VillageId.eq(village.0))
        .filter(proposal::Column::Id.not_in_subquery(decided))
        .count(conn)
        .await?)
}

/// The wire form of a pending proposal.
pub fn pending_view(p: Pending) -> wire::types::PendingView {
    wire::types::PendingView {
        id: ProposalId(p.proposal.id),
        household: HouseholdId(p.household.id),
        card_no: p.household.card_no,
        head_name: p.household.head_name,
        group_name: p.group_name,
        balance: p.household.balance,
        item: p.item.title,
        points: p.item.points,
        occurred_on: p.proposal.occurred_on.format("%Y-%m-%d").to_string(),
        reason: p.proposal.reason,
        source_label: ProposalSource::parse(&p.proposal.source)
            .map(|s| s.label())
            .unwrap_or_default()
            .into(),
        proposed_by: p.proposed_by,
        evidence: p.proposal.evidence_id.map(EvidenceId),
    }
}

/// The wire form of a decision.
pub fn reviewed_view(d: Decided) -> wire::types::ReviewedView {
    wire::types::ReviewedView {
        id: ProposalId(d.pending.proposal.id),
        card_no: d.pending.household.card_no,
        head_name: d.pending.household.head_name,
        item: d.pending.item.title,
        points: d.pending.item.points,
        reason: d.pending.proposal.reason,
        approved: d.review.approved,
        review_reason: d.review.reason,
        reviewed_at: d
            .review
            .reviewed_at
            .with_timezone(&domain::time::china_offset())
            .format("%Y-%m-%d %H:%M")
            .to_string(),
    }
}
