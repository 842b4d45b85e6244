//! Stock rules of the points supermarket (库存): receipts (入库), adjustments
//! with a reason (调整), the goods form (新增/编辑商品), low-stock warnings and
//! the plan's minimum assortment. Pure functions, checked on the tablet for
//! quick feedback and again on the server before anything is written.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::goods::{CATEGORIES, MIN_KINDS_ON_SALE};
use super::GoodsId;

/// Largest quantity of one receipt or adjustment.
pub const MAX_QUANTITY: i32 = 99_999;
/// Largest unit cost, in fen (99,999.99 yuan).
pub const MAX_UNIT_COST_FEN: i64 = 9_999_999;
/// Highest price of a goods, in points.
pub const MAX_PRICE: i32 = 9_999;
/// Highest low-stock threshold.
pub const MAX_LOW_STOCK: i32 = 9_999;
/// How far back a receipt or adjustment may be dated, in days.
pub const MAX_DAYS_BACK: i64 = 366;
/// Longest goods name, in characters.
pub const MAX_NAME_CHARS: usize = 20;
/// Longest unit (袋, 瓶, 桶…), in characters.
pub const MAX_UNIT_CHARS: usize = 4;
/// Longest supplier name, in characters.
pub const MAX_SUPPLIER_CHARS: usize = 40;
/// Longest note of an adjustment, in characters.
pub const MAX_NOTE_CHARS: usize = 100;

/// The reasons a clerk picks from when adjusting stock, in menu order.
pub const ADJUST_REASONS: [&str; 4] = ["损耗/破损", "盘点更正", "过期", "其他"];
/// The reason that needs a note.
pub const OTHER_REASON: &str = "其他";

/// Why a stock form is refused: each reads as the sentence the clerk sees.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StockError {
    #[error("请填写商品名称")]
    NameMissing,
    #[error("商品名称不能超过 {} 个字", MAX_NAME_CHARS)]
    NameTooLong,
    #[error("请填写单位（如 袋、瓶、块）")]
    UnitMissing,
    #[error("单位不能超过 {} 个字", MAX_UNIT_CHARS)]
    UnitTooLong,
    #[error("请选择商品分类")]
    CategoryMissing,
    #[error("兑换积分应为 1 到 {} 的整数", MAX_PRICE)]
    PriceForm,
    #[error("预警数量应为 0 到 {} 的整数", MAX_LOW_STOCK)]
    LowStockForm,
    #[error("数量应为 1 到 {} 的整数", MAX_QUANTITY)]
    QuantityForm,
    #[error("调整数量应为 -{} 到 {} 的整数", MAX_QUANTITY, MAX_QUANTITY)]
    AdjustQuantityForm,
    #[error("调整数量不能为 0")]
    AdjustZero,
    #[error("请填写进货单价（元）")]
    CostMissing,
    #[error("进货单价应为金额（元），如 12.50，最多两位小数")]
    CostForm,
    #[error("进货单价过大，请检查")]
    CostTooHigh,
    #[error("供货方不能超过 {} 个字", MAX_SUPPLIER_CHARS)]
    SupplierTooLong,
    #[error("日期格式应为 2026-01-31")]
    DateForm,
    #[error("日期不能晚于今天")]
    DateInFuture,
    #[error("日期不能早于一年前，请检查")]
    DateTooOld,
    #[error("请选择调整原因")]
    ReasonMissing,
    #[error("说明不能超过 {} 个字", MAX_NOTE_CHARS)]
    NoteTooLong,
    #[error("选择“其他”时请填写说明")]
    NoteMissing,
    /// The adjustment would take more than is on the shelf.
    #[error("调整后库存不能为负（现有 {stock}）")]
    BelowZero { stock: i32 },
    #[error("库存数量过大")]
    TooMuch,
}

/// What moved stock: the `stock_movement.kind` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MovementKind {
    /// 入库: goods delivered to the shop (positive).
    Received,
    /// 调整: a correction with a reason (either sign).
    Adjusted,
    /// 兑换: handed over for points at the counter (negative).
    Redeemed,
    /// 作废退回: a voided redemption puts the goods back (positive).
    Voided,
}

impl MovementKind {
    /// Every kind, for labels and filters.
    pub const ALL: [MovementKind; 4] =
        [Self::Received, Self::Adjusted, Self::Redeemed, Self::Voided];

    /// Stable text stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Adjusted => "adjusted",
            Self::Redeemed => "redeemed",
            Self::Voided => "voided",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Received => "入库",
            Self::Adjusted => "调整",
            Self::Redeemed => "兑换",
            Self::Voided => "作废退回",
        }
    }
}

/// The Chinese label of a stored kind; an unknown kind shows as stored.
pub fn kind_label(stored: &str) -> String {
    MovementKind::parse(stored)
        .map(|k| k.label().to_string())
        .unwrap_or_else(|| stored.to_string())
}

/// The receipt form as typed (every field text, checked by [`ReceiveForm::check`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiveForm {
    pub goods: GoodsId,
    pub quantity: String,
    /// Yuan per unit, e.g. "12.50".
    pub unit_cost: String,
    pub supplier: String,
    /// `yyyy-mm-dd`.
    pub moved_on: String,
}

/// A checked receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub goods: GoodsId,
    pub quantity: i32,
    pub unit_cost_fen: i64,
    pub supplier: Option<String>,
    pub moved_on: NaiveDate,
}

impl ReceiveForm {
    /// Checks every field; `today` is the date in China.
    pub fn check(&self, today: NaiveDate) -> Result<Receipt, StockError> {
        Ok(Receipt {
            goods: self.goods,
            quantity: parse_quantity(&self.quantity)?,
            unit_cost_fen: parse_yuan(&self.unit_cost)?,
            supplier: check_supplier(&self.supplier)?,
            moved_on: check_moved_on(&self.moved_on, today)?,
        })
    }
}

/// The adjustment form as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustForm {
    pub goods: GoodsId,
    /// Signed: "-3" takes three away, "2" adds two.
    pub quantity: String,
    /// One of [`ADJUST_REASONS`].
    pub reason: String,
    /// Free text; required for [`OTHER_REASON`].
    pub note: String,
    /// `yyyy-mm-dd`.
    pub moved_on: String,
}

/// A checked adjustment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub goods: GoodsId,
    pub quantity: i32,
    /// The reason as stored: "损耗/破损" or "损耗/破损：老鼠咬坏".
    pub reason: String,
    pub moved_on: NaiveDate,
}

impl AdjustForm {
    /// Checks every field; `today` is the date in China. Whether the stock
    /// allows it is [`check_stock_after`], against the stock of the moment.
    pub fn check(&self, today: NaiveDate) -> Result<Adjustment, StockError> {
        Ok(Adjustment {
            goods: self.goods,
            quantity: parse_adjust_quantity(&self.quantity)?,
            reason: check_reason(&self.reason, &self.note)?,
            moved_on: check_moved_on(&self.moved_on, today)?,
        })
    }
}

/// The goods form (新增/编辑商品) as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct GoodsForm {
    pub name: String,
    pub unit: String,
    /// One of [`CATEGORIES`].
    pub category: String,
    /// Points per unit.
    pub price: String,
    /// Warn at or below this stock.
    pub low_stock: String,
}

/// A checked goods form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoodsFields {
    pub name: String,
    pub unit: String,
    pub category: String,
    pub price: i32,
    pub low_stock: i32,
}

impl GoodsForm {
    /// Checks every field.
    pub fn check(&self) -> Result<GoodsFields, StockError> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(StockError::NameMissing);
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(StockError::NameTooLong);
        }
        let unit = self.unit.trim();
        if unit.is_empty() {
            return Err(StockError::UnitMissing);
        }
        if unit.chars().count() > MAX_UNIT_CHARS {
            return Err(StockError::UnitTooLong);
        }
        let category = self.category.trim();
        if !CATEGORIES.contains(&category) {
            return Err(StockError::CategoryMissing);
        }
        let price = parse_int(&self.price)
            .filter(|p| (1..=MAX_PRICE).contains(p))
            .ok_or(StockError::PriceForm)?;
        let low_stock = parse_int(&self.low_stock)
            .filter(|n| (0..=MAX_LOW_STOCK).contains(n))
            .ok_or(StockError::LowStockForm)?;
        Ok(GoodsFields {
            name: name.to_string(),
            unit: unit.to_string(),
            category: category.to_string(),
            price,
            low_stock,
        })
    }
}

/// The key two goods names are compared by: a village never has two goods
/// whose names differ only in spaces or letter case.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A plain non-negative integer of at most 9 digits (ASCII or full-width digits).
fn parse_int(s: &str) -> Option<i32> {
    let s = half_width(s.trim());
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Full-width digits, point and minus (as some Chinese keyboards type them)
/// turned into ASCII.
fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            '－' => '-',
            '＋' => '+',
            _ => c,
        })
        .collect()
}

/// The quantity of a receipt: a whole number from 1 to [`MAX_QUANTITY`].
pub fn parse_quantity(s: &str) -> Result<i32, StockError> {
    parse_int(s)
        .filter(|q| (1..=MAX_QUANTITY).contains(q))
        .ok_or(StockError::QuantityForm)
}

/// The quantity of an adjustment: a signed whole number, not zero, at most
/// [`MAX_QUANTITY`] either way.
pub fn parse_adjust_quantity(s: &str) -> Result<i32, StockError> {
    let t = half_width(s.trim());
    let (sign, digits) = match t.strip_prefix('-') {
        Some(rest) => (-1, rest.to_string()),
        None => (1, t.strip_prefix('+').unwrap_or(&t).to_string()),
    };
    let n = parse_int(&digits)
        .filter(|q| *q <= MAX_QUANTITY)
        .ok_or(StockError::AdjustQuantityForm)?;
    if n == 0 {
        return Err(StockError::AdjustZero);
    }
    Ok(sign * n)
}

/// A price in yuan ("12.5", "12.50", "0") as fen. At most two decimals, not
/// negative, at most [`MAX_UNIT_COST_FEN`].
pub fn parse_yuan(s: &str) -> Result<i64, StockError> {
    let bad = || StockError::CostForm;
    let t = half_width(s.trim());
    let t = t
        .strip_prefix('¥')
        .or_else(|| t.strip_prefix('￥'))
        .unwrap_or(&t)
        .trim();
    if t.is_empty() {
        return Err(StockError::CostMissing);
    }
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, f),
        None => (t, ""),
    };
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 7 || !digits(whole) || frac.len() > 2 || !digits(frac) {
        return Err(bad());
    }
    if t.contains('.') && frac.is_empty() {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
        _ => frac.parse().map_err(|_| bad())?,
    };
    let fen = whole * 100 + frac;
    if fen > MAX_UNIT_COST_FEN {
        return Err(StockError::CostTooHigh);
    }
    Ok(fen)
}

/// Fen as yuan with two decimals: 1250 -> "12.50".
pub fn format_fen(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// The supplier: optional, at most [`MAX_SUPPLIER_CHARS`] characters.
pub fn check_supplier(s: &str) -> Result<Option<String>, StockError> {
    let s = s.trim();
    if s.chars().count() > MAX_SUPPLIER_CHARS {
        return Err(StockError::SupplierTooLong);
    }
    Ok((!s.is_empty()).then(|| s.to_string()))
}

/// The date of a receipt or adjustment: `yyyy-mm-dd`, not after `today`
/// (China time) and not more than [`MAX_DAYS_BACK`] days before it.
pub fn check_moved_on(s: &str, today: NaiveDate) -> Result<NaiveDate, StockError> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| StockError::DateForm)?;
    if d > today {
        return Err(StockError::DateInFuture);
    }
    if (today - d).num_days() > MAX_DAYS_BACK {
        return Err(StockError::DateTooOld);
    }
    Ok(d)
}

/// The reason of an adjustment as stored: one of [`ADJUST_REASONS`], with
/// the note after a full-width colon when there is one.
pub fn check_reason(reason: &str, note: &str) -> Result<String, StockError> {
    let reason = reason.trim();
    if !ADJUST_REASONS.contains(&reason) {
        return Err(StockError::ReasonMissing);
    }
    let note = note.trim();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(StockError::NoteTooLong);
    }
    if note.is_empty() {
        if reason == OTHER_REASON {
            return Err(StockError::NoteMissing);
        }
        return Ok(reason.to_string());
    }
    Ok(format!("{reason}：{note}"))
}

/// The stock after an adjustment of `quantity`, refused below zero.
pub fn check_stock_after(stock: i32, quantity: i32) -> Result<i32, StockError> {
    let after = i64::from(stock) + i64::from(quantity);
    if after < 0 {
        return Err(StockError::BelowZero { stock });
    }
    i32::try_from(after).map_err(|_| StockError::TooMuch)
}

/// Whether a goods on sale should warn that it runs low.
pub fn is_low(active: bool, stock: i32, low_stock: i32) -> bool {
    active && stock <= low_stock
}

/// How many kinds of goods are on sale: active and in stock.
pub fn kinds_on_sale(goods: impl IntoIterator<Item = (bool, i32)>) -> usize {
    goods
        .into_iter()
        .filter(|(active, stock)| *active && *stock > 0)
        .count()
}

/// The warning when fewer kinds are on sale than the plan asks for.
pub fn kinds_warning(on_sale: usize) -> Option<String> {
    (on_sale < MIN_KINDS_ON_SALE)
        .then(|| format!("在售商品仅 {on_sale} 种，方案要求不少于{MIN_KINDS_ON_SALE}种"))
}

/// The public address of a goods photo. The stored file name goes into the
/// query so that a new photo gets a new address (and old copies in caches
/// are not shown).
pub fn photo_url(goods: GoodsId, photo_path: &str) -> String {
    format!("/goods-photo/{}?v={}", goods.0, photo_version(photo_path))
}

/// The version a stored photo's address carries (from its file name, which
/// a new upload changes), so the address may be cached for good.
pub fn photo_version(photo_path: &str) -> String {
    photo_path
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".jpg")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(12)
        .collect()
}

/// Stock at the end of each of a run of months, worked back from the stock
/// now (the stock is always the sum of its movements): `moved[k]` is the net
/// quantity that moved after the end of month `k` and before the end of
/// month `k + 1`, the last one what moved after the end of the last month,
/// up to now. For the current month the "end" is now.
pub fn stock_at_month_ends(now: i64, moved: &[i64]) -> Vec<i64> {
    let mut ends = vec![0; moved.len()];
    let mut level = now;
    for (k, m) in moved.iter().enumerate().rev() {
        level -= m;
        ends[k] = level;
    }
    ends
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn yuan_are_read_as_fen() {
        assert_eq!(parse_yuan("12.5"), Ok(1250));
        assert_eq!(parse_yuan("12.50"), Ok(1250));
        assert_eq!(parse_yuan(" 12.05 "), Ok(1205));
        assert_eq!(parse_yuan("0"), Ok(0));
        assert_eq!(parse_yuan("0.01"), Ok(1));
        assert_eq!(parse_yuan("¥8"), Ok(800));
        assert_eq!(parse_yuan("１２．５"), Ok(1250), "full-width digits");
        assert_eq!(parse_yuan("99999.99"), Ok(MAX_UNIT_COST_FEN));
        for bad in [
            "-1", "abc", "1.234", "1.", ".5", "1,5", "1e3", "100000", "12.5元",
        ] {
            assert!(parse_yuan(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_yuan(""), Err(StockError::CostMissing));
        assert_eq!(
            parse_yuan("1.234").unwrap_err().to_string(),
            "进货单价应为金额（元），如 12.50，最多两位小数"
        );
    }

    #[test]
    fn fen_print_as_yuan() {
        assert_eq!(format_fen(1250), "12.50");
        assert_eq!(format_fen(5), "0.05");
        assert_eq!(format_fen(0), "0.00");
        assert_eq!(format_fen(-105), "-1.05");
        for fen in [0, 1, 99, 100, 1250, MAX_UNIT_COST_FEN] {
            assert_eq!(parse_yuan(&format_fen(fen)), Ok(fen));
        }
    }

    #[test]
    fn receipt_quantities_are_positive_and_bounded() {
        assert_eq!(parse_quantity("1"), Ok(1));
        assert_eq!(parse_quantity(" 24 "), Ok(24));
        assert_eq!(parse_quantity("99999"), Ok(MAX_QUANTITY));
        for bad in ["0", "-1", "100000", "1.5", "abc", "", "9999999999"] {
            assert!(parse_quantity(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn adjustments_are_signed_and_never_zero() {
        assert_eq!(parse_adjust_quantity("-3"), Ok(-3));
        assert_eq!(parse_adjust_quantity("+2"), Ok(2));
        assert_eq!(parse_adjust_quantity("2"), Ok(2));
        assert_eq!(parse_adjust_quantity("－4"), Ok(-4));
        assert_eq!(parse_adjust_quantity("0"), Err(StockError::AdjustZero));
        assert_eq!(parse_adjust_quantity("-0"), Err(StockError::AdjustZero));
        for bad in ["", "--1", "+-1", "1.5", "x", "-100000"] {
            assert!(parse_adjust_quantity(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn stock_never_goes_below_zero() {
        assert_eq!(check_stock_after(5, -5), Ok(0));
        assert_eq!(check_stock_after(5, 3), Ok(8));
        let e = check_stock_after(2, -3).unwrap_err();
        assert_eq!(e, StockError::BelowZero { stock: 2 });
        assert_eq!(e.to_string(), "调整后库存不能为负（现有 2）");
    }

    #[test]
    fn a_reason_is_required_and_other_needs_a_note() {
        assert_eq!(check_reason("损耗/破损", ""), Ok("损耗/破损".into()));
        assert_eq!(check_reason("过期", " 两瓶 "), Ok("过期：两瓶".into()));
        assert_eq!(check_reason("", "随便"), Err(StockError::ReasonMissing));
        assert_eq!(check_reason("丢了", ""), Err(StockError::ReasonMissing));
        assert_eq!(check_reason("其他", "  "), Err(StockError::NoteMissing));
        assert_eq!(
            check_reason("其他", "借给村委会"),
            Ok("其他：借给村委会".into())
        );
        assert!(check_reason("过期", &"字".repeat(101)).is_err());
    }

    #[test]
    fn dates_are_not_in_the_future_nor_long_ago() {
        let today = d("2026-11-30");
        assert_eq!(check_moved_on("2026-11-30", today), Ok(today));
        assert_eq!(check_moved_on(" 2026-11-01", today), Ok(d("2026-11-01")));
        assert_eq!(
            check_moved_on("2026-12-01", today),
            Err(StockError::DateInFuture)
        );
        assert!(check_moved_on("2024-11-30", today).is_err());
        assert!(check_moved_on("30/11/2026", today).is_err());
        assert!(check_moved_on("", today).is_err());
    }

    #[test]
    fn suppliers_are_optional_and_short() {
        assert_eq!(check_supplier("  "), Ok(None));
        assert_eq!(check_supplier(" 镇供销社 "), Ok(Some("镇供销社".into())));
        assert!(check_supplier(&"商".repeat(41)).is_err());
    }

    #[test]
    fn a_receipt_form_is_checked_field_by_field() {
        let today = d("2026-11-30");
        let form = ReceiveForm {
            goods: GoodsId(7),
            quantity: "24".into(),
            unit_cost: "12.5".into(),
            supplier: "镇供销社".into(),
            moved_on: "2026-11-29".into(),
        };
        assert_eq!(
            form.check(today),
            Ok(Receipt {
                goods: GoodsId(7),
                quantity: 24,
                unit_cost_fen: 1250,
                supplier: Some("镇供销社".into()),
                moved_on: d("2026-11-29"),
            })
        );
        let bad = ReceiveForm {
            quantity: "0".into(),
            ..form.clone()
        };
        assert!(bad.check(today).is_err());
        let bad = ReceiveForm {
            unit_cost: "abc".into(),
            ..form
        };
        assert!(bad.check(today).is_err());
    }

    #[test]
    fn an_adjustment_form_needs_a_reason() {
        let today = d("2026-11-30");
        let form = AdjustForm {
            goods: GoodsId(1),
            quantity: "-2".into(),
            reason: "损耗/破损".into(),
            note: "袋子破了".into(),
            moved_on: "2026-11-30".into(),
        };
        let a = form.check(today).unwrap();
        assert_eq!(a.quantity, -2);
        assert_eq!(a.reason, "损耗/破损：袋子破了");
        let no_reason = AdjustForm {
            reason: String::new(),
            ..form
        };
        assert_eq!(no_reason.check(today), Err(StockError::ReasonMissing));
    }

    #[test]
    fn the_goods_form_is_checked() {
        let form = GoodsForm {
            name: " 洗衣皂 ".into(),
            unit: "块".into(),
            category: "清洁用品".into(),
            price: "5".into(),
            low_stock: "10".into(),
        };
        assert_eq!(
            form.check(),
            Ok(GoodsFields {
                name: "洗衣皂".into(),
                unit: "块".into(),
                category: "清洁用品".into(),
                price: 5,
                low_stock: 10,
            })
        );
        let with = |f: &dyn Fn(&mut GoodsForm)| {
            let mut g = form.clone();
            f(&mut g);
            g.check()
        };
        assert_eq!(with(&|g| g.name = " ".into()), Err(StockError::NameMissing));
        assert!(with(&|g| g.name = "名".repeat(21)).is_err());
        assert!(with(&|g| g.unit = String::new()).is_err());
        assert!(with(&|g| g.unit = "大大大大袋".into()).is_err());
        assert_eq!(
            with(&|g| g.category = "农资".into()),
            Err(StockError::CategoryMissing)
        );
        assert!(with(&|g| g.price = "0".into()).is_err());
        assert!(with(&|g| g.price = "10000".into()).is_err());
        assert!(with(&|g| g.price = "-5".into()).is_err());
        assert!(with(&|g| g.price = "2.5".into()).is_err());
        assert_eq!(
            with(&|g| g.price = "9999".into()).map(|f| f.price),
            Ok(9999)
        );
        assert_eq!(with(&|g| g.price = "1".into()).map(|f| f.price), Ok(1));
        assert_eq!(
            with(&|g| g.low_stock = "0".into()).map(|f| f.low_stock),
            Ok(0)
        );
        assert!(with(&|g| g.low_stock = "".into()).is_err());
        assert!(with(&|g| g.low_stock = "-1".into()).is_err());
    }

    #[test]
    fn refusals_name_their_limits() {
        assert_eq!(
            StockError::NameTooLong.to_string(),
            "商品名称不能超过 20 个字"
        );
        assert_eq!(
            StockError::AdjustQuantityForm.to_string(),
            "调整数量应为 -99999 到 99999 的整数"
        );
        assert_eq!(
            StockError::PriceForm.to_string(),
            "兑换积分应为 1 到 9999 的整数"
        );
    }

    #[test]
    fn names_compare_without_spaces_and_case() {
        assert_eq!(name_key(" 洗 衣粉 "), name_key("洗衣粉"));
        assert_eq!(name_key("A4纸"), name_key("a4纸"));
        assert_ne!(name_key("洗衣粉"), name_key("洗衣液"));
    }

    #[test]
    fn kinds_on_sale_count_active_goods_in_stock() {
        let goods = [(true, 3), (true, 0), (false, 9), (true, 1)];
        assert_eq!(kinds_on_sale(goods), 2);
        assert_eq!(
            kinds_warning(2).as_deref(),
            Some("在售商品仅 2 种，方案要求不少于10种")
        );
        assert_eq!(kinds_warning(MIN_KINDS_ON_SALE), None);
    }

    #[test]
    fn low_stock_warns_at_the_threshold_for_goods_on_sale() {
        assert!(is_low(true, 5, 5));
        assert!(!is_low(true, 6, 5));
        assert!(is_low(true, 0, 0));
        assert!(
            !is_low(false, 0, 5),
            "inactive goods are marked, not warned"
        );
    }

    #[test]
    fn movement_kinds_have_chinese_labels() {
        for k in MovementKind::ALL {
            assert_eq!(MovementKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(kind_label("received"), "入库");
        assert_eq!(kind_label("adjusted"), "调整");
        assert_eq!(kind_label("redeemed"), "兑换");
        assert_eq!(kind_label("voided"), "作废退回");
        assert_eq!(kind_label("mystery"), "mystery");
    }

    #[test]
    fn photo_addresses_change_with_the_file() {
        assert_eq!(
            photo_url(GoodsId(4), "goods/12/0a1b2c3d4e5f60718293a4b5.jpg"),
            "/goods-photo/4?v=0a1b2c3d4e5f"
        );
    }

    #[test]
    fn stock_at_month_ends_works_back_from_now() {
        // 12 now; 5 sold after March's end, 20 received and 3 sold after
        // February's end, nothing after January's.
        assert_eq!(stock_at_month_ends(12, &[0, 17, -5]), vec![0, 0, 17]);
        // A goods sold out in the middle month, restocked after.
        assert_eq!(stock_at_month_ends(4, &[-6, 4, 0]), vec![6, 0, 4]);
        // Nothing moved: the stock was the same at every month's end.
        assert_eq!(stock_at_month_ends(7, &[0, 0]), vec![7, 7]);
        assert!(stock_at_month_ends(7, &[]).is_empty());
    }
}
