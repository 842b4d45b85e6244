//! Stock of the points supermarket (库存). Filled in by the stock work.
