// Lifecycle stages as the commands and (later) cron need them: every customer's stage on given
// days (one pass over the orders), the customers at a stage today, and one customer's stage with
// their expected next purchase. The rules are in src/core/lifecycle.ts; the reading in the store.
import type { Context } from '../context.js';
import { dayNumber, dayString, nextPurchaseDay, parseStage, purchaseDays, purchaseFacts, STAGES, stageOf, stageTable, type Stage, type StageRules, type StageTable } from '../core/lifecycle.js';
import { stageRulesOf } from '../core/settings.js';
import { badInput } from '../errors.js';
import { translate, type MessageId } from '../messages/index.js';
import { allCustomerIds, purchaseHistories } from '../store/lifecycle.js';

export const stageName = (ctx: Context, s: Stage) => ctx.t(`stage.${s}` as MessageId);

/** Every customer's stage on each of these days (one pass over the orders), with the rules used. */
export async function stagesAt(ctx: Context, days: string[]): Promise<{ table: StageTable; rules: StageRules }> {
  const db = await ctx.db();
  const rules = stageRulesOf(await ctx.settings());
  const latest = days.reduce((a, b) => (a > b ? a : b));
  const table = stageTable(allCustomerIds(db), await purchaseHistories(db, latest), days.map(dayNumber), rules);
  return { table, rules };
}

/** A stage as typed on the command line: its key or its name in either language. */
export function stageOption(ctx: Context, raw: string): Stage {
  const found = parseStage(raw, (s) => [translate('en', `stage.${s}` as MessageId), translate('zh', `stage.${s}` as MessageId)]);
  if (!found) throw badInput('err.stage', { value: raw, allowed: STAGES.map((s) => `${s} (${stageName(ctx, s)})`).join(', ') });
  return found;
}

/** The ids of the customers at a stage today (customer list --stage), and the rules line to print. */
export async function customersAtStage(ctx: Context, stage: Stage): Promise<{ ids: number[]; note: string }> {
  const asOf = await ctx.today();
  const { table, rules } = await stagesAt(ctx, [asOf]);
  const code = STAGES.indexOf(stage);
  const ids: number[] = [];
  table.stages[0]!.forEach((s, i) => {
    if (s === code) ids.push(table.ids[i]!);
  });
  return { ids, note: rulesLine(ctx, asOf, rules, table.shopIntervals[0]!) };
}

export function rulesLine(ctx: Context, asOf: string, rules: StageRules, shopInterval: number): string {
  return ctx.t('stage.rules', {
    asOf,
    newDays: rules.newDays,
    churnDays: rules.churnDays,
    wonBackDays: rules.wonBackDays,
    factor: rules.atRiskFactor,
    shopInterval: Number.isNaN(shopInterval) ? '—' : Math.round(shopInterval * 10) / 10,
  });
}

export interface CustomerLifecycle {
  asOf: string;
  stage: Stage;
  interval: number | null;
  next: string | null;
}

/** The shop's usual interval between purchases today (a pass over every customer's orders). */
export async function shopIntervalToday(ctx: Context): Promise<number> {
  return (await stagesAt(ctx, [await ctx.today()])).table.shopIntervals[0]!;
}

/**
 * A customer's stage today and their expected next purchase, from their order days. The shop's usual
 * interval (a pass over every customer's orders) is worked out only when it decides the stage: a
 * customer with one purchase day who is neither new, won back nor churned. A caller asking for many
 * customers hands in `shopInterval` that works it out once.
 */
export async function lifecycleOf(ctx: Context, orderDays: string[], shopInterval: () => Promise<number> = () => shopIntervalToday(ctx)): Promise<CustomerLifecycle> {
  const asOf = await ctx.today();
  const rules = stageRulesOf(await ctx.settings());
  const days = purchaseDays(orderDays.filter((d) => d <= asOf));
  const facts = days.length > 0 ? purchaseFacts(days, rules.churnDays) : null;
  let stage = stageOf(facts, dayNumber(asOf), rules, NaN);
  if (facts && Number.isNaN(facts.interval) && stage === 'active') {
    stage = stageOf(facts, dayNumber(asOf), rules, await shopInterval());
  }
  const next = facts ? nextPurchaseDay(facts) : null;
  return { asOf, stage, interval: facts && !Number.isNaN(facts.interval) ? facts.interval : null, next: next === null ? null : dayString(next) };
}
