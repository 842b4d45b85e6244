//! Server functions of the shop's stock (库存). Filled in by the stock work.
