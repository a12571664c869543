// Phone numbers: parsed and validated by libphonenumber-js (Google's libphonenumber metadata),
// stored as E.164. A number typed without a country code belongs to the shop's country.
import { createRequire } from 'node:module';
import type { CountryCode } from 'libphonenumber-js/max';
import { badInput } from '../errors.js';
import { CONTROL } from './controls.js';
import type { Phone } from './customer.js';

// The full metadata (accurate validity, not only lengths) takes ~40 ms to load: load it on first use,
// so commands that never parse a phone (list, show, most searches) start faster.
const require = createRequire(import.meta.url);
let lib: typeof import('libphonenumber-js/max') | undefined;
const phonelib = () => (lib ??= require('libphonenumber-js/max') as typeof import('libphonenumber-js/max'));
const parsePhoneNumberFromString: typeof import('libphonenumber-js/max').parsePhoneNumberFromString = (...args) =>
  phonelib().parsePhoneNumberFromString(...args);

/**
 * A country's numbering plan in libphonenumber's metadata (its format 4, as the library's Metadata
 * class reads it): calling code, international (IDD) prefix, national number pattern, possible
 * lengths, …, the national prefix's transform rule at 8, and the types at 11 (fixed line, mobile, …:
 * each 0 or its pattern and, when they differ from the plan's, its lengths).
 */
type Plan = [callingCode: string, idd: string, pattern: string, lengths: number[], ...rest: unknown[]];
interface PhoneMetadata {
  countries: Record<string, Plan>;
  country_calling_codes: Record<string, string[]>;
}
// The library's code is ~30 ms to load (73 files: every entry point loads them all), its metadata
// alone ~5 ms: what can be told from the metadata (a country code, the CN mobile pattern, digits too
// short for any number) is read from it.
let metadata: PhoneMetadata | undefined;
const phoneMetadata = () => (metadata ??= require('libphonenumber-js/metadata.max.json') as PhoneMetadata);

/** A country the metadata knows (libphonenumber's isSupportedCountry is this very look-up); checked at every start of a shop whose country is set. */
export function isCountry(code: string): boolean {
  return Object.hasOwn(phoneMetadata().countries, code.toUpperCase());
}

// Mainland mobiles are most of what a Chinese shop imports, and libphonenumber's full parse costs
// ~15 µs each (15 s a million). A well-formed one is checked against libphonenumber's own pattern
// for CN mobile numbers instead (its metadata's, as Metadata's type('MOBILE').pattern() gives it);
// anything else goes through the full parse.
let cnMobile: RegExp | undefined;
function cnMobilePattern(): RegExp {
  if (!cnMobile) {
    const mobile = (phoneMetadata().countries.CN![11] as [unknown, [string]])[1][0];
    cnMobile = new RegExp(`^(?:${mobile})$`);
  }
  return cnMobile;
}

const shortest = new Map<string, number>();

/**
 * Digits alone that libphonenumber would find no valid number in, for a shop in `country`, told
 * from the metadata without the library's code. Its parse of digits without + reads them in the
 * shop's country unless they start with its international prefix; takes off at most a leading
 * calling code and a national prefix (without a transform rule, which could add digits), so the
 * national number is at most the digits; and a number is valid only in a type of the plan it lands
 * in (the shop's country or another of its calling code) whose lengths hold the national number's.
 * Digits shorter than every such length are no phone (13800, 6978 in a CN shop: the shortest is 7).
 * False whenever that does not settle it (then the library decides).
 */
function tooShortForAPhone(digits: string, country: string): boolean {
  const md = phoneMetadata();
  const plan = Object.hasOwn(md.countries, country) ? md.countries[country]! : undefined;
  if (!plan || plan[8] || new RegExp(`^(?:${plan[1]})`).test(digits)) return false;
  let min = shortest.get(country);
  if (min === undefined) {
    min = Infinity;
    for (const code of md.country_calling_codes[plan[0]] ?? []) {
      const p = md.countries[code];
      const types = p?.[11] as ([string, number[]?] | 0 | undefined)[] | undefined;
      // A plan without types validates by its national pattern alone: nothing to count on.
      if (!p || !Array.isArray(types) || types.length === 0) return false;
      for (const t of types) if (t && t[0]) min = Math.min(min, ...(t[1] ?? p[3]));
    }
    shortest.set(country, min);
  }
  return digits.length < min;
}

/**
 * A cell that is just the 11 digits of a valid mainland mobile, in a CN shop: its E.164, as
 * normalizePhone would give it, and never in doubt (doubtfulCountry); else null. Most of a Chinese
 * shop's phones, read without the steps a phone written any other way takes.
 */
export function plainCnMobile(cell: string, country: string): string | null {
  return cell.length === 11 && /^1\d{10}$/.test(cell) && country.toUpperCase() === 'CN' && cnMobilePattern().test(cell) ? `+86${cell}` : null;
}

/** +86 and 11 digits of a valid mainland mobile, or null (then the full parse decides). */
function fastCnMobile(text: string, country: string): string | null {
  const m = /^(\+86|0086|86)?(1\d{10})$/.exec(text.replace(/[\s\-().]/g, ''));
  if (!m) return null;
  // Without +86 or 0086, an 11-digit number is a mainland one only in a CN shop.
  if ((m[1] === undefined || m[1] === '86') && country.toUpperCase() !== 'CN') return null;
  return cnMobilePattern().test(m[2]!) ? `+86${m[2]}` : null;
}

/**
 * What a phone's cell or flag says before its digits that is no part of the number: a label
 * (Tel: 138…, 手机：138…, Mob 138…, 电话138…, T:138…), case aside, with an optional colon (full-width
 * too, which NFKC makes ASCII) and spaces.
 */
const LABEL = /^(?:tel\.?|telephone|phone|mobile|mob|cell|m|t|联系电话|手机号码|手机号|手机|电话|座机)\s*:?\s*(?=[+(\d])/iu;

/**
 * The number a phone's text holds, as libphonenumber should read it: NFKC, trimmed, without a label
 * before it; null when it is no phone: other letters before its first digit (xx18073398248, which
 * libphonenumber would read past to the digits; an extension after them, 138 0013 8000 ext 12, is
 * fine) or a control character. normalizePhone and likelyCountry read phones alike through it.
 */
export function phoneText(raw: string): string | null {
  const cleaned = raw.normalize('NFKC').trim().replace(LABEL, '');
  return /^[^\d]*\p{L}/u.test(cleaned) || CONTROL.test(cleaned) ? null : cleaned;
}

/** Parses a phone typed in any common form (+86 138-0013-8000, 0086 13800138000, 138 0013 8000). */
export function normalizePhone(raw: string, country: string): Phone {
  const cleaned = phoneText(raw);
  if (cleaned === null) throw badInput('err.phone', { value: raw });
  const fast = fastCnMobile(cleaned, country);
  if (fast) return { e164: fast, raw: raw === fast ? null : raw };
  // The full parse, remembered: a till's export names the same buyers' phones again and again.
  // (A flat copy of the key: the cell is a slice of the file's text, which it would keep alive.)
  const key = flatCopy(`${country}|${cleaned}`);
  let e164 = parsedPhones.get(key);
  if (e164 === undefined) {
    const parsed = parsePhoneNumberFromString(cleaned, { defaultCountry: country.toUpperCase() as CountryCode });
    e164 = parsed && parsed.isValid() ? parsed.number : null;
    if (parsedPhones.size >= PARSED_PHONES) parsedPhones.clear();
    parsedPhones.set(key, e164);
  }
  if (e164 === null) throw badInput('err.phone', { value: raw });
  return { e164, raw: raw === e164 ? null : raw };
}

/** A string that holds its own characters, not a slice of a longer one. */
const flatCopy = (s: string) => Buffer.from(s, 'utf16le').toString('utf16le');

/** Phones parsed by libphonenumber (~15 µs each), by country and cleaned text: E.164, or null for none valid. */
const parsedPhones = new Map<string, string | null>();
const PARSED_PHONES = 50_000;

/**
 * The same as normalizePhone, or null when the text is no valid phone number. A mainland mobile
 * (fastCnMobile, as normalizePhone takes it) and digits too short for any number are answered
 * without the library's code: `crm find 13800138000` or `crm find 6978` need none of it.
 */
export function tryNormalizePhone(raw: string, country: string): string | null {
  const cleaned = phoneText(raw);
  if (cleaned === null) return null;
  const fast = fastCnMobile(cleaned, country);
  if (fast) return fast;
  if (/^\d+$/.test(cleaned) && tooShortForAPhone(cleaned, country.toUpperCase())) return null;
  const parsed = parsePhoneNumberFromString(cleaned, { defaultCountry: country.toUpperCase() as CountryCode });
  return parsed && parsed.isValid() ? parsed.number : null;
}

/**
 * The national significant number of an E.164 phone (+862164871234 -> 2164871234) and the digits as
 * dialled within the country, trunk prefix included (02164871234).
 */
export function nationalForms(e164: string): { national: string; dialled: string } {
  if (/^\+861\d{10}$/.test(e164) && cnMobilePattern().test(e164.slice(3))) return { national: e164.slice(3), dialled: e164.slice(3) };
  let forms = nationalCache.get(e164);
  if (!forms) {
    const parsed = parsePhoneNumberFromString(e164);
    const national = parsed?.nationalNumber ?? e164.replace(/^\+/, '');
    forms = { national, dialled: parsed?.formatNational().replace(/\D/g, '') ?? national };
    if (nationalCache.size >= PARSED_PHONES) nationalCache.clear();
    nationalCache.set(e164, forms);
  }
  return forms;
}
const nationalCache = new Map<string, { national: string; dialled: string }>();

/** Written with a country code (+66…, 0066…): the file says the country. */
export function saysItsCountry(raw: string): boolean {
  return /^(\+|00)/.test(phoneText(raw) ?? '');
}

/**
 * A number read in a country nobody said, written without the trunk prefix that country dials
 * (713-817-5649 read in CN is 0713 817 5649, a Chinese landline, but written as a US number is):
 * stored, with a warning that another country's number may have been taken for one of `country`'s.
 */
export function doubtfulCountry(raw: string, e164: string, country: string): boolean {
  if (saysItsCountry(raw) || !trunkPrefixOf(country)) return false; // the US dials no trunk prefix: nothing to lack
  const written = raw.normalize('NFKC').replace(/\D/g, '');
  // Only a number written as its national significant number can lack its trunk prefix (a quick
  // test first: a million mainland mobiles are imported without a full parse).
  if (!e164.endsWith(written)) return false;
  const { national, dialled } = nationalForms(e164);
  return written === national && dialled !== national;
}

const trunkPrefixes = new Map<string, string>();

/** The prefix a country dials before a national number (0 in China and Thailand, none in the US), from libphonenumber's metadata. */
function trunkPrefixOf(country: string): string {
  const code = country.toUpperCase();
  let prefix = trunkPrefixes.get(code);
  if (prefix === undefined) {
    const { Metadata } = require('libphonenumber-js/core') as { Metadata: new (m: unknown) => { selectNumberingPlan(c: string): void; numberingPlan: { nationalPrefix(): string | undefined } } };
    const metadata = new Metadata(require('libphonenumber-js/metadata.max.json'));
    metadata.selectNumberingPlan(code);
    prefix = metadata.numberingPlan.nationalPrefix() ?? '';
    trunkPrefixes.set(code, prefix);
  }
  return prefix;
}

/**
 * How well a number fits a country: 0 invalid, 1 valid, +1 a number of that very country (not of
 * another sharing its code: 713 is the US's area code, not Antigua's), +1 a mobile (what customers
 * leave), +1 grouped as that country writes it (081 234 5678 in Thailand).
 */
function fit(text: string, country: CountryCode): number {
  const raw = phoneText(text);
  if (raw === null) return 0;
  const parsed = parsePhoneNumberFromString(raw, { defaultCountry: country });
  if (!parsed?.isValid()) return 0;
  const type = parsed.getType();
  const plain = (s: string) => s.replace(/[()]/g, '').replace(/[-\s]+/g, ' ').trim();
  const grouped = /[\s-]/.test(raw) && plain(parsed.formatNational()) === plain(raw);
  return 1 + (parsed.country === country ? 1 : 0) + (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' ? 1 : 0) + (grouped ? 1 : 0);
}

/**
 * The countries most of `numbers` (each invalid in the shop's country, none written with a country
 * code) belong to: valid in each for at least 80% of them, and the best fit, with any that fit
 * exactly as well (0812345678 is Thai or Congolese: nothing in the digits tells); null when no
 * country takes 80%. Thai numbers in a Chinese shop's file: TH.
 */
export function likelyCountry(numbers: string[]): { country: string; valid: number; sampled: number; alike: string[] } | null {
  if (numbers.length === 0) return null;
  const fits: { country: string; valid: number; score: number }[] = [];
  for (const country of phonelib().getCountries()) {
    let [valid, score] = [0, 0];
    for (const n of numbers) {
      const f = fit(n, country);
      if (f > 0) [valid, score] = [valid + 1, score + f];
    }
    if (valid >= numbers.length * 0.8) fits.push({ country, valid, score });
  }
  fits.sort((a, b) => b.score - a.score);
  const best = fits[0];
  if (!best) return null;
  return { country: best.country, valid: best.valid, sampled: numbers.length, alike: fits.slice(1).filter((f) => f.score === best.score).map((f) => f.country).slice(0, 3) };
}

let countryNames: Map<string, string> | undefined;
const nameKey = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[\s.\-_'’()]/g, '');

/**
 * The country a cell names: a code (TH, us) or a name in English or Chinese as CLDR writes it
 * (Thailand, United States, 泰国, 美国), and a few common short forms (USA, UK, 中国大陆); else null.
 */
export function countryCodeOf(text: string): string | null {
  const v = text.normalize('NFKC').trim();
  if (/^[a-z]{2}$/i.test(v)) return isCountry(v) ? v.toUpperCase() : null;
  if (!countryNames) {
    countryNames = new Map([['usa', 'US'], ['uk', 'GB'], ['中国大陆', 'CN'], ['大陆', 'CN'], ['mainlandchina', 'CN']]);
    const en = new Intl.DisplayNames(['en'], { type: 'region' });
    const zh = new Intl.DisplayNames(['zh'], { type: 'region' });
    for (const code of phonelib().getCountries()) {
      for (const names of [en, zh]) {
        const name = names.of(code);
        if (name && name !== code) countryNames.set(nameKey(name), code);
      }
    }
  }
  return countryNames.get(nameKey(v)) ?? null;
}
