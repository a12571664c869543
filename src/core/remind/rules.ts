// The built-in reminder rules (birthdays, holidays, welcome, call-back, renewal, replenishment,
// win-back, member upgrade): what each does, its defaults for a new shop, and the shop's settings of
// them as stored (settings entry remind_rules, JSON over the defaults). Pure.
import { badInput } from '../../errors.js';
import type { HolidayKey } from '../calendar.js';

export const RULES = ['birthday', 'holiday', 'welcome', 'callback', 'renewal', 'replenish', 'winback', 'upgrade', 'survey'] as const;
export type RuleKey = (typeof RULES)[number];

/** A coupon issued with each message: an amount in minor units or a percent off, above a minimum spend. */
export interface CouponSpec {
  kind: 'amount' | 'percent';
  value: number;
  minSpend: number;
}

export interface RuleConfig {
  on: boolean;
  channel: string;
  /** Shop-local time the day's messages of a day rule go out (HH:MM). */
  at: string;
  /** Days before the occasion (birthday, holiday, renewal, replenishment). */
  daysBefore: number;
  /** Hours after the first order (welcome, call-back). */
  hoursAfter: number;
  /** The holidays greeted (holiday rule). */
  holidays: HolidayKey[];
  /** The customer's date field the renewal is counted back from (a custom field's key). */
  field: string | null;
  /** Share of the audience kept back to measure uplift (0 to 0.5). */
  holdout: number;
  coupon: CouponSpec | null;
  /** Days a coupon issued with a message stays valid. */
  couponDays: number;
  /** A template other than the rule's own. */
  template: string | null;
  /** When it was last turned on: it fires for occasions from then on (not for the catch-up days before). */
  onSince?: string | null;
}

/**
 * Marketing rules respect a customer's marketing opt-out; service messages (a birthday wish, a
 * welcome, a call-back by staff, a renewal notice, an upgrade) do not. A coupon is marketing: a
 * customer who opted out gets the service message without it.
 */
export const MARKETING: Record<RuleKey, boolean> = {
  birthday: false,
  holiday: true,
  welcome: false,
  callback: false,
  renewal: false,
  replenish: true,
  winback: true,
  upgrade: false,
  survey: false,
};

/** Messages to the shop's own people about a customer (a complaint's escalation): no consent to ask. */
export const STAFF_RULES: ReadonlySet<string> = new Set(['escalation']);

/** Whether a message of this rule is marketing (and so waits on the opt-out). */
export function isMarketing(rule: RuleKey): boolean {
  return MARKETING[rule];
}

/** The major holidays greeted by default. */
export const MAJOR_HOLIDAYS: readonly HolidayKey[] = ['new_year', 'spring_festival', 'dragon_boat', 'mid_autumn', 'national_day'];

const base = (on: boolean): RuleConfig => ({ on, channel: 'stdout', at: '09:00', daysBefore: 0, hoursAfter: 0, holidays: [], field: null, holdout: 0, coupon: null, couponDays: 30, template: null });

/** A new shop's rules: birthdays on the day, the major holidays, welcome and call-back, all to stdout. */
export function defaultRules(): Record<RuleKey, RuleConfig> {
  return {
    birthday: base(true),
    holiday: { ...base(true), holidays: [...MAJOR_HOLIDAYS] },
    welcome: { ...base(true), hoursAfter: 24 },
    callback: { ...base(true), hoursAfter: 48 },
    renewal: { ...base(false), daysBefore: 30 },
    replenish: { ...base(false), daysBefore: 3 },
    winback: base(false),
    upgrade: base(false),
    // A satisfaction survey invitation on the first day of each quarter, to the customers who bought in the quarter before.
    survey: { ...base(false), at: '10:00' },
  };
}

/** The stored rules over the defaults (a rule or key the file lacks keeps its default). */
export function readRules(raw: string | undefined): Record<RuleKey, RuleConfig> {
  const rules = defaultRules();
  if (!raw) return rules;
  let stored: Record<string, Partial<RuleConfig>>;
  try {
    stored = JSON.parse(raw) as Record<string, Partial<RuleConfig>>;
  } catch {
    return rules;
  }
  for (const key of RULES) if (stored[key]) rules[key] = { ...rules[key], ...stored[key] };
  return rules;
}

export function rulesToJson(rules: Record<RuleKey, RuleConfig>): string {
  return JSON.stringify(rules);
}

export function isRule(raw: string): raw is RuleKey {
  return (RULES as readonly string[]).includes(raw);
}

export function parseRule(raw: string): RuleKey {
  const v = raw.trim().toLowerCase().replace(/-/g, '');
  const key = v === 'replenishment' ? 'replenish' : v === 'callback' || v === 'call' ? 'callback' : v;
  if (!isRule(key)) throw badInput('err.remind.rule', { value: raw, rules: RULES.join(', ') });
  return key;
}

/** HH:MM, 0:00 to 23:59. */
export function parseClock(raw: string, option: string): string {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(raw.normalize('NFKC').trim());
  if (!m) throw badInput('err.remind.clock', { option, value: raw });
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
}

/** A share as typed: 10%, 10 (percent) or 0.1; 0 to 50%. */
export function parseShare(raw: string, option: string): number {
  const v = raw.normalize('NFKC').trim();
  const pct = v.endsWith('%');
  const n = Number(pct ? v.slice(0, -1) : v);
  if (v === '' || Number.isNaN(n) || n < 0) throw badInput('err.remind.share', { option, value: raw });
  const share = pct || n > 1 ? n / 100 : n;
  if (share > 0.5) throw badInput('err.remind.share', { option, value: raw });
  return Math.round(share * 10000) / 10000;
}

/** The quarter a survey invitation on this day is for (2027-01-01 invites for 2026-Q4), or null on other days. */
export function surveyQuarter(day: string): { label: string; from: string; to: string } | null {
  const m = /^(\d{4})-(01|04|07|10)-01$/.exec(day);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const [y, q] = month === 1 ? [year - 1, 4] : [year, (month - 1) / 3];
  const start = `${y}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
  return { label: `${y}-Q${q}`, from: start, to: day };
}

/** The template a rule's message uses for an occasion (a holiday's own, a lunar birthday's). */
export function ruleTemplate(rule: RuleKey, config: RuleConfig, occasion: string, lunar = false): string {
  if (config.template) return config.template;
  if (rule === 'holiday') return occasion.split(':')[1]!;
  if (rule === 'birthday') return lunar ? 'birthday_lunar' : 'birthday';
  return rule;
}
