// All SQL of the duplicate matcher's model: the fitted models (newest first), and the pairs of known
// answer it learns from: merges made by hand or in review (from their before-images), and pairs
// marked as different people.
import type { MatchInput } from '../core/dedupe/index.js';
import type { MatchModel } from '../core/dedupe/model.js';
import { stmt, type Db } from './db.js';
import { toMatchInput, type ExtraFields, type MatchRow } from './dedupe.js';

export function saveModel(db: Db, model: MatchModel): number {
  return Number(stmt(db, 'INSERT INTO dedupe_models (trained_at, records, model) VALUES (?, ?, ?)').run(model.trainedAt, model.records, JSON.stringify(model)).lastInsertRowid);
}

/** The newest fitted model with its number (as stored: usableModel says whether this crm can use it), or null when none was fitted. */
export function latestModel(db: Db): { id: number; model: unknown } | null {
  const row = stmt(db, 'SELECT id, model FROM dedupe_models ORDER BY id DESC LIMIT 1').get() as { id: number; model: string } | undefined;
  if (!row) return null;
  try {
    return { id: row.id, model: JSON.parse(row.model) as unknown };
  } catch {
    return { id: row.id, model: null };
  }
}

interface ImageRow extends Record<string, unknown> {
  id: number;
}

/**
 * The pairs a person said were one customer: each merge made by hand or in review and not undone,
 * its survivor beside each record merged into it, as they were before the merge.
 */
export function mergedPairs(db: Db, wanted: ExtraFields): [MatchInput, MatchInput][] {
  const rows = stmt(db, "SELECT survivor_id, before FROM merges WHERE how <> 'auto' AND undone_at IS NULL ORDER BY id").all() as { survivor_id: number; before: string }[];
  const out: [MatchInput, MatchInput][] = [];
  for (const r of rows) {
    const before = JSON.parse(r.before) as { customers: ImageRow[]; phones: { customer_id: number; phone: string }[] };
    const inputs = new Map(
      before.customers.map((c) => {
        const row = {
          ...c,
          fields: typeof c.fields === 'string' ? c.fields : '{}',
          phones: before.phones.filter((p) => p.customer_id === c.id).map((p) => p.phone).join(' ') || null,
          tags: 0,
        } as unknown as MatchRow;
        return [c.id, toMatchInput(row, wanted)] as const;
      }),
    );
    const survivor = inputs.get(r.survivor_id);
    if (!survivor) continue;
    for (const [id, input] of inputs) if (id !== r.survivor_id) out.push([survivor, input]);
  }
  return out;
}

export function distinctCount(db: Db): number {
  return stmt(db, 'SELECT count(*) FROM distinct_pairs').pluck().get() as number;
}

export function customerCount(db: Db): number {
  return stmt(db, 'SELECT count(*) FROM customers').pluck().get() as number;
}
