// Importing interactions (the follow-up record), the other half of `crm export interactions`: a
// column naming the customer as `crm import orders` names one (crm id, member number, phone, email,
// or a name only one customer has), when it happened, its type and its note. Read with the
// import's CSV reader; every row checked; refused rows into the import's rejects file with the
// reason; the rest saved in one transaction (rolled back by --dry-run). A row the shop holds already
// (the same customer, type, time and note) is left as it is, so a file can be imported twice.
// Each import is recorded (crm import history) in its transaction; crm import undo removes what it added.
import path from 'node:path';
import type { Context } from '../context.js';
import { parseInteractionType } from '../core/interaction.js';
import {
  CUSTOMER_KEY_TARGETS, columnList, customerKeyText, headerKey, mapColumns, matchCustomer, parseInstant, readCustomerKey, RowError, type CustomerKey,
} from '../core/import/index.js';
import { badInput, CrmError } from '../errors.js';
import { cleanNote } from '../core/limits.js';
import { openCsv, readRecords, type CsvRecord } from '../io/csv-in.js';
import { customerKeyLookups } from '../store/customer-lookups.js';
import { beginWrite } from '../store/db.js';
import { ImportJournal } from '../store/import-runs.js';
import { insertInteraction, interactionExists } from '../store/interaction.js';
import { withInput } from './import.js';
import { reasonOf, RejectsFile, rejectsTarget } from './import-rejects.js';
import { recordError } from './import-rows.js';

export interface InteractionImportSummary {
  file: string;
  encoding: string;
  delimiter: string;
  rows: number;
  inserted: number;
  /** Rows the shop holds already. */
  unchanged: number;
  rejected: number;
  rejectsFile: string | null;
  dryRun: boolean;
  /** The import's number in `crm import history` (what `crm import undo` takes); null for a dry run. */
  importId: number | null;
}

const NAMES = {
  at: ['at', 'time', 'when', 'date', '时间', '日期', '记录时间', '跟进时间'],
  type: ['type', 'kind', '类型', '方式'],
  note: ['note', 'notes', 'text', '备注', '内容', '跟进内容', '记录'],
} as const;

interface Layout {
  keys: ReturnType<typeof mapColumns>;
  at: number;
  type: number;
  note: number;
}

function layoutOf(header: string[]): Layout {
  const mapped = mapColumns('orders', header);
  const find = (names: readonly string[]) => header.findIndex((h) => names.map(headerKey).includes(headerKey(h)));
  const layout: Layout = { keys: mapped.filter((m) => CUSTOMER_KEY_TARGETS.has(m.target)), at: find(NAMES.at), type: find(NAMES.type), note: find(NAMES.note) };
  const columns = columnList(header);
  if (layout.keys.length === 0) throw badInput('err.interaction.import.noCustomer', { columns });
  if (layout.at < 0) throw badInput('err.interaction.import.noTime', { columns });
  if (layout.type < 0) throw badInput('err.interaction.import.noType', { columns });
  return layout;
}

/** Imports a file of interactions; refused rows go to the rejects file, the rest in one transaction (rolled back for a dry run). */
export async function importInteractionsFile(ctx: Context, file: string, o: { encoding?: string; rejects?: string; dryRun?: boolean }): Promise<InteractionImportSummary> {
  return withInput(ctx, file, (source) => importInteractions(ctx, file, source, o));
}

/** The import of `file`, read from `source` (itself, or its copy when it is standard input or a pipe). */
async function importInteractions(ctx: Context, file: string, source: string, o: { encoding?: string; rejects?: string; dryRun?: boolean }): Promise<InteractionImportSummary> {
  const settings = await ctx.settings();
  const csv = await openCsv(source, o.encoding, (cells) => cells.some((c) => NAMES.type.map(headerKey).includes(headerKey(c))));
  const layout = layoutOf(csv.header);
  const db = await ctx.db();
  const now = ctx.nowIso();
  const look = customerKeyLookups(db);
  const rejects = new RejectsFile(rejectsTarget(file, o.rejects), csv.header);
  const summary: InteractionImportSummary = { file, encoding: csv.encoding, delimiter: csv.delimiter, rows: 0, inserted: 0, unchanged: 0, rejected: 0, rejectsFile: null, dryRun: o.dryRun ?? false, importId: null };
  const tx = beginWrite(db);
  try {
    const journal = new ImportJournal(db, 'interactions', file === '-' ? file : path.resolve(file), now);
    for await (const r of readRecords(csv.path, csv.encoding, csv.delimiter)) {
      if (r.line <= csv.headerLine) continue;
      summary.rows++;
      try {
        const row = readRow(r, layout, { country: settings.country, zone: settings.timezone, encoding: csv.encoding });
        const match = matchCustomer(row.key, look);
        if ('error' in match) throw match.error;
        if (match.customerId === null) throw new RowError(null, 'err.import.unknownCustomer', { ref: customerKeyText(row.key) });
        if (interactionExists(db, { customerId: match.customerId, type: row.type, at: row.at, note: row.note })) {
          summary.unchanged++;
          continue;
        }
        insertInteraction(db, { customerId: match.customerId, type: row.type, note: row.note, at: row.at }, now);
        summary.inserted++;
      } catch (e) {
        if (!(e instanceof RowError)) throw e;
        summary.rejected++;
        rejects.add(r.line, r.fields, reasonOf(ctx, r.line, e));
      }
    }
    // The rejects file is in place before the rows are committed: if it cannot be written, nothing is imported.
    summary.rejectsFile = rejects.finish();
    if (o.dryRun) tx.rollback();
    else {
      journal.finish({ rows: summary.rows, inserted: summary.inserted, updated: 0, unchanged: summary.unchanged, skipped: 0, rejected: summary.rejected, customersCreated: 0 });
      tx.commit();
      summary.importId = journal.runId;
    }
  } catch (e) {
    tx.rollback();
    rejects.discard();
    throw e;
  }
  return summary;
}

/** What `fn` returns, its CrmError as the row's refusal. */
function inRow<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CrmError) throw new RowError(null, e.id, e.params);
    throw e;
  }
}

function readRow(r: CsvRecord, layout: Layout, c: { country: string; zone: string; encoding: string }) {
  const refused = recordError(r, c.encoding);
  if (refused) throw refused;
  const key: CustomerKey = { id: null, externalId: null, phone: null, email: null, name: null, address: null };
  for (const m of layout.keys) {
    const v = (r.fields[m.index] ?? '').trim();
    if (v !== '') readCustomerKey(m, v, { country: c.country }, key);
  }
  const atRaw = (r.fields[layout.at] ?? '').trim();
  const when = parseInstant(atRaw, null, c.zone);
  if (!when) throw new RowError(null, 'err.datetime', { value: atRaw });
  const typeRaw = (r.fields[layout.type] ?? '').trim();
  const type = inRow(() => parseInteractionType(typeRaw));
  const note = layout.note >= 0 ? inRow(() => cleanNote(r.fields[layout.note] ?? '')) : null;
  return { key, at: when.at, type, note };
}
