// crm complaint add|ack|update|wait|resolve|close|reopen|escalate|followup|list|show|sla|stats:
// complaints with deadlines, escalation and follow-up visits. The rules are in src/core/complaint.ts,
// the use cases in src/app/complaint.ts, the SQL in src/store/complaint.ts.
import type { Command } from 'commander';
import { readOnly, type Context } from '../context.js';
import {
  ACTIONS, allowedActions, COMPLAINT_CHANNELS, minutesLeft, REPURCHASE_DAYS, parseCategory, parseChannel, parseSatisfaction, parseSeverity, parseStatus, SEVERITIES,
  STATUSES, type Action, type Clocks, type Severity, type Status,
} from '../core/complaint.js';
import { formatLocal, isoInZone, localDay } from '../core/dates.js';
import { formatMinutes, parseDuration, parsePeriod, roughMinutes, sinceDay, sinceWhen } from '../core/duration.js';
import { displayAmount, formatAmount, minorDigits } from '../core/money.js';
import { PERIODS, rate, type Period } from '../core/stats.js';
import { badInput } from '../errors.js';
import { translate, type MessageId } from '../messages/index.js';
import { percent, renderList, renderOne, renderRecord, roundTo, toRecord, type Column } from '../io/output.js';
import {
  act, addComplaint, categoryName, complaintOrFail, customerOrder, complaintStats, escalate, levelHolder, recordFollowup, resolveComplaint, slaPolicy, type ComplaintReport,
  type ResolveInput,
} from '../app/complaint.js';
import { complaintEvents, listComplaints, writeSlaJson, type Complaint } from '../store/complaint.js';
import { addFormatOption, example, formatOf, listLimit, noteTruncation, prompts, resolveCustomer, validateWith } from './common.js';

const names = <K extends string>(prefix: string) => (k: K) => [translate('en', `${prefix}.${k}` as MessageId), translate('zh', `${prefix}.${k}` as MessageId)];

async function categories(ctx: Context): Promise<string[]> {
  return (await ctx.settings()).complaint_categories.split(',');
}

function leftText(ctx: Context, due: string | null, now: Date): string {
  if (!due) return '';
  const m = minutesLeft(due, now);
  return ctx.t(m >= 0 ? 'complaint.left' : 'complaint.over', { t: formatMinutes(m) });
}

function complaintColumns(ctx: Context, zone: string): Column<Complaint>[] {
  const now = ctx.now();
  return [
    { key: 'id', header: 'col.id', value: (k) => k.id, align: 'right' },
    { key: 'created_at', header: 'col.createdAt', value: (k) => isoInZone(k.createdAt, zone), display: (k) => formatLocal(k.createdAt, zone) },
    { key: 'customer_id', header: 'col.customerId', value: (k) => k.customerId, align: 'right', keep: -1 },
    { key: 'customer', header: 'col.customer', value: (k) => k.customerName, keep: 2 },
    { key: 'severity', header: 'col.severity', value: (k) => k.severity, display: (k) => ctx.t(`severity.${k.severity}` as MessageId) },
    { key: 'category', header: 'col.category', value: (k) => k.category, display: (k) => categoryName(k.category, ctx.lang) },
    { key: 'channel', header: 'col.channel', value: (k) => k.channel, display: (k) => ctx.t(`complaintChannel.${k.channel}` as MessageId), keep: -1 },
    { key: 'status', header: 'col.status', value: (k) => k.status, display: (k) => ctx.t(`complaint.status.${k.status}` as MessageId), keep: 1 },
    { key: 'level', header: 'col.level', value: (k) => k.level, display: (k) => ctx.t(`complaint.level.${['front', 'second', 'owner'][k.level]}` as MessageId) },
    { key: 'handler', header: 'col.handler', value: (k) => k.handler },
    { key: 'due_at', header: 'col.dueAt', value: (k) => (k.dueAt ? isoInZone(k.dueAt, zone) : null), display: (k) => (k.dueAt ? formatLocal(k.dueAt, zone) : '') },
    { key: 'minutes_left', header: 'col.timeLeft', value: (k) => (k.dueAt ? minutesLeft(k.dueAt, now) : null), display: (k) => leftText(ctx, k.dueAt, now), align: 'right', keep: 1 },
    { key: 'order_id', header: 'col.orderId', value: (k) => k.orderId, align: 'right', keep: -1 },
    { key: 'description', header: 'col.description', value: (k) => k.description, keep: -2 },
  ];
}

interface AddOptions {
  channel?: string;
  category?: string;
  severity?: string;
  description?: string;
  order?: string;
  handler?: string;
  by?: string;
  format?: string;
}

async function add(ctx: Context, ref: string | undefined, given: AddOptions): Promise<void> {
  const o = { ...given };
  const cats = await categories(ctx);
  if (ctx.interactive) {
    const ask = await prompts(ctx);
    ref ??= await ask.input({ message: ctx.t('prompt.complaintCustomer'), required: true });
    o.channel ??= await ask.pick<string>({ message: ctx.t('col.channel'), choices: COMPLAINT_CHANNELS.map((c) => ({ value: c, name: ctx.t(`complaintChannel.${c}` as MessageId) })) });
    o.category ??= await ask.pick<string>({ message: ctx.t('col.category'), choices: cats.map((c) => ({ value: c, name: categoryName(c, ctx.lang) })) });
    o.severity ??= await ask.pick<string>({ message: ctx.t('col.severity'), choices: SEVERITIES.map((c) => ({ value: c, name: ctx.t(`severity.${c}` as MessageId) })), default: 'normal' });
    o.description ??= await ask.input({ message: ctx.t('col.description'), required: true, validate: validateWith(ctx, (v) => v.trim() || badInput('err.complaint.description')) });
  }
  if (ref === undefined) throw badInput('err.complaint.noCustomer');
  if (!o.description?.trim()) throw badInput('err.complaint.description');
  const customer = await resolveCustomer(ctx, ref);
  const k = await addComplaint(ctx, {
    customerId: customer.id,
    orderId: o.order === undefined ? null : customerOrder(await ctx.db(), o.order, customer.id),
    channel: parseChannel(o.channel ?? 'other', names('complaintChannel')),
    category: parseCategory(o.category ?? 'other', cats, (c) => [categoryName(c, 'en'), categoryName(c, 'zh')]),
    severity: parseSeverity(o.severity ?? 'normal', names('severity')),
    description: o.description.trim(),
    handler: o.handler?.trim() || null,
    by: o.by?.trim() || null,
  });
  const { timezone } = await ctx.settings();
  if (formatOf(o) !== 'table') return renderOne(ctx, formatOf(o), complaintColumns(ctx, timezone), k);
  ctx.out(ctx.t('complaint.added', { id: k.id, name: customer.name, severity: ctx.t(`severity.${k.severity}` as MessageId), due: k.respondDue ? formatLocal(k.respondDue, timezone) : '—' }));
}

async function move(ctx: Context, raw: string, action: Action, o: { note?: string; by?: string }): Promise<void> {
  const k = await complaintOrFail(ctx, raw);
  const next = await act(ctx, k.id, action, { by: o.by?.trim() || null, note: o.note?.trim() || null });
  await said(ctx, next, action);
}

async function said(ctx: Context, k: Complaint, action: string): Promise<void> {
  const { timezone } = await ctx.settings();
  ctx.out(ctx.t('complaint.moved', { id: k.id, action: ctx.t(`complaint.event.${action}` as MessageId), status: ctx.t(`complaint.status.${k.status}` as MessageId), due: k.dueAt ? formatLocal(k.dueAt, timezone) : '—' }));
}

async function resolve(ctx: Context, raw: string, o: Omit<ResolveInput, 'by' | 'note'> & { note?: string; by?: string }): Promise<void> {
  if (!o.note?.trim()) throw badInput('err.complaint.resolveNote');
  const k = await complaintOrFail(ctx, raw);
  const next = await resolveComplaint(ctx, k.id, { ...o, by: o.by?.trim() || null, note: o.note.trim() });
  await said(ctx, next, 'resolve');
  const { followup_days } = await ctx.settings();
  ctx.err(ctx.t('complaint.followupScheduled', { days: followup_days, id: k.id }));
}

async function escalateCmd(ctx: Context, raw: string, o: { note?: string; by?: string }): Promise<void> {
  const k = await complaintOrFail(ctx, raw);
  const next = await escalate(ctx, k.id, { by: o.by?.trim() || null, note: o.note?.trim() || null });
  ctx.out(ctx.t('complaint.escalated', { id: next.id, to: levelHolder(next.level, next, await ctx.settings(), ctx.lang) }));
}

async function followup(ctx: Context, raw: string, o: { satisfaction?: string; note?: string; by?: string }): Promise<void> {
  const k = await complaintOrFail(ctx, raw);
  let value = o.satisfaction;
  if (value === undefined && ctx.interactive) value = await (await prompts(ctx)).input({ message: ctx.t('prompt.satisfaction'), validate: validateWith(ctx, parseSatisfaction) });
  if (value === undefined) throw badInput('err.complaint.noSatisfaction');
  const next = await recordFollowup(ctx, k.id, parseSatisfaction(value), { by: o.by?.trim() || null, note: o.note?.trim() || null });
  await said(ctx, next, 'followup');
}

async function list(ctx: Context, o: { status?: string; overdue?: boolean; dueWithin?: string; handler?: string; customer?: string; since?: string; limit?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const { timezone } = await ctx.settings();
  const limit = listLimit(o.limit, format);
  const open: Status[] = ['open', 'acknowledged', 'in_progress', 'waiting'];
  const status = o.status === undefined ? undefined : o.status.split(',').map((x) => (x.trim() === 'active' ? open : [parseStatus(x, names('complaint.status'))])).flat();
  const now = ctx.now();
  let dueBy: string | undefined;
  if (o.overdue) dueBy = now.toISOString();
  if (o.dueWithin !== undefined) dueBy = new Date(now.getTime() + roughMinutes(parseDuration(o.dueWithin, '--due-within')) * 60_000).toISOString();
  const customerId = o.customer === undefined ? undefined : (await resolveCustomer(ctx, o.customer)).id;
  const since = o.since === undefined ? undefined : sinceWhen(o.since, timezone, now).at;
  const rows = listComplaints(await ctx.db(), { status: status ?? (dueBy ? open : undefined), dueBy, handler: o.handler?.trim(), customerId, since, limit });
  renderList(ctx, format, complaintColumns(ctx, timezone), rows);
  noteTruncation(ctx, o, limit, rows.length);
}

async function show(ctx: Context, raw: string, o: { format?: string }): Promise<void> {
  const format = formatOf(o);
  const k = await complaintOrFail(ctx, raw);
  const s = await ctx.settings();
  const events = complaintEvents(await ctx.db(), k.id);
  const now = ctx.now();
  if (format === 'json') {
    const deadline = (due: string | null) => (due ? { due: isoInZone(due, s.timezone), minutes_left: minutesLeft(due, now) } : null);
    ctx.out(JSON.stringify({
      ...k, createdAt: isoInZone(k.createdAt, s.timezone),
      deadlines: { first_response: deadline(k.respondDue), update: deadline(k.updateDue), solution: deadline(k.solveDue) },
      allowed: allowedActions(k.status),
      timeline: events.map((e) => ({ ...e, at: isoInZone(e.at, s.timezone) })),
    }, null, 2));
    return;
  }
  const dash = '—';
  const due = (d: string | null, met: string | null) => (d ? `${formatLocal(d, s.timezone)}  ${leftText(ctx, d, now)}` : met ? ctx.t('complaint.met', { at: formatLocal(met, s.timezone) }) : dash);
  ctx.out(`#${k.id} ${k.customerName} · ${ctx.t(`severity.${k.severity}` as MessageId)} · ${categoryName(k.category, ctx.lang)} · ${ctx.t(`complaint.status.${k.status}` as MessageId)}`);
  renderRecord(ctx, [
    [ctx.t('col.description'), k.description],
    [ctx.t('col.channel'), ctx.t(`complaintChannel.${k.channel}` as MessageId)],
    [ctx.t('col.orderId'), k.orderId === null ? dash : `#${k.orderId}`],
    [ctx.t('col.handler'), k.handler ?? dash],
    [ctx.t('col.level'), levelHolder(k.level, k, s, ctx.lang)],
    [ctx.t('complaint.clock.firstResponse'), due(k.respondDue, k.firstResponseAt)],
    [ctx.t('complaint.clock.update'), due(k.updateDue, null)],
    [ctx.t('complaint.clock.solution'), due(k.solveDue, k.resolvedAt)],
    [ctx.t('complaint.allowed'), allowedActions(k.status).join(', ') || dash],
  ]);
  ctx.out('');
  renderList<(typeof events)[number]>(ctx, 'table', [
    { key: 'at', header: 'col.at', value: (e) => formatLocal(e.at, s.timezone) },
    { key: 'kind', header: 'col.what', value: (e) => ctx.t(`complaint.event.${e.kind}` as MessageId) },
    { key: 'status', header: 'col.status', value: (e) => (e.toStatus && e.toStatus !== e.fromStatus ? ctx.t(`complaint.status.${e.toStatus}` as MessageId) : '') },
    { key: 'by', header: 'col.by', value: (e) => e.by },
    { key: 'note', header: 'col.note', value: (e) => [e.note, eventData(ctx, e.data)].filter(Boolean).join(' · ') },
  ], events);
}

function eventData(ctx: Context, data: Record<string, unknown> | null): string {
  if (!data) return '';
  if (typeof data.level === 'number') return ctx.t(`complaint.level.${['front', 'second', 'owner'][data.level]}` as MessageId);
  if (typeof data.satisfaction === 'number') return ctx.t('complaint.satisfactionWas', { n: data.satisfaction });
  return Object.entries(data).filter(([k]) => !['severity', 'category', 'channel', 'sla'].includes(k)).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ');
}

// ---------------------------------------------------------------------------------------------

async function sla(ctx: Context, raw: string | undefined, o: { firstResponse?: string; update?: string; solution?: string; format?: string }): Promise<void> {
  const policy = await slaPolicy(ctx);
  const changing = o.firstResponse !== undefined || o.update !== undefined || o.solution !== undefined;
  if (changing) {
    if (raw === undefined) throw badInput('err.complaint.slaWhich', { severities: SEVERITIES.join(', ') });
    const sev = parseSeverity(raw, names('severity'));
    const len = (v: string | undefined, option: string, current: number) => {
      if (v === undefined) return current;
      const m = Math.round(roughMinutes(parseDuration(/^\d+$/.test(v.trim()) ? `${v.trim()}h` : v, option)));
      if (m < 1) throw badInput('err.complaint.slaLength', { option, value: v });
      return m;
    };
    policy[sev] = { firstResponse: len(o.firstResponse, '--first-response', policy[sev].firstResponse), update: len(o.update, '--update', policy[sev].update), solution: len(o.solution, '--solution', policy[sev].solution) };
    writeSlaJson(await ctx.db(), JSON.stringify(policy));
    ctx.out(ctx.t('complaint.slaSaved', { severity: ctx.t(`severity.${sev}` as MessageId) }));
    ctx.err(ctx.t('complaint.slaNew'));
    return;
  }
  const { sla_hours } = await ctx.settings();
  const keys: Severity[] = raw === undefined ? [...SEVERITIES].reverse() : [parseSeverity(raw, names('severity'))];
  renderList<[Severity, Clocks]>(ctx, formatOf(o), [
    { key: 'severity', header: 'col.severity', value: ([k]) => k, display: ([k]) => ctx.t(`severity.${k}` as MessageId) },
    { key: 'first_response_minutes', header: 'complaint.clock.firstResponse', value: ([, c]) => c.firstResponse, display: ([, c]) => formatMinutes(c.firstResponse), align: 'right' },
    { key: 'update_minutes', header: 'complaint.clock.update', value: ([, c]) => c.update, display: ([, c]) => formatMinutes(c.update), align: 'right' },
    { key: 'solution_minutes', header: 'complaint.clock.solution', value: ([, c]) => c.solution, display: ([, c]) => formatMinutes(c.solution), align: 'right' },
  ], keys.map((k) => [k, policy[k]] as [Severity, Clocks]));
  if (formatOf(o) === 'table') ctx.err(ctx.t(sla_hours === 'business' ? 'complaint.slaBusiness' : 'complaint.slaAll'));
}

// ---------------------------------------------------------------------------------------------

type PeriodRow = ComplaintReport['periods'][number];

/** The columns of a period: one definition for table, CSV and JSON (amounts as decimal strings, shares to four places). */
function statsColumns(ctx: Context, currency: string): Column<PeriodRow>[] {
  const digits = minorDigits(currency);
  const share = (key: string, header: MessageId, f: (r: PeriodRow) => number | null): Column<PeriodRow> => ({ key, header, value: (r) => (f(r) === null ? null : roundTo(f(r)!, 4)), display: (r) => percent(f(r)), align: 'right' });
  const money = (key: string, header: MessageId, f: (r: PeriodRow) => number): Column<PeriodRow> => ({ key, header, value: (r) => formatAmount(f(r), digits), display: (r) => displayAmount(f(r), currency, ctx.lang), align: 'right' });
  const minutes = (key: string, header: MessageId, f: (r: PeriodRow) => number | null): Column<PeriodRow> => ({ key, header, value: (r) => (f(r) === null ? null : Math.round(f(r)!)), display: (r) => (f(r) === null ? '—' : formatMinutes(f(r)!)), align: 'right' });
  const count = (key: string, header: MessageId, f: (r: PeriodRow) => number): Column<PeriodRow> => ({ key, header, value: f, align: 'right' });
  return [
    { key: 'period', header: 'col.period', value: (r) => r.label },
    count('complaints', 'cstats.complaints', (r) => r.complaints),
    count('customers', 'col.customers', (r) => r.customers),
    { key: 'per_100_customers', header: 'cstats.per100', value: (r) => (r.customers ? roundTo((100 * r.complaints) / r.customers, 4) : null), display: (r) => (r.customers ? ((100 * r.complaints) / r.customers).toFixed(2) : '—'), align: 'right' },
    share('first_response_in_time', 'cstats.respondedInTime', (r) => rate(r.respondedInTime, r.respondedCounted)),
    share('resolved_in_time', 'cstats.resolvedInTime', (r) => rate(r.resolvedInTime, r.resolvedCounted)),
    minutes('median_first_response_minutes', 'cstats.medianFirst', (r) => r.medianFirstResponse),
    minutes('median_resolution_minutes', 'cstats.medianResolution', (r) => r.medianResolution),
    share('reopen_rate', 'cstats.reopenRate', (r) => rate(r.reopened, r.complaints)),
    money('refunds', 'cstats.refunds', (r) => r.refundTotal),
    count('coupons', 'cstats.coupons', (r) => r.coupons),
    money('coupon_value', 'cstats.couponValue', (r) => r.couponValue),
    count('gifts', 'cstats.gifts', (r) => r.gifts),
    count('upgrades', 'cstats.upgrades', (r) => r.upgrades),
    count('repeat_customers', 'cstats.repeat', (r) => r.repeatCustomers),
  ];
}

/** The values each breakdown lists: every severity and channel, the shop's categories, and anything else recorded. */
function breakdownKeys(r: ComplaintReport, cats: string[]): Record<'category' | 'severity' | 'channel', string[]> {
  const seen = (by: 'category' | 'severity' | 'channel', known: readonly string[]) => [...new Set([...known, ...r.periods.flatMap((p) => Object.keys(p.breakdown[by]))])];
  return { category: seen('category', cats), severity: seen('severity', [...SEVERITIES].reverse()), channel: seen('channel', COMPLAINT_CHANNELS) };
}

async function stats(ctx: Context, o: { period?: string; since?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const period = parsePeriod(o.period ?? 'month') as Period;
  if (!PERIODS.includes(period)) throw badInput('err.stats.period', { value: o.period ?? '', allowed: PERIODS.join('|') });
  const { currency, timezone } = await ctx.settings();
  const since = o.since === undefined ? undefined : sinceDay(o.since, timezone, ctx.now());
  const report = await complaintStats(ctx, period, since);
  const keys = breakdownKeys(report, await categories(ctx));
  const name = (by: string, v: string) => (by === 'category' ? categoryName(v, ctx.lang) : ctx.t(`${by === 'channel' ? 'complaintChannel' : 'severity'}.${v}` as MessageId));
  const columns = statsColumns(ctx, currency);
  const { repurchase: rp } = report;
  const note = ctx.t(rp.anchor ? 'cstats.repurchase' : 'cstats.repurchaseNone', {
    days: REPURCHASE_DAYS, share: percent(rp.share), kept: rp.kept, n: rp.complainants, expected: percent(rp.expected),
    anchor: rp.anchor ? localDay(rp.anchor, timezone) : '', whom: ctx.t(rp.bySegment ? 'cstats.sameSegment' : 'cstats.allCustomers'),
  });
  if (format === 'json') {
    const periods = report.periods.map((p) => ({ ...toRecord(columns, p), first_day: p.first, last_day: p.last, by: p.breakdown }));
    const repeat = report.repeat.rows.map((c) => ({ customer_id: c.customerId, customer: c.name, complaints: c.complaints }));
    const repurchase = { days: REPURCHASE_DAYS, complainants: rp.complainants, kept: rp.kept, share: rp.share === null ? null : roundTo(rp.share, 4), expected: rp.expected === null ? null : roundTo(rp.expected, 4), anchor: rp.anchor ? isoInZone(rp.anchor, timezone) : null, by_segment: rp.bySegment, note };
    ctx.out(JSON.stringify({ period, periods, repeat_customers: repeat, repeat_customers_total: report.repeat.total, repurchase }, null, 2));
    return;
  }
  if (format === 'csv') {
    const extra = (Object.keys(keys) as (keyof typeof keys)[]).flatMap((by) => keys[by].map((v): Column<PeriodRow> => ({ key: `${by}:${v}`, value: (p) => p.breakdown[by][v] ?? 0 })));
    renderList(ctx, 'csv', [...columns, ...extra], report.periods);
    ctx.err(note);
    return;
  }
  renderList(ctx, 'table', columns, report.periods);
  ctx.out('');
  const pivot = (Object.keys(keys) as (keyof typeof keys)[]).flatMap((by) => keys[by].map((v) => ({ by, v })));
  renderList<(typeof pivot)[number]>(ctx, 'table', [
    { key: 'by', header: 'cstats.by', value: (x) => ctx.t(`col.${x.by}` as MessageId) },
    { key: 'value', header: 'col.value', value: (x) => name(x.by, x.v) },
    ...report.periods.map((p): Column<(typeof pivot)[number]> => ({ key: p.label, value: (x) => p.breakdown[x.by][x.v] ?? 0, align: 'right' })),
  ], pivot);
  if (report.repeat.total > 0) {
    ctx.out('');
    renderList<(typeof report.repeat.rows)[number]>(ctx, 'table', [
      { key: 'customer_id', header: 'col.customerId', value: (c) => c.customerId, align: 'right' },
      { key: 'customer', header: 'col.customer', value: (c) => c.name },
      { key: 'complaints', header: 'cstats.complaints', value: (c) => c.complaints, align: 'right' },
    ], report.repeat.rows);
    if (report.repeat.total > report.repeat.rows.length) ctx.err(ctx.t('cstats.repeatMore', { shown: report.repeat.rows.length, total: report.repeat.total }));
  }
  ctx.out('');
  ctx.out(note);
  ctx.err(ctx.t('cstats.definitions'));
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm complaint add 13800138000 --severity urgent --category 产品质量 --description "苹果坏了一半"', 'crm complaint list --overdue');
  const addCmd = cmd
    .command('add')
    .description(ctx.t('cmd.complaint.add'))
    .argument('[ref]', ctx.t('arg.refOptional'))
    .option('--channel <channel>', ctx.t('opt.complaintChannel', { channels: COMPLAINT_CHANNELS.join('|') }))
    .option('--category <category>', ctx.t('opt.complaintCategory'))
    .option('--severity <severity>', ctx.t('opt.complaintSeverity'))
    .option('--description <text>', ctx.t('opt.complaintDescription'))
    .option('--order <id>', ctx.t('opt.complaintOrder'))
    .option('--handler <name>', ctx.t('opt.complaintHandler'))
    .option('--by <name>', ctx.t('opt.complaintBy'));
  addFormatOption(addCmd, ctx, ['table', 'json']).action((ref, o) => add(ctx, ref, o));
  example(addCmd, ctx, 'crm complaint add 13800138000 --channel phone --category delivery --severity high --description "三天还没到" --handler 小李', 'crm complaint add         # asks at a terminal');

  for (const action of ACTIONS.filter((a) => a !== 'resolve')) {
    const c = cmd.command(action).description(ctx.t(`cmd.complaint.${action}` as MessageId)).argument('<id>', ctx.t('arg.complaint')).option('--note <text>', ctx.t('opt.note')).option('--by <name>', ctx.t('opt.complaintBy'));
    c.action((id, o) => move(ctx, id, action, o));
    example(c, ctx, `crm complaint ${action} 12 --note "${action === 'wait' ? '等客户发照片' : '已电话联系'}" --by 小李`);
  }
  const resolveCmd = cmd
    .command('resolve')
    .description(ctx.t('cmd.complaint.resolve'))
    .argument('<id>', ctx.t('arg.complaint'))
    .option('--note <text>', ctx.t('opt.resolveNote'))
    .option('--refund <amount>', ctx.t('opt.resolveRefund'))
    .option('--order <id>', ctx.t('opt.resolveOrder'))
    .option('--coupon <value>', ctx.t('opt.resolveCoupon'))
    .option('--coupon-days <days>', ctx.t('opt.remindCouponDays'))
    .option('--gift <text>', ctx.t('opt.resolveGift'))
    .option('--upgrade <level>', ctx.t('opt.resolveUpgrade'))
    .option('--by <name>', ctx.t('opt.complaintBy'))
    .action((id, o) => resolve(ctx, id, o));
  example(resolveCmd, ctx, 'crm complaint resolve 12 --note "补发一箱" --refund 30 --order 88', 'crm complaint resolve 12 --note "道歉并赠券" --coupon 20 --coupon-days 30');

  const escalateC = cmd.command('escalate').description(ctx.t('cmd.complaint.escalate')).argument('<id>', ctx.t('arg.complaint')).option('--note <text>', ctx.t('opt.note')).option('--by <name>', ctx.t('opt.complaintBy')).action((id, o) => escalateCmd(ctx, id, o));
  example(escalateC, ctx, 'crm complaint escalate 12 --note "客户要求见店长"');
  const followCmd = cmd.command('followup').description(ctx.t('cmd.complaint.followup')).argument('<id>', ctx.t('arg.complaint')).option('--satisfaction <1-5>', ctx.t('opt.satisfaction')).option('--note <text>', ctx.t('opt.note')).option('--by <name>', ctx.t('opt.complaintBy')).action((id, o) => followup(ctx, id, o));
  example(followCmd, ctx, 'crm complaint followup 12 --satisfaction 5 --note "很满意"');

  const listCmd = cmd
    .command('list')
    .description(ctx.t('cmd.complaint.list'))
    .option('--status <status>', ctx.t('opt.complaintStatus', { statuses: STATUSES.join('|') }))
    .option('--overdue', ctx.t('opt.overdue'))
    .option('--due-within <length>', ctx.t('opt.dueWithin'))
    .option('--handler <name>', ctx.t('opt.filterHandler'))
    .option('--customer <ref>', ctx.t('opt.filterCustomer'))
    .option('--since <when>', ctx.t('opt.since'))
    .option('--limit <n>', ctx.t('opt.limit'));
  addFormatOption(listCmd, ctx, ['table', 'csv', 'json', 'ndjson']).action((o) => list(ctx, o));
  example(listCmd, ctx, 'crm complaint list --overdue', 'crm complaint list --due-within 4h --handler 小李', 'crm complaint list --status active --format csv');
  const showCmd = addFormatOption(cmd.command('show').description(ctx.t('cmd.complaint.show')).argument('<id>', ctx.t('arg.complaint')), ctx, ['table', 'json']).action((id, o) => show(ctx, id, o));
  example(showCmd, ctx, 'crm complaint show 12');
  const slaCmd = cmd
    .command('sla')
    .description(ctx.t('cmd.complaint.sla'))
    .argument('[severity]', ctx.t('arg.severity'))
    .option('--first-response <length>', ctx.t('opt.slaFirst'))
    .option('--update <length>', ctx.t('opt.slaUpdate'))
    .option('--solution <length>', ctx.t('opt.slaSolution'));
  addFormatOption(slaCmd, ctx).action((sev, o) => sla(ctx, sev, o));
  example(slaCmd, ctx, 'crm complaint sla', 'crm complaint sla urgent --first-response 1h --update 2h --solution 8h');
  const statsCmd = cmd.command('stats').description(ctx.t('cmd.complaint.stats')).option('--period <period>', ctx.t('opt.complaintPeriod'), 'month').option('--since <date>', ctx.t('opt.complaintStatsSince'));
  addFormatOption(statsCmd, ctx, ['table', 'csv', 'json']).action((o) => stats(ctx, o));
  example(statsCmd, ctx, 'crm complaint stats', 'crm complaint stats --period quarter --since 2026-01-01 --format csv');
  readOnly(listCmd, showCmd, statsCmd);
}
