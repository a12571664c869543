// Full-text search over customers with SQLite FTS5 (unicode61 tokenizer).
// FTS5 cannot split Chinese text into words, so every CJK character is indexed as its own token
// and a Chinese query becomes a phrase of characters ("小明" -> "小 明"): 1-character queries work
// and every substring of a name matches. Phone numbers are indexed as digits and as reversed digits
// (r + digits backwards) so that both "starts with 138" and "ends with 8000" are prefix queries.
import type { CustomerFields } from './customer.js';
import { nationalForms, tryNormalizePhone } from './phone.js';
import { normalizeText } from './text.js';

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u3005';
const CJK_CHAR = new RegExp(`[${CJK}]`, 'u');
// A token as indexed: one CJK character, or a run of other letters and digits.
const TOKEN = new RegExp(`[${CJK}]|(?:(?![${CJK}])[\\p{L}\\p{N}])+`, 'gu');
const PHONE_LIKE = /^[+\d\s\-().]+$/;

/** Puts spaces around CJK characters so unicode61 indexes each as a token. */
export function splitCjk(text: string): string {
  return splitCommon(text) ?? (text.match(TOKEN) ?? []).join(' ');
}

/**
 * splitCjk for the text most records hold (common Chinese characters, ASCII), in one pass without a
 * regular expression (an import builds this for every row); null for anything else, which the
 * Unicode-aware expression handles.
 */
function splitCommon(text: string): string | null {
  let out = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) {
      if (!inWord && out !== '') out += ' ';
      out += text[i];
      inWord = true;
    } else if (c < 0x80) {
      inWord = false;
    } else if ((c >= 0x4e00 && c <= 0x9fef) || (c >= 0x3400 && c <= 0x4dbf)) {
      out += out === '' ? text[i] : ` ${text[i]}`;
      inWord = false;
    } else return null;
  }
  return out;
}

export interface SearchDocument {
  name: string;
  contact: string;
  body: string;
}

const reverse = (s: string) => {
  let r = '';
  for (let i = s.length - 1; i >= 0; i--) r += s[i];
  return r; // digits only: no surrogate pairs to keep together
};

/** The text indexed for one customer, one string per FTS column. */
export function searchDocument(c: Pick<CustomerFields, 'name' | 'phones' | 'email' | 'externalId' | 'note' | 'tags' | 'fields'>): SearchDocument {
  const contact: string[] = [];
  for (const p of c.phones) {
    // E.164 digits, the national number, as dialled at home (with the trunk 0 of 021 6487 1234), and
    // reversed for "ends with".
    const { national, dialled } = nationalForms(p.e164);
    contact.push(p.e164.slice(1), national, `r${reverse(national)}`);
    if (dialled !== national) contact.push(dialled);
  }
  if (c.email) contact.push(splitCjk(c.email));
  if (c.externalId) contact.push(splitCjk(c.externalId));
  const body = [c.note ?? '', ...c.tags, ...Object.values(c.fields)].map(splitCjk).filter((s) => s !== '');
  return { name: splitCjk(c.name), contact: contact.join(' '), body: body.join(' ') };
}

/**
 * The tokens FTS5's unicode61 tokenizer (remove_diacritics 2) makes of indexed text: runs of letters
 * and digits, lower case, without diacritics (the text is split already: each CJK character stands
 * alone). The PostgreSQL book indexes these same tokens (searchVector), not its own parser's.
 */
export function searchTokens(text: string): string[] {
  return text.normalize('NFKD').replace(/\p{Mn}/gu, '').toLowerCase().match(WORD) ?? [];
}
const WORD = /[\p{L}\p{N}\p{Co}]+/gu;

/**
 * A customer's search document as a PostgreSQL tsvector literal: each token at its position, name A,
 * contact B, the rest D, the columns far apart so that no phrase runs from one into the next (as
 * FTS5's phrases stay in a column).
 */
export function searchVector(doc: SearchDocument): string {
  const parts: string[] = [];
  ([[doc.name, 'A', 1], [doc.contact, 'B', 4001], [doc.body, '', 8001]] as const).forEach(([text, weight, start]) => {
    let pos = start;
    for (const t of searchTokens(text)) parts.push(`'${t}':${Math.min(pos++, 16383)}${weight}`);
  });
  return parts.join(' ');
}

export interface SearchPlan {
  /** FTS5 MATCH expression; null when the text has nothing to search for. */
  match: string | null;
  /** Exact lookups that rank first. */
  phone: string | null;
  email: string | null;
  name: string | null;
  /** Names starting with this rank next (an index range scan, fast at any size). */
  namePrefix: string | null;
}

/**
 * A query chunk's tokens, as splitCjk indexes them: splitCommon's for common text; the Unicode-aware
 * expression (compiled on first use, ~2 ms of a one-query process) for anything else.
 */
function tokensOf(chunk: string): string[] {
  const common = splitCommon(chunk);
  if (common === null) return chunk.match(TOKEN) ?? [];
  return common === '' ? [] : common.split(' ');
}

/** A token is one CJK character or holds none (TOKEN); splitCommon's CJK tokens are one character of its ranges. */
function isCjkToken(token: string): boolean {
  const c = token.charCodeAt(0);
  if (token.length === 1 && ((c >= 0x4e00 && c <= 0x9fef) || (c >= 0x3400 && c <= 0x4dbf))) return true;
  return c >= 0x80 && CJK_CHAR.test(token);
}

function phrase(tokens: string[]): string {
  const last = tokens[tokens.length - 1]!;
  const prefix = isCjkToken(last) ? '' : ' *';
  return `"${tokens.join(' ')}"${prefix}`;
}

/** Turns what the user typed into the lookups and the FTS5 query that answer it. */
export function planSearch(text: string, country: string): SearchPlan {
  const q = normalizeText(text.normalize('NFKC')) ?? '';
  if (PHONE_LIKE.test(q)) {
    const digits = q.replace(/\D/g, '');
    const phone = tryNormalizePhone(q, country);
    // Digits start or end a phone, or start any other token (a card number in a custom field, a date in a note).
    const match = digits.length >= 3 ? `"${digits}" * OR contact : "r${reverse(digits)}" *` : null;
    return { match, phone, email: null, name: null, namePrefix: null };
  }
  const chunks = q
    .split(' ')
    .map((chunk) => tokensOf(chunk.toLowerCase()))
    .filter((tokens) => tokens.length > 0);
  if (chunks.length === 0) return { match: null, phone: null, email: null, name: null, namePrefix: null };
  return {
    match: chunks.map(phrase).join(' AND '),
    phone: null,
    email: q.includes('@') ? q.toLowerCase() : null,
    name: q,
    namePrefix: q,
  };
}
