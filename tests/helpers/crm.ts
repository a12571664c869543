// Runs the real, built `crm` binary the way a user or cron would: a child process with no TTY.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'crm.js');
export const NOW = '2026-11-22T10:00:00+08:00';

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export function tempDir(prefix = 'crm-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A fresh database path in its own temporary folder. */
export function tempDb(): string {
  return path.join(tempDir(), 'shop.db');
}

/** The environment crm runs in under test: a fixed clock, zone and language, the database, and `env` on top (undefined removes). */
export function crmEnv(opts: { db?: string; env?: Record<string, string | undefined> } = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'en_US.UTF-8',
    CRM_NOW: NOW,
    TZ: 'Asia/Shanghai',
    ...(opts.db ? { CRM_DB: opts.db } : {}),
    ...opts.env,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env as Record<string, string>;
}

export function crm(args: string[], opts: { db?: string; env?: Record<string, string | undefined>; input?: string } = {}): Result {
  const env = crmEnv(opts);
  const r = spawnSync(process.execPath, [BIN, ...args], { env: env as NodeJS.ProcessEnv, input: opts.input ?? '', encoding: 'utf8', maxBuffer: 512 * 2 ** 20 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs crm and parses its stdout as JSON, failing loudly when the command failed. */
export function crmJson<T = unknown>(args: string[], opts: Parameters<typeof crm>[1] = {}): T {
  const r = crm([...args, '--format', 'json'], opts);
  if (r.code !== 0) throw new Error(`crm ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Waits until another process holds the database's write lock (is in the middle of a write). */
export async function untilWriting(db: string, timeoutMs = 30_000): Promise<boolean> {
  const { default: Database } = await import('better-sqlite3');
  for (let waited = 0; waited < timeoutMs; waited += 25) {
    if (fs.existsSync(db)) {
      const probe = new Database(db, { timeout: 0 });
      try {
        probe.exec('BEGIN IMMEDIATE; ROLLBACK');
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_BUSY') return true;
      } finally {
        probe.close();
      }
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}
