// The duplicate groups of a whole shop, worked out on a worker thread with its own database
// connection and a capped heap. Reading every customer, comparing millions of pairs and grouping
// them makes a lot of garbage, which V8 lets grow towards gigabytes when nothing caps it (1.65
// million records: 1.7 GB and rising); capped, the worker collects as it goes. It hands back the
// groups in typed arrays (their ids one after another), a few bytes a customer.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  blockingKeys,
  blockPairs,
  blockShare,
  BLOCK_PAIRS,
  clusterPairs,
  compareRecords,
  countKeys,
  FieldStats,
  fitModel,
  isCountOnly,
  isFrequencyKey,
  keyHash,
  keyed,
  KeyCounts,
  matchRecord,
  modelFields,
  randomPairVectors,
  Reservoir,
  scoreBlocks,
  SESSION_RULES,
  trainingKeys,
  weigher,
  type Cluster,
  type KeyedRecord,
  type MatchModel,
  type MatchRecord,
  type Session,
} from '../core/dedupe/index.js';
import { Rng } from '../core/random.js';
import { CrmError, failure } from '../errors.js';
import { openDatabase } from '../store/db.js';
import { BlockingTables, distinctPairs, matchInputs } from '../store/dedupe.js';
import { mergedPairs } from '../store/dedupe-model.js';

type Job =
  | {
      kind: 'find';
      dbPath: string;
      /** A probability, or 1 for certain pairs only. */
      minScore: number;
      /** A key shared by more customers than this is too common to compare all their pairs. */
      blockCap: number;
      model: MatchModel;
    }
  | { kind: 'train'; dbPath: string; now: string };

export interface Groups {
  /** Each group: members (survivor first), weakest link, all links certain; no pairs (see clusterLinks). */
  clusters: Cluster[];
  customers: number;
  tooCommon: Map<string, number>;
  /** The shop's term frequencies, to weigh the pairs shown. */
  freq: KeyCounts;
}

interface Wire {
  /** The members of every group, one group after another, each survivor first. */
  ids: Float64Array;
  sizes: Int32Array;
  confidence: Float64Array;
  certain: Uint8Array;
  customers: number;
  tooCommon: [string, number][];
  counts: Map<number, number>;
}

const WORKER_HEAP = { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: 768 };

/** The custom fields a model compares. */
export const modelKeys = (model: MatchModel) => model.fields.flatMap((f) => (f.kind === 'custom' ? [f.key!] : []));

function score(job: Extract<Job, { kind: 'find' }>): { wire: Wire; transfer: ArrayBuffer[] } {
  const db = openDatabase(job.dbPath);
  try {
    const tables = new BlockingTables(db);
    // Birthdays, cities and email domains are few: counted here; names, phones, emails, addresses and identifiers by SQLite.
    const counts = new Map<number, number>();
    const bump = (k: string) => {
      const h = keyHash(k);
      counts.set(h, (counts.get(h) ?? 0) + 1);
    };
    let customers = 0;
    for (const page of matchInputs(db, modelKeys(job.model))) {
      customers += page.length;
      tables.add(
        page.map((input) => {
          const m = matchRecord(input);
          const keys = blockingKeys(m);
          const r = keyed(m, keys);
          if (r.birthday) bump(`tb:${r.birthday}`);
          if (r.city) bump(`tc:${r.city}`);
          if (r.email) bump(`td:${r.email.slice(r.email.indexOf('@') + 1)}`);
          return { id: r.id, keys: [...keys, ...countKeys(r)], data: r };
        }),
      );
    }
    const tooCommon = new Map<string, number>();
    for (const [k, n] of tables.keyCounts(3)) {
      if (n > job.blockCap && !isCountOnly(k)) tooCommon.set(k, n);
      if (isFrequencyKey(k)) counts.set(keyHash(k), n);
    }
    const freq = new KeyCounts(customers, counts);
    const distinct = distinctPairs(db);
    const get = (id: number) => tables.get<KeyedRecord>(id);
    const links = scoreBlocks(tables.blocks(), get, { minScore: job.minScore, weigher: weigher(job.model, freq), tooCommon, distinct });
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
      confidence: Float64Array.from(clusters, (c) => c.confidence),
      certain: Uint8Array.from(clusters, (c) => (c.certain ? 1 : 0)),
      customers,
      tooCommon: [...tooCommon],
      counts,
    };
    tables.drop();
    return { wire, transfer: [wire.ids.buffer, wire.sizes.buffer, wire.confidence.buffer, wire.certain.buffer] as ArrayBuffer[] };
  } finally {
    db.close();
  }
}

/** Records sampled for u, random pairs of them compared, and pairs each session samples. */
const SAMPLE_RECORDS = 20_000;
const RANDOM_PAIRS = 100_000;

/**
 * Fits the match model on the shop: every customer read once (custom fields measured, a sample kept,
 * the training keys written), then each session's pairs sampled from its blocks, and the merges made
 * by hand as labels.
 */
function train(job: Extract<Job, { kind: 'train' }>): MatchModel {
  const db = openDatabase(job.dbPath);
  try {
    const tables = new BlockingTables(db);
    const stats = new FieldStats();
    const sample = new Reservoir<MatchRecord>(SAMPLE_RECORDS);
    let records = 0;
    for (const page of matchInputs(db, 'all')) {
      records += page.length;
      tables.add(
        page.map((input) => {
          const r = matchRecord(input);
          stats.add(r.extra);
          sample.add(r);
          return { id: r.id, keys: trainingKeys(r), data: r };
        }),
      );
    }
    const fields = modelFields(stats.identifiers(records));
    const distinct = distinctPairs(db);
    const rng = new Rng(3, 0x68e31da4, 0xb5297a4d, 0x1b56c4e9);
    const sessions: (Session & { share: number; prefix: string })[] = SESSION_RULES.map(({ rule, prefix }) => {
      const census = tables.census(prefix, BLOCK_PAIRS);
      return { rule, prefix, blocked: fields.findIndex((f) => f.kind === rule), vectors: [], weights: [], labels: [], population: census.population, share: blockShare(census) };
    });
    const get = (id: number) => tables.get<MatchRecord>(id);
    for (const block of tables.blocks()) {
      const s = sessions.find((x) => block.key.startsWith(x.prefix));
      if (!s || !rng.chance(s.share)) continue;
      const { pairs, weight } = blockPairs(block.ids, rng);
      for (const [a, b] of pairs) {
        if (distinct.has(`${Math.min(a, b)}:${Math.max(a, b)}`)) continue; // added below, as two people
        s.vectors.push(compareRecords(fields, get(a), get(b)));
        s.weights.push(weight);
        s.labels.push(undefined);
      }
    }
    // Pairs marked as different people join every session whose value they share, as two people.
    for (const key of distinct) {
      const [a, b] = key.split(':').map(Number) as [number, number];
      const [x, y] = [get(a), get(b)];
      if (!x || !y) continue;
      const v = compareRecords(fields, x, y);
      for (const s of sessions) {
        if (v[s.blocked] !== 0) continue;
        s.vectors.push(v);
        s.weights.push(1);
        s.labels.push(0);
      }
    }
    const merged = mergedPairs(db, 'all').map(([a, b]) => compareRecords(fields, matchRecord(a), matchRecord(b)));
    tables.drop();
    return fitModel({ fields, records, randomPairs: randomPairVectors(fields, sample.items, RANDOM_PAIRS), sessions, merged, distinct: distinct.size, now: job.now });
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
    clusters.push({ ids, survivor: ids[0]!, confidence: wire.confidence[i]!, certain: wire.certain[i] === 1, pairs: [] });
  });
  return { clusters, customers: wire.customers, tooCommon: new Map(wire.tooCommon), freq: new KeyCounts(wire.customers, wire.counts) };
}

function work(job: Job): { result: Wire | MatchModel; transfer: ArrayBuffer[] } {
  if (job.kind === 'train') return { result: train(job), transfer: [] };
  const { wire, transfer } = score(job);
  return { result: wire, transfer };
}

/** The duplicate groups of the shop by this model, worked out on a worker thread. */
export async function findGroups(job: Omit<Extract<Job, { kind: 'find' }>, 'kind'>): Promise<Groups> {
  return fromWire((await onWorker({ kind: 'find', ...job })) as Wire);
}

/** A match model fitted on the shop, on a worker thread (not saved). */
export async function fitOnWorker(dbPath: string, now: string): Promise<MatchModel> {
  return (await onWorker({ kind: 'train', dbPath, now })) as MatchModel;
}

async function onWorker(job: Job): Promise<Wire | MatchModel> {
  // Run from TypeScript sources (the tests that drive prompts in-process), no worker can load this
  // file: the same work then runs in this thread.
  if (import.meta.url.endsWith('.ts')) return work(job).result;
  const worker = new Worker(new URL(import.meta.url), { workerData: { crmDedupeJob: job }, resourceLimits: WORKER_HEAP });
  try {
    return await new Promise<Wire | MatchModel>((resolve, reject) => {
      worker.once('message', (m: { ok: Wire | MatchModel } | { crm: { id: string; params: Record<string, unknown>; exitCode: 1 | 2 } | null; message: string }) => {
        if ('ok' in m) resolve(m.ok);
        else reject(m.crm ? new CrmError(m.crm.id as CrmError['id'], m.crm.params as CrmError['params'], m.crm.exitCode) : failure('err.dedupe.worker', { reason: m.message }));
      });
      worker.once('error', (e) => reject(failure('err.dedupe.worker', { reason: e.message })));
      worker.once('exit', () => reject(failure('err.dedupe.worker', { reason: 'the matcher thread stopped' })));
    });
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}

if (!isMainThread && (workerData as { crmDedupeJob?: Job } | null)?.crmDedupeJob) {
  const port = parentPort!;
  try {
    const { result, transfer } = work((workerData as { crmDedupeJob: Job }).crmDedupeJob);
    port.postMessage({ ok: result }, transfer);
  } catch (e) {
    const err = e as Error;
    port.postMessage({ crm: e instanceof CrmError ? { id: e.id, params: e.params, exitCode: e.exitCode } : null, message: err.message });
  }
}
