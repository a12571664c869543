// Satisfaction surveys, the rules: the questionnaire file (YAML or JSON, 5 to 8 questions, each an
// NPS 0-10, a 1-5 scale or free text, asked in Chinese and English) read and checked with the line
// and column of each problem; one answer checked against its question; and the figures of a period
// (NPS: promoters 9-10 minus detractors 0-6; CSAT: the share answering 4-5 on the overall question;
// the average of each question) compared with the period before. Pure.
import { createHash } from 'node:crypto';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { badInput } from '../errors.js';
import type { MessageId, Params } from '../messages/index.js';
import { addMonths } from './dates.js';
import { checkText } from './limits.js';
import { headerKey } from './import/columns.js';
import { periodStart, type Period } from './stats.js';

export const QUESTION_KINDS = ['nps', 'scale', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export const MIN_QUESTIONS = 5;
export const MAX_QUESTIONS = 8;
export const LANGUAGES = ['zh', 'en'] as const;

export interface Question {
  id: string;
  kind: QuestionKind;
  zh: string;
  en: string;
  required: boolean;
  /** The overall satisfaction question that CSAT is taken on (marked `csat: true`, else the first scale question). */
  csat: boolean;
}

export interface Survey {
  name: string;
  /** A hash of the questions: answers record which version of the questions they answer. */
  version: string;
  questions: Question[];
}

/** The lowest and highest score of a kind of question (null for free text). */
export function scaleOf(kind: QuestionKind): { min: number; max: number } | null {
  return kind === 'nps' ? { min: 0, max: 10 } : kind === 'scale' ? { min: 1, max: 5 } : null;
}

/** What a response records as its survey: the name and the version of the questions (quarterly@1a2b3c4d). */
export function surveyLabel(s: Survey): string {
  return `${s.name}@${s.version}`;
}

export function questionText(q: Question, lang: 'zh' | 'en'): string {
  return q[lang];
}

/** The NPS question, if the survey has one. */
export function npsQuestion(s: Survey): Question | undefined {
  return s.questions.find((q) => q.kind === 'nps');
}

/** The question CSAT is taken on, if the survey has a scale question. */
export function csatQuestion(s: Survey): Question | undefined {
  return s.questions.find((q) => q.csat);
}

// ---------------------------------------------------------------------------------------------
// The file

const ID = /^[a-z][a-z0-9_]{0,31}$/;

/**
 * Reads and checks a questionnaire. Every problem is bad input naming the file, line and column:
 * YAML syntax, a survey without a name, fewer than 5 or more than 8 questions, a question without an
 * id or a kind (or one not nps|scale|text), a duplicate id, a question not in both Chinese and
 * English, `required` or `csat` not true/false, two NPS questions, two CSAT marks or one on a
 * question that is no scale.
 */
export function parseSurvey(text: string, file: string): Survey {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const p = lines.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  const fail = (offset: number, id: MessageId, params: Params = {}): never => {
    throw badInput(id, { ...at(offset), ...params });
  };
  const error = doc.errors[0];
  if (error) fail(error.pos[0], 'err.survey.syntax', { reason: error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') });
  const root = doc.contents;
  if (!isMap(root)) fail(root?.range?.[0] ?? 0, 'err.survey.notMap');
  const top = root as YAMLMap;
  const name = stringAt(top, 'name');
  if (name === null) fail(top.range?.[0] ?? 0, 'err.survey.noName');
  const list = valueAt(top, 'questions');
  if (!list || !isSeq(list)) fail(keyOffset(top, 'questions') ?? top.range?.[0] ?? 0, 'err.survey.noQuestions');
  const items = (list as { items: unknown[] }).items;
  if (items.length < MIN_QUESTIONS || items.length > MAX_QUESTIONS) fail(keyOffset(top, 'questions')!, 'err.survey.count', { count: items.length, min: MIN_QUESTIONS, max: MAX_QUESTIONS });
  const seen = new Set<string>();
  const questions: Question[] = [];
  let csatMarked = false;
  for (const item of items) {
    const start = (item as Node).range?.[0] ?? 0;
    if (!isMap(item)) fail(start, 'err.survey.questionNotMap');
    const q = item as YAMLMap;
    const id = stringAt(q, 'id');
    if (id === null) fail(start, 'err.survey.noId');
    const idAt = offsetOf(q, 'id');
    if (!ID.test(id!)) fail(idAt, 'err.survey.badId', { id: id! });
    if (seen.has(id!)) fail(idAt, 'err.survey.duplicateId', { id: id! });
    seen.add(id!);
    const kind = stringAt(q, 'kind');
    if (kind === null) fail(start, 'err.survey.noKind', { id: id!, kinds: QUESTION_KINDS.join('|') });
    if (!(QUESTION_KINDS as readonly string[]).includes(kind!)) fail(offsetOf(q, 'kind'), 'err.survey.badKind', { id: id!, value: kind!, kinds: QUESTION_KINDS.join('|') });
    const texts = {} as Record<(typeof LANGUAGES)[number], string>;
    for (const lang of LANGUAGES) {
      const t = stringAt(q, lang);
      if (t === null) fail(start, 'err.survey.noLanguage', { id: id!, lang });
      texts[lang] = t!;
    }
    const required = flagAt(q, 'required', fail);
    const csat = flagAt(q, 'csat', fail);
    if (csat && kind !== 'scale') fail(offsetOf(q, 'csat'), 'err.survey.csatKind', { id: id! });
    if (csat && csatMarked) fail(offsetOf(q, 'csat'), 'err.survey.twoCsat', { id: id! });
    if (kind === 'nps' && questions.some((o) => o.kind === 'nps')) fail(offsetOf(q, 'kind'), 'err.survey.twoNps', { id: id! });
    csatMarked ||= csat;
    questions.push({ id: id!, kind: kind as QuestionKind, zh: texts.zh, en: texts.en, required, csat });
  }
  if (!csatMarked) {
    const first = questions.find((q) => q.kind === 'scale');
    if (first) first.csat = true;
  }
  return { name: name!, version: versionOf(questions), questions };
}

function versionOf(questions: Question[]): string {
  return createHash('sha256').update(JSON.stringify(questions)).digest('hex').slice(0, 8);
}

function pairOf(map: YAMLMap, key: string) {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key);
}

function valueAt(map: YAMLMap, key: string): unknown {
  return pairOf(map, key)?.value;
}

function keyOffset(map: YAMLMap, key: string): number | undefined {
  return (pairOf(map, key)?.key as Node | undefined)?.range?.[0];
}

/** Where a key's value starts (else the key). */
function offsetOf(map: YAMLMap, key: string): number {
  const p = pairOf(map, key);
  return (p?.value as Node | undefined)?.range?.[0] ?? (p?.key as Node | undefined)?.range?.[0] ?? map.range?.[0] ?? 0;
}

/** A key's text (a number is read as its text: `id: 1` is refused by the id rule, not here), or null when absent or empty. */
function stringAt(map: YAMLMap, key: string): string | null {
  const v = valueAt(map, key);
  if (!isScalar(v) || v.value === null || typeof v.value === 'object') return null;
  const s = String(v.value).trim();
  return s === '' ? null : s;
}

function flagAt(map: YAMLMap, key: string, fail: (offset: number, id: MessageId, params?: Params) => never): boolean {
  const v = valueAt(map, key);
  if (v === undefined || (isScalar(v) && v.value === null)) return false;
  if (isScalar(v) && typeof v.value === 'boolean') return v.value;
  return fail(offsetOf(map, key), 'err.survey.flag', { key, id: stringAt(map, 'id') ?? '?' });
}

// ---------------------------------------------------------------------------------------------
// Answers

export interface Answer {
  question: string;
  score: number | null;
  text: string | null;
}

/** One answer as typed (full-width digits too): an NPS a whole number 0-10, a scale 1-5, text as it is; empty is null. */
export function parseAnswer(q: Question, raw: string): Answer | null {
  const v = raw.normalize('NFKC').trim();
  if (v === '') return null;
  const scale = scaleOf(q.kind);
  if (!scale) return { question: q.id, score: null, text: checkText('answer', raw.normalize('NFC').trim()) };
  const n = /^\d{1,2}$/.test(v) ? Number(v) : NaN;
  if (!(n >= scale.min && n <= scale.max)) throw badInput('err.survey.answer', { id: q.id, value: raw.trim(), min: scale.min, max: scale.max });
  return { question: q.id, score: n, text: null };
}

/** A question by its id, or by its text in either language as a column header (headers compared as imports compare them). */
export function questionFor(s: Survey, key: string): Question | undefined {
  const k = headerKey(key);
  return s.questions.find((q) => q.id === key.trim() || headerKey(q.id) === k || headerKey(q.zh) === k || headerKey(q.en) === k);
}

/**
 * The answers of one response from (question, value) pairs: an unknown question, a question given
 * twice, a value out of its scale or a required question left out is bad input; a response needs
 * at least one answer.
 */
export function checkAnswers(s: Survey, given: readonly (readonly [string, string])[]): Answer[] {
  const out = new Map<string, Answer>();
  const seen = new Set<string>();
  for (const [key, raw] of given) {
    const q = questionFor(s, key);
    if (!q) throw badInput('err.survey.unknownQuestion', { id: key, ids: s.questions.map((x) => x.id).join(', ') });
    if (seen.has(q.id)) throw badInput('err.survey.twice', { id: q.id });
    seen.add(q.id);
    const a = parseAnswer(q, raw);
    if (a) out.set(q.id, a);
  }
  const missing = s.questions.find((q) => q.required && !out.has(q.id));
  if (missing) throw badInput('err.survey.required', { id: missing.id });
  if (out.size === 0) throw badInput('err.survey.noAnswers');
  return s.questions.flatMap((q) => (out.has(q.id) ? [out.get(q.id)!] : []));
}

/** `id=value` as typed to --answer. */
export function splitAnswer(raw: string): [string, string] {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw badInput('err.survey.answerForm', { value: raw });
  return [raw.slice(0, eq).trim(), raw.slice(eq + 1)];
}

// ---------------------------------------------------------------------------------------------
// Figures

/** NPS from 0-10 scores: the percent of promoters (9-10) minus the percent of detractors (0-6), -100 to 100; null without scores. */
export function npsOf(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  return ((promoters - detractors) / scores.length) * 100;
}

/** CSAT from 1-5 scores: the share answering 4 or 5, 0 to 1; null without scores. */
export function csatOf(scores: readonly number[]): number | null {
  return scores.length === 0 ? null : scores.filter((s) => s >= 4).length / scores.length;
}

export function averageOf(scores: readonly number[]): number | null {
  return scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length;
}

export interface Figures {
  responses: number;
  invitations: number;
  /** Responses per invitation sent in the period (null without invitations). */
  responseRate: number | null;
  nps: number | null;
  promoters: number;
  passives: number;
  detractors: number;
  csat: number | null;
  /** The average score of each question with a scale, by id. */
  averages: Record<string, number | null>;
}

/** A period's figures from its responses (each the scores by question id) and the invitations sent in it. */
export function figuresOf(s: Survey, responses: readonly Readonly<Record<string, number>>[], invitations: number): Figures {
  const scores = (id: string | undefined) => (id === undefined ? [] : responses.flatMap((r) => (r[id] === undefined ? [] : [r[id]!])));
  const nps = scores(npsQuestion(s)?.id);
  const averages: Record<string, number | null> = {};
  for (const q of s.questions) if (q.kind !== 'text') averages[q.id] = averageOf(scores(q.id));
  return {
    responses: responses.length,
    invitations,
    responseRate: invitations > 0 ? responses.length / invitations : null,
    nps: npsOf(nps),
    promoters: nps.filter((x) => x >= 9).length,
    passives: nps.filter((x) => x === 7 || x === 8).length,
    detractors: nps.filter((x) => x <= 6).length,
    csat: csatOf(scores(csatQuestion(s)?.id)),
    averages,
  };
}

export type MetricKind = 'count' | 'rate' | 'nps' | 'average';

export interface Metric {
  /** responses, invitations, response_rate, nps, csat, or avg:<question id>. */
  metric: string;
  kind: MetricKind;
  current: number | null;
  previous: number | null;
  /** Counts: relative (0.25 = 25% more); rates in points of a share; NPS in points; averages in score points. */
  change: number | null;
}

/** The figures of a period against the period before, metric by metric. */
export function compareFigures(s: Survey, current: Figures, previous: Figures): Metric[] {
  const m = (metric: string, kind: MetricKind, cur: number | null, prev: number | null): Metric => ({ metric, kind, current: cur, previous: prev, change: changeOf(kind, cur, prev) });
  return [
    m('responses', 'count', current.responses, previous.responses),
    m('invitations', 'count', current.invitations, previous.invitations),
    m('response_rate', 'rate', current.responseRate, previous.responseRate),
    m('nps', 'nps', current.nps, previous.nps),
    m('csat', 'rate', current.csat, previous.csat),
    ...s.questions.filter((q) => q.kind !== 'text').map((q) => m(`avg:${q.id}`, 'average', current.averages[q.id] ?? null, previous.averages[q.id] ?? null)),
  ];
}

function changeOf(kind: MetricKind, cur: number | null, prev: number | null): number | null {
  if (cur === null || prev === null) return null;
  if (kind !== 'count') return cur - prev;
  return prev === 0 ? null : (cur - prev) / prev;
}

// ---------------------------------------------------------------------------------------------
// Periods

export interface PeriodSpan {
  /** 2026-11, 2026-Q4, 2026. */
  label: string;
  /** The first day and the day after the last (YYYY-MM-DD). */
  start: string;
  end: string;
}

const MONTHS: Record<Period, number> = { month: 1, quarter: 3, year: 12 };

/** The calendar month, quarter or year a day falls in. */
export function periodOf(day: string, period: Period): PeriodSpan {
  const start = periodStart(day, period);
  const [y, m] = start.split('-') as [string, string];
  const label = period === 'year' ? y : period === 'quarter' ? `${y}-Q${(Number(m) - 1) / 3 + 1}` : `${y}-${m}`;
  return { label, start, end: addMonths(start, MONTHS[period]) };
}

/** The period before. */
export function previousPeriod(p: PeriodSpan, period: Period): PeriodSpan {
  return periodOf(addMonths(p.start, -MONTHS[period]), period);
}

/** Every period from the one `first` falls in to the one `last` falls in, oldest first. */
export function periodsBetween(first: string, last: string, period: Period): PeriodSpan[] {
  const out: PeriodSpan[] = [];
  for (let p = periodOf(first, period); p.start <= last; p = periodOf(p.end, period)) out.push(p);
  return out;
}
