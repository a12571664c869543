// crm customer add|show|list|edit|rm
import type { Command } from 'commander';
import { readOnly, type Context } from '../context.js';
import {
  applyCustomerEdit,
  checkBirthdayNotFuture,
  isEmptyEdit,
  parseCustomerInput,
  parseGender,
  type CustomerEdit,
  type CustomerInput,
} from '../core/customer.js';
import { daysBetween, displayBirthday, formatLocal, isoInZone, parseBirthday } from '../core/dates.js';
import { displayAmount } from '../core/money.js';
import { displayCode } from '../core/coupon.js';
import { normalizePhone } from '../core/phone.js';
import { normalizeEmail } from '../core/text.js';
import { badInput, failure } from '../errors.js';
import type { MessageId } from '../messages/index.js';
import { chalkFor, LONG_LIST_FORMATS, percent, renderList, renderOne, renderRecord } from '../io/output.js';
import { countMatchingCustomers, deleteCustomer, customersSharingContact, getCustomer, insertCustomer, listCustomers, updateCustomer } from '../store/customer.js';
import { describeChange, levelNamer } from '../app/tier.js';
import { customerFilterOf, customerProfile, type CustomerFilterInput } from '../app/customer.js';
import { transaction } from '../store/db.js';
import { customerColumns, moneyColumn, printCustomers, profileColumns, streamCustomers } from './columns.js';
import { addCustomerFilterOptions, addFormatOption, collect, example, formatOf, listLimit, noteTruncation, prompts, resolveCustomer, validateWith } from './common.js';

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
  marketing?: boolean;
  leapMonth?: boolean;
  allowFuture?: boolean;
}

function addFieldOptions(cmd: Command, ctx: Context): Command {
  return cmd
    .option('--name <name>', ctx.t('opt.name'))
    .option('--email <email>', ctx.t('opt.email'))
    .option('--gender <gender>', ctx.t('opt.gender'))
    .option('--birthday <date>', ctx.t('opt.birthday'))
    .option('--lunar', ctx.t('opt.lunar'))
    .option('--leap-month', ctx.t('opt.leapMonth'))
    .option('--city <city>', ctx.t('opt.city'))
    .option('--address <address>', ctx.t('opt.address'))
    .option('--external-id <id>', ctx.t('opt.externalId'))
    .option('--note <text>', ctx.t('opt.note'))
    .option('--field <key=value>', ctx.t('opt.field'), collect)
    .option('--do-not-contact', ctx.t('opt.doNotContact'))
    .option('--allow-future', ctx.t('opt.allowFuture'));
}

/** The gender prompt's choices: unknown, female, male, other, in the interface language. */
function genderChoices(ctx: Context): { name: string; value: string }[] {
  return ['', 'female', 'male', 'other'].map((g) => ({ name: ctx.t(g ? (`gender.${g}` as 'gender.male') : 'gender.unknown'), value: g }));
}

/** What a typed answer to the gender prompt means (男, f, Male…), as --gender reads it; undefined if nothing. */
function typedGender(text: string): string | undefined {
  try {
    return parseGender(text) ?? '';
  } catch {
    return undefined;
  }
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
  out.gender ??= await p.pick<string>({ message: ctx.t('prompt.gender'), choices: genderChoices(ctx), typed: typedGender });
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
    marketingOptOut: o.marketing === undefined ? undefined : !o.marketing,
    leapMonth: o.leapMonth,
  };
}

async function add(ctx: Context, o: CustomerFlags & { format?: string; allowDuplicate?: boolean }): Promise<void> {
  const { country } = await ctx.settings();
  let input = toInput(o);
  if (input.name === undefined) {
    if (!ctx.interactive) throw badInput('err.name.required', {}, { id: 'hint.name.flag' });
    input = await promptNewCustomer(ctx, input, country);
  }
  const fields = parseCustomerInput(input, { country });
  if (!o.allowFuture) checkBirthdayNotFuture(fields, await ctx.today());
  const db = await ctx.db();
  // A phone or email that is someone's already is refused (a second record would make that phone
  // an ambiguous ref); --allow-duplicate adds it anyway, for a family sharing one phone.
  const twins = customersSharingContact(db, fields);
  if (twins.length > 0 && !o.allowDuplicate) {
    throw badInput('err.customer.duplicate', { who: twins.map((t) => `#${t.id} ${t.name}`).join(', ') }, { id: 'hint.allowDuplicate' });
  }
  const id = transaction(db, () => insertCustomer(db, fields, ctx.nowIso()));
  for (const t of twins) ctx.err(ctx.t('warn.possibleDuplicate', { id: t.id, name: t.name }));
  const format = formatOf(o);
  if (format === 'table') return ctx.out(ctx.t('msg.customerAdded', { id, name: fields.name }));
  // The customer as stored, in the columns of `customer list`.
  const created = getCustomer(db, id)!;
  renderOne(ctx, format, await customerColumns(ctx, [created]), created);
}

/** Everything about one customer in time order: orders, refunds, interactions, level moves, messages, coupons, complaints, surveys. */
async function history(ctx: Context, ref: string, o: { limit?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const limit = listLimit(o.limit, format);
  const c = await resolveCustomer(ctx, ref);
  const { timezone, currency } = await ctx.settings();
  const { customerHistory } = await import('../store/history.js');
  const all = customerHistory(await ctx.db(), c.id).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const rows = limit === null ? all : all.slice(-limit);
  renderList<(typeof rows)[number]>(ctx, format, [
    { key: 'at', header: 'col.at', value: (e) => isoInZone(e.at, timezone), display: (e) => formatLocal(e.at, timezone) },
    { key: 'kind', header: 'col.what', value: (e) => e.kind, display: (e) => ctx.t(`history.${e.kind}` as MessageId) },
    { key: 'ref', header: 'col.ref', value: (e) => (e.kind.startsWith('coupon') ? displayCode(e.ref) : e.ref) },
    { key: 'detail', header: 'col.detail', value: (e) => e.what },
    moneyColumn(ctx, currency, 'amount', 'col.amount', (e) => (e.kind === 'coupon' && e.what === 'percent' ? null : e.amount)),
    { key: 'note', header: 'col.note', value: (e) => e.note, keep: -1 },
  ], rows);
  noteTruncation(ctx, o, limit, rows.length, () => all.length);
}

async function show(ctx: Context, ref: string, o: { format?: string }): Promise<void> {
  const format = formatOf(o);
  const profile = await customerProfile(ctx, await resolveCustomer(ctx, ref));
  if (format === 'json') return renderOne(ctx, format, await profileColumns(ctx, profile), profile);
  const { customer: c, summary, orders, interactions, lifecycle: life } = profile;
  const { currency, timezone } = await ctx.settings();
  const level = await levelNamer(ctx);
  const chalk = chalkFor(ctx);
  const money = (m: number) => displayAmount(m, currency, ctx.lang);
  const dash = ctx.t('profile.none');
  ctx.out(
    `${chalk.bold(`#${c.id} ${c.name || (c.phones[0]?.e164 ?? c.email ?? '')}`)}${c.tags.length ? `  ${c.tags.map((t) => chalk.cyan(`[${t}]`)).join(' ')}` : ''}${c.doNotContact ? `  ${chalk.red(ctx.t('profile.doNotContact'))}` : ''}${c.marketingOptOut ? `  ${chalk.yellow(ctx.t('profile.noMarketing'))}` : ''}`,
  );
  const pairs: [string, string][] = [
    [ctx.t('col.phone'), c.phones.map((p) => p.e164).join(', ') || dash],
    [ctx.t('col.email'), c.email ?? dash],
    [ctx.t('col.gender'), c.gender ? ctx.t(`gender.${c.gender}`) : dash],
    [ctx.t('col.birthday'), c.birthday ? `${displayBirthday(c.birthday, ctx.lang)}${c.birthdayLunar ? ` (${ctx.t('profile.lunar')}${c.birthdayLeap ? `, ${ctx.t('profile.leap')}` : ''})` : ''}` : dash],
    [ctx.t('col.city'), c.city ?? dash],
    [ctx.t('col.address'), c.address ?? dash],
    [ctx.t('col.externalId'), c.externalId ?? dash],
    [ctx.t('col.tier'), c.tier ? level(c.tier) : dash],
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
        }) +
        (summary.averageIntervalDays !== null ? ctx.t('profile.interval', { days: summary.averageIntervalDays }) : '') +
        (summary.refunded > 0 ? ctx.t('profile.refunded', { refunded: money(summary.refunded) }) : ''),
  ]);
  if (profile.clv) {
    const { row, terms, nextIfAlive } = profile.clv;
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
    if (nextIfAlive) pairs.push([ctx.t('profile.nextModel'), ctx.t('profile.nextModelLine', { day: nextIfAlive, alive: percent(row.pAlive) })]);
  }
  const rfm = profile.rfm;
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
    for (const ord of profile.recentOrders) {
      const refunded = ord.refunded > 0 ? ctx.t('profile.orderRefunded', { refunded: money(ord.refunded) }) : '';
      ctx.out(`  ${ord.day}  ${money(ord.amount).padStart(12)}${refunded}  ${ord.note ?? ''}`.trimEnd());
    }
  }
  if (profile.tierMoves.length > 0) {
    ctx.out(`\n${chalk.bold(ctx.t('profile.tierHistory'))}`);
    for (const m of profile.tierMoves) ctx.out(`  ${m.day}  ${describeChange(ctx, currency, m, level)}`);
  }
  if (profile.openComplaints.length > 0) {
    ctx.out(`\n${chalk.bold(ctx.t('profile.openComplaints'))}`);
    for (const k of profile.openComplaints) {
      const due = k.dueAt ? `  ${ctx.t('profile.complaintDue', { due: formatLocal(k.dueAt, timezone) })}` : '';
      ctx.out(`  #${k.id}  ${formatLocal(k.createdAt, timezone)}  ${ctx.t(`severity.${k.severity}` as MessageId)}  ${k.description}${due}`);
    }
  }
  if (profile.latestSurvey) {
    const r = profile.latestSurvey;
    const answers = Object.entries(r.answers).map(([q, a]) => `${q} ${a.score ?? a.text ?? ''}`).join(' · ');
    ctx.out(`\n${chalk.bold(ctx.t('profile.latestSurvey', { at: formatLocal(r.answeredAt, timezone) }))}\n  ${answers}`);
  }
  ctx.out(`\n${chalk.bold(ctx.t('profile.recentInteractions'))}`);
  if (interactions.length === 0) ctx.out(`  ${ctx.t('profile.noInteractions')}`);
  for (const i of interactions) ctx.out(`  ${formatLocal(i.at, timezone)}  ${ctx.t(`interaction.${i.type}`)}  ${i.note ?? ''}`.trimEnd());
}

interface ListFlags extends CustomerFilterInput {
  limit?: string;
  columns?: string;
  format?: string;
}

async function list(ctx: Context, o: ListFlags): Promise<void> {
  const format = formatOf(o);
  const limit = listLimit(o.limit, format);
  const { filter, note } = await customerFilterOf(ctx, o, limit);
  // For machines, every matching customer, written as it is read.
  if (format !== 'table') return streamCustomers(ctx, format, filter, o.columns);
  const db = await ctx.db();
  const rows = listCustomers(db, filter);
  await printCustomers(ctx, o, rows);
  noteTruncation(ctx, o, limit, rows.length, () => countMatchingCustomers(db, filter));
  if (note) ctx.err(note);
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
      gender: await p.pick<string>({ message: ctx.t('prompt.gender'), default: c.gender ?? '', choices: genderChoices(ctx), typed: typedGender }),
      birthday: await p.input({ message: ctx.t('prompt.birthday'), default: c.birthday ?? '', validate: validateWith(ctx, (v) => v.trim() && parseBirthday(v, c.birthdayLunar)) }),
      city: await p.input({ message: ctx.t('prompt.city'), default: c.city ?? '' }),
      address: await p.input({ message: ctx.t('prompt.address'), default: c.address ?? '' }),
      note: await p.input({ message: ctx.t('prompt.note'), default: c.note ?? '' }),
    };
  }
  const today = await ctx.today();
  const db = await ctx.db();
  // Applied to the record as it is now, under the write lock: changes made by another crm while
  // the prompts were open (a tag added, a phone) are kept.
  const next = transaction(db, () => {
    const current = getCustomer(db, c.id);
    if (!current) throw failure('err.ref.notFound', { ref });
    const fresh = applyCustomerEdit(current, change, { country });
    // Only a birthday being changed is checked: an edit of the city does not trip over an old one.
    if (!o.allowFuture && fresh.birthday !== current.birthday) checkBirthdayNotFuture(fresh, today);
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
    .option('--tag <tag>', ctx.t('opt.tag'), collect)
    .option('--no-marketing', ctx.t('opt.noMarketing'))
    .option('--allow-duplicate', ctx.t('opt.allowDuplicate'));
  addFormatOption(addCmd, ctx).action((o) => add(ctx, o));
  example(
    addCmd,
    ctx,
    'crm customer add --name 张伟 --phone "+86 138-0013-8000" --gender 男 --birthday 1990-03-05 --tag VIP',
    'crm customer add --name "Emily Chen" --email Emily@Example.com --field wechat=emily_c',
    'crm customer add            # asks for each field at a terminal',
  );

  // A profile is nested (orders, interactions, level moves): a table for people, JSON for machines; no flat CSV.
  const showCmd = addFormatOption(cmd.command('show').description(ctx.t('cmd.customer.show')).argument('<ref>', ctx.t('arg.ref')), ctx, ['table', 'json']).action((ref, o) =>
    show(ctx, ref, o),
  );
  example(showCmd, ctx, 'crm customer show 13800138000', 'crm customer show 张伟', 'crm customer show "#42" --format json');

  const listCmd = addFormatOption(addCustomerFilterOptions(cmd.command('list').description(ctx.t('cmd.customer.list')), ctx), ctx, LONG_LIST_FORMATS).action((o) => list(ctx, o));
  example(listCmd, ctx, 'crm customer list --city 上海 --sort spend --limit 20', 'crm customer list --tag VIP --since 30d --format csv > vip.csv');

  const editCmd = addFieldOptions(cmd.command('edit').description(ctx.t('cmd.customer.edit')).argument('<ref>', ctx.t('arg.ref')), ctx)
    .option('--no-lunar', ctx.t('opt.noLunar'))
    .option('--no-do-not-contact', ctx.t('opt.noDoNotContact'))
    .option('--marketing', ctx.t('opt.marketing'))
    .option('--no-marketing', ctx.t('opt.noMarketing'))
    .option('--no-leap-month', ctx.t('opt.noLeapMonth'))
    .option('--phone <phone>', ctx.t('opt.addPhone'), collect)
    .option('--add-phone <phone>', ctx.t('opt.addPhone'), collect)
    .option('--rm-phone <phone>', ctx.t('opt.rmPhone'), collect)
    .option('--unset-field <key>', ctx.t('opt.unsetField'), collect)
    .action((ref, o) => edit(ctx, ref, o));
  example(editCmd, ctx, 'crm customer edit 13800138000 --city 杭州 --add-phone 13900139000', 'crm customer edit 张伟 --email "" --field 尺码=L', 'crm customer edit 42   # asks at a terminal');

  const historyCmd = addFormatOption(cmd.command('history').description(ctx.t('cmd.customer.history')).argument('<ref>', ctx.t('arg.ref')).option('--limit <n>', ctx.t('opt.limit')), ctx, LONG_LIST_FORMATS).action(
    (ref, o) => history(ctx, ref, o),
  );
  example(historyCmd, ctx, 'crm customer history 13800138000', 'crm customer history 张伟 --format csv > 张伟.csv');

  const rmCmd = cmd
    .command('rm')
    .description(ctx.t('cmd.customer.rm'))
    .argument('<ref>', ctx.t('arg.ref'))
    .option('-y, --yes', ctx.t('opt.yes'))
    .action((ref, o) => rm(ctx, ref, o));
  example(rmCmd, ctx, 'crm customer rm 42 --yes');
  readOnly(showCmd, listCmd);
}
