// Schema version 14: the duplicate matcher's fitted models (`crm dedupe train`), each with when it
// was fitted; `crm dedupe` uses the newest. The model is JSON (core/dedupe/model.ts MatchModel): its
// fields, m and u per level, the duplicate rate and what it was trained on.
export const sql = `
CREATE TABLE dedupe_models (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  trained_at  TEXT NOT NULL,
  records     INTEGER NOT NULL,
  model       TEXT NOT NULL
);
`;
