//! Stock rules of the points supermarket (库存): receipts, adjustments and
//! goods forms. Filled in by the stock work.
