// The built-in greeting templates: one file per template and language in templates/ at the package
// root (templates/<name>.<lang>.liquid, beside dist/), read once per process. The user's own
// templates are in the database (src/store/template.ts); src/app/template.ts puts the two together.
// Also where the text of a new template comes from: a file, standard input, or the user's editor.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Env } from '../context.js';
import { badInput, CrmError, failure, systemError } from '../errors.js';

export interface BuiltinTemplate {
  name: string;
  lang: 'en' | 'zh';
  body: string;
}

/** templates/ beside src/ and dist/ (this file is src/io/templates.ts, or dist/io/templates.js once built). */
export const BUILTIN_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');

const FILE = /^(.+)\.(en|zh)\.liquid$/;

let builtins: BuiltinTemplate[] | undefined;

/** Every built-in template, sorted by name then language. */
export function builtinTemplates(): BuiltinTemplate[] {
  if (!builtins) {
    builtins = fs
      .readdirSync(BUILTIN_DIR)
      .map((file) => [file, FILE.exec(file.normalize('NFC'))] as const)
      .flatMap(([file, m]) => (m ? [{ name: m[1]!, lang: m[2] as 'en' | 'zh', body: fs.readFileSync(path.join(BUILTIN_DIR, file), 'utf8') }] : []))
      .sort((a, b) => (a.name === b.name ? a.lang.localeCompare(b.lang) : a.name < b.name ? -1 : 1));
  }
  return builtins;
}

/** A template's text from a file the user named. */
export function readTemplateFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw systemError(e, file) ?? badInput('err.template.file', { path: file, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
  }
}

/** Everything on a stream (standard input off a terminal). */
export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
}

/** The editor a person set, as git finds it: $VISUAL, else $EDITOR, else vi (notepad on Windows). */
export function editorOf(env: Env): string {
  return env.VISUAL?.trim() || env.EDITOR?.trim() || (process.platform === 'win32' ? 'notepad' : 'vi');
}

/**
 * Lets a person change a text in their editor, as `git commit` does: a temporary file seeded with
 * it, the editor run on the terminal (a command with arguments, `code --wait`, works), the file read
 * back. `use` gets the text; when it throws, the file is kept and the error says where it is, so the
 * edit is not lost; otherwise the file is removed.
 */
export function editText<T>(env: Env, fileName: string, text: string, use: (edited: string) => T): T {
  const editor = editorOf(env);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-template-'));
  const file = path.join(dir, fileName);
  fs.writeFileSync(file, text);
  const run =
    process.platform === 'win32'
      ? spawnSync(`${editor} "${file}"`, { stdio: 'inherit', shell: true })
      : spawnSync('sh', ['-c', `${editor} "$@"`, editor, file], { stdio: 'inherit' });
  if (run.error || run.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw failure('err.template.editor', { editor, reason: run.error?.message ?? `exit ${run.status ?? run.signal}` });
  }
  let result: T;
  try {
    result = use(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    if (e instanceof CrmError && !e.hint) throw new CrmError(e.id, e.params, e.exitCode, { id: 'hint.template.keptAt', params: { path: file } });
    throw e;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}
