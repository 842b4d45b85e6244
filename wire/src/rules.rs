//! What crosses the network for the rule catalogue editor (`/office/rules`) and the
//! public history of a village's scheme: drafting changes into one revision,
//! starting from the standard catalogue or another village's, publishing it
//! with the villagers' decision record. Writes are the village points
//! clerk's (or the town admin's, for any village).

use domain::rule_revision::{ChangeKind, DiffLine};
use domain::rules::RuleUnit;
use domain::{RuleChangeId, RuleItemId, RuleRevisionId, VillageId};
use serde::{Deserialize, Serialize};

/// An item of the latest catalogue, as the editor shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditorItem {
    /// The latest version's id.
    pub id: RuleItemId,
    pub category: String,
    pub title: String,
    pub points: i32,
    pub unit: RuleUnit,
    pub monthly_cap: Option<i32>,
    pub evidence_required: bool,
    pub version: i32,
    pub active_from: String,
    /// The draft's change of this item, if any.
    pub pending: Option<ChangeKind>,
}

/// One change of the draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftChangeView {
    pub id: RuleChangeId,
    pub line: DiffLine,
    /// The line in one sentence ("修改 参加全民清洁日：+5 → +6").
    pub sentence: String,
}

/// The village's draft revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftView {
    pub id: RuleRevisionId,
    /// China time, `2026-12-05 09:00`.
    pub created_at: String,
    pub changes: Vec<DraftChangeView>,
}

/// A village whose published catalogue may be copied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CopySourceView {
    pub village: VillageId,
    pub name: String,
    pub items: usize,
}

/// Everything the editor page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulesEditorView {
    pub village: VillageId,
    pub village_name: String,
    /// Category names in order (for the category field's suggestions).
    pub categories: Vec<String>,
    /// The latest catalogue: every item's latest version not retired.
    pub items: Vec<EditorItem>,
    pub draft: Option<DraftView>,
    /// Other villages with a published catalogue.
    pub sources: Vec<CopySourceView>,
    /// Items of the standard catalogue.
    pub standard_items: usize,
    /// Today in China, `2026-12-05`: the earliest effective date.
    pub today: String,
    /// How many revisions are published.
    pub published: usize,
}

/// What the clerk drafts: an addition, a change of an item (by its latest
/// version's id) or its retirement. The terms are ignored for a retirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeForm {
    pub kind: ChangeKind,
    pub item: Option<RuleItemId>,
    pub category: String,
    pub title: String,
    pub points: i32,
    pub unit: RuleUnit,
    pub monthly_cap: Option<i32>,
    pub evidence_required: bool,
}

/// Where a new catalogue is copied from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CopySource {
    /// 标准积分细则 shipped with the platform.
    Standard,
    /// Another village's published catalogue.
    Village(VillageId),
}

/// A published revision's decision record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionView {
    /// 村民代表大会 or 村民会议.
    pub meeting: String,
    pub meeting_on: String,
    pub entitled: i32,
    pub attended: i32,
    pub votes_for: i32,
    pub votes_against: i32,
    pub votes_abstain: Option<i32>,
    /// Where the minutes are read, if uploaded.
    pub minutes_href: Option<String>,
    pub minutes_is_pdf: bool,
}

/// A published revision with what it changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisionView {
    pub id: RuleRevisionId,
    /// 第 N 次.
    pub seq: i32,
    pub effective_from: String,
    pub published_on: String,
    pub decision: DecisionView,
    pub note: String,
    pub lines: Vec<DiffLine>,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

/// A village's scheme as the public sees it: the revision in force, any
/// published to start later, and the earlier ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulebookView {
    pub in_force: Option<RevisionView>,
    /// Published, effective after today; soonest first.
    pub upcoming: Vec<RevisionView>,
    /// Earlier revisions, newest first.
    pub history: Vec<RevisionView>,
}

/// What the publish form sends, as text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PublishForm {
    pub village: Option<VillageId>,
    pub revision: String,
    pub effective_from: String,
    pub meeting_kind: String,
    pub meeting_on: String,
    pub entitled: String,
    pub attended: String,
    pub votes_for: String,
    pub votes_against: String,
    pub votes_abstain: String,
    pub note: String,
    /// The minutes' file name and bytes.
    pub minutes: Option<(String, Vec<u8>)>,
}
