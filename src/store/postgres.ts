// Opening a crm book on a PostgreSQL server (node-postgres): the connection, the schema's version
// (table crm_schema: the SQLite book keeps it in PRAGMA user_version), creating the schema
// (`crm db init`), and refusing a database a newer crm wrote, before anything is written.
import pg from 'pg';
import { failure } from '../errors.js';
import { SCHEMA_VERSION } from './db.js';

/** What crm_schema.application says of a crm book (the SQLite book's application id, 'CRM1'). */
export const PG_APPLICATION = 'crm';

// BIGINT (ids, money in minor units) as numbers, as better-sqlite3 gives them; a value beyond what
// a double holds exactly is refused rather than rounded.
pg.types.setTypeParser(20, (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`a number too large for crm: ${v}`);
  return n;
});

export type Pg = pg.Client;

/** A postgres:// or postgresql:// URL (what --db and CRM_DB take for a server). */
export function isPostgresUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//i.test(s);
}

/** The URL without its password, for messages. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** Connects, or fails with one line naming the server (never the password). */
export async function connectPg(url: string): Promise<Pg> {
  const client = new pg.Client({ connectionString: url, application_name: 'crm' });
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => {});
    throw failure('err.pg.connect', { url: displayUrl(url), message: (e as Error).message });
  }
  // Errors of an idle connection (the server going away) surface at the next query.
  client.on('error', () => {});
  return client;
}

/** The book's schema version; null for a database without crm's tables. A foreign or newer one is refused. */
export async function pgSchemaVersion(client: Pg, url: string): Promise<number | null> {
  const has = await client.query("SELECT to_regclass('crm_schema') IS NOT NULL AS has, (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()) AS tables");
  const row = has.rows[0] as { has: boolean; tables: number };
  if (!row.has) {
    if (row.tables > 0) throw failure('err.pg.foreign', { url: displayUrl(url) });
    return null;
  }
  const v = (await client.query('SELECT version, application FROM crm_schema')).rows[0] as { version: number; application: string } | undefined;
  if (!v || v.application !== PG_APPLICATION) throw failure('err.pg.foreign', { url: displayUrl(url) });
  if (v.version > SCHEMA_VERSION) throw failure('err.pg.newer', { url: displayUrl(url), version: v.version, mine: SCHEMA_VERSION });
  return v.version;
}

/**
 * Makes the database a crm book at the current schema, in one transaction: creates it in an empty
 * database, brings an older book up through the later versions, and leaves a current one as it is.
 */
export async function initPg(client: Pg, url: string): Promise<{ created: boolean; version: number }> {
  const version = await pgSchemaVersion(client, url);
  if (version === SCHEMA_VERSION) return { created: false, version };
  const { PG_MIGRATIONS } = await import('./migrations-pg/index.js');
  const last = PG_MIGRATIONS[PG_MIGRATIONS.length - 1]!.version;
  if (last !== SCHEMA_VERSION) throw new Error(`the PostgreSQL schema stops at version ${last}, the SQLite one is at ${SCHEMA_VERSION}: add store/migrations-pg/${String(SCHEMA_VERSION).padStart(3, '0')}-*.ts`);
  const steps = PG_MIGRATIONS.filter((m) => (version === null ? true : m.version > version));
  await client.query('BEGIN');
  try {
    for (const m of steps) await client.query(m.sql);
    if (version === null) await client.query('INSERT INTO crm_schema (version, application) VALUES ($1, $2)', [SCHEMA_VERSION, PG_APPLICATION]);
    else await client.query('UPDATE crm_schema SET version = $1', [SCHEMA_VERSION]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  }
  return { created: version === null, version: SCHEMA_VERSION };
}
