// Masking personal data for `crm export --mask`: a list to share (with a courier, an accountant, a
// marketing helper) that still says enough to work with, without handing over contact details.
// Pure: plain values in, masked values out. The rules, one per kind of data:
//
// - phone: the country code, the first 3 and the last 4 digits of the national number stay
//   (+8613800138000 -> +86138****8000, the usual Chinese form). A national number shorter than
//   11 digits (landlines, 8-digit Hong Kong numbers) would keep too much that way, so at least half
//   of it, in the middle, is hidden (+862164871234 -> +8621*****234); up to 4 digits, all of it.
// - email: the first character of the local part and the whole domain stay, the rest is a fixed
//   *** that does not tell the length (zhang@example.com -> z***@example.com).
// - name: the first character stays, and the first letter of each later Latin word; every other
//   letter or character becomes * (张伟 -> 张*, 欧阳娜娜 -> 欧***, Emily Chen -> E**** C***). A
//   one-character name becomes *.
// - address: only the region stays, up to the district or county (上海市徐汇区漕溪北路1234号 ->
//   上海市徐汇区***); an address written the Western way keeps its last part, the city
//   (12 Pike St, Seattle -> ***, Seattle); anything else becomes ***.
// - birthday: the year goes and the month and day stay (1990-03-05 -> --03-05, the stored form of a
//   birthday without year): the year gives the age, while month and day are what a shop needs for
//   birthday greetings, and alone they identify no one.
// - what was typed (name_raw, email_raw, phone_raw): emptied; it only repeats the masked values.
// - notes (of customers, orders and interactions): free text that may hold anything, a phone
//   number, an address, health (对花生过敏), so a note becomes *** (no note stays empty).
// Custom fields, tags, city, member numbers and order figures are left as they are (the --mask
// help says so): they are what the list is shared for.
import type { Customer } from './customer.js';
import { ADDRESS_PART } from './import/index.js';
import { nationalForms } from './phone.js';

/** Hides the middle of a run of digits: 3 + 4 kept from 11 digits up, at least half hidden below, all up to 4. */
export function maskDigits(digits: string): string {
  const n = digits.length;
  if (n <= 4) return '*'.repeat(n);
  let head = 3;
  let tail = 4;
  if (n < 11) {
    const hidden = Math.ceil(n / 2);
    head = Math.floor((n - hidden) / 2);
    tail = n - hidden - head;
  }
  return digits.slice(0, head) + '*'.repeat(n - head - tail) + digits.slice(n - tail);
}

export function maskPhone(e164: string): string {
  const { national } = nationalForms(e164);
  const digits = e164.replace(/^\+/, '');
  const code = digits.endsWith(national) ? digits.slice(0, digits.length - national.length) : '';
  return `+${code}${maskDigits(code ? national : digits)}`;
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const local = at > 0 ? email.slice(0, at) : email;
  return `${Array.from(local)[0] ?? ''}***${at > 0 ? email.slice(at) : ''}`;
}

const LETTER = /[\p{L}\p{N}]/u;
const LATIN = /\p{Script=Latin}/u;

export function maskName(name: string): string {
  let kept = 0;
  let letters = 0;
  let wordStart = true;
  let out = '';
  for (const ch of name) {
    if (!LETTER.test(ch)) {
      out += ch;
      wordStart = true;
      continue;
    }
    const keep = letters === 0 || (wordStart && LATIN.test(ch));
    out += keep ? ch : '*';
    if (keep) kept++;
    letters++;
    wordStart = false;
  }
  // Nothing would be hidden (a one-character name): hide it all.
  return kept === letters ? out.replace(/[\p{L}\p{N}]/gu, '*') : out;
}

// Province (省, 自治区), city (市, 自治州), district or county (区, 县, 旗, or a county-level 市), each
// optional, from the start. Names hold no digits, roads or house numbers, so the match stops at the region.
const NAME = '[^省市区县旗路街号\\d\\s]';
const REGION = new RegExp(`^(?:${NAME}{2,7}(?:省|自治区))?(?:${NAME}{1,7}(?:市|自治州))?(?:${NAME}{1,7}(?:区|县|旗|市))?`, 'u');

export function maskAddress(address: string): string {
  const region = REGION.exec(address)?.[0] ?? '';
  if (region) return region === address ? address : `${region}***`;
  const parts = address.split(',');
  const city = parts.length > 1 ? parts[parts.length - 1]!.trim() : '';
  return city && !/\d/.test(city) ? `***, ${city}` : '***';
}

/** YYYY-MM-DD -> --MM-DD; a birthday without year stays as it is. */
export function maskBirthday(birthday: string): string {
  const m = /^(?:\d{4}|-)-(\d{2})-(\d{2})$/.exec(birthday);
  return m ? `--${m[1]}-${m[2]}` : '***';
}

const orNull = <T>(v: T | null, f: (v: T) => T): T | null => (v === null ? null : f(v));

/** A customer with their personal data masked (see the rules above). */
/** A free-text note: *** when there is one (its words cannot be told apart into safe and personal). */
export function maskNote(note: string | null): string | null {
  return note === null || note === '' ? note : '***';
}

export function maskCustomer(c: Customer): Customer {
  return {
    ...c,
    name: maskName(c.name),
    nameRaw: null,
    phones: c.phones.map((p) => ({ e164: maskPhone(p.e164), raw: null })),
    email: orNull(c.email, maskEmail),
    emailRaw: null,
    birthday: orNull(c.birthday, maskBirthday),
    address: orNull(c.address, maskAddress),
    note: maskNote(c.note),
    // The parts of an address an import kept (address.街道, address.邮编) go with the address.
    fields: Object.fromEntries(Object.entries(c.fields).map(([k, v]) => [k, k.startsWith(ADDRESS_PART) ? '***' : v])),
  };
}
