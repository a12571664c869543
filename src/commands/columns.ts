// What a customer, an order and an interaction look like in every listing and export: one column
// list per record, shared by list, find, show and the demo overview, so their CSV and JSON agree.
import type { Profile } from '../app/customer.js';
import type { Context } from '../context.js';
import type { MessageId } from '../messages/index.js';
import type { Customer } from '../core/customer.js';
import { displayBirthday, formatLocal, isoInZone } from '../core/dates.js';
// The column rules only (core/import/index.js would load every row rule of an import, the lunar calendar with them).
import { FIELD_PREFIX, needsFieldPrefix } from '../core/import/columns.js';
import { fieldValue } from '../core/fields.js';
import { displayAmount, formatAmount, minorDigits } from '../core/money.js';
import { listWriter, parseFormat, renderList, selectColumns, toRecord, type Column } from '../io/output.js';
import type { CustomerFilter } from '../store/customer.js';
import type { InteractionRow } from '../store/interaction.js';
import type { TierChangeRow } from '../store/tier.js';
import type { OrderRow } from '../store/order.js';
import type { Refund } from '../store/refund.js';

/**
 * An amount column: a decimal string in the shop's currency for CSV and JSON ("2696.59"), with the
 * currency sign in tables; `minor` gives integer minor units (fractions of a unit are rounded), or null.
 */
export function moneyColumn<T>(ctx: Context, currency: string, key: string, header: MessageId | undefined, minor: (row: T) => number | null, more: Partial<Column<T>> = {}): Column<T> {
  const digits = minorDigits(currency);
  return {
    key,
    header,
    value: (r) => {
      const m = minor(r);
      return m === null ? null : formatAmount(Math.round(m), digits);
    },
    display: (r) => {
      const m = minor(r);
      return m === null ? '' : displayAmount(Math.round(m), currency, ctx.lang);
    },
    align: 'right',
    ...more,
  };
}

/**
 * Customer columns; custom fields follow as columns of their own (field:<key> if a built-in has the name).
 * `shown`: the keys a table will show, when the caller knows them ([] for CSV and JSON): the shop's
 * level names (app/tier.ts, the ladder read from the database) are looked up only for a table that shows the tier.
 */
export async function customerColumns(ctx: Context, rows: Customer[], shown?: readonly string[]): Promise<Column<Customer>[]> {
  const { currency, timezone } = await ctx.settings();
  const level = shown && !shown.includes('tier') ? null : await (await import('../app/tier.js')).levelNamer(ctx);
  const builtIn: Column<Customer>[] = [
    { key: 'id', header: 'col.id', value: (c) => c.id, align: 'right' },
    // A contact without a name yet is shown by its phone or email (machine formats keep the empty name).
    { key: 'name', header: 'col.name', value: (c) => c.name, display: (c) => c.name || (c.phones[0]?.e164 ?? c.email ?? c.externalId ?? ''), keep: 2 },
    { key: 'phone', header: 'col.phone', value: (c) => c.phones.map((p) => p.e164), keep: 2 },
    { key: 'email', header: 'col.email', value: (c) => c.email },
    { key: 'gender', header: 'col.gender', value: (c) => c.gender, display: (c) => (c.gender ? ctx.t(`gender.${c.gender}`) : '') },
    { key: 'birthday', header: 'col.birthday', value: (c) => c.birthday, display: (c) => (c.birthday ? displayBirthday(c.birthday, ctx.lang) : '') },
    { key: 'birthday_lunar', header: 'col.lunar', value: (c) => c.birthdayLunar },
    { key: 'birthday_leap', header: 'col.leapMonth', value: (c) => c.birthdayLeap ?? false, keep: -1 },
    { key: 'city', header: 'col.city', value: (c) => c.city },
    { key: 'address', header: 'col.address', value: (c) => c.address, keep: -2 },
    { key: 'external_id', header: 'col.externalId', value: (c) => c.externalId },
    { key: 'tags', header: 'col.tags', value: (c) => c.tags, keep: -1 },
    { key: 'tier', header: 'col.tier', value: (c) => c.tier, ...(level && { display: (c: Customer) => level(c.tier) }) },
    { key: 'orders', header: 'col.orders', value: (c) => c.orderCount, align: 'right' },
    moneyColumn(ctx, currency, 'spend', 'col.spend', (c) => c.orderTotal, { keep: 1 }),
    { key: 'first_order', header: 'col.firstOrder', value: (c) => c.firstOrderDay },
    { key: 'last_order', header: 'col.lastOrder', value: (c) => c.lastOrderDay, keep: 1 },
    { key: 'do_not_contact', header: 'col.doNotContact', value: (c) => c.doNotContact },
    { key: 'marketing_opt_out', header: 'col.noMarketing', value: (c) => c.marketingOptOut ?? false },
    { key: 'note', header: 'col.note', value: (c) => c.note, keep: -2 },
    { key: 'created_at', header: 'col.createdAt', value: (c) => isoInZone(c.createdAt, timezone), display: (c) => formatLocal(c.createdAt, timezone) },
    { key: 'updated_at', header: 'col.updatedAt', value: (c) => isoInZone(c.updatedAt, timezone), display: (c) => formatLocal(c.updatedAt, timezone) },
    // What was typed, where normalization changed it.
    { key: 'name_raw', header: 'col.nameRaw', value: (c) => c.nameRaw },
    { key: 'email_raw', header: 'col.emailRaw', value: (c) => c.emailRaw },
    { key: 'phone_raw', header: 'col.phoneRaw', value: (c) => (c.phones.some((p) => p.raw !== null) ? c.phones.map((p) => p.raw ?? '') : []), display: (c) => c.phones.map((p) => p.raw).filter(Boolean).join(', ') },
  ];
  const builtInKeys = new Set(builtIn.map((c) => c.key));
  const fieldKeys = [...new Set(rows.flatMap((c) => Object.keys(c.fields)))].sort();
  // A custom field whose name a built-in column or an import would take is written as field:<key>,
  // which `crm import` reads back as that custom field.
  const custom: Column<Customer>[] = fieldKeys.map((k) => ({ key: builtInKeys.has(k) || needsFieldPrefix(k) ? `${FIELD_PREFIX}${k}` : k, value: (c) => fieldValue(c.fields, k) }));
  return [...builtIn, ...custom];
}

/** The columns a customer table shows unless --columns says otherwise. */
export const CUSTOMER_TABLE_COLUMNS = ['id', 'name', 'phone', 'city', 'tags', 'orders', 'spend', 'last_order'];

/** Prints customers in the chosen format: a short table for people, every column for csv and json (list, find, demo). */
export async function printCustomers(ctx: Context, opts: { format?: string; columns?: string }, rows: Customer[]): Promise<void> {
  const format = parseFormat(opts.format ?? 'table');
  const keys = opts.columns ? opts.columns.split(',').map((s) => s.trim()).filter(Boolean) : format === 'table' ? CUSTOMER_TABLE_COLUMNS : undefined;
  // A table shows these keys' display text; CSV and JSON write values only.
  const all = await customerColumns(ctx, rows, format === 'table' ? keys : []);
  renderList(ctx, format, selectColumns(all, keys), rows);
}

/**
 * The columns of every customer a filter selects (built-in ones, then one per custom field key,
 * found by one query, not by loading them), picked by --columns: what list and export stream.
 */
export async function filteredCustomerColumns(ctx: Context, filter: CustomerFilter, columns: string | undefined): Promise<Column<Customer>[]> {
  const { customFieldKeys } = await import('../store/export.js');
  const keys = customFieldKeys(await ctx.db(), filter);
  // customerColumns only reads the keys of the fields of the rows it is given.
  const probe = { fields: Object.fromEntries(keys.map((k) => [k, ''])) } as unknown as Customer;
  return selectColumns(await customerColumns(ctx, [probe]), columns?.split(',').map((s) => s.trim()).filter(Boolean));
}

/** Streams the customers a filter selects as CSV, JSON or NDJSON, a batch at a time (memory stays flat). */
export async function streamCustomers(ctx: Context, format: 'csv' | 'json' | 'ndjson', filter: CustomerFilter, columns: string | undefined): Promise<void> {
  const out = listWriter(ctx, format, await filteredCustomerColumns(ctx, filter, columns));
  const { customerBatches } = await import('../store/export.js');
  for (const batch of customerBatches(await ctx.db(), filter)) out.add(batch);
  out.end();
}

/** The columns an order table leaves out when none of its orders was refunded. */
export const REFUND_COLUMNS = ['refunded', 'paid'];

export async function orderColumns(ctx: Context): Promise<Column<OrderRow>[]> {
  const { currency, timezone } = await ctx.settings();
  const { paidOf } = await import('../core/order.js'); // not for a customer listing
  return [
    { key: 'id', header: 'col.id', value: (r) => r.id, align: 'right' },
    { key: 'day', header: 'col.day', value: (r) => r.day, keep: 1 },
    { key: 'ordered_at', header: 'col.time', value: (r) => isoInZone(r.orderedAt, timezone), display: (r) => formatLocal(r.orderedAt, timezone).slice(11) },
    { key: 'customer_id', header: 'col.customerId', value: (r) => r.customerId, align: 'right' },
    { key: 'customer', header: 'col.customer', value: (r) => r.customerName },
    // amount is what the shop kept; paid is derived (an import reads it as the amount paid, and
    // subtracts refunded).
    moneyColumn(ctx, currency, 'amount', 'col.amount', (r) => r.amount),
    moneyColumn(ctx, currency, 'refunded', 'col.refunded', (r) => r.refunded),
    moneyColumn(ctx, currency, 'paid', 'col.paid', (r) => paidOf(r)),
    { key: 'order_no', header: 'col.orderNo', value: (r) => r.externalId },
    { key: 'note', header: 'col.note', value: (r) => r.note },
  ];
}

export async function refundColumns(ctx: Context): Promise<Column<Refund>[]> {
  const { currency, timezone } = await ctx.settings();
  return [
    { key: 'id', header: 'col.id', value: (r) => r.id, align: 'right' },
    { key: 'at', header: 'col.at', value: (r) => isoInZone(r.at, timezone), display: (r) => formatLocal(r.at, timezone), keep: 1 },
    moneyColumn(ctx, currency, 'amount', 'col.amount', (r) => r.amount),
    { key: 'complaint_id', header: 'col.refundComplaint', value: (r) => r.complaintId, align: 'right' },
    { key: 'note', header: 'col.note', value: (r) => r.note },
  ];
}

export async function interactionColumns(ctx: Context): Promise<Column<InteractionRow>[]> {
  const { timezone } = await ctx.settings();
  return [
    { key: 'id', header: 'col.id', value: (r) => r.id, align: 'right' },
    { key: 'at', header: 'col.at', value: (r) => isoInZone(r.at, timezone), display: (r) => formatLocal(r.at, timezone), keep: 1 },
    { key: 'customer_id', header: 'col.customerId', value: (r) => r.customerId, align: 'right' },
    { key: 'customer', header: 'col.customer', value: (r) => r.customerName },
    { key: 'type', header: 'col.type', value: (r) => r.type, display: (r) => ctx.t(`interaction.${r.type}`) },
    { key: 'note', header: 'col.note', value: (r) => r.note },
  ];
}

/**
 * A profile (`customer show --format json`): one record whose parts are records of their own columns
 * (the customer as in `customer list`, the orders and interactions as in their listings).
 */
export async function profileColumns(ctx: Context, p: Profile): Promise<Column<Profile>[]> {
  const { currency, timezone } = await ctx.settings();
  const digits = minorDigits(currency);
  const money = (m: number | null) => (m === null ? null : formatAmount(Math.round(m), digits));
  const [customer, orders, interactions] = [await customerColumns(ctx, [p.customer]), await orderColumns(ctx), await interactionColumns(ctx)];
  const summary: Column<Profile['summary']>[] = [
    { key: 'count', value: (s) => s.count },
    { key: 'total', value: (s) => money(s.total) },
    { key: 'refunded', value: (s) => money(s.refunded) },
    { key: 'average_order', value: (s) => money(s.averageOrder) },
    { key: 'first_day', value: (s) => s.firstDay },
    { key: 'last_day', value: (s) => s.lastDay },
    { key: 'average_interval_days', value: (s) => s.averageIntervalDays },
  ];
  type Clv = NonNullable<Profile['clv']>;
  const term = (c: Clv, k: string) => (c.terms[k] ?? null) as string | number | null;
  const clv: Column<Clv>[] = [
    { key: 'p_alive', value: (c) => c.row.pAlive },
    { key: 'expected_purchases', value: (c) => c.row.purchases },
    { key: 'expected_spend', value: (c) => money(c.row.spend) },
    { key: 'clv', value: (c) => money(c.row.clv) },
    { key: 'value_class', value: (c) => c.row.valueClass },
    { key: 'method', value: (c) => term(c, 'method') },
    { key: 'as_of', value: (c) => term(c, 'asOf') },
    { key: 'months', value: (c) => term(c, 'months') },
    { key: 'next_purchase_if_alive', value: (c) => c.nextIfAlive },
  ];
  type Rfm = NonNullable<Profile['rfm']>;
  const rfm: Column<Rfm>[] = [
    { key: 'r', value: (r) => r.r },
    { key: 'f', value: (r) => r.f },
    { key: 'm', value: (r) => r.m },
    { key: 'segment', value: (r) => r.segment },
    { key: 'scheme', value: (r) => r.scheme },
    { key: 'as_of', value: (r) => r.asOf },
  ];
  const lifecycle: Column<Profile['lifecycle']>[] = [
    { key: 'stage', value: (l) => l.stage },
    { key: 'usual_interval_days', value: (l) => l.interval },
    { key: 'next_purchase', value: (l) => l.next },
  ];
  const tierMoves: Column<TierChangeRow>[] = [
    { key: 'day', value: (t) => t.day },
    { key: 'from', value: (t) => t.from },
    { key: 'to', value: (t) => t.to },
    { key: 'direction', value: (t) => t.direction },
    { key: 'spend', value: (t) => money(t.spend) },
    { key: 'months', value: (t) => t.months },
    { key: 'threshold', value: (t) => money(t.threshold) },
  ];
  return [
    { key: 'customer', value: (x) => toRecord(customer, x.customer) },
    { key: 'order_summary', value: (x) => toRecord(summary, x.summary) },
    { key: 'clv', value: (x) => (x.clv ? toRecord(clv, x.clv) : null) },
    { key: 'rfm', value: (x) => (x.rfm ? toRecord(rfm, x.rfm) : null) },
    { key: 'lifecycle', value: (x) => toRecord(lifecycle, x.lifecycle) },
    { key: 'recent_orders', value: (x) => x.recentOrders.map((r) => toRecord(orders, r)) },
    { key: 'recent_interactions', value: (x) => x.interactions.map((r) => toRecord(interactions, r)) },
    { key: 'tier_history', value: (x) => x.tierMoves.map((r) => toRecord(tierMoves, r)) },
    { key: 'latest_survey', value: (x) => (x.latestSurvey ? { answered_at: isoInZone(x.latestSurvey.answeredAt, timezone), survey: x.latestSurvey.survey, answers: Object.fromEntries(Object.entries(x.latestSurvey.answers).map(([q, a]) => [q, a.score ?? a.text])) } : null) },
    { key: 'open_complaints', value: (x) => x.openComplaints.map((k) => ({ id: k.id, severity: k.severity, category: k.category, status: k.status, created_at: isoInZone(k.createdAt, timezone), due_at: k.dueAt ? isoInZone(k.dueAt, timezone) : null, description: k.description })) },
  ];
}
