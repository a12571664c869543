// Finding duplicate customers, as `crm dedupe` (and later cron) does it: the groups scored on a
// worker thread (app/dedupe-groups.ts), and why each member is in its group, worked out again
// only for the groups shown. Writes nothing to the shop's file.
import { performance } from 'node:perf_hooks';
import type { Context } from '../context.js';
import { clusterLinks, explainMember, matchRecord, type Cluster, type MatchRecord, type PairScore } from '../core/dedupe/index.js';
import { matchInputsOf } from '../store/dedupe.js';
import { findGroups } from './dedupe-groups.js';

/** A key shared by more customers than this is too common to compare all their pairs. */
export const BLOCK_CAP = 100;

export interface Found {
  clusters: Cluster[];
  customers: number;
  tooCommon: Map<string, number>;
  seconds: number;
  /** Why a member is in its cluster (the reasons are worked out again for what is shown). */
  explain(c: Cluster, id: number): PairScore | null;
  /** The pairs holding a cluster together. */
  links(c: Cluster): PairScore[];
}

/** Reads every customer, scores the candidate pairs (on a worker thread) and clusters them. */
export async function findClusters(ctx: Context, minScore: number): Promise<Found> {
  const started = performance.now();
  const db = await ctx.db();
  const groups = await findGroups({ dbPath: ctx.dbPath, minScore, blockCap: BLOCK_CAP });
  // The reasons are worked out again for the groups shown, from their members as stored.
  let members = new Map<number, MatchRecord>();
  const get = (c: Cluster) => {
    if (!members.has(c.survivor)) members = new Map(matchInputsOf(db, c.ids).map((input) => [input.id, matchRecord(input)]));
    return (x: number) => members.get(x)!;
  };
  return {
    clusters: groups.clusters,
    customers: groups.customers,
    tooCommon: groups.tooCommon,
    seconds: (performance.now() - started) / 1000,
    explain: (c, id) => explainMember(c, id, get(c), minScore),
    links: (c) => clusterLinks(c, get(c), minScore),
  };
}
