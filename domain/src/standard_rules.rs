//! The standard rule catalogue (标准积分细则): a template a village copies to
//! start its own scheme (三(二)(1) 有村"积分制"方案), then changes by its own
//! villagers' decision. Not demo data: a real town starts from it too.

use super::rules::{RuleTerms, RuleUnit};

/// One add/deduct item of the standard catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandardRule {
    /// Category, e.g. "人居环境".
    pub category: &'static str,
    /// Short title (at most 14 characters).
    pub title: &'static str,
    /// Points per occurrence: positive awards, negative deducts.
    pub points: i32,
    /// True when the item is scored at most once per month (a monthly rating).
    pub per_month: bool,
    /// Upper bound on the absolute points this item may give in one month.
    pub monthly_cap: Option<i32>,
    /// Whether a photo or other evidence must accompany a proposal.
    pub evidence_required: bool,
}

/// Builds a rule item entry; keeps the table below compact.
const fn rule(
    category: &'static str,
    title: &'static str,
    points: i32,
    per_month: bool,
    monthly_cap: Option<i32>,
    evidence_required: bool,
) -> StandardRule {
    StandardRule {
        category,
        title,
        points,
        per_month,
        monthly_cap,
        evidence_required,
    }
}

/// The standard catalogue in 7 categories, modelled on published village
/// schemes (遵纪守法, 移风易俗, 人居环境, 孝老爱亲, 志愿服务, 参与村务, 公益行动).
/// A village starts its own scheme by copying it into a draft revision and
/// changing what its villagers decide; the demo town uses it as is.
pub const STANDARD_RULES: &[StandardRule] = &[
    // 遵纪守法
    rule("遵纪守法", "当月无违法违纪", 2, true, None, false),
    rule("遵纪守法", "协助调解矛盾纠纷", 5, false, Some(10), false),
    rule("遵纪守法", "举报违法线索经查实", 10, false, None, true),
    rule("遵纪守法", "见义勇为", 20, false, None, true),
    rule("遵纪守法", "参与聚众赌博", -10, false, None, false),
    rule("遵纪守法", "违规占用耕地建房", -20, false, None, true),
    // 移风易俗
    rule("移风易俗", "婚事新办简办", 10, false, None, false),
    rule("移风易俗", "丧事从简办理", 10, false, None, false),
    rule("移风易俗", "大操大办红白喜事", -10, false, None, true),
    rule("移风易俗", "索要高额彩礼", -10, false, None, false),
    rule("移风易俗", "参与封建迷信活动", -5, false, None, false),
    // 人居环境
    rule("人居环境", "庭院整洁评为“美丽庭院”", 10, true, None, true),
    rule("人居环境", "评为“最美庭院”", 20, false, None, true),
    rule("人居环境", "参加全民清洁日", 5, false, Some(20), true),
    rule("人居环境", "参与道路维护", 10, false, Some(20), true),
    rule("人居环境", "垃圾分类投放", 2, false, Some(6), false),
    rule("人居环境", "家六齐：室内整齐", 2, true, None, false),
    rule("人居环境", "家六齐：厨房整洁", 2, true, None, false),
    rule("人居环境", "家六齐：院坝不整洁", -2, false, Some(6), true),
    rule("人居环境", "柴草乱堆乱放", -1, false, Some(5), true),
    rule("人居环境", "乱扔垃圾", -2, false, Some(10), true),
    rule("人居环境", "畜禽散养污染环境", -2, false, Some(10), true),
    // 孝老爱亲
    rule("孝老爱亲", "赡养照顾老人", 5, true, None, false),
    rule("孝老爱亲", "评为“好儿媳”“好婆婆”", 10, false, None, false),
    rule("孝老爱亲", "邻里互帮互助", 2, false, Some(10), false),
    rule("孝老爱亲", "不履行赡养义务", -10, false, None, false),
    rule("孝老爱亲", "家庭暴力经查实", -20, false, None, false),
    // 志愿服务
    rule("志愿服务", "参加志愿服务", 3, false, Some(15), true),
    rule("志愿服务", "参加森林防火巡查", 3, false, Some(9), true),
    rule("志愿服务", "参与抗旱抢险", 5, false, Some(20), true),
    rule("志愿服务", "无偿献血", 10, false, None, true),
    // 参与村务
    rule("参与村务", "按时参加村民大会", 1, false, None, false),
    rule("参与村务", "村民大会迟到", -1, false, None, false),
    rule("参与村务", "无故缺席村民大会", -2, false, None, false),
    rule("参与村务", "按时缴纳城乡居民医保", 2, false, None, false),
    rule("参与村务", "建言献策被采纳", 5, false, Some(10), false),
    // 公益行动
    rule("公益行动", "捐资捐物支持公益", 5, false, Some(20), true),
    rule("公益行动", "参加公益劳动", 3, false, Some(12), true),
    rule("公益行动", "带动村民发展产业", 10, false, None, false),
];

impl StandardRule {
    /// The item's terms as stored.
    pub fn terms(&self) -> RuleTerms {
        RuleTerms {
            title: self.title.into(),
            points: self.points,
            unit: if self.per_month {
                RuleUnit::PerMonth
            } else {
                RuleUnit::PerTime
            },
            monthly_cap: self.monthly_cap,
            evidence_required: self.evidence_required,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_catalogue_has_39_valid_items() {
        assert_eq!(STANDARD_RULES.len(), 39);
        for r in STANDARD_RULES {
            assert_eq!(r.terms().validate(), Ok(()), "{}", r.title);
        }
    }
}
