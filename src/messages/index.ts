// The message catalog: every user-facing text, in English and Simplified Chinese, keyed by a
// stable id. One file per feature beside this one (src/messages/<feature>.ts); they are combined
// here into one catalog, and a test checks that no id is in two files. `--lang en|zh`, else
// LC_ALL / LC_MESSAGES / LANG (zh_* picks Chinese), else English.
import { backupMessages } from './backup.js';
import { dbMessages } from './db.js';
import { calendarMessages } from './calendar.js';
import { channelMessages } from './channel.js';
import { cliMessages } from './cli.js';
import { clvMessages } from './clv.js';
import { complaintMessages } from './complaint.js';
import { configMessages } from './config.js';
import { couponMessages } from './coupon.js';
import { customerMessages } from './customer.js';
import { dedupeMessages } from './dedupe.js';
import { demoMessages } from './demo.js';
import { exportMessages } from './export.js';
import { holidayMessages } from './holiday.js';
import { importMessages } from './import.js';
import { lifecycleMessages } from './lifecycle.js';
import { logMessages } from './log.js';
import { orderMessages } from './order.js';
import { remindMessages } from './remind.js';
import { outputMessages } from './output.js';
import { rfmMessages } from './rfm.js';
import { statsMessages } from './stats.js';
import { surveyMessages } from './survey.js';
import { templateMessages } from './template.js';
import { textMessages } from './text.js';
import { tierMessages } from './tier.js';

export type Lang = 'en' | 'zh';
export type Params = Record<string, string | number>;
export type Entries = Record<string, { en: string; zh: string }>;

/** The feature files, by name (the test of duplicate ids reads them one by one). */
export const FEATURES = {
  backup: backupMessages,
  calendar: calendarMessages,
  channel: channelMessages,
  cli: cliMessages,
  clv: clvMessages,
  complaint: complaintMessages,
  config: configMessages,
  coupon: couponMessages,
  customer: customerMessages,
  db: dbMessages,
  dedupe: dedupeMessages,
  demo: demoMessages,
  export: exportMessages,
  holiday: holidayMessages,
  import: importMessages,
  lifecycle: lifecycleMessages,
  log: logMessages,
  order: orderMessages,
  remind: remindMessages,
  output: outputMessages,
  rfm: rfmMessages,
  stats: statsMessages,
  survey: surveyMessages,
  template: templateMessages,
  text: textMessages,
  tier: tierMessages,
} as const;

const catalog = {
  ...backupMessages,
  ...calendarMessages,
  ...channelMessages,
  ...cliMessages,
  ...clvMessages,
  ...complaintMessages,
  ...configMessages,
  ...couponMessages,
  ...customerMessages,
  ...dbMessages,
  ...dedupeMessages,
  ...demoMessages,
  ...exportMessages,
  ...holidayMessages,
  ...importMessages,
  ...lifecycleMessages,
  ...logMessages,
  ...orderMessages,
  ...remindMessages,
  ...outputMessages,
  ...rfmMessages,
  ...statsMessages,
  ...surveyMessages,
  ...templateMessages,
  ...textMessages,
  ...tierMessages,
};

export type MessageId = keyof typeof catalog;
export const MESSAGE_IDS = Object.keys(catalog) as MessageId[];

export function translate(lang: Lang, id: MessageId, params: Params = {}): string {
  const entry = catalog[id] as { en: string; zh: string } | undefined;
  const text = entry ? entry[lang] : id;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** --lang wins; else the first of LC_ALL, LC_MESSAGES, LANG that is set (zh* -> Chinese). */
export function detectLang(flag: string | undefined, env: Record<string, string | undefined>): Lang {
  if (flag !== undefined) {
    const f = flag.toLowerCase();
    if (f === 'en' || f.startsWith('en_') || f.startsWith('en-')) return 'en';
    if (f === 'zh' || f.startsWith('zh_') || f.startsWith('zh-')) return 'zh';
    throw new Error(translate('en', 'err.lang', { value: flag }));
  }
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
