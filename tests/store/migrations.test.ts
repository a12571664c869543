// The migrations as an open reads them (store/db.ts migrationsAfter: each module's text, not the
// module) are the SQL the modules export, in the sources and in the build; the schema's version is
// their count; a file at any older version is brought up to the current schema.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrationsAfter, openDatabase, SCHEMA_VERSION } from '../../src/store/db.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { ROOT, tempDir } from '../helpers/crm.js';

describe('migrations', () => {
  it('are as many as SCHEMA_VERSION, one module each, numbered from 001 without a gap', () => {
    const files = fs.readdirSync(path.join(ROOT, 'src/store/migrations')).filter((f) => /^\d{3}-.*\.ts$/.test(f)).sort();
    expect(MIGRATIONS.length).toBe(SCHEMA_VERSION);
    expect(files.map((f) => Number(f.slice(0, 3)))).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('read from their text as each module exports them, in the sources and in the build', async () => {
    expect(migrationsAfter(0)).toEqual(MIGRATIONS);
    for (let v = 0; v <= SCHEMA_VERSION; v++) expect(migrationsAfter(v)).toEqual(MIGRATIONS.slice(v));
    const built = (await import(path.join(ROOT, 'dist/store/db.js'))) as typeof import('../../src/store/db.js');
    expect(built.SCHEMA_VERSION).toBe(SCHEMA_VERSION);
    expect(built.migrationsAfter(0)).toEqual(MIGRATIONS);
  });

  it('bring a file at each older version to the schema a new file gets', () => {
    const schema = (file: string) => {
      const raw = new Database(file, { readonly: true });
      const rows = raw.prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();
      raw.close();
      return rows;
    };
    const dir = tempDir();
    const fresh = path.join(dir, 'fresh.db');
    openDatabase(fresh).close();
    for (const v of [1, 7, SCHEMA_VERSION - 1]) {
      const file = path.join(dir, `v${v}.db`);
      const raw = new Database(file);
      for (const sql of MIGRATIONS.slice(0, v)) raw.exec(sql);
      raw.pragma('application_id = 0x43524d31');
      raw.pragma(`user_version = ${v}`);
      raw.close();
      const db = openDatabase(file);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      db.close();
      expect(schema(file)).toEqual(schema(fresh));
    }
  });
});
