// The book on a PostgreSQL server as `crm db` uses it: making a database a crm book, and copying a
// whole book between a file and a server with its check. The SQL is in src/store/postgres.ts and
// src/store/copy.ts.
import fs from 'node:fs';
import path from 'node:path';
import { badInput, failure } from '../errors.js';
import type { Store, TableCheck } from '../store/copy.js';

/** Makes a PostgreSQL database a crm book (see initPg); what it found, and the URL to show. */
export async function initServerBook(url: string): Promise<{ created: boolean; version: number; shown: string }> {
  const { connectPg, displayUrl, initPg, isPostgresUrl } = await import('../store/postgres.js');
  if (!isPostgresUrl(url)) throw badInput('err.pg.notUrl', { url });
  const client = await connectPg(url);
  try {
    return { ...(await initPg(client, url)), shown: displayUrl(url) };
  } finally {
    await client.end();
  }
}

/** Opens one side of a copy: the source must be a crm book, the target a new file or an empty book. */
async function open(side: 'from' | 'to', where: string): Promise<{ store: Store; close: () => Promise<void>; name: string; drop?: () => void }> {
  const pgs = await import('../store/postgres.js');
  if (pgs.isPostgresUrl(where)) {
    const client = await pgs.connectPg(where);
    try {
      if (side === 'from') {
        if ((await pgs.pgSchemaVersion(client, where)) === null) throw failure('err.copy.sourceMissing', { path: pgs.displayUrl(where) });
      } else {
        await pgs.initPg(client, where);
        const { nonEmptyTables } = await import('../store/copy.js');
        const full = await nonEmptyTables({ kind: 'pg', client });
        if (full.length > 0) throw failure('err.copy.targetNotEmpty', { url: pgs.displayUrl(where), tables: full.join(', ') });
      }
    } catch (e) {
      await client.end();
      throw e;
    }
    return { store: { kind: 'pg', client }, close: () => client.end(), name: pgs.displayUrl(where) };
  }
  const { openDatabase } = await import('../store/db.js');
  const file = path.resolve(where);
  if (side === 'from' && !fs.existsSync(file)) throw failure('err.copy.sourceMissing', { path: file });
  if (side === 'to' && fs.existsSync(file)) throw failure('err.copy.targetExists', { path: file });
  const db = openDatabase(file);
  const drop = () => {
    for (const ext of ['', '-wal', '-shm']) fs.rmSync(file + ext, { force: true });
  };
  return { store: { kind: 'sqlite', db }, close: async () => void db.close(), name: file, drop: side === 'to' ? drop : undefined };
}

/** Whether a table came out the same on both sides. */
export const sameTable = (c: TableCheck): boolean => c.source === c.target && c.sourceSum === c.targetSum;

/**
 * Copies the book at `from` (a file or a postgres:// URL) to `to` (a new file, or an empty book on a
 * server) and checks every table on both sides. A file made for a copy that fails is removed.
 */
export async function copyBooks(from: string, to: string): Promise<{ checks: TableCheck[]; from: string; to: string; seconds: number }> {
  if (path.resolve(from) === path.resolve(to)) throw badInput('err.copy.same', { path: from });
  const { copyBook } = await import('../store/copy.js');
  const started = Date.now();
  const source = await open('from', from);
  let target: Awaited<ReturnType<typeof open>> | null = null;
  try {
    target = await open('to', to);
    const name = target.name;
    try {
      const checks = await copyBook(source.store, target.store);
      return { checks, from: source.name, to: name, seconds: (Date.now() - started) / 1000 };
    } catch (e) {
      // A file that was made for the copy goes with it: nothing half-written is left.
      await target.close();
      target.drop?.();
      target = null;
      throw e;
    }
  } finally {
    await source.close();
    await target?.close();
  }
}
