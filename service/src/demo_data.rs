//! Static demo data for the town of 高梁镇 (Gaoliang, Wanzhou, Chongqing) and a
//! small deterministic generator for invented households, names, addresses and
//! reason texts.
//!
//! Everything here is std-only: no I/O, no clock, no external crates. The same
//! seed always yields the same data. Unit names and statistical codes are the
//! real public ones (2020 division list); every person name and address built
//! here is invented, and nothing here produces an ID-card or phone number.

/// Name of the town the demo models.
pub const TOWN_NAME: &str = "高梁镇";

/// Nine-digit statistical code of the town; unit codes append three digits.
pub const TOWN_CODE: &str = "500101142";

/// One village-level unit (community 社区 or village 村) of the town.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoUnit {
    /// Official name, e.g. "沙坝村".
    pub name: &'static str,
    /// Full 12-digit statistical division code, e.g. "500101142200".
    pub code: &'static str,
    /// True for a community (社区), false for a village (村).
    pub is_community: bool,
    /// Whether the unit is treated as agricultural (涉农).
    pub agricultural: bool,
    /// Whether the unit takes part in the points scheme.
    pub taking_part: bool,
}

/// Builds a unit entry; keeps the table below compact.
const fn unit(
    name: &'static str,
    code: &'static str,
    is_community: bool,
    agricultural: bool,
    taking_part: bool,
) -> DemoUnit {
    DemoUnit {
        name,
        code,
        is_community,
        agricultural,
        taking_part,
    }
}

/// The town's 22 units: 6 communities then 16 villages.
///
/// Assumption (not public): 高梁场社区 is the agricultural community, so 17 units
/// are agricultural; 15 take part (the 14 villages other than 大碑村 and 天鹅村,
/// plus 高梁场社区). The town administrator can change both flags at run time.
pub const UNITS: [DemoUnit; 22] = [
    unit("高梁场社区", "500101142001", true, true, true),
    unit("新店子社区", "500101142002", true, false, false),
    unit("五梁桥社区", "500101142003", true, false, false),
    unit("大碑寺社区", "500101142004", true, false, false),
    unit("福安路社区", "500101142005", true, false, false),
    unit("杨金社区", "500101142006", true, false, false),
    unit("沙坝村", "500101142200", false, true, true),
    unit("新店村", "500101142201", false, true, true),
    unit("香良村", "500101142202", false, true, true),
    unit("三清村", "500101142203", false, true, true),
    unit("长春村", "500101142204", false, true, true),
    unit("千家村", "500101142205", false, true, true),
    unit("五福村", "500101142206", false, true, true),
    unit("康胜村", "500101142207", false, true, true),
    unit("大碑村", "500101142208", false, true, false),
    unit("天鹅村", "500101142209", false, true, false),
    unit("庙垭村", "500101142210", false, true, true),
    unit("茨坪村", "500101142211", false, true, true),
    unit("顺安村", "500101142212", false, true, true),
    unit("三义村", "500101142213", false, true, true),
    unit("豪家村", "500101142214", false, true, true),
    unit("桐槽村", "500101142215", false, true, true),
];

// The rule catalogue of the demo town is the standard catalogue (标准积分细则)
// shipped for every new village to start from; it lives in the domain.
pub use domain::standard_rules::{StandardRule as DemoRuleItem, STANDARD_RULES as RULE_ITEMS};

/// One item of the demo redemption shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoGoods {
    /// Name of the goods, e.g. "食用油".
    pub name: &'static str,
    /// Counting unit, e.g. "桶".
    pub unit: &'static str,
    /// Price in points (1 point = 1 yuan of retail value).
    pub price: i32,
    /// Initial stock on hand.
    pub stock: i32,
    /// One of `domain::goods::CATEGORIES`.
    pub category: &'static str,
}

/// Builds a goods entry; keeps the table below compact.
const fn goods(
    category: &'static str,
    name: &'static str,
    unit: &'static str,
    price: i32,
    stock: i32,
) -> DemoGoods {
    DemoGoods {
        name,
        unit,
        price,
        stock,
        category,
    }
}

/// Fifteen everyday goods priced at typical rural retail (1 point = 1 yuan):
/// e.g. 食用油 is a 5 L drum, 大米 a 10 kg bag, 洗衣粉 a 1.5 kg bag.
pub const GOODS: &[DemoGoods] = &[
    goods("清洁用品", "洗衣粉", "袋", 15, 60),
    goods("清洁用品", "洗衣液", "瓶", 25, 40),
    goods("清洁用品", "洗洁精", "瓶", 10, 50),
    goods("清洁用品", "肥皂", "块", 4, 80),
    goods("个人护理", "香皂", "块", 6, 70),
    goods("个人护理", "牙膏", "支", 12, 50),
    goods("个人护理", "毛巾", "条", 10, 60),
    goods("日用品", "抽纸", "提", 20, 40),
    goods("粮油调味", "食用油", "桶", 60, 12),
    goods("粮油调味", "大米", "袋", 50, 15),
    goods("粮油调味", "食盐", "袋", 3, 80),
    goods("日用品", "蚊香", "盒", 8, 45),
    goods("日用品", "扫帚", "把", 15, 20),
    goods("粮油调味", "酱油", "瓶", 10, 35),
    goods("粮油调味", "醋", "瓶", 8, 35),
];

/// Tiny deterministic PRNG (splitmix64). Not cryptographic; for demo data only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoRng(u64);

impl DemoRng {
    /// Creates a generator; the same seed always gives the same sequence.
    pub fn new(seed: u64) -> Self {
        DemoRng(seed)
    }

    /// Next 64 random bits (splitmix64 step).
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform-ish value in `0..n` (multiply-high reduction); returns 0 when `n == 0`.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Value in `lo..=hi_inclusive`; the bounds are swapped if given in reverse.
    pub fn range_i32(&mut self, lo: i32, hi_inclusive: i32) -> i32 {
        let (lo, hi) = if lo <= hi_inclusive {
            (lo, hi_inclusive)
        } else {
            (hi_inclusive, lo)
        };
        let span = (hi as i64 - lo as i64 + 1) as u64;
        (lo as i64 + self.below(span) as i64) as i32
    }

    /// True with probability `percent`/100 (100 or more is always true).
    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent as u64
    }

    /// A random element of `items`.
    ///
    /// # Panics
    /// Panics if `items` is empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        assert!(!items.is_empty(), "DemoRng::pick on an empty slice");
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Common surnames, weighted toward those frequent in Chongqing / Wanzhou
/// (earlier entries are repeated to make them more likely).
pub const SURNAMES: &[&str] = &[
    "张", "王", "李", "刘", "陈", "杨", "黄", "周", "吴", "谭", "向", "冉", "牟", "谢", "熊", "何",
    "罗", "唐", "邓", "徐", "朱", "胡", "彭", "曾", "汪", "余", "秦", "蒋", "马", "郑", "孙", "赵",
    "冯", "杜", "万", "傅", "袁", "廖", "付", "程", "张", "王", "李", "刘", "陈", "谭", "向", "冉",
];

/// Single characters typical of rural given names.
pub const GIVEN_CHARS: &[&str] = &[
    "国", "华", "建", "明", "文", "军", "平", "志", "春", "秀", "英", "兰", "芳", "玉", "珍", "梅",
    "红", "强", "伟", "勇", "德", "福", "贵", "荣", "富", "发", "成", "林", "清", "海", "云", "霞",
    "凤", "莲", "琴", "桂", "菊", "芬", "家", "光", "永", "学", "安", "中", "兴", "才", "全", "金",
    "祥", "松", "树", "正", "忠", "良", "先", "友", "蓉", "琼", "丽", "娟", "敏", "杰", "涛", "波",
    "斌", "刚",
];

/// Lowercase pinyin initial of every character in [`SURNAMES`] and
/// [`GIVEN_CHARS`] (plus 三 四 五 for tests). Polyphonic characters use their
/// reading in names (曾 zēng).
const PINYIN_INITIAL: &[(char, char)] = &[
    // surnames
    ('张', 'z'),
    ('王', 'w'),
    ('李', 'l'),
    ('刘', 'l'),
    ('陈', 'c'),
    ('杨', 'y'),
    ('黄', 'h'),
    ('周', 'z'),
    ('吴', 'w'),
    ('谭', 't'),
    ('向', 'x'),
    ('冉', 'r'),
    ('牟', 'm'),
    ('谢', 'x'),
    ('熊', 'x'),
    ('何', 'h'),
    ('罗', 'l'),
    ('唐', 't'),
    ('邓', 'd'),
    ('徐', 'x'),
    ('朱', 'z'),
    ('胡', 'h'),
    ('彭', 'p'),
    ('曾', 'z'),
    ('汪', 'w'),
    ('余', 'y'),
    ('秦', 'q'),
    ('蒋', 'j'),
    ('马', 'm'),
    ('郑', 'z'),
    ('孙', 's'),
    ('赵', 'z'),
    ('冯', 'f'),
    ('杜', 'd'),
    ('万', 'w'),
    ('傅', 'f'),
    ('袁', 'y'),
    ('廖', 'l'),
    ('付', 'f'),
    ('程', 'c'),
    // given-name characters
    ('国', 'g'),
    ('华', 'h'),
    ('建', 'j'),
    ('明', 'm'),
    ('文', 'w'),
    ('军', 'j'),
    ('平', 'p'),
    ('志', 'z'),
    ('春', 'c'),
    ('秀', 'x'),
    ('英', 'y'),
    ('兰', 'l'),
    ('芳', 'f'),
    ('玉', 'y'),
    ('珍', 'z'),
    ('梅', 'm'),
    ('红', 'h'),
    ('强', 'q'),
    ('伟', 'w'),
    ('勇', 'y'),
    ('德', 'd'),
    ('福', 'f'),
    ('贵', 'g'),
    ('荣', 'r'),
    ('富', 'f'),
    ('发', 'f'),
    ('成', 'c'),
    ('林', 'l'),
    ('清', 'q'),
    ('海', 'h'),
    ('云', 'y'),
    ('霞', 'x'),
    ('凤', 'f'),
    ('莲', 'l'),
    ('琴', 'q'),
    ('桂', 'g'),
    ('菊', 'j'),
    ('芬', 'f'),
    ('家', 'j'),
    ('光', 'g'),
    ('永', 'y'),
    ('学', 'x'),
    ('安', 'a'),
    ('中', 'z'),
    ('兴', 'x'),
    ('才', 'c'),
    ('全', 'q'),
    ('金', 'j'),
    ('祥', 'x'),
    ('松', 's'),
    ('树', 's'),
    ('正', 'z'),
    ('忠', 'z'),
    ('良', 'l'),
    ('先', 'x'),
    ('友', 'y'),
    ('蓉', 'r'),
    ('琼', 'q'),
    ('丽', 'l'),
    ('娟', 'j'),
    ('敏', 'm'),
    ('杰', 'j'),
    ('涛', 't'),
    ('波', 'b'),
    ('斌', 'b'),
    ('刚', 'g'),
    // for tests and examples
    ('三', 's'),
    ('四', 's'),
    ('五', 'w'),
];

/// An invented name: a surname plus one or two given characters (2 or 3
/// characters in all; about 70% have three).
pub fn person_name(rng: &mut DemoRng) -> String {
    let mut name = String::new();
    let surname: &&str = rng.pick(SURNAMES);
    name.push_str(surname);
    let first = *rng.pick(GIVEN_CHARS);
    name.push_str(first);
    if rng.chance(70) {
        // Avoid doubled given characters such as 华华 for adult-style names.
        let mut second = *rng.pick(GIVEN_CHARS);
        if second == first {
            second = *rng.pick(GIVEN_CHARS);
        }
        name.push_str(second);
    }
    name
}

/// Lowercase pinyin initials of `name` (e.g. "张三" gives "zs"); ASCII letters and
/// digits are kept (lowercased), other characters not in the table are skipped.
pub fn pinyin_initials(name: &str) -> String {
    name.chars()
        .filter_map(|c| {
            if c.is_ascii_alphanumeric() {
                return Some(c.to_ascii_lowercase());
            }
            PINYIN_INITIAL
                .iter()
                .find(|(han, _)| *han == c)
                .map(|(_, initial)| *initial)
        })
        .collect()
}

/// Chinese numeral for 1..=99 (一, 十, 十一, 二十, 二十一, ...).
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 => match n % 10 {
            0 => format!("{}十", DIGITS[n / 10]),
            unit => format!("{}十{}", DIGITS[n / 10], DIGITS[unit]),
        },
        _ => n.to_string(),
    }
}

/// Name of a villagers' group (村民小组): index 0 gives "一组", 9 gives "十组",
/// 10 gives "十一组".
pub fn group_name(index: usize) -> String {
    format!("{}组", chinese_number(index + 1))
}

/// Relations of household members to the head (户主).
const RELATIONS: &[&str] = &[
    "配偶", "儿子", "女儿", "儿媳", "孙子", "孙女", "母亲", "父亲",
];

/// Relations a household member other than the head may have to the head.
pub fn relation_names() -> &'static [&'static str] {
    RELATIONS
}

/// An invented street address such as "高梁镇沙坝村三组17号" (house number 1..=60).
pub fn address(village: &str, group: &str, rng: &mut DemoRng) -> String {
    let number = rng.range_i32(1, 60);
    format!("{TOWN_NAME}{village}{group}{number}号")
}

/// A short plausible reason text for a points entry under the rule item
/// `title`; awards and deductions use different templates. Month and day are
/// drawn from `rng` (day 1..=28, so every month is valid).
pub fn reason_for(title: &str, points: i32, month: u32, day: u32, rng: &mut DemoRng) -> String {
    // Item-specific wording for the most common items.
    if title.contains("清洁日") {
        let place = *rng.pick(&["村道", "院坝", "河沟", "公路沿线", "村委会周边"]);
        return format!("{month}月全民清洁日参加{place}打扫");
    }
    if title.contains("道路维护") {
        return format!("{month}月{day}日参与村组公路清障维护");
    }
    if title.contains("村民大会") {
        return if points >= 0 {
            format!("{month}月{day}日村民大会按时签到")
        } else {
            format!("{month}月{day}日{title}，有签到表为证")
        };
    }
    if let Some(rest) = title.strip_prefix("当月") {
        return format!("{month}月{rest}，经小组评议");
    }
    if title.contains("赡养照顾老人") {
        return format!("{month}月照料家中老人，邻居反映良好");
    }

    if points >= 0 {
        match rng.below(4) {
            0 => format!("{month}月{day}日{title}，经小组评议"),
            1 => format!("{month}月{title}，网格员核实"),
            2 => format!("{month}月{day}日{title}，村民小组长上报"),
            _ => format!("{month}月评议：{title}"),
        }
    } else {
        match rng.below(4) {
            0 => format!("{month}月{day}日巡查发现{title}"),
            1 => format!("{month}月{title}，经核实扣分"),
            2 => format!("{month}月{day}日{title}，群众反映属实"),
            _ => format!("{month}月评议：{title}，已提醒整改"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn units_are_complete() {
        assert_eq!(UNITS.len(), 22);
        assert_eq!(UNITS.iter().filter(|u| u.is_community).count(), 6);
        assert_eq!(UNITS.iter().filter(|u| u.taking_part).count(), 15);
        assert_eq!(UNITS.iter().filter(|u| u.agricultural).count(), 17);
        assert!(UNITS.iter().all(|u| !u.taking_part || u.agricultural));
        for u in UNITS.iter() {
            assert_eq!(u.is_community, u.name.ends_with("社区"), "{}", u.name);
        }
    }

    #[test]
    fn unit_codes_are_valid_and_unique() {
        let mut seen = HashSet::new();
        for u in UNITS.iter() {
            assert_eq!(u.code.len(), 12, "{}", u.name);
            assert!(u.code.bytes().all(|b| b.is_ascii_digit()), "{}", u.name);
            assert!(u.code.starts_with(TOWN_CODE), "{}", u.name);
            assert!(seen.insert(u.code), "duplicate code {}", u.code);
        }
        let names: HashSet<_> = UNITS.iter().map(|u| u.name).collect();
        assert_eq!(names.len(), 22);
        let shaba = UNITS.iter().find(|u| u.name == "沙坝村").unwrap();
        assert_eq!(shaba.code, "500101142200");
        assert_eq!(UNITS[0].code, "500101142001");
    }

    #[test]
    fn rule_catalogue_is_sound() {
        assert!(RULE_ITEMS.len() >= 24);
        let cats: HashSet<_> = RULE_ITEMS.iter().map(|r| r.category).collect();
        assert!(cats.len() >= 5);
        let titles: HashSet<_> = RULE_ITEMS.iter().map(|r| r.title).collect();
        assert_eq!(titles.len(), RULE_ITEMS.len(), "titles must be unique");
        assert!(RULE_ITEMS.iter().any(|r| r.points > 0));
        assert!(RULE_ITEMS.iter().any(|r| r.points < 0));
        for r in RULE_ITEMS {
            assert!(r.title.chars().count() <= 14, "{}", r.title);
            assert_ne!(r.points, 0, "{}", r.title);
            if let Some(cap) = r.monthly_cap {
                assert!(cap >= r.points.abs(), "{}", r.title);
            }
        }
        let capped = RULE_ITEMS
            .iter()
            .filter(|r| r.monthly_cap.is_some())
            .count();
        assert!(capped * 4 >= RULE_ITEMS.len() && capped * 2 <= RULE_ITEMS.len());
    }

    #[test]
    fn goods_are_sound() {
        assert!(GOODS.len() >= 12);
        let names: HashSet<_> = GOODS.iter().map(|g| g.name).collect();
        assert_eq!(names.len(), GOODS.len());
        for g in GOODS {
            assert!(g.price > 0, "{}", g.name);
            assert!((5..=80).contains(&g.stock), "{}", g.name);
        }
    }

    #[test]
    fn pinyin_initials_work() {
        assert_eq!(pinyin_initials("张三"), "zs");
        assert_eq!(pinyin_initials("谭四五"), "tsw");
        assert_eq!(pinyin_initials("冉?牟"), "rm");
        for s in SURNAMES.iter().chain(GIVEN_CHARS.iter()) {
            assert_eq!(s.chars().count(), 1, "{s}");
            assert_eq!(pinyin_initials(s).len(), 1, "no initial for {s}");
        }
        let keys: HashSet<_> = PINYIN_INITIAL.iter().map(|(c, _)| *c).collect();
        assert_eq!(keys.len(), PINYIN_INITIAL.len(), "duplicate table entry");
    }

    #[test]
    fn rng_is_deterministic() {
        let mut a = DemoRng::new(42);
        let mut b = DemoRng::new(42);
        let xs: Vec<u64> = (0..20).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..20).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        let mut c = DemoRng::new(43);
        assert_ne!(xs[0], c.next_u64());

        let mut r = DemoRng::new(7);
        for _ in 0..1000 {
            let v = r.range_i32(-3, 5);
            assert!((-3..=5).contains(&v));
            assert!(r.below(10) < 10);
        }
        assert_eq!(r.range_i32(4, 4), 4);
        assert_eq!(r.below(0), 0);
        assert!(!r.chance(0));
        assert!(r.chance(100));
    }

    #[test]
    fn names_have_two_or_three_chars() {
        let mut r = DemoRng::new(2024);
        let mut lens = HashSet::new();
        for _ in 0..500 {
            let n = person_name(&mut r);
            let len = n.chars().count();
            assert!((2..=3).contains(&len), "{n}");
            assert_eq!(pinyin_initials(&n).len(), len, "{n}");
            lens.insert(len);
        }
        assert_eq!(lens.len(), 2);
        let mut a = DemoRng::new(1);
        let mut b = DemoRng::new(1);
        assert_eq!(person_name(&mut a), person_name(&mut b));
    }

    #[test]
    fn groups_relations_addresses_reasons() {
        assert_eq!(group_name(0), "一组");
        assert_eq!(group_name(2), "三组");
        assert_eq!(group_name(9), "十组");
        assert_eq!(group_name(10), "十一组");
        assert_eq!(group_name(19), "二十组");
        assert_eq!(relation_names().len(), 8);
        assert!(relation_names().contains(&"配偶"));

        let mut r = DemoRng::new(5);
        let a = address("沙坝村", &group_name(2), &mut r);
        assert!(
            a.starts_with("高梁镇沙坝村三组") && a.ends_with('号'),
            "{a}"
        );

        for item in RULE_ITEMS {
            let text = reason_for(item.title, item.points, 6, 15, &mut r);
            assert!(!text.is_empty());
            assert!(text.chars().count() <= 40, "{text}");
        }
        let clean = reason_for("参加全民清洁日", 5, 6, 15, &mut r);
        assert!(clean.contains("清洁日"), "{clean}");
    }
}

/// A demo notice (村务公示): posted `days_ago` days before the demo's
/// today (negative: still scheduled), maybe edited once after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoNotice {
    pub category: &'static str,
    pub title: String,
    pub body: String,
    pub pinned: bool,
    pub days_ago: i64,
    /// A later version (title, body), edited a day after posting.
    pub edit: Option<(String, String)>,
}

/// The notices of a village: one of each category besides the monthly
/// 积分公示 (posted when a month is published), one pinned, two with an
/// edit, one scheduled. `index` varies the figures; `year` and `quarter`
/// are those of the last finished quarter.
pub fn notices(
    village: &str,
    is_community: bool,
    index: usize,
    year: i32,
    quarter: u32,
) -> Vec<DemoNotice> {
    let committee = if is_community {
        "居民委员会"
    } else {
        "村民委员会"
    };
    let branch = if is_community {
        "社区党委"
    } else {
        "村党支部"
    };
    let k = index as i64;
    // Finance figures (yuan), different in every village.
    let grant = 52_000 + k * 3_700;
    let collective = 18_600 + k * 1_250;
    let points_fund = 8_000 + k * 500;
    let income = grant + collective + points_fund;
    let roads = 21_400 + k * 900;
    let office = 6_300 + k * 210;
    let supermarket = 7_450 + k * 430;
    let care = 4_800 + k * 150;
    let spent = roads + office + supermarket + care;
    let road_km = 1.2 + (index % 4) as f64 * 0.3;
    let road_cost = 36 + index as i64 * 2;
    let meeting = format!(
        "{branch}定于本月 **{}日（星期六）上午9:00** 在村便民服务中心二楼会议室召开党员大会，请全体党员准时参加。\n\n## 会议议程\n\n1. 学习传达上级有关会议精神；\n2. 通报本季度村务工作和积分制推行情况；\n3. 讨论发展党员有关事项；\n4. 开展党员民主评议。\n\n## 有关要求\n\n- 不得无故缺席，确有特殊情况请提前向支部书记请假；\n- 流动党员可通过视频方式参会；\n- 按时参加党员大会的，按积分细则记 **+1 分**。\n\n{village}{branch}",
        18 + index % 6
    );
    vec![
        DemoNotice {
            category: "党务公开",
            title: format!("关于召开{year}年第{}季度党员大会的通知", quarter_cn(quarter)),
            body: meeting.clone(),
            pinned: false,
            days_ago: 3,
            edit: Some((
                format!("关于召开{year}年第{}季度党员大会的通知（更正）", quarter_cn(quarter)),
                meeting.replace("上午9:00", "下午2:30") + "\n\n> 更正：因镇里同日有培训，开会时间改为下午2:30。",
            )),
        },
        DemoNotice {
            category: "村务公开",
            title: format!("{village}产业路硬化项目公示"),
            body: format!(
                "根据村民代表大会决议，现将产业路硬化项目有关情况公示如下：\n\n| 项目 | 内容 |\n| --- | --- |\n| 建设地点 | {} 至 {} |\n| 建设内容 | 硬化道路 {road_km:.1} 公里，宽 3.5 米，C25 混凝土 |\n| 资金来源 | 财政衔接资金、村集体经济收入 |\n| 预算金额 | {road_cost} 万元 |\n| 施工单位 | 万州区某建筑工程有限公司（公开比选确定） |\n| 计划工期 | 60 天 |\n\n公示期 7 天。对项目有意见或建议的，请向村务监督委员会反映。\n\n{village}{committee}",
                group_name(index % 3),
                group_name(index % 3 + 2),
            ),
            pinned: false,
            days_ago: 20,
            edit: Some((
                format!("{village}产业路硬化项目公示"),
                format!(
                    "根据村民代表大会决议，现将产业路硬化项目有关情况公示如下：\n\n| 项目 | 内容 |\n| --- | --- |\n| 建设地点 | {} 至 {} |\n| 建设内容 | 硬化道路 {road_km:.1} 公里，宽 3.5 米，C25 混凝土 |\n| 资金来源 | 财政衔接资金、村集体经济收入 |\n| 预算金额 | {road_cost} 万元 |\n| 施工单位 | 万州区某建筑工程有限公司（公开比选确定） |\n| 计划工期 | 75 天（因雨季顺延） |\n\n公示期 7 天。对项目有意见或建议的，请向村务监督委员会反映。\n\n{village}{committee}",
                    group_name(index % 3),
                    group_name(index % 3 + 2),
                ),
            )),
        },
        DemoNotice {
            category: "财务公开",
            title: format!("{village}{year}年第{}季度财务收支公开", quarter_cn(quarter)),
            body: format!(
                "现将本村{year}年第{q}季度财务收支情况公开如下（单位：元）：\n\n## 收入\n\n| 项目 | 金额 |\n| --- | ---: |\n| 上级转移支付 | {grant} |\n| 村集体经营收入 | {collective} |\n| 积分超市专项资金 | {points_fund} |\n| **合计** | **{income}** |\n\n## 支出\n\n| 项目 | 金额 |\n| --- | ---: |\n| 道路维护 | {roads} |\n| 办公经费 | {office} |\n| 积分超市商品采购 | {supermarket} |\n| 困难群众慰问 | {care} |\n| **合计** | **{spent}** |\n\n本季度结余 **{}** 元。以上账目已经村务监督委员会审核。群众对公开内容有疑问的，可在公示之日起 10 日内向村务监督委员会提出。\n\n{village}{committee}",
                income - spent,
                q = quarter_cn(quarter),
            ),
            pinned: false,
            days_ago: 12,
            edit: None,
        },
        DemoNotice {
            category: "村务公开",
            title: format!("{village}积分制管理实施细则（修订）"),
            body: format!(
                "经村民代表大会讨论通过，{village}积分制管理实施细则修订如下，自公布之日起施行：\n\n1. **积分对象**：以户为单位，户主为积分账户持有人；\n2. **积分内容**：人居环境、移风易俗、孝老爱亲、志愿服务、遵纪守法等；\n3. **积分办法**：村民小组评分小组每月初评，村积分管理员审核录入；\n4. **积分使用**：积分可在村积分超市兑换生活用品，1 分抵 1 元；\n5. **公示监督**：每月积分台账在公示栏和本平台公示，村民可随时查询本户积分。\n\n具体加分、扣分标准见本平台“积分规则”栏目。\n\n{village}{committee}"
            ),
            pinned: true,
            days_ago: 45,
            edit: None,
        },
        DemoNotice {
            category: "其他",
            title: "关于做好冬季森林防火工作的通知".into(),
            body: "当前已进入森林防火重点时期，为保护群众生命财产安全，请广大村民做到：\n\n- 严禁在林区及林缘地带烧荒、烧纸、燃放烟花爆竹；\n- 祭祀请文明祭扫，提倡鲜花祭祀；\n- 发现火情立即拨打 **119** 或村委会值班电话。\n\n违反规定野外用火的，按积分细则扣分，并依法处理。".into(),
            pinned: false,
            days_ago: 7,
            edit: None,
        },
        DemoNotice {
            category: "其他",
            title: "积分超市元旦期间兑换时间安排".into(),
            body: format!(
                "元旦期间积分超市照常开放，兑换时间为每天 **上午9:00至11:30**。请村民带好户卡或报户卡号兑换。\n\n{village}积分超市"
            ),
            pinned: false,
            days_ago: -3,
            edit: None,
        },
    ]
}

/// 一二三四 for a quarter.
fn quarter_cn(quarter: u32) -> &'static str {
    ["一", "二", "三", "四"][(quarter.clamp(1, 4) - 1) as usize]
}
