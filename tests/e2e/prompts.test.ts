// Interactive prompts, driven through fake terminal streams handed to the real command code
// (the same injection the CLI uses for process.stdin/stdout/stderr).
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { tty } from '../helpers/tty.js';
import { run } from '../../src/cli.js';
import { crm, crmJson, NOW, tempDb } from '../helpers/crm.js';

// The fake terminal is an xterm: under TERM=dumb Node's readline ignores line-editing keys such as Ctrl-U.
process.env.TERM = 'xterm';

/** Runs crm at a fake terminal, typing each answer once its question has been drawn. */
async function atTerminal(argv: string[], db: string, script: [RegExp, string, (() => void)?][]) {
  const stdin = tty();
  const stdout = tty();
  const stderr = tty();
  let screen = '';
  let out = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => {
    screen += d.toString();
    const next = script[0];
    // Matched without colours: a terminal may or may not be given them (TERM=dumb in CI has none).
    if (next && next[0].test(stripVTControlCharacters(screen))) {
      script.shift();
      screen = '';
      next[2]?.();
      setTimeout(() => stdin.write(next[1]), 5);
    }
  });
  const code = await run(argv, { stdin, stdout, stderr }, { CRM_DB: db, CRM_NOW: NOW, LANG: 'en_US.UTF-8', TZ: process.env.TZ });
  return { code, out, left: script.length };
}

describe('prompts at a terminal', () => {
  it('asks for the fields of a new customer that the flags did not give, re-asking on a bad phone', async () => {
    const db = tempDb();
    const r = await atTerminal(['customer', 'add', '--city', '杭州'], db, [
      [/Name/, '李雷\r'],
      [/Phone/, '12345\r'],
      [/not a valid phone number/, '\u0015138 0013 8000\r'],
      [/Email/, 'lilei@example.com\r'],
      [/Gender/, '\u001b[B\u001b[B\r'], // down twice: male
      [/Birthday/, '1990-05-04\r'],
    ]);
    expect(r.left).toBe(0);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Added customer #1 李雷');
    expect(crmJson<{ customer: unknown }>(['customer', 'show', '1'], { db }).customer).toMatchObject({
      name: '李雷',
      phone: ['+8613800138000'],
      email: 'lilei@example.com',
      gender: 'male',
      birthday: '1990-05-04',
      city: '杭州',
    });
  });

  it('takes a typed answer at the gender prompt as well as a pick: 男 in English, f in Chinese', async () => {
    const db = tempDb();
    const gender = () => crmJson<{ customer: { gender: string } }>(['customer', 'show', '1'], { db }).customer.gender;
    const add = await atTerminal(['customer', 'add', '--city', '杭州'], db, [
      [/Name/, '李雷\r'],
      [/Phone/, '\r'],
      [/Email/, '\r'],
      [/Gender/, '男'],
      [/❯ male\n\n/, '\r'], // the list narrowed to what 男 means
      [/Birthday/, '\r'],
    ]);
    expect([add.code, add.left]).toEqual([0, 0]);
    expect(gender()).toBe('male');
    const edit = await atTerminal(['--lang', 'zh', 'customer', 'edit', '1'], db, [
      [/姓名/, '\r'],
      [/邮箱/, '\r'],
      [/性别/, 'f'],
      [/❯ 女\n\n/, '\r'],
      [/生日/, '\r'],
      [/城市/, '\r'],
      [/地址/, '\r'],
      [/备注/, '\r'],
    ]);
    expect([edit.code, edit.left]).toEqual([0, 0]);
    expect(gender()).toBe('female');
  });

  it('asks who a reminder is for, when and which template, when the flags leave them out, taking typed answers', async () => {
    const db = tempDb();
    await run(['customer', 'add', '--name', 'A', '--tag', 'VIP'], { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() }, { CRM_DB: db, CRM_NOW: NOW });
    const r = await atTerminal(['remind', 'add', '--channel', 'stdout'], db, [
      [/Who is it for/, 'tag'], // typed: the list narrows to the tag audience
      [/❯ Customers with a tag\n\n/, '\r'],
      [/^\? Customers with a tag/m, 'VIP\r'], // the question after the pick, not the list drawn again
      [/Once or recurring/, '\u001b[B\r'], // recurring
      [/^\? recurring on this cron schedule/m, '\r'], // the offered Mondays 9:00 (the question, not the list's item)
      [/greeting template/, '\r'], // the first in the list
    ]);
    expect(r.left).toBe(0);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Reminder 1 added; next: 2026-11-23 09:00\./);
    expect(crmJson<{ audience: string; when: string }[]>(['remind', 'list'], { db })[0]).toMatchObject({ audience: 'tag:VIP', when: '0 9 * * 1' });
  });

  it('asks for a complaint\'s customer, channel, category, severity (typed) and description at a terminal', async () => {
    const db = tempDb();
    await run(['customer', 'add', '--name', '张伟', '--phone', '13800138000'], { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() }, { CRM_DB: db, CRM_NOW: NOW });
    const r = await atTerminal(['complaint', 'add'], db, [
      [/Customer/, '13800138000\r'],
      [/Channel/, '\r'], // phone, the first
      [/Category/, '\u001b[B\r'], // delivery
      [/Severity/, 'urg'], // typed, as the value's name in either language
      [/❯ urgent\n\n/, '\r'],
      [/Description/, '三天还没到\r'],
    ]);
    expect(r.left).toBe(0);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Complaint #1 recorded: 张伟, urgent; first response due 2026-11-22 \d\d:\d\d\./);
    expect(crmJson<{ channel: string; category: string; severity: string; description: string }[]>(['complaint', 'list'], { db })[0]).toMatchObject({ channel: 'phone', category: 'delivery', severity: 'urgent', description: '三天还没到' });
  });

  it('asks before removing, and a "no" changes nothing', async () => {
    const db = tempDb();
    await run(['customer', 'add', '--name', 'A'], { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() }, { CRM_DB: db, CRM_NOW: NOW });
    const no = await atTerminal(['customer', 'rm', 'A'], db, [[/Remove #1 A/, 'n\r']]);
    expect(no.code).toBe(0);
    expect(crmJson<unknown[]>(['customer', 'list'], { db })).toHaveLength(1);
    const yes = await atTerminal(['customer', 'rm', 'A'], db, [[/Remove #1 A/, 'y\r']]);
    expect(yes.code).toBe(0);
    expect(crmJson<unknown[]>(['customer', 'list'], { db })).toHaveLength(0);
  });

  it('asks before removing an order, and a "no" keeps it', async () => {
    const db = tempDb();
    const quiet = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
    await run(['customer', 'add', '--name', 'A'], quiet, { CRM_DB: db, CRM_NOW: NOW });
    await run(['order', 'add', 'A', '--amount', '12', '--date', '2026-11-01'], quiet, { CRM_DB: db, CRM_NOW: NOW });
    const no = await atTerminal(['order', 'rm', '1'], db, [[/Remove order #1 of 2026-11-01 \(A, ¥12.00\)/, 'n\r']]);
    expect(no.code).toBe(0);
    expect(crmJson<unknown[]>(['order', 'list'], { db })).toHaveLength(1);
    const yes = await atTerminal(['order', 'rm', '1'], db, [[/Remove order #1/, 'y\r']]);
    expect(yes.code).toBe(0);
    expect(crmJson<unknown[]>(['order', 'list'], { db })).toHaveLength(0);
  });

  it('asks what happened for crm log, and an empty answer records nothing', async () => {
    const db = tempDb();
    await run(['customer', 'add', '--name', 'A'], { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() }, { CRM_DB: db, CRM_NOW: NOW });
    const empty = await atTerminal(['log', 'A'], db, [[/What happened/, '  \r']]);
    expect(empty.code).toBe(0);
    expect(crmJson<unknown[]>(['log', 'list'], { db })).toEqual([]);
    const said = await atTerminal(['log', 'A', '--type', 'call'], db, [[/What happened/, '问了新米\r']]);
    expect(said.code).toBe(0);
    expect(crmJson<{ note: string }[]>(['log', 'list'], { db }).map((l) => l.note)).toEqual(['问了新米']);
  });

  it('asks for the amount of an order at a terminal', async () => {
    const db = tempDb();
    await run(['customer', 'add', '--name', 'A'], { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() }, { CRM_DB: db, CRM_NOW: NOW });
    const r = await atTerminal(['order', 'add', 'A'], db, [
      [/Amount/, '12.345\r'],
      [/more than 2 decimals/, '\u0015¥1,280.5\r'],
    ]);
    expect(r.code).toBe(0);
    expect(crmJson<{ amount: string }[]>(['order', 'list'], { db }).map((o) => o.amount)).toEqual(['1280.50']);
  });

  it('edits at a terminal without undoing what another crm changed meanwhile', async () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', 'A', '--tag', 'VIP', '--email', ' A@QQ.com'], { db });
    const r = await atTerminal(['customer', 'edit', 'A'], db, [
      [/Name/, '\r', () => crm(['tag', 'add', 'A', '团购'], { db })],
      [/Email/, '\r'],
      [/Gender/, '\r'],
      [/Birthday/, '\r'],
      [/City/, '杭州\r'],
      [/Address/, '\r'],
      [/Note/, '\r'],
    ]);
    expect(r.code).toBe(0);
    expect(crmJson<{ customer: unknown }>(['customer', 'show', 'A'], { db }).customer).toMatchObject({ city: '杭州', tags: ['VIP', '团购'], email_raw: ' A@QQ.com' });
  });

  it('tier set at a terminal asks each level its least spend, offering the current one', async () => {
    const db = tempDb();
    const r = await atTerminal(['tier', 'set'], db, [
      [/Least spend for Regular/, '\r'], // keep 0.00
      [/Least spend for Silver/, '800\r'],
      [/Least spend for Gold/, 'lots\r'],
      [/not an amount|amount/i, '\u00153000\r'],
      [/Least spend for Diamond/, '\r'], // keep 20000.00
    ]);
    expect(r.left).toBe(0);
    expect(r.code).toBe(0);
    const rules = crmJson<{ level: string; min_spend: string }[]>(['tier', 'rules'], { db });
    expect(rules.map((x) => `${x.level}=${x.min_spend}`)).toEqual(['Diamond=20000.00', 'Gold=3000.00', 'Silver=800.00', 'Regular=0.00']);
  });
});
