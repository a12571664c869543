// Satisfaction surveys, importing answers gathered elsewhere (a paper form typed up, an online
// form's CSV export): a column naming the customer as `crm import orders` names one (phone, member
// number, email, crm id, or a name only one customer has), an optional date, and a column per
// question (its id, or its text in either language). Read with the import's CSV reader (encodings,
// delimiters, a title row above the header); every row checked; refused rows into the import's
// rejects file with the reason; the rest saved in one transaction. A row the shop holds already
// (the same customer answering at the same time) is left as it is, so a file can be imported twice.
import type { Context } from '../context.js';
import {
  CUSTOMER_KEY_TARGETS, columnList, customerKeyText, dateOrderOf, mapColumns, matchCustomer, newDateScan, parseDateFormat, parseInstant, readCustomerKey, RowError, scanDate,
  type CustomerKey, type DateOrder,
} from '../core/import/index.js';
import { checkAnswers, parseAnswer, questionFor, surveyLabel, type Answer, type Question, type Survey } from '../core/survey.js';
import { quoted } from '../core/text.js';
import { badInput, CrmError } from '../errors.js';
import { openCsv, readRecords, type CsvRecord } from '../io/csv-in.js';
import { customerKeyLookups } from '../store/customer-lookups.js';
import { beginWrite } from '../store/db.js';
import { insertResponse, latestInvitation, responseExists } from '../store/survey.js';
import { withInput } from './import.js';
import { reasonOf, RejectsFile, rejectsTarget } from './import-rejects.js';
import { recordError } from './import-rows.js';
import { currentSurvey } from './survey.js';

export interface SurveyImportOptions {
  encoding?: string;
  dateFormat?: string;
  rejects?: string;
}

export interface SurveyImportSummary {
  file: string;
  encoding: string;
  delimiter: string;
  rows: number;
  imported: number;
  /** Rows the shop holds already. */
  unchanged: number;
  rejected: number;
  rejectsFile: string | null;
  rejectsKept: string | null;
  /** Columns that are neither a customer key, a date nor a question (not read). */
  ignored: string[];
}

interface Layout {
  keys: ReturnType<typeof mapColumns>;
  date: { index: number; header: string } | null;
  questions: { index: number; header: string; question: Question }[];
  ignored: string[];
}

/** Which column is which: questions first (a question named "price" is no amount), then the customer keys and the date as order files name them. */
function layoutOf(survey: Survey, header: string[]): Layout {
  const mapped = mapColumns('orders', header);
  const layout: Layout = { keys: [], date: null, questions: [], ignored: [] };
  const taken = new Set<string>();
  header.forEach((h, index) => {
    const question = questionFor(survey, h);
    const m = mapped[index]!;
    if (question && !taken.has(question.id)) {
      taken.add(question.id);
      layout.questions.push({ index, header: m.header, question });
    } else if (CUSTOMER_KEY_TARGETS.has(m.target)) layout.keys.push(m);
    else if ((m.target === 'day' || m.target === 'ordered_at') && !layout.date) layout.date = { index, header: m.header };
    else layout.ignored.push(m.header);
  });
  const columns = columnList(header);
  if (layout.keys.length === 0) throw badInput('err.survey.import.noCustomer', { columns });
  if (layout.questions.length === 0) throw badInput('err.survey.import.noQuestions', { columns, ids: survey.questions.map((q) => q.id).join(', ') });
  return layout;
}

function inColumn<T>(header: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CrmError) throw new RowError(header, e.id, e.params);
    throw e;
  }
}

/** Imports a file of answers; refused rows go to the rejects file, the rest in one transaction. */
export async function importSurveyFile(ctx: Context, file: string, o: SurveyImportOptions): Promise<SurveyImportSummary> {
  return withInput(ctx, file, (input) => importSurvey(ctx, file, input, o));
}

/** The import of `file`, read from `input` (itself, or its copy when it is standard input or a pipe). */
async function importSurvey(ctx: Context, file: string, input: string, o: SurveyImportOptions): Promise<SurveyImportSummary> {
  const { survey } = await currentSurvey(ctx);
  const settings = await ctx.settings();
  const fixed = o.dateFormat ? parseDateFormat(o.dateFormat) : null;
  const csv = await openCsv(input, o.encoding, (cells) => cells.some((c) => questionFor(survey, c)));
  const layout = layoutOf(survey, csv.header);
  const records: CsvRecord[] = [];
  for await (const r of readRecords(csv.path, csv.encoding, csv.delimiter)) if (r.line > csv.headerLine) records.push(r);
  const order = dateOrder(layout, records, fixed);
  const db = await ctx.db();
  const now = ctx.nowIso();
  const look = customerKeyLookups(db);
  const target = rejectsTarget(file, o.rejects);
  const rejects = new RejectsFile(target, csv.header);
  const summary: SurveyImportSummary = { file, encoding: csv.encoding, delimiter: csv.delimiter, rows: records.length, imported: 0, unchanged: 0, rejected: 0, rejectsFile: null, rejectsKept: null, ignored: layout.ignored };
  const label = surveyLabel(survey);
  const source = `import:${file}`;
  const seen = new Set<string>();
  const tx = beginWrite(db);
  try {
    for (const r of records) {
      try {
        const row = readRow(r, layout, survey, { country: settings.country, zone: settings.timezone, encoding: csv.encoding, order, now });
        const match = matchCustomer(row.key, look);
        if ('error' in match) throw match.error;
        if (match.customerId === null) throw new RowError(null, 'err.survey.import.unknownCustomer', { ref: customerKeyText(row.key) });
        const key = `${match.customerId}\u0000${row.at}`;
        if (seen.has(key) || responseExists(db, match.customerId, row.at)) {
          summary.unchanged++;
          continue;
        }
        seen.add(key);
        insertResponse(db, { customerId: match.customerId, survey: label, answeredAt: row.at, source, occurrenceId: latestInvitation(db, match.customerId, row.at) }, row.answers);
        summary.imported++;
      } catch (e) {
        if (!(e instanceof RowError)) throw e;
        summary.rejected++;
        rejects.add(r.line, r.fields, reasonOf(ctx, r.line, e));
      }
    }
    // The rejects file is in place before the rows are committed: if it cannot be written, nothing is imported.
    summary.rejectsFile = rejects.finish();
    tx.commit();
  } catch (e) {
    tx.rollback();
    rejects.discard();
    throw e;
  }
  if (summary.rejectsFile !== null && summary.rejectsFile !== target.path) summary.rejectsKept = target.path;
  return summary;
}

/** The day/month order of the date column: as given, else settled by its values (ambiguous is bad input, as in crm import). */
function dateOrder(layout: Layout, records: CsvRecord[], fixed: DateOrder | null): DateOrder | null {
  if (fixed || !layout.date) return fixed;
  const scan = newDateScan();
  for (const r of records) scanDate(scan, r.fields[layout.date.index] ?? '');
  const order = dateOrderOf(scan);
  if (order === 'ambiguous') throw badInput('err.import.ambiguousDate', { column: quoted(layout.date.header), sample: quoted(scan.sample ?? '') }, { id: 'hint.import.dateFormat' });
  return order;
}

/** One row: its customer key, when it was answered (now without a date), and its checked answers; throws RowError. */
function readRow(r: CsvRecord, layout: Layout, survey: Survey, c: { country: string; zone: string; encoding: string; order: DateOrder | null; now: string }): { key: CustomerKey; at: string; answers: Answer[] } {
  const refused = recordError(r, c.encoding);
  if (refused) throw refused;
  const key: CustomerKey = { id: null, externalId: null, phone: null, email: null, name: null, address: null };
  for (const m of layout.keys) {
    const v = (r.fields[m.index] ?? '').trim();
    if (v !== '') readCustomerKey(m, v, { country: c.country }, key);
  }
  let at = c.now;
  const day = layout.date ? (r.fields[layout.date.index] ?? '').trim() : '';
  if (day !== '') {
    const when = parseInstant(day, c.order, c.zone);
    if (!when) throw new RowError(layout.date!.header, 'err.datetime', { value: day });
    if (when.at > c.now) throw new RowError(layout.date!.header, 'err.survey.future', { value: day });
    at = when.at;
  }
  const given: [string, string][] = [];
  for (const q of layout.questions) {
    const v = r.fields[q.index] ?? '';
    inColumn(q.header, () => parseAnswer(q.question, v));
    given.push([q.question.id, v]);
  }
  const answers = inColumn('', () => checkAnswers(survey, given));
  return { key, at, answers };
}
