// RFM as `crm rfm` (and later cron) works it out: every customer scored as of a day over a window,
// the prospects without orders, and --save keeping them; and a segment as typed on the command line
// (`rfm --segment`, `customer list --segment`). The rules are in src/core/rfm.ts, the SQL in the store.
import type { Context } from '../context.js';
import { CLASSIC_SEGMENTS, CN8_SEGMENTS, scoreRfm, type RfmScores, type Scheme, type Segment } from '../core/rfm.js';
import { badInput } from '../errors.js';
import { translate, type MessageId } from '../messages/index.js';
import { prospectIds, rfmInputs, saveRfm } from '../store/rfm.js';

export const segmentName = (ctx: Context, s: Segment | 'prospect') => ctx.t(`segment.${s}` as MessageId);

/** A segment as typed: its key (champions), or its name in either language (冠军客户, Champions); of one scheme or any. */
export function parseSegment(ctx: Context, raw: string, scheme: Scheme | null): Segment | 'prospect' {
  const all: (Segment | 'prospect')[] = [...(scheme !== 'cn8' ? CLASSIC_SEGMENTS : []), ...(scheme !== 'classic' ? CN8_SEGMENTS : []), 'prospect'];
  const want = raw.trim().toLowerCase();
  const found = all.find((s) => s.toLowerCase() === want || ['en', 'zh'].some((lang) => translate(lang as 'en' | 'zh', `segment.${s}` as MessageId, {}).toLowerCase() === want));
  if (!found) throw badInput('err.rfm.segment', { value: raw, allowed: all.map((s) => `${s} (${segmentName(ctx, s)})`).join(', ') });
  return found;
}

export interface RfmRun {
  scores: RfmScores;
  /** Customers without an order on or before the day. */
  prospects: number[];
}

/** Scores every customer as of `asOf` (orders after `start` count for F and M); `save` keeps them on each customer. */
export async function runRfm(ctx: Context, asOf: string, start: string, scheme: Scheme, save: boolean): Promise<RfmRun> {
  const db = await ctx.db();
  const scores = scoreRfm(await rfmInputs(db, asOf, start), scheme);
  const prospects = prospectIds(db, asOf);
  if (save) saveRfm(db, scores, prospects, asOf);
  return { scores, prospects };
}
