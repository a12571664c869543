// crm survey show|use|init|send|record|import|stats|list: a short satisfaction questionnaire the
// owner can edit, invitations delivered by the reminders, answers asked at a terminal, given by
// flags or imported, and NPS, CSAT and per-question averages per period. The use cases are in
// src/app/survey.ts and src/app/survey-import.ts, the rules in src/core/survey.ts.
import type { Command } from 'commander';
import { readOnly, type Context } from '../context.js';
import { formatLocal, isoInZone, parseWhen } from '../core/dates.js';
import { parsePeriod } from '../core/duration.js';
import { PERIODS, type Period } from '../core/stats.js';
import { checkAnswers, parseAnswer, questionFor, questionText, scaleOf, splitAnswer, type Metric, type Question, type Survey } from '../core/survey.js';
import { badInput } from '../errors.js';
import type { MessageId } from '../messages/index.js';
import { barChart, percent, renderList, renderOne, roundTo, signedPercent, type Column } from '../io/output.js';
import { currentSurvey, initSurveyFile, recordResponse, sendSurvey, surveyStats, useSurveyFile, type PeriodStats, type SendAudience, type SendSummary } from '../app/survey.js';
import { SKIP_REASONS } from '../core/remind/audience.js';
import { importSurveyFile, type SurveyImportOptions, type SurveyImportSummary } from '../app/survey-import.js';
import { countResponses, listResponses, type GroupBy, type ResponseRow } from '../store/survey.js';
import { addFormatOption, collect, example, formatOf, listLimit, noteTruncation, prompts, resolveCustomer, validateWith } from './common.js';

function questionColumns(ctx: Context): Column<Question>[] {
  const range = (q: Question) => {
    const s = scaleOf(q.kind);
    return s ? `${s.min}-${s.max}` : '';
  };
  return [
    { key: 'id', header: 'col.id', value: (q) => q.id },
    { key: 'kind', header: 'col.surveyKind', value: (q) => q.kind, display: (q) => ctx.t(`survey.kind.${q.kind}` as MessageId) },
    { key: 'scale', header: 'col.surveyScale', value: range },
    { key: 'required', header: 'col.surveyRequired', value: (q) => q.required, display: (q) => (q.required ? ctx.t('survey.yes') : '') },
    { key: 'csat', header: 'col.surveyCsat', value: (q) => q.csat, display: (q) => (q.csat ? 'CSAT' : q.kind === 'nps' ? 'NPS' : '') },
    { key: 'zh', header: 'col.surveyZh', value: (q) => q.zh },
    { key: 'en', header: 'col.surveyEn', value: (q) => q.en },
  ];
}

async function show(ctx: Context, o: { format?: string }): Promise<void> {
  const { survey, file, builtin } = await currentSurvey(ctx);
  renderList(ctx, formatOf(o), questionColumns(ctx), survey.questions);
  if (formatOf(o) === 'table') ctx.err(ctx.t(builtin ? 'survey.usingBuiltin' : 'survey.using', { name: survey.name, version: survey.version, file, count: survey.questions.length }));
}

async function use(ctx: Context, file: string): Promise<void> {
  const { survey, file: stored } = await useSurveyFile(ctx, file);
  ctx.out(ctx.t('survey.used', { name: survey.name, count: survey.questions.length, file: stored }));
}

function init(ctx: Context, file: string, o: { force?: boolean }): void {
  const written = initSurveyFile(file, o.force ?? false);
  ctx.out(ctx.t('survey.initDone', { file: written }));
}

// ---------------------------------------------------------------------------------------------

const SEND_COLUMNS: Column<SendSummary>[] = [
  { key: 'occasion', value: (s) => s.occasion },
  { key: 'channel', value: (s) => s.channel },
  { key: 'audience', value: (s) => s.audience },
  { key: 'invited', value: (s) => s.invited },
  { key: 'already', value: (s) => s.already },
  { key: 'skipped', value: (s) => Object.values(s.skipped).reduce((a, b) => a + b, 0) },
  ...SKIP_REASONS.map((r): Column<SendSummary> => ({ key: `skipped_${r}`, value: (s) => s.skipped[r] })),
];

async function send(ctx: Context, o: SendAudience & { format?: string }): Promise<void> {
  const s = await sendSurvey(ctx, o);
  if (formatOf(o) !== 'table') return renderOne(ctx, formatOf(o), SEND_COLUMNS, s);
  const skipped = Object.values(s.skipped).reduce((a, b) => a + b, 0);
  ctx.out(ctx.t('survey.sent', { invited: s.invited, skipped, already: s.already, occasion: s.occasion, channel: s.channel }));
  const reasons = Object.entries(s.skipped).filter(([, n]) => n > 0);
  if (reasons.length > 0) ctx.err(ctx.t('survey.skippedWhy', { reasons: reasons.map(([r, n]) => `${ctx.t(`remind.reason.${r}` as MessageId)} ${n}`).join(', ') }));
  if (s.invited > 0) ctx.err(ctx.t('survey.sentHint'));
}

/** Asks each question the flags left out, at a terminal (a required one must be answered). */
async function askAnswers(ctx: Context, survey: Survey, given: [string, string][]): Promise<[string, string][]> {
  const ask = await prompts(ctx);
  const answered = new Set(given.map(([k]) => questionFor(survey, k)?.id));
  const out = [...given];
  for (const q of survey.questions) {
    if (answered.has(q.id)) continue;
    const value = await ask.input({
      message: `${questionText(q, ctx.lang)}${q.required ? '' : ` ${ctx.t('survey.optional')}`}`,
      required: q.required,
      validate: validateWith(ctx, (v) => parseAnswer(q, v)),
    });
    out.push([q.id, value]);
  }
  return out;
}

async function record(ctx: Context, ref: string, o: { answer?: string[]; date?: string; format?: string }): Promise<void> {
  const { survey } = await currentSurvey(ctx);
  const { timezone } = await ctx.settings();
  let given = (o.answer ?? []).map(splitAnswer);
  // Every value given is checked before anything is asked or saved.
  for (const [k, v] of given) {
    const q = questionFor(survey, k);
    if (!q) throw badInput('err.survey.unknownQuestion', { id: k, ids: survey.questions.map((x) => x.id).join(', ') });
    parseAnswer(q, v);
  }
  const at = o.date === undefined ? ctx.nowIso() : parseWhen(o.date, timezone, ctx.now()).at;
  if (at > ctx.nowIso()) throw badInput('err.survey.future', { value: o.date ?? '' });
  const customer = await resolveCustomer(ctx, ref);
  if (ctx.interactive) given = await askAnswers(ctx, survey, given);
  else if (given.length === 0) throw badInput('err.survey.noAnswers', {}, { id: 'hint.survey.answerFlags' });
  const answers = checkAnswers(survey, given);
  const r = await recordResponse(ctx, customer.id, answers, at);
  if (formatOf(o) !== 'table') {
    const [row] = listResponses(await ctx.db(), { responseId: r.id });
    return renderOne(ctx, formatOf(o), responseColumns(survey, timezone), row!);
  }
  ctx.out(ctx.t(r.occurrenceId === null ? 'survey.recorded' : 'survey.recordedInvited', { id: r.id, name: customer.name, count: answers.length }));
}

// ---------------------------------------------------------------------------------------------

const IMPORT_COLUMNS: Column<SurveyImportSummary>[] = [
  { key: 'file', value: (s) => s.file },
  { key: 'encoding', value: (s) => s.encoding },
  { key: 'delimiter', value: (s) => s.delimiter },
  { key: 'rows', value: (s) => s.rows },
  { key: 'imported', value: (s) => s.imported },
  { key: 'unchanged', value: (s) => s.unchanged },
  { key: 'rejected', value: (s) => s.rejected },
  { key: 'rejects_file', value: (s) => s.rejectsFile },
  { key: 'ignored_columns', value: (s) => s.ignored },
];

async function importAnswers(ctx: Context, file: string, o: SurveyImportOptions & { format?: string }): Promise<void> {
  const s = await importSurveyFile(ctx, file, o);
  if (s.ignored.length > 0) ctx.err(ctx.t('survey.importIgnored', { columns: s.ignored.join(', ') }));
  if (s.rejectsKept) ctx.err(ctx.t('import.rejectsKept', { kept: s.rejectsKept, file: s.rejectsFile ?? '' }));
  if (formatOf(o) !== 'table') renderOne(ctx, formatOf(o), IMPORT_COLUMNS, s);
  else {
    ctx.out(ctx.t('survey.imported', { file: s.file, rows: s.rows, imported: s.imported, unchanged: s.unchanged, rejected: s.rejected }));
    if (s.rejectsFile) ctx.out(ctx.t('import.rejectsWritten', { file: s.rejectsFile }));
  }
  if (s.rejected > 0) throw badInput('err.import.rejected', { count: s.rejected, file: s.rejectsFile ?? '' });
}

// ---------------------------------------------------------------------------------------------

interface StatRow {
  p: PeriodStats;
  m: Metric;
}

function metricLabel(ctx: Context, metric: string): string {
  if (!metric.startsWith('avg:')) return ctx.t(`survey.metric.${metric}` as MessageId);
  return ctx.t('survey.metric.average', { id: metric.slice(4) });
}

function machineValue(m: Metric, v: number | null): number | null {
  if (v === null) return null;
  return m.kind === 'rate' ? roundTo(v, 4) : m.kind === 'count' ? v : roundTo(v, m.kind === 'nps' ? 1 : 2);
}

function shownValue(m: Metric, v: number | null): string {
  if (v === null) return '—';
  return m.kind === 'rate' ? percent(v) : m.kind === 'count' ? String(v) : m.kind === 'nps' ? v.toFixed(0) : v.toFixed(2);
}

function shownChange(ctx: Context, m: Metric): string {
  const d = m.change;
  if (d === null) return '—';
  if (m.kind === 'count') return signedPercent(d);
  if (m.kind === 'rate') return `${signedPercent(d).slice(0, -1)} ${ctx.t('stats.points')}`;
  const digits = m.kind === 'nps' ? 0 : 2;
  const shown = Math.abs(d).toFixed(digits);
  return `${Number(shown) === 0 ? '±' : d > 0 ? '+' : '−'}${shown}`;
}

function statColumns(ctx: Context, by: GroupBy): Column<StatRow>[] {
  return [
    { key: 'period', header: 'col.period', value: (r) => r.p.span.label },
    ...(by ? [{ key: by, header: (by === 'tier' ? 'col.tier' : 'col.segment') as MessageId, value: (r: StatRow) => r.p.group, display: (r: StatRow) => r.p.group ?? ctx.t('survey.noGroup') }] : []),
    { key: 'metric', header: 'col.metric', value: (r) => r.m.metric, display: (r) => metricLabel(ctx, r.m.metric) },
    { key: 'current', header: 'col.current', value: (r) => machineValue(r.m, r.m.current), display: (r) => shownValue(r.m, r.m.current), align: 'right' },
    { key: 'previous_period', header: 'col.surveyPreviousPeriod', value: (r) => r.p.previous.label },
    { key: 'previous', header: 'col.previous', value: (r) => machineValue(r.m, r.m.previous), display: (r) => shownValue(r.m, r.m.previous), align: 'right' },
    { key: 'change', header: 'col.change', value: (r) => (r.m.change === null ? null : roundTo(r.m.change, 4)), display: (r) => shownChange(ctx, r.m), align: 'right' },
  ];
}

function parseBy(raw: string | undefined): GroupBy {
  if (raw === undefined) return null;
  const v = raw.trim().toLowerCase();
  if (v === 'tier' || v === 'segment') return v;
  throw badInput('err.survey.by', { value: raw });
}

async function stats(ctx: Context, o: { period?: string; by?: string; since?: string; format?: string }): Promise<void> {
  const period = parsePeriod(o.period ?? 'quarter') as Period;
  if (!PERIODS.includes(period)) throw badInput('err.stats.period', { value: o.period ?? '', allowed: PERIODS.join('|') });
  const by = parseBy(o.by);
  const { survey, periods } = await surveyStats(ctx, { period, by, since: o.since });
  const rows = periods.flatMap((p) => p.metrics.map((m) => ({ p, m })));
  const format = formatOf(o);
  renderList(ctx, format, statColumns(ctx, by), rows);
  if (format === 'table') charts(ctx, survey, periods.filter((p) => p.span.label === periods[periods.length - 1]!.span.label));
}

/** The latest period as bars: the answers to the NPS question, each question's average against its scale, and CSAT by group. */
function charts(ctx: Context, survey: Survey, latest: PeriodStats[]): void {
  if (latest.length === 0 || latest.every((p) => p.figures.responses === 0)) return;
  const label = latest[0]!.span.label;
  if (latest.length > 1) {
    ctx.out('');
    ctx.out(ctx.t('survey.chart.csatBy', { period: label }));
    barChart(ctx, latest.map((p) => ({ label: p.group ?? ctx.t('survey.noGroup'), value: p.figures.csat ?? 0, text: percent(p.figures.csat) })));
    return;
  }
  const f = latest[0]!.figures;
  if (f.promoters + f.passives + f.detractors > 0) {
    ctx.out('');
    ctx.out(ctx.t('survey.chart.nps', { period: label, nps: f.nps === null ? '—' : f.nps.toFixed(0) }));
    barChart(ctx, [
      { label: ctx.t('survey.promoters'), value: f.promoters, text: String(f.promoters) },
      { label: ctx.t('survey.passives'), value: f.passives, text: String(f.passives) },
      { label: ctx.t('survey.detractors'), value: f.detractors, text: String(f.detractors) },
    ]);
  }
  const scored = survey.questions.filter((q) => q.kind !== 'text' && f.averages[q.id] !== null && f.averages[q.id] !== undefined);
  if (scored.length > 0) {
    ctx.out('');
    ctx.out(ctx.t('survey.chart.averages', { period: label }));
    barChart(ctx, scored.map((q) => ({ label: q.id, value: f.averages[q.id]! / scaleOf(q.kind)!.max, text: `${f.averages[q.id]!.toFixed(2)} / ${scaleOf(q.kind)!.max}` })));
  }
}

// ---------------------------------------------------------------------------------------------

/** A response: when, who, each question of the survey in use (score or text), and where it came from. */
function responseColumns(survey: Survey, timezone: string): Column<ResponseRow>[] {
  const answer = (r: ResponseRow, id: string) => {
    const a = r.answers[id];
    return a ? (a.score ?? a.text) : null;
  };
  return [
    { key: 'id', header: 'col.id', value: (r) => r.id, align: 'right' },
    { key: 'answered_at', header: 'col.at', value: (r) => isoInZone(r.answeredAt, timezone), display: (r) => formatLocal(r.answeredAt, timezone) },
    { key: 'customer_id', header: 'col.customerId', value: (r) => r.customerId, align: 'right' },
    { key: 'customer', header: 'col.customer', value: (r) => r.customerName },
    ...survey.questions.map((q): Column<ResponseRow> => ({ key: q.id, value: (r) => answer(r, q.id), align: q.kind === 'text' ? 'left' : 'right', keep: q.kind === 'text' ? -1 : 1 })),
    { key: 'survey', header: 'col.surveyName', value: (r) => r.survey, keep: -2 },
    { key: 'source', header: 'col.source', value: (r) => r.source, keep: -2 },
    { key: 'invitation', header: 'col.surveyInvitation', value: (r) => r.occurrenceId, keep: -2 },
  ];
}

async function list(ctx: Context, ref: string | undefined, o: { limit?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const limit = listLimit(o.limit, format);
  const { survey } = await currentSurvey(ctx);
  const { timezone } = await ctx.settings();
  const customerId = ref === undefined ? undefined : (await resolveCustomer(ctx, ref)).id;
  const db = await ctx.db();
  const rows = listResponses(db, { customerId, limit });
  renderList(ctx, format, responseColumns(survey, timezone), rows);
  noteTruncation(ctx, o, limit, rows.length, () => countResponses(db, customerId));
}

// ---------------------------------------------------------------------------------------------

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm survey show', 'crm survey send --ordered-within 90d', 'crm survey record 13800138000', 'crm survey stats --period quarter');

  const showCmd = addFormatOption(cmd.command('show').description(ctx.t('cmd.survey.show')), ctx).action((o) => show(ctx, o));
  example(showCmd, ctx, 'crm survey show', 'crm survey show --format json');

  const useCmd = cmd.command('use').description(ctx.t('cmd.survey.use')).argument('<file>', ctx.t('arg.surveyFile')).action((file: string) => use(ctx, file));
  example(useCmd, ctx, 'crm survey use ~/shop/survey.yaml');

  const initCmd = cmd
    .command('init')
    .description(ctx.t('cmd.survey.init'))
    .argument('<file>', ctx.t('arg.surveyFile'))
    .option('--force', ctx.t('opt.surveyForce'))
    .action((file: string, o) => init(ctx, file, o));
  example(initCmd, ctx, 'crm survey init survey.yaml', 'crm survey init survey.yaml --force');

  const sendCmd = addFormatOption(
    cmd
      .command('send')
      .description(ctx.t('cmd.survey.send'))
      .option('--tier <level>', ctx.t('opt.filterTier'))
      .option('--segment <segment>', ctx.t('opt.filterSegment'))
      .option('--tag <tag>', ctx.t('opt.surveyTag'))
      .option('--ordered-within <length>', ctx.t('opt.surveyOrderedWithin'))
      .option('--all', ctx.t('opt.surveyAll'))
      .option('--channel <channel>', ctx.t('opt.surveyChannel')),
    ctx,
  ).action((o) => send(ctx, o));
  example(sendCmd, ctx, 'crm survey send --ordered-within 90d', 'crm survey send --tier 金卡 --channel outbox', 'crm survey send --all && crm remind run');

  const recordCmd = addFormatOption(
    cmd
      .command('record')
      .description(ctx.t('cmd.survey.record'))
      .argument('<ref>', ctx.t('arg.ref'))
      .option('--answer <id=value>', ctx.t('opt.surveyAnswer'), collect)
      .option('--date <when>', ctx.t('opt.surveyDate')),
    ctx,
  ).action((ref: string, o) => record(ctx, ref, o));
  example(recordCmd, ctx, 'crm survey record 13800138000', 'crm survey record 张伟 --answer nps=9 --answer overall=5 --answer comment=很好');

  const importCmd = addFormatOption(
    cmd
      .command('import')
      .description(ctx.t('cmd.survey.import'))
      .argument('<file>', ctx.t('arg.surveyAnswers'))
      .option('--encoding <name>', ctx.t('opt.importEncoding'))
      .option('--date-format <order>', ctx.t('opt.dateFormat'))
      .option('--rejects <file>', ctx.t('opt.rejects')),
    ctx,
  ).action((file: string, o) => importAnswers(ctx, file, o));
  example(importCmd, ctx, 'crm survey import 问卷.csv', 'crm survey import form-export.csv --date-format dd/mm/yyyy');

  const statsCmd = addFormatOption(
    cmd
      .command('stats')
      .description(ctx.t('cmd.survey.stats'))
      .option('--period <period>', ctx.t('opt.surveyPeriod'), 'quarter')
      .option('--by <group>', ctx.t('opt.surveyBy'))
      .option('--since <when>', ctx.t('opt.surveySince')),
    ctx,
  ).action((o) => stats(ctx, o));
  example(statsCmd, ctx, 'crm survey stats', 'crm survey stats --period month --since 6mo', 'crm survey stats --by tier --format csv');

  const listCmd = addFormatOption(
    cmd.command('list').description(ctx.t('cmd.survey.list')).argument('[ref]', ctx.t('arg.refOptional')).option('--limit <n>', ctx.t('opt.limit')),
    ctx,
  ).action((ref: string | undefined, o) => list(ctx, ref, o));
  example(listCmd, ctx, 'crm survey list', 'crm survey list 13800138000 --format json');
  readOnly(showCmd, statsCmd, listCmd);
}
