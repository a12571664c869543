// Member levels as `crm tier`, `crm stats`, `crm customer show` (and later cron) use them: the shop's
// ladder, applying it (every move recorded), and a customer's moves in words. The rules are in
// src/core/tier.ts, the SQL in src/store/tier.ts.
import type { Context } from '../context.js';
import { addMonths } from '../core/dates.js';
import { displayAmount, minorDigits } from '../core/money.js';
import { defaultLadder, levelLabel, ladderFromJson, ladderToJson, tierMoves, type TierLadder, type TierMove } from '../core/tier.js';
import { beginWrite } from '../store/db.js';
import { applyTierMoves, readLadderJson, spendsInWindow, writeLadderJson, type TierChangeRow } from '../store/tier.js';

/** The shop's ladder: as saved, else the default one (named in the interface language) and whether it is saved. */
export async function currentLadder(ctx: Context): Promise<{ ladder: TierLadder; saved: boolean }> {
  const db = await ctx.db();
  const saved = ladderFromJson(readLadderJson(db));
  if (saved) return { ladder: saved, saved: true };
  const { currency } = await ctx.settings();
  return { ladder: defaultLadder(ctx.lang, minorDigits(currency)), saved: false };
}

/** How the shop's levels are named for people at this terminal (see levelLabel); null is no level. */
export async function levelNamer(ctx: Context): Promise<(name: string | null) => string> {
  const { ladder } = await currentLadder(ctx);
  return (name) => (name === null ? '' : levelLabel(name, ladder, ctx.lang));
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
  if (dryRun) {
    const spends = await spendsInWindow(db, start, asOf);
    return { start, customers: spends.ids.length, moves: tierMoves(spends, ladder) };
  }
  const write = beginWrite(db, 'tier apply');
  try {
    const spends = await spendsInWindow(db, start, asOf, { unwritten: true });
    const moves = tierMoves(spends, ladder);
    // The ladder a first apply used is kept, so the levels' names stay what they were.
    if (!saved) writeLadderJson(db, ladderToJson(ladder));
    applyTierMoves(db, moves, asOf, ladder.months, ctx.nowIso());
    write.commit();
    return { start, customers: spends.ids.length, moves };
  } catch (e) {
    write.rollback();
    throw e;
  }
}

/** A level move in words: why a customer went up or down; `level` names a level for people (levelNamer). */
export function describeChange(ctx: Context, currency: string, c: Pick<TierChangeRow, 'from' | 'to' | 'direction' | 'spend' | 'months' | 'threshold'>, level: (name: string) => string): string {
  const money = (m: number) => displayAmount(m, currency, ctx.lang);
  const none = ctx.t('tier.none');
  return ctx.t(c.direction === 'down' ? 'tier.reasonDown' : 'tier.reasonUp', {
    from: c.from === null ? none : level(c.from),
    to: c.to === null ? none : level(c.to),
    months: c.months,
    spend: money(c.spend),
    threshold: money(c.threshold),
  });
}
