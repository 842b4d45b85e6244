//! What the 朗读 (read aloud) buttons say: a household's balance and entries,
//! the rules, a notice, a counter receipt, as Mandarin sentences. Numbers are
//! written in Chinese numerals ("二十三分"), so any zh-CN voice reads them as
//! numbers and never digit by digit; dates read as "五月三日".

/// Most entries a household read-out includes: the newest first. An elderly
/// listener loses the thread after about ten.
pub const SPOKEN_ENTRIES: usize = 10;

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// Chinese numerals of a whole number: 23 gives "二十三", 105 "一百零五",
/// 10000 "一万", -5 "负五". Used for every figure that is read aloud.
pub fn chinese_number(n: i64) -> String {
    if n < 0 {
        return format!("负{}", chinese_number(n.unsigned_abs() as i64));
    }
    if n == 0 {
        return "零".into();
    }
    let n = n as u64;
    let yi = n / 100_000_000;
    let wan = (n / 10_000) % 10_000;
    let rest = n % 10_000;
    let mut out = String::new();
    if yi > 0 {
        out.push_str(&below_10000(yi, false));
        out.push('亿');
    }
    if wan > 0 {
        out.push_str(&below_10000(wan, yi > 0 && wan < 1000));
        out.push('万');
    } else if yi > 0 && rest > 0 {
        out.push('零');
    }
    if rest > 0 {
        out.push_str(&below_10000(rest, (yi > 0 || wan > 0) && rest < 1000));
    }
    // "一十" at the very start reads "十" (12 is 十二, but 112 is 一百一十二).
    if let Some(tail) = out.strip_prefix("一十") {
        out = format!("十{tail}");
    }
    out
}

/// 1..=9999; `lead_zero` puts a 零 first (inside a larger number: 10005 is
/// 一万零五).
fn below_10000(n: u64, lead_zero: bool) -> String {
    let units = ["千", "百", "十", ""];
    let parts = [n / 1000, (n / 100) % 10, (n / 10) % 10, n % 10];
    let mut out = String::new();
    let mut zero = lead_zero;
    let mut started = false;
    for (d, unit) in parts.iter().zip(units) {
        if *d == 0 {
            zero = zero || started;
            continue;
        }
        if zero && (started || lead_zero) {
            out.push('零');
        }
        zero = false;
        started = true;
        out.push_str(DIGITS[*d as usize]);
        out.push_str(unit);
    }
    out
}

/// A count of things: 2 reads "两" before a measure word ("两分" is
/// colloquial Mandarin, "二分" would sound like a fraction).
pub fn measure(n: i64, word: &str) -> String {
    let number = if n == 2 {
        "两".into()
    } else {
        chinese_number(n)
    };
    format!("{number}{word}")
}

/// Points as spoken: "二十三分".
pub fn points(n: i64) -> String {
    measure(n, "分")
}

/// A change of points: "加五分", "扣十分".
pub fn change(n: i64) -> String {
    if n < 0 {
        format!("扣{}", points(-n))
    } else {
        format!("加{}", points(n))
    }
}

/// A `yyyy-mm-dd` date (anything after the day is ignored) as "五月三日";
/// text that is not a date is returned as it is.
pub fn date(day: &str) -> String {
    let mut parts = day.get(..10).unwrap_or(day).split('-');
    let (_, Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return day.to_string();
    };
    match (m.parse::<i64>(), d.parse::<i64>()) {
        (Ok(m), Ok(d)) if (1..=12).contains(&m) && (1..=31).contains(&d) => {
            format!("{}月{}日", chinese_number(m), chinese_number(d))
        }
        _ => day.to_string(),
    }
}

/// Every run of ASCII digits in a text written in Chinese numerals, so "第3条"
/// reads "第三条" and a notice's "5月10日" reads as a date.
pub fn numbers_in(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if !digits.is_empty() {
            // Long runs (a card or phone number) read digit by digit.
            if digits.len() > 8 {
                out.extend(digits.chars().map(|c| DIGITS[(c as u8 - b'0') as usize]));
            } else {
                out.push_str(&chinese_number(digits.parse().unwrap_or(0)));
            }
            digits.clear();
        }
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

/// One ledger entry as the household read-out needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpokenEntry {
    /// `yyyy-mm-dd`.
    pub day: String,
    /// The rule item (or 兑换 for a redemption).
    pub item: String,
    /// The clerk's reason; may be blank.
    pub reason: String,
    pub points: i64,
}

/// What the household page and `/me` read: the balance, this month's points
/// and the newest [`SPOKEN_ENTRIES`] entries with their reasons.
pub fn household(head: &str, balance: i64, month_points: i64, entries: &[SpokenEntry]) -> String {
    let mut out = format!("{head}家，现有积分{}。", points(balance));
    out.push_str(&match month_points {
        0 => "本月还没有加分扣分。".to_string(),
        n if n > 0 => format!("本月共加{}。", points(n)),
        n => format!("本月共扣{}。", points(-n)),
    });
    if entries.is_empty() {
        return out;
    }
    let shown = entries.len().min(SPOKEN_ENTRIES);
    out.push_str(&if entries.len() > shown {
        format!("最近{}记录：", measure(shown as i64, "条"))
    } else {
        "记录如下：".to_string()
    });
    for e in &entries[..shown] {
        out.push_str(&date(&e.day));
        out.push('，');
        out.push_str(&numbers_in(&e.item));
        let reason = e.reason.trim();
        if !reason.is_empty() && reason != e.item.trim() {
            out.push('，');
            out.push_str(&numbers_in(reason));
        }
        out.push('，');
        out.push_str(&change(e.points));
        out.push('。');
    }
    out
}

/// What the counter reads to the villager after a redemption.
pub fn receipt(total: i64, balance_after: i64) -> String {
    format!(
        "本次兑换用了{}，还剩{}。",
        points(total),
        points(balance_after)
    )
}

/// One rule as the rules read-out needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpokenRule {
    pub item: String,
    /// Points per time (negative for a deduction).
    pub points: i64,
}

/// The village's rules, category by category.
pub fn rules(categories: &[(String, Vec<SpokenRule>)]) -> String {
    let mut out = String::from("本村积分规则。");
    for (category, items) in categories {
        out.push_str(&numbers_in(category));
        out.push('：');
        let spoken: Vec<String> = items
            .iter()
            .map(|r| format!("{}，{}", numbers_in(&r.item), change(r.points)))
            .collect();
        out.push_str(&spoken.join("；"));
        out.push('。');
    }
    out
}

/// A notice: its title, then its text with markup signs dropped.
pub fn notice(title: &str, body: &str) -> String {
    let text: String = body
        .chars()
        .filter(|c| !matches!(c, '#' | '*' | '>' | '`' | '|' | '_'))
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join("，");
    format!("{}。{}", numbers_in(title.trim()), numbers_in(&text))
}

/// The text of a notice's rendered HTML, as [`notice`] reads it: tags
/// dropped (each one a pause), the five entities the renderer writes decoded.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_the_way_a_villager_says_them() {
        let cases = [
            (0, "零"),
            (7, "七"),
            (10, "十"),
            (12, "十二"),
            (23, "二十三"),
            (100, "一百"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1001, "一千零一"),
            (1230, "一千二百三十"),
            (10_000, "一万"),
            (10_005, "一万零五"),
            (120_300, "十二万零三百"),
            (-15, "负十五"),
        ];
        for (n, spoken) in cases {
            assert_eq!(chinese_number(n), spoken, "{n}");
        }
    }

    #[test]
    fn two_points_are_liang_fen_and_changes_say_add_or_deduct() {
        assert_eq!(points(2), "两分");
        assert_eq!(points(20), "二十分");
        assert_eq!(change(5), "加五分");
        assert_eq!(change(-10), "扣十分");
    }

    #[test]
    fn dates_read_as_month_and_day() {
        assert_eq!(date("2026-05-03"), "五月三日");
        assert_eq!(date("2026-12-25 14:00"), "十二月二十五日");
        assert_eq!(date("昨天"), "昨天");
    }

    #[test]
    fn digits_inside_a_text_become_numerals_and_long_numbers_read_digit_by_digit() {
        assert_eq!(numbers_in("第3条，5月10日"), "第三条，五月十日");
        assert_eq!(numbers_in("电话13900001111"), "电话一三九零零零零一一一一");
    }

    #[test]
    fn a_household_read_out_has_the_balance_the_month_and_the_newest_entries() {
        let entry = |day: &str, item: &str, reason: &str, p| SpokenEntry {
            day: day.into(),
            item: item.into(),
            reason: reason.into(),
            points: p,
        };
        let text = household(
            "张大山",
            123,
            8,
            &[
                entry("2026-12-01", "参加义务劳动", "清扫村道2小时", 5),
                entry("2026-11-20", "乱倒垃圾", "", -2),
            ],
        );
        assert!(
            text.starts_with("张大山家，现有积分一百二十三分。本月共加八分。"),
            "{text}"
        );
        assert!(
            text.contains("十二月一日，参加义务劳动，清扫村道二小时，加五分"),
            "{text}"
        );
        assert!(text.contains("十一月二十日，乱倒垃圾，扣两分。"), "{text}");
        assert!(!text.chars().any(|c| c.is_ascii_digit()), "{text}");
        let many: Vec<SpokenEntry> = (0..15)
            .map(|_| entry("2026-12-01", "好事", "", 1))
            .collect();
        let text = household("李四", 15, 15, &many);
        assert_eq!(text.matches("好事").count(), SPOKEN_ENTRIES);
        assert!(text.contains("最近十条记录"), "{text}");
    }

    #[test]
    fn the_counter_reads_what_was_spent_and_what_is_left() {
        assert_eq!(receipt(30, 95), "本次兑换用了三十分，还剩九十五分。");
    }

    #[test]
    fn a_notices_html_reads_as_its_text() {
        let text = notice(
            "通知",
            &html_text("<h2>时间</h2><p><strong>5月1日</strong> &amp; 2日</p>"),
        );
        assert_eq!(text, "通知。时间，五月一日，&，二日");
    }

    #[test]
    fn rules_and_notices_read_without_markup_or_digits() {
        let text = rules(&[(
            "环境卫生".into(),
            vec![SpokenRule {
                item: "门前三包".into(),
                points: 2,
            }],
        )]);
        assert_eq!(text, "本村积分规则。环境卫生：门前三包，加两分。");
        let text = notice("12月积分兑换日", "## 时间\n**12月20日** 上午9点");
        assert_eq!(text, "十二月积分兑换日。时间，十二月二十日，上午九点");
    }
}
