// The one output helper: every listing goes through renderList, so `--format table|csv|json`
// means the same everywhere. Data goes to stdout; messages go to stderr (Context.err).
import type { Context } from '../context.js';
import { cellText, csvLine, excelLine } from './csv-out.js';
import { badInput } from '../errors.js';
import type { MessageId } from '../messages/index.js';
import { drawTable, layoutTable, shorten, wrapText, type Fit, type TableColumn } from './table.js';
import { dataText, displayWidth as stringWidth, escapeControls, ownStyle, stripAnsi } from './width.js';

/** A value in a table or record: control characters written out, line breaks kept, a tab a space (measured as one). */
const shown = (text: string) => escapeControls(text, { newline: true, tab: 'space' });

export const FORMATS = ['table', 'csv', 'json', 'ndjson'] as const;
export type Format = (typeof FORMATS)[number];
/** What a listing offers unless it says otherwise; long listings add ndjson (LONG_LIST_FORMATS). */
export const LIST_FORMATS: readonly Format[] = ['table', 'csv', 'json'];
export const LONG_LIST_FORMATS: readonly Format[] = ['table', 'csv', 'json', 'ndjson'];

/** A value in a record: plain values, lists, and (JSON only) nested records and lists of them. */
export type Cell = string | number | boolean | null | undefined | readonly (string | number)[] | { readonly [key: string]: unknown } | readonly { readonly [key: string]: unknown }[];

export interface Column<T> {
  /** Machine name: the CSV header and the JSON key. */
  key: string;
  /** Table header (catalog id); a column without one shows its key. */
  header?: MessageId;
  /** The value for CSV and JSON (amounts as decimal strings, instants as ISO). */
  value: (row: T) => Cell;
  /** The value for people, in tables; defaults to value. */
  display?: (row: T) => string;
  align?: 'left' | 'right';
  /**
   * How the column gives way in a table wider than the terminal: `shorten` (free text, cut with …)
   * or `whole` (never split or shortened). Default: `whole` when every cell is a phone, number,
   * amount, date, time, id or email (or a list of them), else `shorten`.
   */
  fit?: Fit;
  /**
   * How much the column is worth keeping when not all fit the terminal: the lowest is left out
   * first (an empty column before any; among equals, one with the same value on every row, then the
   * rightmost); default 0. The first column is never left out.
   */
  keep?: number;
}

/** --format's value, one of `allowed` (the formats the command offers), else bad input naming them. */
export function parseFormat(raw: string, allowed: readonly Format[] = FORMATS): Format {
  const f = raw.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(f)) {
    const known = (FORMATS as readonly string[]).includes(f);
    throw badInput(known ? 'err.format.notOffered' : 'err.format', { value: known ? f : raw, allowed: allowed.join('|') });
  }
  return f as Format;
}

const offered = new WeakMap<object, readonly Format[]>();

/**
 * The one --format option: `formats` are those the command honours (the test that walks the command
 * tree reads them back with formatsOf). A value outside them is refused while the line is parsed.
 */
export function addFormatOption<C extends { option(flags: string, description: string, parse: (v: string) => Format, def: Format): C }>(
  cmd: C,
  description: string,
  formats: readonly Format[] = LIST_FORMATS,
): C {
  offered.set(cmd, formats);
  return cmd.option('--format <format>', `${description} (${formats.join('|')})`, (v: string) => parseFormat(v, formats), 'table');
}

/** The formats a command offers (undefined: it prints no data). */
export function formatsOf(cmd: object): readonly Format[] | undefined {
  return offered.get(cmd);
}

/** How crm colours its own text; nothing without colour (Context.color). */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const PLAIN: Style = { bold: (s) => s, dim: (s) => s, red: (s) => s, yellow: (s) => s, cyan: (s) => s };
const COLOURED: Style = { bold: ownStyle(1, 22), dim: ownStyle(2, 22), red: ownStyle(31, 39), yellow: ownStyle(33, 39), cyan: ownStyle(36, 39) };

/**
 * crm's colours, when colour is on: marked as crm's own (io/width.ts ownStyle), so that at a
 * terminal they are the only colour codes Context.out and err let through.
 */
export function chalkFor(ctx: Context): Style {
  return ctx.color ? COLOURED : PLAIN;
}


/** Picks columns by key (`--columns a,b,c`); unknown keys are bad input. */
export function selectColumns<T>(all: Column<T>[], keys: string[] | undefined): Column<T>[] {
  if (!keys || keys.length === 0) return all;
  return keys.map((k) => {
    const col = all.find((c) => c.key === k);
    if (!col) throw badInput('err.column', { value: k, allowed: all.map((c) => c.key).join(', ') });
    return col;
  });
}

/** One row as a machine record: column key -> value (JSON, and the JSON of `customer show`). */
export function toRecord<T>(columns: Column<T>[], row: T): Record<string, Cell | null> {
  return Object.fromEntries(columns.map((c) => [c.key, c.value(row) ?? null]));
}

/**
 * A listing. `part` says which piece of a listing written in pieces this is (memory stays flat for
 * a long one): CSV writes its header with the first piece only. A table is always one piece.
 */
/**
 * What shows the columns a table left out: the running command's --columns (keys), its --format csv,
 * or only a wider terminal.
 */
export type AllIn = 'columns' | 'csv' | 'wider';

function allIn(ctx: Context): AllIn {
  const cmd = ctx.command;
  if (cmd?.options.some((o) => o.long === '--columns')) return 'columns';
  return cmd && formatsOf(cmd)?.includes('csv') ? 'csv' : 'wider';
}

export function renderList<T>(ctx: Context, format: Format, columns: Column<T>[], rows: T[], part: { first: boolean; allIn?: AllIn } = { first: true }): void {
  if (format !== 'table') {
    // CSV, JSON and NDJSON from the one text writer (the same bytes as `crm export`).
    if (format === 'csv' && !part.first && rows.length === 0) return;
    const writer = textWriter(format, columns);
    const out: string[] = format === 'csv' && part.first ? [writer.head()] : [];
    for (let i = 0; i < rows.length; i++) out.push(writer.row(rows[i]!, i));
    if (format === 'json') out.push(writer.tail(rows.length));
    ctx.io.stdout.write(dataText(out.join(''), ctx.io.stdout.isTTY));
    return;
  }
  drawList(ctx, columns, tableCells(columns, rows), part.allIn);
}

/** The text of a table's cells, a list per column (made as rows come, so a row's look-ups may be gone by the end). */
function tableCells<T>(columns: Column<T>[], rows: readonly T[]): string[][] {
  return columns.map((c) => rows.map((r) => shown(c.display ? c.display(r) : cellText(c.value(r)))));
}

/** Draws a table of these cells fitted to the terminal, and says on stderr which columns it left out. */
function drawList<T>(ctx: Context, columns: Column<T>[], cells: string[][], allInGiven: AllIn | undefined): void {
  if ((cells[0]?.length ?? 0) === 0) {
    ctx.err(ctx.t('msg.noRows'));
    return;
  }
  const chalk = chalkFor(ctx);
  const table: TableColumn[] = columns.map((c, i) => ({
    header: c.header ? ctx.t(c.header) : shown(c.key),
    align: c.align ?? 'left',
    cells: cells[i]!,
    fit: c.fit,
    keep: c.keep,
  }));
  const layout = layoutTable(table, terminalWidth(ctx));
  ctx.out(drawTable(table, layout, (s) => chalk.bold(s)));
  if (layout.dropped.length > 0) {
    const shows = allInGiven ?? allIn(ctx);
    const names = layout.dropped.sort((a, b) => a - b).map((i) => (shows === 'columns' ? columns[i]!.key : table[i]!.header));
    const id = shows === 'columns' ? 'msg.columnsDropped' : shows === 'csv' ? 'msg.columnsDroppedCsv' : 'msg.columnsDroppedWider';
    ctx.err(ctx.t(id, { columns: names.join(', ') }));
  }
}

/** The width tables and charts must fit: the terminal's (80 when it does not say); none off a terminal. */
function terminalWidth(ctx: Context): number | undefined {
  return ctx.io.stdout.isTTY ? ctx.io.stdout.columns || 80 : undefined;
}

export interface ListWriter<T> {
  /** The next piece of rows (a table collects them and prints at the end). */
  add(rows: readonly T[]): void;
  end(): void;
}

/**
 * A listing written as it streams, a piece at a time, in any format: CSV writes its header once,
 * JSON is one array written an element at a time, NDJSON one object a line; a table, which must
 * measure all its rows, prints at the end (from the cells' text, made as each piece came).
 */
export function listWriter<T>(ctx: Context, format: Format, columns: Column<T>[]): ListWriter<T> {
  if (format === 'table') {
    // The cells' text is made as each piece comes (what a row looks up need only last for its piece).
    const cells: string[][] = columns.map(() => []);
    return {
      add: (rows) => tableCells(columns, rows).forEach((col, i) => cells[i]!.push(...col)),
      end: () => drawList(ctx, columns, cells, undefined),
    };
  }
  if (format === 'json') {
    const writer = textWriter(format, columns);
    let count = 0;
    return {
      add: (rows) => ctx.io.stdout.write(dataText(rows.map((r) => writer.row(r, count++)).join(''), ctx.io.stdout.isTTY)),
      end: () => ctx.io.stdout.write(writer.tail(count)),
    };
  }
  let first = true;
  return {
    add(rows) {
      if (rows.length === 0) return;
      renderList(ctx, format, columns, rows as T[], { first });
      first = false;
    },
    end() {
      if (first && format === 'csv') renderList(ctx, format, columns, [], { first: true });
    },
  };
}

/**
 * One record (a profile, an import's summary) from its columns: a table is label and value lines,
 * JSON one object, CSV one header and one row, NDJSON one line.
 */
export function renderOne<T>(ctx: Context, format: Format, columns: Column<T>[], row: T): void {
  if (format === 'table') {
    renderRecord(ctx, columns.map((c) => [c.header ? ctx.t(c.header) : c.key, c.display ? c.display(row) : cellText(c.value(row))]));
    return;
  }
  if (format === 'json') {
    ctx.out(JSON.stringify(toRecord(columns, row), null, 2));
    return;
  }
  renderList(ctx, format, columns, [row]);
}

/** A share for people: 0.1234 -> 12.3%; null -> —. */
export function percent(x: number | null): string {
  return x === null ? '—' : `${(x * 100).toFixed(1)}%`;
}

/** A change for people: +12.1%, −3.0%, ±0.0%. */
export function signedPercent(x: number): string {
  const shown = Math.abs(x * 100).toFixed(1);
  return `${shown === '0.0' ? '±' : x > 0 ? '+' : '−'}${shown}%`;
}

/** A number for machines, rounded to `digits` decimals (shares in CSV and JSON: 4). */
export function roundTo(x: number, digits: number): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

export interface Bar {
  label: string;
  value: number;
  /** What is written after the bar (the value for people). */
  text: string;
  /** The bar's character (default █). */
  fill?: string;
}

/**
 * A horizontal bar chart on stdout, bars scaled to the largest value and as wide as the terminal
 * allows (at most `maxWidth`); labels padded to one width (Chinese counted two columns a character).
 */
export function barChart(ctx: Context, bars: Bar[], maxWidth = 60): void {
  const terminal = terminalWidth(ctx);
  bars = bars.map((b) => ({ ...b, label: shown(b.label) }));
  let labelWidth = Math.max(0, ...bars.map((b) => stringWidth(b.label)));
  const textWidth = Math.max(0, ...bars.map((b) => stringWidth(b.text)));
  // At a terminal, label, bar and value stay on one line: a label too long is shortened.
  if (terminal !== undefined && labelWidth > terminal - textWidth - 4) labelWidth = Math.max(1, terminal - textWidth - 4);
  let room = Math.max(10, Math.min(maxWidth, (terminal ?? 80) - labelWidth - 12));
  if (terminal !== undefined) room = Math.max(1, Math.min(room, terminal - labelWidth - textWidth - 3));
  const most = Math.max(...bars.map((b) => b.value), 1e-9);
  for (const b of bars) {
    const length = Math.min(room, Math.max(b.value > 0 ? 1 : 0, Math.round((b.value / most) * room)));
    const label = shorten(b.label, labelWidth);
    ctx.out(`${label}${' '.repeat(labelWidth - stringWidth(label))}  ${(b.fill ?? '█').repeat(length)} ${b.text}`);
  }
}

/**
 * A record for people: label, value lines (used by `customer show` and `config get`). At a terminal
 * a long value wraps under itself, between words.
 */
export function renderRecord(ctx: Context, pairs: [string, string][]): void {
  const chalk = chalkFor(ctx);
  pairs = pairs.map(([k, v]) => [shown(k), shown(v)]);
  const width = Math.max(...pairs.map(([k]) => stringWidth(k)));
  const terminal = terminalWidth(ctx);
  const room = terminal === undefined ? undefined : terminal - width - 2;
  const indent = ' '.repeat(width + 2);
  for (const [k, v] of pairs) {
    const lines = room !== undefined && room >= 12 && v === stripAnsi(v) ? wrapText(v, room) : [v];
    ctx.out(`${chalk.dim(k + ' '.repeat(width - stringWidth(k)))}  ${lines.join(`\n${indent}`)}`);
  }
}

/** A writer of machine text: CSV lines, JSON array elements or NDJSON lines, from the columns. */
export interface TextWriter<T> {
  /** What comes before the first row (the CSV header). */
  head(): string;
  /** One row; `index` counts from 0 (JSON opens its array at the first). */
  row(row: T, index: number): string;
  /** What comes after `count` rows (JSON closes its array). */
  tail(count: number): string;
}

/**
 * The one writer of CSV, JSON and NDJSON text from columns: the bytes of `--format csv|json|ndjson`
 * of a listing, and of `crm export` to stdout or a file (which adds the encoding, and for --excel
 * CRLF and numbers kept as text by excelLine).
 */
export function textWriter<T>(format: 'csv' | 'json' | 'ndjson', columns: Column<T>[], opts: { newline?: string; excel?: boolean } = {}): TextWriter<T> {
  const newline = opts.newline ?? '\n';
  if (format === 'csv') {
    const line = opts.excel ? excelLine : csvLine;
    return {
      head: () => csvLine(columns.map((c) => c.key), newline),
      row: (r) => line(columns.map((c) => cellText(c.value(r))), newline),
      tail: () => '',
    };
  }
  if (format === 'ndjson') return { head: () => '', row: (r) => JSON.stringify(toRecord(columns, r)) + '\n', tail: () => '' };
  // As JSON.stringify(array, null, 2) writes it, an element at a time.
  return {
    head: () => '',
    row: (r, i) => `${i === 0 ? '[\n  ' : ',\n  '}${JSON.stringify(toRecord(columns, r), null, 2).replace(/\n/g, '\n  ')}`,
    tail: (count) => (count === 0 ? '[]\n' : '\n]\n'),
  };
}

/** Records the formats of a --format option made without addFormatOption (export's, whose default is csv), for formatsOf. */
export function offerFormats(cmd: object, formats: readonly Format[]): void {
  offered.set(cmd, formats);
}
