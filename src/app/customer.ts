// A customer's profile (what `crm customer show` prints, in every format) and the customer filter
// of `customer list` and `export customers` (and later cron): plain data gathered from the store
// and the core; the commands print it.
import type { Context } from '../context.js';
import type { BgnbdParams, ValueClass } from '../core/clv.js';
import type { Customer } from '../core/customer.js';
import { parseSince } from '../core/dates.js';
import { dayNumber, dayString, purchaseDays } from '../core/lifecycle.js';
import { summarizeOrders, type OrderSummary } from '../core/order.js';
import { CLASSIC_SEGMENTS, CN8_SEGMENTS, type Segment } from '../core/rfm.js';
import { normalizeTag } from '../core/text.js';
import { defaultLadder, ladderFromJson, resolveLevelName } from '../core/tiers.js';
import { minorDigits } from '../core/money.js';
import { badInput } from '../errors.js';
import { translate, type MessageId } from '../messages/index.js';
import { savedClv, type SavedClvRow } from '../store/clv.js';
import { CUSTOMER_SORTS, type CustomerFilter, type CustomerSort } from '../store/customers.js';
import { listInteractions, type InteractionRow } from '../store/interactions.js';
import { listOrders, type OrderRow } from '../store/orders.js';
import { savedRfm } from '../store/rfm.js';
import { readLadderJson, tierChanges, tierInUse, type TierChangeRow } from '../store/tiers.js';
import { customersAtStage, lifecycleOf, stageOption, type CustomerLifecycle } from './lifecycle.js';

export interface Profile {
  customer: Customer;
  summary: OrderSummary;
  /** Newest first, all of them (the profile shows the latest five). */
  orders: OrderRow[];
  /** The latest five. */
  interactions: InteractionRow[];
  /** The latest ten level moves. */
  tierMoves: TierChangeRow[];
  clv: { row: SavedClvRow; terms: Record<string, unknown>; nextIfAlive: string | null } | null;
  rfm: ReturnType<typeof savedRfm>;
  lifecycle: CustomerLifecycle;
}

export const PROFILE_ORDERS = 5;

/** Everything a profile shows about one customer. */
export async function customerProfile(ctx: Context, customer: Customer): Promise<Profile> {
  const db = await ctx.db();
  const orders = listOrders(db, { customerId: customer.id });
  const days = orders.map((o) => o.day);
  const saved = savedClv(db, customer.id);
  return {
    customer,
    summary: summarizeOrders(orders),
    orders,
    interactions: listInteractions(db, { customerId: customer.id, limit: 5 }),
    tierMoves: tierChanges(db, { customerId: customer.id, limit: 10 }),
    clv: saved ? { ...saved, nextIfAlive: await modelNextPurchase(saved.terms, days) } : null,
    rfm: savedRfm(db, customer.id),
    lifecycle: await lifecycleOf(ctx, days),
  };
}

/**
 * The next purchase the saved BG/NBD fit expects if they are still a customer: the save's as-of day
 * plus the expected wait given their purchase days up to it. Null without a fitted save, or when the
 * wait has no finite mean.
 */
async function modelNextPurchase(terms: Record<string, unknown>, orderDays: string[]): Promise<string | null> {
  const bgnbd = (terms.params as { bgnbd?: BgnbdParams } | null | undefined)?.bgnbd;
  const asOf = typeof terms.asOf === 'string' ? terms.asOf : null;
  const unitDays = terms.unit === 'day' ? 1 : terms.unit === 'week' ? 7 : null;
  if (terms.method !== 'models' || !bgnbd || !asOf || !unitDays) return null;
  // Loaded only here: the models' numerics are not needed for other profiles.
  const { nextPurchaseIfAlive } = await import('../core/clv.js');
  const next = nextPurchaseIfAlive(bgnbd, purchaseDays(orderDays.filter((d) => d <= asOf)), dayNumber(asOf), unitDays);
  return next === null ? null : dayString(next);
}

/** The filter of `customer list` and `export customers` as typed. */
export interface CustomerFilterInput {
  tag?: string[];
  city?: string;
  since?: string;
  segment?: string;
  tier?: string;
  abc?: string;
  stage?: string;
  valueClass?: string;
  sort?: string;
}

/** Those options as a store filter, and the stage rules used when --stage was given (to print). */
export async function customerFilterOf(ctx: Context, o: CustomerFilterInput, limit: number | null): Promise<{ filter: CustomerFilter; note?: string }> {
  const { timezone } = await ctx.settings();
  if (o.sort !== undefined && !Object.hasOwn(CUSTOMER_SORTS, o.sort)) {
    throw badInput('err.sort', { value: o.sort, allowed: Object.keys(CUSTOMER_SORTS).join('|') });
  }
  const abc = o.abc?.trim().toUpperCase();
  if (abc !== undefined && !['A', 'B', 'C'].includes(abc)) throw badInput('err.tier.abcClass', { value: o.abc ?? '' });
  const atStage = o.stage !== undefined ? await customersAtStage(ctx, stageOption(ctx, o.stage)) : undefined;
  const filter: CustomerFilter = {
    tags: o.tag?.map((t) => normalizeTag(t) ?? t),
    city: o.city,
    since: o.since ? parseSince(o.since, timezone, ctx.now()).at : undefined,
    segment: o.segment === undefined ? undefined : segmentOption(ctx, o.segment),
    tier: o.tier === undefined ? undefined : await levelOption(ctx, o.tier),
    abc,
    valueClass: o.valueClass === undefined ? undefined : await valueClassOption(ctx, o.valueClass),
    ids: atStage?.ids,
    sort: o.sort as CustomerSort | undefined,
    limit,
  };
  return { filter, note: atStage?.note };
}

/** A name in either language, compared as typed (case and, for value classes, separators aside). */
const names = (id: string) => (['en', 'zh'] as const).map((lang) => translate(lang, id as MessageId, {}));

/** --segment: a segment's key (champions) or its name in either language (冠军客户), of any scheme. */
function segmentOption(ctx: Context, raw: string): Segment | 'prospect' {
  const all: (Segment | 'prospect')[] = [...CLASSIC_SEGMENTS, ...CN8_SEGMENTS, 'prospect'];
  const want = raw.trim().toLowerCase();
  const found = all.find((s) => s.toLowerCase() === want || names(`segment.${s}`).some((n) => n.toLowerCase() === want));
  if (!found) throw badInput('err.rfm.segment', { value: raw, allowed: all.map((s) => `${s} (${ctx.t(`segment.${s}` as MessageId)})`).join(', ') });
  return found;
}

/** --value-class: its key (mostValuable, most-valuable) or its name in either language. */
async function valueClassOption(ctx: Context, raw: string): Promise<ValueClass> {
  const { VALUE_CLASSES } = await import('../core/clv.js');
  const fold = (s: string) => s.trim().toLowerCase().replace(/[-_\s]/g, '');
  const want = fold(raw);
  const found = VALUE_CLASSES.find((c) => fold(c) === want || names(`value.${c}`).some((n) => fold(n) === want));
  if (!found) throw badInput('err.clv.valueClass', { value: raw, allowed: VALUE_CLASSES.map((c) => `${c} (${ctx.t(`value.${c}` as MessageId)})`).join(', ') });
  return found;
}

/** --tier: a level of the shop's ladder (either language for the default names) or one a customer has. */
async function levelOption(ctx: Context, raw: string): Promise<string> {
  const db = await ctx.db();
  const { language, currency } = await ctx.settings();
  const ladder = ladderFromJson(readLadderJson(db)) ?? defaultLadder(language, minorDigits(currency));
  const level = resolveLevelName(raw, ladder);
  if (ladder.rules.some((r) => r.name === level) || tierInUse(db, level)) return level;
  throw badInput('err.tier.unknownLevel', { value: raw, levels: ladder.rules.map((r) => r.name).join(', ') });
}
