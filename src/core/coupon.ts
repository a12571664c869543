// Coupons: the codes, what a coupon is worth, and whether one may be redeemed. A code is ten
// characters from an alphabet without look-alikes (no 0/O, 1/I/L): nine carry a keyed
// pseudo-random permutation of the coupon's serial number (a Feistel network with AES-256
// rounds keyed by the shop's secret, cycle-walked to stay below 31^9), so two serials never give
// the same code and codes seen tell nothing of others; the tenth is a weighted mod-31 check that
// catches any one wrong character and any two characters swapped. The texts of a value come from
// the catalog (translate is pure, as errors.ts already uses it).
import { createCipheriv, createHash, type Cipher } from 'node:crypto';
import { badInput } from '../errors.js';
import { translate, type Lang } from '../messages/index.js';
import { addDays, localDay } from './dates.js';
import { displayAmount, parseAmount } from './money.js';

/** The 31 characters of a code: digits 2-9 and A-Z without I, L and O. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const BASE = CODE_ALPHABET.length;
/** Characters carrying the serial's image, and the code's length with its check character. */
const BODY = 9;
const CODE_LENGTH = BODY + 1;
/** 31^9 codes; the permutation runs over 45 bits (2^45 > 31^9), walking again when it lands above. */
const SPACE = BASE ** BODY;
const HIGH_BITS = 22;
const LOW_BITS = 23;
const ROUNDS = 8;

export type CouponKind = 'amount' | 'percent';

/** What a coupon is worth: minor units off, or percent off; and the least an order must be (minor units, 0: none). */
export interface CouponSpec {
  kind: CouponKind;
  value: number;
  minSpend: number;
}

export interface Coupon extends CouponSpec {
  code: string;
  serial: number;
  /** Whom it was issued to; null: anyone may use it. */
  customerId: number | null;
  occurrenceId: number | null;
  /** The reminder rule that issued it (birthday, reminder:3), or null for one issued by hand. */
  rule: string | null;
  /** The last day it can be used (shop-local YYYY-MM-DD). */
  expiresOn: string;
  /** UTC instants, ISO 8601. */
  issuedAt: string;
  redeemedAt: string | null;
  orderId: number | null;
}

export type CouponStatus = 'issued' | 'redeemed' | 'expired';
const COUPON_STATUSES: readonly CouponStatus[] = ['issued', 'redeemed', 'expired'];

// ---- Codes ---------------------------------------------------------------------------------------

/** A round's block: "coupon", the round, one half, zeros. One buffer, filled anew each time. */
const block = Buffer.alloc(16);
block.write('coupon', 0, 'latin1');

/** One AES-256 cipher per secret, reused: AES as the round function is 3.5x faster than a new HMAC per round (as FF1 does it). */
const ciphers = new Map<string, Cipher>();
function cipherOf(secret: Buffer): Cipher {
  const key = secret.toString('hex');
  let c = ciphers.get(key);
  if (!c) {
    c = createCipheriv('aes-256-ecb', createHash('sha256').update(secret).digest(), null);
    c.setAutoPadding(false);
    ciphers.set(key, c);
  }
  return c;
}

/** One Feistel round's function: AES under the shop's secret of the round and one half, cut to `bits` bits. */
function roundValue(secret: Buffer, round: number, half: number, bits: number): number {
  block.writeUInt8(round, 6);
  block.writeUInt32BE(half, 7);
  return cipherOf(secret).update(block).readUInt32BE(0) % 2 ** bits;
}

/**
 * The keyed permutation of [0, 2^45): an unbalanced Feistel network whose halves (22 and 23 bits)
 * change places each round; after an even number of rounds they are back in place.
 */
function permute(secret: Buffer, x: number): number {
  let [aBits, bBits] = [HIGH_BITS, LOW_BITS];
  let a = Math.floor(x / 2 ** bBits);
  let b = x % 2 ** bBits;
  for (let round = 0; round < ROUNDS; round++) {
    const mixed = (a ^ roundValue(secret, round, b, aBits)) >>> 0;
    [a, b] = [b, mixed];
    [aBits, bBits] = [bBits, aBits];
  }
  return a * 2 ** bBits + b;
}

/** The check character's value: with it, sum of (10 - i) * value over the ten positions is 0 mod 31. */
function checkValue(values: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < BODY; i++) sum += (CODE_LENGTH - i) * values[i]!;
  return (BASE - (sum % BASE)) % BASE;
}

/**
 * The code of coupon number `serial` (1 up to 31^9 - 1) under the shop's secret: ten characters,
 * different for every serial. Weights 10 down to 1 are all different and non-zero mod 31 (a
 * prime), so one wrong character or two characters swapped (neighbours or not) change the sum.
 */
export function codeFor(secret: Buffer, serial: number): string {
  if (!Number.isSafeInteger(serial) || serial < 0 || serial >= SPACE) throw new RangeError(`coupon serial ${serial} is out of range`);
  let x = permute(secret, serial);
  while (x >= SPACE) x = permute(secret, x); // cycle-walking: the walk from a value below 31^9 ends below it
  const values: number[] = [];
  for (let i = 0; i < BODY; i++, x = Math.floor(x / BASE)) values.unshift(x % BASE);
  values.push(checkValue(values));
  return values.map((v) => CODE_ALPHABET[v]).join('');
}

/** A code as people read it: two groups of five (K7M2P-9QX4R). */
export function displayCode(code: string): string {
  return code.length === CODE_LENGTH ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
}

/** What was typed, as a code would be compared: NFKC, upper case, without spaces and dashes. */
export function cleanCode(typed: string): string {
  return typed.normalize('NFKC').toUpperCase().replace(/[\s\p{Pd}]/gu, '');
}

/**
 * A typed code as stored (K7M2P9QX4R), or null when it cannot be one: a character outside the
 * alphabet, the wrong length, or a failed check (a typo, told apart from a code never issued).
 */
export function normalizeCode(typed: string): string | null {
  const code = cleanCode(typed);
  if (code.length !== CODE_LENGTH) return null;
  const values = [...code].map((ch) => CODE_ALPHABET.indexOf(ch));
  if (values.some((v) => v < 0)) return null;
  return checkValue(values) === values[BODY] ? code : null;
}

// ---- What a coupon is worth ------------------------------------------------------------------------

/** Percent off from a Chinese discount: 9折 (pay 90%) -> 10, 95折 and 9.5折 -> 5, 88折 -> 12. */
function percentOfZhe(text: string): number | null {
  const m = /^(\d)(?:\.(\d))?折$|^(\d)(\d)折$/.exec(text);
  if (!m) return null;
  const pay = m[1] !== undefined ? Number(m[1]) * 10 + Number(m[2] ?? 0) : Number(m[3]) * 10 + Number(m[4]);
  return 100 - pay;
}

/** A value part: "10%" or 9折 -> percent, else an amount in the shop's currency. */
function readValue(text: string, raw: string, currency: string): Pick<CouponSpec, 'kind' | 'value'> {
  const percent = /^(\d+)%$/.exec(text);
  const p = percent ? Number(percent[1]) : percentOfZhe(text);
  if (p !== null) {
    if (p < 1 || p > 99) throw badInput('err.coupon.percent', { value: raw });
    return { kind: 'percent', value: p };
  }
  const value = readAmount(text, raw, currency);
  if (value === 0) throw badInput('err.coupon.spec', { value: raw });
  return { kind: 'amount', value };
}

function readAmount(text: string, raw: string, currency: string): number {
  try {
    return parseAmount(text, currency);
  } catch {
    throw badInput('err.coupon.spec', { value: raw });
  }
}

/**
 * A coupon's worth as typed: "20" or "¥20" (20.00 off), "10%" or "9折" (10 percent off), with a
 * minimum spend "20/100" or "10%/100" (orders of 100 or more), or the Chinese 满100减20 and 满100打9折.
 */
export function parseCouponSpec(raw: string, currency: string): CouponSpec {
  const s = raw.normalize('NFKC').trim().replace(/\s+/g, '');
  const zh = /^满(.+?)(?:减(.+)|(?:打|享)?(\d+(?:\.\d)?折))$/.exec(s);
  const [valueText, minText] = zh ? [zh[2] ?? zh[3]!, zh[1]!] : s.split('/').length === 2 ? (s.split('/') as [string, string]) : [s, undefined];
  if (s.split('/').length > 2 || valueText === '') throw badInput('err.coupon.spec', { value: raw });
  const value = readValue(valueText, raw, currency);
  const minSpend = minText === undefined ? 0 : readAmount(minText, raw, currency);
  if (value.kind === 'amount' && minSpend > 0 && value.value > minSpend) throw badInput('err.coupon.overMin', { value: raw });
  return { ...value, minSpend };
}

/** The last day a coupon given on `day` for `days` days can be used (30 days from 11-22: 12-22). */
export function couponExpiry(day: string, days: number): string {
  return addDays(day, days);
}

/** What a coupon is worth, for people: ¥20.00 off orders of ¥100.00 or more / 满¥100.00减¥20.00 / 9折. */
export function couponValueText(c: CouponSpec, currency: string, lang: Lang): string {
  const min = displayAmount(c.minSpend, currency, lang);
  if (c.kind === 'amount') {
    const amount = displayAmount(c.value, currency, lang);
    return c.minSpend > 0 ? translate(lang, 'coupon.value.amountMin', { amount, min }) : translate(lang, 'coupon.value.amount', { amount });
  }
  // In English the percent off; in Chinese what is paid: 10% off is 9折, 15% off 85折, 95% off 0.5折.
  const pay = 100 - c.value;
  const rate = lang === 'en' ? String(c.value) : pay % 10 === 0 ? String(pay / 10) : pay < 10 ? `0.${pay}` : String(pay);
  const params = { rate, min };
  return c.minSpend > 0 ? translate(lang, 'coupon.value.percentMin', params) : translate(lang, 'coupon.value.percent', params);
}

// ---- Redeeming ---------------------------------------------------------------------------------------

/** Issued (still usable), redeemed, or expired (its last day is before `today`). */
export function couponStatus(c: Pick<Coupon, 'redeemedAt' | 'expiresOn'>, today: string): CouponStatus {
  if (c.redeemedAt !== null) return 'redeemed';
  return today > c.expiresOn ? 'expired' : 'issued';
}

/** A --status value: issued, redeemed or expired (the Chinese words too). */
export function parseCouponStatus(raw: string): CouponStatus {
  const s = STATUS_WORDS[raw.normalize('NFKC').trim().toLowerCase()];
  if (!s) throw badInput('err.couponStatus', { value: raw, allowed: COUPON_STATUSES.join('|') });
  return s;
}

const STATUS_WORDS: Record<string, CouponStatus> = {
  issued: 'issued', unused: 'issued', 未使用: 'issued', 有效: 'issued',
  redeemed: 'redeemed', used: 'redeemed', 已核销: 'redeemed', 已使用: 'redeemed',
  expired: 'expired', 已过期: 'expired', 过期: 'expired',
};

export interface Redemption {
  customerId: number;
  /** The order's amount, minor units (compared with the minimum spend as recorded). */
  amount: number;
  today: string;
  /** The shop's zone (the day a coupon was used is told in it) and currency. */
  zone: string;
  currency: string;
}

/**
 * Throws bad input with the reason a coupon cannot pay towards this order: used already (on which
 * day, for which order), issued to another customer, expired (on which day), or the order is below
 * the minimum spend. A code never issued is the store's null, not this.
 */
export function checkRedeem(c: Coupon, r: Redemption): void {
  const code = displayCode(c.code);
  if (c.redeemedAt !== null) {
    const day = localDay(c.redeemedAt, r.zone);
    if (c.orderId === null) throw badInput('err.coupon.usedNoOrder', { code, day });
    throw badInput('err.coupon.used', { code, day, order: c.orderId });
  }
  if (c.customerId !== null && c.customerId !== r.customerId) throw badInput('err.coupon.otherCustomer', { code, id: c.customerId });
  if (couponStatus(c, r.today) === 'expired') throw badInput('err.coupon.expired', { code, day: c.expiresOn });
  // Amounts read the same in both languages (¥1,280.50), so the error's text is made here.
  const money = (m: number) => displayAmount(m, r.currency, 'en');
  if (r.amount < c.minSpend) throw badInput('err.coupon.minSpend', { code, min: money(c.minSpend), amount: money(r.amount) });
}

