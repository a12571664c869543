// Satisfaction surveys, the use cases: which questionnaire the shop uses (its own file, checked
// before it is taken, or the built-in one in surveys/), invitations recorded as occurrences of the
// reminder rule `survey` for `crm remind run` to deliver, one response recorded, and the figures
// of each period against the period before. Imports of answers are in ./survey-import.ts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from '../context.js';
import { addDays } from '../core/dates.js';
import { sinceDay } from '../core/duration.js';
import { decide, SKIP_REASONS, type SkipReason } from '../core/remind/audience.js';
import { isMarketing, ruleTemplate } from '../core/remind/rules.js';
import { atLocal, deliveryId } from '../core/remind/schedule.js';
import type { Period } from '../core/stats.js';
import { compareFigures, figuresOf, parseSurvey, periodsBetween, previousPeriod, surveyLabel, type Answer, type Figures, type Metric, type PeriodSpan, type Survey } from '../core/survey.js';
import { badInput, failure, systemError } from '../errors.js';
import { channelNeeds, parseChannelName } from '../io/channels/index.js';
import { atomicFile } from '../io/files.js';
import { transaction } from '../store/db.js';
import { contactFlags, customerIdsWhere, customersWithOrdersBetween, insertOccurrences, type NewOccurrence } from '../store/remind.js';
import { insertResponse, invitationsBetween, latestInvitation, responsesBetween, setSurveyFile, surveyFile, type GroupBy } from '../store/survey.js';
import { currentRules } from './remind.js';

/** The built-in questionnaire: surveys/default.yaml at the package root (beside src/ and dist/). */
export const DEFAULT_SURVEY_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'surveys', 'default.yaml');

/** Reads and checks a questionnaire file (a problem names its line and column). */
export function readSurveyFile(file: string): Survey {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw systemError(e, file) ?? failure('err.survey.open', { path: file, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
  }
  return parseSurvey(text.replace(/^\uFEFF/, ''), file);
}

/** The questionnaire in use: the shop's file (crm survey use), else the built-in one. */
export async function currentSurvey(ctx: Context): Promise<{ survey: Survey; file: string; builtin: boolean }> {
  const own = surveyFile(await ctx.db());
  const file = own ?? DEFAULT_SURVEY_FILE;
  return { survey: readSurveyFile(file), file, builtin: own === undefined };
}

/** Checks a file and makes it the shop's questionnaire (its absolute path is stored). */
export async function useSurveyFile(ctx: Context, file: string): Promise<{ survey: Survey; file: string }> {
  const absolute = path.resolve(file);
  const survey = readSurveyFile(absolute);
  setSurveyFile(await ctx.db(), absolute);
  return { survey, file: absolute };
}

/** Writes the built-in questionnaire to a file for the owner to edit (never over an existing one without `force`). */
export function initSurveyFile(file: string, force: boolean): string {
  const out = atomicFile(file, force ? 'replace' : 'refuse');
  out.write(fs.readFileSync(DEFAULT_SURVEY_FILE, 'utf8'));
  return out.commit();
}

// ---------------------------------------------------------------------------------------------
// Invitations

export interface SendAudience {
  tier?: string;
  segment?: string;
  tag?: string;
  /** A length back from today (90d, 1q) or a first day: customers with an order since then. */
  orderedWithin?: string;
  all?: boolean;
  channel?: string;
}

export interface SendSummary {
  occasion: string;
  channel: string;
  audience: number;
  invited: number;
  /** Invited already by an earlier send today (the occurrence exists). */
  already: number;
  skipped: Record<SkipReason, number>;
}

async function audienceIds(ctx: Context, o: SendAudience): Promise<number[]> {
  const chosen = (['tier', 'segment', 'tag', 'orderedWithin', 'all'] as const).filter((k) => o[k] !== undefined && o[k] !== false);
  if (chosen.length !== 1) throw badInput('err.survey.audience');
  const db = await ctx.db();
  const { timezone } = await ctx.settings();
  if (o.tier !== undefined) return customerIdsWhere(db, { tier: await (await import('./customer.js')).levelOption(ctx, o.tier) });
  if (o.segment !== undefined) return customerIdsWhere(db, { segment: (await import('./rfm.js')).parseSegment(ctx, o.segment, null) });
  if (o.tag !== undefined) return customerIdsWhere(db, { tags: [o.tag.trim()] });
  if (o.orderedWithin !== undefined) {
    const today = await ctx.today();
    return customersWithOrdersBetween(db, sinceDay(o.orderedWithin, timezone, ctx.now(), '--ordered-within'), addDays(today, 1));
  }
  return customerIdsWhere(db, {});
}

/**
 * Records an invitation now for each customer of the group, as an occurrence of the rule survey
 * (occasion survey:<today>), consent decided as the reminder engine decides it; `crm remind run`
 * delivers them with the survey template. A customer invited already today is not invited twice.
 */
export async function sendSurvey(ctx: Context, o: SendAudience): Promise<SendSummary> {
  const ids = await audienceIds(ctx, o);
  const cfg = (await currentRules(ctx)).survey;
  const channel = parseChannelName(o.channel ?? cfg.channel);
  const occasion = `survey:${await ctx.today()}`;
  const db = await ctx.db();
  const flags = contactFlags(db);
  const now = ctx.nowIso();
  const facts = { rule: 'survey', occasion, marketing: isMarketing('survey'), needs: channelNeeds(channel), holdout: 0, missed: false };
  const template = ruleTemplate('survey', cfg, occasion);
  const summary: SendSummary = { occasion, channel, audience: ids.length, invited: 0, already: 0, skipped: Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number> };
  transaction(db, () => {
    for (const id of ids) {
      const d = decide(flags[id] ?? 0, facts, id);
      const row: NewOccurrence = { rule: 'survey', customerId: id, occasion, dueAt: now, template, channel, status: d.status, reason: d.reason, deliveryId: deliveryId('survey', id, occasion) };
      if (insertOccurrences(db, [row], now) === 0) summary.already++;
      else if (d.status === 'skipped') summary.skipped[d.reason]++;
      else summary.invited++;
    }
  });
  return summary;
}

// ---------------------------------------------------------------------------------------------
// Responses

/** Saves one customer's checked answers, linked to the latest invitation sent to them; returns the response id and that invitation. */
export async function recordResponse(ctx: Context, customerId: number, answers: Answer[], answeredAt = ctx.nowIso()): Promise<{ id: number; occurrenceId: number | null }> {
  const { survey } = await currentSurvey(ctx);
  const db = await ctx.db();
  return transaction(db, () => {
    const occurrenceId = latestInvitation(db, customerId, answeredAt);
    const id = insertResponse(db, { customerId, survey: surveyLabel(survey), answeredAt, source: 'record', occurrenceId }, answers);
    return { id, occurrenceId };
  });
}

// ---------------------------------------------------------------------------------------------
// Figures

export interface StatsOptions {
  period: Period;
  by: GroupBy;
  /** The first day (or a length back) whose period the report starts with; else only the current period. */
  since?: string;
}

export interface PeriodStats {
  span: PeriodSpan;
  previous: PeriodSpan;
  /** The member level or segment (null: none, or no --by). */
  group: string | null;
  figures: Figures;
  metrics: Metric[];
}

/** Each period's figures (per group with --by) against the period before. */
export async function surveyStats(ctx: Context, o: StatsOptions): Promise<{ survey: Survey; periods: PeriodStats[] }> {
  const { survey } = await currentSurvey(ctx);
  const db = await ctx.db();
  const { timezone } = await ctx.settings();
  const today = await ctx.today();
  const first = o.since === undefined ? today : sinceDay(o.since, timezone, ctx.now());
  const instant = (day: string) => atLocal(day, '00:00', timezone).toISOString();
  const cache = new Map<string, Map<string | null, Figures>>();
  const figuresIn = (span: PeriodSpan): Map<string | null, Figures> => {
    let byGroup = cache.get(span.label);
    if (byGroup) return byGroup;
    const responses = responsesBetween(db, instant(span.start), instant(span.end), o.by);
    const invitations = invitationsBetween(db, instant(span.start), instant(span.end), o.by);
    const groups = new Set<string | null>([...responses.map((r) => r.group), ...invitations.keys()]);
    if (!o.by) groups.add(null);
    byGroup = new Map();
    for (const g of groups) byGroup.set(g, figuresOf(survey, responses.filter((r) => r.group === g).map((r) => r.scores), invitations.get(g) ?? 0));
    cache.set(span.label, byGroup);
    return byGroup;
  };
  const out: PeriodStats[] = [];
  for (const span of periodsBetween(first > today ? today : first, today, o.period)) {
    const previous = previousPeriod(span, o.period);
    const now = figuresIn(span);
    const before = figuresIn(previous);
    const groups = [...new Set([...now.keys(), ...before.keys()])].sort((a, b) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
    for (const group of groups) {
      const figures = now.get(group) ?? figuresOf(survey, [], 0);
      const prior = before.get(group) ?? figuresOf(survey, [], 0);
      out.push({ span, previous, group, figures, metrics: compareFigures(survey, figures, prior) });
    }
  }
  return { survey, periods: out };
}
