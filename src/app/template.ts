// Greeting templates as the commands and the reminder engine use them: the built-ins (templates/)
// and the user's (the templates table) put together, the right one found for a customer (the
// user's before the built-in of the same name, the variant of their tier before the plain one, the
// shop's message language before the other), and the variables of a real customer read from the
// store. A run of many messages loads the templates and the shop's facts once (loadTemplates,
// varsReader) and keeps one renderer per language (its parsed templates cached per body).
import type { Context } from '../context.js';
import { formatDay, formatLunar } from '../core/calendar.js';
import type { Customer } from '../core/customer.js';
import { makeRenderer, splitTemplateName, type Calendar, type Renderer, type TemplateOptions } from '../core/template.js';
import { buildTemplateVars, type ComplaintInput, type CouponInput, type OccasionInput, type TemplateVars } from '../core/template-vars.js';
import { resolveLevelName, type TierLadder } from '../core/tier.js';
import { failure } from '../errors.js';
import { builtinTemplates } from '../io/templates.js';
import { translate, type Lang, type MessageId } from '../messages/index.js';
import { savedClv } from '../store/clv.js';
import { getCustomer } from '../store/customer.js';
import { customFieldKeys } from '../store/export.js';
import { listOrders } from '../store/order.js';
import { savedRfm } from '../store/rfm.js';
import { listTemplates } from '../store/template.js';
import { modelNextPurchase } from './customer.js';
import { lifecycleOf, shopIntervalToday } from './lifecycle.js';
import { currentLadder } from './tier.js';

export type TemplateSource = 'builtin' | 'user';

/** A template's text in one language, and where it comes from. */
export interface TemplateText {
  name: string;
  lang: Lang;
  body: string;
  source: TemplateSource;
}

/** A name as `crm template list` shows it: its languages, and built-in, the user's, or a built-in the user overrides. */
export interface TemplateEntry {
  name: string;
  langs: Lang[];
  source: 'builtin' | 'user' | 'overridden';
}

export interface TemplateLibrary {
  /** The text used for exactly this name and language (the user's before the built-in), or null. */
  text(name: string, lang: Lang): TemplateText | null;
  /** This name in this language, else in the other one. */
  inLanguage(name: string, lang: Lang): TemplateText | null;
  /** What a customer of this tier is sent for `name`: their tier's variant before the plain name, the language before the other. */
  forCustomer(name: string, lang: Lang, tier: string | null): TemplateText | null;
  isBuiltin(name: string, lang: Lang): boolean;
  entries(): TemplateEntry[];
}

const other = (lang: Lang): Lang => (lang === 'zh' ? 'en' : 'zh');

/** The built-ins and the user's templates, with the ladder that says which variant names a tier. */
export function templateLibrary(user: { name: string; lang: Lang; body: string }[], builtin: { name: string; lang: Lang; body: string }[], ladder: TierLadder): TemplateLibrary {
  const key = (name: string, lang: Lang) => `${lang}:${name}`;
  const users = new Map(user.map((t) => [key(t.name, t.lang), t.body]));
  const builtins = new Map(builtin.map((t) => [key(t.name, t.lang), t.body]));
  const names = [...new Set([...user, ...builtin].map((t) => t.name))].sort();
  // The variant names of each base name, for the tier they are for.
  const variants = new Map<string, { name: string; tier: string }[]>();
  for (const name of names) {
    const { base, tier } = splitTemplateName(name);
    if (tier !== null) variants.set(base, [...(variants.get(base) ?? []), { name, tier: resolveLevelName(tier, ladder) }]);
  }
  const chosen = new Map<string, TemplateText | null>();

  const text = (name: string, lang: Lang): TemplateText | null => {
    const k = key(name, lang);
    const own = users.get(k);
    if (own !== undefined) return { name, lang, body: own, source: 'user' };
    const body = builtins.get(k);
    return body === undefined ? null : { name, lang, body, source: 'builtin' };
  };
  const variantOf = (base: string, tier: string, lang: Lang): TemplateText | null => {
    for (const v of variants.get(base) ?? []) if (v.tier.toLowerCase() === tier.toLowerCase() && text(v.name, lang)) return text(v.name, lang);
    return null;
  };
  return {
    text,
    inLanguage: (name, lang) => text(name, lang) ?? text(name, other(lang)),
    forCustomer(name, lang, tier) {
      const k = `${lang}:${tier ?? ''}:${name}`;
      if (!chosen.has(k)) {
        const base = splitTemplateName(name).base;
        const pick = (l: Lang) => (tier && base === name ? variantOf(base, tier, l) : null) ?? text(name, l);
        chosen.set(k, pick(lang) ?? pick(other(lang)));
      }
      return chosen.get(k)!;
    },
    isBuiltin: (name, lang) => builtins.has(key(name, lang)),
    entries: () =>
      names.map((name) => {
        const langs = (['en', 'zh'] as const).filter((l) => text(name, l));
        const mine = langs.some((l) => users.has(key(name, l)));
        const shipped = langs.some((l) => builtins.has(key(name, l)));
        return { name, langs, source: mine && shipped ? 'overridden' : mine ? 'user' : 'builtin' };
      }),
  };
}

/** The templates of this shop: its own (from the database) and the built-ins. */
export async function loadTemplates(ctx: Context): Promise<TemplateLibrary> {
  const { ladder } = await currentLadder(ctx);
  return templateLibrary(listTemplates(await ctx.db()), builtinTemplates(), ladder);
}

const calendar: Calendar = { formatDay: (day, lang, style) => formatDay(day, lang, style), formatLunar };

/** What rendering in a language needs: the shop's currency and the calendar. */
export async function templateOptions(ctx: Context, lang: Lang): Promise<TemplateOptions> {
  return { ...calendar, lang, currency: (await ctx.settings()).currency };
}

/** One renderer per language for a run (each keeps its parsed templates). */
export async function renderers(ctx: Context): Promise<(lang: Lang) => Renderer> {
  const made = { en: makeRenderer(await templateOptions(ctx, 'en')), zh: makeRenderer(await templateOptions(ctx, 'zh')) };
  return (lang) => made[lang];
}

/** What the sender of a message knows beyond the customer: the coupon sent with it, the occasion. */
export interface MessageExtras {
  coupon?: CouponInput | null;
  occasion?: OccasionInput | null;
  complaint?: ComplaintInput | null;
}

/** Reads the variables of one customer's message in a language. */
export type VarsReader = (customer: Customer, lang: Lang, extras?: MessageExtras) => Promise<TemplateVars>;

/**
 * A reader of customers' variables for a run: the shop's settings, custom field keys and usual
 * purchase interval are read once; per customer, their orders, saved RFM segment and CLV, and
 * lifecycle stage. The expected next purchase is the saved CLV model's, else the one from their
 * own purchase interval.
 */
export async function varsReader(ctx: Context): Promise<VarsReader> {
  const db = await ctx.db();
  const settings = await ctx.settings();
  const fieldKeys = customFieldKeys(db, {});
  const today = await ctx.today();
  let interval: Promise<number> | undefined;
  const shopInterval = () => (interval ??= shopIntervalToday(ctx));
  return async (customer, lang, extras = {}) => {
    const orders = listOrders(db, { customerId: customer.id });
    const days = orders.map((o) => o.day);
    const rfm = savedRfm(db, customer.id);
    const clv = savedClv(db, customer.id);
    const life = await lifecycleOf(ctx, days, shopInterval);
    const named = (prefix: string, k: string) => ({ key: k, name: translate(lang, `${prefix}.${k}` as MessageId) });
    const last = orders[0];
    return buildTemplateVars({
      customer,
      lang,
      currency: settings.currency,
      fieldKeys,
      segment: rfm ? named('segment', rfm.segment) : null,
      stage: named('stage', life.stage),
      valueClass: clv ? named('value', clv.row.valueClass) : null,
      lastOrder: last ? { day: last.day, amount: last.amount } : null,
      nextPurchase: (clv ? await modelNextPurchase(clv.terms, days) : null) ?? life.next,
      shop: { name: settings.shop_name, signature: settings.signature, phone: settings.shop_phone },
      coupon: extras.coupon ?? null,
      occasion: extras.occasion ?? null,
      complaint: extras.complaint ?? null,
      today,
    });
  };
}

/** The variables of one customer's message (the shop's message language unless `lang` says). */
export async function templateVarsFor(ctx: Context, customerId: number, extras: MessageExtras = {}, lang?: Lang): Promise<TemplateVars> {
  const customer = getCustomer(await ctx.db(), customerId);
  if (!customer) throw failure('err.ref.notFound', { ref: `#${customerId}` });
  return (await varsReader(ctx))(customer, lang ?? (await ctx.settings()).language, extras);
}
