// All SQL about coupons: the shop's secret their codes are made with, issuing (the next serial
// number, inside the caller's transaction when there is one), finding one by its code, listings
// by customer and status, and redeeming one with an order.
import { randomBytes } from 'node:crypto';
import { codeFor, type Coupon, type CouponSpec, type CouponStatus } from '../core/coupon.js';
import { stmt, transaction, type Db } from './db.js';

/** The settings entry holding the secret: not a SETTING_KEYS key, so `crm config` never shows it. */
const SECRET_KEY = 'coupon_secret';

export interface CouponRow extends Coupon {
  /** The customer's name; null for a coupon anyone may use. */
  customerName: string | null;
}

const SELECT = `SELECT k.code, k.serial, k.customer_id AS customerId, k.occurrence_id AS occurrenceId, k.rule, k.kind, k.value,
  k.min_spend AS minSpend, k.expires_on AS expiresOn, k.issued_at AS issuedAt, k.redeemed_at AS redeemedAt, k.order_id AS orderId,
  c.name AS customerName
  FROM coupons k LEFT JOIN customers c ON c.id = k.customer_id`;

/**
 * The shop's coupon secret: 32 random bytes made the first time a coupon is issued and kept in the
 * settings table (two crm making it at once keep the first one written). Never printed.
 */
export function couponSecret(db: Db): Buffer {
  stmt(db, 'INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(SECRET_KEY, randomBytes(32).toString('hex'));
  return Buffer.from(stmt(db, 'SELECT value FROM settings WHERE key = ?').pluck().get(SECRET_KEY) as string, 'hex');
}

export interface NewCoupon extends CouponSpec {
  customerId: number | null;
  occurrenceId?: number | null;
  rule?: string | null;
  /** The last day it can be used (shop-local YYYY-MM-DD). */
  expiresOn: string;
  /** UTC instant, ISO 8601. */
  issuedAt: string;
}

/**
 * Issues a coupon: the next serial number (one above the highest) and its code. Inside the caller's
 * write transaction (the reminder engine's) it is part of it; alone, it is a transaction of its own.
 */
export function issueCoupon(db: Db, c: NewCoupon): Coupon {
  return transaction(db, (): Coupon => {
    const serial = (stmt(db, 'SELECT coalesce(max(serial), 0) + 1 FROM coupons').pluck().get() as number);
    const coupon: Coupon = {
      code: codeFor(couponSecret(db), serial),
      serial,
      customerId: c.customerId,
      occurrenceId: c.occurrenceId ?? null,
      rule: c.rule ?? null,
      kind: c.kind,
      value: c.value,
      minSpend: c.minSpend,
      expiresOn: c.expiresOn,
      issuedAt: c.issuedAt,
      redeemedAt: null,
      orderId: null,
    };
    stmt(
      db,
      `INSERT INTO coupons (code, serial, customer_id, occurrence_id, rule, kind, value, min_spend, expires_on, issued_at)
       VALUES (@code, @serial, @customerId, @occurrenceId, @rule, @kind, @value, @minSpend, @expiresOn, @issuedAt)`,
    ).run(coupon);
    return coupon;
  });
}

/** The coupon with this code (as normalizeCode returns it), or null: never issued, or its customer removed. */
export function couponByCode(db: Db, code: string): CouponRow | null {
  return (stmt(db, `${SELECT} WHERE k.code = ?`).get(code) as CouponRow | undefined) ?? null;
}

export interface CouponFilter {
  customerId?: number;
  status?: CouponStatus;
  /** Today in the shop's zone: coupons whose last day is before it are expired. */
  today: string;
  limit?: number | null;
}

/** Coupons, newest first. */
export function listCoupons(db: Db, f: CouponFilter): CouponRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.customerId !== undefined) (where.push('k.customer_id = ?'), params.push(f.customerId));
  if (f.status === 'redeemed') where.push('k.redeemed_at IS NOT NULL');
  else if (f.status) (where.push(`k.redeemed_at IS NULL AND k.expires_on ${f.status === 'expired' ? '<' : '>='} ?`), params.push(f.today));
  const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY k.issued_at DESC, k.serial DESC LIMIT ?`;
  return db.prepare(sql).all(...params, f.limit ?? -1) as CouponRow[];
}

/**
 * Marks a coupon used with an order at an instant (the order's time); false if it was used
 * already (the check is core/coupon.ts checkRedeem; this only never redeems a coupon twice).
 */
export function redeemCoupon(db: Db, code: string, orderId: number, at: string): boolean {
  return stmt(db, 'UPDATE coupons SET redeemed_at = ?, order_id = ? WHERE code = ? AND redeemed_at IS NULL').run(at, orderId, code).changes > 0;
}
