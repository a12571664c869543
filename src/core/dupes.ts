// Labelled messy customer lists, for testing and benchmarking duplicate detection (`crm dedupe`).
// Each row says which real person (entity) it describes, so a detector's pairs can be scored
// against the truth: duplicates are the same person written differently (phone formats, spacing,
// traditional characters, full-width digits, homophones, typos, missing fields, a new phone), and
// look-alikes are different people that a careless detector would merge (two real 张伟, or a
// spouse sharing one phone).
// Pure and deterministic for a seed (no clock, no Math.random); rows stream out of a generator and
// memory stays bounded: every person is built from its own seeded PRNG stream, and the shuffle
// holds a fixed-size window of rows, whatever the number of people.
import * as OpenCC from 'opencc-js';
import { DecimalPermutation, mix32, Rng, Table, uniqueDigits } from './random.js';

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

/** The most people one list can hold with distinct phones (three 8-digit phone blocks per person). */
const MAX_PEOPLE = 30_000_000;
/**
 * Rows wait in a window of this many and leave it in random order, so one person's rows end up
 * about this far apart: enough to break adjacency, small enough to keep memory flat.
 */
const WINDOW = 4096;
const DAY_MS = 86_400_000;

// Seeded randomness: ./random.ts (the same generator as the demo shop's).

// ---------------------------------------------------------------------------------------------
// Tables: trimmed from demo.ts (same characters, pinyin and rough weights).

const SURNAMES = new Table<readonly [string, string]>(
  (
    [
      ['王', 'wang', 71], ['李', 'li', 70], ['张', 'zhang', 68], ['刘', 'liu', 54], ['陈', 'chen', 46],
      ['杨', 'yang', 31], ['黄', 'huang', 25], ['赵', 'zhao', 23], ['吴', 'wu', 20], ['周', 'zhou', 19],
      ['徐', 'xu', 13], ['孙', 'sun', 12], ['马', 'ma', 11], ['朱', 'zhu', 11], ['胡', 'hu', 10],
      ['郭', 'guo', 10], ['何', 'he', 9], ['高', 'gao', 9], ['林', 'lin', 9], ['罗', 'luo', 9],
      ['郑', 'zheng', 8], ['梁', 'liang', 8], ['谢', 'xie', 6], ['宋', 'song', 6], ['唐', 'tang', 6],
      ['许', 'xu', 5], ['韩', 'han', 5], ['冯', 'feng', 5], ['邓', 'deng', 5], ['曹', 'cao', 5],
      ['彭', 'peng', 4], ['肖', 'xiao', 4], ['田', 'tian', 4], ['董', 'dong', 4], ['袁', 'yuan', 4],
      ['潘', 'pan', 4], ['蒋', 'jiang', 4], ['蔡', 'cai', 4], ['杜', 'du', 3], ['叶', 'ye', 3],
      ['苏', 'su', 3], ['魏', 'wei', 3], ['沈', 'shen', 3], ['汪', 'wang', 2], ['黎', 'li', 2], ['贺', 'he', 2],
    ] as const
  ).map(([han, py, w]) => [[han, py] as const, w] as const),
);

type NameChar = readonly [string, string];

/** "字:pinyin:weight" lists of given-name characters. */
function nameChars(spec: string): { table: Table<NameChar>; all: NameChar[] } {
  const all = spec
    .trim()
    .split(/\s+/)
    .map((s) => {
      const [han = '', py = '', weight = '1'] = s.split(':');
      return [han, py, Number(weight)] as const;
    });
  return { table: new Table(all.map(([h, p, w]) => [[h, p] as const, w] as const)), all: all.map(([h, p]) => [h, p] as const) };
}

const MALE_CHARS = nameChars(`
  伟:wei:8 强:qiang:4 磊:lei:4 军:jun:4 勇:yong:3 杰:jie:4 涛:tao:3 斌:bin:3 超:chao:3 明:ming:4
  刚:gang:2 平:ping:2 辉:hui:3 鹏:peng:3 华:hua:3 飞:fei:2 鑫:xin:2 波:bo:2 宇:yu:4 浩:hao:4
  凯:kai:2 健:jian:2 俊:jun:3 帆:fan:2 旭:xu:2 龙:long:2 林:lin:2 阳:yang:3 峰:feng:2 建:jian:3
  国:guo:3 志:zhi:3 东:dong:3 海:hai:2 亮:liang:2 成:cheng:2 博:bo:2 轩:xuan:2 文:wen:3 晨:chen:2
  嘉:jia:2 子:zi:2 永:yong:2
`);
const FEMALE_CHARS = nameChars(`
  芳:fang:7 娜:na:6 敏:min:5 静:jing:6 丽:li:5 艳:yan:4 娟:juan:3 霞:xia:3 秀:xiu:3 玲:ling:4
  英:ying:3 燕:yan:3 萍:ping:3 红:hong:3 梅:mei:3 琳:lin:3 雪:xue:3 婷:ting:4 倩:qian:3 颖:ying:3
  慧:hui:3 莉:li:3 洁:jie:2 琴:qin:2 云:yun:2 晶:jing:2 欣:xin:3 怡:yi:3 佳:jia:3 悦:yue:2
  雯:wen:2 蕾:lei:2 璐:lu:2 瑶:yao:2 涵:han:2 萱:xuan:2 雨:yu:3 梦:meng:2 兰:lan:2 丹:dan:2
  晓:xiao:3 彤:tong:2 琪:qi:2 思:si:2 美:mei:2
`);
/** Characters that rarely make a given name on their own. */
const NEVER_ALONE = new Set(['子', '晓', '思', '嘉', '梦', '建', '国', '志', '永', '美']);

const EN_FEMALE = ['Emily', 'Sarah', 'Jessica', 'Amy', 'Grace', 'Linda', 'Helen', 'Lucy', 'Anna', 'Cindy', 'Vivian', 'Sophie', 'Chloe', 'Rachel', 'Michelle', 'Angela', 'Irene', 'Jenny', 'Karen', 'Fiona'] as const;
const EN_MALE = ['James', 'David', 'Michael', 'John', 'Daniel', 'Kevin', 'Jason', 'Eric', 'Tony', 'Peter', 'Mark', 'Andrew', 'Brian', 'Alex', 'Chris', 'Jack', 'Ryan', 'Steven', 'William', 'Vincent'] as const;
const EN_LAST = ['Chen', 'Wang', 'Li', 'Zhang', 'Liu', 'Wong', 'Lee', 'Lin', 'Huang', 'Chan', 'Smith', 'Johnson', 'Brown', 'Miller', 'Taylor', 'Clark', 'Walker', 'Young', 'King', 'Scott', 'Kim', 'Park'] as const;

interface City {
  name: string;
  districts: readonly string[];
  roads: readonly string[];
}

const CITIES = new Table<City>([
  [{ name: '上海', districts: ['徐汇区', '静安区', '浦东新区', '长宁区', '黄浦区', '闵行区'], roads: ['漕溪北路', '南京西路', '世纪大道', '淮海中路', '延安西路', '长寿路'] }, 18],
  [{ name: '北京', districts: ['朝阳区', '海淀区', '东城区', '西城区', '丰台区'], roads: ['建国路', '中关村大街', '朝阳北路', '西单北大街', '学院路'] }, 14],
  [{ name: '杭州', districts: ['西湖区', '上城区', '拱墅区', '滨江区'], roads: ['文三路', '延安路', '莫干山路', '江南大道'] }, 8],
  [{ name: '苏州', districts: ['姑苏区', '工业园区', '吴中区'], roads: ['人民路', '干将西路', '星湖街', '观前街'] }, 6],
  [{ name: '南京', districts: ['鼓楼区', '玄武区', '秦淮区', '建邺区'], roads: ['中山路', '珠江路', '江东中路', '汉中路'] }, 6],
  [{ name: '广州', districts: ['天河区', '越秀区', '海珠区', '番禺区'], roads: ['天河路', '中山五路', '体育西路', '北京路'] }, 9],
  [{ name: '深圳', districts: ['南山区', '福田区', '罗湖区', '宝安区'], roads: ['深南大道', '科苑路', '华强北路', '宝安大道'] }, 9],
  [{ name: '成都', districts: ['锦江区', '武侯区', '青羊区', '成华区'], roads: ['春熙路', '人民南路', '天府大道', '蜀都大道'] }, 7],
  [{ name: '武汉', districts: ['武昌区', '江汉区', '洪山区', '江岸区'], roads: ['中山大道', '解放大道', '珞喻路', '中南路'] }, 5],
  [{ name: '西安', districts: ['雁塔区', '碑林区', '未央区', '新城区'], roads: ['长安中路', '小寨东路', '东大街', '未央路'] }, 4],
  [{ name: '重庆', districts: ['渝中区', '江北区', '南岸区', '沙坪坝区'], roads: ['民族路', '建新北路', '南坪西路', '杨家坪正街'] }, 5],
  [{ name: '厦门', districts: ['思明区', '湖里区', '集美区'], roads: ['中山路', '湖滨南路', '嘉禾路'] }, 2],
  [{ name: '长沙', districts: ['岳麓区', '芙蓉区', '天心区', '开福区'], roads: ['五一大道', '黄兴中路', '麓山南路'] }, 2.5],
  [{ name: '青岛', districts: ['市南区', '市北区', '崂山区'], roads: ['香港中路', '中山路', '辽阳西路'] }, 2],
]);

/** Mainland mobile prefixes (demo.ts's list and weights). */
const CN_PREFIXES = new Table<string>([
  ...[130, 131, 132, 133, 134, 135, 136, 137, 138, 139].map((p) => [String(p), p >= 135 ? 4 : 2.5] as const),
  ...[150, 151, 152, 153, 155, 156, 157, 158, 159].map((p) => [String(p), 2.5] as const),
  ...[166, 173, 175, 176, 177, 178].map((p) => [String(p), 1] as const),
  ...[180, 181, 182, 183, 184, 185, 186, 187, 188, 189].map((p) => [String(p), p >= 186 ? 3 : 2] as const),
  ...[191, 198, 199].map((p) => [String(p), 1] as const),
]);

const EMAIL_DOMAINS_ZH = new Table<string>([
  ['163.com', 40], ['126.com', 15], ['sina.com', 8], ['foxmail.com', 8], ['gmail.com', 8], ['outlook.com', 8], ['139.com', 5], ['icloud.com', 8],
]);
const EMAIL_DOMAINS_EN = new Table<string>([
  ['gmail.com', 40], ['outlook.com', 15], ['hotmail.com', 10], ['icloud.com', 15], ['yahoo.com', 5], ['163.com', 5],
]);

const NOTES_ZH = ['喜欢绿茶，不要辣', '只在周末来', '对花生过敏', '老板的朋友', '每次都要发票', '不喜欢接电话，微信联系', '送货上门，放门卫', '价格敏感，有活动再通知', '吃素', '常买给父母'] as const;
const NOTES_EN = ['prefers pickup on weekends', 'allergic to peanuts', 'vegetarian', 'pays by Alipay', 'prefers WeChat over calls', 'only call after 6pm'] as const;

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
function traditional(s: string): string {
  const convert = (toTraditional ??= OpenCC.Converter({ from: 'cn', to: 'tw' }));
  return convert(s);
}

// ---------------------------------------------------------------------------------------------
// People

interface Name {
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

function chineseName(r: Rng, gender: 'male' | 'female', surname?: readonly [string, string]): Name {
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

function englishName(r: Rng, gender: 'male' | 'female', last?: string): Name {
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
function fittingName(r: Rng, gender: 'male' | 'female', needTraditional: boolean, needHomophone: boolean): Name {
  for (let tries = 0; tries < 8; tries++) {
    const n = chineseName(r, gender);
    if ((!needHomophone || hasHomophone(n)) && (!needTraditional || traditional(n.full) !== n.full)) return n;
  }
  return chineseName(r, gender, ['张', 'zhang']);
}

function birthday(r: Rng): string {
  return new Date((BIRTH_FROM + r.int(BIRTH_SPAN)) * DAY_MS).toISOString().slice(0, 10);
}

function otherBirthday(r: Rng, not: string): string {
  let b = birthday(r);
  while (b === not) b = birthday(r);
  return b;
}

function address(r: Rng, city: City): string {
  const number = r.chance(0.7) ? r.range(1, 300) : r.range(301, 1999);
  let a = `${city.name}市${r.pick(city.districts)}${r.pick(city.roads)}${number}号`;
  if (r.chance(0.5)) a += `${r.range(1, 24)}栋${r.range(1, 32)}${String(r.range(1, 6)).padStart(2, '0')}室`;
  return a;
}

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
// Rewritings

/** The same mobile as people write it: spaced, dashed, with a country code, in brackets. */
function reformatPhone(r: Rng, p: string): string {
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
function fullWidth(s: string): string {
  return s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

function spacedName(r: Rng, n: Name): string {
  const u = r.float();
  if (n.english) return u < 0.5 ? `${n.given}  ${n.surname}` : u < 0.75 ? ` ${n.full}` : `${n.full} `;
  if (u < 0.55) return `${n.surname} ${n.given}`;
  if (u < 0.75) return [...n.full].join(' ');
  return u < 0.9 ? `${n.full}  ` : ` ${n.full}`;
}

/** One character, at a random position that has homophones, swapped for a same-pinyin one. */
function homophoneName(r: Rng, n: Name): string {
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
function typoName(r: Rng, n: Name): string {
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

function emailCase(r: Rng, e: string): string {
  if (r.chance(0.5)) return e.toUpperCase();
  // Mixed case, as when a phone capitalises the first letter, or someone types the domain in capitals.
  const at = e.indexOf('@');
  const local = e.slice(0, at);
  const domain = e.slice(at + 1);
  return /^[a-z]/.test(local) && r.chance(0.6)
    ? `${local.charAt(0).toUpperCase()}${local.slice(1)}@${domain}`
    : `${local}@${domain.toUpperCase()}`;
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
  // A different constant from demo.ts, so a demo and a labelled list of one seed do not share phones.
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
