// Text to CSV records, a run of text at a time: the parser behind readRecords (csv-in.ts). Every
// line ending (CRLF, LF, an old Mac's CR) ends a record wherever it stands outside quotes, however
// the file mixes them, and each record knows the line it starts on. A quoted cell keeps its line
// breaks as written, however many: a quote that closes is a cell whatever its length. A record
// whose quotes are broken is never trusted and never swallows the file: a quote that never closes
// (the file ends with it open, or it stays open for more than MAX_QUOTED_CHARS characters, which no
// cell crm keeps comes near) costs the line it opens on, and the reading goes on with the line
// after it; a record with a quote inside a quoted cell has each of its lines read on its own, and
// only the lines still broken alone are refused. Reading stays linear however many quotes stay open: where the search for a closing
// quote got is remembered (`open`), and the next quote opening before that place resumes it.
import type { CsvRecord } from './csv-in.js';
import { apostropheMarked, unwrapExcelText } from './csv-out.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/**
 * Characters a quote may stay open for before it is taken as never closing (the reader holds them
 * all while it waits): 4 MB of text, far more than any cell crm keeps (a note has at most 5,000).
 */
export const MAX_QUOTED_CHARS = 4 * 1024 * 1024;

const BREAKS = /\r\n|\r|\n/g;
const countBreaks = (s: string) => (s.includes('\n') || s.includes('\r') ? (s.match(BREAKS) ?? []).length : 0);

/**
 * What reading a record at a place gives: its end (after its line break); or 'more' (the text so
 * far ends inside it); or 'open' (the text so far ends inside a quoted cell: `open` says where).
 */
type Read = { end: number; fields: string[]; breaks: number; broken: boolean } | 'more' | 'open';

/**
 * A search for a closing quote that reached the end of the text so far (offsets in the whole text):
 * the opening quote, where the search stopped, and the last quote it took as text (-1: none).
 */
interface OpenQuote {
  at: number;
  q: number;
  stray: number;
}

export class CsvParser {
  private buf = '';
  private pos = 0;
  /** The offset of buf[0] in the whole text. */
  private base = 0;
  private line = 1;
  /** Offsets (in the whole text) of characters that stand for broken bytes, in order; those before `next` are passed. */
  private broken: number[] = [];
  private next = 0;
  // The next delimiter, LF and CR at or after `seen`, the furthest place fieldEnd looked from
  // (buf.length: none), kept while the buffer is and the reading does not go back before `seen`.
  private nd = -1;
  private nl = -1;
  private nc = -1;
  private seen = 0;
  private readonly d: number;
  /**
   * The last search for a closing quote that found none. Any later quote opening a cell before the
   * place it stopped searches on from there: past the quotes it opens with, a search is in the same
   * state as the earlier one (both inside a quoted cell), so the text between holds no close.
   */
  private open: OpenQuote | null = null;

  constructor(private readonly delimiter: string) {
    this.d = delimiter.charCodeAt(0);
  }

  /** Takes the next run of text (`last`: the text ends with it) and returns the records it completes. */
  push(text: string, broken: number[], last: boolean, out: CsvRecord[] = []): CsvRecord[] {
    this.base += this.pos;
    this.buf = this.buf.slice(this.pos) + text;
    this.pos = 0;
    this.nd = this.nl = this.nc = -1;
    this.seen = 0;
    if (broken.length) {
      if (this.next > 1024) this.broken = this.broken.slice(this.next), (this.next = 0);
      for (const b of broken) this.broken.push(b);
    }
    while (this.pos < this.buf.length) {
      const start = this.pos;
      const r = this.read(start, last);
      if (r === 'more') break;
      if (r === 'open') {
        // The text so far ends inside a quoted cell (or a cell ran past MAX_QUOTED_CHARS): wait for
        // more, unless the file ended or the quote has been open too long. Then it never closes: the lines from the record's start to
        // the quote's are read on their own (the quote's is refused), and the reading goes on after them.
        const at = this.open!.at - this.base;
        if (!last && this.buf.length - at <= MAX_QUOTED_CHARS) break;
        const end = this.afterLine(at);
        if (end < 0 && !last) break; // a line of more than 4 MB: refused once it ends
        this.refuse(start, end < 0 ? this.buf.length : end, out);
        continue;
      }
      if (r.broken) {
        // A quote inside a quoted cell: where the cell ends is anyone's guess, so each line it may
        // take is read on its own, and refused if it is broken alone.
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

  /** Reads the record at `p`. */
  private read(p: number, last: boolean): Read {
    const buf = this.buf;
    const len = buf.length;
    const fields: string[] = [];
    let breaks = 0;
    let broken = false;
    for (;;) {
      if (buf.charCodeAt(p) === QUOTE) {
        const from = p + 1;
        // The first character after the quotes the cell opens with: a search that gets there is
        // inside the cell as an earlier open one was, and may go on from where that one stopped.
        let run = from;
        while (buf.charCodeAt(run) === QUOTE) run++;
        const open = this.open;
        let resume = open !== null && open.at <= this.base + p && this.base + run <= open.q;
        let stray = -1;
        let q = from;
        for (;;) {
          if (resume && q === run) {
            resume = false;
            q = open!.q - this.base;
            if (open!.stray >= this.base + run) (broken = true), (stray = open!.stray);
          }
          const j = buf.indexOf('"', q);
          if (j < 0 || (j + 1 === len && !last)) return this.opened(p, j < 0 ? len : j, stray);
          if (buf.charCodeAt(j + 1) === QUOTE) {
            q = j + 2;
            continue;
          }
          // Spaces between the closing quote and the delimiter are dropped (as papaparse does).
          let k = j + 1;
          while (k < len && (buf[k] === ' ' || (buf[k] === '\t' && this.d !== 0x09))) k++;
          if (k === len && !last) return this.opened(p, j, stray);
          const c = buf.charCodeAt(k);
          if (k === len || c === this.d || c === LF || c === CR) {
            // A cell longer than any crm keeps, however the text came in runs, is a quote open too long.
            if (j - from > MAX_QUOTED_CHARS) return this.opened(p, j, stray);
            const raw = buf.slice(from, j);
            breaks += countBreaks(raw);
            fields.push(unescapeCell(raw.includes('"') ? raw.replaceAll('""', '"') : raw));
            p = k;
            break;
          }
          broken = true; // a quote inside a quoted cell: taken as text, the cell goes on
          stray = this.base + j;
          q = j + 1;
        }
      } else {
        const e = this.fieldEnd(p);
        if (e === len && !last) return 'more';
        fields.push(unescapeCell(buf.slice(p, e)));
        p = e;
      }
      if (p < len && buf.charCodeAt(p) === this.d) {
        p++;
        if (p === len && !last) return 'more';
        continue;
      }
      break;
    }
    if (p === len) return { end: p, fields, breaks, broken };
    if (buf.charCodeAt(p) === LF) return { end: p + 1, fields, breaks, broken };
    if (p + 1 === len && !last) return 'more'; // a CR whose LF may come next
    return { end: buf.charCodeAt(p + 1) === LF ? p + 2 : p + 1, fields, breaks, broken };
  }

  /** Notes a search for the closing quote of the cell opened at `p` that stopped at `q`, the text so far holding no close. */
  private opened(p: number, q: number, stray: number): 'open' {
    this.open = { at: this.base + p, q: this.base + q, stray };
    return 'open';
  }

  /** Where the unquoted cell at `p` ends: the next delimiter or line break (buf.length: none yet). */
  private fieldEnd(p: number): number {
    const buf = this.buf;
    if (p > this.seen) this.seen = p;
    const at = (c: string, cached: number) => (cached >= p ? cached : (buf.indexOf(c, p) + 1 || buf.length + 1) - 1);
    this.nd = at(this.delimiter, this.nd);
    this.nl = at('\n', this.nl);
    this.nc = at('\r', this.nc);
    return Math.min(this.nd, this.nl, this.nc);
  }

  /** The place after the first line break from `start`; -1 when the text so far has none. */
  private afterLine(start: number): number {
    BREAKS.lastIndex = start;
    const end = BREAKS.exec(this.buf) ? BREAKS.lastIndex : -1;
    BREAKS.lastIndex = 0;
    return end;
  }

  /**
   * Reads every line from `start` to `end` on its own: a line whose quotes are whole alone is a
   * record, a line still broken is refused, with its cells as a lenient reading gives them (so that
   * the rejects file, the line fixed, reads back the same cells).
   */
  private refuse(start: number, end: number, out: CsvRecord[]): void {
    const text = this.buf.slice(start, end);
    BREAKS.lastIndex = 0;
    let from = 0;
    for (;;) {
      const m = BREAKS.exec(text);
      const to = m ? m.index : text.length;
      const { fields, broken } = lineCells(text.slice(from, to), this.delimiter);
      if (!this.blank(fields)) {
        const problem = broken ? 'quotes' : this.hasBroken(start + from, start + to) ? 'encoding' : null;
        out.push({ line: this.line, fields, problem });
      }
      this.line++;
      if (!m) break;
      from = m.index + m[0].length;
      if (from === text.length) break;
    }
    BREAKS.lastIndex = 0;
    this.pos = end;
    // Were the reading to go back before where fieldEnd looked, what it found may skip a delimiter.
    if (end < this.seen) (this.nd = this.nl = this.nc = -1), (this.seen = 0);
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
 * The cells of one line (without its line break) read on its own, and whether its quotes are
 * broken there. Read leniently: a quote inside a quoted cell is text, a quote still open at the
 * line's end ends the cell there (`"他说"好` is 他说"好, `"说到一半` is 说到一半).
 */
export function lineCells(line: string, delimiter: string): { fields: string[]; broken: boolean } {
  const fields: string[] = [];
  const len = line.length;
  let broken = false;
  let p = 0;
  for (;;) {
    if (line.charCodeAt(p) === QUOTE) {
      let cell = '';
      let q = p + 1;
      for (;;) {
        const j = line.indexOf('"', q);
        if (j < 0) {
          cell += line.slice(q);
          broken = true;
          p = len;
          break;
        }
        if (line.charCodeAt(j + 1) === QUOTE) {
          cell += line.slice(q, j + 1);
          q = j + 2;
          continue;
        }
        let k = j + 1;
        while (k < len && (line[k] === ' ' || (line[k] === '\t' && delimiter !== '\t'))) k++;
        if (k === len || line[k] === delimiter) {
          cell += line.slice(q, j);
          p = k;
          break;
        }
        cell += line.slice(q, j + 1);
        broken = true;
        q = j + 1;
      }
      fields.push(unescapeCell(cell));
    } else {
      const e = line.indexOf(delimiter, p);
      const to = e < 0 ? len : e;
      fields.push(unescapeCell(line.slice(p, to)));
      p = to;
    }
    if (p < len && line[p] === delimiter) {
      p++;
      continue;
    }
    return { fields, broken };
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
