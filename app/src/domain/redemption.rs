//! Redemption checks (积分兑换): what the counter may hand over for points.

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
    #[error("数量必须是正整数")]
    BadQuantity,
    #[error("同一商品请合并为一行")]
    DuplicateLine,
    #[error("商品不存在")]
    UnknownGoods,
    #[error("不能兑换其他村超市的商品")]
    OtherVillage,
    #[error("“{0}”已下架，不能兑换")]
    Inactive(String),
    #[error("“{name}”库存不足：现有 {stock}，需要 {wanted}")]
    OutOfStock {
        name: String,
        stock: i32,
        wanted: i32,
    },
    #[error("积分不足：可用 {available} 分，需要 {needed} 分")]
    InsufficientPoints { available: i64, needed: i64 },
}

/// Checks a redemption against the household's available points and the shelf.
/// `shelf` must hold every goods the request names (missing ones are unknown).
pub fn check_redemption(
    village: VillageId,
    available: i64,
    request: &[LineRequest],
    shelf: &[ShelfGoods],
) -> Result<RedemptionPlan, RedemptionError> {
    if request.is_empty() {
        return Err(RedemptionError::Empty);
    }
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
        assert_eq!(err.to_string(), "“洗衣粉”库存不足：现有 3，需要 4");
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
}
