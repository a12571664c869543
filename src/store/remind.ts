// All SQL of reminders: the owner's reminders, the occurrences (one per rule, customer and occasion,
// made once and claimed with a lease by the run that sends them), the facts the rules read (who has
// a birthday, a first order, a date field, a level move), the last run, and what stats count.
import { customerWhere, type CustomerFilter } from './customer.js';
import { stmt, transaction, type Db } from './db.js';
import { readSetting, writeSetting } from './settings.js';

// ---------------------------------------------------------------------------------------------
// The owner's reminders

export type Audience = 'customer' | 'tag' | 'tier' | 'segment' | 'stage' | 'value_class' | 'all';

export interface Reminder {
  id: number;
  audience: Audience;
  value: string | null;
  at: string | null;
  cron: string | null;
  leadMinutes: number;
  template: string;
  channel: string;
  marketing: boolean;
  holdout: number;
  coupon: { kind: 'amount' | 'percent'; value: number; minSpend: number; days: number } | null;
  note: string | null;
  paused: boolean;
  createdAt: string;
  /** It fires for times from here on only: when it was added or last resumed. */
  activeFrom: string;
}

type ReminderRow = Omit<Reminder, 'marketing' | 'paused' | 'coupon'> & { marketing: number; paused: number; coupon: string | null };

const REMINDER = `SELECT id, audience, value, at, cron, lead_minutes AS leadMinutes, template, channel, marketing, holdout, coupon, note, paused, created_at AS createdAt, coalesce(active_from, created_at) AS activeFrom FROM reminders`;

const toReminder = (r: ReminderRow): Reminder => ({ ...r, marketing: r.marketing === 1, paused: r.paused === 1, coupon: r.coupon ? (JSON.parse(r.coupon) as Reminder['coupon']) : null });

export function insertReminder(db: Db, r: Omit<Reminder, 'id' | 'activeFrom'>): number {
  return transaction(db, () =>
    Number(
      stmt(db, `INSERT INTO reminders (audience, value, at, cron, lead_minutes, template, channel, marketing, holdout, coupon, note, paused, created_at, active_from)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        r.audience, r.value, r.at, r.cron, r.leadMinutes, r.template, r.channel, r.marketing ? 1 : 0, r.holdout, r.coupon ? JSON.stringify(r.coupon) : null, r.note, r.paused ? 1 : 0, r.createdAt, r.createdAt,
      ).lastInsertRowid,
    ),
  );
}

export function listReminders(db: Db): Reminder[] {
  return (stmt(db, `${REMINDER} ORDER BY id`).all() as ReminderRow[]).map(toReminder);
}

export function getReminder(db: Db, id: number): Reminder | null {
  const r = stmt(db, `${REMINDER} WHERE id = ?`).get(id) as ReminderRow | undefined;
  return r ? toReminder(r) : null;
}

/** Pauses or resumes; a resumed reminder fires for times from `at` on (what fell in the pause is not sent). */
export function setReminderPaused(db: Db, id: number, paused: boolean, at: string): boolean {
  return transaction(db, () => {
    if (paused) return stmt(db, 'UPDATE reminders SET paused = 1 WHERE id = ?').run(id).changes > 0;
    return stmt(db, 'UPDATE reminders SET paused = 0, active_from = ? WHERE id = ?').run(at, id).changes > 0;
  });
}

/** Removes a reminder and its occurrences not yet sent (what was sent stays in the history). */
export function deleteReminder(db: Db, id: number): boolean {
  return transaction(db, () => {
    stmt(db, "DELETE FROM occurrences WHERE rule = ? AND status IN ('pending', 'failed')").run(`reminder:${id}`);
    return stmt(db, 'DELETE FROM reminders WHERE id = ?').run(id).changes > 0;
  });
}

// ---------------------------------------------------------------------------------------------
// What the rules read

/** Bits of a customer's contact facts (contactFlags). */
export const DO_NOT_CONTACT = 1;
export const NO_MARKETING = 2;
export const HAS_PHONE = 4;
export const HAS_EMAIL = 8;
export const EXISTS = 16;

/** Every customer's contact facts, indexed by id (one byte each). */
export function contactFlags(db: Db): Uint8Array {
  const max = (stmt(db, 'SELECT coalesce(max(id), 0) FROM customers').pluck().get() as number) + 1;
  const flags = new Uint8Array(max);
  const rows = stmt(db, `SELECT id, do_not_contact | (marketing_opt_out << 1) | (EXISTS (SELECT 1 FROM customer_phones p WHERE p.customer_id = c.id) << 2)
      | ((email IS NOT NULL) << 3) | 16 FROM customers c`).raw().iterate() as IterableIterator<[number, number]>;
  for (const [id, f] of rows) flags[id] = f;
  return flags;
}

/** Customers in a listing filter (tag, tier, segment, value class, given ids). */
export function customerIdsWhere(db: Db, filter: CustomerFilter): number[] {
  const { where, params } = customerWhere(filter);
  return db.prepare(`SELECT c.id FROM customers c ${where} ORDER BY c.id`).pluck().all(...params) as number[];
}

export interface BirthdayRow {
  id: number;
  birthday: string;
  lunar: boolean;
  leap: boolean;
}

/** Customers whose stored birthday (month and day) is one of these: solar MM-DD keys, and lunar month/day/leap keys. */
export function birthdayCustomers(db: Db, solar: string[], lunar: { month: number; day: number; leap: boolean }[]): BirthdayRow[] {
  const lunarKeys = lunar.map((k) => `${String(k.month).padStart(2, '0')}-${String(k.day).padStart(2, '0')}${k.leap ? 'L' : ''}`);
  const rows = stmt(db, `SELECT id, birthday, birthday_lunar AS lunar, birthday_leap AS leap FROM customers
    WHERE birthday IS NOT NULL AND (
      (birthday_lunar = 0 AND substr(birthday, -5) IN (SELECT value FROM json_each(?)))
      OR (birthday_lunar = 1 AND substr(birthday, -5) || CASE birthday_leap WHEN 1 THEN 'L' ELSE '' END IN (SELECT value FROM json_each(?))))
    ORDER BY id`).all(JSON.stringify(solar), JSON.stringify(lunarKeys)) as { id: number; birthday: string; lunar: number; leap: number }[];
  return rows.map((r) => ({ ...r, lunar: r.lunar === 1, leap: r.leap === 1 }));
}

/** Customers whose first order falls on a day from `from` to `to`, with the instant of that first order. */
export function firstOrders(db: Db, from: string, to: string): { id: number; at: string }[] {
  return stmt(db, `SELECT c.id, (SELECT min(o.ordered_at) FROM orders o WHERE o.customer_id = c.id AND o.day = c.first_order_day) AS at
    FROM customers c WHERE c.first_order_day BETWEEN ? AND ? ORDER BY c.id`).all(from, to) as { id: number; at: string }[];
}

/** Customers whose custom date field is one of these days. */
export function customersWithFieldOn(db: Db, field: string, days: string[]): { id: number; day: string }[] {
  return stmt(db, `SELECT id, json_extract(fields, '$."' || replace(?, '"', '') || '"') AS day FROM customers
    WHERE day IN (SELECT value FROM json_each(?)) ORDER BY id`).all(field, JSON.stringify(days)) as { id: number; day: string }[];
}

/** Customers with an order on a day in [from, to). */
export function customersWithOrdersBetween(db: Db, from: string, to: string): number[] {
  return stmt(db, 'SELECT DISTINCT customer_id FROM orders WHERE day >= ? AND day < ? ORDER BY customer_id').pluck().all(from, to) as number[];
}

/** Level moves up recorded in (from, to]. */
export function tierUpsBetween(db: Db, from: string, to: string): { id: number; customerId: number; toTier: string; at: string }[] {
  return stmt(db, `SELECT id, customer_id AS customerId, to_tier AS toTier, at FROM tier_changes WHERE direction = 'up' AND at > ? AND at <= ? ORDER BY id`).all(from, to) as {
    id: number;
    customerId: number;
    toTier: string;
    at: string;
  }[];
}

export function tierChange(db: Db, id: number): { fromTier: string | null; toTier: string | null; day: string } | null {
  return (stmt(db, 'SELECT from_tier AS fromTier, to_tier AS toTier, day FROM tier_changes WHERE id = ?').get(id) as { fromTier: string | null; toTier: string | null; day: string } | undefined) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Occurrences

export type OccurrenceStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped' | 'holdout';

export interface NewOccurrence {
  rule: string;
  customerId: number;
  occasion: string;
  dueAt: string;
  template: string;
  channel: string;
  status: 'pending' | 'skipped' | 'holdout';
  reason: string | null;
  deliveryId: string;
  /** Marketing (waits on the opt-out) as recorded. */
  marketing?: boolean;
  /** The coupon its message may carry, as recorded ({kind, value, minSpend, days}). */
  coupon?: string | null;
}

/** Records occurrences not yet recorded (the key rule, customer, occasion is unique); returns how many were new. */
export function insertOccurrences(db: Db, rows: Iterable<NewOccurrence>, now: string): number {
  const insert = stmt(db, `INSERT INTO occurrences (rule, customer_id, occasion, due_at, template, channel, status, reason, delivery_id, created_at, marketing, coupon)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  let n = 0;
  for (const r of rows) n += insert.run(r.rule, r.customerId, r.occasion, r.dueAt, r.template, r.channel, r.status, r.reason, r.deliveryId, now, r.marketing ? 1 : 0, r.coupon ?? null).changes;
  return n;
}

/** The customers already holding an occurrence of a rule's occasion (whatever its state). */
export function recordedCustomers(db: Db, rule: string, occasion: string): Set<number> {
  return new Set(stmt(db, 'SELECT customer_id FROM occurrences WHERE rule = ? AND occasion = ?').pluck().all(rule, occasion) as number[]);
}

export interface Claimed {
  id: number;
  rule: string;
  customerId: number;
  occasion: string;
  dueAt: string;
  template: string;
  channel: string;
  deliveryId: string;
  attempts: number;
  /** A run that claimed it stopped before recording the outcome: it may have gone out. */
  interrupted: boolean;
  /** Marketing as recorded, and the coupon spec it may carry (JSON). */
  marketing: boolean;
  coupon: string | null;
  name: string;
  phone: string | null;
  email: string | null;
  doNotContact: boolean;
  noMarketing: boolean;
}

/** Unsent occurrences of a channel due by @now in due order (the partial index occurrences_unsent). */
const CLAIMABLE = `o.channel = @channel AND o.status IN ('pending', 'sending', 'failed') AND o.due_at <= @now AND (o.status = 'pending'
  OR (o.status = 'failed' AND o.attempts < @maxAttempts AND coalesce(o.lease_owner, '') <> @owner) OR (o.status = 'sending' AND o.lease_until < @now))`;

/** The channels that have occurrences to send now (pending, failed under the limit, or a stopped run's). */
export function channelsToSend(db: Db, now: string, maxAttempts: number, owner: string): string[] {
  return stmt(db, `SELECT DISTINCT channel FROM occurrences WHERE status IN ('pending', 'sending', 'failed') AND due_at <= ? AND (status = 'pending'
    OR (status = 'failed' AND attempts < ? AND coalesce(lease_owner, '') <> ?) OR (status = 'sending' AND lease_until < ?))`).pluck().all(now, maxAttempts, owner, now) as string[];
}

/**
 * Occurrences of a channel still waiting that fell due before `late` (more than the catch-up length
 * ago: held by quiet hours, failing, or claimed by a run that stopped, for too long) are recorded as
 * missed, never sent: a birthday greeting does not go out weeks late.
 */
export function skipStale(db: Db, o: { channel: string; now: string; late: string; owner: string; maxAttempts: number }): number {
  return stmt(db, `UPDATE occurrences SET status = 'skipped', reason = 'missed', lease_until = NULL WHERE id IN (
    SELECT o.id FROM occurrences o WHERE ${CLAIMABLE} AND o.due_at < @late)`).run(o).changes;
}

/**
 * Claims up to `limit` occurrences of a channel due by `now`, oldest first, in one short write
 * transaction: each is marked sending until `leaseUntil` by `owner`, so an overlapping run leaves it
 * alone. Failed ones are retried by later runs (not the run that failed them) while under the limit.
 */
export function claimOccurrences(db: Db, o: { channel: string; now: string; leaseUntil: string; owner: string; maxAttempts: number; limit: number }): Claimed[] {
  const rows = stmt(db, `SELECT o.id, o.rule, o.customer_id AS customerId, o.occasion, o.due_at AS dueAt, o.template, o.channel, o.delivery_id AS deliveryId,
      o.attempts, o.status = 'sending' AS interrupted, o.marketing, o.coupon, c.name, c.email, c.do_not_contact AS doNotContact, c.marketing_opt_out AS noMarketing,
      (SELECT p.phone FROM customer_phones p WHERE p.customer_id = c.id ORDER BY p.position LIMIT 1) AS phone
    FROM occurrences o INDEXED BY occurrences_unsent JOIN customers c ON c.id = o.customer_id
    WHERE ${CLAIMABLE}
    ORDER BY o.due_at, o.id LIMIT @limit`).all(o) as (Omit<Claimed, 'interrupted' | 'doNotContact' | 'noMarketing' | 'marketing'> & { interrupted: number; doNotContact: number; noMarketing: number; marketing: number })[];
  const mark = stmt(db, "UPDATE occurrences SET status = 'sending', lease_until = ?, lease_owner = ?, attempts = attempts + 1 WHERE id = ?");
  for (const r of rows) mark.run(o.leaseUntil, o.owner, r.id);
  return rows.map((r) => ({ ...r, attempts: r.attempts + 1, interrupted: r.interrupted === 1, doNotContact: r.doNotContact === 1, noMarketing: r.noMarketing === 1, marketing: r.marketing === 1 }));
}

/** Keeps a batch's claim while it is being sent (a slow mail server must not let another run take it). */
export function renewLease(db: Db, ids: number[], owner: string, leaseUntil: string): void {
  const renew = stmt(db, "UPDATE occurrences SET lease_until = ? WHERE id = ? AND lease_owner = ? AND status = 'sending'");
  for (const id of ids) renew.run(leaseUntil, id, owner);
}

/** Sent: the message as delivered, and the delivery on the customer's record as an interaction. */
export function markSent(db: Db, c: Pick<Claimed, 'id' | 'customerId'>, o: { message: string; at: string; type: 'message' | 'email' | 'other' | null; note: string }): void {
  stmt(db, "UPDATE occurrences SET status = 'sent', message = ?, sent_at = ?, lease_until = NULL, error = NULL WHERE id = ?").run(o.message, o.at, c.id);
  // A message to the shop's own people about a customer (type null) is not a contact with them.
  if (o.type) stmt(db, 'INSERT INTO interactions (customer_id, type, note, at, created_at) VALUES (?, ?, ?, ?, ?)').run(c.customerId, o.type, o.note, o.at, o.at);
}

/** Failed this time: kept for a later run while attempts are under the limit (lease_owner says which run failed it). */
export function markFailed(db: Db, id: number, error: string, final = false, maxAttempts = 0): void {
  if (final) stmt(db, "UPDATE occurrences SET status = 'failed', error = ?, lease_until = NULL, attempts = max(attempts, ?) WHERE id = ?").run(error, maxAttempts, id);
  else stmt(db, "UPDATE occurrences SET status = 'failed', error = ?, lease_until = NULL WHERE id = ?").run(error, id);
}

/** Skipped at sending (consent withdrawn since it was made, no address): never sent. */
export function markSkipped(db: Db, id: number, reason: string): void {
  stmt(db, "UPDATE occurrences SET status = 'skipped', reason = ?, lease_until = NULL WHERE id = ?").run(reason, id);
}

/** Gives back a claim not worked on (a run stopping at quiet hours): pending again, the attempt not counted. */
export function releaseClaim(db: Db, id: number): void {
  stmt(db, "UPDATE occurrences SET status = CASE WHEN attempts > 1 THEN 'failed' ELSE 'pending' END, attempts = attempts - 1, lease_until = NULL, lease_owner = NULL WHERE id = ?").run(id);
}

export interface OccurrenceRow {
  id: number;
  rule: string;
  customerId: number;
  customerName: string;
  occasion: string;
  dueAt: string;
  template: string;
  channel: string;
  status: OccurrenceStatus;
  reason: string | null;
  attempts: number;
  deliveryId: string;
  message: string | null;
  error: string | null;
  sentAt: string | null;
}

const OCCURRENCE = `SELECT o.id, o.rule, o.customer_id AS customerId, c.name AS customerName, o.occasion, o.due_at AS dueAt, o.template, o.channel, o.status,
  o.reason, o.attempts, o.delivery_id AS deliveryId, o.message, o.error, o.sent_at AS sentAt FROM occurrences o JOIN customers c ON c.id = o.customer_id`;

/** Occurrences, newest due first, by status, rule (a prefix: reminder:3), customer, due since. */
export function listOccurrences(db: Db, f: { status?: OccurrenceStatus; rule?: string; customerId?: number; since?: string; limit?: number | null }): OccurrenceRow[] {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (f.status) clauses.push('o.status = ?') && params.push(f.status);
  if (f.rule) clauses.push('o.rule = ?') && params.push(f.rule);
  if (f.customerId !== undefined) clauses.push('o.customer_id = ?') && params.push(f.customerId);
  if (f.since) clauses.push('o.due_at >= ?') && params.push(f.since);
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  return db.prepare(`${OCCURRENCE} ${where} ORDER BY o.due_at DESC, o.id DESC LIMIT ?`).all(...params, f.limit ?? -1) as OccurrenceRow[];
}

/** Failed occurrences that reached the attempt limit (given up). */
export function givenUp(db: Db, maxAttempts: number, since: string): number {
  return stmt(db, "SELECT count(*) FROM occurrences WHERE status = 'failed' AND attempts >= ? AND due_at >= ?").pluck().get(maxAttempts, since) as number;
}

/** The coupon issued with an occurrence, if any (a retried message carries the same one). */
export function couponOfOccurrence(db: Db, occurrenceId: number): string | null {
  return (stmt(db, 'SELECT code FROM coupons WHERE occurrence_id = ?').pluck().get(occurrenceId) as string | undefined) ?? null;
}

// ---------------------------------------------------------------------------------------------
// The last run

export function lastRun(db: Db): string | null {
  return readSetting(db, 'remind_last_run') ?? null;
}

export function setLastRun(db: Db, at: string): void {
  const prev = lastRun(db);
  if (!prev || prev < at) writeSetting(db, 'remind_last_run', at);
}

export function readRulesJson(db: Db): string | undefined {
  return readSetting(db, 'remind_rules');
}

export function writeRulesJson(db: Db, json: string): void {
  writeSetting(db, 'remind_rules', json);
}

// ---------------------------------------------------------------------------------------------
// Did it work?

export interface RuleStats {
  rule: string;
  period: string;
  sent: number;
  failed: number;
  skipped: number;
  holdout: number;
  /** Distinct customers sent to, and held out. */
  sentCustomers: number;
  holdoutCustomers: number;
  /** Sent: customers who ordered within the window after the message, and their revenue then. */
  sentBuyers: number;
  sentRevenue: number;
  /** Held out: the same, after the time the message would have gone. */
  holdoutBuyers: number;
  holdoutRevenue: number;
  couponsIssued: number;
  couponsRedeemed: number;
}

/**
 * Per rule and period (the caller's [from, to) instants, so periods are the shop's days or months)
 * what was sent, failed, skipped and held out, and who bought within `days` after: customers with an
 * order in (message time, message time + days], each customer and each order counted once per rule
 * and period however many messages they had (a daily reminder does not count one order seven times).
 */
export function ruleStats(db: Db, o: { periods: { label: string; from: string; to: string }[]; days: number }): RuleStats[] {
  return db.prepare(`
    WITH periods AS (SELECT json_extract(value, '$.label') AS label, json_extract(value, '$.from') AS start, json_extract(value, '$.to') AS stop FROM json_each(@periods)),
    occ AS (
      SELECT o.id, o.rule, o.customer_id, o.status, coalesce(o.sent_at, o.due_at) AS at, p.label AS period
      FROM occurrences o JOIN periods p ON o.due_at >= p.start AND o.due_at < p.stop
    ), reached AS (
      SELECT rule, period, status, count(DISTINCT customer_id) AS customers FROM occ WHERE status IN ('sent', 'holdout') GROUP BY rule, period, status
    ), bought AS (
      SELECT DISTINCT occ.rule, occ.period, occ.status, occ.customer_id, ord.id AS order_id, ord.amount
      FROM occ JOIN orders ord ON ord.customer_id = occ.customer_id
        AND julianday(ord.ordered_at) > julianday(occ.at) AND julianday(ord.ordered_at) <= julianday(occ.at) + @days
      WHERE occ.status IN ('sent', 'holdout')
    ), orders_once AS (SELECT DISTINCT rule, period, status, order_id, amount FROM bought),
    counts AS (
      SELECT rule, period, sum(status = 'sent') AS sent, sum(status = 'failed') AS failed, sum(status = 'skipped') AS skipped, sum(status = 'holdout') AS holdout
      FROM occ GROUP BY rule, period
    )
    SELECT c.rule, c.period, c.sent, c.failed, c.skipped, c.holdout,
      coalesce((SELECT customers FROM reached r WHERE r.rule = c.rule AND r.period = c.period AND r.status = 'sent'), 0) AS sentCustomers,
      coalesce((SELECT customers FROM reached r WHERE r.rule = c.rule AND r.period = c.period AND r.status = 'holdout'), 0) AS holdoutCustomers,
      (SELECT count(DISTINCT customer_id) FROM bought b WHERE b.rule = c.rule AND b.period = c.period AND b.status = 'sent') AS sentBuyers,
      coalesce((SELECT sum(amount) FROM orders_once b WHERE b.rule = c.rule AND b.period = c.period AND b.status = 'sent'), 0) AS sentRevenue,
      (SELECT count(DISTINCT customer_id) FROM bought b WHERE b.rule = c.rule AND b.period = c.period AND b.status = 'holdout') AS holdoutBuyers,
      coalesce((SELECT sum(amount) FROM orders_once b WHERE b.rule = c.rule AND b.period = c.period AND b.status = 'holdout'), 0) AS holdoutRevenue,
      (SELECT count(*) FROM coupons k JOIN occ o2 ON o2.id = k.occurrence_id WHERE o2.rule = c.rule AND o2.period = c.period) AS couponsIssued,
      (SELECT count(*) FROM coupons k JOIN occ o2 ON o2.id = k.occurrence_id WHERE o2.rule = c.rule AND o2.period = c.period AND k.redeemed_at IS NOT NULL) AS couponsRedeemed
    FROM counts c ORDER BY c.period, c.rule`).all({ periods: JSON.stringify(o.periods), days: o.days }) as RuleStats[];
}

export interface Waiting {
  id: number;
  dueAt: string;
  rule: string;
  customerId: number;
  occasion: string;
  channel: string;
  template: string;
  status: string;
  error: string | null;
}

/** Recorded occurrences still to send by `until` (pending, failed under the limit, a stopped run's), a page after `after` in due order. */
export function waitingPage(db: Db, until: string, maxAttempts: number, after: { dueAt: string; id: number } | null, size: number): Waiting[] {
  return stmt(db, `SELECT id, due_at AS dueAt, rule, customer_id AS customerId, occasion, channel, template, status, error FROM occurrences
    WHERE status IN ('pending', 'sending', 'failed') AND due_at <= @until AND (status IN ('pending', 'sending') OR attempts < @maxAttempts)
      AND (due_at > @afterDue OR (due_at = @afterDue AND id > @afterId))
    ORDER BY due_at, id LIMIT @size`).all({ until, maxAttempts, afterDue: after?.dueAt ?? '', afterId: after?.id ?? 0, size }) as Waiting[];
}

/** How many recorded occurrences wait to be sent by `until` (what quiet hours hold back). */
export function countWaiting(db: Db, until: string, maxAttempts: number): number {
  return stmt(db, `SELECT count(*) FROM occurrences WHERE status IN ('pending', 'sending', 'failed') AND due_at <= ? AND (status IN ('pending', 'sending') OR attempts < ?)`).pluck().get(until, maxAttempts) as number;
}
