// Everything a shop's file holds, read straight from SQLite in this process (read-only): a check
// that a refused command changed nothing, without starting crm to list each kind of record.
// Read only once no crm process has the file open.
import Database from 'better-sqlite3';

export function dbState(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t.replace(/"/g, '""')}"`).all()]));
  } finally {
    db.close();
  }
}
