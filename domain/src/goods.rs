//! Goods on the points-supermarket shelf (积分超市商品): categories, the
//! plan's minimum assortment, and what the counter lets a clerk add to a cart.

/// The categories a kiosk groups its tiles by, in display order.
pub const CATEGORIES: [&str; 6] = [
    "粮油调味",
    "清洁用品",
    "个人护理",
    "日用品",
    "文具图书",
    "其他",
];

/// The plan asks every points supermarket for at least this many kinds of
/// goods on sale (商品种类不少于10种).
pub const MIN_KINDS_ON_SALE: usize = 10;

/// Sort key of a category: known ones in [`CATEGORIES`] order, others last.
pub fn category_rank(category: &str) -> usize {
    CATEGORIES
        .iter()
        .position(|c| *c == category)
        .unwrap_or(CATEGORIES.len())
}

/// Why a kiosk tile cannot take one more unit, shown on the tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TileBlock {
    /// Nothing left on the shelf.
    SoldOut,
    /// The cart already holds every unit in stock.
    AllInCart,
    /// One more would cost more than the household has left.
    TooDear,
}

impl TileBlock {
    /// The reason in the clerk's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::SoldOut => "已售完",
            Self::AllInCart => "库存已全部加入",
            Self::TooDear => "积分不够",
        }
    }
}

/// Whether one more unit of a goods may go into the cart: `stock` on the
/// shelf, `in_cart` units already chosen, `left` points the household has
/// after the cart as it stands.
pub fn tile_block(price: i32, stock: i32, in_cart: i32, left: i64) -> Option<TileBlock> {
    if stock <= 0 {
        Some(TileBlock::SoldOut)
    } else if in_cart >= stock {
        Some(TileBlock::AllInCart)
    } else if i64::from(price) > left {
        Some(TileBlock::TooDear)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_is_blocked_by_stock_before_points() {
        assert_eq!(tile_block(10, 0, 0, 100), Some(TileBlock::SoldOut));
        assert_eq!(tile_block(10, 2, 2, 100), Some(TileBlock::AllInCart));
        assert_eq!(tile_block(10, 5, 1, 9), Some(TileBlock::TooDear));
        assert_eq!(tile_block(10, 5, 1, 10), None);
    }

    #[test]
    fn unknown_categories_sort_last() {
        assert_eq!(category_rank("粮油调味"), 0);
        assert!(category_rank("农资") > category_rank("其他"));
    }
}
