// crm clv fit|(list): customer lifetime value from BG/NBD and Gamma-Gamma fitted on the shop's own
// orders, the holdout check, the per-customer predictions, value classes, and --save.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import {
  fitModels,
  holdoutTable,
  MIN_REPEAT_BUYERS,
  SHAPE_CAP,
  predict,
  repeatData,
  repeatSpend,
  mostLikelyLost,
  summarizeClasses,
  valueClasses,
  valueDeciles,
  valueSoFar,
  VALUE_CLASSES,
  type ClvModel,
  type ClvTerms,
  type Fit,
  type HoldoutRow,
  type ValueClass,
} from '../core/clv/index.js';
import { addDays, addMonths, daysBetween } from '../core/dates.js';
import { displayAmount, formatAmount, minorDigits } from '../core/money.js';
import { valueClassRulesOf } from '../core/settings.js';
import { badInput, failure } from '../errors.js';
import { translate, type MessageId } from '../messages/index.js';
import { barChart, jsonArrayOut, percent, renderList, roundTo, signedPercent, toRecord, type Column, type Format } from '../io/output.js';
import { purchaseDaysBetween, purchaseSummary, saveClv, type PurchaseSummary } from '../store/clv.js';
import { customerNames } from '../store/customers.js';
import { addFormatOption, asOfDay, example, formatOf, listLimit, noteTruncation } from './common.js';

const UNITS = { week: 7, day: 1 } as const;
type Unit = keyof typeof UNITS;

function unitOf(raw: string | undefined): Unit {
  const u = (raw ?? 'week').trim().toLowerCase().replace(/s$/, '');
  if (u !== 'week' && u !== 'day') throw badInput('err.clv.unit', { value: raw ?? '' });
  return u;
}

/** A span back from a day as typed (26w, 180d, 6m, 1y): the day it starts after. */
function spanStart(day: string, raw: string, option: string): string {
  const m = /^\s*(\d+)\s*([dwmy])\s*$/i.exec(raw);
  const n = m ? Number(m[1]) : 0;
  if (!m || n < 1 || n > 1200) throw badInput('err.clv.span', { option, value: raw });
  const kind = m[2]!.toLowerCase();
  return kind === 'd' ? addDays(day, -n) : kind === 'w' ? addDays(day, -7 * n) : addMonths(day, kind === 'm' ? -n : -12 * n);
}

/** The horizon in months (12m, 2y). */
function horizonMonths(raw: string): number {
  const m = /^\s*(\d+)\s*([my])\s*$/i.exec(raw);
  const n = m ? Number(m[1]) * (m[2]!.toLowerCase() === 'y' ? 12 : 1) : 0;
  if (n < 1 || n > 1200) throw badInput('err.clv.horizon', { value: raw });
  return n;
}

function rateOf(raw: string, option: string): number {
  const v = Number(raw.trim());
  if (!/^\s*\d*(\.\d+)?\s*$/.test(raw) || raw.trim() === '' || !(v >= 0 && v <= 1)) throw badInput('err.clv.rate', { option, value: raw });
  return v;
}

const valueName = (ctx: Context, c: ValueClass) => ctx.t(`value.${c}` as MessageId);

/** A value class as typed: its key (mostValuable, most-valuable) or its name in either language. */
export function valueClassOption(ctx: Context, raw: string): ValueClass {
  const want = raw.trim().toLowerCase().replace(/[-_\s]/g, '');
  const found = VALUE_CLASSES.find((c) => c.toLowerCase() === want || (['en', 'zh'] as const).some((l) => translate(l, `value.${c}` as MessageId).toLowerCase().replace(/[-_\s]/g, '') === want));
  if (!found) throw badInput('err.clv.valueClass', { value: raw, allowed: VALUE_CLASSES.map((c) => `${c} (${valueName(ctx, c)})`).join(', ') });
  return found;
}

interface Fitted {
  summary: PurchaseSummary;
  model: ClvModel;
  digits: number;
}

/** The purchase summary up to `asOf` and the models fitted on it. */
async function fitAt(ctx: Context, asOf: string, unit: Unit): Promise<Fitted> {
  const db = await ctx.db();
  const { currency } = await ctx.settings();
  const digits = minorDigits(currency);
  const summary = purchaseSummary(db, asOf);
  if (summary.ids.length === 0) throw failure('err.clv.noOrders', { asOf });
  const model = fitModels(repeatData(summary, UNITS[unit]), repeatSpend(summary, digits));
  return { summary, model, digits };
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


async function fit(ctx: Context, o: { asOf?: string; unit?: string; holdout?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const unit = unitOf(o.unit);
  const asOf = await asOfDay(ctx, o.asOf);
  if (o.holdout !== undefined) return holdout(ctx, format, asOf, unit, o.holdout);
  const { model, summary } = await fitAt(ctx, asOf, unit);
  const params: { model: string; parameter: string; value: number }[] = [];
  // Parameters only of fits without a problem: a fit that failed is reported, never printed as a result.
  if (model.bgnbd && !model.bgnbd.problem) for (const [k, v] of Object.entries(model.bgnbd.params)) params.push({ model: 'BG/NBD', parameter: k, value: v });
  if (model.gammaGamma && !model.gammaGamma.problem) for (const [k, v] of Object.entries(model.gammaGamma.params)) params.push({ model: 'Gamma-Gamma', parameter: k, value: v });
  if (format === 'json') {
    const fitJson = (f: Fit<object> | null) =>
      f && {
        params: f.problem ? null : f.params,
        log_likelihood: f.problem ? null : f.logLikelihood,
        customers: f.customers,
        iterations: f.iterations,
        evaluations: f.evaluations,
        problem: f.problem,
        capped: f.capped ?? [],
      };
    ctx.out(
      JSON.stringify(
        {
          as_of: asOf,
          unit,
          method: model.method,
          reason: model.reason,
          customers: summary.ids.length,
          repeat_buyers: model.repeatBuyers,
          sample: model.sample,
          fit_ms: Math.round(model.millis),
          bgnbd: fitJson(model.bgnbd),
          gamma_gamma: fitJson(model.gammaGamma),
        },
        null,
        2,
      ),
    );
    return;
  }
  if (format === 'table' && params.length === 0) {
    for (const line of fitLines(ctx, model)) ctx.err(line);
    return;
  }
  renderList(
    ctx,
    format,
    [
      { key: 'model', header: 'col.model', value: (r) => r.model },
      { key: 'parameter', header: 'col.parameter', value: (r) => r.parameter },
      { key: 'value', header: 'col.value', value: (r) => (format === 'table' ? roundTo(r.value, 4) : r.value), align: 'right' },
    ],
    params,
  );
  if (format === 'table') {
    const customers = model.bgnbd?.customers ?? summary.ids.length;
    const sample = model.sample ? ctx.t('clv.sampled', { sample: model.sample }) : '';
    ctx.err(ctx.t('clv.fitHead', { asOf, unit: ctx.t(`clv.unit.${unit}`), customers, repeat: model.repeatBuyers, sample, millis: Math.round(model.millis) }));
    for (const line of fitLines(ctx, model)) ctx.err(line);
  }
}

/** Fits on the history before the holdout, and compares predicted with actual repeat purchase days in it. */
async function holdout(ctx: Context, format: Format, asOf: string, unit: Unit, raw: string): Promise<void> {
  const calEnd = spanStart(asOf, raw, '--holdout');
  const db = await ctx.db();
  const { currency } = await ctx.settings();
  const digits = minorDigits(currency);
  const summary = purchaseSummary(db, calEnd);
  if (summary.ids.length === 0) throw failure('err.clv.noHoldoutData', { start: calEnd });
  const d = repeatData(summary, UNITS[unit]);
  const model = fitModels(d, repeatSpend(summary, digits));
  if (!model.bgnbd || model.bgnbd.problem) {
    for (const line of fitLines(ctx, model)) ctx.err(line);
    throw failure('err.clv.noModel');
  }
  const later = purchaseDaysBetween(db, calEnd, asOf);
  const actual = Float64Array.from(summary.ids, (id) => later.get(id) ?? 0);
  const units = daysBetween(calEnd, asOf) / UNITS[unit];
  const table = holdoutTable(model.bgnbd.params, d, actual, units);
  const t = format === 'table';
  const columns: Column<HoldoutRow>[] = [
    { key: 'x', header: 'col.calibrationPurchases', value: (r) => r.x, display: (r) => `${r.x}${r.atLeast ? '+' : ''}`, align: 'right' },
    { key: 'or_more', value: (r) => r.atLeast },
    { key: 'customers', header: 'col.customers', value: (r) => r.customers, align: 'right' },
    { key: 'actual', header: 'col.actual', value: (r) => roundTo(r.actual, 4), display: (r) => r.actual.toFixed(3), align: 'right' },
    { key: 'predicted', header: 'col.predicted', value: (r) => roundTo(r.predicted, 4), display: (r) => r.predicted.toFixed(3), align: 'right' },
  ];
  if (format === 'json') {
    ctx.out(
      JSON.stringify(
        {
          calibration_end: calEnd,
          as_of: asOf,
          unit,
          holdout_units: roundTo(units, 4),
          customers: summary.ids.length,
          params: model.bgnbd.params,
          actual: table.actual,
          predicted: roundTo(table.predicted, 2),
          by_calibration_purchases: table.rows.map((r) => toRecord(columns, r)),
        },
        null,
        2,
      ),
    );
    return;
  }
  renderList(ctx, format, t ? columns.filter((c) => c.key !== 'or_more') : columns, table.rows);
  if (!t) return;
  // Actual beside predicted, one pair of bars per group.
  ctx.out('');
  barChart(
    ctx,
    table.rows.flatMap((r) => {
      const label = `${r.x}${r.atLeast ? '+' : ''}`.padStart(3);
      return [
        { label, value: r.actual, text: r.actual.toFixed(2) },
        { label: '', value: r.predicted, text: r.predicted.toFixed(2), fill: '░' },
      ];
    }),
    50,
  );
  ctx.out(ctx.t('clv.chartLegend'));
  const diff = table.actual > 0 ? signedPercent((table.predicted - table.actual) / table.actual) : '—';
  ctx.err(
    ctx.t('clv.holdoutHead', { calEnd, asOf, customers: summary.ids.length, units: roundTo(units, 2), unit: ctx.t(`clv.unit.${unit}`), actual: table.actual, predicted: table.predicted.toFixed(1), diff }),
  );
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

const SORTS = ['clv', 'alive', 'purchases'] as const;

async function list(ctx: Context, o: ListOptions): Promise<void> {
  const format = formatOf(o);
  const unit = unitOf(o.unit);
  const asOf = await asOfDay(ctx, o.asOf);
  const months = horizonMonths(o.horizon ?? '12m');
  const terms: ClvTerms = { months, monthlyDiscount: rateOf(o.discount ?? '0.01', '--discount'), margin: rateOf(o.margin ?? '0.3', '--margin'), unitDays: UNITS[unit] };
  const sort = (o.sort ?? 'clv').trim().toLowerCase();
  if (!(SORTS as readonly string[]).includes(sort)) throw badInput('err.clv.sort', { value: o.sort ?? '', allowed: SORTS.join('|') });
  const only = o.segment === undefined ? null : valueClassOption(ctx, o.segment);
  const settings = await ctx.settings();
  const { summary, model: fitted, digits } = await fitAt(ctx, asOf, unit);
  const d = repeatData(summary, UNITS[unit]);
  const { model, predictions } = predict(fitted, summary, d, repeatSpend(summary, digits), digits, terms);
  const soFar = Float64Array.from(summary.total, (total, i) => valueSoFar(total, summary.ageDays[i]!, months, terms.margin));
  const classes = valueClasses(predictions.clv, soFar, valueClassRulesOf(settings, digits), months);
  const db = await ctx.db();
  if (o.save) {
    const params = model.method === 'models' ? { bgnbd: model.bgnbd!.params, gamma_gamma: model.gammaGamma!.params } : null;
    saveClv(db, { ids: summary.ids, pAlive: predictions.pAlive, purchases: predictions.purchases, spend: predictions.spend, clv: predictions.clv, classes }, {
      asOf,
      unit,
      months,
      discount: terms.monthlyDiscount,
      margin: terms.margin,
      method: model.method,
      params,
    });
  }

  // The customers, in the order asked for.
  let order = Array.from(summary.ids.keys());
  if (only !== null) order = order.filter((i) => VALUE_CLASSES[classes[i]!] === only);
  const alive = predictions.pAlive;
  if (sort === 'clv') order.sort((i, j) => predictions.clv[j]! - predictions.clv[i]! || i - j);
  else if (sort === 'purchases') order.sort((i, j) => predictions.purchases[j]! - predictions.purchases[i]! || i - j);
  else if (alive) order.sort((i, j) => alive[i]! - alive[j]! || predictions.clv[j]! - predictions.clv[i]! || i - j);
  else order.sort((i, j) => predictions.clv[j]! - predictions.clv[i]! || i - j); // the historical estimate has no P(alive)
  const limit = listLimit(o.limit, format) ?? order.length;
  const shownCount = Math.min(limit, order.length);
  const { currency } = settings;
  const money = (v: number) => displayAmount(Math.round(v), currency, ctx.lang);
  const amount = (v: number) => formatAmount(Math.round(v), digits);
  const t = format === 'table';
  const columns = (names: Map<number, string>): Column<number>[] => [
    { key: 'id', header: 'col.id', value: (i) => summary.ids[i]!, align: 'right' },
    { key: 'name', header: 'col.name', value: (i) => names.get(summary.ids[i]!) },
    { key: 'x', header: 'col.x', value: (i) => d.x[i]!, align: 'right' },
    { key: 't_x', header: 'col.tx', value: (i) => roundTo(d.tx[i]!, 2), display: (i) => d.tx[i]!.toFixed(2), align: 'right' },
    { key: 'T', header: 'col.T', value: (i) => roundTo(d.T[i]!, 2), display: (i) => d.T[i]!.toFixed(2), align: 'right' },
    { key: 'average_order', header: 'col.aov', value: (i) => amount(summary.total[i]! / summary.orders[i]!), display: (i) => money(summary.total[i]! / summary.orders[i]!), align: 'right' },
    { key: 'p_alive', header: 'col.pAlive', value: (i) => (alive ? roundTo(alive[i]!, 4) : null), display: (i) => percent(alive ? alive[i]! : null), align: 'right' },
    { key: 'expected_purchases', header: 'col.expPurchases', value: (i) => roundTo(predictions.purchases[i]!, 3), display: (i) => predictions.purchases[i]!.toFixed(2), align: 'right' },
    { key: 'expected_spend', header: 'col.expSpend', value: (i) => amount(predictions.spend[i]!), display: (i) => money(predictions.spend[i]!), align: 'right' },
    { key: 'clv', header: 'col.clv', value: (i) => amount(predictions.clv[i]!), display: (i) => money(predictions.clv[i]!), align: 'right' },
    { key: 'value_class', header: 'col.valueClass', value: (i) => VALUE_CLASSES[classes[i]!], display: (i) => valueName(ctx, VALUE_CLASSES[classes[i]!]!) },
    ...(t ? [] : [{ key: 'method', value: () => model.method } as Column<number>]),
  ];
  // Written a piece at a time: a million customers as CSV or JSON without a million row objects.
  const json = format === 'json' ? jsonArrayOut(ctx) : null;
  const PIECE = 10_000;
  for (let start = 0; start === 0 || start < shownCount; start += PIECE) {
    const piece = order.slice(start, Math.min(shownCount, start + PIECE));
    const names = new Map(customerNames(db, piece.map((i) => summary.ids[i]!)));
    const cols = columns(names);
    if (json) for (const i of piece) json.add(toRecord(cols, i));
    else renderList(ctx, format, cols, piece, { first: start === 0 });
    if (t) break;
  }
  json?.end();
  if (t) {
    noteTruncation(ctx, o, limit, shownCount, () => order.length);
    await report(ctx, summary, predictions.clv, alive, classes, money);
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

/** The summary for people: value classes, how concentrated the value is, and who is most likely lost. */
async function report(ctx: Context, summary: PurchaseSummary, clv: Float64Array, alive: Float64Array | null, classes: Uint8Array, money: (v: number) => string): Promise<void> {
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
  await lostTable(ctx, summary, alive, lost, money);
}

async function lostTable(ctx: Context, summary: PurchaseSummary, alive: Float64Array, lost: number[], money: (v: number) => string): Promise<void> {
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
      .option('--horizon <length>', ctx.t('opt.horizon'), '12m')
      .option('--discount <rate>', ctx.t('opt.discount'), '0.01')
      .option('--margin <share>', ctx.t('opt.margin'), '0.3')
      .option('--segment <class>', ctx.t('opt.valueClass'))
      .option('--sort <key>', ctx.t('opt.clvSort'), 'clv')
      .option('--limit <n>', ctx.t('opt.limit'))
      .option('--save', ctx.t('opt.clvSave')),
    ctx,
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
}
