// Schema version 13: every import of customers, orders or interactions recorded (file, time, counts), with a
// journal for `crm import undo`: the ids of the rows it created, as ranges (a million-row import into
// an empty book is one range, not a million rows), and a before- and after-image of each customer it
// changed. An import that is rolled back (killed, --dry-run, --strict with refusals) records nothing.
export const sql = `
CREATE TABLE import_runs (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  kind              TEXT NOT NULL CHECK (kind IN ('customers', 'orders', 'interactions')),
  -- The file as an absolute path, or - for standard input.
  file              TEXT NOT NULL,
  at                TEXT NOT NULL,
  rows              INTEGER NOT NULL,
  inserted          INTEGER NOT NULL,
  updated           INTEGER NOT NULL,
  unchanged         INTEGER NOT NULL,
  skipped           INTEGER NOT NULL,
  rejected          INTEGER NOT NULL,
  customers_created INTEGER NOT NULL,
  -- The highest merge id when the import ran: merges above it came after (undo checks them).
  last_merge        INTEGER NOT NULL,
  -- The highest tier change id when the import ended: level changes above it came after.
  last_tier_change  INTEGER NOT NULL DEFAULT 0,
  undone_at         TEXT
);

-- The rows an import created, by table, as ranges of ids first_id..last_id (every id in a range
-- was created by the import). Refunds and tier changes go with their orders and customers.
CREATE TABLE import_created (
  run_id   INTEGER NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
  tbl      TEXT NOT NULL CHECK (tbl IN ('customers', 'orders', 'refunds', 'tier_changes', 'interactions')),
  first_id INTEGER NOT NULL,
  last_id  INTEGER NOT NULL CHECK (last_id >= first_id),
  PRIMARY KEY (run_id, tbl, first_id)
) WITHOUT ROWID;
CREATE INDEX import_created_ids ON import_created (tbl, first_id);

-- Each customer an import updated: as it was before (every column, phones, tags), which undo puts
-- back, and as the import left it, which undo compares with the customer now (a later edit refuses).
CREATE TABLE import_changes (
  run_id      INTEGER NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
  customer_id INTEGER NOT NULL,
  before      TEXT NOT NULL CHECK (json_valid(before)),
  after       TEXT NOT NULL CHECK (json_valid(after)),
  PRIMARY KEY (run_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX import_changes_customer ON import_changes (customer_id);
`;
