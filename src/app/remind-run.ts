// Reminders, the run (`crm remind run`, from cron): records what the plan says is due (each
// occurrence once: the key rule, customer, occasion is unique), then, outside quiet hours, claims
// due occurrences a batch at a time with a lease, renders each message, hands the batch to its
// channel and records each outcome with an interaction on the customer. A run killed at any moment
// leaves claims whose lease runs out; the next run takes them up again, asking the channel first
// whether it already holds them (the outbox files can tell), and marking a possible repeat on stdout.
import { randomBytes } from 'node:crypto';
import type { Context } from '../context.js';
import { SKIP_REASONS, type SkipReason } from '../core/remind/audience.js';
import { isQuiet, quietEnd } from '../core/remind/schedule.js';
import { STAFF_RULES, type CouponSpec } from '../core/remind/rules.js';
import { backFrom, parseDuration } from '../core/duration.js';
import { transaction } from '../store/db.js';
import {
  channelsToSend, claimOccurrences, countWaiting, insertOccurrences, markFailed, markSent, markSkipped, renewLease, setLastRun, skipStale,
  type Claimed, type NewOccurrence,
} from '../store/remind.js';
import { openChannel, type Channel, type ChannelName, type Message } from '../io/channels/index.js';
import { channelConfig } from './channel.js';
import { decidePlan, planWindow, quietHours, windowAt } from './remind.js';
import { messageMaker, type Rendered } from './remind-message.js';

/** How long a claim holds before another run may take it up (longer than any batch takes). */
const LEASE_MS = 10 * 60_000;
/** How long one message may take on a channel, at worst: a batch's lease is at least this times its size. */
const SLOW_MS: Record<string, number> = { email: 60_000, webhook: 2_000 };

export interface RecordSummary {
  /** New occurrences recorded, by what became of them. */
  pending: number;
  holdout: number;
  skipped: Record<SkipReason, number>;
}

export interface RunSummary extends RecordSummary {
  sent: number;
  failed: number;
  /** Failed for the last time (attempts reached remind_retries). */
  givenUp: number;
  /** Claimed again after a stopped run and found already delivered: not sent twice. */
  alreadyDelivered: number;
  /** Quiet hours held the sending back until this time (shop-local HH:mm), or null. */
  quietUntil: string | null;
  /** Messages waiting for the end of the quiet hours. */
  waiting: number;
  failures: { deliveryId: string; customer: string; error: string }[];
  /** Complaints escalated by this run. */
  escalated: number;
}

/** New occurrences are written this many to a transaction: the write lock is held a moment at a time, and the till is not kept waiting. */
const RECORD_CHUNK = 5000;

/**
 * Records every occurrence due now that is not recorded yet, in chunks of short write transactions
 * (the unique key makes each chunk safe to repeat), then the run's time.
 */
export async function recordDue(ctx: Context): Promise<RecordSummary> {
  const db = await ctx.db();
  const plan = await planWindow(ctx, await windowAt(ctx));
  const summary: RecordSummary = { pending: 0, holdout: 0, skipped: Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number> };
  const now = ctx.nowIso();
  let chunk: NewOccurrence[] = [];
  const flush = () => {
    const rows = chunk;
    chunk = [];
    transaction(db, () => {
      for (const o of rows) {
        if (insertOccurrences(db, [o], now) === 0) continue;
        if (o.status === 'skipped') summary.skipped[o.reason as SkipReason]++;
        else summary[o.status]++;
      }
    });
  };
  await decidePlan(ctx, plan, (o) => {
    chunk.push(o);
    if (chunk.length >= RECORD_CHUNK) flush();
  });
  if (chunk.length > 0) flush();
  transaction(db, () => setLastRun(db, plan.window.now.toISOString()));
  return summary;
}

/** The whole run: record, then send what is due (unless quiet hours hold). */
export async function runReminders(ctx: Context): Promise<RunSummary> {
  // Complaints past a deadline long enough go up a level first, so their announcements go out in this run.
  const escalated = await (await import('./complaint.js')).autoEscalate(ctx);
  const recorded = await recordDue(ctx);
  const summary: RunSummary = { ...recorded, escalated, sent: 0, failed: 0, givenUp: 0, alreadyDelivered: 0, quietUntil: null, waiting: 0, failures: [] };
  const s = await ctx.settings();
  const quiet = await quietHours(ctx);
  const now = ctx.now();
  if (quiet && isQuiet(now, s.timezone, quiet)) {
    const end = quietEnd(now, s.timezone, quiet);
    summary.waiting = countWaiting(await ctx.db(), now.toISOString(), Number(s.remind_retries));
    summary.quietUntil = new Intl.DateTimeFormat('en-GB', { timeZone: s.timezone, hour: '2-digit', minute: '2-digit', hour12: false }).format(end);
    return summary;
  }
  const db = await ctx.db();
  const owner = randomBytes(6).toString('hex');
  const maxAttempts = Number(s.remind_retries);
  for (const name of channelsToSend(db, now.toISOString(), maxAttempts, owner) as ChannelName[]) {
    let channel: Channel;
    try {
      channel = openChannel(name, await channelConfig(ctx));
    } catch (e) {
      // Not configured: every message due on it fails this time (and is retried once it is).
      await failAll(ctx, name, owner, maxAttempts, (e as Error).message, summary);
      continue;
    }
    try {
      await sendChannel(ctx, channel, owner, maxAttempts, summary);
    } finally {
      await channel.close();
    }
  }
  return summary;
}

async function failAll(ctx: Context, name: ChannelName, owner: string, maxAttempts: number, error: string, summary: RunSummary): Promise<void> {
  const db = await ctx.db();
  for (;;) {
    const now = ctx.nowIso();
    const claimed = transaction(db, () => claimOccurrences(db, { channel: name, now, leaseUntil: new Date(ctx.now().getTime() + LEASE_MS).toISOString(), owner, maxAttempts, limit: 1000 }));
    if (claimed.length === 0) return;
    transaction(db, () => {
      for (const c of claimed) recordFailure(db, c, error, maxAttempts, summary);
    });
  }
}

function recordFailure(db: Awaited<ReturnType<Context['db']>>, c: Claimed, error: string, maxAttempts: number, summary: RunSummary): void {
  const final = c.attempts >= maxAttempts;
  markFailed(db, c.id, error);
  summary.failed++;
  if (final) summary.givenUp++;
  if (summary.failures.length < 20) summary.failures.push({ deliveryId: c.deliveryId, customer: c.name, error });
}

const INTERACTION: Record<string, 'message' | 'email' | 'other'> = { stdout: 'message', outbox: 'message', webhook: 'other', email: 'email' };

async function sendChannel(ctx: Context, channel: Channel, owner: string, maxAttempts: number, summary: RunSummary): Promise<void> {
  const db = await ctx.db();
  const s = await ctx.settings();
  const quiet = await quietHours(ctx);
  const messageFor = await messageMaker(ctx);
  const catchUp = parseDuration(s.remind_catch_up, 'remind_catch_up');
  for (;;) {
    const now = ctx.now();
    // A long run stops at the quiet hours; what is left waits for the morning.
    if (quiet && isQuiet(now, s.timezone, quiet)) return;
    const late = backFrom(now, catchUp, s.timezone);
    summary.skipped.missed += transaction(db, () => skipStale(db, { channel: channel.name, now: now.toISOString(), late, owner, maxAttempts }));
    const claimed = transaction(db, () => claimOccurrences(db, { channel: channel.name, now: now.toISOString(), leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString(), owner, maxAttempts, limit: channel.batchSize }));
    if (claimed.length === 0) return;
    // A stopped run's claims: what the channel already holds is recorded as sent, not sent again.
    const interrupted = claimed.filter((c) => c.interrupted);
    const held = interrupted.length > 0 ? await channel.delivered(interrupted.map((c) => c.deliveryId)) : new Set<string>();
    const batch: { c: Claimed; m: Message }[] = [];
    const done: (() => void)[] = [];
    for (const c of claimed) {
      const at = ctx.nowIso();
      if (held.has(c.deliveryId)) {
        done.push(() => markSent(db, c, { message: '', at, type: STAFF_RULES.has(c.rule) ? null : (INTERACTION[channel.name] ?? 'message'), note: ctx.t('remind.interaction', { rule: c.rule, template: c.template, id: c.deliveryId }) }));
        summary.alreadyDelivered++;
        continue;
      }
      const consent = STAFF_RULES.has(c.rule) ? null : c.doNotContact ? 'do_not_contact' : c.marketing && c.noMarketing ? 'no_marketing' : channel.needs === 'phone' && !c.phone ? 'no_phone' : channel.needs === 'email' && !c.email ? 'no_email' : null;
      if (consent) {
        done.push(() => markSkipped(db, c.id, consent));
        summary.skipped[consent]++;
        continue;
      }
      let rendered: Rendered;
      try {
        // A customer who opted out of marketing still gets a service message, without its coupon.
        rendered = await messageFor(c, c.coupon && !c.noMarketing ? (JSON.parse(c.coupon) as CouponSpec & { days: number }) : null);
      } catch (e) {
        // A template that cannot render is never sent half-rendered; it fails for good.
        const error = (e as Error).message;
        done.push(() => markFailed(db, c.id, error, true, maxAttempts));
        summary.failed++;
        summary.givenUp++;
        if (summary.failures.length < 20) summary.failures.push({ deliveryId: c.deliveryId, customer: c.name, error });
        continue;
      }
      batch.push({ c, m: { deliveryId: c.deliveryId, rule: c.rule, template: c.template, customerId: c.customerId, customerName: c.name, phone: c.phone, email: c.email, subject: rendered.subject, text: rendered.text, dueAt: c.dueAt, repeat: c.interrupted || (c.attempts > 1 && (channel.name === 'webhook' || channel.name === 'email')) } });
    }
    if (done.length > 0) transaction(db, () => done.forEach((f) => f()));
    if (batch.length === 0) continue;
    // The claim holds while the batch is sent, however slow the server (a mail server may take a minute a message).
    transaction(db, () => renewLease(db, batch.map((b) => b.c.id), owner, new Date(ctx.now().getTime() + Math.max(LEASE_MS, batch.length * (SLOW_MS[channel.name] ?? 0))).toISOString()));
    const outcomes = await channel.send(batch.map((b) => b.m));
    const byId = new Map(outcomes.map((o) => [o.deliveryId, o]));
    transaction(db, () => {
      const at = ctx.nowIso();
      for (const { c, m } of batch) {
        const o = byId.get(c.deliveryId);
        if (o?.ok) {
          markSent(db, c, { message: m.text, at, type: STAFF_RULES.has(c.rule) ? null : (INTERACTION[channel.name] ?? 'message'), note: ctx.t('remind.interaction', { rule: c.rule, template: c.template, id: c.deliveryId }) });
          summary.sent++;
        } else recordFailure(db, c, o?.error ?? 'no answer from the channel', maxAttempts, summary);
      }
    });
  }
}
