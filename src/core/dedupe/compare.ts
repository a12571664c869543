// Finding duplicate customers, the comparisons: how alike two records' names, birthdays, addresses
// and emails are (levels.ts turns them into the model's levels of agreement).
import { jaroWinkler } from '@skyra/jaro-winkler';
import { HAN, type MatchRecord } from './record.js';

/** Levenshtein distance by code point (names are short: two rows of small integers). */
function editDistance(a: string, b: string): number {
  const x = a.length === [...a].length ? a : [...a];
  const y = b.length === [...b].length ? b : [...b];
  let prev = new Uint16Array(y.length + 1).map((_, j) => j);
  let cur = new Uint16Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    [prev, cur] = [cur, prev];
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
  let diff = a.length === b.length ? 0 : 2;
  for (let i = 0; i < a.length && diff < 2; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) diff++;
  const swapped = a.length === 10 && b.length === 10 && a.slice(0, 4) === b.slice(0, 4) && a.slice(5, 7) === b.slice(8, 10) && a.slice(8, 10) === b.slice(5, 7);
  return { similarity: diff === 1 || swapped ? 0.5 : 0 };
}

/** The character pairs of a text as numbers (one UTF-16 unit each: Chinese addresses are in the BMP), sorted. */
function bigrams(s: string): Int32Array {
  const out = new Int32Array(Math.max(0, s.length - 1));
  for (let i = 0; i + 1 < s.length; i++) out[i] = (s.charCodeAt(i) << 16) | s.charCodeAt(i + 1);
  return out.sort();
}

const firstNumber = (s: string) => /\d+/.exec(s)?.[0];

/** Chinese character pairs shared (Dice); words with typos matched (street names, suburbs, postcodes). */
export function addressSimilarity(a: string, b: string): number {
  if (HAN.test(a) || HAN.test(b)) {
    const [x, y] = [bigrams(a), bigrams(b)];
    if (x.length === 0 || y.length === 0) return a === b ? 1 : 0;
    let shared = 0;
    for (let i = 0, j = 0; i < x.length && j < y.length; ) {
      if (x[i]! < y[j]!) i++;
      else if (x[i]! > y[j]!) j++;
      else (shared++, i++, j++);
    }
    const dice = (2 * shared) / (x.length + y.length);
    if (dice < 0.5) return dice;
    // Neighbours share the province, district and road: the house numbers tell them apart.
    const [n, m] = [firstNumber(a), firstNumber(b)];
    return n !== undefined && m !== undefined && n !== m ? dice / 2 : dice;
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
  const [x, y] = [localPart(a), localPart(b)];
  if (x === y) return true;
  // Most pairs differ by more than one character: settled before the digits are looked at.
  if (Math.min(x.length, y.length) < 5 || !oneEditApart(x, y)) return false;
  return x.replace(/\d/g, '') !== y.replace(/\d/g, '');
}

/** An email's local part without dots, dashes and underscores. */
function localPart(e: string): string {
  const at = e.indexOf('@');
  const local = at < 0 ? e : e.slice(0, at);
  return /[._-]/.test(local) ? local.replace(/[._-]/g, '') : local;
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
