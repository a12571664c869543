// The table layout for people: a header and rows inside the border `crm` has always drawn, measured
// in terminal cells (width.ts), and fitted to the terminal's width when there is one. Pure: text in,
// text out; colour is applied by the caller's `bold` after the layout, so a code is never measured
// or cut.
import { displayWidth, splitAnsi, stripAnsi } from './width.js';

/**
 * How a column gives way when the table is too wide: `shorten` (free text: names, notes, addresses,
 * reasons) is cut with `…`; `whole` (phones, numbers, amounts, dates, times, ids) is never split or
 * shortened, though a list of them may show its first items and ` …`.
 */
export type Fit = 'shorten' | 'whole';

export interface TableColumn {
  /** Plain text; wraps at spaces (and between Chinese characters), never inside a word. */
  header: string;
  align: 'left' | 'right';
  /** One per row; may hold colour codes and line breaks. */
  cells: readonly string[];
  /** Default: inferred from the cells (see inferFit). */
  fit?: Fit;
  /**
   * When not every column fits, an empty column is left out first, then the lowest `keep` (among
   * equals, one with the same value on every row, then the rightmost); default 0. The first column
   * is never left out.
   */
  keep?: number;
}

export interface Layout {
  /** Indexes of the columns shown, in order. */
  shown: number[];
  /** Indexes of the columns left out to fit the width. */
  dropped: number[];
  /** Content width of each shown column (without padding and border). */
  widths: number[];
  /** Each shown column's header, as lines. */
  headers: string[][];
  /** Each shown column's cells, as fitted. */
  cells: string[][];
}

/** Border and padding cells around `n` columns: `│ a │ b │`. */
function frameWidth(n: number): number {
  return 3 * n + 1;
}

/** Below this many cells free text is not shortened (unless it is narrower anyway). */
const SHORTEST_TEXT = 8;
const ELLIPSIS = '…';
const LIST_SEP = ', ';
const MORE = ` ${ELLIPSIS}`;

// A cell that must show whole: digits and signs only (phones, amounts, dates, times, shares), one word
// holding a digit (SO-001, ¥1,280.50, 1280元, an ISO time; not Chinese text, which has no spaces),
// an email, or a number with a short unit (−0.9 pts).
const NUMERIC = /^[^\p{L}]*\d[^\p{L}]*$/u;
const TOKEN = /^[^\s\p{sc=Han}]*\d[^\s\p{sc=Han}]*\p{sc=Han}?$/u;
const EMAIL = /^[^\s@]+@[^\s@]+$/u;
const WITH_UNIT = /^[^\p{L}\s]*\d[^\p{L}\s]*\s?\p{L}{1,4}\.?$/u;
const PLACEHOLDER = /^[—–\-…·]?$/u;
/**
 * No whole value is longer (an email takes at most 254): a longer item is free text. It also bounds
 * the patterns above, which backtrack over what they are given (a 100,000-character cell of digits
 * ending in Chinese took minutes), so a table is measured in time linear in its text.
 */
const LONGEST_ATOM = 256;

function isAtom(text: string): boolean {
  const s = text.trim();
  if (s.length > LONGEST_ATOM) return false;
  return NUMERIC.test(s) || TOKEN.test(s) || EMAIL.test(s) || WITH_UNIT.test(s);
}

/** A cell's lines, each as the whole-value items it lists (`+861…, +861…`), or null when it is free text. */
function atomsOf(cell: string): string[][] | null {
  const lines = stripAnsi(cell).split('\n');
  const out: string[][] = [];
  for (const line of lines) {
    if (PLACEHOLDER.test(line.trim())) {
      out.push([line]);
      continue;
    }
    const items = line.split(LIST_SEP);
    if (!items.every(isAtom)) return null;
    out.push(items);
  }
  return out;
}

/** `whole` when every cell is a phone, number, amount, date, time or id (or a list of them), else `shorten`. */
export function inferFit(cells: readonly string[]): Fit {
  return fitFrom(cells.map(atomsOf));
}

/** Whole when every cell is made of whole values (numbers, phones, dates, ...), else shortened. */
function fitFrom(atoms: readonly (unknown[] | null)[]): Fit {
  return atoms.every((a) => a !== null) ? 'whole' : 'shorten';
}

interface Piece {
  text: string;
  width: number;
  /** A space comes before it (else it sticks to the piece before, as Chinese characters do). */
  space: boolean;
}

const HAN = /^\p{sc=Han}/u;

/**
 * Where a header may break: at spaces, and inside a run of Chinese characters longer than three,
 * leaving at least two on each side (平均客单价: 平均|客单价, never 平|均).
 */
function pieces(text: string): Piece[] {
  const out: Piece[] = [];
  for (const word of text.split(/ +/)) {
    if (word === '') continue;
    let space = out.length > 0;
    const push = (t: string) => {
      if (t === '') return;
      out.push({ text: t, width: displayWidth(t), space });
      space = false;
    };
    // Runs of wide characters and of the rest, in order.
    for (const run of word.match(/\p{sc=Han}+|[^\p{sc=Han}]+/gu) ?? []) {
      const chars = [...run];
      if (!HAN.test(run) || chars.length <= 3) {
        push(run);
        continue;
      }
      // Pieces of two; a run of odd length ends in a piece of three.
      for (let at = 0; at < chars.length; ) {
        const take = chars.length - at === 3 ? 3 : 2;
        push(chars.slice(at, at + take).join(''));
        at += take;
      }
    }
  }
  return out;
}

/** A header's lines at `width`: greedy, breaking only between words (and Chinese characters). */
export function wrapHeader(text: string, width: number): string[] {
  return text.split('\n').flatMap((l) => wrapLine(l, width, false));
}

/** Text for people in lines of at most `width` cells, broken between words, a word longer than a line cut. */
export function wrapText(text: string, width: number): string[] {
  return text.split('\n').flatMap((l) => wrapLine(l, width, true));
}

function wrapLine(text: string, width: number, hard: boolean): string[] {
  if (displayWidth(text) <= width) return [text];
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  const all = pieces(text).flatMap((p) => (hard && p.width > width ? split(p, width) : [p]));
  for (const p of all) {
    const add = (line === '' ? 0 : p.space ? 1 : 0) + p.width;
    if (line !== '' && lineWidth + add > width) {
      lines.push(line);
      line = p.text;
      lineWidth = p.width;
    } else {
      line += line === '' || !p.space ? p.text : ` ${p.text}`;
      lineWidth += add;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** A word too long for a line, in pieces of at most `width` cells. */
function split(p: Piece, width: number): Piece[] {
  const out: Piece[] = [];
  let current = '';
  let used = 0;
  for (const ch of p.text) {
    const w = displayWidth(ch);
    if (current !== '' && used + w > width) {
      out.push({ text: current, width: used, space: out.length === 0 && p.space });
      current = '';
      used = 0;
    }
    current += ch;
    used += w;
  }
  if (current !== '') out.push({ text: current, width: used, space: out.length === 0 && p.space });
  return out;
}

/** The largest of the values (0 for none), without spreading them (a table may have a million rows). */
function most(values: Iterable<number>): number {
  let m = 0;
  for (const v of values) if (v > m) m = v;
  return m;
}

function linesWidth(lines: readonly string[]): number {
  return most(lines.map(displayWidth));
}

/** Text cut to `width` cells, ending in `…`; colour codes kept (so a colour still ends) and never counted. */
export function shorten(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      if (displayWidth(line) <= width) return line;
      let out = '';
      let used = 0;
      let cut = false;
      for (const part of splitAnsi(line)) {
        if (part.ansi) {
          out += part.text;
          continue;
        }
        if (cut) continue;
        for (const ch of part.text) {
          const w = displayWidth(ch);
          if (used + w > width - 1) {
            cut = true;
            break;
          }
          out += ch;
          used += w;
        }
        if (cut) out += ELLIPSIS;
      }
      return out;
    })
    .join('\n');
}

/** A list of whole values cut to the first items that fit `width`, then ` …`. */
function shortenList(lines: string[][], width: number): string {
  return lines
    .map((items) => {
      const all = items.join(LIST_SEP);
      if (displayWidth(all) <= width) return all;
      // The most items (at least one, never all) that fit with ` …`, their widths added up as they come.
      const room = width - displayWidth(MORE);
      let k = Math.min(1, items.length - 1);
      let used = displayWidth(items[0] ?? '');
      while (k < items.length - 1) {
        const next = used + displayWidth(LIST_SEP) + displayWidth(items[k]!);
        if (next > room) break;
        used = next;
        k++;
      }
      return items.slice(0, k).join(LIST_SEP) + MORE;
    })
    .join('\n');
}

interface Measure {
  fit: Fit;
  /** What the column takes when nothing gives way. */
  natural: number;
  /** The widest cell (the header aside). */
  content: number;
  /** The narrowest it can go: header words whole, whole values whole, free text to SHORTEST_TEXT. */
  least: number;
  atoms: (string[][] | null)[];
}

function cellWidth(cell: string): number {
  return cell.includes('\n') ? linesWidth(cell.split('\n')) : displayWidth(cell);
}

/** A column's widths; `fitting` false (no width to fit) needs only what it takes. */
function measure(col: TableColumn, fitting: boolean): Measure {
  const content = most(col.cells.map(cellWidth));
  const natural = Math.max(content, cellWidth(col.header));
  if (!fitting) return { fit: col.fit ?? 'shorten', natural, content, least: natural, atoms: [] };
  const found = col.fit === 'shorten' ? [] : col.cells.map(atomsOf);
  const fit = col.fit ?? fitFrom(found);
  const atoms = fit === 'whole' ? found : col.cells.map(() => null);
  const headerLeast = most(pieces(col.header).map((p) => p.width));
  let contentLeast: number;
  if (fit === 'shorten') contentLeast = Math.min(content, SHORTEST_TEXT);
  else {
    // A list may show just its first item and ` …`.
    const first = (items: string[]) => (items.length > 1 ? displayWidth(items[0]!) + displayWidth(MORE) : displayWidth(items[0] ?? ''));
    contentLeast = most(atoms.map((lines, i) => (lines ? most(lines.map(first)) : cellWidth(col.cells[i]!))));
  }
  return { fit, natural, content, least: Math.max(headerLeast, contentLeast), atoms };
}

/** The width a header takes once wrapped to at most `width`. */
function headerAt(col: TableColumn, width: number): number {
  return linesWidth(wrapHeader(col.header, width));
}

/**
 * Fits the columns to `width` terminal cells (undefined: no limit, every column as wide as it needs):
 * long headers wrap between words first; then free text is shortened and lists of whole values show
 * their first items, the widest column first; and if even that does not fit, the columns of least
 * use are left out (never the first).
 */
export function layoutTable(columns: readonly TableColumn[], width: number | undefined): Layout {
  const m = columns.map((c) => measure(c, width !== undefined));
  const all = columns.map((_, i) => i);
  let shown = all;
  const dropped: number[] = [];
  if (width !== undefined) {
    const least = (idx: number[]) => idx.reduce((s, i) => s + m[i]!.least, 0) + frameWidth(idx.length);
    // A column with nothing in it goes first; then the lowest keep; among equals, one that says the
    // same on every row (a city the list was filtered by), then the rightmost.
    const empty = (i: number) => (m[i]!.content === 0 ? 0 : 1);
    const variedAt = columns.map((c) => (c.cells.some((cell) => cell !== c.cells[0]) ? 1 : 0));
    const varied = (i: number) => variedAt[i]!;
    const order = all
      .slice(1)
      .sort((a, b) => empty(a) - empty(b) || (columns[a]!.keep ?? 0) - (columns[b]!.keep ?? 0) || varied(a) - varied(b) || b - a);
    for (const i of order) {
      if (least(shown) <= width || shown.length <= 1) break;
      shown = shown.filter((s) => s !== i);
      dropped.push(i);
    }
    // One left out early may fit again beside the columns that stayed (most useful first).
    for (const i of [...dropped].reverse()) {
      const withIt = [...shown, i].sort((a, b) => a - b);
      if (least(withIt) <= width) {
        shown = withIt;
        dropped.splice(dropped.indexOf(i), 1);
      }
    }
  }
  const widths = shown.map((i) => m[i]!.natural);
  if (width !== undefined) {
    const budget = width - frameWidth(shown.length);
    const total = () => widths.reduce((a, b) => a + b, 0);
    // 1. Headers wider than their column's cells wrap between words, the widest first (nothing is
    // lost). 2. Free text is shortened and lists of whole values show fewer items, the widest first.
    const stages: ((k: number) => number | null)[] = [
      (k) => {
        const i = shown[k]!;
        const floor = Math.max(m[i]!.content, m[i]!.least);
        if (widths[k]! <= floor) return null;
        return Math.max(floor, headerAt(columns[i]!, widths[k]! - 1));
      },
      (k) => (widths[k]! > m[shown[k]!]!.least ? widths[k]! - 1 : null),
    ];
    for (const [stage, step] of stages.entries()) {
      let sum = total();
      while (sum > budget) {
        let best = -1;
        let next: number | null = null;
        let second = 0;
        for (let k = 0; k < shown.length; k++) {
          const n = step(k);
          if (n === null || n >= widths[k]!) continue;
          if (best < 0 || widths[k]! > widths[best]!) {
            if (best >= 0) second = Math.max(second, widths[best]!);
            best = k;
            next = n;
          } else second = Math.max(second, widths[k]!);
        }
        if (best < 0 || next === null) break;
        // Shortening takes one cell at a time from the widest column: while it stays the widest, take
        // at once what the steps would (a 100,000-character cell is not narrowed 200,000 times).
        if (stage === 1) next = Math.min(next, Math.max(second, m[shown[best]!]!.least, widths[best]! - (sum - budget)));
        sum -= widths[best]! - next;
        widths[best] = next;
      }
    }
  }
  if (width === undefined) return { shown, dropped, widths, headers: columns.map((c) => c.header.split('\n')), cells: columns.map((c) => [...c.cells]) };
  const headers = shown.map((i, k) => wrapHeader(columns[i]!.header, widths[k]!));
  const cells = shown.map((i, k) => {
    const col = columns[i]!;
    const w = widths[k]!;
    return col.cells.map((cell, r) => {
      if (cellWidth(cell) <= w) return cell;
      const atoms = m[i]!.atoms[r];
      return atoms ? shortenList(atoms, w) : shorten(cell, w);
    });
  });
  // A column whose cells gave way may now need less than it was given.
  const fitted = widths.map((w, k) => Math.min(w, Math.max(linesWidth(headers[k]!), most(cells[k]!.map(cellWidth)))));
  return { shown, dropped, widths: fitted, headers, cells };
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const room = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? room + text : text + room;
}

/**
 * The table as text, in the border `crm` has always drawn (cli-table3's, without lines between
 * rows): top rule, header, rows, bottom rule. `bold` styles header text (after it is measured).
 */
export function drawTable(columns: readonly TableColumn[], layout: Layout, bold: (s: string) => string = (s) => s): string {
  const { shown, widths } = layout;
  const rule = (left: string, mid: string, right: string) => left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right;
  const block = (cellLines: string[][], style: (s: string) => string) => {
    const height = Math.max(1, ...cellLines.map((l) => l.length));
    const out: string[] = [];
    for (let line = 0; line < height; line++) {
      const parts = cellLines.map((l, k) => {
        const t = l[line] ?? '';
        return ` ${pad(t === '' ? t : style(t), widths[k]!, columns[shown[k]!]!.align)} `;
      });
      out.push(`│${parts.join('│')}│`);
    }
    return out;
  };
  const lines = [rule('┌', '┬', '┐'), ...block(layout.headers, bold)];
  const rows = layout.cells[0]?.length ?? 0;
  for (let r = 0; r < rows; r++) lines.push(...block(layout.cells.map((c) => c[r]!.split('\n')), (s) => s));
  lines.push(rule('└', '┴', '┘'));
  return lines.join('\n');
}
