// Shop settings: the keys, their defaults and their validation. Stored by src/store/settings.ts.
// Every command reads the settings, so this module imports nothing heavy: no luxon, no opening-hours
// code (~12 ms of every start). What a value's check needs beyond it is loaded for that key only
// (LOADS), when a value of it is set or stored.
import { badInput } from '../errors.js';
import type { ValueClassRules } from './clv/index.js';
import { DEFAULT_STAGE_RULES, type StageRules } from './lifecycle.js';
import { isCurrency } from './money.js';
import { isCountry } from './phone.js';
import { checkText } from './limits.js';
import type { MessageId } from '../messages/index.js';

export interface Settings {
  shop_name: string;
  signature: string;
  timezone: string;
  currency: string;
  language: 'en' | 'zh';
  country: string;
  stage_new_days: string;
  stage_churn_days: string;
  stage_at_risk_factor: string;
  stage_won_back_days: string;
  clv_top_share: string;
  clv_growth_factor: string;
  clv_yearly_cost: string;
  shop_phone: string;
  quiet_hours: string;
  remind_catch_up: string;
  remind_retries: string;
  outbox_dir: string;
  webhook_url: string;
  webhook_kind: string;
  webhook_secret_env: string;
  webhook_key_env: string;
  webhook_timeout: string;
  smtp_host: string;
  smtp_port: string;
  smtp_security: string;
  smtp_user: string;
  smtp_from: string;
  smtp_password_env: string;
  sla_hours: string;
  business_hours: string;
  complaint_categories: string;
  followup_days: string;
  followup_channel: string;
  escalation_channel: string;
  second_line: string;
  owner_name: string;
  backup_keep: string;
  backup_dir: string;
  durability: string;
}
export type SettingKey = keyof Settings;
type BackupKey = 'backup_keep' | 'backup_dir' | 'durability';
type BaseKey = 'shop_name' | 'signature' | 'timezone' | 'currency' | 'language' | 'country' | 'stage_new_days' | 'stage_churn_days' | 'stage_at_risk_factor' | 'stage_won_back_days' | 'clv_top_share' | 'clv_growth_factor' | 'clv_yearly_cost';

/** What defaults depend on: the interface language and the machine's time zone. */
export interface SettingsEnv {
  lang: 'en' | 'zh';
  zone: string;
}

interface SettingSpec {
  describe: MessageId;
  default: (env: SettingsEnv) => string;
  /** Returns the value to store, or throws. */
  parse: (raw: string) => string;
}

const nonEmpty = (key: string) => (raw: string) => {
  const v = raw.trim();
  if (v === '') throw badInput('err.setting.empty', { key });
  return v;
};

/** A number from min to max as typed (a whole one if `whole`; "20%" read as 20 if `percent`), stored in its plain form. */
const numberIn = (key: string, min: number, max: number, error: MessageId, opts: { whole?: boolean; percent?: boolean; aboveMin?: boolean } = {}) => (raw: string) => {
  const v = opts.percent ? raw.trim().replace(/%$/, '') : raw.trim();
  const n = Number(v);
  const form = opts.whole ? /^\d+$/ : /^\d+(\.\d+)?$/;
  if (!form.test(v) || n < min || n > max || (opts.aboveMin && n === min)) throw badInput(error, { key, value: raw });
  return String(n);
};

/** A whole number of days, 1 to 3650. */
const days = (key: string) => numberIn(key, 1, 3650, 'err.setting.days', { whole: true });

/** One of a few words. */
const oneOf = (key: string, words: readonly string[]) => (raw: string) => {
  const v = raw.trim().toLowerCase();
  if (!words.includes(v)) throw badInput('err.setting.oneOf', { key, value: raw, words: words.join(', ') });
  return v;
};

/** A clock time range HH:MM-HH:MM (it may pass midnight), or off. */
const QUIET = /^([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-3]):([0-5]\d)$/;
export function parseQuietHours(raw: string): { from: number; to: number } | null {
  const v = raw.normalize('NFKC').trim().toLowerCase();
  if (v === 'off' || v === 'none' || v === '') return null;
  const m = QUIET.exec(v);
  if (!m) throw badInput('err.setting.quietHours', { value: raw });
  const from = Number(m[1]) * 60 + Number(m[2]);
  const to = Number(m[3]) * 60 + Number(m[4]);
  return from === to ? null : { from, to };
}

/**
 * A time zone luxon takes (core/dates.ts isZone: what Intl.DateTimeFormat accepts), checked without
 * starting ICU's date formatting (~13 ms) for a name of the runtime's list (Intl.supportedValuesOf,
 * 1.4 ms), which every zone crm stores is unless it is an alias (Asia/Calcutta) or spelt in another
 * case: those are asked of Intl.DateTimeFormat as luxon asks.
 */
let zoneNames: Set<string> | undefined;
export function isZoneName(zone: string): boolean {
  if (!zone) return false;
  if ((zoneNames ??= new Set(Intl.supportedValuesOf('timeZone'))).has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone }).format();
    return true;
  } catch {
    return false;
  }
}

/**
 * Opening hours, "mon-fri 09:00-18:00; sat closed", normalized: what core/business-hours.ts
 * parseOpeningHours reads. The pattern and the spans' bounds are all that parse refuses, with the same
 * error (naming the normalized text, as it does).
 */
const BUSINESS_HOURS = /^((mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))? (closed|([01]?\d|2[0-4]):[0-5]\d-([01]?\d|2[0-4]):[0-5]\d(,([01]?\d|2[0-4]):[0-5]\d-([01]?\d|2[0-4]):[0-5]\d)*)(; ?|$))+$/;
export function parseBusinessHours(raw: string): string {
  const v = raw.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  if (!BUSINESS_HOURS.test(v)) throw badInput('err.setting.businessHours', { value: raw });
  // What the pattern lets through and parseOpeningHours does not: a span starting at 24:00 or
  // later, ending after 24:00, or closing as it opens.
  for (const [, h1, m1, h2, m2] of v.matchAll(/(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})/g)) {
    const start = Number(h1) * 60 + Number(m1);
    const end = Number(h2) * 60 + Number(m2);
    if (start >= 1440 || end > 1440 || start === end) throw badInput('err.setting.businessHours', { value: v });
  }
  return v;
}

/** Lengths of time (core/duration.ts, with luxon): loaded by LOADS for a setting that takes one. */
let lengths: typeof import('./duration.js') | undefined;

/** An environment variable's name (the secret itself is never stored). */
const envName = (key: string) => (raw: string) => {
  const v = raw.trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) throw badInput('err.setting.envName', { key, value: raw });
  return v;
};

/** A web address (http or https). */
const url = (key: string) => (raw: string) => {
  const v = raw.trim();
  if (v === '') return '';
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw badInput('err.setting.url', { key, value: raw });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw badInput('err.setting.url', { key, value: raw });
  // A robot's key in the address is a secret: it is never stored, but read from the environment.
  for (const name of ['key', 'access_token']) {
    if (u.searchParams.has(name)) throw badInput('err.setting.urlSecret', { key, param: name });
  }
  if (u.password) throw badInput('err.setting.urlSecret', { key, param: 'password' });
  return v;
};

// Reminders and their channels (src/app/remind.ts, src/io/channels/).
const REMINDER_SETTINGS: Record<Exclude<SettingKey, BaseKey | BackupKey>, SettingSpec> = {
  shop_phone: { describe: 'setting.shop_phone', default: () => '', parse: (raw) => raw.trim() },
  quiet_hours: {
    describe: 'setting.quiet_hours',
    default: () => '21:00-09:00',
    parse: (raw) => {
      const q = parseQuietHours(raw);
      const hm = (n: number) => `${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;
      return q === null ? 'off' : `${hm(q.from)}-${hm(q.to)}`;
    },
  },
  remind_catch_up: { describe: 'setting.remind_catch_up', default: () => '3d', parse: (raw) => {
    if (!lengths) throw new Error('remind_catch_up is checked before core/duration.js is loaded (LOADS)');
    const v = raw.normalize('NFKC').trim();
    const d = lengths.parseDuration(v, 'remind_catch_up');
    if (lengths.roughMinutes(d) > 366 * 1440) throw badInput('err.setting.catchUp', { value: raw });
    return v;
  } },
  remind_retries: { describe: 'setting.remind_retries', default: () => '5', parse: numberIn('remind_retries', 1, 100, 'err.setting.whole', { whole: true }) },
  outbox_dir: { describe: 'setting.outbox_dir', default: () => '', parse: (raw) => raw.trim() },
  webhook_url: { describe: 'setting.webhook_url', default: () => '', parse: url('webhook_url') },
  webhook_kind: { describe: 'setting.webhook_kind', default: () => 'json', parse: oneOf('webhook_kind', ['json', 'wecom', 'dingtalk']) },
  webhook_secret_env: { describe: 'setting.webhook_secret_env', default: () => 'CRM_WEBHOOK_SECRET', parse: envName('webhook_secret_env') },
  webhook_key_env: { describe: 'setting.webhook_key_env', default: () => 'CRM_WEBHOOK_KEY', parse: envName('webhook_key_env') },
  webhook_timeout: { describe: 'setting.webhook_timeout', default: () => '10', parse: numberIn('webhook_timeout', 1, 300, 'err.setting.whole', { whole: true }) },
  smtp_host: { describe: 'setting.smtp_host', default: () => '', parse: (raw) => raw.trim() },
  smtp_port: { describe: 'setting.smtp_port', default: () => '587', parse: numberIn('smtp_port', 1, 65535, 'err.setting.whole', { whole: true }) },
  smtp_security: { describe: 'setting.smtp_security', default: () => 'starttls', parse: oneOf('smtp_security', ['starttls', 'tls', 'none']) },
  smtp_user: { describe: 'setting.smtp_user', default: () => '', parse: (raw) => raw.trim() },
  smtp_from: { describe: 'setting.smtp_from', default: () => '', parse: (raw) => raw.trim() },
  smtp_password_env: { describe: 'setting.smtp_password_env', default: () => 'CRM_SMTP_PASSWORD', parse: envName('smtp_password_env') },
  // Complaints (src/app/complaint.ts) and the business hours their clocks count (src/core/business-hours.ts).
  sla_hours: { describe: 'setting.sla_hours', default: () => 'all', parse: oneOf('sla_hours', ['all', 'business']) },
  business_hours: { describe: 'setting.business_hours', default: () => 'mon-sun 09:00-21:00', parse: parseBusinessHours },
  complaint_categories: { describe: 'setting.complaint_categories', default: () => 'product_quality,delivery,service_attitude,price,other', parse: (raw) => {
    const list = raw.split(/[,，、]/).map((x) => x.trim()).filter(Boolean);
    if (list.length === 0) throw badInput('err.setting.empty', { key: 'complaint_categories' });
    return [...new Set(list)].join(',');
  } },
  followup_days: { describe: 'setting.followup_days', default: () => '3', parse: numberIn('followup_days', 0, 90, 'err.setting.whole', { whole: true }) },
  followup_channel: { describe: 'setting.followup_channel', default: () => 'stdout', parse: oneOf('followup_channel', ['stdout', 'outbox', 'webhook', 'email']) },
  escalation_channel: { describe: 'setting.escalation_channel', default: () => 'stdout', parse: oneOf('escalation_channel', ['stdout', 'webhook', 'email']) },
  second_line: { describe: 'setting.second_line', default: ({ lang }) => (lang === 'zh' ? '店长' : 'shop manager'), parse: nonEmpty('second_line') },
  owner_name: { describe: 'setting.owner_name', default: ({ lang }) => (lang === 'zh' ? '老板' : 'owner'), parse: nonEmpty('owner_name') },
};

// Backups (src/app/backup.ts) and how hard a commit is pushed to the disk (src/store/db.ts).
const BACKUP_SETTINGS: Record<BackupKey, SettingSpec> = {
  backup_keep: { describe: 'setting.backup_keep', default: () => '0', parse: numberIn('backup_keep', 0, 10000, 'err.setting.whole', { whole: true }) },
  backup_dir: { describe: 'setting.backup_dir', default: () => '', parse: (raw) => raw.trim() },
  durability: { describe: 'setting.durability', default: () => 'normal', parse: oneOf('durability', ['normal', 'full']) },
};

export const SETTINGS: Record<SettingKey, SettingSpec> = {
  shop_name: { describe: 'setting.shop_name', default: ({ lang }) => (lang === 'zh' ? '我的小店' : 'My shop'), parse: nonEmpty('shop_name') },
  signature: { describe: 'setting.signature', default: () => '', parse: (raw) => raw.trim() },
  timezone: {
    describe: 'setting.timezone',
    default: ({ zone }) => zone,
    parse: (raw) => {
      if (!isZoneName(raw.trim())) throw badInput('err.setting.timezone', { value: raw });
      return raw.trim();
    },
  },
  currency: {
    describe: 'setting.currency',
    default: () => 'CNY',
    parse: (raw) => {
      const v = raw.trim().toUpperCase();
      if (!isCurrency(v)) throw badInput('err.setting.currency', { value: raw });
      return v;
    },
  },
  language: {
    describe: 'setting.language',
    default: ({ lang }) => lang,
    parse: (raw) => {
      const v = raw.trim().toLowerCase();
      if (v !== 'en' && v !== 'zh') throw badInput('err.setting.language', { value: raw });
      return v;
    },
  },
  country: {
    describe: 'setting.country',
    default: () => 'CN',
    parse: (raw) => {
      const v = raw.trim().toUpperCase();
      if (!isCountry(v)) throw badInput('err.setting.country', { value: raw });
      return v;
    },
  },
  // Lifecycle stages (src/core/lifecycle.ts).
  stage_new_days: { describe: 'setting.stage_new_days', default: () => String(DEFAULT_STAGE_RULES.newDays), parse: days('stage_new_days') },
  stage_churn_days: { describe: 'setting.stage_churn_days', default: () => String(DEFAULT_STAGE_RULES.churnDays), parse: days('stage_churn_days') },
  stage_at_risk_factor: { describe: 'setting.stage_at_risk_factor', default: () => String(DEFAULT_STAGE_RULES.atRiskFactor), parse: numberIn('stage_at_risk_factor', 1, 10, 'err.setting.factor') },
  stage_won_back_days: { describe: 'setting.stage_won_back_days', default: () => String(DEFAULT_STAGE_RULES.wonBackDays), parse: days('stage_won_back_days') },
  // Value classes of crm clv (src/core/clv/).
  clv_top_share: { describe: 'setting.clv_top_share', default: () => '20', parse: numberIn('clv_top_share', 0, 100, 'err.setting.percent', { percent: true, aboveMin: true }) },
  clv_growth_factor: { describe: 'setting.clv_growth_factor', default: () => '2', parse: numberIn('clv_growth_factor', 1, 100, 'err.setting.factor') },
  clv_yearly_cost: {
    describe: 'setting.clv_yearly_cost',
    default: () => '0',
    parse: (raw) => {
      const v = raw.trim();
      if (!/^\d+(\.\d{1,3})?$/.test(v)) throw badInput('err.setting.amount', { key: 'clv_yearly_cost', value: raw });
      return v;
    },
  },
  ...REMINDER_SETTINGS,
  ...BACKUP_SETTINGS,
};


/** The value-class rules as the shop has set them (the yearly cost in minor units of its currency). */
export function valueClassRulesOf(s: Settings, digits: number): ValueClassRules {
  return { topShare: Number(s.clv_top_share) / 100, growthFactor: Number(s.clv_growth_factor), yearlyCost: Math.round(Number(s.clv_yearly_cost) * 10 ** digits) };
}

/** The stage rules as the shop has set them. */
export function stageRulesOf(s: Settings): StageRules {
  return { newDays: Number(s.stage_new_days), churnDays: Number(s.stage_churn_days), atRiskFactor: Number(s.stage_at_risk_factor), wonBackDays: Number(s.stage_won_back_days) };
}

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** What checking a key's value needs loaded first (its parse throws without it). */
const LOADS: Partial<Record<SettingKey, () => Promise<void>>> = {
  remind_catch_up: async () => {
    lengths ??= await import('./duration.js');
  },
};

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

export async function parseSetting(key: string, raw: string): Promise<[SettingKey, string]> {
  if (!isSettingKey(key)) throw badInput('err.setting.unknown', { key, keys: SETTING_KEYS.join(', ') });
  await LOADS[key]?.();
  // Every value is shown and most go into messages (shop_name, signature, shop_phone): within a
  // setting's length and without control characters (a signature may have line breaks).
  checkText(key === 'signature' ? 'signature' : 'setting', raw.trim());
  return [key, SETTINGS[key].parse(raw)];
}

/**
 * Refuses a change that would change the meaning of data already kept: amounts are stored in the
 * shop's currency without a currency of their own, so the currency is fixed once orders exist.
 */
export function checkSettingChange(key: SettingKey, value: string, current: Settings, shop: { orders: number }): void {
  if (key === 'currency' && value !== current.currency && shop.orders > 0) {
    throw badInput('err.setting.currencyInUse', { from: current.currency, to: value, orders: shop.orders });
  }
}

/**
 * Stored values over defaults. A stored value that no longer validates falls back to the default.
 * A default is worked out only where it is used (the time zone's asks ICU for the machine's zone).
 */
export async function resolveSettings(stored: Record<string, string>, env: SettingsEnv): Promise<Settings> {
  const out: Record<string, string> = {};
  for (const key of SETTING_KEYS) {
    const raw = stored[key];
    let value: string | undefined;
    if (raw !== undefined) {
      await LOADS[key]?.();
      try {
        value = SETTINGS[key].parse(raw);
      } catch {
        /* keep the default */
      }
    }
    out[key] = value ?? SETTINGS[key].default(env);
  }
  return out as unknown as Settings;
}
