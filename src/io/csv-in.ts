// Reading CSV files as spreadsheets save them: the encoding detected (UTF-8 with or without BOM,
// UTF-16 with BOM, else GB18030, which covers GBK as saved by Chinese Excel; decided again line by
// line where a file mixes UTF-8 and GBK), the delimiter sniffed, records streamed with the line each
// starts on, so memory stays flat at any size. Decoding is csv-decode.ts (iconv-lite for GBK and
// the rest), parsing csv-parse.ts; papaparse only sniffs the delimiter.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decodeFile, oddGbk, utf8InGbk, utf8Reading } from './csv-decode.js';
import { CsvParser } from './csv-parse.js';
import { badInput, failure, systemError } from '../errors.js';

const require = createRequire(import.meta.url);
const iconv = () => require('iconv-lite') as typeof import('iconv-lite');
const papa = () => require('papaparse') as typeof import('papaparse');

const SAMPLE_BYTES = 64 * 1024;
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

/**
 * An encoding the user named (--encoding), lowercased; the two that detection gives are spelt in
 * capitals (UTF-8, GB18030), so that the reader takes the file as named, never line by line as
 * UTF-8 and GBK mixed, as it does a file whose encoding it detected (csv-decode.ts `mixes`).
 */
export function checkEncoding(name: string): string {
  const n = name.trim().toLowerCase();
  if (!iconv().encodingExists(n)) throw badInput('err.encoding', { value: name, allowed: 'utf-8|gb18030|gbk|utf-16le|utf-16be|big5' });
  return n === 'utf-8' || n === 'gb18030' ? n.toUpperCase() : n;
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

/**
 * Streams the records of a CSV file, blank lines skipped, each with the line it starts on. The
 * first record is the header. The bytes are decoded a run of lines at a time (csv-decode.ts) and
 * parsed as they come (csv-parse.ts), so memory stays flat at any size; a reader that stops early
 * (the header was all it wanted) closes the file.
 */
export async function* readRecords(file: string, encoding: string, delimiter: string): AsyncGenerator<CsvRecord> {
  for await (const run of readRecordRuns(file, encoding, delimiter)) yield* run;
}

/**
 * The records of readRecords, a run of them at a time (those of one decoded run of text): what a
 * reader of millions of rows takes, as each step of an async generator costs a promise.
 */
export async function* readRecordRuns(file: string, encoding: string, delimiter: string): AsyncGenerator<CsvRecord[]> {
  const parser = new CsvParser(delimiter);
  const text = decodeFile(file, encoding);
  for (;;) {
    let run: IteratorResult<{ text: string; broken: number[] }>;
    try {
      run = await text.next();
    } catch (e) {
      throw failure('err.csv.read', { path: file, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
    }
    const records: CsvRecord[] = [];
    if (run.done) parser.push('', [], true, records);
    else parser.push(run.value.text, run.value.broken, false, records);
    if (records.length) yield records;
    if (run.done) return;
  }
}

/**
 * About how many rows a file holds below its header, from its size and the lines of its first
 * 64 KB (for a progress bar and choosing how to load, when the file is not counted first).
 */
export function estimateRows(csv: CsvFile): number {
  const head = readHead(csv.path);
  let lines = 0;
  for (let i = head.indexOf(0x0a); i >= 0; i = head.indexOf(0x0a, i + 1)) lines++;
  if (head.length < SAMPLE_BYTES) return Math.max(0, lines + (head.length && head[head.length - 1] !== 0x0a ? 1 : 0) - csv.headerLine);
  const size = fs.statSync(csv.path).size;
  return Math.max(0, Math.round((size / head.length) * lines) - csv.headerLine);
}

/** How many times `seq` occurs in `bytes`. */
function occurrences(bytes: Buffer, seq: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(seq); i >= 0; i = bytes.indexOf(seq, i + seq.length)) n++;
  return n;
}

/**
 * Counts the non-ASCII characters of UTF-8 text line by line: those of lines that read as plausible
 * text (`valid`) and those of lines that do not (`odd`: GBK bytes that happen to be valid UTF-8
 * read as lone Latin Extended, Armenian or Hebrew letters, C1 controls; csv-decode.ts utf8Reading).
 * U+FFFD is left to the caller. Only a line with characters outside the everyday CJK blocks, and no
 * broken bytes, is read closely.
 */
function countUtf8(text: string, into: { valid: number; odd: number }): void {
  let start = 0;
  let chars = 0;
  let suspect = false;
  let lost = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x0a;
    if (c === 0x0a || c === 0x0d) {
      // A line with broken bytes is not UTF-8 anyway: its other characters are not read closely.
      if (chars) {
        if (suspect && !lost && utf8Reading(text.slice(start, i)) === null) into.odd += chars;
        else into.valid += chars;
      }
      start = i + 1;
      chars = 0;
      suspect = lost = false;
    } else if (c > 0x7f) {
      if (c === 0xfffd) {
        lost = true;
        continue;
      }
      chars++;
      if (!((c >= 0x3000 && c <= 0x9fff) || (c >= 0xff00 && c <= 0xffef))) suspect = true;
    }
  }
}

/**
 * UTF-8 or GB18030, judged over the whole file (its first 64 KB may be ASCII, and Chinese come
 * later): text with valid UTF-8 characters that read as plausible text and at most a few broken
 * bytes (or lines that read as no plausible text) is UTF-8 (the rows with broken bytes are read as
 * GBK where they are, else refused); text whose non-ASCII bytes are mostly not UTF-8, or mostly
 * GBK that happens to be valid UTF-8 (莫詩 is "ĪԊ"), is GB18030. A U+FFFD the file holds as text
 * (EF BF BD) is a valid character, not a broken byte.
 */
async function judgeUtf8(file: string): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  const replacement = Buffer.from([0xef, 0xbf, 0xbd]);
  const counts = { valid: 0, odd: 0 };
  let broken = 0;
  let tail: Buffer = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const bytes = chunk as Buffer;
    const text = decoder.decode(bytes, { stream: true });
    let replaced = 0;
    for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) replaced++;
    countUtf8(text, counts);
    // The U+FFFD written in the file, counted where a chunk's end may split one too.
    const literal = replaced ? occurrences(Buffer.concat([tail, bytes]), replacement) : 0;
    counts.valid += literal;
    broken += Math.max(0, replaced - literal);
    tail = bytes.subarray(-2);
  }
  const against = broken + counts.odd;
  return against === 0 || counts.valid > against * 10 ? 'utf-8' : 'gb18030';
}

/** Whether the UTF-8 of a file's first bytes reads as plausible text on every line (the last, maybe cut, left out of a longer file). */
function plausibleHead(head: Buffer): boolean {
  const whole = head.length < SAMPLE_BYTES;
  const text = new TextDecoder('utf-8').decode(whole ? head : head.subarray(0, Math.max(head.lastIndexOf(0x0a), head.lastIndexOf(0x0d), 0)));
  const counts = { valid: 0, odd: 0 };
  countUtf8(text, counts);
  return counts.odd === 0;
}

/**
 * Refuses a file judged GBK whose first lines mostly read as no Chinese text in GBK (csv-decode.ts
 * oddGbk): a file in a legacy encoding that is not Chinese (windows-1252's Jürgen Müller reads as
 * J黵gen M黮ler) or Big5 (Traditional Chinese, whose 姓名,手機 reads as ﹎,も诀), rather than store
 * mojibake. The error shows a line as GBK gives it and names the encoding it more likely is.
 */
function notChinese(file: string, head: Buffer): void {
  const end = head.length < SAMPLE_BYTES ? head.length : Math.max(head.lastIndexOf(0x0a), head.lastIndexOf(0x0d), 0);
  let lines = 0;
  const odd: Buffer[] = [];
  for (let s = 0; s < end; ) {
    let e = s;
    while (e < end && head[e] !== 0x0a && head[e] !== 0x0d) e++;
    const line = head.subarray(s, e);
    s = e + 1;
    if (!line.some((b) => b > 0x7f) || utf8InGbk(line)) continue;
    lines++;
    if (oddGbk(line)) odd.push(line);
  }
  if (odd.length === 0 || odd.length * 2 <= lines) return;
  // Big5 when the odd lines read as Big5 text without broken bytes, else the Western European code page.
  const big5 = odd.every((l) => !iconv().decode(l, 'big5').includes('\uFFFD'));
  const text = iconv().decode(odd[0]!, 'gbk').replace(/\p{Cc}/gu, ' ');
  throw badInput('err.csv.notChinese', { path: file, sample: text.length > 40 ? `${text.slice(0, 40)}…` : text, suggest: big5 ? 'big5' : 'windows-1252' });
}

/**
 * Opens a CSV file: detects its encoding (unless given) and delimiter, and reads its header. A file
 * without one (`noHeader`) has columns named "column 1", "column 2", … as wide as most of its first rows.
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
  // Valid UTF-8 that reads as no plausible text (GBK that happens to be valid UTF-8) is judged too.
  const settled = head.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) || enc.startsWith('utf-16') || (enc === 'utf-8' && head.some((b) => b > 0x7f) && plausibleHead(head));
  if (!encoding && !settled) enc = await judgeUtf8(file);
  if (!encoding && enc === 'gb18030') notChinese(file, head);
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
    // The width most of the first rows have (the wider on a tie): one shifted row among them must
    // not make the others short.
    const counts = new Map<number, number>();
    for (const r of first) counts.set(r.fields.length, (counts.get(r.fields.length) ?? 0) + 1);
    const [width] = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]!;
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
