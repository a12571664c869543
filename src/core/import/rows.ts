// Importing spreadsheets, the rows: how one row's text becomes a customer or an order. Errors name
// the column of the first value that does not parse.
import { badInput, CrmError } from '../../errors.js';
import type { MessageId, Params } from '../../messages/index.js';
import { parseCustomerInput, parseGender, type CustomerFields, type Phone } from '../customer.js';
import { parseBirthday } from '../dates.js';
import { countryCodeOf, doubtfulCountry, normalizePhone } from '../phone.js';
import { resolveLevelName, type TierLadder } from '../tier.js';
import { cleanLine, normalizeEmail, normalizeTag, normalizeText, splitList } from '../text.js';
import { emptyFields, setField } from '../fields.js';
import { checkText, type LimitedField } from '../limits.js';
import { headerKey, type ColumnMap, type Target } from './columns.js';
import { DAY_MONTH, parseAt, parseLocalDate, type DateOrder } from './dates.js';

/** Why a row was refused (or a field of it left out, as a RowWarning), and in which column. */
export class RowError extends Error {
  constructor(
    readonly column: string | null,
    readonly id: MessageId,
    readonly params: Params = {},
  ) {
    super(id);
  }
}

/** What was left out of a row that was imported, or stored in a way the file did not say; reported like a refusal. */
export interface RowWarning {
  column: string | null;
  id: MessageId;
  params: Params;
  /** The value was left out (what is wrong with it is id); else it was stored and id says the doubt. */
  leftOut: boolean;
}

export interface RowContext {
  /** The country a phone without a country code is read in: --country, else the shop's. */
  country: string;
  /** --country was given: the file's phones are that country's, said by the user. */
  countrySaid: boolean;
  /** --strict: a bad optional value (gender, birthday, email) refuses the row instead of being left out. */
  strict: boolean;
  /** --no-header: the columns are as many as the widest of the first rows, not a header's. */
  headerless: boolean;
  currency: string;
  zone: string;
  /** Day/month order per column index, for numeric dates. */
  dateOrders: Map<number, DateOrder>;
  /** The shop's member levels, which a level column's values may name. */
  ladder: TierLadder;
  /** The import's day (shop-local YYYY-MM-DD): the date of the opening figures another system's totals are kept as. */
  today: string;
}

/** Custom fields another system's totals are kept under (columns.ts OPENING), and the day they were taken over. */
const OPENING_KEYS = new Set(['opening_spend', 'opening_orders', 'points', 'stored_balance']);
export const OPENING_AS_OF = 'opening_as_of';

/**
 * The country a row's phones are read in: the first country column naming a country by its code
 * (US, th) or its name (United States, 泰国), else the import's (--country, else the shop's).
 * `said`: the row or the user named it.
 */
export function rowCountry(values: string[], map: ColumnMap[], ctx: Pick<RowContext, 'country' | 'countrySaid'>): { country: string; said: boolean } {
  for (const c of map) {
    if (c.target !== 'country') continue;
    const code = countryCodeOf(values[c.index] ?? '');
    if (code) return { country: code, said: true };
  }
  return { country: ctx.country, said: ctx.countrySaid };
}

/** A phone read in a country nobody said, that may be another country's: stored, with a warning. */
export function phoneWarning(column: ColumnMap, raw: string, e164: string, where: { country: string; said: boolean }): RowWarning | null {
  if (where.said || !doubtfulCountry(raw, e164, where.country)) return null;
  return { column: column.header, id: 'import.warn.phoneCountry', params: { value: raw, e164, country: where.country }, leftOut: false };
}

/**
 * An optional value that does not parse (gender "Anonymous", a birthday 2023-13-45, a malformed
 * email): left out with a warning, the rest of the row imported; under --strict the row is refused.
 */
function optional<T>(column: ColumnMap, ctx: RowContext, warnings: RowWarning[], fn: () => T): T | null {
  try {
    return inColumn(column, fn);
  } catch (e) {
    if (!(e instanceof RowError) || ctx.strict) throw e;
    warnings.push({ column: e.column, id: e.id, params: e.params, leftOut: true });
    return null;
  }
}

const CONSENT_NO = new Set(['unsubscribed', 'not subscribed', 'not_subscribed', 'declined', '不同意', '拒绝']);
const CONSENT_YES = new Set(['subscribed', 'pending', 'opted in', 'confirmed', '同意']);

/** A consent cell (Accepts Email Marketing: yes/no, subscribed/unsubscribed): false is a refusal. */
function parseConsent(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (CONSENT_NO.has(v)) return false;
  if (CONSENT_YES.has(v)) return true;
  return parseFlag(raw);
}

export function inColumn<T>(column: ColumnMap, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CrmError) throw new RowError(column.header, e.id, e.params);
    throw e;
  }
}

/** How Excel shows a long number it has already rounded: 6.22848E+18. The digits are gone. */
const SCIENTIFIC = /^\d(\.\d+)?e\+\d+$/i;

/** A member number, order number or phone as text, refusing one Excel turned into a rounded number. */
export function keyText(column: ColumnMap, raw: string): string {
  if (SCIENTIFIC.test(raw.trim())) throw new RowError(column.header, 'err.import.scientific', { value: raw.trim() });
  return normalizeText(raw) ?? raw;
}

const TRUE = new Set(['1', 'true', 'yes', 'y', '是', '对', '✓', '√', 'x']);
const FALSE = new Set(['0', 'false', 'no', 'n', '否', '不', '']);

export function parseFlag(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw badInput('err.import.flag', { value: raw });
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** A name in two columns, joined as its script writes it: 张 + 伟 = 张伟, Mitchell + Green = Mitchell Green. */
export function joinName(family: string, given: string): string {
  const [f, g] = [family.trim(), given.trim()];
  if (!f || !g) return f || g;
  return CJK.test(f) || CJK.test(g) ? `${f}${g}` : `${g} ${f}`;
}

/** Custom fields that keep the parts of an address an import joined (address.邮编), masked like the address. */
export const ADDRESS_PART = 'address.';

export type AddressRole = 'province' | 'city' | 'district' | 'street' | 'number' | 'line' | 'postcode';
const role = (r: AddressRole, ...names: string[]): [string, AddressRole][] => names.map((n) => [headerKey(n), r]);
const ADDRESS_ROLES = new Map<string, AddressRole>([
  ...role('province', '省', '省份', 'province', 'state', 'province code', 'default address province code', 'billing state', 'state_id'),
  ...role('district', '区', '区县', '县', '区域', 'district', 'area', 'suburb'),
  ...role('street', '街道', 'street', 'address 1', 'address line 1', 'default address address1', 'billing address 1'),
  ...role('line', 'address 2', 'address line 2', 'default address address2', 'billing address 2', 'street2'),
  ...role('number', '门牌号', 'street number'),
  ...role('postcode', '邮编', '邮政编码', 'postcode', 'zip', 'zip code', 'postal code', 'default address zip', 'billing postcode'),
]);

export function addressRole(header: string): AddressRole {
  return ADDRESS_ROLES.get(headerKey(header)) ?? 'line';
}

/**
 * An address kept in several columns, written as its script writes addresses: 浙江省杭州市西湖区文三路90号
 * (largest first, no postcode), or "7 Wallaby Place, Delacey, NSW 2280" (street first).
 */
export function joinAddress(parts: Partial<Record<AddressRole, string>>): string {
  const p = (r: AddressRole) => parts[r]?.trim() ?? '';
  // Odoo names a state with its country's code: "Zhejiang (CN)", "Texas (US)".
  const province = p('province').replace(/ \([A-Z]{2}\)$/, '');
  if (Object.values(parts).some((v) => v && CJK.test(v))) {
    // A province in Latin letters (Shopify's SH, Odoo's Zhejiang) is no part of an address written in Chinese; it stays in its custom field.
    const local = CJK.test(province) ? province : '';
    return [local, p('city'), p('district'), p('street'), p('number'), p('line')].filter((s, i, all) => s && !all.slice(i + 1).some((later) => later.startsWith(s))).join('');
  }
  const street = [p('number'), p('street')].filter(Boolean).join(' ');
  const region = [province, p('postcode')].filter(Boolean).join(' ');
  return [street, p('line'), p('district'), p('city'), region].filter(Boolean).join(', ');
}

export interface ImportedCustomer {
  fields: CustomerFields;
  /** When the customer was created (UTC ISO), if the file says. */
  createdAt: string | null;
  /** crm's own id, from crm's export. */
  id: number | null;
  /** The row gives no name: it adds to the customer its keys find, or is a contact without a name (shown by phone or email). */
  nameless: boolean;
  /** The member level a level column named (one of the shop's levels), or null. */
  level: string | null;
  /** Values left out or doubtful (the row is imported; the rejects file says why). */
  warnings: RowWarning[];
}

/** Excel's "13800138000.0": a phone it saved as a number, read as the number it was. */
const cleanPhone = (raw: string) => raw.trim().replace(/^(\+?\d+)\.0+$/, '$1');

/** A phone cell: Excel's rounded numbers refused, its "13800138000.0" read as the number it was. */
export function phoneText(column: ColumnMap, raw: string): string {
  keyText(column, raw);
  return cleanPhone(raw);
}

/** Whether a phone cell reads as a valid number of `country`, exactly as an imported row's phone is read. */
export function validPhoneIn(raw: string, country: string): boolean {
  try {
    normalizePhone(cleanPhone(raw), country);
    return true;
  } catch {
    return false;
  }
}

export function splitPhones(raw: string): string[] {
  return raw.split(/[,;，；、/|]/u).map((s) => s.trim()).filter(Boolean);
}

/**
 * A row with values in cells beyond the header, or with fewer cells than the header: something
 * shifted (a cell lost or split), and guessing which would put values in the wrong fields.
 */
export function checkRowWidth(values: string[], map: ColumnMap[], headerless = false): void {
  const extra = values.slice(map.length).filter((v) => v.trim() !== '').length;
  if (extra > 0) throw new RowError(null, headerless ? 'err.import.extraCellsNoHeader' : 'err.import.extraCells', { count: extra, columns: map.length });
  if (values.length < map.length) throw new RowError(null, headerless ? 'err.import.fewerCellsNoHeader' : 'err.import.fewerCells', { count: values.length, columns: map.length });
}

/** The rules (limits.ts) each column's values are held to, by what the column holds. */
const LIMITED: Partial<Record<Target, LimitedField>> = {
  name: 'name', family_name: 'name', given_name: 'name', customer_name: 'name', customer_family_name: 'name', customer_given_name: 'name',
  city: 'city', address: 'address', customer_address: 'address', address_part: 'fieldValue', country: 'fieldValue', level: 'fieldValue',
  accepts_marketing: 'fieldValue', custom: 'fieldValue', note: 'note', external_id: 'externalId', customer_external_id: 'externalId',
  order_no: 'externalId', name_raw: 'name', email_raw: 'email', phone_raw: 'fieldValue',
};

/** A cell within its column's length and without control characters (a note or field value may break lines), else RowError naming the column. */
export function checkCell(c: ColumnMap, v: string): void {
  const limit = LIMITED[c.target];
  if (limit) inColumn(c, () => checkText(limit, limit === 'note' || limit === 'fieldValue' ? v : (normalizeText(v) ?? v)));
}

/** A customer from one row; throws RowError naming the column of the first value that does not parse. */
export function customerFromRow(values: string[], map: ColumnMap[], ctx: RowContext): ImportedCustomer {
  checkRowWidth(values, map, ctx.headerless);
  const get = (c: ColumnMap) => (values[c.index] ?? '').trim();
  let name = '';
  let family = '';
  let given = '';
  const phones: Phone[] = [];
  const tags: string[] = [];
  const parts: Partial<Record<AddressRole, string>> = {};
  let hasParts = false;
  const fields = emptyFields();
  let lunar = false;
  let birthday: { column: ColumnMap; raw: string } | null = null;
  let createdAt: string | null = null;
  let id: number | null = null;
  let email: { value: string; raw: string | null } | null = null;
  let address = '';
  const raws: Record<'name_raw' | 'email_raw' | 'phone_raw', string> = { name_raw: '', email_raw: '', phone_raw: '' };
  const scalar: Record<string, string> = {};
  let gender: CustomerFields['gender'] = null;
  let doNotContact = false;
  let marketingOptOut = false;
  let leap = false;
  let level: string | null = null;
  const where = rowCountry(values, map, ctx);
  const warnings: RowWarning[] = [];
  for (const c of map) {
    const v = get(c);
    if (v === '') continue;
    // Every value within its field's length and without control characters, else the row is refused naming the column.
    checkCell(c, v);
    switch (c.target) {
      case 'name':
        name = v;
        break;
      case 'family_name':
        family = v;
        break;
      case 'given_name':
        given = v;
        break;
      case 'phone':
        for (const p of splitPhones(v)) {
          const phone = inColumn(c, () => normalizePhone(phoneText(c, p), where.country));
          const doubt = phoneWarning(c, p, phone.e164, where);
          if (doubt) warnings.push(doubt);
          phones.push(phone);
        }
        break;
      case 'country':
        setField(fields, c.key.startsWith(ADDRESS_PART) ? c.key : `${ADDRESS_PART}${c.key}`, v);
        break;
      case 'accepts_marketing':
        if (!inColumn(c, () => parseConsent(v))) marketingOptOut = true; // a refusal on any channel is kept
        setField(fields, c.key, v);
        break;
      case 'level': {
        const named = resolveLevelName(v, ctx.ladder);
        if (ctx.ladder.rules.some((r) => r.name === named)) level = named;
        else setField(fields, c.key, v); // not one of the shop's levels: kept as it is
        break;
      }
      case 'email':
        email = optional(c, ctx, warnings, () => normalizeEmail(v));
        break;
      case 'gender':
        gender = optional(c, ctx, warnings, () => parseGender(v));
        break;
      case 'birthday':
      case 'lunar_birthday':
        birthday = { column: c, raw: v };
        if (c.target === 'lunar_birthday') lunar = true;
        break;
      case 'birthday_lunar':
        lunar = lunar || inColumn(c, () => parseFlag(v));
        break;
      case 'external_id':
        scalar.external_id = keyText(c, v);
        break;
      case 'city':
      case 'note':
        scalar[c.target] = v;
        break;
      case 'address':
        // Mailchimp separates an address's parts with two spaces (a Chinese address's spaces are kept).
        address = CJK.test(v) ? v : v.replace(/ {2,}/g, ', ');
        break;
      case 'address_part':
        parts[addressRole(c.header)] = v;
        hasParts = true;
        setField(fields, c.key.startsWith(ADDRESS_PART) ? c.key : `${ADDRESS_PART}${c.key}`, v); // masked with the address
        break;
      case 'tags':
        tags.push(...splitList(v).filter((t) => inColumn(c, () => normalizeTag(t)) !== null));
        break;
      case 'created_at': {
        createdAt = parseAt(v, ctx.dateOrders.get(c.index) ?? null, ctx.zone);
        if (!createdAt) throw new RowError(c.header, 'err.datetime', { value: v });
        break;
      }
      case 'id':
        if (!/^\d{1,15}$/.test(v)) throw new RowError(c.header, 'err.import.id', { value: v });
        id = Number(v);
        break;
      case 'do_not_contact':
        doNotContact = inColumn(c, () => parseFlag(v));
        break;
      case 'marketing_opt_out':
        marketingOptOut = inColumn(c, () => parseFlag(v));
        break;
      case 'birthday_leap':
        leap = inColumn(c, () => parseFlag(v));
        break;
      case 'name_raw':
      case 'email_raw':
      case 'phone_raw':
        raws[c.target] = values[c.index] ?? '';
        break;
      case 'custom':
        setField(fields, c.key, v);
        if (OPENING_KEYS.has(c.key)) setField(fields, OPENING_AS_OF, ctx.today);
        break;
      default:
        break;
    }
  }
  if (!name) name = joinName(family, given);
  const nameColumn = map.find((c) => c.target === 'name') ?? map.find((c) => c.target === 'family_name' || c.target === 'given_name');
  const nameless = !name;
  // A contact without a name is kept by its phone, email or member number; a row with none of them is nothing to keep.
  if (nameless && phones.length === 0 && !email && !scalar.external_id) {
    // An email left out was all the row had: that is why it is refused.
    const lost = warnings.find((w) => w.leftOut);
    throw lost ? new RowError(lost.column, lost.id, lost.params) : new RowError(nameColumn?.header ?? null, 'err.import.nothingToKeep');
  }
  if (nameless) name = '?'; // the stored name of the customer the keys find, or none (decisions.ts)
  let birthdayValue: string | null = null;
  if (birthday) {
    const b = birthday;
    const local = parseLocalDate(b.raw, ctx.dateOrders.get(b.column.index) ?? null);
    birthdayValue = optional(b.column, ctx, warnings, () => {
      if (!local && DAY_MONTH.test(b.raw)) throw new RowError(b.column.header, 'err.import.dayMonth', { value: b.raw });
      return parseBirthday(local ? local.day : b.raw, lunar);
    });
  }
  const base = parseCustomerInput({ name, city: scalar.city, externalId: scalar.external_id, note: scalar.note }, { country: ctx.country });
  // An address joined from its parts has an address's length too (the first of its columns is named).
  const addressColumn = map.find((c) => c.target === 'address') ?? map.find((c) => c.target === 'address_part');
  // Originals from crm's own export: what was typed before normalization.
  if (raws.name_raw) base.nameRaw = raws.name_raw;
  if (raws.email_raw && email) email.raw = raws.email_raw;
  if (raws.phone_raw) {
    const originals = raws.phone_raw.split(', ');
    phones.forEach((p, i) => {
      if (originals[i]) p.raw = originals[i]!;
    });
  }
  const seenPhones = new Set<string>();
  const seenTags = new Set<string>();
  return {
    fields: {
      ...base,
      phones: phones.filter((p) => (seenPhones.has(p.e164) ? false : (seenPhones.add(p.e164), true))),
      email: email?.value ?? null,
      emailRaw: email?.raw ?? null,
      gender,
      birthday: birthdayValue,
      birthdayLunar: lunar && birthdayValue !== null,
      address: addressColumn ? inColumn(addressColumn, () => cleanLine('address', address || (hasParts ? joinAddress({ ...parts, city: base.city ?? undefined }) : ''))) : null,
      tags: tags
        .map(normalizeTag)
        .filter((t): t is string => t !== null)
        .filter((t) => (seenTags.has(t.toLowerCase()) ? false : (seenTags.add(t.toLowerCase()), true))),
      fields,
      doNotContact,
      marketingOptOut,
      birthdayLeap: leap && lunar && birthdayValue !== null,
    },
    createdAt,
    id,
    nameless,
    level,
    warnings,
  };
}
