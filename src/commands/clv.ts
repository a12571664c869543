// crm clv fit|(list): customer lifetime value from BG/NBD and Gamma-Gamma fitted on the shop's own
// orders, the holdout check, the per-customer predictions, value classes, and --save. The work is
// in src/app/clv.ts; this file parses options and prints.
import type { Command } from 'commander';
import { readOnly, type Context } from '../context.js';
import { MIN_REPEAT_BUYERS, SHAPE_CAP, mostLikelyLost, summarizeClasses, valueDeciles, VALUE_CLASSES, type ClvModel, type Fit, type HoldoutRow } from '../core/clv/index.js';
import { dayBack, parseDayLength, parseMonthLength } from '../core/duration.js';
import { displayAmount, formatAmount } from '../core/money.js';
import { fitAt, holdoutCheck, runClv, SORTS, valueClassOption, valueName, type ClvRun, type Holdout, type Sort, type Unit, UNITS } from '../app/clv.js';
import { badInput, failure } from '../errors.js';
import type { MessageId } from '../messages/index.js';
import { barChart, listWriter, LONG_LIST_FORMATS, percent, renderList, renderOne, roundTo, signedPercent, toRecord, type Column, type Format } from '../io/output.js';
import { customerNames } from '../store/customer.js';
import { addFormatOption, asOfDay, example, formatOf, listLimit, noteTruncation } from './common.js';


function unitOf(raw: string | undefined): Unit {
  const u = (raw ?? 'week').trim().toLowerCase().replace(/s$/, '');
  if (u !== 'week' && u !== 'day') throw badInput('err.clv.unit', { value: raw ?? '' });
  return u;
}


function rateOf(raw: string, option: string): number {
  const v = Number(raw.trim());
  if (!/^\s*\d*(\.\d+)?\s*$/.test(raw) || raw.trim() === '' || !(v >= 0 && v <= 1)) throw badInput('err.clv.rate', { option, value: raw });
  return v;
}

/** What to say about a model's fits: their problems, or their log-likelihoods. */
function fitLines(ctx: Context, model: ClvModel): string[] {
  if (model.reason === 'tooFewRepeatBuyers') return [ctx.t('clv.problem.tooFewRepeatBuyers', { repeat: model.repeatBuyers, min: MIN_REPEAT_BUYERS })];
  if (model.reason === 'notFinite') return [ctx.t('clv.problem.notFinite')];
  const lines: string[] = [];
  for (const [name, fit] of [['BG/NBD', model.bgnbd], ['Gamma-Gamma', model.gammaGamma]] as [string, Fit<object> | null][]) {
    if (!fit) continue;
    lines.push(fit.problem ? ctx.t(`clv.problem.${fit.problem}` as MessageId, { model: name }) : ctx.t('clv.ll', { model: name, ll: fit.logLikelihood.toFixed(1), iterations: fit.iterations }));
    if (!fit.problem && fit.capped?.length) lines.push(ctx.t('clv.capped', { model: name, params: fit.capped.join(', '), cap: SHAPE_CAP.toLocaleString('en-US') }));
  }
  return lines;
}

/** One model's fit as a record (JSON): parameters and log-likelihood only of a fit without a problem. */
const MODEL_FIT_COLUMNS: Column<Fit<object>>[] = [
  { key: 'params', value: (f) => (f.problem ? null : { ...f.params }) },
  { key: 'log_likelihood', value: (f) => (f.problem ? null : f.logLikelihood) },
  { key: 'customers', value: (f) => f.customers },
  { key: 'iterations', value: (f) => f.iterations },
  { key: 'evaluations', value: (f) => f.evaluations },
  { key: 'problem', value: (f) => f.problem },
  { key: 'capped', value: (f) => f.capped ?? [] },
];

interface FitView {
  asOf: string;
  unit: Unit;
  customers: number;
  model: ClvModel;
}

const modelFit = (f: Fit<object> | null) => (f ? toRecord(MODEL_FIT_COLUMNS, f) : null);

/** The fit as a record (JSON); the table and CSV list its parameters, the rest of it goes to stderr. */
const FIT_COLUMNS: Column<FitView>[] = [
  { key: 'as_of', value: (v) => v.asOf },
  { key: 'unit', value: (v) => v.unit },
  { key: 'method', value: (v) => v.model.method },
  { key: 'reason', value: (v) => v.model.reason },
  { key: 'customers', value: (v) => v.customers },
  { key: 'repeat_buyers', value: (v) => v.model.repeatBuyers },
  { key: 'sample', value: (v) => v.model.sample },
  { key: 'fit_ms', value: (v) => Math.round(v.model.millis) },
  { key: 'bgnbd', value: (v) => modelFit(v.model.bgnbd) },
  { key: 'gamma_gamma', value: (v) => modelFit(v.model.gammaGamma) },
];

interface Param {
  model: string;
  parameter: string;
  value: number;
}

const PARAM_COLUMNS: Column<Param>[] = [
  { key: 'model', header: 'col.model', value: (r) => r.model },
  { key: 'parameter', header: 'col.parameter', value: (r) => r.parameter },
  { key: 'value', header: 'col.value', value: (r) => r.value, display: (r) => String(roundTo(r.value, 4)), align: 'right' },
];

async function fit(ctx: Context, o: { asOf?: string; unit?: string; holdout?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const unit = unitOf(o.unit);
  const asOf = await asOfDay(ctx, o.asOf);
  if (o.holdout !== undefined) return holdout(ctx, format, asOf, unit, o.holdout);
  const { model, summary } = await fitAt(ctx, asOf, unit);
  if (format === 'json') return renderOne(ctx, format, FIT_COLUMNS, { asOf, unit, customers: summary.ids.length, model });
  const params: Param[] = [];
  // Parameters only of fits without a problem: a fit that failed is reported, never printed as a result.
  if (model.bgnbd && !model.bgnbd.problem) for (const [k, v] of Object.entries(model.bgnbd.params)) params.push({ model: 'BG/NBD', parameter: k, value: v });
  if (model.gammaGamma && !model.gammaGamma.problem) for (const [k, v] of Object.entries(model.gammaGamma.params)) params.push({ model: 'Gamma-Gamma', parameter: k, value: v });
  if (format === 'table' && params.length === 0) {
    for (const line of fitLines(ctx, model)) ctx.err(line);
    return;
  }
  renderList(ctx, format, PARAM_COLUMNS, params);
  if (format === 'table') {
    const customers = model.bgnbd?.customers ?? summary.ids.length;
    const sample = model.sample ? ctx.t('clv.sampled', { sample: model.sample }) : '';
    ctx.err(ctx.t('clv.fitHead', { asOf, unit: ctx.t(`clv.unit.${unit}`), customers, repeat: model.repeatBuyers, sample, millis: Math.round(model.millis) }));
    for (const line of fitLines(ctx, model)) ctx.err(line);
  }
}

const HOLDOUT_ROW_COLUMNS: Column<HoldoutRow>[] = [
  { key: 'x', header: 'col.calibrationPurchases', value: (r) => r.x, display: (r) => `${r.x}${r.atLeast ? '+' : ''}`, align: 'right' },
  { key: 'or_more', value: (r) => r.atLeast },
  { key: 'customers', header: 'col.customers', value: (r) => r.customers, align: 'right' },
  { key: 'actual', header: 'col.actual', value: (r) => roundTo(r.actual, 4), display: (r) => r.actual.toFixed(3), align: 'right' },
  { key: 'predicted', header: 'col.predicted', value: (r) => roundTo(r.predicted, 4), display: (r) => r.predicted.toFixed(3), align: 'right' },
];

type CheckedHoldout = Holdout & { table: NonNullable<Holdout['table']> };

/** The holdout check as a record (JSON); the table and CSV list its rows, by calibration purchases. */
const HOLDOUT_COLUMNS: Column<CheckedHoldout>[] = [
  { key: 'calibration_end', value: (h) => h.calibrationEnd },
  { key: 'as_of', value: (h) => h.asOf },
  { key: 'unit', value: (h) => h.unit },
  { key: 'holdout_units', value: (h) => roundTo(h.units, 4) },
  { key: 'customers', value: (h) => h.customers },
  { key: 'params', value: (h) => ({ ...h.model.bgnbd!.params }) },
  { key: 'actual', value: (h) => h.table.actual },
  { key: 'predicted', value: (h) => roundTo(h.table.predicted, 2) },
  { key: 'by_calibration_purchases', value: (h) => h.table.rows.map((r) => toRecord(HOLDOUT_ROW_COLUMNS, r)) },
];

/** Fits on the history before the holdout, and compares predicted with actual repeat purchase days in it. */
async function holdout(ctx: Context, format: Format, asOf: string, unit: Unit, raw: string): Promise<void> {
  const calEnd = dayBack(asOf, parseDayLength(raw, '--holdout'));
  const h = await holdoutCheck(ctx, calEnd, asOf, unit);
  if (!h.table) {
    for (const line of fitLines(ctx, h.model)) ctx.err(line);
    throw failure('err.clv.noModel');
  }
  const checked = h as CheckedHoldout;
  if (format === 'json') return renderOne(ctx, format, HOLDOUT_COLUMNS, checked);
  const t = format === 'table';
  renderList(ctx, format, t ? HOLDOUT_ROW_COLUMNS.filter((c) => c.key !== 'or_more') : HOLDOUT_ROW_COLUMNS, checked.table.rows);
  if (!t) return;
  // Actual beside predicted, one pair of bars per group.
  ctx.out('');
  barChart(
    ctx,
    checked.table.rows.flatMap((r) => {
      const label = `${r.x}${r.atLeast ? '+' : ''}`.padStart(3);
      return [
        { label, value: r.actual, text: r.actual.toFixed(2) },
        { label: '', value: r.predicted, text: r.predicted.toFixed(2), fill: '░' },
      ];
    }),
    50,
  );
  ctx.out(ctx.t('clv.chartLegend'));
  const { actual, predicted } = checked.table;
  const diff = actual > 0 ? signedPercent((predicted - actual) / actual) : '—';
  ctx.err(ctx.t('clv.holdoutHead', { calEnd, asOf, customers: h.customers, units: roundTo(h.units, 2), unit: ctx.t(`clv.unit.${unit}`), actual, predicted: predicted.toFixed(1), diff }));
}

interface ListOptions {
  asOf?: string;
  unit?: string;
  horizon?: string;
  discount?: string;
  margin?: string;
  save?: boolean;
  segment?: string;
  sort?: string;
  limit?: string;
  format?: string;
}

/** The customers, a row each, written a piece at a time: a million as CSV, JSON or NDJSON without a million row objects. */
const PIECE = 10_000;

async function list(ctx: Context, o: ListOptions): Promise<void> {
  const format = formatOf(o);
  const unit = unitOf(o.unit);
  const asOf = await asOfDay(ctx, o.asOf);
  const months = parseMonthLength(o.horizon ?? '12mo', '--horizon');
  const terms = { months, monthlyDiscount: rateOf(o.discount ?? '0.01', '--discount'), margin: rateOf(o.margin ?? '0.3', '--margin'), unitDays: UNITS[unit] };
  const sort = (o.sort ?? 'clv').trim().toLowerCase() as Sort;
  if (!SORTS.includes(sort)) throw badInput('err.clv.sort', { value: o.sort ?? '', allowed: SORTS.join('|') });
  const only = o.segment === undefined ? null : valueClassOption(ctx, o.segment);
  // Every option is read before anything is saved: a command that fails writes nothing.
  const given = listLimit(o.limit, format);
  const run = await runClv(ctx, { asOf, unit, terms, sort, only, save: o.save ?? false });
  const { summary, model, order } = run;
  const limit = given ?? order.length;
  const shownCount = Math.min(limit, order.length);
  const t = format === 'table';
  const { currency } = await ctx.settings();
  const money = (v: number) => displayAmount(Math.round(v), currency, ctx.lang);
  const db = await ctx.db();
  let names = new Map<number, string>();
  const columns = clvColumns(ctx, run, (id) => names.get(id), money);
  const out = listWriter(ctx, format, t ? columns.filter((c) => c.key !== 'method') : columns);
  for (let start = 0; start < shownCount; start += PIECE) {
    const piece = order.slice(start, Math.min(shownCount, start + PIECE));
    names = new Map(customerNames(db, piece.map((i) => summary.ids[i]!)));
    out.add(piece);
  }
  out.end();
  if (t) {
    noteTruncation(ctx, o, limit, shownCount, () => order.length);
    await report(ctx, run, money);
    ctx.err(
      ctx.t('clv.head', {
        asOf,
        months,
        margin: terms.margin,
        discount: terms.monthlyDiscount,
        customers: summary.ids.length,
        method: model.method === 'models' ? ctx.t('clv.method.models', { unit: ctx.t(`clv.unit.${unit}`) }) : ctx.t('clv.method.historical'),
      }),
    );
  }
  // Said whatever the format (on stderr, so CSV and JSON stay clean; their rows carry method too).
  if (model.method === 'historical') for (const line of [...fitLines(ctx, model), ctx.t('clv.historical')]) ctx.err(line);
  if (o.save) ctx.err(ctx.t('clv.saved', { count: summary.ids.length, asOf }));
}

/** A customer's row (by index into the summary): amounts as decimal strings for machines, money for people. */
function clvColumns(ctx: Context, run: ClvRun, name: (id: number) => string | undefined, money: (v: number) => string): Column<number>[] {
  const { summary, data: d, predictions, classes, model, digits } = run;
  const alive = predictions.pAlive;
  const amount = (v: number) => formatAmount(Math.round(v), digits);
  return [
    { key: 'id', header: 'col.id', value: (i) => summary.ids[i]!, align: 'right' },
    { key: 'name', header: 'col.name', value: (i) => name(summary.ids[i]!) },
    { key: 'x', header: 'col.x', value: (i) => d.x[i]!, align: 'right' },
    { key: 't_x', header: 'col.tx', value: (i) => roundTo(d.tx[i]!, 2), display: (i) => d.tx[i]!.toFixed(2), align: 'right' },
    { key: 'T', header: 'col.T', value: (i) => roundTo(d.T[i]!, 2), display: (i) => d.T[i]!.toFixed(2), align: 'right' },
    { key: 'average_order', header: 'col.aov', value: (i) => amount(summary.total[i]! / summary.orders[i]!), display: (i) => money(summary.total[i]! / summary.orders[i]!), align: 'right' },
    { key: 'p_alive', header: 'col.pAlive', value: (i) => (alive ? roundTo(alive[i]!, 4) : null), display: (i) => percent(alive ? alive[i]! : null), align: 'right' },
    { key: 'expected_purchases', header: 'col.expPurchases', value: (i) => roundTo(predictions.purchases[i]!, 3), display: (i) => predictions.purchases[i]!.toFixed(2), align: 'right' },
    { key: 'expected_spend', header: 'col.expSpend', value: (i) => amount(predictions.spend[i]!), display: (i) => money(predictions.spend[i]!), align: 'right' },
    { key: 'clv', header: 'col.clv', value: (i) => amount(predictions.clv[i]!), display: (i) => money(predictions.clv[i]!), align: 'right' },
    { key: 'value_class', header: 'col.valueClass', value: (i) => VALUE_CLASSES[classes[i]!], display: (i) => valueName(ctx, VALUE_CLASSES[classes[i]!]!) },
    { key: 'method', value: () => model.method },
  ];
}

/** The summary for people: value classes, how concentrated the value is, and who is most likely lost. */
async function report(ctx: Context, run: ClvRun, money: (v: number) => string): Promise<void> {
  const { summary, classes } = run;
  const { clv, pAlive: alive } = run.predictions;
  const rows = summarizeClasses(clv, alive, classes);
  const total = rows.reduce((s, r) => s + r.total, 0);
  ctx.out('');
  renderList(
    ctx,
    'table',
    [
      { key: 'class', header: 'col.valueClass', value: (r) => valueName(ctx, r.cls) },
      { key: 'customers', header: 'col.customers', value: (r) => r.customers, align: 'right' },
      { key: 'share', header: 'col.share', value: (r) => percent(r.share), align: 'right' },
      { key: 'total', header: 'col.totalClv', value: (r) => money(r.total), align: 'right' },
      { key: 'avg', header: 'col.avgClv', value: (r) => money(r.average), align: 'right' },
      { key: 'alive', header: 'col.avgAlive', value: (r) => percent(r.alive), align: 'right' },
    ],
    rows,
  );
  const shares = valueDeciles(clv);
  if (shares) {
    ctx.out(`\n${ctx.t('clv.total', { total: money(total), top10: percent(shares[0] ?? 0) })}`);
    ctx.out(ctx.t('clv.deciles'));
    barChart(ctx, shares.map((s, k) => ({ label: `${k * 10 + 10}%`.padStart(4), value: s, text: percent(s) })), 40);
  } else ctx.out(`\n${ctx.t('clv.totalOnly', { total: money(total) })}`);
  if (!alive) return;
  const lost = mostLikelyLost(alive, summary.total);
  if (lost.length === 0) return;
  ctx.out(`\n${ctx.t('clv.lost')}`);
  const names = new Map(customerNames(await ctx.db(), lost.map((i) => summary.ids[i]!)));
  renderList(
    ctx,
    'table',
    [
      { key: 'id', header: 'col.id', value: (i) => summary.ids[i]!, align: 'right' },
      { key: 'name', header: 'col.name', value: (i) => names.get(summary.ids[i]!) },
      { key: 'spend', header: 'col.spendSoFar', value: (i) => money(summary.total[i]!), align: 'right' },
      { key: 'since', header: 'col.daysSince', value: (i) => summary.ageDays[i]! - summary.spanDays[i]!, align: 'right' },
      { key: 'alive', header: 'col.pAlive', value: (i) => percent(alive[i]!), align: 'right' },
    ],
    lost,
  );
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm clv', 'crm clv fit', 'crm clv fit --holdout 26w', 'crm clv --horizon 2y --margin 0.4 --save');
  const listCmd = addFormatOption(
    cmd
      .command('list', { isDefault: true })
      .description(ctx.t('cmd.clv.list'))
      .option('--as-of <date>', ctx.t('opt.asOf'))
      .option('--unit <unit>', ctx.t('opt.unit'), 'week')
      .option('--horizon <length>', ctx.t('opt.horizon'), '12mo')
      .option('--discount <rate>', ctx.t('opt.discount'), '0.01')
      .option('--margin <share>', ctx.t('opt.margin'), '0.3')
      .option('--segment <class>', ctx.t('opt.valueClass'))
      .option('--sort <key>', ctx.t('opt.clvSort'), 'clv')
      .option('--limit <n>', ctx.t('opt.limit'))
      .option('--save', ctx.t('opt.clvSave')),
    ctx,
    LONG_LIST_FORMATS,
  ).action((o: ListOptions) => list(ctx, o));
  example(listCmd, ctx, 'crm clv', 'crm clv --horizon 2y --margin 0.4 --save', 'crm clv --segment most-valuable --limit 20', 'crm clv --sort alive --format csv > winback.csv');

  const fitCmd = addFormatOption(
    cmd
      .command('fit')
      .description(ctx.t('cmd.clv.fit'))
      .option('--as-of <date>', ctx.t('opt.asOf'))
      .option('--unit <unit>', ctx.t('opt.unit'), 'week')
      .option('--holdout <length>', ctx.t('opt.holdout')),
    ctx,
  ).action((o) => fit(ctx, o));
  example(fitCmd, ctx, 'crm clv fit', 'crm clv fit --holdout 26w', 'crm clv fit --as-of 2026-06-30 --unit day --format json');
  readOnly(listCmd, fitCmd);
}
