// Reads that two threads share on a large book (src/store/split-read.ts): every command that reads
// all orders prints the same with the split as without it. CRM_SPLIT_READS_FROM=1 splits from the
// first order; --debug shows that each did split.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crm, ROOT, tempDb } from '../helpers/crm.js';

const split = { CRM_SPLIT_READS_FROM: '1' };
let db = '';

beforeAll(() => {
  db = tempDb();
  expect(crm(['demo', '--customers', '1500', '--seed', '5'], { db }).code).toBe(0);
  // Replenishment and win-back read every customer's purchase days; on since a month ago.
  for (const rule of ['replenish', 'winback']) expect(crm(['remind', 'rules', rule, '--on'], { db, env: { CRM_NOW: '2026-10-20T10:00:00+08:00' } }).code).toBe(0);
}, 60_000);

describe('a read split in two threads', () => {
  it.each([
    [['rfm', '--format', 'json'], 'rfmRange', '"segment": "champions"'],
    [['stats', '--format', 'json'], 'purchaseHistoriesIn', '"metric": "stage:atRisk"'],
    [['stats', '--period', 'year', '--as-of', '2026-06-30', '--format', 'json'], 'spanSumsIn', '"metric": "revenue"'],
    [['clv', '--format', 'csv'], 'purchaseSummaryIn', 'p_alive'],
    [['tier', 'apply', '--dry-run', '--format', 'csv'], 'spendsInWindowIn', ',set,'],
    [['tier', 'abc', '--format', 'json'], 'spendsInWindowIn', '"class": "A"'],
    [['customer', 'list', '--stage', 'at-risk', '--format', 'csv'], 'purchaseHistoriesIn', '\n'],
    [['remind', 'due', '--until', '14d', '--format', 'csv'], 'purchaseHistoriesIn', ',replenish,'],
  ])('crm %s prints what one pass prints', (args, read, shows) => {
    const one = crm(args, { db });
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout.split('\n').length).toBeGreaterThan(5);
    expect(one.stdout).toContain(shows);
    const two = crm(['--debug', ...args], { db, env: split });
    expect(two.code, two.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toContain(`debug: ${read} in two threads`);
    expect(two.stderr.replace(/^debug: .*\n/gm, '')).toBe(one.stderr);
  });

  it('a half that fails is the one error reported (exit 1), and tier apply writes nothing', () => {
    const failing = { ...split, NODE_OPTIONS: `--require ${path.join(ROOT, 'tests/helpers/fail-lower-half.cjs')}` };
    const before = crm(['tier', 'history', '--format', 'csv'], { db }).stdout;
    for (const args of [['tier', 'abc'], ['tier', 'apply'], ['stats']]) {
      const r = crm(args, { db, env: failing });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('crm: unexpected error: database disk image is malformed\nrun again with --debug for details\n');
    }
    expect(crm(['tier', 'history', '--format', 'csv'], { db }).stdout).toBe(before);
    expect(fs.existsSync(`${db}.writing`)).toBe(false);
  });

  it('tier apply records the same moves, under one write lock', () => {
    const copy = tempDb();
    for (const ext of ['', '-wal']) if (fs.existsSync(db + ext)) fs.copyFileSync(db + ext, copy + ext);
    const one = crm(['tier', 'apply', '--format', 'csv'], { db });
    const two = crm(['--debug', 'tier', 'apply', '--format', 'csv'], { db: copy, env: split });
    expect(two.code, two.stderr).toBe(0);
    expect(two.stderr).toContain('debug: spendsInWindowIn in two threads');
    expect(two.stdout).toBe(one.stdout);
    const history = (file: string) => crm(['tier', 'history', '--format', 'csv'], { db: file }).stdout;
    expect(history(copy)).toBe(history(db));
    expect(history(db).split('\n').length).toBeGreaterThan(100);
  });
});
