// The people of the labelled duplicate lists (./dupes.ts): their names, birthdays and addresses,
// drawn from the shared tables of src/core/people.ts, and the ways a later entry of the same person
// rewrites them (phone formats, spacing, traditional characters, full-width forms, homophones, typos).
import * as OpenCC from 'opencc-js';
import {
  CN_CITIES,
  CN_PREFIXES as CN_PREFIX_WEIGHTS,
  EMAIL_DOMAINS_EN as EMAIL_DOMAIN_WEIGHTS_EN,
  EMAIL_DOMAINS_ZH as EMAIL_DOMAIN_WEIGHTS_ZH,
  EN_FEMALE as ALL_EN_FEMALE,
  EN_LAST as ALL_EN_LAST,
  EN_MALE as ALL_EN_MALE,
  FEMALE_CHARS as ALL_FEMALE_CHARS,
  MALE_CHARS as ALL_MALE_CHARS,
  NOTES_EN as ALL_NOTES_EN,
  NOTES_ZH as ALL_NOTES_ZH,
  SURNAMES as ALL_SURNAMES,
  type NameChar,
  type Weighted,
} from '../../src/core/people.js';
import { Table, type Rng } from '../../src/core/random.js';

/**
 * Groups of characters with the same toneless pinyin, used for 'same-pinyin' duplicates: the
 * mistake of typing a name by pinyin and picking the wrong candidate. Surname groups hold only
 * real surnames (章 is a surname, so 张伟 -> 章伟 is plausible); given-name groups hold characters
 * people use in names. Each character is in at most one group of its kind (the test checks this
 * and the pinyin).
 */
export const HOMOPHONES: { readonly surname: readonly string[]; readonly given: readonly string[] } = {
  surname: ['张章', '王汪', '李黎', '刘柳', '徐许', '何贺', '罗骆', '唐汤', '吴武伍', '朱诸', '高郜', '林蔺', '冯封'],
  given: [
    '伟玮炜', '磊蕾', '军君钧', '杰洁捷', '涛韬', '斌彬', '明鸣铭', '辉晖', '鹏朋', '华桦', '宇雨语羽', '浩昊皓',
    '俊骏峻', '静婧靖', '丽莉俐', '芳方', '敏闵', '玲铃灵', '婷亭', '燕艳雁', '霞侠', '梅玫美', '红虹宏',
    '欣鑫馨', '怡仪宜', '佳嘉家', '琪琦淇', '倩茜', '慧惠', '颖莹英', '萍平苹', '晶菁京', '娟鹃', '凯恺',
    '飞菲', '志智', '峰锋枫', '勇永', '帆凡', '龙隆', '林琳霖', '阳洋扬', '建健剑', '东冬', '成诚承', '文雯',
    '晨辰', '璐露路', '瑶遥', '涵晗', '萱轩宣', '兰岚', '彤桐', '云芸', '博波', '超潮', '秀绣', '琴勤芹',
    '悦越月', '思丝', '晓筱', '梦孟', '丹单', '强蔷', '刚钢', '旭煦',
  ],
};


const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Tables: the shared ones of src/core/people.ts, narrowed to the part these lists have always drawn
// from (same characters, pinyin and weights, in the same order), so a seed gives the same list.

/** The entries whose key is one of `keep`, in the table's order; throws if the table lost one. */
function only<T>(entries: readonly T[], keep: readonly string[], key: (e: T) => string): T[] {
  const found = entries.filter((e) => keep.includes(key(e)));
  if (found.length !== keep.length) throw new Error(`dupes: a shared table no longer has all of ${keep.join(' ')}`);
  return found;
}
const words = (s: string): string[] => s.trim().split(/\s+/);
const nameChar = ([[han]]: readonly [NameChar, number]): string => han;

const SURNAMES = new Table(only(ALL_SURNAMES, [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭肖田董袁潘蒋蔡杜叶苏魏沈汪黎贺'], ([[han]]) => han));

/** Given-name characters: a weighted table, and all of them for typos. */
function nameChars(weighted: Weighted<NameChar>): { table: Table<NameChar>; all: NameChar[] } {
  return { table: new Table(weighted), all: weighted.map(([c]) => c) };
}
const MALE_CHARS = nameChars(only(ALL_MALE_CHARS, [...'伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭龙林阳峰建国志东海亮成博轩文晨嘉子永'], nameChar));
const FEMALE_CHARS = nameChars(only(ALL_FEMALE_CHARS, [...'芳娜敏静丽艳娟霞秀玲英燕萍红梅琳雪婷倩颖慧莉洁琴云晶欣怡佳悦雯蕾璐瑶涵萱雨梦兰丹晓彤琪思美'], nameChar));
/** Characters that rarely make a given name on their own (here 秀 may: fewer than the demo's). */
const NEVER_ALONE = new Set([...'子晓思嘉梦建国志永美']);

const EN_FEMALE = only(ALL_EN_FEMALE, words('Emily Sarah Jessica Amy Grace Linda Helen Lucy Anna Cindy Vivian Sophie Chloe Rachel Michelle Angela Irene Jenny Karen Fiona'), (n) => n);
const EN_MALE = only(ALL_EN_MALE, words('James David Michael John Daniel Kevin Jason Eric Tony Peter Mark Andrew Brian Alex Chris Jack Ryan Steven William Vincent'), (n) => n);
const EN_LAST = only(ALL_EN_LAST, words('Chen Wang Li Zhang Liu Wong Lee Lin Huang Chan Smith Johnson Brown Miller Taylor Clark Walker Young King Scott Kim Park'), ([n]) => n).map(([n]) => n);

export interface City {
  name: string;
  districts: readonly string[];
  roads: readonly string[];
}

/** Districts and roads of the shared cities these lists leave out. */
const LEFT_OUT = new Set(
  words(`
    杨浦区 普陀区 通州区 余杭区 虎丘区 龙华区 高新区 九龙坡区
    四平路 虹桥路 张杨路 天山路 望京街 北三环中路 文一西路 庆春路 东吴北路 中山南路 江南大道中 东门中路 科华北路 武珞路 含光路 小龙坎正街
  `),
);
export const CITIES = new Table<City>(
  only(CN_CITIES, words('上海 北京 杭州 苏州 南京 广州 深圳 成都 武汉 西安 重庆 厦门 长沙 青岛'), ([c]) => c.name).map(
    ([c, w]) => [{ name: c.name, districts: c.districts.filter((d) => !LEFT_OUT.has(d)), roads: c.roads.filter((road) => !LEFT_OUT.has(road)) }, w] as const,
  ),
);

export const CN_PREFIXES = new Table(CN_PREFIX_WEIGHTS);
export const EMAIL_DOMAINS_ZH = new Table(EMAIL_DOMAIN_WEIGHTS_ZH);
export const EMAIL_DOMAINS_EN = new Table(only(EMAIL_DOMAIN_WEIGHTS_EN, words('gmail.com outlook.com hotmail.com icloud.com yahoo.com 163.com'), ([d]) => d));

export const NOTES_ZH = only(ALL_NOTES_ZH, ['喜欢绿茶，不要辣', '只在周末来', '对花生过敏', '老板的朋友', '每次都要发票', '不喜欢接电话，微信联系', '送货上门，放门卫', '价格敏感，有活动再通知', '吃素', '常买给父母'], (n) => n);
export const NOTES_EN = only(ALL_NOTES_EN, ['prefers pickup on weekends', 'allergic to peanuts', 'vegetarian', 'pays by Alipay', 'prefers WeChat over calls', 'only call after 6pm'], (n) => n);

/** Birthdays fall between these epoch days (1955-01-01 .. 2006-12-31): adults of any age. */
const BIRTH_FROM = Date.UTC(1955, 0, 1) / DAY_MS;
const BIRTH_SPAN = Date.UTC(2006, 11, 31) / DAY_MS - BIRTH_FROM + 1;

// ---------------------------------------------------------------------------------------------
// Lookups built once

function groupMap(groups: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const g of groups) for (const ch of g) map.set(ch, g);
  return map;
}
const SURNAME_HOMOPHONES = groupMap(HOMOPHONES.surname);
const GIVEN_HOMOPHONES = groupMap(HOMOPHONES.given);

// Building the converter loads its dictionaries: done once, and only if a list asks for it.
let toTraditional: ((s: string) => string) | undefined;
export function traditional(s: string): string {
  const convert = (toTraditional ??= OpenCC.Converter({ from: 'cn', to: 'tw' }));
  return convert(s);
}

// ---------------------------------------------------------------------------------------------
// People

export interface Name {
  english: boolean;
  gender: 'male' | 'female';
  /** Display parts: 张 + 伟, or Emily + Chen (given first for latin names). */
  surname: string;
  given: string;
  full: string;
  /** Lower-case ASCII romanization for email addresses. */
  familyPy: string;
  givenPy: string;
}

export function chineseName(r: Rng, gender: 'male' | 'female', surname?: readonly [string, string]): Name {
  const [family, familyPy] = surname ?? SURNAMES.pick(r);
  const pool = (gender === 'female' ? FEMALE_CHARS : MALE_CHARS).table;
  const first = pool.pick(r);
  let given = first[0];
  let givenPy = first[1];
  if (r.chance(0.65) || NEVER_ALONE.has(first[0])) {
    let second = pool.pick(r);
    if (second[0] === first[0]) second = pool.pick(r);
    if (second[0] !== first[0]) {
      given += second[0];
      givenPy += second[1];
    }
  }
  return { english: false, gender, surname: family, given, full: family + given, familyPy, givenPy };
}

export function englishName(r: Rng, gender: 'male' | 'female', last?: string): Name {
  const first = r.pick(gender === 'female' ? EN_FEMALE : EN_MALE);
  const family = last ?? r.pick(EN_LAST);
  return {
    english: true,
    gender,
    surname: family,
    given: first,
    full: `${first} ${family}`,
    familyPy: family.toLowerCase(),
    givenPy: first.toLowerCase(),
  };
}

/** Whether some character of the name has a homophone in the tables. */
function hasHomophone(n: Name): boolean {
  if (SURNAME_HOMOPHONES.has(n.surname)) return true;
  for (const ch of n.given) if (GIVEN_HOMOPHONES.has(ch)) return true;
  return false;
}

/**
 * A Chinese name fit for the duplicates planned: a traditional form that differs (else that
 * duplicate would equal the original) and a character with a homophone. Redrawn a few times,
 * then 张 (張, 章) is forced, which satisfies both.
 */
export function fittingName(r: Rng, gender: 'male' | 'female', needTraditional: boolean, needHomophone: boolean): Name {
  for (let tries = 0; tries < 8; tries++) {
    const n = chineseName(r, gender);
    if ((!needHomophone || hasHomophone(n)) && (!needTraditional || traditional(n.full) !== n.full)) return n;
  }
  return chineseName(r, gender, ['张', 'zhang']);
}

export function birthday(r: Rng): string {
  return new Date((BIRTH_FROM + r.int(BIRTH_SPAN)) * DAY_MS).toISOString().slice(0, 10);
}

export function otherBirthday(r: Rng, not: string): string {
  let b = birthday(r);
  while (b === not) b = birthday(r);
  return b;
}

export function address(r: Rng, city: City): string {
  const number = r.chance(0.7) ? r.range(1, 300) : r.range(301, 1999);
  let a = `${city.name}市${r.pick(city.districts)}${r.pick(city.roads)}${number}号`;
  if (r.chance(0.5)) a += `${r.range(1, 24)}栋${r.range(1, 32)}${String(r.range(1, 6)).padStart(2, '0')}室`;
  return a;
}

// ---------------------------------------------------------------------------------------------
// Rewritings

/** The same mobile as people write it: spaced, dashed, with a country code, in brackets. */
export function reformatPhone(r: Rng, p: string): string {
  const a = p.slice(0, 3);
  const b = p.slice(3, 7);
  const c = p.slice(7);
  switch (r.int(8)) {
    case 0: return `+86 ${a}-${b}-${c}`;
    case 1: return `0086 ${p}`;
    case 2: return `${a} ${b} ${c}`;
    case 3: return `(${a})${b}${c}`;
    case 4: return `+86${p}`;
    case 5: return `${a}-${b}-${c}`;
    case 6: return `+86 ${a} ${b} ${c}`;
    default: return `86-${p}`;
  }
}

/** ASCII to full-width forms (what a Chinese IME in full-width mode types); NFKC undoes it. */
export function fullWidth(s: string): string {
  return s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

export function spacedName(r: Rng, n: Name): string {
  const u = r.float();
  if (n.english) return u < 0.5 ? `${n.given}  ${n.surname}` : u < 0.75 ? ` ${n.full}` : `${n.full} `;
  if (u < 0.55) return `${n.surname} ${n.given}`;
  if (u < 0.75) return [...n.full].join(' ');
  return u < 0.9 ? `${n.full}  ` : ` ${n.full}`;
}

/** One character, at a random position that has homophones, swapped for a same-pinyin one. */
export function homophoneName(r: Rng, n: Name): string {
  const chars = [...n.full];
  const spots: number[] = [];
  chars.forEach((ch, k) => {
    if ((k === 0 ? SURNAME_HOMOPHONES : GIVEN_HOMOPHONES).has(ch)) spots.push(k);
  });
  const k = r.pick(spots);
  const ch = chars[k] as string;
  const group = [...((k === 0 ? SURNAME_HOMOPHONES : GIVEN_HOMOPHONES).get(ch) as string)].filter((c) => c !== ch);
  chars[k] = r.pick(group);
  return chars.join('');
}

/**
 * A typo: for Chinese, a given-name character dropped (three-character names) or replaced by one
 * that sounds different (so it is not a homophone); for latin names, a letter changed, dropped or
 * swapped with its neighbour.
 */
export function typoName(r: Rng, n: Name): string {
  if (!n.english) {
    const given = [...n.given];
    if (given.length === 2 && r.chance(0.5)) return n.surname + given[r.int(2)];
    const k = r.int(given.length);
    const old = given[k] as string;
    const pool = (n.gender === 'female' ? FEMALE_CHARS : MALE_CHARS).all;
    const oldPy = pool.find(([h]) => h === old)?.[1];
    let next = r.pick(pool);
    while (next[0] === old || next[1] === oldPy || given.includes(next[0])) next = r.pick(pool);
    given[k] = next[0];
    return n.surname + given.join('');
  }
  const s = n.full;
  // Letters after the first of each word: people rarely get a first letter wrong.
  const spots: number[] = [];
  for (let k = 1; k < s.length; k++) if (s[k] !== ' ' && s[k - 1] !== ' ') spots.push(k);
  const k = r.pick(spots);
  const op = r.int(3);
  if (op === 0 && k + 1 < s.length && s[k + 1] !== ' ' && s[k] !== s[k + 1]) {
    return s.slice(0, k) + (s[k + 1] as string) + (s[k] as string) + s.slice(k + 2);
  }
  if (op === 1) return s.slice(0, k) + s.slice(k + 1);
  let c = String.fromCharCode(97 + r.int(26));
  while (c === s[k]) c = String.fromCharCode(97 + r.int(26));
  return s.slice(0, k) + c + s.slice(k + 1);
}

export function emailCase(r: Rng, e: string): string {
  if (r.chance(0.5)) return e.toUpperCase();
  // Mixed case, as when a phone capitalises the first letter, or someone types the domain in capitals.
  const at = e.indexOf('@');
  const local = e.slice(0, at);
  const domain = e.slice(at + 1);
  return /^[a-z]/.test(local) && r.chance(0.6)
    ? `${local.charAt(0).toUpperCase()}${local.slice(1)}@${domain}`
    : `${local}@${domain.toUpperCase()}`;
}
