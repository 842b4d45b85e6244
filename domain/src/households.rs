//! Households (户籍管理): checking the household form and planning an import
//! from a clerk's spreadsheet. Pure functions; the service in
//! `server::households` reads the file and writes the plan.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

/// Longest head or member name accepted.
pub const MAX_NAME_CHARS: usize = 20;
/// Longest address accepted.
pub const MAX_ADDRESS_CHARS: usize = 100;
/// Longest card number accepted (digits only).
pub const MAX_CARD_DIGITS: usize = 12;
/// Most data rows one import file may hold.
pub const MAX_IMPORT_ROWS: usize = 10_000;
/// Most rows an import sheet may span, counted from its first row: the data
/// rows, with room for a title, the header and a few blank lines.
pub const MAX_IMPORT_SHEET_ROWS: usize = MAX_IMPORT_ROWS + 20;
/// Most columns an import sheet may span (the template has 7).
pub const MAX_IMPORT_COLUMNS: usize = 50;
/// Most members one household may list.
pub const MAX_MEMBERS: usize = 30;

/// The columns of the import template, in order. Only 组别 and 户主姓名 are
/// required; 户卡号 is generated when blank.
pub const TEMPLATE_COLUMNS: [&str; 7] = [
    "组别",
    "户主姓名",
    "户卡号",
    "地址",
    "家庭成员",
    "是否常住",
    "是否知晓",
];

/// What marks a template row as an example: the import skips such rows, so a
/// clerk who types below the examples does not import 张三 and 王五 as well.
pub const EXAMPLE_MARK: &str = "（示例）";

/// Example rows of the downloadable template; each head carries
/// [`EXAMPLE_MARK`].
pub const TEMPLATE_EXAMPLES: [[&str; 7]; 2] = [
    [
        "一组",
        "张三（示例）",
        "",
        "高梁镇沙坝村一组12号",
        "李四（配偶）、张小明（儿子）",
        "是",
        "是",
    ],
    [
        "二组",
        "王五（示例）",
        "",
        "高梁镇沙坝村二组3号",
        "",
        "否",
        "否",
    ],
];

/// The example rows of templates downloaded before the examples were marked
/// (head and address), still skipped so an old template imports cleanly.
const UNMARKED_EXAMPLES: [(&str, &str); 2] = [
    ("张三", "高梁镇沙坝村一组12号"),
    ("王五", "高梁镇沙坝村二组3号"),
];

/// Whether a row with this head and address is one of the template's examples.
pub fn is_example_row(head: &str, address: &str) -> bool {
    let head = head.trim();
    head.ends_with(EXAMPLE_MARK)
        || head.ends_with("(示例)")
        || UNMARKED_EXAMPLES
            .iter()
            .any(|(h, a)| head == *h && address.trim() == *a)
}

/// A household member in a form or an import row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberInput {
    pub name: String,
    pub relation: String,
}

/// Why a household form or an import file is refused: each reads as the
/// sentence the clerk sees (an import row lists them as its problems).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HouseholdError {
    #[error("请填写{what}")]
    Missing { what: &'static str },
    #[error("{what}不能超过 {} 个字", MAX_NAME_CHARS)]
    TooLong { what: &'static str },
    #[error("地址不能超过 {} 个字", MAX_ADDRESS_CHARS)]
    AddressTooLong,
    #[error("户卡号应为数字")]
    CardNotDigits,
    #[error("户卡号应为 4 到 {} 位数字", MAX_CARD_DIGITS)]
    CardLength,
    #[error("户卡号不能是手机号的形式（1 开头的 11 位数字）")]
    CardLikePhone,
    #[error("家庭成员不能超过 {} 人", MAX_MEMBERS)]
    TooManyMembers,
    #[error("{name} 的关系不能超过 10 个字")]
    RelationTooLong { name: String },
    #[error("表头缺少“组别”列，请使用下载的模板")]
    GroupColumnMissing,
    #[error("找不到表头（需要“组别”“户主姓名”两列），请使用下载的模板")]
    NoHeader,
    #[error("文件中没有农户数据")]
    NoRows,
    #[error("文件中只有模板的示例行（标有“示例”），请在示例下方填写本村农户")]
    OnlyExamples,
    #[error("一次最多导入 {} 户，文件中有 {rows} 行", MAX_IMPORT_ROWS)]
    TooManyRows { rows: usize },
}

/// Trims a name and checks it: required, at most [`MAX_NAME_CHARS`].
pub fn check_name(name: &str, what: &'static str) -> Result<String, HouseholdError> {
    let name: String = name.split_whitespace().collect::<Vec<_>>().join("");
    if name.is_empty() {
        return Err(HouseholdError::Missing { what });
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(HouseholdError::TooLong { what });
    }
    Ok(name)
}

/// Trims an address and checks its length (it may be blank).
pub fn check_address(address: &str) -> Result<String, HouseholdError> {
    let address = address.trim().to_string();
    if address.chars().count() > MAX_ADDRESS_CHARS {
        return Err(HouseholdError::AddressTooLong);
    }
    Ok(address)
}

/// Trims a card number and checks its form: digits only, 4 to
/// [`MAX_CARD_DIGITS`] of them.
pub fn check_card_no(card: &str) -> Result<String, HouseholdError> {
    let card = card.trim().to_string();
    if card.is_empty() || !card.chars().all(|c| c.is_ascii_digit()) {
        return Err(HouseholdError::CardNotDigits);
    }
    if card.len() < 4 || card.len() > MAX_CARD_DIGITS {
        return Err(HouseholdError::CardLength);
    }
    // Villagers sign in with a card number or a phone: a card shaped like a
    // phone could shadow another household's phone sign-in.
    if super::account::is_phone_form(&card) {
        return Err(HouseholdError::CardLikePhone);
    }
    Ok(card)
}

/// Checks a member list: names required, relations default to 家庭成员.
pub fn check_members(members: &[MemberInput]) -> Result<Vec<MemberInput>, HouseholdError> {
    if members.len() > MAX_MEMBERS {
        return Err(HouseholdError::TooManyMembers);
    }
    members
        .iter()
        .map(|m| {
            let name = check_name(&m.name, "成员姓名")?;
            let relation = m.relation.trim();
            if relation.chars().count() > 10 {
                return Err(HouseholdError::RelationTooLong { name });
            }
            Ok(MemberInput {
                name,
                relation: if relation.is_empty() || relation == "户主" {
                    "家庭成员".into()
                } else {
                    relation.into()
                },
            })
        })
        .collect()
}

/// The card number a village gives its next household: the village's
/// three-digit code suffix and a 4-digit sequence after the highest in use
/// (`2000001`, `2000002`, ...), skipping any number in `taken`.
pub fn next_card_no<'a>(
    prefix: &str,
    existing: impl IntoIterator<Item = &'a str>,
    taken: &HashSet<String>,
) -> String {
    let highest = existing
        .into_iter()
        .filter_map(|c| c.strip_prefix(prefix))
        .filter(|rest| rest.len() >= 4 && rest.chars().all(|c| c.is_ascii_digit()))
        .filter_map(|rest| rest.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    let mut n = highest + 1;
    loop {
        let card = format!("{prefix}{n:04}");
        if !taken.contains(&card) {
            return card;
        }
        n += 1;
    }
}

/// Chinese numeral for 1..=99 (一, 十, 十一, 二十一).
fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let n = n as usize;
    match n {
        0..=9 => DIGITS[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[n % 10]),
        _ if n.is_multiple_of(10) => format!("{}十", DIGITS[(n / 10) % 10]),
        _ => format!("{}十{}", DIGITS[(n / 10) % 10], DIGITS[n % 10]),
    }
}

/// The usual spelling of a group name as clerks write it: `3`, `3组`,
/// `第三组` and `三组` all become `三组`; other names are only trimmed.
pub fn normalize_group(name: &str) -> String {
    let name: String = name.split_whitespace().collect();
    let core = name.strip_prefix('第').unwrap_or(&name);
    let core = core
        .strip_suffix("村民小组")
        .or_else(|| core.strip_suffix("小组"))
        .or_else(|| core.strip_suffix('组'))
        .unwrap_or(core);
    if let Ok(n) = core.parse::<u32>() {
        if (1..100).contains(&n) {
            return format!("{}组", chinese_number(n));
        }
    }
    if !core.is_empty() && core.chars().all(|c| "一二三四五六七八九十".contains(c)) {
        return format!("{core}组");
    }
    name
}

/// Reads a yes/no cell: 是/否, Y/N, 1/0, √/×, true/false; blank gives `default`.
pub fn parse_yes_no(cell: &str, default: bool) -> Option<bool> {
    match cell.trim().to_lowercase().as_str() {
        "" => Some(default),
        "是" | "y" | "yes" | "1" | "√" | "✓" | "true" | "常住" | "知晓" => Some(true),
        "否" | "n" | "no" | "0" | "×" | "x" | "false" | "不常住" | "不知晓" => Some(false),
        _ => None,
    }
}

/// Splits a members cell such as `李四（配偶）、张小明（儿子）` into members.
pub fn parse_members(cell: &str) -> Vec<MemberInput> {
    cell.split(['、', '，', ',', ';', '；', '/', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|part| {
            let part = part.replace('（', "(").replace('）', ")");
            match part.split_once('(') {
                Some((name, rest)) => MemberInput {
                    name: name.trim().into(),
                    relation: rest.trim_end_matches(')').trim().into(),
                },
                None => MemberInput {
                    name: part.trim().into(),
                    relation: String::new(),
                },
            }
        })
        .collect()
}

/// Where each template column sits in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    group: usize,
    head: usize,
    card: Option<usize>,
    address: Option<usize>,
    members: Option<usize>,
    resident: Option<usize>,
    aware: Option<usize>,
}

/// Finds the header row among the first rows of a sheet (a title row may sit
/// above it) and the template columns in it. Returns the header's index.
pub fn find_columns(rows: &[Vec<String>]) -> Result<(usize, Columns), HouseholdError> {
    let known = |cell: &str, names: &[&str]| names.contains(&cell.trim());
    for (i, row) in rows.iter().enumerate().take(10) {
        let find = |names: &[&str]| row.iter().position(|c| known(c, names));
        let Some(head) = find(&["户主姓名", "户主", "户主名"]) else {
            continue;
        };
        let group = find(&["组别", "组", "村民小组", "所属组", "组名"])
            .ok_or(HouseholdError::GroupColumnMissing)?;
        return Ok((
            i,
            Columns {
                group,
                head,
                card: find(&["户卡号", "卡号", "户号", "积分卡号"]),
                address: find(&["地址", "家庭住址", "住址"]),
                members: find(&["家庭成员", "成员"]),
                resident: find(&["是否常住", "常住"]),
                aware: find(&["是否知晓", "知晓"]),
            },
        ));
    }
    Err(HouseholdError::NoHeader)
}

/// One household the import will create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedHousehold {
    /// Line in the file (1-based, as the spreadsheet shows it).
    pub line: usize,
    pub group: String,
    pub head_name: String,
    pub card_no: String,
    /// Whether the card number was generated because the cell was blank.
    pub card_generated: bool,
    pub address: String,
    pub members: Vec<MemberInput>,
    pub resident: bool,
    pub aware: bool,
}

/// A row that cannot be imported, with every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub line: usize,
    /// The head's name as written (may be blank).
    pub head_name: String,
    pub problems: Vec<String>,
}

/// What an import would do: the households it creates and the rows it refuses.
/// It is written only when `problems` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ImportPlan {
    pub households: Vec<PlannedHousehold>,
    pub problems: Vec<RowProblem>,
    /// Lines skipped because they are the template's example rows.
    pub skipped_examples: Vec<usize>,
}

/// What the import checks against: the village's groups and card prefix, and
/// the card numbers already in use anywhere in the town.
pub struct ImportContext<'a> {
    pub group_names: &'a [String],
    pub card_prefix: &'a str,
    pub existing_cards: &'a HashSet<String>,
}

/// Why an import file is refused before its rows are read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error(
        "表格太大：第 {row} 行第 {column} 列还有内容，导入文件最多 {} 行、{} 列，请只保留农户数据后重新上传",
        MAX_IMPORT_SHEET_ROWS,
        MAX_IMPORT_COLUMNS
    )]
    TooLarge { row: usize, column: usize },
}

/// Checks that a cell with content, at 0-based `row` and `column`, lies
/// inside the sheet an import may span. A spreadsheet declares its size
/// itself, and one cell at XFD1048576 makes a full grid of 17 billion
/// cells: every cell is checked as it is read, before any grid is built.
pub fn check_cell_position(row: usize, column: usize) -> Result<(), SheetError> {
    if row >= MAX_IMPORT_SHEET_ROWS || column >= MAX_IMPORT_COLUMNS {
        return Err(SheetError::TooLarge {
            row: row + 1,
            column: column + 1,
        });
    }
    Ok(())
}

/// Plans an import from the cells of a sheet (header row included). Blank
/// rows are skipped; every other row becomes a household or a problem.
/// Card numbers left blank get the next free numbers of the village.
pub fn plan_import(
    rows: &[Vec<String>],
    ctx: &ImportContext<'_>,
) -> Result<ImportPlan, HouseholdError> {
    let (header, cols) = find_columns(rows)?;
    let data: Vec<(usize, &Vec<String>)> = rows
        .iter()
        .enumerate()
        .skip(header + 1)
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, r)| (i + 1, r))
        .collect();
    if data.is_empty() {
        return Err(HouseholdError::NoRows);
    }
    let cell = |r: &Vec<String>, i: Option<usize>| -> String {
        i.and_then(|i| r.get(i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let (examples, data): (Vec<_>, Vec<_>) = data
        .into_iter()
        .partition(|(_, r)| is_example_row(&cell(r, Some(cols.head)), &cell(r, cols.address)));
    if data.is_empty() {
        return Err(HouseholdError::OnlyExamples);
    }
    if data.len() > MAX_IMPORT_ROWS {
        return Err(HouseholdError::TooManyRows { rows: data.len() });
    }
    let groups: HashMap<String, &String> = ctx
        .group_names
        .iter()
        .map(|g| (normalize_group(g), g))
        .collect();
    // Card numbers written in the file, with how often each appears.
    let mut in_file: HashMap<String, usize> = HashMap::new();
    for (_, r) in &data {
        let c = cell(r, cols.card);
        if !c.is_empty() {
            *in_file.entry(c).or_default() += 1;
        }
    }
    let mut plan = ImportPlan {
        skipped_examples: examples.iter().map(|(line, _)| *line).collect(),
        ..ImportPlan::default()
    };
    let mut pending: Vec<(usize, PlannedHousehold)> = Vec::new();
    for (line, r) in data {
        let mut problems = Vec::new();
        let head_raw = cell(r, Some(cols.head));
        let head_name = check_name(&head_raw, "户主姓名").unwrap_or_else(|e| {
            problems.push(e.to_string());
            String::new()
        });
        let group_raw = cell(r, Some(cols.group));
        let group = if group_raw.is_empty() {
            problems.push("请填写组别".into());
            String::new()
        } else {
            match groups.get(&normalize_group(&group_raw)) {
                Some(g) => (*g).clone(),
                None => {
                    problems.push(format!("本村没有“{group_raw}”"));
                    String::new()
                }
            }
        };
        let card_raw = cell(r, cols.card);
        if !card_raw.is_empty() {
            match check_card_no(&card_raw) {
                Err(e) => problems.push(e.to_string()),
                Ok(c) if ctx.existing_cards.contains(&c) => {
                    problems.push(format!("户卡号 {c} 已被使用"))
                }
                Ok(c) if in_file.get(&c).copied().unwrap_or(0) > 1 => {
                    problems.push(format!("户卡号 {c} 在文件中重复"))
                }
                Ok(_) => {}
            }
        }
        let address = check_address(&cell(r, cols.address)).unwrap_or_else(|e| {
            problems.push(e.to_string());
            String::new()
        });
        let members = check_members(&parse_members(&cell(r, cols.members))).unwrap_or_else(|e| {
            problems.push(e.to_string());
            Vec::new()
        });
        let mut yes_no = |col: Option<usize>, what: &str, default: bool| {
            let raw = cell(r, col);
            parse_yes_no(&raw, default).unwrap_or_else(|| {
                problems.push(format!("{what}应填“是”或“否”，而不是“{raw}”"));
                default
            })
        };
        let resident = yes_no(cols.resident, "是否常住", true);
        let aware = yes_no(cols.aware, "是否知晓", false);
        if problems.is_empty() {
            pending.push((
                line,
                PlannedHousehold {
                    line,
                    group,
                    head_name,
                    card_generated: card_raw.is_empty(),
                    card_no: card_raw,
                    address,
                    members,
                    resident,
                    aware,
                },
            ));
        } else {
            plan.problems.push(RowProblem {
                line,
                head_name: head_raw,
                problems,
            });
        }
    }
    // Blank card numbers get the village's next free numbers, never one that
    // is in use or written elsewhere in the file.
    let mut taken: HashSet<String> = ctx.existing_cards.clone();
    taken.extend(in_file.into_keys());
    let mut next = next_card_no(ctx.card_prefix, taken.iter().map(String::as_str), &taken);
    for (_, mut h) in pending {
        if h.card_generated {
            h.card_no = next.clone();
            taken.insert(next);
            next = next_card_no(ctx.card_prefix, [h.card_no.as_str()], &taken);
        }
        plan.households.push(h);
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_beyond_the_import_sheet_bounds_is_refused() {
        assert_eq!(check_cell_position(0, 0), Ok(()));
        assert_eq!(
            check_cell_position(MAX_IMPORT_SHEET_ROWS - 1, MAX_IMPORT_COLUMNS - 1),
            Ok(())
        );
        assert!(check_cell_position(MAX_IMPORT_SHEET_ROWS, 0).is_err());
        assert!(check_cell_position(0, MAX_IMPORT_COLUMNS).is_err());
        // XFD1048576, the last cell Excel has.
        let e = check_cell_position(1_048_575, 16_383).unwrap_err();
        assert_eq!(
            e,
            SheetError::TooLarge {
                row: 1_048_576,
                column: 16_384
            }
        );
        assert!(e.to_string().contains("表格太大"), "{e}");
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    fn header() -> Vec<String> {
        row(&TEMPLATE_COLUMNS)
    }

    fn plan(rows: Vec<Vec<String>>, existing: &[&str]) -> Result<ImportPlan, HouseholdError> {
        let groups = vec!["一组".to_string(), "二组".to_string(), "十一组".to_string()];
        let existing: HashSet<String> = existing.iter().map(|s| s.to_string()).collect();
        plan_import(
            &rows,
            &ImportContext {
                group_names: &groups,
                card_prefix: "200",
                existing_cards: &existing,
            },
        )
    }

    #[test]
    fn group_names_are_read_as_clerks_write_them() {
        assert_eq!(normalize_group("3"), "三组");
        assert_eq!(normalize_group("3组"), "三组");
        assert_eq!(normalize_group("第三组"), "三组");
        assert_eq!(normalize_group(" 三组 "), "三组");
        assert_eq!(normalize_group("11组"), "十一组");
        assert_eq!(normalize_group("20"), "二十组");
        assert_eq!(normalize_group("21村民小组"), "二十一组");
        assert_eq!(normalize_group("街道"), "街道");
    }

    #[test]
    fn members_cells_are_split_with_relations() {
        let m = parse_members("李四（配偶）、张小明(儿子)，王芳");
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].name, "李四");
        assert_eq!(m[0].relation, "配偶");
        assert_eq!(m[1].relation, "儿子");
        assert_eq!(m[2].relation, "");
        let checked = check_members(&m).unwrap();
        assert_eq!(checked[2].relation, "家庭成员");
        assert!(parse_members("  ").is_empty());
    }

    #[test]
    fn card_numbers_follow_the_highest_of_the_village() {
        let none = HashSet::new();
        assert_eq!(
            next_card_no("200", ["2000001", "2000007", "2010099"], &none),
            "2000008"
        );
        assert_eq!(next_card_no("200", [], &none), "2000001");
        let taken: HashSet<String> = ["2000008".to_string()].into();
        assert_eq!(next_card_no("200", ["2000007"], &taken), "2000009");
        assert!(check_card_no("20a1").is_err());
        assert_eq!(check_card_no("123"), Err(HouseholdError::CardLength));
        assert_eq!(
            HouseholdError::CardLength.to_string(),
            format!("户卡号应为 4 到 {MAX_CARD_DIGITS} 位数字")
        );
        assert_eq!(check_card_no(" 2000001 ").unwrap(), "2000001");
    }

    #[test]
    fn a_card_number_may_not_take_a_phone_numbers_form() {
        for phone_like in ["13900001111", "18812345678", "10000000000"] {
            let err = check_card_no(phone_like).unwrap_err();
            assert_eq!(err, HouseholdError::CardLikePhone, "{phone_like}");
            assert!(err.to_string().contains("手机号"), "{err}");
        }
        // Other 11-digit numbers, and 12 digits starting with 1, are cards.
        assert!(check_card_no("20000000001").is_ok());
        assert!(check_card_no("139000011112").is_ok());
    }

    #[test]
    fn a_good_file_plans_every_row_and_fills_blank_cards() {
        let rows = vec![
            row(&["沙坝村农户花名册"]),
            header(),
            row(&["一组", "张三", "", "一组1号", "李四（配偶）", "是", "是"]),
            row(&["", "", "", "", "", "", ""]),
            row(&["2组", "王五", "2000100", "", "", "", ""]),
            row(&["第十一组", "赵六", "", "", "", "否", "否"]),
        ];
        let p = plan(rows, &["2000001", "2000002"]).unwrap();
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.households.len(), 3);
        let h = &p.households[0];
        assert_eq!((h.line, h.group.as_str()), (3, "一组"));
        // The highest card in use or in the file is 2000100.
        assert_eq!(h.card_no, "2000101");
        assert!(h.card_generated);
        assert_eq!(h.members.len(), 1);
        assert!(h.resident && h.aware);
        assert_eq!(p.households[1].card_no, "2000100");
        assert!(!p.households[1].card_generated);
        // Blank flags: resident yes, aware no.
        assert!(p.households[1].resident && !p.households[1].aware);
        assert_eq!(p.households[2].group, "十一组");
        assert_eq!(p.households[2].card_no, "2000102");
        assert!(!p.households[2].resident);
    }

    #[test]
    fn the_templates_example_rows_are_skipped_and_named() {
        let mut rows = vec![header()];
        rows.extend(TEMPLATE_EXAMPLES.iter().map(|r| row(r)));
        rows.push(row(&["一组", "赵六", "", "", "", "", ""]));
        let p = plan(rows, &[]).unwrap();
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.households.len(), 1);
        assert_eq!(p.households[0].head_name, "赵六");
        assert_eq!(p.skipped_examples, vec![2, 3]);
    }

    #[test]
    fn an_older_templates_unmarked_examples_are_skipped_but_a_real_zhang_san_is_not() {
        let rows = vec![
            header(),
            row(&["一组", "张三", "", "高梁镇沙坝村一组12号", "", "是", "是"]),
            row(&["一组", "张三", "", "一组5号", "", "", ""]),
        ];
        let p = plan(rows, &[]).unwrap();
        assert_eq!(p.skipped_examples, vec![2]);
        assert_eq!(p.households.len(), 1);
        assert_eq!(p.households[0].line, 3);
    }

    #[test]
    fn a_file_of_nothing_but_examples_says_so() {
        let mut rows = vec![header()];
        rows.extend(TEMPLATE_EXAMPLES.iter().map(|r| row(r)));
        let err = plan(rows, &[]).unwrap_err();
        assert_eq!(err, HouseholdError::OnlyExamples);
        assert!(err.to_string().contains("示例"));
    }

    #[test]
    fn bad_rows_are_named_with_every_reason() {
        let rows = vec![
            header(),
            row(&["一组", "", "", "", "", "", ""]),
            row(&["九组", "张三", "2000001", "", "", "", ""]),
            row(&["一组", "李四", "2000500", "", "", "也许", ""]),
            row(&["一组", "王五", "2000500", "", "", "", ""]),
            row(&["一组", "赵六", "", "", "", "", ""]),
        ];
        let p = plan(rows, &["2000001"]).unwrap();
        assert_eq!(p.households.len(), 1);
        assert_eq!(p.households[0].head_name, "赵六");
        let lines: Vec<usize> = p.problems.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5]);
        assert_eq!(p.problems[0].problems, vec!["请填写户主姓名"]);
        assert_eq!(
            p.problems[1].problems,
            vec!["本村没有“九组”", "户卡号 2000001 已被使用"]
        );
        assert!(p.problems[2]
            .problems
            .contains(&"户卡号 2000500 在文件中重复".to_string()));
        assert!(p.problems[2]
            .problems
            .iter()
            .any(|m| m.contains("是否常住")));
        assert_eq!(p.problems[3].problems, vec!["户卡号 2000500 在文件中重复"]);
    }

    #[test]
    fn files_without_the_template_header_or_data_are_refused() {
        assert!(plan(vec![row(&["姓名", "地址"])], &[]).is_err());
        assert_eq!(
            plan(vec![row(&["户主姓名", "地址"])], &[]),
            Err(HouseholdError::GroupColumnMissing)
        );
        assert_eq!(
            plan(vec![header(), row(&["", ""])], &[])
                .unwrap_err()
                .to_string(),
            "文件中没有农户数据"
        );
    }
}
