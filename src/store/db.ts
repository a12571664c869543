// Opening the database: one SQLite file in WAL mode with a busy timeout and foreign keys on,
// brought to the current schema by the numbered migrations in ./migrations on every open. Every
// write transaction starts here (transaction, beginWrite): one writer at a time, and a writer that
// finds the lock taken waits for it, says so after a second, and names who it waits for when that
// is a crm that left a note (`<db>.writing`: an import, which holds the lock for its whole run).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CrmError, failure, systemError } from '../errors.js';

export type Db = Database.Database;

/** "CRM1": marks a SQLite file as a crm database. */
export const APPLICATION_ID = 0x43524d31;
/**
 * The schema's version: the count of migrations in ./migrations (NNN-name.ts, append only, listed in
 * ./migrations/index.ts; tests/store/migrations.test.ts checks the three agree). Adding a migration
 * adds one here.
 */
export const SCHEMA_VERSION = 14;
const BUSY_TIMEOUT_MS = 5000;

/** Who holds the write lock, as its note says: a crm process (alive) and what it is doing. */
export interface WriteHolder {
  pid: number;
  what: string;
}

export interface OpenOptions {
  /** Said once when a write has waited about a second for the lock (holder null: no crm left a note). */
  onWait?: (holder: WriteHolder | null) => void;
}

const opened = new WeakMap<Db, { file: string; onWait?: OpenOptions['onWait'] }>();

/**
 * Opens (creating when missing) a crm database. A new file is readable by its owner only (0600) and
 * a folder made for it too (0700), whether the path came from --db, CRM_DB or the default: a
 * customer book holds phone numbers and addresses.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  let db: Db;
  try {
    if (file !== ':memory:' && !fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
      fs.closeSync(fs.openSync(file, 'a', 0o600));
    }
    db = new Database(file);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } catch (e) {
    throw systemError(e, file) ?? failure('err.db.open', { path: file, reason: (e as Error).message });
  }
  opened.set(db, { file, onWait: options.onWait });
  try {
    // Refuse a newer or a foreign file before anything is written to it (WAL mode is a write). A
    // file in use is in WAL mode and at the current schema already: this one read is all its open reads.
    const { version, journal } = whenNotBusy(() => checkIdentity(db, file));
    // Switching a new file to WAL takes an exclusive lock, for which SQLite does not wait.
    if (journal !== 'wal') whenNotBusy(() => db.pragma('journal_mode = WAL'));
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -65536'); // 64 MiB of page cache: bulk writes touch many index pages
    if (version < SCHEMA_VERSION) whenNotBusy(() => migrate(db, file));
    // `crm config set durability full`: every commit is synced to the disk, not only at checkpoints.
    if (db.prepare("SELECT value FROM settings WHERE key = 'durability'").pluck().get() === 'full') db.pragma('synchronous = FULL');
  } catch (e) {
    db.close();
    if (e instanceof CrmError) throw e;
    throw systemError(e, file) ?? failure('err.db.open', { path: file, reason: (e as Error).message });
  }
  return db;
}

/**
 * Runs fn again while another crm holds a lock that SQLite returns at once instead of waiting
 * (opening a brand-new file while another process sets it up), for up to the busy timeout.
 */
function whenNotBusy<T>(fn: () => T): T {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; ; waited += 20) {
    try {
      return fn();
    } catch (e) {
      if (!String((e as { code?: string }).code).startsWith('SQLITE_BUSY') || waited >= BUSY_TIMEOUT_MS) throw e;
      Atomics.wait(pause, 0, 0, 20);
    }
  }
}

/** The file's schema version and journal mode, once it is known to be a crm database this crm can read. */
function checkIdentity(db: Db, file: string): { version: number; journal: string } {
  // One statement, so one snapshot: another crm may finish creating the schema between two reads.
  const { version, appId, tables, journal } = db
    .prepare(
      `SELECT (SELECT user_version FROM pragma_user_version) AS version, (SELECT application_id FROM pragma_application_id) AS appId,
         (SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%') AS tables, (SELECT journal_mode FROM pragma_journal_mode) AS journal`,
    )
    .get() as { version: number; appId: number; tables: number; journal: string };
  if (version > SCHEMA_VERSION) throw failure('err.db.newer', { path: file, version, known: SCHEMA_VERSION }, { id: 'hint.db.newer' });
  if (version === 0 ? tables > 0 : appId !== APPLICATION_ID) throw failure('err.db.foreign', { path: file });
  return { version, journal };
}

/** Brings the schema up to date in one write transaction; two crm starting on a new file at once do it once. */
function migrate(db: Db, file: string): void {
  transaction(db, () => {
    const { version } = checkIdentity(db, file); // again, under the write lock
    for (const sql of migrationsAfter(version)) db.exec(sql);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
}

/** The file a connection has open, or null for an in-memory one. */
export function databaseFile(db: Db): string | null {
  const file = opened.get(db)?.file ?? null;
  return file === ':memory:' ? null : file;
}

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
/** A migration module's one statement: a template literal with no escape and no substitution in it. */
const MIGRATION_SQL = /^export const sql = `((?:[^`\\$]|\$(?!\{))*)`;\r?$/m;

/**
 * The SQL of the migrations after `version`, read from their modules' text: an open is synchronous,
 * and importing all 14 modules (./migrations/index.ts) cost ~6 ms of every start, though only a file
 * behind the schema needs any. The compiled modules (dist) and the sources (tests) read alike;
 * tests/store/migrations.test.ts checks that each reads as its module exports.
 */
export function migrationsAfter(version: number): string[] {
  if (version >= SCHEMA_VERSION) return [];
  const files = fs.readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}-.*\.[jt]s$/.test(f));
  const out: string[] = [];
  for (let v = version + 1; v <= SCHEMA_VERSION; v++) {
    const named = files.filter((f) => Number(f.slice(0, 3)) === v);
    const text = named.length === 1 ? fs.readFileSync(new URL(named[0]!, MIGRATIONS_DIR), 'utf8') : '';
    const sql = MIGRATION_SQL.exec(text)?.[1];
    if (sql === undefined) throw new Error(`migration ${v}: not one module with a plain \`export const sql\` in ${fileURLToPath(MIGRATIONS_DIR)}`);
    out.push(sql);
  }
  return out;
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement, compiled once per connection. */
export function stmt(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let s = cache.get(sql);
  if (!s) cache.set(sql, (s = db.prepare(sql)));
  return s;
}

/** How long a write waits in silence before it says it is waiting. */
const SAY_WAITING_AFTER_MS = 1000;
/** How often a waiting write looks again at who holds the lock. */
const LOOK_AGAIN_MS = 250;
/**
 * How long a write waits for a lock whose holder left no note (a sqlite3 shell, a database viewer,
 * a crm's own short write): a crm that left one (an import) is waited for as long as it lives.
 */
const UNKNOWN_HOLDER_WAIT_MS = 60_000;

/** The note a long writer leaves beside the database while it holds the write lock. */
function notePath(file: string): string {
  return `${file}.writing`;
}

function isBusy(e: unknown): boolean {
  return String((e as { code?: string }).code).startsWith('SQLITE_BUSY');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, but another user's
  }
}

/** The crm named by the lock note, if there is one and it still runs (a note left by a killed crm is ignored). */
function liveHolder(file: string): WriteHolder | null {
  try {
    const note = JSON.parse(fs.readFileSync(notePath(file), 'utf8')) as Partial<WriteHolder>;
    if (typeof note.pid !== 'number' || note.pid === process.pid || !alive(note.pid)) return null;
    return { pid: note.pid, what: String(note.what ?? '') };
  } catch {
    return null;
  }
}

function setBusyTimeout(db: Db, ms: number): void {
  stmt(db, `PRAGMA busy_timeout = ${ms}`).get();
}

/**
 * BEGIN IMMEDIATE, waiting for the write lock however long a living crm that left a note holds
 * it; said once (onWait) after about a second; given up after UNKNOWN_HOLDER_WAIT_MS of a holder
 * nobody named.
 */
function begin(db: Db): void {
  const state = opened.get(db);
  try {
    setBusyTimeout(db, SAY_WAITING_AFTER_MS);
    try {
      db.exec('BEGIN IMMEDIATE');
      return;
    } catch (e) {
      if (!isBusy(e) || !state) throw e;
    }
    let said = false;
    let lastNamed = Date.now();
    setBusyTimeout(db, LOOK_AGAIN_MS);
    for (;;) {
      const holder = liveHolder(state.file);
      if (holder) lastNamed = Date.now();
      else if (Date.now() - lastNamed > UNKNOWN_HOLDER_WAIT_MS) throw failure('err.db.busy', { path: state.file }, { id: 'hint.db.busy' });
      if (!said) state.onWait?.(holder);
      said = true;
      try {
        db.exec('BEGIN IMMEDIATE');
        return;
      } catch (e) {
        if (!isBusy(e)) throw e;
      }
    }
  } finally {
    setBusyTimeout(db, BUSY_TIMEOUT_MS);
  }
}

/**
 * A write transaction held across asynchronous work (an import streaming a file): begin, then
 * commit or roll back. If the process dies before commit, SQLite rolls it back on the next open.
 * While it holds the lock a note beside the database (`<db>.writing`: pid and `what`) tells other
 * writers whom they wait for, and that they should wait as long as this process lives.
 */
export function beginWrite(db: Db, what = 'import', opts: { foreignKeys?: boolean } = {}): { commit(): void; rollback(): void } {
  // Foreign keys can be switched only outside a transaction: off for a load whose writer checks
  // them itself (OrderLoad: every order's customer is one the book has), on again after.
  const keysOff = opts.foreignKeys === false;
  if (keysOff) db.pragma('foreign_keys = OFF');
  const keysOn = () => {
    if (keysOff && !db.inTransaction) db.pragma('foreign_keys = ON');
  };
  try {
    begin(db);
  } catch (e) {
    keysOn();
    throw e;
  }
  const file = opened.get(db)?.file;
  const note = file && file !== ':memory:' ? notePath(file) : null;
  if (note) {
    try {
      fs.writeFileSync(note, JSON.stringify({ pid: process.pid, what }), { mode: 0o600 });
    } catch {
      // Without a note (a folder crm may not write) others still wait, only not by name.
    }
  }
  // The note goes while the lock is still held: a note removed after would be the next writer's.
  // A process stopped by a signal (crm exits at once then) takes it along; one killed outright
  // leaves it, and it is ignored, its process being gone.
  const dropNote = () => {
    if (!note) return;
    process.off('exit', dropNote);
    fs.rmSync(note, { force: true });
  };
  if (note) process.on('exit', dropNote);
  return {
    commit: () => {
      dropNote();
      db.exec('COMMIT');
      keysOn();
    },
    rollback: () => {
      dropNote();
      if (db.inTransaction) db.exec('ROLLBACK');
      keysOn();
    },
  };
}

/**
 * For a bulk load inside a write transaction: drops these secondary indexes and returns the function
 * that builds them again (from their own stored definitions). Building an index once over sorted
 * keys is far cheaper than keeping it current through a million random inserts (1M customers:
 * 15.0 s with the indexes kept, 7.6 s built after). If the transaction rolls back, so does this.
 */
export function deferIndexes(db: Db, names: readonly string[], opts: { appendOnly?: boolean } = {}): () => void {
  const defs = db
    .prepare(`SELECT sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND name IN (SELECT value FROM json_each(?))`)
    .pluck()
    .all(JSON.stringify(names)) as string[];
  for (const name of names) db.exec(`DROP INDEX IF EXISTS "${name}"`);
  // A load that only appends (every index left is written in key order) needs little cache: a
  // million-customer import is as fast with 16 MiB as with 64, and holds 48 MB less. (The demo's
  // order numbers land all over their unique index, and it runs 10% slower with 16 MiB.)
  const cache = db.pragma('cache_size', { simple: true }) as number;
  if (opts.appendOnly) db.pragma('cache_size = -16384');
  return () => {
    // SQLite sorts an index's keys in runs the size of the page cache: runs of 2 MiB build large
    // indexes in about half the time runs of 64 MiB do (10M orders' customer and day: 6.9 s, against 13.7).
    db.pragma('cache_size = -2048');
    for (const sql of defs) db.exec(sql);
    db.pragma(`cache_size = ${cache}`);
  };
}

/** Indexes no bulk writer reads while it writes: listings, search by name prefix, filters. */
export const LISTING_INDEXES = ['customers_name', 'customers_city', 'customers_created_at', 'customer_tags_tag'] as const;
/** Indexes an import reads to match rows to customers (a demo does not). */
export const LOOKUP_INDEXES = ['customers_name_key', 'customers_email', 'customers_external_id', 'customer_phones_phone'] as const;

/**
 * Runs fn in one write transaction (BEGIN IMMEDIATE, waiting for another writer as begin does): all
 * of it is written, or none. Inside another transaction it is a savepoint of that one.
 */
export function transaction<T>(db: Db, fn: () => T): T {
  if (db.inTransaction) return db.transaction(fn)();
  begin(db);
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

/**
 * Appends rows to a table with multi-row INSERTs of `perStatement` rows: a million one-row
 * statements cost more in their own overhead than in SQLite's writing (1M rows: 2.3 s -> 0.6 s).
 * Use inside a transaction; `end` writes what is left.
 */
export function rowWriter(db: Db, table: string, columns: readonly string[], perStatement = 100): { add(...values: unknown[]): void; end(): void } {
  const sql = (rows: number) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(rows).fill(`(${columns.map(() => '?').join(', ')})`).join(', ')}`;
  const full = stmt(db, sql(perStatement));
  const params: unknown[] = [];
  return {
    add(...values) {
      params.push(...values);
      if (params.length === perStatement * columns.length) {
        full.run(params);
        params.length = 0;
      }
    },
    end() {
      if (params.length > 0) stmt(db, sql(params.length / columns.length)).run(params);
      params.length = 0;
    },
  };
}
