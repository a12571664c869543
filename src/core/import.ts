// Importing spreadsheets: which column is which field (Chinese and English headers), how a row's
// text becomes a customer or an order, how dates whose day/month order a column must settle are
// read, and what happens when a row's customer already exists. Pure: no I/O; errors name the column.
import { DateTime } from 'luxon';
import { badInput, CrmError } from '../errors.js';
import type { MessageId, Params } from '../messages/index.js';
import { parseCustomerInput, parseGender, type CustomerFields, type Phone } from './customer.js';
import { isoDay, parseBirthday, tryParseDay } from './dates.js';
import { parseAmount } from './money.js';
import { normalizePhone } from './phone.js';
import { normalizeEmail, normalizeTag, normalizeText, splitList } from './text.js';

export type ImportKind = 'customers' | 'orders';

export const CUSTOMER_TARGETS = [
  'name', 'family_name', 'given_name', 'phone', 'email', 'gender', 'birthday', 'lunar_birthday', 'birthday_lunar',
  'city', 'address', 'address_part', 'external_id', 'note', 'tags', 'created_at', 'id', 'do_not_contact',
  'name_raw', 'email_raw', 'phone_raw',
] as const;
export const ORDER_TARGETS = [
  'order_no', 'amount', 'ordered_at', 'day', 'note', 'customer_id', 'customer_external_id', 'customer_phone', 'customer_email', 'customer_name',
] as const;
export type Target = (typeof CUSTOMER_TARGETS)[number] | (typeof ORDER_TARGETS)[number] | 'custom' | 'ignore';

/**
 * A header as compared: NFKC, lower case, without a template's marks (手机号*, 性别(男/女), 邮箱【选填】),
 * spaces, underscores, hyphens, dots or colons.
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】|<[^>]*>/gu, '')
    .replace(/[\s_\-.:*]/gu, '');
}

/** Columns crm's own export derives from orders: not data to import (matched as written, so a sheet's own "Tier" is kept). */
const DERIVED = new Set(['tier', 'orders', 'spend', 'first_order', 'last_order', 'updated_at', 'crm_reject_reason']);

/** A custom field as crm's export writes one whose key a known header or column would take: field:<key>. */
export const FIELD_PREFIX = 'field:';

/** True when a custom field key would be read back as something else, so an export must mark it. */
export function needsFieldPrefix(key: string): boolean {
  return CUSTOMER_HEADERS.has(headerKey(key)) || DERIVED.has(key.trim()) || key.startsWith(FIELD_PREFIX);
}

// When several columns hold an amount, the one paid wins over a list price (实付金额 over 金额 over 单价).
const AMOUNT_RANK = ['实付金额', '实付', '实收金额', '付款金额', '支付金额', 'paid', 'total', 'totalamount', '订单金额', '消费金额', '总金额', '合计', '总价', 'amount', '金额', 'sum', 'value', 'price'].map(headerKey);

const syn = (target: Target, ...names: string[]): [string, Target][] => names.map((n) => [headerKey(n), target]);

const CUSTOMER_HEADERS = new Map<string, Target>([
  ...syn('name', '姓名', '名字', '客户姓名', '客户名称', '客户名', '客户', '名称', '联系人', '会员姓名', '顾客', '顾客姓名', 'name', 'full name', 'customer', 'customer name', 'contact', 'contact name'),
  ...syn('family_name', '姓', '姓氏', 'surname', 'last name', 'family name', 'lastname'),
  ...syn('given_name', '名', 'given name', 'first name', 'forename', 'firstname'),
  ...syn('phone', '手机', '手机号', '手机号码', '电话', '电话号码', '联系电话', '联系方式', '移动电话', '手机/电话', 'mobile', 'phone', 'phone number', 'tel', 'telephone', 'cell', 'cellphone', 'mobile phone'),
  ...syn('email', '邮箱', '电子邮箱', '电子邮件', '邮件', '邮箱地址', 'email', 'e-mail', 'mail', 'email address'),
  ...syn('gender', '性别', 'gender', 'sex'),
  ...syn('birthday', '生日', '出生日期', '出生年月日', '公历生日', '阳历生日', 'birthday', 'birth date', 'date of birth', 'dob', 'birthdate'),
  ...syn('lunar_birthday', '农历生日', '阴历生日'),
  ...syn('birthday_lunar', 'birthday_lunar', '农历', '是否农历'),
  ...syn('city', '城市', '所在城市', '市', 'city', 'town'),
  ...syn('address', '地址', '详细地址', '联系地址', '收货地址', '住址', '家庭住址', 'address', 'full address', 'street address'),
  ...syn('address_part', '省', '省份', '区', '区县', '县', '区域', '街道', '门牌号', '邮编', '邮政编码', 'province', 'state', 'district', 'area', 'suburb', 'street', 'street number', 'address 1', 'address 2', 'address line 1', 'address line 2', 'postcode', 'zip', 'zip code', 'postal code'),
  ...syn('external_id', '会员号', '会员编号', '会员卡号', '卡号', '客户编号', '客户号', '客户代码', '会员id', 'external id', 'member no', 'member number', 'member id', 'customer no', 'customer number', 'customer code', 'card no'),
  ...syn('note', '备注', '说明', '附言', '备忘', 'note', 'notes', 'remark', 'remarks', 'comment', 'comments', 'memo'),
  ...syn('tags', '标签', '分组', '客户标签', '客户分组', 'tags', 'tag', 'labels', 'label', 'groups'),
  ...syn('created_at', '创建时间', '注册时间', '建档时间', '加入时间', '入会时间', '登记时间', 'created at', 'created', 'registered', 'join date', 'joined', 'customer since'),
  ...syn('do_not_contact', '勿扰', '不联系', '免打扰', '拒绝联系', 'do not contact', 'dnc', 'opt out', 'opted out'),
  ...syn('id', 'id'),
  ...syn('name_raw', 'name_raw'),
  ...syn('email_raw', 'email_raw'),
  ...syn('phone_raw', 'phone_raw'),
  // What crm's own export derives from orders: not data to import.
  ...syn('ignore', '序号', 'no.', '#'),
]);

const ORDER_HEADERS = new Map<string, Target>([
  ...syn('order_no', '订单号', '订单编号', '单号', '流水号', '小票号', '交易号', 'order no', 'order number', 'order id', 'order', 'receipt no', 'receipt', 'transaction id'),
  ...syn('amount', '金额', '实付金额', '实付', '实收金额', '付款金额', '支付金额', '订单金额', '消费金额', '总价', '合计', '总金额', '应付金额', 'amount', 'total', 'price', 'paid', 'total amount', 'sum', 'value'),
  ...syn('ordered_at', '下单时间', '订单时间', '交易时间', '支付时间', '付款时间', '购买时间', '消费时间', '时间', 'ordered at', 'order time', 'time', 'date time', 'datetime', 'purchased at'),
  ...syn('day', '日期', '下单日期', '订单日期', '消费日期', '交易日期', '购买日期', 'date', 'order date', 'day', 'purchase date'),
  ...syn('note', '备注', '说明', '商品', '摘要', 'note', 'notes', 'remark', 'comment', 'memo', 'items'),
  ...syn('customer_id', 'customer_id'),
  ...syn('customer_external_id', '会员号', '会员编号', '会员卡号', '卡号', '客户编号', '客户号', 'external id', 'member no', 'member number', 'customer no', 'customer number', 'card no'),
  ...syn('customer_phone', '手机', '手机号', '手机号码', '电话', '联系电话', '客户电话', 'mobile', 'phone', 'tel', 'customer phone'),
  ...syn('customer_email', '邮箱', '电子邮箱', 'email', 'e-mail', 'customer email'),
  ...syn('customer_name', '姓名', '客户', '客户姓名', '客户名称', '顾客', '会员姓名', 'name', 'customer', 'customer name'),
  ...syn('ignore', 'id', '序号'),
]);

export interface ColumnMap {
  index: number;
  header: string;
  target: Target;
  /** Custom-field key (target custom) or address part name (address_part). */
  key: string;
  /** How the target was chosen. */
  how: 'header' | 'map' | 'unknown' | 'repeated';
}

const SINGLE: ReadonlySet<Target> = new Set<Target>(CUSTOMER_TARGETS.filter((t) => t !== 'phone' && t !== 'tags' && t !== 'address_part'));

function targetsOf(kind: ImportKind): readonly string[] {
  return kind === 'customers' ? CUSTOMER_TARGETS : ORDER_TARGETS;
}

/**
 * Maps a header row: `--map "Column=field"` first (field is a target, field:<key> for a custom
 * field, or ignore), then the known headers. Unknown columns of a customer file become custom
 * fields; of an order file, they are ignored. A single-valued field named twice keeps the first
 * column; the others become custom fields.
 */
export function mapColumns(kind: ImportKind, header: string[], overrides: string[] = []): ColumnMap[] {
  const known = kind === 'customers' ? CUSTOMER_HEADERS : ORDER_HEADERS;
  const forced = new Map<string, { target: Target; key: string }>();
  for (const o of overrides) {
    const eq = o.lastIndexOf('=');
    const column = eq > 0 ? headerKey(o.slice(0, eq)) : '';
    const field = eq > 0 ? o.slice(eq + 1).trim() : '';
    if (!column || !field) throw badInput('err.import.map', { value: o });
    if (!header.some((h) => headerKey(h) === column)) throw badInput('err.import.mapColumn', { value: o.slice(0, eq), columns: header.join(', ') });
    if (field === 'ignore' || field === '-') forced.set(column, { target: 'ignore', key: '' });
    else if (field.startsWith('field:') && kind === 'customers' && field.length > 6) forced.set(column, { target: 'custom', key: field.slice(6).trim() });
    else if (targetsOf(kind).includes(field)) forced.set(column, { target: field as Target, key: '' });
    else throw badInput('err.import.mapField', { value: field, fields: [...targetsOf(kind), 'field:<key>', 'ignore'].join(', ') });
  }
  const seen = new Set<Target>();
  const keys = new Set<string>();
  // The amount column of an order file: the best-ranked of those that name an amount.
  const amountRank = (h: string) => {
    const r = AMOUNT_RANK.indexOf(headerKey(h));
    return r === -1 ? AMOUNT_RANK.length : r;
  };
  const amountColumns = kind === 'orders' ? header.filter((h) => !forced.has(headerKey(h)) && known.get(headerKey(h)) === 'amount') : [];
  const bestAmount = amountColumns.sort((a, b) => amountRank(a) - amountRank(b))[0];
  return header.map((raw, index) => {
    const h = raw.trim() || `column ${index + 1}`;
    const k = headerKey(h);
    const f = forced.get(k);
    const marked = kind === 'customers' && h.startsWith(FIELD_PREFIX) && h.length > FIELD_PREFIX.length;
    let target: Target = f?.target ?? (DERIVED.has(h) ? 'ignore' : marked ? 'custom' : (known.get(k) ?? (kind === 'customers' ? 'custom' : 'ignore')));
    let how: ColumnMap['how'] = f ? 'map' : DERIVED.has(h) || known.has(k) || marked ? 'header' : 'unknown';
    let key = f?.key || (marked ? h.slice(FIELD_PREFIX.length) : h);
    if (!f && target === 'amount' && raw !== bestAmount) [target, how] = ['ignore', 'repeated'];
    // An order file keeps what it says beyond the known columns in the order's note, not dropped.
    if (!f && kind === 'orders' && target === 'ignore' && how === 'unknown') target = 'note';
    const single = kind === 'customers' ? SINGLE.has(target) : target !== 'ignore' && target !== 'note';
    if (single && seen.has(target)) {
      target = kind === 'customers' ? 'custom' : 'ignore';
      how = 'repeated';
    }
    seen.add(target);
    if (target === 'custom') {
      let unique = key;
      for (let n = 2; keys.has(unique); n++) unique = `${key} (${n})`;
      key = unique;
      keys.add(key);
    }
    return { index, header: h, target, key, how };
  });
}

/** A row that names at least two known columns is a header (a title row above it names none). */
export function looksLikeHeader(kind: ImportKind, cells: string[]): boolean {
  const known = kind === 'customers' ? CUSTOMER_HEADERS : ORDER_HEADERS;
  return cells.filter((c) => known.has(headerKey(c))).length >= 2;
}

/** Refuses a mapping that cannot import anything: customers need a name, orders an amount, a date and a customer. */
export function checkMapping(kind: ImportKind, map: ColumnMap[]): void {
  const has = (t: Target) => map.some((c) => c.target === t);
  const columns = map.map((c) => c.header).join(', ');
  // A file without names can still add details to customers it finds by member number, phone or email.
  const named = has('name') || has('family_name') || has('given_name');
  if (kind === 'customers' && !named && !has('phone') && !has('email') && !has('external_id')) throw badInput('err.import.noName', { columns });
  if (kind === 'orders') {
    if (!has('amount')) throw badInput('err.import.noAmount', { columns });
    if (!has('ordered_at') && !has('day')) throw badInput('err.import.noDate', { columns });
    if (!['customer_id', 'customer_external_id', 'customer_phone', 'customer_email', 'customer_name'].some((t) => has(t as Target))) {
      throw badInput('err.import.noCustomer', { columns });
    }
  }
}

// ---- Dates -----------------------------------------------------------------------------------

export type DateOrder = 'dmy' | 'mdy';
const TIME_ONLY = /^\d{1,2}:\d{2}(:\d{2})?$/;
/** How Excel shows a long number it has already rounded: 6.22848E+18. The digits are gone. */
const SCIENTIFIC = /^\d(\.\d+)?e\+\d+$/i;

/** A member number, order number or phone as text, refusing one Excel turned into a rounded number. */
function keyText(column: ColumnMap, raw: string): string {
  if (SCIENTIFIC.test(raw.trim())) throw new RowError(column.header, 'err.import.scientific', { value: raw.trim() });
  return normalizeText(raw) ?? raw;
}

/** A day and month without year, written with / or . (05/03, 5.3): its order needs settling like a full date's. */
const DAY_MONTH = /^(\d{1,2})[/.](\d{1,2})$/;
const NUMERIC_DATE = /^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const TIME_SUFFIX = /^(.+?)[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

export interface DateScan {
  dayFirst: boolean;
  monthFirst: boolean;
  ambiguous: number;
  sample: string | null;
}

export function newDateScan(): DateScan {
  return { dayFirst: false, monthFirst: false, ambiguous: 0, sample: null };
}

/** Notes one value of a date column: does it settle whether 05/03/2024 is the 5th of March or May 3rd? */
export function scanDate(scan: DateScan, raw: string): void {
  const m = NUMERIC_DATE.exec(raw.trim()) ?? DAY_MONTH.exec(raw.trim());
  if (!m) return;
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (a > 12 && b <= 12) scan.dayFirst = true;
  else if (b > 12 && a <= 12) scan.monthFirst = true;
  else if (a <= 12 && b <= 12 && a !== b) {
    scan.ambiguous++;
    scan.sample ??= raw.trim();
  }
}

/** The order a column's values settle: null when they need none; 'ambiguous' when they need one but do not settle it. */
export function dateOrderOf(scan: DateScan): DateOrder | null | 'ambiguous' {
  if (scan.dayFirst && !scan.monthFirst) return 'dmy';
  if (scan.monthFirst && !scan.dayFirst) return 'mdy';
  if (scan.dayFirst && scan.monthFirst) return null; // mixed: each value is judged alone, and the impossible ones refused
  return scan.ambiguous > 0 ? 'ambiguous' : null;
}

export function parseDateFormat(raw: string): DateOrder {
  const f = raw.trim().toLowerCase().replace(/[^dmy]/g, '');
  if (f === 'ddmmyyyy' || f === 'dmy') return 'dmy';
  if (f === 'mmddyyyy' || f === 'mdy') return 'mdy';
  throw badInput('err.import.dateFormat', { value: raw });
}

export interface LocalDate {
  day: string;
  /** HH:mm:ss local time, or null for a bare day. */
  time: string | null;
}

const pad = (n: number) => String(n).padStart(2, '0');


/**
 * A date (and time) as spreadsheets write it: 2024-03-05, 2024/3/5, 2024年3月5日, 20240305, an Excel
 * serial number (45356, 45356.5 with a time), or 05/03/2024 read in the column's order.
 */
// Morning and afternoon as spreadsheets write them: 2024/3/5 上午 9:05, 2024-03-05 9:05 PM.
const HALF_DAY = /\s*(上午|早上|凌晨|中午|下午|晚上|a\.?m\.?|p\.?m\.?)\s*/iu;

/** A date and time with 上午/下午 or AM/PM as a 24-hour time, or the text unchanged. */
function twentyFourHour(s: string): string | null {
  const m = HALF_DAY.exec(s);
  if (!m) return s;
  const rest = (s.slice(0, m.index) + ' ' + s.slice(m.index + m[0].length)).trim().replace(/\s+/g, ' ');
  const t = /^(.+?) (\d{1,2}):(\d{2})(:\d{2})?$/.exec(rest);
  if (!t) return null;
  let h = Number(t[2]);
  if (h < 1 || h > 12) return null;
  const pm = /^(下午|晚上|p)/i.test(m[1]!) || (m[1] === '中午' && h < 11);
  if (pm && h < 12) h += 12;
  if (!pm && h === 12) h = 0;
  return `${t[1]} ${pad(h)}:${t[3]}${t[4] ?? ''}`;
}

export function parseLocalDate(raw: string, order: DateOrder | null): LocalDate | null {
  const s = twentyFourHour(raw.normalize('NFKC').trim());
  if (s === null) return null;
  // Excel serial numbers: five digits are 1927-05-18 to 2173-10-14; fewer would be years or codes (1990, 0305, 12.25).
  if (/^\d{5}(\.\d+)?$/.test(s)) {
    // Excel's 1900 date system: day 1 is 1900-01-01, and day 60 is the 29 February 1900 Excel believes in.
    const serial = Number(s);
    if (serial < 1 || serial === 60) return null;
    const days = Math.floor(serial) - (serial > 60 ? 1 : 0);
    const base = DateTime.fromObject({ year: 1899, month: 12, day: 31 }, { zone: 'UTC' }).plus({ days });
    const seconds = Math.round((serial - Math.floor(serial)) * 86400);
    return { day: base.toISODate()!, time: seconds ? `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}` : null };
  }
  const dm = DAY_MONTH.exec(s);
  if (dm) {
    // A birthday without year: --MM-DD, in the column's order, never guessed.
    const [a, b] = [Number(dm[1]), Number(dm[2])];
    const dmy = order ?? (a > 12 ? 'dmy' : b > 12 ? 'mdy' : a === b ? 'dmy' : null);
    if (!dmy) return null;
    const [month, day] = dmy === 'dmy' ? [b, a] : [a, b];
    return isoDay(2000, month, day) ? { day: `--${pad(month)}-${pad(day)}`, time: null } : null;
  }
  const numeric = NUMERIC_DATE.exec(s);
  if (numeric) {
    const [a, b, y] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
    let dmy = order;
    if (!dmy) {
      if (a > 12) dmy = 'dmy';
      else if (b > 12) dmy = 'mdy';
      else if (a === b) dmy = 'dmy';
      else return null; // never guessed
    }
    const day = dmy === 'dmy' ? isoDay(y, b, a) : isoDay(y, a, b);
    if (!day) return null;
    const time = numeric[4] ? `${pad(Number(numeric[4]))}:${numeric[5]}:${numeric[6] ?? '00'}` : null;
    return { day, time };
  }
  const t = TIME_SUFFIX.exec(s);
  const day = tryParseDay(t ? t[1]! : s);
  if (!day) return null;
  if (!t) return { day, time: null };
  const [h, mi, se] = [Number(t[2]), Number(t[3]), Number(t[4] ?? 0)];
  if (h > 23 || mi > 59 || se > 59) return null;
  return { day, time: `${pad(h)}:${pad(mi)}:${pad(se)}` };
}

const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An instant (UTC ISO) from a cell, when its calendar day is not needed (created_at). */
export function parseAt(raw: string, order: DateOrder | null, zone: string): string | null {
  const s = raw.trim();
  // crm's own export writes instants exactly as they are stored.
  if (CANONICAL_UTC.test(s) && !Number.isNaN(Date.parse(s))) return s;
  return parseInstant(s, order, zone)?.at ?? null;
}

/** An instant from a cell: ISO 8601 with an offset (crm's own export), or a local date/time in the shop's zone. */
export function parseInstant(raw: string, order: DateOrder | null, zone: string): { at: string; day: string } | null {
  const s = raw.trim();
  if (/\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const dt = DateTime.fromISO(s.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T'), { setZone: true });
    if (dt.isValid) return { at: dt.toUTC().toISO()!, day: dt.setZone(zone).toISODate()! };
  }
  const local = parseLocalDate(s, order);
  if (!local) return null;
  const dt = DateTime.fromISO(`${local.day}T${local.time ?? '00:00:00'}`, { zone });
  return dt.isValid ? { at: dt.toUTC().toISO()!, day: local.day } : null;
}

// ---- Rows --------------------------------------------------------------------------------------

/** Why a row was refused, and in which column. */
export class RowError extends Error {
  constructor(
    readonly column: string | null,
    readonly id: MessageId,
    readonly params: Params = {},
  ) {
    super(id);
  }
}

export interface RowContext {
  country: string;
  currency: string;
  zone: string;
  /** Day/month order per column index, for numeric dates. */
  dateOrders: Map<number, DateOrder>;
}

function inColumn<T>(column: ColumnMap, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CrmError) throw new RowError(column.header, e.id, e.params);
    throw e;
  }
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
  ...role('province', '省', '省份', 'province', 'state'),
  ...role('district', '区', '区县', '县', '区域', 'district', 'area', 'suburb'),
  ...role('street', '街道', 'street', 'address 1', 'address line 1'),
  ...role('line', 'address 2', 'address line 2'),
  ...role('number', '门牌号', 'street number'),
  ...role('postcode', '邮编', '邮政编码', 'postcode', 'zip', 'zip code', 'postal code'),
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
  if (Object.values(parts).some((v) => v && CJK.test(v))) {
    return [p('province'), p('city'), p('district'), p('street'), p('number'), p('line')].filter((s, i, all) => s && !all.slice(i + 1).some((later) => later.startsWith(s))).join('');
  }
  const street = [p('number'), p('street')].filter(Boolean).join(' ');
  const region = [p('province'), p('postcode')].filter(Boolean).join(' ');
  return [street, p('line'), p('district'), p('city'), region].filter(Boolean).join(', ');
}

export interface ImportedCustomer {
  fields: CustomerFields;
  /** When the customer was created (UTC ISO), if the file says. */
  createdAt: string | null;
  /** crm's own id, from crm's export. */
  id: number | null;
  /** The row gives no name: it can only add to a customer found by its keys. */
  nameless: boolean;
}

/** A phone cell: Excel's rounded numbers refused, its "13800138000.0" read as the number it was. */
function phoneText(column: ColumnMap, raw: string): string {
  keyText(column, raw);
  return raw.trim().replace(/^(\+?\d+)\.0+$/, '$1');
}

function splitPhones(raw: string): string[] {
  return raw.split(/[,;，；、/|]/u).map((s) => s.trim()).filter(Boolean);
}

/** A row with values in cells beyond the header: something shifted, and guessing which would put values in the wrong fields. */
export function checkRowWidth(values: string[], map: ColumnMap[]): void {
  const extra = values.slice(map.length).filter((v) => v.trim() !== '').length;
  if (extra > 0) throw new RowError(null, 'err.import.extraCells', { count: extra, columns: map.length });
}

/** A customer from one row; throws RowError naming the column of the first value that does not parse. */
export function customerFromRow(values: string[], map: ColumnMap[], ctx: RowContext): ImportedCustomer {
  checkRowWidth(values, map);
  const get = (c: ColumnMap) => (values[c.index] ?? '').trim();
  let name = '';
  let family = '';
  let given = '';
  const phones: Phone[] = [];
  const tags: string[] = [];
  const parts: Partial<Record<AddressRole, string>> = {};
  let hasParts = false;
  const fields: Record<string, string> = {};
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
  for (const c of map) {
    const v = get(c);
    if (v === '') continue;
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
        for (const p of splitPhones(v)) phones.push(inColumn(c, () => normalizePhone(phoneText(c, p), ctx.country)));
        break;
      case 'email':
        email = inColumn(c, () => normalizeEmail(v));
        break;
      case 'gender':
        gender = inColumn(c, () => parseGender(v));
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
        address = v;
        break;
      case 'address_part':
        parts[addressRole(c.header)] = v;
        hasParts = true;
        fields[c.key.startsWith(ADDRESS_PART) ? c.key : `${ADDRESS_PART}${c.key}`] = v; // masked with the address
        break;
      case 'tags':
        tags.push(...splitList(v));
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
      case 'name_raw':
      case 'email_raw':
      case 'phone_raw':
        raws[c.target] = values[c.index] ?? '';
        break;
      case 'custom':
        fields[c.key] = v;
        break;
      default:
        break;
    }
  }
  if (!name) name = joinName(family, given);
  const nameColumn = map.find((c) => c.target === 'name') ?? map.find((c) => c.target === 'family_name' || c.target === 'given_name');
  const nameless = !name;
  if (nameless && (nameColumn || (phones.length === 0 && !email && !scalar.external_id))) throw new RowError(nameColumn?.header ?? null, 'err.name.required');
  if (nameless) name = '?'; // replaced by the stored name of the customer the keys find
  let birthdayValue: string | null = null;
  if (birthday) {
    const b = birthday;
    const local = parseLocalDate(b.raw, ctx.dateOrders.get(b.column.index) ?? null);
    if (!local && DAY_MONTH.test(b.raw)) throw new RowError(b.column.header, 'err.import.dayMonth', { value: b.raw });
    birthdayValue = inColumn(b.column, () => parseBirthday(local ? local.day : b.raw, lunar));
  }
  const base = parseCustomerInput({ name, city: scalar.city, externalId: scalar.external_id, note: scalar.note }, { country: ctx.country });
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
      address: normalizeText(address || (hasParts ? joinAddress({ ...parts, city: base.city ?? undefined }) : '')),
      tags: tags
        .map(normalizeTag)
        .filter((t): t is string => t !== null)
        .filter((t) => (seenTags.has(t.toLowerCase()) ? false : (seenTags.add(t.toLowerCase()), true))),
      fields,
      doNotContact,
    },
    createdAt,
    id,
    nameless,
  };
}

export interface ImportedOrder {
  orderNo: string | null;
  amount: number;
  at: string;
  day: string;
  note: string | null;
  customer: { id: number | null; externalId: string | null; phone: string | null; email: string | null; name: string | null };
}

/** An order from one row; throws RowError naming the column of the first value that does not parse. */
export function orderFromRow(values: string[], map: ColumnMap[], ctx: RowContext): ImportedOrder {
  checkRowWidth(values, map);
  const out: ImportedOrder = { orderNo: null, amount: -1, at: '', day: '', note: null, customer: { id: null, externalId: null, phone: null, email: null, name: null } };
  let when: { at: string; day: string } | null = null;
  let dayOnly: { at: string; day: string } | null = null;
  let dayColumn: ColumnMap | null = null;
  let timeOnly: string | null = null;
  const notes: string[] = [];
  const noteColumns = map.filter((c) => c.target === 'note').length;
  for (const c of map) {
    const v = (values[c.index] ?? '').trim();
    if (v === '') continue;
    switch (c.target) {
      case 'order_no':
        out.orderNo = keyText(c, v);
        break;
      case 'amount':
        out.amount = inColumn(c, () => parseAmount(v, ctx.currency));
        break;
      case 'ordered_at':
      case 'day': {
        if (c.target === 'ordered_at' && TIME_ONLY.test(v)) {
          timeOnly = v; // a time column beside a date column
          break;
        }
        const w = parseInstant(v, ctx.dateOrders.get(c.index) ?? null, ctx.zone);
        if (!w) throw new RowError(c.header, 'err.datetime', { value: v });
        if (c.target === 'ordered_at') when = w;
        else [dayOnly, dayColumn] = [w, c];
        break;
      }
      case 'note':
        notes.push(noteColumns > 1 ? `${c.header}: ${v}` : v);
        break;
      case 'customer_id':
        if (!/^\d{1,15}$/.test(v)) throw new RowError(c.header, 'err.import.id', { value: v });
        out.customer.id = Number(v);
        break;
      case 'customer_external_id':
        out.customer.externalId = keyText(c, v);
        break;
      case 'customer_phone':
        out.customer.phone = inColumn(c, () => normalizePhone(phoneText(c, splitPhones(v)[0] ?? v), ctx.country)).e164;
        break;
      case 'customer_email':
        out.customer.email = inColumn(c, () => normalizeEmail(v)).value;
        break;
      case 'customer_name':
        out.customer.name = normalizeText(v);
        break;
      default:
        break;
    }
  }
  if (notes.length) out.note = notes.join('; ');
  if (!when && dayOnly && timeOnly) {
    when = parseInstant(`${dayOnly.day} ${timeOnly}`, null, ctx.zone);
    if (!when) throw new RowError(dayColumn?.header ?? null, 'err.datetime', { value: `${dayOnly.day} ${timeOnly}` });
  }
  const amountColumn = map.find((c) => c.target === 'amount')!;
  if (out.amount < 0) throw new RowError(amountColumn.header, 'err.import.missing', { field: amountColumn.header });
  const w = when ?? dayOnly;
  if (!w) {
    const dateColumn = map.find((c) => c.target === 'ordered_at' || c.target === 'day')!;
    throw new RowError(dateColumn.header, 'err.import.missing', { field: dateColumn.header });
  }
  out.at = w.at;
  out.day = w.day;
  const c = out.customer;
  if (c.id === null && !c.externalId && !c.phone && !c.email && !c.name) throw new RowError(null, 'err.import.noCustomerValue');
  return out;
}

// ---- Conflicts -------------------------------------------------------------------------------

export const CONFLICT_MODES = ['skip', 'update', 'merge', 'new'] as const;
export type ConflictMode = (typeof CONFLICT_MODES)[number];

export function parseConflictMode(raw: string): ConflictMode {
  const m = raw.trim().toLowerCase();
  if (!(CONFLICT_MODES as readonly string[]).includes(m)) throw badInput('err.import.onConflict', { value: raw, allowed: CONFLICT_MODES.join('|') });
  return m as ConflictMode;
}

const SCALARS = ['email', 'gender', 'birthday', 'city', 'address', 'externalId', 'note'] as const;

export interface Combined {
  fields: CustomerFields;
  changed: boolean;
  /** Fields whose value in the file differed from the stored one, which was kept (update). */
  kept: string[];
}

/**
 * What an existing customer becomes when a row of the file names them.
 * update: empty fields are filled; phones, tags and custom fields the record lacks are added;
 *   a value that differs from a stored one never replaces it (it is reported as kept).
 * merge: the file's non-empty values replace the stored ones; phones and tags are added to them.
 */
export function combine(mode: 'update' | 'merge', existing: CustomerFields, incoming: CustomerFields): Combined {
  const next: CustomerFields = { ...existing, phones: [...existing.phones], tags: [...existing.tags], fields: { ...existing.fields } };
  const kept: string[] = [];
  for (const k of SCALARS) {
    const [was, now] = [existing[k], incoming[k]];
    if (now === null || now === was) continue;
    if (was === null || mode === 'merge') {
      (next as unknown as Record<string, unknown>)[k] = now;
      if (k === 'email') next.emailRaw = incoming.emailRaw;
      if (k === 'birthday') next.birthdayLunar = incoming.birthdayLunar;
    } else kept.push(k);
  }
  if (mode === 'merge' && incoming.name !== existing.name) [next.name, next.nameRaw] = [incoming.name, incoming.nameRaw];
  else if (incoming.name !== existing.name) kept.push('name');
  const phones = mode === 'merge' ? [...incoming.phones, ...existing.phones] : [...existing.phones, ...incoming.phones];
  const seen = new Set<string>();
  next.phones = phones.filter((p) => (seen.has(p.e164) ? false : (seen.add(p.e164), true)));
  const tagKeys = new Set(existing.tags.map((t) => t.toLowerCase()));
  for (const t of incoming.tags) if (!tagKeys.has(t.toLowerCase())) (next.tags.push(t), tagKeys.add(t.toLowerCase()));
  for (const [k, v] of Object.entries(incoming.fields)) {
    if (!(k in existing.fields)) next.fields[k] = v;
    else if (existing.fields[k] !== v) {
      if (mode === 'merge') next.fields[k] = v;
      else kept.push(k);
    }
  }
  if (incoming.doNotContact && !existing.doNotContact) next.doNotContact = true; // a refusal is never dropped
  return { fields: next, changed: JSON.stringify(next) !== JSON.stringify(existing), kept };
}

/** Two records say the same thing (a row without phone, email or member number, imported again). */
export function sameRecord(a: CustomerFields, b: CustomerFields): boolean {
  const norm = (c: CustomerFields) =>
    JSON.stringify([c.name, c.phones.map((p) => p.e164), c.email, c.gender, c.birthday, c.birthdayLunar, c.city, c.address, c.externalId, c.note, [...c.tags].sort(), c.fields, c.doNotContact]);
  return norm(a) === norm(b);
}

// ---- Decisions -------------------------------------------------------------------------------

/** What the store can tell the import about existing customers (ids found by each key). */
export interface CustomerLookups {
  byExternalId(value: string): number[];
  byPhone(e164: string): number[];
  byEmail(email: string): number[];
  /** Customers with this name and no member number, phone or email. */
  keylessByName(name: string): number[];
  exists(id: number): boolean;
  load(id: number): CustomerFields | null;
}

export type CustomerDecision =
  | { action: 'insert'; row: ImportedCustomer; id: number | null }
  | { action: 'update'; id: number; fields: CustomerFields; kept: string[] }
  | { action: 'unchanged'; id: number; kept: string[] }
  | { action: 'skip'; id: number }
  | { action: 'reject'; error: RowError };

const nameKeyOf = (name: string) => name.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');

/**
 * Whether a row's customer already exists, and what to do about it. The same customer is the one
 * with the row's member number, phone or email (several different ones: the row is refused, for
 * dedupe to settle); failing those, crm's own id with the same name (crm's export read back), or a
 * stored record saying exactly what the row says (a file without contact details imported again).
 */
export function decideCustomer(row: ImportedCustomer, mode: ConflictMode, look: CustomerLookups): CustomerDecision {
  const f = row.fields;
  const freeId = row.id !== null && !look.exists(row.id) ? row.id : null;
  if (mode === 'new') {
    if (row.nameless) return { action: 'reject', error: new RowError(null, 'err.import.namelessNew') };
    return { action: 'insert', row, id: freeId };
  }
  const found = new Map<number, string>();
  const note = (ids: number[], why: string) => ids.forEach((id) => found.has(id) || found.set(id, why));
  if (f.externalId) note(look.byExternalId(f.externalId), 'external_id');
  for (const p of f.phones) note(look.byPhone(p.e164), 'phone');
  if (f.email) note(look.byEmail(f.email), 'email');
  if (found.size > 1) {
    const list = [...found].map(([id, why]) => `#${id} (${why})`).join(', ');
    return { action: 'reject', error: new RowError(null, 'err.import.severalMatch', { list }) };
  }
  let id: number | null = found.size === 1 ? [...found.keys()][0]! : null;
  let existing = id === null ? null : look.load(id);
  if (!existing && row.id !== null && look.exists(row.id)) {
    const same = look.load(row.id);
    if (same && nameKeyOf(same.name) === nameKeyOf(f.name)) [id, existing] = [row.id, same];
  }
  // A row with a member number, phone or email that nobody has is new; only a row without any of
  // them can be a stored record seen again.
  const keyless = !f.externalId && f.phones.length === 0 && !f.email;
  if (!existing && keyless) {
    for (const candidate of look.keylessByName(f.name)) {
      const c = look.load(candidate);
      if (c && sameRecord(c, f)) {
        [id, existing] = [candidate, c];
        break;
      }
    }
  }
  if (!existing || id === null) {
    if (row.nameless) return { action: 'reject', error: new RowError(null, 'err.import.namelessNew') };
    return { action: 'insert', row, id: freeId };
  }
  if (mode === 'skip') return { action: 'skip', id };
  // Families share a phone: a row with another name is another person, not an update of this one.
  if (!row.nameless && found.size === 1 && nameKeyOf(existing.name) !== nameKeyOf(f.name)) {
    return { action: 'reject', error: new RowError(null, 'err.import.otherName', { id, name: existing.name, key: found.get(id) ?? '' }) };
  }
  const combined = combine(mode, existing, row.nameless ? { ...f, name: existing.name, nameRaw: existing.nameRaw } : f);
  return combined.changed ? { action: 'update', id, fields: combined.fields, kept: combined.kept } : { action: 'unchanged', id, kept: combined.kept };
}

export interface OrderLookups {
  customerById(id: number): boolean;
  customersByExternalId(value: string): number[];
  customersByPhone(e164: string): number[];
  customersByEmail(email: string): number[];
  customersByName(name: string): number[];
  orderByNumber(orderNo: string): { customerId: number; amount: number; orderedAt: string } | null;
}

export type OrderDecision =
  | { action: 'insert'; customerId: number }
  | { action: 'insertWithCustomer'; customer: CustomerFields }
  | { action: 'unchanged' }
  | { action: 'reject'; error: RowError };

/**
 * Which customer an order belongs to (by crm id, member number, phone or email; keys that name
 * different customers refuse the row) and whether it is already recorded (the same order number;
 * the same number with other values refuses the row).
 */
export function decideOrder(o: ImportedOrder, createCustomers: boolean, look: OrderLookups): OrderDecision {
  const c = o.customer;
  const tries: [string, number[]][] = [];
  if (c.id !== null) tries.push(['customer_id', look.customerById(c.id) ? [c.id] : []]);
  if (c.externalId) tries.push(['external_id', look.customersByExternalId(c.externalId)]);
  if (c.phone) tries.push(['phone', look.customersByPhone(c.phone)]);
  if (c.email) tries.push(['email', look.customersByEmail(c.email)]);
  // A row that names its customer only by name: that name, if exactly one customer has it.
  if (tries.length === 0 && c.name) tries.push(['name', look.customersByName(c.name)]);
  const hits = tries.filter(([, ids]) => ids.length > 0);
  for (const [why, ids] of hits) {
    if (ids.length > 1) return { action: 'reject', error: new RowError(null, 'err.import.ambiguousCustomer', { key: why, list: ids.map((i) => `#${i}`).join(', ') }) };
  }
  const ids = new Set(hits.map(([, ids]) => ids[0]!));
  if (ids.size > 1) {
    const list = hits.map(([why, ids]) => `#${ids[0]} (${why})`).join(', ');
    return { action: 'reject', error: new RowError(null, 'err.import.severalMatch', { list }) };
  }
  const customerId = ids.size === 1 ? [...ids][0]! : null;
  if (o.orderNo) {
    const known = look.orderByNumber(o.orderNo);
    if (known) {
      const same = (customerId === null || known.customerId === customerId) && known.amount === o.amount && known.orderedAt === o.at;
      return same ? { action: 'unchanged' } : { action: 'reject', error: new RowError(null, 'err.import.orderNoTaken', { id: o.orderNo }) };
    }
  }
  if (customerId !== null) return { action: 'insert', customerId };
  if (!createCustomers) {
    const ref = c.externalId ?? c.phone ?? c.email ?? (c.id !== null ? `#${c.id}` : c.name) ?? '';
    return { action: 'reject', error: new RowError(null, 'err.import.unknownCustomer', { ref }) };
  }
  const name = c.name ?? c.phone ?? c.externalId ?? c.email;
  if (!name) return { action: 'reject', error: new RowError(null, 'err.name.required') };
  // The phone and email are normalized already; only the name and member number are read here.
  const customer = parseCustomerInput({ name, externalId: c.externalId ?? undefined }, { country: '' });
  return { action: 'insertWithCustomer', customer: { ...customer, phones: c.phone ? [{ e164: c.phone, raw: null }] : [], email: c.email } };
}

/**
 * Orders without a number, seen again: each stored order with exactly the same customer, time,
 * amount and note answers one such row, so importing a file twice adds nothing, while two equal
 * rows in one file are two orders.
 */
export class RepeatedOrders {
  private left = new Map<string, number>();

  isRepeat(key: string, storedBefore: () => number): boolean {
    let n = this.left.get(key);
    if (n === undefined) n = storedBefore();
    if (n > 0) {
      this.left.set(key, n - 1);
      return true;
    }
    this.left.set(key, 0);
    return false;
  }
}
