// crm rfm: recency, frequency and monetary scores, segments, the report per segment with a bar chart,
// the customers of one segment, and --save to keep the scores on each customer.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { displayAmount } from '../core/money.js';
import { daysEnding, parseDayLength } from '../core/duration.js';
import { CLASSIC_SEGMENTS, CN8_SEGMENTS, SCHEMES, scoreRfm, segmentMembers, summarize, windowStart, type RfmScore, type Scheme, type Segment, type SegmentSummary } from '../core/rfm.js';
import { badInput } from '../errors.js';
import { translate, type MessageId } from '../messages/index.js';
import { barChart, percent, renderList, roundTo, type Column, type Format } from '../io/output.js';
import { getCustomers } from '../store/customers.js';
import { prospectIds, rfmInputs, saveRfm } from '../store/rfm.js';
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

const segmentName = (ctx: Context, s: Segment | 'prospect') => ctx.t(`segment.${s}` as MessageId);

/** A segment as typed: its key (champions), or its name in either language (冠军客户, Champions); of one scheme or any. */
export function parseSegment(ctx: Context, raw: string, scheme: Scheme | null): Segment | 'prospect' {
  const all: (Segment | 'prospect')[] = [...(scheme !== 'cn8' ? CLASSIC_SEGMENTS : []), ...(scheme !== 'classic' ? CN8_SEGMENTS : []), 'prospect'];
  const want = raw.trim().toLowerCase();
  const found = all.find((s) => s.toLowerCase() === want || ['en', 'zh'].some((lang) => translate(lang as 'en' | 'zh', `segment.${s}` as MessageId, {}).toLowerCase() === want));
  if (!found) throw badInput('err.rfm.segment', { value: raw, allowed: all.map((s) => `${s} (${segmentName(ctx, s)})`).join(', ') });
  return found;
}

async function rfm(ctx: Context, o: RfmOptions): Promise<void> {
  const format = formatOf(o);
  const scheme = (o.scheme ?? 'classic').trim().toLowerCase() as Scheme;
  if (!SCHEMES.includes(scheme)) throw badInput('err.rfm.scheme', { value: o.scheme ?? '', allowed: SCHEMES.join('|') });
  const window = parseDayLength(o.window ?? '365d', '--window');
  const { currency } = await ctx.settings();
  const asOf = await asOfDay(ctx, o.asOf);
  const start = windowStart(asOf, daysEnding(asOf, window));
  const db = await ctx.db();
  const scores = scoreRfm(rfmInputs(db, asOf, start), scheme);
  const prospects = prospectIds(db, asOf);
  if (o.save) saveRfm(db, scores, prospects, asOf);
  const money = (minor: number) => displayAmount(Math.round(minor), currency, ctx.lang);
  if (o.segment !== undefined) {
    const segment = parseSegment(ctx, o.segment, scheme);
    const limit = listLimit(o.limit, format);
    const members = segmentMembers(scores, prospects, segment);
    const shown = limit === null ? members : members.slice(0, limit);
    const customers = new Map(getCustomers(db, shown.map((s) => s.id)).map((c) => [c.id, c]));
    const columns: Column<RfmScore>[] = [
      { key: 'id', header: 'col.id', value: (s) => s.id, align: 'right' },
      { key: 'name', header: 'col.name', value: (s) => customers.get(s.id)?.name },
      { key: 'phone', header: 'col.phone', value: (s) => customers.get(s.id)?.phones.map((p) => p.e164) ?? [] },
      { key: 'r', header: 'col.r', value: (s) => s.r || null, align: 'right' },
      { key: 'f', header: 'col.f', value: (s) => s.f || null, align: 'right' },
      { key: 'm', header: 'col.m', value: (s) => s.m || null, align: 'right' },
      { key: 'days_since_order', header: 'col.recency', value: (s) => (Number.isNaN(s.recency) ? null : s.recency), align: 'right' },
      { key: 'orders', header: 'col.orders', value: (s) => s.frequency, align: 'right' },
      { key: 'spend', header: 'col.spend', value: (s) => (format === 'table' ? money(s.monetary) : s.monetary), align: 'right' },
    ];
    renderList(ctx, format, columns, shown);
    noteTruncation(ctx, o, limit, shown.length, () => members.length);
  } else {
    report(ctx, format, summarize(scores), prospects.length, money);
    if (format === 'table') ctx.err(ctx.t('rfm.head', { asOf, start, customers: scores.ids.length, prospects: prospects.length, scheme }));
  }
  if (o.save) ctx.err(ctx.t('rfm.saved', { count: scores.ids.length + prospects.length, asOf }));
}

function report(ctx: Context, format: Format, rows: SegmentSummary[], prospects: number, money: (minor: number) => string): void {
  const table = format === 'table';
  const columns: Column<SegmentSummary>[] = [
    { key: 'segment', header: 'col.segment', value: (s) => (table ? segmentName(ctx, s.segment) : s.segment) },
    { key: 'customers', header: 'col.customers', value: (s) => s.customers, align: 'right' },
    { key: 'share', header: 'col.share', value: (s) => (table ? percent(s.share) : roundTo(s.share, 4)), align: 'right' },
    { key: 'revenue_share', header: 'col.revenueShare', value: (s) => (table ? percent(s.revenueShare) : roundTo(s.revenueShare, 4)), align: 'right' },
    { key: 'avg_days_since_order', header: 'col.avgRecency', value: (s) => roundTo(s.avgRecency, 1), align: 'right' },
    { key: 'avg_orders', header: 'col.avgFrequency', value: (s) => roundTo(s.avgFrequency, 2), align: 'right' },
    { key: 'avg_spend', header: 'col.avgMonetary', value: (s) => (table ? money(s.avgMonetary) : Math.round(s.avgMonetary)), align: 'right' },
  ];
  renderList(ctx, format, columns, rows);
  if (!table) return;
  // The bar chart: each segment's share of customers.
  ctx.out('');
  barChart(ctx, rows.map((s) => ({ label: segmentName(ctx, s.segment), value: s.share, text: percent(s.share) })));
  if (prospects > 0) ctx.out(ctx.t('rfm.prospects', { count: prospects }));
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
  ).action((o: RfmOptions) => rfm(ctx, o));
  example(cmd, ctx, 'crm rfm', 'crm rfm --scheme cn8 --save', 'crm rfm --segment champions --limit 20', 'crm rfm --as-of 2026-06-30 --window 180d --format csv');
}

