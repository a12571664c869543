// The complaint store with a customer merge: a merged record's complaints (and their timeline) move
// to the kept record, and undo gives them back.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startClocks, deadlines, DEFAULT_SLA } from '../../src/core/complaint.js';
import { parseCustomerInput } from '../../src/core/customer.js';
import { mergedFields } from '../../src/core/merge.js';
import { addEvent, complaintEvents, getComplaint, insertComplaint, listComplaints } from '../../src/store/complaint.js';
import { getCustomers, insertCustomer } from '../../src/store/customer.js';
import { openDatabase } from '../../src/store/db.js';
import { getMerge, mergeCustomers, undoMerge } from '../../src/store/dedupe.js';
import { tempDir } from '../helpers/crm.js';

const NOW = '2026-11-22T02:00:00.000Z';
const allHours = { add: (d: Date, m: number) => new Date(d.getTime() + m * 60_000), between: (a: Date, b: Date) => (b.getTime() - a.getTime()) / 60_000 };

describe('the complaint store', () => {
  it('moves complaints with a merge, keeps the overdue look-up, and undo puts them back', () => {
    const db = openDatabase(path.join(tempDir(), 'store.db'));
    const survivor = insertCustomer(db, parseCustomerInput({ name: '张伟', phones: ['13800138000'] }, { country: 'CN' }), NOW);
    const other = insertCustomer(db, parseCustomerInput({ name: '张伟', phones: ['13900139000'] }, { country: 'CN' }), NOW);
    const clock = startClocks(NOW);
    const id = insertComplaint(db, { customerId: other, orderId: null, channel: 'phone', category: 'delivery', severity: 'urgent', description: '没到', handler: null, at: NOW, clock, deadlines: deadlines(clock, DEFAULT_SLA.urgent, allHours) });
    addEvent(db, id, { at: NOW, kind: 'created', fromStatus: null, toStatus: 'open', by: null, note: null, data: null });
    expect(getComplaint(db, id)!.dueAt).toBe('2026-11-22T04:00:00.000Z');
    expect(listComplaints(db, { dueBy: '2026-11-22T05:00:00.000Z' }).map((k) => k.id)).toEqual([id]);
    const [s, o] = getCustomers(db, [survivor, other]);
    const merge = mergeCustomers(db, survivor, [other], mergedFields(s!, [o!]), 'manual', null, NOW);
    expect(getComplaint(db, id)!.customerId).toBe(survivor);
    expect(complaintEvents(db, id)).toHaveLength(1);
    undoMerge(db, getMerge(db, merge)!, NOW);
    expect(getComplaint(db, id)!.customerId).toBe(other);
  });
});
