// All SQL of complaints: the record with its stored deadlines, its timeline, the look-ups of
// listings (overdue is an index range on due_at), and what `complaint stats` counts.
import type { ClockState, Deadlines, SegmentCount, Severity, Status } from '../core/complaint.js';
import { stmt, type Db } from './db.js';
import { readSetting, writeSetting } from './settings.js';

export interface Complaint {
  id: number;
  customerId: number;
  customerName: string;
  orderId: number | null;
  channel: string;
  category: string;
  severity: Severity;
  description: string;
  handler: string | null;
  status: Status;
  level: number;
  createdAt: string;
  updatedAt: string;
  firstResponseAt: string | null;
  lastReplyAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  respondDue: string | null;
  updateDue: string | null;
  solveDue: string | null;
  dueAt: string | null;
  clock: ClockState;
  resolution: Record<string, unknown> | null;
  satisfaction: number | null;
  reopened: number;
}

const SELECT = `SELECT k.id, k.customer_id AS customerId, c.name AS customerName, k.order_id AS orderId, k.channel, k.category, k.severity, k.description,
  k.handler, k.status, k.level, k.created_at AS createdAt, k.updated_at AS updatedAt, k.first_response_at AS firstResponseAt, k.last_reply_at AS lastReplyAt,
  k.resolved_at AS resolvedAt, k.closed_at AS closedAt, k.respond_due AS respondDue, k.update_due AS updateDue, k.solve_due AS solveDue, k.due_at AS dueAt,
  k.clock, k.resolution, k.satisfaction, k.reopened
  FROM complaints k JOIN customers c ON c.id = k.customer_id`;

type Row = Omit<Complaint, 'clock' | 'resolution'> & { clock: string; resolution: string | null };
const toComplaint = (r: Row): Complaint => ({ ...r, clock: JSON.parse(r.clock) as ClockState, resolution: r.resolution ? (JSON.parse(r.resolution) as Record<string, unknown>) : null });

export interface NewComplaint {
  customerId: number;
  orderId: number | null;
  channel: string;
  category: string;
  severity: Severity;
  description: string;
  handler: string | null;
  at: string;
  clock: ClockState;
  deadlines: Deadlines;
}

export function insertComplaint(db: Db, k: NewComplaint): number {
  const id = Number(
    stmt(db, `INSERT INTO complaints (customer_id, order_id, channel, category, severity, description, handler, status, created_at, updated_at,
      respond_due, update_due, solve_due, due_at, clock) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?)`).run(
      k.customerId, k.orderId, k.channel, k.category, k.severity, k.description, k.handler, k.at, k.at,
      k.deadlines.respondDue, k.deadlines.updateDue, k.deadlines.solveDue, k.deadlines.dueAt, JSON.stringify(k.clock),
    ).lastInsertRowid,
  );
  return id;
}

export function getComplaint(db: Db, id: number): Complaint | null {
  const r = stmt(db, `${SELECT} WHERE k.id = ?`).get(id) as Row | undefined;
  return r ? toComplaint(r) : null;
}

/** Writes a complaint's state after a change (the fields a move can change). */
export function saveComplaint(db: Db, k: Complaint, at: string): void {
  stmt(db, `UPDATE complaints SET status = @status, level = @level, handler = @handler, updated_at = @at, first_response_at = @firstResponseAt,
      last_reply_at = @lastReplyAt, resolved_at = @resolvedAt, closed_at = @closedAt, respond_due = @respondDue, update_due = @updateDue,
      solve_due = @solveDue, due_at = @dueAt, clock = @clock, resolution = @resolution, satisfaction = @satisfaction, reopened = @reopened WHERE id = @id`).run({
    ...k,
    at,
    clock: JSON.stringify(k.clock),
    resolution: k.resolution ? JSON.stringify(k.resolution) : null,
  });
}

export interface ComplaintEvent {
  id: number;
  at: string;
  kind: string;
  fromStatus: string | null;
  toStatus: string | null;
  by: string | null;
  note: string | null;
  data: Record<string, unknown> | null;
}

export function addEvent(db: Db, complaintId: number, e: Omit<ComplaintEvent, 'id'>): boolean {
  return (
    stmt(db, `INSERT INTO complaint_events (complaint_id, at, kind, from_status, to_status, by, note, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`).run(
      complaintId, e.at, e.kind, e.fromStatus, e.toStatus, e.by, e.note, e.data ? JSON.stringify(e.data) : null,
    ).changes > 0
  );
}

export function complaintEvents(db: Db, complaintId: number): ComplaintEvent[] {
  const rows = stmt(db, 'SELECT id, at, kind, from_status AS fromStatus, to_status AS toStatus, by, note, data FROM complaint_events WHERE complaint_id = ? ORDER BY id').all(complaintId) as (Omit<ComplaintEvent, 'data'> & { data: string | null })[];
  return rows.map((r) => ({ ...r, data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : null }));
}

export interface ComplaintFilter {
  status?: Status[];
  /** Due at or before this instant (overdue: now; due within: now + length). */
  dueBy?: string;
  handler?: string;
  customerId?: number;
  since?: string;
  limit?: number | null;
}

/** Complaints, newest first; with dueBy, the soonest due first (an index range on due_at). */
export function listComplaints(db: Db, f: ComplaintFilter): Complaint[] {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (f.status?.length) {
    clauses.push(`k.status IN (${f.status.map(() => '?').join(', ')})`);
    params.push(...f.status);
  }
  if (f.dueBy) clauses.push('k.due_at IS NOT NULL AND k.due_at <= ?') && params.push(f.dueBy);
  if (f.handler) clauses.push('k.handler = ? COLLATE NOCASE') && params.push(f.handler);
  if (f.customerId !== undefined) clauses.push('k.customer_id = ?') && params.push(f.customerId);
  if (f.since) clauses.push('k.created_at >= ?') && params.push(f.since);
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  const order = f.dueBy ? 'k.due_at, k.id' : 'k.id DESC';
  return (db.prepare(`${SELECT} ${where} ORDER BY ${order} LIMIT ?`).all(...params, f.limit ?? -1) as Row[]).map(toComplaint);
}

/** Open complaints past a deadline below the top level (what the cron run escalates). */
export function overdueBelowTop(db: Db, now: string): Complaint[] {
  return (stmt(db, `${SELECT} WHERE k.due_at IS NOT NULL AND k.due_at <= ? AND k.level < 2 ORDER BY k.due_at`).all(now) as Row[]).map(toComplaint);
}

export function readSlaJson(db: Db): string | undefined {
  return readSetting(db, 'complaint_sla');
}

export function writeSlaJson(db: Db, json: string): void {
  writeSetting(db, 'complaint_sla', json);
}

/** How many follow-ups a complaint has had scheduled (each resolution schedules one). */
export function resolutionCount(db: Db, complaintId: number): number {
  return stmt(db, "SELECT count(*) FROM complaint_events WHERE complaint_id = ? AND kind = 'resolve'").pluck().get(complaintId) as number;
}

// ---------------------------------------------------------------------------------------------
// complaint stats: every figure aggregated here, per period of creation (a complaint, its refunds and
// its coupons count in the period it was recorded in)

/** A report's period: UTC instants [start, end) of its local days, and its last day (YYYY-MM-DD). */
export interface StatsSpan {
  start: string;
  end: string;
  lastDay: string;
}

export interface PeriodFigures {
  complaints: number;
  /** Customers known by the period's end (added by then, or with an order by then), as crm stats counts them. */
  customers: number;
  /** First responses within their deadline, of those answered or overdue unanswered. */
  respondedInTime: number;
  respondedCounted: number;
  resolvedInTime: number;
  resolvedCounted: number;
  /** Minutes from recording to the first response, and to the first resolution (elapsed, medians). */
  medianFirstResponse: number | null;
  medianResolution: number | null;
  reopened: number;
  refunds: number;
  refundTotal: number;
  coupons: number;
  /** Face value of the amount coupons (percent coupons are counted only). */
  couponValue: number;
  gifts: number;
  upgrades: number;
  /** Customers with two or more complaints in the period. */
  repeatCustomers: number;
}

const SPANS = `p(i, a, b) AS (SELECT CAST(key AS INTEGER), json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(@spans)),
  k0 AS (SELECT p.i, k.* FROM p JOIN complaints k ON k.created_at >= p.a AND k.created_at < p.b)`;

/**
 * Each complaint with its settled clocks: met as recorded on the move that settled it (the first
 * reply, the first resolution), or, for a complaint recorded before moves kept that, its time
 * against the policy's limit in plain hours; an unanswered or unresolved complaint past its stored
 * deadline counts as missed; one still within it is not counted yet.
 */
const FACTS = `${SPANS},
  k1 AS (SELECT k0.*,
    (SELECT min(e.id) FROM complaint_events e WHERE e.complaint_id = k0.id AND e.kind IN ('ack', 'update', 'wait', 'resolve')) AS fid,
    (SELECT min(e.id) FROM complaint_events e WHERE e.complaint_id = k0.id AND e.kind = 'resolve') AS rid FROM k0),
  f AS MATERIALIZED (SELECT k1.i, k1.customer_id, k1.reopened, k1.resolution,
    CASE WHEN k1.first_response_at IS NOT NULL THEN coalesce(json_extract(fe.data, '$.sla.first_response.met'),
        k1.first_response_at <= strftime('%Y-%m-%dT%H:%M:%fZ', k1.created_at, '+' || json_extract(@limits, '$.' || k1.severity || '.firstResponse') || ' minutes'))
      WHEN k1.respond_due <= @now THEN 0 END AS r_ok,
    CASE WHEN r.at IS NOT NULL THEN coalesce(json_extract(r.data, '$.sla.solution.met'),
        r.at <= strftime('%Y-%m-%dT%H:%M:%fZ', k1.created_at, '+' || json_extract(@limits, '$.' || k1.severity || '.solution') || ' minutes'))
      WHEN k1.solve_due <= @now THEN 0 END AS s_ok,
    (julianday(k1.first_response_at) - julianday(k1.created_at)) * 1440 AS first_min,
    (julianday(r.at) - julianday(k1.created_at)) * 1440 AS solve_min
    FROM k1 LEFT JOIN complaint_events fe ON fe.id = k1.fid LEFT JOIN complaint_events r ON r.id = k1.rid)`;

const spansJson = (spans: StatsSpan[]) => JSON.stringify(spans.map((s) => [s.start, s.end]));

/** The figures of each period, in the order given; `limits` is the SLA policy as JSON (for moves recorded without their outcome). */
export function complaintPeriodFigures(db: Db, spans: StatsSpan[], now: string, limits: string): PeriodFigures[] {
  const params = { spans: spansJson(spans), now, limits };
  const out: PeriodFigures[] = spans.map(() => ({
    complaints: 0, customers: 0, respondedInTime: 0, respondedCounted: 0, resolvedInTime: 0, resolvedCounted: 0, medianFirstResponse: null, medianResolution: null,
    reopened: 0, refunds: 0, refundTotal: 0, coupons: 0, couponValue: 0, gifts: 0, upgrades: 0, repeatCustomers: 0,
  }));
  const main = stmt(db, `WITH ${FACTS},
    m AS (SELECT i, 0 AS what, first_min AS v FROM f WHERE first_min IS NOT NULL UNION ALL SELECT i, 1, solve_min FROM f WHERE solve_min IS NOT NULL),
    mr AS (SELECT i, what, v, row_number() OVER (PARTITION BY i, what ORDER BY v) AS rn, count(*) OVER (PARTITION BY i, what) AS n FROM m),
    med AS (SELECT i, avg(CASE WHEN what = 0 THEN v END) AS first_med, avg(CASE WHEN what = 1 THEN v END) AS solve_med FROM mr WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY i),
    rep AS (SELECT i, count(*) AS n FROM (SELECT i FROM f GROUP BY i, customer_id HAVING count(*) >= 2) GROUP BY i)
    SELECT f.i, count(*) AS complaints, coalesce(sum(r_ok), 0) AS respondedInTime, count(r_ok) AS respondedCounted, coalesce(sum(s_ok), 0) AS resolvedInTime,
      count(s_ok) AS resolvedCounted, sum(reopened > 0) AS reopened, sum(json_extract(resolution, '$.gift') IS NOT NULL) AS gifts,
      sum(json_extract(resolution, '$.upgrade') IS NOT NULL) AS upgrades, med.first_med AS medianFirstResponse, med.solve_med AS medianResolution, coalesce(rep.n, 0) AS repeatCustomers
    FROM f LEFT JOIN med ON med.i = f.i LEFT JOIN rep ON rep.i = f.i GROUP BY f.i`).all(params) as (Partial<PeriodFigures> & { i: number })[];
  for (const { i, ...r } of main) Object.assign(out[i]!, r);
  const money = stmt(db, `WITH ${SPANS},
    r AS (SELECT k0.i, count(*) AS refunds, sum(x.amount) AS refundTotal, 0 AS coupons, 0 AS couponValue FROM k0 JOIN refunds x ON x.complaint_id = k0.id GROUP BY k0.i),
    c AS (SELECT k0.i, 0, 0, count(*), sum(CASE WHEN c.kind = 'amount' THEN c.value ELSE 0 END) FROM k0 JOIN coupons c ON c.rule = 'complaint:' || k0.id AND c.rule GLOB 'complaint:*' GROUP BY k0.i)
    SELECT i, sum(refunds) AS refunds, sum(refundTotal) AS refundTotal, sum(coupons) AS coupons, sum(couponValue) AS couponValue FROM (SELECT * FROM r UNION ALL SELECT * FROM c) GROUP BY i`).all({ spans: params.spans }) as (Partial<PeriodFigures> & { i: number })[];
  for (const { i, ...r } of money) Object.assign(out[i]!, r);
  return out;
}

export interface BreakdownRow {
  period: number;
  by: 'category' | 'severity' | 'channel';
  value: string;
  complaints: number;
}

/** Complaints per period by category, severity and channel (one pass over the period's complaints). */
export function complaintBreakdown(db: Db, spans: StatsSpan[]): BreakdownRow[] {
  const rows = stmt(db, `WITH ${SPANS} SELECT i, category, severity, channel, count(*) AS n FROM k0 GROUP BY i, category, severity, channel`).all({ spans: spansJson(spans) }) as {
    i: number; category: string; severity: string; channel: string; n: number;
  }[];
  const sums = new Map<string, BreakdownRow>();
  for (const r of rows) {
    for (const by of ['category', 'severity', 'channel'] as const) {
      const key = `${r.i}\u0000${by}\u0000${r[by]}`;
      const b = sums.get(key);
      if (b) b.complaints += r.n;
      else sums.set(key, { period: r.i, by, value: r[by], complaints: r.n });
    }
  }
  return [...sums.values()];
}

/** Customers with two or more complaints recorded in [from, to), the most first (at most `limit`), and how many there are in all. */
export function repeatComplainants(db: Db, from: string, to: string, limit: number): { rows: { customerId: number; name: string; complaints: number }[]; total: number } {
  const all = stmt(db, 'SELECT customer_id AS customerId, count(*) AS complaints FROM complaints WHERE created_at >= ? AND created_at < ? GROUP BY customer_id HAVING complaints >= 2')
    .all(from, to) as { customerId: number; complaints: number }[];
  all.sort((a, b) => b.complaints - a.complaints || a.customerId - b.customerId);
  const top = all.slice(0, limit);
  const names = new Map(stmt(db, 'SELECT id, name FROM customers WHERE id IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify(top.map((r) => r.customerId))) as [number, string][]);
  return { rows: top.map((r) => ({ ...r, name: names.get(r.customerId) ?? '' })), total: all.length };
}

/**
 * The complainants of [from, to) whose first resolution there was at or before `cut` (their 90 days
 * are over): per saved segment, how many had an order within 90 days after that resolution; and
 * the middle resolution instant (the anchor the comparison takes).
 */
export function complainantRepurchase(db: Db, from: string, to: string, cut: string): { segments: SegmentCount[]; anchor: string | null } {
  const rows = stmt(db, `WITH c AS MATERIALIZED (SELECT k.customer_id AS id, min(e.at) AS r FROM complaints k JOIN complaint_events e ON e.complaint_id = k.id AND e.kind = 'resolve'
      WHERE k.created_at >= @from AND k.created_at < @to GROUP BY k.customer_id HAVING r <= @cut),
    mid AS (SELECT r FROM (SELECT r, row_number() OVER (ORDER BY r) AS rn, count(*) OVER () AS n FROM c) WHERE rn = (n + 1) / 2)
    SELECT coalesce(s.segment, '') AS segment, count(*) AS customers, (SELECT r FROM mid) AS anchor,
      sum(EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.ordered_at > c.r AND o.ordered_at <= strftime('%Y-%m-%dT%H:%M:%fZ', c.r, '+90 days'))) AS kept
    FROM c LEFT JOIN customer_rfm s ON s.customer_id = c.id GROUP BY 1 ORDER BY 1`).all({ from, to, cut }) as (SegmentCount & { anchor: string })[];
  return { segments: rows.map(({ segment, customers, kept }) => ({ segment, customers, kept })), anchor: rows[0]?.anchor ?? null };
}

/**
 * How many customers were known by each period's end (added by then, or with an order by then), in
 * one pass over the customers: the first period each is known in, counted, then summed up. The
 * CASEs test the earliest period first, so most customers (known long before) cost one comparison,
 * not two a period.
 */
export function customersKnown(db: Db, spans: StatsSpan[]): number[] {
  const first = (col: string, op: string, p: string) => `CASE ${col === 'first_order_day' ? `WHEN ${col} IS NULL THEN ${spans.length} ` : ''}${spans.map((_, n) => `WHEN ${col} ${op} @${p}${n} THEN ${n}`).join(' ')} ELSE ${spans.length} END`;
  const rows = db.prepare(`SELECT min(${first('created_at', '<', 'a')}, ${first('first_order_day', '<=', 'd')}) AS k, count(*) AS n FROM customers GROUP BY k`)
    .all(Object.fromEntries(spans.flatMap((sp, n) => [[`a${n}`, sp.end], [`d${n}`, sp.lastDay]]))) as { k: number; n: number }[];
  let running = 0;
  return spans.map((_, n) => {
    for (const r of rows) if (r.k === n) running += r.n;
    return running;
  });
}

/**
 * Customers who never complained and were known at `at` (added by then, or with an order by the
 * day `day`), per saved segment, with how many ordered on the days after `day` up to `lastDay`.
 * Counted as all the customers known then less the complainants among them, and the buyers of those
 * days (read from their orders) less the complainants among them: index look-ups, not a pass over
 * every customer. By segment only when RFM scores are saved.
 */
export function baselineRepurchase(db: Db, at: string, day: string, lastDay: string): SegmentCount[] {
  const p = { at, day, lastDay };
  const knownAt = '(c.created_at < @at OR c.first_order_day <= @day)';
  const bySegment = hasSavedRfm(db);
  const seg = bySegment ? "coalesce((SELECT s.segment FROM customer_rfm s WHERE s.customer_id = c.id), '')" : "''";
  type Count = { segment: string; n: number; complained: number };
  const count = (from: string, withComplained: boolean) =>
    db.prepare(`SELECT ${seg} AS segment, count(*) AS n, ${withComplained ? 'sum(c.id IN (SELECT customer_id FROM complaints))' : '0'} AS complained FROM ${from} GROUP BY 1`).all(p) as Count[];
  const complaints = 'c.id IN (SELECT customer_id FROM complaints)';
  const all = count(`customers c WHERE ${knownAt}`, false);
  const complained = count(`customers c WHERE ${complaints} AND ${knownAt}`, false);
  // The buyers of those days, from their orders (one range of the day index), with the complainants among them.
  const buyers = count(`customers c WHERE c.id IN (SELECT customer_id FROM orders WHERE day > @day AND day <= @lastDay) AND ${knownAt}`, true);
  const get = (rows: Count[], s: string, k: 'n' | 'complained') => rows.find((r) => r.segment === s)?.[k] ?? 0;
  return all
    .map((r) => ({ segment: r.segment, customers: r.n - get(complained, r.segment, 'n'), kept: get(buyers, r.segment, 'n') - get(buyers, r.segment, 'complained') }))
    .sort((x, y) => (x.segment < y.segment ? -1 : x.segment > y.segment ? 1 : 0));
}

/** Whether RFM scores were saved (crm rfm --save): the segments the repurchase comparison groups by. */
export function hasSavedRfm(db: Db): boolean {
  return stmt(db, 'SELECT EXISTS (SELECT 1 FROM customer_rfm)').pluck().get() === 1;
}
