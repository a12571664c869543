// Schema version 5: saved RFM scores move from columns of customers to a narrow table of their own,
// replaced whole by each `crm rfm --save` (a million customers: appending 1M short rows takes a
// second, updating 1M wide customer rows took seven). The scheme and as-of day of the save, the
// same for every row, are one settings entry. No foreign key: checking one per row doubled the time
// of a save (and kept DELETE from emptying the table at once); a trigger removes a deleted customer's row.
export const sql = `
CREATE TABLE customer_rfm (
  customer_id INTEGER PRIMARY KEY,
  r           INTEGER CHECK (r BETWEEN 1 AND 5),
  f           INTEGER CHECK (f BETWEEN 1 AND 5),
  m           INTEGER CHECK (m BETWEEN 1 AND 5),
  -- A segment key (champions, importantValue, ...), or prospect for a customer without orders.
  segment     TEXT NOT NULL
);
CREATE TRIGGER customers_after_delete_rfm AFTER DELETE ON customers BEGIN
  DELETE FROM customer_rfm WHERE customer_id = OLD.id;
END;
INSERT INTO customer_rfm (customer_id, r, f, m, segment)
  SELECT id, rfm_r, rfm_f, rfm_m, rfm_segment FROM customers WHERE rfm_segment IS NOT NULL;
INSERT INTO settings (key, value)
  SELECT 'rfm_saved', json_object('scheme', rfm_scheme, 'asOf', rfm_as_of) FROM customers WHERE rfm_segment IS NOT NULL LIMIT 1;
DROP INDEX customers_rfm_segment;
ALTER TABLE customers DROP COLUMN rfm_r;
ALTER TABLE customers DROP COLUMN rfm_f;
ALTER TABLE customers DROP COLUMN rfm_m;
ALTER TABLE customers DROP COLUMN rfm_segment;
ALTER TABLE customers DROP COLUMN rfm_scheme;
ALTER TABLE customers DROP COLUMN rfm_as_of;
`;
