// Complaints as the commands and cron handle them: a new complaint with its deadlines, each move
// with the clocks advanced and the deadlines stored again, resolving (what the customer received:
// a refund against the order, a coupon, a gift, a level) with the follow-up visit scheduled as a
// reminder, the follow-up's result, escalation (by hand, and by `crm remind run` when a deadline
// has been missed long enough), announced to the staff through the reminder channels, and the
// report of `crm complaint stats`.
import type { Context } from '../context.js';
import {
  advanceClocks, deadlines, escalationLevel, expectedShare, LEVELS, move, readSla, REPLIES, REPORT_PERIODS, reportPeriods, REPURCHASE_DAYS, settledClocks, startClocks,
  type Action, type ReportPeriod, type Severity, type WorkingTime,
} from '../core/complaint.js';
import { addWorkingTime, workingMinutesBetween } from '../core/business-hours.js';
import { addDays, addMonths, dayEndInstant, formatLocal, localDay } from '../core/dates.js';
import { periodStart, type Period } from '../core/stats.js';
import { deliveryId } from '../core/remind/schedule.js';
import { checkText } from '../core/limits.js';
import { badInput, failure } from '../errors.js';
import { translate, type Lang, type MessageId } from '../messages/index.js';
import {
  addEvent, baselineRepurchase, customersKnown, complainantRepurchase, complaintBreakdown, complaintPeriodFigures, getComplaint, hasSavedRfm, insertComplaint, overdueBelowTop,
  readSlaJson, repeatComplainants, resolutionCount, saveComplaint, type BreakdownRow, type Complaint, type PeriodFigures,
} from '../store/complaint.js';
import { transaction, type Db } from '../store/db.js';
import { getOrder } from '../store/order.js';
import { insertOccurrences } from '../store/remind.js';
import { workCalendar } from './holiday.js';

/** The shop's working time: business hours with holidays and make-up days, or every hour (sla_hours). Years without data are noted once. */
export async function workingTime(ctx: Context): Promise<WorkingTime & { missingYears: Set<number> }> {
  const cal = await workCalendar(ctx);
  const { timezone: zone } = await ctx.settings();
  const missingYears = new Set<number>();
  const note = (years: number[]) => years.forEach((y) => missingYears.add(y));
  return {
    missingYears,
    add: (start, minutes) => {
      const r = addWorkingTime(start, minutes, cal, zone);
      note(r.missingYears);
      return r.at;
    },
    between: (from, to) => {
      const r = workingMinutesBetween(from, to, cal, zone);
      note(r.missingYears);
      return r.minutes;
    },
  };
}

/** One line on stderr when a deadline counted a year that has no holiday data (never silently). */
export function warnMissingYears(ctx: Context, w: { missingYears: Set<number> }): void {
  if (w.missingYears.size > 0) ctx.err(ctx.t('complaint.noHolidayData', { years: [...w.missingYears].sort().join(', ') }));
}

export async function slaPolicy(ctx: Context) {
  return readSla(readSlaJson(await ctx.db()));
}

export interface NewComplaintInput {
  customerId: number;
  orderId: number | null;
  channel: string;
  category: string;
  severity: Severity;
  description: string;
  handler: string | null;
  by: string | null;
}

/** Who did a move and its note, checked as free text (core/limits.ts) before anything is written. */
function checkWords(o: { by: string | null; note: string | null }): void {
  checkText('person', o.by);
  checkText('note', o.note);
}

/** Records a complaint with its deadlines and the first line of its timeline; returns it. */
export async function addComplaint(ctx: Context, k: NewComplaintInput): Promise<Complaint> {
  checkText('description', k.description);
  checkText('person', k.handler);
  checkText('person', k.by);
  const db = await ctx.db();
  const w = await workingTime(ctx);
  const limits = (await slaPolicy(ctx))[k.severity];
  const at = ctx.nowIso();
  const clock = startClocks(at);
  const id = transaction(db, () => {
    const id = insertComplaint(db, { ...k, at, clock, deadlines: deadlines(clock, limits, w) });
    addEvent(db, id, { at, kind: 'created', fromStatus: null, toStatus: 'open', by: k.by, note: k.description, data: { severity: k.severity, category: k.category, channel: k.channel } });
    return id;
  });
  warnMissingYears(ctx, w);
  return getComplaint(db, id)!;
}

/** An order of this customer as typed (#12 or 12): its id, or bad input (no such order, another customer's). */
export function customerOrder(db: Db, raw: string, customerId: number): number {
  const v = raw.trim().replace(/^#/, '');
  const o = /^\d+$/.test(v) ? getOrder(db, Number(v)) : null;
  if (!o) throw badInput('err.complaint.order', { value: raw });
  if (o.customerId !== customerId) throw badInput('err.complaint.orderOther', { value: raw });
  return o.id;
}

export async function complaintOrFail(ctx: Context, raw: string): Promise<Complaint> {
  const v = raw.trim().replace(/^#/, '');
  if (!/^\d+$/.test(v)) throw badInput('err.complaint.id', { value: raw });
  const k = getComplaint(await ctx.db(), Number(v));
  if (!k) throw failure('err.complaint.notFound', { id: v });
  return k;
}

/** The complaint after an action, its clocks advanced and deadlines worked out again (not saved). */
function applyAction(k: Complaint, action: Action, at: string, limits: ReturnType<typeof readSla>, w: WorkingTime): Complaint {
  const status = move(k.status, action);
  const clock = advanceClocks(k.clock, action, at, w);
  const next: Complaint = { ...k, status, clock, ...deadlines(clock, limits[k.severity], w) };
  if (REPLIES.has(action)) {
    next.firstResponseAt ??= at;
    next.lastReplyAt = at;
  }
  if (action === 'resolve') next.resolvedAt = at;
  if (action === 'close') next.closedAt = at;
  if (action === 'reopen') {
    next.resolvedAt = null;
    next.closedAt = null;
    next.reopened += 1;
    next.satisfaction = null;
  }
  return next;
}

export interface ActInput {
  by: string | null;
  note: string | null;
  /** resolve: what the customer received ({refund, coupon, gift, upgrade}). */
  resolution?: Record<string, unknown>;
  /** Work to do in the same transaction (a refund, a coupon). */
  alsoInTransaction?: (db: Db, k: Complaint) => Record<string, unknown> | void;
}

/** One move (ack, update, wait, resolve, close, reopen), on the timeline, in one transaction; a resolution schedules the follow-up visit. */
export async function act(ctx: Context, id: number, action: Action, o: ActInput): Promise<Complaint> {
  checkWords(o);
  const db = await ctx.db();
  const w = await workingTime(ctx);
  const limits = await slaPolicy(ctx);
  const s = await ctx.settings();
  const at = ctx.nowIso();
  transaction(db, () => {
    const k = getComplaint(db, id);
    if (!k) throw failure('err.complaint.notFound', { id });
    const next = applyAction(k, action, at, limits, w);
    // The clocks this move settles, judged as they stood (for complaint stats: met in time or not).
    const sla = settledClocks(k.clock, action, at, limits[k.severity], w);
    let data: Record<string, unknown> | null = sla ? { sla } : null;
    if (action === 'resolve') {
      const extra = o.alsoInTransaction?.(db, next) ?? {};
      next.resolution = { ...(o.resolution ?? {}), ...extra };
      data = { ...next.resolution, ...data };
    }
    saveComplaint(db, next, at);
    addEvent(db, id, { at, kind: action, fromStatus: k.status, toStatus: next.status, by: o.by, note: o.note, data });
    if (action === 'resolve') scheduleFollowup(db, next, at, Number(s.followup_days), s.followup_channel);
  });
  warnMissingYears(ctx, w);
  return getComplaint(db, id)!;
}

export interface ResolveInput {
  note: string;
  by: string | null;
  /** A refund against the complaint's order (or --order). */
  refund?: string;
  order?: string;
  /** A coupon for the customer: 20, 10%, 20/100. */
  coupon?: string;
  couponDays?: string;
  gift?: string;
  /** A member level given as compensation. */
  upgrade?: string;
}

/**
 * Resolves a complaint with what the customer received, all in one transaction with the move: a
 * refund recorded against the order (never more than it still holds), a coupon issued to them, a
 * gift noted, a level set; then the follow-up visit is scheduled. Every option is checked first.
 */
export async function resolveComplaint(ctx: Context, id: number, o: ResolveInput): Promise<Complaint> {
  checkWords(o);
  checkText('note', o.gift ?? null);
  const db = await ctx.db();
  const s = await ctx.settings();
  const k = getComplaint(db, id);
  if (!k) throw failure('err.complaint.notFound', { id });
  move(k.status, 'resolve');
  const { parseAmount, displayAmount } = await import('../core/money.js');
  let refund: { orderId: number; amount: number } | null = null;
  if (o.refund !== undefined) {
    const orderRef = o.order ?? (k.orderId === null ? undefined : String(k.orderId));
    if (orderRef === undefined) throw badInput('err.complaint.refundOrder', { id });
    refund = { orderId: customerOrder(db, orderRef, k.customerId), amount: parseAmount(o.refund, s.currency) };
  }
  let coupon: { spec: ReturnType<typeof import('../core/coupon.js').parseCouponSpec>; days: number } | null = null;
  if (o.coupon !== undefined) {
    const { parseCouponSpec } = await import('../core/coupon.js');
    const days = o.couponDays === undefined ? 30 : Number(o.couponDays);
    if (!Number.isInteger(days) || days < 1 || days > 3650) throw badInput('err.remind.days', { option: '--coupon-days', value: o.couponDays ?? '' });
    coupon = { spec: parseCouponSpec(o.coupon, s.currency), days };
  }
  const upgrade = o.upgrade === undefined ? null : await (await import('./customer.js')).levelOption(ctx, o.upgrade);
  const { recordRefund } = await import('./refund.js');
  const { issueCoupon } = await import('../store/coupon.js');
  const { couponExpiry, displayCode } = await import('../core/coupon.js');
  const { setTier } = await import('../store/tier.js');
  const today = await ctx.today();
  return act(ctx, id, 'resolve', {
    by: o.by,
    note: o.note,
    resolution: { ...(o.gift ? { gift: o.gift } : {}) },
    alsoInTransaction: (tx) => {
      const at = ctx.nowIso();
      const got: Record<string, unknown> = {};
      if (refund) {
        // The refund rule (never more than the order still holds) is checked in this transaction: refused, nothing is written.
        recordRefund(tx, { orderId: refund.orderId, amount: refund.amount, note: o.note, complaintId: id }, at, (m) => displayAmount(m, s.currency, ctx.lang));
        got.refund = { order: refund.orderId, amount: refund.amount };
      }
      if (coupon) {
        const c = issueCoupon(tx, { customerId: k.customerId, rule: `complaint:${id}`, kind: coupon.spec.kind, value: coupon.spec.value, minSpend: coupon.spec.minSpend, expiresOn: couponExpiry(today, coupon.days), issuedAt: at });
        got.coupon = displayCode(c.code);
      }
      if (upgrade) {
        setTier(tx, k.customerId, upgrade, today, at);
        got.upgrade = upgrade;
      }
      return got;
    },
  });
}

/** The follow-up visit (回访) a resolution schedules: a reminder occurrence `followup_days` later on the follow-up channel. */
function scheduleFollowup(db: Db, k: Complaint, at: string, days: number, channel: string): void {
  const occasion = `complaint:${k.id}:${resolutionCount(db, k.id)}`;
  const due = new Date(new Date(at).getTime() + days * 86_400_000).toISOString();
  insertOccurrences(db, [{ rule: 'complaint_followup', customerId: k.customerId, occasion, dueAt: due, template: 'complaint_followup', channel, status: 'pending', reason: null, deliveryId: deliveryId('complaint_followup', k.customerId, occasion) }], at);
}

/** Who is at a level: the handler (front line), the second line, the owner. */
export function levelHolder(level: number, k: Pick<Complaint, 'handler'>, s: { second_line: string; owner_name: string }, lang: Lang): string {
  if (level >= 2) return s.owner_name;
  if (level === 1) return s.second_line;
  return k.handler ?? translate(lang, 'complaint.level.front');
}

/**
 * Escalates to a level (by hand: one up; from cron: the level its overdue time calls for), once per
 * level (a unique timeline entry), and announces it to the staff on the escalation channel as a
 * reminder occurrence that `crm remind run` delivers.
 */
function escalateTo(db: Db, k: Complaint, level: number, at: string, by: string | null, note: string | null, channel: string): boolean {
  if (level <= k.level) return false;
  const fresh = addEvent(db, k.id, { at, kind: 'escalate', fromStatus: k.status, toStatus: k.status, by, note, data: { level, from: k.level } });
  if (!fresh) return false;
  saveComplaint(db, { ...k, level }, at);
  tellStaff(db, k, `complaint:${k.id}:level:${level}`, at, channel);
  return true;
}

/** A notice to the staff about a complaint (an escalation, a reopening): an occurrence of the rule escalation that `crm remind run` delivers. */
function tellStaff(db: Db, k: Complaint, occasion: string, at: string, channel: string): void {
  insertOccurrences(db, [{ rule: 'escalation', customerId: k.customerId, occasion, dueAt: at, template: 'escalation', channel, status: 'pending', reason: null, deliveryId: deliveryId('escalation', k.customerId, occasion) }], at);
}

/** `crm complaint escalate <id>`: one level up, by hand. */
export async function escalate(ctx: Context, id: number, o: { by: string | null; note: string | null }): Promise<Complaint> {
  checkWords(o);
  const db = await ctx.db();
  const s = await ctx.settings();
  const at = ctx.nowIso();
  transaction(db, () => {
    const k = getComplaint(db, id)!;
    if (k.status === 'resolved' || k.status === 'closed') throw badInput('err.complaint.escalateDone', { id, status: k.status });
    if (k.level >= 2) throw badInput('err.complaint.escalateTop', { id });
    escalateTo(db, k, k.level + 1, at, o.by, o.note, s.escalation_channel);
  });
  return getComplaint(db, id)!;
}

/** What cron does before sending: every open complaint past a deadline long enough goes up to its level, once per level. */
export async function autoEscalate(ctx: Context): Promise<number> {
  const db = await ctx.db();
  const s = await ctx.settings();
  const w = await workingTime(ctx);
  const now = ctx.now();
  const at = now.toISOString();
  let n = 0;
  transaction(db, () => {
    for (const k of overdueBelowTop(db, at)) {
      const level = escalationLevel(k.dueAt, now, w);
      // Straight to the owner when both waits have passed: the second line's level is recorded too.
      for (let l = k.level + 1; l <= level; l++) if (escalateTo(db, { ...k, level: l - 1 }, l, at, null, null, s.escalation_channel)) n++;
    }
  });
  return n;
}

/** The result of the follow-up visit: satisfied (4-5) closes the complaint; otherwise it is reopened and the handler told. */
export async function recordFollowup(ctx: Context, id: number, satisfaction: number, o: { by: string | null; note: string | null }): Promise<Complaint> {
  checkWords(o);
  const db = await ctx.db();
  const w = await workingTime(ctx);
  const limits = await slaPolicy(ctx);
  const s = await ctx.settings();
  const at = ctx.nowIso();
  transaction(db, () => {
    const k = getComplaint(db, id)!;
    if (k.status !== 'resolved') throw badInput('err.complaint.followupState', { id, status: k.status });
    addEvent(db, id, { at, kind: 'followup', fromStatus: k.status, toStatus: k.status, by: o.by, note: o.note, data: { satisfaction } });
    const action: Action = satisfaction >= 4 ? 'close' : 'reopen';
    const next = { ...applyAction(k, action, at, limits, w), satisfaction: action === 'close' ? satisfaction : null };
    saveComplaint(db, next, at);
    addEvent(db, id, { at, kind: action, fromStatus: k.status, toStatus: next.status, by: o.by, note: null, data: { satisfaction } });
    if (action === 'reopen') tellStaff(db, k, `complaint:${id}:reopened:${next.reopened}`, at, s.escalation_channel);
  });
  return getComplaint(db, id)!;
}

/** A complaint as a message's template sees it (an escalation, a follow-up). */
export function complaintVars(k: Complaint, lang: Lang, zone: string, s: { second_line: string; owner_name: string }, reopened = false) {
  const t = (id: string) => translate(lang, id as MessageId);
  return {
    id: k.id,
    severity: t(`severity.${k.severity}`),
    category: categoryName(k.category, lang),
    description: k.description,
    status: t(`complaint.status.${k.status}`),
    handler: k.handler,
    escalatedTo: levelHolder(k.level, k, s, lang),
    due: k.dueAt ? formatLocal(k.dueAt, zone) : null,
    reopened,
  };
}

/** A category's name: the built-in ones from the catalog, the shop's own as they are. */
export function categoryName(key: string, lang: Lang): string {
  const id = `category.${key}` as MessageId;
  const t = translate(lang, id);
  return t === id ? key : t;
}

export { LEVELS };

// ---------------------------------------------------------------------------------------------
// crm complaint stats

export interface ComplaintReport {
  period: Period;
  periods: (ReportPeriod & PeriodFigures & { breakdown: Record<BreakdownRow['by'], Record<string, number>> })[];
  repeat: ReturnType<typeof repeatComplainants>;
  repurchase: {
    /** Complainants whose 90 days after their first resolution are over, and how many of them ordered again in them. */
    complainants: number;
    kept: number;
    share: number | null;
    /** The share among customers of the same segments without a complaint, over the 90 days after the anchor. */
    expected: number | null;
    anchor: string | null;
    /** Whether segments came from a saved RFM (crm rfm --save); else every customer is one group. */
    bySegment: boolean;
  };
}

/** The report of `crm complaint stats`: figures per period from the one `since` falls in (default: REPORT_PERIODS back) to today's. */
export async function complaintStats(ctx: Context, period: Period, since: string | undefined): Promise<ComplaintReport> {
  const db = await ctx.db();
  const { timezone: zone } = await ctx.settings();
  const today = await ctx.today();
  const first = since ?? addMonths(periodStart(today, period), -(REPORT_PERIODS[period] - 1) * (period === 'year' ? 12 : period === 'quarter' ? 3 : 1));
  const periods = reportPeriods(first, today, period);
  const spans = periods.map((p) => ({ start: dayEndInstant(addDays(p.first, -1), zone), end: dayEndInstant(p.last, zone), lastDay: p.last }));
  const figures = complaintPeriodFigures(db, spans, ctx.nowIso(), JSON.stringify(await slaPolicy(ctx)));
  const breakdown = complaintBreakdown(db, spans);
  const from = spans[0]!.start;
  const to = spans[spans.length - 1]!.end;
  const cut = new Date(ctx.now().getTime() - REPURCHASE_DAYS * 86_400_000).toISOString();
  const mine = complainantRepurchase(db, from, to, cut);
  customersKnown(db, spans).forEach((n, i) => (figures[i]!.customers = n));
  const baseline = mine.anchor ? baselineRepurchase(db, mine.anchor, localDay(mine.anchor, zone), addDays(localDay(mine.anchor, zone), REPURCHASE_DAYS)) : [];
  const complainants = mine.segments.reduce((n, s) => n + s.customers, 0);
  const kept = mine.segments.reduce((n, s) => n + s.kept, 0);
  return {
    period,
    periods: periods.map((p, i) => {
      const by: Record<BreakdownRow['by'], Record<string, number>> = { category: {}, severity: {}, channel: {} };
      for (const b of breakdown) if (b.period === i) by[b.by][b.value] = b.complaints;
      return { ...p, ...figures[i]!, breakdown: by };
    }),
    repeat: repeatComplainants(db, from, to, 10),
    repurchase: { complainants, kept, share: complainants ? kept / complainants : null, expected: expectedShare(mine.segments, baseline), anchor: mine.anchor, bySegment: hasSavedRfm(db) },
  };
}
