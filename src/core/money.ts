// Money: integer minor units (fen, cents) everywhere; text only at the edges.
import { badInput } from '../errors.js';

/** How many decimals a currency has (CNY 2, JPY 0), from the runtime's ISO 4217 data. */
export function minorDigits(currency: string): number {
  let digits = DIGITS.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    DIGITS.set(currency, digits);
  }
  return digits;
}
/** Decimals by currency: an import parses millions of amounts, and a NumberFormat takes ~20 µs to make. */
const DIGITS = new Map<string, number>();

export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
}

// Currency signs people type in front of or behind an amount, and the currencies each may mean.
const SIGNS: Record<string, string[]> = {
  '¥': ['CNY', 'JPY'],
  元: ['CNY'],
  圆: ['CNY'],
  rmb: ['CNY'],
  $: ['USD', 'HKD', 'SGD', 'AUD', 'CAD', 'NZD', 'TWD', 'MXN'],
  '€': ['EUR'],
  '£': ['GBP'],
};
const PLAIN_AMOUNT = /^(\d{1,15})(?:\.(\d*))?$/;
const MARK = /^([¥$€£]|[a-z]{3})|([¥$€£元圆]|[a-z]{3})$/iu;

/**
 * Parses an amount as typed or exported by a spreadsheet (128.5, ¥1,280.50, 1280元, 99 CNY) into
 * minor units of the shop's currency. Never goes through floating point. Refused: negative amounts,
 * more decimals than the currency has, and a sign or code of another currency ($5 in a CNY shop).
 */
export function parseAmount(raw: string, currency: string): number {
  const digits = minorDigits(currency);
  // Plain digits with at most the currency's decimals (128, 128.5, 1280.50): as below, without its steps.
  const plain = PLAIN_AMOUNT.exec(raw);
  if (plain && (plain[2] ?? '').length <= digits) {
    const minor = Number(plain[1]) * 10 ** digits + Number((plain[2] ?? '').padEnd(digits, '0') || '0');
    if (Number.isSafeInteger(minor)) return minor;
  }
  let s = raw.normalize('NFKC').trim().replace(/\s+/g, '');
  for (let i = 0; i < 2; i++) {
    const m = MARK.exec(s);
    if (!m) break;
    const mark = (m[1] ?? m[2])!.toLowerCase();
    if (!SIGNS[mark] && !isCurrency(mark.toUpperCase())) break; // letters, but no currency: not an amount
    const means = SIGNS[mark] ?? [mark.toUpperCase()];
    if (!means.includes(currency)) throw badInput('err.amount.currency', { value: raw, currency });
    s = m[1] ? s.slice(m[1].length) : s.slice(0, -m[2]!.length);
  }
  if (s.startsWith('-')) throw badInput('err.amount.negative', { value: raw });
  if (s.startsWith('+')) s = s.slice(1);
  if (s.includes(',')) {
    // Only well-formed thousands separators: 1,280.50 yes; 1,28 or 12,80 no (a decimal comma is ambiguous).
    if (!/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(s)) throw badInput('err.amount', { value: raw });
    s = s.replace(/,/g, '');
  }
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw badInput('err.amount', { value: raw });
  const whole = m[1] || '0';
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > digits) throw badInput('err.amount.precision', { value: raw, digits });
  const minor = Number(whole) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) throw badInput('err.amount', { value: raw });
  return minor;
}

/** Minor units as a plain decimal string: 12850 -> "128.50" (for CSV and JSON). */
export function formatAmount(minor: number, digits: number): string {
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const s = String(abs).padStart(digits + 1, '0');
  return `${sign}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** Minor units for people: ¥1,280.50. */
export function displayAmount(minor: number, currency: string, lang: string): string {
  const digits = minorDigits(currency);
  const locale = lang === 'zh' ? 'zh-CN' : 'en-US';
  const key = `${locale} ${currency}`;
  let format = DISPLAY.get(key);
  if (!format) DISPLAY.set(key, (format = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol', minimumFractionDigits: digits })));
  return format.format(minor / 10 ** digits);
}
/** A NumberFormat by locale and currency: one for a listing, not one per amount shown (~20 µs each to make). */
const DISPLAY = new Map<string, Intl.NumberFormat>();
