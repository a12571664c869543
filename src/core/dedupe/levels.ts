// Finding duplicate customers, the comparison vector: for each field two records can be compared
// on, how far they agree, as one of a few levels (exact, close, ..., different), or missing when one
// record lacks it. The match model (model.ts) weighs each level by how often it happens between
// records of one person (m) and of two people (u). Pure.
import { addressSimilarity, compareBirthdays, compareNames, emailsClose, nameSimilarity, oneEditApart } from './compare.js';
import { nameValue, type MatchRecord } from './record.js';

/** The fields crm always compares; a custom field that behaves like an identifier joins them as `custom`. */
export type FieldKind = 'name' | 'birthday' | 'phone' | 'email' | 'city' | 'address' | 'gender' | 'member' | 'custom';

/** Each kind's levels, strongest agreement first; the last is "different". */
export const LEVELS: Record<FieldKind, readonly string[]> = {
  name: ['exact', 'pinyin', 'close', 'similar', 'family', 'different'],
  birthday: ['exact', 'close', 'different'],
  phone: ['exact', 'close', 'different'],
  email: ['exact', 'close', 'domain', 'different'],
  city: ['exact', 'different'],
  address: ['exact', 'similar', 'partial', 'different'],
  gender: ['exact', 'different'],
  member: ['exact', 'close', 'different'],
  custom: ['exact', 'close', 'different'],
};

/** A field of the model: its kind, and for a custom field its key in the customer's fields. */
export interface FieldSpec {
  kind: FieldKind;
  key?: string;
}

export const BUILT_IN_FIELDS: readonly FieldSpec[] = (['name', 'birthday', 'phone', 'email', 'city', 'address', 'gender', 'member'] as const).map((kind) => ({ kind }));

/** The name a field is shown and stored by: its kind, or `field:<key>` for a custom field. */
export const fieldId = (f: FieldSpec) => (f.kind === 'custom' ? `field:${f.key}` : f.kind);

/** Missing: one record or both lack the field. */
export const MISSING = -1;

const domainOf = (email: string) => email.slice(email.indexOf('@') + 1);

/** The name levels that say two people of one family (张伟 and 张敏, Michelle and Jessica Chen), and two people. */
export const NAME_FAMILY = 4;
export const NAME_DIFFERENT = 5;

/**
 * Names: the same, the same pinyin, a typo apart (Latin names), alike, a family's (a Chinese name a
 * character off, another given name with the same surname: siblings as often as slips), different.
 */
function compareName(a: MatchRecord, b: MatchRecord): number {
  if (!a.name || !b.name) return MISSING;
  if (nameValue(a) === nameValue(b)) return 0;
  if (a.pinyin !== null && b.pinyin !== null && a.pinyin === b.pinyin) return 1;
  const c = compareNames(a, b);
  if (c.contradicts) return c.similarity >= 0.5 ? NAME_FAMILY : NAME_DIFFERENT;
  const s = nameSimilarity(a, b);
  return s >= 0.92 ? 2 : s >= 0.8 ? 3 : NAME_DIFFERENT;
}

/**
 * What a household shares: when the names say two people (a family's or different), a shared
 * phone or address is the household's, not evidence of one person, and counts nothing (a city is
 * shared by more than a household: it still counts).
 */
export const HOUSEHOLD: ReadonlySet<FieldKind> = new Set(['phone', 'address']);
export const householdOnly = (nameLevel: number) => nameLevel === NAME_FAMILY || nameLevel === NAME_DIFFERENT;

function compareBirthday(a: string | null, b: string | null): number {
  if (!a || !b) return MISSING;
  if (a === b) return 0;
  return compareBirthdays(a, b).similarity > 0 ? 1 : 2;
}

/** Phones: one shared, one digit apart, or all different. */
function comparePhones(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return MISSING;
  for (const p of a) if (b.includes(p)) return 0;
  for (const p of a) for (const q of b) if (p.length === q.length && oneEditApart(p, q)) return 1;
  return 2;
}

function compareEmail(a: string | null, b: string | null): number {
  if (!a || !b) return MISSING;
  if (a === b) return 0;
  if (emailsClose(a, b)) return 1;
  return domainOf(a) === domainOf(b) ? 2 : 3;
}

function compareExact(a: string | null | undefined, b: string | null | undefined): number {
  if (!a || !b) return MISSING;
  return a === b ? 0 : 1;
}

function compareIdentifier(a: string | null | undefined, b: string | null | undefined): number {
  if (!a || !b) return MISSING;
  if (a === b) return 0;
  return oneEditApart(a, b) ? 1 : 2;
}

function compareAddress(a: string | null, b: string | null): number {
  if (!a || !b) return MISSING;
  if (a === b) return 0;
  const s = addressSimilarity(a, b);
  return s >= 0.8 ? 1 : s >= 0.5 ? 2 : 3;
}

/** How two records agree on one field: a level, or MISSING (no objects made: it runs for millions of pairs). */
export function compareField(f: FieldSpec, a: MatchRecord, b: MatchRecord): number {
  switch (f.kind) {
    case 'name':
      return compareName(a, b);
    case 'birthday':
      return compareBirthday(a.birthday, b.birthday);
    case 'phone':
      return comparePhones(a.phones, b.phones);
    case 'email':
      return compareEmail(a.email, b.email);
    case 'city':
      return compareExact(a.city, b.city);
    case 'address':
      return compareAddress(a.address, b.address);
    case 'gender':
      return compareExact(a.gender, b.gender);
    case 'member':
      return compareIdentifier(a.externalId, b.externalId);
    case 'custom':
      return compareIdentifier(a.extra[f.key!], b.extra[f.key!]);
  }
}

/**
 * The values two records agree on at a level whose term frequency counts (model.ts tfField): the
 * exact level's value (every shared phone), the email domain.
 */
export function agreedValues(f: FieldSpec, a: MatchRecord, level: number, b: MatchRecord): string[] {
  switch (f.kind) {
    case 'name':
      return [nameValue(a)];
    case 'phone':
      return a.phones.filter((p) => b.phones.includes(p));
    case 'email':
      return [level === 0 ? a.email! : domainOf(a.email!)];
    case 'custom':
      return [a.extra[f.key!]!];
    case 'member':
      return [a.externalId!];
    default:
      return [(a as unknown as Record<string, string>)[f.kind]!];
  }
}

/** The comparison vector of a pair: a level per field (MISSING where one lacks it). */
export function compareRecords(fields: readonly FieldSpec[], a: MatchRecord, b: MatchRecord): Int8Array {
  const v = new Int8Array(fields.length);
  for (let i = 0; i < fields.length; i++) v[i] = compareField(fields[i]!, a, b);
  return v;
}
