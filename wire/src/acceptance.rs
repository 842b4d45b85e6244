//! What crosses the network for acceptance (验收) and the evaluation inputs: the
//! checklist of every village, one village's evidence and acceptance, the
//! living-environment score grid, the disqualifying events, and the
//! nominations. Writes are the town admin's; a village admin reads their own
//! village's acceptance page.

use domain::VillageId;
use serde::{Deserialize, Serialize};

/// One checklist line of a village.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    /// `ChecklistItem::as_str`.
    pub item: String,
    pub label: String,
    /// Which of the six standards (1..=6).
    pub standard: u8,
    /// Proven by an upload (else computed from the data).
    pub needs_evidence: bool,
    pub met: bool,
    /// The figure it rests on: "在售 12 种", "已上传"...
    pub figure: String,
    /// The same for a list cell: "12 种", "95.0%", "3/4 月"; empty for
    /// uploaded items.
    pub short: String,
}

/// A village's acceptance status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VillageAcceptance {
    pub village_id: VillageId,
    pub village_name: String,
    /// The eleven checklist lines, in the plan's order.
    pub items: Vec<ItemView>,
    /// The six standards met (index 0 is standard 1).
    pub standards: Vec<bool>,
    /// `2026-08-03`, while accepted.
    pub accepted_on: Option<String>,
    pub accepted_by: Option<String>,
    /// Accepted after 15 August, or not accepted and the day has passed.
    pub late: bool,
}

/// An evidence file of a checklist item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceView {
    pub id: i32,
    pub item: String,
    pub name: String,
    pub note: String,
    pub is_image: bool,
    pub kind_label: String,
    pub size_label: String,
    pub uploaded_at: String,
    pub uploaded_by: String,
}

impl EvidenceView {
    /// Where the file is served.
    pub fn href(&self) -> String {
        format!("/acceptance-file/{}", self.id)
    }
}

/// One acceptance record (current or withdrawn).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcceptanceRecordView {
    pub id: i32,
    pub accepted_on: String,
    pub note: String,
    pub accepted_by: String,
    pub recorded_at: String,
    pub withdrawn_at: Option<String>,
    pub withdrawn_by: Option<String>,
    pub withdraw_reason: Option<String>,
}

/// A village's acceptance page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcceptanceDetail {
    pub overview: VillageAcceptance,
    /// Newest first.
    pub evidence: Vec<EvidenceView>,
    /// Newest first.
    pub history: Vec<AcceptanceRecordView>,
    /// The town admin may upload and accept; a village admin only reads.
    pub may_edit: bool,
    /// This year's deadline, `2026-08-15`.
    pub deadline: String,
}

/// A disqualifying event (一票否决情形) of a village.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlagView {
    pub id: i32,
    pub village_id: VillageId,
    pub village_name: String,
    /// `Disqualification::as_str`.
    pub kind: String,
    /// The Chinese label, which is also the reason a village is not eligible.
    pub label: String,
    pub occurred_on: String,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: String,
    pub lifted_at: Option<String>,
    pub lifted_by: Option<String>,
    pub lift_reason: Option<String>,
}

/// A demonstration-village nomination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NominationView {
    pub id: i32,
    pub year: i32,
    /// `Level::as_str`: "district" or "town".
    pub level: domain::evaluation::Level,
    pub level_label: String,
    pub village_id: VillageId,
    pub village_name: String,
    pub note: String,
    pub nominated_by: String,
    pub nominated_at: String,
    pub withdrawn_at: Option<String>,
    pub withdrawn_by: Option<String>,
    pub withdraw_reason: Option<String>,
}

/// The living-environment score grid of a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreGrid {
    pub year: i32,
    /// `yyyymm`, January up to the current month.
    pub months: Vec<i32>,
    pub month_labels: Vec<String>,
    pub villages: Vec<(VillageId, String)>,
    /// `cells[village][month]`, tenths.
    pub cells: Vec<Vec<Option<u32>>>,
}

/// The flags page: every event, and what the form offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlagsPage {
    /// Current ones first, newest first.
    pub flags: Vec<FlagView>,
    /// (stored kind, label), the plan's eight events.
    pub kinds: Vec<(String, String)>,
    pub villages: Vec<(VillageId, String)>,
    /// Today in China, `2026-11-29` (the form's default date).
    pub today: String,
}

/// The year's nominations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NominationsView {
    /// At most one per level.
    pub current: Vec<NominationView>,
    /// Every nomination, newest first.
    pub history: Vec<NominationView>,
}
