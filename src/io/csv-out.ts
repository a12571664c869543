// Writing CSV: the one rule for cells a spreadsheet would run as formulas (shared with the
// listings in src/output.ts), CSV lines quoted as papaparse quotes them (so `crm export` and
// `--format csv` write the same bytes), and the text encodings an export can be written in.
import { createRequire } from 'node:module';
import { badInput } from '../errors.js';
import type { Cell } from './output.js';

const require = createRequire(import.meta.url);
const iconv = () => require('iconv-lite') as typeof import('iconv-lite');

/**
 * Cells a spreadsheet would run as a formula (OWASP CSV injection): =, @, tab, CR, and + or - unless
 * the cell is a plain number (+8613800138000 and -5 stay as they are). Such a cell gets a leading
 * apostrophe, which Excel and LibreOffice show as text and do not run.
 */
export const FORMULA = /^[=@\t\r]|^[+-](?!\d+(?:\.\d+)?$)/;

/** The text of one cell: nothing for null, lists joined with ", " (as in every listing). */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (Array.isArray(cell)) return cell.map((c) => (typeof c === 'object' && c !== null ? JSON.stringify(c) : String(c))).join(', ');
  if (typeof cell === 'object') return JSON.stringify(cell);
  return String(cell);
}

const NEEDS_QUOTES = /[",\r\n\uFEFF]|^ | $/;

/** One CSV field: formulas neutralized, quoted when it holds a comma, quote, line break or edge space. */
export function csvField(text: string): string {
  const formula = FORMULA.test(text);
  const value = formula ? `'${text}` : text;
  return formula || NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line, with its line ending. */
export function csvLine(fields: readonly string[], newline: string): string {
  return fields.map(csvField).join(',') + newline;
}

// Digits Excel would turn into a number and so lose: a leading +, a leading 0, more than 11 digits.
const EXCEL_NUMBER_TRAP = /^(?:\+\d{6,}|0\d+|\d{12,})$/;

/**
 * One CSV line for Excel: a phone, member or card number is written as ="…", which Excel keeps
 * as text (+8613800138000 is not shown as 8.61E+12; 001 stays 001). `crm import` reads it back.
 */
export function excelLine(fields: readonly string[], newline: string): string {
  return fields.map((f) => (EXCEL_NUMBER_TRAP.test(f) ? '"=""' + f + '"""' : csvField(f))).join(',') + newline;
}

/** Undoes excelLine's ="…" (a cell read back from an export for Excel). */
export function unwrapExcelText(cell: string): string {
  const m = /^="(.*)"$/.exec(cell);
  return m && EXCEL_NUMBER_TRAP.test(m[1]!) ? m[1]! : cell;
}

export const ENCODINGS = ['utf-8', 'gb18030', 'gbk', 'utf-16le'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** --encoding: utf-8 (utf8), gb18030, gbk, utf-16le (utf16le), in any case; anything else is bad input. */
export function parseEncoding(raw: string): Encoding {
  const key = raw.trim().toLowerCase().replace(/[-_]/g, '');
  const found = ENCODINGS.find((e) => e.replace(/-/g, '') === key);
  if (!found) throw badInput('err.encoding', { value: raw, allowed: ENCODINGS.join('|') });
  return found;
}

export interface TextEncoder {
  /** Bytes at the start of the file: the UTF-8 BOM for Excel, the UTF-16LE BOM always. */
  bom: Buffer;
  encode(text: string): Buffer;
  /** True when the encoding cannot hold every character of this text (GBK only; they become "?"). */
  loses(text: string): boolean;
}

/** The encoder for an export; `excel` adds the UTF-8 BOM Excel needs to read UTF-8 as UTF-8. */
export function textEncoder(encoding: Encoding, excel: boolean): TextEncoder {
  if (encoding === 'utf-8') {
    return { bom: Buffer.from(excel ? [0xef, 0xbb, 0xbf] : []), encode: (s) => Buffer.from(s, 'utf8'), loses: () => false };
  }
  const lib = iconv();
  return {
    bom: Buffer.from(encoding === 'utf-16le' ? [0xff, 0xfe] : []),
    encode: (s) => lib.encode(s, encoding),
    // GB18030 and UTF-16 cover all of Unicode; GBK does not (emoji, rarer CJK characters).
    loses: (s) => encoding === 'gbk' && lib.decode(lib.encode(s, encoding), encoding) !== s,
  };
}
