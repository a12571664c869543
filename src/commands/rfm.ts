// crm rfm: recency, frequency and monetary scores, segments, the report per segment with a bar chart,
// the customers of one segment, and --save to keep the scores on each customer.
import type { Command } from 'commander';
import { readOnly, type Context } from '../context.js';
import { displayAmount, formatAmount, minorDigits } from '../core/money.js';
import { dayBack, parseDayLength } from '../core/duration.js';
import { SCHEMES, segmentMembers, summarize, type RfmScore, type Scheme, type SegmentSummary } from '../core/rfm.js';
import { parseSegment, runRfm, segmentName } from '../app/rfm.js';
import { badInput } from '../errors.js';
import { barChart, listWriter, LONG_LIST_FORMATS, percent, renderList, roundTo, type Column, type Format } from '../io/output.js';
import type { Customer } from '../core/customer.js';
import { getCustomers } from '../store/customer.js';
import { addFormatOption, asOfDay, example, formatOf, listLimit, noteTruncation } from './common.js';


interface RfmOptions {
  asOf?: string;
  window?: string;
  scheme?: string;
  save?: boolean;
  segment?: string;
  limit?: string;
  format?: string;
}

/** Money for machines (decimal strings in the shop's currency) and for people. */
async function moneyOf(ctx: Context): Promise<{ amount: (minor: number) => string; money: (minor: number) => string }> {
  const { currency } = await ctx.settings();
  const digits = minorDigits(currency);
  return { amount: (minor) => formatAmount(Math.round(minor), digits), money: (minor) => displayAmount(Math.round(minor), currency, ctx.lang) };
}

async function rfm(ctx: Context, o: RfmOptions): Promise<void> {
  const format = formatOf(o);
  const scheme = (o.scheme ?? 'classic').trim().toLowerCase() as Scheme;
  if (!SCHEMES.includes(scheme)) throw badInput('err.rfm.scheme', { value: o.scheme ?? '', allowed: SCHEMES.join('|') });
  const window = parseDayLength(o.window ?? '365d', '--window');
  const asOf = await asOfDay(ctx, o.asOf);
  const start = dayBack(asOf, window);
  const segment = o.segment === undefined ? undefined : parseSegment(ctx, o.segment, scheme);
  // Every option is read before anything is saved: a command that fails writes nothing.
  const limit = listLimit(o.limit, format);
  const { scores, prospects } = await runRfm(ctx, asOf, start, scheme, o.save ?? false);
  if (segment !== undefined) {
    const members = segmentMembers(scores, prospects, segment);
    const shown = limit === null ? members : members.slice(0, limit);
    await listMembers(ctx, format, shown);
    noteTruncation(ctx, o, limit, shown.length, () => members.length);
  } else {
    await report(ctx, format, summarize(scores), prospects.length);
    if (format === 'table') ctx.err(ctx.t('rfm.head', { asOf, start, customers: scores.ids.length, prospects: prospects.length, scheme }));
  }
  if (o.save) ctx.err(ctx.t('rfm.saved', { count: scores.ids.length + prospects.length, asOf }));
}

/** Customers read a piece at a time while the listing is written (a segment can hold most of a shop). */
const PIECE = 10_000;

async function listMembers(ctx: Context, format: Format, shown: RfmScore[]): Promise<void> {
  const db = await ctx.db();
  const { amount, money } = await moneyOf(ctx);
  let customers = new Map<number, Customer>();
  const columns: Column<RfmScore>[] = [
    { key: 'id', header: 'col.id', value: (s) => s.id, align: 'right' },
    { key: 'name', header: 'col.name', value: (s) => customers.get(s.id)?.name },
    { key: 'phone', header: 'col.phone', value: (s) => customers.get(s.id)?.phones.map((p) => p.e164) ?? [] },
    { key: 'r', header: 'col.r', value: (s) => s.r || null, align: 'right' },
    { key: 'f', header: 'col.f', value: (s) => s.f || null, align: 'right' },
    { key: 'm', header: 'col.m', value: (s) => s.m || null, align: 'right' },
    { key: 'days_since_order', header: 'col.recency', value: (s) => (Number.isNaN(s.recency) ? null : s.recency), align: 'right' },
    { key: 'orders', header: 'col.orders', value: (s) => s.frequency, align: 'right' },
    { key: 'spend', header: 'col.spend', value: (s) => amount(s.monetary), display: (s) => money(s.monetary), align: 'right' },
  ];
  const out = listWriter(ctx, format, columns);
  for (let start = 0; start < shown.length; start += PIECE) {
    const piece = shown.slice(start, start + PIECE);
    customers = new Map(getCustomers(db, piece.map((s) => s.id)).map((c) => [c.id, c]));
    out.add(piece);
  }
  out.end();
}

async function report(ctx: Context, format: Format, rows: SegmentSummary[], prospects: number): Promise<void> {
  const { amount, money } = await moneyOf(ctx);
  const columns: Column<SegmentSummary>[] = [
    { key: 'segment', header: 'col.segment', value: (s) => s.segment, display: (s) => segmentName(ctx, s.segment) },
    { key: 'customers', header: 'col.customers', value: (s) => s.customers, align: 'right' },
    { key: 'share', header: 'col.share', value: (s) => roundTo(s.share, 4), display: (s) => percent(s.share), align: 'right' },
    { key: 'revenue_share', header: 'col.revenueShare', value: (s) => roundTo(s.revenueShare, 4), display: (s) => percent(s.revenueShare), align: 'right' },
    { key: 'avg_days_since_order', header: 'col.avgRecency', value: (s) => roundTo(s.avgRecency, 1), align: 'right' },
    { key: 'avg_orders', header: 'col.avgFrequency', value: (s) => roundTo(s.avgFrequency, 2), align: 'right' },
    { key: 'avg_spend', header: 'col.avgMonetary', value: (s) => amount(s.avgMonetary), display: (s) => money(s.avgMonetary), align: 'right' },
  ];
  renderList(ctx, format, columns, rows);
  if (format !== 'table') return;
  // The bar chart: each segment's share of customers.
  ctx.out('');
  barChart(ctx, rows.map((s) => ({ label: segmentName(ctx, s.segment), value: s.share, text: percent(s.share) })));
  // A note beside the report (prospects are in no segment): stderr, with the other notes.
  if (prospects > 0) ctx.err(ctx.t('rfm.prospects', { count: prospects }));
}

export function register(cmd: Command, ctx: Context): void {
  addFormatOption(
    cmd
      .option('--as-of <date>', ctx.t('opt.asOf'))
      .option('--window <length>', ctx.t('opt.window'), '365d')
      .option('--scheme <scheme>', ctx.t('opt.scheme'), 'classic')
      .option('--segment <segment>', ctx.t('opt.segment'))
      .option('--limit <n>', ctx.t('opt.limit'))
      .option('--save', ctx.t('opt.rfmSave')),
    ctx,
    LONG_LIST_FORMATS,
  ).action((o: RfmOptions) => rfm(ctx, o));
  example(cmd, ctx, 'crm rfm', 'crm rfm --scheme cn8 --save', 'crm rfm --segment champions --limit 20', 'crm rfm --as-of 2026-06-30 --window 180d --format csv');
  readOnly(cmd);
}

