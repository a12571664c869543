// Phone numbers: parsed and validated by libphonenumber-js (Google's libphonenumber metadata),
// stored as E.164. A number typed without a country code belongs to the shop's country.
import { createRequire } from 'node:module';
import type { CountryCode } from 'libphonenumber-js/max';
import { badInput } from '../errors.js';
import type { Phone } from './customer.js';

// The full metadata (accurate validity, not only lengths) takes ~40 ms to load: load it on first use,
// so commands that never parse a phone (list, show, most searches) start faster.
const require = createRequire(import.meta.url);
let lib: typeof import('libphonenumber-js/max') | undefined;
const phonelib = () => (lib ??= require('libphonenumber-js/max') as typeof import('libphonenumber-js/max'));
const parsePhoneNumberFromString: typeof import('libphonenumber-js/max').parsePhoneNumberFromString = (...args) =>
  phonelib().parsePhoneNumberFromString(...args);
const isSupportedCountry = (code: string) => phonelib().isSupportedCountry(code);

export function isCountry(code: string): boolean {
  return isSupportedCountry(code.toUpperCase());
}

/** Parses a phone typed in any common form (+86 138-0013-8000, 0086 13800138000, 138 0013 8000). */
export function normalizePhone(raw: string, country: string): Phone {
  const cleaned = raw.normalize('NFKC').trim();
  const parsed = parsePhoneNumberFromString(cleaned, { defaultCountry: country.toUpperCase() as CountryCode });
  if (!parsed || !parsed.isValid()) throw badInput('err.phone', { value: raw });
  const e164 = parsed.number;
  return { e164, raw: raw === e164 ? null : raw };
}

/** The same as normalizePhone, or null when the text is no valid phone number. */
export function tryNormalizePhone(raw: string, country: string): string | null {
  const parsed = parsePhoneNumberFromString(raw.normalize('NFKC').trim(), { defaultCountry: country.toUpperCase() as CountryCode });
  return parsed && parsed.isValid() ? parsed.number : null;
}

/**
 * The national significant number of an E.164 phone (+862164871234 -> 2164871234) and the digits as
 * dialled within the country, trunk prefix included (02164871234).
 */
export function nationalForms(e164: string): { national: string; dialled: string } {
  const parsed = parsePhoneNumberFromString(e164);
  const national = parsed?.nationalNumber ?? e164.replace(/^\+/, '');
  return { national, dialled: parsed?.formatNational().replace(/\D/g, '') ?? national };
}
