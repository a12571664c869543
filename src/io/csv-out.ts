// Writing CSV: the one rule for cells a spreadsheet would run as formulas (shared with the
// listings in src/output.ts), CSV lines quoted as papaparse quotes them (so `crm export` and
// `--format csv` write the same bytes), and the text encodings an export can be written in.
import { createRequire } from 'node:module';
import { badInput } from '../errors.js';
import type { Cell } from './output.js';

const require = createRequire(import.meta.url);
const iconv = () => require('iconv-lite') as typeof import('iconv-lite');

/**
 * Cells a spreadsheet could run as a formula that reaches outside the cell (OWASP CSV injection):
 * every cell starting with =, @, a tab or CR, and a cell starting with + or - that calls a function
 * or a program (a bracket, ! or |: -2+3+cmd|'/C calc'!A0). Such a cell gets a leading apostrophe.
 * Other cells starting with + or - stay as they are, with no mark: a list of phones
 * (+8613800138001, +8613800138000), a birthday without year (--03-05), a note "- 对花生过敏".
 * LibreOffice Calc runs only cells starting with = and shows an apostrophe as part of the text
 * (docs/spreadsheets.md); for Excel, which computes + and - cells, `--excel` writes them as ="…".
 */
export const FORMULA = /^[=@\t\r]|^[+-][^]*[(!|]/;

/** How a cell crm neutralized starts (what import looks for after an apostrophe, this rule or an older one). */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** The text of one cell: nothing for null, lists joined with ", " (as in every listing). */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (Array.isArray(cell)) return cell.map((c) => (typeof c === 'object' && c !== null ? JSON.stringify(c) : String(c))).join(', ');
  if (typeof cell === 'object') return JSON.stringify(cell);
  return String(cell);
}

const NEEDS_QUOTES = /[",\r\n\uFEFF]|^ | $/;

/**
 * Whether import takes the leading apostrophe off a cell: the one crm puts before a formula-like
 * cell, the one Shopify writes before digits ('02134), and so the one crm puts before a value that
 * itself starts with apostrophes and then such a text ('=x, ''=x, '0123: written with one more).
 */
export function apostropheMarked(cell: string): boolean {
  if (cell.charCodeAt(0) !== 0x27) return false;
  let n = 1;
  while (cell.charCodeAt(n) === 0x27) n++;
  const rest = cell.slice(n);
  return FORMULA_START.test(rest) || /^\d+$/.test(rest);
}

/** One CSV field: formulas neutralized, quoted when it holds a comma, quote, line break or edge space. A value import would take an apostrophe off gets one more, so it comes back as it was. */
export function csvField(text: string): string {
  const formula = FORMULA.test(text) || apostropheMarked(text);
  const value = formula ? `'${text}` : text;
  return formula || NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line, with its line ending. */
export function csvLine(fields: readonly string[], newline: string): string {
  return fields.map(csvField).join(',') + newline;
}

// Digits Excel would turn into a number and so lose: a leading +, a leading 0, more than 11 digits.
const EXCEL_DIGITS = /^(?:\+\d{6,}|0\d+|\d{12,})$/;
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

/** A cell Excel would change or run if written bare: those digits, or a start of = + - @ that is no plain number. */
function excelText(text: string): boolean {
  return EXCEL_DIGITS.test(text) || (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text));
}

// An instant as crm writes it, in the shop's zone with its offset (2026-11-22T10:00:00+08:00).
const ZONED_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?[+-]\d{2}:\d{2}$/;

/**
 * One CSV line for Excel. A cell Excel would change or run (a phone, member or card number, a list
 * of phones, a birthday without year --03-05, a note starting with - or =) is written as the
 * string formula ="…", which Excel and LibreOffice show as exactly that text, unmarked and never
 * run (+8613800138000 is not shown as 8.61E+12; 001 stays 001). A time is written as the shop's
 * wall clock time, 2026-11-22 10:00:00, which spreadsheets read as a date and time (one with a T
 * and an offset stays text). `crm import` reads both back (docs/spreadsheets.md).
 */
export function excelLine(fields: readonly string[], newline: string): string {
  const quoted = (v: string) => `"${v.replace(/"/g, '""')}"`;
  return fields.map((f) => (excelText(f) ? quoted(`="${f.replace(/"/g, '""')}"`) : csvField(f.replace(ZONED_TIME, '$1 $2')))).join(',') + newline;
}

/** Undoes excelLine's ="…" (a cell read back from an export for Excel). */
export function unwrapExcelText(cell: string): string {
  const m = /^="(.*)"$/s.exec(cell);
  const text = m ? m[1]!.replace(/""/g, '"') : '';
  return m && excelText(text) ? text : cell;
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
