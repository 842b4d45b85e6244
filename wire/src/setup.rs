//! What crosses the network for setting the town up: the readiness checklist and the
//! units' flags (town admin, `/town/setup`); a village's groups and the
//! record of printed card sheets (the village's back office: its village
//! admin, or the town admin with `?v=`).

use domain::setup::Check;
use domain::{GroupId, VillageId};
use serde::{Deserialize, Serialize};

/// One cell of the readiness checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckCell {
    pub check: Check,
    pub ok: bool,
    /// "2 个", "80 户", "12 / 80 户", "2026-12-01 打印"...
    pub figure: String,
}

/// A village taking part and its checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadinessRow {
    pub village_id: VillageId,
    pub village_name: String,
    /// In the order of [`SetupPage::columns`].
    pub cells: Vec<CheckCell>,
    /// Every cell is ✓.
    pub ready: bool,
}

/// A unit (村/社区) of the town with its flags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitView {
    pub id: VillageId,
    pub name: String,
    pub code: String,
    /// 村 or 社区.
    pub kind_label: String,
    /// 涉农.
    pub agricultural: bool,
    /// 参与积分制.
    pub taking_part: bool,
}

/// The `/town/setup` page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetupPage {
    /// The checklist's columns and their headings.
    pub columns: Vec<(Check, String)>,
    /// One row per village taking part, in the town's order.
    pub rows: Vec<ReadinessRow>,
    /// Every unit of the town, taking part or not.
    pub units: Vec<UnitView>,
}

/// A group (组) of a village.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    pub id: GroupId,
    pub name: String,
    /// Households of the group not moved away.
    pub households: u32,
    /// Merged into another group: kept for past months, out of the pickers.
    pub retired: bool,
    /// The group it was merged into.
    pub merged_into: Option<String>,
    /// `2026-12-06`, when merged.
    pub retired_on: Option<String>,
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeDone {
    /// Households moved.
    pub moved: u32,
    pub from: String,
    pub into: String,
}
