// Schema version 8: reminders and what they deliver. The owner's reminders (one customer, a tag, a
// tier, a segment, a stage or a value class; at a time or on a cron schedule) and, beside the
// built-in rules (settings entry remind_rules), one row per occurrence: a rule, a customer and an
// occasion (birthday:2027, holiday:spring_festival:2027, welcome, 2027-03-01T09:00) are unique, so
// two overlapping runs cannot both make it, and sending claims rows with a lease. The user's
// greeting templates (overriding the built-in ones of the same name), the coupons issued with
// messages, a customer's marketing opt-out and whether a lunar birthday is in a leap month.
export const sql = `
ALTER TABLE customers ADD COLUMN marketing_opt_out INTEGER NOT NULL DEFAULT 0 CHECK (marketing_opt_out IN (0, 1));
ALTER TABLE customers ADD COLUMN birthday_leap INTEGER NOT NULL DEFAULT 0 CHECK (birthday_leap IN (0, 1));

CREATE TABLE templates (
  -- birthday, or birthday@钻石: the variant for the customers of one tier.
  name       TEXT NOT NULL,
  lang       TEXT NOT NULL CHECK (lang IN ('en', 'zh')),
  body       TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (name, lang)
) WITHOUT ROWID;

CREATE TABLE reminders (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  -- customer, tag, tier, segment, stage, value_class or all; and the value (a customer id, a tag ...).
  audience     TEXT NOT NULL CHECK (audience IN ('customer', 'tag', 'tier', 'segment', 'stage', 'value_class', 'all')),
  value        TEXT,
  -- One-off at an instant (ISO with offset), or recurring on a cron expression in the shop's zone.
  at           TEXT,
  cron         TEXT,
  -- Messages go out this many minutes before the time (a lead time).
  lead_minutes INTEGER NOT NULL DEFAULT 0,
  template     TEXT NOT NULL,
  channel      TEXT NOT NULL,
  -- Marketing (respects the marketing opt-out) or service.
  marketing    INTEGER NOT NULL DEFAULT 1 CHECK (marketing IN (0, 1)),
  -- Share of the audience kept back (recorded, not sent) to measure uplift, 0 to 0.5.
  holdout      REAL NOT NULL DEFAULT 0 CHECK (holdout >= 0 AND holdout <= 0.5),
  -- The coupon issued with each message, as JSON ({"kind":"amount","value":2000,"days":30}), or NULL.
  coupon       TEXT CHECK (coupon IS NULL OR json_valid(coupon)),
  note         TEXT,
  paused       INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  created_at   TEXT NOT NULL,
  CHECK ((at IS NULL) <> (cron IS NULL))
);

CREATE TABLE occurrences (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  -- birthday, holiday, welcome, callback, renewal, replenish, winback, upgrade, or reminder:<id>.
  rule        TEXT NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  occasion    TEXT NOT NULL,
  due_at      TEXT NOT NULL,
  template    TEXT NOT NULL,
  channel     TEXT NOT NULL,
  -- pending: to send; sending: claimed by a run until lease_until; sent; failed (retried while
  -- attempts are under the limit); skipped (reason: consent, no address, missed by a stopped
  -- machine); holdout (kept back for uplift, never sent).
  status      TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'holdout')),
  reason      TEXT,
  attempts    INTEGER NOT NULL DEFAULT 0,
  lease_until TEXT,
  lease_owner TEXT,
  -- Carried by the message (email Message-ID, webhook text, outbox column) so a repeat is recognisable.
  delivery_id TEXT NOT NULL UNIQUE,
  message     TEXT,
  error       TEXT,
  sent_at     TEXT,
  created_at  TEXT NOT NULL,
  UNIQUE (rule, customer_id, occasion)
);
CREATE INDEX occurrences_status_due ON occurrences (status, due_at);
CREATE INDEX occurrences_customer ON occurrences (customer_id);
CREATE INDEX occurrences_rule_due ON occurrences (rule, due_at);

CREATE TABLE coupons (
  code          TEXT PRIMARY KEY,
  -- The code is the shop's secret permutation of this serial, so codes never repeat.
  serial        INTEGER NOT NULL UNIQUE,
  customer_id   INTEGER REFERENCES customers (id) ON DELETE CASCADE,
  occurrence_id INTEGER REFERENCES occurrences (id) ON DELETE SET NULL,
  rule          TEXT,
  -- amount: value in minor units off; percent: value percent off.
  kind          TEXT NOT NULL CHECK (kind IN ('amount', 'percent')),
  value         INTEGER NOT NULL CHECK (value > 0),
  min_spend     INTEGER NOT NULL DEFAULT 0,
  -- The last day it can be used (shop-local YYYY-MM-DD).
  expires_on    TEXT NOT NULL,
  issued_at     TEXT NOT NULL,
  redeemed_at   TEXT,
  order_id      INTEGER REFERENCES orders (id) ON DELETE SET NULL
) WITHOUT ROWID;
CREATE INDEX coupons_customer ON coupons (customer_id);
CREATE INDEX coupons_occurrence ON coupons (occurrence_id) WHERE occurrence_id IS NOT NULL;
`;
