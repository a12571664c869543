// Finding duplicate customers, the clusters: scoring the pairs of each block once, grouping pairs
// into clusters with a proposed survivor, and explaining why a member belongs to its cluster.
import { blockingKeys, isCountOnly, keyHash, type MatchRecord } from './record.js';
import type { Weigher } from './model.js';
import { holds, weighPair, type PairScore } from './score.js';

/** A scored pair as kept for clustering: the reasons are worked out again for what is shown (a million pairs with their reasons would not fit in memory). */
export type Link = Pick<PairScore, 'a' | 'b' | 'score' | 'certain'>;

export interface Cluster {
  /** Members, the proposed survivor first. */
  ids: number[];
  survivor: number;
  /** The weakest link that holds the cluster together (its match probability). */
  confidence: number;
  certain: boolean;
  /** The pairs at or above the threshold between its members. */
  pairs: Link[];
}

/**
 * Groups pairs that hold at minScore (a probability, or 1: certain pairs only) into clusters (A~B and B~C make A, B, C one cluster), strongest
 * links first, never joining two records marked as different people (`distinct`, "a:b" with a < b),
 * even through a third; each cluster with its proposed survivor: the most complete record, then
 * the most recently active, then the oldest.
 */
export function clusterPairs(
  pairs: Link[],
  minScore: number,
  records: Map<number, Pick<MatchRecord, 'id' | 'completeness' | 'lastActive'>>,
  distinct: ReadonlySet<string> = new Set(),
): Cluster[] {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r) !== undefined && parent.get(r) !== r) r = parent.get(r)!;
    let y = x;
    while (y !== r) {
      const next = parent.get(y)!;
      parent.set(y, r);
      y = next;
    }
    return r;
  };
  // Who may not be joined with whom, and each root's members (only needed when some pairs are marked).
  const apart = new Map<number, number[]>();
  for (const key of distinct) {
    const [a, b] = key.split(':').map(Number) as [number, number];
    apart.set(a, [...(apart.get(a) ?? []), b]);
    apart.set(b, [...(apart.get(b) ?? []), a]);
  }
  const members = new Map<number, number[]>();
  const mayJoin = (ra: number, rb: number) => {
    if (apart.size === 0) return true;
    const [small, other] = (members.get(ra)?.length ?? 1) <= (members.get(rb)?.length ?? 1) ? [ra, rb] : [rb, ra];
    return !(members.get(small) ?? [small]).some((x) => (apart.get(x) ?? []).some((y) => parent.has(y) && find(y) === other));
  };
  const kept = pairs.filter((p) => holds(p, minScore)).sort((x, y) => y.score - x.score || x.a - y.a || x.b - y.b);
  const links: Link[] = [];
  for (const p of kept) {
    if (!parent.has(p.a)) parent.set(p.a, p.a);
    if (!parent.has(p.b)) parent.set(p.b, p.b);
    const [ra, rb] = [find(p.a), find(p.b)];
    if (ra === rb || !mayJoin(ra, rb)) continue;
    const [root, child] = [Math.min(ra, rb), Math.max(ra, rb)];
    parent.set(child, root);
    if (apart.size > 0) members.set(root, [...(members.get(root) ?? [root]), ...(members.get(child) ?? [child])]), members.delete(child);
    links.push(p); // strongest first: the links of a maximum spanning forest
  }
  const groups = new Map<number, { ids: number[]; pairs: Link[]; links: Link[] }>();
  const group = (root: number) => {
    let g = groups.get(root);
    if (!g) groups.set(root, (g = { ids: [], pairs: [], links: [] }));
    return g;
  };
  for (const id of parent.keys()) group(find(id)).ids.push(id);
  for (const p of kept) if (find(p.a) === find(p.b)) group(find(p.a)).pairs.push(p);
  for (const p of links) group(find(p.a)).links.push(p);
  const clusters: Cluster[] = [];
  for (const g of groups.values()) {
    const survivor = chooseSurvivor(g.ids.map((id) => records.get(id) ?? { id, completeness: 0, lastActive: '' }));
    const confidence = Math.min(...g.links.map((p) => p.score));
    clusters.push({
      ids: [survivor, ...g.ids.filter((id) => id !== survivor).sort((x, y) => x - y)],
      survivor,
      confidence,
      certain: g.links.every((p) => p.certain),
      pairs: g.pairs,
    });
  }
  return clusters.sort((x, y) => y.confidence - x.confidence || x.survivor - y.survivor);
}

export function chooseSurvivor(members: Pick<MatchRecord, 'id' | 'completeness' | 'lastActive'>[]): number {
  return [...members].sort((x, y) => y.completeness - x.completeness || (y.lastActive > x.lastActive ? 1 : y.lastActive < x.lastActive ? -1 : 0) || x.id - y.id)[0]!.id;
}

/**
 * The first key (in sorted order) that two records' sorted key lists share, skipping keys that are
 * not usable (too common): a pair is scored in that block only, however many blocks it shares.
 */
export function firstSharedKey<K extends string | number>(a: readonly K[], b: readonly K[], usable: (key: K) => boolean): K | null {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      if (usable(a[i]!)) return a[i]!;
      i++;
      j++;
    }
  }
  return null;
}

/**
 * A record with its blocking keys as hashes, sorted (record.ts keyHash): the work table holds a
 * million of them, and numbers are read back faster than the keys' strings.
 */
export type KeyedRecord = MatchRecord & { keys: number[] };

export function keyed(r: MatchRecord, keys: readonly string[] = blockingKeys(r)): KeyedRecord {
  return { ...r, keys: keys.map(keyHash).sort((x, y) => x - y) };
}

/**
 * Scores the pairs of each block once (in the first block they share), leaving out keys shared by
 * too many records and pairs marked as different people; keeps pairs that hold at `minScore`.
 */
export function scoreBlocks(
  blocks: Iterable<{ key: string; ids: number[] }>,
  get: (id: number) => KeyedRecord,
  opts: { minScore: number; weigher: Weigher; tooCommon: ReadonlySet<string> | Map<string, number>; distinct: ReadonlySet<string> },
): Link[] {
  const common = new Set([...opts.tooCommon.keys()].map(keyHash));
  const usable = (k: number) => !common.has(k);
  const pairs: Link[] = [];
  for (const block of blocks) {
    if (opts.tooCommon.has(block.key) || isCountOnly(block.key)) continue;
    const key = keyHash(block.key);
    const records = block.ids.map(get);
    for (let i = 0; i < records.length; i++) {
      for (let j = i + 1; j < records.length; j++) {
        const [a, b] = [records[i]!, records[j]!];
        if (firstSharedKey(a.keys, b.keys, usable) !== key) continue;
        if (opts.distinct.has(`${Math.min(a.id, b.id)}:${Math.max(a.id, b.id)}`)) continue;
        const s = weighPair(opts.weigher, a, b, false);
        if (holds(s, opts.minScore)) pairs.push({ a: s.a, b: s.b, score: s.score, certain: s.certain });
      }
    }
  }
  return pairs;
}

/**
 * Why a member belongs to its cluster: its pair with the survivor when that pair holds at
 * `minScore`, else its strongest pair within the cluster (it joined through another member).
 */
export function explainMember(w: Weigher, c: Pick<Cluster, 'ids' | 'survivor'>, id: number, get: (id: number) => MatchRecord, minScore: number): PairScore | null {
  if (id === c.survivor) return null;
  let best = weighPair(w, get(c.survivor), get(id));
  if (holds(best, minScore)) return best;
  for (const other of c.ids) {
    if (other === id || other === c.survivor) continue;
    const p = weighPair(w, get(other), get(id));
    if (p.score > best.score) best = p;
  }
  return best;
}

/**
 * Why a member belongs to its cluster, from the cluster's links (clusterLinks) rather than weighing
 * again: its link with the survivor, else its strongest (which holds: the member joined by it).
 */
export function memberFromLinks(c: Pick<Cluster, 'survivor'>, id: number, links: readonly PairScore[]): PairScore | null {
  if (id === c.survivor) return null;
  let best: PairScore | null = null;
  for (const p of links) {
    if (p.a !== id && p.b !== id) continue;
    if (p.a === c.survivor || p.b === c.survivor) return p;
    if (!best || p.score > best.score) best = p;
  }
  return best;
}

/** The pairs within a cluster that hold at `minScore`. */
export function clusterLinks(w: Weigher, c: Pick<Cluster, 'ids'>, get: (id: number) => MatchRecord, minScore: number): PairScore[] {
  const out: PairScore[] = [];
  for (let i = 0; i < c.ids.length; i++) {
    for (let j = i + 1; j < c.ids.length; j++) {
      const p = weighPair(w, get(c.ids[i]!), get(c.ids[j]!));
      if (holds(p, minScore)) out.push(p);
    }
  }
  return out.sort((x, y) => x.a - y.a || x.b - y.b);
}
