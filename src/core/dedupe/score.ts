// Finding duplicate customers, the score of a pair: the match model's probability that two records
// are one person (each field's bits of evidence, with the reasons), and whether the pair is certain:
// what `crm dedupe --auto` merges without a score.
import { compareBirthdays, compareNames } from './compare.js';
import { agreedValues, compareField, fieldId, HOUSEHOLD, householdOnly, LEVELS, MISSING } from './levels.js';
import { levelBits, probabilityOf, tfField, tfMark, type Contribution, type Weigher } from './model.js';
import { nameValue, type MatchRecord } from './record.js';

export interface PairScore {
  a: number;
  b: number;
  /** The match probability, from 0 to 1. */
  score: number;
  /** The match weight in bits (the prior included): the probability is 1 / (1 + 2^-weight). */
  weight: number;
  certain: boolean;
  /** Each compared field's bits, the fields both records have (a missing one adds nothing). */
  reasons: Contribution[];
}

/** A certain pair is also this likely by the model: a shared phone and agreeing names the model doubts are left to a person. */
export const CERTAIN_PROBABILITY = 0.95;

/**
 * Certain: a shared phone, email, member number or identifier (a custom field the model compares,
 * such as an ID card number), and the same name (once spaces, full-width and traditional characters
 * are set aside); names only alike (the same pinyin) with a shared email, member number or
 * identifier; a Chinese name one character off only with that and the same birthday (siblings share
 * phones and generation characters); and no other gender or birthday recorded.
 */
export function certainRule(a: MatchRecord, b: MatchRecord): boolean {
  // A name of punctuation or symbols only (?, -, 😀) is no name: nothing says the two agree.
  if (!a.name || !b.name) return false;
  const phone = a.phones.some((p) => b.phones.includes(p));
  const email = !!a.email && a.email === b.email;
  const member = (!!a.externalId && a.externalId === b.externalId) || Object.keys(a.extra).some((k) => a.extra[k] === b.extra[k]);
  if (!phone && !email && !member) return false;
  // Nothing recorded may say two people: another gender, a birthday not even one digit apart.
  if (a.gender && b.gender && a.gender !== b.gender) return false;
  if (a.birthday && b.birthday && a.birthday !== b.birthday && compareBirthdays(a.birthday, b.birthday).similarity === 0) return false;
  // The same name settles it with any shared key. Names only alike (the same pinyin, a Latin name a
  // letter off) need a key of the person's own: twins on the family phone get names that sound alike
  // (罗家轩, 罗嘉璇). A Chinese name a character off needs the same birthday as well.
  if (nameValue(a) === nameValue(b)) return true;
  const name = compareNames(a, b);
  if (!name.contradicts) return email || member;
  return name.similarity >= 0.5 && !!a.birthday && a.birthday === b.birthday && (email || member);
}

/** The weight of a pair, with each field's part when `explain` (scoring millions of pairs skips them). */
export function weighPair(w: Weigher, a: MatchRecord, b: MatchRecord, explain = true): PairScore {
  const fields = w.model.fields;
  let weight = w.prior;
  const reasons: Contribution[] = [];
  // The names say whether a shared phone or address is a household's (whatever the fields' order).
  const nameAt = w.nameAt;
  const nameLevel = nameAt >= 0 ? compareField(fields[nameAt]!, a, b) : MISSING;
  const household = householdOnly(nameLevel);
  for (let f = 0; f < fields.length; f++) {
    const spec = fields[f]!;
    const level = f === nameAt ? nameLevel : compareField(spec, a, b);
    if (level === MISSING) continue;
    if (household && HOUSEHOLD.has(spec.kind)) {
      if (explain) reasons.push({ field: fieldId(spec), level: LEVELS[spec.kind][level]!, bits: 0, household: true });
      continue;
    }
    const key = tfField(spec, level);
    let value: string | undefined;
    if (key !== null) {
      const values = agreedValues(spec, a, level, b);
      // Of several shared phones, the rarest speaks.
      value = values.length === 1 ? values[0] : values.reduce((x, y) => (w.freq.count(key, y) < w.freq.count(key, x) ? y : x));
    }
    const bits = levelBits(w, f, level, value);
    weight += bits;
    if (explain) {
      const tf = key === null ? undefined : tfMark(w, f, level, bits);
      reasons.push({ field: fieldId(spec), level: LEVELS[spec.kind][level]!, bits, ...(tf ? { tf } : {}) });
    }
  }
  const score = probabilityOf(weight);
  return { a: Math.min(a.id, b.id), b: Math.max(a.id, b.id), score, weight, certain: score >= CERTAIN_PROBABILITY && certainRule(a, b), reasons };
}

/** Whether a pair holds at a threshold: a probability, or 1 for certain pairs only (a probability never reaches 1). */
export const holds = (p: Pick<PairScore, 'score' | 'certain'>, minScore: number) => (minScore >= 1 ? p.certain : p.score >= minScore);
