// Finding duplicate customers, the comparisons: how alike two records' names, birthdays, addresses
// and emails are (levels.ts turns them into the model's levels of agreement).
import { jaroWinkler } from '@skyra/jaro-winkler';
import { HAN, type MatchRecord } from './record.js';

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
 * Latin names: the words paired one to one, most alike first, so swapped given name and surname
 * and a missing word matter little; `worst` is the least alike pair (Michelle Chen and Jessica Chen
 * share a surname, not a person; nor do Linda Lin and Rachel Lin, though "linda" is close to "lin":
 * a word is paired once). Words split or joined (mc carthy, mccarthy) are compared joined.
 */
function wordsSimilarity(a: string[], b: string[]): { similarity: number; worst: number } {
  if (a.length === 0 || b.length === 0) return { similarity: 0, worst: 0 };
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < short.length; i++) for (let j = 0; j < long.length; j++) pairs.push([jaroWinkler(short[i]!, long[j]!), i, j]);
  pairs.sort((x, y) => y[0] - x[0]);
  const [usedShort, usedLong] = [new Set<number>(), new Set<number>()];
  let sum = 0;
  let worst = 1;
  for (const [sim, i, j] of pairs) {
    if (usedShort.has(i) || usedLong.has(j)) continue;
    usedShort.add(i);
    usedLong.add(j);
    sum += sim;
    worst = Math.min(worst, sim);
  }
  let similarity = (sum / short.length) * (short.length === long.length ? 1 : 0.95);
  if (a.length !== b.length) {
    const joined = jaroWinkler(a.join(''), b.join(''));
    if (joined > similarity) [similarity, worst] = [joined, joined];
  }
  return { similarity, worst };
}

export interface NameComparison {
  similarity: number;
  /** The names cannot be the same person's (a family sharing a phone). */
  contradicts: boolean;
}

export function compareNames(a: MatchRecord, b: MatchRecord): NameComparison {
  if (!a.name || !b.name) return { similarity: 0, contradicts: false };
  if (a.name === b.name) return { similarity: 1, contradicts: false };
  if (a.pinyin !== null && b.pinyin !== null) {
    if (a.pinyin === b.pinyin) return { similarity: 0.9, contradicts: false };
    const d = editDistance(a.name, b.name);
    const longest = Math.max([...a.name].length, [...b.name].length);
    // One character typed wrong or left out: similar, but it may as well be a sibling's name
    // (张伟, 张敏; 刘明超, 刘明平 share a generation character), so only other evidence can make it certain.
    if (d === 1) return { similarity: 0.75, contradicts: true };
    const similarity = round(Math.max(0, 1 - d / longest));
    return { similarity, contradicts: true };
  }
  const w = wordsSimilarity(a.words.length ? a.words : [a.name], b.words.length ? b.words : [b.name]);
  const similarity = round(w.similarity);
  if (a.words.length > 0 && a.words.join(' ') === b.words.join(' ')) return { similarity: 1, contradicts: false };
  return { similarity, contradicts: w.worst < 0.8 };
}

/** How alike two Latin names are, from 0 to 1, word by word (swapped, split or joined words matter little): for the model's close and similar levels. */
export function nameSimilarity(a: MatchRecord, b: MatchRecord): number {
  if (a.name === b.name) return 1;
  return wordsSimilarity(a.words.length ? a.words : [a.name], b.words.length ? b.words : [b.name]).similarity;
}

export const round = (x: number) => Math.round(x * 100) / 100;

export function compareBirthdays(a: string, b: string): { similarity: number } {
  if (a === b) return { similarity: 1 };
  // A birthday kept without its year (--03-05) says the month and day only.
  if (a.startsWith('--') || b.startsWith('--')) return a.slice(-5) === b.slice(-5) ? { similarity: 0.9 } : { similarity: 0 };
  // One digit typed wrong, or day and month swapped: close, not the same.
  const [x, y] = [a.replace(/\D/g, ''), b.replace(/\D/g, '')];
  let diff = 0;
  if (x.length === y.length) for (let i = 0; i < x.length; i++) diff += x[i] === y[i] ? 0 : 1;
  const swapped = a.length === 10 && b.length === 10 && a.slice(0, 4) === b.slice(0, 4) && a.slice(5, 7) === b.slice(8, 10) && a.slice(8, 10) === b.slice(5, 7);
  if (diff === 1 || swapped) return { similarity: 0.5 };
  return { similarity: 0 };
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
export function emailsClose(a: string, b: string): boolean {
  const local = (e: string) => e.split('@')[0]!.replace(/[._-]/g, '');
  const [x, y] = [local(a), local(b)];
  if (x === y) return true;
  if (x.replace(/\d/g, '') === y.replace(/\d/g, '')) return false;
  return Math.min(x.length, y.length) >= 5 && oneEditApart(x, y);
}

/** One character changed, added, dropped, or two neighbours swapped (linear, no allocation: it runs for millions of pairs). */
export function oneEditApart(x: string, y: string): boolean {
  const [n, m] = [x.length, y.length];
  if (Math.abs(n - m) > 1) return false;
  if (n === m) {
    let first = -1;
    let second = -1;
    for (let i = 0; i < n; i++) {
      if (x.charCodeAt(i) === y.charCodeAt(i)) continue;
      if (first < 0) first = i;
      else if (second < 0) second = i;
      else return false;
    }
    if (second < 0) return true;
    return second === first + 1 && x[first] === y[second] && x[second] === y[first];
  }
  const [long, short] = n > m ? [x, y] : [y, x];
  let i = 0;
  while (i < short.length && long.charCodeAt(i) === short.charCodeAt(i)) i++;
  for (let j = i; j < short.length; j++) if (long.charCodeAt(j + 1) !== short.charCodeAt(j)) return false;
  return true;
}
