// Schema version 9: complaints with their deadlines stored (so overdue is an index look-up), every
// change on a timeline, refunds against orders (an order's amount becomes what was kept: every
// report is net of refunds; refunded says how much went back), the public holidays and adjusted
// working days that business hours count with, and satisfaction survey answers.
export const sql = `
ALTER TABLE orders ADD COLUMN refunded INTEGER NOT NULL DEFAULT 0 CHECK (refunded >= 0);

CREATE TABLE refunds (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id     INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  amount       INTEGER NOT NULL CHECK (amount > 0),
  at           TEXT NOT NULL,
  note         TEXT,
  complaint_id INTEGER REFERENCES complaints (id) ON DELETE SET NULL
);
CREATE INDEX refunds_order ON refunds (order_id);
CREATE INDEX refunds_at ON refunds (at);

-- Days that differ from a plain week: public holidays (off = 1) and make-up working days on a
-- weekend (off = 0, 调休), as the State Council publishes them each year.
CREATE TABLE holidays (
  day  TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  off  INTEGER NOT NULL CHECK (off IN (0, 1)),
  -- The year of the notice the day comes from (a notice for 2027 may hold days of late 2026).
  year INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE complaints (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id   INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  order_id      INTEGER REFERENCES orders (id) ON DELETE SET NULL,
  channel       TEXT NOT NULL,
  category      TEXT NOT NULL,
  severity      TEXT NOT NULL CHECK (severity IN ('low', 'normal', 'high', 'urgent')),
  description   TEXT NOT NULL,
  handler       TEXT,
  status        TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'in_progress', 'waiting', 'resolved', 'closed')),
  -- 0 front line, 1 second line, 2 owner.
  level         INTEGER NOT NULL DEFAULT 0 CHECK (level BETWEEN 0 AND 2),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  first_response_at TEXT,
  last_reply_at TEXT,
  resolved_at   TEXT,
  closed_at     TEXT,
  -- The deadlines as they stand (UTC ISO), worked out at each change of state; NULL when met or
  -- paused (waiting on the customer). due_at is the earliest of them, for the overdue look-up.
  respond_due   TEXT,
  update_due    TEXT,
  solve_due     TEXT,
  due_at        TEXT,
  -- Business minutes already used on each clock before a pause (waiting on the customer).
  clock         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(clock)),
  -- What the customer received on resolution: {"refund":..,"coupon":..,"gift":..,"upgrade":..}.
  resolution    TEXT CHECK (resolution IS NULL OR json_valid(resolution)),
  satisfaction  INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
  reopened      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX complaints_due ON complaints (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX complaints_customer ON complaints (customer_id);
CREATE INDEX complaints_status ON complaints (status);
CREATE INDEX complaints_created ON complaints (created_at);

CREATE TABLE complaint_events (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  complaint_id INTEGER NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
  at           TEXT NOT NULL,
  -- created, ack, update, wait, resolve, close, reopen, escalate, followup, note
  kind         TEXT NOT NULL,
  from_status  TEXT,
  to_status    TEXT,
  by           TEXT,
  note         TEXT,
  data         TEXT CHECK (data IS NULL OR json_valid(data))
);
CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, id);
-- Each escalation level happens once per complaint.
CREATE UNIQUE INDEX complaint_events_escalation ON complaint_events (complaint_id, json_extract(data, '$.level')) WHERE kind = 'escalate';

CREATE TABLE survey_responses (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  -- The survey's name and the version of its questions (a hash of the file's questions).
  survey      TEXT NOT NULL,
  answered_at TEXT NOT NULL,
  -- record (asked at a terminal or by flags), import (a file), and the file's name.
  source      TEXT NOT NULL,
  -- The invitation it answers, if any (an occurrence of the survey rule).
  occurrence_id INTEGER REFERENCES occurrences (id) ON DELETE SET NULL
);
CREATE INDEX survey_responses_customer ON survey_responses (customer_id, answered_at);
CREATE INDEX survey_responses_answered ON survey_responses (answered_at);

CREATE TABLE survey_answers (
  response_id INTEGER NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE,
  question    TEXT NOT NULL,
  score       REAL,
  text        TEXT,
  PRIMARY KEY (response_id, question)
) WITHOUT ROWID;
`;
