// crm complaint as a shop and its cron use it, end to end with the built binary and a fake clock
// (CRM_NOW): an urgent complaint goes overdue, `crm remind run` escalates it once per level and
// tells a local webhook; resolved with a refund (spend and RFM net of it) and a coupon; the follow-up
// visit fires days later; a satisfied follow-up closes, a dissatisfied one reopens and tells the
// staff; the listings and the deadlines; the SLA policy; business hours over a weekend; the report
// on a small known set; and bad input refused in one line with nothing changed.
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, crm, crmJson, tempDb, type Result } from '../helpers/crm.js';
import { dbState } from '../helpers/db-state.js';
import { setUp } from '../helpers/in-process.js';

interface Shown {
  id: number;
  status: string;
  level: number;
  deadlines: Record<'first_response' | 'update' | 'solution', { due: string; minutes_left: number } | null>;
  timeline: { kind: string; data: Record<string, unknown> | null }[];
}
interface Listed {
  id: number;
  customer: string;
  status: string;
  handler: string | null;
  minutes_left: number | null;
}

const at = (db: string, now: string, args: string[]) => crm(args, { db, env: { CRM_NOW: now } });
const ok = (r: Result) => {
  expect(r.code, r.stderr).toBe(0);
  return r;
};
const json = <T>(db: string, now: string, args: string[]) => crmJson<T>(args, { db, env: { CRM_NOW: now } });
/** Set-up, in this process (what is checked runs the built binary). */
const prepare = (db: string, now: string, args: string[]) => setUp(args, { db, env: { CRM_NOW: now } });

/** crm left running, so the webhook server of this process can answer it. */
function start(db: string, now: string, args: string[]): Promise<Result> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8', TZ: 'Asia/Shanghai', CRM_DB: db, CRM_NOW: now };
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

/** A local webhook: keeps each POST body. */
async function hookServer() {
  const posts: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      posts.push(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"errcode":0}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { posts, url: `http://127.0.0.1:${port}/x`, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

/** The texts of the messages a webhook was sent. */
const texts = (posts: string[]) => posts.flatMap((p) => (JSON.parse(p) as { messages: { text: string; rule: string }[] }).messages.map((m) => `${m.rule}: ${m.text}`));

const SETUP = '2026-11-01T09:00:00+08:00';
// Monday 23 November 2026.
const ADDED = '2026-11-23T10:00:00+08:00';

describe('an urgent complaint from recording to the follow-up visit', () => {
  const db = tempDb();
  let hook: Awaited<ReturnType<typeof hookServer>>;
  const run = (now: string) => start(db, now, ['remind', 'run']);
  beforeAll(async () => {
    hook = await hookServer();
    for (const args of [
      ['customer', 'add', '--name', '张伟', '--phone', '13800138000'],
      ['customer', 'add', '--name', '李娜', '--phone', '13900139000'],
      ['order', 'add', '张伟', '--amount', '300', '--date', '2026-10-20'],
      ['order', 'add', '李娜', '--amount', '200', '--date', '2026-10-21'],
      ['config', 'set', 'escalation_channel', 'webhook'],
      ['config', 'set', 'webhook_url', hook.url],
      ['config', 'set', 'webhook_kind', 'json'],
    ]) await prepare(db, SETUP, args);
  });
  afterAll(() => hook.close());

  it('records an urgent complaint from flags, with its deadlines', () => {
    const r = ok(at(db, ADDED, ['complaint', 'add', '张伟', '--channel', 'phone', '--category', 'delivery', '--severity', 'urgent', '--description', '三天还没到', '--order', '1', '--handler', '小李']));
    expect(r.stdout).toBe('Complaint #1 recorded: 张伟, urgent; first response due 2026-11-23 12:00.\n');
    const shown = json<Shown>(db, '2026-11-23T10:30:00+08:00', ['complaint', 'show', '1']);
    expect(shown.deadlines).toEqual({
      first_response: { due: '2026-11-23T12:00:00+08:00', minutes_left: 90 },
      update: null,
      solution: { due: '2026-11-24T10:00:00+08:00', minutes_left: 1410 },
    });
  });

  it('escalates once per level when remind run finds it overdue, and tells the webhook', async () => {
    // Before the deadline and within the two hours after it: nothing.
    for (const now of ['2026-11-23T11:00:00+08:00', '2026-11-23T13:59:00+08:00']) expect(ok(await run(now)).stderr).not.toContain('escalated');
    expect(hook.posts).toEqual([]);
    expect(json<Listed[]>(db, '2026-11-23T13:00:00+08:00', ['complaint', 'list', '--overdue']).map((k) => [k.id, k.minutes_left])).toEqual([[1, -60]]);

    ok(await run('2026-11-23T14:30:00+08:00'));
    expect(texts(hook.posts)).toHaveLength(1);
    expect(texts(hook.posts)[0]).toContain('[Complaint escalated] #1 张伟');
    expect(texts(hook.posts)[0]).toContain('For shop manager to take up (handled so far by 小李)');
    ok(await run('2026-11-23T14:40:00+08:00'));
    expect(hook.posts).toHaveLength(1);

    ok(await run('2026-11-23T16:05:00+08:00'));
    expect(texts(hook.posts)).toHaveLength(2);
    expect(texts(hook.posts)[1]).toContain('For owner to take up');
    ok(await run('2026-11-23T16:10:00+08:00'));
    ok(await run('2026-11-24T09:00:00+08:00'));
    expect(hook.posts).toHaveLength(2);
    const shown = json<Shown>(db, '2026-11-23T16:10:00+08:00', ['complaint', 'show', '1']);
    expect(shown.level).toBe(2);
    expect(shown.timeline.filter((e) => e.kind === 'escalate').map((e) => e.data?.level)).toEqual([1, 2]);
  });

  it('resolves with a refund (spend and RFM net of it) and a coupon', () => {
    const spendBefore = json<{ customer: { spend: string } }>(db, '2026-11-24T10:00:00+08:00', ['customer', 'show', '张伟']).customer.spend;
    const rfmSegments = () => json<{ customers: number; avg_spend: string }[]>(db, '2026-11-24T10:00:00+08:00', ['rfm']).reduce((s, g) => s + g.customers * Number(g.avg_spend), 0);
    expect(spendBefore).toBe('300.00');
    expect(rfmSegments()).toBeCloseTo(500, 2);
    ok(at(db, '2026-11-24T10:00:00+08:00', ['complaint', 'ack', '1', '--note', '已致电', '--by', '小李']));
    const r = ok(at(db, '2026-11-24T10:00:00+08:00', ['complaint', 'resolve', '1', '--note', '补发并退运费', '--refund', '50', '--coupon', '20']));
    expect(r.stdout).toBe('Complaint #1: resolved, now resolved; next deadline —.\n');
    expect(r.stderr).toContain('The follow-up visit is due in 3 days');
    expect(json<{ customer: { spend: string } }>(db, '2026-11-24T10:00:00+08:00', ['customer', 'show', '张伟']).customer.spend).toBe('250.00');
    expect(rfmSegments()).toBeCloseTo(450, 2);
    const coupons = json<{ customer: string; value: string; rule: string | null }[]>(db, '2026-11-24T10:00:00+08:00', ['coupon', 'list', '张伟']);
    expect(coupons).toHaveLength(1);
    expect(coupons[0]).toMatchObject({ customer: '张伟' });
  });

  it('sends the follow-up visit followup_days later through remind run, then a satisfied customer closes it', async () => {
    expect(ok(await run('2026-11-27T09:00:00+08:00')).stdout).not.toContain('complaint_followup');
    const due = ok(await run('2026-11-27T10:05:00+08:00'));
    expect(due.stdout).toContain('张伟 · +8613800138000 · complaint_followup');
    expect(due.stdout).toContain('we have looked into the problem you told us about');
    expect(ok(await run('2026-11-27T10:10:00+08:00')).stdout).not.toContain('complaint_followup');
    const r = ok(at(db, '2026-11-27T11:00:00+08:00', ['complaint', 'followup', '1', '--satisfaction', '5']));
    expect(r.stdout).toContain('now closed');
    expect(json<Shown>(db, '2026-11-27T11:00:00+08:00', ['complaint', 'show', '1']).status).toBe('closed');
  });

  it('reopens on a dissatisfied follow-up and tells the staff', async () => {
    ok(at(db, '2026-11-27T12:00:00+08:00', ['complaint', 'add', '李娜', '--severity', 'normal', '--category', 'price', '--description', '价格不一致']));
    ok(at(db, '2026-11-27T13:00:00+08:00', ['complaint', 'resolve', '2', '--note', '退差价', '--refund', '10', '--order', '2']));
    const before = hook.posts.length;
    const r = ok(at(db, '2026-11-30T14:00:00+08:00', ['complaint', 'followup', '2', '--satisfaction', '2', '--note', '还是不满意']));
    expect(r.stdout).toContain('now open');
    ok(await run('2026-11-30T14:05:00+08:00'));
    expect(texts(hook.posts.slice(before)).some((t) => t.startsWith('escalation: [Complaint reopened] #2 李娜'))).toBe(true);
    expect(json<Shown>(db, '2026-11-30T14:05:00+08:00', ['complaint', 'show', '2']).timeline.map((e) => e.kind)).toEqual(['created', 'resolve', 'followup', 'reopen']);
  });

  it('lists by status, handler and what falls due soon', () => {
    const now = '2026-11-30T15:00:00+08:00';
    ok(at(db, now, ['complaint', 'add', '张伟', '--severity', 'high', '--description', '包装破损', '--handler', '小王']));
    const ids = (args: string[]) => json<Listed[]>(db, now, ['complaint', 'list', ...args]).map((k) => k.id);
    expect(ids([])).toEqual([3, 2, 1]);
    expect(ids(['--status', 'closed'])).toEqual([1]);
    expect(ids(['--status', 'active'])).toEqual([3, 2]);
    expect(ids(['--handler', '小王'])).toEqual([3]);
    // #2 reopened at 14:00 owes a reply within 24 h; #3 (high) within 8 h.
    expect(ids(['--due-within', '8h'])).toEqual([3]);
    expect(ids(['--due-within', '1d'])).toEqual([3, 2]);
    expect(ids(['--overdue'])).toEqual([]);
  });

  it('shows and changes the SLA policy; a new complaint takes the new deadlines', () => {
    const now = '2026-11-30T15:00:00+08:00';
    const urgent = () => json<{ severity: string; first_response_minutes: number; solution_minutes: number }[]>(db, now, ['complaint', 'sla', 'urgent'])[0];
    expect(urgent()).toMatchObject({ severity: 'urgent', first_response_minutes: 120, solution_minutes: 1440 });
    expect(ok(at(db, now, ['complaint', 'sla', 'urgent', '--first-response', '30min', '--solution', '8h'])).stdout).toBe('Deadlines for urgent complaints saved.\n');
    expect(urgent()).toMatchObject({ first_response_minutes: 30, solution_minutes: 480 });
    expect(ok(at(db, now, ['complaint', 'add', '李娜', '--severity', 'urgent', '--description', '急'])).stdout).toContain('first response due 2026-11-30 15:30');
  });
});

describe('business hours move a deadline over the weekend', () => {
  it('a Friday evening urgent complaint is due on Monday morning', async () => {
    const db = tempDb();
    await prepare(db, SETUP, ['customer', 'add', '--name', '王芳', '--phone', '13700137000']);
    await prepare(db, SETUP, ['config', 'set', 'sla_hours', 'business']);
    await prepare(db, SETUP, ['config', 'set', 'business_hours', 'mon-fri 09:00-18:00; sat-sun closed']);
    const r = ok(at(db, '2026-11-27T17:00:00+08:00', ['complaint', 'add', '王芳', '--severity', 'urgent', '--description', '周五傍晚']));
    expect(r.stdout).toBe('Complaint #1 recorded: 王芳, urgent; first response due 2026-11-30 10:00.\n');
    // Saturday noon: not overdue; the deadline is still Monday.
    expect(json<Listed[]>(db, '2026-11-28T12:00:00+08:00', ['complaint', 'list', '--overdue'])).toEqual([]);
    expect(ok(at(db, SETUP, ['complaint', 'sla'])).stderr).toContain('Deadlines count business hours');
  });
});

describe('the report on a small known set', () => {
  const db = tempDb();
  const NOW = '2026-11-22T10:00:00+08:00';
  const OPENED = '2026-09-01T09:00:00+08:00';
  interface Period {
    period: string;
    complaints: number;
    customers: number;
    per_100_customers: number | null;
    first_response_in_time: number | null;
    resolved_in_time: number | null;
    median_first_response_minutes: number | null;
    median_resolution_minutes: number | null;
    reopen_rate: number | null;
    refunds: string;
    coupons: number;
    coupon_value: string;
    repeat_customers: number;
    by: Record<string, Record<string, number>>;
  }
  interface Report {
    periods: Period[];
    repeat_customers: { customer: string; complaints: number }[];
    repurchase: { complainants: number; kept: number; share: number | null; expected: number | null; anchor: string | null };
  }
  beforeAll(async () => {
    for (const name of ['张伟', '李娜', '王芳', '赵六']) await prepare(db, OPENED, ['customer', 'add', '--name', name]);
    await prepare(db, '2026-09-20T09:00:00+08:00', ['order', 'add', '张伟', '--amount', '300', '--date', '2026-09-20']);
    // 张伟, urgent: answered in 30 min, resolved in 10 h with a ¥50 refund (both in time).
    await prepare(db, '2026-10-05T10:00:00+08:00', ['complaint', 'add', '张伟', '--severity', 'urgent', '--category', 'delivery', '--channel', 'phone', '--description', 'a']);
    await prepare(db, '2026-10-05T10:30:00+08:00', ['complaint', 'ack', '1']);
    await prepare(db, '2026-10-05T20:00:00+08:00', ['complaint', 'resolve', '1', '--note', 'x', '--refund', '50', '--order', '1']);
    // 李娜, normal: answered after 2 days (late: 24 h), resolved after 10 days (late: 72 h) with a ¥20 coupon, then reopened.
    await prepare(db, '2026-10-10T10:00:00+08:00', ['complaint', 'add', '李娜', '--category', 'price', '--channel', 'wechat', '--description', 'b']);
    await prepare(db, '2026-10-12T10:00:00+08:00', ['complaint', 'update', '2']);
    await prepare(db, '2026-10-20T10:00:00+08:00', ['complaint', 'resolve', '2', '--note', 'y', '--coupon', '20']);
    await prepare(db, '2026-10-24T10:00:00+08:00', ['complaint', 'followup', '2', '--satisfaction', '2']);
    // 张伟 again in November, low, never answered: both deadlines missed by now.
    await prepare(db, '2026-11-02T10:00:00+08:00', ['complaint', 'add', '张伟', '--severity', 'low', '--category', 'delivery', '--description', 'c']);
  });

  it('counts, shares, medians, compensation and repeat complainants per month', () => {
    const r = json<Report>(db, NOW, ['complaint', 'stats', '--since', '2026-10-01']);
    expect(r.periods.map((p) => p.period)).toEqual(['2026-10', '2026-11']);
    const [oct, nov] = r.periods as [Period, Period];
    expect(oct).toMatchObject({
      complaints: 2, customers: 4, per_100_customers: 50, first_response_in_time: 0.5, resolved_in_time: 0.5,
      // 30 min and 2 days; 10 h and 10 days: the medians of two are their means.
      median_first_response_minutes: 1455, median_resolution_minutes: 7500, reopen_rate: 0.5, refunds: '50.00', coupons: 1, coupon_value: '20.00', repeat_customers: 0,
    });
    expect(oct.by).toEqual({ category: { delivery: 1, price: 1 }, severity: { normal: 1, urgent: 1 }, channel: { phone: 1, wechat: 1 } });
    expect(nov).toMatchObject({ complaints: 1, first_response_in_time: 0, resolved_in_time: 0, median_first_response_minutes: null, reopen_rate: 0, refunds: '0.00' });
    expect(r.repeat_customers).toEqual([{ customer_id: 1, customer: '张伟', complaints: 2 }]);
    expect(r.repurchase).toMatchObject({ complainants: 0, share: null, anchor: null });
    const csv = ok(at(db, NOW, ['complaint', 'stats', '--since', '2026-10-01', '--format', 'csv'])).stdout.split(/\r?\n/);
    expect(csv[0]).toMatch(/^period,complaints,customers,per_100_customers,first_response_in_time,resolved_in_time,/);
    expect(csv[1]).toMatch(/^2026-10,2,4,50,0\.5,0\.5,1455,7500,0\.5,50\.00,1,20\.00,0,0,0,/);
    const table = ok(at(db, NOW, ['complaint', 'stats', '--since', '2026-10-01']));
    expect(table.stdout).toMatch(/│ 2026-10 +│ +2 │ +4 │ +50\.00 │ +50\.0% │ +50\.0% │ +1d │ +5d 5h │/);
    expect(table.stdout).toContain('张伟');
  });

  it('compares complainants who kept buying with customers who did not complain', () => {
    const LATER = '2027-02-01T10:00:00+08:00';
    // 张伟 orders again within 90 days of his resolution, 李娜 does not; of the others 王芳 orders in the 90 days after the anchor, 赵六 does not.
    ok(at(db, LATER, ['order', 'add', '张伟', '--amount', '80', '--date', '2026-11-15']));
    ok(at(db, LATER, ['order', 'add', '王芳', '--amount', '60', '--date', '2026-12-01']));
    const r = json<Report>(db, LATER, ['complaint', 'stats', '--since', '2026-10-01']);
    expect(r.repurchase).toMatchObject({ complainants: 2, kept: 1, share: 0.5, expected: 0.5, anchor: '2026-10-05T20:00:00+08:00' });
    expect(ok(at(db, LATER, ['complaint', 'stats', '--since', '2026-10-01'])).stdout).toContain('50.0% of 2 complainant(s) (1); expected 50.0%');
  });
});

describe('bad input: one line, exit 2 (1 for not found), nothing changed', () => {
  const db = tempDb();
  const NOW = '2026-11-23T10:00:00+08:00';
  const state = () => [at(db, NOW, ['complaint', 'list', '--format', 'json']).stdout, at(db, NOW, ['complaint', 'show', '1', '--format', 'json']).stdout, at(db, NOW, ['customer', 'show', '张伟', '--format', 'json']).stdout, at(db, NOW, ['coupon', 'list', '--format', 'json']).stdout];
  // What crm shows of the shop before any refusal, and every row of its file: each refusal is
  // checked against the rows (read in this process, no crm started), which is what those listings
  // are made from; the listings themselves are compared once, after the refusals.
  let shown: string[] = [];
  let stored: ReturnType<typeof dbState>;
  beforeAll(async () => {
    await prepare(db, SETUP, ['customer', 'add', '--name', '张伟', '--phone', '13800138000']);
    await prepare(db, SETUP, ['order', 'add', '张伟', '--amount', '100', '--date', '2026-10-20']);
    await prepare(db, NOW, ['complaint', 'add', '张伟', '--description', '坏了', '--order', '1']);
    shown = state();
    stored = dbState(db);
  });

  it.each([
    [['complaint', 'show', '99'], 1, 'crm: no complaint #99'],
    [['complaint', 'ack', '99'], 1, 'crm: no complaint #99'],
    [['complaint', 'add', '张伟', '--severity', 'huge', '--description', 'x'], 2, 'crm: "huge" is not a severity; severities: low, normal, high, urgent'],
    [['complaint', 'add', '张伟', '--category', 'weather', '--description', 'x'], 2, 'crm: "weather" is not a complaint category; categories: product_quality, delivery, service_attitude, price, other'],
    [['complaint', 'followup', '1', '--satisfaction', '6'], 2, 'crm: satisfaction is a whole number from 1 to 5, not "6"'],
    [['complaint', 'followup', '1', '--satisfaction', '0'], 2, 'crm: satisfaction is a whole number from 1 to 5, not "0"'],
    [['complaint', 'resolve', '1', '--note', '退款', '--refund', '150', '--coupon', '20'], 2, 'crm: order #1 was ¥100.00: at most ¥100.00 can be refunded'],
    [['complaint', 'close', '1'], 2, 'crm: cannot close a complaint that is open; allowed now: ack, update, resolve'],
    [['log', '张伟', '--type', '投诉', '--note', '坏了'], 2, 'crm complaint add'],
    [['complaint', 'stats', '--period', 'week'], 2, 'crm: --period "week"'],
  ] as const)('crm %j', (args, code, line) => {
    const r = at(db, NOW, [...args]);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(line);
    expect(dbState(db)).toEqual(stored);
  });

  it('shows the same complaints, customer and coupons after the refusals', () => {
    expect(state()).toEqual(shown);
  });
});
