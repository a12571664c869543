// crm demo: fills the database in use with a realistic, deterministic demo shop, then prints its overview.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { generateDemo } from '../core/demo/index.js';
import { displayAmount } from '../core/money.js';
import { badInput } from '../errors.js';
import { chalkFor } from '../io/output.js';
import { countCustomers, insertCustomer, deleteAllCustomers, listCustomers } from '../store/customer.js';
import { deferIndexes, LISTING_INDEXES, LOOKUP_INDEXES, transaction } from '../store/db.js';
import { countInteractions, insertInteraction } from '../store/interaction.js';
import { countOrders, insertOrder, OrderLoad } from '../store/order.js';
import { readSettings, writeSetting } from '../store/settings.js';
import { example, parsePositiveInt } from './common.js';
import { printCustomers } from './columns.js';

async function demo(ctx: Context, o: { customers: string; seed: string; orderRate?: string; force?: boolean }): Promise<void> {
  const customers = parsePositiveInt(o.customers, '--customers');
  const orderRate = o.orderRate === undefined ? 1 : Number(o.orderRate);
  if (!/^\d+(\.\d+)?$/.test(o.orderRate ?? '1') || !(orderRate > 0 && orderRate <= 10)) throw badInput('err.demo.orderRate', { value: o.orderRate ?? '' });
  if (!/^\d+$/.test(o.seed)) throw badInput('err.positiveInt', { option: '--seed', value: o.seed });
  const seed = Number(o.seed);
  const db = await ctx.db();
  const existing = countCustomers(db);
  if (existing > 0 && !o.force) throw badInput('err.demo.notEmpty', { path: ctx.dbPath, count: existing }, { id: 'hint.demo.force' });
  const { timezone } = await ctx.settings();
  const today = await ctx.today();
  const progress = ctx.io.stderr.isTTY && customers >= 10_000;
  transaction(db, () => {
    if (existing > 0) deleteAllCustomers(db);
    // Nothing reads the indexes while the demo writes: build them once, after the rows.
    const rebuild = customers >= 10_000 ? deferIndexes(db, [...LISTING_INDEXES, ...LOOKUP_INDEXES]) : null;
    // The orders as an import of a till's history writes them: in bulk, each customer's totals once (store/order.ts).
    const load = customers >= 10_000 ? new OrderLoad(db, { expectedRows: 0, createdAt: null, byNumber: false, newCustomers: customers }) : null;
    if (!('shop_name' in readSettings(db))) writeSetting(db, 'shop_name', ctx.t('demo.shopName'));
    let n = 0;
    for (const d of generateDemo({ customers, seed, today, timeZone: timezone, orderRate })) {
      const id = insertCustomer(db, d.fields, d.createdAt);
      for (const ord of d.orders) {
        const order = { customerId: id, externalId: ord.externalId, amount: ord.amount, orderedAt: ord.at, day: ord.day, note: ord.note };
        if (load) load.add(order);
        else insertOrder(db, order, ord.at);
      }
      for (const i of d.interactions) insertInteraction(db, { customerId: id, type: i.type, note: i.note, at: i.at }, i.at);
      if (progress && ++n % 10_000 === 0) ctx.io.stderr.write(`\r${ctx.t('demo.progress', { done: n, total: customers })}`);
    }
    load?.finish();
    rebuild?.();
    if (progress) ctx.io.stderr.write('\n');
  });
  ctx.forgetSettings();
  await printOverview(ctx);
}

/** The shop at a glance: counts, revenue and the best customers. */
async function printOverview(ctx: Context): Promise<void> {
  const db = await ctx.db();
  const { currency, shop_name } = await ctx.settings();
  const chalk = chalkFor(ctx);
  const count = (n: number) => n.toLocaleString(ctx.lang === 'zh' ? 'zh-CN' : 'en-US');
  const { orders, revenue } = countOrders(db);
  ctx.out(chalk.bold(shop_name));
  ctx.out(
    ctx.t('demo.overview', {
      customers: count(countCustomers(db)),
      orders: count(orders),
      revenue: displayAmount(revenue, currency, ctx.lang),
      interactions: count(countInteractions(db)),
      path: ctx.dbPath,
    }),
  );
  ctx.out(`\n${chalk.bold(ctx.t('demo.top'))}`);
  await printCustomers(ctx, {}, listCustomers(db, { sort: 'spend', limit: 10 }));
  ctx.out(`\n${ctx.t('demo.next')}`);
}

export function register(cmd: Command, ctx: Context): void {
  cmd
    .option('--customers <n>', ctx.t('opt.demoCustomers'), '2000')
    .option('--seed <n>', ctx.t('opt.seed'), '1')
    .option('--order-rate <x>', ctx.t('opt.orderRate'))
    .option('--force', ctx.t('opt.force'))
    .action((o) => demo(ctx, o));
  example(cmd, ctx, 'crm --db demo.db demo', 'crm demo --customers 100000 --seed 7 --force');
}
