// The generated people of the demo shop and of the labelled duplicate lists: their names, places,
// phone number blocks, email domains and notes, as plain tables (an item and its relative weight
// where some items are commoner than others). Shared so both generators draw from one set; each
// builds its own weighted tables (./random.ts) from these. Data only: no randomness is drawn here.

/** Items with relative weights, for a weighted table (./random.ts Table). */
export type Weighted<T> = readonly (readonly [T, number])[];

// ---------------------------------------------------------------------------------------------
// Names

/** A character of a given name and its pinyin (toneless, lower case). */
export type NameChar = readonly [string, string];

/** Surname and pinyin, weighted per mille (roughly the national frequencies). */
export const SURNAMES: Weighted<readonly [string, string]> = (
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
).map(([han, pinyin, w]) => [[han, pinyin] as const, w] as const);

/** "字:pinyin:weight" lists of common given-name characters. */
function nameChars(spec: string): Weighted<NameChar> {
  return spec
    .trim()
    .split(/\s+/)
    .map((s) => {
      const [han = '', pinyin = '', weight = '1'] = s.split(':');
      return [[han, pinyin] as const, Number(weight)] as const;
    });
}

export const MALE_CHARS = nameChars(`
  伟:wei:8 强:qiang:4 磊:lei:4 军:jun:4 勇:yong:3 杰:jie:4 涛:tao:3 斌:bin:3 超:chao:3 明:ming:4
  刚:gang:2 平:ping:2 辉:hui:3 鹏:peng:3 华:hua:3 飞:fei:2 鑫:xin:2 波:bo:2 宇:yu:4 浩:hao:4
  凯:kai:2 健:jian:2 俊:jun:3 帆:fan:2 帅:shuai:1 旭:xu:2 宁:ning:1 龙:long:2 林:lin:2 阳:yang:3
  峰:feng:2 建:jian:3 国:guo:3 志:zhi:3 东:dong:3 海:hai:2 亮:liang:2 成:cheng:2 博:bo:2 昊:hao:1
  轩:xuan:2 睿:rui:2 泽:ze:2 天:tian:2 毅:yi:1 坤:kun:1 文:wen:3 晨:chen:2 嘉:jia:2 子:zi:2
  一:yi:2 然:ran:1 振:zhen:1 永:yong:2 立:li:1 德:de:1 兵:bing:1 江:jiang:1 锋:feng:1 昌:chang:1
`);

export const FEMALE_CHARS = nameChars(`
  芳:fang:7 娜:na:6 敏:min:5 静:jing:6 丽:li:5 艳:yan:4 娟:juan:3 霞:xia:3 秀:xiu:3 玲:ling:4
  桂:gui:2 英:ying:3 燕:yan:3 萍:ping:3 红:hong:3 梅:mei:3 琳:lin:3 雪:xue:3 婷:ting:4 倩:qian:3
  颖:ying:3 慧:hui:3 莉:li:3 洁:jie:2 琴:qin:2 云:yun:2 晶:jing:2 欣:xin:3 怡:yi:3 佳:jia:3
  悦:yue:2 雯:wen:2 蕾:lei:2 薇:wei:2 璐:lu:2 瑶:yao:2 涵:han:2 萱:xuan:2 诗:shi:2 雨:yu:3
  梦:meng:2 月:yue:2 兰:lan:2 凤:feng:2 春:chun:1 丹:dan:2 晓:xiao:3 小:xiao:2 彤:tong:2 琪:qi:2
  露:lu:1 思:si:2 嘉:jia:1 文:wen:1 晨:chen:1 子:zi:1 美:mei:2 翠:cui:1 淑:shu:1 如:ru:1
`);

/** Given names often doubled: 婷婷, 丹丹, 晶晶. */
export const DOUBLED = new Set(['婷', '丹', '晶', '莉', '琳', '菲', '露', '悦', '欣', '佳', '静', '洋']);
/** Characters that rarely make a given name on their own. */
export const NEVER_ALONE = new Set(['一', '子', '小', '晓', '思', '嘉', '梦', '诗', '建', '国', '志', '永', '德', '立', '天', '美', '淑', '如', '春', '桂', '秀']);

export const EN_FEMALE = [
  'Emily', 'Sarah', 'Jessica', 'Amy', 'Grace', 'Linda', 'Helen', 'Lucy', 'Anna', 'Cindy', 'Vivian', 'Sophie',
  'Olivia', 'Emma', 'Chloe', 'Kate', 'Rachel', 'Jennifer', 'Michelle', 'Tina', 'Cherry', 'Angela', 'Irene',
  'Ivy', 'Jenny', 'Karen', 'Lily', 'Nancy', 'Mandy', 'Crystal', 'Fiona', 'Joanna', 'Sunny', 'Wendy',
] as const;
export const EN_MALE = [
  'James', 'David', 'Michael', 'John', 'Daniel', 'Kevin', 'Jason', 'Eric', 'Tony', 'Peter', 'Mark', 'Andrew',
  'Brian', 'Alex', 'Tom', 'Chris', 'Jack', 'Leo', 'Ryan', 'Sam', 'Frank', 'Steven', 'William', 'Henry',
  'Oliver', 'Lucas', 'Ben', 'Paul', 'Vincent', 'Jerry', 'Allen', 'Simon',
] as const;
export const EN_LAST: Weighted<string> = [
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
];

// ---------------------------------------------------------------------------------------------
// Places

export interface CnCity {
  name: string;
  /** Province, or null for the four municipalities. */
  province: string | null;
  districts: readonly string[];
  roads: readonly string[];
}

export const CN_CITIES: Weighted<CnCity> = [
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

export const OVERSEAS_STREETS: Record<string, readonly string[]> = {
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
export const OVERSEAS_NO_PHONE = ['Sydney', 'Melbourne', 'Singapore', 'London', 'Vancouver'] as const;

// ---------------------------------------------------------------------------------------------
// Phones: a generator builds every number from an eight-digit block of its own (a seeded
// bijection of the person's index), so no two numbers in one list can be equal.

/** Mainland mobile prefixes, weighted. */
export const CN_PREFIXES: Weighted<string> = [
  ...[130, 131, 132, 133, 134, 135, 136, 137, 138, 139].map((p) => [String(p), p >= 135 ? 4 : 2.5] as const),
  ...[150, 151, 152, 153, 155, 156, 157, 158, 159].map((p) => [String(p), 2.5] as const),
  ...[166, 173, 175, 176, 177, 178].map((p) => [String(p), 1] as const),
  ...[180, 181, 182, 183, 184, 185, 186, 187, 188, 189].map((p) => [String(p), p >= 186 ? 3 : 2] as const),
  ...[191, 198, 199].map((p) => [String(p), 1] as const),
];

/** Sixteen area codes (New York, Bay Area, Los Angeles, Seattle, Boston, Vancouver, Toronto). */
export const NANP_AREAS: readonly (readonly [string, string])[] = [
  ['212', 'New York'], ['646', 'New York'], ['917', 'New York'], ['718', 'New York'], ['347', 'New York'],
  ['415', 'San Francisco'], ['628', 'San Francisco'], ['650', 'Palo Alto'], ['213', 'Los Angeles'],
  ['310', 'Los Angeles'], ['323', 'Los Angeles'], ['206', 'Seattle'], ['617', 'Boston'], ['604', 'Vancouver'],
  ['416', 'Toronto'], ['647', 'Toronto'],
];
/** Central-office codes 200–999 without N11, 555 and the special 950/958/959/976. */
export const NANP_EXCHANGES: readonly number[] = (() => {
  const out: number[] = [];
  for (let e = 200; e <= 999; e++) {
    if (e % 100 === 11 || e === 555 || e === 950 || e === 958 || e === 959 || e === 976) continue;
    out.push(e);
  }
  return out;
})();
/** UK mobile 7xyz blocks that are valid and British (no pagers, Crown dependencies or unallocated). */
export const UK_BLOCKS: readonly string[] = (() => {
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

/** +1 NPA NXX XXXX from the block: line = low four digits, area and exchange from the high four. */
export function nanpNumber(block: string): { e164: string; city: string } {
  const n = Number(block);
  const high = Math.floor(n / 10_000);
  const [area, city] = NANP_AREAS[high % 16] as readonly [string, string];
  const exchange = NANP_EXCHANGES[Math.floor(high / 16)] as number; // < 625 < NANP_EXCHANGES.length
  return { e164: `+1${area}${exchange}${block.slice(4)}`, city };
}

/** +44 7xyz nnnnnn: line = low six digits, block from the high two. */
export function ukMobile(block: string): string {
  const high = Number(block.slice(0, 2));
  return `+447${UK_BLOCKS[high * 4 + 1] as string}${block.slice(2)}`;
}

// ---------------------------------------------------------------------------------------------
// Emails and notes

export const EMAIL_DOMAINS_EN: Weighted<string> = [
  ['gmail.com', 40], ['outlook.com', 15], ['hotmail.com', 10], ['icloud.com', 15], ['yahoo.com', 5],
  ['163.com', 5], ['foxmail.com', 3],
];
export const EMAIL_DOMAINS_ZH: Weighted<string> = [
  ['163.com', 40], ['126.com', 15], ['sina.com', 8], ['foxmail.com', 8], ['gmail.com', 8], ['outlook.com', 8],
  ['139.com', 5], ['icloud.com', 8],
];

export const NOTES_ZH = [
  '喜欢绿茶，不要辣', '只在周末来', '对花生过敏', '老板的朋友', '每次都要发票', '喜欢新品，到货先通知',
  '不喜欢接电话，微信联系', '送货上门，放门卫', '孩子在附近上学', '公司团购联系人', '价格敏感，有活动再通知',
  '老顾客，介绍了好几个朋友', '下午三点后方便接电话', '吃素', '要少糖', '喜欢礼盒装', '住在店附近', '常买给父母',
] as const;
export const NOTES_EN = [
  'prefers pickup on weekends', 'allergic to peanuts', 'vegetarian', 'likes new arrivals, message first',
  'pays by Alipay', 'company orders, needs an invoice', 'prefers WeChat over calls', 'friend of the owner',
  'lives nearby, walks in often', 'only call after 6pm', 'buys gifts for clients at New Year',
] as const;
