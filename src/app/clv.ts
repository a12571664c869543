// Customer lifetime value as `crm clv` (and later cron) works it out: the models fitted on the
// shop's orders up to a day, the holdout check, every customer's predictions and value class (kept
// by --save), in the order asked for; and a value class as typed on the command line (`clv
// --segment`, `customer list --value-class`). The models are in src/core/clv.ts, the SQL in the store.
import type { Context } from '../context.js';
import {
  fitModels,
  holdoutTable,
  predict,
  repeatData,
  repeatSpend,
  valueClasses,
  valueSoFar,
  VALUE_CLASSES,
  type ClvModel,
  type ClvTerms,
  type HoldoutRow,
  type Predictions,
  type RepeatData,
  type ValueClass,
} from '../core/clv/index.js';
import { daysBetween } from '../core/dates.js';
import { minorDigits } from '../core/money.js';
import { valueClassRulesOf } from '../core/settings.js';
import { badInput, failure } from '../errors.js';
import { translate, type MessageId } from '../messages/index.js';
import { purchaseDaysBetween, purchaseSummary, saveClv, type PurchaseSummary } from '../store/clv.js';

/** The time units the models count in, in days. */
export const UNITS = { week: 7, day: 1 } as const;
export type Unit = keyof typeof UNITS;

export const valueName = (ctx: Context, c: ValueClass) => ctx.t(`value.${c}` as MessageId);

/** A value class as typed: its key (mostValuable, most-valuable) or its name in either language. */
export function valueClassOption(ctx: Context, raw: string): ValueClass {
  const want = raw.trim().toLowerCase().replace(/[-_\s]/g, '');
  const found = VALUE_CLASSES.find((c) => c.toLowerCase() === want || (['en', 'zh'] as const).some((l) => translate(l, `value.${c}` as MessageId).toLowerCase().replace(/[-_\s]/g, '') === want));
  if (!found) throw badInput('err.clv.valueClass', { value: raw, allowed: VALUE_CLASSES.map((c) => `${c} (${valueName(ctx, c)})`).join(', ') });
  return found;
}

export interface Fitted {
  summary: PurchaseSummary;
  /** What the models were fitted on (repeat purchases in units, spend per repeat purchase). */
  data: RepeatData;
  spend: Float64Array;
  model: ClvModel;
  digits: number;
}

/** The purchase summary up to `asOf` and the models fitted on it; a shop without orders then is a failure. */
export async function fitAt(ctx: Context, asOf: string, unit: Unit, empty: () => Error = () => failure('err.clv.noOrders', { asOf })): Promise<Fitted> {
  const db = await ctx.db();
  const digits = minorDigits((await ctx.settings()).currency);
  const summary = await purchaseSummary(db, asOf);
  if (summary.ids.length === 0) throw empty();
  const data = repeatData(summary, UNITS[unit]);
  const spend = repeatSpend(summary, digits);
  return { summary, data, spend, model: fitModels(data, spend), digits };
}

export interface Holdout {
  calibrationEnd: string;
  asOf: string;
  unit: Unit;
  /** The holdout's length in units. */
  units: number;
  customers: number;
  model: ClvModel;
  /** Actual beside predicted repeat purchase days, by calibration purchases; null when BG/NBD could not be fitted. */
  table: { rows: HoldoutRow[]; actual: number; predicted: number } | null;
}

/** Fits on the history up to `calEnd`, and compares predicted with actual repeat purchase days after it, to `asOf`. */
export async function holdoutCheck(ctx: Context, calEnd: string, asOf: string, unit: Unit): Promise<Holdout> {
  const { summary, data: d, model } = await fitAt(ctx, calEnd, unit, () => failure('err.clv.noHoldoutData', { start: calEnd }));
  const db = await ctx.db();
  const units = daysBetween(calEnd, asOf) / UNITS[unit];
  const base = { calibrationEnd: calEnd, asOf, unit, units, customers: summary.ids.length, model };
  if (!model.bgnbd || model.bgnbd.problem) return { ...base, table: null };
  const later = purchaseDaysBetween(db, calEnd, asOf);
  const actual = Float64Array.from(summary.ids, (id) => later.get(id) ?? 0);
  return { ...base, table: holdoutTable(model.bgnbd.params, d, actual, units) };
}

export const SORTS = ['clv', 'alive', 'purchases'] as const;
export type Sort = (typeof SORTS)[number];

export interface ClvRun {
  asOf: string;
  unit: Unit;
  terms: ClvTerms;
  summary: PurchaseSummary;
  data: RepeatData;
  digits: number;
  /** The model used (models, or the historical estimate and why). */
  model: ClvModel;
  predictions: Predictions;
  /** Index into VALUE_CLASSES, per customer. */
  classes: Uint8Array;
  /** Indexes into summary.ids, in the order asked for (and of one class only, if asked). */
  order: number[];
}

/** Every customer's predictions and value class as of `asOf` (kept on each customer when `save`), in the order asked for. */
export async function runClv(ctx: Context, o: { asOf: string; unit: Unit; terms: ClvTerms; sort: Sort; only: ValueClass | null; save: boolean }): Promise<ClvRun> {
  const { asOf, unit, terms } = o;
  const settings = await ctx.settings();
  const { summary, data, spend, model: fitted, digits } = await fitAt(ctx, asOf, unit);
  const { model, predictions } = predict(fitted, summary, data, spend, digits, terms);
  const soFar = Float64Array.from(summary.total, (total, i) => valueSoFar(total, summary.ageDays[i]!, terms.months, terms.margin));
  const classes = valueClasses(predictions.clv, soFar, valueClassRulesOf(settings, digits), terms.months);
  if (o.save) {
    const params = model.method === 'models' ? { bgnbd: model.bgnbd!.params, gamma_gamma: model.gammaGamma!.params } : null;
    saveClv(await ctx.db(), { ids: summary.ids, pAlive: predictions.pAlive, purchases: predictions.purchases, spend: predictions.spend, clv: predictions.clv, classes }, {
      asOf,
      unit,
      months: terms.months,
      discount: terms.monthlyDiscount,
      margin: terms.margin,
      method: model.method,
      params,
    });
  }
  return { asOf, unit, terms, summary, data, digits, model, predictions, classes, order: ordered(predictions, classes, o.sort, o.only) };
}

/** The customers (indexes) in the order asked for: highest CLV, most purchases, or least likely alive first. */
function ordered(predictions: Predictions, classes: Uint8Array, sort: Sort, only: ValueClass | null): number[] {
  let order = Array.from(classes.keys());
  if (only !== null) order = order.filter((i) => VALUE_CLASSES[classes[i]!] === only);
  const { clv, purchases, pAlive: alive } = predictions;
  if (sort === 'purchases') order.sort((i, j) => purchases[j]! - purchases[i]! || i - j);
  else if (sort === 'alive' && alive) order.sort((i, j) => alive[i]! - alive[j]! || clv[j]! - clv[i]! || i - j);
  else order.sort((i, j) => clv[j]! - clv[i]! || i - j); // the historical estimate has no P(alive)
  return order;
}
