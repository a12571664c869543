// What the tests of crm dedupe share (tests/e2e/dedupe.test.ts, dedupe-model.test.ts): the small
// shop they start from, the moments of its days, its listings read as JSON, and pairwise precision
// and recall against a truth.
import fs from 'node:fs';
import Papa from 'papaparse';
import { expect } from 'vitest';
import { crm, crmJson, NOW, tempDb } from './crm.js';
import { setUp } from './in-process.js';

export type Row = Record<string, unknown>;

// Later moments of the same shop day by day (the clock is fixed by CRM_NOW; NOW is T0).
export const T1 = '2026-11-23T10:00:00+08:00';
export const T2 = '2026-11-24T10:00:00+08:00';
export const T3 = '2026-11-25T10:00:00+08:00';
export const T4 = '2026-11-26T10:00:00+08:00';
export const at = (now: string) => ({ CRM_NOW: now });

/** Runs crm and expects it to succeed. */
export function ok(db: string, args: string[], now = NOW): string {
  const r = crm(args, { db, env: at(now) });
  expect(r.code, `crm ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** A set-up step before what a test checks, run in this process (tests/helpers/in-process.ts). */
export const prepare = (db: string, args: string[], now = NOW) => setUp(args, { db, env: at(now) });

/**
 * The shop every test starts from:
 *  #1 张伟, the most complete record (kept);
 *  #2 張 偉, the same person typed in traditional characters with spaces, the same phone in another form
 *     plus a second phone, another email, a tag, a custom field and a refusal to be contacted;
 *  #3 章伟, the same person typed by pinyin (same birthday, city, address);
 *  #4 李娜, a family member on 张伟's phone (another person);
 *  #5 张伟, another real 张伟 (another phone and birthday).
 * #1 and #2 have an order each, #2 an interaction.
 */
export async function makeShop(): Promise<string> {
  // Set up in this process (src/cli run, what bin/crm.js calls); what the tests check runs the built binary.
  const template = tempDb();
  for (const args of [
    ['customer', 'add', '--name', '张伟', '--phone', '13800138000', '--email', 'zw@qq.com', '--city', '上海', '--birthday', '1985-03-05', '--address', '上海市徐汇区漕溪北路123号', '--tag', 'VIP'],
    ['customer', 'add', '--name', '張 偉', '--phone', '+86 138-0013-8000', '--phone', '13600136000', '--email', 'zhangwei@163.com', '--gender', '男', '--tag', '老客户', '--field', '微信=zw_85', '--do-not-contact', '--allow-duplicate'],
    ['customer', 'add', '--name', '章伟', '--birthday', '1985-03-05', '--city', '上海', '--address', '上海市徐汇区漕溪北路123号'],
    ['customer', 'add', '--name', '李娜', '--phone', '13800138000', '--birthday', '1988-07-01', '--city', '上海', '--allow-duplicate'],
    ['customer', 'add', '--name', '张伟', '--phone', '13900139000', '--birthday', '1990-01-01', '--city', '上海'],
    ['order', 'add', '1', '--amount', '50', '--date', '2026-10-01', '--id', 'SO-1'],
    ['order', 'add', '2', '--amount', '¥1,280.50', '--date', '2026-11-01', '--id', 'SO-2'],
    ['log', '2', '--type', 'call', '--note', '回访：对新品很满意'],
    ]) await setUp(args, { db: template });
  return template;
}

/** A copy of a shop's file at a new path (no process has it open; copied with a WAL if one is left). */
export function copyOf(file: string): string {
  const db = tempDb();
  for (const ext of ['', '-wal']) if (fs.existsSync(file + ext)) fs.copyFileSync(file + ext, db + ext);
  return db;
}

export interface Explained {
  /** Each field's part, as "field level" (the JSON gives field, level and bits). */
  reasons: string[];
  why: string;
}

export interface ClusterJson {
  cluster: number;
  score: number;
  certain: boolean;
  survivor: number;
  ids: number[];
  members?: ({ id: number; name: string; score: number | null } & Explained)[];
  pairs: ({ a: number; b: number; score: number; certain: boolean } & Partial<Explained>)[];
}

/**
 * Why a member is in its cluster, as the JSON listing says: its entry in `members` (or, where the
 * listing gives reasons per pair instead, its strongest pair with the survivor in `pairs`).
 */
export function why(c: ClusterJson, id: number): Explained {
  const member = c.members?.find((m) => m.id === id);
  if (member) return { why: member.why, reasons: (member.reasons as unknown as { field: string; level: string }[]).map((r) => `${r.field} ${r.level}`) };
  const pairs = c.pairs.filter((p) => (p.a === id || p.b === id) && p.reasons).sort((x, y) => y.score - x.score);
  const p = pairs.find((q) => q.a === c.survivor || q.b === c.survivor) ?? pairs[0];
  return { reasons: p?.reasons ?? [], why: p?.why ?? '' };
}

export interface HistoryJson {
  merge: number;
  at: string;
  survivor: number;
  merged: (number | string)[];
  how: string;
  score: number | string | null;
  undone_at: string | null;
}

export const clusters = (db: string, ...flags: string[]) => crmJson<ClusterJson[]>(['dedupe', ...flags], { db });
export const history = (db: string) => crmJson<HistoryJson[]>(['dedupe', 'history'], { db }).map((m) => ({ ...m, merged: m.merged.map(Number) }));
export const show = (db: string, ref: string) => crmJson<{ customer: Row }>(['customer', 'show', ref], { db }).customer;

export function readCsv(text: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
}

/** Every unordered pair of ids inside each group, as "a:b" (a < b). */
export function pairsOf(groups: Iterable<number[]>): Set<string> {
  const out = new Set<string>();
  for (const g of groups) for (let i = 0; i < g.length; i++) for (let j = i + 1; j < g.length; j++) out.add(`${Math.min(g[i]!, g[j]!)}:${Math.max(g[i]!, g[j]!)}`);
  return out;
}

/** Pairwise precision, recall and F1 of the reported clusters against the true groups. */
export function score(found: number[][], truth: Map<number, string>) {
  const groups = new Map<string, number[]>();
  for (const [id, t] of truth) groups.set(t, [...(groups.get(t) ?? []), id]);
  const truePairs = pairsOf(groups.values());
  const foundPairs = pairsOf(found);
  let right = 0;
  const wrong: string[] = [];
  for (const p of foundPairs) if (truePairs.has(p)) right++;
  else wrong.push(p);
  const precision = foundPairs.size ? right / foundPairs.size : 1;
  const recall = truePairs.size ? right / truePairs.size : 1;
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall), found: foundPairs.size, truth: truePairs.size, wrong };
}
