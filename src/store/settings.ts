// All SQL about shop settings (validated by src/core/settings.ts).
import { stmt, transaction, type Db } from './db.js';

export function readSettings(db: Db): Record<string, string> {
  const rows = stmt(db, 'SELECT key, value FROM settings').all() as { key: string; value: string }[];
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

/** One stored value (settings not in the registry too: the tier ladder, the terms of saved scores). */
export function readSetting(db: Db, key: string): string | undefined {
  return stmt(db, 'SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
}

/** Sets one value; alone (`crm config set`), a write transaction of its own, which waits for another writer. */
export function writeSetting(db: Db, key: string, value: string): void {
  transaction(db, () => stmt(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value));
}

export function deleteSetting(db: Db, key: string): boolean {
  return transaction(db, () => stmt(db, 'DELETE FROM settings WHERE key = ?').run(key).changes > 0);
}
