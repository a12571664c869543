// crm stats: the shop's figures for this month (quarter, year) against the one before, with the
// customers by lifecycle stage and member level.
import type { Command } from 'commander';
import { readOnly, type Context } from '../context.js';
import { addDays, dayEndInstant } from '../core/dates.js';
import { parsePeriod } from '../core/duration.js';
import { STAGES } from '../core/lifecycle.js';
import { displayAmount, formatAmount, minorDigits } from '../core/money.js';
import { change, churnRate, comparedSpans, defaultAsOf, PERIODS, rate, stageCounts, type Period } from '../core/stats.js';
import { badInput } from '../errors.js';
import { percent, renderList, roundTo, signedPercent, type Column } from '../io/output.js';
import { rulesLine, stageName, stagesAt } from '../app/lifecycle.js';
import { currentLadder } from '../app/tier.js';
import { levelLabel } from '../core/tier.js';
import { complaintsBetween, periodTotals, type PeriodTotals } from '../store/stats.js';
import { responsesBetween } from '../store/survey.js';
import { csatOf, csatQuestion, npsOf, npsQuestion } from '../core/survey.js';
import { currentSurvey } from '../app/survey.js';
import { tierCountsAt } from '../store/tier.js';
import { addFormatOption, asOfDay, example, formatOf } from './common.js';

interface Row {
  metric: string;
  label: string;
  /** score: a number on its own scale (NPS -100..100), changed by the difference. */
  kind: 'count' | 'money' | 'rate' | 'score';
  current: number | null;
  previous: number | null;
}

async function stats(ctx: Context, o: { period?: string; asOf?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const period = parsePeriod(o.period ?? 'month') as Period;
  if (!PERIODS.includes(period)) throw badInput('err.stats.period', { value: o.period ?? '', allowed: PERIODS.join('|') });
  const { currency, timezone } = await ctx.settings();
  const { asOf, lastComplete } = o.asOf === undefined ? defaultAsOf(await asOfDay(ctx, undefined), period) : { asOf: await asOfDay(ctx, o.asOf), lastComplete: false };
  const { current, previous } = comparedSpans(asOf, period);
  const db = await ctx.db();
  const [cur, prev] = (await periodTotals(db, [current, previous].map((s) => ({ ...s, endAt: dayEndInstant(s.end, timezone) })))) as [PeriodTotals, PeriodTotals];
  // Stages at each span's end, and the day before each starts (for churn over the span).
  const days = [current.end, previous.end, addDays(current.start, -1), addDays(previous.start, -1)];
  const { table, rules } = await stagesAt(ctx, days);
  const [stagesNow, stagesBefore] = [stageCounts(table.stages[0]!, cur.customers), stageCounts(table.stages[1]!, prev.customers)];
  const rows: Row[] = [
    { metric: 'customers', label: ctx.t('stats.customers'), kind: 'count', current: cur.customers, previous: prev.customers },
    { metric: 'new_customers', label: ctx.t('stats.new'), kind: 'count', current: cur.newCustomers, previous: prev.newCustomers },
    { metric: 'active_customers', label: ctx.t('stats.active'), kind: 'count', current: cur.active, previous: prev.active },
    { metric: 'orders', label: ctx.t('stats.orders'), kind: 'count', current: cur.orders, previous: prev.orders },
    { metric: 'revenue', label: ctx.t('stats.revenue'), kind: 'money', current: cur.revenue, previous: prev.revenue },
    { metric: 'average_order_value', label: ctx.t('stats.aov'), kind: 'money', current: avg(cur.revenue, cur.orders), previous: avg(prev.revenue, prev.orders) },
    { metric: 'repurchase_rate', label: ctx.t('stats.repurchase'), kind: 'rate', current: rate(cur.repeat, cur.active), previous: rate(prev.repeat, prev.active) },
    { metric: 'churn_rate', label: ctx.t('stats.churn'), kind: 'rate', current: churnRate(table.stages[2]!, table.stages[0]!), previous: churnRate(table.stages[3]!, table.stages[1]!) },
    ...STAGES.map((s, i): Row => ({ metric: `stage:${s}`, label: `${ctx.t('col.stage')}: ${stageName(ctx, s)}`, kind: 'count', current: stagesNow[i]!, previous: stagesBefore[i]! })),
  ];
  // Complaints recorded, and what the satisfaction surveys answered in each span (NPS, CSAT).
  const spanAt = (sp: { start: string; end: string }) => [dayEndInstant(addDays(sp.start, -1), timezone), dayEndInstant(sp.end, timezone)] as const;
  const [curAt, prevAt] = [spanAt(current), spanAt(previous)];
  rows.push({ metric: 'complaints', label: ctx.t('stats.complaints'), kind: 'count', current: complaintsBetween(db, ...curAt), previous: complaintsBetween(db, ...prevAt) });
  const { survey } = await currentSurvey(ctx);
  const satisfaction = (from: string, to: string) => {
    const answers = responsesBetween(db, from, to, null);
    const of = (q: { id: string } | undefined) => (q ? answers.map((r) => r.scores[q.id]).filter((x): x is number => x !== undefined) : []);
    return { nps: npsOf(of(npsQuestion(survey))), csat: csatOf(of(csatQuestion(survey))) };
  };
  const [satNow, satBefore] = [satisfaction(...curAt), satisfaction(...prevAt)];
  rows.push({ metric: 'nps', label: ctx.t('stats.nps'), kind: 'score', current: satNow.nps, previous: satBefore.nps });
  rows.push({ metric: 'csat', label: ctx.t('stats.csat'), kind: 'rate', current: satNow.csat, previous: satBefore.csat });
  const tiersNow = new Map(tierCountsAt(db, current.end, dayEndInstant(current.end, timezone)).map((t) => [t.tier, t.customers]));
  const tiersBefore = new Map(tierCountsAt(db, previous.end, dayEndInstant(previous.end, timezone)).map((t) => [t.tier, t.customers]));
  const { ladder: shopLadder } = await currentLadder(ctx);
  const ladder = shopLadder.rules.map((r) => r.name).reverse();
  const levels = [...new Set([...ladder, ...tiersNow.keys(), ...tiersBefore.keys()])];
  for (const level of levels) {
    rows.push({
      metric: `tier:${level ?? ''}`,
      label: `${ctx.t('col.tier')}: ${level === null ? ctx.t('tier.none') : levelLabel(level, shopLadder, ctx.lang)}`,
      kind: 'count',
      current: tiersNow.get(level) ?? 0,
      previous: tiersBefore.get(level) ?? 0,
    });
  }
  const digits = minorDigits(currency);
  // One definition for every format: values for machines (amounts as decimal strings, shares to
  // four places), display for people (money, percents, a rate's change in points).
  const value = (r: Row, v: number | null): string | number | null => {
    if (v === null) return null;
    if (r.kind === 'money') return formatAmount(Math.round(v), digits);
    if (r.kind === 'rate') return roundTo(v, 4);
    if (r.kind === 'score') return roundTo(v, 1);
    return v;
  };
  const display = (r: Row, v: number | null): string => {
    if (v === null) return '—';
    if (r.kind === 'money') return displayAmount(Math.round(v), currency, ctx.lang);
    if (r.kind === 'rate') return percent(v);
    if (r.kind === 'score') return String(roundTo(v, 1));
    return String(v);
  };
  const delta = (r: Row) => change(r.current, r.previous, r.kind === 'rate' || r.kind === 'score' ? 'rate' : 'count');
  const columns: Column<Row>[] = [
    { key: 'metric', header: 'col.metric', value: (r) => r.metric, display: (r) => r.label },
    { key: 'current', header: 'col.current', value: (r) => value(r, r.current), display: (r) => display(r, r.current), align: 'right' },
    { key: 'previous', header: 'col.previous', value: (r) => value(r, r.previous), display: (r) => display(r, r.previous), align: 'right' },
    {
      key: 'change',
      header: 'col.change',
      value: (r) => {
        const d = delta(r);
        return d === null ? null : roundTo(d, 4);
      },
      display: (r) => {
        const d = delta(r);
        if (d === null) return '—';
        // A rate's change is in points: +0.7 pts, where a count's is relative: +16.1%.
        if (r.kind === 'score') return `${d >= 0 ? '+' : ''}${roundTo(d, 1)}`;
        return r.kind === 'rate' ? `${signedPercent(d).slice(0, -1)} ${ctx.t('stats.points')}` : signedPercent(d);
      },
      align: 'right',
    },
  ];
  renderList(ctx, format, columns, rows);
  if (format === 'table') {
    ctx.err(ctx.t('stats.head', { start: current.start, end: current.end, prevStart: previous.start, prevEnd: previous.end }));
    if (lastComplete) ctx.err(ctx.t('stats.lastComplete', { today: addDays(asOf, 1), period: ctx.t(`stats.period.${period}`) }));
    ctx.err(ctx.t('stats.definitions', { churnDays: rules.churnDays }));
    ctx.err(rulesLine(ctx, current.end, rules, table.shopIntervals[0]!));
  }
}

const avg = (total: number, n: number) => (n > 0 ? total / n : null);

export function register(cmd: Command, ctx: Context): void {
  addFormatOption(cmd.option('--period <period>', ctx.t('opt.period'), 'month').option('--as-of <date>', ctx.t('opt.asOf')), ctx).action((o) => stats(ctx, o));
  example(cmd, ctx, 'crm stats', 'crm stats --period quarter', 'crm stats --period year --as-of 2025-12-31 --format csv');
  readOnly(cmd);
}
