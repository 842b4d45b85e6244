//! Wire types: what server functions send to pages. Plain data, shared by the
//! server and the browser.

use serde::{Deserialize, Serialize};

use domain::metrics::Period;
use domain::roles::Role;
use domain::{EntryId, GoodsId, GroupId, HouseholdId, RuleItemId, VillageId};

/// One village on the town home page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VillageSummary {
    pub id: VillageId,
    pub name: String,
    pub kind_label: String,
    pub households: i64,
    pub points_this_month: i64,
}

/// The town home page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TownOverview {
    pub town_name: String,
    pub month_label: String,
    pub villages: Vec<VillageSummary>,
    pub total_households: i64,
    pub total_points_this_month: i64,
}

/// A village group (组).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupView {
    pub id: GroupId,
    pub name: String,
}

/// A village's public header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VillageInfo {
    pub id: VillageId,
    pub name: String,
    pub code: String,
    pub kind_label: String,
    pub taking_part: bool,
    pub groups: Vec<GroupView>,
    pub households: i64,
    pub goods_kinds: i64,
}

/// One published rule item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleItemView {
    pub id: RuleItemId,
    pub title: String,
    pub points: i32,
    pub unit_label: String,
    pub monthly_cap: Option<i32>,
    pub evidence_required: bool,
    pub version: i32,
    pub active_from: String,
}

/// A category of the rule catalogue with its current items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleCategoryView {
    pub name: String,
    pub items: Vec<RuleItemView>,
}

/// Goods in the supermarket catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoodsView {
    pub id: GoodsId,
    pub name: String,
    pub unit: String,
    pub price: i32,
    pub stock: i32,
    pub photo: Option<String>,
}

/// One row of a household leaderboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaderRow {
    pub rank: u32,
    pub card_no: String,
    pub head_name: String,
    pub group_name: String,
    pub points: i64,
}

/// A household leaderboard for a period, optionally one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaderboardView {
    pub period: Period,
    pub period_label: String,
    pub group: Option<GroupId>,
    pub rows: Vec<LeaderRow>,
}

/// One village in the town ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VillageRankRow {
    pub rank: u32,
    pub village_id: VillageId,
    pub name: String,
    pub households: i64,
    /// Households living at home (在家户), the base of the participation rate.
    pub resident_households: i64,
    pub participating: i64,
    pub participation_pct: String,
    pub points_awarded: i64,
    pub points_per_household: String,
}

/// The town-wide ranking of villages for the current month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VillageRanking {
    pub month_label: String,
    pub rows: Vec<VillageRankRow>,
}

/// A household found by the public search: only the head's name and card number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdHit {
    pub card_no: String,
    pub head_name: String,
    pub village_name: String,
    pub group_name: String,
    pub balance: i64,
}

/// One ledger entry as the public and the household see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryView {
    pub id: EntryId,
    pub occurred_on: String,
    pub item: String,
    pub points: i32,
    pub reason: String,
    pub status_label: String,
    /// A later reversal cancelled this entry.
    pub reversed: bool,
    /// This entry cancels an earlier one.
    pub reverses: Option<EntryId>,
}

/// One redemption in a household's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RedemptionSummary {
    pub receipt_no: String,
    pub date: String,
    pub total: i64,
    pub items: String,
}

/// A household's public page (公示): head's name, card number, balance, history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdPublic {
    pub id: HouseholdId,
    pub card_no: String,
    pub head_name: String,
    pub village_id: VillageId,
    pub village_name: String,
    pub group_name: String,
    pub balance: i64,
    pub earned_total: i64,
    pub redeemed_total: i64,
    pub entries: Vec<EntryView>,
    pub redemptions: Vec<RedemptionSummary>,
}

/// A household member, visible to village staff and the household itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: domain::MemberId,
    pub name: String,
    pub relation: String,
}

/// A household's private record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdPrivate {
    pub id: HouseholdId,
    pub card_no: String,
    pub head_name: String,
    pub address: String,
    pub resident: bool,
    pub aware: bool,
    pub members: Vec<MemberView>,
    pub balance: i64,
}

/// The signed-in user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserView {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub role_label: String,
    pub village_id: Option<VillageId>,
    pub village_name: Option<String>,
    pub household_card: Option<String>,
    pub home: String,
    /// The account still holds its one-time password.
    #[serde(default)]
    pub must_change_password: bool,
}

/// A demo account shown on the login page while demo mode is on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoAccount {
    pub username: String,
    pub password: String,
    pub role_label: String,
    pub village_name: String,
}

/// Figures on a role's home page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeSummary {
    pub user: UserView,
    /// Label and value pairs for the summary cards.
    pub figures: Vec<(String, String)>,
}

/// A household as the village points clerk picks it (积分录入).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeHousehold {
    pub id: HouseholdId,
    pub card_no: String,
    pub head_name: String,
    pub group_name: String,
    pub balance: i64,
}

/// A recent entry of the village, with what the clerk needs to correct it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeEntry {
    pub id: EntryId,
    pub card_no: String,
    pub head_name: String,
    pub item: String,
    pub points: i32,
    pub reason: String,
    pub occurred_on: String,
    pub reversed: bool,
    pub reverses: Option<EntryId>,
    /// The household's balance now, to show what a reversal would leave.
    pub balance: i64,
}

/// The result of recording an entry or a reversal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    pub entry: EntryId,
    pub household: HouseholdId,
    pub head_name: String,
    pub points: i32,
    pub balance_after: i64,
}

/// A published month in a village's list of postings (月度公示).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedSummary {
    /// `yyyymm`.
    pub month: i32,
    pub label: String,
    pub digest: String,
    /// China date of posting, `YYYY-MM-DD`.
    pub published_on: String,
    pub awarded: i64,
    pub deducted: i64,
    pub redeemed: i64,
    pub entries: i32,
    pub redemptions: i32,
}

/// A month in the back office's publication list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerMonth {
    pub month: i32,
    pub label: String,
    /// The month is over and not yet published.
    pub publishable: bool,
    /// Set once published.
    pub published: Option<PublishedSummary>,
}

/// A month's ledger: frozen if published, as it stands otherwise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthLedgerView {
    pub village_id: VillageId,
    pub ledger: domain::publication::MonthLedger,
    pub totals: domain::publication::MonthTotals,
    /// Digest and posting date, when published.
    pub published: Option<PublishedSummary>,
    /// False if the stored text no longer matches its digest.
    pub intact: bool,
}

/// A proposal waiting for the clerk's decision (待审核).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingView {
    pub id: domain::ProposalId,
    pub household: HouseholdId,
    pub card_no: String,
    pub head_name: String,
    pub group_name: String,
    /// The household's balance now.
    pub balance: i64,
    pub item: String,
    pub points: i32,
    pub occurred_on: String,
    pub reason: String,
    pub source_label: String,
    pub proposed_by: String,
    pub evidence: Option<domain::EvidenceId>,
}

/// A decision already taken, in the list of recent reviews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewedView {
    pub id: domain::ProposalId,
    pub card_no: String,
    pub head_name: String,
    pub item: String,
    pub points: i32,
    pub reason: String,
    pub approved: bool,
    pub review_reason: String,
    /// China date and time, `YYYY-MM-DD HH:MM`.
    pub reviewed_at: String,
}

/// A stored photo of evidence (证明照片).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceView {
    pub id: domain::EvidenceId,
    pub width: i32,
    pub height: i32,
}

// ---- The villager's own pages (我的积分) and appeals (积分申诉) ----

/// One entry of the household's own history, with everything a villager
/// asks about it: the rule, the reason, who recorded it, any appeal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyEntry {
    pub id: EntryId,
    pub occurred_on: String,
    pub item: String,
    pub points: i32,
    pub reason: String,
    /// Who recorded it (the clerk's display name).
    pub recorded_by: String,
    /// The activity it was awarded for, if any.
    pub activity: Option<String>,
    pub reversed: bool,
    pub reverses: Option<EntryId>,
    /// The appeals against this entry, oldest first.
    pub appeals: Vec<AppealView>,
    /// Whether the household may appeal it now.
    pub may_appeal: bool,
}

/// An appeal (申诉) with its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppealView {
    pub id: i32,
    pub entry: EntryId,
    /// The disputed entry: date, rule item, points, reason.
    pub entry_date: String,
    pub entry_item: String,
    pub entry_points: i32,
    pub entry_reason: String,
    pub card_no: String,
    pub head_name: String,
    pub reason: String,
    pub filed_at: String,
    /// Filed by the clerk for the household (代申诉).
    pub assisted: bool,
    pub status: domain::appeal::AppealStatus,
    pub status_label: String,
    pub answer: Option<String>,
    pub answered_at: Option<String>,
    pub reversal: Option<EntryId>,
}

/// A good deed the household declared (申报), with the clerk's decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyDeclaration {
    pub occurred_on: String,
    pub item: String,
    pub points: i32,
    pub reason: String,
    pub declared_at: String,
    /// Filed by the clerk for the household (代申报).
    pub assisted: bool,
    /// 待审核 / 已通过 / 未通过.
    pub status_label: String,
    pub approved: Option<bool>,
    /// The clerk's reason when decided.
    pub decision: Option<String>,
}

/// A member's sign-up for an activity (活动报名).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MySignup {
    pub activity_id: i32,
    pub title: String,
    pub starts_at: String,
    pub place: String,
    pub member: String,
    /// 已报名 / 已取消 / 已签到 / 已发放积分 / 活动已取消.
    pub state: String,
    pub assisted: bool,
}

/// The villager's home (我的积分): figures, history and what they filed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyHousehold {
    pub household: HouseholdId,
    pub card_no: String,
    pub head_name: String,
    pub village_id: VillageId,
    pub village_name: String,
    pub group_name: String,
    pub balance: i64,
    /// Net points of this month and this year (China time).
    pub month_points: i64,
    pub year_points: i64,
    pub month_label: String,
    /// Rank in the village by this year's points, out of how many households.
    pub rank: u32,
    pub ranked_of: u32,
    /// The card's QR code (SVG), to show at the counter.
    pub qr_svg: String,
    pub members: Vec<MemberView>,
    pub entries: Vec<MyEntry>,
    pub declarations: Vec<MyDeclaration>,
    pub appeals: Vec<AppealView>,
    pub signups: Vec<MySignup>,
    pub redemptions: Vec<RedemptionSummary>,
    /// Opened by the clerk for the household (代办模式).
    pub assisted: bool,
}

/// How a household signs in: its phone and whether a PIN is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginSetting {
    pub phone: Option<String>,
    pub has_pin: bool,
}
