// Schema version 12: the customers' created_at index also carries first_order_day, so the reports
// that count the customers known by a day (added by then, or with an order by then: crm complaint
// stats per period, crm stats) read the index alone, not every customer's row (1,000,000 customers:
// complaint stats 3.3 s -> 2.9 s). Listings that sort or filter by created_at use it as before.
export const sql = `
DROP INDEX customers_created_at;
CREATE INDEX customers_created_at ON customers (created_at, first_order_day);
`;
