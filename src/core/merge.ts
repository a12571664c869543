// What a customer becomes when others are merged into it. Nothing the merged records knew is
// dropped: phones and tags are joined, an empty field takes the first value another record has,
// and a value that differs from the one kept (an old email, the name in traditional characters)
// is kept as a custom field "merged:<field>". A refusal to be contacted is never dropped.
import type { Customer, CustomerFields } from './customer.js';
import { emptyFields, fieldValue, hasField, setField } from './fields.js';
import { LIMITS } from './limits.js';

/** The single-valued fields a merge chooses between. */
export const MERGE_FIELDS = ['name', 'email', 'gender', 'birthday', 'city', 'address', 'externalId', 'note'] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

export const MERGED_PREFIX = 'merged:';

/** Where the records disagree: each field with two or more different non-empty values, the survivor's first. */
export function differences(survivor: Customer, others: Customer[]): { field: MergeField; values: string[] }[] {
  const out: { field: MergeField; values: string[] }[] = [];
  for (const field of MERGE_FIELDS) {
    const values = [...new Set([survivor, ...others].map((c) => c[field]).filter((v): v is NonNullable<typeof v> => v !== null && v !== ''))].map(String);
    if (values.length > 1) out.push({ field, values });
  }
  return out;
}

/**
 * The survivor's fields after the merge. `chosen` overrides the value kept for a field (an
 * interactive review); the others' differing values are kept under merged:<field>.
 */
export function mergedFields(survivor: Customer, others: Customer[], chosen: Partial<Record<MergeField, string>> = {}): CustomerFields {
  const all = [survivor, ...others];
  const next: CustomerFields = {
    name: survivor.name,
    nameRaw: survivor.nameRaw,
    phones: [],
    email: survivor.email,
    emailRaw: survivor.emailRaw,
    gender: survivor.gender,
    birthday: survivor.birthday,
    birthdayLunar: survivor.birthdayLunar,
    city: survivor.city,
    address: survivor.address,
    externalId: survivor.externalId,
    note: survivor.note,
    tags: [],
    fields: emptyFields(),
    doNotContact: all.some((c) => c.doNotContact),
  };
  for (const field of MERGE_FIELDS) {
    const want = chosen[field];
    const from = want !== undefined ? all.find((c) => String(c[field] ?? '') === want) : next[field] === null ? all.find((c) => c[field] !== null) : undefined;
    if (from) {
      (next as unknown as Record<string, unknown>)[field] = from[field];
      if (field === 'name') next.nameRaw = from.nameRaw;
      if (field === 'email') next.emailRaw = from.emailRaw;
      if (field === 'birthday') next.birthdayLunar = from.birthdayLunar;
    }
  }
  const seenPhones = new Set<string>();
  for (const c of all) for (const p of c.phones) if (!seenPhones.has(p.e164)) (seenPhones.add(p.e164), next.phones.push(p));
  const seenTags = new Set<string>();
  for (const c of all) for (const t of c.tags) if (!seenTags.has(t.toLowerCase())) (seenTags.add(t.toLowerCase()), next.tags.push(t));
  // Custom fields: the survivor's value first; another record's different value is kept beside it.
  for (const c of all) {
    for (const [k, v] of Object.entries(c.fields)) {
      if (!hasField(next.fields, k)) setField(next.fields, k, v);
      else if (next.fields[k] !== v) keep(next.fields, k, v);
    }
  }
  for (const field of MERGE_FIELDS) {
    const kept = String(next[field] ?? '');
    for (const c of all) {
      const v = c[field];
      if (v !== null && v !== '' && String(v) !== kept) keep(next.fields, field, String(v));
    }
  }
  return next;
}

/**
 * Adds a value to merged:<key> ("a; b"), once. A custom field's value holds at most
 * LIMITS.fieldValue characters: what would pass them is cut there with "…" (a merge never fails for
 * it, and the merged records' whole values stay in the merge's history, which undo restores).
 */
function keep(fields: Record<string, string>, key: string, value: string): void {
  const k = key.startsWith(MERGED_PREFIX) ? key : `${MERGED_PREFIX}${key}`;
  const was = fieldValue(fields, k);
  const have = was ? was.split('; ') : [];
  if (have.includes(value) || (was !== undefined && was.endsWith('…') && [...was].length >= LIMITS.fieldValue)) return;
  setField(fields, k, upTo([...have, value].join('; '), LIMITS.fieldValue));
}

/** `text` when it has at most `max` characters (code points), else its first max - 1 and "…". */
function upTo(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
