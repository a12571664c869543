// The demo shop: a deterministic, lazy stream of realistic customers of a small Chinese shop, with
// their orders and follow-ups, for `crm demo` and the benchmarks (up to millions of customers).
// Pure: the same options give byte-identical output; no clock, no Math.random. Memory stays flat:
// each customer is built from its own seeded PRNG stream, and only bounded tables are kept.
import { DateTime, IANAZone } from 'luxon';
import type { CustomerFields, Gender, Phone } from './customer.js';
import type { InteractionType } from './interaction.js';
import { DecimalPermutation, mix32, Rng, Table, uniqueDigits } from './random.js';

export interface DemoOptions {
  /** How many customers. */
  customers: number;
  /** Integer seed; the same options give byte-identical output. */
  seed: number;
  /** YYYY-MM-DD, the shop-local current date; nothing is generated after it. */
  today: string;
  /** IANA zone of the shop, e.g. Asia/Shanghai. */
  timeZone: string;
  /** Multiplies how often customers buy (default 1: about 7.6 orders a customer); for benchmarks. */
  orderRate?: number;
}

export interface DemoOrder {
  /** Shop-local date, YYYY-MM-DD. */
  day: string;
  /** UTC instant, ISO 8601 with Z; falls on `day` in the shop's zone. */
  at: string;
  /** Integer minor units (fen), > 0. */
  amount: number;
  note: string | null;
  /** Order number, unique across the whole demo. */
  externalId: string;
}

export interface DemoInteraction {
  type: InteractionType;
  note: string;
  /** UTC instant, ISO 8601. */
  at: string;
}

export interface DemoCustomer {
  fields: CustomerFields;
  /** UTC instant, ISO 8601; never after the first order. */
  createdAt: string;
  /** Sorted by `at`. */
  orders: DemoOrder[];
  /** Sorted by `at`. */
  interactions: DemoInteraction[];
}

/** The most customers one demo can hold with distinct phone numbers. */
export const MAX_DEMO_CUSTOMERS = 50_000_000;

const DAY_MS = 86_400_000;
const SHOP_OPEN = 9 * 3600;
const SHOP_CLOSE = 21 * 3600;

// Seeded randomness: ./random.ts.

// ---------------------------------------------------------------------------------------------
// Names

interface Person {
  name: string;
  english: boolean;
  gender: Gender;
  /** Romanized parts for emails and WeChat ids, lower-case ASCII letters only. */
  family: string;
  given: string;
  givenInitials: string;
}

// Surname, pinyin, weight (per mille, roughly the national frequencies).
const SURNAMES = new Table<readonly [string, string]>(
  (
    [
      ['王', 'wang', 71], ['李', 'li', 70], ['张', 'zhang', 68], ['刘', 'liu', 54], ['陈', 'chen', 46],
      ['杨', 'yang', 31], ['黄', 'huang', 25], ['赵', 'zhao', 23], ['吴', 'wu', 20], ['周', 'zhou', 19],
      ['徐', 'xu', 13], ['孙', 'sun', 12], ['马', 'ma', 11], ['朱', 'zhu', 11], ['胡', 'hu', 10],
      ['郭', 'guo', 10], ['何', 'he', 9], ['高', 'gao', 9], ['林', 'lin', 9], ['罗', 'luo', 9],
      ['郑', 'zheng', 8], ['梁', 'liang', 8], ['谢', 'xie', 6], ['宋', 'song', 6], ['唐', 'tang', 6],
      ['许', 'xu', 5], ['韩', 'han', 5], ['冯', 'feng', 5], ['邓', 'deng', 5], ['曹', 'cao', 5],
      ['彭', 'peng', 4], ['曾', 'zeng', 4], ['肖', 'xiao', 4], ['田', 'tian', 4], ['董', 'dong', 4],
      ['袁', 'yuan', 4], ['潘', 'pan', 4], ['于', 'yu', 4], ['蒋', 'jiang', 4], ['蔡', 'cai', 4],
      ['余', 'yu', 3], ['杜', 'du', 3], ['叶', 'ye', 3], ['程', 'cheng', 3], ['苏', 'su', 3],
      ['魏', 'wei', 3], ['吕', 'lv', 3], ['丁', 'ding', 3], ['任', 'ren', 3], ['沈', 'shen', 3],
      ['姚', 'yao', 3], ['卢', 'lu', 3], ['姜', 'jiang', 3], ['崔', 'cui', 3], ['钟', 'zhong', 3],
      ['谭', 'tan', 3], ['陆', 'lu', 2], ['汪', 'wang', 2], ['范', 'fan', 2], ['金', 'jin', 2],
      ['石', 'shi', 2], ['廖', 'liao', 2], ['贾', 'jia', 2], ['夏', 'xia', 2], ['韦', 'wei', 2],
      ['付', 'fu', 2], ['方', 'fang', 2], ['白', 'bai', 2], ['邹', 'zou', 2], ['孟', 'meng', 2],
      ['熊', 'xiong', 2], ['秦', 'qin', 2], ['邱', 'qiu', 2], ['江', 'jiang', 2], ['尹', 'yin', 2],
      ['薛', 'xue', 2], ['闫', 'yan', 2], ['段', 'duan', 2], ['雷', 'lei', 2], ['侯', 'hou', 2],
      ['龙', 'long', 2], ['史', 'shi', 2], ['陶', 'tao', 2], ['黎', 'li', 2], ['贺', 'he', 2],
      ['顾', 'gu', 2], ['毛', 'mao', 2], ['郝', 'hao', 2], ['龚', 'gong', 2], ['邵', 'shao', 2],
      ['万', 'wan', 2], ['钱', 'qian', 2], ['严', 'yan', 2], ['欧阳', 'ouyang', 0.5], ['司马', 'sima', 0.2],
      ['上官', 'shangguan', 0.2], ['诸葛', 'zhuge', 0.1],
    ] as const
  ).map(([han, pinyin, w]) => [[han, pinyin] as const, w] as const),
);

type NameChar = readonly [string, string];

/** "字:pinyin:weight" lists of common given-name characters. */
function nameChars(spec: string): Table<NameChar> {
  return new Table(
    spec
      .trim()
      .split(/\s+/)
      .map((s) => {
        const [han = '', pinyin = '', weight = '1'] = s.split(':');
        return [[han, pinyin] as const, Number(weight)] as const;
      }),
  );
}

const MALE_CHARS = nameChars(`
  伟:wei:8 强:qiang:4 磊:lei:4 军:jun:4 勇:yong:3 杰:jie:4 涛:tao:3 斌:bin:3 超:chao:3 明:ming:4
  刚:gang:2 平:ping:2 辉:hui:3 鹏:peng:3 华:hua:3 飞:fei:2 鑫:xin:2 波:bo:2 宇:yu:4 浩:hao:4
  凯:kai:2 健:jian:2 俊:jun:3 帆:fan:2 帅:shuai:1 旭:xu:2 宁:ning:1 龙:long:2 林:lin:2 阳:yang:3
  峰:feng:2 建:jian:3 国:guo:3 志:zhi:3 东:dong:3 海:hai:2 亮:liang:2 成:cheng:2 博:bo:2 昊:hao:1
  轩:xuan:2 睿:rui:2 泽:ze:2 天:tian:2 毅:yi:1 坤:kun:1 文:wen:3 晨:chen:2 嘉:jia:2 子:zi:2
  一:yi:2 然:ran:1 振:zhen:1 永:yong:2 立:li:1 德:de:1 兵:bing:1 江:jiang:1 锋:feng:1 昌:chang:1
`);

const FEMALE_CHARS = nameChars(`
  芳:fang:7 娜:na:6 敏:min:5 静:jing:6 丽:li:5 艳:yan:4 娟:juan:3 霞:xia:3 秀:xiu:3 玲:ling:4
  桂:gui:2 英:ying:3 燕:yan:3 萍:ping:3 红:hong:3 梅:mei:3 琳:lin:3 雪:xue:3 婷:ting:4 倩:qian:3
  颖:ying:3 慧:hui:3 莉:li:3 洁:jie:2 琴:qin:2 云:yun:2 晶:jing:2 欣:xin:3 怡:yi:3 佳:jia:3
  悦:yue:2 雯:wen:2 蕾:lei:2 薇:wei:2 璐:lu:2 瑶:yao:2 涵:han:2 萱:xuan:2 诗:shi:2 雨:yu:3
  梦:meng:2 月:yue:2 兰:lan:2 凤:feng:2 春:chun:1 丹:dan:2 晓:xiao:3 小:xiao:2 彤:tong:2 琪:qi:2
  露:lu:1 思:si:2 嘉:jia:1 文:wen:1 晨:chen:1 子:zi:1 美:mei:2 翠:cui:1 淑:shu:1 如:ru:1
`);

/** Given names often doubled: 婷婷, 丹丹, 晶晶. */
const DOUBLED = new Set(['婷', '丹', '晶', '莉', '琳', '菲', '露', '悦', '欣', '佳', '静', '洋']);
/** Characters that rarely make a given name on their own. */
const NEVER_ALONE = new Set(['一', '子', '小', '晓', '思', '嘉', '梦', '诗', '建', '国', '志', '永', '德', '立', '天', '美', '淑', '如', '春', '桂', '秀']);

const EN_FEMALE = [
  'Emily', 'Sarah', 'Jessica', 'Amy', 'Grace', 'Linda', 'Helen', 'Lucy', 'Anna', 'Cindy', 'Vivian', 'Sophie',
  'Olivia', 'Emma', 'Chloe', 'Kate', 'Rachel', 'Jennifer', 'Michelle', 'Tina', 'Cherry', 'Angela', 'Irene',
  'Ivy', 'Jenny', 'Karen', 'Lily', 'Nancy', 'Mandy', 'Crystal', 'Fiona', 'Joanna', 'Sunny', 'Wendy',
] as const;
const EN_MALE = [
  'James', 'David', 'Michael', 'John', 'Daniel', 'Kevin', 'Jason', 'Eric', 'Tony', 'Peter', 'Mark', 'Andrew',
  'Brian', 'Alex', 'Tom', 'Chris', 'Jack', 'Leo', 'Ryan', 'Sam', 'Frank', 'Steven', 'William', 'Henry',
  'Oliver', 'Lucas', 'Ben', 'Paul', 'Vincent', 'Jerry', 'Allen', 'Simon',
] as const;
const EN_LAST = new Table<string>([
  ...(['Chen', 'Wang', 'Li', 'Zhang', 'Liu', 'Wong', 'Lee', 'Lin', 'Huang', 'Zhou', 'Wu', 'Xu', 'Chan', 'Ho'] as const).map(
    (n) => [n, 3] as const,
  ),
  ...(
    [
      'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Anderson', 'Thomas',
      'Moore', 'Martin', 'Clark', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'Green', 'Baker', 'Evans', 'Turner',
      'Scott', 'Campbell', 'Mitchell', 'Roberts', 'Murphy', 'Müller', 'Dubois', 'Rossi', 'Kim', 'Park', 'Tanaka',
    ] as const
  ).map((n) => [n, 1.2] as const),
]);

function chinesePerson(r: Rng): Person {
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

function englishPerson(r: Rng): Person {
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

// ---------------------------------------------------------------------------------------------
// Places

interface CnCity {
  name: string;
  /** Province, or null for the four municipalities. */
  province: string | null;
  districts: readonly string[];
  roads: readonly string[];
}

const CN_CITIES: readonly (readonly [CnCity, number])[] = [
  [{ name: '上海', province: null, districts: ['徐汇区', '静安区', '浦东新区', '长宁区', '黄浦区', '闵行区', '杨浦区', '普陀区'], roads: ['漕溪北路', '南京西路', '世纪大道', '淮海中路', '延安西路', '长寿路', '四平路', '虹桥路', '张杨路', '天山路'] }, 18],
  [{ name: '北京', province: null, districts: ['朝阳区', '海淀区', '东城区', '西城区', '丰台区', '通州区'], roads: ['建国路', '中关村大街', '朝阳北路', '西单北大街', '学院路', '望京街', '北三环中路'] }, 14],
  [{ name: '杭州', province: '浙江省', districts: ['西湖区', '上城区', '拱墅区', '滨江区', '余杭区'], roads: ['文三路', '延安路', '莫干山路', '江南大道', '文一西路', '庆春路'] }, 8],
  [{ name: '苏州', province: '江苏省', districts: ['姑苏区', '工业园区', '吴中区', '虎丘区'], roads: ['人民路', '干将西路', '星湖街', '东吴北路', '观前街'] }, 6],
  [{ name: '南京', province: '江苏省', districts: ['鼓楼区', '玄武区', '秦淮区', '建邺区'], roads: ['中山路', '珠江路', '中山南路', '江东中路', '汉中路'] }, 6],
  [{ name: '广州', province: '广东省', districts: ['天河区', '越秀区', '海珠区', '番禺区'], roads: ['天河路', '中山五路', '江南大道中', '体育西路', '北京路'] }, 9],
  [{ name: '深圳', province: '广东省', districts: ['南山区', '福田区', '罗湖区', '宝安区', '龙华区'], roads: ['深南大道', '科苑路', '华强北路', '宝安大道', '东门中路'] }, 9],
  [{ name: '成都', province: '四川省', districts: ['锦江区', '武侯区', '青羊区', '高新区', '成华区'], roads: ['春熙路', '人民南路', '天府大道', '科华北路', '蜀都大道'] }, 7],
  [{ name: '武汉', province: '湖北省', districts: ['武昌区', '江汉区', '洪山区', '江岸区'], roads: ['中山大道', '解放大道', '珞喻路', '武珞路', '中南路'] }, 5],
  [{ name: '西安', province: '陕西省', districts: ['雁塔区', '碑林区', '未央区', '新城区'], roads: ['长安中路', '小寨东路', '东大街', '未央路', '含光路'] }, 4],
  [{ name: '重庆', province: null, districts: ['渝中区', '江北区', '南岸区', '沙坪坝区', '九龙坡区'], roads: ['民族路', '建新北路', '南坪西路', '小龙坎正街', '杨家坪正街'] }, 5],
  [{ name: '天津', province: null, districts: ['和平区', '南开区', '河西区', '河东区'], roads: ['南京路', '卫津路', '友谊路', '大沽南路'] }, 4],
  [{ name: '宁波', province: '浙江省', districts: ['海曙区', '鄞州区', '江北区'], roads: ['中山西路', '天童南路', '人民路'] }, 2],
  [{ name: '厦门', province: '福建省', districts: ['思明区', '湖里区', '集美区'], roads: ['中山路', '湖滨南路', '嘉禾路'] }, 2],
  [{ name: '长沙', province: '湖南省', districts: ['岳麓区', '芙蓉区', '天心区', '开福区'], roads: ['五一大道', '黄兴中路', '麓山南路'] }, 2.5],
  [{ name: '青岛', province: '山东省', districts: ['市南区', '市北区', '崂山区'], roads: ['香港中路', '中山路', '辽阳西路'] }, 2],
  [{ name: '郑州', province: '河南省', districts: ['金水区', '二七区', '中原区'], roads: ['花园路', '中原路', '大学路'] }, 2],
  [{ name: '合肥', province: '安徽省', districts: ['蜀山区', '包河区', '庐阳区'], roads: ['长江西路', '徽州大道', '金寨路'] }, 1.5],
  [{ name: '无锡', province: '江苏省', districts: ['梁溪区', '滨湖区', '新吴区'], roads: ['中山路', '人民中路', '太湖大道'] }, 1.5],
  [{ name: '东莞', province: '广东省', districts: ['南城街道', '东城街道', '长安镇', '虎门镇'], roads: ['鸿福路', '东纵大道', '长安路'] }, 1.5],
  [{ name: '佛山', province: '广东省', districts: ['禅城区', '南海区', '顺德区'], roads: ['季华路', '桂城南海大道', '大良清晖路'] }, 1.5],
];

const OVERSEAS_STREETS: Record<string, readonly string[]> = {
  'New York': ['Broadway', 'Lexington Ave', 'W 34th St', 'Mott St', 'Canal St', 'Amsterdam Ave'],
  'San Francisco': ['Market St', 'Geary Blvd', 'Clement St', 'Valencia St', 'Stockton St'],
  'Palo Alto': ['University Ave', 'El Camino Real', 'California Ave'],
  'Los Angeles': ['Wilshire Blvd', 'Sunset Blvd', 'Figueroa St', 'Hill St'],
  Seattle: ['Pike St', '4th Ave', 'Jackson St'],
  Boston: ['Beacon St', 'Boylston St', 'Tremont St'],
  Vancouver: ['Granville St', 'Robson St', 'Main St'],
  Toronto: ['Yonge St', 'Spadina Ave', 'Queen St W'],
  London: ['Baker St', 'Oxford St', 'Gerrard St', 'Kensington High St', 'Camden High St'],
  Sydney: ['George St', 'Pitt St', 'Dixon St', 'Sussex St'],
  Melbourne: ['Swanston St', 'Little Bourke St', 'Collins St'],
  Singapore: ['Orchard Rd', 'Bencoolen St', 'Tanjong Pagar Rd'],
};
const OVERSEAS_NO_PHONE = ['Sydney', 'Melbourne', 'Singapore', 'London', 'Vancouver'] as const;

function chineseAddress(r: Rng, city: CnCity): string {
  const prefix = city.province !== null && r.chance(0.55) ? city.province : '';
  const number = r.chance(0.7) ? r.range(1, 300) : r.range(301, 1999);
  let address = `${prefix}${city.name}市${r.pick(city.districts)}${r.pick(city.roads)}${number}号`;
  if (r.chance(0.5)) address += `${r.range(1, 24)}栋${r.range(1, 32)}${String(r.range(1, 6)).padStart(2, '0')}室`;
  return address;
}

function overseasAddress(r: Rng, city: string): string {
  const streets = OVERSEAS_STREETS[city] ?? ['Main St'];
  return `${r.chance(0.7) ? r.range(1, 199) : r.range(200, 2999)} ${r.pick(streets)}, ${city}`;
}

// ---------------------------------------------------------------------------------------------
// Phones: every number is built from a per-customer eight-digit block that a seeded bijection
// derives from (customer index, slot), so no two numbers in one demo can be equal.

const CN_PREFIXES = new Table<string>(
  [
    ...[130, 131, 132, 133, 134, 135, 136, 137, 138, 139].map((p) => [String(p), p >= 135 ? 4 : 2.5] as const),
    ...[150, 151, 152, 153, 155, 156, 157, 158, 159].map((p) => [String(p), 2.5] as const),
    ...[166, 173, 175, 176, 177, 178].map((p) => [String(p), 1] as const),
    ...[180, 181, 182, 183, 184, 185, 186, 187, 188, 189].map((p) => [String(p), p >= 186 ? 3 : 2] as const),
    ...[191, 198, 199].map((p) => [String(p), 1] as const),
  ],
);

/** Sixteen area codes (New York, Bay Area, Los Angeles, Seattle, Boston, Vancouver, Toronto). */
const NANP_AREAS: readonly (readonly [string, string])[] = [
  ['212', 'New York'], ['646', 'New York'], ['917', 'New York'], ['718', 'New York'], ['347', 'New York'],
  ['415', 'San Francisco'], ['628', 'San Francisco'], ['650', 'Palo Alto'], ['213', 'Los Angeles'],
  ['310', 'Los Angeles'], ['323', 'Los Angeles'], ['206', 'Seattle'], ['617', 'Boston'], ['604', 'Vancouver'],
  ['416', 'Toronto'], ['647', 'Toronto'],
];
/** Central-office codes 200–999 without N11, 555 and the special 950/958/959/976. */
const NANP_EXCHANGES: readonly number[] = (() => {
  const out: number[] = [];
  for (let e = 200; e <= 999; e++) {
    if (e % 100 === 11 || e === 555 || e === 950 || e === 958 || e === 959 || e === 976) continue;
    out.push(e);
  }
  return out;
})();
/** UK mobile 7xyz blocks that are valid and British (no pagers, Crown dependencies or unallocated). */
const UK_BLOCKS: readonly string[] = (() => {
  const skip = new Set(['700', '911', '457', '509', '524', '624', '781', '797', '829', '839', '937']);
  const out: string[] = [];
  for (const x of [4, 5, 7, 8, 9]) {
    for (let yz = 0; yz < 100; yz++) {
      const block = `${x}${String(yz).padStart(2, '0')}`;
      if (!skip.has(block)) out.push(block);
    }
  }
  return out;
})();

function cnMobile(block: string, r: Rng): string {
  return `+86${CN_PREFIXES.pick(r)}${block}`;
}

/** +1 NPA NXX XXXX from the block: line = low four digits, area and exchange from the high four. */
function nanpNumber(block: string): { e164: string; city: string } {
  const n = Number(block);
  const high = Math.floor(n / 10_000);
  const [area, city] = NANP_AREAS[high % 16] as readonly [string, string];
  const exchange = NANP_EXCHANGES[Math.floor(high / 16)] as number; // < 625 < NANP_EXCHANGES.length
  return { e164: `+1${area}${exchange}${block.slice(4)}`, city };
}

/** +44 7xyz nnnnnn: line = low six digits, block from the high two. */
function ukMobile(block: string): string {
  const high = Number(block.slice(0, 2));
  return `+447${UK_BLOCKS[high * 4 + 1] as string}${block.slice(2)}`;
}

// ---------------------------------------------------------------------------------------------
// Text pools

const TAGS_EXTRA = new Table<string>([
  ['微信群', 12], ['熟人介绍', 8], ['线上', 10], ['线下', 8], ['团购', 6], ['老客户', 4], ['会员', 3],
]);

const SOURCES = new Table<string>([
  ['朋友介绍', 30], ['路过', 20], ['大众点评', 15], ['小红书', 15], ['美团', 8], ['抖音', 7], ['微信群', 5],
]);
const SIZES = new Table<string>([['S', 2], ['M', 5], ['L', 4], ['XL', 2], ['XXL', 1]]);

const NOTES_ZH = [
  '喜欢绿茶，不要辣', '只在周末来', '对花生过敏', '老板的朋友', '每次都要发票', '喜欢新品，到货先通知',
  '不喜欢接电话，微信联系', '送货上门，放门卫', '孩子在附近上学', '公司团购联系人', '价格敏感，有活动再通知',
  '老顾客，介绍了好几个朋友', '下午三点后方便接电话', '吃素', '要少糖', '喜欢礼盒装', '住在店附近', '常买给父母',
] as const;
const NOTES_EN = [
  'prefers pickup on weekends', 'allergic to peanuts', 'vegetarian', 'likes new arrivals, message first',
  'pays by Alipay', 'company orders, needs an invoice', 'prefers WeChat over calls', 'friend of the owner',
  'lives nearby, walks in often', 'only call after 6pm', 'buys gifts for clients at New Year',
] as const;

const ORDER_NOTES_ZH = [
  '送货上门', '需要发票', '礼盒装', '预订，周六自提', '少放糖', '老顾客九折', '团购', '代朋友购买', '加急',
  '微信转账', '生日礼物，附贺卡', '缺货部分下次补',
] as const;
const ORDER_NOTES_EN = [
  'gift wrap', 'delivery', 'invoice requested', 'paid by WeChat', 'pickup Saturday', 'for a birthday party',
  'rush order', 'partial delivery, rest next week',
] as const;

const INTERACTION_NOTES: Record<'zh' | 'en', Record<InteractionType, readonly string[]>> = {
  zh: {
    call: [
      '回访：对新品很满意', '电话确认送货地址', '打电话提醒取货', '询问退换货流程', '电话通知会员日活动',
      '回访：上次的茶叶有点受潮，已道歉并补发', '预约周六到店', '没接电话，稍后再打', '电话沟通团购价格',
    ],
    visit: ['到店试吃，买了两盒', '来店里看新款', '带朋友一起来', '到店咨询团购价格', '上门送货，顺便介绍新品', '到店退换货'],
    message: [
      '微信发了新品图片', '发送生日优惠券', '微信确认订单', '提醒优惠券快过期', '客户微信问有没有现货',
      '发了会员日活动通知', '微信发了物流单号',
    ],
    email: ['发送电子发票', '邮件发送报价单', '邮件确认企业订单'],
    other: ['寄了节日礼品', '在展会上认识', '拉进微信群', '记录：觉得价格偏高', '中秋送了月饼'],
  },
  en: {
    call: [
      'called about a late delivery', 'follow-up call, happy with the order', 'confirmed delivery address',
      'left a voicemail', 'asked about the return policy', 'called to book a tasting',
    ],
    visit: ['came in to try the new flavours', 'visited with a friend', 'picked up the order in store', 'asked about bulk pricing'],
    message: ['sent photos of new arrivals', 'sent a birthday coupon', 'WeChat: confirmed the order', 'reminded about member day'],
    email: ['sent the invoice by email', 'emailed a quote', 'asked by email about shipping abroad', 'sent the newsletter'],
    other: ['sent a holiday gift', 'met at a trade fair', 'added to the WeChat group'],
  },
};

/** Follow-ups with someone who has not bought yet. */
const LEAD_NOTES: Record<'zh' | 'en', Partial<Record<InteractionType, readonly string[]>>> = {
  zh: {
    call: ['电话咨询价格，还没下单', '回电介绍会员优惠', '没接电话，稍后再打'],
    message: ['微信发了产品目录', '客户微信问有没有现货', '发了新客优惠券'],
    visit: ['到店看了看，说下次再买', '到店试吃，觉得偏贵'],
  },
  en: {
    call: ['asked for prices, has not ordered yet', 'left a voicemail'],
    message: ['sent the product catalogue', 'sent a first-order coupon'],
    visit: ['browsed in store, may come back', 'came in for a tasting'],
  },
};

const EMAIL_DOMAINS_EN = new Table<string>([
  ['gmail.com', 40], ['outlook.com', 15], ['hotmail.com', 10], ['icloud.com', 15], ['yahoo.com', 5],
  ['163.com', 5], ['foxmail.com', 3],
]);
const EMAIL_DOMAINS_ZH = new Table<string>([
  ['163.com', 40], ['126.com', 15], ['sina.com', 8], ['foxmail.com', 8], ['gmail.com', 8], ['outlook.com', 8],
  ['139.com', 5], ['icloud.com', 8],
]);

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

// ---------------------------------------------------------------------------------------------
// The calendar of the demo window

interface Calendar {
  readonly zone: string;
  /** Epoch day numbers (days since 1970-01-01 of the local date). */
  readonly start: number;
  readonly today: number;
  readonly todayYear: number;
  readonly iso: string[];
  readonly compact: string[];
  /** UTC offset in minutes during shop hours; NaN when it changes during the day (then luxon decides). */
  readonly offset: Float64Array;
  /** Relative chance of an order on the day (weekends, Spring Festival, Double 11, summer lull). */
  readonly busy: Float64Array;
  /** For local dates the zone skipped (Pacific/Apia, 2011-12-30): the next date that exists; else null. */
  readonly skipped: Int32Array | null;
}

const MONTH_FACTOR = [1.3, 1.25, 0.9, 0.95, 1.0, 0.95, 0.85, 0.85, 1.0, 1.05, 1.25, 1.2];
const WEEKDAY_FACTOR = [1.0, 0.75, 0.75, 0.75, 0.8, 0.9, 1.0]; // Sunday first

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The zone's UTC offset in minutes at an instant. */
function offsetOf(zone: string, utcMs: number): number {
  return DateTime.fromMillis(utcMs, { zone }).offset;
}

/**
 * UTC millis of a wall-clock time in the zone, the wall time given as if it were UTC millis. In an
 * overlap, the earlier instant; in a gap, the instant the clocks show just after it. (Built on
 * instant-to-offset lookups only, which stay right where local-to-instant guessing can go wrong.)
 */
function wallToUtc(zone: string, wallMs: number): number {
  const o1 = offsetOf(zone, wallMs);
  const o2 = offsetOf(zone, wallMs - o1 * 60_000);
  if (o2 === o1) return wallMs - o1 * 60_000;
  const o3 = offsetOf(zone, wallMs - o2 * 60_000);
  if (o3 === o2) return wallMs - o2 * 60_000;
  return wallMs - Math.min(o2, o3) * 60_000;
}

/** The offset that puts a wall-clock time (as UTC millis) on the instant wallToUtc gives. */
function wallOffset(zone: string, wallMs: number): number {
  return (wallMs - wallToUtc(zone, wallMs)) / 60_000;
}

function buildCalendar(today: string, zone: string): Calendar {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  const y = Number(m?.[1]);
  const mo = Number(m?.[2]);
  const d = Number(m?.[3]);
  const todayMs = Date.UTC(y, mo - 1, d);
  const check = new Date(todayMs);
  if (!m || check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new RangeError(`demo: today must be a date YYYY-MM-DD, got ${JSON.stringify(today)}`);
  }
  if (!IANAZone.isValidZone(zone)) throw new RangeError(`demo: unknown time zone ${JSON.stringify(zone)}`);
  const todayDay = todayMs / DAY_MS;
  const start = Date.UTC(y - 3, mo - 1, d) / DAY_MS;
  const length = todayDay - start + 1;
  const iso: string[] = [];
  const compact: string[] = [];
  const offset = new Float64Array(length);
  const busy = new Float64Array(length);
  let maxBusy = 0;
  for (let k = 0; k < length; k++) {
    const date = new Date((start + k) * DAY_MS);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    const ymd = `${year}-${pad2(month)}-${pad2(day)}`;
    iso.push(ymd);
    compact.push(ymd.replace(/-/g, ''));
    offset[k] = wallOffset(zone, (start + k) * DAY_MS + 12 * 3_600_000);
    let f = (MONTH_FACTOR[month - 1] as number) * (WEEKDAY_FACTOR[date.getUTCDay()] as number);
    if (month === 11 && day >= 9 && day <= 11) f *= 1.8; // Double 11
    busy[k] = f;
    if (f > maxBusy) maxBusy = f;
  }
  for (let k = 0; k < length; k++) busy[k] = (busy[k] as number) / maxBusy;
  // Where the offset at noon changes between days, look closer: if it changes during shop hours
  // (08:00–22:00, with a margin), convert those days' times one by one.
  const noon = Float64Array.from(offset);
  let skipped: Int32Array | null = null;
  for (let k = 0; k < length; k++) {
    const here = noon[k] as number;
    if ((k === 0 || noon[k - 1] === here) && (k === length - 1 || noon[k + 1] === here)) continue;
    const midnight = (start + k) * DAY_MS;
    const steady = [8, 21, 22].every((hour) => wallOffset(zone, midnight + hour * 3_600_000) === here);
    if (!steady) offset[k] = Number.NaN;
    // A date the zone skipped altogether: noon of it lands on another date.
    const noonUtc = wallToUtc(zone, midnight + 12 * 3_600_000);
    if (Math.floor((noonUtc + offsetOf(zone, noonUtc) * 60_000) / DAY_MS) !== start + k) {
      skipped ??= new Int32Array(length);
      skipped[k] = 1;
    }
  }
  if (skipped) {
    // Replace each flag with the next date that exists (today always does: it is the shop's today).
    let next = todayDay;
    for (let k = length - 1; k >= 0; k--) {
      if (skipped[k] === 0) next = start + k;
      skipped[k] = next;
    }
  }
  return { zone, start, today: todayDay, todayYear: y, iso, compact, offset, busy, skipped };
}

/** The day itself, or the next one when the zone skipped it. */
function realDay(cal: Calendar, day: number): number {
  return cal.skipped === null ? day : (cal.skipped[day - cal.start] as number);
}

/** UTC millis of a shop-local day (epoch day number) and second of that day. */
function utcMillis(cal: Calendar, day: number, second: number): number {
  const off = cal.offset[day - cal.start] as number;
  if (!Number.isNaN(off)) return (day * 86_400 + second) * 1000 - off * 60_000;
  return wallToUtc(cal.zone, (day * 86_400 + second) * 1000);
}

/** A second of the day within shop hours, busiest around lunch and after work. */
function shopSecond(r: Rng): number {
  const u = r.float();
  let minute: number;
  if (u < 0.4) minute = 540 + r.float() * 720;
  else if (u < 0.7) minute = 735 + r.normal() * 70;
  else minute = 1125 + r.normal() * 80;
  const second = Math.floor(minute * 60);
  return Math.min(SHOP_CLOSE - 1, Math.max(SHOP_OPEN, second));
}

/** A day in [from, to], weighted by how busy the shop is that day. */
function orderDay(r: Rng, cal: Calendar, from: number, to: number): number {
  if (to <= from) return from;
  for (let tries = 0; tries < 16; tries++) {
    const day = r.range(from, to);
    if (r.float() < (cal.busy[day - cal.start] as number)) return realDay(cal, day);
  }
  return realDay(cal, r.range(from, to));
}

// ---------------------------------------------------------------------------------------------
// The generator

interface State {
  orderRate: number;
  readonly cal: Calendar;
  readonly key: number;
  readonly phoneBlocks: DecimalPermutation;
  readonly qqBlocks: DecimalPermutation;
  /** Indexed by email-suffix length (2..8 digits): a bijection of that many digits. */
  readonly suffixes: DecimalPermutation[];
  readonly cities: Table<CnCity>;
  /** Next order number per day of the window. */
  readonly orderSeq: Int32Array;
  memberSeq: number;
  /** Emails without digits handed out so far; bounded (see NAME_ONLY_EMAILS). */
  readonly nameOnlyEmails: Set<string>;
}

const NAME_ONLY_EMAILS = 50_000;

function seedWords(seed: number): [number, number] {
  return [seed >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

function createState(opts: DemoOptions): State {
  if (!Number.isSafeInteger(opts.customers) || opts.customers < 0 || opts.customers > MAX_DEMO_CUSTOMERS) {
    throw new RangeError(`demo: customers must be an integer from 0 to ${MAX_DEMO_CUSTOMERS}, got ${opts.customers}`);
  }
  if (!Number.isSafeInteger(opts.seed)) throw new RangeError(`demo: seed must be an integer, got ${opts.seed}`);
  if (opts.orderRate !== undefined && !(opts.orderRate > 0 && opts.orderRate <= 10)) throw new RangeError(`demo: orderRate must be above 0 and at most 10, got ${opts.orderRate}`);
  const cal = buildCalendar(opts.today, opts.timeZone);
  const [lo, hi] = seedWords(opts.seed);
  const key = mix32(mix32(lo ^ 0x9e3779b9) ^ mix32(hi + 0x632be5ab));
  const setup = new Rng(key, 0x243f6a88, 0x85a308d3, hi);
  // The shop's own city gets most customers; the rest spread over the country.
  const home = (CN_CITIES[setup.int(4)] as readonly [CnCity, number])[0];
  const cities = new Table<CnCity>(CN_CITIES.map(([c, w]) => [c, c === home ? 100 : w] as const));
  const suffixes: DecimalPermutation[] = [];
  for (let digits = 0; digits <= 8; digits++) suffixes.push(new DecimalPermutation(Math.max(2, digits), mix32(key ^ (0x1000 + digits))));
  return {
    cal,
    key,
    phoneBlocks: new DecimalPermutation(8, mix32(key ^ 0x70686f6e)),
    qqBlocks: new DecimalPermutation(8, mix32(key ^ 0x71710000)),
    suffixes,
    cities,
    orderSeq: new Int32Array(cal.today - cal.start + 1),
    memberSeq: 1 + setup.int(300),
    nameOnlyEmails: new Set(),
    orderRate: opts.orderRate ?? 1,
  };
}


function makeEmail(st: State, r: Rng, i: number, p: Person): string {
  if (!p.english && r.chance(0.55)) {
    // QQ numbers: nine or ten digits whose last eight identify the customer.
    const lead = r.chance(0.6) ? String(r.range(1, 9)) : `${r.range(1, 3)}${r.int(10)}`;
    return `${lead}${st.qqBlocks.format(i)}@qq.com`;
  }
  const domain = (p.english ? EMAIL_DOMAINS_EN : EMAIL_DOMAINS_ZH).pick(r);
  const u = r.float();
  let local: string;
  if (p.english) {
    local = u < 0.45 ? `${p.given}.${p.family}` : u < 0.7 ? `${p.given}${p.family}` : u < 0.85 ? `${p.givenInitials}${p.family}` : `${p.given}_${p.family}`;
  } else {
    local = u < 0.6 ? `${p.family}${p.given}` : u < 0.8 ? `${p.family}${p.givenInitials}` : u < 0.9 ? `${p.given}${p.family}` : `${p.family}_${p.given}`;
  }
  if (r.chance(p.english ? 0.4 : 0.15) && st.nameOnlyEmails.size < NAME_ONLY_EMAILS) {
    const email = `${local}@${domain}`;
    if (!st.nameOnlyEmails.has(email)) {
      st.nameOnlyEmails.add(email);
      return email;
    }
  }
  // Letters never contain digits, so the digit suffix alone makes the address unique.
  return `${local}${uniqueDigits(st.suffixes, i)}@${domain}`;
}

function wechatId(r: Rng, p: Person): string {
  if (r.chance(0.6)) {
    let id = 'wxid_';
    for (let k = 0; k < 14; k++) id += ALNUM.charAt(r.int(36));
    return id;
  }
  const base = r.chance(0.5) ? `${p.family}${p.given}` : `${p.given}${p.family.charAt(0)}`;
  return `${base}${r.chance(0.5) ? '_' : ''}${r.range(1, 9999)}`;
}

/** Price in fen from a rough yuan amount: whole yuan mostly, some .50 and .90 endings, a few weighed. */
function priceFen(r: Rng, yuan: number): number {
  if (yuan >= 300) {
    return r.chance(0.6) ? Math.max(30, Math.round(yuan / 10)) * 1000 : Math.round(yuan) * 100;
  }
  const whole = Math.max(2, Math.round(yuan));
  const u = r.float();
  if (u < 0.6) return whole * 100;
  if (u < 0.75) return whole * 100 - 50;
  if (u < 0.9) return whole * 100 - 10;
  return Math.max(50, Math.round(yuan * 100));
}

function birthday(r: Rng, cal: Calendar, lunarAllowed: boolean): { value: string; lunar: boolean } {
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

type Segment = 'prospect' | 'casual' | 'regular' | 'wholesale';

function makeCustomer(st: State, i: number): DemoCustomer {
  const cal = st.cal;
  const r = new Rng(mix32(st.key ^ mix32(i + 0x5bd1e995)), st.key, i, 0x9e3779b9);
  const person = r.chance(0.2) ? englishPerson(r) : chinesePerson(r);
  const lang = person.english ? 'en' : 'zh';

  // Who they are to the shop, and when they turned up.
  const s = r.float();
  const segment: Segment = s < 0.1 ? 'prospect' : s < 0.15 ? 'regular' : s < 0.175 ? 'wholesale' : 'casual';
  const span = cal.today - cal.start;
  let created: number;
  if (segment === 'prospect' && r.chance(0.5)) created = cal.today - r.int(Math.min(span, 120) + 1);
  else created = cal.start + Math.floor(span * (r.chance(0.5) ? r.float() : Math.sqrt(r.float())));
  created = realDay(cal, created);

  // Orders: a first purchase soon after they were added, then a Poisson stream until they churn.
  const orderAt: number[] = [];
  const orderDays: number[] = [];
  let mean = 0;
  let rate = 0;
  let churned = false;
  if (segment !== 'prospect') {
    const first = realDay(cal, Math.min(cal.today, r.chance(0.75) ? created : created + Math.floor(-30 * Math.log(1 - r.float()))));
    churned = r.chance(0.35);
    const end = churned ? first + Math.floor((cal.today - first) * r.float()) : cal.today;
    rate = segment === 'regular' ? r.lognormal(30, 0.35) : segment === 'wholesale' ? r.lognormal(8, 0.5) : r.lognormal(3.5, 1);
    rate = Math.min(rate, 90) * st.orderRate;
    mean = segment === 'regular' ? r.lognormal(45, 0.5) : segment === 'wholesale' ? r.lognormal(1500, 0.6) : r.lognormal(85, 0.6);
    const count = Math.min(400, 1 + r.poisson((rate * (end - first + 1)) / 365));
    const locals: number[] = [first * 86_400 + shopSecond(r)];
    for (let k = 1; k < count; k++) locals.push(orderDay(r, cal, first, end) * 86_400 + shopSecond(r));
    locals.sort((a, b) => a - b);
    for (const local of locals) {
      const day = Math.floor(local / 86_400);
      orderDays.push(day);
      orderAt.push(utcMillis(cal, day, local - day * 86_400));
    }
  }

  let createdMs: number;
  const firstMs = orderAt[0];
  if (firstMs !== undefined && orderDays[0] === created) createdMs = firstMs - (60 + r.int(900)) * 1000;
  else createdMs = utcMillis(cal, created, shopSecond(r));
  if (firstMs !== undefined && createdMs > firstMs) createdMs = firstMs;

  const orders: DemoOrder[] = [];
  for (let k = 0; k < orderAt.length; k++) {
    const day = orderDays[k] as number;
    let yuan = mean * Math.exp(0.45 * r.normal() - 0.1);
    if (r.chance(0.012)) yuan *= 4 + r.float() * 10;
    const slot = day - cal.start;
    const seq = ((st.orderSeq[slot] as number) += 1);
    const orderNotes = person.english ? ORDER_NOTES_EN : ORDER_NOTES_ZH;
    orders.push({
      day: cal.iso[slot] as string,
      at: new Date(orderAt[k] as number).toISOString(),
      amount: priceFen(r, yuan),
      note: r.chance(0.04) ? r.pick(orderNotes) : null,
      externalId: `${cal.compact[slot] as string}${String(seq).padStart(4, '0')}`,
    });
  }

  // Contact details.
  const phones: Phone[] = [];
  let city: string | null = null;
  let address: string | null = null;
  const block = (slot: number): string => st.phoneBlocks.format(2 * i + slot);
  if (person.english && r.chance(0.1)) {
    if (r.chance(0.65)) {
      const us = nanpNumber(block(0));
      phones.push({ e164: us.e164, raw: null });
      city = us.city;
    } else {
      phones.push({ e164: ukMobile(block(0)), raw: null });
      city = 'London';
    }
    if (r.chance(0.6)) address = overseasAddress(r, city);
  } else {
    if (!r.chance(0.025)) phones.push({ e164: cnMobile(block(0), r), raw: null });
    if (person.english && r.chance(0.04)) {
      city = r.pick(OVERSEAS_NO_PHONE);
      if (r.chance(0.6)) address = overseasAddress(r, city);
    } else if (r.chance(0.9)) {
      const c = st.cities.pick(r);
      city = c.name;
      if (r.chance(0.55)) address = chineseAddress(r, c);
    }
  }
  if (phones.length > 0 && r.chance(0.08)) phones.push({ e164: cnMobile(block(1), r), raw: null });

  const email = r.chance(person.english ? 0.7 : 0.33) ? makeEmail(st, r, i, person) : null;
  const gender = r.chance(0.9) ? person.gender : null;
  const bday = r.chance(0.7) ? birthday(r, cal, !person.english) : null;
  const externalId = r.chance(segment === 'prospect' ? 0.15 : 0.65) ? `M${String(st.memberSeq++).padStart(6, '0')}` : null;

  // Tags: a few that follow from who they are, then a few at random; at most three, no repeats.
  const tags: string[] = [];
  const tag = (t: string): void => {
    if (tags.length < 3 && !tags.includes(t)) tags.push(t);
  };
  const yearlySpend = rate * mean;
  if ((yearlySpend > 3000 && !churned && r.chance(0.7)) || r.chance(0.01)) tag('VIP');
  if (segment === 'wholesale') {
    if (r.chance(0.6)) tag('批发');
    if (r.chance(0.5)) tag('企业客户');
  }
  if (cal.today - created < 60 && r.chance(0.5)) tag('新客');
  if (bday && !bday.value.startsWith('--') && cal.todayYear - Number(bday.value.slice(0, 4)) <= 23 && r.chance(0.4)) tag('学生');
  if (externalId && r.chance(0.25)) tag('会员');
  if (cal.today - created > 730 && !churned && segment !== 'prospect' && r.chance(0.4)) tag('老客户');
  const extra = r.float();
  const extraCount = extra < 0.55 ? 0 : extra < 0.85 ? 1 : 2;
  for (let k = 0; k < extraCount; k++) tag(TAGS_EXTRA.pick(r));

  const fields: Record<string, string> = {};
  if (r.chance(0.1)) fields['微信'] = wechatId(r, person);
  if (r.chance(0.15)) fields['来源'] = SOURCES.pick(r);
  if (r.chance(0.05)) fields['尺码'] = SIZES.pick(r);

  const note = r.chance(0.1) ? r.pick(person.english ? NOTES_EN : NOTES_ZH) : null;
  const doNotContact = r.chance(0.03);

  // Follow-ups after they were added, never after today.
  const w = r.float();
  let interactionCount = w < 0.45 ? 0 : w < 0.72 ? 1 : w < 0.87 ? 2 : w < 0.96 ? 3 : 4;
  if (segment === 'prospect' && interactionCount === 0 && r.chance(0.5)) interactionCount = 1;
  if (doNotContact && r.chance(0.8)) interactionCount = 0;
  const stamps: number[] = [];
  for (let k = 0; k < interactionCount; k++) {
    const day = realDay(cal, r.range(created, cal.today));
    let ms = utcMillis(cal, day, shopSecond(r));
    if (ms <= createdMs) ms = createdMs + (1 + r.int(30)) * 60_000;
    stamps.push(ms);
  }
  stamps.sort((a, b) => a - b);
  const notes = INTERACTION_NOTES[lang];
  const interactions: DemoInteraction[] = stamps.map((ms) => {
    const t = r.float();
    let type: InteractionType = person.english
      ? t < 0.25 ? 'call' : t < 0.5 ? 'message' : t < 0.7 ? 'visit' : t < 0.9 ? 'email' : 'other'
      : t < 0.35 ? 'call' : t < 0.72 ? 'message' : t < 0.9 ? 'visit' : t < 0.94 ? 'email' : 'other';
    if (type === 'email' && email === null) type = 'visit';
    if ((type === 'call' || type === 'message') && phones.length === 0) type = 'other';
    const pool = segment === 'prospect' ? (LEAD_NOTES[lang][type] ?? notes[type]) : notes[type];
    return { type, note: r.pick(pool), at: new Date(ms).toISOString() };
  });

  return {
    fields: {
      name: person.name,
      nameRaw: null,
      phones,
      email,
      emailRaw: null,
      gender,
      birthday: bday?.value ?? null,
      birthdayLunar: bday?.lunar ?? false,
      city,
      address,
      externalId,
      note,
      tags,
      fields,
      doNotContact,
    },
    createdAt: new Date(createdMs).toISOString(),
    orders,
    interactions,
  };
}

/**
 * Yields a demo shop's customers one at a time. Customer i depends only on the options and on i
 * (plus the running member and order numbers), so memory stays flat however many are asked for.
 * Options are checked when iteration starts; bad ones throw a RangeError.
 */
export function* generateDemo(opts: DemoOptions): Generator<DemoCustomer> {
  const st = createState(opts);
  for (let i = 0; i < opts.customers; i++) yield makeCustomer(st, i);
}
