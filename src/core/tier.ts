// Member tiers and ABC classes. Tiers: a ladder of levels, each reached by a minimum spend over a
// rolling window of calendar months (default: the last 12 months); `crm tier apply` moves every
// customer to the level their spend reaches, up or down. ABC (Pareto): A the customers who make the
// top 80% of revenue, B the next 15%, C the rest. Pure: the store hands in the spends.
import { badInput } from '../errors.js';
import { parseAmount } from './money.js';

export interface TierRule {
  name: string;
  /** The least spend over the window that reaches this level, minor units. */
  minSpend: number;
}

export interface TierLadder {
  /** Lowest level first. */
  rules: TierRule[];
  /** The window: spend in the last this many calendar months counts. */
  months: number;
  /** The levels carry the default names (Regular, Silver… or 普通, 银卡…): shown in the interface language. */
  defaultNames?: boolean;
}

/** The default levels, in major units of the shop's currency (¥1,000 / ¥5,000 / ¥20,000 a year). */
const DEFAULT_LEVELS: { en: string; zh: string; min: number }[] = [
  { en: 'Regular', zh: '普通', min: 0 },
  { en: 'Silver', zh: '银卡', min: 1_000 },
  { en: 'Gold', zh: '金卡', min: 5_000 },
  { en: 'Diamond', zh: '钻石', min: 20_000 },
];

export function defaultLadder(lang: 'en' | 'zh', digits: number): TierLadder {
  return { rules: DEFAULT_LEVELS.map((l) => ({ name: l[lang], minSpend: l.min * 10 ** digits })), months: 12, defaultNames: true };
}

/**
 * A level's name for people: on a ladder with the default names, in the interface language (银卡
 * for Silver, whichever language the first apply saved); names the owner chose stay as written.
 * CSV and JSON keep the stored name.
 */
export function levelLabel(name: string, ladder: TierLadder, lang: 'en' | 'zh'): string {
  const level = ladder.defaultNames ? DEFAULT_LEVELS.find((l) => l.en === name || l.zh === name) : undefined;
  return level ? level[lang] : name;
}

/** A ladder saved before it said whether its names are the defaults: they are when they are the four, in one language. */
function hasDefaultNames(rules: TierRule[]): boolean {
  return (['en', 'zh'] as const).some((lang) => rules.length === DEFAULT_LEVELS.length && rules.every((r, i) => r.name === DEFAULT_LEVELS[i]![lang]));
}

/**
 * The level a name typed means: a level of the ladder (any case), or a default level named in the
 * other language (Gold finds 金卡 when the ladder has the default Chinese names); else the name as typed.
 */
export function resolveLevelName(raw: string, ladder: TierLadder): string {
  const want = raw.normalize('NFKC').trim();
  const own = ladder.rules.find((r) => r.name.toLowerCase() === want.toLowerCase());
  if (own) return own.name;
  const level = DEFAULT_LEVELS.find((l) => l.en.toLowerCase() === want.toLowerCase() || l.zh === want);
  const counterpart = level && ladder.rules.find((r) => r.name === level.en || r.name === level.zh);
  return counterpart?.name ?? want;
}

/** One level as typed: 金卡=5000, Gold=¥5,000 (the amount as any amount is typed). */
export function parseTierRule(raw: string, currency: string): TierRule {
  const at = raw.lastIndexOf('=');
  const name = raw.slice(0, Math.max(0, at)).normalize('NFKC').trim();
  if (at < 0 || name === '') throw badInput('err.tier.rule', { value: raw });
  return { name, minSpend: parseAmount(raw.slice(at + 1), currency) };
}

/** A ladder as the owner wrote it, checked: at least one level, names and thresholds distinct; sorted lowest first. */
export function checkLadder(rules: TierRule[], months: number): TierLadder {
  if (rules.length === 0) throw badInput('err.tier.empty');
  if (!Number.isInteger(months) || months < 1 || months > 120) throw badInput('err.tier.months', { value: months });
  const sorted = [...rules].sort((a, b) => a.minSpend - b.minSpend);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.minSpend === sorted[i - 1]!.minSpend) throw badInput('err.tier.sameThreshold', { a: sorted[i - 1]!.name, b: sorted[i]!.name });
  }
  const seen = new Set<string>();
  for (const r of sorted) {
    const key = r.name.toLowerCase();
    if (seen.has(key)) throw badInput('err.tier.sameName', { name: r.name });
    seen.add(key);
  }
  return { rules: sorted, months };
}

/** The ladder as stored in the settings table, and back (a stored value that does not check is ignored). */
export function ladderToJson(l: TierLadder): string {
  return JSON.stringify({ months: l.months, rules: l.rules.map((r) => ({ name: r.name, min: r.minSpend })), defaults: l.defaultNames ?? false });
}

export function ladderFromJson(raw: string | undefined): TierLadder | null {
  if (raw === undefined) return null;
  try {
    const v = JSON.parse(raw) as { months: number; rules: { name: string; min: number }[]; defaults?: boolean };
    if (!Array.isArray(v.rules) || !v.rules.every((r) => typeof r.name === 'string' && Number.isSafeInteger(r.min) && r.min >= 0)) return null;
    const ladder = checkLadder(
      v.rules.map((r) => ({ name: r.name, minSpend: r.min })),
      v.months,
    );
    return { ...ladder, defaultNames: typeof v.defaults === 'boolean' ? v.defaults : hasDefaultNames(ladder.rules) };
  } catch {
    return null;
  }
}

/** The level a spend reaches: the highest whose threshold it meets; null below the lowest. */
export function tierFor(spend: number, ladder: TierLadder): TierRule | null {
  let found: TierRule | null = null;
  for (const r of ladder.rules) if (spend >= r.minSpend) found = r;
  return found;
}

export type TierDirection = 'up' | 'down' | 'set';

export interface TierMove {
  id: number;
  from: string | null;
  to: string | null;
  /** Spend over the window, minor units. */
  spend: number;
  direction: TierDirection;
  /**
   * The threshold behind the move: the new level's minimum for an upgrade (or a first level), the
   * old level's minimum for a downgrade (the spend fell below it), the lowest level's for a move
   * from a level the ladder no longer has to none.
   */
  threshold: number;
}

/**
 * Who moves: every customer whose level differs from the one their spend reaches. A move between
 * two levels of the ladder is up or down; from no level, or from a name the ladder does not have
 * (a level from an earlier ladder), to a level it is "set", and to no level "down".
 */
export function tierMoves(customers: { ids: ArrayLike<number>; tiers: readonly (string | null)[]; spends: ArrayLike<number> }, ladder: TierLadder): TierMove[] {
  const rank = new Map(ladder.rules.map((r, i) => [r.name, i]));
  const moves: TierMove[] = [];
  for (let i = 0; i < customers.ids.length; i++) {
    const [tier, spend] = [customers.tiers[i] ?? null, customers.spends[i]!];
    const target = tierFor(spend, ladder);
    const to = target?.name ?? null;
    if (to === tier) continue;
    const fromRank = tier === null ? undefined : rank.get(tier);
    const toRank = target ? rank.get(target.name)! : -1;
    let direction: TierDirection = 'set';
    if (fromRank !== undefined) direction = toRank > fromRank ? 'up' : 'down';
    else if (to === null) direction = 'down'; // from a level the ladder no longer has to none: below its lowest
    const threshold = direction === 'down' ? (fromRank === undefined ? ladder.rules[0]!.minSpend : ladder.rules[fromRank]!.minSpend) : target!.minSpend;
    moves.push({ id: customers.ids[i]!, from: tier, to, spend, direction, threshold });
  }
  return moves;
}

// ---- ABC ----------------------------------------------------------------------------------------

export const ABC_CLASSES = ['A', 'B', 'C'] as const;
export type AbcClass = (typeof ABC_CLASSES)[number];

export interface AbcShares {
  /** Share of revenue the A customers make, 0-1 (default 0.8). */
  a: number;
  /** Share the B customers make after them (default 0.15). */
  b: number;
}

export const DEFAULT_ABC: AbcShares = { a: 0.8, b: 0.15 };

/**
 * ABC classes by spend, 0 = A, 1 = B, 2 = C. Customers are taken from the biggest spender down; a
 * customer is A while the revenue of those before them is under a × total (so the customer who
 * crosses 80% is still A), then B while it is under (a + b) × total, then C. Equal spends always
 * share a class (the higher one), and a customer without spend is always C.
 */
export function abcClasses(spends: ArrayLike<number>, shares: AbcShares): Uint8Array {
  const n = spends.length;
  const out = new Uint8Array(n).fill(2);
  const sorted = Float64Array.from(spends).sort().reverse();
  let total = 0;
  for (let i = 0; i < n; i++) total += sorted[i]!;
  if (total <= 0) return out;
  // The smallest spend that is still A, and the smallest still B.
  // Shares rounded to a millionth, so 0.8 + 0.15 is 0.95 and not 0.9500000000000001.
  const limitA = (Math.round(shares.a * 1e6) / 1e6) * total;
  const limitB = (Math.round((shares.a + shares.b) * 1e6) / 1e6) * total;
  let before = 0;
  let minA = Infinity;
  let minB = Infinity;
  for (let i = 0; i < n && sorted[i]! > 0; i++) {
    if (before < limitA) minA = sorted[i]!;
    else if (before < limitB) minB = sorted[i]!;
    else break;
    before += sorted[i]!;
  }
  for (let i = 0; i < n; i++) {
    const s = spends[i]!;
    if (s <= 0) continue;
    out[i] = s >= minA ? 0 : s >= minB ? 1 : 2;
  }
  return out;
}

export interface AbcSummary {
  cls: AbcClass;
  customers: number;
  /** Share of all customers counted. */
  share: number;
  revenue: number;
  revenueShare: number;
  /** The least spend in the class (minor units); null for an empty class. */
  minSpend: number | null;
}

export function summarizeAbc(spends: ArrayLike<number>, classes: Uint8Array): AbcSummary[] {
  const rows = ABC_CLASSES.map((cls) => ({ cls, customers: 0, share: 0, revenue: 0, revenueShare: 0, minSpend: null as number | null }));
  let total = 0;
  for (let i = 0; i < spends.length; i++) {
    const row = rows[classes[i]!]!;
    const s = spends[i]!;
    row.customers++;
    row.revenue += s;
    row.minSpend = row.minSpend === null ? s : Math.min(row.minSpend, s);
    total += s;
  }
  for (const row of rows) {
    row.share = spends.length > 0 ? row.customers / spends.length : 0;
    row.revenueShare = total > 0 ? row.revenue / total : 0;
  }
  return rows;
}

/** A share as typed, in percent (80, 80%, 0.8 is read as 0.8%): 0-100 -> 0-1. */
export function parsePercent(raw: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(raw);
  if (!m) return null;
  const v = Number(m[1]);
  return v >= 0 && v <= 100 ? v / 100 : null;
}
