// A second labelled messy customer list for `crm dedupe`, written apart from ./dupes.ts and
// ./dupes-people.ts so a matcher tuned on one is measured on another: its own tables (surnames by
// their real-ish shares, given names of one or two characters from another pool, so 张伟 and 王芳
// repeat a lot; birthdays bunched on 01-01 and the 1st of months, as shops' data have; skewed
// cities; other email domains), its own kinds of duplicate at other rates, and look-alikes of its
// own (a second 张伟 in the same city, twins, a spouse on the same phone and address).
// Same output shape as ./dupes.ts (LabelledRow), streamed from a generator, deterministic for a
// seed (src/core/random.ts), bounded memory: each person comes from their own seeded stream, and
// rows leave a fixed-size shuffle window.
// Test code: the bench (bench/run.js, compiled by bench/tsconfig.json) and tests/core/dupes-other.test.ts use it.
import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';
import { DecimalPermutation, mix32, Rng, Table, uniqueDigits } from '../../src/core/random.js';

export type OtherDupeKind =
  | 'traditional' // name, and often city and address, in traditional characters (張偉, 廣州)
  | 'name-space' // a space between surname and given name, between every character, or around
  | 'phone-format' // +86 138 0013 8000, 138-0013-8000, 0086-13800138000 …
  | 'phone-typo' // one digit of the phone typed wrong
  | 'phone-missing' // no phone on this entry (email or birthday and address still there)
  | 'email-variant' // email left out, or typed in capitals
  | 'birthday-variant' // birthday left out, or one digit wrong
  | 'address-variant' // address left out, or abbreviated (省/市 dropped, another house-number format)
  | 'city-missing'; // no city
export type OtherLookAlikeKind =
  | 'same-name-city' // a different person with the same full name in the same city: other birthday and phone
  | 'twin' // same surname, birthday, phone and address; another given name
  | 'spouse'; // shares phone and address; another name and birthday

export interface OtherRow {
  /** The real person: rows with the same entity are duplicates of each other. */
  entity: number;
  kind: 'original' | OtherDupeKind | OtherLookAlikeKind;
  row: Record<'name' | 'phone' | 'email' | 'gender' | 'birthday' | 'city' | 'address' | 'note', string>;
}
type Row = OtherRow['row'];

export interface OtherOptions {
  /** Distinct real people before look-alikes. */
  people: number;
  /** Default 1. */
  seed?: number;
  /** Share of people with 1-2 duplicate entries (default 0.25). */
  duplicateRate?: number;
  /** Share of people with a look-alike, a different person (default 0.08). */
  lookAlikeRate?: number;
}

/** Duplicate kinds and how often each is a duplicate's main change. */
export const OTHER_DUPE_KINDS = new Map<OtherDupeKind, number>([
  ['traditional', 11],
  ['name-space', 9],
  ['phone-format', 15],
  ['phone-typo', 9],
  ['phone-missing', 11],
  ['email-variant', 10],
  ['birthday-variant', 12],
  ['address-variant', 15],
  ['city-missing', 8],
]);
const DUPE_KIND_TABLE = new Table([...OTHER_DUPE_KINDS]);
/** Share of duplicates that carry a second change on top of their kind's. */
const SECOND_CHANGE = 0.35;
const LOOK_ALIKE_TABLE = new Table<OtherLookAlikeKind>([['same-name-city', 5], ['twin', 2], ['spouse', 3]]);
const MAX_PEOPLE = 20_000_000; // four phone slots a person in 10^8 blocks
const WINDOW = 8192;

// ---------------------------------------------------------------------------------------------
// Tables

const w = (s: string): string[] => s.trim().split(/\s+/);

/** Surnames, percent of the population (rounded shares of the 2020 census ranking); the top 100, then a few rarer ones and compound ones. */
const SURNAMES = new Table<string>(
  (
    [
      ['王', 7.1], ['李', 7.0], ['张', 6.4], ['刘', 5.4], ['陈', 4.6], ['杨', 3.1], ['黄', 2.4], ['赵', 2.2], ['吴', 2.0], ['周', 1.9],
      ['徐', 1.5], ['孙', 1.5], ['马', 1.3], ['朱', 1.3], ['胡', 1.2], ['郭', 1.2], ['何', 1.1], ['林', 1.1], ['高', 1.1], ['罗', 1.0],
      ['郑', 1.0], ['梁', 0.9], ['谢', 0.8], ['宋', 0.8], ['唐', 0.8], ['许', 0.7], ['韩', 0.7], ['冯', 0.7], ['邓', 0.7], ['曹', 0.7],
      ['彭', 0.6], ['曾', 0.6], ['肖', 0.6], ['田', 0.6], ['董', 0.5], ['袁', 0.5], ['潘', 0.5], ['于', 0.5], ['蒋', 0.5], ['蔡', 0.5],
      ['余', 0.5], ['杜', 0.5], ['叶', 0.45], ['程', 0.45], ['苏', 0.45], ['魏', 0.4], ['吕', 0.4], ['丁', 0.4], ['任', 0.4], ['沈', 0.4],
      ['姚', 0.37], ['卢', 0.37], ['姜', 0.35], ['崔', 0.35], ['钟', 0.33], ['谭', 0.33], ['陆', 0.32], ['汪', 0.32], ['范', 0.31], ['金', 0.3],
      ['石', 0.3], ['廖', 0.3], ['贾', 0.3], ['夏', 0.28], ['韦', 0.28], ['付', 0.28], ['方', 0.27], ['白', 0.27], ['邹', 0.26], ['孟', 0.26],
      ['熊', 0.25], ['秦', 0.24], ['邱', 0.24], ['江', 0.24], ['尹', 0.23], ['薛', 0.23], ['闫', 0.22], ['段', 0.22], ['雷', 0.22], ['侯', 0.21],
      ['龙', 0.21], ['史', 0.2], ['陶', 0.2], ['黎', 0.2], ['贺', 0.19], ['顾', 0.19], ['毛', 0.18], ['郝', 0.18], ['龚', 0.17], ['邵', 0.17],
      ['万', 0.16], ['钱', 0.16], ['严', 0.15], ['覃', 0.15], ['武', 0.15], ['戴', 0.15], ['莫', 0.14], ['孔', 0.14], ['向', 0.13], ['汤', 0.13],
      ['常', 0.1], ['温', 0.1], ['康', 0.09], ['施', 0.09], ['文', 0.09], ['牛', 0.08], ['樊', 0.08], ['葛', 0.08], ['邢', 0.07], ['安', 0.07],
      ['齐', 0.07], ['易', 0.06], ['乔', 0.06], ['伍', 0.06], ['庞', 0.06], ['颜', 0.05], ['倪', 0.05], ['庄', 0.05], ['聂', 0.05], ['章', 0.05],
      ['欧阳', 0.04], ['司马', 0.01], ['上官', 0.01], ['诸葛', 0.01], ['皇甫', 0.005],
    ] as const
  ).map(([s, p]) => [s, p] as const),
);

/** Weights falling as 1/rank^s (a Zipf law) over the characters of a string, first the most common. */
function zipf(chars: string, s: number): Table<string> {
  return new Table([...chars].map((c, k) => [c, 1 / (k + 1) ** s] as const));
}
/** One-character given names: steep, so 张伟, 王芳, 李娜 come back again and again. */
const SINGLE = {
  male: zipf('伟磊勇军杰涛斌强鹏超浩刚平辉明亮健波宁鑫飞峰凯林华龙阳威俊斌翔帅毅', 1.1),
  female: zipf('芳敏静丽艳娟霞燕玲娜婷洁萍红琳颖倩雪慧莉晶玉琴梅英兰丹欣悦', 1.1),
};
/** Two-character given names: a first and a second character, each by its own frequency. */
const FIRST = {
  male: zipf('子浩宇俊文志建晓明家嘉天永国思一博雨泽振立德海春金世新佳锦', 0.9),
  female: zipf('晓思雨欣佳梦雅美丽秀玉淑婷静子诗一紫可嘉春海金若依欣', 0.9),
};
const SECOND = {
  male: zipf('轩涛杰宇华明伟辉龙强峰军平鹏飞磊然豪翔阳东成亮斌超林彬', 0.8),
  female: zipf('婷怡涵琪萱雯琳丽华英红玲敏芳霞颖洁娟妍彤琳菲璇月茜', 0.8),
};
/** Share of one-character given names (higher among people born before 1990). */
const SINGLE_SHARE_OLD = 0.45;
const SINGLE_SHARE_YOUNG = 0.2;

interface City {
  name: string;
  /** '' for the four municipalities. */
  province: string;
  districts: string[];
}
const CITY_LIST: [City, number][] = (
  [
    ['上海', '', '浦东新区 徐汇区 闵行区 静安区 宝山区', 13],
    ['北京', '', '朝阳区 海淀区 丰台区 西城区 昌平区', 11],
    ['广州', '广东省', '天河区 越秀区 海珠区 白云区 番禺区', 9],
    ['深圳', '广东省', '南山区 福田区 宝安区 龙岗区 罗湖区', 9],
    ['成都', '四川省', '武侯区 锦江区 青羊区 成华区 金牛区', 7],
    ['杭州', '浙江省', '西湖区 上城区 拱墅区 滨江区 萧山区', 6],
    ['重庆', '', '渝中区 江北区 南岸区 沙坪坝区 渝北区', 6],
    ['武汉', '湖北省', '武昌区 江汉区 洪山区 汉阳区 江岸区', 5],
    ['西安', '陕西省', '雁塔区 碑林区 未央区 莲湖区', 4],
    ['南京', '江苏省', '鼓楼区 玄武区 秦淮区 建邺区', 4],
    ['天津', '', '和平区 南开区 河西区 河东区', 4],
    ['苏州', '江苏省', '姑苏区 工业园区 吴中区 相城区', 3.5],
    ['郑州', '河南省', '金水区 二七区 中原区 管城回族区', 3],
    ['长沙', '湖南省', '岳麓区 芙蓉区 天心区 雨花区', 3],
    ['东莞', '广东省', '南城街道 东城街道 莞城街道', 2.5],
    ['青岛', '山东省', '市南区 市北区 崂山区 黄岛区', 2.5],
    ['沈阳', '辽宁省', '和平区 沈河区 皇姑区 铁西区', 2],
    ['合肥', '安徽省', '蜀山区 庐阳区 包河区 瑶海区', 2],
    ['宁波', '浙江省', '海曙区 江北区 鄞州区 北仑区', 2],
    ['佛山', '广东省', '禅城区 南海区 顺德区', 2],
    ['昆明', '云南省', '五华区 盘龙区 官渡区', 1.5],
    ['福州', '福建省', '鼓楼区 台江区 仓山区', 1.5],
    ['厦门', '福建省', '思明区 湖里区 集美区', 1.5],
    ['济南', '山东省', '历下区 市中区 槐荫区', 1.5],
    ['大连', '辽宁省', '中山区 西岗区 沙河口区', 1.2],
    ['哈尔滨', '黑龙江省', '南岗区 道里区 香坊区', 1.2],
    ['南宁', '广西壮族自治区', '青秀区 兴宁区 西乡塘区', 1],
    ['贵阳', '贵州省', '南明区 云岩区 观山湖区', 1],
    ['无锡', '江苏省', '梁溪区 滨湖区 新吴区', 1],
    ['温州', '浙江省', '鹿城区 瓯海区 龙湾区', 1],
    ['兰州', '甘肃省', '城关区 七里河区', 0.6],
    ['乌鲁木齐', '新疆维吾尔自治区', '天山区 沙依巴克区', 0.5],
  ] as const
).map(([name, province, districts, weight]) => [{ name, province, districts: w(districts) }, weight]);
const CITIES = new Table(CITY_LIST);
const ROAD_NAMES = w('人民路 中山路 解放路 建设路 和平路 新华路 胜利路 长江路 黄河路 学府路 文化路 青年路 东风路 光明路 朝阳路 幸福路 北京路 南京路 滨江路 花园路');
const ROAD_TABLE = new Table(ROAD_NAMES.map((r, k) => [r, 1 / (k + 1) ** 0.5] as const));
const ESTATES = w('阳光花园 幸福小区 锦绣家园 翠苑 金色家园 碧桂园 万科城 绿地小区 怡景苑 丽都花园');

const PREFIXES = new Table<string>([
  ...w('139 138 137 136 135 134').map((p) => [p, 5] as const),
  ...w('150 151 152 157 158 159 182 183 187 188 178 147 198').map((p) => [p, 2.5] as const),
  ...w('130 131 132 155 156 185 186 176 175 166').map((p) => [p, 2.5] as const),
  ...w('133 153 180 181 189 177 173 199 191').map((p) => [p, 1.6] as const),
]);

/** Email domains of these lists (unlike ./dupes.ts: mostly QQ, and company mail). */
const DOMAINS = new Table<string>([
  ['qq.com', 44], ['163.com', 19], ['126.com', 9], ['sina.com', 6], ['foxmail.com', 3], ['139.com', 3], ['company', 16],
]);
const COMPANY_DOMAINS = w('huawei.com alibaba-inc.com tencent.com jd.com bytedance.com midea.com haier.com sf-express.com ctrip.com cmbchina.com');

const NOTES = w('要发票 只收顺丰 周末上门 老客户介绍 微信联系 不要打电话 会员日常来 常买茶叶 对海鲜过敏 给孩子买');

// ---------------------------------------------------------------------------------------------
// Romanization and traditional characters, each computed once per string

const pinyinCache = new Map<string, string>();
function romanize(s: string, surname: boolean): string {
  const k = (surname ? 's:' : 'g:') + s;
  let v = pinyinCache.get(k);
  if (v === undefined) {
    v = pinyin(s, { toneType: 'none', v: true, separator: '', ...(surname ? { mode: 'surname' as const } : {}) }).replace(/[^a-z]/g, '');
    pinyinCache.set(k, v);
  }
  return v;
}

let converter: ((s: string) => string) | undefined;
const tradCache = new Map<string, string>();
function traditional(s: string): string {
  if (s === '') return s;
  const seen = tradCache.get(s);
  if (seen !== undefined) return seen;
  const convert = (converter ??= OpenCC.Converter({ from: 'cn', to: 't' }));
  const v: string = convert(s);
  if (tradCache.size > 100_000) tradCache.clear(); // addresses are many: keep memory bounded
  tradCache.set(s, v);
  return v;
}

// ---------------------------------------------------------------------------------------------
// People

interface Person {
  surname: string;
  given: string;
  gender: 'male' | 'female';
  year: number;
}

const fullName = (p: Person): string => p.surname + p.given;

function givenName(r: Rng, gender: 'male' | 'female', year: number): string {
  if (r.chance(year < 1990 ? SINGLE_SHARE_OLD : SINGLE_SHARE_YOUNG)) return SINGLE[gender].pick(r);
  const a = FIRST[gender].pick(r);
  let b = SECOND[gender].pick(r);
  for (let k = 0; k < 4 && b === a; k++) b = SECOND[gender].pick(r);
  return a + b;
}

/** Birth years: most customers 25-50, bunched around 1988. */
function birthYear(r: Rng): number {
  return Math.min(2007, Math.max(1950, Math.round(1988 + 10 * r.normal())));
}

const pad = (n: number): string => String(n).padStart(2, '0');
const DAYS_IN = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** A birthday in that year: 7% on 01-01 and 9% on the 1st of another month (what a shop types when it does not know), the rest spread. */
function birthdayIn(r: Rng, year: number): string {
  const u = r.float();
  if (u < 0.07) return `${year}-01-01`;
  const month = 1 + r.int(12);
  if (u < 0.16) return `${year}-${pad(month)}-01`;
  const days = (DAYS_IN[month - 1] as number) + (month === 2 && leap(year) ? 1 : 0);
  return `${year}-${pad(month)}-${pad(1 + r.int(days))}`;
}

function otherBirthday(r: Rng, not: string): string {
  for (;;) {
    const b = birthdayIn(r, birthYear(r));
    if (b !== not) return b;
  }
}

interface Place {
  city: City;
  district: string;
  road: string;
  number: number;
  /** Building and room, or none (a house or a shop front). */
  building: number;
  room: number;
  estate: string;
}

function place(r: Rng, city: City): Place {
  return {
    city,
    district: r.pick(city.districts),
    road: ROAD_TABLE.pick(r),
    number: r.chance(0.75) ? r.range(1, 400) : r.range(401, 2999),
    building: r.chance(0.7) ? r.range(1, 30) : 0,
    room: r.range(1, 33) * 100 + r.range(1, 6),
    estate: r.chance(0.3) ? r.pick(ESTATES) : '',
  };
}

/** The address in full: province, city, district, road, number, estate, building and room. */
function fullAddress(p: Place): string {
  const head = `${p.city.province}${p.city.name}市${p.district}${p.road}${p.number}号${p.estate}`;
  return p.building ? `${head}${p.building}栋${p.room}室` : head;
}

/** The same address as typed by someone in a hurry: 省 and/or 市 dropped, the numbers in another format. */
function shortAddress(r: Rng, p: Place): string {
  const u = r.float();
  const head = u < 0.4 ? `${p.city.name}${p.district}` : u < 0.8 ? p.district : `${p.city.name}市${p.district}`;
  const num = r.chance(0.5) ? `${p.number}号` : `${p.number}#`;
  if (!p.building) return `${head}${p.road}${num}`;
  const v = r.int(3);
  const rest = v === 0 ? `${p.building}-${p.room}` : v === 1 ? `${p.building}幢${p.room}` : `${p.building}号楼${p.room}`;
  return `${head}${p.road}${num}${p.estate}${rest}`;
}

// ---------------------------------------------------------------------------------------------
// State: unique phones and emails by construction

interface State {
  key: number;
  duplicateRate: number;
  lookAlikeRate: number;
  /** Phone slot 4i: person i; 4i+1: the same-name look-alike. */
  phones: DecimalPermutation;
  /** QQ number slots 2i, 2i+1. */
  qq: DecimalPermutation;
  /** Email digit suffixes for slots 2i, 2i+1, by length (two digits for the first 100 slots, three for the next 1,000 …). */
  suffixes: DecimalPermutation[];
}

function phone(st: State, r: Rng, slot: number): string {
  return PREFIXES.pick(r) + st.phones.format(slot);
}

function email(st: State, r: Rng, slot: number, p: Person): string {
  const domain = DOMAINS.pick(r);
  if (domain === 'qq.com') return `${r.range(1, 9)}${st.qq.format(slot)}@qq.com`;
  const fam = romanize(p.surname, true);
  const giv = romanize(p.given, false);
  const u = r.float();
  const local = u < 0.5 ? `${fam}${giv}` : u < 0.7 ? `${giv}${fam}` : u < 0.85 ? `${fam}.${giv}` : `${fam.slice(0, 1)}${giv}`;
  const suffix = uniqueDigits(st.suffixes, slot);
  return domain === 'company' ? `${local}${suffix}@${r.pick(COMPANY_DOMAINS)}` : `${local}${suffix}@${domain}`;
}

// ---------------------------------------------------------------------------------------------
// Rewritings

function formatPhone(r: Rng, p: string): string {
  const [a, b, c] = [p.slice(0, 3), p.slice(3, 7), p.slice(7)];
  switch (r.int(7)) {
    case 0: return `+86 ${p}`;
    case 1: return `+86-${a}-${b}-${c}`;
    case 2: return `${a}-${b}-${c}`;
    case 3: return `${a} ${b} ${c}`;
    case 4: return `+86 ${a} ${b} ${c}`;
    case 5: return `0086-${p}`;
    default: return `${a} ${p.slice(3)}`;
  }
}

/** One digit after the prefix typed wrong (keeps a valid mobile prefix). */
function typoPhone(r: Rng, p: string): string {
  const k = 3 + r.int(p.length - 3);
  const old = Number(p[k]);
  const d = (old + 1 + r.int(9)) % 10;
  return p.slice(0, k) + String(d) + p.slice(k + 1);
}

/** One digit of the birthday wrong, still a real date (a wrong day digit or a wrong year digit). */
function typoBirthday(r: Rng, b: string): string {
  const y = Number(b.slice(0, 4));
  const m = Number(b.slice(5, 7));
  const d = Number(b.slice(8, 10));
  for (let tries = 0; tries < 20; tries++) {
    let [ny, nd] = [y, d];
    if (r.chance(0.5)) ny = y - (y % 10) + ((y % 10 + 1 + r.int(9)) % 10);
    else nd = d - (d % 10) + ((d % 10 + 1 + r.int(9)) % 10);
    const days = (DAYS_IN[m - 1] as number) + (m === 2 && leap(ny) ? 1 : 0);
    if (nd >= 1 && nd <= days && ny >= 1930 && ny <= 2010 && (ny !== y || nd !== d)) return `${ny}-${pad(m)}-${pad(nd)}`;
  }
  return `${y}-${pad(m)}-${pad(d === 28 ? 27 : 28)}`;
}

function spaced(r: Rng, p: Person): string {
  const u = r.float();
  if (u < 0.5) return `${p.surname} ${p.given}`;
  if (u < 0.7) return [...fullName(p)].join(' ');
  if (u < 0.85) return `${fullName(p)} `;
  return `${p.surname}  ${p.given}`;
}

// ---------------------------------------------------------------------------------------------
// One person's rows

const EMPTY: Row = { name: '', phone: '', email: '', gender: '', birthday: '', city: '', address: '', note: '' };
const genderCell = (r: Rng, g: 'male' | 'female'): string => (r.chance(0.15) ? '' : g === 'male' ? '男' : '女');

/** An entry is findable again only through a phone, an email, or a birthday with an address. */
const identifiable = (x: Row): boolean => x.phone !== '' || x.email !== '' || (x.birthday !== '' && x.address !== '');

function change(r: Rng, kind: OtherDupeKind, d: Row, base: Row, p: Person, where: Place): Row {
  switch (kind) {
    case 'traditional': {
      const name = traditional(d.name);
      const all = r.chance(0.6);
      return { ...d, name, city: all ? traditional(d.city) : d.city, address: all ? traditional(d.address) : d.address };
    }
    case 'name-space':
      return { ...d, name: spaced(r, p) };
    case 'phone-format':
      return { ...d, phone: d.phone === '' ? d.phone : formatPhone(r, base.phone) };
    case 'phone-typo':
      return { ...d, phone: d.phone === '' ? d.phone : typoPhone(r, base.phone) };
    case 'phone-missing':
      return { ...d, phone: '' };
    case 'email-variant':
      return { ...d, email: d.email !== '' && r.chance(0.5) ? d.email.toUpperCase() : '' };
    case 'birthday-variant':
      return { ...d, birthday: d.birthday !== '' && r.chance(0.5) ? typoBirthday(r, d.birthday) : '' };
    case 'address-variant':
      return { ...d, address: base.address !== '' && r.chance(0.6) ? shortAddress(r, where) : '' };
    case 'city-missing':
      return { ...d, city: '' };
  }
}

/** Whether the change shows on this person at all (a name with no traditional form, an empty field). */
function applies(kind: OtherDupeKind, base: Row): boolean {
  switch (kind) {
    case 'traditional': return traditional(base.name) !== base.name || traditional(base.city) !== base.city;
    case 'email-variant': return base.email !== '';
    case 'birthday-variant': return base.birthday !== '';
    case 'address-variant': return base.address !== '';
    default: return true;
  }
}

function personRows(st: State, i: number): OtherRow[] {
  const r = new Rng(mix32(st.key + Math.imul(i, 0x27d4eb2d)), mix32(i ^ 0x165667b1), st.key ^ 0x61c88647, i);
  const dupes = r.chance(st.duplicateRate) ? (r.chance(0.72) ? 1 : 2) : 0;
  const look = r.chance(st.lookAlikeRate) ? LOOK_ALIKE_TABLE.pick(r) : null;

  const gender = r.chance(0.55) ? 'female' : 'male';
  const year = birthYear(r);
  const p: Person = { surname: SURNAMES.pick(r), given: '', gender, year };
  p.given = givenName(r, gender, year);
  const city = CITIES.pick(r);
  const where = place(r, city);
  const needHome = look === 'twin' || look === 'spouse';
  const base: Row = {
    name: fullName(p),
    phone: phone(st, r, 4 * i),
    email: r.chance(0.45) ? email(st, r, 2 * i, p) : '',
    gender: genderCell(r, gender),
    birthday: look === 'twin' || r.chance(0.7) ? birthdayIn(r, year) : '',
    city: r.chance(0.92) ? city.name : '',
    address: needHome || r.chance(0.5) ? fullAddress(where) : '',
    note: r.chance(0.08) ? r.pick(NOTES) : '',
  };
  const rows: OtherRow[] = [{ entity: i, kind: 'original', row: base }];
  for (let k = 0; k < dupes; k++) {
    let kind = DUPE_KIND_TABLE.pick(r);
    for (let tries = 0; tries < 6 && !applies(kind, base); tries++) kind = DUPE_KIND_TABLE.pick(r);
    if (!applies(kind, base)) kind = 'phone-format';
    // A later entry: the note seldom comes again; then the kind's change, and sometimes a second one.
    let d: Row = { ...base, note: r.chance(0.2) ? base.note : '', gender: r.chance(0.8) ? base.gender : genderCell(r, gender) };
    d = change(r, kind, d, base, p, where);
    if (r.chance(SECOND_CHANGE)) {
      const extra = DUPE_KIND_TABLE.pick(r);
      if (extra !== kind && applies(extra, base)) {
        const e = change(r, extra, d, base, p, where);
        if (identifiable(e)) d = e;
      }
    }
    // Nothing left to find this person by: the phone comes back.
    if (!identifiable(d)) d = { ...d, phone: kind === 'phone-missing' ? '' : base.phone, email: kind === 'phone-missing' ? base.email : d.email };
    if (!identifiable(d)) d = { ...d, phone: base.phone };
    rows.push({ entity: i, kind, row: d });
  }
  if (look) rows.push({ entity: -1, kind: look, row: lookAlike(st, r, i, look, p, base, where) });
  return rows;
}

function lookAlike(st: State, r: Rng, i: number, kind: OtherLookAlikeKind, p: Person, base: Row, where: Place): Row {
  switch (kind) {
    case 'same-name-city': {
      const other: Person = { ...p, year: birthYear(r) };
      return {
        ...EMPTY,
        name: base.name,
        phone: phone(st, r, 4 * i + 1),
        email: r.chance(0.4) ? email(st, r, 2 * i + 1, other) : '',
        gender: genderCell(r, p.gender),
        birthday: r.chance(0.8) || base.birthday === '' ? otherBirthday(r, base.birthday) : '',
        city: where.city.name,
        address: r.chance(0.4) ? fullAddress(place(r, where.city)) : '',
      };
    }
    case 'twin': {
      const gender = r.chance(0.5) ? 'male' : 'female';
      let given = givenName(r, gender, p.year);
      for (let k = 0; k < 8 && given === p.given; k++) given = givenName(r, gender, p.year);
      if (given === p.given) given = p.given.length === 1 ? `${p.given}${gender === 'male' ? '军' : '芳'}` : (p.given[0] as string);
      return { ...EMPTY, name: p.surname + given, phone: base.phone, gender: genderCell(r, gender), birthday: base.birthday, city: base.city, address: base.address };
    }
    case 'spouse': {
      const gender = p.gender === 'male' ? 'female' : 'male';
      const year = Math.min(2007, Math.max(1950, p.year + r.range(-5, 5)));
      let surname = SURNAMES.pick(r);
      if (surname === p.surname && r.chance(0.8)) surname = SURNAMES.pick(r);
      let name = surname + givenName(r, gender, year);
      for (let k = 0; k < 8 && name === base.name; k++) name = SURNAMES.pick(r) + givenName(r, gender, year);
      return {
        ...EMPTY,
        name,
        phone: base.phone,
        gender: genderCell(r, gender),
        birthday: r.chance(0.6) ? otherBirthday(r, base.birthday) : '',
        city: base.city,
        address: base.address,
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The generator

function share(name: string, v: number | undefined, fallback: number): number {
  const x = v ?? fallback;
  if (!(x >= 0 && x <= 1)) throw new RangeError(`dupes-other: ${name} must be from 0 to 1, got ${x}`);
  return x;
}

/** Rows in a shuffled order, the same for a seed; streamed, so a million people never sit in memory. */
export function* generateOther(opts: OtherOptions): Generator<OtherRow> {
  if (!Number.isSafeInteger(opts.people) || opts.people < 0 || opts.people > MAX_PEOPLE) {
    throw new RangeError(`dupes-other: people must be an integer from 0 to ${MAX_PEOPLE}, got ${opts.people}`);
  }
  const seed = opts.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`dupes-other: seed must be an integer, got ${seed}`);
  const key = mix32(mix32((seed >>> 0) ^ 0x0bf58476) + mix32(Math.floor(seed / 4294967296) ^ 0x94d049bb));
  const st: State = {
    key,
    duplicateRate: share('duplicateRate', opts.duplicateRate, 0.25),
    lookAlikeRate: share('lookAlikeRate', opts.lookAlikeRate, 0.08),
    phones: new DecimalPermutation(8, mix32(key ^ 0x3c79ac49)),
    qq: new DecimalPermutation(8, mix32(key ^ 0x1d8e4e27)),
    suffixes: Array.from({ length: 10 }, (_, digits) => new DecimalPermutation(Math.max(2, digits), mix32(key ^ (0x7a3b1c55 + digits)))),
  };
  const order = new Rng(key ^ 0x85ebca6b, 0xc2b2ae35, 0x27d4eb2f, 0x165667b1);
  let next = opts.people;
  const window: OtherRow[] = [];
  for (let i = 0; i < opts.people; i++) {
    for (const row of personRows(st, i)) {
      if (row.entity < 0) row.entity = next++;
      if (window.length < WINDOW) {
        window.push(row);
        continue;
      }
      const k = order.int(WINDOW);
      const out = window[k] as OtherRow;
      window[k] = row;
      yield out;
    }
  }
  // Drain in random order.
  for (let n = window.length; n > 0; n--) {
    const k = order.int(n);
    const out = window[k] as OtherRow;
    window[k] = window[n - 1] as OtherRow;
    window.pop();
    yield out;
  }
}
