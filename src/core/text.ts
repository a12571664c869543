// Normalization of the free-text parts of a record: names, emails, tags, notes.
import { badInput } from '../errors.js';
import { checkText } from './limits.js';

/** A normalized value and what was typed, when the two differ. */
export interface Normalized {
  value: string;
  raw: string | null;
}

const PLAIN_ASCII = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;

/** NFC, trimmed, every run of white space (full-width space included) folded to one space. */
export function normalizeText(raw: string): string | null {
  // Printable ASCII with single spaces between words is its own normal form (an import's order
  // numbers, amounts and phones: millions of cells).
  if (PLAIN_ASCII.test(raw)) return raw;
  const v = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  return v === '' ? null : v;
}

/** The form names are compared in: NFKC, lower case, no white space (张 伟 = 张伟 = 张伟). */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

export function normalizeName(raw: string): Normalized {
  const value = normalizeText(raw);
  if (value === null) throw badInput('err.name.required');
  checkText('name', value);
  return { value, raw: value === raw ? null : raw };
}

// Practical shape check (what mail clients accept), not the full RFC 5322 grammar.
const EMAIL = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[^\s@"<>(),;:.]{2,}$/u;

export function normalizeEmail(raw: string): Normalized {
  // NFKC turns full-width ＠ and letters typed with a Chinese input method into ASCII.
  const value = raw.normalize('NFKC').trim().toLowerCase();
  checkText('email', value);
  if (!EMAIL.test(value)) throw badInput('err.email', { value: raw });
  return { value, raw: value === raw ? null : raw };
}

/** A tag as typed or exported: without a leading # or the quotes a list puts around it ("VIP", as Mailchimp writes tags). */
export function normalizeTag(raw: string): string | null {
  return checkText('tag', normalizeText(raw.trim().replace(/^["'“”‘’]+|["'“”‘’]+$/gu, '').replace(/^#/, '')));
}

/** A one-line value as kept (normalizeText), within its field's length and without control characters. */
export function cleanLine(field: 'city' | 'address' | 'externalId' | 'fieldName', raw: string): string | null {
  return checkText(field, normalizeText(raw));
}

/** Splits a list typed by hand or in a spreadsheet cell: commas, semicolons, 、, /, | and full-width ，；. */
export function splitList(raw: string): string[] {
  return raw.split(/[,;，；、/|]/u).map((s) => s.trim()).filter((s) => s !== '');
}

/** Characters of a value from a file (a cell, a column name) an error quotes: enough to find it by. */
export const QUOTED_MAX = 80;

/** A value as an error quotes it: cut after QUOTED_MAX characters with "…", so that a 10 MB line is not echoed whole. */
export function quoted(value: string, max = QUOTED_MAX): string {
  if (value.length <= max) return value;
  const c = value.charCodeAt(max - 1);
  return value.slice(0, c >= 0xd800 && c <= 0xdbff ? max - 1 : max) + '…'; // never half a character
}
