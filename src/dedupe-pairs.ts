// The scored candidate pairs of a whole shop, worked out on a worker thread with its own database
// connection and a capped heap. Reading every customer and comparing millions of pairs makes a lot
// of short-lived garbage, which V8 lets grow towards gigabytes when nothing caps it (1.65 million
// records: 1.7 GB and rising); capped, the worker collects as it goes. It hands back the pairs and
// the survivor facts of their customers in typed arrays (a few dozen bytes a pair).
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { keyed, matchRecord, scoreBlocks, type KeyedRecord, type Link } from './core/dedupe.js';
import { CrmError, failure } from './errors.js';
import { openDatabase } from './store/db.js';
import { BlockingTables, distinctPairs, matchInputs } from './store/dedupe.js';

interface Job {
  dbPath: string;
  minScore: number;
  /** A key shared by more customers than this is too common to compare all their pairs. */
  blockCap: number;
}

export interface ScoredPairs {
  links: Link[];
  /** What the survivor is chosen by, for every customer in a pair. */
  facts: Map<number, { id: number; completeness: number; lastActive: string }>;
  customers: number;
  tooCommon: Map<string, number>;
  distinct: Set<string>;
}

interface Wire {
  a: Float64Array;
  b: Float64Array;
  score: Float32Array;
  ids: Float64Array;
  completeness: Float32Array;
  /** YYYYMMDD. */
  lastActive: Int32Array;
  customers: number;
  tooCommon: [string, number][];
  distinct: string[];
}

const WORKER_HEAP = { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: 640 };

function score(job: Job): { wire: Wire; transfer: ArrayBuffer[] } {
  const db = openDatabase(job.dbPath);
  try {
    const tables = new BlockingTables(db);
    let customers = 0;
    for (const page of matchInputs(db)) {
      customers += page.length;
      tables.add(
        page.map((input) => {
          const r = keyed(matchRecord(input));
          return { id: r.id, keys: r.keys, data: r };
        }),
      );
    }
    const tooCommon = tables.oversized(job.blockCap);
    const distinct = distinctPairs(db);
    const get = (id: number) => tables.get<KeyedRecord>(id);
    const links = scoreBlocks(tables.blocks(), get, { floor: job.minScore, tooCommon, distinct });
    const ids = [...new Set(links.flatMap((l) => [l.a, l.b]))];
    const wire: Wire = {
      a: Float64Array.from(links, (l) => l.a),
      b: Float64Array.from(links, (l) => l.b),
      score: Float32Array.from(links, (l) => l.score),
      ids: Float64Array.from(ids),
      completeness: Float32Array.from(ids, (id) => get(id).completeness),
      lastActive: Int32Array.from(ids, (id) => Number(get(id).lastActive.replace(/-/g, '')) || 0),
      customers,
      tooCommon: [...tooCommon],
      distinct: [...distinct],
    };
    tables.drop();
    return { wire, transfer: [wire.a.buffer, wire.b.buffer, wire.score.buffer, wire.ids.buffer, wire.completeness.buffer, wire.lastActive.buffer] as ArrayBuffer[] };
  } finally {
    db.close();
  }
}

function fromWire(wire: Wire): ScoredPairs {
  const links: Link[] = Array.from(wire.a, (a, i) => {
    const s = Math.round(wire.score[i]! * 100) / 100;
    return { a, b: wire.b[i]!, score: s, certain: s === 1 };
  });
  const facts = new Map(Array.from(wire.ids, (id, i) => [id, { id, completeness: wire.completeness[i]!, lastActive: day(wire.lastActive[i]!) }]));
  return { links, facts, customers: wire.customers, tooCommon: new Map(wire.tooCommon), distinct: new Set(wire.distinct) };
}

const day = (n: number) => (n ? `${String(n).slice(0, 4)}-${String(n).slice(4, 6)}-${String(n).slice(6, 8)}` : '');

export async function scorePairs(job: Job): Promise<ScoredPairs> {
  // Run from TypeScript sources (the tests that drive prompts in-process), no worker can load this
  // file: the same work then runs in this thread.
  if (import.meta.url.endsWith('.ts')) return fromWire(score(job).wire);
  const worker = new Worker(new URL(import.meta.url), { workerData: { crmDedupeJob: job }, resourceLimits: WORKER_HEAP });
  try {
    const wire = await new Promise<Wire>((resolve, reject) => {
      worker.once('message', (m: { ok: Wire } | { crm: { id: string; params: Record<string, unknown>; exitCode: 1 | 2 } | null; message: string }) => {
        if ('ok' in m) resolve(m.ok);
        else reject(m.crm ? new CrmError(m.crm.id as CrmError['id'], m.crm.params as CrmError['params'], m.crm.exitCode) : failure('err.dedupe.worker', { reason: m.message }));
      });
      worker.once('error', (e) => reject(failure('err.dedupe.worker', { reason: e.message })));
      worker.once('exit', () => reject(failure('err.dedupe.worker', { reason: 'the matcher thread stopped' })));
    });
    return fromWire(wire);
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}

if (!isMainThread && (workerData as { crmDedupeJob?: Job } | null)?.crmDedupeJob) {
  const port = parentPort!;
  try {
    const { wire, transfer } = score((workerData as { crmDedupeJob: Job }).crmDedupeJob);
    port.postMessage({ ok: wire }, transfer);
  } catch (e) {
    const err = e as Error;
    port.postMessage({ crm: e instanceof CrmError ? { id: e.id, params: e.params, exitCode: e.exitCode } : null, message: err.message });
  }
}
