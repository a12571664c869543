// crm remind add|list|show|rm|pause|resume|rules|due|run|cron|history|stats: reminders the owner
// sets once and cron runs exactly once. The plan is in src/app/remind.ts, the sending in
// src/app/remind-run.ts, the set-up in src/app/remind-setup.ts, the SQL in src/store/remind.ts.
import type { Command } from 'commander';
import { readOnly, type Context } from '../context.js';
import { formatLocal, isoInZone } from '../core/dates.js';
import { formatAmount, minorDigits } from '../core/money.js';
import { sinceWhen } from '../core/duration.js';
import { RULES, parseRule, type RuleConfig, type RuleKey } from '../core/remind/rules.js';
import { nextCronTime } from '../core/remind/schedule.js';
import { uplift } from '../core/remind/uplift.js';
import { badInput, failure } from '../errors.js';
import type { MessageId } from '../messages/index.js';
import { listWriter, LONG_LIST_FORMATS, percent, renderList, renderOne, type Column } from '../io/output.js';
import { currentRules, dueRows, remindStats, type DueRow } from '../app/remind.js';
import { dailyBackup } from '../app/backup.js';
import { runReminders } from '../app/remind-run.js';
import { changeRule, newReminder, type ReminderInput, type RuleInput } from '../app/remind-setup.js';
import { customerNames } from '../store/customer.js';
import { deleteReminder, getReminder, listOccurrences, listReminders, setReminderPaused, type OccurrenceRow, type OccurrenceStatus, type Reminder } from '../store/remind.js';
import { moneyColumn } from './columns.js';
import { addFormatOption, example, formatOf, listLimit, noteTruncation, parsePositiveInt, prompts, resolveCustomer } from './common.js';

function reminderId(raw: string): number {
  const v = raw.trim().replace(/^#/, '');
  if (!/^\d+$/.test(v)) throw badInput('err.remind.id', { value: raw });
  return Number(v);
}

async function reminderOrFail(ctx: Context, raw: string): Promise<Reminder> {
  const r = getReminder(await ctx.db(), reminderId(raw));
  if (!r) throw failure('err.remind.notFound', { id: raw });
  return r;
}

function couponText(c: Reminder['coupon'] | RuleConfig['coupon'], currency: string): string {
  if (!c) return '';
  const digits = minorDigits(currency);
  const value = c.kind === 'percent' ? `${c.value}%` : formatAmount(c.value, digits);
  return c.minSpend > 0 ? `${value}/${formatAmount(c.minSpend, digits)}` : value;
}

function reminderColumns(ctx: Context, zone: string, currency: string): Column<Reminder>[] {
  return [
    { key: 'id', header: 'col.id', value: (r) => r.id, align: 'right' },
    { key: 'audience', header: 'col.audience', value: (r) => (r.value === null ? r.audience : `${r.audience}:${r.value}`) },
    { key: 'when', header: 'col.when', value: (r) => (r.at ? isoInZone(r.at, zone) : r.cron), display: (r) => (r.at ? formatLocal(r.at, zone) : r.cron!) },
    { key: 'next', header: 'col.next', value: (r) => { const n = nextOf(ctx, r, zone); return n ? isoInZone(n, zone) : null; }, display: (r) => { const n = nextOf(ctx, r, zone); return n ? formatLocal(n, zone) : '—'; } },
    { key: 'lead_minutes', header: 'col.lead', value: (r) => r.leadMinutes, align: 'right' },
    { key: 'template', header: 'col.template', value: (r) => r.template },
    { key: 'channel', header: 'col.channel', value: (r) => r.channel },
    { key: 'marketing', header: 'col.marketing', value: (r) => r.marketing },
    { key: 'holdout', header: 'col.holdout', value: (r) => r.holdout, display: (r) => (r.holdout ? percent(r.holdout) : '') },
    { key: 'coupon', header: 'col.coupon', value: (r) => couponText(r.coupon, currency) },
    { key: 'paused', header: 'col.paused', value: (r) => r.paused, display: (r) => (r.paused ? ctx.t('remind.paused') : '') },
    { key: 'note', header: 'col.note', value: (r) => r.note },
  ];
}

/** When its next message goes out (the lead time before the reminder's time). */
function nextOf(ctx: Context, r: Reminder, zone: string): string | null {
  const now = ctx.now().getTime();
  const lead = r.leadMinutes * 60_000;
  if (r.at) return new Date(r.at).getTime() - lead > now ? new Date(new Date(r.at).getTime() - lead).toISOString() : null;
  const next = nextCronTime(r.cron!, zone, new Date(now + lead));
  return next ? new Date(next.getTime() - lead).toISOString() : null;
}

/** An occasion for people: a reminder's time in the shop's zone; the others as they are (birthday:2027-02-05). */
function occasionText(occasion: string, zone: string): string {
  return /^\d{4}-\d{2}-\d{2}T/.test(occasion) ? formatLocal(occasion, zone) : occasion;
}

interface AddOptions extends Omit<ReminderInput, 'customer'> {
  customer?: string;
  format?: string;
}

const AUDIENCES = ['customer', 'tag', 'tier', 'segment', 'stage', 'valueClass', 'all'] as const;

/** At a terminal, asks for what the flags left out: who, when, which template (flags always work without one). */
async function promptReminder(ctx: Context, o: AddOptions): Promise<AddOptions> {
  const ask = await prompts(ctx);
  const out = { ...o };
  if (!AUDIENCES.some((k) => out[k] !== undefined && out[k] !== false)) {
    const kind = await ask.pick<(typeof AUDIENCES)[number]>({ message: ctx.t('prompt.remindAudience'), choices: AUDIENCES.map((k) => ({ value: k, name: ctx.t(`remind.audience.${k}` as MessageId) })) });
    if (kind === 'all') out.all = true;
    else out[kind] = await ask.input({ message: ctx.t(`remind.audience.${kind}` as MessageId), required: true });
  }
  if (out.at === undefined && out.cron === undefined) {
    const once = await ask.pick<boolean>({ message: ctx.t('prompt.remindWhen'), choices: [{ value: true, name: ctx.t('remind.once') }, { value: false, name: ctx.t('remind.recurring') }] });
    if (once) out.at = await ask.input({ message: ctx.t('opt.remindAt'), required: true });
    else out.cron = await ask.input({ message: ctx.t('opt.remindCron'), required: true, default: '0 9 * * 1' });
  }
  if (out.template === undefined) {
    const { loadTemplates } = await import('../app/template.js');
    const names = (await loadTemplates(ctx)).entries().map((e) => e.name);
    out.template = await ask.pick<string>({ message: ctx.t('opt.remindTemplate'), choices: names.map((n) => ({ value: n, name: n })) });
  }
  return out;
}

async function add(ctx: Context, given: AddOptions): Promise<void> {
  const o = ctx.interactive ? await promptReminder(ctx, given) : given;
  const customer = o.customer === undefined ? undefined : (await resolveCustomer(ctx, o.customer)).id;
  const id = await newReminder(ctx, { ...o, customer });
  const r = getReminder(await ctx.db(), id)!;
  const { timezone, currency } = await ctx.settings();
  if (formatOf(o) !== 'table') return renderOne(ctx, formatOf(o), reminderColumns(ctx, timezone, currency), r);
  const next = nextOf(ctx, r, timezone);
  ctx.out(ctx.t('remind.added', { id, next: next ? formatLocal(next, timezone) : '—' }));
}

async function list(ctx: Context, o: { format?: string }): Promise<void> {
  const { timezone, currency } = await ctx.settings();
  renderList(ctx, formatOf(o), reminderColumns(ctx, timezone, currency), listReminders(await ctx.db()));
}

async function show(ctx: Context, raw: string, o: { format?: string }): Promise<void> {
  const r = await reminderOrFail(ctx, raw);
  const { timezone, currency } = await ctx.settings();
  renderOne(ctx, formatOf(o), reminderColumns(ctx, timezone, currency), r);
  if (formatOf(o) === 'table') {
    const recent = listOccurrences(await ctx.db(), { rule: `reminder:${r.id}`, limit: 10 });
    if (recent.length > 0) {
      ctx.out('');
      renderList(ctx, 'table', occurrenceColumns(ctx, timezone), recent);
    }
  }
}

async function rm(ctx: Context, raw: string): Promise<void> {
  const r = await reminderOrFail(ctx, raw);
  deleteReminder(await ctx.db(), r.id);
  ctx.out(ctx.t('remind.removed', { id: r.id }));
}

async function pause(ctx: Context, raw: string, paused: boolean): Promise<void> {
  const r = await reminderOrFail(ctx, raw);
  setReminderPaused(await ctx.db(), r.id, paused, ctx.nowIso());
  ctx.out(ctx.t(paused ? 'remind.pausedOne' : 'remind.resumed', { id: r.id }));
}

// ---------------------------------------------------------------------------------------------

function ruleColumns(ctx: Context, currency: string): Column<[RuleKey, RuleConfig]>[] {
  return [
    { key: 'rule', header: 'col.rule', value: ([k]) => k },
    { key: 'on', header: 'col.on', value: ([, c]) => c.on, display: ([, c]) => ctx.t(c.on ? 'remind.on' : 'remind.off') },
    { key: 'what', header: 'col.what', value: ([k, c]) => ctx.t(`remind.rule.${k}` as MessageId, { days: c.daysBefore, hours: c.hoursAfter, field: c.field ?? '?' }) },
    { key: 'channel', header: 'col.channel', value: ([, c]) => c.channel },
    { key: 'at', header: 'col.sendAt', value: ([k, c]) => (k === 'welcome' || k === 'callback' || k === 'upgrade' ? '' : c.at) },
    { key: 'holidays', header: 'col.holidays', value: ([k, c]) => (k === 'holiday' ? c.holidays.join(',') : ''), display: ([k, c]) => (k === 'holiday' ? c.holidays.map((h) => ctx.t(`holiday.${h}` as MessageId)).join('、') : '') },
    { key: 'holdout', header: 'col.holdout', value: ([, c]) => c.holdout, display: ([, c]) => (c.holdout ? percent(c.holdout) : '') },
    { key: 'coupon', header: 'col.coupon', value: ([, c]) => couponText(c.coupon, currency) },
    { key: 'template', header: 'col.template', value: ([, c]) => c.template ?? '' },
  ];
}

async function rules(ctx: Context, raw: string | undefined, o: RuleInput & { off?: boolean; format?: string }): Promise<void> {
  const { currency } = await ctx.settings();
  const changes: RuleInput = { ...o, on: o.off ? false : o.on };
  const changing = Object.entries(changes).some(([k, v]) => k !== 'format' && k !== 'off' && v !== undefined);
  if (raw === undefined && changing) throw badInput('err.remind.whichRule', { rules: RULES.join(', ') });
  if (raw !== undefined && changing) {
    const key = parseRule(raw);
    const cfg = await changeRule(ctx, key, changes);
    if (formatOf(o) !== 'table') return renderOne(ctx, formatOf(o), ruleColumns(ctx, currency), [key, cfg]);
    ctx.out(ctx.t('remind.ruleSaved', { rule: key, state: ctx.t(cfg.on ? 'remind.on' : 'remind.off'), channel: cfg.channel }));
    return;
  }
  const all = await currentRules(ctx);
  const keys = raw === undefined ? RULES : [parseRule(raw)];
  renderList(ctx, formatOf(o), ruleColumns(ctx, currency), keys.map((k) => [k, all[k]] as [RuleKey, RuleConfig]));
}

// ---------------------------------------------------------------------------------------------

async function due(ctx: Context, o: { until?: string; limit?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const { timezone } = await ctx.settings();
  const limit = listLimit(o.limit, format);
  const until = o.until === undefined ? undefined : untilOf(ctx, o.until, timezone);
  const db = await ctx.db();
  let names = new Map<number, string>();
  const columns: Column<DueRow>[] = [
    { key: 'due_at', header: 'col.dueAt', value: (r) => isoInZone(r.dueAt, timezone), display: (r) => formatLocal(r.dueAt, timezone) },
    { key: 'rule', header: 'col.rule', value: (r) => r.rule },
    { key: 'customer_id', header: 'col.customerId', value: (r) => r.customerId, align: 'right' },
    { key: 'customer', header: 'col.customer', value: (r) => names.get(r.customerId) ?? '' },
    { key: 'occasion', header: 'col.occasion', value: (r) => r.occasion, display: (r) => occasionText(r.occasion, timezone), keep: -1 },
    { key: 'channel', header: 'col.channel', value: (r) => r.channel },
    { key: 'template', header: 'col.template', value: (r) => r.template },
    { key: 'action', header: 'col.action', value: (r) => r.action, display: (r) => ctx.t(`remind.action.${r.action}` as MessageId) },
    { key: 'reason', header: 'col.reason', value: (r) => r.reason, display: (r) => (r.reason ? reasonText(ctx, r.reason) : '') },
  ];
  const out = listWriter(ctx, format, columns);
  let shown = 0;
  const total = await dueRows(ctx, until, (rows) => {
    const take = limit === null ? rows : rows.slice(0, Math.max(0, limit - shown));
    if (take.length === 0) return;
    names = new Map(customerNames(db, take.map((r) => r.customerId)));
    out.add(take);
    shown += take.length;
  });
  out.end();
  noteTruncation(ctx, o, limit, shown, () => total);
  if (format === 'table' && total === 0) ctx.err(ctx.t('remind.nothingDue'));
}

function untilOf(ctx: Context, raw: string, zone: string): Date {
  // A length ahead (2h, 7d) or a time (2027-02-06 09:00, tomorrow's day).
  const back = sinceWhen(raw, zone, ctx.now(), '--until');
  const now = ctx.now().getTime();
  const t = new Date(back.at).getTime();
  return /^\s*\d+\s*\p{L}+\s*$/u.test(raw) ? new Date(now + (now - t)) : new Date(t);
}

function reasonText(ctx: Context, reason: string): string {
  const id = `remind.reason.${reason}` as MessageId;
  const t = ctx.t(id);
  return t === id ? reason : t;
}

/**
 * `crm remind run`: sends what is due, then makes the daily backup (backup_keep). A failed backup
 * fails the run (exit 1, its line on stderr) but never holds back a reminder.
 */
async function run(ctx: Context): Promise<void> {
  const s = await runReminders(ctx);
  let failed: unknown;
  try {
    report(ctx, s);
  } catch (e) {
    failed = e;
  }
  const daily = await dailyBackup(ctx);
  if (daily && 'note' in daily) ctx.err(daily.note);
  if (daily && 'error' in daily) {
    if (!failed) throw daily.error;
    ctx.err(`crm: ${ctx.t(daily.error.id, daily.error.params)}`);
  }
  if (failed) throw failed;
}

function report(ctx: Context, s: Awaited<ReturnType<typeof runReminders>>): void {
  const skipped = Object.values(s.skipped).reduce((a, b) => a + b, 0);
  const anything = s.sent + s.failed + skipped + s.holdout + s.pending + s.alreadyDelivered + s.escalated > 0;
  if (s.escalated > 0) ctx.err(ctx.t('remind.escalated', { n: s.escalated }));
  if (s.quietUntil) {
    if (s.waiting > 0 && s.pending > 0) ctx.err(ctx.t('remind.quiet', { until: s.quietUntil, pending: s.waiting }));
    return;
  }
  if (anything) {
    const list = Object.entries(s.skipped).filter(([, n]) => n > 0).map(([r, n]) => `${reasonText(ctx, r)} ${n}`).join(ctx.t('remind.listSep'));
    const why = list ? ctx.t('remind.why', { list }) : '';
    const repeats = s.alreadyDelivered > 0 ? ctx.t('remind.repeats', { n: s.alreadyDelivered }) : '';
    ctx.err(ctx.t('remind.summary', { sent: s.sent, failed: s.failed, skipped, why, holdout: s.holdout, repeats }));
  }
  if (s.failed > 0) {
    for (const f of s.failures) ctx.err(ctx.t('remind.failedOne', { id: f.deliveryId, customer: f.customer, error: f.error }));
    throw failure(s.givenUp === s.failed ? 'err.remind.givenUp' : 'err.remind.failed', { failed: s.failed, givenUp: s.givenUp });
  }
}

async function cron(ctx: Context, o: { schedule?: string }): Promise<void> {
  const { checkCron } = await import('../core/remind/schedule.js');
  const schedule = o.schedule ?? '*/15 * * * *';
  checkCron(schedule, (await ctx.settings()).timezone);
  const { node, script } = ctx.launcher;
  const db = (await import('node:path')).resolve(ctx.dbPath);
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  ctx.out(ctx.t('remind.cronHead'));
  ctx.out(`${schedule} flock -n ${q(`${db}.remind.lock`)} ${q(node)} ${q(script)} --db ${q(db)} remind run`);
}

// ---------------------------------------------------------------------------------------------

function occurrenceColumns(ctx: Context, zone: string): Column<OccurrenceRow>[] {
  return [
    { key: 'due_at', header: 'col.dueAt', value: (r) => isoInZone(r.dueAt, zone), display: (r) => formatLocal(r.dueAt, zone) },
    { key: 'rule', header: 'col.rule', value: (r) => r.rule },
    { key: 'customer_id', header: 'col.customerId', value: (r) => r.customerId, align: 'right' },
    { key: 'customer', header: 'col.customer', value: (r) => r.customerName },
    { key: 'occasion', header: 'col.occasion', value: (r) => r.occasion, display: (r) => occasionText(r.occasion, zone), keep: -1 },
    { key: 'channel', header: 'col.channel', value: (r) => r.channel },
    { key: 'status', header: 'col.status', value: (r) => r.status, display: (r) => ctx.t(`remind.status.${r.status}` as MessageId) },
    { key: 'reason', header: 'col.reason', value: (r) => r.reason ?? r.error, display: (r) => (r.reason ? reasonText(ctx, r.reason) : (r.error ?? '')) },
    { key: 'attempts', header: 'col.attempts', value: (r) => r.attempts, align: 'right' },
    { key: 'delivery_id', header: 'col.deliveryId', value: (r) => r.deliveryId },
    { key: 'sent_at', header: 'col.sentAt', value: (r) => (r.sentAt ? isoInZone(r.sentAt, zone) : null), display: (r) => (r.sentAt ? formatLocal(r.sentAt, zone) : '') },
    { key: 'message', header: 'col.message', value: (r) => r.message, keep: -2 },
  ];
}

const STATUSES: OccurrenceStatus[] = ['pending', 'sending', 'sent', 'failed', 'skipped', 'holdout'];

async function history(ctx: Context, ref: string | undefined, o: { status?: string; rule?: string; since?: string; limit?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const { timezone } = await ctx.settings();
  const limit = listLimit(o.limit, format);
  const status = o.status?.trim().toLowerCase();
  if (status !== undefined && !STATUSES.includes(status as OccurrenceStatus)) throw badInput('err.remind.status', { value: o.status!, statuses: STATUSES.join(', ') });
  const rule = o.rule === undefined ? undefined : /^(reminder:)?\d+$/.test(o.rule.trim()) ? `reminder:${o.rule.trim().replace(/^reminder:/, '')}` : parseRule(o.rule);
  const customerId = ref === undefined ? undefined : (await resolveCustomer(ctx, ref)).id;
  const since = o.since === undefined ? undefined : sinceWhen(o.since, timezone, ctx.now()).at;
  const rows = listOccurrences(await ctx.db(), { status: status as OccurrenceStatus | undefined, rule, customerId, since, limit });
  renderList(ctx, format, occurrenceColumns(ctx, timezone), rows);
  noteTruncation(ctx, o, limit, rows.length);
}

async function stats(ctx: Context, o: { since?: string; days?: string; by?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const { timezone, currency } = await ctx.settings();
  const since = sinceWhen(o.since ?? '90d', timezone, ctx.now()).at;
  const days = o.days === undefined ? 14 : parsePositiveInt(o.days, '--days');
  const by = (o.by ?? 'month').trim().toLowerCase();
  if (!['month', 'day', 'all'].includes(by)) throw badInput('err.remind.by', { value: o.by! });
  const rows = await remindStats(ctx, since, days, by as 'day' | 'month' | 'all');
  type Row = (typeof rows)[number] & { up: ReturnType<typeof uplift> };
  const withUplift: Row[] = rows.map((r) => ({ ...r, up: uplift(r.sent, r.sentBuyers, r.holdout, r.holdoutBuyers) }));
  const pct = (x: number | undefined) => (x === undefined ? null : Math.round(x * 10000) / 100);
  const columns: Column<Row>[] = [
    { key: 'period', header: 'col.period', value: (r) => r.period || ctx.t('remind.allTime') },
    { key: 'rule', header: 'col.rule', value: (r) => r.rule },
    { key: 'sent', header: 'col.sent', value: (r) => r.sent, align: 'right' },
    { key: 'failed', header: 'col.failed', value: (r) => r.failed, align: 'right' },
    { key: 'skipped', header: 'col.skipped', value: (r) => r.skipped, align: 'right' },
    { key: 'holdout', header: 'col.heldOut', value: (r) => r.holdout, align: 'right' },
    { key: 'coupons_issued', header: 'col.couponsIssued', value: (r) => r.couponsIssued, align: 'right' },
    { key: 'coupons_redeemed', header: 'col.couponsRedeemed', value: (r) => r.couponsRedeemed, align: 'right' },
    { key: 'buyers', header: 'col.buyersAfter', value: (r) => r.sentBuyers, align: 'right' },
    moneyColumn(ctx, currency, 'revenue', 'col.revenueAfter', (r) => r.sentRevenue),
    { key: 'sent_rate', header: 'col.sentRate', value: (r) => pct(r.up?.sentRate), display: (r) => (r.up ? percent(r.up.sentRate) : ''), align: 'right' },
    { key: 'holdout_rate', header: 'col.holdoutRate', value: (r) => pct(r.up?.holdoutRate), display: (r) => (r.up ? percent(r.up.holdoutRate) : ''), align: 'right' },
    { key: 'uplift', header: 'col.uplift', value: (r) => pct(r.up?.difference), display: (r) => upliftText(ctx, r.up), align: 'right' },
    { key: 'uplift_low', value: (r) => pct(r.up?.low), keep: -3 },
    { key: 'uplift_high', value: (r) => pct(r.up?.high), keep: -3 },
    { key: 'enough', value: (r) => (r.up ? r.up.enough : null), keep: -3 },
  ];
  // The interval's ends and `enough` are for CSV and JSON; a table says them in the uplift column.
  const machine = new Set(['uplift_low', 'uplift_high', 'enough']);
  renderList(ctx, format, format === 'table' ? columns.filter((c) => !machine.has(c.key)) : columns, withUplift);
  if (format === 'table') ctx.err(ctx.t('remind.statsNote', { days }));
}

function upliftText(ctx: Context, u: ReturnType<typeof uplift>): string {
  if (!u) return '';
  const pp = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`;
  const range = `${pp(u.difference)} (${pp(u.low)}…${pp(u.high)})`;
  return u.enough ? range : `${range} ${ctx.t('remind.tooSmall')}`;
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm remind due', 'crm remind run', 'crm remind rules birthday --channel outbox');
  const addCmd = cmd
    .command('add')
    .description(ctx.t('cmd.remind.add'))
    .option('--customer <ref>', ctx.t('opt.remindCustomer'))
    .option('--tag <tag>', ctx.t('opt.remindTag'))
    .option('--tier <level>', ctx.t('opt.remindTier'))
    .option('--segment <segment>', ctx.t('opt.remindSegment'))
    .option('--stage <stage>', ctx.t('opt.remindStage'))
    .option('--value-class <class>', ctx.t('opt.remindValueClass'))
    .option('--all', ctx.t('opt.remindAll'))
    .option('--at <time>', ctx.t('opt.remindAt'))
    .option('--cron <expr>', ctx.t('opt.remindCron'))
    .option('--template <name>', ctx.t('opt.remindTemplate'))
    .option('--channel <channel>', ctx.t('opt.remindChannel'))
    .option('--lead <length>', ctx.t('opt.remindLead'))
    .option('--service', ctx.t('opt.remindService'))
    .option('--holdout <share>', ctx.t('opt.remindHoldout'))
    .option('--coupon <value>', ctx.t('opt.remindCoupon'))
    .option('--coupon-days <days>', ctx.t('opt.remindCouponDays'))
    .option('--note <text>', ctx.t('opt.note'));
  addFormatOption(addCmd, ctx, ['table', 'json']).action((o) => add(ctx, o));
  example(addCmd, ctx, 'crm remind add --customer 13800138000 --at "2027-03-01 10:00" --template callback --note "问新米到了没有"', 'crm remind add --tag VIP --cron "0 9 * * 1" --template winback --channel outbox --holdout 10%', 'crm remind add --tier 钻石 --cron "0 10 1 * *" --template upgrade --coupon 50/300 --coupon-days 14', 'crm remind add            # asks who, when and which template at a terminal');

  const listCmd = example(addFormatOption(cmd.command('list').description(ctx.t('cmd.remind.list')), ctx).action((o) => list(ctx, o)), ctx, 'crm remind list');
  const showCmd = example(addFormatOption(cmd.command('show').description(ctx.t('cmd.remind.show')).argument('<id>', ctx.t('arg.reminder')), ctx, ['table', 'json']).action((id, o) => show(ctx, id, o)), ctx, 'crm remind show 3');
  example(cmd.command('rm').description(ctx.t('cmd.remind.rm')).argument('<id>', ctx.t('arg.reminder')).action((id) => rm(ctx, id)), ctx, 'crm remind rm 3');
  example(cmd.command('pause').description(ctx.t('cmd.remind.pause')).argument('<id>', ctx.t('arg.reminder')).action((id) => pause(ctx, id, true)), ctx, 'crm remind pause 3');
  example(cmd.command('resume').description(ctx.t('cmd.remind.resume')).argument('<id>', ctx.t('arg.reminder')).action((id) => pause(ctx, id, false)), ctx, 'crm remind resume 3');

  const rulesCmd = cmd
    .command('rules')
    .description(ctx.t('cmd.remind.rules'))
    .argument('[rule]', ctx.t('arg.rule'))
    .option('--on', ctx.t('opt.ruleOn'))
    .option('--off', ctx.t('opt.ruleOff'))
    .option('--channel <channel>', ctx.t('opt.remindChannel'))
    .option('--at <HH:MM>', ctx.t('opt.ruleAt'))
    .option('--days-before <days>', ctx.t('opt.ruleDaysBefore'))
    .option('--after <hours>', ctx.t('opt.ruleAfter'))
    .option('--holidays <list>', ctx.t('opt.ruleHolidays'))
    .option('--field <key>', ctx.t('opt.ruleField'))
    .option('--holdout <share>', ctx.t('opt.remindHoldout'))
    .option('--coupon <value>', ctx.t('opt.ruleCoupon'))
    .option('--coupon-days <days>', ctx.t('opt.remindCouponDays'))
    .option('--template <name>', ctx.t('opt.ruleTemplate'));
  addFormatOption(rulesCmd, ctx).action((rule, o) => rules(ctx, rule, { ...o, hoursAfter: o.after }));
  example(rulesCmd, ctx, 'crm remind rules', 'crm remind rules birthday --days-before 1 --channel outbox', 'crm remind rules holiday --holidays 春节,中秋节,国庆节 --coupon 20 --coupon-days 15', 'crm remind rules renewal --on --field 会员到期 --days-before 30', 'crm remind rules replenish --on --days-before 3 --channel outbox --holdout 10%');

  const dueCmd = cmd.command('due').description(ctx.t('cmd.remind.due')).option('--until <time>', ctx.t('opt.remindUntil')).option('--limit <n>', ctx.t('opt.limit'));
  addFormatOption(dueCmd, ctx, LONG_LIST_FORMATS).action((o) => due(ctx, o));
  example(dueCmd, ctx, 'crm remind due', 'crm remind due --until 7d --format csv > next-week.csv');

  example(cmd.command('run').description(ctx.t('cmd.remind.run')).action(() => run(ctx)), ctx, 'crm remind run', 'CRM_NOW=2027-02-06T09:05:00+08:00 crm remind run   # as if it were then');
  example(cmd.command('cron').description(ctx.t('cmd.remind.cron')).option('--schedule <expr>', ctx.t('opt.cronSchedule')).action((o) => cron(ctx, o)), ctx, 'crm remind cron >> mycron && crontab mycron', 'crm remind cron --schedule "0 * * * *"');

  const historyCmd = cmd
    .command('history')
    .description(ctx.t('cmd.remind.history'))
    .argument('[ref]', ctx.t('arg.refOptional'))
    .option('--status <status>', ctx.t('opt.remindStatus'))
    .option('--rule <rule>', ctx.t('opt.remindRule'))
    .option('--since <when>', ctx.t('opt.since'))
    .option('--limit <n>', ctx.t('opt.limit'));
  addFormatOption(historyCmd, ctx, LONG_LIST_FORMATS).action((ref, o) => history(ctx, ref, o));
  example(historyCmd, ctx, 'crm remind history --status failed', 'crm remind history 13800138000', 'crm remind history --rule birthday --since 30d --format csv');

  const statsCmd = cmd.command('stats').description(ctx.t('cmd.remind.stats')).option('--since <when>', ctx.t('opt.remindStatsSince')).option('--days <n>', ctx.t('opt.remindStatsDays')).option('--by <period>', ctx.t('opt.remindStatsBy'));
  addFormatOption(statsCmd, ctx).action((o) => stats(ctx, o));
  example(statsCmd, ctx, 'crm remind stats', 'crm remind stats --since 1y --days 30 --by all --format json');
  readOnly(listCmd, showCmd, dueCmd, historyCmd, statsCmd);
}
