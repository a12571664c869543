// Text to CSV records, a run of text at a time: the parser behind readRecords (csv-in.ts). Every
// line ending (CRLF, LF, an old Mac's CR) ends a record wherever it stands outside quotes, however
// the file mixes them, and each record knows the line it starts on. A quoted cell keeps its line
// breaks as written. A record whose quotes are broken (a quote that never closes, a quote inside a
// quoted cell) is never trusted and never swallows the file: each line it spans is refused on its
// own; a quote that never closes (or stays open for more than MAX_QUOTED_LINES lines) costs only
// the line it opens on.
import type { CsvRecord } from './csv-in.js';
import { apostropheMarked, unwrapExcelText } from './csv-out.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/** Line breaks a quoted cell may hold (an address, a note): a quote open longer has lost its pair. */
export const MAX_QUOTED_LINES = 200;

const BREAKS = /\r\n|\r|\n/g;
const countBreaks = (s: string) => (s.includes('\n') || s.includes('\r') ? (s.match(BREAKS) ?? []).length : 0);

/** What reading a record at a place gives: its end (after its line break), or that the text so far ends inside it. */
type Read = { end: number; fields: string[]; breaks: number; broken: boolean } | null;

export class CsvParser {
  private buf = '';
  private pos = 0;
  /** The offset of buf[0] in the whole text. */
  private base = 0;
  private line = 1;
  /** Offsets (in the whole text) of characters that stand for broken bytes, in order; those before `next` are passed. */
  private broken: number[] = [];
  private next = 0;
  // The next delimiter, LF and CR at or after a place (buf.length: none), kept while the buffer is.
  private nd = -1;
  private nl = -1;
  private nc = -1;
  private readonly d: number;

  constructor(private readonly delimiter: string) {
    this.d = delimiter.charCodeAt(0);
  }

  /** Takes the next run of text (`last`: the text ends with it) and returns the records it completes. */
  push(text: string, broken: number[], last: boolean, out: CsvRecord[] = []): CsvRecord[] {
    this.base += this.pos;
    this.buf = this.buf.slice(this.pos) + text;
    this.pos = 0;
    this.nd = this.nl = this.nc = -1;
    if (broken.length) {
      if (this.next > 1024) this.broken = this.broken.slice(this.next), (this.next = 0);
      for (const b of broken) this.broken.push(b);
    }
    while (this.pos < this.buf.length) {
      const start = this.pos;
      const r = this.read(start, last);
      if (r === null) {
        // The text so far ends inside a quoted cell: wait for more, unless the file ended or the
        // cell has been open too long. Then the quote never closes: the line it opens on is
        // refused, and the reading goes on with the next line, as if the quote were not there.
        if (!last && this.quotedLines(start) <= MAX_QUOTED_LINES) break;
        this.refuse(start, this.afterLines(start, 1), out);
        continue;
      }
      if (r.breaks > MAX_QUOTED_LINES) {
        this.refuse(start, this.afterLines(start, 1), out);
        continue;
      }
      if (r.broken) {
        // A quote inside a quoted cell: where the cell ends is anyone's guess, so every line it may take is refused.
        this.refuse(start, r.end, out);
        continue;
      }
      this.pos = r.end;
      const line = this.line;
      this.line += 1 + r.breaks;
      if (this.blank(r.fields)) continue;
      out.push({ line, fields: r.fields, problem: this.hasBroken(start, r.end) ? 'encoding' : null });
    }
    return out;
  }

  /** Reads the record at `p`; null when the text so far ends inside it. */
  private read(p: number, last: boolean): Read {
    const buf = this.buf;
    const len = buf.length;
    const fields: string[] = [];
    let breaks = 0;
    let broken = false;
    for (;;) {
      if (buf.charCodeAt(p) === QUOTE) {
        const from = p + 1;
        let q = from;
        for (;;) {
          const j = buf.indexOf('"', q);
          if (j < 0 || (j + 1 === len && !last)) return null;
          if (buf.charCodeAt(j + 1) === QUOTE) {
            q = j + 2;
            continue;
          }
          // Spaces between the closing quote and the delimiter are dropped (as papaparse does).
          let k = j + 1;
          while (k < len && (buf[k] === ' ' || (buf[k] === '\t' && this.d !== 0x09))) k++;
          if (k === len && !last) return null;
          const c = buf.charCodeAt(k);
          if (k === len || c === this.d || c === LF || c === CR) {
            const raw = buf.slice(from, j);
            breaks += countBreaks(raw);
            fields.push(unescapeCell(raw.includes('"') ? raw.replaceAll('""', '"') : raw));
            p = k;
            break;
          }
          broken = true; // a quote inside a quoted cell: taken as text, the cell goes on
          q = j + 1;
        }
      } else {
        const e = this.fieldEnd(p);
        if (e === len && !last) return null;
        fields.push(unescapeCell(buf.slice(p, e)));
        p = e;
      }
      if (p < len && buf.charCodeAt(p) === this.d) {
        p++;
        if (p === len && !last) return null;
        continue;
      }
      break;
    }
    if (p === len) return { end: p, fields, breaks, broken };
    if (buf.charCodeAt(p) === LF) return { end: p + 1, fields, breaks, broken };
    if (p + 1 === len && !last) return null; // a CR whose LF may come next
    return { end: buf.charCodeAt(p + 1) === LF ? p + 2 : p + 1, fields, breaks, broken };
  }

  /** Where the unquoted cell at `p` ends: the next delimiter or line break (buf.length: none yet). */
  private fieldEnd(p: number): number {
    const buf = this.buf;
    const at = (c: string, cached: number) => (cached >= p ? cached : (buf.indexOf(c, p) + 1 || buf.length + 1) - 1);
    this.nd = at(this.delimiter, this.nd);
    this.nl = at('\n', this.nl);
    this.nc = at('\r', this.nc);
    return Math.min(this.nd, this.nl, this.nc);
  }

  /** The line breaks from `start` to the end of the text so far. */
  private quotedLines(start: number): number {
    return countBreaks(this.buf.slice(start));
  }

  /** The place after the `n`th line break from `start`. */
  private afterLines(start: number, n: number): number {
    BREAKS.lastIndex = start;
    for (let i = 0; i < n; i++) if (!BREAKS.exec(this.buf)) return this.buf.length;
    const end = BREAKS.lastIndex;
    BREAKS.lastIndex = 0;
    return end;
  }

  /** Refuses every line from `start` to `end` on its own (its cells split at the delimiter, as written). */
  private refuse(start: number, end: number, out: CsvRecord[]): void {
    const text = this.buf.slice(start, end);
    BREAKS.lastIndex = 0;
    let from = 0;
    for (;;) {
      const m = BREAKS.exec(text);
      const to = m ? m.index : text.length;
      const cells = text.slice(from, to).split(this.delimiter);
      if (!this.blank(cells)) out.push({ line: this.line, fields: cells, problem: 'quotes' });
      this.line++;
      if (!m) break;
      from = m.index + m[0].length;
      if (from === text.length) break;
    }
    BREAKS.lastIndex = 0;
    this.pos = end;
  }

  /** A blank line, or a row of empty cells (,,,). */
  private blank(fields: string[]): boolean {
    for (const f of fields) if (f.trim() !== '') return false;
    return true;
  }

  /** Whether the text from `start` to `end` holds a character that stands for broken bytes. */
  private hasBroken(start: number, end: number): boolean {
    const list = this.broken;
    const [from, to] = [this.base + start, this.base + end];
    while (this.next < list.length && list[this.next]! < from) this.next++;
    return this.next < list.length && list[this.next]! < to;
  }
}

/**
 * Undoes what crm's CSV does for spreadsheets: the apostrophe before a formula-like cell (or before
 * a value that starts with one), ="…" around a number kept as text; and the apostrophe Shopify
 * writes before ids and zips ('7351200000101, '02134). Any other leading apostrophe is the value's.
 */
function unescapeCell(cell: string): string {
  const c = cell.charCodeAt(0);
  if (c !== 0x27 && c !== 0x3d) return cell; // ' or =
  if (c === 0x27) return apostropheMarked(cell) ? cell.slice(1) : cell;
  return cell.startsWith('="') ? unwrapExcelText(cell) : cell;
}
