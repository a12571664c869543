// A <ref> names one customer: an id, a phone in any common form, an email, an external id or a name.
// This module turns the text into the lookups to try; the store runs them, and more than one
// customer found means the ref is ambiguous.
import { normalizeText } from './text.js';
import { tryNormalizePhone } from './phone.js';

export type RefLookup =
  | { kind: 'id'; id: number }
  | { kind: 'phone'; e164: string }
  | { kind: 'email'; email: string }
  | { kind: 'external'; value: string }
  | { kind: 'name'; name: string };

const PREFIXES = ['id', 'phone', 'email', 'ext', 'name'] as const;
const PHONE_CHARS = /^[+\d\s\-().]+$/;

/**
 * The lookups a ref stands for, in tiers of precedence: the first tier that finds anyone decides,
 * and more than one customer within that tier is an ambiguous ref. A bare number is an id before
 * it is a phone or a member number (ext:42 names member number 42); a member number comes before
 * a name.
 */
export function refLookups(ref: string, country: string): RefLookup[][] {
  const text = ref.normalize('NFKC').trim();
  const colon = text.indexOf(':');
  const prefix = colon > 0 ? text.slice(0, colon).toLowerCase() : '';
  if ((PREFIXES as readonly string[]).includes(prefix)) {
    const rest = text.slice(colon + 1).trim();
    switch (prefix) {
      case 'id':
        return /^\d+$/.test(rest) ? [[{ kind: 'id', id: Number(rest) }]] : [];
      case 'phone': {
        const e164 = tryNormalizePhone(rest, country);
        return e164 ? [[{ kind: 'phone', e164 }]] : [];
      }
      case 'email':
        return [[{ kind: 'email', email: rest.toLowerCase() }]];
      case 'ext':
        return [[{ kind: 'external', value: rest }]];
      default:
        return [[{ kind: 'name', name: normalizeText(rest) ?? rest }]];
    }
  }
  if (/^#\d+$/.test(text)) return [[{ kind: 'id', id: Number(text.slice(1)) }]];
  if (text.includes('@')) return [[{ kind: 'email', email: text.toLowerCase() }]];
  const tiers: RefLookup[][] = [];
  if (/^\d{1,15}$/.test(text)) tiers.push([{ kind: 'id', id: Number(text) }]);
  if (PHONE_CHARS.test(text)) {
    const e164 = tryNormalizePhone(text, country);
    tiers.push([...(e164 ? [{ kind: 'phone', e164 } as const] : []), { kind: 'external', value: text }]);
    return tiers;
  }
  return [[{ kind: 'external', value: text }], [{ kind: 'name', name: normalizeText(text) ?? text }]];
}

/** The customers a ref names: the ids found by its first tier that finds any (sorted, distinct). */
export function resolveRef(tiers: RefLookup[][], find: (lookup: RefLookup) => number[]): number[] {
  for (const tier of tiers) {
    const ids = new Set(tier.flatMap(find));
    if (ids.size > 0) return [...ids].sort((a, b) => a - b);
  }
  return [];
}
