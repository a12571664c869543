// Schema version 4: every member-level move `crm tier apply` makes (shown on the customer's profile),
// the ABC class `crm tier abc --save` keeps on each customer, and amount added to the orders'
// (customer, day) index so that the per-customer sums of RFM, tiers and ABC read the index alone.
export const sql = `
CREATE TABLE tier_changes (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  -- The as-of day of the apply that made the move.
  day         TEXT NOT NULL,
  from_tier   TEXT,
  to_tier     TEXT,
  direction   TEXT NOT NULL CHECK (direction IN ('up', 'down', 'set')),
  -- Spend over the window (minor units), the window in months, and the threshold behind the move:
  -- the new level's minimum (up, set) or the old level's (down).
  spend       INTEGER NOT NULL,
  months      INTEGER NOT NULL,
  threshold   INTEGER NOT NULL,
  at          TEXT NOT NULL
);
CREATE INDEX tier_changes_customer ON tier_changes (customer_id, id);
CREATE INDEX tier_changes_day ON tier_changes (day);

ALTER TABLE customers ADD COLUMN abc_class TEXT CHECK (abc_class IN ('A', 'B', 'C'));
CREATE INDEX customers_abc_class ON customers (abc_class) WHERE abc_class IS NOT NULL;

DROP INDEX orders_customer_day;
CREATE INDEX orders_customer_day ON orders (customer_id, day, amount);
`;
