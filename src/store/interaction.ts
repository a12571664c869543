// All SQL about interactions (the follow-up record).
import type { Interaction, InteractionType } from '../core/interaction.js';
import { stmt, type Db } from './db.js';

export interface NewInteraction {
  customerId: number;
  type: InteractionType;
  note: string | null;
  at: string;
}

export interface InteractionRow extends Interaction {
  customerName: string;
}

const SELECT = `SELECT i.id, i.customer_id AS customerId, i.type, i.note, i.at, i.created_at AS createdAt, c.name AS customerName
  FROM interactions i JOIN customers c ON c.id = i.customer_id`;

export function insertInteraction(db: Db, i: NewInteraction, now: string): number {
  return Number(
    stmt(db, 'INSERT INTO interactions (customer_id, type, note, at, created_at) VALUES (?, ?, ?, ?, ?)').run(i.customerId, i.type, i.note, i.at, now)
      .lastInsertRowid,
  );
}

/** Whether the customer has this interaction already (the same type, time and note): an import seen again. */
export function interactionExists(db: Db, i: NewInteraction): boolean {
  return stmt(db, 'SELECT EXISTS (SELECT 1 FROM interactions WHERE customer_id = ? AND type = ? AND at = ? AND note IS ?)').pluck().get(i.customerId, i.type, i.at, i.note) === 1;
}

export function getInteraction(db: Db, id: number): InteractionRow | null {
  return (stmt(db, `${SELECT} WHERE i.id = ?`).get(id) as InteractionRow | undefined) ?? null;
}

export function deleteInteraction(db: Db, id: number): boolean {
  return stmt(db, 'DELETE FROM interactions WHERE id = ?').run(id).changes > 0;
}

export interface InteractionFilter {
  customerId?: number;
  type?: InteractionType;
  /** At or after this instant (UTC ISO). */
  since?: string;
  limit?: number | null;
}

/** Newest first. */
export function listInteractions(db: Db, f: InteractionFilter): InteractionRow[] {
  return [...iterateInteractions(db, f)];
}

/** Newest first, one row at a time (an export holds one row in memory). */
export function iterateInteractions(db: Db, f: InteractionFilter): IterableIterator<InteractionRow> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.customerId !== undefined) (where.push('i.customer_id = ?'), params.push(f.customerId));
  if (f.type) (where.push('i.type = ?'), params.push(f.type));
  if (f.since) (where.push('i.at >= ?'), params.push(f.since));
  const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY i.at DESC, i.id DESC LIMIT ?`;
  return db.prepare(sql).iterate(...params, f.limit ?? -1) as IterableIterator<InteractionRow>;
}

export function countInteractions(db: Db): number {
  return (stmt(db, 'SELECT count(*) AS n FROM interactions').get() as { n: number }).n;
}
