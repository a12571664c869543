// All SQL of the user's greeting templates (table templates, schema 8): one row per name and
// language, overriding the built-in of the same name.
import { stmt, type Db } from './db.js';

export interface TemplateRow {
  name: string;
  lang: 'en' | 'zh';
  body: string;
  updatedAt: string;
}

const SELECT = 'SELECT name, lang, body, updated_at AS updatedAt FROM templates';

/** Every user template, by name then language. */
export function listTemplates(db: Db): TemplateRow[] {
  return stmt(db, `${SELECT} ORDER BY name, lang`).all() as TemplateRow[];
}

export function getTemplate(db: Db, name: string, lang: 'en' | 'zh'): TemplateRow | null {
  return (stmt(db, `${SELECT} WHERE name = ? AND lang = ?`).get(name, lang) as TemplateRow | undefined) ?? null;
}

/** Saves a template (a new one, or new text for one there is). */
export function putTemplate(db: Db, t: Omit<TemplateRow, 'updatedAt'>, now: string): void {
  stmt(db, 'INSERT INTO templates (name, lang, body, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name, lang) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at').run(
    t.name,
    t.lang,
    t.body,
    now,
  );
}

/** Removes one; false when there was none. */
export function deleteTemplate(db: Db, name: string, lang: 'en' | 'zh'): boolean {
  return stmt(db, 'DELETE FROM templates WHERE name = ? AND lang = ?').run(name, lang).changes > 0;
}
