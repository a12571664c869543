// The rejects file of an import: the refused rows, and the rows imported with a value left out,
// with the reason and the crm id of their customer, as a CSV a spreadsheet opens; and the reason
// as a line of text (shared by the customer, order, interaction and survey imports).
import path from 'node:path';
import type { Context } from '../context.js';
import type { RowError, RowWarning } from '../core/import/index.js';
import { quoted } from '../core/text.js';
import type { Params } from '../messages/index.js';
import { readRecords, type CsvFile } from '../io/csv-in.js';
import { csvLine } from '../io/csv-out.js';
import { atomicFile, isStream, type AtomicFile } from '../io/files.js';

/** The column a rejects file gives the reason (a rejects file imported again reuses it). */
export const REJECT_COLUMN = 'crm_reject_reason';
/** The column a rejects file gives the crm id of an imported row's customer. */
export const CRM_ID_COLUMN = 'crm_id';

/** A refused row's reason, as shown and written to the rejects file; the values it quotes from the file are cut to a sane length. */
export function reasonOf(ctx: Context, line: number, e: RowError | RowWarning): string {
  const params: Params = {};
  for (const [k, v] of Object.entries(e.params)) params[k] = typeof v === 'string' ? quoted(v) : v;
  let said = ctx.t(e.id, params);
  // "line 2, phone: phone: …" says the column twice where the header is the field's own name.
  if (e.column) for (const sep of [': ', '：']) if (said.startsWith(e.column + sep)) said = said.slice(e.column.length + sep.length);
  const what = 'leftOut' in e && e.leftOut ? ctx.t('import.warn.leftOut', { what: said }) : said;
  return e.column ? ctx.t('import.reasonAt', { line, column: quoted(e.column), what }) : ctx.t('import.reasonLine', { line, what });
}

/** The file the refused rows go to, and whether the user named it (then it may replace one). */
export function rejectsTarget(file: string, given: string | undefined): { path: string; named: boolean } {
  if (given) return { path: given, named: true };
  if (file === '-' || isStream(file)) return { path: path.resolve('crm-import.rejects.csv'), named: false };
  const ext = path.extname(file);
  return { path: path.join(path.dirname(file), `${path.basename(file, ext)}.rejects.csv`), named: false };
}

/**
 * The refused rows, and those imported with a value left out or in doubt, as a CSV a spreadsheet
 * opens (UTF-8 with BOM): the original columns plus the reason, and for an imported row the crm id
 * of its customer (so that the row, fixed and imported again, updates that customer). Written as they come (memory stays flat) through the atomic file writer. A row refused
 * without its cells at hand (the reader thread keeps only those of rows it refuses itself) is
 * noted by line and copied from the file at the end. A file the user named with --rejects is
 * replaced; the default one never is: the new file takes the next free name (x.rejects-2.csv).
 */
export class RejectsFile {
  private file: AtomicFile | null = null;
  private readonly later = new Map<number, { reason: string; crmId: number | null }>();
  count = 0;

  /** Where the reason and the crm id go: a rejects file's own columns when it is imported again, else two new ones. */
  private readonly reasonAt: number;
  private readonly idAt: number;
  private readonly columns: string[];

  constructor(
    private readonly target: { path: string; named: boolean },
    header: string[],
  ) {
    this.columns = [...header];
    for (const name of [REJECT_COLUMN, CRM_ID_COLUMN]) if (!this.columns.includes(name)) this.columns.push(name);
    this.reasonAt = this.columns.indexOf(REJECT_COLUMN);
    this.idAt = this.columns.indexOf(CRM_ID_COLUMN);
    this.width = header.length;
  }

  private readonly width: number;

  add(line: number, fields: string[] | undefined, reason: string, crmId: number | null = null): void {
    this.count++;
    if (fields) this.write(fields, reason, crmId);
    else this.later.set(line, { reason, crmId });
  }

  private write(fields: string[], reason: string, crmId: number | null): void {
    if (this.file === null) {
      this.file = atomicFile(this.target.path, this.target.named ? 'replace' : 'another');
      this.file.write('\uFEFF' + csvLine(this.columns, '\r\n'));
    }
    const cells = this.columns.map((_, i) => (i < this.width ? (fields[i] ?? '') : ''));
    cells[this.reasonAt] = reason;
    cells[this.idAt] = crmId === null ? '' : String(crmId);
    // Cells beyond the header (a shifted row) are kept after the columns, never dropped.
    this.file.write(csvLine([...cells, ...fields.slice(this.width)], '\r\n'));
  }

  /** Copies the rows noted by line from the file. */
  async fill(csv: CsvFile): Promise<void> {
    if (this.later.size === 0) return;
    for await (const r of readRecords(csv.path, csv.encoding, csv.delimiter)) {
      const noted = this.later.get(r.line);
      if (noted === undefined) continue;
      this.write(r.fields, noted.reason, noted.crmId);
      this.later.delete(r.line);
      if (this.later.size === 0) break;
    }
  }

  /** Puts the file in place; returns its path, or null when no row was refused. */
  finish(): string | null {
    if (this.file === null) return null;
    const written = this.file.commit();
    this.file = null;
    return written;
  }

  discard(): void {
    this.file?.abort();
    this.file = null;
  }
}
