// crm tier rules|set|apply|history|abc: member levels by rolling spend, with every move recorded,
// and ABC (Pareto) classes by revenue.
import type { Command } from 'commander';
import { readOnly, type Context } from '../context.js';
import { addMonths } from '../core/dates.js';
import { readMonths, sinceDay } from '../core/duration.js';
import { displayAmount, formatAmount, minorDigits, parseAmount } from '../core/money.js';
import { ABC_CLASSES, abcClasses, checkLadder, DEFAULT_ABC, ladderToJson, levelLabel, parsePercent, parseTierRule, summarizeAbc, type AbcSummary, type TierMove } from '../core/tier.js';
import { applyTiers, currentLadder, levelNamer } from '../app/tier.js';
import { badInput } from '../errors.js';
import type { MessageId } from '../messages/index.js';
import { listWriter, LONG_LIST_FORMATS, percent, renderList, roundTo, type Column } from '../io/output.js';
import { customerNames } from '../store/customer.js';
import { saveAbc, spendsInWindow, tierChanges, writeLadderJson } from '../store/tier.js';
import { moneyColumn } from './columns.js';
import { addFormatOption, asOfDay, example, formatOf, listLimit, noteTruncation, prompts, resolveCustomer, validateWith } from './common.js';


/** --months: a count of months (12, １２) or a length in months (12mo, 4q, 1y), 1 to 120; one line for anything else. */
function parseMonths(raw: string): number {
  const n = readMonths(raw);
  if (n === null || n < 1 || n > 120) throw badInput('err.tier.months', { value: raw });
  return n;
}

async function rules(ctx: Context, o: { format?: string }): Promise<void> {
  const format = formatOf(o);
  const { currency } = await ctx.settings();
  const { ladder, saved } = await currentLadder(ctx);
  type Rule = (typeof ladder.rules)[number];
  renderList<Rule>(
    ctx,
    format,
    [
      { key: 'level', header: 'col.level', value: (r) => r.name, display: (r) => levelLabel(r.name, ladder, ctx.lang) },
      moneyColumn(ctx, currency, 'min_spend', 'col.minSpend', (r) => r.minSpend),
      { key: 'months', header: 'col.months', value: () => ladder.months, align: 'right' },
    ],
    [...ladder.rules].reverse(),
  );
  if (format === 'table') ctx.err(ctx.t(saved ? 'tier.rulesHead' : 'tier.rulesDefault', { months: ladder.months }));
}

async function set(ctx: Context, raw: string[], o: { months?: string }): Promise<void> {
  const { currency } = await ctx.settings();
  const { ladder } = await currentLadder(ctx);
  const months = o.months === undefined ? ladder.months : parseMonths(o.months);
  let wanted = raw.map((r) => parseTierRule(r, currency));
  if (wanted.length === 0 && o.months === undefined) {
    if (!ctx.interactive) throw badInput('err.tier.noRules');
    // At a terminal: the threshold of each level, the current one offered.
    const ask = await prompts(ctx);
    const digits = minorDigits(currency);
    wanted = [];
    for (const r of ladder.rules) {
      const answer = await ask.input({
        message: ctx.t('prompt.tierMin', { level: r.name }),
        default: formatAmount(r.minSpend, digits),
        validate: validateWith(ctx, (v) => parseAmount(v, currency)),
      });
      wanted.push({ name: r.name, minSpend: parseAmount(answer, currency) });
    }
  }
  // Only new thresholds or months keep the default names (shown in each reader's language).
  const next = { ...checkLadder(wanted.length > 0 ? wanted : ladder.rules, months), defaultNames: raw.length === 0 && ladder.defaultNames };
  writeLadderJson(await ctx.db(), ladderToJson(next));
  // What was done goes to stdout, as every command that prints no data says it; the hint to stderr.
  ctx.out(ctx.t('tier.saved', { levels: next.rules.map((r) => `${r.name} ≥ ${displayAmount(r.minSpend, currency, ctx.lang)}`).join(', '), months: next.months }));
  ctx.err(ctx.t('tier.applyHint'));
}

const PIECE = 10_000;

/** Columns of a move: what `apply --dry-run` lists and `apply` reports. */
function moveColumns(ctx: Context, currency: string, name: (id: number) => string | undefined, level: (name: string | null) => string): Column<TierMove>[] {
  return [
    { key: 'id', header: 'col.id', value: (m) => m.id, align: 'right' },
    { key: 'name', header: 'col.name', value: (m) => name(m.id) },
    { key: 'from', header: 'col.fromTier', value: (m) => m.from, display: (m) => level(m.from) },
    { key: 'to', header: 'col.toTier', value: (m) => m.to, display: (m) => level(m.to) },
    { key: 'direction', header: 'col.direction', value: (m) => m.direction, display: (m) => ctx.t(`tier.${m.direction}` as MessageId) },
    moneyColumn(ctx, currency, 'spend', 'col.windowSpend', (m) => m.spend),
  ];
}

async function apply(ctx: Context, o: { asOf?: string; dryRun?: boolean; limit?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const { currency } = await ctx.settings();
  const asOf = await asOfDay(ctx, o.asOf);
  // Every option is read before anything is written: a command that fails writes nothing.
  const limit = listLimit(o.limit, format);
  const { start, customers, moves } = await applyTiers(ctx, asOf, o.dryRun ?? false);
  const shown = limit === null ? moves : moves.slice(0, limit);
  if (format !== 'table' || shown.length > 0) {
    // A first apply moves everyone: written a piece at a time, with only the piece's names read.
    const db = await ctx.db();
    let names = new Map<number, string>();
    const out = listWriter(ctx, format, moveColumns(ctx, currency, (id) => names.get(id), await levelNamer(ctx)));
    for (let start = 0; start < shown.length; start += PIECE) {
      const piece = shown.slice(start, start + PIECE);
      names = new Map(customerNames(db, piece.map((m) => m.id)));
      out.add(piece);
    }
    out.end();
  }
  noteTruncation(ctx, o, limit, shown.length, () => moves.length);
  const count = (d: TierMove['direction']) => moves.filter((m) => m.direction === d).length;
  const params = { up: count('up'), down: count('down'), set: count('set'), same: customers - moves.length, asOf, start };
  ctx.err(ctx.t(o.dryRun ? 'tier.dryRun' : 'tier.applied', params));
}

async function history(ctx: Context, ref: string | undefined, o: { since?: string; limit?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const { currency } = await ctx.settings();
  const customerId = ref === undefined ? undefined : (await resolveCustomer(ctx, ref)).id;
  const since = o.since === undefined ? undefined : sinceDay(o.since, (await ctx.settings()).timezone, ctx.now());
  const limit = listLimit(o.limit, format);
  const rows = tierChanges(await ctx.db(), { customerId, since, limit });
  const level = await levelNamer(ctx);
  renderList<(typeof rows)[number]>(ctx, format, [
    { key: 'day', header: 'col.day', value: (r) => r.day },
    { key: 'customer_id', header: 'col.customerId', value: (r) => r.customerId, align: 'right' },
    { key: 'customer', header: 'col.customer', value: (r) => r.customerName },
    { key: 'from', header: 'col.fromTier', value: (r) => r.from, display: (r) => level(r.from) },
    { key: 'to', header: 'col.toTier', value: (r) => r.to, display: (r) => level(r.to) },
    { key: 'direction', header: 'col.direction', value: (r) => r.direction, display: (r) => ctx.t(`tier.${r.direction}` as MessageId) },
    moneyColumn(ctx, currency, 'spend', 'col.windowSpend', (r) => r.spend),
    { key: 'months', header: 'col.months', value: (r) => r.months, align: 'right' },
    moneyColumn(ctx, currency, 'threshold', 'col.threshold', (r) => r.threshold),
  ], rows);
  noteTruncation(ctx, o, limit, rows.length);
}

interface AbcOptions {
  asOf?: string;
  months?: string;
  a?: string;
  b?: string;
  save?: boolean;
  format?: string;
}

async function abc(ctx: Context, o: AbcOptions): Promise<void> {
  const format = formatOf(o);
  const share = (raw: string | undefined, fallback: number, option: string) => {
    if (raw === undefined) return fallback;
    const v = parsePercent(raw);
    if (v === null) throw badInput('err.tier.percent', { option, value: raw });
    return v;
  };
  const a = share(o.a, DEFAULT_ABC.a, '--a');
  // B's default share leaves room for A: --a 90 alone means B 10%.
  const shares = { a, b: share(o.b, Math.min(DEFAULT_ABC.b, Math.max(0, 1 - a)), '--b') };
  if (shares.a <= 0 || shares.a + shares.b > 1) throw badInput('err.tier.abcShares', { a: shares.a * 100, b: shares.b * 100 });
  const months = parseMonths(o.months ?? '12');
  const { currency } = await ctx.settings();
  const asOf = await asOfDay(ctx, o.asOf);
  const start = addMonths(asOf, -months);
  const db = await ctx.db();
  const { ids, spends } = await spendsInWindow(db, start, asOf);
  const classes = abcClasses(spends, shares);
  if (o.save) saveAbc(db, ids, classes, ABC_CLASSES);
  const rows = summarizeAbc(spends, classes);
  const table = format === 'table';
  const columns: Column<AbcSummary>[] = [
    { key: 'class', header: 'col.abcClass', value: (r) => r.cls },
    { key: 'customers', header: 'col.customers', value: (r) => r.customers, align: 'right' },
    { key: 'share', header: 'col.share', value: (r) => roundTo(r.share, 4), display: (r) => percent(r.share), align: 'right' },
    moneyColumn(ctx, currency, 'revenue', 'col.revenue', (r) => r.revenue),
    { key: 'revenue_share', header: 'col.revenueShare', value: (r) => roundTo(r.revenueShare, 4), display: (r) => percent(r.revenueShare), align: 'right' },
    moneyColumn(ctx, currency, 'min_spend', 'col.minSpend', (r) => r.minSpend),
  ];
  renderList(ctx, format, columns, rows);
  if (table) {
    const [a, b] = rows as [AbcSummary, AbcSummary, AbcSummary];
    ctx.err(ctx.t('abc.head', { asOf, start, months, a: shares.a * 100, b: shares.b * 100 }));
    ctx.err(ctx.t('abc.pareto', { customers: percent(a.share), revenue: percent(a.revenueShare), bCustomers: percent(b.share), bRevenue: percent(b.revenueShare) }));
  }
  if (o.save) ctx.err(ctx.t('abc.saved', { count: ids.length }));
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm tier rules', 'crm tier apply --dry-run', 'crm tier abc');

  const rulesCmd = addFormatOption(cmd.command('rules').description(ctx.t('cmd.tier.rules')), ctx).action((o) => rules(ctx, o));
  example(rulesCmd, ctx, 'crm tier rules');

  const setCmd = cmd
    .command('set')
    .description(ctx.t('cmd.tier.set'))
    .argument('[level=min-spend...]', ctx.t('arg.tierRules'))
    .option('--months <n>', ctx.t('opt.tierMonths'))
    .action((raw: string[], o) => set(ctx, raw, o));
  example(setCmd, ctx, 'crm tier set 普通=0 银卡=1000 金卡=5000 钻石=20000', 'crm tier set Regular=0 Silver=800 Gold=3000 --months 6', 'crm tier set --months 24');

  const applyCmd = addFormatOption(
    cmd
      .command('apply')
      .description(ctx.t('cmd.tier.apply'))
      .option('--as-of <date>', ctx.t('opt.asOf'))
      .option('--dry-run', ctx.t('opt.tierDryRun'))
      .option('--limit <n>', ctx.t('opt.limit')),
    ctx,
    LONG_LIST_FORMATS,
  ).action((o) => apply(ctx, o));
  example(applyCmd, ctx, 'crm tier apply --dry-run', 'crm tier apply', 'crm tier apply --format csv > moves.csv');

  const historyCmd = addFormatOption(
    cmd
      .command('history')
      .description(ctx.t('cmd.tier.history'))
      .argument('[ref]', ctx.t('arg.refOptional'))
      .option('--since <when>', ctx.t('opt.tierSince'))
      .option('--limit <n>', ctx.t('opt.limit')),
    ctx,
  ).action((ref: string | undefined, o) => history(ctx, ref, o));
  example(historyCmd, ctx, 'crm tier history', 'crm tier history 13800138000', 'crm tier history --since 2026-11-01 --format csv');

  const abcCmd = addFormatOption(
    cmd
      .command('abc')
      .description(ctx.t('cmd.tier.abc'))
      .option('--as-of <date>', ctx.t('opt.asOf'))
      .option('--months <n>', ctx.t('opt.abcMonths'), '12')
      .option('--a <percent>', ctx.t('opt.abcA'))
      .option('--b <percent>', ctx.t('opt.abcB'))
      .option('--save', ctx.t('opt.abcSave')),
    ctx,
  ).action((o: AbcOptions) => abc(ctx, o));
  example(abcCmd, ctx, 'crm tier abc', 'crm tier abc --a 70 --b 20 --save', 'crm tier abc --months 24 --format json');
  readOnly(rulesCmd, historyCmd, abcCmd);
}
