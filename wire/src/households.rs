//! What crosses the network for the households part of the back office (户籍管理):
//! list, create, edit, move away, import from a spreadsheet, print cards.
//! Each checks that the caller runs the village's back office.

use crate::types::GroupView;
use domain::households::{PlannedHousehold, RowProblem};
use domain::{GroupId, HouseholdId, MemberId};
use serde::{Deserialize, Serialize};

/// Which households a list shows besides the search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum HouseholdStatus {
    /// Households still in the village (not moved away).
    #[default]
    Current,
    /// Current households not living at home.
    NotResident,
    /// Current households not yet aware of the points system.
    NotAware,
    /// Households marked as moved away.
    MovedAway,
    /// Every household.
    All,
}

impl HouseholdStatus {
    /// Every status with its Chinese label, in menu order.
    pub const ALL: [(HouseholdStatus, &'static str); 5] = [
        (Self::Current, "在册农户"),
        (Self::NotResident, "不常住"),
        (Self::NotAware, "未知晓"),
        (Self::MovedAway, "已迁出"),
        (Self::All, "全部"),
    ];

    /// Stable text for forms and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::NotResident => "not_resident",
            Self::NotAware => "not_aware",
            Self::MovedAway => "moved_away",
            Self::All => "all",
        }
    }

    /// Parses [`Self::as_str`]; anything else is `Current`.
    pub fn parse(s: &str) -> Self {
        Self::ALL
            .iter()
            .map(|(st, _)| *st)
            .find(|st| st.as_str() == s)
            .unwrap_or_default()
    }
}

/// One household in the office list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdRow {
    pub id: HouseholdId,
    pub card_no: String,
    pub head_name: String,
    pub group_name: String,
    pub address: String,
    pub members: u32,
    pub resident: bool,
    pub aware: bool,
    pub moved_away: bool,
    pub balance: i64,
}

/// Head counts of a village's households.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HouseholdCounts {
    /// Households not moved away.
    pub current: u64,
    /// Of those, living at home.
    pub resident: u64,
    /// Of the resident ones, aware of the points system.
    pub resident_aware: u64,
    /// Households moved away.
    pub moved_away: u64,
}

/// One page of the office household list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdList {
    pub rows: Vec<HouseholdRow>,
    /// Households matching the search, over all pages.
    pub total: u64,
    pub page: u32,
    pub pages: u32,
    pub groups: Vec<GroupView>,
    pub counts: HouseholdCounts,
}

/// A household member as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: MemberId,
    pub name: String,
    pub relation: String,
}

/// A household with its members, for the edit form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdDetail {
    pub id: HouseholdId,
    pub card_no: String,
    pub head_name: String,
    pub group: GroupId,
    pub address: String,
    pub resident: bool,
    pub aware: bool,
    pub moved_away: bool,
    pub balance: i64,
    /// Members other than the head.
    pub members: Vec<MemberView>,
    /// Whether it has ledger entries or redemptions (then it is never deleted).
    pub has_history: bool,
}

/// A member in the household form; `id` is set for members already stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberForm {
    pub id: Option<MemberId>,
    pub name: String,
    pub relation: String,
}

/// The household form, for creating and editing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdForm {
    pub group: GroupId,
    pub head_name: String,
    /// Used when creating only (blank: the next free number); a card number
    /// never changes once printed.
    pub card_no: String,
    pub address: String,
    pub resident: bool,
    pub aware: bool,
    /// Members other than the head.
    pub members: Vec<MemberForm>,
}

/// What the create form starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewHouseholdDefaults {
    pub groups: Vec<GroupView>,
    pub next_card_no: String,
}

/// The preview of an import: every household it creates and every row it
/// refuses. Nothing has been written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub file_name: String,
    pub households: Vec<PlannedHousehold>,
    pub problems: Vec<RowProblem>,
    /// Lines skipped because they are the template's example rows.
    pub skipped_examples: Vec<usize>,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportDone {
    pub created: usize,
    pub first_card: String,
    pub last_card: String,
    /// Time the server took, in milliseconds.
    pub millis: u64,
}

/// The import template in both formats, base64-encoded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportTemplates {
    pub csv_base64: String,
    pub xlsx_base64: String,
}

/// One printed household card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdCard {
    pub village_name: String,
    pub group_name: String,
    pub head_name: String,
    pub card_no: String,
    /// The QR code of the card number as an SVG document.
    pub qr_svg: String,
}
