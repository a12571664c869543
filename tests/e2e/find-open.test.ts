// What `crm find` loads and does at its start is only what its query and its output need (the level
// names for a table that shows the tier, the phone library for phone-like text, one identity read
// of a file in use): these check that what it prints and what it does to the file stay as before.
// In process (tests/helpers/in-process.ts): the same code as the binary, without a process start each.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDb } from '../helpers/crm.js';
import { crmHere, setUp } from '../helpers/in-process.js';
import { SCHEMA_VERSION } from '../../src/store/db.js';

const zh = { LANG: 'zh_CN.UTF-8' };
const json = async <T>(args: string[], db: string, env?: Record<string, string>) => JSON.parse((await setUp([...args, '--format', 'json'], { db, env })).stdout) as T;

async function shop(): Promise<string> {
  const db = tempDb();
  await setUp(['customer', 'add', '--name', 'Ann', '--phone', '13800138000'], { db });
  await setUp(['order', 'add', 'Ann', '--amount', '6000', '--date', '2026-11-01'], { db });
  await setUp(['customer', 'add', '--name', 'Somchai', '--phone', '+66 81 234 5678'], { db });
  await setUp(['tier', 'apply'], { db });
  return db;
}

describe('crm find, as it starts', () => {
  it("names the tier in the interface's language in a table that shows it, and writes the stored level in JSON and CSV", async () => {
    const db = await shop();
    expect((await setUp(['find', 'Ann', '--columns', 'name,tier'], { db, env: zh })).stdout).toMatch(/Ann\s+│ 金卡 /);
    expect((await setUp(['find', 'Ann', '--columns', 'name,tier'], { db })).stdout).toMatch(/Ann\s+│ Gold /);
    expect((await json<{ tier: string }[]>(['find', 'Ann'], db, zh)).map((c) => c.tier)).toEqual(['Gold']);
    expect((await setUp(['find', 'Ann', '--columns', 'name,tier', '--format', 'csv'], { db, env: zh })).stdout).toBe('name,tier\nAnn,Gold\n');
  });

  it('reads phones in the country a shop has set', async () => {
    const db = await shop();
    await setUp(['config', 'set', 'country', 'TH'], { db });
    expect((await json<{ name: string }[]>(['find', '081 234 5678'], db)).map((c) => c.name)).toEqual(['Somchai']);
    await setUp(['config', 'set', 'country', 'cn'], { db });
    expect((await json<{ name: string }[]>(['find', '138 0013 8000'], db)).map((c) => c.name)).toEqual(['Ann']);
  });

  it('brings a file of an older schema up to date, a read as well as a write', async () => {
    const db = await shop();
    const raw = new Database(db);
    raw.exec('DROP TABLE dedupe_models'); // what schema 14 added
    raw.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
    raw.close();
    expect((await json<{ name: string }[]>(['find', 'Ann'], db)).map((c) => c.name)).toEqual(['Ann']);
    const after = new Database(db, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(after.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'dedupe_models'").pluck().get()).toBe(1);
    after.close();
  });

  it('puts a file out of WAL mode back in it', async () => {
    const db = await shop();
    const raw = new Database(db);
    raw.pragma('journal_mode = DELETE');
    raw.close();
    await setUp(['find', 'Ann'], { db });
    const after = new Database(db, { readonly: true });
    expect(after.pragma('journal_mode', { simple: true })).toBe('wal');
    after.close();
  });

  it('refuses a file written by a newer crm and leaves it untouched', async () => {
    const db = await shop();
    const raw = new Database(db);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const before = fs.readFileSync(db);
    const r = await crmHere(['find', 'Ann'], { db });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`was written by a newer crm (schema ${SCHEMA_VERSION + 1}; this crm knows up to ${SCHEMA_VERSION})`);
    expect(fs.readFileSync(db).equals(before)).toBe(true);
  });
});
