// The worker of splitRead (split-read.ts): its half of the customers over a read-only connection of
// its own. A module apart: the reading module it loads imports split-read.ts, and a worker whose
// own module waits on that import would wait for itself.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { IdRange, Read } from './split-read.js';

/** The typed arrays' memory in a result (one level deep), handed to the other thread without a copy. */
function buffers(x: unknown): ArrayBuffer[] {
  if (typeof x !== 'object' || x === null) return [];
  return [...new Set(Object.values(x).flatMap((v) => (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer ? [v.buffer] : [])))];
}

const job = workerData as { file: string; module: string; name: string; args: IdRange };
try {
  const read = (await import(job.module))[job.name] as Read<object, unknown> | undefined;
  if (typeof read !== 'function') throw new Error(`no read ${job.name} in ${job.module}`);
  const db = new Database(job.file, { readonly: true, fileMustExist: true });
  let out: unknown;
  try {
    out = read(db, job.args);
  } finally {
    db.close();
  }
  parentPort!.postMessage({ ok: out }, buffers(out));
} catch (e) {
  parentPort!.postMessage({ error: (e as Error).message });
}
