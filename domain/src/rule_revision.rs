//! Revisions of a village's rule catalogue (积分制方案的修订): a set of
//! changes drafted together and published as one revision with the
//! villagers' decision record (决议记录). The plan asks every village to have
//! its own scheme (三(二)(1) 有村"积分制"方案) decided by its villagers, so a
//! revision without a decision is a draft and changes nothing in force.
//!
//! Here: checking a decision record (quorum and majority), planning how a
//! draft's changes apply onto the current catalogue, and describing a
//! revision as what it added, removed and changed.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::ledger::signed;
use super::rules::{RuleError, RuleTerms};

/// Most changes one revision may hold: a whole catalogue copied from another
/// village fits (the standard one has 39 items); a request may not grow a
/// draft without bound.
pub const MAX_CHANGES: usize = 200;

/// Largest points of one item, either sign: a typo of 5000 for 50 must not
/// reach the ledger.
pub const MAX_POINTS: i32 = 1000;

/// Largest monthly cap of one item.
pub const MAX_CAP: i32 = 10_000;

/// Largest head count of a meeting: a village has a few thousand adults.
pub const MAX_PEOPLE: i32 = 100_000;

/// The meeting that decided a revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MeetingKind {
    /// 村民代表大会 (the law's 村民代表会议): the representatives and the
    /// village committee's members.
    Representatives,
    /// 村民会议: the village's adult villagers (or households' representatives).
    Villagers,
}

impl MeetingKind {
    /// Both kinds, in the order the form offers them.
    pub const ALL: [MeetingKind; 2] = [Self::Representatives, Self::Villagers];

    /// Stable text stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Representatives => "representatives",
            Self::Villagers => "villagers",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Representatives => "村民代表大会",
            Self::Villagers => "村民会议",
        }
    }

    /// What "应到人数" counts at this meeting, for the form.
    pub fn entitled_label(self) -> &'static str {
        match self {
            Self::Representatives => "应到人数（村民代表和村委会成员）",
            Self::Villagers => "应到人数（本村十八周岁以上村民）",
        }
    }
}

/// The decision record of a revision: the meeting and its vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub kind: MeetingKind,
    pub held_on: NaiveDate,
    /// How many were entitled to attend (应到): the quorum is counted on it.
    pub entitled: i32,
    /// How many attended (实到).
    pub attended: i32,
    pub votes_for: i32,
    pub votes_against: i32,
    /// Abstentions, when the minutes count them.
    pub votes_abstain: Option<i32>,
}

/// Why a revision cannot be drafted or published.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RevisionError {
    #[error("{0}")]
    Rule(#[from] RuleError),
    #[error("会议日期不能晚于今天")]
    MeetingInFuture,
    #[error("生效日期不能早于今天")]
    EffectiveInPast,
    #[error("生效日期不能早于会议日期")]
    EffectiveBeforeMeeting,
    #[error("人数和票数须为 0 到 {MAX_PEOPLE} 之间的整数")]
    BadCount,
    #[error("到会人数必须大于 0")]
    NobodyAttended,
    #[error("到会人数不能多于应到人数")]
    MoreThanEntitled,
    #[error("赞成、反对、弃权票数之和不能超过到会人数")]
    TooManyVotes,
    #[error("{kind}须有{rule}到会方可召开（应到 {entitled} 人，至少 {need} 人）")]
    NoQuorum {
        kind: &'static str,
        rule: &'static str,
        entitled: i32,
        need: i32,
    },
    #[error("赞成票须超过到会人数的一半（到会 {attended} 人，至少 {need} 票赞成）")]
    NotPassed { attended: i32, need: i32 },
    #[error("修订里还没有任何修改")]
    Empty,
    #[error("一次修订最多 {MAX_CHANGES} 项修改")]
    TooManyChanges,
    #[error("分值须在 −{MAX_POINTS} 到 {MAX_POINTS} 之间")]
    PointsOutOfRange,
    #[error("每月上限不能超过 {MAX_CAP} 分")]
    CapOutOfRange,
    #[error("找不到要修改的细则“{0}”，它可能已被修改或停用，请刷新")]
    UnknownItem(String),
    #[error("“{0}”在本次修订中已有修改，请先撤回那一项")]
    TwiceInRevision(String),
    #[error("细则名称“{0}”重复，同一方案中每项名称须不同")]
    DuplicateTitle(String),
    #[error("“{0}”没有任何改动")]
    Unchanged(String),
    #[error("“{0}”生效日期须晚于它当前版本的生效日期 {1}")]
    TooSoonFor(String, NaiveDate),
}

/// Whether a quorum of `entitled` is met by `attended`, and the least
/// number that meets it. 《村民委员会组织法》: a 村民代表会议 needs
/// 三分之二以上 of its members (第二十六条; "以上" includes the number
/// itself); a 村民会议 needs more than half of the adult villagers
/// (第二十二条; its other basis, two thirds of the households'
/// representatives, is the stricter one and is met too when that is what
/// the clerk counts, as long as the count entered is of people).
fn quorum(kind: MeetingKind, entitled: i32) -> (&'static str, i32) {
    match kind {
        // ceil(2/3 * entitled)
        MeetingKind::Representatives => ("三分之二以上组成人员", (2 * entitled + 2) / 3),
        // more than half: floor(entitled / 2) + 1
        MeetingKind::Villagers => ("过半数村民", entitled / 2 + 1),
    }
}

impl Decision {
    /// Checks the record against the law's quorum and majority, and the
    /// dates: the meeting took place (not after `today`), and the revision
    /// takes effect after it and not before `today` (a past start would
    /// change the terms of entries already recorded).
    pub fn check(&self, effective: NaiveDate, today: NaiveDate) -> Result<(), RevisionError> {
        let counts = [
            Some(self.entitled),
            Some(self.attended),
            Some(self.votes_for),
            Some(self.votes_against),
            self.votes_abstain,
        ];
        if counts
            .iter()
            .flatten()
            .any(|n| !(0..=MAX_PEOPLE).contains(n))
        {
            return Err(RevisionError::BadCount);
        }
        if self.held_on > today {
            return Err(RevisionError::MeetingInFuture);
        }
        if effective < today {
            return Err(RevisionError::EffectiveInPast);
        }
        if effective < self.held_on {
            return Err(RevisionError::EffectiveBeforeMeeting);
        }
        if self.attended <= 0 {
            return Err(RevisionError::NobodyAttended);
        }
        if self.attended > self.entitled {
            return Err(RevisionError::MoreThanEntitled);
        }
        let cast = self.votes_for + self.votes_against + self.votes_abstain.unwrap_or(0);
        if cast > self.attended {
            return Err(RevisionError::TooManyVotes);
        }
        let (rule, need) = quorum(self.kind, self.entitled);
        if self.attended < need {
            return Err(RevisionError::NoQuorum {
                kind: self.kind.label(),
                rule,
                entitled: self.entitled,
                need,
            });
        }
        // 所作决定应当经到会人员的过半数同意 (第二十二条、第二十六条).
        let need = self.attended / 2 + 1;
        if self.votes_for < need {
            return Err(RevisionError::NotPassed {
                attended: self.attended,
                need,
            });
        }
        Ok(())
    }
}

/// What one change of a draft does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeKind {
    /// 新增: a new item (version 1).
    Add,
    /// 修改: new terms for an item in force (its next version).
    Change,
    /// 停用: the item ends the day before the revision takes effect.
    Retire,
}

impl ChangeKind {
    /// Stable text stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Change => "change",
            Self::Retire => "retire",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Add, Self::Change, Self::Retire]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Add => "新增",
            Self::Change => "修改",
            Self::Retire => "停用",
        }
    }
}

/// An item of the catalogue in force: the current version of its lineage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentItem {
    /// The lineage: the id of version 1.
    pub lineage: i32,
    /// The current version's own id.
    pub item: i32,
    pub category: String,
    pub terms: RuleTerms,
    pub active_from: NaiveDate,
}

/// One change of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftChange {
    pub kind: ChangeKind,
    /// The lineage it changes or retires; `None` for an addition.
    pub lineage: Option<i32>,
    /// The category of the new terms (an addition or a change).
    pub category: String,
    /// The new terms; `None` for a retirement.
    pub terms: Option<RuleTerms>,
}

/// What publishing does to the stored catalogue, one step per change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Inserts version 1 of a new item, active from the effective date.
    Add { category: String, terms: RuleTerms },
    /// Closes `item` the day before the effective date and inserts its next
    /// version.
    Revise {
        item: i32,
        lineage: i32,
        category: String,
        terms: RuleTerms,
    },
    /// Closes `item` the day before the effective date.
    Retire { item: i32 },
}

/// Checks new terms beyond [`RuleTerms::validate`]: the bounds a form may
/// not exceed.
pub fn check_terms(terms: &RuleTerms) -> Result<(), RevisionError> {
    terms.validate()?;
    if terms.points.abs() > MAX_POINTS {
        return Err(RevisionError::PointsOutOfRange);
    }
    if terms.monthly_cap.is_some_and(|c| c > MAX_CAP) {
        return Err(RevisionError::CapOutOfRange);
    }
    Ok(())
}

/// Checks one change against the catalogue in force and the rest of the
/// draft, when it is drafted: its target exists and is not changed twice,
/// its terms are sound and differ from the current ones.
pub fn check_change(
    current: &[CurrentItem],
    others: &[DraftChange],
    change: &DraftChange,
) -> Result<(), RevisionError> {
    if let Some(terms) = &change.terms {
        check_terms(terms)?;
    }
    match change.kind {
        ChangeKind::Add => Ok(()),
        ChangeKind::Change | ChangeKind::Retire => {
            let target = change
                .lineage
                .and_then(|l| current.iter().find(|c| c.lineage == l))
                .ok_or_else(|| RevisionError::UnknownItem(String::new()))?;
            if others.iter().any(|o| o.lineage == Some(target.lineage)) {
                return Err(RevisionError::TwiceInRevision(target.terms.title.clone()));
            }
            if change.kind == ChangeKind::Change
                && change.terms.as_ref() == Some(&target.terms)
                && change.category == target.category
            {
                return Err(RevisionError::Unchanged(target.terms.title.clone()));
            }
            Ok(())
        }
    }
}

/// Plans how a draft's changes apply onto the catalogue in force from
/// `effective`: every target still current, no lineage touched twice, the
/// resulting catalogue's titles unique, each revised or retired item's
/// current version starting before `effective` (so that closing it the day
/// before leaves it a real period). Nothing is written here.
pub fn plan(
    current: &[CurrentItem],
    changes: &[DraftChange],
    effective: NaiveDate,
) -> Result<Vec<Step>, RevisionError> {
    if changes.is_empty() {
        return Err(RevisionError::Empty);
    }
    if changes.len() > MAX_CHANGES {
        return Err(RevisionError::TooManyChanges);
    }
    let by_lineage: HashMap<i32, &CurrentItem> = current.iter().map(|c| (c.lineage, c)).collect();
    let mut touched = HashSet::new();
    // Titles of the catalogue after the revision: the untouched items, then
    // the new terms.
    let mut titles: HashMap<i32, String> = current
        .iter()
        .map(|c| (c.lineage, c.terms.title.trim().to_string()))
        .collect();
    let mut added_titles = Vec::new();
    let mut steps = Vec::with_capacity(changes.len());
    for ch in changes {
        let target = match ch.kind {
            ChangeKind::Add => None,
            ChangeKind::Change | ChangeKind::Retire => {
                let c = ch
                    .lineage
                    .and_then(|l| by_lineage.get(&l).copied())
                    .ok_or_else(|| {
                        RevisionError::UnknownItem(
                            ch.terms
                                .as_ref()
                                .map(|t| t.title.clone())
                                .unwrap_or_default(),
                        )
                    })?;
                if !touched.insert(c.lineage) {
                    return Err(RevisionError::TwiceInRevision(c.terms.title.clone()));
                }
                if effective <= c.active_from {
                    return Err(RevisionError::TooSoonFor(
                        c.terms.title.clone(),
                        c.active_from,
                    ));
                }
                Some(c)
            }
        };
        match (ch.kind, target, &ch.terms) {
            (ChangeKind::Add, _, Some(terms)) => {
                check_terms(terms)?;
                added_titles.push(terms.title.trim().to_string());
                steps.push(Step::Add {
                    category: ch.category.clone(),
                    terms: terms.clone(),
                });
            }
            (ChangeKind::Change, Some(c), Some(terms)) => {
                check_terms(terms)?;
                titles.insert(c.lineage, terms.title.trim().to_string());
                steps.push(Step::Revise {
                    item: c.item,
                    lineage: c.lineage,
                    category: ch.category.clone(),
                    terms: terms.clone(),
                });
            }
            (ChangeKind::Retire, Some(c), _) => {
                titles.remove(&c.lineage);
                steps.push(Step::Retire { item: c.item });
            }
            // An addition or change without terms cannot be built by the
            // service; refuse rather than guess.
            _ => return Err(RevisionError::Empty),
        }
    }
    let mut seen = HashSet::new();
    for t in titles.into_values().chain(added_titles) {
        if !seen.insert(t.clone()) {
            return Err(RevisionError::DuplicateTitle(t));
        }
    }
    Ok(steps)
}

/// One line of a revision's description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub kind: ChangeKind,
    pub category: String,
    /// The item's title after the change (before it, for a retirement).
    pub title: String,
    /// The points before (a change or retirement).
    pub old_points: Option<i32>,
    /// The points after (an addition or change).
    pub new_points: Option<i32>,
    /// Other differences of a change, in Chinese ("每月上限 20 → 30").
    pub notes: Vec<String>,
}

fn cap_text(cap: Option<i32>) -> String {
    cap.map(|c| format!("{c} 分"))
        .unwrap_or_else(|| "不限".into())
}

/// Describes one change: the item before (`None` for an addition) and the
/// change's terms (`None` for a retirement).
pub fn describe(
    kind: ChangeKind,
    before: Option<(&str, &RuleTerms)>,
    after: Option<(&str, &RuleTerms)>,
) -> DiffLine {
    let mut notes = Vec::new();
    if let (Some((old_cat, old)), Some((new_cat, new))) = (before, after) {
        if old.title.trim() != new.title.trim() {
            notes.push(format!("名称：{} → {}", old.title, new.title));
        }
        if old_cat != new_cat {
            notes.push(format!("类别：{old_cat} → {new_cat}"));
        }
        if old.unit != new.unit {
            notes.push(format!("{} → {}", old.unit.label(), new.unit.label()));
        }
        if old.monthly_cap != new.monthly_cap {
            notes.push(format!(
                "每月上限：{} → {}",
                cap_text(old.monthly_cap),
                cap_text(new.monthly_cap)
            ));
        }
        if old.evidence_required != new.evidence_required {
            notes.push(if new.evidence_required {
                "改为需照片".into()
            } else {
                "改为不需照片".into()
            });
        }
    }
    let (category, title) = after
        .or(before)
        .map(|(c, t)| (c.to_string(), t.title.clone()))
        .unwrap_or_default();
    DiffLine {
        kind,
        category,
        title,
        old_points: before.map(|(_, t)| t.points),
        new_points: after.map(|(_, t)| t.points),
        notes,
    }
}

impl DiffLine {
    /// The line in one sentence, e.g. "修改 参加全民清洁日：+5 → +6".
    pub fn sentence(&self) -> String {
        let points = match (self.old_points, self.new_points) {
            (Some(a), Some(b)) if a != b => format!("{} → {}", signed(a.into()), signed(b.into())),
            (_, Some(b)) => signed(b.into()),
            (Some(a), None) => signed(a.into()),
            (None, None) => String::new(),
        };
        let mut s = format!("{} {}：{}", self.kind.label(), self.title, points);
        for n in &self.notes {
            s.push('；');
            s.push_str(n);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleUnit;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn terms(title: &str, points: i32) -> RuleTerms {
        RuleTerms {
            title: title.into(),
            points,
            unit: RuleUnit::PerTime,
            monthly_cap: None,
            evidence_required: false,
        }
    }

    fn decision() -> Decision {
        Decision {
            kind: MeetingKind::Representatives,
            held_on: d(2026, 12, 1),
            entitled: 30,
            attended: 20,
            votes_for: 11,
            votes_against: 5,
            votes_abstain: Some(4),
        }
    }

    #[test]
    fn a_representatives_meeting_needs_two_thirds_and_a_majority_of_those_present() {
        let today = d(2026, 12, 2);
        assert_eq!(decision().check(today, today), Ok(()));
        let mut low = decision();
        low.attended = 19;
        low.votes_abstain = Some(3);
        assert_eq!(
            low.check(today, today),
            Err(RevisionError::NoQuorum {
                kind: "村民代表大会",
                rule: "三分之二以上组成人员",
                entitled: 30,
                need: 20
            })
        );
        // 31 entitled: two thirds is 20.67, so 21 must attend.
        let mut odd = decision();
        odd.entitled = 31;
        assert!(matches!(
            odd.check(today, today),
            Err(RevisionError::NoQuorum { need: 21, .. })
        ));
        // Exactly half of those present is not a majority.
        let mut half = decision();
        half.votes_for = 10;
        half.votes_against = 10;
        half.votes_abstain = None;
        assert_eq!(
            half.check(today, today),
            Err(RevisionError::NotPassed {
                attended: 20,
                need: 11
            })
        );
    }

    #[test]
    fn a_villagers_meeting_needs_more_than_half_of_the_adults() {
        let today = d(2026, 12, 2);
        let mut m = decision();
        m.kind = MeetingKind::Villagers;
        m.entitled = 40;
        m.attended = 20;
        assert!(matches!(
            m.check(today, today),
            Err(RevisionError::NoQuorum { need: 21, .. })
        ));
        m.attended = 21;
        assert_eq!(m.check(today, today), Ok(()));
    }

    #[test]
    fn votes_and_dates_are_checked() {
        let today = d(2026, 12, 2);
        let mut m = decision();
        m.votes_abstain = Some(5);
        assert_eq!(m.check(today, today), Err(RevisionError::TooManyVotes));
        let mut m = decision();
        m.attended = 0;
        assert_eq!(m.check(today, today), Err(RevisionError::NobodyAttended));
        let mut m = decision();
        m.attended = 31;
        assert_eq!(m.check(today, today), Err(RevisionError::MoreThanEntitled));
        let mut m = decision();
        m.votes_for = -1;
        assert_eq!(m.check(today, today), Err(RevisionError::BadCount));
        let m = decision();
        assert_eq!(
            m.check(d(2026, 12, 1), today),
            Err(RevisionError::EffectiveInPast)
        );
        let mut m = decision();
        m.held_on = d(2026, 12, 3);
        assert_eq!(
            m.check(d(2026, 12, 4), today),
            Err(RevisionError::MeetingInFuture)
        );
        assert_eq!(decision().check(d(2027, 1, 1), today), Ok(()));
    }

    fn catalogue() -> Vec<CurrentItem> {
        vec![
            CurrentItem {
                lineage: 1,
                item: 7,
                category: "人居环境".into(),
                terms: terms("参加全民清洁日", 5),
                active_from: d(2026, 1, 1),
            },
            CurrentItem {
                lineage: 2,
                item: 2,
                category: "人居环境".into(),
                terms: terms("乱扔垃圾", -2),
                active_from: d(2026, 1, 1),
            },
        ]
    }

    #[test]
    fn a_draft_applies_as_additions_new_versions_and_retirements() {
        let changes = vec![
            DraftChange {
                kind: ChangeKind::Change,
                lineage: Some(1),
                category: "人居环境".into(),
                terms: Some(terms("参加全民清洁日", 6)),
            },
            DraftChange {
                kind: ChangeKind::Retire,
                lineage: Some(2),
                category: "人居环境".into(),
                terms: None,
            },
            DraftChange {
                kind: ChangeKind::Add,
                lineage: None,
                category: "志愿服务".into(),
                terms: Some(terms("义务植树", 3)),
            },
        ];
        let steps = plan(&catalogue(), &changes, d(2026, 12, 5)).unwrap();
        assert_eq!(steps.len(), 3);
        assert!(
            matches!(&steps[0], Step::Revise { item: 7, lineage: 1, terms, .. } if terms.points == 6)
        );
        assert_eq!(steps[1], Step::Retire { item: 2 });
        assert!(matches!(&steps[2], Step::Add { category, .. } if category == "志愿服务"));
    }

    #[test]
    fn a_draft_is_refused_when_it_conflicts() {
        let cat = catalogue();
        let eff = d(2026, 12, 5);
        assert_eq!(plan(&cat, &[], eff), Err(RevisionError::Empty));
        let twice = vec![
            DraftChange {
                kind: ChangeKind::Retire,
                lineage: Some(1),
                category: String::new(),
                terms: None,
            };
            2
        ];
        assert!(matches!(
            plan(&cat, &twice, eff),
            Err(RevisionError::TwiceInRevision(_))
        ));
        let gone = vec![DraftChange {
            kind: ChangeKind::Retire,
            lineage: Some(99),
            category: String::new(),
            terms: None,
        }];
        assert!(matches!(
            plan(&cat, &gone, eff),
            Err(RevisionError::UnknownItem(_))
        ));
        let dup = vec![DraftChange {
            kind: ChangeKind::Add,
            lineage: None,
            category: "人居环境".into(),
            terms: Some(terms("乱扔垃圾", -3)),
        }];
        assert!(matches!(
            plan(&cat, &dup, eff),
            Err(RevisionError::DuplicateTitle(_))
        ));
        let too_soon = vec![DraftChange {
            kind: ChangeKind::Change,
            lineage: Some(1),
            category: "人居环境".into(),
            terms: Some(terms("参加全民清洁日", 6)),
        }];
        assert!(matches!(
            plan(&cat, &too_soon, d(2026, 1, 1)),
            Err(RevisionError::TooSoonFor(_, _))
        ));
        let huge = vec![DraftChange {
            kind: ChangeKind::Add,
            lineage: None,
            category: "x".into(),
            terms: Some(terms("大额", 5000)),
        }];
        assert_eq!(plan(&cat, &huge, eff), Err(RevisionError::PointsOutOfRange));
        // Renaming an item to a retired item's title is fine.
        let swap = vec![
            DraftChange {
                kind: ChangeKind::Retire,
                lineage: Some(2),
                category: String::new(),
                terms: None,
            },
            DraftChange {
                kind: ChangeKind::Change,
                lineage: Some(1),
                category: "人居环境".into(),
                terms: Some(terms("乱扔垃圾", -3)),
            },
        ];
        assert!(plan(&cat, &swap, eff).is_ok());
    }

    #[test]
    fn a_change_is_checked_when_drafted() {
        let cat = catalogue();
        let same = DraftChange {
            kind: ChangeKind::Change,
            lineage: Some(1),
            category: "人居环境".into(),
            terms: Some(terms("参加全民清洁日", 5)),
        };
        assert!(matches!(
            check_change(&cat, &[], &same),
            Err(RevisionError::Unchanged(_))
        ));
        let retire = DraftChange {
            kind: ChangeKind::Retire,
            lineage: Some(1),
            category: String::new(),
            terms: None,
        };
        assert_eq!(check_change(&cat, &[], &retire), Ok(()));
        assert!(matches!(
            check_change(&cat, std::slice::from_ref(&retire), &retire),
            Err(RevisionError::TwiceInRevision(_))
        ));
    }

    #[test]
    fn a_revision_is_described_as_added_removed_and_changed() {
        let old = terms("参加全民清洁日", 5);
        let mut new = old.clone();
        new.points = 6;
        new.monthly_cap = Some(24);
        let line = describe(
            ChangeKind::Change,
            Some(("人居环境", &old)),
            Some(("人居环境", &new)),
        );
        assert_eq!(line.old_points, Some(5));
        assert_eq!(line.new_points, Some(6));
        assert_eq!(line.notes, vec!["每月上限：不限 → 24 分".to_string()]);
        assert_eq!(
            line.sentence(),
            "修改 参加全民清洁日：+5 → +6；每月上限：不限 → 24 分"
        );
        let gone = describe(ChangeKind::Retire, Some(("人居环境", &old)), None);
        assert_eq!(gone.sentence(), "停用 参加全民清洁日：+5");
        let added = terms("乱扔垃圾", -2);
        let add = describe(ChangeKind::Add, None, Some(("人居环境", &added)));
        assert_eq!(add.sentence(), "新增 乱扔垃圾：−2");
        assert_eq!(add.category, "人居环境");
    }
}
