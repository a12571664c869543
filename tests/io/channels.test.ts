// The delivery channels against real receivers: a local HTTP server for the webhook (JSON, WeCom,
// DingTalk with its signature recomputed here), a local SMTP server for email, the outbox files
// read back as a CSV reader would (with two writer processes at once), and stdout's list.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { buildSync } from 'esbuild';
import Papa from 'papaparse';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openChannel, type ChannelConfig, type Message, type SmtpConfig, type WebhookConfig } from '../../src/io/channels/index.js';
import { CrmError } from '../../src/errors.js';
import { ROOT, tempDir } from '../helpers/crm.js';

const msg = (over: Partial<Message> = {}): Message => ({
  deliveryId: 'r7k2m9xq4p', rule: 'birthday', template: 'birthday', customerId: 1, customerName: '张伟',
  phone: '+8613800138000', email: 'zhang@example.com', subject: '生日快乐', text: '张伟您好，祝您生日快乐！', dueAt: '2026-11-22T01:00:00Z', ...over,
});

type Over = Partial<Omit<ChannelConfig, 'webhook' | 'smtp'>> & { webhook?: Partial<WebhookConfig>; smtp?: Partial<SmtpConfig> };
function config(over: Over = {}): ChannelConfig {
  const { webhook, smtp, ...rest } = over;
  return {
    stdout: new Writable({ write: (_c, _e, cb) => cb() }), lang: 'en', zone: 'Asia/Shanghai', now: () => new Date('2026-11-22T02:00:00Z'), outboxDir: '',
    webhook: { url: '', kind: 'json', timeoutMs: 2000, shopName: '小店', ...webhook },
    smtp: { host: '', port: 25, security: 'none', from: '小店 <shop@example.com>', ...smtp },
    ...rest,
  };
}

describe('opening a channel', () => {
  it.each([
    ['outbox', {}, 'crm config set outbox_dir'],
    ['webhook', {}, 'crm config set webhook_url'],
    ['email', {}, 'crm config set smtp_host'],
    ['email', { smtp: { host: 'mail.example.com', from: '' } }, 'crm config set smtp_from'],
  ] as const)('refuses %s when it is not configured, naming the fix', (name, over, fix) => {
    const open = () => openChannel(name, config(over as Over));
    expect(open).toThrow(CrmError);
    expect(open).toThrow(fix);
  });

  it('refuses an unknown channel', () => {
    expect(() => openChannel('sms' as never, config())).toThrow('unknown channel "sms": use stdout|outbox|webhook|email');
  });
});

describe('stdout', () => {
  it('writes each message in one write: a header line and the text indented', async () => {
    const writes: string[] = [];
    const stdout = new Writable({ write: (chunk, _e, cb) => (writes.push(String(chunk)), cb()) });
    const channel = openChannel('stdout', config({ stdout }));
    const out = await channel.send([msg({ text: 'line one\nline two' })]);
    await channel.send([msg({ deliveryId: 'b2', customerName: 'Ann', phone: null, repeat: true })]);
    expect(out).toEqual([{ deliveryId: 'r7k2m9xq4p', ok: true }]);
    expect(writes).toHaveLength(2);
    expect(writes[0]).toBe('[r7k2m9xq4p] 张伟 · +8613800138000 · birthday: 生日快乐\n    line one\n    line two\n\n');
    expect(writes[1]!.split('\n')[0]).toBe('[b2] Ann · zhang@example.com · birthday: 生日快乐 (may repeat: an earlier run stopped while sending it)');
    expect(channel.batchSize).toBe(1);
    expect(await channel.delivered(['b2'])).toEqual(new Set());
  });

  it('fails the message when standard output is gone', async () => {
    const stdout = new Writable({ write: (_c, _e, cb) => cb(Object.assign(new Error('broken pipe'), { code: 'EPIPE' })) });
    stdout.on('error', () => {});
    const [o] = await openChannel('stdout', config({ stdout })).send([msg()]);
    expect(o).toEqual({ deliveryId: 'r7k2m9xq4p', ok: false, error: 'cannot write to standard output: EPIPE' });
  });
});

describe('outbox', () => {
  const read = (file: string) => Papa.parse<string[]>(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;

  it('appends to one file per shop-local day, the header once, and quotes what needs it', async () => {
    const dir = path.join(tempDir(), 'outbox');
    // 2026-11-22T17:00Z is already the 23rd in Shanghai.
    const channel = openChannel('outbox', config({ outboxDir: dir, now: () => new Date('2026-11-22T17:00:00Z') }));
    const tricky = '李娜，"老顾客"您好,\n周末店庆, 全场8折！';
    expect(await channel.send([msg({ deliveryId: 'a1', text: tricky }), msg({ deliveryId: 'a2', phone: null })])).toEqual([
      { deliveryId: 'a1', ok: true },
      { deliveryId: 'a2', ok: false, error: 'no phone number' },
    ]);
    await channel.send([msg({ deliveryId: 'a3', phone: '+8613900139000', text: '=1+1 is not a formula' })]);
    expect(fs.readdirSync(dir)).toEqual(['sms-2026-11-23.csv']);
    expect(read(path.join(dir, 'sms-2026-11-23.csv'))).toEqual([
      ['phone', 'message', 'delivery_id'],
      ['+8613800138000', tricky, 'a1'],
      ['+8613900139000', "'=1+1 is not a formula", 'a3'],
    ]);
  });

  it('finds the ids it holds in the recent days, and no others', async () => {
    const dir = tempDir();
    const on = (iso: string) => openChannel('outbox', config({ outboxDir: dir, now: () => new Date(iso) }));
    await on('2026-11-12T02:00:00Z').send([msg({ deliveryId: 'old' })]);
    await on('2026-11-19T02:00:00Z').send([msg({ deliveryId: 'recent' })]);
    await on('2026-11-22T02:00:00Z').send([msg({ deliveryId: 'today' })]);
    expect(await on('2026-11-22T02:00:00Z').delivered(['old', 'recent', 'today', 'never'])).toEqual(new Set(['recent', 'today']));
  });

  it('keeps every line whole and the header once when two processes create and append at once', async () => {
    const dir = tempDir();
    const script = path.join(tempDir(), 'outbox-writer.mjs');
    buildSync({ entryPoints: [path.join(ROOT, 'tests/helpers/outbox-writer.ts')], bundle: true, platform: 'node', format: 'esm', outfile: script, logLevel: 'error' });
    const startAt = String(Date.now() + 400);
    const run = (tag: string) =>
      new Promise<number>((resolve) => spawn(process.execPath, [script, dir, tag, '60', startAt], { stdio: 'inherit' }).on('exit', (code) => resolve(code ?? -1)));
    expect(await Promise.all([run('x'), run('y')])).toEqual([0, 0]);
    const files = fs.readdirSync(dir).sort();
    expect(files).toHaveLength(60);
    expect(files[0]).toBe('sms-2026-11-22.csv');
    const body = files.flatMap((f) => {
      const rows = read(path.join(dir, f));
      expect(rows[0]).toEqual(['phone', 'message', 'delivery_id']);
      return rows.slice(1);
    });
    expect(body).toHaveLength(600);
    for (const [phone, text, id] of body) {
      const [, tag, i] = /^([xy])(\d+)$/.exec(id!)!;
      expect(phone).toBe(`+86138${i!.padStart(8, '0')}`);
      expect(text!.startsWith(`${tag}-${i} 您好，"老朋友", 生日快乐！\n`) && text!.endsWith(` end ${tag}-${i}`)).toBe(true);
    }
    expect(new Set(body.map((r) => r[2])).size).toBe(600);
  });
});

interface Hit {
  url: URL;
  body: unknown;
}

describe('webhook', () => {
  const hits: Hit[] = [];
  let answer: (res: http.ServerResponse) => void = (res) => res.end('{"errcode":0,"errmsg":"ok"}');
  let base = '';
  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => {
      hits.push({ url: new URL(req.url!, base), body: JSON.parse(text) });
      answer(res);
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    hits.length = 0;
    answer = (res) => res.end('{"errcode":0,"errmsg":"ok"}');
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  const hook = (over: Partial<WebhookConfig> = {}, lang: 'en' | 'zh' = 'en') => openChannel('webhook', config({ lang, webhook: { url: `${base}/robot/send?access_token=tok3n5ecret`, ...over } }));
  const contents = () => hits.map((h) => (h.body as { text: { content: string } }).text.content);

  it('posts JSON: the shop and the messages', async () => {
    const out = await hook().send([msg(), msg({ deliveryId: 'b2', phone: null })]);
    expect(out.every((o) => o.ok)).toBe(true);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.body).toEqual({
      shop: '小店',
      messages: [
        { deliveryId: 'r7k2m9xq4p', rule: 'birthday', template: 'birthday', customerId: 1, customerName: '张伟', phone: '+8613800138000', email: 'zhang@example.com', subject: '生日快乐', text: '张伟您好，祝您生日快乐！', dueAt: '2026-11-22T01:00:00Z', repeat: false },
        expect.objectContaining({ deliveryId: 'b2', phone: null }),
      ],
    });
  });

  it('posts a WeCom text: a title, then per task the customer, phone, what to say and the delivery id', async () => {
    await hook({ kind: 'wecom' }, 'zh').send([msg()]);
    expect(hits[0]!.body).toEqual({ msgtype: 'text', text: { content: '小店：1 条提醒\n\n• 张伟 +8613800138000 · 生日快乐 [r7k2m9xq4p]\n  张伟您好，祝您生日快乐！' } });
    expect(hits[0]!.url.searchParams.get('access_token')).toBe('tok3n5ecret');
  });

  it('signs a DingTalk address as DingTalk documents: HMAC-SHA256 of "timestamp\\nsecret", base64', async () => {
    const before = Date.now();
    await hook({ kind: 'dingtalk', secret: 'SECabc123' }).send([msg()]);
    const { url, body } = hits[0]!;
    const timestamp = url.searchParams.get('timestamp')!;
    expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
    const expected = createHmac('sha256', 'SECabc123').update(`${timestamp}\nSECabc123`).digest('base64');
    expect(url.searchParams.get('sign')).toBe(expected);
    expect(url.search).toContain(`sign=${encodeURIComponent(expected)}`);
    expect(url.searchParams.get('access_token')).toBe('tok3n5ecret');
    expect(body).toMatchObject({ msgtype: 'text', text: { content: expect.stringContaining('[r7k2m9xq4p]') } });
  });

  it('splits a long batch into posts under WeCom\'s 2048 bytes, every task once, a long text cut', async () => {
    const batch = Array.from({ length: 30 }, (_, i) => msg({ deliveryId: `id${i}`, text: `第${i}位：请致电客户，确认生日会员礼品的领取时间和门店地址。` }));
    batch.push(msg({ deliveryId: 'long', text: '很长的消息。'.repeat(400) }));
    const out = await hook({ kind: 'wecom' }).send(batch);
    expect(out.map((o) => o.deliveryId)).toEqual(batch.map((m) => m.deliveryId));
    expect(out.every((o) => o.ok)).toBe(true);
    const texts = contents();
    expect(texts.length).toBeGreaterThan(2);
    for (const t of texts) expect(Buffer.byteLength(t)).toBeLessThanOrEqual(2048);
    expect(texts[0]).toMatch(new RegExp(`^小店: \\d+ reminder\\(s\\), part 1 of ${texts.length}\n`));
    const ids = texts.flatMap((t) => [...t.matchAll(/\[(\w+)\]$/gm)].map((m) => m[1]));
    expect(ids).toEqual(batch.map((m) => m.deliveryId));
    expect(texts.at(-1)).toMatch(/\[long\]\n  (很长的消息。)+很?长?的?消?息?…$/);
  });

  it('splits for DingTalk at its larger limit', async () => {
    const batch = Array.from({ length: 30 }, (_, i) => msg({ deliveryId: `id${i}`, text: '请致电客户确认礼品。'.repeat(30) }));
    await hook({ kind: 'dingtalk' }).send(batch);
    expect(hits).toHaveLength(2);
    for (const t of contents()) expect(Buffer.byteLength(t)).toBeLessThanOrEqual(20_000);
  });

  it('fails every message of a post answered with HTTP 500', async () => {
    answer = (res) => res.writeHead(500).end('oops');
    const out = await hook().send([msg(), msg({ deliveryId: 'b2' })]);
    expect(out).toEqual([
      { deliveryId: 'r7k2m9xq4p', ok: false, error: `webhook ${new URL(base).host} answered HTTP 500` },
      { deliveryId: 'b2', ok: false, error: `webhook ${new URL(base).host} answered HTTP 500` },
    ]);
  });

  it('fails on a robot\'s errcode, without the token or the secret', async () => {
    answer = (res) => res.end(JSON.stringify({ errcode: 310000, errmsg: 'sign not match, token tok3n5ecret secret SECabc123' }));
    const [o] = await hook({ kind: 'dingtalk', secret: 'SECabc123' }).send([msg()]);
    expect(o!.ok).toBe(false);
    expect(o!.error).toMatch(/^webhook 127\.0\.0\.1:\d+ refused the message: errcode 310000 sign not match/);
    expect(o!.error).not.toMatch(/tok3n5ecret|SECabc123/);
  });

  it('fails within the timeout when the robot does not answer', async () => {
    answer = (res) => setTimeout(() => res.end('{}'), 3000).unref();
    const started = Date.now();
    const [o] = await hook({ timeoutMs: 200 }).send([msg()]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(o!.error).toMatch(/^127\.0\.0\.1:\d+ did not answer within 0\.2 s$/);
  });

  it('fails on a refused connection, and does not try the other posts', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const channel = openChannel('webhook', config({ webhook: { url: `http://127.0.0.1:${port}/cgi-bin/webhook/send?key=k3y5ecret`, kind: 'wecom' } }));
    const batch = Array.from({ length: 20 }, (_, i) => msg({ deliveryId: `id${i}`, text: '请致电客户确认礼品。'.repeat(10) }));
    const out = await channel.send(batch);
    expect(new Set(out.map((o) => o.error))).toEqual(new Set([`127.0.0.1:${port} refused the connection`]));
  });
});

interface Mail {
  to: string[];
  from: string;
  raw: string;
}

/** A local SMTP server without TLS; onData keeps each message. */
async function smtpServer(options: SMTPServerOptions = {}) {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false, allowInsecureAuth: true,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), from: from ? from.address : '', raw: Buffer.concat(chunks).toString('utf8') });
        done();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { mails, port: (server.server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The header value and decoded text body of a simple one-part message. */
function parseMail(raw: string) {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of head!.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const at = line.indexOf(':');
    headers.set(line.slice(0, at).toLowerCase(), line.slice(at + 1).trim());
  }
  const body = rest.join('\r\n\r\n');
  const cte = headers.get('content-transfer-encoding');
  let text = body;
  if (cte === 'base64') text = Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8');
  if (cte === 'quoted-printable') {
    const soft = body.replace(/=\r\n/g, '');
    text = Buffer.from(soft.replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  }
  return { headers, text: text.replace(/\r\n/g, '\n').replace(/\n$/, '') };
}

describe('email', () => {
  it('sends one mail per message: to the customer, Message-ID and header with the delivery id, the text', async () => {
    const smtp = await smtpServer({
      onRcptTo(address, _session, done) {
        if (address.address.startsWith('nobody')) return done(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
        done();
      },
    });
    const channel = openChannel('email', config({ smtp: { host: '127.0.0.1', port: smtp.port, security: 'none' } }));
    try {
      const out = await channel.send([
        msg({ text: '张伟您好，\n祝您生日快乐！本周到店可领取礼品。' }),
        msg({ deliveryId: 'b2', email: 'nobody@example.com' }),
        msg({ deliveryId: 'b3', email: null }),
        msg({ deliveryId: 'b4', email: 'li@example.com', customerName: 'Li Na', text: 'Happy birthday!' }),
      ]);
      expect(out).toEqual([
        { deliveryId: 'r7k2m9xq4p', ok: true },
        { deliveryId: 'b2', ok: false, error: 'mail server rejected the recipient nobody@example.com: 550 5.1.1 No such user' },
        { deliveryId: 'b3', ok: false, error: 'no email address' },
        { deliveryId: 'b4', ok: true },
      ]);
      expect(smtp.mails.map((m) => m.to)).toEqual([['zhang@example.com'], ['li@example.com']]);
      expect(smtp.mails[0]!.from).toBe('shop@example.com');
      const first = parseMail(smtp.mails[0]!.raw);
      expect(first.headers.get('message-id')).toBe('<r7k2m9xq4p.crm@example.com>');
      expect(first.headers.get('x-crm-delivery')).toBe('r7k2m9xq4p');
      expect(first.text).toBe('张伟您好，\n祝您生日快乐！本周到店可领取礼品。');
      expect(parseMail(smtp.mails[1]!.raw).headers.get('to')).toBe('Li Na <li@example.com>');
    } finally {
      await channel.close();
      await smtp.close();
    }
  });

  it('fails the batch in one line when the login is refused, without the password', async () => {
    const smtp = await smtpServer({ onAuth: (_auth, _session, done) => done(new Error('Invalid username or password')) });
    const channel = openChannel('email', config({ smtp: { host: '127.0.0.1', port: smtp.port, user: 'shop', password: 'pa55word' } }));
    try {
      const out = await channel.send([msg(), msg({ deliveryId: 'b2' })]);
      expect(out.map((o) => o.ok)).toEqual([false, false]);
      expect(out[0]!.error).toMatch(/^mail server 127\.0\.0\.1:\d+ refused the login of shop: 535 Invalid username or password$/);
      expect(out[1]!.error).toBe(out[0]!.error);
      expect(smtp.mails).toEqual([]);
    } finally {
      await channel.close();
      await smtp.close();
    }
  });

  it('says which smtp_security fits when the server does not speak the TLS asked for', async () => {
    const smtp = await smtpServer();
    const errors: string[] = [];
    for (const security of ['starttls', 'tls'] as const) {
      const channel = openChannel('email', config({ smtp: { host: '127.0.0.1', port: smtp.port, security } }));
      errors.push((await channel.send([msg()]))[0]!.error!);
      await channel.close();
    }
    await smtp.close();
    expect(errors).toEqual([
      `mail server 127.0.0.1:${smtp.port} does not offer STARTTLS: crm config set smtp_security tls (usually port 465), or none`,
      `mail server 127.0.0.1:${smtp.port} does not speak TLS on this port: crm config set smtp_security starttls (usually port 587)`,
    ]);
  });

  it('fails on a refused connection', async () => {
    const smtp = await smtpServer();
    await smtp.close();
    const channel = openChannel('email', config({ smtp: { host: '127.0.0.1', port: smtp.port } }));
    const [o] = await channel.send([msg()]);
    await channel.close();
    expect(o).toEqual({ deliveryId: 'r7k2m9xq4p', ok: false, error: `127.0.0.1:${smtp.port} refused the connection` });
  });
});
