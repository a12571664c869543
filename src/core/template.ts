// Greeting templates: Liquid (LiquidJS) with the shop's own filters, sandboxed and strict. A
// template sees only the variables of src/core/template-vars.ts; an unknown variable or filter is an
// error, not an empty string, and a message is whole or not made at all. Templates live in memory:
// include, render and layout are refused (no file is ever read), only own properties of the
// variables are visible, and a template that is too long, too slow or too large is stopped. Days
// are written by the calendar (formatDay, formatLunar), handed in so this file stays pure; docs/
// templates.md describes the variables and filters.
import { Liquid, Tag, type Template, type TagToken, type TopLevelToken } from 'liquidjs';
import { badInput, CrmError } from '../errors.js';
import { daysBetween } from './dates.js';
import { displayAmount } from './money.js';
import { checkControls } from './limits.js';
import { buildTemplateVars, type TemplateVars } from './template-vars.js';

type Lang = 'en' | 'zh';

/** How days are written (src/core/calendar.ts): 2027年2月6日 / February 6, 2027 (long), 2月6日 / Feb 6 (short); 正月初十. */
export interface Calendar {
  formatDay(isoDay: string, lang: Lang, style: 'long' | 'short'): string;
  formatLunar(isoDay: string, lang: Lang): string;
}

/** What a render depends on besides the variables: the message language, the shop's currency and the calendar. */
export interface TemplateOptions extends Calendar {
  lang: Lang;
  currency: string;
}

/** Longest template, in characters. */
export const MAX_TEMPLATE_CHARS = 20_000;
/** Longest message, in characters (a long email; an SMS is under 120). */
export const MAX_MESSAGE_CHARS = 20_000;
/** Time one render may take, in ms (a message takes well under one). */
export const RENDER_LIMIT_MS = 250;
/** LiquidJS's count of allocations (ranges, arrays, strings built by filters) in one render. */
const MEMORY_LIMIT = 10_000_000;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const YEARLESS = /^--(\d{2}-\d{2})$/;

/** A filter given a value it cannot take (money of a word, day of nil). */
class FilterInputError extends Error {
  constructor(
    readonly filter: string,
    readonly value: unknown,
  ) {
    super(`${filter}: ${String(value)}`);
  }
}

/** A tag that would read another template (include, render, layout): refused where it is written. */
class RefusedTag extends Error {
  constructor(readonly tag: string) {
    super(`${tag} is not allowed`);
  }
}

function refusing(name: string) {
  return class extends Tag {
    constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
      super(token, remain, liquid);
      throw new RefusedTag(name);
    }
    *render(): Generator<unknown, void, unknown> {}
  };
}

/** day, date: a day in the message language; a birthday without a year (--MM-DD) as month and day. */
function dayText(cal: Calendar, filter: string, v: unknown, lang: Lang, style: unknown): string {
  if (style !== 'long' && style !== 'short') throw new FilterInputError(filter, style);
  if (typeof v !== 'string') throw new FilterInputError(filter, v);
  const yearless = YEARLESS.exec(v);
  if (yearless) return cal.formatDay(`2000-${yearless[1]}`, lang, 'short');
  if (!DAY.test(v)) throw new FilterInputError(filter, v);
  return cal.formatDay(v, lang, style);
}

function daysFrom(from: unknown, to: unknown): number {
  if (typeof to !== 'string' || !DAY.test(to) || typeof from !== 'string' || !DAY.test(from)) throw new FilterInputError('days_until', to);
  return daysBetween(from, to);
}

/** The LiquidJS engine of one render context: strict, in memory, limited, with the shop's filters. */
function makeEngine(o: TemplateOptions): Liquid {
  const engine = new Liquid({
    templates: {},
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    parseLimit: MAX_TEMPLATE_CHARS,
    renderLimit: RENDER_LIMIT_MS,
    memoryLimit: MEMORY_LIMIT,
  });
  for (const tag of ['include', 'render', 'layout']) engine.registerTag(tag, refusing(tag));
  engine.registerFilter('money', (v: unknown) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new FilterInputError('money', v);
    return displayAmount(v, o.currency, o.lang);
  });
  const day = (filter: string, lang: Lang | null) =>
    function (v: unknown, style: unknown = 'long') {
      return dayText(o, filter, v, lang ?? o.lang, style);
    };
  engine.registerFilter('day', day('day', null));
  engine.registerFilter('date', day('date', null));
  engine.registerFilter('date_zh', day('date_zh', 'zh'));
  engine.registerFilter('date_en', day('date_en', 'en'));
  engine.registerFilter('lunar', (v: unknown) => {
    if (typeof v !== 'string' || !DAY.test(v)) throw new FilterInputError('lunar', v);
    return o.formatLunar(v, o.lang);
  });
  engine.registerFilter('days_until', function (this: { context: { getSync(paths: PropertyKey[]): unknown } }, v: unknown) {
    return daysFrom(this.context.getSync(['today']), v);
  });
  return engine;
}

interface LiquidFailure {
  name?: string;
  message: string;
  originalError?: unknown;
  token?: { getPosition(): [number, number] };
}

/** The first cause of a LiquidJS error (they wrap one another as they pass up the tree of tags). */
function rootCause(e: unknown): unknown {
  let at = e;
  while (at && typeof at === 'object' && (at as LiquidFailure).originalError) at = (at as LiquidFailure).originalError;
  return at;
}

/** A LiquidJS error as one line with the template's line and column. */
function templateError(e: unknown): CrmError {
  if (e instanceof CrmError) return e;
  const f = e as LiquidFailure;
  const root = rootCause(e);
  const [line, column] = f.token?.getPosition() ?? [1, 1];
  const at = { line, column };
  const why = root instanceof Error ? root.message : String(root);
  if (root instanceof RefusedTag) return badInput('err.template.include', { ...at, tag: root.tag });
  if (root instanceof FilterInputError) return badInput('err.template.filterInput', { ...at, filter: root.filter, value: root.value === null || root.value === undefined ? 'nil' : JSON.stringify(root.value) });
  if (why === 'template render limit exceeded') return badInput('err.template.tooSlow', { ms: RENDER_LIMIT_MS });
  if (why === 'memory alloc limit exceeded') return badInput('err.template.tooBig', { chars: MAX_MESSAGE_CHARS });
  if (why === 'parse length limit exceeded') return badInput('err.template.tooLong', { chars: MAX_TEMPLATE_CHARS });
  const variable = /^undefined variable: (.+)$/.exec(why);
  if (variable) return badInput('err.template.variable', { ...at, name: variable[1]! });
  const filter = /^undefined filter: (.+)$/.exec(why);
  if (filter) return badInput('err.template.filter', { ...at, name: filter[1]! });
  return badInput('err.template.syntax', { ...at, detail: (f.message ?? why).replace(/, line:\d+, col:\d+$/, '') });
}

/** Parsed templates kept per body: a run of many messages parses each template once. */
const PARSED_CACHE = 500;

/** Renders templates in one context (language, currency, calendar), parsing each body once. */
export interface Renderer {
  /** Parses a body (a syntax error or an unknown filter throws with its line and column). */
  parse(body: string): Template[];
  /** The whole message, trimmed; throws on any error (never half a message) and on an empty one. */
  render(body: string, vars: TemplateVars): string;
}

export function makeRenderer(o: TemplateOptions): Renderer {
  const engine = makeEngine(o);
  const parsed = new Map<string, Template[]>();
  const parse = (body: string): Template[] => {
    let t = parsed.get(body);
    if (!t) {
      if (body.length > MAX_TEMPLATE_CHARS) throw badInput('err.template.tooLong', { chars: MAX_TEMPLATE_CHARS });
      try {
        t = engine.parse(body);
      } catch (e) {
        throw templateError(e);
      }
      if (parsed.size >= PARSED_CACHE) parsed.delete(parsed.keys().next().value!);
      parsed.set(body, t);
    }
    return t;
  };
  return {
    parse,
    render(body, vars) {
      const t = parse(body);
      let out: string;
      try {
        out = String(engine.renderSync(t, vars)).trim();
      } catch (e) {
        throw templateError(e);
      }
      if (out.length > MAX_MESSAGE_CHARS) throw badInput('err.template.tooBig', { chars: MAX_MESSAGE_CHARS });
      if (out === '') throw badInput('err.template.empty');
      return out;
    },
  };
}

/** Renders one template for one customer (a batch should keep one makeRenderer). */
export function renderTemplate(body: string, vars: TemplateVars, opts: TemplateOptions): string {
  return makeRenderer(opts).render(body, vars);
}

/**
 * Checks a template before it is saved: it parses, and renders against the full sample variables
 * (every optional part present, the shop's custom field keys in customer.fields). Throws badInput
 * naming the line and column of the first problem (a control character first).
 */
export function checkTemplate(body: string, opts: TemplateOptions & { fieldKeys?: readonly string[] }): void {
  // No control characters but line breaks and tabs (its length is checked as it is parsed).
  checkControls(body, true);
  makeRenderer(opts).render(body, sampleVars(opts.lang, opts.fieldKeys ?? [], opts.currency));
}

/**
 * The documented variables with plausible values (a repeat customer with a birthday coming, a
 * coupon, every optional part present): what checkTemplate renders against and docs/templates.md shows.
 */
export function sampleVars(lang: Lang, fieldKeys: readonly string[] = [], currency = 'CNY'): TemplateVars {
  const zh = lang === 'zh';
  return buildTemplateVars({
    customer: {
      id: 1,
      name: zh ? '张丽' : 'Jane Smith',
      gender: 'female',
      phones: [{ e164: zh ? '+8613800138000' : '+14155550123', raw: null }],
      email: zh ? 'zhangli@example.com' : 'jane@example.com',
      city: zh ? '杭州' : 'Seattle',
      birthday: '1990-02-06',
      birthdayLunar: false,
      tier: zh ? '金卡' : 'Gold',
      orderCount: 6,
      orderTotal: 269_659,
      fields: Object.fromEntries(fieldKeys.map((k) => [k, zh ? '示例' : 'sample'])),
      tags: zh ? ['老客户', '团购'] : ['regular', 'group buy'],
    },
    lang,
    currency,
    fieldKeys,
    segment: { key: 'loyal', name: zh ? '忠诚客户' : 'Loyal Customers' },
    stage: { key: 'active', name: zh ? '活跃' : 'Active' },
    valueClass: { key: 'mostValuable', name: zh ? '贵宾型' : 'Most valuable' },
    lastOrder: { day: '2026-12-20', amount: 12_850 },
    nextPurchase: '2027-02-20',
    shop: { name: zh ? '小王水果店' : "Wang's Fruit", signature: zh ? '小王水果店 王芳' : "Fang at Wang's Fruit", phone: zh ? '0571-8888 6666' : '(206) 555-0100' },
    coupon: { code: 'K7M2P9QX4R', kind: 'amount', value: 2_000, minSpend: 10_000, expiresOn: '2027-03-08' },
    occasion: { key: 'birthday', name: zh ? '生日' : 'birthday', day: '2027-02-06', lunar: false, tier: zh ? '钻石' : 'Diamond', ends: '2027-12-31', note: zh ? '问新米到了没有' : 'ask whether the new rice came' },
    complaint: { id: 12, severity: zh ? '紧急' : 'urgent', category: zh ? '产品质量' : 'product quality', description: zh ? '收到的苹果有一半坏了' : 'half the apples arrived bruised', status: zh ? '处理中' : 'in progress', handler: zh ? '小李' : 'Li', escalatedTo: zh ? '店长' : 'shop manager', due: '2027-01-30 14:00', reopened: false },
    today: '2027-01-30',
  });
}

const NAME = /^[\p{L}\p{N}_-]{1,40}(@[^\s@/\\]{1,40})?$/u;

/** A template name as typed: birthday, or birthday@钻石 (the variant for one tier); bad input otherwise. */
export function parseTemplateName(raw: string): string {
  const name = raw.normalize('NFC').trim();
  if (!NAME.test(name)) throw badInput('err.template.name', { value: raw });
  return name;
}

/** A name's base and tier: birthday@钻石 -> birthday + 钻石; birthday -> birthday + null. */
export function splitTemplateName(name: string): { base: string; tier: string | null } {
  const at = name.indexOf('@');
  return at < 0 ? { base: name, tier: null } : { base: name.slice(0, at), tier: name.slice(at + 1) };
}
