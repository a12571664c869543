// crm order add|list|show|refund|rm
import type { Command } from 'commander';
import { usableCoupon } from '../app/coupon.js';
import { refund as refundOrder } from '../app/refund.js';
import { readOnly, type Context } from '../context.js';
import { couponValueText, displayCode } from '../core/coupon.js';
import { parseWhen } from '../core/dates.js';
import { displayAmount, parseAmount } from '../core/money.js';
import { paidOf } from '../core/order.js';
import { cleanLine } from '../core/text.js';
import { cleanNote } from '../core/limits.js';
import { badInput, failure } from '../errors.js';
import { renderList, renderOne, toRecord, type Column, type Format } from '../io/output.js';
import { redeemCoupon } from '../store/coupon.js';
import { transaction } from '../store/db.js';
import { deleteOrder, findOrderByExternalId, getOrder, insertOrder, listOrders, type OrderRow } from '../store/order.js';
import { listRefunds } from '../store/refund.js';
import { orderColumns, REFUND_COLUMNS, refundColumns } from './columns.js';
import { addFormatOption, addOrderFilterOptions, example, formatOf, orderFilterOf, listLimit, noteTruncation, parsePositiveInt, prompts, resolveCustomer, validateWith } from './common.js';

async function add(ctx: Context, ref: string, o: { amount?: string; date?: string; note?: string; id?: string; coupon?: string; allowFuture?: boolean }): Promise<void> {
  const { currency, timezone } = await ctx.settings();
  let raw = o.amount;
  if (raw === undefined) {
    if (!ctx.interactive) throw badInput('err.amount.required');
    raw = await (await prompts(ctx)).input({ message: ctx.t('prompt.amount'), required: true, validate: validateWith(ctx, (v) => parseAmount(v, currency)) });
  }
  const amount = parseAmount(raw, currency);
  const when = parseWhen(o.date ?? 'now', timezone, ctx.now());
  // An order after today is a mistyped year (2027 for 2026), not a sale: refused unless asked for.
  const today = await ctx.today();
  if (when.day > today && !o.allowFuture) throw badInput('err.order.future', { day: when.day, today }, { id: 'hint.allowFuture' });
  const externalId = o.id === undefined ? null : cleanLine('externalId', o.id);
  const note = cleanNote(o.note ?? '');
  const c = await resolveCustomer(ctx, ref);
  const db = await ctx.db();
  // A coupon is redeemed with the order or not at all: refused, it leaves no order behind.
  const { id, coupon } = transaction(db, () => {
    if (externalId && findOrderByExternalId(db, externalId)) throw badInput('err.order.duplicate', { id: externalId });
    const coupon = o.coupon === undefined ? null : usableCoupon(db, o.coupon, { customerId: c.id, amount, today: when.day, zone: timezone, currency });
    const id = insertOrder(db, { customerId: c.id, externalId, amount, orderedAt: when.at, day: when.day, note }, ctx.nowIso());
    if (coupon) redeemCoupon(db, coupon.code, id, when.at);
    return { id, coupon };
  });
  ctx.out(ctx.t('msg.orderAdded', { id, name: c.name, amount: displayAmount(amount, currency, ctx.lang), day: when.day }));
  if (coupon) ctx.out(ctx.t('msg.couponRedeemed', { code: displayCode(coupon.code), value: couponValueText(coupon, currency, ctx.lang) }));
}

async function list(ctx: Context, ref: string | undefined, o: { since?: string; limit?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const limit = listLimit(o.limit, format);
  const rows = listOrders(await ctx.db(), await orderFilterOf(ctx, ref, o, limit));
  const columns = await orderColumns(ctx);
  // A table for people shows what was refunded and paid only when some order was refunded.
  const refunds = format !== 'table' || rows.some((r) => r.refunded > 0);
  renderList(ctx, format, refunds ? columns : columns.filter((c) => !REFUND_COLUMNS.includes(c.key)), rows);
  noteTruncation(ctx, o, limit, rows.length);
}

/** An order as `order show` and `order refund` print it: its record, then its refunds. */
async function printOrder(ctx: Context, format: Format, order: OrderRow): Promise<void> {
  const refunds = listRefunds(await ctx.db(), order.id);
  const [columns, refundCols] = [await orderColumns(ctx), await refundColumns(ctx)];
  if (format === 'json') {
    const all: Column<OrderRow>[] = [...columns, { key: 'refunds', value: () => refunds.map((r) => toRecord(refundCols, r)) }];
    return renderOne(ctx, format, all, order);
  }
  renderOne(ctx, format, columns, order);
  if (refunds.length === 0) return;
  ctx.out(`\n${ctx.t('order.refunds')}`);
  renderList(ctx, format, refundCols, refunds);
}

async function show(ctx: Context, rawId: string, o: { format?: string }): Promise<void> {
  const id = parsePositiveInt(rawId, '<id>');
  const order = getOrder(await ctx.db(), id);
  if (!order) throw failure('err.order.notFound', { id });
  await printOrder(ctx, formatOf(o), order);
}

async function refund(ctx: Context, rawId: string, o: { amount?: string; note?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const orderId = parsePositiveInt(rawId, '<id>');
  const { currency } = await ctx.settings();
  const amount = o.amount === undefined ? undefined : parseAmount(o.amount, currency);
  const done = await refundOrder(ctx, { orderId, amount, note: o.note });
  if (format !== 'table') return printOrder(ctx, format, done.order);
  const money = (m: number) => displayAmount(m, currency, ctx.lang);
  const { order } = done;
  ctx.out(ctx.t('msg.orderRefunded', { amount: money(done.amount), id: order.id, name: order.customerName, paid: money(paidOf(order)), refunded: money(order.refunded), left: money(order.amount) }));
}

async function rm(ctx: Context, rawId: string, o: { yes?: boolean }): Promise<void> {
  const id = parsePositiveInt(rawId, '<id>');
  const db = await ctx.db();
  const order = getOrder(db, id);
  if (!order) throw failure('err.order.notFound', { id });
  const { currency } = await ctx.settings();
  const [amount, refunded] = [order.amount, order.refunded].map((m) => displayAmount(m, currency, ctx.lang));
  const what = { id, name: order.customerName, amount: amount!, refunded: refunded!, day: order.day };
  if (!o.yes) {
    if (!ctx.interactive) throw badInput('err.order.rmConfirm', what, { id: 'hint.yes' });
    if (!(await (await prompts(ctx)).confirm({ message: ctx.t('prompt.orderRm', what), default: false }))) return ctx.err(ctx.t('msg.cancelled'));
  }
  transaction(db, () => deleteOrder(db, id));
  ctx.out(ctx.t(order.refunded > 0 ? 'msg.orderRemovedRefunded' : 'msg.orderRemoved', what));
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm order add 13800138000 --amount 128.50', 'crm order list 张伟', 'crm order refund 1024 --amount 50');

  const addCmd = cmd
    .command('add')
    .description(ctx.t('cmd.order.add'))
    .argument('<ref>', ctx.t('arg.ref'))
    .option('--amount <amount>', ctx.t('opt.amount'))
    .option('--date <when>', ctx.t('opt.date'))
    .option('--id <order-no>', ctx.t('opt.orderNo'))
    .option('--note <text>', ctx.t('opt.note'))
    .option('--coupon <code>', ctx.t('opt.coupon'))
    .option('--allow-future', ctx.t('opt.allowFuture'))
    .action((ref, o) => add(ctx, ref, o));
  example(
    addCmd,
    ctx,
    'crm order add 13800138000 --amount 128.50',
    'crm order add 张伟 --amount ¥1,280 --date 2026-02-14 --id SO-20260214-001 --note 情人节礼盒',
    'crm order add 张伟 --amount 100 --coupon K7M2P-9QX4R',
  );

  const listCmd = addFormatOption(addOrderFilterOptions(cmd.command('list').description(ctx.t('cmd.order.list')), ctx), ctx).action((ref, o) =>
    list(ctx, ref, o),
  );
  example(listCmd, ctx, 'crm order list', 'crm order list 13800138000 --format csv', 'crm order list --since 2026-01-01 --format json');

  const showCmd = addFormatOption(cmd.command('show').description(ctx.t('cmd.order.show')).argument('<id>', ctx.t('arg.orderId')), ctx, ['table', 'json']).action(
    (id, o) => show(ctx, id, o),
  );
  example(showCmd, ctx, 'crm order show 1024', 'crm order show 1024 --format json');

  const refundCmd = addFormatOption(
    cmd
      .command('refund')
      .description(ctx.t('cmd.order.refund'))
      .argument('<id>', ctx.t('arg.orderId'))
      .option('--amount <amount>', ctx.t('opt.refundAmount'))
      .option('--note <text>', ctx.t('opt.refundNote')),
    ctx,
    ['table', 'json'],
  ).action((id, o) => refund(ctx, id, o));
  example(refundCmd, ctx, 'crm order refund 1024', 'crm order refund 1024 --amount 50 --note 少发一件', 'crm order refund 1024 --amount ¥30 --format json');

  const rmCmd = cmd
    .command('rm')
    .description(ctx.t('cmd.order.rm'))
    .argument('<id>', ctx.t('arg.orderId'))
    .option('-y, --yes', ctx.t('opt.yes'))
    .action((id, o) => rm(ctx, id, o));
  example(rmCmd, ctx, 'crm order rm 1024', 'crm order rm 1024 --yes   # in a script');
  readOnly(listCmd, showCmd);
}
