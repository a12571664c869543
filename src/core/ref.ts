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

export function refLookups(ref: string, country: string): RefLookup[] {
  const text = ref.normalize('NFKC').trim();
  const colon = text.indexOf(':');
  const prefix = colon > 0 ? text.slice(0, colon).toLowerCase() : '';
  if ((PREFIXES as readonly string[]).includes(prefix)) {
    const rest = text.slice(colon + 1).trim();
    switch (prefix) {
      case 'id':
        return /^\d+$/.test(rest) ? [{ kind: 'id', id: Number(rest) }] : [];
      case 'phone': {
        const e164 = tryNormalizePhone(rest, country);
        return e164 ? [{ kind: 'phone', e164 }] : [];
      }
      case 'email':
        return [{ kind: 'email', email: rest.toLowerCase() }];
      case 'ext':
        return [{ kind: 'external', value: rest }];
      default:
        return [{ kind: 'name', name: normalizeText(rest) ?? rest }];
    }
  }
  if (/^#\d+$/.test(text)) return [{ kind: 'id', id: Number(text.slice(1)) }];
  if (text.includes('@')) return [{ kind: 'email', email: text.toLowerCase() }];
  const lookups: RefLookup[] = [];
  if (/^\d+$/.test(text) && text.length <= 15) lookups.push({ kind: 'id', id: Number(text) });
  if (/^[+\d\s\-().]+$/.test(text)) {
    const e164 = tryNormalizePhone(text, country);
    if (e164) lookups.push({ kind: 'phone', e164 });
  }
  lookups.push({ kind: 'external', value: text });
  if (!/^[+\d\s\-().]+$/.test(text)) lookups.push({ kind: 'name', name: normalizeText(text) ?? text });
  return lookups;
}
