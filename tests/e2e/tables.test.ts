// Tables that fit the terminal: the real listings at 40, 80 and 120 columns on a fake terminal, in
// English and Chinese, with colour on and off; and the same listings through a pipe, unlimited.
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { displayWidth } from '../../src/io/width.js';
import { crm, NOW, tempDb } from '../helpers/crm.js';
import { tty } from '../helpers/tty.js';

const db = tempDb();
const LONG_NOTE = '老客户，喜欢新鲜水果，每周六上午来店里买两箱苹果和一箱橙子，请提前准备好，送货前先打电话';
const LONG_ADDRESS = '上海市徐汇区漕溪北路1234号华亭宾馆东楼二十三层2305室';
const PHONES = ['+8613800138000', '+8613900139000', '+14155552671'];

beforeAll(() => {
  const ok = (args: string[]) => {
    const r = crm(args, { db });
    if (r.code !== 0) throw new Error(`crm ${args.join(' ')}: ${r.stderr}`);
  };
  ok(['demo', '--customers', '300', '--seed', '3']);
  ok(['customer', 'add', '--name', '欧阳娜娜', '--phone', '13800138000', '--phone', '13900139000', '--phone', '+1 415 555 2671', '--city', '上海市', '--address', LONG_ADDRESS, '--tag', 'VIP', '--tag', '团购', '--note', LONG_NOTE]);
  ok(['customer', 'add', '--name', '欧阳娜娜', '--phone', '13800138000', '--city', '上海市', '--address', LONG_ADDRESS, '--allow-duplicate']);
  ok(['customer', 'add', '--name', 'Alexandra Montgomery-Fitzgerald', '--phone', '13700137000', '--city', 'San Francisco', '--address', '1234 Very Long Street Name Avenue, Apartment 56, San Francisco', '--note', 'prefers email; allergic to peanuts; asks for the seasonal catalogue every spring']);
  ok(['customer', 'add', '--name', 'Alexandra Montgomery Fitzgerald', '--phone', '13700137001', '--city', 'San Francisco', '--address', '1234 Very Long Street Name Avenue, Apt 56, San Francisco']);
  ok(['order', 'add', '+8613900139000', '--amount', '12345.67', '--date', '2026-11-01', '--note', '一箱进口车厘子，送到公司前台，请找前台王小姐签收']);
  ok(['order', 'add', '13700137000', '--amount', '1288', '--date', '2026-10-01']);
  ok(['rfm', '--save']);
  ok(['clv', '--save']);
  ok(['tier', 'apply']);
  // Spend after the levels were applied, so that `tier apply --dry-run` has moves to show.
  ok(['order', 'add', '13700137001', '--amount', '6000', '--date', '2026-11-20']);
  ok(['order', 'add', '13900139000', '--amount', '9000', '--date', '2026-11-20']);
});

/** Runs crm in-process on a fake terminal `columns` wide (stdout a TTY; stderr collected). */
async function atTerminal(argv: string[], columns: number, env: Record<string, string> = { NO_COLOR: '1' }) {
  const stdout = tty(columns);
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await run(argv, { stdin: new PassThrough(), stdout, stderr }, { LANG: 'en_US.UTF-8', CRM_NOW: NOW, CRM_DB: db, TZ: 'Asia/Shanghai', ...env });
  return { code, out, err };
}

const ANSI = /\x1b\[/;
const PHONE = /\+\d{6,15}/g;
const AMOUNT = /[−-]?¥[\d,]+\.\d{2}/g;
const lines = (text: string) => text.replace(/\n$/, '').split('\n');
const tooWide = (text: string, width: number) => lines(text).filter((l) => displayWidth(l) > width);
/** Table and chart lines (a command's sentences around them are prose the terminal wraps). */
const drawn = (text: string) => lines(text).filter((l) => /^[┌│└]/.test(l) || /[█░]/.test(l)).join('\n');
const tokens = (text: string, re: RegExp) => new Set(text.match(re) ?? []);

const LISTINGS = [
  ['customer', 'list', '--sort', 'spend', '--limit', '20'],
  ['customer', 'list', '--columns', 'id,name,phone,city,address,note,spend', '--sort', 'spend', '--limit', '10'],
  ['rfm'],
  ['rfm', '--segment', 'champions', '--limit', '20'],
  ['dedupe'],
  ['tier', 'rules'],
  ['tier', 'abc'],
  ['tier', 'apply', '--dry-run'],
  ['stats'],
  ['clv', '--limit', '20'],
  ['order', 'list', '--limit', '20'],
  ['log', 'list', '--limit', '20'],
  ['config', 'list'],
  ['tag', 'list'],
];

describe.each([40, 80, 120])('at %i columns', (width) => {
  it.each(LISTINGS.map((a) => [a.join(' '), a]))('%s fits, with every phone and amount whole and one line a row', async (_name, argv) => {
    const full = crm(argv as string[], { db }); // through a pipe: no limit, the truth to compare with
    expect(full.code).toBe(0);
    const { code, out } = await atTerminal(argv as string[], width);
    expect(code).toBe(0);
    expect(drawn(out)).toMatch(/^┌/);
    expect(tooWide(drawn(out), width)).toEqual([]);
    expect(out).not.toMatch(ANSI);
    // Every phone and amount shown is one the full table shows: none split or cut short.
    for (const re of [PHONE, AMOUNT]) for (const t of tokens(out, re)) expect(tokens(full.stdout, re)).toContain(t);
    // One line a row: only a wrapped header may add lines.
    expect(lines(out).length - lines(full.stdout).length).toBeGreaterThanOrEqual(0);
    expect(lines(out).length - lines(full.stdout).length).toBeLessThanOrEqual(3);
  });

  it('keeps the colour codes out of the measure when colour is on', async () => {
    const { out } = await atTerminal(LISTINGS[0]!, width, {});
    expect(out).toMatch(/\x1b\[1m/);
    expect(tooWide(out, width)).toEqual([]);
    expect(out).not.toMatch(/\[22m(?<!\x1b\[22m)/); // no code broken into visible text
  });
});

describe('what gives way', () => {
  it('shortens long Chinese notes and addresses with …, and shows the phones whole', async () => {
    const { out, err } = await atTerminal(['customer', 'list', '--columns', 'id,name,phone,address,note', '--sort', 'spend', '--limit', '5'], 80);
    expect(tooWide(out, 80)).toEqual([]);
    expect(out).not.toContain(LONG_NOTE);
    expect(out).toMatch(/老客户[^│]*…/);
    expect(out).toMatch(/上海市[^│]*…/);
    expect(out).toMatch(/\+8613800138000(, \+8613900139000)? …/); // the first of several phones, whole, then …
    expect(err).toBe('');
  });

  it('leaves out the columns of least use, never the first, and says on one line which and how to see all', async () => {
    const { out, err } = await atTerminal(['customer', 'list', '--sort', 'spend', '--limit', '5'], 40);
    expect(lines(out)[1]).toMatch(/^│ +ID │ Name +│ Phone +│$/);
    expect(err).toBe('left out to fit the terminal: city, tags, orders, spend, last_order; --columns or --format csv shows all\n');
    const rfm = await atTerminal(['rfm'], 40);
    expect(lines(rfm.err).filter((l) => l.startsWith('left out'))).toEqual(['left out to fit the terminal: Revenue share, Orders, Spend; --format csv shows all']);
    expect(lines(rfm.out)[1]).toMatch(/^│ Segment/);
    // An order keeps its day before the time of day; a listing whose CSV is something else offers a wider terminal.
    const orders = await atTerminal(['order', 'list', '--limit', '4'], 60);
    expect(lines(orders.out)[1]).toMatch(/│ Date +│/);
    const file = `${db}.wide.csv`;
    (await import('node:fs')).writeFileSync(file, '姓名,手机,会员卡号,地址,备注,生日,城市,邮箱\n张三,13800138001,M1,上海,老客户,1990-01-01,上海,a@b.cn\n');
    const dry = await atTerminal(['import', 'customers', file, '--dry-run'], 30);
    expect(lines(dry.err).filter((l) => l.startsWith('left out'))).toEqual([expect.stringMatching(/; a wider terminal shows all$/)]);
  });

  it('says nothing when everything fits', async () => {
    const { err } = await atTerminal(['tier', 'rules'], 80);
    expect(err).not.toContain('left out');
    expect((await atTerminal(['customer', 'list', '--limit', '5'], 120)).err).toBe('');
  });

  it('in Chinese at 80 columns: fits, headers whole or broken between pairs of characters, the note in Chinese', async () => {
    for (const argv of LISTINGS) {
      const { code, out } = await atTerminal(['--lang', 'zh', ...argv], 80);
      expect(code).toBe(0);
      expect(tooWide(drawn(out), 80)).toEqual([]);
      expect(out).not.toMatch(ANSI);
      const full = crm(['--lang', 'zh', ...argv], { db });
      for (const re of [PHONE, AMOUNT]) for (const t of tokens(out, re)) expect(tokens(full.stdout, re)).toContain(t);
    }
    const { out, err } = await atTerminal(['--lang', 'zh', 'rfm'], 80);
    expect(lines(out)[1]).toContain('距上次消费天数');
    const narrow = await atTerminal(['--lang', 'zh', 'customer', 'list', '--limit', '5'], 40);
    expect(narrow.err).toMatch(/^为适应终端宽度未显示：.+；用 --columns 或 --format csv 查看全部\n$/);
    expect(err).not.toContain('为适应终端宽度未显示');
  });
});

describe('off a terminal and colour', () => {
  it('through a pipe: no width limit, every column, nothing shortened, no note', () => {
    const r = crm(['customer', 'list', '--columns', 'id,name,phone,address,note', '--sort', 'spend', '--limit', '5'], { db });
    expect(r.stdout).toContain(LONG_NOTE);
    expect(r.stdout).toContain(PHONES.join(', '));
    expect(r.stdout).not.toContain('…');
    expect(lines(r.stdout)[0]!.length).toBeGreaterThan(120);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(ANSI);
  });

  it('honours NO_COLOR, FORCE_COLOR and TERM=dumb', async () => {
    const argv = ['tier', 'rules'];
    expect((await atTerminal(argv, 80, {})).out).toMatch(ANSI);
    expect((await atTerminal(argv, 80, { NO_COLOR: '1' })).out).not.toMatch(ANSI);
    expect((await atTerminal(argv, 80, { TERM: 'dumb' })).out).not.toMatch(ANSI);
    expect((await atTerminal(argv, 80, { FORCE_COLOR: '0' })).out).not.toMatch(ANSI);
    expect((await atTerminal(argv, 80, { NO_COLOR: '1', FORCE_COLOR: '1' })).out).toMatch(ANSI);
    const piped = crm(argv, { db, env: { FORCE_COLOR: '1' } });
    expect(piped.stdout).toMatch(ANSI);
    // Colour through a pipe does not limit the width.
    expect(crm(['customer', 'list', '--columns', 'id,note', '--limit', '400'], { db, env: { FORCE_COLOR: 'true' } }).stdout).toContain(LONG_NOTE);
  });
});

describe('records and charts at a terminal', () => {
  it('wraps a long value of a profile under itself, within the width', async () => {
    const { out } = await atTerminal(['customer', 'show', '+8613900139000'], 40);
    const profile = out.split('\n\n')[0]!;
    expect(tooWide(profile, 40)).toEqual([]);
    expect(profile.replace(/\n +/g, '')).toContain(LONG_ADDRESS);
  });

  it('keeps bars, labels and values on one line', async () => {
    for (const width of [40, 80]) {
      const { out } = await atTerminal(['rfm'], width);
      const bars = lines(out).filter((l) => l.includes('█'));
      expect(bars.length).toBeGreaterThan(3);
      expect(tooWide(bars.join('\n'), width)).toEqual([]);
    }
  });
});
