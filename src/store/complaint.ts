// All SQL of complaints: the record with its stored deadlines, its timeline, the look-ups of
// listings (overdue is an index range on due_at), and what `complaint stats` counts.
import type { ClockState, Deadlines, Severity, Status } from '../core/complaint.js';
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
