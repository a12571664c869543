// Labelled messy customer lists, for testing and benchmarking duplicate detection (`crm dedupe`).
// Each row says which real person (entity) it describes, so a detector's pairs can be scored
// against the truth: duplicates are the same person written differently (phone formats, spacing,
// traditional characters, full-width digits, homophones, typos, missing fields, a new phone), and
// look-alikes are different people that a careless detector would merge (two real 张伟, or a
// spouse sharing one phone).
// Pure and deterministic for a seed (no clock, no Math.random); rows stream out of a generator and
// memory stays bounded: every person is built from its own seeded PRNG stream, and the shuffle
// holds a fixed-size window of rows, whatever the number of people.
// Test code (tests and bench/run.js use it; src/ is shipped, this is not): bench/tsconfig.json compiles it for the bench.
import { DecimalPermutation, mix32, Rng, uniqueDigits } from '../../src/core/random.js';
import {
  address,
  birthday,
  chineseName,
  CITIES,
  CN_PREFIXES,
  EMAIL_DOMAINS_EN,
  EMAIL_DOMAINS_ZH,
  emailCase,
  englishName,
  fittingName,
  fullWidth,
  homophoneName,
  NOTES_EN,
  NOTES_ZH,
  otherBirthday,
  reformatPhone,
  spacedName,
  traditional,
  typoName,
  type Name,
} from './dupes-people.js';

export { HOMOPHONES } from './dupes-people.js';

export type DupeKind =
  | 'original'
  | 'phone-format' // same person, phone written differently: +86 138-0013-8000, 0086 13800138000, 138 0013 8000, (138)00138000
  | 'name-space' // 张 伟 for 张伟, or extra spaces
  | 'traditional' // name (and maybe city/address) in traditional characters: 張偉, 陳麗華
  | 'full-width' // full-width digits/letters in phone or email: １３８００１３８０００, ＺＷ＠qq.com
  | 'email-case' // email in capitals or mixed case, phone missing
  | 'same-pinyin' // one character replaced by a same-pinyin homophone (张伟 -> 章伟); same birthday, city, address
  | 'typo' // a typo in the name plus same email or same birthday+address, phone missing
  | 'partial' // only name + phone (other fields empty)
  | 'other-phone'; // same name, same email and birthday, a different (new) phone
export type LookAlikeKind = 'same-name' | 'family-phone';
// 'same-name': a DIFFERENT real person with exactly the same name as an existing one (two real 张伟), different phone, email, birthday.
// 'family-phone': a DIFFERENT real person (different name, e.g. spouse/parent) sharing the phone of an existing person, different birthday.

export interface LabelledRow {
  /** The real person this row describes: rows with the same entity are duplicates of each other. */
  entity: number;
  kind: DupeKind | LookAlikeKind;
  /** CSV cells, keyed by these English headers exactly: name, phone, email, gender, birthday, city, address, note */
  row: Record<'name' | 'phone' | 'email' | 'gender' | 'birthday' | 'city' | 'address' | 'note', string>;
}

export interface LabelledOptions {
  /** Number of distinct real people (entities) before look-alikes. */
  people: number;
  seed?: number; // default 1
  /** Share of people who get 1-3 duplicate rows (default 0.3). */
  duplicateRate?: number;
  /** Share of people who get a look-alike (a different person) (default 0.05). */
  lookAlikeRate?: number;
}

type Row = LabelledRow['row'];

/** Every kind of duplicate, in a fixed order (each person's duplicates are drawn from it evenly). */
export const DUPE_KINDS: readonly Exclude<DupeKind, 'original'>[] = [
  'phone-format', 'name-space', 'traditional', 'full-width', 'email-case',
  'same-pinyin', 'typo', 'partial', 'other-phone',
];
/** The most people one list can hold with distinct phones (three 8-digit phone blocks per person). */
const MAX_PEOPLE = 30_000_000;
/**
 * Rows wait in a window of this many and leave it in random order, so one person's rows end up
 * about this far apart: enough to break adjacency, small enough to keep memory flat.
 */
const WINDOW = 4096;

// Seeded randomness: src/core/random.ts (the same generator as the demo shop's); the people: ./dupes-people.ts.

// ---------------------------------------------------------------------------------------------
// Phones and emails, unique by construction. Person i owns phone blocks 3i..3i+2 (own phone,
// a second phone for 'other-phone', the 'same-name' look-alike's phone) and email slots 2i, 2i+1
// (own email, the look-alike's); the permutations turn distinct slots into distinct digits.

interface State {
  readonly key: number;
  readonly duplicateRate: number;
  readonly lookAlikeRate: number;
  readonly phoneBlocks: DecimalPermutation;
  readonly qqBlocks: DecimalPermutation;
  /** Indexed by email-suffix length (2..8 digits). */
  readonly suffixes: DecimalPermutation[];
}

/** An 11-digit mainland mobile: a weighted prefix and the slot's unique eight-digit block. */
function phone(st: State, r: Rng, slot: number): string {
  return `${CN_PREFIXES.pick(r)}${st.phoneBlocks.format(slot)}`;
}


function email(st: State, r: Rng, slot: number, n: Name): string {
  if (!n.english && r.chance(0.5)) {
    // QQ numbers: the last eight digits identify the slot.
    return `${r.range(1, 9)}${st.qqBlocks.format(slot)}@qq.com`;
  }
  const domain = (n.english ? EMAIL_DOMAINS_EN : EMAIL_DOMAINS_ZH).pick(r);
  const u = r.float();
  const local = u < 0.6 ? `${n.familyPy}${n.givenPy}` : u < 0.8 ? `${n.givenPy}.${n.familyPy}` : `${n.familyPy}_${n.givenPy}`;
  // The local part before the digits has no digits, so the digit suffix alone makes it unique.
  return `${local}${uniqueDigits(st.suffixes, slot)}@${domain}`;
}

// ---------------------------------------------------------------------------------------------
// One person and everything made from them

const EMPTY: Row = { name: '', phone: '', email: '', gender: '', birthday: '', city: '', address: '', note: '' };

/** Which duplicate kinds a person gets: `count` distinct ones, each kind equally likely. */
function pickKinds(r: Rng, count: number): Exclude<DupeKind, 'original'>[] {
  const kinds = DUPE_KINDS.slice();
  for (let k = 0; k < count; k++) {
    const j = k + r.int(kinds.length - k);
    const t = kinds[k] as Exclude<DupeKind, 'original'>;
    kinds[k] = kinds[j] as Exclude<DupeKind, 'original'>;
    kinds[j] = t;
  }
  return kinds.slice(0, count);
}

/** Person i's rows: the original, its duplicates, and a look-alike (entity -1, numbered by the caller). */
function personRows(st: State, i: number): LabelledRow[] {
  const r = new Rng(mix32(st.key ^ mix32(i + 0x5bd1e995)), st.key, i, 0x9e3779b9);
  // Plan first, so the original carries whatever its duplicates need to be matchable at all.
  const kinds = r.chance(st.duplicateRate) ? pickKinds(r, 1 + r.int(3)) : [];
  const lookAlike: LookAlikeKind | null = r.chance(st.lookAlikeRate) ? (r.chance(0.5) ? 'same-name' : 'family-phone') : null;
  const has = (k: DupeKind): boolean => kinds.includes(k as Exclude<DupeKind, 'original'>);

  const gender = r.chance(0.52) ? 'female' : 'male';
  const chinese = has('traditional') || has('same-pinyin') || !r.chance(0.1);
  const n = chinese ? fittingName(r, gender, has('traditional'), has('same-pinyin')) : englishName(r, gender);
  const city = CITIES.pick(r);
  const base: Row = {
    name: n.full,
    phone: phone(st, r, 3 * i),
    email: has('email-case') || has('other-phone') || r.chance(0.5) ? email(st, r, 2 * i, n) : '',
    gender,
    birthday: has('same-pinyin') || has('other-phone') || r.chance(0.8) ? birthday(r) : '',
    city: city.name,
    address: has('same-pinyin') || r.chance(0.6) ? address(r, city) : '',
    note: r.chance(0.1) ? r.pick(n.english ? NOTES_EN : NOTES_ZH) : '',
  };
  // A typo'd name needs a second strong field to be matchable at all.
  if (has('typo') && base.email === '' && (base.birthday === '' || base.address === '')) base.email = email(st, r, 2 * i, n);

  const rows: LabelledRow[] = [{ entity: i, kind: 'original', row: base }];
  for (const kind of kinds) rows.push({ entity: i, kind, row: duplicate(st, r, i, kind, n, base) });
  if (lookAlike) rows.push({ entity: -1, kind: lookAlike, row: lookAlikeRow(st, r, i, lookAlike, n, base) });
  return rows;
}

/**
 * A later entry of the same person. Entries typed at another time rarely repeat the free-text
 * note, and sometimes leave out the address; the kind's own change comes on top.
 */
function duplicate(st: State, r: Rng, i: number, kind: Exclude<DupeKind, 'original'>, n: Name, base: Row): Row {
  const loose: Row = { ...base, note: r.chance(0.3) ? base.note : '', address: r.chance(0.75) ? base.address : '' };
  switch (kind) {
    case 'phone-format':
      return { ...loose, phone: reformatPhone(r, base.phone) };
    case 'name-space':
      return { ...loose, name: spacedName(r, n) };
    case 'traditional': {
      const places = r.chance(0.5);
      return {
        ...loose,
        name: traditional(base.name),
        city: places ? traditional(base.city) : base.city,
        address: places ? traditional(loose.address) : loose.address,
      };
    }
    case 'full-width':
      if (base.email !== '' && r.chance(0.5)) {
        const at = base.email.indexOf('@');
        const local = r.chance(0.3) ? base.email.slice(0, at).toUpperCase() : base.email.slice(0, at);
        // Often only the part typed in full-width mode: the local part and the @.
        const e = r.chance(0.5) ? `${fullWidth(`${local}@`)}${base.email.slice(at + 1)}` : fullWidth(`${local}${base.email.slice(at)}`);
        return { ...loose, email: e };
      }
      return { ...loose, phone: fullWidth(r.chance(0.2) ? `+86${base.phone}` : base.phone) };
    case 'email-case':
      return { ...loose, phone: '', email: emailCase(r, base.email) };
    case 'same-pinyin':
      return { ...base, name: homophoneName(r, n), phone: r.chance(0.5) ? base.phone : '', email: '', note: '' };
    case 'typo': {
      const keepPlace = base.birthday !== '' && base.address !== '' && (base.email === '' || r.chance(0.5));
      return {
        ...EMPTY,
        name: typoName(r, n),
        email: base.email,
        gender: base.gender,
        birthday: keepPlace ? base.birthday : '',
        city: base.city,
        address: keepPlace ? base.address : '',
      };
    }
    case 'partial':
      return { ...EMPTY, name: base.name, phone: base.phone };
    case 'other-phone':
      return {
        ...EMPTY,
        name: base.name,
        phone: phone(st, r, 3 * i + 1),
        email: base.email,
        gender: base.gender,
        birthday: base.birthday,
        city: r.chance(0.5) ? base.city : '',
      };
  }
}

/** A different person a detector could mistake for person i. */
function lookAlikeRow(st: State, r: Rng, i: number, kind: LookAlikeKind, n: Name, base: Row): Row {
  if (kind === 'same-name') {
    // Often in the same city: that is what makes two 张伟 hard to tell apart.
    const city = r.chance(0.5) ? CITIES.pick(r) : null;
    return {
      ...EMPTY,
      name: base.name,
      phone: phone(st, r, 3 * i + 2),
      email: r.chance(0.5) ? email(st, r, 2 * i + 1, n) : '',
      gender: base.gender,
      birthday: otherBirthday(r, base.birthday),
      city: city ? city.name : base.city,
      address: city && r.chance(0.5) ? address(r, city) : '',
    };
  }
  // A family member on the same phone: a child or parent (same surname, new given name) or a
  // spouse (other surname, other gender).
  let other: Name | null = null;
  const gender = r.chance(0.5) ? 'female' : 'male';
  for (let tries = 0; tries < 8 && other === null; tries++) {
    const m = n.english ? englishName(r, gender, n.surname) : r.chance(0.5) ? chineseName(r, gender, [n.surname, n.familyPy]) : chineseName(r, n.gender === 'male' ? 'female' : 'male');
    if (m.full !== n.full) other = m;
  }
  other ??= n.english ? englishName(r, gender, n.surname === 'Kim' ? 'Park' : 'Kim') : chineseName(r, gender, n.surname === '王' ? ['李', 'li'] : ['王', 'wang']);
  return {
    ...EMPTY,
    name: other.full,
    phone: base.phone,
    gender: other.gender,
    birthday: otherBirthday(r, base.birthday),
    city: base.city,
    address: r.chance(0.5) ? base.address : '',
  };
}

// ---------------------------------------------------------------------------------------------
// The generator

function rate(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!(v >= 0 && v <= 1)) throw new RangeError(`dupes: ${name} must be between 0 and 1, got ${v}`);
  return v;
}

function createState(opts: LabelledOptions): State {
  if (!Number.isSafeInteger(opts.people) || opts.people < 0 || opts.people > MAX_PEOPLE) {
    throw new RangeError(`dupes: people must be an integer from 0 to ${MAX_PEOPLE}, got ${opts.people}`);
  }
  const seed = opts.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`dupes: seed must be an integer, got ${seed}`);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  // A different constant from the demo shop's (src/core/demo/generate.ts), so a demo and a labelled list of one seed do not share phones.
  const key = mix32(mix32(lo ^ 0x2545f491) ^ mix32(hi + 0x1b873593));
  const suffixes: DecimalPermutation[] = [];
  for (let digits = 0; digits <= 8; digits++) suffixes.push(new DecimalPermutation(Math.max(2, digits), mix32(key ^ (0x2000 + digits))));
  return {
    key,
    duplicateRate: rate('duplicateRate', opts.duplicateRate, 0.3),
    lookAlikeRate: rate('lookAlikeRate', opts.lookAlikeRate, 0.05),
    phoneBlocks: new DecimalPermutation(8, mix32(key ^ 0x70686f6e)),
    qqBlocks: new DecimalPermutation(8, mix32(key ^ 0x71710000)),
    suffixes,
  };
}

/** Rows in a shuffled, deterministic order for a seed. Streams (a generator) so 1,000,000 people do not need all rows in memory at once. */
export function* generateLabelled(opts: LabelledOptions): Generator<LabelledRow> {
  const st = createState(opts);
  const order = new Rng(st.key, 0x6a09e667, 0xbb67ae85, 0x3c6ef372);
  let nextEntity = opts.people; // look-alikes are numbered after every original person
  // A shuffle window: once full, each new row takes the place of a random waiting row, which leaves.
  const window: LabelledRow[] = [];
  for (let i = 0; i < opts.people; i++) {
    for (const row of personRows(st, i)) {
      if (row.entity < 0) row.entity = nextEntity++;
      if (window.length < WINDOW) {
        window.push(row);
        continue;
      }
      const k = order.int(WINDOW);
      const out = window[k] as LabelledRow;
      window[k] = row;
      yield out;
    }
  }
  while (window.length > 0) {
    const k = order.int(window.length);
    const out = window[k] as LabelledRow;
    window[k] = window[window.length - 1] as LabelledRow;
    window.pop();
    yield out;
  }
}
