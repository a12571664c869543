// A customer's profile (what `crm customer show` prints, in every format) and the customer filter
// of `customer list` and `export customers` (and later cron): plain data gathered from the store
// and the core; the commands print it.
import type { Context } from '../context.js';
import type { BgnbdParams } from '../core/clv/index.js';
import type { Customer } from '../core/customer.js';
import { sinceWhen } from '../core/duration.js';
import { dayNumber, dayString, purchaseDays } from '../core/lifecycle.js';
import { summarizeOrders, type OrderSummary } from '../core/order.js';
import { normalizeTag } from '../core/text.js';
import { resolveLevelName } from '../core/tier.js';
import { badInput } from '../errors.js';
import { savedClv, type SavedClvRow } from '../store/clv.js';
import { CUSTOMER_SORTS, type CustomerFilter, type CustomerSort } from '../store/customer.js';
import { listInteractions, type InteractionRow } from '../store/interaction.js';
import { listOrders, type OrderRow } from '../store/order.js';
import { savedRfm } from '../store/rfm.js';
import { tierChanges, tierInUse, type TierChangeRow } from '../store/tier.js';
import { customersAtStage, lifecycleOf, stageOption, type CustomerLifecycle } from './lifecycle.js';
import { parseSegment } from './rfm.js';
import { listComplaints, type Complaint } from '../store/complaint.js';
import { listResponses, type ResponseRow } from '../store/survey.js';
import { currentLadder } from './tier.js';

export interface Profile {
  customer: Customer;
  summary: OrderSummary;
  /** Newest first, all of them. */
  orders: OrderRow[];
  /** The latest five, as the profile shows them. */
  recentOrders: OrderRow[];
  /** The latest five. */
  interactions: InteractionRow[];
  /** The latest ten level moves. */
  tierMoves: TierChangeRow[];
  clv: { row: SavedClvRow; terms: Record<string, unknown>; nextIfAlive: string | null } | null;
  rfm: ReturnType<typeof savedRfm>;
  lifecycle: CustomerLifecycle;
  /** Complaints not yet resolved, oldest due first. */
  openComplaints: Complaint[];
  /** The latest satisfaction survey answers, or null. */
  latestSurvey: ResponseRow | null;
}

const PROFILE_ORDERS = 5;

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
    recentOrders: orders.slice(0, PROFILE_ORDERS),
    interactions: listInteractions(db, { customerId: customer.id, limit: 5 }),
    tierMoves: tierChanges(db, { customerId: customer.id, limit: 10 }),
    clv: saved ? { ...saved, nextIfAlive: await modelNextPurchase(saved.terms, days) } : null,
    rfm: savedRfm(db, customer.id),
    lifecycle: await lifecycleOf(ctx, days),
    openComplaints: listComplaints(db, { customerId: customer.id, status: ['open', 'acknowledged', 'in_progress', 'waiting'] }),
    latestSurvey: listResponses(db, { customerId: customer.id, limit: 1 })[0] ?? null,
  };
}

/**
 * The next purchase the saved BG/NBD fit expects if they are still a customer: the save's as-of day
 * plus the expected wait given their purchase days up to it. Null without a fitted save, or when the
 * wait has no finite mean.
 */
export async function modelNextPurchase(terms: Record<string, unknown>, orderDays: string[]): Promise<string | null> {
  const bgnbd = (terms.params as { bgnbd?: BgnbdParams } | null | undefined)?.bgnbd;
  const asOf = typeof terms.asOf === 'string' ? terms.asOf : null;
  const unitDays = terms.unit === 'day' ? 1 : terms.unit === 'week' ? 7 : null;
  if (terms.method !== 'models' || !bgnbd || !asOf || !unitDays) return null;
  // Loaded only here: the models' numerics are not needed for other profiles.
  const { nextPurchaseIfAlive } = await import('../core/clv/index.js');
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
  unnamed?: boolean;
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
    since: o.since ? sinceWhen(o.since, timezone, ctx.now()).at : undefined,
    segment: o.segment === undefined ? undefined : parseSegment(ctx, o.segment, null),
    tier: o.tier === undefined ? undefined : await levelOption(ctx, o.tier),
    abc,
    valueClass: o.valueClass === undefined ? undefined : (await import('./clv.js')).valueClassOption(ctx, o.valueClass),
    ids: atStage?.ids,
    unnamed: o.unnamed,
    sort: o.sort as CustomerSort | undefined,
    limit,
  };
  return { filter, note: atStage?.note };
}

/** --tier: a level of the shop's ladder (either language for the default names) or one a customer has. */
export async function levelOption(ctx: Context, raw: string): Promise<string> {
  const { ladder } = await currentLadder(ctx);
  const level = resolveLevelName(raw, ladder);
  if (ladder.rules.some((r) => r.name === level) || tierInUse(await ctx.db(), level)) return level;
  throw badInput('err.tier.unknownLevel', { value: raw, levels: ladder.rules.map((r) => r.name).join(', ') });
}
