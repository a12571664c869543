// Finding duplicate customers, the score of a pair: certain (a shared key and names that agree),
// or points in the manner of Fellegi and Sunter turned into a score from 0 to 1, with the reasons.
import { addressSimilarity, compareBirthdays, compareNames, emailsClose, round, type NameComparison, type Reason, type ReasonId } from './compare.js';
import type { MatchRecord } from './record.js';

export interface PairScore {
  a: number;
  b: number;
  score: number;
  certain: boolean;
  reasons: Reason[];
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
