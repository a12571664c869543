// A coupon named by what a person typed, as `crm coupon show` and `crm order add --coupon` read it:
// a typo (a character outside the alphabet, a failed check) is told apart from a code this shop
// never issued, and a coupon is checked against the order it would pay towards.
import { checkRedeem, cleanCode, displayCode, normalizeCode, type Redemption } from '../core/coupon.js';
import { badInput } from '../errors.js';
import { couponByCode, type CouponRow } from '../store/coupon.js';
import type { Db } from '../store/db.js';

/** The coupon a typed code names; bad input for a typo (with a hint) or a code never issued. */
export function couponOfTyped(db: Db, typed: string): CouponRow {
  const code = normalizeCode(typed);
  if (code === null) throw badInput('err.coupon.typo', { code: displayCode(cleanCode(typed)) || typed }, { id: 'hint.coupon.typo' });
  const coupon = couponByCode(db, code);
  if (!coupon) throw badInput('err.coupon.unknown', { code: displayCode(code) });
  return coupon;
}

/** The coupon a typed code names, if it may pay towards this order; else bad input saying why. */
export function usableCoupon(db: Db, typed: string, order: Redemption): CouponRow {
  const coupon = couponOfTyped(db, typed);
  checkRedeem(coupon, order);
  return coupon;
}
