// The SQLite work of backups and restores. A copy is made with SQLite's backup API in one step:
// one read snapshot of the book, taken while others go on reading and writing it (in WAL mode a
// reader neither waits for writers nor stops them). A copy is then made one self-contained file (no
// -wal beside it) and checked: it opens as SQLite, `PRAGMA integrity_check` says ok, it carries
// crm's application id and a schema version this crm knows. A restore writes a checked copy into
// the live book with the same API, as one write transaction: other connections see the old book or
// the new one, SQLite keeps the book's -wal and -shm consistent, and a restore killed halfway
// leaves the old book. Before that, an exclusive lock proves that no other crm has the book open
// (in WAL mode every open connection holds a shared lock on the file for as long as it is open).
import Database from 'better-sqlite3';
import { APPLICATION_ID, SCHEMA_VERSION, type Db } from './db.js';

/** Pages per backup step: all of them, so that the copy is one snapshot and never restarts. */
const ALL_PAGES = 0x7fffffff;

/** Why a file is not a book crm can restore. */
export type CopyFault = { kind: 'notSqlite' } | { kind: 'damaged'; reason: string } | { kind: 'foreign' } | { kind: 'newer'; version: number };

export type CopyCheck = { ok: true; customers: number } | { ok: false; fault: CopyFault };

/** SQLite's error code of a failure (SQLITE_BUSY, SQLITE_NOTADB…), if it is one. */
export function sqliteCode(e: unknown): string {
  return String((e as { code?: unknown }).code ?? '');
}

/**
 * Copies a database into `file`: a new backup (an empty file that exists, so that its mode is the
 * caller's), or the book a restore replaces.
 * False when the destination was busy and nothing was copied (better-sqlite3 then reports a
 * finished copy of no pages); throws on every other failure.
 */
export async function copyPages(source: Db, file: string): Promise<boolean> {
  const done = await source.backup(file, { progress: () => ALL_PAGES });
  return done.totalPages > 0;
}

/** Opens a file read-only to copy it into another (a restore's staged copy into the book). */
export function openSource(file: string): Db {
  return new Database(file, { readonly: true, fileMustExist: true });
}

/**
 * Checks a copy of crm's own making (it may be changed: its journal becomes a rollback journal, so it
 * is one file) and counts its customers.
 */
export function checkCopy(file: string): CopyCheck {
  let db: Db;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch {
    return { ok: false, fault: { kind: 'notSqlite' } };
  }
  try {
    db.pragma('journal_mode = DELETE');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) return { ok: false, fault: { kind: 'newer', version } };
    if (db.pragma('application_id', { simple: true }) !== APPLICATION_ID) return { ok: false, fault: { kind: 'foreign' } };
    const problems = db.pragma('integrity_check(3)', { simple: false }) as { integrity_check: string }[];
    if (problems.length !== 1 || problems[0]!.integrity_check !== 'ok') return { ok: false, fault: { kind: 'damaged', reason: problems.map((p) => p.integrity_check.replace(/\s*\n\s*/g, '; ')).join('; ') } };
    return { ok: true, customers: db.prepare('SELECT count(*) FROM customers').pluck().get() as number };
  } catch (e) {
    if (sqliteCode(e) === 'SQLITE_NOTADB') return { ok: false, fault: { kind: 'notSqlite' } };
    return { ok: false, fault: { kind: 'damaged', reason: (e as Error).message } };
  } finally {
    db.close();
  }
}

/** Makes a copy one self-contained file (a rollback journal, no -wal), whatever it holds. */
export function detachCopy(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

export interface BookLock {
  /** The connection holding the lock: copy the book aside through it. */
  db: Db;
  release(): void;
}

/**
 * Takes the book for this process alone, for a moment: `busy` when another connection has it open
 * (waiting up to `waitMs` for one that is closing), `unreadable` when it is not a SQLite file at all.
 */
export function lockBook(file: string, waitMs: number): BookLock | 'busy' | 'unreadable' {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${waitMs}`);
    db.pragma('locking_mode = EXCLUSIVE');
    // In exclusive locking mode the lock outlives the transaction, until the connection closes.
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (e) {
    db.close();
    const code = sqliteCode(e);
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return 'unreadable';
    throw e;
  }
  return { db, release: () => db.close() };
}
