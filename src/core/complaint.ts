// Complaints: what one is (channel, category, severity), the moves between its states and which are
// allowed, the SLA policy (three clocks per severity, as Zammad has them: first response, update
// between two replies, solution), the deadlines those clocks give (paused while waiting on the
// customer), what a move settles (a deadline met or missed), when an overdue complaint goes up a
// level, and the periods and comparisons of the report. Pure: the time and the working-time
// arithmetic (business hours or all hours) are passed in.
import { badInput } from '../errors.js';
import { addDays, addMonths } from './dates.js';
import { periodStart, type Period } from './stats.js';

export const COMPLAINT_CHANNELS = ['phone', 'in_store', 'wechat', 'online_review', 'email', 'other'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];
export const SEVERITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const STATUSES = ['open', 'acknowledged', 'in_progress', 'waiting', 'resolved', 'closed'] as const;
export type Status = (typeof STATUSES)[number];
export const CATEGORY_DEFAULTS = ['product_quality', 'delivery', 'service_attitude', 'price', 'other'] as const;

/** What a person does to a complaint; each is a command (crm complaint ack|update|wait|resolve|close|reopen). */
export const ACTIONS = ['ack', 'update', 'wait', 'resolve', 'close', 'reopen'] as const;
export type Action = (typeof ACTIONS)[number];

/** From which states each action may be taken, and the state it leads to. */
const MOVES: Record<Action, { from: readonly Status[]; to: Status }> = {
  ack: { from: ['open'], to: 'acknowledged' },
  update: { from: ['open', 'acknowledged', 'in_progress', 'waiting'], to: 'in_progress' },
  wait: { from: ['acknowledged', 'in_progress'], to: 'waiting' },
  resolve: { from: ['open', 'acknowledged', 'in_progress', 'waiting'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  reopen: { from: ['resolved', 'closed'], to: 'open' },
};

/** The actions allowed in a state. */
export function allowedActions(status: Status): Action[] {
  return ACTIONS.filter((a) => MOVES[a].from.includes(status));
}

/** The state an action leads to, or bad input naming the state and the moves it allows. */
export function move(status: Status, action: Action): Status {
  if (!MOVES[action].from.includes(status)) {
    const allowed = allowedActions(status);
    throw badInput('err.complaint.move', { action, status, allowed: allowed.length ? allowed.join(', ') : '—' });
  }
  return MOVES[action].to;
}

/** Whether a state counts as a reply to the customer (the first response, and the update clock restarting). */
export const REPLIES: ReadonlySet<Action> = new Set(['ack', 'update', 'wait', 'resolve']);

// ---------------------------------------------------------------------------------------------
// The SLA policy

export interface Clocks {
  /** Minutes allowed to the first response. */
  firstResponse: number;
  /** Minutes allowed between two replies once answered. */
  update: number;
  /** Minutes allowed to the resolution. */
  solution: number;
}
export type SlaPolicy = Record<Severity, Clocks>;

const H = 60;
/** The guides' defaults: a reply within 24 hours, urgent ones within 2. */
export const DEFAULT_SLA: SlaPolicy = {
  urgent: { firstResponse: 2 * H, update: 4 * H, solution: 24 * H },
  high: { firstResponse: 8 * H, update: 12 * H, solution: 48 * H },
  normal: { firstResponse: 24 * H, update: 24 * H, solution: 72 * H },
  low: { firstResponse: 24 * H, update: 48 * H, solution: 168 * H },
};

/** The stored policy over the defaults. */
export function readSla(raw: string | undefined): SlaPolicy {
  const out: SlaPolicy = structuredClone(DEFAULT_SLA);
  if (!raw) return out;
  try {
    const stored = JSON.parse(raw) as Partial<Record<Severity, Partial<Clocks>>>;
    for (const s of SEVERITIES) out[s] = { ...out[s], ...stored[s] };
  } catch {
    /* the defaults */
  }
  return out;
}

/** Escalation: a missed deadline goes to the second line after this long, to the owner after this long (working minutes). */
export const ESCALATE_AFTER: readonly [number, number] = [2 * H, 4 * H];
export const LEVELS = ['front', 'second', 'owner'] as const;

// ---------------------------------------------------------------------------------------------
// Deadlines

/** Working-time arithmetic in the shop's hours (or all hours), given to the core. */
export interface WorkingTime {
  add(start: Date, minutes: number): Date;
  between(from: Date, to: Date): number;
}

/** One clock: working minutes used before `since` (when it last started; null: paused or stopped), and whether it is done. */
export interface Clock {
  used: number;
  since: string | null;
  done: boolean;
}
export interface ClockState {
  respond: Clock;
  update: Clock;
  solve: Clock;
}

export interface Deadlines {
  respondDue: string | null;
  updateDue: string | null;
  solveDue: string | null;
  /** The earliest of them: what `complaint list --overdue` looks up. */
  dueAt: string | null;
}

/** The clocks of a new complaint, started at `at`; the update clock waits for the first reply. */
export function startClocks(at: string): ClockState {
  return { respond: { used: 0, since: at, done: false }, update: { used: 0, since: null, done: false }, solve: { used: 0, since: at, done: false } };
}

const pause = (c: Clock, at: Date, w: WorkingTime): Clock => (c.since && !c.done ? { ...c, used: c.used + w.between(new Date(c.since), at), since: null } : c);
const resume = (c: Clock, at: string): Clock => (c.done || c.since ? c : { ...c, since: at });

/**
 * The clocks after an action at `at`: a reply meets the first-response clock and restarts the update
 * clock; waiting on the customer pauses every running clock and any other move resumes them;
 * resolving stops them; reopening starts the solution and update clocks again (time used is kept).
 */
export function advanceClocks(c: ClockState, action: Action, at: string, w: WorkingTime): ClockState {
  const now = new Date(at);
  let next: ClockState = { respond: { ...c.respond }, update: { ...c.update }, solve: { ...c.solve } };
  if (action === 'reopen') {
    return { respond: next.respond, update: { used: 0, since: at, done: false }, solve: { ...next.solve, done: false, since: at } };
  }
  if (action === 'resolve' || action === 'close') {
    return { respond: { ...pause(next.respond, now, w), done: true }, update: { ...pause(next.update, now, w), done: true }, solve: { ...pause(next.solve, now, w), done: true } };
  }
  if (REPLIES.has(action)) {
    next.respond = { ...pause(next.respond, now, w), done: true };
    next.update = { used: 0, since: at, done: false };
  }
  if (action === 'wait') return { respond: next.respond, update: pause(next.update, now, w), solve: pause(next.solve, now, w) };
  next = { ...next, solve: resume(next.solve, at) };
  return next;
}

/** A clock settled by a move: the deadline that stood, the working minutes used (pauses not counted) against the limit, and whether it was met. */
export interface ClockOutcome {
  due: string | null;
  used: number;
  limit: number;
  met: boolean;
}
export interface Settled {
  first_response?: ClockOutcome;
  solution?: ClockOutcome;
}

/**
 * What a move at `at` settles, worked out before the clocks advance: the first reply (ack, update,
 * wait or resolve while the first-response clock runs) settles the first response, a resolution the
 * solution. Met means the working time used was within the limit, so a deadline paused while waiting
 * on the customer is judged as it stood, not as it would have been. Null when nothing is settled.
 */
export function settledClocks(c: ClockState, action: Action, at: string, limits: Clocks, w: WorkingTime): Settled | null {
  const now = new Date(at);
  const stood = deadlines(c, limits, w);
  const outcome = (clock: Clock, limit: number, due: string | null): ClockOutcome => {
    const used = clock.used + (clock.since && !clock.done ? w.between(new Date(clock.since), now) : 0);
    return { due, used: Math.round(used * 100) / 100, limit, met: used <= limit };
  };
  const out: Settled = {};
  if (REPLIES.has(action) && !c.respond.done) out.first_response = outcome(c.respond, limits.firstResponse, stood.respondDue);
  if (action === 'resolve') out.solution = outcome(c.solve, limits.solution, stood.solveDue);
  return out.first_response || out.solution ? out : null;
}

/** The deadlines the clocks give under a severity's limits. */
export function deadlines(c: ClockState, limits: Clocks, w: WorkingTime): Deadlines {
  const due = (clock: Clock, limit: number) => (clock.done || !clock.since ? null : w.add(new Date(clock.since), Math.max(0, limit - clock.used)).toISOString());
  const respondDue = due(c.respond, limits.firstResponse);
  const updateDue = due(c.update, limits.update);
  const solveDue = due(c.solve, limits.solution);
  const all = [respondDue, updateDue, solveDue].filter((x): x is string => x !== null).sort();
  return { respondDue, updateDue, solveDue, dueAt: all[0] ?? null };
}

/**
 * The escalation level an overdue complaint should be at: 1 (second line) once its earliest deadline
 * is ESCALATE_AFTER[0] working minutes past, 2 (owner) after ESCALATE_AFTER[1]; 0 otherwise.
 */
export function escalationLevel(dueAt: string | null, now: Date, w: WorkingTime): 0 | 1 | 2 {
  if (!dueAt || new Date(dueAt) >= now) return 0;
  const over = w.between(new Date(dueAt), now);
  return over >= ESCALATE_AFTER[1] ? 2 : over >= ESCALATE_AFTER[0] ? 1 : 0;
}

/** Minutes left until a deadline (negative: over), whole minutes of the clock. */
export function minutesLeft(due: string, now: Date): number {
  return Math.round((new Date(due).getTime() - now.getTime()) / 60_000);
}

// ---------------------------------------------------------------------------------------------
// What was typed

function pick<T extends string>(raw: string, list: readonly T[], names: (k: T) => string[], error: 'err.complaint.channel' | 'err.complaint.severity' | 'err.complaint.category' | 'err.complaint.status'): T {
  const want = raw.normalize('NFKC').trim().toLowerCase().replace(/[-\s]/g, '_');
  const found = list.find((k) => k === want || names(k).some((n) => n.toLowerCase().replace(/[-\s]/g, '_') === want));
  if (!found) throw badInput(error, { value: raw, allowed: list.join(', ') });
  return found;
}

export const parseChannel = (raw: string, names: (k: ComplaintChannel) => string[]) => pick(raw, COMPLAINT_CHANNELS, names, 'err.complaint.channel');
export const parseSeverity = (raw: string, names: (k: Severity) => string[]) => pick(raw, SEVERITIES, names, 'err.complaint.severity');
export const parseStatus = (raw: string, names: (k: Status) => string[]) => pick(raw, STATUSES, names, 'err.complaint.status');
export const parseCategory = (raw: string, categories: readonly string[], names: (k: string) => string[]) => pick(raw, categories, names, 'err.complaint.category');

/** A satisfaction score 1-5. */
export function parseSatisfaction(raw: string): number {
  const v = raw.normalize('NFKC').trim();
  if (!/^[1-5]$/.test(v)) throw badInput('err.complaint.satisfaction', { value: raw });
  return Number(v);
}

// ---------------------------------------------------------------------------------------------
// Reports (crm complaint stats)

/** Days after a resolution in which a complainant who orders again counts as kept. */
export const REPURCHASE_DAYS = 90;
/** Periods a report shows without --since: a year of months, a year of quarters, three years. */
export const REPORT_PERIODS: Record<Period, number> = { month: 12, quarter: 4, year: 3 };

export interface ReportPeriod {
  /** 2026-11, 2026-Q4, 2026 */
  label: string;
  first: string;
  last: string;
}

const STEP: Record<Period, number> = { month: 1, quarter: 3, year: 12 };

/** A period's name: 2026-11, 2026-Q4, 2026. */
export function periodLabel(first: string, period: Period): string {
  if (period === 'year') return first.slice(0, 4);
  if (period === 'quarter') return `${first.slice(0, 4)}-Q${Math.floor((Number(first.slice(5, 7)) - 1) / 3) + 1}`;
  return first.slice(0, 7);
}

/** The periods from the one `since` falls in to the one `today` falls in, oldest first; the last ends today. */
export function reportPeriods(since: string, today: string, period: Period): ReportPeriod[] {
  const out: ReportPeriod[] = [];
  const end = periodStart(today, period);
  for (let first = periodStart(since <= today ? since : today, period); first <= end; first = addMonths(first, STEP[period])) {
    const last = first === end ? today : addDays(addMonths(first, STEP[period]), -1);
    out.push({ label: periodLabel(first, period), first, last });
  }
  return out;
}

/** Customers of one segment, and how many of them ordered in the days looked at. */
export interface SegmentCount {
  segment: string;
  customers: number;
  kept: number;
}

/**
 * The share of complainants one would expect to order again if a complaint made no difference:
 * each segment's share among customers without a complaint, weighted by how many complainants are
 * in that segment (a segment with no such customers takes the share of them all). Null without complainants or without others.
 */
export function expectedShare(complainants: readonly SegmentCount[], baseline: readonly SegmentCount[]): number | null {
  const total = complainants.reduce((n, c) => n + c.customers, 0);
  const all = baseline.reduce((a, b) => ({ customers: a.customers + b.customers, kept: a.kept + b.kept }), { customers: 0, kept: 0 });
  if (total === 0 || all.customers === 0) return null;
  const overall = all.kept / all.customers;
  const bySegment = new Map(baseline.map((b) => [b.segment, b]));
  let expected = 0;
  for (const c of complainants) {
    const b = bySegment.get(c.segment);
    expected += c.customers * (b && b.customers > 0 ? b.kept / b.customers : overall);
  }
  return expected / total;
}
