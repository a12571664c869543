// The PostgreSQL schema (src/store/migrations-pg/) against the SQLite book's at the same version:
// the same tables with the same columns in the same order, and every table crm db copy moves.
import { describe, expect, it } from 'vitest';
import { COPIED } from '../../src/store/copy.js';
import { openDatabase, SCHEMA_VERSION } from '../../src/store/db.js';
import { connectPg, initPg } from '../../src/store/postgres.js';
import { PG_MIGRATIONS } from '../../src/store/migrations-pg/index.js';
import { pgDatabase } from '../helpers/pg.js';

describe('the PostgreSQL schema', () => {
  it('reaches the SQLite schema’s version', () => {
    expect(PG_MIGRATIONS.map((m) => m.version)).toEqual([...PG_MIGRATIONS.map((m) => m.version)].sort((a, b) => a - b));
    expect(PG_MIGRATIONS.at(-1)!.version).toBe(SCHEMA_VERSION);
  });

  it('has the SQLite book’s tables and columns, at the same version', async () => {
    const lite = openDatabase(':memory:');
    const sqliteTables = (lite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'customer_search%' ORDER BY name").pluck().all() as string[]);
    const url = await pgDatabase();
    const client = await connectPg(url);
    try {
      expect(await initPg(client, url)).toEqual({ created: true, version: SCHEMA_VERSION });
      const pgTables = (await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('crm_schema', 'customer_search') ORDER BY tablename COLLATE \"C\"")).rows.map((r) => r.tablename as string);
      expect(pgTables).toEqual(sqliteTables);
      expect([...COPIED.map((t) => t.table)].sort()).toEqual(sqliteTables);
      for (const t of sqliteTables) {
        const liteColumns = (lite.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
        const pgColumns = (await client.query('SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [t])).rows.map((r) => r.column_name as string);
        expect(pgColumns, t).toEqual(liteColumns);
      }
    } finally {
      await client.end();
    }
  });
});
