// All SQL of `crm db copy`: a whole book from one store to the other (SQLite file <-> PostgreSQL
// database), table by table in the order their references need, in one transaction on each side
// (a read snapshot of the source, one write of the target), then verified: every table's rows
// counted and hashed on both sides, read back from the target after its commit.
//
// Both schemas store the same values (src/store/migrations-pg/014-schema.ts), so a row is read as
// the same JavaScript values from either (numbers, text, null) and hashed as the JSON of those, in
// primary-key order (text keys in byte order on both). The search index is not copied: it is built
// again on the target from the customers, as the target's store indexes them. The id counters
// (sqlite_sequence, the identity sequences) go along, so ids are never handed out twice.
import crypto from 'node:crypto';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { searchDocument, searchVector } from '../core/search.js';
import { fieldsOf } from '../core/fields.js';
import { beginWrite, type Db } from './db.js';
import type { Pg } from './postgres.js';

export type Store = { kind: 'sqlite'; db: Db } | { kind: 'pg'; client: Pg };

/** The copied tables, each after the ones it refers to, with the columns that order its rows. */
export const COPIED: readonly { table: string; key: readonly string[]; id?: boolean }[] = [
  { table: 'settings', key: ['key'] },
  { table: 'customers', key: ['id'], id: true },
  { table: 'customer_phones', key: ['customer_id', 'phone'] },
  { table: 'customer_tags', key: ['customer_id', 'tag'] },
  { table: 'orders', key: ['id'], id: true },
  { table: 'interactions', key: ['id'], id: true },
  { table: 'merges', key: ['id'], id: true },
  { table: 'distinct_pairs', key: ['a', 'b'] },
  { table: 'tier_changes', key: ['id'], id: true },
  { table: 'customer_rfm', key: ['customer_id'] },
  { table: 'customer_clv', key: ['customer_id'] },
  { table: 'templates', key: ['name', 'lang'] },
  { table: 'reminders', key: ['id'], id: true },
  { table: 'occurrences', key: ['id'], id: true },
  { table: 'holidays', key: ['day'] },
  { table: 'complaints', key: ['id'], id: true },
  { table: 'coupons', key: ['code'] },
  { table: 'refunds', key: ['id'], id: true },
  { table: 'complaint_events', key: ['id'], id: true },
  { table: 'survey_responses', key: ['id'], id: true },
  { table: 'survey_answers', key: ['response_id', 'question'] },
  { table: 'import_runs', key: ['id'], id: true },
  { table: 'import_created', key: ['run_id', 'tbl', 'first_id'] },
  { table: 'import_changes', key: ['run_id', 'customer_id'] },
  { table: 'dedupe_models', key: ['id'], id: true },
];

const BATCH = 5000;

/** A table's columns, in the order of its definition. */
async function columnsOf(s: Store, table: string): Promise<string[]> {
  if (s.kind === 'sqlite') return (s.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
  const r = await s.client.query('SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position', [table]);
  return r.rows.map((c: { column_name: string }) => c.column_name);
}

/** The rows of a table in key order, a batch at a time, as arrays of values in `columns`' order. */
async function* rowsOf(s: Store, table: string, columns: readonly string[], key: readonly string[]): AsyncGenerator<unknown[][]> {
  if (s.kind === 'sqlite') {
    // Text keys in byte order: a tag's column compares without case (COLLATE NOCASE), PostgreSQL's in bytes.
    const text = new Set((s.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; type: string }[]).filter((c) => c.type === 'TEXT').map((c) => c.name));
    const order = key.map((k) => (text.has(k) ? `${k} COLLATE BINARY` : k)).join(', ');
    const it = s.db.prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${order}`).raw().iterate() as IterableIterator<unknown[]>;
    let batch: unknown[][] = [];
    for (const row of it) {
      batch.push(row);
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    return;
  }
  // Text keys in byte order (COLLATE "C"), as SQLite orders them; a cursor, so memory stays flat.
  const textKeys = new Set((await s.client.query("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND data_type = 'text'", [table])).rows.map((r: { column_name: string }) => r.column_name));
  const order = key.map((k) => (textKeys.has(k) ? `${k} COLLATE "C"` : k)).join(', ');
  const cursor = `crm_copy_${table}`;
  await s.client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${order}`);
  try {
    for (;;) {
      const r = await s.client.query({ text: `FETCH ${BATCH} FROM ${cursor}`, rowMode: 'array' });
      if (r.rows.length === 0) break;
      yield r.rows as unknown[][];
    }
  } finally {
    await s.client.query(`CLOSE ${cursor}`);
  }
}

/** A value in COPY's text format. */
function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (Buffer.isBuffer(v)) return `\\\\x${v.toString('hex')}`;
  return String(v).replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

/** Appends rows to a table of the target. */
async function writeRows(s: Store, table: string, columns: readonly string[], batches: AsyncIterable<unknown[][]>, onBatch: (rows: unknown[][]) => void): Promise<void> {
  if (s.kind === 'sqlite') {
    const one = `(${columns.map(() => '?').join(', ')})`;
    const statements = new Map<number, ReturnType<Db['prepare']>>();
    const insert = (n: number) => {
      let st = statements.get(n);
      if (!st) statements.set(n, (st = s.db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(n).fill(one).join(', ')}`)));
      return st;
    };
    const per = Math.max(1, Math.floor(900 / columns.length));
    for await (const rows of batches) {
      onBatch(rows);
      for (let i = 0; i < rows.length; i += per) {
        const chunk = rows.slice(i, i + per);
        insert(chunk.length).run(chunk.flat());
      }
    }
    return;
  }
  // COPY: PostgreSQL's bulk load, the rows streamed as text.
  const stream = s.client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  async function* text() {
    for await (const rows of batches) {
      onBatch(rows);
      yield rows.map((r) => r.map(copyField).join('\t')).join('\n') + '\n';
    }
  }
  await pipeline(Readable.from(text()), stream);
}

export interface TableCheck {
  table: string;
  source: number;
  target: number;
  /** The first 16 hex digits of the SHA-256 of the table's rows in key order. */
  sourceSum: string;
  targetSum: string;
}

function hasher() {
  const h = crypto.createHash('sha256');
  let rows = 0;
  return {
    add(batch: unknown[][]) {
      for (const r of batch) h.update(`${JSON.stringify(r)}\n`);
      rows += batch.length;
    },
    done: () => ({ rows, sum: h.digest('hex').slice(0, 16) }),
  };
}

/** Every table of a store counted and hashed (in key order). */
export async function checksums(s: Store): Promise<Map<string, { rows: number; sum: string }>> {
  const out = new Map<string, { rows: number; sum: string }>();
  await inReadSnapshot(s, async () => {
    for (const t of COPIED) {
      const h = hasher();
      for await (const b of rowsOf(s, t.table, await columnsOf(s, t.table), t.key)) h.add(b);
      out.set(t.table, h.done());
    }
  });
  return out;
}

async function inReadSnapshot<T>(s: Store, fn: () => Promise<T>): Promise<T> {
  if (s.kind === 'sqlite') {
    // A read transaction: the whole copy sees one state of the file, whoever writes meanwhile.
    s.db.exec('BEGIN');
    try {
      s.db.prepare('SELECT 1 FROM settings LIMIT 1').get();
      return await fn();
    } finally {
      s.db.exec('COMMIT');
    }
  }
  await s.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    return await fn();
  } finally {
    await s.client.query('COMMIT');
  }
}

/** The tables of the target that hold rows (it must hold none). */
export async function nonEmptyTables(s: Store): Promise<string[]> {
  const out: string[] = [];
  for (const t of COPIED) {
    const n = s.kind === 'sqlite' ? (s.db.prepare(`SELECT count(*) FROM ${t.table}`).pluck().get() as number) : Number((await s.client.query(`SELECT count(*) AS n FROM ${t.table}`)).rows[0].n);
    if (n > 0) out.push(t.table);
  }
  return out;
}

/** The id counters: the highest id each table has handed out. */
async function counters(s: Store): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const t of COPIED.filter((x) => x.id)) {
    if (s.kind === 'sqlite') {
      const seq = s.db.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').pluck().get(t.table) as number | undefined;
      if (seq) out.set(t.table, seq);
    } else {
      const r = await s.client.query(`SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM ${(await s.client.query('SELECT pg_get_serial_sequence($1, $2) AS s', [t.table, 'id'])).rows[0].s}`);
      const n = Number(r.rows[0].n);
      if (n > 0) out.set(t.table, n);
    }
  }
  return out;
}

async function setCounters(s: Store, values: Map<string, number>): Promise<void> {
  for (const [table, n] of values) {
    if (s.kind === 'sqlite') {
      const had = s.db.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').pluck().get(table) as number | undefined;
      if (had === undefined) s.db.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(table, n);
      else if (had < n) s.db.prepare('UPDATE sqlite_sequence SET seq = ? WHERE name = ?').run(n, table);
    } else {
      await s.client.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), greatest($2::bigint, (SELECT coalesce(max(id), 0) FROM ${table})))`, [table, n]);
    }
  }
}

/** The search index of every customer, built on the target from its own rows, a page of customers at a time. */
async function buildSearch(s: Store): Promise<void> {
  type Row = [number, string, string | null, string | null, string | null, string];
  const query = async <T>(sql: string, params: unknown[]): Promise<T[]> => {
    if (s.kind === 'sqlite') return s.db.prepare(sql).raw().all(...params) as T[];
    let k = 0;
    return (await s.client.query({ text: sql.replace(/\?/g, () => `$${++k}`), values: params, rowMode: 'array' })).rows as T[];
  };
  const grouped = (rows: [number, string][]) => {
    const m = new Map<number, string[]>();
    for (const [id, v] of rows) {
      const l = m.get(id);
      if (l) l.push(v);
      else m.set(id, [v]);
    }
    return m;
  };
  // Pages by id (the same connection writes the index between them: SQLite cannot while a query is
  // open), each with its customers' phones and tags: memory stays flat at any size.
  const docs = async function* () {
    for (let after = 0; ; ) {
      const page = await query<Row>('SELECT id, name, email, external_id, note, fields FROM customers WHERE id > ? ORDER BY id LIMIT 5000', [after]);
      if (page.length === 0) return;
      const [lo, hi] = [page[0]![0], page[page.length - 1]![0]];
      after = hi;
      const phones = grouped(await query<[number, string]>('SELECT customer_id, phone FROM customer_phones WHERE customer_id BETWEEN ? AND ? ORDER BY customer_id, position', [lo, hi]));
      const tags = grouped(await query<[number, string]>('SELECT customer_id, tag FROM customer_tags WHERE customer_id BETWEEN ? AND ? ORDER BY customer_id, tag', [lo, hi]));
      yield page.map(([id, name, email, externalId, note, fields]) => {
        const d = searchDocument({ name, email, externalId, note, phones: (phones.get(id) ?? []).map((e164) => ({ e164, raw: null })), tags: tags.get(id) ?? [], fields: fieldsOf(JSON.parse(fields) as Record<string, string>) });
        return [id, d.name, d.contact, d.body, searchVector(d)];
      });
    }
  };
  if (s.kind === 'sqlite') {
    const add = s.db.prepare('INSERT INTO customer_search (rowid, name, contact, body) VALUES (?, ?, ?, ?)');
    for await (const b of docs()) for (const r of b) add.run(r[0], r[1], r[2], r[3]);
    return;
  }
  for await (const b of docs()) {
    await s.client.query('INSERT INTO customer_search (customer_id, doc) SELECT id, v::tsvector FROM unnest($1::bigint[], $2::text[]) AS t (id, v)', [b.map((r) => r[0]), b.map((r) => r[4])]);
  }
}

/**
 * Copies every table of `from` into `to` (whose tables must be empty), in one write transaction
 * of the target; then reads both back and compares them.
 */
export async function copyBook(from: Store, to: Store): Promise<TableCheck[]> {
  const sourceSums = new Map<string, { rows: number; sum: string }>();
  let ids = new Map<string, number>();
  const write = to.kind === 'sqlite' ? beginWrite(to.db, 'db copy') : null;
  let orderTriggers: string[] = [];
  try {
    if (to.kind === 'pg') {
      await to.client.query('BEGIN');
      // The order totals come with the customers: the triggers would count every order again.
      await to.client.query('ALTER TABLE orders DISABLE TRIGGER USER');
    } else {
      orderTriggers = (to.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'orders'").pluck().all() as string[]);
      for (const name of to.db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'orders'").pluck().all() as string[]) to.db.exec(`DROP TRIGGER ${name}`);
    }
    await inReadSnapshot(from, async () => {
      for (const t of COPIED) {
        const columns = await columnsOf(from, t.table);
        const theirs = new Set(await columnsOf(to, t.table));
        const missing = columns.filter((c) => !theirs.has(c));
        if (missing.length > 0) throw new Error(`the target's ${t.table} has no column ${missing.join(', ')}`);
        const h = hasher();
        await writeRows(to, t.table, columns, rowsOf(from, t.table, columns, t.key), (rows) => h.add(rows));
        sourceSums.set(t.table, h.done());
      }
      ids = await counters(from);
    });
    await setCounters(to, ids);
    await buildSearch(to);
    if (to.kind === 'pg') {
      await to.client.query('ALTER TABLE orders ENABLE TRIGGER USER');
      await to.client.query('COMMIT');
    } else {
      for (const sql of orderTriggers) to.db.exec(sql);
      write!.commit();
    }
  } catch (e) {
    if (to.kind === 'pg') await to.client.query('ROLLBACK').catch(() => {});
    else write!.rollback();
    throw e;
  }
  const targetSums = await checksums(to);
  return COPIED.map(({ table }) => {
    const s = sourceSums.get(table)!;
    const t = targetSums.get(table)!;
    return { table, source: s.rows, target: t.rows, sourceSum: s.sum, targetSum: t.sum };
  });
}
