// Schema version 6: the customers who have never ordered, indexed, so RFM finds its prospects
// without reading every customer (a million customers: 0.38 s -> a few ms). A customer leaves the
// index with their first order.
export const sql = `
CREATE INDEX customers_no_orders ON customers (id) WHERE first_order_day IS NULL;
`;
