// All SQL of a customer's history (`crm customer history`): everything recorded about one customer,
// from every table that links to them, as one time line.
import { stmt, type Db } from './db.js';

export interface HistoryEvent {
  at: string;
  /** created, order, refund, interaction, tier, message, coupon, coupon_used, complaint, survey */
  kind: string;
  /** The record's own id (order #, interaction #, complaint #, coupon code ...). */
  ref: string;
  /** What happened, in the record's own words (type, amount in minor units, status ...), for the caller to phrase. */
  what: string | null;
  amount: number | null;
  note: string | null;
}

/** Everything about one customer, oldest first. */
export function customerHistory(db: Db, customerId: number): HistoryEvent[] {
  return stmt(db, `
    SELECT created_at AS at, 'created' AS kind, CAST(id AS TEXT) AS ref, NULL AS what, NULL AS amount, note FROM customers WHERE id = @id
    UNION ALL SELECT ordered_at, 'order', CAST(id AS TEXT), external_id, amount + refunded, note FROM orders WHERE customer_id = @id
    UNION ALL SELECT r.at, 'refund', CAST(r.order_id AS TEXT), NULL, r.amount, r.note FROM refunds r JOIN orders o ON o.id = r.order_id WHERE o.customer_id = @id
    UNION ALL SELECT at, 'interaction', CAST(id AS TEXT), type, NULL, note FROM interactions WHERE customer_id = @id
    UNION ALL SELECT at, 'tier', CAST(id AS TEXT), coalesce(from_tier, '') || ' → ' || coalesce(to_tier, ''), spend, direction FROM tier_changes WHERE customer_id = @id
    UNION ALL SELECT coalesce(sent_at, due_at), 'message', delivery_id, rule || ' · ' || status, NULL, coalesce(message, reason, error) FROM occurrences WHERE customer_id = @id
    UNION ALL SELECT issued_at, 'coupon', code, kind, value, rule FROM coupons WHERE customer_id = @id
    UNION ALL SELECT redeemed_at, 'coupon_used', code, NULL, NULL, CAST(order_id AS TEXT) FROM coupons WHERE customer_id = @id AND redeemed_at IS NOT NULL
    UNION ALL SELECT e.at, 'complaint', CAST(k.id AS TEXT), e.kind || CASE WHEN e.to_status IS NOT e.from_status THEN ' → ' || e.to_status ELSE '' END, NULL, e.note FROM complaint_events e JOIN complaints k ON k.id = e.complaint_id WHERE k.customer_id = @id
    UNION ALL SELECT answered_at, 'survey', CAST(id AS TEXT), survey, NULL, source FROM survey_responses WHERE customer_id = @id
    ORDER BY 1, 2`).all({ id: customerId }) as HistoryEvent[];
}
