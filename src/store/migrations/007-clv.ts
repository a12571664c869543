// Schema version 7: what `crm clv --save` keeps per customer (P(alive), expected purchases and spend,
// CLV, value class), replaced whole by each save like the RFM scores; the terms of the save (as-of
// day, unit, horizon, parameters) are one settings entry. No index on clv: keeping one current made
// a million-row save 3.2 s instead of under 1 s, and `customer list --sort clv` does not need it.
export const sql = `
CREATE TABLE customer_clv (
  customer_id INTEGER PRIMARY KEY,
  -- NULL when the value is the historical estimate (too little data to fit the models).
  p_alive     REAL CHECK (p_alive BETWEEN 0 AND 1),
  -- Purchases expected over the horizon, spend expected per purchase (minor units), CLV (minor units).
  purchases   REAL NOT NULL,
  spend       REAL NOT NULL,
  clv         REAL NOT NULL,
  value_class TEXT NOT NULL CHECK (value_class IN ('mostValuable', 'mostGrowable', 'maintain', 'belowZero'))
);
CREATE TRIGGER customers_after_delete_clv AFTER DELETE ON customers BEGIN
  DELETE FROM customer_clv WHERE customer_id = OLD.id;
END;
`;
