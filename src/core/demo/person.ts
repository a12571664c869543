// A demo customer as a person: a Chinese or English name (with its romanized parts for emails and
// WeChat ids), a birthday, an address at home or abroad, a mainland mobile; drawn from the tables
// of ../people.ts.
import type { Gender } from '../customer.js';
import {
  CN_PREFIXES as CN_PREFIX_WEIGHTS,
  DOUBLED,
  EN_FEMALE,
  EN_LAST as EN_LAST_WEIGHTS,
  EN_MALE,
  FEMALE_CHARS as FEMALE_CHAR_WEIGHTS,
  MALE_CHARS as MALE_CHAR_WEIGHTS,
  NEVER_ALONE,
  OVERSEAS_STREETS,
  SURNAMES as SURNAME_WEIGHTS,
  type CnCity,
  type NameChar,
} from '../people.js';
import { Table, type Rng } from '../random.js';
import { DAY_MS, pad2, type Calendar } from './calendar.js';

const SURNAMES = new Table<readonly [string, string]>(SURNAME_WEIGHTS);
const MALE_CHARS = new Table<NameChar>(MALE_CHAR_WEIGHTS);
const FEMALE_CHARS = new Table<NameChar>(FEMALE_CHAR_WEIGHTS);
const EN_LAST = new Table<string>(EN_LAST_WEIGHTS);
const CN_PREFIXES = new Table<string>(CN_PREFIX_WEIGHTS);
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface Person {
  name: string;
  english: boolean;
  gender: Gender;
  /** Romanized parts for emails and WeChat ids, lower-case ASCII letters only. */
  family: string;
  given: string;
  givenInitials: string;
}

export function chinesePerson(r: Rng): Person {
  const [family, familyPy] = SURNAMES.pick(r);
  const gender: Gender = r.chance(0.52) ? 'female' : 'male';
  const pool = gender === 'female' ? FEMALE_CHARS : MALE_CHARS;
  const first = pool.pick(r);
  let given = first[0];
  let givenPy = first[1];
  let initials = first[1].charAt(0);
  if (r.chance(0.68) || NEVER_ALONE.has(first[0])) {
    let second = pool.pick(r);
    if (DOUBLED.has(first[0]) && r.chance(0.35)) second = first;
    else if (second[0] === first[0]) second = pool.pick(r);
    if (second[0] !== first[0] || DOUBLED.has(first[0])) {
      given += second[0];
      givenPy += second[1];
      initials += second[1].charAt(0);
    }
  }
  return { name: family + given, english: false, gender, family: familyPy, given: givenPy, givenInitials: initials };
}

export function englishPerson(r: Rng): Person {
  const gender: Gender = r.chance(0.55) ? 'female' : 'male';
  const first = r.pick(gender === 'female' ? EN_FEMALE : EN_MALE);
  const last = EN_LAST.pick(r);
  const ascii = (s: string): string => s.toLowerCase().replace(/ü/g, 'u');
  return {
    name: `${first} ${last}`,
    english: true,
    gender,
    family: ascii(last),
    given: ascii(first),
    givenInitials: ascii(first).charAt(0),
  };
}

export function chineseAddress(r: Rng, city: CnCity): string {
  const prefix = city.province !== null && r.chance(0.55) ? city.province : '';
  const number = r.chance(0.7) ? r.range(1, 300) : r.range(301, 1999);
  let address = `${prefix}${city.name}市${r.pick(city.districts)}${r.pick(city.roads)}${number}号`;
  if (r.chance(0.5)) address += `${r.range(1, 24)}栋${r.range(1, 32)}${String(r.range(1, 6)).padStart(2, '0')}室`;
  return address;
}

export function overseasAddress(r: Rng, city: string): string {
  const streets = OVERSEAS_STREETS[city] ?? ['Main St'];
  return `${r.chance(0.7) ? r.range(1, 199) : r.range(200, 2999)} ${r.pick(streets)}, ${city}`;
}

export function cnMobile(block: string, r: Rng): string {
  return `+86${CN_PREFIXES.pick(r)}${block}`;
}

export function wechatId(r: Rng, p: Person): string {
  if (r.chance(0.6)) {
    let id = 'wxid_';
    for (let k = 0; k < 14; k++) id += ALNUM.charAt(r.int(36));
    return id;
  }
  const base = r.chance(0.5) ? `${p.family}${p.given}` : `${p.given}${p.family.charAt(0)}`;
  return `${base}${r.chance(0.5) ? '_' : ''}${r.range(1, 9999)}`;
}

export function birthday(r: Rng, cal: Calendar, lunarAllowed: boolean): { value: string; lunar: boolean } {
  const age = Math.min(75, Math.max(18, 36 + r.normal() * 12));
  const day = cal.today - Math.floor(age * 365.2425) - r.int(200);
  const date = new Date(Math.max(cal.today - Math.floor(75 * 365.2425), Math.min(cal.today - Math.ceil(18 * 365.2425), day)) * DAY_MS);
  const year = date.getUTCFullYear();
  const noYear = r.chance(0.1);
  if (lunarAllowed && r.chance(0.15)) {
    const month = r.range(1, 12);
    const d = r.range(1, noYear ? 30 : 29);
    return { value: `${noYear ? '-' : year}-${pad2(month)}-${pad2(d)}`, lunar: true };
  }
  const md = `${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
  return { value: noYear ? `--${md}` : `${year}-${md}`, lunar: false };
}
