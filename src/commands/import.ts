// crm import customers|orders <file>: spreadsheets in, every row imported or refused with a reason.
// The work is src/app/import.ts; this parses the options and prints the summary, which is the
// command's result (stdout, in every format); progress, the first refused rows and notes go to stderr.
// crm import history lists the imports and crm import undo <id> reverses one (src/app/import-undo.ts).
import type { Command } from 'commander';
import { importHistory, undoImport, type UndoOptions } from '../app/import-undo.js';
import { importFile, type ImportOptions, type ImportSummary } from '../app/import.js';
import type { InteractionImportSummary } from '../app/interaction-import.js';
import { readOnly, type Context } from '../context.js';
import { formatLocal, isoInZone } from '../core/dates.js';
import { CONFLICT_MODES, CUSTOMER_TARGETS, ORDER_TARGETS, type ColumnMap, type ImportKind } from '../core/import/index.js';
import { badInput } from '../errors.js';
import { renderList, renderOne, toRecord, type Column, type Format } from '../io/output.js';
import type { ImportRun } from '../store/import-runs.js';
import { addFormatOption, collect, example, formatOf, listLimit, noteTruncation, parsePositiveInt } from './common.js';

interface ImportFlags extends ImportOptions {
  dryRun?: boolean;
  format?: string;
  /** false with --no-header. */
  header?: boolean;
}

/** How many refused rows are told on stderr as they come (all are in the rejects file). */
const TOLD_REJECTS = 5;

async function progressBar(ctx: Context, total: number) {
  if (!ctx.io.stderr.isTTY || total < 5000) return null;
  const { SingleBar } = (await import('cli-progress')).default;
  const bar = new SingleBar({
    stream: ctx.io.stderr as NodeJS.WriteStream,
    format: ctx.t('import.progress'),
    etaBuffer: 5000,
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(total, 0, { rate: '0' });
  // The total of a large file is estimated from its size (app/import.ts UNSCANNED_BYTES): a file with more rows moves the end.
  const update = (done: number, rate: number) => {
    if (done > bar.getTotal()) bar.setTotal(done);
    bar.update(done, { rate });
  };
  return { update, stop: () => bar.stop() };
}

async function runImport(ctx: Context, kind: ImportKind, file: string, o: ImportFlags): Promise<void> {
  const format = formatOf(o);
  const s = await importFile(ctx, kind, file, { ...o, noHeader: o.header === false }, {
    progress: (total) => progressBar(ctx, total),
    refused: (reason, count) => {
      if (count <= TOLD_REJECTS) ctx.err(reason);
    },
    warned: (reason, count) => {
      if (count <= TOLD_REJECTS) ctx.err(reason);
    },
  });
  if (s.rejectsKept) ctx.err(ctx.t('import.rejectsKept', { kept: s.rejectsKept, file: s.rejectsFile ?? '' }));
  // A rejects file starts with a row naming its columns: imported again, it needs no --no-header.
  if (s.rejectsFile && o.header === false) ctx.err(ctx.t('import.rejectsHaveHeader'));
  printSummary(ctx, format, s);
  if (s.strictFailure) throw badInput('err.import.strict', { count: s.rejected, file: s.rejectsFile ?? '' });
  if (s.rejected > 0) throw badInput('err.import.rejected', { count: s.rejected, file: s.rejectsFile ?? '' });
}

/** The summary of an import as a record: every count (JSON, and one CSV row). */
const SUMMARY_COLUMNS: Column<ImportSummary>[] = [
  { key: 'kind', value: (s) => s.kind },
  { key: 'file', value: (s) => s.file },
  { key: 'encoding', value: (s) => s.encoding },
  { key: 'delimiter', value: (s) => s.delimiter },
  { key: 'rows', value: (s) => s.rows },
  { key: 'inserted', value: (s) => s.inserted },
  { key: 'updated', value: (s) => s.updated },
  { key: 'unchanged', value: (s) => s.unchanged },
  { key: 'skipped', value: (s) => s.skipped },
  { key: 'rejected', value: (s) => s.rejected },
  { key: 'customers_created', value: (s) => s.customersCreated },
  { key: 'line_items', value: (s) => s.lineItems },
  { key: 'kept_differences', value: (s) => s.keptDifferences },
  { key: 'warnings', value: (s) => s.warnings },
  { key: 'seconds', value: (s) => s.seconds },
  { key: 'rejects_file', value: (s) => s.rejectsFile },
  { key: 'dry_run', value: (s) => s.dryRun },
  { key: 'imported', value: (s) => !s.strictFailure && !s.dryRun },
  { key: 'import_id', value: (s) => s.importId },
];

function printSummary(ctx: Context, format: Format, s: ImportSummary): void {
  if (format === 'json' && s.dryRun) return renderOne(ctx, format, [...SUMMARY_COLUMNS, { key: 'columns', value: (d) => d.columns.map((c) => toRecord(mappingColumns(ctx), c)) }], s);
  if (format !== 'table') return renderOne(ctx, format, SUMMARY_COLUMNS, s);
  const n = (x: number) => x.toLocaleString(ctx.lang === 'zh' ? 'zh-CN' : 'en-US');
  // A dry run shows how each column is read first, then what the import did before it was rolled back.
  if (s.dryRun) renderList(ctx, 'table', mappingColumns(ctx), s.columns, { first: true, allIn: 'wider' });
  ctx.out(ctx.t(s.kind === 'customers' ? 'import.summaryCustomers' : 'import.summaryOrders', { file: s.file, rows: n(s.rows), encoding: s.encoding, delimiter: JSON.stringify(s.delimiter) }));
  ctx.out(
    ctx.t('import.summaryCounts', { inserted: n(s.inserted), updated: n(s.updated), unchanged: n(s.unchanged), skipped: n(s.skipped), rejected: n(s.rejected), seconds: s.seconds.toFixed(1) }),
  );
  if (s.lineItems) ctx.out(ctx.t('import.lineItems', { count: n(s.lineItems) }));
  if (s.customersCreated) ctx.out(ctx.t('import.customersCreated', { count: n(s.customersCreated) }));
  if (s.keptDifferences) ctx.out(ctx.t('import.keptDifferences', { count: n(s.keptDifferences) }));
  if (s.warnings) ctx.out(ctx.t('import.warnings', { count: n(s.warnings) }));
  if (s.rejectsFile) ctx.out(ctx.t(s.rejected === 0 ? 'import.warningsWritten' : s.rejected < s.rejectsRows ? 'import.rejectsAndWarningsWritten' : 'import.rejectsWritten', { file: s.rejectsFile }));
  if (s.dryRun) ctx.out(ctx.t('import.dryRunNothing'));
  if (s.importId !== null) ctx.out(ctx.t('import.recorded', { id: s.importId }));
}

/** How each column of the file is read. */
function mappingColumns(ctx: Context): Column<ColumnMap>[] {
  const describe = (c: ColumnMap) =>
    c.target === 'custom' ? ctx.t('import.toCustom', { key: c.key }) : c.target === 'ignore' ? ctx.t('import.ignored') : c.target === 'address_part' ? ctx.t('import.addressPart') : c.target;
  return [
    { key: 'column', header: 'col.column', value: (c) => c.header },
    { key: 'field', header: 'col.field', value: (c) => (c.target === 'custom' ? `field:${c.key}` : c.target), display: describe },
    { key: 'how', header: 'col.how', value: (c) => c.how, display: (c) => ctx.t(`import.how.${c.how}`) },
  ];
}


/** The field names --map takes, wrapped for the help text. */
function fieldsHelp(ctx: Context, kind: ImportKind): string {
  const names = [...(kind === 'customers' ? CUSTOMER_TARGETS : ORDER_TARGETS), ...(kind === 'customers' ? ['field:<key>'] : []), 'ignore'];
  const lines: string[] = [];
  let line = ' ';
  for (const n of names) {
    if (line.length + n.length + 2 > 78) [lines[lines.length], line] = [line, ' '];
    line += ` ${n},`;
  }
  lines.push(line.replace(/,$/, ''));
  return `\n${ctx.t(kind === 'customers' ? 'help.importFieldsCustomers' : 'help.importFieldsOrders')}\n${lines.join('\n')}`;
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm import customers 客户.csv', 'crm import orders sales.csv --create-customers', 'crm import customers list.csv --dry-run');
  for (const kind of ['customers', 'orders'] as const) {
    const sub = addFormatOption(
      cmd
        .command(kind)
        .description(ctx.t(kind === 'customers' ? 'cmd.import.customers' : 'cmd.import.orders'))
        .argument('<file>', ctx.t('arg.importFile'))
        .option('--map <column=field>', ctx.t('opt.importMap'), collect)
        .option('--no-header', ctx.t('opt.noHeader'))
        .option('--country <code>', ctx.t('opt.importCountry'))
        .option('--encoding <name>', ctx.t('opt.importEncoding'))
        .option('--date-format <order>', ctx.t('opt.dateFormat'))
        .option('--dry-run', ctx.t('opt.dryRun'))
        .option('--strict', ctx.t('opt.strict'))
        .option('--rejects <file>', ctx.t('opt.rejects')),
      ctx,
    );
    sub.addHelpText('after', fieldsHelp(ctx, kind));
    if (kind === 'customers') sub.option('--on-conflict <mode>', ctx.t('opt.onConflict', { modes: CONFLICT_MODES.join('|') }), 'update');
    else sub.option('--create-customers', ctx.t('opt.createCustomers'));
    sub.action((file: string, o: ImportFlags) => runImport(ctx, kind, file, o));
    if (kind === 'customers') {
      example(
        sub,
        ctx,
        'crm import customers 会员.csv',
        'crm import customers export.csv --on-conflict merge',
        'crm import customers old.csv --map "联系人=name" --map "微信号=field:微信" --date-format dd/mm/yyyy',
        'cat list.csv | crm import customers - --strict',
      );
    } else {
      example(sub, ctx, 'crm import orders 销售记录.csv', 'crm import orders pos-export.csv --create-customers --dry-run');
    }
  }
  const interactionsCmd = addFormatOption(
    cmd
      .command('interactions')
      .description(ctx.t('cmd.import.interactions'))
      .argument('<file>', ctx.t('arg.importFile'))
      .option('--encoding <name>', ctx.t('opt.importEncoding'))
      .option('--dry-run', ctx.t('opt.dryRun'))
      .option('--rejects <file>', ctx.t('opt.rejects')),
    ctx,
  ).action((file: string, o: { encoding?: string; dryRun?: boolean; rejects?: string; format?: string }) => runInteractions(ctx, file, o));
  example(interactionsCmd, ctx, 'crm import interactions followups.csv', 'crm export interactions --out i.csv && crm --db new.db import interactions i.csv');
  const hist = addFormatOption(cmd.command('history').description(ctx.t('cmd.import.history')).option('--limit <n>', ctx.t('opt.limit')), ctx).action((o) => history(ctx, o));
  example(hist, ctx, 'crm import history', 'crm import history --format csv');
  const un = cmd
    .command('undo')
    .description(ctx.t('cmd.import.undo'))
    .argument('<id>', ctx.t('arg.importId'))
    .option('--dry-run', ctx.t('opt.importUndoDryRun'))
    .option('--force', ctx.t('opt.importUndoForce'))
    .action((id: string, o: UndoOptions) => undo(ctx, id, o));
  example(un, ctx, 'crm import undo 3 --dry-run', 'crm import undo 3');
  readOnly(hist);
}

/** An import as `crm import history` lists it: times in the shop's zone. */
async function historyColumns(ctx: Context): Promise<Column<ImportRun>[]> {
  const { timezone } = await ctx.settings();
  const at = (v: string | null) => (v === null ? null : isoInZone(v, timezone));
  const local = (v: string | null) => (v === null ? '' : formatLocal(v, timezone));
  const count = (key: string, header: Column<ImportRun>['header'], value: (r: ImportRun) => number): Column<ImportRun> => ({ key, header, value, align: 'right' });
  return [
    { key: 'id', header: 'col.id', value: (r) => r.id, align: 'right' },
    { key: 'kind', header: 'col.type', value: (r) => r.kind, display: (r) => ctx.t(`importUndo.kind.${r.kind}`) },
    { key: 'file', header: 'col.importFile', value: (r) => r.file },
    { key: 'at', header: 'col.at', value: (r) => at(r.at), display: (r) => local(r.at) },
    count('rows', 'col.rows', (r) => r.rows),
    count('inserted', 'col.inserted', (r) => r.inserted),
    count('updated', 'col.updated', (r) => r.updated),
    count('unchanged', 'col.unchanged', (r) => r.unchanged),
    count('skipped', 'col.skipped', (r) => r.skipped),
    count('rejected', 'col.rejected', (r) => r.rejected),
    count('customers_created', 'col.customersCreated', (r) => r.customersCreated),
    { key: 'undone_at', header: 'col.undoneAt', value: (r) => at(r.undoneAt), display: (r) => local(r.undoneAt) },
  ];
}

async function history(ctx: Context, o: { limit?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const limit = listLimit(o.limit, format);
  const runs = await importHistory(ctx, limit);
  renderList(ctx, format, await historyColumns(ctx), runs);
  noteTruncation(ctx, o, limit, runs.length);
}

async function undo(ctx: Context, raw: string, o: UndoOptions): Promise<void> {
  const id = parsePositiveInt(raw.replace(/^#/, ''), 'id');
  const { run, counts, dryRun } = await undoImport(ctx, id, o);
  if (run.kind === 'interactions') {
    ctx.out(ctx.t(dryRun ? 'import.undoDryRunInteractions' : 'import.undoneInteractions', { id, file: run.file, ...counts }));
    return;
  }
  const kind = ctx.t(run.kind === 'customers' ? 'importUndo.kind.customers' : 'importUndo.kind.orders');
  ctx.out(ctx.t(dryRun ? 'import.undoDryRun' : 'import.undone', { id, kind, file: run.file, ...counts }));
}

const INTERACTION_SUMMARY: Column<InteractionImportSummary>[] = [
  { key: 'kind', value: () => 'interactions' },
  { key: 'file', value: (s) => s.file },
  { key: 'encoding', value: (s) => s.encoding },
  { key: 'rows', value: (s) => s.rows },
  { key: 'inserted', value: (s) => s.inserted },
  { key: 'unchanged', value: (s) => s.unchanged },
  { key: 'rejected', value: (s) => s.rejected },
  { key: 'rejects_file', value: (s) => s.rejectsFile },
  { key: 'dry_run', value: (s) => s.dryRun },
  { key: 'import_id', value: (s) => s.importId },
];

async function runInteractions(ctx: Context, file: string, o: { encoding?: string; dryRun?: boolean; rejects?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const { importInteractionsFile } = await import('../app/interaction-import.js');
  const s = await importInteractionsFile(ctx, file, o);
  if (format !== 'table') renderOne(ctx, format, INTERACTION_SUMMARY, s);
  else {
    ctx.out(ctx.t('import.interactionsSummary', { file: s.file, rows: s.rows, inserted: s.inserted, unchanged: s.unchanged, rejected: s.rejected }));
    if (s.rejectsFile) ctx.out(ctx.t('import.rejectsWritten', { file: s.rejectsFile }));
    if (s.dryRun) ctx.out(ctx.t('import.dryRunNothing'));
    if (s.importId !== null) ctx.out(ctx.t('import.recorded', { id: s.importId }));
  }
  if (s.rejected > 0) throw badInput('err.import.rejected', { count: s.rejected, file: s.rejectsFile ?? '' });
}
