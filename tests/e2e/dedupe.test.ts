// crm dedupe and crm merge as a shop owner uses them: listing likely duplicates (which changes
// nothing), merging them (by --auto, by hand, at a terminal with --review), undoing merges exactly.
// The match model and how well it finds duplicates: dedupe-model.test.ts.
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { tty } from '../helpers/tty.js';
import { run } from '../../src/cli.js';
import { crm, crmJson, NOW, tempDb } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';
import { at, clusters, copyOf, history, makeShop, ok, prepare, readCsv, score, show, T1, T2, T3, T4, why, type Row } from '../helpers/dedupe.js';

let template = '';
beforeAll(async () => {
  template = await makeShop();
});
/** Each test works on its own copy of the shop. */
const shop = () => copyOf(template);

// The shop after `crm dedupe --auto` at T1 (#2 merged into #1), for the tests of what comes after a
// merge; what the merge itself does is checked on the built binary under "crm dedupe --auto".
let mergedTemplate = '';
beforeAll(async () => {
  mergedTemplate = copyOf(template);
  await setUp(['dedupe', '--auto'], { db: mergedTemplate, env: at(T1) });
});
const merged = () => copyOf(mergedTemplate);

interface Dump {
  customers: Row[];
  phones: Row[];
  tags: Row[];
  orders: Row[];
  interactions: Row[];
  merges: Row[];
  distinct: Row[];
}

/** Everything the shop's file holds about customers, read straight from SQLite (read-only). */
function dump(file: string): Dump {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const all = (sql: string) => db.prepare(sql).all() as Row[];
    return {
      customers: all('SELECT * FROM customers ORDER BY id'),
      phones: all('SELECT * FROM customer_phones ORDER BY customer_id, position'),
      tags: all('SELECT * FROM customer_tags ORDER BY customer_id, tag'),
      orders: all('SELECT * FROM orders ORDER BY id'),
      interactions: all('SELECT * FROM interactions ORDER BY id'),
      merges: all('SELECT * FROM merges ORDER BY id'),
      distinct: all('SELECT * FROM distinct_pairs ORDER BY a, b'),
    };
  } finally {
    db.close();
  }
}

/** The customer data of a dump, without the merge history (which a merge and its undo add to). */
const data = ({ merges: _m, distinct: _d, ...rest }: Dump) => rest;
describe('crm dedupe lists likely duplicates and changes nothing', () => {
  it('shows the cluster of 张伟 with its reasons and the survivor, in a table, as JSON and as CSV', () => {
    const db = shop();
    const before = dump(db);

    const table = crm(['dedupe'], { db });
    expect(table.code, table.stderr).toBe(0);
    const rows = table.stdout.split('\n').filter((l) => /│\s+\d+\s+│/.test(l));
    const cells = rows.map((l) => l.split('│').map((c) => c.trim()).filter((_, i, a) => i > 0 && i < a.length - 1));
    // Group, Group score, Keep, ID, Name, Phone, Email, Birthday, City, Score, Why
    expect(cells.map((c) => [c[0], c[2], c[3], c[4]])).toEqual([
      ['1', '*', '1', '张伟'],
      ['1', '', '2', '張 偉'],
      ['1', '', '3', '章伟'],
    ]);
    expect(cells[1]![10]).toContain('same phone');
    expect(cells[2]![10]).toMatch(/same pinyin.*same birthday/);
    expect(table.stdout).not.toContain('李娜');
    expect(table.stderr).toContain('1 groups (3 customers) of likely duplicates at score 0.95 or more, among 5 customers');
    // No model kept yet: one was fitted for this run, and the note says how to keep one.
    expect(table.stderr).toContain('no match model kept yet');
    expect(table.stderr).toContain('crm dedupe train');

    const json = clusters(db);
    expect(json).toHaveLength(1);
    const [c] = json;
    expect(c).toMatchObject({ cluster: 1, survivor: 1, ids: [1, 2, 3] });
    expect(c!.members!.map((m) => m.name)).toEqual(['张伟', '張 偉', '章伟']);
    expect(c!.score).toBeGreaterThanOrEqual(0.95);
    expect(c!.pairs).toContainEqual(expect.objectContaining({ a: 1, b: 2, certain: true }));
    expect(why(c!, 2).reasons).toEqual(expect.arrayContaining(['phone exact', 'name exact']));
    expect(why(c!, 2).why).toMatch(/same name \+\d+\.\d, same phone \+\d+\.\d/);
    expect(why(c!, 3).reasons).toEqual(expect.arrayContaining(['name pinyin', 'birthday exact', 'address exact', 'city exact']));
    expect(why(c!, 3).why).toMatch(/same pinyin.*same birthday/);
    // The family member on the same phone and the other real 张伟 are in no cluster.
    expect(json.flatMap((x) => x.ids)).not.toContain(4);
    expect(json.flatMap((x) => x.ids)).not.toContain(5);

    const csv = crm(['dedupe', '--format', 'csv'], { db });
    expect(csv.code, csv.stderr).toBe(0);
    const records = readCsv(csv.stdout);
    expect(records.map((r) => [r.cluster, r.keep, r.id, r.name])).toEqual([
      ['1', '*', '1', '张伟'],
      ['1', '', '2', '張 偉'],
      ['1', '', '3', '章伟'],
    ]);
    expect(records[1]!.reasons).toContain('same phone');
    expect(records[2]!.reasons).toContain('same pinyin');
    // NDJSON: a group a line, each line the JSON listing's element.
    const nd = crm(['dedupe', '--format', 'ndjson'], { db });
    expect(nd.code, nd.stderr).toBe(0);
    expect(nd.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual(json);
    // On stderr only the note of the model fitted for the run (no summary: a machine format).
    expect(nd.stderr.trim().split('\n')).toEqual([expect.stringContaining('no match model kept yet')]);

    expect(dump(db)).toEqual(before);
  });

  it('never clusters the family member, even at the lowest threshold; refuses bad options', () => {
    const db = shop();
    const before = dump(db);
    // At the lowest threshold allowed the family member still does not join.
    expect(clusters(db, '--min-score', '0.5').flatMap((c) => c.ids)).not.toContain(4);
    const certain = clusters(db, '--min-score', '1');
    expect(certain).toMatchObject([{ ids: [1, 2], certain: true }]);
    expect(certain[0]!.score).toBeGreaterThanOrEqual(0.95);
    for (const bad of [['--min-score', '0.2'], ['--min-score', 'high'], ['--min-score', '1.5'], ['--review', '--auto']]) {
      const r = crm(['dedupe', ...bad], { db });
      expect(r.code, bad.join(' ')).toBe(2);
    }
    expect(crm(['dedupe', '--review', '--auto'], { db }).stderr).toContain('--review and --auto cannot be used together');
    expect(dump(db)).toEqual(before);
  });
});

describe('crm dedupe --auto', () => {
  it('merges only the certain match: orders, interactions, tags and phones move, differing values are kept', () => {
    const db = shop();
    const r = crm(['dedupe', '--auto'], { db, env: at(T1) });
    expect(r.code, r.stderr).toBe(0);
    // The merges done, listed as `dedupe history` lists them; the summary on stderr.
    const rows = r.stdout.split('\n').filter((l) => /│\s+\d+\s+│/.test(l)).map((l) => l.split('│').map((c) => c.trim()));
    expect(rows.map((c) => [c[1], c[2], c[3], c[4], c[5]])).toEqual([['1', '2026-11-23 10:00', '1', '2', 'auto']]);
    expect(rows[0]![6]).toMatch(/^0\.9[5-9]\d$/); // the group's probability
    expect(r.stderr).toContain('merged 1 groups (1 customers) of certain matches');

    const kept = show(db, '1');
    expect(kept).toMatchObject({
      id: 1,
      name: '张伟',
      phone: ['+8613800138000', '+8613600136000'],
      email: 'zw@qq.com',
      gender: 'male', // empty on #1: filled from #2
      birthday: '1985-03-05',
      city: '上海',
      tags: ['VIP', '老客户'],
      orders: 2,
      spend: '1330.50',
      first_order: '2026-10-01',
      last_order: '2026-11-01',
      do_not_contact: true, // #2 asked not to be contacted: never dropped
      微信: 'zw_85',
      'merged:name': '張 偉',
      'merged:email': 'zhangwei@163.com',
    });
    const full = crmJson<{ recent_orders: Row[]; recent_interactions: Row[] }>(['customer', 'show', '1'], { db });
    expect(full.recent_orders.map((o) => o.order_no).sort()).toEqual(['SO-1', 'SO-2']);
    expect(full.recent_interactions).toMatchObject([{ customer_id: 1, type: 'call', note: '回访：对新品很满意' }]);
    const text = ok(db, ['customer', 'show', '1']);
    expect(text).toMatch(/merged:name\s+張 偉/);
    expect(text).toMatch(/merged:email\s+zhangwei@163\.com/);

    const gone = crm(['customer', 'show', '2'], { db });
    expect(gone.code).toBe(1);
    expect(crmJson<Row[]>(['order', 'list'], { db }).every((o) => o.customer_id === 1)).toBe(true);
    // 章伟 (not certain), 李娜 (family) and the other 张伟 are untouched.
    expect(crmJson<Row[]>(['customer', 'list'], { db }).map((c) => [c.id, c.name])).toEqual([
      [1, '张伟'],
      [3, '章伟'],
      [4, '李娜'],
      [5, '张伟'],
    ]);
    // What remains is still proposed (章伟), never the family member.
    expect(clusters(db)).toMatchObject([{ ids: [1, 3] }]);
    // The merged record's old email finds the survivor.
    expect(crmJson<Row[]>(['find', 'zhangwei@163.com'], { db }).map((c) => c.id)).toEqual([1]);
  });

  it('merges above a score when told one (--min-score 0.95 takes 章伟 too), never the family member', () => {
    const db = shop();
    const r = crm(['dedupe', '--auto', '--min-score', '0.95', '--format', 'json'], { db, env: at(T1) });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ merge: 1, at: '2026-11-23T10:00:00+08:00', survivor: 1, merged: [2, 3], how: 'auto', score: expect.any(Number), undone_at: null }]);
    expect(JSON.parse(r.stdout)[0].score).toBeGreaterThanOrEqual(0.95);
    expect(JSON.parse(r.stdout)).toEqual(crmJson(['dedupe', 'history'], { db }));
    expect(show(db, '1')['merged:name']).toBe('張 偉; 章伟');
    expect(crmJson<Row[]>(['customer', 'list'], { db }).map((c) => c.id)).toEqual([1, 4, 5]);
  });
});

describe('crm dedupe undo', () => {
  it('puts back exactly what the merge changed', () => {
    const db = merged(); // the shop after `crm dedupe --auto` at T1
    const before = dump(template);
    expect(dump(db).customers.map((c) => c.id)).toEqual([1, 3, 4, 5]);
    const r = crm(['dedupe', 'undo', '1'], { db, env: at(T2) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('undid merge 1');
    expect(data(dump(db))).toEqual(data(before));
    // The search index follows: the old email finds #2 again, and only #2.
    expect(crmJson<Row[]>(['find', 'zhangwei@163.com'], { db }).map((c) => c.id)).toEqual([2]);
    expect(show(db, '2')).toMatchObject({ name: '張 偉', orders: 1, spend: '1280.50', do_not_contact: true });
  });

  it("gives back the merged records' saved RFM scores, and undoes a merge recorded before they had a table of their own", async () => {
    const db = shop();
    await prepare(db, ['rfm', '--save'], NOW);
    const saved = () => {
      const raw = new Database(db, { readonly: true });
      const rows = raw.prepare('SELECT * FROM customer_rfm ORDER BY customer_id').all();
      raw.close();
      return rows;
    };
    const before = saved();
    ok(db, ['dedupe', '--auto'], T1);
    expect(saved().length).toBeLessThan(before.length);
    ok(db, ['dedupe', 'undo', '1'], T2);
    expect(saved()).toEqual(before);
    // An image written by schema 3 had the scores as customer columns, and no table rows.
    ok(db, ['dedupe', '--auto'], T3);
    const raw = new Database(db);
    const image = JSON.parse(raw.prepare('SELECT before FROM merges WHERE id = 2').pluck().get() as string) as { customers: Record<string, unknown>[]; rfm?: unknown };
    for (const c of image.customers) Object.assign(c, { rfm_r: 3, rfm_f: 3, rfm_m: 3, rfm_segment: 'loyal', rfm_scheme: 'classic', rfm_as_of: '2026-11-22' });
    delete image.rfm;
    raw.prepare('UPDATE merges SET before = ? WHERE id = 2').run(JSON.stringify(image));
    raw.close();
    const r = crm(['dedupe', 'undo', '2'], { db, env: at(T4) });
    expect(r.code, r.stderr).toBe(0);
  });

  it('is exact after later unrelated changes; an order the survivor got since stays with it; twice is refused', async () => {
    const db = merged(); // the shop after `crm dedupe --auto` at T1
    const before = dump(template);
    await prepare(db, ['customer', 'add', '--name', '王芳', '--phone', '13700137000'], T2);
    await prepare(db, ['order', 'add', '5', '--amount', '10', '--date', '2026-11-24', '--id', 'SO-5'], T2);
    await prepare(db, ['order', 'add', '1', '--amount', '20', '--date', '2026-11-24', '--id', 'SO-NEW'], T2);
    await prepare(db, ['log', '4', '--type', 'visit', '--note', '到店'], T2);
    ok(db, ['dedupe', 'undo', '1'], T3);
    const after = dump(db);

    const DERIVED = ['order_count', 'order_total', 'first_order_day', 'last_order_day'];
    const plain = (c: Row) => Object.fromEntries(Object.entries(c).filter(([k]) => !DERIVED.includes(k)));
    const aggregates = (c: Row) => Object.fromEntries(DERIVED.map((k) => [k, c[k]]));
    const old = new Set(before.customers.map((c) => c.id));
    // Every customer that existed: the same fields; order aggregates the same but for the new orders.
    expect(after.customers.filter((c) => old.has(c.id)).map(plain)).toEqual(before.customers.map(plain));
    const byId = (rows: Row[], id: number) => rows.find((c) => c.id === id)!;
    for (const id of [2, 3, 4]) expect(aggregates(byId(after.customers, id))).toEqual(aggregates(byId(before.customers, id)));
    expect(aggregates(byId(after.customers, 1))).toEqual({ order_count: 2, order_total: 7000, first_order_day: '2026-10-01', last_order_day: '2026-11-24' });
    expect(aggregates(byId(after.customers, 5))).toEqual({ order_count: 1, order_total: 1000, first_order_day: '2026-11-24', last_order_day: '2026-11-24' });
    expect(after.customers.map((c) => [c.id, c.name])).toContainEqual([6, '王芳']);
    // Phones, tags, orders and interactions of the old customers: as before the merge.
    expect(after.phones.filter((p) => old.has(p.customer_id))).toEqual(before.phones);
    expect(after.tags.filter((t) => old.has(t.customer_id))).toEqual(before.tags);
    const oldOrders = new Set(before.orders.map((o) => o.id));
    expect(after.orders.filter((o) => oldOrders.has(o.id))).toEqual(before.orders);
    expect(after.orders.filter((o) => !oldOrders.has(o.id)).map((o) => [o.external_id, o.customer_id])).toEqual([
      ['SO-5', 5],
      ['SO-NEW', 1], // added to the survivor after the merge: stays with it
    ]);
    const oldLogs = new Set(before.interactions.map((i) => i.id));
    expect(after.interactions.filter((i) => oldLogs.has(i.id))).toEqual(before.interactions);

    const again = crm(['dedupe', 'undo', '1'], { db, env: at(T4) });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('merge 1 was undone already');
    const none = crm(['dedupe', 'undo', '42'], { db });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no merge 42');
    expect(dump(db)).toEqual(after);
  });

  it('refuses when the survivor was edited after the merge, unless --force', async () => {
    const db = merged(); // the shop after `crm dedupe --auto` at T1
    const before = dump(template);
    await prepare(db, ['customer', 'edit', '1', '--city', '北京'], T2);
    const edited = dump(db);
    const r = crm(['dedupe', 'undo', '1'], { db, env: at(T3) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('customer #1 was changed after merge 1');
    expect(r.stderr).toContain('--force');
    expect(dump(db)).toEqual(edited);
    const forced = crm(['dedupe', 'undo', '1', '--force'], { db, env: at(T3) });
    expect(forced.code, forced.stderr).toBe(0);
    // The edit made since is lost, as --force says; everything else is as before the merge.
    expect(data(dump(db))).toEqual(data(before));
  });

  it('refuses when a tag was added to the survivor after the merge (the tag would be lost)', async () => {
    const db = merged(); // the shop after `crm dedupe --auto` at T1
    await prepare(db, ['tag', 'add', '1', '团购'], T2);
    expect(crm(['dedupe', 'undo', '1'], { db, env: at(T3) }).code).toBe(1);
    expect(show(db, '1').tags).toEqual(expect.arrayContaining(['VIP', '老客户', '团购']));
  });

  it('a later merge of the survivor blocks undoing the earlier one until the later is undone', () => {
    const db = merged(); // the shop after `crm dedupe --auto` at T1
    const before = dump(template);
    const second = crm(['merge', '1', '3', '--yes'], { db, env: at(T2) });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('merge 2: #3 into #1; undo with crm dedupe undo 2');
    const blocked = crm(['dedupe', 'undo', '1'], { db, env: at(T3) });
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('merge 2 changed the same customer after merge 1');
    expect(blocked.stderr).toContain('undo merge 2 first');
    ok(db, ['dedupe', 'undo', '2'], T3);
    ok(db, ['dedupe', 'undo', '1'], T4);
    expect(data(dump(db))).toEqual(data(before));
  });
});

describe('crm dedupe history', () => {
  it('lists merges newest first, with how, score and when undone', async () => {
    const db = merged(); // the shop after `crm dedupe --auto` at T1
    await prepare(db, ['merge', '1', '3', '--yes'], T2);
    await prepare(db, ['dedupe', 'undo', '2'], T3);
    const h = history(db);
    expect(h.map((m) => Object.keys(m).sort())).toEqual([0, 1].map(() => ['at', 'how', 'merge', 'merged', 'score', 'survivor', 'undone_at']));
    expect(h.map((m) => [m.merge, m.survivor, m.merged, m.how])).toEqual([
      [2, 1, [3], 'merge'],
      [1, 1, [2], 'auto'],
    ]);
    expect(Number(h[1]!.score)).toBeGreaterThanOrEqual(0.95);
    expect(h[0]!.score === null || h[0]!.score === '').toBe(true); // by hand: no score
    // Times in the shop's zone: ISO 8601 with its offset in JSON and CSV, local minutes in the table.
    expect(h[0]!.undone_at).toBe(T3);
    expect(h[1]!.undone_at).toBeNull();
    expect(h[1]!.at).toBe(T1);
    const csv = readCsv(ok(db, ['dedupe', 'history', '--format', 'csv']));
    expect(csv.map((m) => [m.merge, m.at, m.undone_at])).toEqual([
      ['2', T2, T3],
      ['1', T1, ''],
    ]);
    const table = ok(db, ['dedupe', 'history']);
    expect(table.indexOf('merge')).toBeLessThan(table.indexOf('auto'));
    expect(table).toContain('2026-11-25 10:00');
    expect(table).not.toMatch(/\d{4}-\d\d-\d\dT/);
    // A listing of a few merges offers no NDJSON: refused in one line, exit 2.
    const refused = crm(['dedupe', 'history', '--format', 'ndjson'], { db });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('ndjson');
  });
});

describe('crm merge', () => {
  it('merges the records named into the first, directly', () => {
    const db = shop();
    const r = crm(['merge', '1', '3', '--yes'], { db, env: at(T1) });
    expect(r.code, r.stderr).toBe(0);
    expect(show(db, '1')).toMatchObject({ name: '张伟', 'merged:name': '章伟', birthday: '1985-03-05' });
    expect(crm(['customer', 'show', '3'], { db }).code).toBe(1);
    expect(history(db)).toMatchObject([{ merge: 1, survivor: 1, merged: [3], how: 'merge' }]);
  });

  it('needs --yes without a terminal, and two different customers; refusing changes nothing', () => {
    const db = shop();
    const before = dump(db);
    const unsure = crm(['merge', '1', '3'], { db });
    expect(unsure.code).toBe(2);
    expect(unsure.stderr).toContain('merging #3 into #1 needs confirmation');
    expect(unsure.stderr).toContain('--yes');
    const same = crm(['merge', '1', '1', '--yes'], { db });
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('name two or more different customers');
    expect(crm(['merge', '1', 'id:1'], { db }).code).toBe(2);
    expect(crm(['merge', '1', '99', '--yes'], { db }).code).toBe(1);
    expect(dump(db)).toEqual(before);
  });
});

describe('crm dedupe distinct', () => {
  it('marks a pair as different people: never proposed together again', () => {
    const db = shop();
    const r = crm(['dedupe', 'distinct', '1', '3'], { db, env: at(T1) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('#1, #3 marked as different people (1 new pairs)');
    expect(clusters(db).map((c) => c.ids)).toEqual([[1, 2]]);
    expect(clusters(db, '--min-score', '0.5').flatMap((c) => c.pairs).some((p) => p.a === 1 && p.b === 3)).toBe(false);
    expect(crm(['dedupe', 'distinct', '3', '1'], { db }).stdout).toContain('(0 new pairs)');
    ok(db, ['dedupe', 'distinct', '1', '2'], T1);
    expect(clusters(db)).toEqual([]);
    expect(crm(['dedupe', 'distinct', '1'], { db }).code).toBe(2);
  });
});

describe('pairs marked as different people, linked through a third record', () => {
  // #1 and #2 are two real 张伟, marked as different people; #3 holds #1's phone and #2's email (a
  // mix-up), so #1~#3 and #2~#3 are each certain: #3 may join one of them, never both.
  let mixed = '';
  beforeAll(async () => {
    mixed = tempDb();
    for (const args of [
      ['customer', 'add', '--name', '张伟', '--phone', '13800138000'],
      ['customer', 'add', '--name', '张伟', '--phone', '13900139000', '--email', 'zw@qq.com'],
      ['customer', 'add', '--name', '张伟', '--phone', '13800138000', '--email', 'zw@qq.com', '--allow-duplicate'],
      ['dedupe', 'distinct', '1', '2'],
    ]) await setUp(args, { db: mixed });
  });
  const mixUp = () => copyOf(mixed);

  it('are not proposed in one group', () => {
    const db = mixUp();
    expect(clusters(db).filter((c) => c.ids.includes(1) && c.ids.includes(2))).toEqual([]);
  });

  it('are not merged into one by --auto', () => {
    const db = mixUp();
    ok(db, ['dedupe', '--auto'], T1);
    // #3 may join one of them (each link is certain), never both: two customers remain, and no
    // merge put #1 and #2 together.
    expect(crmJson<Row[]>(['customer', 'list'], { db })).toHaveLength(2);
    for (const m of crmJson<{ survivor: number; merged: number[] }[]>(['dedupe', 'history'], { db })) {
      const together = [m.survivor, ...m.merged];
      expect(together.includes(1) && together.includes(2)).toBe(false);
    }
  });
});

// ---- --review at a terminal -----------------------------------------------------------------------


const DOWN = '\u001b[B';

/** Runs crm in this process at a fake terminal, typing each answer once its question is drawn. */
async function atTerminal(argv: string[], db: string, now: string, script: [RegExp, string][]) {
  const [stdin, stdout, stderr] = [tty(160), tty(160), tty(160)];
  let screen = '';
  let all = '';
  let out = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => {
    screen += d.toString();
    all += d.toString();
    const next = script[0];
    if (next && next[0].test(screen)) {
      script.shift();
      screen = '';
      setTimeout(() => stdin.write(next[1]), 5);
    }
  });
  const code = await run(argv, { stdin, stdout, stderr }, { CRM_DB: db, CRM_NOW: now, LANG: 'en_US.UTF-8', TZ: 'Asia/Shanghai' });
  return { code, out, err: all, left: script.length };
}

describe('crm dedupe --review', () => {
  it('needs a terminal', () => {
    const db = shop();
    const before = dump(db);
    const r = crm(['dedupe', '--review'], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--review needs a terminal to ask in');
    expect(r.stderr).toContain('crm dedupe --auto');
    expect(dump(db)).toEqual(before);
  });

  it('has no machine format: --format json is refused in one line, nothing merged', async () => {
    const db = shop();
    const before = dump(db);
    const r = await atTerminal(['dedupe', '--review', '--format', 'json'], db, T1, []);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('--review asks at a terminal and prints no json');
    expect(dump(db)).toEqual(before);
  });

  it('merges a cluster into the proposed survivor', async () => {
    const db = shop();
    const r = await atTerminal(['dedupe', '--review'], db, T1, [[/What to do\?/, '\r']]);
    expect(r.left).toBe(0);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('Group 1 of 1');
    expect(r.err).toContain('same pinyin');
    expect(r.out).toBe('');
    expect(r.err).toContain('1 merged, 0 skipped, 0 marked as different people');
    expect(crmJson<Row[]>(['customer', 'list'], { db }).map((c) => c.id)).toEqual([1, 4, 5]);
    expect(show(db, '1')).toMatchObject({ name: '张伟', 'merged:name': '張 偉; 章伟', orders: 2 });
    expect(history(db)).toMatchObject([{ merge: 1, survivor: 1, merged: [2, 3], how: 'review' }]);
  });

  it('marks a cluster as different people', async () => {
    const db = shop();
    const before = dump(db);
    const r = await atTerminal(['dedupe', '--review'], db, T1, [[/What to do\?/, `${DOWN}${DOWN}${DOWN}\r`]]);
    expect(r.left).toBe(0);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('0 merged, 0 skipped, 1 marked as different people');
    expect(data(dump(db))).toEqual(data(before));
    expect(clusters(db)).toEqual([]);
    expect(crmJson<Row[]>(['dedupe', 'history'], { db })).toEqual([]);
  });

  it('skips a cluster, or stops, changing nothing', async () => {
    const db = shop();
    const before = dump(db);
    const skip = await atTerminal(['dedupe', '--review'], db, T1, [[/What to do\?/, `${DOWN}${DOWN}\r`]]);
    expect(skip.code, skip.err).toBe(0);
    expect(skip.err).toContain('0 merged, 1 skipped, 0 marked as different people');
    const quit = await atTerminal(['dedupe', '--review'], db, T1, [[/What to do\?/, `${DOWN}${DOWN}${DOWN}${DOWN}\r`]]);
    expect(quit.code, quit.err).toBe(0);
    expect(quit.err).toContain('0 merged, 0 skipped, 0 marked as different people');
    expect(dump(db)).toEqual(before);
  });

  it('merges field by field: another survivor and a value from the other record', async () => {
    const db = shop();
    const before = dump(db);
    const r = await atTerminal(['dedupe', '--review'], db, T1, [
      [/What to do\?/, `${DOWN}\r`], // merge, choosing which record and values to keep
      [/Which record to keep\?/, `${DOWN}\r`], // #2 instead of the proposed #1
      [/Which name\?/, `${DOWN}\r`], // 張 偉 (#2's), 张伟, 章伟: take 张伟
      [/Which email\?/, '\r'], // #2's own
    ]);
    expect(r.left).toBe(0);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('1 merged, 0 skipped, 0 marked as different people');
    expect(crmJson<Row[]>(['customer', 'list'], { db }).map((c) => c.id)).toEqual([2, 4, 5]);
    const kept = show(db, '2');
    expect(kept).toMatchObject({
      id: 2,
      name: '张伟',
      email: 'zhangwei@163.com',
      'merged:email': 'zw@qq.com',
      'merged:name': '張 偉; 章伟',
      gender: 'male',
      birthday: '1985-03-05',
      city: '上海',
      address: '上海市徐汇区漕溪北路123号',
      phone: ['+8613800138000', '+8613600136000'],
      orders: 2,
      do_not_contact: true,
    });
    expect([...(kept.tags as string[])].sort()).toEqual(['VIP', '老客户']);
    expect(crm(['customer', 'show', '1'], { db }).code).toBe(1);
    expect(crm(['customer', 'show', '3'], { db }).code).toBe(1);
    expect(history(db)).toMatchObject([{ merge: 1, survivor: 2, merged: [1, 3], how: 'review' }]);
    // And this merge too comes undone exactly.
    ok(db, ['dedupe', 'undo', '1'], T2);
    expect(data(dump(db))).toEqual(data(before));
  });
});

// ---- How well it finds duplicates --------------------------------------------------------------------
