// Member levels as `crm tier`, `crm stats`, `crm customer show` (and later cron) use them: the shop's
// ladder, applying it (every move recorded), and a customer's moves in words. The rules are in
// src/core/tier.ts, the SQL in src/store/tier.ts.
import type { Context } from '../context.js';
import { addMonths } from '../core/dates.js';
import { displayAmount, minorDigits } from '../core/money.js';
import { defaultLadder, ladderFromJson, ladderToJson, tierMoves, type TierLadder, type TierMove } from '../core/tier.js';
import { transaction } from '../store/db.js';
import { applyTierMoves, readLadderJson, spendsInWindow, writeLadderJson, type TierChangeRow } from '../store/tier.js';

/** The shop's ladder: as saved, else the default one (in the shop's language) and whether it is saved. */
export async function currentLadder(ctx: Context): Promise<{ ladder: TierLadder; saved: boolean }> {
  const db = await ctx.db();
  const saved = ladderFromJson(readLadderJson(db));
  if (saved) return { ladder: saved, saved: true };
  const { language, currency } = await ctx.settings();
  return { ladder: defaultLadder(language, minorDigits(currency)), saved: false };
}

export interface TierApply {
  /** The window's first day (spend after it counts). */
  start: string;
  /** Customers looked at. */
  customers: number;
  moves: TierMove[];
}

/**
 * Every customer's level by their spend in the ladder's window before `asOf`, and the moves that
 * makes; unless `dryRun`, the moves are recorded. Levels are read and moves written under one write
 * lock: two applies at once (cron and a person) cannot both make the same moves.
 */
export async function applyTiers(ctx: Context, asOf: string, dryRun: boolean): Promise<TierApply> {
  const db = await ctx.db();
  const { ladder, saved } = await currentLadder(ctx);
  const start = addMonths(asOf, -ladder.months);
  const work = (): TierApply => {
    const spends = spendsInWindow(db, start, asOf);
    const moves = tierMoves(spends, ladder);
    if (!dryRun) {
      // The ladder a first apply used is kept, so the levels' names stay what they were.
      if (!saved) writeLadderJson(db, ladderToJson(ladder));
      applyTierMoves(db, moves, asOf, ladder.months, ctx.nowIso());
    }
    return { start, customers: spends.ids.length, moves };
  };
  return dryRun ? work() : transaction(db, work);
}

/** A level move in words: why a customer went up or down. */
export function describeChange(ctx: Context, currency: string, c: Pick<TierChangeRow, 'from' | 'to' | 'direction' | 'spend' | 'months' | 'threshold'>): string {
  const money = (m: number) => displayAmount(m, currency, ctx.lang);
  const none = ctx.t('tier.none');
  return ctx.t(c.direction === 'down' ? 'tier.reasonDown' : 'tier.reasonUp', {
    from: c.from ?? none,
    to: c.to ?? none,
    months: c.months,
    spend: money(c.spend),
    threshold: money(c.threshold),
  });
}
