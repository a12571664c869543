// A PostgreSQL database of its own for a test file, on the server tests/setup/postgres.ts started.
import pg from 'pg';
import { inject } from 'vitest';

let made = 0;

/** The superuser's URL of the test server. */
export function pgServer(): string {
  return inject('pg');
}

/** A new empty database on the test server; its URL (as the superuser). */
export async function pgDatabase(): Promise<string> {
  const server = new URL(pgServer());
  const name = `crm_t${process.pid}_${++made}_${Date.now() % 100000}`;
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  server.pathname = `/${name}`;
  return server.toString();
}

/** Runs one query as the superuser on a database; its rows. */
export async function pgQuery<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}
