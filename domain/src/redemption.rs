//! Redemption checks (积分兑换): what the counter may hand over for points.

use super::text::check_text;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{GoodsId, VillageId};

/// One line the clerk asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRequest {
    pub goods: GoodsId,
    pub quantity: i32,
}

/// The goods as they stand on the shelf when the redemption is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShelfGoods {
    pub id: GoodsId,
    pub village: VillageId,
    pub name: String,
    pub price: i32,
    pub stock: i32,
    pub active: bool,
}

/// A checked line, priced at the current price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedLine {
    pub goods: GoodsId,
    pub quantity: i32,
    pub unit_price: i32,
}

/// A redemption that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedemptionPlan {
    pub lines: Vec<PlannedLine>,
    pub total: i64,
}

/// Why a redemption is refused. Messages are shown to the clerk as they are.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RedemptionError {
    #[error("请至少选择一件商品")]
    Empty,
    #[error("一单最多 {} 种商品，请分成几单兑换", MAX_LINES)]
    TooManyLines,
    #[error("数量必须是正整数")]
    BadQuantity,
    #[error("同一商品请合并为一行")]
    DuplicateLine,
    #[error("商品不存在")]
    UnknownGoods,
    #[error("不能兑换其他村超市的商品")]
    OtherVillage,
    #[error("“{0}”已下架，不能兑换，请换其他商品")]
    Inactive(String),
    #[error("“{name}”库存不足：现有 {stock}，需要 {wanted}，请减少数量或换其他商品")]
    OutOfStock {
        name: String,
        stock: i32,
        wanted: i32,
    },
    #[error("积分不足：可用 {available} 分，需要 {needed} 分，请减少商品后再兑换")]
    InsufficientPoints { available: i64, needed: i64 },
}

/// Most lines (kinds of goods) one redemption may have; a shelf has 15.
pub const MAX_LINES: usize = 50;

/// Checks the number of lines of a request: at least one, at most
/// [`MAX_LINES`]. Checked before the shelf is read.
pub fn check_line_count(request: &[LineRequest]) -> Result<(), RedemptionError> {
    match request.len() {
        0 => Err(RedemptionError::Empty),
        n if n > MAX_LINES => Err(RedemptionError::TooManyLines),
        _ => Ok(()),
    }
}

/// Checks a redemption against the household's available points and the shelf.
/// `shelf` must hold every goods the request names (missing ones are unknown).
pub fn check_redemption(
    village: VillageId,
    available: i64,
    request: &[LineRequest],
    shelf: &[ShelfGoods],
) -> Result<RedemptionPlan, RedemptionError> {
    check_line_count(request)?;
    let mut lines = Vec::with_capacity(request.len());
    let mut total: i64 = 0;
    for (i, line) in request.iter().enumerate() {
        if line.quantity <= 0 || line.quantity > 999 {
            return Err(RedemptionError::BadQuantity);
        }
        if request[..i].iter().any(|l| l.goods == line.goods) {
            return Err(RedemptionError::DuplicateLine);
        }
        let goods = shelf
            .iter()
            .find(|g| g.id == line.goods)
            .ok_or(RedemptionError::UnknownGoods)?;
        if goods.village != village {
            return Err(RedemptionError::OtherVillage);
        }
        if !goods.active {
            return Err(RedemptionError::Inactive(goods.name.clone()));
        }
        if goods.stock < line.quantity {
            return Err(RedemptionError::OutOfStock {
                name: goods.name.clone(),
                stock: goods.stock,
                wanted: line.quantity,
            });
        }
        total += i64::from(goods.price) * i64::from(line.quantity);
        lines.push(PlannedLine {
            goods: goods.id,
            quantity: line.quantity,
            unit_price: goods.price,
        });
    }
    if total > available {
        return Err(RedemptionError::InsufficientPoints {
            available,
            needed: total,
        });
    }
    Ok(RedemptionPlan { lines, total })
}

/// Longest reason a void may carry.
pub const MAX_VOID_REASON: usize = 100;

/// The reasons a clerk most often voids for, offered as one tap each so the
/// on-screen keyboard is rarely needed (any other text is allowed too).
pub const VOID_REASONS: [&str; 4] = ["拿错商品", "数量点错", "选错农户", "农户不要了"];

/// Why a void (作废) is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VoidError {
    #[error("请填写作废原因")]
    NoReason,
    #[error("作废原因不能超过100个字")]
    ReasonTooLong,
    #[error("作废记录本身不能再作废")]
    IsVoid,
    #[error("小票 {0} 已作废，不能重复作废")]
    AlreadyVoided(String),
    #[error("只能作废当天的兑换；以前的兑换如有差错，请联系村积分管理员处理")]
    NotToday,
}

/// What the counter knows about a redemption it is asked to void.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoidCandidate {
    pub receipt_no: String,
    /// The China date it was made on.
    pub sold_on: chrono::NaiveDate,
    /// True if it is itself a void.
    pub is_void: bool,
    /// True if a void of it exists already.
    pub voided: bool,
}

/// Checks that a redemption may be voided today with `reason`; returns the
/// trimmed reason. Only the same day's redemptions may be voided at the
/// counter: by then nothing built on them (month totals, postings) is final.
pub fn check_void(
    r: &VoidCandidate,
    today: chrono::NaiveDate,
    reason: &str,
) -> Result<String, VoidError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(VoidError::NoReason);
    }
    check_text("作废原因", reason, MAX_VOID_REASON).map_err(|_| VoidError::ReasonTooLong)?;
    if r.is_void {
        return Err(VoidError::IsVoid);
    }
    if r.voided {
        return Err(VoidError::AlreadyVoided(r.receipt_no.clone()));
    }
    if r.sold_on != today {
        return Err(VoidError::NotToday);
    }
    Ok(reason.to_string())
}

/// The goods of a redemption as one line of text, "大米×2、洗衣粉×1";
/// a void's negated quantities are shown as they were handed over.
pub fn goods_text(lines: &[(String, i32)], sep: &str) -> String {
    lines
        .iter()
        .map(|(name, q)| format!("{name}×{}", q.abs()))
        .collect::<Vec<_>>()
        .join(sep)
}

/// How a void describes itself in ledgers: "作废小票 X（原因）：大米×2".
pub fn void_text(voided_receipt: &str, reason: Option<&str>, goods: &str) -> String {
    match reason {
        Some(r) => format!("作废小票 {voided_receipt}（{r}）：{goods}"),
        None => format!("作废小票 {voided_receipt}：{goods}"),
    }
}

/// One redemption or void of a day at the counter, for the day's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRow {
    pub household: super::HouseholdId,
    /// Negative for a void.
    pub total: i64,
    /// Goods name and quantity (negative for a void).
    pub lines: Vec<(String, i32)>,
    pub is_void: bool,
    pub voided: bool,
}

/// The day's figures (日结): voided redemptions and their voids cancel out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DayTotals {
    /// Redemptions that stand (not voided).
    pub redemptions: usize,
    pub voids: usize,
    /// Distinct households with a standing redemption.
    pub households: usize,
    /// Points taken, net of voids.
    pub points: i64,
    /// Units handed over per goods, net of voids, by name.
    pub goods: Vec<(String, i32)>,
}

/// Adds up a day at the counter.
pub fn summarise_day(rows: &[DayRow]) -> DayTotals {
    let mut t = DayTotals::default();
    let mut households = std::collections::BTreeSet::new();
    let mut goods: std::collections::BTreeMap<&str, i32> = std::collections::BTreeMap::new();
    for r in rows {
        if r.is_void {
            t.voids += 1;
        } else if !r.voided {
            t.redemptions += 1;
            households.insert(r.household);
        }
        t.points += r.total;
        for (name, q) in &r.lines {
            *goods.entry(name).or_default() += q;
        }
    }
    t.households = households.len();
    t.goods = goods
        .into_iter()
        .filter(|(_, q)| *q != 0)
        .map(|(n, q)| (n.to_string(), q))
        .collect();
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: VillageId = VillageId(1);

    fn shelf() -> Vec<ShelfGoods> {
        vec![
            ShelfGoods {
                id: GoodsId(1),
                village: V,
                name: "洗衣粉".into(),
                price: 15,
                stock: 3,
                active: true,
            },
            ShelfGoods {
                id: GoodsId(2),
                village: V,
                name: "食盐".into(),
                price: 3,
                stock: 50,
                active: true,
            },
            ShelfGoods {
                id: GoodsId(3),
                village: V,
                name: "蚊香".into(),
                price: 8,
                stock: 9,
                active: false,
            },
            ShelfGoods {
                id: GoodsId(4),
                village: VillageId(2),
                name: "毛巾".into(),
                price: 10,
                stock: 9,
                active: true,
            },
        ]
    }

    fn line(goods: i32, quantity: i32) -> LineRequest {
        LineRequest {
            goods: GoodsId(goods),
            quantity,
        }
    }

    #[test]
    fn a_covered_order_is_priced_line_by_line() {
        let plan = check_redemption(V, 40, &[line(1, 2), line(2, 3)], &shelf()).unwrap();
        assert_eq!(plan.total, 39);
        assert_eq!(plan.lines[0].unit_price, 15);
        assert_eq!(plan.lines[1].quantity, 3);
    }

    #[test]
    fn an_order_of_more_lines_than_the_cap_is_refused_before_the_shelf_is_read() {
        let many: Vec<LineRequest> = (0..40_000).map(|g| line(g, 1)).collect();
        assert_eq!(check_line_count(&many), Err(RedemptionError::TooManyLines));
        assert_eq!(
            check_redemption(VillageId(1), 1_000_000, &many, &shelf()),
            Err(RedemptionError::TooManyLines)
        );
        let most: Vec<LineRequest> = (0..MAX_LINES as i32).map(|g| line(g, 1)).collect();
        assert_eq!(check_line_count(&most), Ok(()));
        assert_eq!(check_line_count(&[]), Err(RedemptionError::Empty));
    }

    #[test]
    fn insufficient_points_are_refused_with_both_figures() {
        assert_eq!(
            check_redemption(V, 38, &[line(1, 2), line(2, 3)], &shelf()),
            Err(RedemptionError::InsufficientPoints {
                available: 38,
                needed: 39
            })
        );
    }

    #[test]
    fn insufficient_stock_is_refused() {
        let err = check_redemption(V, 1000, &[line(1, 4)], &shelf()).unwrap_err();
        assert_eq!(
            err,
            RedemptionError::OutOfStock {
                name: "洗衣粉".into(),
                stock: 3,
                wanted: 4
            }
        );
        assert_eq!(
            err.to_string(),
            "“洗衣粉”库存不足：现有 3，需要 4，请减少数量或换其他商品"
        );
    }

    #[test]
    fn inactive_goods_are_refused() {
        assert_eq!(
            check_redemption(V, 1000, &[line(3, 1)], &shelf()),
            Err(RedemptionError::Inactive("蚊香".into()))
        );
    }

    #[test]
    fn zero_or_negative_quantity_is_refused() {
        for q in [0, -1, -100] {
            assert_eq!(
                check_redemption(V, 1000, &[line(2, q)], &shelf()),
                Err(RedemptionError::BadQuantity)
            );
        }
    }

    #[test]
    fn empty_duplicate_unknown_and_foreign_orders_are_refused() {
        assert_eq!(
            check_redemption(V, 10, &[], &shelf()),
            Err(RedemptionError::Empty)
        );
        assert_eq!(
            check_redemption(V, 100, &[line(2, 1), line(2, 1)], &shelf()),
            Err(RedemptionError::DuplicateLine)
        );
        assert_eq!(
            check_redemption(V, 100, &[line(99, 1)], &shelf()),
            Err(RedemptionError::UnknownGoods)
        );
        assert_eq!(
            check_redemption(V, 100, &[line(4, 1)], &shelf()),
            Err(RedemptionError::OtherVillage)
        );
    }
    fn candidate() -> VoidCandidate {
        VoidCandidate {
            receipt_no: "200-20261129-0003".into(),
            sold_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
            is_void: false,
            voided: false,
        }
    }

    #[test]
    fn a_same_day_redemption_may_be_voided_with_a_reason() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(
            check_void(&candidate(), today, "  拿错了商品 "),
            Ok("拿错了商品".into())
        );
        assert_eq!(
            check_void(&candidate(), today, "  "),
            Err(VoidError::NoReason)
        );
        assert_eq!(
            check_void(&candidate(), today, &"错".repeat(101)),
            Err(VoidError::ReasonTooLong)
        );
    }

    #[test]
    fn voids_are_once_only_same_day_and_never_of_a_void() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let tomorrow = today.succ_opt().unwrap();
        assert_eq!(
            check_void(&candidate(), tomorrow, "错"),
            Err(VoidError::NotToday)
        );
        let voided = VoidCandidate {
            voided: true,
            ..candidate()
        };
        assert_eq!(
            check_void(&voided, today, "错").unwrap_err().to_string(),
            "小票 200-20261129-0003 已作废，不能重复作废"
        );
        let void = VoidCandidate {
            is_void: true,
            ..candidate()
        };
        assert_eq!(check_void(&void, today, "错"), Err(VoidError::IsVoid));
    }

    #[test]
    fn a_void_names_the_receipt_it_cancels() {
        let lines = vec![("大米".to_string(), -2), ("洗衣粉".to_string(), -1)];
        let goods = goods_text(&lines, "、");
        assert_eq!(goods, "大米×2、洗衣粉×1");
        assert_eq!(
            void_text("200-20261129-0001", Some("拿错商品"), &goods),
            "作废小票 200-20261129-0001（拿错商品）：大米×2、洗衣粉×1"
        );
    }

    #[test]
    fn a_voided_redemption_and_its_void_cancel_out_of_the_day() {
        use crate::HouseholdId;
        let row = |h, total, lines: &[(&str, i32)], is_void, voided| DayRow {
            household: HouseholdId(h),
            total,
            lines: lines.iter().map(|(n, q)| (n.to_string(), *q)).collect(),
            is_void,
            voided,
        };
        let t = summarise_day(&[
            row(1, 30, &[("大米", 1), ("食盐", 2)], false, false),
            row(2, 15, &[("洗衣粉", 1)], false, true),
            row(2, -15, &[("洗衣粉", -1)], true, false),
            row(1, 6, &[("食盐", 2)], false, false),
            row(3, 10, &[("毛巾", 1)], false, false),
        ]);
        assert_eq!((t.redemptions, t.voids, t.households), (3, 1, 2));
        assert_eq!(t.points, 46);
        assert_eq!(
            t.goods,
            vec![
                ("大米".to_string(), 1),
                ("毛巾".to_string(), 1),
                ("食盐".to_string(), 4)
            ]
        );
    }
}
