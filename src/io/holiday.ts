// The holiday notices shipped with crm: one file per year in data/holidays/ at the package root
// (data/holidays/<year>.json in the holiday-cn project's format, beside dist/; data/holidays/README.md
// says where they come from), read once per process. Also reads a notice the user typed up (UTF-8,
// or GB18030 as Windows Notepad saves Chinese text, found as an import finds a CSV's encoding).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { badInput, systemError } from '../errors.js';
import { detectEncoding } from './csv-in.js';

const iconv = () => createRequire(import.meta.url)('iconv-lite') as typeof import('iconv-lite');

/** data/holidays/ beside src/ and dist/ (this file is src/io/holiday.ts, or dist/io/holiday.js once built). */
export const HOLIDAY_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'holidays');

const FILE = /^\d{4}\.json$/;

let shipped: { file: string; text: string }[] | undefined;

/** Every shipped notice's text with its file name (data/holidays/2026.json), by year. */
export function shippedHolidayFiles(): { file: string; text: string }[] {
  if (!shipped) {
    const names = fs.existsSync(HOLIDAY_DIR) ? fs.readdirSync(HOLIDAY_DIR).filter((f) => FILE.test(f)).sort() : [];
    shipped = names.map((f) => ({ file: `data/holidays/${f}`, text: fs.readFileSync(path.join(HOLIDAY_DIR, f), 'utf8') }));
  }
  return shipped;
}

/** A notice's text from a file the user named, decoded (a byte-order mark dropped). */
export function readHolidayFile(file: string): string {
  try {
    const bytes = fs.readFileSync(file);
    return iconv().decode(bytes, detectEncoding(bytes));
  } catch (e) {
    throw systemError(e, file) ?? badInput('err.holidays.read', { file, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
  }
}
