// Reminders, the plan: which occurrences (rule or reminder, customer, occasion) fall due in a window,
// from the built-in rules (birthdays, holidays, welcome, call-back, renewal, replenishment, win-back,
// upgrade) and the owner's reminders, each decided for consent, address, catch-up and holdout.
// `crm remind due` lists the plan; `crm remind run` records it (./remind-run.ts sends it).
import type { Context } from '../context.js';
import { HOLIDAYS, holidaysBetween, lunarBirthdayKeysOn, solarBirthdayKeysOn } from '../core/calendar.js';
import { localDay } from '../core/dates.js';
import { parseDuration, backFrom } from '../core/duration.js';
import { dayNumber, dayString, eachHistory, nextPurchaseDay, purchaseFacts, STAGES, stageTable } from '../core/lifecycle.js';
import { decide, type Decision, type Needs } from '../core/remind/audience.js';
import { isMarketing, readRules, ruleTemplate, RULES, surveyQuarter, type RuleConfig, type RuleKey } from '../core/remind/rules.js';
import { atLocal, cronTimes, daysFrom, deliveryId, runWindow, shiftDay, type RunWindow } from '../core/remind/schedule.js';
import { parseQuietHours, stageRulesOf } from '../core/settings.js';
import { allCustomerIds, purchaseHistories } from '../store/lifecycle.js';
import {
  birthdayCustomers, contactFlags, customerIdsWhere, customersWithFieldOn, customersWithOrdersBetween, firstOrders, lastRun, listReminders,
  readRulesJson, recordedCustomers, tierUpsBetween, type NewOccurrence, type Reminder, type RuleStats,
} from '../store/remind.js';
import { savedClvTerms } from '../store/clv.js';
import { channelNeeds } from '../io/channels/index.js';

/** Occurrences of one rule's occasion due at one time: a holiday to a million customers is one group. */
export interface Group {
  rule: string;
  occasion: string;
  dueAt: Date;
  template: string;
  channel: string;
  marketing: boolean;
  holdout: number;
  /** The coupon a message may carry, as JSON ({kind, value, minSpend, days}), or null. */
  coupon?: string | null;
  customers: Iterable<number>;
  /** Per customer a template other than the group's (a lunar birthday). */
  templateOf?: (customerId: number) => string;
}

export interface Plan {
  window: RunWindow;
  groups: Group[];
}

/** The shop's rules as set (crm remind rules). */
export async function currentRules(ctx: Context): Promise<Record<RuleKey, RuleConfig>> {
  return readRules(readRulesJson(await ctx.db()));
}

/** The window of a run at `now` (or a look ahead to `until` for remind due). */
export async function windowAt(ctx: Context, until?: Date): Promise<RunWindow> {
  const db = await ctx.db();
  const s = await ctx.settings();
  const now = ctx.now();
  const late = new Date(backFrom(now, parseDuration(s.remind_catch_up, 'remind_catch_up'), s.timezone));
  const last = lastRun(db);
  const w = runWindow(now, last ? new Date(last) : null, now.getTime() - late.getTime());
  // A first run catches up on today only: a new shop does not greet the birthdays of the days before it started.
  if (!last) {
    const today = atLocal(localDay(now, s.timezone), '00:00', s.timezone);
    if (today > w.start) w.start = today;
  }
  return until && until > now ? { ...w, now: until } : w;
}

/** Every group due in the window, from the rules that are on and the reminders not paused. */
export async function planWindow(ctx: Context, window: RunWindow): Promise<Plan> {
  const db = await ctx.db();
  const { timezone: zone } = await ctx.settings();
  const rules = await currentRules(ctx);
  const groups: Group[] = [];
  const inWindow = (at: Date) => at > window.start && at <= window.now;
  const firstDay = localDay(window.start, zone);
  const lastDay = localDay(window.now, zone);
  const days = daysFrom(firstDay, lastDay);
  const group = (rule: RuleKey, cfg: RuleConfig, occasion: string, dueAt: Date, customers: Iterable<number>, extra: Partial<Group> = {}) => {
    // A rule turned on fires for occasions from then on, not for the days of catch-up before it.
    const on = cfg.onSince ? new Date(cfg.onSince) : null;
    if (inWindow(dueAt) && !(on && dueAt < on)) groups.push({ rule, occasion, dueAt, template: ruleTemplate(rule, cfg, occasion), channel: cfg.channel, marketing: isMarketing(rule), holdout: cfg.holdout, coupon: couponJson(cfg), customers, ...extra });
  };

  for (const rule of RULES) {
    const cfg = rules[rule];
    if (!cfg.on) continue;
    if (rule === 'birthday') {
      for (const day of days) {
        const birthday = shiftDay(day, cfg.daysBefore);
        const rows = birthdayCustomers(db, solarBirthdayKeysOn(birthday), lunarBirthdayKeysOn(birthday));
        if (rows.length === 0) continue;
        const lunar = new Set(rows.filter((r) => r.lunar).map((r) => r.id));
        group(rule, cfg, `birthday:${birthday}`, atLocal(day, cfg.at, zone), rows.map((r) => r.id), {
          templateOf: (id) => ruleTemplate(rule, cfg, '', lunar.has(id)),
        });
      }
    } else if (rule === 'holiday') {
      const wanted = new Set(cfg.holidays);
      for (const h of holidaysBetween(shiftDay(firstDay, cfg.daysBefore), shiftDay(lastDay, cfg.daysBefore))) {
        if (!wanted.has(h.key)) continue;
        const dueAt = atLocal(shiftDay(h.day, -cfg.daysBefore), cfg.at, zone);
        group(rule, cfg, `holiday:${h.key}:${h.day.slice(0, 4)}`, dueAt, allCustomerIds(db));
      }
    } else if (rule === 'welcome' || rule === 'callback') {
      const back = shiftDay(localDay(new Date(window.start.getTime() - cfg.hoursAfter * 3_600_000), zone), -1);
      for (const f of firstOrders(db, back, lastDay)) {
        if (f.at) group(rule, cfg, rule, new Date(new Date(f.at).getTime() + cfg.hoursAfter * 3_600_000), [f.id]);
      }
    } else if (rule === 'renewal') {
      if (!cfg.field) continue;
      for (const day of days) {
        const end = shiftDay(day, cfg.daysBefore);
        const rows = customersWithFieldOn(db, cfg.field, [end]);
        if (rows.length > 0) group(rule, cfg, `renewal:${end}`, atLocal(day, cfg.at, zone), rows.map((r) => r.id));
      }
    } else if (rule === 'survey') {
      for (const day of days) {
        const quarter = surveyQuarter(day);
        if (quarter) group(rule, cfg, `survey:${quarter.label}`, atLocal(day, cfg.at, zone), customersWithOrdersBetween(db, quarter.from, quarter.to));
      }
    } else if (rule === 'upgrade') {
      for (const u of tierUpsBetween(db, window.start.toISOString(), window.now.toISOString())) group(rule, cfg, `upgrade:${u.id}`, new Date(u.at), [u.customerId]);
    }
  }
  if (rules.replenish.on || rules.winback.on) groups.push(...(await historyGroups(ctx, rules, window, days)));
  for (const r of listReminders(db)) if (!r.paused) groups.push(...(await reminderGroups(ctx, r, window)));
  groups.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  return { window, groups };
}

/**
 * Replenishment and win-back read every customer's purchase days (one pass over the orders):
 * replenishment a few days before the expected next purchase, from their own intervals when they
 * have three purchase days or more, else the BG/NBD estimate of the last `crm clv --save`, else none;
 * win-back when a customer is at risk, once per last purchase (occasion winback:<last day>).
 */
async function historyGroups(ctx: Context, rules: Record<RuleKey, RuleConfig>, window: RunWindow, days: string[]): Promise<Group[]> {
  const db = await ctx.db();
  const settings = await ctx.settings();
  const zone = settings.timezone;
  const today = localDay(window.now, zone);
  const out: Group[] = [];
  const stageRules = stageRulesOf(settings);
  const daySet = new Set(days);
  const replenish = new Map<string, number[]>();
  const model = rules.replenish.on ? await modelEstimator(ctx) : null;
  const visit = (id: number, purchase: Int32Array) => {
    let next: number | null = null;
    if (purchase.length >= 3) next = nextPurchaseDay(purchaseFacts(purchase, stageRules.churnDays));
    else if (model) next = model(purchase);
    if (next === null) return;
    const send = dayString(next - rules.replenish.daysBefore);
    if (!daySet.has(send)) return;
    const key = `${send}|${dayString(next)}`;
    let list = replenish.get(key);
    if (!list) replenish.set(key, (list = []));
    list.push(id);
  };
  const histories = await purchaseHistories(db, today);
  if (rules.replenish.on) eachHistory(histories, visit);
  if (rules.winback.on) {
    const table = stageTable(allCustomerIds(db), histories, [dayNumber(today)], stageRules);
    const lastDays = new Map<number, number>();
    eachHistory(histories, (id, purchase) => lastDays.set(id, purchase[purchase.length - 1]!));
    const atRisk = STAGES.indexOf('atRisk');
    const byLast = new Map<number, number[]>();
    table.stages[0]!.forEach((s, i) => {
      if (s !== atRisk) return;
      const id = table.ids[i]!;
      const last = lastDays.get(id)!;
      let list = byLast.get(last);
      if (!list) byLast.set(last, (list = []));
      list.push(id);
    });
    const cfg = rules.winback;
    const dueAt = atLocal(today, cfg.at, zone);
    if (dueAt > window.start && dueAt <= window.now) {
      const on = cfg.onSince ? new Date(cfg.onSince) : null;
      if (!(on && dueAt < on)) for (const [last, ids] of byLast) out.push({ rule: 'winback', occasion: `winback:${dayString(last)}`, dueAt, template: ruleTemplate('winback', cfg, ''), channel: cfg.channel, marketing: true, holdout: cfg.holdout, coupon: couponJson(cfg), customers: ids });
    }
  }
  const cfg = rules.replenish;
  for (const [key, ids] of replenish) {
    const [send, next] = key.split('|') as [string, string];
    const dueAt = atLocal(send, cfg.at, zone);
    const on = cfg.onSince ? new Date(cfg.onSince) : null;
    if (dueAt > window.start && dueAt <= window.now && !(on && dueAt < on)) out.push({ rule: 'replenish', occasion: `replenish:${next}`, dueAt, template: ruleTemplate('replenish', cfg, ''), channel: cfg.channel, marketing: true, holdout: cfg.holdout, coupon: couponJson(cfg), customers: ids });
  }
  return out;
}

/** The saved BG/NBD fit's expected next purchase (a day number) given purchase days, or null without a fitted save. */
async function modelEstimator(ctx: Context): Promise<((days: Int32Array) => number | null) | null> {
  const db = await ctx.db();
  const terms = savedClvTerms(db);
  if (!terms) return null;
  const bgnbd = (terms.params as { bgnbd?: unknown } | null | undefined)?.bgnbd;
  const asOf = typeof terms.asOf === 'string' ? terms.asOf : null;
  const unitDays = terms.unit === 'day' ? 1 : terms.unit === 'week' ? 7 : null;
  if (terms.method !== 'models' || !bgnbd || !asOf || !unitDays) return null;
  const { nextPurchaseIfAlive } = await import('../core/clv/index.js');
  const asOfN = dayNumber(asOf);
  return (days) => nextPurchaseIfAlive(bgnbd as Parameters<typeof nextPurchaseIfAlive>[0], Array.from(days).filter((d) => d <= asOfN), asOfN, unitDays);
}

/** An owner's reminder: its fire times in the window (from when it was added or resumed on; less the lead time), to its audience. */
async function reminderGroups(ctx: Context, r: Reminder, window: RunWindow): Promise<Group[]> {
  const { timezone: zone } = await ctx.settings();
  const lead = r.leadMinutes * 60_000;
  const from = Math.max(window.start.getTime(), new Date(r.activeFrom).getTime());
  const fires = r.at
    ? [new Date(r.at)].filter((t) => t.getTime() - lead > from && t.getTime() - lead <= window.now.getTime())
    : cronTimes(r.cron!, zone, new Date(from + lead), new Date(window.now.getTime() + lead), { newest: true });
  if (fires.length === 0) return [];
  const customers = await audienceOf(ctx, r);
  const coupon = r.coupon ? JSON.stringify(r.coupon) : null;
  return fires.map((t) => ({ rule: `reminder:${r.id}`, occasion: t.toISOString(), dueAt: new Date(t.getTime() - lead), template: r.template, channel: r.channel, marketing: r.marketing, holdout: r.holdout, coupon, customers }));
}

/** A rule's coupon as an occurrence keeps it. */
function couponJson(cfg: RuleConfig): string | null {
  return cfg.coupon ? JSON.stringify({ ...cfg.coupon, days: cfg.couponDays }) : null;
}

/** The customers a reminder is for, as of now. */
export async function audienceOf(ctx: Context, r: Pick<Reminder, 'audience' | 'value'>): Promise<number[]> {
  const db = await ctx.db();
  switch (r.audience) {
    case 'customer':
      return [Number(r.value)];
    case 'all':
      return [...allCustomerIds(db)];
    case 'tag':
      return customerIdsWhere(db, { tags: [r.value!] });
    case 'tier':
      return customerIdsWhere(db, { tier: r.value! });
    case 'segment':
      return customerIdsWhere(db, { segment: r.value! });
    case 'value_class':
      return customerIdsWhere(db, { valueClass: r.value! });
    case 'stage': {
      const { customersAtStage } = await import('./lifecycle.js');
      return (await customersAtStage(ctx, r.value as (typeof STAGES)[number])).ids;
    }
  }
}

/**
 * Decides every customer of every group who holds no occurrence of it yet (a group recorded by an
 * earlier run costs one look-up); `visit` gets each new occurrence with its decision.
 */
export async function decidePlan(ctx: Context, plan: Plan, visit: (o: NewOccurrence, d: Decision) => void): Promise<void> {
  const db = await ctx.db();
  const flags = contactFlags(db);
  for (const g of plan.groups) {
    const recorded = recordedCustomers(db, g.rule, g.occasion);
    const needs: Needs = channelNeeds(g.channel);
    const occasion = { rule: g.rule, occasion: g.occasion, marketing: g.marketing, needs, holdout: g.holdout, missed: g.dueAt <= plan.window.late };
    const dueAt = g.dueAt.toISOString();
    for (const id of g.customers) {
      const f = flags[id] ?? 0;
      if (!f || recorded.has(id)) continue; // removed since, or recorded
      const d = decide(f, occasion, id);
      visit({ rule: g.rule, customerId: id, occasion: g.occasion, dueAt, template: g.templateOf?.(id) ?? g.template, channel: g.channel, status: d.status, reason: d.reason, deliveryId: deliveryId(g.rule, id, g.occasion), marketing: g.marketing, coupon: g.coupon ?? null }, d);
    }
  }
}

/** Quiet hours as set, or null when off. */
export async function quietHours(ctx: Context): Promise<{ from: number; to: number } | null> {
  return parseQuietHours((await ctx.settings()).quiet_hours);
}

export { HOLIDAYS };

// ---------------------------------------------------------------------------------------------
// What would fire (crm remind due)

export interface DueRow {
  dueAt: string;
  rule: string;
  customerId: number;
  occasion: string;
  channel: string;
  template: string;
  /** send, holdout or skip (with the reason); retry for a failed one waiting for another attempt. */
  action: 'send' | 'holdout' | 'skip' | 'retry';
  reason: string | null;
}

/**
 * Everything a run at `until` (default now) would fire and has not yet: occurrences the plan makes
 * that are not recorded, and recorded ones still waiting (pending, failed under the retry limit), a
 * piece at a time (a holiday to a million customers is a million rows).
 */
export async function dueRows(ctx: Context, until: Date | undefined, piece: (rows: DueRow[]) => void, size = 10_000): Promise<number> {
  const db = await ctx.db();
  const s = await ctx.settings();
  const { waitingPage } = await import('../store/remind.js');
  let rows: DueRow[] = [];
  let n = 0;
  const push = (r: DueRow) => {
    rows.push(r);
    n++;
    if (rows.length >= size) {
      piece(rows);
      rows = [];
    }
  };
  const end = until && until > ctx.now() ? until : ctx.now();
  // Recorded and waiting, a page at a time (a holiday held by quiet hours is a million rows).
  for (let after: { dueAt: string; id: number } | null = null; ; ) {
    const page = waitingPage(db, end.toISOString(), Number(s.remind_retries), after, size);
    for (const w of page) push({ dueAt: w.dueAt, rule: w.rule, customerId: w.customerId, occasion: w.occasion, channel: w.channel, template: w.template, action: w.status === 'failed' ? 'retry' : 'send', reason: w.error });
    if (page.length < size) break;
    after = page[page.length - 1]!;
  }
  const plan = await planWindow(ctx, await windowAt(ctx, until));
  await decidePlan(ctx, plan, (o, d) => {
    push({ dueAt: o.dueAt, rule: o.rule, customerId: o.customerId, occasion: o.occasion, channel: o.channel, template: o.template, action: d.status === 'pending' ? 'send' : d.status === 'holdout' ? 'holdout' : 'skip', reason: d.reason });
  });
  if (rows.length > 0) piece(rows);
  return n;
}

// ---------------------------------------------------------------------------------------------
// Did it work? (crm remind stats)

/** Per rule and shop-local day, month or all time (period ''), since an instant up to now. */
export async function remindStats(ctx: Context, since: string, days: number, by: 'day' | 'month' | 'all'): Promise<RuleStats[]> {
  const { timezone } = await ctx.settings();
  const { ruleStats } = await import('../store/remind.js');
  const now = ctx.now();
  const periods: { label: string; from: string; to: string }[] = [];
  if (by === 'all') periods.push({ label: '', from: since, to: new Date(now.getTime() + 1).toISOString() });
  else {
    const { DateTime } = await import('luxon');
    let start = DateTime.fromISO(since, { zone: timezone }).startOf(by);
    while (start.toJSDate() <= now) {
      const next = start.plus(by === 'day' ? { days: 1 } : { months: 1 });
      periods.push({ label: by === 'day' ? start.toISODate()! : start.toFormat('yyyy-MM'), from: new Date(Math.max(start.toMillis(), Date.parse(since))).toISOString(), to: next.toUTC().toISO()! });
      start = next;
    }
  }
  return ruleStats(await ctx.db(), { periods, days });
}
