// Masking personal data for `crm export --mask`: a list to share (with a courier, an accountant, a
// marketing helper) that still says enough to work with, without handing over who the customers are.
// Pure: plain values in, masked values out. The rules, one per kind of data:
//
// - phone: the country code, the first 3 and the last 4 digits of the national number stay
//   (+8613800138000 -> +86138****8000, the usual Chinese form). A national number shorter than
//   11 digits (landlines, 8-digit Hong Kong numbers) would keep too much that way, so at least half
//   of it, in the middle, is hidden (+862164871234 -> +8621*****234); up to 4 digits, all of it.
// - email: the first character of the local part and the whole domain stay, the rest is a fixed
//   *** that does not tell the length (zhang@example.com -> z***@example.com).
// - name: the first character stays, and the first letter of each later Latin word; every other
//   letter or character becomes * (张伟 -> 张*, 欧阳娜娜 -> 欧***, Emily Chen -> E**** C***). A
//   one-character name becomes *.
// - address: only the region stays, up to the district or county (上海市徐汇区漕溪北路1234号 ->
//   上海市徐汇区***); an address written the Western way keeps its last part, the city
//   (12 Pike St, Seattle -> ***, Seattle); anything else becomes ***.
// - birthday: the year goes and the month and day stay (1990-03-05 -> --03-05, the stored form of a
//   birthday without year): the year gives the age, while month and day are what a shop needs for
//   birthday greetings, and alone they identify no one.
// - an id (member number, card number, WeChat id, order number): a fixed *** and at most the last
//   quarter of its letters and digits, 4 at most (VIP20230017 -> ***17, a 19-digit card -> ***0123).
// - free text (notes of customers, orders and interactions, order numbers, custom fields): the
//   words stay, and what identifies someone inside them is masked as its kind: every email, every
//   run of 6 or more digits (separated by spaces, dots, dashes or brackets or not: a phone in any
//   form, a card, a QQ number) as digits, every id-like token (letters with 3+ digits or an
//   underscore, 6+ long: wxid_abc123), an account written after its label (微信: zhangwei, QQ 12345,
//   my wechat is lina88), a name written after 收货人/联系人/姓名/ship to, a house number after its
//   road or estate (漕溪北路1234号 -> 漕溪北路***) or before an English street (12 Pike St), and the
//   customer's own name. Dates (2026-11-22) and amounts (¥1,280.00, 1280.00 元, 128000元, a number
//   after 金额/总额/合计/实付/价格/元/total/amount/price) stay. An email's local part may be in Chinese.
//   Other names in the text (a friend, a Chinese name in a sentence) cannot be told from other
//   words and stay.
// - custom fields: by what the key says. A name (姓名, 昵称, a person: 推荐人, 介绍人, 孩子, 配偶,
//   紧急联系人, referrer, spouse, contact) is masked as a name, an address as an
//   address, a birthday as a birthday, an account or number (微信, QQ, 卡号, 会员号, 身份证, phone,
//   email, card) as free text if that finds something in it, else as an id unless it is words in
//   Chinese (招商银行); any other field as free text (口味=绿茶 stays).
// - tags: as free text (介绍人13912345678 -> 介绍人139****5678); a tag that identifies no one stays.
// - what was typed (name_raw, email_raw, phone_raw): emptied; it only repeats the masked values.
// City, gender and order figures stay: they are what the list is shared for.
import type { Customer } from './customer.js';
import { ADDRESS_PART } from './import/index.js';
import { nationalForms } from './phone.js';

/** Hides the middle of a run of digits: 3 + 4 kept from 11 digits up, at least half hidden below, all up to 4. */
export function maskDigits(digits: string): string {
  const n = digits.length;
  if (n <= 4) return '*'.repeat(n);
  let head = 3;
  let tail = 4;
  if (n < 11) {
    const hidden = Math.ceil(n / 2);
    head = Math.floor((n - hidden) / 2);
    tail = n - hidden - head;
  }
  return digits.slice(0, head) + '*'.repeat(n - head - tail) + digits.slice(n - tail);
}

export function maskPhone(e164: string): string {
  const { national } = nationalForms(e164);
  const digits = e164.replace(/^\+/, '');
  const code = digits.endsWith(national) ? digits.slice(0, digits.length - national.length) : '';
  return `+${code}${maskDigits(code ? national : digits)}`;
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const local = at > 0 ? email.slice(0, at) : email;
  return `${Array.from(local)[0] ?? ''}***${at > 0 ? email.slice(at) : ''}`;
}

const LETTER = /[\p{L}\p{N}]/u;
const LATIN = /\p{Script=Latin}/u;

export function maskName(name: string): string {
  let kept = 0;
  let letters = 0;
  let wordStart = true;
  let out = '';
  for (const ch of name) {
    if (!LETTER.test(ch)) {
      out += ch;
      wordStart = true;
      continue;
    }
    const keep = letters === 0 || (wordStart && LATIN.test(ch));
    out += keep ? ch : '*';
    if (keep) kept++;
    letters++;
    wordStart = false;
  }
  // Nothing would be hidden (a one-character name): hide it all.
  return kept === letters ? out.replace(/[\p{L}\p{N}]/gu, '*') : out;
}

// Province (省, 自治区), city (市, 自治州), district or county (区, 县, 旗, or a county-level 市), each
// optional, from the start. Names hold no digits, roads or house numbers, so the match stops at the region.
const NAME = '[^省市区县旗路街号\\d\\s]';
const REGION = new RegExp(`^(?:${NAME}{2,7}(?:省|自治区))?(?:${NAME}{1,7}(?:市|自治州))?(?:${NAME}{1,7}(?:区|县|旗|市))?`, 'u');

export function maskAddress(address: string): string {
  const region = REGION.exec(address)?.[0] ?? '';
  if (region) return region === address ? address : `${region}***`;
  const parts = address.split(',');
  const city = parts.length > 1 ? parts[parts.length - 1]!.trim() : '';
  return city && !/\d/.test(city) ? `***, ${city}` : '***';
}

/** YYYY-MM-DD -> --MM-DD; a birthday without year stays as it is. */
export function maskBirthday(birthday: string): string {
  const m = /^(?:\d{4}|-)-(\d{2})-(\d{2})$/.exec(birthday);
  return m ? `--${m[1]}-${m[2]}` : '***';
}

/** An id: a fixed *** and the last quarter of its letters and digits, at most 4 (VIP20230017 -> ***17). */
export function maskId(id: string): string {
  if (id === '') return id;
  const chars = Array.from(id);
  const keep = Math.min(4, Math.floor(chars.filter((ch) => LETTER.test(ch)).length / 4));
  let start = chars.length;
  for (let seen = 0; seen < keep; start--) if (LETTER.test(chars[start - 1]!)) seen++;
  return `***${chars.slice(start).join('')}`;
}

// Free text is read once, left to right; at each place the first of these that matches is masked
// as its kind (a date and an amount are matched only to be kept).
const D = '[0-9０-９]';
const TOKEN = 'A-Za-z0-9_\\-';
// A currency before an amount (¥128, RMB 1280, US$ 20) or its unit after it (1280.00 元, 128000元, 20 USD).
const CURRENCY_BEFORE = '(?:[¥￥$€£]|(?<![A-Za-z])(?:RMB|CNY|HKD|USD|EUR|HK\\$|US\\$)(?![A-Za-z]))';
const CURRENCY_AFTER = '(?:元|块|圆|万|角|港币|美元|欧元|(?:RMB|CNY|HKD|USD|EUR|yuan|dollars?)(?![A-Za-z]))';
const AMOUNT = `(?:${D}{1,3}(?:,${D}{3})+|${D}+)(?:[.．]${D}+)?`;
// A word that says an amount follows (订单金额 128000, 实付：3999, total 128000): the number stays,
// unless it has the shape of a mainland mobile (11 digits from 13…19).
const AMOUNT_WORD = '(?:金额|总额|合计|实付|价格|元|(?<![A-Za-z])(?:total|amount|price)(?![A-Za-z]))';
// A group of digits in brackets inside a phone: +1 (415) 555-2671, (021) 6487 1234, (+86) 138 0013 8000.
const BRACKETED = `\\(\\+?${D}+\\)`;
// A house number after its road or estate (漕溪北路1234号, 阳光小区3栋2单元501室) or before an
// English street name (12 Pike St): the road stays, the number that finds the door goes.
const HOUSE = `${D}+(?:[-－之]${D}+)?\\s*(?:号楼|号院|号|弄|栋|幢|座|楼|单元|室|层|房)`;
const ROAD = '(?:路|街|大道|巷|弄|胡同|村|小区|苑|园|大厦|公寓|广场|中心)';
const STREET = '(?:St|Street|Rd|Road|Ave|Avenue|Blvd|Boulevard|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl|Terrace|Crescent|Close)';
const TEXT_PARTS = new RegExp(
  [
    // an account after its label: 微信: zhangwei, QQ 12345, wechat id zhang_wei, my wechat is lina88, 微信是lina88
    `(?<label>(?:微信号?|抖音号?|支付宝|旺旺|(?<![A-Za-z])(?:vx|wx|wechat|weixin|qq|alipay)(?![A-Za-z0-9_]))[\\s:：]*(?:(?:id|号|账号|帐号)[\\s:：]*)?(?:(?:is|=)\\s*|[是为][\\s:：]*)?)(?<account>[${TOKEN}]{3,})(?![@.${TOKEN}])`,
    // a name after its label: 收货人王芳, 联系人：李娜, 收件人 Li Na, Ship to: Emily Chen
    `(?<who>(?:收货人|收件人|联系人|签收人|取件人|姓名|(?<![A-Za-z])(?:name|contact|recipient|ship to|deliver to|attn)(?![A-Za-z]))[\\s:：]*)(?<name>[\\p{Script=Han}·]{2,4}|[A-Za-z][A-Za-z*'.-]*(?: [A-Za-z][A-Za-z*'.-]*)?)`,
    // an email; its local part may be in Chinese (张伟@qq.com, 张伟88@qq.com), though ASCII letters
    // right before the @ are the local part alone (邮箱lina@qq.com); a Chinese one is read from the
    // start of its run of letters (linear in a long note)
    `(?<email>(?:(?<![\\p{L}\\p{N}._%+\\-])[\\p{L}\\p{N}._%+\\-]*[^\\P{L}A-Za-z][0-9._%+\\-]*|[A-Za-z0-9._%+\\-]+)@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,})`,
    `(?<date>${D}{4}(?:-${D}{1,2}-${D}{1,2}|/${D}{1,2}/${D}{1,2}|\\.${D}{1,2}\\.${D}{1,2})(?!${D}|[-./]${D}))`,
    `(?<=${ROAD}\\s*)(?<house>${HOUSE}(?:\\s*${HOUSE})*)`,
    `(?<![A-Za-z0-9])(?<door>${D}{1,5}[A-Za-z]?)(?<street>(?:\\s+\\p{L}+\\.?){1,3}\\s+${STREET}\\.?)(?![A-Za-z])`,
    `(?<amount>${CURRENCY_BEFORE}\\s*${AMOUNT}|${AMOUNT_WORD}[\\s:：]*(?!1[3-9]${D}{9}(?!${D}))${AMOUNT}|${AMOUNT}(?=\\s*${CURRENCY_AFTER}))`,
    // a token of letters and digits, masked below if it looks like an id
    `(?<![${TOKEN}])(?<token>(?=[0-9_\\-]*[A-Za-z])[${TOKEN}]{6,})(?![${TOKEN}])`,
    // digits, together with the spaces, dots, dashes and brackets between them: counted below
    `(?<number>(?:\\+|${BRACKETED}[ .\\-]?)?${D}+(?:(?:[ .\\-]|[ .\\-]?${BRACKETED}[ .\\-]?)${D}+)*)`,
  ].join('|'),
  'giu',
);

/** Letters with 3 or more digits, or with an underscore: wxid_abc123, VIP20230017, SO-20260214-001. */
function looksLikeId(token: string): boolean {
  return token.includes('_') || (token.match(/[0-9]/g)?.length ?? 0) >= 3;
}

/** A run of digits in text: masked as a phone (the form of the phone column) if 6 or more digits, else kept. */
function maskNumber(run: string): string {
  const plain = run.normalize('NFKC');
  const digits = plain.replace(/\D/g, '');
  // Short numbers (3 件, 15:30) and amounts with cents (1280.00) are not ids.
  if (digits.length < 6 || /^\d+\.\d{2}$/.test(plain)) return run;
  return /^\(?\+/.test(plain) ? maskPhone(`+${digits}`) : maskDigits(digits);
}

/**
 * A name written after its label: a Chinese one masked whole, a Latin one as far as its words are
 * capitalized (Ship to Emily Chen; in "contact me tomorrow" there is no name), the rest read again.
 */
function maskLabelledName(name: string, names: readonly string[]): string {
  if (!/^[A-Za-z]/.test(name)) return maskName(name);
  if (name.includes('*')) return name; // the customer's own name, masked already
  const words = name.split(' ');
  const capitalized = words.findIndex((w) => !/^[A-Z]/.test(w));
  const n = capitalized === -1 ? words.length : capitalized;
  const rest = words.slice(n).join(' ');
  const head = words.slice(0, n).join(' ');
  return [head && maskName(head), rest && maskText(rest, names)].filter(Boolean).join(' ');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The known names inside text, masked as names: the whole name (Latin words only as whole words,
 * case aside), and each Latin word of 3+ letters of a name of several words (Emily's -> E****'s).
 */
function maskNames(text: string, names: readonly string[]): string {
  for (const name of names) {
    const words = name.split(/\s+/).filter((w) => w.length >= 3 && /^\p{Script=Latin}+$/u.test(w));
    for (const part of name.length >= 2 ? [name, ...(words.length > 1 ? words : [])] : []) {
      const latin = /^[\p{Script=Latin}\s'.-]+$/u.test(part);
      const pattern = latin ? `(?<!\\p{L})${escapeRegExp(part)}(?!\\p{L})` : escapeRegExp(part);
      text = text.replace(new RegExp(pattern, latin ? 'giu' : 'gu'), (m) => maskName(m));
    }
  }
  return text;
}

/**
 * Free text with what identifies someone inside it masked (see the rules above): emails, runs of
 * 6+ digits, id-like tokens, labelled accounts and names, and `names` (the customer's own).
 */
export function maskText(text: string, names: readonly string[] = []): string {
  // The customer's own name last: inside an email or an id (emily_c88) it goes with the rest.
  const masked = text.replace(TEXT_PARTS, (m: string, ...args: unknown[]) => {
    const g = args[args.length - 1] as Record<string, string | undefined>;
    if (g.account !== undefined) return `${g.label}${maskId(g.account)}`;
    if (g.name !== undefined) return `${g.who}${maskLabelledName(g.name, names)}`;
    if (g.email !== undefined) return maskEmail(g.email);
    if (g.house !== undefined) return '***';
    // "12 Pike St" but not "3 times down the road": the street's words are capitalized.
    if (g.door !== undefined) return /^(?:\s+[A-Z]\S*){2,4}$/.test(g.street!) ? `***${g.street}` : `${g.door}${maskText(g.street!, names)}`;
    if (g.token !== undefined) return looksLikeId(g.token) ? maskId(g.token) : g.token;
    if (g.number !== undefined) return maskNumber(g.number);
    return m; // a date or an amount
  });
  return maskNames(masked, names);
}

/** What a custom field's key says it holds, by its words in Chinese or English. */
type FieldKind = 'address' | 'name' | 'birthday' | 'account' | 'text';

// In this order: a key that names a person (微信昵称, 联系人电话) masks its value as a name.
const FIELD_KINDS: [FieldKind, RegExp][] = [
  [
    'name',
    /姓名|名字|昵称|称呼|联系人|收货人|收件人|配偶|推荐人|介绍人|孩子|子女|儿子|女儿|丈夫|妻子|老公|老婆|^(?:full|real|nick|first|last|sur|contact)?[\s_-]?name$|^(?:nick|referr?er|referred[\s_-]?by|spouse|husband|wife|partner|child|children|kids?|son|daughter|(?:emergency[\s_-]?)?contact)$/iu,
  ],
  [
    'account',
    /微信|微博|抖音|小红书|支付宝|淘宝|旺旺|钉钉|卡号|会员号|会员编号|编号|账号|帐号|身份证|证件|护照|驾照|车牌|银行|社保|医保|手机|电话|邮箱|openid|unionid|wechat|weixin|whatsapp|telegram|skype|facebook|instagram|twitter|tiktok|alipay|taobao|account|passport|licen[cs]e|iban|card|phone|mobile|email|(?:^|[^a-z])(?:wx|vx|qq|line|ins|fb|ig|id|uid|ssn|tel)(?:$|[^a-z])/u,
  ],
  ['birthday', /生日|出生|birthday|birthdate|^dob$/iu],
  ['address', /地址|住址|address|addr/iu],
];

function fieldKind(key: string): FieldKind {
  // Short words (id, qq) are read in lower case, with camel case split (wechatId is wechat id).
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  for (const [kind, pattern] of FIELD_KINDS) if (pattern.test(kind === 'account' ? words : key)) return kind;
  return 'text';
}

/** A custom field's value masked by what its key says it holds (see the rules above). */
export function maskField(key: string, value: string, names: readonly string[] = []): string {
  if (key.startsWith(ADDRESS_PART)) return '***'; // a part of the address an import kept (address.街道, address.邮编)
  switch (fieldKind(key)) {
    case 'address':
      return maskAddress(value);
    case 'name':
      return maskName(value);
    case 'birthday':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? maskBirthday(value) : maskText(value, names);
    case 'account': {
      const masked = maskText(value, names);
      return masked !== value || /\p{Script=Han}/u.test(value) ? masked : maskId(value);
    }
    default:
      return maskText(value, names);
  }
}

const orNull = <T>(v: T | null, f: (v: T) => T): T | null => (v === null ? null : f(v));

/** A customer with their personal data masked (see the rules above). */
export function maskCustomer(c: Customer): Customer {
  const names = [c.name];
  return {
    ...c,
    name: maskName(c.name),
    nameRaw: null,
    phones: c.phones.map((p) => ({ e164: maskPhone(p.e164), raw: null })),
    email: orNull(c.email, maskEmail),
    emailRaw: null,
    birthday: orNull(c.birthday, maskBirthday),
    address: orNull(c.address, maskAddress),
    externalId: orNull(c.externalId, maskId),
    note: orNull(c.note, (n) => maskText(n, names)),
    fields: Object.fromEntries(Object.entries(c.fields).map(([k, v]) => [k, maskField(k, v, names)])),
    // A tag is free text too (介绍人13912345678, wxid_abcd1234); one that identifies nobody stays.
    tags: c.tags.map((t) => maskText(t, names)),
  };
}

/** An order (as listed, with its customer's name) masked: the name, and the note and order number as free text. */
export function maskOrder<T extends { customerName: string; externalId: string | null; note: string | null }>(o: T): T {
  const names = [o.customerName];
  return { ...o, customerName: maskName(o.customerName), externalId: orNull(o.externalId, (x) => maskText(x, names)), note: orNull(o.note, (n) => maskText(n, names)) };
}

/** An interaction (as listed, with its customer's name) masked: the name, and the note as free text. */
export function maskInteraction<T extends { customerName: string; note: string | null }>(i: T): T {
  return { ...i, customerName: maskName(i.customerName), note: orNull(i.note, (n) => maskText(n, [i.customerName])) };
}
