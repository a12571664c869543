// Finding duplicate customers. Rules a user can read (the README lists them):
// - certain: the same phone, email or member number, and names that agree (the same name once
//   spaces, full-width and traditional characters are set aside, or the same pinyin); a Chinese
//   name one character off is certain only with the same birthday and a shared email or member
//   number (siblings share phones and generation characters);
// - likely: points for name, birthday, address, phones, email and city in the manner of Fellegi
//   and Sunter, turned into a score from 0 to 1, each with the reason shown.
// Candidate pairs come from blocking keys (a record shares a key with its likely duplicates), so the
// work grows with the number of customers, not with its square. Pure: the store feeds records in.
// Libraries: opencc-js (traditional -> simplified, the OpenCC dictionaries), pinyin-pro (pinyin of
// names, with surname readings), @skyra/jaro-winkler (string similarity), double-metaphone (how a
// Latin name sounds, for blocking names with typos).
import { jaroWinkler } from '@skyra/jaro-winkler';
import { doubleMetaphone } from 'double-metaphone';
import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';

/** What the store hands the matcher about one customer. */
export interface MatchInput {
  id: number;
  name: string;
  phones: string[];
  email: string | null;
  externalId: string | null;
  birthday: string | null;
  city: string | null;
  address: string | null;
  /** How complete the record is (for the survivor): see survivorFacts. */
  completeness: number;
  /** The last order day or update day (for the survivor). */
  lastActive: string;
}

/**
 * A customer as the matcher compares it: name NFKC, simplified, lower case, without spaces or
 * punctuation (張 偉 -> 张伟); city and address compared alike.
 */
export interface MatchRecord extends MatchInput {
  /** Chinese names: toneless pinyin, zhangwei; else null. */
  pinyin: string | null;
  /** Latin names: the words, lower case, sorted (swapped given name and surname compare equal). */
  words: string[];
}

/**
 * What the survivor of a cluster is chosen by: how complete a record is (filled fields, phones,
 * up to three tags and three custom fields, having ordered) and when it was last active.
 */
export function survivorFacts(c: {
  filled: number;
  phones: number;
  tags: number;
  customFields: number;
  orders: number;
  lastOrderDay: string | null;
  updatedAt: string;
}): { completeness: number; lastActive: string } {
  const updated = c.updatedAt.slice(0, 10);
  return {
    completeness: c.filled + c.phones + Math.min(c.tags, 3) + Math.min(c.customFields, 3) + (c.orders > 0 ? 1 : 0),
    lastActive: c.lastOrderDay !== null && c.lastOrderDay > updated ? c.lastOrderDay : updated,
  };
}

const HAN = /\p{Script=Han}/u;
let toSimplified: ((s: string) => string) | undefined;
const simplified = (s: string) => (toSimplified ??= OpenCC.Converter({ from: 't', to: 'cn' }))(s);

/** The form text is compared in: NFKC (full-width -> ASCII), simplified characters, lower case. */
export function comparable(s: string): string {
  const n = s.normalize('NFKC').toLowerCase();
  return HAN.test(n) ? simplified(n) : n;
}

const squeeze = (s: string) => s.replace(/[\s\p{P}\p{S}]+/gu, '');
/** Words separated by one space; Chinese text (written without spaces) squeezed. */
const spaced = (s: string) => (HAN.test(s) ? squeeze(s) : s.replace(/[\s\p{P}\p{S}]+/gu, ' ').trim());

export function matchRecord(c: MatchInput): MatchRecord {
  const name = comparable(c.name);
  const chinese = HAN.test(name);
  const words = chinese ? [] : (name.match(/\p{L}+/gu) ?? []).sort();
  return {
    id: c.id,
    name: squeeze(name),
    pinyin: chinese ? pinyin(squeeze(name), { toneType: 'none', type: 'array', surname: 'head' }).join('') : null,
    words,
    phones: c.phones,
    email: c.email,
    externalId: c.externalId,
    birthday: c.birthday,
    city: c.city ? squeeze(comparable(c.city)).replace(/市$/u, '') || null : null,
    address: c.address ? spaced(comparable(c.address)) || null : null,
    completeness: c.completeness,
    lastActive: c.lastActive,
  };
}

// ---- Blocking ---------------------------------------------------------------------------------

const sound = (word: string) => doubleMetaphone(word)[0] || word;
const digitsOf = (s: string) => s.match(/\d+/g) ?? [];

/**
 * The keys that bring a record together with its likely duplicates: contact keys, the name with
 * the birthday or city, the pinyin (same-sounding Chinese names), how each word of a Latin name
 * sounds with the birth year or the postcode, the birthday with the name's first letter, the address.
 */
export function blockingKeys(r: MatchRecord): string[] {
  const keys = new Set<string>();
  for (const p of r.phones) keys.add(`p:${p}`);
  if (r.email) keys.add(`e:${r.email}`);
  if (r.externalId) keys.add(`x:${r.externalId}`);
  if (r.address) keys.add(`a:${r.address}`);
  const name = r.pinyin ?? r.name;
  if (name) {
    if (r.birthday) keys.add(`n:${name}|${r.birthday}`);
    if (r.city) keys.add(`n:${name}|${r.city}`);
    if (r.email) keys.add(`n:${name}|${r.email.split('@')[0]}`);
  }
  if (r.birthday && r.city) keys.add(`b:${r.birthday}|${r.city}`);
  if (r.birthday) {
    const initials = r.pinyin ? [r.pinyin[0]] : r.words.map((w) => w[0]);
    for (const i of new Set(initials)) keys.add(`b:${r.birthday}|${i}`);
  }
  const year = r.birthday?.slice(0, 4);
  const postcode = r.address ? digitsOf(r.address).find((d) => d.length >= 4) : undefined;
  for (const w of r.words) {
    if (w.length < 2) continue;
    const s = sound(w);
    if (year) keys.add(`s:${s}|${year}`);
    if (postcode) keys.add(`s:${s}|${postcode}`);
  }
  return [...keys];
}

// ---- Scoring ----------------------------------------------------------------------------------

export type ReasonId =
  | 'samePhone'
  | 'sameEmail'
  | 'sameExternalId'
  | 'sameName'
  | 'samePinyin'
  | 'nameSimilar'
  | 'nameDifferent'
  | 'sameBirthday'
  | 'birthdayClose'
  | 'birthdayDifferent'
  | 'sameAddress'
  | 'addressSimilar'
  | 'sameCity'
  | 'cityDifferent'
  | 'emailSimilar';

export interface Reason {
  id: ReasonId;
  /** A similarity from 0 to 1, for the reasons that have one. */
  value?: number;
}

export interface PairScore {
  a: number;
  b: number;
  score: number;
  certain: boolean;
  reasons: Reason[];
}

function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length]!;
}

/**
 * Latin names: each word of the shorter name against its best match in the other, so swapped
 * given name and surname and a missing word matter little; `worst` is the least similar word
 * (Michelle Chen and Jessica Chen share a surname, not a person). Words split or joined
 * (mc carthy, mccarthy) are compared joined.
 */
function wordsSimilarity(a: string[], b: string[]): { similarity: number; worst: number } {
  if (a.length === 0 || b.length === 0) return { similarity: 0, worst: 0 };
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  let sum = 0;
  let worst = 1;
  for (const w of short) {
    const best = Math.max(...long.map((v) => jaroWinkler(w, v)));
    sum += best;
    worst = Math.min(worst, best);
  }
  let similarity = (sum / short.length) * (short.length === long.length ? 1 : 0.95);
  if (a.length !== b.length) {
    const joined = jaroWinkler(a.join(''), b.join(''));
    if (joined > similarity) [similarity, worst] = [joined, joined];
  }
  return { similarity, worst };
}

interface NameComparison {
  similarity: number;
  /** The names cannot be the same person's (a family sharing a phone). */
  contradicts: boolean;
  reason: Reason;
}

export function compareNames(a: MatchRecord, b: MatchRecord): NameComparison {
  if (!a.name || !b.name) return { similarity: 0, contradicts: false, reason: { id: 'nameDifferent', value: 0 } };
  if (a.name === b.name) return { similarity: 1, contradicts: false, reason: { id: 'sameName' } };
  if (a.pinyin !== null && b.pinyin !== null) {
    if (a.pinyin === b.pinyin) return { similarity: 0.9, contradicts: false, reason: { id: 'samePinyin' } };
    const d = editDistance(a.name, b.name);
    const longest = Math.max([...a.name].length, [...b.name].length);
    // One character typed wrong or left out: similar, but it may as well be a sibling's name
    // (张伟, 张敏; 刘明超, 刘明平 share a generation character), so only other evidence can make it certain.
    if (d === 1) return { similarity: 0.75, contradicts: true, reason: { id: 'nameSimilar', value: 0.75 } };
    const similarity = round(Math.max(0, 1 - d / longest));
    return { similarity, contradicts: true, reason: { id: similarity > 0 ? 'nameSimilar' : 'nameDifferent', value: similarity } };
  }
  const w = wordsSimilarity(a.words.length ? a.words : [a.name], b.words.length ? b.words : [b.name]);
  const similarity = round(w.similarity);
  if (a.words.length > 0 && a.words.join(' ') === b.words.join(' ')) return { similarity: 1, contradicts: false, reason: { id: 'sameName' } };
  return { similarity, contradicts: w.worst < 0.8, reason: { id: similarity >= 0.75 ? 'nameSimilar' : 'nameDifferent', value: similarity } };
}

const round = (x: number) => Math.round(x * 100) / 100;

function compareBirthdays(a: string, b: string): { similarity: number; reason: Reason } {
  if (a === b) return { similarity: 1, reason: { id: 'sameBirthday' } };
  // A birthday kept without its year (--03-05) says the month and day only.
  if (a.startsWith('--') || b.startsWith('--')) return a.slice(-5) === b.slice(-5) ? { similarity: 0.9, reason: { id: 'sameBirthday' } } : { similarity: 0, reason: { id: 'birthdayDifferent' } };
  // One digit typed wrong, or day and month swapped: close, not the same.
  const [x, y] = [a.replace(/\D/g, ''), b.replace(/\D/g, '')];
  let diff = 0;
  if (x.length === y.length) for (let i = 0; i < x.length; i++) diff += x[i] === y[i] ? 0 : 1;
  const swapped = a.length === 10 && b.length === 10 && a.slice(0, 4) === b.slice(0, 4) && a.slice(5, 7) === b.slice(8, 10) && a.slice(8, 10) === b.slice(5, 7);
  if (diff === 1 || swapped) return { similarity: 0.5, reason: { id: 'birthdayClose' } };
  return { similarity: 0, reason: { id: 'birthdayDifferent' } };
}

/** Chinese character pairs shared (Dice); words with typos matched (street names, suburbs, postcodes). */
export function addressSimilarity(a: string, b: string): number {
  if (HAN.test(a) || HAN.test(b)) {
    const grams = (s: string) => {
      const chars = [...s];
      return chars.slice(1).map((c, i) => chars[i]! + c);
    };
    const [x, y] = [grams(a), grams(b)];
    if (x.length === 0 || y.length === 0) return a === b ? 1 : 0;
    const pool = new Map<string, number>();
    for (const g of y) pool.set(g, (pool.get(g) ?? 0) + 1);
    let shared = 0;
    for (const g of x) if ((pool.get(g) ?? 0) > 0) (pool.set(g, pool.get(g)! - 1), shared++);
    const dice = (2 * shared) / (x.length + y.length);
    // Neighbours share the province, district and road: the house numbers tell them apart.
    const [n, m] = [a.match(/\d+/g) ?? [], b.match(/\d+/g) ?? []];
    return n.length && m.length && n[0] !== m[0] ? dice / 2 : dice;
  }
  const [x, y] = [a.split(' '), b.split(' ')];
  const used = new Array<boolean>(y.length).fill(false);
  let matched = 0;
  for (const w of x) {
    const digits = /^\d+$/.test(w);
    const j = y.findIndex((v, k) => !used[k] && (v === w || (!digits && v.length > 2 && w.length > 2 && jaroWinkler(v, w) >= 0.88)));
    if (j >= 0) (used[j] = true, matched++);
  }
  return (2 * matched) / (x.length + y.length);
}

/**
 * Email local parts one typo apart (zhangwei@qq.com, zhangwie@163.com: a slip or two letters
 * swapped). Local parts that differ only in their digits are different people's (zhangwei01,
 * zhangwei02; QQ numbers): names made into emails share their letters.
 */
function emailsClose(a: string, b: string): boolean {
  const local = (e: string) => e.split('@')[0]!.replace(/[._-]/g, '');
  const [x, y] = [local(a), local(b)];
  if (x === y) return true;
  if (x.replace(/\d/g, '') === y.replace(/\d/g, '')) return false;
  return Math.min(x.length, y.length) >= 5 && transposedOrEdited(x, y);
}

/** One character changed, added, dropped, or two neighbours swapped. */
function transposedOrEdited(x: string, y: string): boolean {
  if (editDistance(x, y) <= 1) return true;
  if (x.length !== y.length) return false;
  const diff = [...x].flatMap((c, i) => (c === y[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0]! + 1 && x[diff[0]!] === y[diff[1]!] && x[diff[1]!] === y[diff[0]!];
}

/**
 * What each comparison says, as points in the manner of Fellegi and Sunter: agreement adds,
 * disagreement takes away, a field one record lacks says nothing.
 */
function namePoints(a: MatchRecord, b: MatchRecord, name: NameComparison): number {
  const sim = name.similarity;
  // A Chinese name one character off (张伟, 张敏) counts a little against: a sibling as often as a slip.
  if (a.pinyin !== null && b.pinyin !== null) return sim === 1 ? 4 : sim >= 0.9 ? 3 : sim >= 0.75 ? -1 : -3;
  return sim >= 0.95 ? 4 : sim >= 0.9 ? 3 : sim >= 0.85 ? 1.5 : sim >= 0.8 ? 0 : -3;
}

/**
 * The score of a pair, with its reasons. Certain: a shared phone, email or member number and
 * names that agree (or differ by one character, with the same birthday). Otherwise the points of
 * every comparison both records allow, turned into a score between 0 and 1 by a logistic curve
 * centred on 1 point (same name, birthday and address, 11 points: 0.999; same name and different
 * phones, 1 point: 0.5). Without agreement beyond name and birthday (an address, an email, a
 * shared key) a pair stays below the default 0.8; with nothing beyond the name and city, below 0.5.
 * Set on the FEBRL set and the generated set (docs/benchmarks.md).
 */
export function scorePair(a: MatchRecord, b: MatchRecord): PairScore {
  const reasons: Reason[] = [];
  const shared: ReasonId[] = [];
  if (a.phones.some((p) => b.phones.includes(p))) shared.push('samePhone');
  if (a.email && a.email === b.email) shared.push('sameEmail');
  if (a.externalId && a.externalId === b.externalId) shared.push('sameExternalId');
  for (const id of shared) reasons.push({ id });
  const name = compareNames(a, b);
  reasons.push(name.reason);
  let points = namePoints(a, b, name);
  let birthdayAgrees = false;
  /** Agreement beyond name and birthday: an address, an email, a shared key. */
  let strong = false;
  let sameBirthday = false;
  if (a.birthday && b.birthday) {
    const bd = compareBirthdays(a.birthday, b.birthday);
    reasons.push(bd.reason);
    points += bd.similarity === 1 ? 4 : bd.similarity > 0 ? 1.5 : -3;
    birthdayAgrees = bd.similarity > 0;
    sameBirthday = bd.similarity === 1;
  }
  if (a.address && b.address) {
    const sim = a.address === b.address ? 1 : round(addressSimilarity(a.address, b.address));
    if (sim === 1) reasons.push({ id: 'sameAddress' });
    else if (sim >= 0.5) reasons.push({ id: 'addressSimilar', value: sim });
    points += Math.max(-1.5, (3 * (sim - 0.4)) / 0.6);
    if (sim >= 0.5) strong = true;
  }
  // Different phones on both: more likely two people (a changed phone is proved by another key).
  if (a.phones.length && b.phones.length && !shared.includes('samePhone')) points -= 3;
  if (a.email && b.email && a.email !== b.email) {
    if (emailsClose(a.email, b.email)) {
      reasons.push({ id: 'emailSimilar', value: 0.8 });
      points += 2;
      strong = true;
    } else points -= 0.5;
  }
  if (a.city && b.city) {
    reasons.push({ id: a.city === b.city ? 'sameCity' : 'cityDifferent' });
    points += a.city === b.city ? 0.5 : -1;
  }
  // A name one character off is certain only with the same birthday and a shared email or member
  // number: twins share a family phone.
  const personalKey = shared.includes('sameEmail') || shared.includes('sameExternalId');
  const certain = shared.length > 0 && (!name.contradicts || (name.similarity >= 0.5 && sameBirthday && personalKey));
  // Short of certain, a shared email or member number is strong evidence, a shared phone less so (families).
  if (shared.length > 0) {
    points += personalKey ? 4 : 2;
    strong = true;
  }
  if (certain) return { a: Math.min(a.id, b.id), b: Math.max(a.id, b.id), score: 1, certain, reasons };
  // A name and a city alone never pass 0.5; a name and a birthday alone (common names share
  // birthdays in a large book) stay below the default 0.8; nothing short of certain reaches 1.
  const cap = strong ? 0.99 : birthdayAgrees ? 0.79 : 0.5;
  const score = Math.min(cap, round(1 / (1 + Math.exp(-(points - 1) / 1.5))));
  return { a: Math.min(a.id, b.id), b: Math.max(a.id, b.id), score, certain, reasons };
}

// ---- Clusters ---------------------------------------------------------------------------------

/** A scored pair as kept for clustering: the reasons are worked out again for what is shown (a million pairs with their reasons would not fit in memory). */
export type Link = Pick<PairScore, 'a' | 'b' | 'score' | 'certain'>;

export interface Cluster {
  /** Members, the proposed survivor first. */
  ids: number[];
  survivor: number;
  /** The weakest link that holds the cluster together (1 when every link is certain). */
  confidence: number;
  certain: boolean;
  /** The pairs at or above the threshold between its members. */
  pairs: Link[];
}

/**
 * Groups pairs at or above minScore into clusters (A~B and B~C make A, B, C one cluster), strongest
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
  const kept = pairs.filter((p) => p.score >= minScore).sort((x, y) => y.score - x.score || x.a - y.a || x.b - y.b);
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
export function firstSharedKey(a: readonly string[], b: readonly string[], usable: (key: string) => boolean): string | null {
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

/** A record with its blocking keys, sorted. */
export type KeyedRecord = MatchRecord & { keys: string[] };

export function keyed(r: MatchRecord): KeyedRecord {
  return { ...r, keys: blockingKeys(r).sort() };
}

/**
 * Scores the pairs of each block once (in the first block they share), leaving out keys shared by
 * too many records and pairs marked as different people; keeps pairs scoring at least `floor`.
 */
export function scoreBlocks(
  blocks: Iterable<{ key: string; ids: number[] }>,
  get: (id: number) => KeyedRecord,
  opts: { floor: number; tooCommon: ReadonlySet<string> | Map<string, number>; distinct: ReadonlySet<string> },
): Link[] {
  const usable = (k: string) => !opts.tooCommon.has(k);
  const pairs: Link[] = [];
  for (const block of blocks) {
    if (!usable(block.key)) continue;
    const records = block.ids.map(get);
    for (let i = 0; i < records.length; i++) {
      for (let j = i + 1; j < records.length; j++) {
        const [a, b] = [records[i]!, records[j]!];
        if (firstSharedKey(a.keys, b.keys, usable) !== block.key) continue;
        if (opts.distinct.has(`${Math.min(a.id, b.id)}:${Math.max(a.id, b.id)}`)) continue;
        const s = scorePair(a, b);
        if (s.score >= opts.floor) pairs.push({ a: s.a, b: s.b, score: s.score, certain: s.certain });
      }
    }
  }
  return pairs;
}

/**
 * Why a member belongs to its cluster: its pair with the survivor when that pair holds at
 * `minScore`, else its strongest pair within the cluster (it joined through another member).
 */
export function explainMember(c: Pick<Cluster, 'ids' | 'survivor'>, id: number, get: (id: number) => MatchRecord, minScore: number): PairScore | null {
  if (id === c.survivor) return null;
  let best = scorePair(get(c.survivor), get(id));
  if (best.score >= minScore) return best;
  for (const other of c.ids) {
    if (other === id || other === c.survivor) continue;
    const p = scorePair(get(other), get(id));
    if (p.score > best.score) best = p;
  }
  return best;
}

/** The pairs within a cluster that hold at `minScore`. */
export function clusterLinks(c: Pick<Cluster, 'ids'>, get: (id: number) => MatchRecord, minScore: number): PairScore[] {
  const out: PairScore[] = [];
  for (let i = 0; i < c.ids.length; i++) {
    for (let j = i + 1; j < c.ids.length; j++) {
      const p = scorePair(get(c.ids[i]!), get(c.ids[j]!));
      if (p.score >= minScore) out.push(p);
    }
  }
  return out.sort((x, y) => x.a - y.a || x.b - y.b);
}
