// Setting reminders up: a new reminder of the owner's (its audience, time or schedule, template,
// channel, lead time, holdout and coupon checked before anything is saved) and changes to the
// built-in rules. Shared by `crm remind add|rules` and their prompts.
import type { Context } from '../context.js';
import { HOLIDAYS, type HolidayKey } from '../core/calendar.js';
import { parseWhen } from '../core/dates.js';
import { parseDuration, roughMinutes } from '../core/duration.js';
import { parseClock, parseShare, rulesToJson, type CouponSpec, type RuleConfig, type RuleKey } from '../core/remind/rules.js';
import { checkCron, shortestGap } from '../core/remind/schedule.js';

/** A recurring reminder fires at most hourly: a schedule of minutes would flood customers. */
const MIN_GAP_MINUTES = 60;
import { badInput } from '../errors.js';
import { translate, type Lang } from '../messages/index.js';
import { parseChannelName } from '../io/channels/index.js';
import { insertReminder, writeRulesJson, type Audience, type Reminder } from '../store/remind.js';
import { parseCouponSpec } from '../core/coupon.js';
import { loadTemplates } from './template.js';
import { currentRules } from './remind.js';

export interface ReminderInput {
  /** The customer, resolved by the command from what was typed. */
  customer?: number;
  tag?: string;
  tier?: string;
  segment?: string;
  stage?: string;
  valueClass?: string;
  all?: boolean;
  at?: string;
  cron?: string;
  template?: string;
  channel?: string;
  lead?: string;
  service?: boolean;
  holdout?: string;
  coupon?: string;
  couponDays?: string;
  note?: string;
}

async function checkTemplateName(ctx: Context, name: string): Promise<string> {
  const n = name.trim();
  if (!(await loadTemplates(ctx)).inLanguage(n, (await ctx.settings()).language)) throw badInput('err.remind.template', { value: name });
  return n;
}

function parseDays(raw: string, option: string, max = 3650): number {
  const v = raw.normalize('NFKC').trim().replace(/(d|天|days?)$/i, '');
  if (!/^\d+$/.test(v) || Number(v) > max) throw badInput('err.remind.days', { option, value: raw });
  return Number(v);
}

async function couponOf(ctx: Context, raw: string | undefined, days: string | undefined): Promise<(CouponSpec & { days: number }) | null> {
  if (raw === undefined || ['none', 'off', ''].includes(raw.trim().toLowerCase())) return null;
  const spec = parseCouponSpec(raw, (await ctx.settings()).currency);
  return { kind: spec.kind, value: spec.value, minSpend: spec.minSpend, days: days === undefined ? 30 : parseDays(days, '--coupon-days') };
}

/** Checks a reminder as typed and saves it; returns its id. */
export async function newReminder(ctx: Context, o: ReminderInput): Promise<number> {
  const { timezone: zone } = await ctx.settings();
  const audiences = (['customer', 'tag', 'tier', 'segment', 'stage', 'valueClass', 'all'] as const).filter((k) => o[k] !== undefined && o[k] !== false);
  if (audiences.length !== 1) throw badInput('err.remind.audience');
  const kind = audiences[0]!;
  let value: string | null = null;
  if (kind === 'customer') value = String(o.customer);
  else if (kind === 'tag') value = o.tag!.trim();
  else if (kind === 'tier') value = await (await import('./customer.js')).levelOption(ctx, o.tier!);
  else if (kind === 'segment') value = (await import('./rfm.js')).parseSegment(ctx, o.segment!, null);
  else if (kind === 'stage') value = (await import('./lifecycle.js')).stageOption(ctx, o.stage!);
  else if (kind === 'valueClass') value = (await import('./clv.js')).valueClassOption(ctx, o.valueClass!);
  if ((o.at === undefined) === (o.cron === undefined)) throw badInput('err.remind.when');
  if (o.cron !== undefined) {
    checkCron(o.cron, zone);
    if (shortestGap(o.cron, zone, ctx.now()) < MIN_GAP_MINUTES) throw badInput('err.remind.tooOften', { value: o.cron, minutes: MIN_GAP_MINUTES });
  }
  const at = o.at === undefined ? null : parseWhen(o.at, zone, ctx.now()).at;
  if (o.template === undefined) throw badInput('err.remind.noTemplate');
  const reminder: Omit<Reminder, 'id' | 'activeFrom'> = {
    audience: (kind === 'valueClass' ? 'value_class' : kind) as Audience,
    value,
    at,
    cron: o.cron?.trim() ?? null,
    leadMinutes: o.lead === undefined ? 0 : Math.round(roughMinutes(parseDuration(o.lead, '--lead'))),
    template: await checkTemplateName(ctx, o.template),
    channel: parseChannelName(o.channel ?? 'stdout'),
    marketing: !o.service,
    holdout: o.holdout === undefined ? 0 : parseShare(o.holdout, '--holdout'),
    coupon: await couponOf(ctx, o.coupon, o.couponDays),
    note: o.note?.trim() || null,
    paused: false,
    createdAt: ctx.nowIso(),
  };
  return insertReminder(await ctx.db(), reminder);
}

export interface RuleInput {
  on?: boolean;
  channel?: string;
  at?: string;
  daysBefore?: string;
  hoursAfter?: string;
  holidays?: string;
  field?: string;
  holdout?: string;
  coupon?: string;
  couponDays?: string;
  template?: string;
}

/** A holiday as typed: its key or its name in either language. */
function parseHolidays(raw: string): HolidayKey[] {
  const v = raw.trim().toLowerCase();
  if (v === 'all') return [...HOLIDAYS];
  return raw.split(/[,，、]/).map((part) => {
    const p = part.trim().toLowerCase().replace(/[-\s]/g, '_');
    const key = HOLIDAYS.find((h) => h === p || ['en', 'zh'].some((lang) => translate(lang as Lang, `holiday.${h}`).toLowerCase() === part.trim().toLowerCase()));
    if (!key) throw badInput('err.remind.holiday', { value: part, holidays: HOLIDAYS.join(', ') });
    return key;
  });
}

/** Applies the changes typed to one rule and saves the rules. */
export async function changeRule(ctx: Context, key: RuleKey, o: RuleInput): Promise<RuleConfig> {
  const rules = await currentRules(ctx);
  const cfg: RuleConfig = { ...rules[key] };
  if (o.on !== undefined) {
    // Turned on now: occasions from now on, not the catch-up days before.
    if (o.on && !cfg.on) cfg.onSince = ctx.nowIso();
    cfg.on = o.on;
  }
  if (o.channel !== undefined) cfg.channel = parseChannelName(o.channel);
  if (o.at !== undefined) cfg.at = parseClock(o.at, '--at');
  if (o.daysBefore !== undefined) cfg.daysBefore = parseDays(o.daysBefore, '--days-before', 366);
  if (o.hoursAfter !== undefined) {
    const d = parseDuration(/^\d+$/.test(o.hoursAfter.trim()) ? `${o.hoursAfter.trim()}h` : o.hoursAfter, '--after');
    cfg.hoursAfter = Math.round(roughMinutes(d) / 60);
  }
  if (o.holidays !== undefined) cfg.holidays = parseHolidays(o.holidays);
  if (o.field !== undefined) cfg.field = o.field.trim() || null;
  if (o.holdout !== undefined) cfg.holdout = parseShare(o.holdout, '--holdout');
  if (o.coupon !== undefined) {
    const c = await couponOf(ctx, o.coupon, undefined);
    cfg.coupon = c ? { kind: c.kind, value: c.value, minSpend: c.minSpend } : null;
  }
  if (o.couponDays !== undefined) cfg.couponDays = parseDays(o.couponDays, '--coupon-days');
  if (o.template !== undefined) cfg.template = o.template.trim() === '' || o.template === 'default' ? null : await checkTemplateName(ctx, o.template);
  if (key === 'renewal' && cfg.on && !cfg.field) throw badInput('err.remind.renewalField');
  rules[key] = cfg;
  writeRulesJson(await ctx.db(), rulesToJson(rules));
  return cfg;
}
