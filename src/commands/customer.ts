// crm customer add|show|list|edit|rm
import type { Command } from 'commander';
import type { Context } from '../context.js';
import {
  applyCustomerEdit,
  isEmptyEdit,
  parseCustomerInput,
  type Customer,
  type CustomerEdit,
  type CustomerInput,
} from '../core/customer.js';
import type { BgnbdParams } from '../core/clv/index.js';
import { daysBetween, formatLocal, parseBirthday } from '../core/dates.js';
import { sinceWhen } from '../core/duration.js';
import { dayNumber, dayString, purchaseDays } from '../core/lifecycle.js';
import { displayAmount, formatAmount, minorDigits } from '../core/money.js';
import { summarizeOrders } from '../core/order.js';
import { normalizePhone } from '../core/phone.js';
import { normalizeEmail, normalizeTag } from '../core/text.js';
import { resolveLevelName } from '../core/tiers.js';
import { badInput, failure } from '../errors.js';
import type { MessageId } from '../messages/index.js';
import { chalkFor, percent, renderList, renderRecord, selectColumns, toRecord } from '../io/output.js';
import {
  CUSTOMER_SORTS,
  countMatchingCustomers,
  deleteCustomer,
  customersSharingContact,
  getCustomer,
  insertCustomer,
  listCustomers,
  updateCustomer,
  type CustomerFilter,
  type CustomerSort,
} from '../store/customers.js';
import { customersAtStage, lifecycleOf, stageOption } from '../app/lifecycle.js';
import { transaction } from '../store/db.js';
import { listInteractions } from '../store/interactions.js';
import { listOrders } from '../store/orders.js';
import { tierInUse } from '../store/tiers.js';
import { savedClv } from '../store/clv.js';
import { savedRfm } from '../store/rfm.js';
import { CUSTOMER_TABLE_COLUMNS, customerColumns, interactionColumns, orderColumns } from './columns.js';
import { addFormatOption, collect, example, formatOf, listLimit, noteTruncation, prompts, resolveCustomer, validateWith } from './common.js';

/** Prints customers in the chosen format: a short table for people, every column for csv and json. */
export async function printCustomers(ctx: Context, opts: { format?: string; columns?: string }, rows: Customer[]): Promise<void> {
  const format = formatOf(opts);
  const all = await customerColumns(ctx, rows);
  const keys = opts.columns ? opts.columns.split(',').map((s) => s.trim()).filter(Boolean) : format === 'table' ? CUSTOMER_TABLE_COLUMNS : undefined;
  renderList(ctx, format, selectColumns(all, keys), rows);
}

interface CustomerFlags {
  name?: string;
  phone?: string[];
  email?: string;
  gender?: string;
  birthday?: string;
  lunar?: boolean;
  city?: string;
  address?: string;
  externalId?: string;
  note?: string;
  tag?: string[];
  field?: string[];
  doNotContact?: boolean;
}

function addFieldOptions(cmd: Command, ctx: Context): Command {
  return cmd
    .option('--name <name>', ctx.t('opt.name'))
    .option('--email <email>', ctx.t('opt.email'))
    .option('--gender <gender>', ctx.t('opt.gender'))
    .option('--birthday <date>', ctx.t('opt.birthday'))
    .option('--lunar', ctx.t('opt.lunar'))
    .option('--city <city>', ctx.t('opt.city'))
    .option('--address <address>', ctx.t('opt.address'))
    .option('--external-id <id>', ctx.t('opt.externalId'))
    .option('--note <text>', ctx.t('opt.note'))
    .option('--field <key=value>', ctx.t('opt.field'), collect)
    .option('--do-not-contact', ctx.t('opt.doNotContact'));
}

/** Asks for the fields of a new customer that the flags did not give. */
async function promptNewCustomer(ctx: Context, input: CustomerInput, country: string): Promise<CustomerInput> {
  const p = await prompts(ctx);
  const out = { ...input };
  out.name ??= await p.input({ message: ctx.t('prompt.name'), required: true, validate: validateWith(ctx, (v) => v.trim() || parseCustomerInput({}, { country })) });
  if (!out.phones?.length) {
    const phone = await p.input({ message: ctx.t('prompt.phone'), validate: validateWith(ctx, (v) => v.trim() && normalizePhone(v, country)) });
    out.phones = phone.trim() ? [phone] : [];
  }
  out.email ??= await p.input({ message: ctx.t('prompt.email'), validate: validateWith(ctx, (v) => v.trim() && normalizeEmail(v)) });
  out.gender ??= await p.select<string>({
    message: ctx.t('prompt.gender'),
    choices: [
      { name: ctx.t('gender.unknown'), value: '' },
      { name: ctx.t('gender.female'), value: 'female' },
      { name: ctx.t('gender.male'), value: 'male' },
      { name: ctx.t('gender.other'), value: 'other' },
    ],
  });
  out.birthday ??= await p.input({ message: ctx.t('prompt.birthday'), validate: validateWith(ctx, (v) => v.trim() && parseBirthday(v, input.lunar ?? false)) });
  out.city ??= await p.input({ message: ctx.t('prompt.city') });
  return out;
}

function toInput(o: CustomerFlags): CustomerInput {
  return {
    name: o.name,
    phones: o.phone,
    email: o.email,
    gender: o.gender,
    birthday: o.birthday,
    lunar: o.lunar,
    city: o.city,
    address: o.address,
    externalId: o.externalId,
    note: o.note,
    tags: o.tag,
    fields: o.field,
    doNotContact: o.doNotContact,
  };
}

async function add(ctx: Context, o: CustomerFlags & { format?: string }): Promise<void> {
  const { country } = await ctx.settings();
  let input = toInput(o);
  if (input.name === undefined) {
    if (!ctx.interactive) throw badInput('err.name.required', {}, { id: 'hint.name.flag' });
    input = await promptNewCustomer(ctx, input, country);
  }
  const fields = parseCustomerInput(input, { country });
  const db = await ctx.db();
  // Likely duplicates (same phone or email) are told, not refused: families share a phone.
  const twins = customersSharingContact(db, fields);
  const id = transaction(db, () => insertCustomer(db, fields, ctx.nowIso()));
  for (const t of twins) ctx.err(ctx.t('warn.possibleDuplicate', { id: t.id, name: t.name }));
  if (o.format === 'json') {
    const created = getCustomer(db, id)!;
    ctx.out(JSON.stringify(toRecord(await customerColumns(ctx, [created]), created), null, 2));
  } else ctx.out(ctx.t('msg.customerAdded', { id, name: fields.name }));
}

async function show(ctx: Context, ref: string, o: { format?: string }): Promise<void> {
  const c = await resolveCustomer(ctx, ref);
  const db = await ctx.db();
  const { currency, timezone } = await ctx.settings();
  const orders = listOrders(db, { customerId: c.id });
  const summary = summarizeOrders(orders);
  const interactions = listInteractions(db, { customerId: c.id, limit: 5 });
  const format = formatOf(o);
  if (format === 'csv') throw badInput('err.format', { value: 'csv', allowed: 'table|json' });
  const life = await lifecycleOf(ctx, orders.map((ord) => ord.day));
  if (format === 'json') {
    const [customer, orderCols, interactionCols] = [await customerColumns(ctx, [c]), await orderColumns(ctx), await interactionColumns(ctx)];
    const savedCv = savedClv(db, c.id);
    const digits = minorDigits(currency);
    ctx.out(
      JSON.stringify(
        {
          customer: toRecord(customer, c),
          order_summary: {
            count: summary.count,
            total: formatAmount(summary.total, digits),
            average_order: summary.averageOrder === null ? null : formatAmount(summary.averageOrder, digits),
            first_day: summary.firstDay,
            last_day: summary.lastDay,
            average_interval_days: summary.averageIntervalDays,
          },
          clv: savedCv
            ? {
                p_alive: savedCv.row.pAlive,
                expected_purchases: savedCv.row.purchases,
                expected_spend: formatAmount(Math.round(savedCv.row.spend), digits),
                clv: formatAmount(Math.round(savedCv.row.clv), digits),
                value_class: savedCv.row.valueClass,
                method: savedCv.terms.method ?? null,
                as_of: savedCv.terms.asOf ?? null,
                months: savedCv.terms.months ?? null,
                next_purchase_if_alive: await modelNextPurchase(savedCv.terms, orders.map((o) => o.day)),
              }
            : null,
          rfm: ((r) => (r ? { r: r.r, f: r.f, m: r.m, segment: r.segment, scheme: r.scheme, as_of: r.asOf } : null))(savedRfm(db, c.id)),
          lifecycle: {
            stage: life.stage,
            usual_interval_days: life.interval,
            next_purchase: life.next,
          },
          recent_orders: orders.slice(0, 5).map((r) => toRecord(orderCols, r)),
          recent_interactions: interactions.map((r) => toRecord(interactionCols, r)),
        },
        null,
        2,
      ),
    );
    return;
  }
  const chalk = chalkFor(ctx);
  const money = (m: number) => displayAmount(m, currency, ctx.lang);
  const dash = ctx.t('profile.none');
  ctx.out(
    `${chalk.bold(`#${c.id} ${c.name}`)}${c.tags.length ? `  ${c.tags.map((t) => chalk.cyan(`[${t}]`)).join(' ')}` : ''}${c.doNotContact ? `  ${chalk.red(ctx.t('profile.doNotContact'))}` : ''}`,
  );
  const pairs: [string, string][] = [
    [ctx.t('col.phone'), c.phones.map((p) => p.e164).join(', ') || dash],
    [ctx.t('col.email'), c.email ?? dash],
    [ctx.t('col.gender'), c.gender ? ctx.t(`gender.${c.gender}`) : dash],
    [ctx.t('col.birthday'), c.birthday ? `${c.birthday}${c.birthdayLunar ? ` (${ctx.t('profile.lunar')})` : ''}` : dash],
    [ctx.t('col.city'), c.city ?? dash],
    [ctx.t('col.address'), c.address ?? dash],
    [ctx.t('col.externalId'), c.externalId ?? dash],
    [ctx.t('col.tier'), c.tier ?? dash],
  ];
  for (const [k, v] of Object.entries(c.fields)) pairs.push([k, v]);
  if (c.note) pairs.push([ctx.t('col.note'), c.note]);
  pairs.push([ctx.t('profile.since'), formatLocal(c.createdAt, timezone)]);
  pairs.push([
    ctx.t('profile.orders'),
    summary.count === 0
      ? ctx.t('profile.noOrders')
      : ctx.t('profile.orderSummary', {
          count: summary.count,
          total: money(summary.total),
          first: summary.firstDay ?? dash,
          last: summary.lastDay ?? dash,
          average: money(summary.averageOrder ?? 0),
        }) + (summary.averageIntervalDays !== null ? ctx.t('profile.interval', { days: summary.averageIntervalDays }) : ''),
  ]);
  const clv = savedClv(db, c.id);
  if (clv) {
    const { row, terms } = clv;
    pairs.push([
      ctx.t('profile.clv'),
      ctx.t('profile.clvLine', {
        clv: money(Math.round(row.clv)),
        months: String(terms.months ?? ''),
        valueClass: ctx.t(`value.${row.valueClass}` as MessageId),
        alive: percent(row.pAlive),
        purchases: row.purchases.toFixed(1),
        asOf: String(terms.asOf ?? ''),
      }) + (terms.method === 'historical' ? ctx.t('profile.clvHistorical') : ''),
    ]);
    const next = await modelNextPurchase(clv.terms, orders.map((o) => o.day));
    if (next) pairs.push([ctx.t('profile.nextModel'), ctx.t('profile.nextModelLine', { day: next, alive: percent(row.pAlive) })]);
  }
  const rfm = savedRfm(db, c.id);
  if (rfm) {
    const scores = rfm.r === null ? '' : ` (R${rfm.r} F${rfm.f} M${rfm.m})`;
    pairs.push([ctx.t('profile.rfm'), `${ctx.t(`segment.${rfm.segment}` as MessageId)}${scores}${rfm.asOf ? ctx.t('profile.rfmAsOf', { asOf: rfm.asOf }) : ''}`]);
  }
  pairs.push([ctx.t('profile.stage'), ctx.t(`stage.${life.stage}`)]);
  if (life.stage !== 'prospect') {
    let next = ctx.t('profile.nextUnknown');
    if (life.stage === 'churned') next = ctx.t('profile.nextChurned', { last: summary.lastDay ?? '' });
    else if (life.next !== null && life.interval !== null) {
      const days = daysBetween(life.asOf, life.next);
      const params = { day: life.next, days: Math.abs(days), interval: life.interval };
      next = ctx.t(days > 0 ? 'profile.nextDue' : days < 0 ? 'profile.nextOverdue' : 'profile.nextToday', params);
    }
    pairs.push([ctx.t('profile.nextPurchase'), next]);
  }
  renderRecord(ctx, pairs);
  if (orders.length > 0) {
    ctx.out(`\n${chalk.bold(ctx.t('profile.recentOrders'))}`);
    for (const ord of orders.slice(0, 5)) ctx.out(`  ${ord.day}  ${money(ord.amount).padStart(12)}  ${ord.note ?? ''}`.trimEnd());
  }
  const moves = await (await import('./tier.js')).tierHistoryLines(ctx, c.id);
  if (moves.length > 0) {
    ctx.out(`\n${chalk.bold(ctx.t('profile.tierHistory'))}`);
    for (const line of moves) ctx.out(`  ${line}`);
  }
  ctx.out(`\n${chalk.bold(ctx.t('profile.recentInteractions'))}`);
  if (interactions.length === 0) ctx.out(`  ${ctx.t('profile.noInteractions')}`);
  for (const i of interactions) ctx.out(`  ${formatLocal(i.at, timezone)}  ${ctx.t(`interaction.${i.type}`)}  ${i.note ?? ''}`.trimEnd());
}

/**
 * The next purchase the saved BG/NBD fit expects if they are still a customer: the save's as-of day
 * plus the expected wait given their purchase days up to it. Null without a fitted save, or when the
 * wait has no finite mean.
 */
async function modelNextPurchase(terms: Record<string, unknown>, orderDays: string[]): Promise<string | null> {
  const bgnbd = (terms.params as { bgnbd?: BgnbdParams } | null | undefined)?.bgnbd;
  const asOf = typeof terms.asOf === 'string' ? terms.asOf : null;
  const unitDays = terms.unit === 'day' ? 1 : terms.unit === 'week' ? 7 : null;
  if (terms.method !== 'models' || !bgnbd || !asOf || !unitDays) return null;
  // Loaded only here: the models' numerics are not needed for other profiles.
  const { nextPurchaseIfAlive } = await import('../core/clv/index.js');
  const next = nextPurchaseIfAlive(bgnbd, purchaseDays(orderDays.filter((d) => d <= asOf)), dayNumber(asOf), unitDays);
  return next === null ? null : dayString(next);
}

interface ListFlags {
  tag?: string[];
  city?: string;
  since?: string;
  segment?: string;
  tier?: string;
  abc?: string;
  stage?: string;
  valueClass?: string;
  sort?: string;
  limit?: string;
  columns?: string;
  format?: string;
}

/** The filter options of `customer list` (and `export customers`). */
export function addCustomerFilterOptions(cmd: Command, ctx: Context): Command {
  return cmd
    .option('--tag <tag>', ctx.t('opt.filterTag'), collect)
    .option('--city <city>', ctx.t('opt.filterCity'))
    .option('--since <when>', ctx.t('opt.since'))
    .option('--segment <segment>', ctx.t('opt.filterSegment'))
    .option('--tier <level>', ctx.t('opt.filterTier'))
    .option('--abc <class>', ctx.t('opt.filterAbc'))
    .option('--stage <stage>', ctx.t('opt.filterStage'))
    .option('--value-class <class>', ctx.t('opt.filterValueClass'))
    .option('--sort <key>', ctx.t('opt.sort', { keys: Object.keys(CUSTOMER_SORTS).join('|') }))
    .option('--limit <n>', ctx.t('opt.limit'))
    .option('--columns <keys>', ctx.t('opt.columns'));
}

/** A level as typed: a level of the ladder (either language for the default names) or one a customer has; else bad input. */
async function levelOption(ctx: Context, raw: string): Promise<string> {
  const { ladder } = await (await import('./tier.js')).currentLadder(ctx);
  const level = resolveLevelName(raw, ladder);
  if (ladder.rules.some((r) => r.name === level) || tierInUse(await ctx.db(), level)) return level;
  throw badInput('err.tier.unknownLevel', { value: raw, levels: ladder.rules.map((r) => r.name).join(', ') });
}

/** Those options as a store filter, and the stage rules used when --stage was given (to print). */
export async function customerFilterOf(
  ctx: Context,
  o: { tag?: string[]; city?: string; since?: string; segment?: string; tier?: string; abc?: string; stage?: string; valueClass?: string; sort?: string },
  limit: number | null,
): Promise<{ filter: CustomerFilter; note?: string }> {
  const { timezone } = await ctx.settings();
  if (o.sort !== undefined && !Object.hasOwn(CUSTOMER_SORTS, o.sort)) {
    throw badInput('err.sort', { value: o.sort, allowed: Object.keys(CUSTOMER_SORTS).join('|') });
  }
  const abc = o.abc?.trim().toUpperCase();
  if (abc !== undefined && !['A', 'B', 'C'].includes(abc)) throw badInput('err.tier.abcClass', { value: o.abc ?? '' });
  const atStage = o.stage !== undefined ? await customersAtStage(ctx, stageOption(ctx, o.stage)) : undefined;
  const filter: CustomerFilter = {
    tags: o.tag?.map((t) => normalizeTag(t) ?? t),
    city: o.city,
    since: o.since ? sinceWhen(o.since, timezone, ctx.now()).at : undefined,
    segment: o.segment === undefined ? undefined : (await import('./rfm.js')).parseSegment(ctx, o.segment, null),
    tier: o.tier === undefined ? undefined : await levelOption(ctx, o.tier),
    abc,
    valueClass: o.valueClass === undefined ? undefined : (await import('./clv.js')).valueClassOption(ctx, o.valueClass),
    ids: atStage?.ids,
    sort: o.sort as CustomerSort | undefined,
    limit,
  };
  return { filter, note: atStage?.note };
}

async function list(ctx: Context, o: ListFlags): Promise<void> {
  const format = formatOf(o);
  const limit = listLimit(o.limit, format);
  const { filter, note } = await customerFilterOf(ctx, o, limit);
  const db = await ctx.db();
  const rows = listCustomers(db, filter);
  await printCustomers(ctx, o, rows);
  noteTruncation(ctx, o, limit, rows.length, () => countMatchingCustomers(db, filter));
  if (note && format === 'table') ctx.err(note);
}

interface EditFlags extends CustomerFlags {
  addPhone?: string[];
  rmPhone?: string[];
  unsetField?: string[];
}

async function edit(ctx: Context, ref: string, o: EditFlags): Promise<void> {
  const c = await resolveCustomer(ctx, ref);
  const { country } = await ctx.settings();
  const { phones, tags: _tags, fields, ...rest } = toInput(o);
  let change: CustomerEdit = { ...rest, addPhones: [...(phones ?? []), ...(o.addPhone ?? [])], removePhones: o.rmPhone, fields, unsetFields: o.unsetField };
  if (isEmptyEdit(change)) {
    if (!ctx.interactive) throw badInput('err.edit.nothing', {}, { id: 'hint.edit.flags' });
    const p = await prompts(ctx);
    change = {
      name: await p.input({ message: ctx.t('prompt.name'), default: c.name, required: true }),
      email: await p.input({ message: ctx.t('prompt.email'), default: c.email ?? '', validate: validateWith(ctx, (v) => v.trim() && normalizeEmail(v)) }),
      gender: await p.select<string>({
        message: ctx.t('prompt.gender'),
        default: c.gender ?? '',
        choices: ['', 'female', 'male', 'other'].map((g) => ({ name: ctx.t(g ? (`gender.${g}` as 'gender.male') : 'gender.unknown'), value: g })),
      }),
      birthday: await p.input({ message: ctx.t('prompt.birthday'), default: c.birthday ?? '', validate: validateWith(ctx, (v) => v.trim() && parseBirthday(v, c.birthdayLunar)) }),
      city: await p.input({ message: ctx.t('prompt.city'), default: c.city ?? '' }),
      address: await p.input({ message: ctx.t('prompt.address'), default: c.address ?? '' }),
      note: await p.input({ message: ctx.t('prompt.note'), default: c.note ?? '' }),
    };
  }
  const db = await ctx.db();
  // Applied to the record as it is now, under the write lock: changes made by another crm while
  // the prompts were open (a tag added, a phone) are kept.
  const next = transaction(db, () => {
    const current = getCustomer(db, c.id);
    if (!current) throw failure('err.ref.notFound', { ref });
    const fresh = applyCustomerEdit(current, change, { country });
    updateCustomer(db, c.id, fresh, ctx.nowIso());
    return fresh;
  });
  ctx.out(ctx.t('msg.customerUpdated', { id: c.id, name: next.name }));
}

async function rm(ctx: Context, ref: string, o: { yes?: boolean }): Promise<void> {
  const c = await resolveCustomer(ctx, ref);
  if (!o.yes) {
    if (!ctx.interactive) throw badInput('err.rm.confirm', { id: c.id, name: c.name }, { id: 'hint.yes' });
    const p = await prompts(ctx);
    const ok = await p.confirm({ message: ctx.t('prompt.rm', { id: c.id, name: c.name, orders: c.orderCount }), default: false });
    if (!ok) {
      ctx.err(ctx.t('msg.cancelled'));
      return;
    }
  }
  const db = await ctx.db();
  transaction(db, () => deleteCustomer(db, c.id));
  ctx.out(ctx.t('msg.customerRemoved', { id: c.id, name: c.name, orders: c.orderCount }));
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm customer add --name 张伟 --phone 13800138000 --city 上海', 'crm customer list --tag VIP --sort spend', 'crm customer show 13800138000');

  const addCmd = addFieldOptions(cmd.command('add').description(ctx.t('cmd.customer.add')), ctx)
    .option('--phone <phone>', ctx.t('opt.phone'), collect)
    .option('--tag <tag>', ctx.t('opt.tag'), collect);
  addFormatOption(addCmd, ctx).action((o) => add(ctx, o));
  example(
    addCmd,
    ctx,
    'crm customer add --name 张伟 --phone "+86 138-0013-8000" --gender 男 --birthday 1990-03-05 --tag VIP',
    'crm customer add --name "Emily Chen" --email Emily@Example.com --field wechat=emily_c',
    'crm customer add            # asks for each field at a terminal',
  );

  const showCmd = addFormatOption(cmd.command('show').description(ctx.t('cmd.customer.show')).argument('<ref>', ctx.t('arg.ref')), ctx).action((ref, o) =>
    show(ctx, ref, o),
  );
  example(showCmd, ctx, 'crm customer show 13800138000', 'crm customer show 张伟', 'crm customer show "#42" --format json');

  const listCmd = addFormatOption(addCustomerFilterOptions(cmd.command('list').description(ctx.t('cmd.customer.list')), ctx), ctx).action((o) => list(ctx, o));
  example(listCmd, ctx, 'crm customer list --city 上海 --sort spend --limit 20', 'crm customer list --tag VIP --since 30d --format csv > vip.csv');

  const editCmd = addFieldOptions(cmd.command('edit').description(ctx.t('cmd.customer.edit')).argument('<ref>', ctx.t('arg.ref')), ctx)
    .option('--no-lunar', ctx.t('opt.noLunar'))
    .option('--no-do-not-contact', ctx.t('opt.noDoNotContact'))
    .option('--phone <phone>', ctx.t('opt.addPhone'), collect)
    .option('--add-phone <phone>', ctx.t('opt.addPhone'), collect)
    .option('--rm-phone <phone>', ctx.t('opt.rmPhone'), collect)
    .option('--unset-field <key>', ctx.t('opt.unsetField'), collect)
    .action((ref, o) => edit(ctx, ref, o));
  example(editCmd, ctx, 'crm customer edit 13800138000 --city 杭州 --add-phone 13900139000', 'crm customer edit 张伟 --email "" --field 尺码=L', 'crm customer edit 42   # asks at a terminal');

  const rmCmd = cmd
    .command('rm')
    .description(ctx.t('cmd.customer.rm'))
    .argument('<ref>', ctx.t('arg.ref'))
    .option('-y, --yes', ctx.t('opt.yes'))
    .action((ref, o) => rm(ctx, ref, o));
  example(rmCmd, ctx, 'crm customer rm 42 --yes');
}
