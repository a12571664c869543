// The demo shop: a deterministic, lazy stream of realistic customers of a small Chinese shop, with
// their orders and follow-ups, for `crm demo` and the benchmarks (up to millions of customers).
// Pure: the same options give byte-identical output; no clock, no Math.random. Memory stays flat:
// each customer is built from its own seeded PRNG stream, and only bounded tables are kept.
import type { CustomerFields, Phone } from '../customer.js';
import type { InteractionType } from '../interaction.js';
import { CN_CITIES, EMAIL_DOMAINS_EN as EMAIL_DOMAIN_WEIGHTS_EN, EMAIL_DOMAINS_ZH as EMAIL_DOMAIN_WEIGHTS_ZH, nanpNumber, NOTES_EN, NOTES_ZH, OVERSEAS_NO_PHONE, ukMobile, type CnCity } from '../people.js';
import { DecimalPermutation, mix32, Rng, Table, uniqueDigits } from '../random.js';
import { buildCalendar, orderDay, realDay, shopSecond, utcMillis, type Calendar } from './calendar.js';
import { birthday, chineseAddress, chinesePerson, cnMobile, englishPerson, overseasAddress, wechatId, type Person } from './person.js';
import { INTERACTION_NOTES, LEAD_NOTES, ORDER_NOTES_EN, ORDER_NOTES_ZH, SIZES, SOURCES, TAGS_EXTRA } from './text.js';

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

const EMAIL_DOMAINS_EN = new Table<string>(EMAIL_DOMAIN_WEIGHTS_EN);
const EMAIL_DOMAINS_ZH = new Table<string>(EMAIL_DOMAIN_WEIGHTS_ZH);

// Seeded randomness: ../random.ts; names, places and phone blocks: ../people.ts.

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
