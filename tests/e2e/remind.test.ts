// crm remind as a shop owner and cron use it, end to end with the built binary and a fake clock
// (CRM_NOW): the default rules on their days, quiet hours, the catch-up cap, consent, each channel
// against a real local server (node:http for webhooks, smtp-server for email) or the outbox folder,
// two runs at once and a run killed mid-way (each message once), an owner's reminder with coupons
// and a holdout, and every refusal as one line. One shop per describe, set up in beforeAll.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Papa from 'papaparse';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, crm, crmJson, tempDb, tempDir, type Result } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';

interface Occurrence {
  due_at: string;
  rule: string;
  customer_id: number;
  customer: string;
  occasion: string;
  channel: string;
  status: string;
  reason: string | null;
  attempts: number;
  delivery_id: string;
  sent_at: string | null;
  message: string | null;
}

const SETUP_NOW = '2027-01-20T10:00:00+08:00';
const SPRING = '2027-02-06T09:05:00+08:00';

/** crm at a moment (sync: only while no server of this process has to answer). */
const at = (db: string, now: string, args: string[]) => crm(args, { db, env: { CRM_NOW: now } });
const ok = (r: Result) => {
  expect(r.code, r.stderr).toBe(0);
  return r;
};
const history = (db: string, now = SPRING, args: string[] = []) => crmJson<Occurrence[]>(['remind', 'history', ...args], { db, env: { CRM_NOW: now } });
const byKey = (rows: Occurrence[]) => Object.fromEntries(rows.map((r) => [`${r.customer} ${r.rule}`, r]));

/** The environment the helper builds, for processes started with spawn. */
function envFor(db: string, now: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8', TZ: 'Asia/Shanghai', CRM_DB: db, CRM_NOW: now, CRM_WEBHOOK_KEY: 'secret-token-123' };
}

/** A crm process left running (so this process's servers can answer it, or so it can be killed). */
function start(db: string, now: string, args: string[]): { child: ChildProcess; out: () => string; done: Promise<Result & { signal: string | null }> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: envFor(db, now), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const done = new Promise<Result & { signal: string | null }>((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr })));
  return { child, out: () => stdout, done };
}
const run = (db: string, now: string) => start(db, now, ['remind', 'run']).done;

/** The set-up of a shop, in this process (what is checked runs the built binary). */
const prepare = (db: string, now: string, args: string[]) => setUp(args, { db, env: { CRM_NOW: now } });

/** A shop: the customers imported from CSV lines, then each set-up command. */
async function shop(csv: string[], setup: string[][] = []): Promise<string> {
  const db = tempDb();
  const file = path.join(path.dirname(db), 'customers.csv');
  fs.writeFileSync(file, csv.join('\n') + '\n');
  await prepare(db, SETUP_NOW, ['import', 'customers', file]);
  for (const args of setup) await prepare(db, SETUP_NOW, args);
  return db;
}

/** A copy of a prepared shop at a new path. */
function copyDb(db: string): string {
  const to = tempDb();
  for (const ext of ['', '-wal', '-shm']) if (fs.existsSync(db + ext)) fs.copyFileSync(db + ext, to + ext);
  return to;
}

/** The stdout channel's blocks: header fields of each "[id] name · contact · rule: title" line. */
function blocks(stdout: string): { id: string; name: string; contact: string; rule: string; repeat: boolean }[] {
  return [...stdout.matchAll(/^\[(\w{16})\] (.+?) · (.+?) · ([\w:]+): .*$/gm)].map((m) => ({ id: m[1]!, name: m[2]!, contact: m[3]!, rule: m[4]!, repeat: m[0].includes('(may repeat') }));
}

/** The rows of an outbox file (after its BOM and header). */
function outboxRows(file: string): { phone: string; message: string; delivery_id: string }[] {
  const text = fs.readFileSync(file, 'utf8');
  expect(text.startsWith('\uFEFFphone,message,delivery_id\r\n')).toBe(true);
  return Papa.parse<{ phone: string; message: string; delivery_id: string }>(text.slice(1), { header: true, skipEmptyLines: true }).data;
}

/** A local webhook endpoint: keeps each POST body, answers `status` (or never, with hang). */
async function hookServer() {
  const state = { status: 200, hang: false, posts: [] as string[], urls: [] as string[] };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      state.posts.push(body);
      state.urls.push(req.url ?? '');
      if (state.hang) return;
      res.writeHead(state.status, { 'content-type': 'application/json' });
      res.end(state.status === 200 ? '{"errcode":0,"errmsg":"ok"}' : 'oops');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    port,
    url: `http://127.0.0.1:${port}/hook`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  });
}

/** Customers of a big book, all with a phone: 客户0 +8613800000000 ... */
const bigBook = (n: number) => ['name,phone', ...Array.from({ length: n }, (_, i) => `客户${i},1380000${String(i).padStart(4, '0')}`)];

// ---------------------------------------------------------------------------------------------

describe('the default rules on day one (stdout)', () => {
  let db = '';
  let first: Result;
  beforeAll(async () => {
    db = await shop(['name,phone,email,birthday,birthday_lunar,do_not_contact', '张伟,13800138000,,1990-02-06,,', '李娜,13900139000,,01-01,yes,', '王芳,13700137000,,1985-02-06,,yes', 'Emily,,emily@example.com,,,']);
    first = await run(db, SPRING);
  });

  it('greets the birthdays (solar and lunar) and every contactable customer for the Spring Festival', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('Sent 5, failed 0, skipped 2 (do not contact 2), held out 0.\n');
    expect(blocks(first.stdout).map((b) => `${b.name} ${b.contact} ${b.rule}`)).toEqual([
      '张伟 +8613800138000 birthday',
      '李娜 +8613900139000 birthday',
      '张伟 +8613800138000 holiday',
      '李娜 +8613900139000 holiday',
      'Emily emily@example.com holiday',
    ]);
    expect(first.stdout).toContain('    Happy birthday, 张伟! Wishing you a wonderful year ahead');
    expect(first.stdout).toContain('Happy birthday, 李娜! Today is 1st lunar month, day 1 in the lunar calendar');
    expect(first.stdout).toContain('    Happy Chinese New Year, Emily!');
    expect(first.stdout).not.toContain('王芳');
    const h = byKey(history(db));
    expect(h['李娜 birthday']).toMatchObject({ status: 'sent', occasion: 'birthday:2027-02-06', due_at: '2027-02-06T09:00:00+08:00', sent_at: SPRING });
    expect(h['张伟 holiday']).toMatchObject({ status: 'sent', occasion: 'holiday:spring_festival:2027' });
    expect(h['王芳 birthday']).toMatchObject({ status: 'skipped', reason: 'do_not_contact', attempts: 0, sent_at: null });
    expect(h['王芳 holiday']).toMatchObject({ status: 'skipped', reason: 'do_not_contact' });
    for (const b of blocks(first.stdout)) expect(h[`${b.name} ${b.rule}`]!.delivery_id).toBe(b.id);
  });

  it('sends nothing again on later runs: exit 0, no output', () => {
    for (const now of ['2027-02-06T09:20:00+08:00', '2027-02-07T09:05:00+08:00']) expect(at(db, now, ['remind', 'run'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(history(db)).toHaveLength(7);
  });

  it('records each delivery as an interaction on the customer', () => {
    const sent = history(db).filter((o) => o.status === 'sent');
    const log = crmJson<{ customer: string; type: string; note: string; at: string }[]>(['log', 'list'], { db, env: { CRM_NOW: SPRING } });
    expect(log).toHaveLength(5);
    for (const o of sent) expect(log.find((l) => l.note.includes(o.delivery_id))).toMatchObject({ customer: o.customer, type: 'message', at: SPRING });
  });
});

describe('welcome and call-back after a first order', () => {
  let db = '';
  beforeAll(async () => {
    db = await shop(['name,phone', '周杰,13600136000']);
    await prepare(db, '2027-02-10T14:30:00+08:00', ['order', 'add', '13600136000', '--amount', '128']);
  });

  it('welcomes 24 hours after the first order and asks staff to call back after 48', () => {
    expect(at(db, '2027-02-10T18:00:00+08:00', ['remind', 'run'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(at(db, '2027-02-11T14:25:00+08:00', ['remind', 'run']).stdout).toBe('');
    const welcome = at(db, '2027-02-11T14:45:00+08:00', ['remind', 'run']);
    expect(blocks(welcome.stdout).map((b) => `${b.name} ${b.rule}`)).toEqual(['周杰 welcome']);
    expect(welcome.stdout).toContain('Welcome to My shop, 周杰!');
    const callback = at(db, '2027-02-12T14:45:00+08:00', ['remind', 'run']);
    expect(blocks(callback.stdout).map((b) => `${b.name} ${b.rule}`)).toEqual(['周杰 callback']);
    expect(callback.stdout).toContain('48-hour call-back: 周杰 (+8613600136000)');
    expect(callback.stdout).toContain('the order of Feb 10 (¥128.00)');
    expect(at(db, '2027-02-13T14:45:00+08:00', ['remind', 'run']).stdout).toBe('');
    expect(history(db, '2027-02-13T14:45:00+08:00').map((o) => `${o.rule} ${o.due_at} ${o.status}`)).toEqual(['callback 2027-02-12T14:30:00+08:00 sent', 'welcome 2027-02-11T14:30:00+08:00 sent']);
  });
});

describe('quiet hours', () => {
  let db = '';
  beforeAll(async () => (db = await shop(['name,phone,birthday', '夜猫,13500135000,1992-03-05'])));

  it('holds the messages of a 22:00 run until the 09:05 run', () => {
    const night = at(db, '2027-03-05T22:00:00+08:00', ['remind', 'run']);
    expect(night).toEqual({ code: 0, stdout: '', stderr: 'Quiet hours: 1 messages wait until 09:00.\n' });
    expect(history(db)).toMatchObject([{ customer: '夜猫', rule: 'birthday', status: 'pending', attempts: 0 }]);
    const morning = at(db, '2027-03-06T09:05:00+08:00', ['remind', 'run']);
    expect(morning.code).toBe(0);
    expect(blocks(morning.stdout).map((b) => b.name)).toEqual(['夜猫']);
    expect(morning.stderr).toBe('Sent 1, failed 0, skipped 0, held out 0.\n');
  });
});

describe('the catch-up cap', () => {
  let db = '';
  beforeAll(async () => (db = await shop(['name,phone,birthday', 'Old,13800138001,1990-03-10', 'Recent,13800138002,1990-03-30', 'Today,13800138003,1990-03-31'])));

  it('records old birthdays as missed after a month without runs, and sends the recent ones', () => {
    expect(at(db, '2027-03-01T10:00:00+08:00', ['remind', 'run'])).toEqual({ code: 0, stdout: '', stderr: '' });
    const late = at(db, '2027-03-31T10:00:00+08:00', ['remind', 'run']);
    expect(late.code).toBe(0);
    expect(blocks(late.stdout).map((b) => b.name)).toEqual(['Recent', 'Today']);
    expect(late.stderr).toBe('Sent 2, failed 0, skipped 1 (missed 1), held out 0.\n');
    const h = byKey(history(db));
    expect(h['Old birthday']).toMatchObject({ status: 'skipped', reason: 'missed', attempts: 0, occasion: 'birthday:2027-03-10' });
    expect(h['Recent birthday']).toMatchObject({ status: 'sent', occasion: 'birthday:2027-03-30' });
  });
});

describe('consent', () => {
  let db = '';
  beforeAll(async () => {
    db = await shop(['name,phone,birthday', '甲,13800138001,1990-02-06', '乙,13800138002,1990-02-06', '丙,13800138003,1990-02-06'], [
      ['customer', 'edit', '13800138002', '--no-marketing'],
      ['customer', 'edit', '13800138003', '--do-not-contact'],
    ]);
  });

  it('skips holiday greetings for a marketing opt-out but still sends the birthday; do-not-contact gets nothing', async () => {
    const r = await run(db, SPRING);
    expect(r.code).toBe(0);
    expect(blocks(r.stdout).map((b) => `${b.name} ${b.rule}`)).toEqual(['甲 birthday', '乙 birthday', '甲 holiday']);
    expect(r.stderr).toBe('Sent 3, failed 0, skipped 3 (do not contact 2, no marketing 1), held out 0.\n');
    const h = byKey(history(db));
    expect(h['乙 holiday']).toMatchObject({ status: 'skipped', reason: 'no_marketing' });
    expect(h['丙 birthday']).toMatchObject({ status: 'skipped', reason: 'do_not_contact' });
    expect(h['丙 holiday']).toMatchObject({ status: 'skipped', reason: 'do_not_contact' });
  });
});

describe('the outbox channel', () => {
  const dir = path.join(tempDir(), 'outbox');
  let db = '';
  beforeAll(async () => {
    db = await shop(['name,phone,email,birthday', '张伟,13800138000,,1990-02-06', 'Emily,,emily@example.com,1991-02-06', '=HYPERLINK,13900139000,,1992-02-06'], [
      ['remind', 'rules', 'birthday', '--channel', 'outbox'],
      ['remind', 'rules', 'holiday', '--off'],
      ['config', 'set', 'outbox_dir', dir],
    ]);
  });

  it('writes sms-YYYY-MM-DD.csv with phone, message and delivery id; a customer without a phone is skipped', async () => {
    const r = await run(db, SPRING);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'Sent 2, failed 0, skipped 1 (no phone 1), held out 0.\n' });
    expect(fs.readdirSync(dir)).toEqual(['sms-2027-02-06.csv']);
    const h = byKey(history(db));
    expect(outboxRows(path.join(dir, 'sms-2027-02-06.csv'))).toEqual([
      { phone: '+8613800138000', message: h['张伟 birthday']!.message, delivery_id: h['张伟 birthday']!.delivery_id },
      { phone: '+8613900139000', message: h['=HYPERLINK birthday']!.message, delivery_id: h['=HYPERLINK birthday']!.delivery_id },
    ]);
    expect(h['张伟 birthday']!.message).toMatch(/^Happy birthday, 张伟!/);
    expect(h['Emily birthday']).toMatchObject({ status: 'skipped', reason: 'no_phone' });
  });
});

describe('the webhook channel', () => {
  let base = '';
  const servers: Awaited<ReturnType<typeof hookServer>>[] = [];
  const server = async () => {
    const s = await hookServer();
    servers.push(s);
    return s;
  };
  /** A copy of the shop posting to this server. */
  const shopFor = async (url: string, settings: [string, string][] = []) => {
    const db = copyDb(base);
    for (const [k, v] of [['webhook_url', url], ...settings]) await prepare(db, SETUP_NOW, ['config', 'set', k!, v!]);
    return db;
  };
  beforeAll(async () => {
    base = await shop(['name,phone,email,birthday', '张伟,13800138000,,1990-02-06', 'Emily,,emily@example.com,1991-02-06'], [
      ['remind', 'rules', 'birthday', '--channel', 'webhook'],
      ['remind', 'rules', 'holiday', '--off'],
      ['config', 'set', 'remind_retries', '3'],
    ]);
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it('posts the tasks with their delivery ids to a WeCom robot', async () => {
    const s = await server();
    const db = await shopFor(s.url, [['webhook_kind', 'wecom']]);
    const r = await run(db, SPRING);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'Sent 2, failed 0, skipped 0, held out 0.\n' });
    expect(s.posts).toHaveLength(1);
    const body = JSON.parse(s.posts[0]!) as { msgtype: string; text: { content: string } };
    expect(body.msgtype).toBe('text');
    const h = byKey(history(db));
    expect(body.text.content).toContain('My shop: 2 reminder(s)');
    expect(body.text.content).toContain(`• 张伟 +8613800138000 · My shop · Happy birthday [${h['张伟 birthday']!.delivery_id}]\n  Happy birthday, 张伟!`);
    expect(body.text.content).toContain(`• Emily emily@example.com · My shop · Happy birthday [${h['Emily birthday']!.delivery_id}]`);
  });

  it('fails on HTTP 500 (exit 1, one summary line), and the next run retries once the server answers 200', async () => {
    const s = await server();
    s.status = 500;
    const db = await shopFor(s.url);
    const r = await run(db, SPRING);
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('Sent 0, failed 2, skipped 0, held out 0.');
    expect(lines.slice(1, 3).every((l) => l.endsWith(`: webhook 127.0.0.1:${s.port} answered HTTP 500`))).toBe(true);
    expect(lines.at(-1)).toBe('crm: 2 messages failed (0 given up after the last try); the rest are retried by the next run');
    expect(r.stderr).not.toContain('secret-token-123');
    // The robot's key comes from the environment (CRM_WEBHOOK_KEY), never from the database.
    expect(s.urls.at(-1)).toBe('/hook?key=secret-token-123');
    const failed = history(db);
    const ids = failed.map((o) => o.delivery_id).sort();
    const posted = (JSON.parse(s.posts[0]!) as { shop: string; messages: { deliveryId: string; text: string; customerName: string }[] });
    expect(posted.shop).toBe('My shop');
    expect(posted.messages.map((m) => m.deliveryId).sort()).toEqual(ids);
    expect(failed.map((o) => `${o.status} ${o.attempts}`)).toEqual(['failed 1', 'failed 1']);

    s.status = 200;
    const again = await run(db, '2027-02-06T09:20:00+08:00');
    expect(again).toMatchObject({ code: 0, stderr: 'Sent 2, failed 0, skipped 0, held out 0.\n' });
    expect(s.posts).toHaveLength(2);
    expect((JSON.parse(s.posts[1]!) as { messages: { deliveryId: string }[] }).messages.map((m) => m.deliveryId).sort()).toEqual(ids);
    expect(history(db).map((o) => `${o.status} ${o.attempts} ${o.sent_at}`)).toEqual(['sent 2 2027-02-06T09:20:00+08:00', 'sent 2 2027-02-06T09:20:00+08:00']);
  });

  it('gives up after remind_retries attempts', async () => {
    const s = await server();
    s.status = 500;
    const db = await shopFor(s.url, [['remind_retries', '2']]);
    expect((await run(db, SPRING)).code).toBe(1);
    const second = await run(db, '2027-02-06T09:20:00+08:00');
    expect(second.code).toBe(1);
    expect(second.stderr.trimEnd().split('\n').at(-1)).toBe('crm: 2 messages failed and were given up after the last try (crm remind history --status failed)');
    expect(await run(db, '2027-02-06T09:35:00+08:00')).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(s.posts).toHaveLength(2);
    expect(history(db).map((o) => `${o.status} ${o.attempts}`)).toEqual(['failed 2', 'failed 2']);
    expect(crmJson(['remind', 'due'], { db, env: { CRM_NOW: '2027-02-06T09:35:00+08:00' } })).toEqual([]);
  });

  it('fails cleanly when the server never answers within webhook_timeout', async () => {
    const s = await server();
    s.hang = true;
    const db = await shopFor(s.url, [['webhook_timeout', '1']]);
    const t0 = Date.now();
    const r = await run(db, SPRING);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`: 127.0.0.1:${s.port} did not answer within 1 s`);
    expect(history(db).map((o) => `${o.status} ${o.attempts}`)).toEqual(['failed 1', 'failed 1']);
  });
});

describe('the email channel', () => {
  let db = '';
  const mails: string[] = [];
  let smtp: SMTPServer;
  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, done) {
        if (address.address.startsWith('bad')) return done(Object.assign(new Error('no such user here'), { responseCode: 550 }));
        done();
      },
      onData(stream, _session, done) {
        let text = '';
        stream.setEncoding('utf8').on('data', (c: string) => (text += c));
        stream.on('end', () => {
          mails.push(text);
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    db = await shop(['name,phone,email,birthday', '张伟,13800138000,,1990-02-06', 'Emily,,emily@example.com,1991-02-06', 'Bad,,bad@example.com,1992-02-06'], [
      ['remind', 'rules', 'birthday', '--channel', 'email'],
      ['remind', 'rules', 'holiday', '--off'],
      ['config', 'set', 'smtp_host', '127.0.0.1'],
      ['config', 'set', 'smtp_port', String(port)],
      ['config', 'set', 'smtp_security', 'none'],
      ['config', 'set', 'smtp_from', '小店 <shop@example.com>'],
    ]);
  });
  afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

  /** Quoted-printable body to text. */
  const unQp = (s: string) => Buffer.from(s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');

  it('mails the greeting with the delivery id in Message-ID and X-CRM-Delivery; no email skipped; a rejected recipient fails with one line', async () => {
    const r = await run(db, SPRING);
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    const h = byKey(history(db));
    expect(lines[0]).toBe('Sent 1, failed 1, skipped 1 (no email 1), held out 0.');
    expect(lines[1]).toBe(`  failed ${h['Bad birthday']!.delivery_id} (Bad): mail server rejected the recipient bad@example.com: 550 no such user here`);
    expect(lines[2]).toBe('crm: 1 messages failed (0 given up after the last try); the rest are retried by the next run');
    expect(mails).toHaveLength(1);
    const [head, body] = mails[0]!.split('\r\n\r\n') as [string, string];
    const id = h['Emily birthday']!.delivery_id;
    expect(head).toMatch(new RegExp(`^Message-ID: <${id}\\.crm@example\\.com>$`, 'm'));
    expect(head).toMatch(new RegExp(`^X-CRM-Delivery: ${id}$`, 'im'));
    expect(head).toMatch(/^To: Emily <emily@example\.com>$/m);
    expect(unQp(body).trim()).toBe(h['Emily birthday']!.message);
    expect(h['Emily birthday']!.message).toMatch(/^Happy birthday, Emily!/);
    expect(h['张伟 birthday']).toMatchObject({ status: 'skipped', reason: 'no_email' });
    expect(h['Bad birthday']).toMatchObject({ status: 'failed', attempts: 1 });
  });
});

describe('exactly once', () => {
  const dir = path.join(tempDir(), 'outbox');
  let db = '';
  beforeAll(async () => {
    db = await shop(bigBook(300), [['remind', 'rules', 'holiday', '--channel', 'outbox'], ['config', 'set', 'outbox_dir', dir]]);
  });

  it('two runs started at the same moment deliver each message once', async () => {
    const [a, b] = await Promise.all([run(db, SPRING), run(db, SPRING)]);
    expect([a!.code, b!.code]).toEqual([0, 0]);
    const sent = [a!, b!].map((r) => Number(/Sent (\d+),/.exec(r.stderr)?.[1] ?? 0));
    expect(sent[0]! + sent[1]!).toBe(300);
    const rows = outboxRows(path.join(dir, 'sms-2027-02-06.csv'));
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r.delivery_id)).size).toBe(300);
    expect(new Set(rows.map((r) => r.phone)).size).toBe(300);
    const h = history(db);
    expect(h.every((o) => o.status === 'sent' && o.attempts === 1)).toBe(true);
    expect(new Set(h.map((o) => o.delivery_id))).toEqual(new Set(rows.map((r) => r.delivery_id)));
  });
});

describe('a run killed mid-way', () => {
  const N = 2000;
  let base = '';
  beforeAll(async () => (base = await shop(bigBook(N), [['remind', 'rules', 'holiday', '--channel', 'outbox']])));
  const statuses = (db: string) => history(db).reduce<Record<string, number>>((n, o) => ((n[o.status] = (n[o.status] ?? 0) + 1), n), {});

  it('outbox: a new run after the lease finishes the job, every customer exactly once', async () => {
    const db = copyDb(base);
    const dir = path.join(tempDir(), 'outbox');
    await prepare(db, SETUP_NOW, ['config', 'set', 'outbox_dir', dir]);
    const file = path.join(dir, 'sms-2027-02-06.csv');
    const p = start(db, SPRING, ['remind', 'run']);
    const size = () => (fs.existsSync(file) ? fs.statSync(file).size : 0);
    const header = '\uFEFFphone,message,delivery_id\r\n'.length + 2;
    for (let waited = 0; size() <= header && p.child.exitCode === null && waited < 20_000; waited += 2) await new Promise((r) => setTimeout(r, 2));
    p.child.kill('SIGKILL');
    const killed = await p.done;
    expect(killed.signal).toBe('SIGKILL');
    const written = outboxRows(file).length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(N);
    const claimed = statuses(db).sending ?? 0;

    // Within the lease the stopped run's claims are left alone; the rest go out.
    const soon = await run(db, '2027-02-06T09:06:00+08:00');
    expect(soon.code, soon.stderr).toBe(0);
    expect(statuses(db).sending ?? 0).toBe(claimed);
    // Past the 10-minute lease they are taken up: those already in the file are not written again.
    const later = await run(db, '2027-02-06T09:16:00+08:00');
    expect(later.code, later.stderr).toBe(0);
    if (claimed > 0) expect(later.stderr).toMatch(/found already delivered by a run that stopped \(not sent again\)/);
    const rows = outboxRows(file);
    expect(rows).toHaveLength(N);
    expect(new Set(rows.map((r) => r.phone)).size).toBe(N);
    expect(new Set(rows.map((r) => r.delivery_id)).size).toBe(N);
    expect(statuses(db)).toEqual({ sent: N });
  });

  it('stdout: at most one message repeats, and the repeat is marked', async () => {
    const db = copyDb(base);
    await prepare(db, SETUP_NOW, ['remind', 'rules', 'holiday', '--channel', 'stdout']);
    const p = start(db, SPRING, ['remind', 'run']);
    for (let waited = 0; blocks(p.out()).length < 50 && p.child.exitCode === null && waited < 20_000; waited += 2) await new Promise((r) => setTimeout(r, 2));
    p.child.kill('SIGKILL');
    const killed = await p.done;
    expect(killed.signal).toBe('SIGKILL');
    const later = await run(db, '2027-02-06T09:16:00+08:00');
    expect(later.code, later.stderr).toBe(0);
    const all = [...blocks(killed.stdout), ...blocks(later.stdout)];
    const seen = new Map<string, number>();
    for (const b of all) seen.set(b.id, (seen.get(b.id) ?? 0) + 1);
    expect(seen.size).toBe(N);
    const repeats = [...seen].filter(([, n]) => n > 1);
    expect(repeats.length).toBeLessThanOrEqual(1);
    expect([...seen.values()].every((n) => n <= 2)).toBe(true);
    for (const [id] of repeats) expect(blocks(later.stdout).find((b) => b.id === id)!.repeat).toBe(true);
    // Flagged: what was claimed by the killed run (printed or not, the next run cannot tell), so at most one.
    expect(all.filter((b) => b.repeat).length).toBeLessThanOrEqual(1);
    expect(all.filter((b) => b.repeat).length).toBeGreaterThanOrEqual(repeats.length);
    expect(statuses(db)).toEqual({ sent: N });
  });
});

describe("the owner's reminders", () => {
  const dir = path.join(tempDir(), 'outbox');
  let db = '';
  const now = (day: string, time = '09:05') => `2027-03-${day}T${time}:00+08:00`;
  const phoneOf = (name: string) => `+861390000000${name.slice(1)}`;
  const reminderRuns = (rows: Occurrence[], rule: string) => rows.filter((o) => o.rule === rule);
  beforeAll(async () => {
    db = await shop(['name,phone,tags', ...Array.from({ length: 10 }, (_, i) => `V${i},1390000000${i},VIP`), 'N,13700000000,'], [
      ['config', 'set', 'outbox_dir', dir],
      // The orders below are first orders: no welcome or call-back in these counts.
      ['remind', 'rules', 'welcome', '--off'],
      ['remind', 'rules', 'callback', '--off'],
    ]);
  });

  it('a weekly VIP win-back with coupons and a 50% holdout: codes in the messages, redeemable, measured by stats', async () => {
    const add = at(db, now('01', '08:00'), ['remind', 'add', '--tag', 'VIP', '--cron', '0 9 * * 1', '--template', 'winback', '--channel', 'outbox', '--coupon', '20', '--coupon-days', '14', '--holdout', '50%']);
    expect(add).toEqual({ code: 0, stdout: 'Reminder 1 added; next: 2027-03-01 09:00.\n', stderr: '' });
    expect(crmJson(['remind', 'show', '1'], { db, env: { CRM_NOW: now('01', '08:00') } })).toMatchObject({
      id: 1, audience: 'tag:VIP', when: '0 9 * * 1', next: '2027-03-01T09:00:00+08:00', template: 'winback', channel: 'outbox', marketing: true, holdout: 0.5, coupon: '20.00', paused: false,
    });

    const weeks = ['01', '08', '15'];
    let firstRows: ReturnType<typeof outboxRows> = [];
    for (const day of weeks) {
      const r = await run(db, now(day));
      expect(r.code, r.stderr).toBe(0);
      const m = /^Sent (\d+), failed 0, skipped 0, held out (\d+)\.$/.exec(r.stderr.trim())!;
      expect(Number(m[1]) + Number(m[2])).toBe(10);
      const rows = outboxRows(path.join(dir, `sms-2027-03-${day}.csv`));
      expect(rows).toHaveLength(Number(m[1]));
      const week = reminderRuns(history(db, now(day)), 'reminder:1').filter((o) => o.due_at === `2027-03-${day}T09:00:00+08:00`);
      const held = week.filter((o) => o.status === 'holdout');
      expect(held).toHaveLength(Number(m[2]));
      const heldPhones = new Set(held.map((o) => phoneOf(o.customer)));
      expect(rows.some((row) => heldPhones.has(row.phone) || row.phone === '+8613700000000')).toBe(false);
      for (const row of rows) expect(row.message).toMatch(/^We miss you, V\d! Here is a ¥20 coupon, code [A-Z2-9]{5}-[A-Z2-9]{5}, valid until Mar \d+\./);
      if (day === '01') {
        firstRows = rows;
        // The week after the first message: one who got a coupon uses it, one held out buys anyway.
        const code = /code ([A-Z2-9-]{11})/.exec(rows[0]!.message)![1]!;
        const used = at(db, now('02', '12:00'), ['order', 'add', rows[0]!.phone, '--amount', '100', '--coupon', code]);
        expect(used.code, used.stderr).toBe(0);
        expect(used.stdout).toContain(`Redeemed coupon ${code}: ¥20.00 off`);
        await prepare(db, now('02', '12:00'), ['order', 'add', phoneOf(held[0]!.customer), '--amount', '50']);
      }
    }

    const coupons = crmJson<{ code: string; customer: string; status: string; rule: string; issued_at: string }[]>(['coupon', 'list'], { db, env: { CRM_NOW: now('16') } });
    const runs16 = reminderRuns(history(db, now('16')), 'reminder:1'); // read once: nothing below writes before the stats
    const sent = runs16.filter((o) => o.status === 'sent');
    expect(coupons).toHaveLength(sent.length);
    expect(coupons.every((c) => c.rule === 'reminder:1')).toBe(true);
    // Each sent message carries its own coupon; the held-out customers got none that week.
    expect(new Set(coupons.map((c) => `${c.customer} ${c.issued_at.slice(0, 10)}`))).toEqual(new Set(sent.map((o) => `${o.customer} ${o.due_at.slice(0, 10)}`)));
    const inMessages = sent.map((o) => /code ([A-Z2-9-]{11})/.exec(o.message!)![1]!).sort();
    expect(coupons.map((c) => c.code).sort()).toEqual(inMessages);
    expect(coupons.filter((c) => c.status === 'redeemed').map((c) => c.code)).toEqual([/code ([A-Z2-9-]{11})/.exec(firstRows[0]!.message)![1]]);

    const held = runs16.filter((o) => o.status === 'holdout').length;
    const pct = (x: number) => Math.round(x * 10000) / 100;
    expect(crmJson(['remind', 'stats'], { db, env: { CRM_NOW: now('16') } })).toEqual([
      expect.objectContaining({
        period: '2027-03', rule: 'reminder:1', sent: sent.length, failed: 0, skipped: 0, holdout: held, coupons_issued: sent.length, coupons_redeemed: 1,
        buyers: 1, revenue: '100.00', sent_rate: pct(1 / sent.length), holdout_rate: pct(1 / held), uplift: pct(1 / sent.length - 1 / held), enough: false,
      }),
    ]);
  });

  it('a one-off --at with --lead 1d goes out a day early, once', async () => {
    const add = at(db, now('16'), ['remind', 'add', '--customer', '13900000003', '--at', '2027-03-20 10:00', '--lead', '1d', '--template', 'callback', '--service', '--note', '问新米到了没有']);
    expect(add.stdout).toBe('Reminder 2 added; next: 2027-03-19 10:00.\n');
    expect(crmJson(['remind', 'show', '2'], { db, env: { CRM_NOW: now('16') } })).toMatchObject({ audience: 'customer:4', when: '2027-03-20T10:00:00+08:00', lead_minutes: 1440, marketing: false, note: '问新米到了没有' });
    expect(at(db, now('19', '09:55'), ['remind', 'run'])).toEqual({ code: 0, stdout: '', stderr: '' });
    const r = at(db, now('19', '10:05'), ['remind', 'run']);
    expect(blocks(r.stdout).map((b) => `${b.name} ${b.contact} ${b.rule}`)).toEqual(['V3 +8613900000003 reminder:2']);
    expect(at(db, now('20', '10:05'), ['remind', 'run']).stdout).toBe('');
    expect(reminderRuns(history(db, now('20')), 'reminder:2')).toMatchObject([{ customer: 'V3', status: 'sent', due_at: '2027-03-19T10:00:00+08:00' }]);
  });

  it('pause, resume, list and rm', async () => {
    expect(at(db, now('21'), ['remind', 'pause', '1']).stdout).toBe('Reminder 1 paused.\n');
    expect(crmJson<{ id: number; paused: boolean }[]>(['remind', 'list'], { db }).map((r) => [r.id, r.paused])).toEqual([[1, true], [2, false]]);
    expect(await run(db, now('22'))).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(at(db, now('23'), ['remind', 'resume', '1']).stdout).toBe('Reminder 1 resumed.\n');
    const r = await run(db, now('29'));
    expect(r.stderr).toMatch(/^Sent \d+, failed 0, skipped 0, held out \d+\.\n$/);
    const all29 = history(db, now('29'));
    const due = new Set(reminderRuns(all29, 'reminder:1').map((o) => o.due_at.slice(0, 10)));
    expect([...due].sort()).toEqual(['2027-03-01', '2027-03-08', '2027-03-15', '2027-03-29']);
    const before = all29.length;
    expect(at(db, now('29'), ['remind', 'rm', '1']).stdout).toBe('Reminder 1 removed.\n');
    expect(crmJson<{ id: number }[]>(['remind', 'list'], { db }).map((x) => x.id)).toEqual([2]);
    expect(at(db, now('29'), ['remind', 'show', '1'])).toMatchObject({ code: 1, stdout: '', stderr: 'crm: no reminder 1\n' });
    expect(history(db, now('29'))).toHaveLength(before); // what was sent stays in the history
  });
});

describe('bad input', () => {
  let db = '';
  beforeAll(async () => (db = await shop(['name,phone,tags', '张伟,13800138000,VIP'])));

  it('refuses each with one line and exit 2, recording nothing', async () => {
    const add = (...args: string[]) => ['remind', 'add', ...args];
    const cases: [string[], string][] = [
      [add('--tag', 'VIP', '--cron', '0 9 * * 1', '--template', 'nosuch'), 'crm: no template "nosuch"; crm template list shows them'],
      [add('--tag', 'VIP', '--cron', '0 9 * * 1', '--template', 'winback', '--channel', 'sms'), 'crm: unknown channel "sms": use stdout|outbox|webhook|email'],
      [add('--segment', 'nosuch', '--cron', '0 9 * * 1', '--template', 'winback'), 'crm: no segment "nosuch"; segments: champions'],
      [add('--tag', 'VIP', '--cron', '0 9 * *', '--template', 'winback'), 'crm: "0 9 * *" has 4 fields; a cron schedule has 5 (minute hour day month weekday), e.g. "0 9 * * 1"'],
      [add('--tag', 'VIP', '--cron', '0 25 * * *', '--template', 'winback'), 'crm: "0 25 * * *" is not a cron schedule'],
      [add('--tag', 'VIP', '--at', '2027-04-01 09:00', '--cron', '0 9 * * 1', '--template', 'winback'), 'crm: say when: --at for once, or --cron for a schedule (one of the two)'],
      [add('--cron', '0 9 * * 1', '--template', 'winback'), 'crm: say who the reminder is for: one of --customer, --tag, --tier, --segment, --stage, --value-class, --all'],
      [add('--tag', 'VIP', '--cron', '0 9 * * 1'), 'crm: say which template: --template (crm template list)'],
      [add('--tag', 'VIP', '--cron', '0 9 * * 1', '--template', 'winback', '--holdout', '80%'), 'crm: --holdout takes a share from 0 to 50% (10%, 0.1), not "80%"'],
      [['remind', 'rules', 'nosuch'], 'crm: no rule "nosuch"; rules: birthday, holiday, welcome, callback, renewal, replenish, winback, upgrade'],
      [['remind', 'rules', 'renewal', '--on'], 'crm: the renewal rule needs the date field it counts back from: --field <key>'],
      [['remind', 'cron', '--schedule', '*/15 * *'], 'crm: "*/15 * *" has 3 fields'],
    ];
    const results = await Promise.all(cases.map(([args]) => start(db, SETUP_NOW, args).done));
    results.forEach((r, i) => {
      const [args, line] = cases[i]!;
      expect({ args, code: r.code, stdout: r.stdout, lines: r.stderr.trimEnd().split('\n').length }).toEqual({ args, code: 2, stdout: '', lines: 1 });
      expect(r.stderr.startsWith(line), `${args.join(' ')}: ${r.stderr}`).toBe(true);
    });
    // An unknown customer is "not found" (exit 1), as everywhere in crm.
    const nobody = at(db, SETUP_NOW, add('--customer', 'nobody', '--cron', '0 9 * * 1', '--template', 'winback'));
    expect(nobody).toMatchObject({ code: 1, stdout: '' });
    expect(nobody.stderr).toContain('crm: no customer matches "nobody"');
    expect(crmJson(['remind', 'list'], { db })).toEqual([]);
    expect(crmJson<{ rule: string; on: boolean }[]>(['remind', 'rules'], { db }).find((r) => r.rule === 'renewal')).toMatchObject({ on: false });
  });

  it('remind cron prints a crontab line with absolute paths under flock -n, which runs', () => {
    const r = ok(at(db, SETUP_NOW, ['remind', 'cron']));
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^# /);
    const q = (s: string) => `'${s}'`;
    expect(lines[1]).toBe(`*/15 * * * * flock -n ${q(`${db}.remind.lock`)} ${q(process.execPath)} ${q(BIN)} --db ${q(db)} remind run`);
    const command = lines[1]!.split(' ').slice(5).join(' ');
    const ran = spawnShell(command, SPRING);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain('Happy Chinese New Year, 张伟!');
  });
});

/** Runs a shell command line as cron would, with the fake clock. */
function spawnShell(command: string, now: string): Result {
  const r = spawnSync('/bin/sh', ['-c', command], { env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8', TZ: 'Asia/Shanghai', CRM_NOW: now }, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('what a review found', () => {
  // A Tuesday evening, 2027-03-02 20:00: the Monday 09:00 before must not be sent by a reminder added now.
  const TUE = '2027-03-02T20:00:00+08:00';
  let db: string;
  beforeAll(async () => {
    db = await shop(['name,phone,tags,birthday', '甲,13800000001,VIP,1990-02-20', '乙,13800000002,VIP,'], [
      ['remind', 'rules', 'birthday', '--off'],
      ['remind', 'rules', 'holiday', '--off'],
    ]);
    await prepare(db, '2027-03-01T08:00:00+08:00', ['remind', 'run']);
  });

  it('a new reminder fires from when it was added, never for the times before', async () => {
    ok(at(db, TUE, ['remind', 'add', '--tag', 'VIP', '--cron', '0 9 * * 1', '--template', 'winback']));
    const r = await run(db, '2027-03-02T20:15:00+08:00');
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(history(db, TUE, ['--rule', '1'])).toEqual([]);
    const monday = await run(db, '2027-03-08T09:05:00+08:00');
    expect(blocks(monday.stdout)).toHaveLength(2);
  });

  it('a resumed reminder does not send what fell due while it was paused', async () => {
    ok(at(db, '2027-03-14T12:00:00+08:00', ['remind', 'pause', '1']));
    ok(at(db, '2027-03-15T12:00:00+08:00', ['remind', 'resume', '1']));
    const r = await run(db, '2027-03-15T12:05:00+08:00');
    expect(blocks(r.stdout)).toHaveLength(0);
    expect(history(db, '2027-03-15T12:05:00+08:00', ['--rule', '1']).map((o) => o.occasion)).toEqual(['2027-03-08T01:00:00.000Z', '2027-03-08T01:00:00.000Z']);
  });

  it('refuses a schedule that fires more than hourly', () => {
    const r = at(db, TUE, ['remind', 'add', '--tag', 'VIP', '--cron', '* * * * *', '--template', 'winback']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('crm: "* * * * *" fires more often than every 60 minutes: a reminder to customers goes at most hourly\n');
  });

  it('never sends a recorded message long after it was due (held by quiet hours, then a month off)', async () => {
    const d2 = await shop(['name,phone,birthday', '丙,13800000003,1990-03-05'], [['remind', 'rules', 'birthday', '--at', '22:00'], ['remind', 'rules', 'holiday', '--off']]);
    // Recorded at 22:05 but held by the quiet hours; the next run is 46 days later.
    const night = await run(d2, '2027-03-05T22:05:00+08:00');
    expect(night.stdout).toBe('');
    const late = await run(d2, '2027-04-20T10:00:00+08:00');
    expect(late.stdout).toBe('');
    expect(history(d2, '2027-04-20T10:00:00+08:00')).toMatchObject([{ rule: 'birthday', status: 'skipped', reason: 'missed' }]);
  });

  it('counts a customer and an order once per rule and period, however many messages they had', async () => {
    const d3 = await shop(['name,phone', '丁,13800000004'], [['remind', 'rules', 'birthday', '--off'], ['remind', 'rules', 'holiday', '--off']]);
    await prepare(d3, '2027-03-01T08:00:00+08:00', ['remind', 'add', '--customer', '丁', '--cron', '0 9 * * *', '--template', 'winback']);
    for (const day of ['01', '02', '03', '04', '05']) await prepare(d3, `2027-03-${day}T09:05:00+08:00`, ['remind', 'run']);
    await prepare(d3, '2027-03-06T12:00:00+08:00', ['order', 'add', '丁', '--amount', '100']);
    const [row] = crmJson<{ sent: number; buyers: number; revenue: string }[]>(['remind', 'stats', '--by', 'all', '--since', '2027-03-01'], { db: d3, env: { CRM_NOW: '2027-03-07T12:00:00+08:00' } });
    expect(row).toMatchObject({ sent: 5, buyers: 1, revenue: '100.00' });
  });

  it('issues a coupon only with a message that shows it, and gives an opted-out customer the service message without it', async () => {
    const d4 = await shop(['name,phone,birthday', '戊,13800000005,1990-03-10', '己,13800000006,1990-03-10', '庚,13800000007,1990-03-10'], [
      ['remind', 'rules', 'holiday', '--off'],
      ['remind', 'rules', 'birthday', '--coupon', '20'],
      ['customer', 'edit', '己', '--no-marketing'],
      ['tier', 'set', '普通=0', '钻石=100'],
      ['order', 'add', '戊', '--amount', '200'],
      ['order', 'add', '己', '--amount', '200'],
      ['tier', 'apply'],
    ]);
    // 戊 and 己 are Diamond (birthday@钻石 shows the coupon), 庚 is not (the plain template has none); 己 opted out of marketing.
    const r = await run(d4, '2027-03-10T09:05:00+08:00');
    expect(blocks(r.stdout).map((b) => b.name).sort()).toEqual(['己', '庚', '戊']);
    const coupons = crmJson<{ customer: string; code: string }[]>(['coupon', 'list'], { db: d4, env: { CRM_NOW: '2027-03-10T10:00:00+08:00' } });
    expect(coupons.map((c) => c.customer)).toEqual(['戊']);
    const sent = history(d4, '2027-03-10T10:00:00+08:00');
    const text = (name: string) => sent.find((o) => o.customer === name)!.message!;
    expect(text('戊')).toContain(coupons[0]!.code);
    expect(text('己')).not.toMatch(/[A-Z2-9]{5}-[A-Z2-9]{5}/);
  });
});
