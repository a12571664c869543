// Finding duplicate customers, as `crm dedupe` (and later cron) does it: the match model (the newest
// fitted, or one fitted for this run), the groups scored on a worker thread (app/dedupe-groups.ts),
// and why each member is in its group, worked out again only for the groups shown. `crm dedupe
// train` fits a model and keeps it. Finding writes nothing to the shop's file.
import { performance } from 'node:perf_hooks';
import type { Context } from '../context.js';
import { clusterLinks, explainMember, matchRecord, usableModel, weigher, type Cluster, type MatchModel, type MatchRecord, type PairScore, type Weigher } from '../core/dedupe/index.js';
import { matchInputsOf } from '../store/dedupe.js';
import { latestModel, saveModel } from '../store/dedupe-model.js';
import { findGroups, fitOnWorker, modelKeys } from './dedupe-groups.js';

/** A key shared by more customers than this is too common to compare all their pairs. */
export const BLOCK_CAP = 100;

export interface Found {
  clusters: Cluster[];
  customers: number;
  tooCommon: Map<string, number>;
  seconds: number;
  model: MatchModel;
  /** The model was fitted for this run (none was kept): `crm dedupe train` keeps one. */
  fittedNow: boolean;
  /** Why a member is in its cluster (the reasons are worked out again for what is shown). */
  explain(c: Cluster, id: number): PairScore | null;
  /** The pairs holding a cluster together. */
  links(c: Cluster): PairScore[];
}

/** The newest model kept that this crm can use, else null; a kept one it cannot use (fitted by another version) is said on stderr. */
export async function keptModel(ctx: Context): Promise<MatchModel | null> {
  const kept = latestModel(await ctx.db());
  if (!kept) return null;
  if (usableModel(kept.model)) return kept.model;
  ctx.err(ctx.t('dedupe.modelUnusable', { id: kept.id }));
  return null;
}

/** The model to find with: the newest kept, else one fitted now. */
export async function currentModel(ctx: Context): Promise<{ model: MatchModel; fittedNow: boolean }> {
  const kept = await keptModel(ctx);
  if (kept) return { model: kept, fittedNow: false };
  return { model: await fitOnWorker(ctx.dbPath, ctx.nowIso()), fittedNow: true };
}

/** Fits a model on the shop and keeps it (the newest is the one `crm dedupe` uses). */
export async function trainModel(ctx: Context): Promise<{ model: MatchModel; id: number; seconds: number }> {
  const started = performance.now();
  const model = await fitOnWorker(ctx.dbPath, ctx.nowIso());
  const id = saveModel(await ctx.db(), model);
  return { model, id, seconds: (performance.now() - started) / 1000 };
}

/** Reads every customer, scores the candidate pairs (on a worker thread) and clusters them; minScore 1 keeps certain pairs only. */
export async function findClusters(ctx: Context, minScore: number): Promise<Found> {
  const started = performance.now();
  const db = await ctx.db();
  const { model, fittedNow } = await currentModel(ctx);
  const groups = await findGroups({ dbPath: ctx.dbPath, minScore, blockCap: BLOCK_CAP, model });
  const w: Weigher = weigher(model, groups.freq);
  // The reasons are worked out again for the groups shown, from their members as stored.
  let members = new Map<number, MatchRecord>();
  const get = (c: Cluster) => {
    if (!members.has(c.survivor)) members = new Map(matchInputsOf(db, c.ids, modelKeys(model)).map((input) => [input.id, matchRecord(input)]));
    return (x: number) => members.get(x)!;
  };
  return {
    clusters: groups.clusters,
    customers: groups.customers,
    tooCommon: groups.tooCommon,
    seconds: (performance.now() - started) / 1000,
    model,
    fittedNow,
    explain: (c, id) => explainMember(w, c, id, get(c), minScore),
    links: (c) => clusterLinks(w, c, get(c), minScore),
  };
}
