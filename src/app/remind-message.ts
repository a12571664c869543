// The message of one occurrence: the template that fits the customer (their tier's variant, the
// shop's language), the coupon it carries (issued once, in the database, before the message is
// made; a retry carries the same one), what the occasion is (a holiday's name and day, the birthday,
// the new tier, the renewal's end) and the rendered text. A run makes one maker and calls it per
// message: templates, renderers and the shop's facts are read once.
import type { Context } from '../context.js';
import { holidayDay, type HolidayKey } from '../core/calendar.js';
import { couponExpiry } from '../core/coupon.js';
import type { OccasionInput } from '../core/template-vars.js';
import { failure } from '../errors.js';
import type { Lang, MessageId } from '../messages/index.js';
import { couponByCode, issueCoupon } from '../store/coupon.js';
import { getCustomer } from '../store/customer.js';
import { transaction } from '../store/db.js';
import { couponOfOccurrence, getReminder, tierChange, type Claimed } from '../store/remind.js';
import type { CouponSpec } from '../core/remind/rules.js';
import { translate } from '../messages/index.js';
import { loadTemplates, renderers, varsReader } from './template.js';
import { complaintVars } from './complaint.js';
import { getComplaint } from '../store/complaint.js';

export interface Rendered {
  text: string;
  subject: string;
}

export type MessageMaker = (c: Pick<Claimed, 'id' | 'rule' | 'customerId' | 'occasion' | 'template'>, coupon: (CouponSpec & { days: number }) | null) => Promise<Rendered>;

/** What the occasion key of an occurrence says (birthday:2027-02-06, holiday:mid_autumn:2027, upgrade:12 ...). */
export function occasionOf(db: Awaited<ReturnType<Context['db']>>, rule: string, occasion: string, lang: Lang): OccasionInput {
  const [kind, a, b] = occasion.split(':');
  switch (kind) {
    case 'birthday':
      return { key: 'birthday', name: translate(lang, 'remind.occasion.birthday'), day: a ?? null };
    case 'holiday': {
      const key = a as HolidayKey;
      return { key, name: translate(lang, `holiday.${key}` as MessageId), day: holidayDay(key, Number(b)), lunar: ['spring_festival', 'lantern', 'dragon_boat', 'qixi', 'mid_autumn', 'double_ninth'].includes(key) };
    }
    case 'upgrade': {
      const change = tierChange(db, Number(a));
      return { key: 'upgrade', name: translate(lang, 'remind.occasion.upgrade'), tier: change?.toTier ?? null, day: change?.day ?? null };
    }
    case 'renewal':
      return { key: 'renewal', name: translate(lang, 'remind.occasion.renewal'), ends: a ?? null, day: a ?? null };
    case 'replenish':
      return { key: 'replenish', name: translate(lang, 'remind.occasion.replenish'), day: a ?? null };
    case 'complaint':
      return { key: rule, name: translate(lang, rule === 'escalation' ? 'remind.occasion.escalation' : 'remind.occasion.complaint_followup'), day: null };
    case 'survey':
      return { key: 'survey', name: translate(lang, 'remind.occasion.survey'), day: null };
    case 'winback':
      return { key: 'winback', name: translate(lang, 'remind.occasion.winback'), day: a ?? null };
    default:
      if (rule.startsWith('reminder:')) return { key: 'reminder', day: occasion.slice(0, 10), note: getReminder(db, Number(rule.slice('reminder:'.length)))?.note ?? null };
      return { key: rule, name: translate(lang, `remind.occasion.${rule}` as MessageId) };
  }
}

export async function messageMaker(ctx: Context): Promise<MessageMaker> {
  const db = await ctx.db();
  const s = await ctx.settings();
  const library = await loadTemplates(ctx);
  const renderer = await renderers(ctx);
  const vars = await varsReader(ctx);
  const today = await ctx.today();
  return async (c, spec) => {
    const customer = getCustomer(db, c.customerId);
    if (!customer) throw failure('err.ref.notFound', { ref: `#${c.customerId}` });
    const t = library.forCustomer(c.template, s.language, customer.tier);
    if (!t) throw failure('err.remind.template', { value: c.template });
    // A coupon is issued only for a message whose template shows one (a tier's variant may, the plain one not).
    let coupon = null;
    if (spec && /\bcoupon\b/.test(t.body)) {
      const code = couponOfOccurrence(db, c.id);
      coupon = code
        ? couponByCode(db, code)
        : transaction(db, () => issueCoupon(db, { customerId: c.customerId, occurrenceId: c.id, rule: c.rule, kind: spec.kind, value: spec.value, minSpend: spec.minSpend, expiresOn: couponExpiry(today, spec.days), issuedAt: ctx.nowIso() }));
    }
    const occasion = occasionOf(db, c.rule, c.occasion, t.lang);
    const complaintId = /^complaint:(\d+)/.exec(c.occasion)?.[1];
    const complaint = complaintId ? getComplaint(db, Number(complaintId)) : null;
    const v = await vars(customer, t.lang, { coupon, occasion, complaint: complaint ? complaintVars(complaint, t.lang, s.timezone, s, c.occasion.includes(':reopened:')) : null });
    const text = renderer(t.lang).render(t.body, v);
    const subject = occasion.name ? `${s.shop_name} · ${occasion.name}` : s.shop_name;
    return { text, subject };
  };
}
