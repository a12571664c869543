// All SQL of satisfaction surveys: the shop's questionnaire file (settings entry survey_file),
// responses and their answers, the invitation a response answers (the latest survey occurrence
// sent to the customer), and what the figures of a period read: the responses answered in it and
// the invitations sent in it, with each customer's member level and RFM segment.
import type { Answer } from '../core/survey.js';
import { stmt, type Db } from './db.js';
import { readSetting, writeSetting } from './settings.js';

const FILE_KEY = 'survey_file';

/** The questionnaire file the shop uses (crm survey use), or undefined for the built-in one. */
export function surveyFile(db: Db): string | undefined {
  return readSetting(db, FILE_KEY);
}

export function setSurveyFile(db: Db, file: string): void {
  writeSetting(db, FILE_KEY, file);
}

export interface NewResponse {
  customerId: number;
  survey: string;
  answeredAt: string;
  source: string;
  occurrenceId: number | null;
}

/** Saves one response and its answers (the caller holds the transaction); returns its id. */
export function insertResponse(db: Db, r: NewResponse, answers: readonly Answer[]): number {
  const id = Number(
    stmt(db, 'INSERT INTO survey_responses (customer_id, survey, answered_at, source, occurrence_id) VALUES (?, ?, ?, ?, ?)').run(r.customerId, r.survey, r.answeredAt, r.source, r.occurrenceId)
      .lastInsertRowid,
  );
  const add = stmt(db, 'INSERT INTO survey_answers (response_id, question, score, text) VALUES (?, ?, ?, ?)');
  for (const a of answers) add.run(id, a.question, a.score, a.text);
  return id;
}

/** Whether the customer has a response answered at this instant (an import read twice). */
export function responseExists(db: Db, customerId: number, answeredAt: string): boolean {
  return stmt(db, 'SELECT 1 FROM survey_responses WHERE customer_id = ? AND answered_at = ?').get(customerId, answeredAt) !== undefined;
}

/** The latest survey invitation sent to a customer (an occurrence of the rule survey), or null. */
export function latestInvitation(db: Db, customerId: number, before: string): number | null {
  return (
    (stmt(db, "SELECT id FROM occurrences WHERE rule = 'survey' AND customer_id = ? AND status = 'sent' AND sent_at <= ? ORDER BY sent_at DESC, id DESC LIMIT 1").pluck().get(customerId, before) as
      | number
      | undefined) ?? null
  );
}

export type GroupBy = 'tier' | 'segment' | null;

const GROUP: Record<'tier' | 'segment', string> = { tier: 'c.tier', segment: '(SELECT s.segment FROM customer_rfm s WHERE s.customer_id = c.id)' };

export interface ScoredResponse {
  id: number;
  group: string | null;
  scores: Record<string, number>;
}

/** Responses answered in [from, to) (UTC instants) with their scores by question, and the customer's group now. */
export function responsesBetween(db: Db, from: string, to: string, by: GroupBy): ScoredResponse[] {
  const group = by ? GROUP[by] : 'NULL';
  const rows = db
    .prepare(`SELECT r.id, ${group} AS grp, a.question, a.score FROM survey_responses r JOIN customers c ON c.id = r.customer_id
      LEFT JOIN survey_answers a ON a.response_id = r.id AND a.score IS NOT NULL
      WHERE r.answered_at >= ? AND r.answered_at < ? ORDER BY r.id`)
    .all(from, to) as { id: number; grp: string | null; question: string | null; score: number | null }[];
  const out = new Map<number, ScoredResponse>();
  for (const row of rows) {
    let r = out.get(row.id);
    if (!r) out.set(row.id, (r = { id: row.id, group: row.grp, scores: {} }));
    if (row.question !== null && row.score !== null) r.scores[row.question] = row.score;
  }
  return [...out.values()];
}

/** Survey invitations sent in [from, to) (UTC instants), counted by the customer's group now. */
export function invitationsBetween(db: Db, from: string, to: string, by: GroupBy): Map<string | null, number> {
  const group = by ? GROUP[by] : 'NULL';
  const rows = db
    .prepare(`SELECT ${group} AS grp, count(*) AS n FROM occurrences o JOIN customers c ON c.id = o.customer_id
      WHERE o.rule = 'survey' AND o.status = 'sent' AND o.sent_at >= ? AND o.sent_at < ? GROUP BY grp`)
    .all(from, to) as { grp: string | null; n: number }[];
  return new Map(rows.map((r) => [r.grp, r.n]));
}

export interface ResponseRow {
  id: number;
  customerId: number;
  customerName: string;
  survey: string;
  answeredAt: string;
  source: string;
  occurrenceId: number | null;
  answers: Record<string, { score: number | null; text: string | null }>;
}

/** Responses, newest first: all, one customer's, or one by its id. */
export function listResponses(db: Db, f: { customerId?: number; responseId?: number; limit?: number | null }): ResponseRow[] {
  const where = f.customerId !== undefined ? 'WHERE r.customer_id = ?' : f.responseId !== undefined ? 'WHERE r.id = ?' : '';
  const params: unknown[] = f.customerId !== undefined ? [f.customerId] : f.responseId !== undefined ? [f.responseId] : [];
  const rows = db
    .prepare(`SELECT r.id, r.customer_id AS customerId, c.name AS customerName, r.survey, r.answered_at AS answeredAt, r.source, r.occurrence_id AS occurrenceId
      FROM survey_responses r JOIN customers c ON c.id = r.customer_id ${where} ORDER BY r.answered_at DESC, r.id DESC LIMIT ?`)
    .all(...params, f.limit ?? -1) as Omit<ResponseRow, 'answers'>[];
  const answers = stmt(db, 'SELECT question, score, text FROM survey_answers WHERE response_id = ?');
  return rows.map((r) => ({
    ...r,
    answers: Object.fromEntries((answers.all(r.id) as { question: string; score: number | null; text: string | null }[]).map((a) => [a.question, { score: a.score, text: a.text }])),
  }));
}

export function countResponses(db: Db, customerId?: number): number {
  return customerId === undefined
    ? (stmt(db, 'SELECT count(*) FROM survey_responses').pluck().get() as number)
    : (stmt(db, 'SELECT count(*) FROM survey_responses WHERE customer_id = ?').pluck().get(customerId) as number);
}
