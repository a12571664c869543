// The variables a greeting template sees, made from plain data about one customer: who they are
// (with the polite form of their name: 张女士, Ms Zhang, Ms Smith), their orders, scores and
// fields, the shop, the coupon sent with the message and the occasion it is sent for. Pure: the
// app layer (src/app/template.ts) reads the store and hands the data in; docs/templates.md lists
// every variable. A value that is not known is nil (null), so `{% if customer.city %}` tests it;
// a custom field the shop uses but this customer lacks is '' (so `{{ customer.fields.x }}` is safe).
import { displayCode } from './coupon.js';
import { pinyin } from 'pinyin-pro';
import type { Customer, Gender } from './customer.js';
import { daysBetween } from './dates.js';
import { fieldsOf, fieldValue, setField } from './fields.js';
import { displayAmount, minorDigits } from './money.js';

type Lang = 'en' | 'zh';

/** A key and its display name in the message language (an RFM segment, a lifecycle stage, a value class). */
export interface Named {
  key: string;
  name: string;
}

/** A coupon as issued (src/store: the coupons table), in minor units. */
export interface CouponInput {
  code: string;
  kind: 'amount' | 'percent';
  value: number;
  minSpend: number;
  /** The last day it can be used. */
  expiresOn: string;
}

/** What a message is sent for; every part optional (the reminder engine knows which apply). */
export interface OccasionInput {
  /** birthday, spring_festival, upgrade, renewal ... */
  key: string;
  /** The display name (春节, Spring Festival), when the occasion has one. */
  name?: string;
  /** The day of the occasion (this year's birthday, the holiday). */
  day?: string | null;
  /** The age reached; else worked out from the birthday's year and the occasion's day when both are known. */
  age?: number | null;
  /** The occasion is a date of the lunar calendar (a lunar birthday, a lunar holiday). */
  lunar?: boolean;
  /** An upgrade's new tier. */
  tier?: string | null;
  /** A renewal's end date. */
  ends?: string | null;
  /** The owner's note on the reminder that sent it (crm remind add --note). */
  note?: string | null;
}

/** The complaint a message is about (an escalation to staff, a follow-up visit). */
export interface ComplaintInput {
  id: number;
  severity: string;
  category: string;
  description: string;
  status: string;
  handler: string | null;
  /** Who it is escalated to (the level's person), for an escalation. */
  escalatedTo: string | null;
  /** The missed or next deadline (ISO instant, shown in the shop's zone by the caller), or null. */
  due: string | null;
  /** The notice is of a follow-up visit that found the customer dissatisfied (the complaint reopened), not of a missed deadline. */
  reopened: boolean;
}

/** Everything the variables are made from. */
export interface VarsInput {
  customer: Pick<Customer, 'id' | 'name' | 'gender' | 'phones' | 'email' | 'city' | 'birthday' | 'birthdayLunar' | 'tier' | 'orderCount' | 'orderTotal' | 'fields' | 'tags'>;
  lang: Lang;
  currency: string;
  /** The custom field keys the shop uses: each is in customer.fields ('' when this customer lacks it). */
  fieldKeys: readonly string[];
  segment: Named | null;
  stage: Named | null;
  valueClass: Named | null;
  lastOrder: { day: string; amount: number } | null;
  nextPurchase: string | null;
  shop: { name: string; signature: string; phone: string };
  coupon: CouponInput | null;
  occasion: OccasionInput | null;
  complaint?: ComplaintInput | null;
  /** Today in the shop's zone. */
  today: string;
}

/** The object templates see (snake_case, as Liquid templates are written). */
export interface TemplateVars {
  customer: {
    id: number;
    name: string;
    polite: string;
    given: string;
    gender: Gender | null;
    phone: string | null;
    email: string | null;
    city: string | null;
    birthday: string | null;
    birthday_lunar: boolean;
    tier: string | null;
    segment: string | null;
    segment_name: string | null;
    stage: string | null;
    stage_name: string | null;
    value_class: string | null;
    value_class_name: string | null;
    order_count: number;
    total_spent: number;
    fields: Record<string, string>;
    tags: string[];
  };
  last_order: { day: string; amount: number } | null;
  days_since: number | null;
  next_purchase: string | null;
  shop: { name: string; signature: string; phone: string | null };
  coupon: { code: string; value: string; min_spend: number; expires: string } | null;
  occasion: { key: string; name: string | null; day: string | null; age: number | null; lunar: boolean; tier: string | null; ends: string | null; note: string | null };
  complaint: { id: number; severity: string; category: string; description: string; status: string; handler: string | null; escalated_to: string | null; due: string | null; reopened: boolean } | null;
  today: string;
}

/** Two-character surnames (simplified and traditional); the name's first character is the surname otherwise. */
const COMPOUND_SURNAMES = new Set(
  (
    '欧阳 司马 诸葛 上官 慕容 司徒 东方 皇甫 令狐 夏侯 尉迟 公孙 长孙 宇文 轩辕 端木 独孤 南宫 西门 百里 呼延 澹台 公冶 太史 申屠 ' +
    '闻人 万俟 赫连 钟离 濮阳 淳于 单于 宗政 拓跋 鲜于 司空 第五 左丘 东郭 公羊 乐正 漆雕 巫马 仲孙 叔孙 段干 ' +
    '歐陽 司馬 諸葛 東方 皇甫 尉遲 長孫 軒轅 獨孤 南宮 鍾離 濮陽 聞人 鮮於'
  ).split(' '),
);

const HAN = /^\p{Script=Han}+$/u;
const LATIN_WORD = /^[\p{Script=Latin}'’.-]+$/u;

/** A name's surname and given name: 欧阳娜娜 -> 欧阳 + 娜娜, 张伟 -> 张 + 伟, Jane Smith -> Smith + Jane, Smith, Jane too; else null. */
export function splitName(name: string): { surname: string; given: string; han: boolean } | null {
  const n = name.normalize('NFC').trim();
  if (HAN.test(n)) {
    const two = n.slice(0, 2);
    const surname = n.length >= 2 && COMPOUND_SURNAMES.has(two) ? two : n.slice(0, 1);
    return { surname, given: n.slice(surname.length), han: true };
  }
  const comma = n.split(/\s*,\s*/);
  if (comma.length === 2 && comma.every((p) => p.split(/\s+/).every((w) => LATIN_WORD.test(w)))) return { surname: comma[0]!, given: comma[1]!, han: false };
  const words = n.split(/\s+/);
  if (words.length >= 2 && words.every((w) => LATIN_WORD.test(w))) return { surname: words.at(-1)!, given: words[0]!, han: false };
  return null;
}

/** A Chinese surname in pinyin as a Western surname: 张 -> Zhang, 欧阳 -> Ouyang, 单 -> Shan (surname readings). */
export function surnamePinyin(surname: string): string {
  const syllables = pinyin(surname, { toneType: 'none', mode: 'surname', type: 'array' }).join('');
  return syllables.charAt(0).toUpperCase() + syllables.slice(1);
}

/**
 * How a message addresses a customer: the surname with 女士/先生 (zh) or Ms/Mr (en) when the
 * gender is known (张女士, Mr Zhang from 张伟, Ms Smith from Jane Smith, Smith女士); the full name
 * otherwise (gender unknown or other, or a name that is neither Chinese nor a Latin first and last name).
 */
export function politeName(name: string, gender: Gender | null, lang: Lang): string {
  const parts = splitName(name);
  if (!parts || (gender !== 'female' && gender !== 'male')) return name;
  if (lang === 'zh') return `${parts.surname}${gender === 'female' ? '女士' : '先生'}`;
  const surname = parts.han ? surnamePinyin(parts.surname) : parts.surname;
  return `${gender === 'female' ? 'Ms' : 'Mr'} ${surname}`;
}

/** An amount without a fraction when it is whole (¥20 rather than ¥20.00), for coupon values. */
function roundAmount(minor: number, currency: string, lang: Lang): string {
  const text = displayAmount(minor, currency, lang);
  return minor % 10 ** minorDigits(currency) === 0 ? text.replace(/\.0+(?=\D*$)/, '') : text;
}

/** A coupon's value as a message says it, short (the minimum spend is its own variable; `crm coupon list` says both): ¥20; 10% off / 9折 (15% off is 8.5折). */
export function couponValueText(c: Pick<CouponInput, 'kind' | 'value'>, currency: string, lang: Lang): string {
  if (c.kind === 'amount') return roundAmount(c.value, currency, lang);
  return lang === 'zh' ? `${(100 - c.value) / 10}折` : `${c.value}% off`;
}

/** A code as people read it aloud, the form `crm coupon list` prints (K7M2P-9QX4R); a code with its own dashes or spaces kept as it is. */
export function readableCode(code: string): string {
  return /[-\s]/.test(code) ? code.toUpperCase() : displayCode(code.toUpperCase());
}

function occasionVars(o: OccasionInput | null, birthday: string | null): TemplateVars['occasion'] {
  if (!o) return { key: '', name: null, day: null, age: null, lunar: false, tier: null, ends: null, note: null };
  const day = o.day ?? null;
  const born = birthday && /^\d{4}-/.test(birthday) ? Number(birthday.slice(0, 4)) : null;
  const age = o.age ?? (o.key.startsWith('birthday') && day && born ? Number(day.slice(0, 4)) - born : null);
  return { key: o.key, name: o.name ?? null, day, age, lunar: o.lunar ?? false, tier: o.tier ?? null, ends: o.ends ?? null, note: o.note ?? null };
}

/** The variables of one message. */
export function buildTemplateVars(v: VarsInput): TemplateVars {
  const c = v.customer;
  const fields = fieldsOf(v.fieldKeys.map((k): [string, string] => [k, fieldValue(c.fields, k) ?? '']));
  for (const [k, value] of Object.entries(c.fields)) setField(fields, k, value);
  return {
    customer: {
      id: c.id,
      name: c.name,
      polite: politeName(c.name, c.gender, v.lang),
      given: splitName(c.name)?.given || c.name,
      gender: c.gender,
      phone: c.phones[0]?.e164 ?? null,
      email: c.email,
      city: c.city,
      birthday: c.birthday,
      birthday_lunar: c.birthdayLunar,
      tier: c.tier,
      segment: v.segment?.key ?? null,
      segment_name: v.segment?.name ?? null,
      stage: v.stage?.key ?? null,
      stage_name: v.stage?.name ?? null,
      value_class: v.valueClass?.key ?? null,
      value_class_name: v.valueClass?.name ?? null,
      order_count: c.orderCount,
      total_spent: c.orderTotal,
      fields,
      tags: [...c.tags],
    },
    last_order: v.lastOrder ? { ...v.lastOrder } : null,
    days_since: v.lastOrder ? daysBetween(v.lastOrder.day, v.today) : null,
    next_purchase: v.nextPurchase,
    shop: { name: v.shop.name, signature: v.shop.signature || v.shop.name, phone: v.shop.phone || null },
    coupon: v.coupon
      ? { code: readableCode(v.coupon.code), value: couponValueText(v.coupon, v.currency, v.lang), min_spend: v.coupon.minSpend, expires: v.coupon.expiresOn }
      : null,
    occasion: occasionVars(v.occasion, c.birthday),
    complaint: v.complaint
      ? { id: v.complaint.id, severity: v.complaint.severity, category: v.complaint.category, description: v.complaint.description, status: v.complaint.status, handler: v.complaint.handler, escalated_to: v.complaint.escalatedTo, due: v.complaint.due, reopened: v.complaint.reopened }
      : null,
    today: v.today,
  };
}
