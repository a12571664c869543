// The duplicate groups of a whole shop, worked out on a worker thread with its own database
// connection and a capped heap. Reading every customer, comparing millions of pairs and grouping
// them makes a lot of garbage, which V8 lets grow towards gigabytes when nothing caps it (1.65
// million records: 1.7 GB and rising); capped, the worker collects as it goes. It hands back the
// groups in typed arrays (their ids one after another), a few bytes a customer.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { clusterPairs, keyed, matchRecord, scoreBlocks, type Cluster, type KeyedRecord } from '../core/dedupe/index.js';
import { CrmError, failure } from '../errors.js';
import { openDatabase } from '../store/db.js';
import { BlockingTables, distinctPairs, matchInputs } from '../store/dedupe.js';

interface Job {
  dbPath: string;
  minScore: number;
  /** A key shared by more customers than this is too common to compare all their pairs. */
  blockCap: number;
}

export interface Groups {
  /** Each group: members (survivor first), weakest link, all links certain; no pairs (see clusterLinks). */
  clusters: Cluster[];
  customers: number;
  tooCommon: Map<string, number>;
}

interface Wire {
  /** The members of every group, one group after another, each survivor first. */
  ids: Float64Array;
  sizes: Int32Array;
  confidence: Float32Array;
  certain: Uint8Array;
  customers: number;
  tooCommon: [string, number][];
}

const WORKER_HEAP = { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: 768 };

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
    const facts = new Map<number, { id: number; completeness: number; lastActive: string }>();
    for (const l of links) {
      for (const id of [l.a, l.b]) {
        if (facts.has(id)) continue;
        const r = get(id);
        facts.set(id, { id, completeness: r.completeness, lastActive: r.lastActive });
      }
    }
    const clusters = clusterPairs(links, job.minScore, facts, distinct);
    const wire: Wire = {
      ids: Float64Array.from(clusters.flatMap((c) => c.ids)),
      sizes: Int32Array.from(clusters, (c) => c.ids.length),
      confidence: Float32Array.from(clusters, (c) => c.confidence),
      certain: Uint8Array.from(clusters, (c) => (c.certain ? 1 : 0)),
      customers,
      tooCommon: [...tooCommon],
    };
    tables.drop();
    return { wire, transfer: [wire.ids.buffer, wire.sizes.buffer, wire.confidence.buffer, wire.certain.buffer] as ArrayBuffer[] };
  } finally {
    db.close();
  }
}

function fromWire(wire: Wire): Groups {
  const clusters: Cluster[] = [];
  let at = 0;
  wire.sizes.forEach((size, i) => {
    const ids = Array.from(wire.ids.subarray(at, at + size));
    at += size;
    clusters.push({ ids, survivor: ids[0]!, confidence: Math.round(wire.confidence[i]! * 100) / 100, certain: wire.certain[i] === 1, pairs: [] });
  });
  return { clusters, customers: wire.customers, tooCommon: new Map(wire.tooCommon) };
}

export async function findGroups(job: Job): Promise<Groups> {
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
