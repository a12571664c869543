// Who an occurrence may go to: consent (do-not-contact, marketing opt-out), an address on the
// channel, a machine that was off too long, and the holdout kept back to measure uplift. Decided
// from plain facts (a customer's contact bits), in this order, so the reason recorded is the first
// that holds. Pure.
import { heldOut } from './schedule.js';

/** Contact facts of a customer, as bits (src/store/remind.ts contactFlags). */
export const FLAG = { doNotContact: 1, noMarketing: 2, phone: 4, email: 8, exists: 16 } as const;

export type Needs = 'phone' | 'email' | null;

export type Decision = { status: 'pending' | 'holdout'; reason: null } | { status: 'skipped'; reason: SkipReason };
export type SkipReason = 'do_not_contact' | 'no_marketing' | 'no_phone' | 'no_email' | 'missed';
export const SKIP_REASONS: readonly SkipReason[] = ['do_not_contact', 'no_marketing', 'no_phone', 'no_email', 'missed'];

export interface Occasion {
  rule: string;
  occasion: string;
  marketing: boolean;
  needs: Needs;
  holdout: number;
  /** Due before the catch-up limit: recorded as missed, not sent. */
  missed: boolean;
}

/** What becomes of one customer's occurrence. */
export function decide(flags: number, o: Occasion, customerId: number): Decision {
  if (flags & FLAG.doNotContact) return { status: 'skipped', reason: 'do_not_contact' };
  if (o.marketing && flags & FLAG.noMarketing) return { status: 'skipped', reason: 'no_marketing' };
  if (o.needs === 'phone' && !(flags & FLAG.phone)) return { status: 'skipped', reason: 'no_phone' };
  if (o.needs === 'email' && !(flags & FLAG.email)) return { status: 'skipped', reason: 'no_email' };
  if (o.missed) return { status: 'skipped', reason: 'missed' };
  if (heldOut(o.rule, customerId, o.holdout)) return { status: 'holdout', reason: null };
  return { status: 'pending', reason: null };
}
