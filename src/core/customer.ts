// The customer record: its shape, and the rules that turn what a user typed into a clean record.
// Pure: plain data in, plain data out; errors are CrmError with a catalog id naming the field.
import { badInput } from '../errors.js';
import { normalizePhone } from './phone.js';
import { cleanLine, normalizeEmail, normalizeName, normalizeTag, normalizeText } from './text.js';
import { emptyFields, fieldsOf, setField, type Fields } from './fields.js';
import { checkText, cleanNote } from './limits.js';
import { fromLunar } from './calendar.js';
import { parseBirthday } from './dates.js';

export type Gender = 'female' | 'male' | 'other';
export const GENDERS: readonly Gender[] = ['female', 'male', 'other'];

export interface Phone {
  /** E.164, e.g. +8613800138000 */
  e164: string;
  /** What the user typed, when it differs from e164. */
  raw: string | null;
}

/** Everything a user can set on a customer. */
export interface CustomerFields {
  name: string;
  /** The name as typed, when normalization changed it. */
  nameRaw: string | null;
  phones: Phone[];
  email: string | null;
  emailRaw: string | null;
  gender: Gender | null;
  /** YYYY-MM-DD, or --MM-DD when the year is unknown (ISO 8601). */
  birthday: string | null;
  /** The birthday is a date of the Chinese lunar calendar. */
  birthdayLunar: boolean;
  /** A lunar birthday in a leap month (kept in the ordinary month of that number in years without it). */
  birthdayLeap?: boolean;
  city: string | null;
  address: string | null;
  /** Member or customer number from another system. */
  externalId: string | null;
  note: string | null;
  tags: string[];
  /** Custom fields: key -> value (a map without a prototype: see fields.ts). */
  fields: Fields;
  doNotContact: boolean;
  /** No marketing (holiday greetings, win-back, replenishment, coupons); service messages still go. */
  marketingOptOut?: boolean;
}

/** A stored customer: the fields plus what the store keeps for it. */
export interface Customer extends CustomerFields {
  id: number;
  tier: string | null;
  createdAt: string;
  updatedAt: string;
  orderCount: number;
  /** Sum of order amounts, integer minor units. */
  orderTotal: number;
  /** First and last purchase day (shop-local YYYY-MM-DD). */
  firstOrderDay: string | null;
  lastOrderDay: string | null;
}

/** What a user typed on `customer add` (every value a raw string). */
export interface CustomerInput {
  name?: string;
  phones?: string[];
  email?: string;
  gender?: string;
  birthday?: string;
  lunar?: boolean;
  leapMonth?: boolean;
  city?: string;
  address?: string;
  externalId?: string;
  note?: string;
  tags?: string[];
  /** key=value pairs */
  fields?: string[];
  doNotContact?: boolean;
  marketingOptOut?: boolean;
}

/** What a user typed on `customer edit`: set what is given; an empty string clears a field. */
export interface CustomerEdit extends Omit<CustomerInput, 'phones' | 'tags' | 'fields'> {
  addPhones?: string[];
  removePhones?: string[];
  fields?: string[];
  unsetFields?: string[];
}

export interface NormalizeOptions {
  /** ISO 3166 region for phone numbers typed without a country code, e.g. CN. */
  country: string;
}

export function parseGender(raw: string): Gender | null {
  const v = raw.trim().toLowerCase();
  if (['', '未知', '保密', '不详', 'unknown', 'n/a', '-'].includes(v)) return null;
  if (['f', 'female', 'woman', 'w', '女', '女性', '女士', '小姐', 'ms', 'mrs', 'miss'].includes(v.replace(/\.$/, ''))) return 'female';
  if (['m', 'male', 'man', '男', '男性', '先生', '男士', 'mr'].includes(v.replace(/\.$/, ''))) return 'male';
  if (['o', 'x', 'other', '其他', '其它'].includes(v)) return 'other';
  throw badInput('err.gender', { value: raw });
}

/** Parses one `key=value` custom field. */
export function parseFieldAssignment(raw: string): [string, string] {
  const eq = raw.indexOf('=');
  const key = eq > 0 ? cleanLine('fieldName', raw.slice(0, eq)) : null;
  if (!key) throw badInput('err.field', { value: raw });
  return [key, checkText('fieldValue', raw.slice(eq + 1).trim())];
}

function optionalText(field: 'city' | 'address' | 'externalId', raw: string | undefined): string | null {
  return raw === undefined ? null : cleanLine(field, raw);
}

function uniquePhones(phones: Phone[]): Phone[] {
  const seen = new Set<string>();
  return phones.filter((p) => (seen.has(p.e164) ? false : (seen.add(p.e164), true)));
}

function uniqueTags(tags: string[]): string[] {
  const seen = new Set<string>();
  return tags.filter((t) => (seen.has(t.toLowerCase()) ? false : (seen.add(t.toLowerCase()), true)));
}

/** Validates and normalizes a new customer. A missing name is bad input. */
/**
 * A lunar birthday with its year must be a day of that lunar year: lunar 1990-02-30 does not exist
 * (the second month of 1990 has 29 days), nor does a leap sixth month in a year without one.
 */
export function checkLunarBirthday(f: Pick<CustomerFields, 'birthday' | 'birthdayLunar' | 'birthdayLeap'>): void {
  const m = f.birthdayLunar && f.birthday ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(f.birthday) : null;
  if (!m) return;
  if (fromLunar(Number(m[1]), Number(m[2]), Number(m[3]), f.birthdayLeap ?? false) === null) {
    throw badInput(f.birthdayLeap ? 'err.birthday.lunarLeapMissing' : 'err.birthday.lunarMissing', { value: f.birthday!, year: m[1]!, month: Number(m[2]), day: Number(m[3]) });
  }
}

/**
 * A birthday after today (a year typed as 2030 for 1990) is refused: the caller skips this check
 * for --allow-future. A lunar birthday is compared by the solar day it fell on; one without a year
 * is never in the future.
 */
export function checkBirthdayNotFuture(f: Pick<CustomerFields, 'birthday' | 'birthdayLunar' | 'birthdayLeap'>, today: string): void {
  const m = f.birthday ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(f.birthday) : null;
  if (!m) return;
  const solar = f.birthdayLunar ? fromLunar(Number(m[1]), Number(m[2]), Number(m[3]), f.birthdayLeap ?? false) : f.birthday;
  if (solar && solar > today) throw badInput('err.birthday.future', { value: f.birthday!, today }, { id: 'hint.allowFuture' });
}

export function parseCustomerInput(input: CustomerInput, opts: NormalizeOptions): CustomerFields {
  if (input.name === undefined || input.name.trim() === '') throw badInput('err.name.required');
  const name = normalizeName(input.name);
  const email = input.email ? normalizeEmail(input.email) : null;
  const fields = emptyFields();
  for (const f of input.fields ?? []) {
    const [k, v] = parseFieldAssignment(f);
    if (v !== '') setField(fields, k, v);
  }
  const out: CustomerFields = {
    name: name.value,
    nameRaw: name.raw,
    phones: uniquePhones((input.phones ?? []).filter((p) => p.trim() !== '').map((p) => normalizePhone(p, opts.country))),
    email: email?.value ?? null,
    emailRaw: email?.raw ?? null,
    gender: input.gender === undefined ? null : parseGender(input.gender),
    birthday: input.birthday ? parseBirthday(input.birthday, input.lunar ?? false) : null,
    birthdayLunar: input.lunar ?? false,
    birthdayLeap: (input.lunar ?? false) && (input.leapMonth ?? false),
    city: optionalText('city', input.city),
    address: optionalText('address', input.address),
    externalId: optionalText('externalId', input.externalId),
    note: input.note === undefined ? null : cleanNote(input.note),
    tags: uniqueTags((input.tags ?? []).map(normalizeTag).filter((t): t is string => t !== null)),
    fields,
    doNotContact: input.doNotContact ?? false,
    marketingOptOut: input.marketingOptOut ?? false,
  };
  checkLunarBirthday(out);
  return out;
}

/** True when the edit would change nothing (no flag given). */
export function isEmptyEdit(edit: CustomerEdit): boolean {
  return Object.values(edit).every((v) => v === undefined || (Array.isArray(v) && v.length === 0));
}

/** Applies an edit to a customer's fields and returns the new fields. */
export function applyCustomerEdit(current: CustomerFields, edit: CustomerEdit, opts: NormalizeOptions): CustomerFields {
  const next: CustomerFields = { ...current, phones: [...current.phones], fields: fieldsOf(current.fields) };
  if (edit.name !== undefined) {
    if (edit.name.trim() === '') throw badInput('err.name.required');
    const n = normalizeName(edit.name);
    // The same name typed again (or a prompt's default accepted) keeps what was typed originally.
    if (n.value !== current.name) [next.name, next.nameRaw] = [n.value, n.raw];
  }
  if (edit.email !== undefined) {
    const e = edit.email.trim() === '' ? null : normalizeEmail(edit.email);
    if ((e?.value ?? null) !== current.email) [next.email, next.emailRaw] = [e?.value ?? null, e?.raw ?? null];
  }
  if (edit.gender !== undefined) next.gender = parseGender(edit.gender);
  if (edit.lunar !== undefined) next.birthdayLunar = edit.lunar;
  if (edit.birthday !== undefined) {
    next.birthday = edit.birthday.trim() === '' ? null : parseBirthday(edit.birthday, next.birthdayLunar);
  } else if (edit.lunar !== undefined && next.birthday) {
    next.birthday = parseBirthday(next.birthday, next.birthdayLunar);
  }
  if (edit.city !== undefined) next.city = optionalText('city', edit.city);
  if (edit.address !== undefined) next.address = optionalText('address', edit.address);
  if (edit.externalId !== undefined) next.externalId = optionalText('externalId', edit.externalId);
  if (edit.note !== undefined) next.note = cleanNote(edit.note);
  if (edit.doNotContact !== undefined) next.doNotContact = edit.doNotContact;
  if (edit.marketingOptOut !== undefined) next.marketingOptOut = edit.marketingOptOut;
  if (edit.leapMonth !== undefined) next.birthdayLeap = edit.leapMonth;
  if (!next.birthdayLunar) next.birthdayLeap = false;
  for (const raw of edit.removePhones ?? []) {
    const p = normalizePhone(raw, opts.country);
    const before = next.phones.length;
    next.phones = next.phones.filter((x) => x.e164 !== p.e164);
    if (next.phones.length === before) throw badInput('err.phone.notOnCustomer', { value: raw });
  }
  // A phone added on edit becomes the primary one (first), as the newest number usually is.
  const added = (edit.addPhones ?? []).map((p) => normalizePhone(p, opts.country));
  next.phones = uniquePhones([...added, ...next.phones]);
  for (const f of edit.fields ?? []) {
    const [k, v] = parseFieldAssignment(f);
    if (v === '') delete next.fields[k];
    else setField(next.fields, k, v);
  }
  for (const k of edit.unsetFields ?? []) delete next.fields[normalizeText(k) ?? k];
  checkLunarBirthday(next);
  return next;
}
