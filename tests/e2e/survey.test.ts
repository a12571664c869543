// crm survey as a shop owner uses it, end to end with the built binary and a fake clock (CRM_NOW):
// invitations recorded by `survey send` and delivered by `crm remind run` with the survey template,
// answers recorded by flags and imported from a CSV with a rejects file, the figures of the quarter
// on hand-worked answers against the quarter before, the quarterly invitation rule, the shop's own
// questionnaire, a customer merge carrying the responses, and every refusal as one line with
// nothing saved. One shop, set up in beforeAll; a test that changes it works on a copy.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { crm, crmJson, tempDb, type Result } from '../helpers/crm.js';
import { dbState } from '../helpers/db-state.js';
import { crmHere, setUp } from '../helpers/in-process.js';
import { tty } from '../helpers/tty.js';

const at = (db: string, now: string, args: string[]) => crm(args, { db, env: { CRM_NOW: now } });
const ok = (r: Result) => {
  expect(r.code, r.stderr).toBe(0);
  return r;
};

interface Occurrence {
  customer: string;
  rule: string;
  occasion: string;
  status: string;
  reason: string | null;
  message: string | null;
}
interface Response {
  id: number;
  customer: string;
  answered_at: string;
  nps: number | null;
  overall: number | null;
  price: number | null;
  comment: string | null;
  source: string;
  invitation: number | null;
}
interface Stat {
  period: string;
  metric: string;
  current: number | null;
  previous_period: string;
  previous: number | null;
  change: number | null;
}

const NOW = '2026-11-22T10:00:00+08:00';

function copyDb(db: string): string {
  const to = tempDb();
  for (const ext of ['', '-wal', '-shm']) if (fs.existsSync(db + ext)) fs.copyFileSync(db + ext, to + ext);
  return to;
}

let db: string;
let dir: string;
let q3Run: Result;
let q4Send: Result;
let q4Run: Result;
let recorded: Result;
let imported: Result;

/** Set-up whose output no test reads, in this process (what is checked runs the built binary). */
const prepare = (db: string, now: string, args: string[]) => setUp(args, { db, env: { CRM_NOW: now } });

beforeAll(async () => {
  db = tempDb();
  dir = path.dirname(db);
  fs.writeFileSync(
    path.join(dir, 'customers.csv'),
    ['name,phone,email,member no,do_not_contact', '张伟,13800138001,zw@example.com,M001,', '李娜,13800138002,,M002,yes', '王芳,13800138003,wf@example.com,M003,', '刘洋,13800138004,,M004,', '陈静,,cj@example.com,M005,'].join('\n'),
  );
  await prepare(db, '2026-07-01T10:00:00+08:00', ['import', 'customers', path.join(dir, 'customers.csv')]);
  const orders: [string, string][] = [['刘洋', '2026-03-01'], ['张伟', '2026-09-01'], ['李娜', '2026-09-05'], ['王芳', '2026-10-01'], ['陈静', '2026-11-01']];
  for (const [who, day] of orders) await prepare(db, NOW, ['order', 'add', who, '--amount', '100', '--date', day]);
  // The quarter before (2026-Q3): everyone invited, two answers.
  await prepare(db, '2026-08-01T10:00:00+08:00', ['survey', 'send', '--all']);
  q3Run = ok(at(db, '2026-08-01T10:05:00+08:00', ['remind', 'run']));
  await prepare(db, '2026-08-02T10:00:00+08:00', ['survey', 'record', '张伟', '--answer', 'nps=6', '--answer', 'overall=3']);
  await prepare(db, '2026-08-03T10:00:00+08:00', ['survey', 'record', '王芳', '--answer', 'nps=9', '--answer', 'overall=4']);
  // This quarter (2026-Q4): the customers with an order in the last 90 days.
  q4Send = ok(at(db, '2026-11-20T10:00:00+08:00', ['survey', 'send', '--ordered-within', '90d']));
  q4Run = ok(at(db, '2026-11-20T10:05:00+08:00', ['remind', 'run']));
  recorded = ok(at(db, '2026-11-21T10:00:00+08:00', ['survey', 'record', '13800138001', '--answer', 'nps=10', '--answer', 'overall=5', '--answer', 'product=4', '--answer', 'comment=很好']));
  fs.writeFileSync(
    path.join(dir, '问卷.csv'),
    [
      '手机,会员号,日期,nps,总体来说，您对我们满意吗？（1-5分）,How fair do you find our prices? (1-5),comment',
      '13800138003,,2026-11-21,9,4,3,还行',
      ',M005,2026-11-21,3,2,,太慢了',
      '13900000000,,2026-11-21,8,4,,',
      ',M004,2026-11-21,11,4,,',
      ',M004,2026-11-21,,4,,',
    ].join('\n'),
  );
  imported = at(db, NOW, ['survey', 'import', path.join(dir, '问卷.csv')]);
});

describe('invitations', () => {
  it('send records invitations as occurrences of the survey rule, consent decided as reminders decide it', () => {
    expect(q4Send.stdout).toContain('Invited 3 customers (survey:2026-11-20, channel stdout); skipped 1; invited already 0.');
    expect(q4Send.stderr).toContain('skipped: do not contact 1');
    expect(q4Send.stderr).toContain('crm remind rules survey --on');
    const h = crmJson<Occurrence[]>(['remind', 'history', '--rule', 'survey'], { db, env: { CRM_NOW: NOW } }).filter((o) => o.occasion === 'survey:2026-11-20');
    const byName = Object.fromEntries(h.map((o) => [o.customer, o]));
    expect(Object.keys(byName).sort()).toEqual(['张伟', '李娜', '王芳', '陈静'].sort()); // 刘洋's last order is older than 90 days
    expect(byName['李娜']).toMatchObject({ status: 'skipped', reason: 'do_not_contact' });
    expect(byName['张伟']).toMatchObject({ rule: 'survey', status: 'sent' });
  });

  it('crm remind run delivers them with the survey template', () => {
    expect(q4Run.stdout).toContain('Hi 张伟, could you spare a minute to rate our goods and service?');
    expect(q4Run.stdout).toContain('陈静');
    expect(q4Run.stdout).not.toContain('李娜');
    expect(q4Run.stderr).toContain('Sent 3');
    expect(q3Run.stderr).toContain('Sent 4');
  });

  it('sending again the same day invites nobody twice', () => {
    const copy = copyDb(db);
    const again = ok(at(copy, '2026-11-20T15:00:00+08:00', ['survey', 'send', '--ordered-within', '90d', '--format', 'json']));
    expect(JSON.parse(again.stdout)).toMatchObject({ occasion: 'survey:2026-11-20', invited: 0, already: 4, skipped: 0 });
  });

  it('the quarterly rule invites, on the first day of the quarter, those who bought in the quarter before', async () => {
    const copy = copyDb(db);
    await prepare(copy, NOW, ['remind', 'rules', 'survey', '--on']);
    const run = ok(at(copy, '2027-01-01T10:05:00+08:00', ['remind', 'run']));
    expect(run.stdout).toContain('could you spare a minute');
    const h = crmJson<Occurrence[]>(['remind', 'history', '--rule', 'survey'], { db: copy, env: { CRM_NOW: '2027-01-01T10:05:00+08:00' } }).filter((o) => o.occasion === 'survey:2026-Q4');
    expect(h.map((o) => o.customer).sort()).toEqual(['王芳', '陈静'].sort());
  });
});

describe('answers', () => {
  it('record by flags saves the answers and links the latest invitation', () => {
    expect(recorded.stdout).toContain('Recorded response');
    expect(recorded.stdout).toContain('of 张伟 (4 answers), answering the latest invitation.');
    const [latest] = crmJson<Response[]>(['survey', 'list', '张伟'], { db, env: { CRM_NOW: NOW } });
    expect(latest).toMatchObject({ customer: '张伟', nps: 10, overall: 5, comment: '很好', source: 'record', answered_at: '2026-11-21T10:00:00+08:00' });
    expect(latest!.invitation).not.toBeNull();
  });

  it('record at a terminal asks each question the flags left out, again after a value out of its scale', async () => {
    const copy = copyDb(db);
    const stdin = tty();
    const stdout = tty();
    const stderr = tty();
    const script: [RegExp, string][] = [
      [/Overall, how satisfied/, '0\r'],
      [/"0" is not a whole number from 1 to 5/, '\u00154\r'],
      [/quality of our products/, '\r'],
      [/our service/, '5\r'],
      [/delivery or pick-up/, '\r'],
      [/fair do you find our prices/, '\r'],
      [/anything else/, '门店很干净\r'],
    ];
    let screen = '';
    stderr.on('data', (d: Buffer) => {
      screen += d.toString();
      const next = script[0];
      if (next && next[0].test(screen)) {
        script.shift();
        screen = '';
        setTimeout(() => stdin.write(next[1]), 5);
      }
    });
    const code = await run(['survey', 'record', '刘洋', '--answer', 'nps=8'], { stdin, stdout, stderr }, { CRM_DB: copy, CRM_NOW: NOW, LANG: 'en_US.UTF-8', TZ: process.env.TZ });
    expect(code).toBe(0);
    expect(script).toEqual([]);
    const [r] = crmJson<(Response & { service: number | null; product: number | null })[]>(['survey', 'list', '刘洋'], { db: copy, env: { CRM_NOW: NOW } });
    expect(r).toMatchObject({ nps: 8, overall: 4, product: null, service: 5, comment: '门店很干净' });
  });

  it('import saves the good rows, matched by phone or member number, and refuses the others into a rejects file with the reason', () => {
    expect(imported.code).toBe(2);
    expect(imported.stdout).toContain('5 rows; imported 2, already there 0, refused 3.');
    expect(imported.stderr).toContain('crm: 3 rows were refused; the other rows were imported');
    const rejects = fs.readFileSync(path.join(dir, '问卷.rejects.csv'), 'utf8');
    expect(rejects.startsWith('\uFEFF手机,会员号,日期,nps,')).toBe(true);
    expect(rejects).toContain('line 4: no customer matches +8613900000000');
    expect(rejects).toContain('line 5, nps: question nps: ""11"" is not a whole number from 0 to 10');
    expect(rejects).toContain('line 6: question nps must be answered');
    const list = crmJson<Response[]>(['survey', 'list'], { db, env: { CRM_NOW: NOW } });
    expect(list.find((r) => r.customer === '王芳' && r.source.startsWith('import'))).toMatchObject({ nps: 9, overall: 4, price: 3, comment: '还行', answered_at: '2026-11-21T00:00:00+08:00' });
    expect(list.find((r) => r.customer === '陈静')).toMatchObject({ nps: 3, overall: 2 });
    expect(list.some((r) => r.customer === '刘洋')).toBe(false);
  });

  it('importing the same file again adds nothing', () => {
    const copy = copyDb(db);
    const again = at(copy, NOW, ['survey', 'import', path.join(dir, '问卷.csv'), '--rejects', path.join(dir, 'again.rejects.csv'), '--format', 'json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 5, imported: 0, unchanged: 2, rejected: 3 });
  });
});

describe('stats', () => {
  // 2026-Q4: 张伟 10/5, 王芳 9/4, 陈静 3/2 of 3 invitations: NPS (2 - 1) / 3 = 33.3, CSAT 2 of 3.
  // 2026-Q3: 张伟 6/3, 王芳 9/4 of 4 invitations: NPS (1 - 1) / 2 = 0, CSAT 1 of 2.
  it('gives responses, response rate, NPS, CSAT and averages, each against the quarter before', () => {
    const rows = crmJson<Stat[]>(['survey', 'stats'], { db, env: { CRM_NOW: NOW } });
    const by = Object.fromEntries(rows.map((r) => [r.metric, r]));
    expect(by.responses).toMatchObject({ period: '2026-Q4', previous_period: '2026-Q3', current: 3, previous: 2, change: 0.5 });
    expect(by.invitations).toMatchObject({ current: 3, previous: 4 });
    expect(by.response_rate).toMatchObject({ current: 1, previous: 0.5, change: 0.5 });
    expect(by.nps).toMatchObject({ current: 33.3, previous: 0, change: 33.3333 });
    expect(by.csat).toMatchObject({ current: 0.6667, previous: 0.5, change: 0.1667 });
    expect(by['avg:overall']).toMatchObject({ current: 3.67, previous: 3.5 });
    expect(by['avg:price']).toMatchObject({ current: 3, previous: null, change: null });
  });

  it('shows a table with bar charts', () => {
    const r = ok(at(db, NOW, ['survey', 'stats']));
    expect(r.stdout).toMatch(/NPS\s+│\s+33 │ 2026-Q3\s+│\s+0 │\s+\+33/);
    expect(r.stdout).toContain('2026-Q4: NPS 33');
    expect(r.stdout).toMatch(/promoters 9-10\s+█+ 2/);
    expect(r.stdout).toMatch(/overall\s+█+ 3\.67 \/ 5/);
  });

  it('goes period by period with --since, and by member level with --by', () => {
    const rows = crmJson<Stat[]>(['survey', 'stats', '--period', 'month', '--since', '2026-08-01'], { db, env: { CRM_NOW: NOW } });
    const nps = rows.filter((r) => r.metric === 'nps').map((r) => [r.period, r.current]);
    expect(nps).toEqual([['2026-08', 0], ['2026-09', null], ['2026-10', null], ['2026-11', 33.3]]);
    const tiers = crmJson<Record<string, unknown>[]>(['survey', 'stats', '--by', 'tier'], { db, env: { CRM_NOW: NOW } });
    expect(tiers[0]).toHaveProperty('tier', null);
  });
});

describe('the questionnaire', () => {
  it('init writes the built-in survey; use takes an edited copy; show lists its questions', () => {
    const copy = copyDb(db);
    const file = path.join(dir, 'mine.yaml');
    ok(at(copy, NOW, ['survey', 'init', file]));
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('name: quarterly', 'name: 店铺问卷'));
    expect(ok(at(copy, NOW, ['survey', 'use', file])).stdout).toContain('Using survey 店铺问卷 (7 questions)');
    const shown = ok(at(copy, NOW, ['survey', 'show']));
    expect(shown.stdout).toContain('您有多大可能向朋友或同事推荐我们');
    expect(shown.stderr).toContain(`survey 店铺问卷`);
    expect(at(copy, NOW, ['survey', 'init', file]).code).toBe(2); // never over a file without --force
  });

  it('refuses a file with a syntax error or a question without a kind, naming the line, and keeps the one in use', () => {
    const copy = copyDb(db);
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'name: x\nquestions:\n  - id: nps\n    kind: nps\n    zh: 推荐: 吗\n');
    const r = at(copy, NOW, ['survey', 'use', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`crm: ${bad}:5:9: not valid YAML: Nested mappings are not allowed in compact mappings\n`);
    const noKind = path.join(dir, 'nokind.yaml');
    const questions = ['nps', 'a', 'b', 'c'].map((id) => `  - id: ${id}\n    kind: ${id === 'nps' ? 'nps' : 'scale'}\n    zh: 题\n    en: Q\n`).join('');
    fs.writeFileSync(noKind, `name: x\nquestions:\n${questions}  - id: d\n    zh: 题\n    en: Q\n`);
    const r2 = at(copy, NOW, ['survey', 'use', noKind]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toBe(`crm: ${noKind}:19:5: question "d" has no kind (kind: nps|scale|text): its scale is unknown\n`);
    expect(ok(at(copy, NOW, ['survey', 'show'])).stderr).toContain('the built-in one');
  });
});

describe('bad input', () => {
  // The responses crm lists before any refusal (no test before changes this shop: they work on
  // copies), and every row of its file: each refusal is checked against the rows (read in this
  // process, no crm started), which is what the listing is made from; the listing itself is
  // compared once, after the refusals.
  let listed = '';
  let stored: ReturnType<typeof dbState>;
  const list = () => ok(at(db, NOW, ['survey', 'list', '--format', 'json'])).stdout;
  beforeAll(() => {
    listed = list();
    stored = dbState(db);
  });
  it.each([
    [['survey', 'record', '王芳', '--answer', 'nps=11', '--answer', 'overall=4'], 'crm: question nps: "11" is not a whole number from 0 to 10'],
    [['survey', 'record', '王芳', '--answer', 'nps=9', '--answer', 'overall=0'], 'crm: question overall: "0" is not a whole number from 1 to 5'],
    [['survey', 'record', '王芳', '--answer', 'colour=3'], 'crm: the survey has no question "colour" (its questions: nps, overall, product, service, delivery, price, comment)'],
    [['survey', 'record', '王芳', '--answer', 'overall=4'], 'crm: question nps must be answered'],
    [['survey', 'record', '王芳', '--answer', 'nps=9', '--answer', 'overall=4', '--date', '2026-12-01'], 'crm: the answer date 2026-12-01 is in the future'],
    [['survey', 'record', '王芳'], 'crm: no answers given'],
    [['survey', 'send'], 'crm: say whom to invite: one of --tier, --segment, --tag, --ordered-within or --all'],
    [['survey', 'send', '--all', '--tag', 'vip'], 'crm: say whom to invite: one of --tier, --segment, --tag, --ordered-within or --all'],
    [['survey', 'stats', '--by', 'city'], 'crm: --by "city": give tier or segment'],
  ])('%j: one line, exit 2, nothing saved', (args, line) => {
    const r = at(db, NOW, args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(line);
    expect(dbState(db)).toEqual(stored);
  });

  it('lists the same responses after the refusals', () => {
    expect(list()).toBe(listed);
  });

  it('an answers file without a customer column is refused before any row', () => {
    const file = path.join(dir, 'nocustomer.csv');
    fs.writeFileSync(file, 'nps,overall\n9,4\n');
    const r = at(db, NOW, ['survey', 'import', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('crm: no column names the customer (phone, member number, email or name); the columns are: nps, overall\n');
    expect(fs.existsSync(path.join(dir, 'nocustomer.rejects.csv'))).toBe(false);
  });
});

describe('customer merge', () => {
  it('carries survey responses to the customer kept, and undo gives them back', async () => {
    const copy = copyDb(db);
    ok(at(copy, NOW, ['merge', '王芳', '陈静', '--yes']));
    const list = crmJson<Response[]>(['survey', 'list', '王芳'], { db: copy, env: { CRM_NOW: NOW } });
    expect(list.map((r) => r.nps).sort()).toEqual([3, 9, 9]);
    // The merge's number, for the undo (read in this process: nothing is checked of it).
    const [merge] = JSON.parse((await crmHere(['dedupe', 'history', '--format', 'json'], { db: copy, env: { CRM_NOW: NOW } })).stdout) as { merge: number }[];
    ok(at(copy, NOW, ['dedupe', 'undo', String(merge!.merge)]));
    expect(crmJson<Response[]>(['survey', 'list', '陈静'], { db: copy, env: { CRM_NOW: NOW } }).map((r) => r.nps)).toEqual([3]);
    expect(crmJson<Response[]>(['survey', 'list', '王芳'], { db: copy, env: { CRM_NOW: NOW } }).map((r) => r.nps).sort()).toEqual([9, 9]);
  });
});
