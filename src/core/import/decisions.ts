// Importing spreadsheets, the decisions: what happens when a row's customer (or order) already
// exists, by --on-conflict mode, and which customer an order row belongs to.
import { badInput } from '../../errors.js';
import { parseCustomerInput, type CustomerFields } from '../customer.js';
import { fieldsOf, hasField, setField } from '../fields.js';
import type { CustomerKey, ImportedOrder } from './order-rows.js';
import { RowError, type ImportedCustomer } from './rows.js';

// ---- Conflicts -------------------------------------------------------------------------------

export const CONFLICT_MODES = ['skip', 'update', 'merge', 'new'] as const;
export type ConflictMode = (typeof CONFLICT_MODES)[number];

export function parseConflictMode(raw: string): ConflictMode {
  const m = raw.trim().toLowerCase();
  if (!(CONFLICT_MODES as readonly string[]).includes(m)) throw badInput('err.import.onConflict', { value: raw, allowed: CONFLICT_MODES.join('|') });
  return m as ConflictMode;
}

const SCALARS = ['email', 'gender', 'birthday', 'city', 'address', 'externalId', 'note'] as const;

export interface Combined {
  fields: CustomerFields;
  changed: boolean;
  /** Fields whose value in the file differed from the stored one, which was kept (update). */
  kept: string[];
}

/**
 * What an existing customer becomes when a row of the file names them.
 * update: empty fields are filled; phones, tags and custom fields the record lacks are added;
 *   a value that differs from a stored one never replaces it (it is reported as kept).
 * merge: the file's non-empty values replace the stored ones; phones and tags are added to them.
 */
export function combine(mode: 'update' | 'merge', existing: CustomerFields, incoming: CustomerFields): Combined {
  const next: CustomerFields = { ...existing, phones: [...existing.phones], tags: [...existing.tags], fields: fieldsOf(existing.fields) };
  const kept: string[] = [];
  for (const k of SCALARS) {
    const [was, now] = [existing[k], incoming[k]];
    if (now === null || now === was) continue;
    if (was === null || mode === 'merge') {
      (next as unknown as Record<string, unknown>)[k] = now;
      if (k === 'email') next.emailRaw = incoming.emailRaw;
      if (k === 'birthday') next.birthdayLunar = incoming.birthdayLunar;
    } else kept.push(k);
  }
  if (mode === 'merge' && incoming.name !== existing.name) [next.name, next.nameRaw] = [incoming.name, incoming.nameRaw];
  else if (incoming.name !== existing.name) kept.push('name');
  const phones = mode === 'merge' ? [...incoming.phones, ...existing.phones] : [...existing.phones, ...incoming.phones];
  const seen = new Set<string>();
  next.phones = phones.filter((p) => (seen.has(p.e164) ? false : (seen.add(p.e164), true)));
  const tagKeys = new Set(existing.tags.map((t) => t.toLowerCase()));
  for (const t of incoming.tags) if (!tagKeys.has(t.toLowerCase())) (next.tags.push(t), tagKeys.add(t.toLowerCase()));
  for (const [k, v] of Object.entries(incoming.fields)) {
    if (!hasField(existing.fields, k)) setField(next.fields, k, v);
    else if (existing.fields[k] !== v) {
      if (mode === 'merge') setField(next.fields, k, v);
      else kept.push(k);
    }
  }
  if (incoming.doNotContact && !existing.doNotContact) next.doNotContact = true; // a refusal is never dropped
  if (incoming.marketingOptOut && !existing.marketingOptOut) next.marketingOptOut = true;
  if (incoming.birthdayLeap && next.birthday === incoming.birthday && next.birthdayLunar) next.birthdayLeap = true;
  return { fields: next, changed: JSON.stringify(next) !== JSON.stringify(existing), kept };
}

/** Two records say the same thing (a row without phone, email or member number, imported again). */
export function sameRecord(a: CustomerFields, b: CustomerFields): boolean {
  const norm = (c: CustomerFields) =>
    JSON.stringify([c.name, c.phones.map((p) => p.e164), c.email, c.gender, c.birthday, c.birthdayLunar, c.city, c.address, c.externalId, c.note, [...c.tags].sort(), c.fields, c.doNotContact, c.marketingOptOut ?? false, c.birthdayLeap ?? false]);
  return norm(a) === norm(b);
}

// ---- Decisions -------------------------------------------------------------------------------

/** What the store can tell the import about existing customers (ids found by each key). */
export interface CustomerLookups {
  byExternalId(value: string): number[];
  byPhone(e164: string): number[];
  byEmail(email: string): number[];
  /** Customers with this name and no member number, phone or email. */
  keylessByName(name: string): number[];
  exists(id: number): boolean;
  load(id: number): CustomerFields | null;
}

export type CustomerDecision =
  | { action: 'insert'; row: ImportedCustomer; id: number | null }
  | { action: 'update'; id: number; fields: CustomerFields; kept: string[] }
  | { action: 'unchanged'; id: number; kept: string[] }
  | { action: 'skip'; id: number }
  | { action: 'reject'; error: RowError };

/** A row without a name that finds nobody: a contact kept without a name (shown by its phone or email until named). */
function unnamedIfNameless(row: ImportedCustomer): ImportedCustomer {
  return row.nameless ? { ...row, fields: { ...row.fields, name: '', nameRaw: null } } : row;
}

const nameKeyOf = (name: string) => name.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');

/**
 * Whether a row's customer already exists, and what to do about it. The same customer is the one
 * with the row's member number, phone or email (several different ones: the row is refused, for
 * dedupe to settle); failing those, crm's own id with the same name (crm's export read back), or a
 * stored record saying exactly what the row says (a file without contact details imported again).
 */
export function decideCustomer(row: ImportedCustomer, mode: ConflictMode, look: CustomerLookups): CustomerDecision {
  const f = row.fields;
  const freeId = row.id !== null && !look.exists(row.id) ? row.id : null;
  if (mode === 'new') return { action: 'insert', row: unnamedIfNameless(row), id: freeId };
  const found = new Map<number, string>();
  const note = (ids: number[], why: string) => ids.forEach((id) => found.has(id) || found.set(id, why));
  if (f.externalId) note(look.byExternalId(f.externalId), 'external_id');
  for (const p of f.phones) note(look.byPhone(p.e164), 'phone');
  if (f.email) note(look.byEmail(f.email), 'email');
  if (found.size > 1) {
    const list = [...found].map(([id, why]) => `#${id} (${why})`).join(', ');
    return { action: 'reject', error: new RowError(null, 'err.import.severalMatch', { list }) };
  }
  let id: number | null = found.size === 1 ? [...found.keys()][0]! : null;
  let existing = id === null ? null : look.load(id);
  if (!existing && row.id !== null && look.exists(row.id)) {
    const same = look.load(row.id);
    if (same && nameKeyOf(same.name) === nameKeyOf(f.name)) [id, existing] = [row.id, same];
  }
  // A row with a member number, phone or email that nobody has is new; only a row without any of
  // them can be a stored record seen again.
  const keyless = !f.externalId && f.phones.length === 0 && !f.email;
  if (!existing && keyless) {
    for (const candidate of look.keylessByName(f.name)) {
      const c = look.load(candidate);
      if (c && sameRecord(c, f)) {
        [id, existing] = [candidate, c];
        break;
      }
    }
  }
  if (!existing || id === null) return { action: 'insert', row: unnamedIfNameless(row), id: freeId };
  if (mode === 'skip') return { action: 'skip', id };
  // Families share a phone: a row with another name is another person, not an update of this one.
  if (!row.nameless && found.size === 1 && nameKeyOf(existing.name) !== nameKeyOf(f.name)) {
    return { action: 'reject', error: new RowError(null, 'err.import.otherName', { id, name: existing.name, key: found.get(id) ?? '' }) };
  }
  const combined = combine(mode, existing, row.nameless ? { ...f, name: existing.name, nameRaw: existing.nameRaw } : f);
  return combined.changed ? { action: 'update', id, fields: combined.fields, kept: combined.kept } : { action: 'unchanged', id, kept: combined.kept };
}

export interface OrderLookups {
  customerById(id: number): boolean;
  customersByExternalId(value: string): number[];
  customersByPhone(e164: string): number[];
  customersByEmail(email: string): number[];
  customersByName(name: string): number[];
  orderByNumber(orderNo: string): { customerId: number; amount: number; refunded: number; orderedAt: string } | null;
}

export type OrderDecision =
  | { action: 'insert'; customerId: number }
  | { action: 'insertWithCustomer'; customer: CustomerFields }
  | { action: 'unchanged' }
  | { action: 'reject'; error: RowError };

/**
 * Which customer an order belongs to (by crm id, member number, phone or email; keys that name
 * different customers refuse the row) and whether it is already recorded (the same order number;
 * the same number with other values, or with more refunded than crm has, refuses the row).
 */
export function decideOrder(o: ImportedOrder, createCustomers: boolean, look: OrderLookups): OrderDecision {
  const c = o.customer;
  const match = matchCustomer(c, look);
  if ('error' in match) return { action: 'reject', error: match.error };
  const { customerId } = match;
  if (o.orderNo) {
    const known = look.orderByNumber(o.orderNo);
    if (known) {
      // The same order paid the same; refunds recorded since (in crm) stay, one the file has beyond them is told.
      const same = (customerId === null || known.customerId === customerId) && known.amount + known.refunded === o.amount + o.refunded && known.orderedAt === o.at;
      if (!same) return { action: 'reject', error: new RowError(null, 'err.import.orderNoTaken', { id: o.orderNo }) };
      if (o.refunded > known.refunded) return { action: 'reject', error: new RowError(null, 'err.import.orderRefundedSince', { id: o.orderNo }) };
      return { action: 'unchanged' };
    }
  }
  if (customerId !== null) return { action: 'insert', customerId };
  if (!createCustomers) return { action: 'reject', error: new RowError(null, 'err.import.unknownCustomer', { ref: customerKeyText(c) }) };
  if (!c.name && !c.phone && !c.email && !c.externalId) return { action: 'reject', error: new RowError(null, 'err.import.nothingToKeep') };
  // The phone and email are normalized already; the name, member number and address are read here.
  // Without a name, the buyer is a contact shown by their phone or email until named.
  const customer = parseCustomerInput({ name: c.name ?? '?', externalId: c.externalId ?? undefined, address: c.address ?? undefined }, { country: '' });
  if (!c.name) [customer.name, customer.nameRaw] = ['', null];
  return { action: 'insertWithCustomer', customer: { ...customer, phones: c.phone ? [{ e164: c.phone, raw: null }] : [], email: c.email } };
}

/** How a row named its customer, for a message (the member number, phone, email, #id or name). */
export function customerKeyText(c: CustomerKey): string {
  return c.externalId ?? c.phone ?? c.email ?? (c.id !== null ? `#${c.id}` : c.name) ?? '';
}

/** The one key a row names its customer by, when it gives exactly one of member number, phone and email. */
function onlyKey(c: CustomerKey): ['external_id' | 'phone' | 'email', string] | null {
  if (c.externalId) return c.phone || c.email ? null : ['external_id', c.externalId];
  if (c.phone) return c.email ? null : ['phone', c.phone];
  return c.email ? ['email', c.email] : null;
}

/**
 * The customer a row names (by crm id, member number, phone or email; by name only when the row
 * gives nothing else and exactly one customer has it), null when none matches, or an error when a
 * key belongs to several customers or the keys name different ones.
 */
export function matchCustomer(c: CustomerKey, look: Pick<OrderLookups, 'customerById' | 'customersByExternalId' | 'customersByPhone' | 'customersByEmail' | 'customersByName'>): { customerId: number | null } | { error: RowError } {
  // A row that names its customer by one key (a till's phone column): as below, in fewer steps.
  const only = c.id === null ? onlyKey(c) : null;
  if (only) {
    const ids = only[0] === 'phone' ? look.customersByPhone(only[1]) : only[0] === 'email' ? look.customersByEmail(only[1]) : look.customersByExternalId(only[1]);
    if (ids.length <= 1) return { customerId: ids[0] ?? null };
  }
  const tries: [string, number[]][] = [];
  if (c.id !== null) tries.push(['customer_id', look.customerById(c.id) ? [c.id] : []]);
  if (c.externalId) tries.push(['external_id', look.customersByExternalId(c.externalId)]);
  if (c.phone) tries.push(['phone', look.customersByPhone(c.phone)]);
  if (c.email) tries.push(['email', look.customersByEmail(c.email)]);
  // A row that names its customer only by name: that name, if exactly one customer has it.
  if (tries.length === 0 && c.name) tries.push(['name', look.customersByName(c.name)]);
  const hits = tries.filter(([, ids]) => ids.length > 0);
  for (const [why, ids] of hits) {
    if (ids.length > 1) return { error: new RowError(null, 'err.import.ambiguousCustomer', { key: why, list: ids.map((i) => `#${i}`).join(', ') }) };
  }
  const ids = new Set(hits.map(([, ids]) => ids[0]!));
  if (ids.size > 1) {
    const list = hits.map(([why, ids]) => `#${ids[0]} (${why})`).join(', ');
    return { error: new RowError(null, 'err.import.severalMatch', { list }) };
  }
  return { customerId: ids.size === 1 ? [...ids][0]! : null };
}

/**
 * Orders without a number, seen again: each stored order with exactly the same customer, time,
 * amount and note answers one such row, so importing a file twice adds nothing, while two equal
 * rows in one file are two orders.
 */
export class RepeatedOrders {
  private left = new Map<string, number>();

  isRepeat(key: string, storedBefore: () => number): boolean {
    let n = this.left.get(key);
    if (n === undefined) n = storedBefore();
    if (n > 0) {
      this.left.set(key, n - 1);
      return true;
    }
    this.left.set(key, 0);
    return false;
  }
}
