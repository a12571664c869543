// Reading CSV files as spreadsheets save them: the encoding detected (UTF-8 with or without BOM,
// UTF-16 with BOM, else GB18030, which covers GBK as saved by Chinese Excel), the delimiter sniffed,
// records streamed by papaparse with the line each starts on, so memory stays flat at any size.
// Decoding is iconv-lite's; parsing is papaparse's.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FORMULA_START, unwrapExcelText } from './csv-out.js';
import { badInput, failure, systemError } from '../errors.js';

const require = createRequire(import.meta.url);
const iconv = () => require('iconv-lite') as typeof import('iconv-lite');
const papa = () => require('papaparse') as typeof import('papaparse');

const SAMPLE_BYTES = 64 * 1024;
/** Chunks of 256 KB read ahead of the parser. */
const READ_AHEAD_CHUNKS = 8;
export const DELIMITERS = [',', ';', '\t', '|'];

/** The encoding of a file from its first bytes: a BOM if there is one, else UTF-8 if the bytes are valid UTF-8, else GB18030. */
export function detectEncoding(head: Buffer): string {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  try {
    // stream: true, because the sample may end inside a multi-byte character.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

export function checkEncoding(name: string): string {
  const n = name.trim().toLowerCase();
  if (!iconv().encodingExists(n)) throw badInput('err.encoding', { value: name, allowed: 'utf-8|gb18030|gbk|utf-16le|utf-16be|big5' });
  return n;
}

/**
 * Undoes what crm's CSV does for spreadsheets: the apostrophe before a formula-like cell, ="…" around
 * a number kept as text; and the apostrophe Shopify writes before ids and zips ('7351200000101, '02134).
 */
function unescapeFormula(cell: string): string {
  if (cell.startsWith("'") && (FORMULA_START.test(cell.slice(1)) || /^'\d+$/.test(cell))) return cell.slice(1);
  return cell.startsWith('="') ? unwrapExcelText(cell) : cell;
}

export interface CsvRecord {
  /** The line of the file this record starts on (1 = the first line). */
  line: number;
  fields: string[];
  /** What is wrong with the record itself: its quotes are broken, or its text is not in the file's encoding. */
  problem: 'quotes' | 'encoding' | null;
}

export interface CsvFile {
  path: string;
  encoding: string;
  delimiter: string;
  header: string[];
  /** The line of the header; rows on and above it are not data (0: the file has none). */
  headerLine: number;
  /** The first row below the header, as read (for messages that show a column's values). */
  sample: string[] | null;
}

function readHead(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    return buf.subarray(0, fs.readSync(fd, buf, 0, SAMPLE_BYTES, 0));
  } finally {
    fs.closeSync(fd);
  }
}

function decodedStream(file: string, encoding: string): Readable {
  return fs.createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(iconv().decodeStream(encoding, { stripBOM: true })) as unknown as Readable;
}

/**
 * Streams the records of a CSV file, blank lines skipped, each with the line it starts on. The
 * first record is the header. papaparse reads the decoded stream a chunk at a time (its chunk mode:
 * its row-at-a-time stream mode is quadratic in the chunk size) and waits while a chunk is used.
 */
export async function* readRecords(file: string, encoding: string, delimiter: string): AsyncGenerator<CsvRecord> {
  const source = decodedStream(file, encoding);
  // Set by papaparse's callbacks, read by the loop below.
  const state: { chunk: string[][] | null; badRows: Set<number>; finished: boolean; failed: Error | null; parser: { resume(): void; abort(): void } | null } = {
    chunk: null,
    badRows: new Set(),
    finished: false,
    failed: null,
    parser: null,
  };
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const end = (e: Error | null) => {
    state.failed ??= e;
    state.finished = true;
    signal();
  };
  source.on('error', end);
  // papaparse's pause stops its parser, not the stream feeding it, which would go on queueing the
  // rest of the file in memory while the rows are used: the stream may run this many chunks ahead.
  let ahead = 0;
  source.on('data', () => {
    if (++ahead > READ_AHEAD_CHUNKS) source.pause();
  });
  papa().parse(source as unknown as File, {
    delimiter,
    skipEmptyLines: false,
    chunk(results, p) {
      p.pause();
      ahead--;
      state.parser = p;
      state.chunk = results.data as string[][];
      // A quote that does not close swallows what follows it: the record is refused, never trusted.
      state.badRows = new Set(results.errors.filter((e) => e.type === 'Quotes' && e.row !== undefined).map((e) => e.row!));
      signal();
    },
    complete: () => end(null),
    error: (e: Error) => end(e),
  });
  let complete = false;
  let line = 1;
  try {
    for (;;) {
      if (!state.chunk && !state.finished) await new Promise<void>((r) => (wake = r));
      const rows = state.chunk;
      if (rows) {
        state.chunk = null;
        const bad = state.badRows;
        for (let r = 0; r < rows.length; r++) {
          const fields = rows[r]!;
          const start = line;
          let blank = true;
          let broken = false;
          // One look at each cell (a million rows of 27 cells: this loop is a third of the reading).
          for (let i = 0; i < fields.length; i++) {
            const f = fields[i]!;
            // Line breaks inside quoted cells: \n, \r\n and an old Mac's lone \r each end one line.
            if (f.includes('\n') || f.includes('\r')) line += (f.match(/\r\n|\r|\n/g) ?? []).length;
            if (blank && f.trim() !== '') blank = false;
            if (!broken && f.includes('\uFFFD')) broken = true;
            const c = f.charCodeAt(0);
            if (c === 0x27 || c === 0x3d) fields[i] = unescapeFormula(f); // ' or =
          }
          line++;
          if (blank) continue; // a blank line, or a row of empty cells (,,,)
          yield { line: start, fields, problem: bad.has(r) ? 'quotes' : broken ? 'encoding' : null };
        }
        if (!state.finished) {
          if (source.isPaused() && ahead <= READ_AHEAD_CHUNKS) source.resume();
          state.parser?.resume();
        }
        continue;
      }
      if (state.finished) break;
    }
    complete = true;
  } finally {
    if (!complete) {
      state.parser?.abort(); // the reader stopped early (the header was all it wanted)
      source.destroy();
    }
  }
  if (state.failed) throw failure('err.csv.read', { path: file, reason: state.failed.message });
}

/**
 * UTF-8 or GB18030, judged over the whole file (its first 64 KB may be ASCII, and Chinese come
 * later): text with valid UTF-8 characters and at most a few broken bytes is UTF-8 (the rows with
 * broken bytes are refused); text whose non-ASCII bytes are mostly not UTF-8 is GB18030.
 */
async function judgeUtf8(file: string): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  let valid = 0;
  let broken = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const text = decoder.decode(chunk as Buffer, { stream: true });
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0xfffd) broken++;
      else if (c > 0x7f) valid++;
    }
  }
  return broken === 0 || valid > broken * 10 ? 'utf-8' : 'gb18030';
}

/**
 * Opens a CSV file: detects its encoding (unless given) and delimiter, and reads its header. A file
 * without one (`noHeader`) has columns named "column 1", "column 2", … as wide as its widest first rows.
 */
export async function openCsv(file: string, encoding?: string, isHeader: (cells: string[]) => boolean = () => true, noHeader = false): Promise<CsvFile> {
  let head: Buffer;
  try {
    head = readHead(file);
  } catch (e) {
    throw systemError(e, file) ?? failure('err.csv.open', { path: file, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
  }
  // A workbook is no CSV: say so rather than read its bytes as column names.
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) throw badInput('err.csv.workbook', { path: file });
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) throw badInput('err.csv.workbook', { path: file });
  let enc = encoding ? checkEncoding(encoding) : detectEncoding(head);
  // A BOM settles it, and so does a first 64 KB that holds valid UTF-8 beyond ASCII; an all-ASCII
  // start (Chinese may come later) or broken UTF-8 is judged over the whole file.
  const settled = head.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) || enc.startsWith('utf-16') || (enc === 'utf-8' && head.some((b) => b > 0x7f));
  if (!encoding && !settled) enc = await judgeUtf8(file);
  const sample = iconv().decode(head, enc, { stripBOM: true });
  const guessed = papa().parse(sample, { preview: 20, delimitersToGuess: DELIMITERS }).meta.delimiter;
  const delimiter = DELIMITERS.includes(guessed) ? guessed : ',';
  // The header is the first row, unless a title row or two stand above it ("客户名单 2024年"): then the
  // first of the first rows that `isHeader` recognizes.
  const first: CsvRecord[] = [];
  for await (const r of readRecords(file, enc, delimiter)) {
    first.push(r);
    if (first.length === 10) break;
  }
  if (first.length === 0) throw badInput('err.csv.empty', { path: file });
  if (noHeader) {
    const width = Math.max(...first.map((r) => r.fields.length));
    return { path: file, encoding: enc, delimiter, header: Array.from({ length: width }, (_, i) => `column ${i + 1}`), headerLine: 0, sample: first[0]!.fields };
  }
  const at = Math.max(0, first.findIndex((r) => isHeader(r.fields.map((h) => h.trim()))));
  const chosen = first[at]!;
  return { path: file, encoding: enc, delimiter, header: chosen.fields.map((h) => h.trim()), headerLine: chosen.line, sample: first[at + 1]?.fields ?? null };
}

/**
 * Copies a stream (standard input, a pipe named /dev/stdin) to a file in `dir`, its owner's only
 * (0600): an import reads its input twice, and a pipe can be read once.
 */
export async function spoolToFile(input: Readable, dir: string): Promise<string> {
  const file = `${dir}/stdin.csv`;
  await pipeline(input, fs.createWriteStream(file, { mode: 0o600, flags: 'wx' }));
  return file;
}
