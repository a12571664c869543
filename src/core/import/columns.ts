// Importing spreadsheets, the columns: which column of a header row is which field (Chinese and
// English headers, a template's marks, --map overrides), and whether a mapping can import anything.
import { badInput } from '../../errors.js';
import { quoted } from '../text.js';
import { checkText } from '../limits.js';
import { CONTROLS } from '../controls.js';

export type ImportKind = 'customers' | 'orders';

export const CUSTOMER_TARGETS = [
  'name', 'family_name', 'given_name', 'phone', 'email', 'gender', 'birthday', 'lunar_birthday', 'birthday_lunar',
  'city', 'address', 'address_part', 'country', 'external_id', 'note', 'tags', 'created_at', 'id', 'do_not_contact', 'marketing_opt_out', 'accepts_marketing',
  'level', 'birthday_leap', 'name_raw', 'email_raw', 'phone_raw',
] as const;
export const ORDER_TARGETS = [
  'order_no', 'amount', 'refunded', 'ordered_at', 'day', 'note', 'customer_id', 'customer_external_id', 'customer_phone', 'customer_email', 'customer_name',
  'customer_given_name', 'customer_family_name', 'customer_address', 'country',
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
const EXPORT_ONLY = ['orders', 'spend', 'first_order', 'last_order', 'updated_at'];
/** What crm writes that is no data to import: its export's derived columns, and a rejects file's reason. */
const DERIVED = new Set([...EXPORT_ONLY, 'crm_reject_reason']);

/** A custom field as crm's export writes one whose key a known header or column would take: field:<key>. */
export const FIELD_PREFIX = 'field:';

/** True when a custom field key would be read back as something else, so an export must mark it. */
export function needsFieldPrefix(key: string): boolean {
  return CUSTOMER_HEADERS.has(headerKey(key)) || DERIVED.has(key.trim()) || key.startsWith(FIELD_PREFIX);
}

// When several columns hold an amount, the one paid wins over a list price (实付金额 over 金额 over 单价).
const AMOUNT_RANK = ['实付金额', '实付', '实收金额', '付款金额', '支付金额', 'paid', 'total', 'order total', 'totalamount', '订单金额', '消费金额', '总金额', '合计', '总价', 'amount', '金额', 'sum', 'value', 'price'].map(headerKey);

const syn = (target: Target, ...names: string[]): [string, Target][] => names.map((n) => [headerKey(n), target]);

const CUSTOMER_HEADERS = new Map<string, Target>([
  ...syn('name', '姓名', '名字', '客户姓名', '客户名称', '客户名', '客户', '名称', '联系人', '会员姓名', '顾客', '顾客姓名', 'name', 'full name', 'customer', 'customer name', 'contact', 'contact name'),
  ...syn('family_name', '姓', '姓氏', 'surname', 'last name', 'family name', 'lastname'),
  ...syn('given_name', '名', 'given name', 'first name', 'forename', 'firstname'),
  ...syn('phone', '手机', '手机号', '手机号码', '电话', '电话号码', '联系电话', '联系方式', '移动电话', '手机/电话', 'mobile', 'phone', 'phone number', 'tel', 'telephone', 'cell', 'cellphone', 'mobile phone', 'default address phone', 'billing phone'),
  ...syn('email', '邮箱', '电子邮箱', '电子邮件', '邮件', '邮箱地址', 'email', 'e-mail', 'mail', 'email address', 'billing email'),
  ...syn('gender', '性别', 'gender', 'sex'),
  ...syn('birthday', '生日', '出生日期', '出生年月日', '公历生日', '阳历生日', 'birthday', 'birth date', 'date of birth', 'dob', 'birthdate'),
  ...syn('lunar_birthday', '农历生日', '阴历生日', 'lunar_birthday', 'lunar birthday'),
  ...syn('birthday_lunar', 'birthday_lunar', '农历', '是否农历'),
  ...syn('city', '城市', '所在城市', '市', 'city', 'town', 'default address city', 'billing city'),
  ...syn('address', '地址', '详细地址', '联系地址', '收货地址', '住址', '家庭住址', 'address', 'full address', 'street address'),
  ...syn('address_part', '省', '省份', '区', '区县', '县', '区域', '街道', '门牌号', '邮编', '邮政编码', 'province', 'state', 'district', 'area', 'suburb', 'street', 'street number', 'address 1', 'address 2', 'address line 1', 'address line 2', 'postcode', 'zip', 'zip code', 'postal code',
    'province code', 'default address address1', 'default address address2', 'default address province code', 'default address zip',
    'billing address 1', 'billing address 2', 'billing state', 'billing postcode', 'street2', 'state_id'),
  // The row's country: it decides how the row's phones are read (713-817-5649 in a US row is +1).
  ...syn('country', '国家', '国家代码', '国家/地区', 'country', 'country code', 'default address country code', 'billing country', 'country_id', 'cc'),
  ...syn('external_id', '会员号', '会员编号', '会员卡号', '卡号', '客户编号', '客户号', '客户代码', '会员id', 'external id', 'member no', 'member number', 'member id', 'customer no', 'customer number', 'customer code', 'card no'),
  ...syn('note', '备注', '说明', '附言', '备忘', 'note', 'notes', 'remark', 'remarks', 'comment', 'comments', 'memo'),
  ...syn('tags', '标签', '分组', '客户标签', '客户分组', 'tags', 'tag', 'labels', 'label', 'groups', 'category_id'),
  ...syn('created_at', '创建时间', '注册时间', '建档时间', '加入时间', '入会时间', '登记时间', 'created at', 'created', 'registered', 'join date', 'joined', 'joined at', 'member since', 'customer since', 'date registered'),
  ...syn('marketing_opt_out', 'marketing_opt_out', '不接收营销', '拒收营销', '退订营销', 'no marketing', 'marketing opt out'),
  // Consent as platforms ask it: "no" is the marketing opt-out.
  ...syn('accepts_marketing', 'accepts_marketing', 'accepts email marketing', 'accepts sms marketing', 'accepts marketing', '接受营销', '同意营销', '接收营销短信'),
  ...syn('level', '会员等级', '会员级别', '等级', '级别', '客户等级', 'level', 'member level', 'tier', 'membership level'),
  ...syn('birthday_leap', 'birthday_leap', '闰月', '闰月生日', 'leap month'),
  ...syn('do_not_contact', '勿扰', '不联系', '免打扰', '拒绝联系', 'do not contact', 'dnc', 'opt out', 'opted out'),
  // crm's id: in crm's export, and in a rejects file (the customer a row imported with a warning became).
  ...syn('id', 'id', 'crm_id'),
  ...syn('name_raw', 'name_raw'),
  ...syn('email_raw', 'email_raw'),
  ...syn('phone_raw', 'phone_raw'),
  // What crm's own export derives from orders: not data to import.
  ...syn('ignore', '序号', 'no.', '#'),
]);

const ORDER_HEADERS = new Map<string, Target>([
  ...syn('order_no', '订单号', '订单编号', '单号', '流水号', '小票号', '交易号', 'order no', 'order number', 'order id', 'order', 'receipt no', 'receipt', 'transaction id'),
  ...syn('amount', '金额', '实付金额', '实付', '实收金额', '付款金额', '支付金额', '订单金额', '消费金额', '总价', '合计', '总金额', '应付金额', 'amount', 'total', 'price', 'paid', 'total amount', 'sum', 'value', 'order total'),
  // What went back of the amount paid (crm's own export writes paid, refunded and amount, the net).
  ...syn('refunded', '退款', '退款金额', '已退款', '已退金额', '退款额', 'refunded', 'refund', 'refunds', 'refund amount', 'amount refunded', 'refunded amount'),
  ...syn('ordered_at', '下单时间', '订单时间', '交易时间', '支付时间', '付款时间', '购买时间', '消费时间', '时间', 'ordered at', 'order time', 'time', 'date time', 'datetime', 'purchased at', 'created at'),
  ...syn('day', '日期', '下单日期', '订单日期', '消费日期', '交易日期', '购买日期', 'date', 'order date', 'day', 'purchase date'),
  ...syn('note', '备注', '说明', '商品', '摘要', 'note', 'notes', 'remark', 'comment', 'memo', 'items'),
  ...syn('customer_id', 'customer_id'),
  ...syn('customer_external_id', '会员号', '会员编号', '会员卡号', '卡号', '客户编号', '客户号', 'external id', 'member no', 'member number', 'customer no', 'customer number', 'card no'),
  ...syn('customer_phone', '手机', '手机号', '手机号码', '电话', '联系电话', '客户电话', '收货人电话', '收货人手机', 'mobile', 'phone', 'tel', 'customer phone', 'billing phone'),
  ...syn('customer_email', '邮箱', '电子邮箱', 'email', 'e-mail', 'customer email', 'billing email'),
  ...syn('customer_name', '姓名', '客户', '客户姓名', '客户名称', '顾客', '会员姓名', '收货人', '收件人', '买家', 'name', 'customer', 'customer name', 'billing name', 'buyer', 'buyer name'),
  ...syn('customer_given_name', 'billing first name'),
  ...syn('customer_family_name', 'billing last name'),
  ...syn('customer_address', '收货地址', '收件地址', '收货人地址'),
  ...syn('country', 'billing country', 'billing country code', 'country', 'country code'),
  ...syn('ignore', 'id', 'crm_id', '序号'),
]);

/**
 * Totals another system kept (its spend, order count, points, stored balance): custom fields under
 * these keys, an opening figure as the file says it; crm's RFM, tiers and stats count crm's orders only.
 */
const OPENING = new Map<string, string>([
  ...(['total spent', 'total_spent', '累计消费', '累计消费金额', '消费总额', '累计金额'] as const).map((h) => [headerKey(h), 'opening_spend'] as [string, string]),
  ...(['total orders', 'order count', 'orders count', '累计消费次数', '消费次数'] as const).map((h) => [headerKey(h), 'opening_orders'] as [string, string]),
  ...(['积分', '会员积分', '可用积分', '当前积分', 'points', 'loyalty points'] as const).map((h) => [headerKey(h), 'points'] as [string, string]),
  ...(['储值余额', '余额', '储值', '卡内余额', '账户余额', 'stored balance', 'store credit', 'balance'] as const).map((h) => [headerKey(h), 'stored_balance'] as [string, string]),
]);

/** Another system's own id of a customer: the external id, or a custom field when the file has a member number too; never crm's id. */
const FOREIGN_IDS = new Set(['customer id', 'user id', 'contact id'].map(headerKey));

/** A platform's layout (Shopify, WooCommerce) names its buyer's columns Billing …: its customer_id and Id are its own. */
const isPlatformOrderFile = (header: string[]) => header.some((h) => headerKey(h).startsWith('billing'));

/**
 * The target a known header names in this file: a platform's customer id is the external id, its
 * order file's `Name` beside a buyer's name column is the order's number (Shopify's #1001).
 */
function knownTarget(kind: ImportKind, k: string, header: string[]): Target | undefined {
  const keys = header.map(headerKey);
  if (kind === 'customers') {
    // An id is crm's own only in crm's export (which has its derived columns); elsewhere it is the
    // other system's. A rejects file's crm_id is crm's: beside it, an export's id says the same.
    const ofExport = header.some((h) => EXPORT_ONLY.includes(h.trim()));
    if (k === 'id' && ofExport && keys.includes('crmid')) return 'ignore';
    const foreign = FOREIGN_IDS.has(k) || (k === 'id' && !ofExport);
    if (foreign) return keys.some((o) => CUSTOMER_HEADERS.get(o) === 'external_id') ? 'custom' : 'external_id';
    return CUSTOMER_HEADERS.get(k);
  }
  const platform = isPlatformOrderFile(header);
  if (platform && k === 'customerid') return 'customer_external_id';
  if (platform && k === 'id') return 'note';
  if (k === 'name' && keys.some((o) => o !== 'name' && ['customer_name', 'customer_given_name'].includes(ORDER_HEADERS.get(o) ?? '')) && !keys.some((o) => ORDER_HEADERS.get(o) === 'order_no')) return 'order_no';
  return ORDER_HEADERS.get(k);
}

export interface ColumnMap {
  index: number;
  header: string;
  target: Target;
  /** Custom-field key (target custom) or address part name (address_part). */
  key: string;
  /** How the target was chosen. */
  how: 'header' | 'map' | 'unknown' | 'repeated';
}

const SINGLE: ReadonlySet<Target> = new Set<Target>(CUSTOMER_TARGETS.filter((t) => !['phone', 'tags', 'address_part', 'country', 'accepts_marketing'].includes(t)));

function targetsOf(kind: ImportKind): readonly string[] {
  return kind === 'customers' ? CUSTOMER_TARGETS : ORDER_TARGETS;
}

/**
 * The --map values as given: each "Column=field", or several in one value separated by commas
 * ("1=name,3=phone"); a comma inside a column's name stays when no "=" follows it.
 */
export function splitMapOptions(values: string[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    // A piece without "=" is the start of the next column's name ("Address, line 1=address"); a
    // trailing comma ends nothing.
    let pending = '';
    for (const piece of value.split(',')) {
      if (piece.includes('=')) {
        out.push(pending ? `${pending},${piece}` : piece);
        pending = '';
      } else pending = pending ? `${pending},${piece}` : piece;
    }
    if (pending.trim()) out.push(pending);
  }
  return out;
}

/** A column as errors and --map name it: its header, or "column N" when the cell is empty (or the file has no header). */
export const columnName = (header: string[], index: number) => header[index]?.trim() || `column ${index + 1}`;

/** A column's number as --map takes it: 3, ３ (typed with a Chinese input method) or "column 3"; else null. */
function columnNumber(spec: string): number | null {
  const m = /^(?:column\s*)?(\d+)$/i.exec(spec.normalize('NFKC').trim());
  return m ? Number(m[1]) : null;
}

/**
 * The column a --map names: by its header as errors name it (NFKC, marks ignored), else by its
 * number from 1. A number that is also another column's header is ambiguous, and refused.
 */
function mapIndex(header: string[], spec: string): number {
  const k = headerKey(spec);
  const byName = header.findIndex((_, i) => headerKey(columnName(header, i)) === k);
  const n = columnNumber(spec);
  const byNumber = n !== null && n >= 1 && n <= header.length ? n - 1 : -1;
  if (byName >= 0 && byNumber >= 0 && byName !== byNumber && !/^column/i.test(spec.trim())) {
    throw badInput('err.import.mapAmbiguous', { value: spec.trim(), header: byName + 1, number: n ?? 0 });
  }
  return byName >= 0 ? byName : byNumber;
}

/** Whether a --map names a column by its number rather than by its header (then the file's first row must not be data). */
export function mapsByNumber(header: string[], overrides: string[]): boolean {
  return splitMapOptions(overrides).some((o) => {
    const eq = o.lastIndexOf('=');
    const spec = eq > 0 ? o.slice(0, eq) : '';
    return columnNumber(spec) !== null && !header.some((_, i) => headerKey(columnName(header, i)) === headerKey(spec));
  });
}

/**
 * Maps a header row: `--map "Column=field"` first (Column is a header or a column's number from 1;
 * field is a target, field:<key> for a custom field, or ignore), then the known headers. Unknown
 * columns of a customer file become custom fields; of an order file, they are ignored. A
 * single-valued field named twice keeps the first column; the others become custom fields.
 */
export function mapColumns(kind: ImportKind, header: string[], overrides: string[] = []): ColumnMap[] {
  const known = kind === 'customers' ? CUSTOMER_HEADERS : ORDER_HEADERS;
  const forced = new Map<number, { target: Target; key: string }>();
  for (const o of splitMapOptions(overrides)) {
    const eq = o.lastIndexOf('=');
    const column = eq > 0 ? o.slice(0, eq).trim() : '';
    const field = eq > 0 ? o.slice(eq + 1).trim() : '';
    if (!column || !field) throw badInput('err.import.map', { value: o });
    const index = mapIndex(header, column);
    if (index < 0) throw badInput('err.import.mapColumn', { value: quoted(column), columns: columnList(header.map((_, i) => columnName(header, i))) });
    if (field === 'ignore' || field === '-') forced.set(index, { target: 'ignore', key: '' });
    else if (field.startsWith('field:') && kind === 'customers' && field.length > 6) forced.set(index, { target: 'custom', key: field.slice(6).trim() });
    else if (targetsOf(kind).includes(field)) forced.set(index, { target: field as Target, key: '' });
    else throw badInput('err.import.mapField', { value: field, fields: [...targetsOf(kind), 'field:<key>', 'ignore'].join(', ') });
  }
  const seen = new Set<Target>();
  const keys = new Set<string>();
  // The amount column of an order file: the best-ranked of those that name an amount.
  const amountRank = (h: string) => {
    const r = AMOUNT_RANK.indexOf(headerKey(h));
    return r === -1 ? AMOUNT_RANK.length : r;
  };
  const amountColumns = kind === 'orders' ? header.filter((h, i) => !forced.has(i) && known.get(headerKey(h)) === 'amount') : [];
  const bestAmount = amountColumns.sort((a, b) => amountRank(a) - amountRank(b))[0];
  return header.map((raw, index) => {
    const h = columnName(header, index);
    const k = headerKey(h);
    const f = forced.get(index);
    const marked = kind === 'customers' && h.startsWith(FIELD_PREFIX) && h.length > FIELD_PREFIX.length;
    const opening = kind === 'customers' && !f && !marked ? OPENING.get(k) : undefined;
    let target: Target = f?.target ?? (DERIVED.has(h) ? 'ignore' : marked || opening ? 'custom' : (knownTarget(kind, k, header) ?? (kind === 'customers' ? 'custom' : 'ignore')));
    let how: ColumnMap['how'] = f ? 'map' : DERIVED.has(h) || known.has(k) || marked || opening || FOREIGN_IDS.has(k) ? 'header' : 'unknown';
    let key = f?.key || opening || (marked ? h.slice(FIELD_PREFIX.length) : h);
    if (!f && target === 'amount' && raw !== bestAmount) [target, how] = ['ignore', 'repeated'];
    // An order file keeps what it says beyond the known columns in the order's note, not dropped.
    if (!f && kind === 'orders' && target === 'ignore' && how === 'unknown') target = 'note';
    const single = kind === 'customers' ? SINGLE.has(target) : target !== 'ignore' && target !== 'note';
    if (single && seen.has(target)) {
      // A second phone or name column of an order file (Shopify's Phone beside Billing Phone) is kept in the note.
      target = kind === 'customers' ? 'custom' : target === 'amount' ? 'ignore' : 'note';
      how = 'repeated';
    }
    seen.add(target);
    if (target === 'custom') {
      // A field's name is data: a header's control characters are no part of it (its length is
      // checked with the mapping, after what the file lacks: a 10 MB first line is no header).
      key = key.replace(CONTROLS, '').trim() || h;
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

/** A row of values, not names: a cell that is a phone, an email, a date or an amount, and no known header. */
export function looksLikeData(kind: ImportKind, cells: string[]): boolean {
  const known = kind === 'customers' ? CUSTOMER_HEADERS : ORDER_HEADERS;
  if (cells.some((c) => known.has(headerKey(c)))) return false;
  return cells.some((c) => /^\+?\d[\d\s\-()]{6,}$|^[^@\s]+@[^@\s]+\.\w+$|^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}|^[¥$€£]?\d+\.\d\d$/u.test(c.trim()));
}

/** Columns listed in an error, beyond which it says how many more there are. */
const LISTED_COLUMNS = 30;

/** The columns of a file as an error lists them: each name cut to a sane length, at most LISTED_COLUMNS of them. */
export function columnList(names: readonly string[]): string {
  const shown = names.slice(0, LISTED_COLUMNS).map((n) => quoted(n));
  if (names.length > LISTED_COLUMNS) shown.push(`… (${names.length})`);
  return shown.join(', ');
}

/** How the file's header reads, for checkMapping's messages: whether it was given (--no-header) and its first data row. */
export interface HeaderFacts {
  headerless: boolean;
  /** The first data row, shown beside the columns of a file without a header. */
  sample: string[] | null;
}

/** Refuses a mapping that cannot import anything: customers need a name, orders an amount, a date and a customer. */
export function checkMapping(kind: ImportKind, map: ColumnMap[], facts: HeaderFacts = { headerless: false, sample: null }): void {
  const has = (t: Target) => map.some((c) => c.target === t);
  // A file without a header: its columns by number, each with its first value (column 3 (13800138000)).
  const columns = columnList(map.map((c) => (facts.headerless && facts.sample?.[c.index]?.trim() ? `${c.header} (${quoted(facts.sample[c.index]!.trim())})` : c.header)));
  // A first row of values is no header: say how to import the file without one.
  const hint = facts.headerless ? { id: 'hint.import.mapByNumber' as const } : looksLikeData(kind, map.map((c) => c.header)) ? { id: 'hint.import.noHeader' as const } : undefined;
  // A file without names can still add details to customers it finds by member number, phone or email.
  const named = has('name') || has('family_name') || has('given_name');
  if (kind === 'customers' && !named && !has('phone') && !has('email') && !has('external_id')) throw badInput('err.import.noName', { columns }, hint);
  if (kind === 'orders') {
    if (!has('amount')) throw badInput('err.import.noAmount', { columns }, hint);
    if (!has('ordered_at') && !has('day')) throw badInput('err.import.noDate', { columns }, hint);
    if (!['customer_id', 'customer_external_id', 'customer_phone', 'customer_email', 'customer_name', 'customer_given_name', 'customer_family_name'].some((t) => has(t as Target))) {
      throw badInput('err.import.noCustomer', { columns }, hint);
    }
  }
  for (const c of map) if (c.target === 'custom') checkText('fieldName', c.key);
}
