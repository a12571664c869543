// Schema version 2: merge history (with a before-image of every record a merge changed, for undo)
// and the pairs a user said are different people, which dedupe never proposes again.
export const sql = `
CREATE TABLE merges (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  survivor_id  INTEGER NOT NULL,
  -- JSON array of the ids merged into the survivor (deleted by the merge).
  merged_ids   TEXT NOT NULL CHECK (json_valid(merged_ids)),
  -- Why: merge (by hand), review, auto; with the score when dedupe proposed it.
  how          TEXT NOT NULL,
  score        REAL,
  at           TEXT NOT NULL,
  -- Every changed record as it was: customer rows, phones, tags, and which orders and
  -- interactions each merged record had (see src/store/dedupe.ts).
  before       TEXT NOT NULL CHECK (json_valid(before)),
  -- The kept record right after the merge: undo compares it with the record as it is now.
  after        TEXT NOT NULL CHECK (json_valid(after)),
  undone_at    TEXT
);
CREATE INDEX merges_survivor ON merges (survivor_id);

CREATE TABLE distinct_pairs (
  a  INTEGER NOT NULL,
  b  INTEGER NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (a, b),
  CHECK (a < b)
) WITHOUT ROWID;
`;
