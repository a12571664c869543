// crm coupon list|issue|show: the coupons sent with reminders and those given by hand.
import type { Command } from 'commander';
import { couponOfTyped } from '../app/coupon.js';
import { readOnly, type Context } from '../context.js';
import { couponExpiry, couponStatus, couponValueText, displayCode, parseCouponSpec, parseCouponStatus } from '../core/coupon.js';
import { formatLocal, isoInZone, parseDay } from '../core/dates.js';
import { formatAmount, minorDigits } from '../core/money.js';
import { badInput } from '../errors.js';
import { LONG_LIST_FORMATS, renderList, renderOne, type Column } from '../io/output.js';
import { couponByCode, issueCoupon, listCoupons, type CouponRow } from '../store/coupon.js';
import { transaction } from '../store/db.js';
import { moneyColumn } from './columns.js';
import { addFormatOption, example, formatOf, listLimit, noteTruncation, parsePositiveInt, resolveCustomer } from './common.js';

/** A coupon in every format: the code as people read it, whom it is for, its worth, its state. */
async function couponColumns(ctx: Context): Promise<Column<CouponRow>[]> {
  const { currency, timezone } = await ctx.settings();
  const today = await ctx.today();
  const digits = minorDigits(currency);
  const time = (at: string | null) => (at === null ? null : isoInZone(at, timezone));
  const localTime = (at: string | null) => (at === null ? '' : formatLocal(at, timezone));
  return [
    { key: 'code', header: 'col.code', value: (r) => displayCode(r.code) },
    { key: 'customer_id', header: 'col.customerId', value: (r) => r.customerId, align: 'right' },
    { key: 'customer', header: 'col.customer', value: (r) => r.customerName, keep: 1 },
    {
      key: 'value',
      header: 'col.couponValue',
      value: (r) => (r.kind === 'amount' ? formatAmount(r.value, digits) : `${r.value}%`),
      display: (r) => couponValueText({ ...r, minSpend: 0 }, currency, ctx.lang),
      align: 'right',
    },
    moneyColumn(ctx, currency, 'min_spend', 'col.minSpend', (r) => (r.minSpend > 0 ? r.minSpend : null)),
    { key: 'expires_on', header: 'col.expires', value: (r) => r.expiresOn, keep: 1 },
    { key: 'status', header: 'col.status', value: (r) => couponStatus(r, today), display: (r) => ctx.t(`coupon.status.${couponStatus(r, today)}`), keep: 2 },
    { key: 'issued_at', header: 'col.issued', value: (r) => time(r.issuedAt), display: (r) => localTime(r.issuedAt) },
    { key: 'redeemed_at', header: 'col.redeemed', value: (r) => time(r.redeemedAt), display: (r) => localTime(r.redeemedAt) },
    { key: 'order_id', header: 'col.order', value: (r) => r.orderId, align: 'right' },
    { key: 'rule', header: 'col.rule', value: (r) => r.rule, keep: -1 },
  ];
}

async function list(ctx: Context, ref: string | undefined, o: { status?: string; limit?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const limit = listLimit(o.limit, format);
  const status = o.status === undefined ? undefined : parseCouponStatus(o.status);
  const customerId = ref === undefined ? undefined : (await resolveCustomer(ctx, ref)).id;
  const rows = listCoupons(await ctx.db(), { customerId, status, today: await ctx.today(), limit });
  renderList(ctx, format, await couponColumns(ctx), rows);
  noteTruncation(ctx, o, limit, rows.length);
}

/** The last day a coupon given today can be used: --until as typed (not before today), else today + --days (30). */
function expiryOf(today: string, o: { days?: string; until?: string }): string {
  if (o.days !== undefined && o.until !== undefined) throw badInput('err.coupon.daysAndUntil');
  if (o.until === undefined) return couponExpiry(today, o.days === undefined ? 30 : parsePositiveInt(o.days, '--days'));
  const day = parseDay(o.until);
  if (day < today) throw badInput('err.coupon.untilPast', { day, today });
  return day;
}

async function issue(ctx: Context, ref: string, o: { value: string; days?: string; until?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const { currency } = await ctx.settings();
  const spec = parseCouponSpec(o.value, currency);
  const expiresOn = expiryOf(await ctx.today(), o);
  const customer = await resolveCustomer(ctx, ref);
  const db = await ctx.db();
  const coupon = transaction(db, () => issueCoupon(db, { customerId: customer.id, ...spec, expiresOn, issuedAt: ctx.nowIso() }));
  if (format === 'table') {
    const value = couponValueText(coupon, currency, ctx.lang);
    return ctx.out(ctx.t('msg.couponIssued', { code: displayCode(coupon.code), name: customer.name, value, day: expiresOn }));
  }
  renderOne(ctx, format, await couponColumns(ctx), couponByCode(db, coupon.code)!);
}

async function show(ctx: Context, typed: string, o: { format?: string }): Promise<void> {
  const coupon = couponOfTyped(await ctx.db(), typed);
  renderOne(ctx, formatOf(o), await couponColumns(ctx), coupon);
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm coupon issue 张伟 --value 20/100', 'crm coupon list --status issued');

  const listCmd = addFormatOption(
    cmd
      .command('list')
      .description(ctx.t('cmd.coupon.list'))
      .argument('[ref]', ctx.t('arg.refOptional'))
      .option('--status <status>', ctx.t('opt.couponStatus'))
      .option('--limit <n>', ctx.t('opt.limit')),
    ctx,
    LONG_LIST_FORMATS,
  ).action((ref, o) => list(ctx, ref, o));
  example(listCmd, ctx, 'crm coupon list', 'crm coupon list 13800138000', 'crm coupon list --status redeemed --format csv');

  const issueCmd = addFormatOption(
    cmd
      .command('issue')
      .description(ctx.t('cmd.coupon.issue'))
      .argument('<ref>', ctx.t('arg.ref'))
      .requiredOption('--value <value>', ctx.t('opt.couponValue'))
      .option('--days <n>', ctx.t('opt.couponDays'))
      .option('--until <day>', ctx.t('opt.couponUntil')),
    ctx,
  ).action((ref, o) => issue(ctx, ref, o));
  example(issueCmd, ctx, 'crm coupon issue 13800138000 --value 20', 'crm coupon issue 张伟 --value 10% --until 2026-12-31', 'crm coupon issue 张伟 --value 满100减20 --days 14');

  const showCmd = addFormatOption(cmd.command('show').description(ctx.t('cmd.coupon.show')).argument('<code>', ctx.t('arg.couponCode')), ctx).action((code, o) =>
    show(ctx, code, o),
  );
  example(showCmd, ctx, 'crm coupon show K7M2P-9QX4R', 'crm coupon show k7m2p9qx4r --format json');
  readOnly(listCmd, showCmd);
}
