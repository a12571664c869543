// Finding duplicate customers, the records: a customer as the matcher compares it (names, cities
// and addresses in one comparable form, the pinyin of Chinese names, the words of Latin ones), what
// picks a cluster's survivor, and the blocking keys that bring likely duplicates together.
import { doubleMetaphone } from 'double-metaphone';
import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';

/** What the store hands the matcher about one customer. */
export interface MatchInput {
  id: number;
  name: string;
  phones: string[];
  email: string | null;
  externalId: string | null;
  birthday: string | null;
  city: string | null;
  address: string | null;
  gender: string | null;
  /** Custom fields the matcher compares (those that behave like identifiers), by key. */
  extra: Record<string, string>;
  /** How complete the record is (for the survivor): see survivorFacts. */
  completeness: number;
  /** The last order day or update day (for the survivor). */
  lastActive: string;
}

/**
 * A customer as the matcher compares it: name NFKC, simplified, lower case, without spaces or
 * punctuation (張 偉 -> 张伟); city and address compared alike.
 */
export interface MatchRecord extends MatchInput {
  /** Chinese names: toneless pinyin, zhangwei; else null. */
  pinyin: string | null;
  /** Latin names: the words, lower case, sorted (swapped given name and surname compare equal). */
  words: string[];
}

/**
 * What the survivor of a cluster is chosen by: how complete a record is (filled fields, phones,
 * up to three tags and three custom fields, having ordered) and when it was last active.
 */
export function survivorFacts(c: {
  filled: number;
  phones: number;
  tags: number;
  customFields: number;
  orders: number;
  lastOrderDay: string | null;
  updatedAt: string;
}): { completeness: number; lastActive: string } {
  const updated = c.updatedAt.slice(0, 10);
  return {
    completeness: c.filled + c.phones + Math.min(c.tags, 3) + Math.min(c.customFields, 3) + (c.orders > 0 ? 1 : 0),
    lastActive: c.lastOrderDay !== null && c.lastOrderDay > updated ? c.lastOrderDay : updated,
  };
}

export const HAN = /\p{Script=Han}/u;
let toSimplified: ((s: string) => string) | undefined;
const simplified = (s: string) => (toSimplified ??= OpenCC.Converter({ from: 't', to: 'cn' }))(s);

/** The form text is compared in: NFKC (full-width -> ASCII), simplified characters, lower case. */
export function comparable(s: string): string {
  const n = s.normalize('NFKC').toLowerCase();
  return HAN.test(n) ? simplified(n) : n;
}

const squeeze = (s: string) => s.replace(/[\s\p{P}\p{S}]+/gu, '');
/** Words separated by one space; Chinese text (written without spaces) squeezed. */
const spaced = (s: string) => (HAN.test(s) ? squeeze(s) : s.replace(/[\s\p{P}\p{S}]+/gu, ' ').trim());

/** Identifier-like values compared without spaces, punctuation, case or full-width forms (an ID card number typed in groups). */
function identifiers(extra: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(extra)) {
    const x = squeeze(v.normalize('NFKC').toLowerCase());
    if (x) out[k] = x;
  }
  return out;
}

export function matchRecord(c: MatchInput): MatchRecord {
  const name = comparable(c.name);
  const chinese = HAN.test(name);
  const words = chinese ? [] : (name.match(/\p{L}+/gu) ?? []).sort();
  return {
    id: c.id,
    name: squeeze(name),
    pinyin: chinese ? pinyin(squeeze(name), { toneType: 'none', type: 'array', surname: 'head' }).join('') : null,
    words,
    phones: c.phones,
    email: c.email,
    externalId: c.externalId,
    birthday: c.birthday,
    city: c.city ? squeeze(comparable(c.city)).replace(/市$/u, '') || null : null,
    address: c.address ? spaced(comparable(c.address)) || null : null,
    gender: c.gender,
    extra: identifiers(c.extra),
    completeness: c.completeness,
    lastActive: c.lastActive,
  };
}

/** The value of a name as agreed on exactly: Chinese characters, or a Latin name's words in order. */
export const nameValue = (r: Pick<MatchRecord, 'name' | 'pinyin' | 'words'>) => (r.pinyin !== null || r.words.length === 0 ? r.name : r.words.join(' '));

// ---- Term frequencies and training --------------------------------------------------------------

/** Where the shop's count of a value is kept: the block key of the same value (phones, emails, ...), or a key of its own. */
const FREQUENCY_PREFIX: Record<string, string> = { name: 'tn:', birthday: 'tb:', phone: 'p:', email: 'e:', address: 'a:', member: 'x:', city: 'tc:', domain: 'td:' };

/** The keys whose counts are term frequencies (the others are only blocked on). */
export const isFrequencyKey = (key: string) => /^(t[nbcd]|[peax]|f):/.test(key);

/** FNV-1a over a string's UTF-16 units, continuing from `h`. */
function fnv(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}
const FNV_OFFSET = 0x811c9dc5 | 0;

/**
 * A key's 32-bit hash, as a small integer (a million counts kept as numbers take a fifth of the
 * memory of their strings; two keys sharing a hash only make a value look more common).
 */
export const keyHash = (key: string) => fnv(key, FNV_OFFSET) | 0;

/** The hash of a field's value's key (frequencyKey), without building the string. */
export function frequencyHash(field: string, value: string): number {
  const h = field.startsWith('field:') ? fnv('=', fnv(field.slice(6), fnv('f:', FNV_OFFSET))) : fnv(FREQUENCY_PREFIX[field]!, FNV_OFFSET);
  return fnv(value, h) | 0;
}

export function frequencyKey(field: string, value: string): string {
  return field.startsWith('field:') ? `f:${field.slice(6)}=${value}` : `${FREQUENCY_PREFIX[field]}${value}`;
}

/** Keys counted for term frequencies but never blocked on (they start with t). */
export const isCountOnly = (key: string) => key.startsWith('t');

/** The keys a record adds for counting its name (the other counts come from block keys or small maps). */
export function countKeys(r: MatchRecord): string[] {
  return r.name ? [`tn:${nameValue(r)}`] : [];
}

/** The keys of the training sessions' blocks: the same name, the same birthday, the same phone, the same email. */
export function trainingKeys(r: MatchRecord): string[] {
  const keys = countKeys(r);
  if (r.birthday) keys.push(`tb:${r.birthday}`);
  for (const p of r.phones) keys.push(`p:${p}`);
  if (r.email) keys.push(`e:${r.email}`);
  return keys;
}

// ---- Blocking ---------------------------------------------------------------------------------

const sound = (word: string) => doubleMetaphone(word)[0] || word;
const digitsOf = (s: string) => s.match(/\d+/g) ?? [];

/**
 * The keys that bring a record together with its likely duplicates: contact keys, the name with
 * the birthday or city, the pinyin (same-sounding Chinese names), how each word of a Latin name
 * sounds with the birth year or the postcode, the birthday with the name's first letter, the address.
 */
export function blockingKeys(r: MatchRecord): string[] {
  const keys = new Set<string>();
  for (const p of r.phones) keys.add(`p:${p}`);
  if (r.email) keys.add(`e:${r.email}`);
  if (r.externalId) keys.add(`x:${r.externalId}`);
  if (r.address) keys.add(`a:${r.address}`);
  for (const [k, v] of Object.entries(r.extra)) keys.add(`f:${k}=${v}`);
  const name = r.pinyin ?? r.name;
  if (name) {
    if (r.birthday) keys.add(`n:${name}|${r.birthday}`);
    if (r.city) keys.add(`n:${name}|${r.city}`);
    if (r.email) keys.add(`n:${name}|${r.email.split('@')[0]}`);
  }
  if (r.birthday && r.city) keys.add(`b:${r.birthday}|${r.city}`);
  if (r.birthday) {
    const initials = r.pinyin ? [r.pinyin[0]] : r.words.map((w) => w[0]);
    for (const i of new Set(initials)) keys.add(`b:${r.birthday}|${i}`);
  }
  const year = r.birthday?.slice(0, 4);
  const postcode = r.address ? digitsOf(r.address).find((d) => d.length >= 4) : undefined;
  for (const w of r.words) {
    if (w.length < 2) continue;
    const s = sound(w);
    if (year) keys.add(`s:${s}|${year}`);
    if (postcode) keys.add(`s:${s}|${postcode}`);
  }
  return [...keys];
}
