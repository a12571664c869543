// Hostile text, end to end: values too long, control characters (terminal escapes, NUL), field names
// that mean something to JavaScript, phones with letters in front; on the way in (customer add and
// edit, crm log, order notes, import) and on the way out to a terminal (records an earlier version
// accepted, shown through the same commands on a fake terminal).
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { displayWidth } from '../../src/io/width.js';
import { crm, crmJson, NOW, tempDb, tempDir } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';
import { tty } from '../helpers/tty.js';

// The fake terminal is an xterm: under TERM=dumb Node's readline ignores line-editing keys such as Ctrl-U.
process.env.TERM = 'xterm';

const ESC_NAME = 'Eve\x1b]0;PWNED\x07\x1b[2J';
/** A name holding a title change and a colour code, as an earlier version may have stored it. */
const RED_NAME = 'Eve\x1b]0;PWNED\x07\x1b[31mRED';
/** A control character other than a line break: what must never reach a terminal from a value. */
const SENT = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;
type Row = Record<string, unknown>;

/** A CSV file's rows as arrays (a header named __proto__ is no object key here). */
function readRows(file: string): string[][] {
  return Papa.parse<string[]>(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
}

function csvFile(text: string, name = 'in.csv'): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, text);
  return file;
}

/** Runs crm in-process with stdout and stderr on fake terminals `columns` wide (no colour unless `env` asks). */
async function atTerminal(db: string, argv: string[], columns = 100, env: Record<string, string> = { NO_COLOR: '1' }) {
  const [stdout, stderr] = [tty(columns), tty(columns)];
  let [out, err] = ['', ''];
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await run(argv, { stdin: new PassThrough(), stdout, stderr }, { LANG: 'en_US.UTF-8', CRM_NOW: NOW, CRM_DB: db, TZ: 'Asia/Shanghai', ...env });
  return { code, out, err };
}

/** Runs crm at a fake terminal with prompts, typing each answer once its question is on the screen; returns all the screen showed. */
async function prompted(db: string, argv: string[], script: [RegExp, string][]) {
  const [stdin, stdout, stderr] = [tty(), tty(), tty()];
  let [screen, all, out] = ['', '', ''];
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => {
    screen += d.toString();
    all += d.toString();
    const next = script[0];
    if (next && next[0].test(stripVTControlCharacters(screen))) {
      script.shift();
      screen = '';
      setTimeout(() => stdin.write(next[1]), 5);
    }
  });
  const code = await run(argv, { stdin, stdout, stderr }, { LANG: 'en_US.UTF-8', CRM_NOW: NOW, CRM_DB: db, TZ: 'Asia/Shanghai' });
  return { code, out, screen: all, left: script.length };
}

describe('on the way in', () => {
  const db = tempDb();
  beforeAll(async () => {
    await setUp(['customer', 'add', '--name', 'Ada', '--phone', '13800138000'], { db });
  });

  it('refuses a name holding a terminal escape, in one line that shows it written out, and stores nothing', () => {
    const r = crm(['customer', 'add', '--name', ESC_NAME, '--phone', '13900139000'], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('crm: "Eve\\e]0;PWNED…" holds a control character (\\e, character 4): crm keeps no control characters (a note or a custom field’s value may have line breaks and tabs)\n');
    expect(crmJson<Row[]>(['customer', 'list'], { db })).toHaveLength(1);
  });

  it('refuses control characters in a city, a custom field, an edit, a crm log note and an order note', () => {
    const refused = [
      ['customer', 'add', '--name', 'Bo', '--city', 'Shang\x07hai'],
      ['customer', 'add', '--name', 'Bo', '--field', 'wechat=\x1b[2Jwx'],
      ['customer', 'add', '--name', 'Bo', '--field', 'we\x1bchat=wx'],
      ['customer', 'edit', 'Ada', '--note', 'call back\x1b]0;x\x07'],
      ['log', 'Ada', '--type', 'call', '--note', 'rang\x1b[2J'],
      ['order', 'add', 'Ada', '--amount', '10', '--date', '2026-11-01', '--note', 'gift\x1b[8m'],
    ];
    for (const args of refused) {
      const r = crm(args, { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/holds a control character \(\\(e|a), character \d+\)/);
      expect(r.stderr).not.toMatch(SENT);
    }
    expect(crmJson<Row[]>(['order', 'list'], { db })).toEqual([]);
    expect(crmJson<Row[]>(['log', 'list'], { db })).toEqual([]);
  });

  it('keeps line breaks (LF, CRLF, a lone CR) and tabs in a note, and shows a lone CR as \\r on a terminal', () => {
    expect(crm(['customer', 'edit', 'Ada', '--note', 'first line\r\nsecond\tline'], { db }).code).toBe(0);
    expect(crmJson<{ customer: Row }>(['customer', 'show', 'Ada'], { db }).customer.note).toBe('first line\r\nsecond\tline');
    expect(crm(['customer', 'edit', 'Ada', '--note', 'PAID\rUNPAID'], { db }).code).toBe(0);
    expect(crmJson<{ customer: Row }>(['customer', 'show', 'Ada'], { db }).customer.note).toBe('PAID\rUNPAID');
  });

  it('refuses a value longer than its field keeps, saying how long and the most, quoting only its start', () => {
    // As long as one argument may be (128 KiB); an import reads longer (below).
    const huge = '张'.repeat(40_000);
    const r = crm(['customer', 'add', '--name', huge], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`crm: name: 40000 characters ("${'张'.repeat(12)}…"), more than the 200 a name may have\n`);
    expect(crm(['customer', 'add', '--name', '张'.repeat(200)], { db }).code).toBe(0);
    expect(crm(['customer', 'add', '--name', 'Bo', '--address', 'a'.repeat(501)], { db }).stderr).toMatch(/^crm: address: 501 characters .*more than the 500 an address may have\n$/);
    expect(crm(['log', 'Ada', '--note', 'n'.repeat(5001)], { db }).stderr).toMatch(/^crm: note: 5001 characters .*more than the 5000 a note may have\n$/);
  });

  it('refuses a phone with letters before its digits', () => {
    const r = crm(['customer', 'add', '--name', 'Bo', '--phone', 'xx18073398248'], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('crm: phone: "xx18073398248" is not a valid phone number\n');
  });

  it('imports phones written with a label (Tel:, 手机:, Mob, 电话, T:) and refuses only other letters in front', () => {
    const idb = tempDb();
    const file = csvFile('姓名,手机\nA1,Tel: 13800138001\nA2,手机:13800138002\nA3,Mob 13800138003\nA4,电话13800138004\nA5,13800138005 (手机)\nA6,T:13800138006\nA7,xx18073398248\n');
    const r = crm(['import', 'customers', file], { db: idb });
    expect(r.stderr).not.toMatch(/not valid numbers of CN|--country CN/);
    expect(r.stdout).toContain('inserted 6, updated 0, unchanged 0, skipped 0, rejected 1');
    const phones = crmJson<Row[]>(['customer', 'list'], { db: idb }).map((c) => c.phone);
    expect(phones).toEqual([['+8613800138001'], ['+8613800138002'], ['+8613800138003'], ['+8613800138004'], ['+8613800138005'], ['+8613800138006']]);
    const reasons = readRows(file.replace(/\.csv$/, '.rejects.csv')).slice(1).map((row) => row.at(-2));
    expect(reasons).toEqual(['line 8, 手机: phone: "xx18073398248" is not a valid phone number']);
  });

  it('an import refuses rows with NUL, escapes, a value too long or letters before a phone, each with its reason; the rest come in', () => {
    const idb = tempDb();
    const file = csvFile(
      [
        'name,phone,note,wechat',
        'Ada\0,13800138001,,',
        `${ESC_NAME},13800138002,,`,
        `${'张'.repeat(100_000)},13800138003,,`,
        'Bo,xx18073398248,,',
        'Cy,13800138005,ok\x1b[2J,',
        'Di,13800138006,,wx\0id',
        'Ed,13800138007,"two\r\nlines",wx_ed',
      ].join('\n') + '\n',
    );
    const r = crm(['import', 'customers', file], { db: idb });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toContain('inserted 1, updated 0, unchanged 0, skipped 0, rejected 6');
    const reasons = readRows(file.replace(/\.csv$/, '.rejects.csv')).slice(1).map((row) => row.at(-2));
    expect(reasons).toEqual([
      expect.stringMatching(/^line 2, name: .*holds a control character \(\\0, character 4\)/),
      expect.stringMatching(/^line 3, name: .*holds a control character \(\\e, character 4\)/),
      expect.stringMatching(/^line 4, name: 100000 characters .*more than the 200 a name may have$/),
      'line 5, phone: "xx18073398248" is not a valid phone number',
      expect.stringMatching(/^line 6, note: .*\(\\e, character 3\)/),
      expect.stringMatching(/^line 7, wechat: .*\(\\0, character 3\)/),
    ]);
    expect(r.stderr).not.toMatch(SENT);
    const [ed] = crmJson<Row[]>(['customer', 'list'], { db: idb });
    expect(ed).toMatchObject({ name: 'Ed', note: 'two\r\nlines', wechat: 'wx_ed' });
  });
});

describe('every other write path checks its free text', () => {
  const db = tempDb();
  beforeAll(async () => {
    await setUp(['customer', 'add', '--name', 'Ada', '--phone', '13800138000'], { db });
    await setUp(['complaint', 'add', 'Ada', '--description', 'late'], { db });
  });
  const refusedWith = (args: string[], pattern: RegExp) => {
    const r = crm(args, { db });
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
    expect(r.stderr, args.join(' ')).toMatch(pattern);
    expect(r.stderr, args.join(' ')).not.toMatch(SENT);
  };
  const CONTROL = /holds a control character \(\\(e|0|a|x7f), character \d+\)/;

  it('complaints: --description, --handler, --by and each move\'s --note', () => {
    refusedWith(['complaint', 'add', 'Ada', '--description', 'broke\x1b]0;x\x07'], CONTROL);
    refusedWith(['complaint', 'add', 'Ada', '--description', 'd'.repeat(5001)], /^crm: description: 5001 characters .*more than the 5000 a description may have\n$/);
    refusedWith(['complaint', 'add', 'Ada', '--description', 'late', '--handler', 'Li\x1b[2J'], CONTROL);
    refusedWith(['complaint', 'add', 'Ada', '--description', 'late', '--handler', 'h'.repeat(101)], /more than the 100 a handler’s or --by name may have/);
    refusedWith(['complaint', 'add', 'Ada', '--description', 'late', '--by', 'me\x7f'], CONTROL);
    refusedWith(['complaint', 'update', '1', '--note', 'rang\x1b[2J'], CONTROL);
    refusedWith(['complaint', 'ack', '1', '--note', 'n'.repeat(5001)], /more than the 5000 a note may have/);
    refusedWith(['complaint', 'escalate', '1', '--by', 'me\x07'], CONTROL);
    refusedWith(['complaint', 'resolve', '1', '--note', 'sent\x1b[8m'], CONTROL);
    expect(crmJson<Row[]>(['complaint', 'list'], { db })).toHaveLength(1);
    const shown = crmJson<{ events?: Row[]; timeline?: Row[] }>(['complaint', 'show', '1'], { db });
    expect(JSON.stringify(shown)).not.toMatch(/rang|sent/);
    // Line breaks and tabs are kept in a description.
    expect(crm(['complaint', 'add', 'Ada', '--description', 'two\nlines\tand a tab', '--handler', '小李'], { db }).code).toBe(0);
  });

  it('config set: shop_name, signature, shop_phone and the rest', () => {
    refusedWith(['config', 'set', 'shop_name', 'Shop\x1b]0;PWNED\x07'], CONTROL);
    refusedWith(['config', 'set', 'shop_phone', '400\x1b[2J'], CONTROL);
    refusedWith(['config', 'set', 'owner_name', 'o'.repeat(501)], /more than the 500 a setting’s value may have/);
    refusedWith(['config', 'set', 'signature', 's'.repeat(501)], /more than the 500 a signature may have/);
    refusedWith(['config', 'set', 'signature', 'Shop\x1b[2J'], CONTROL);
    expect(crm(['config', 'get', 'shop_name'], { db }).stdout).not.toMatch(SENT);
    expect(crm(['config', 'set', 'signature', '—— 小王水果店\n敬上'], { db }).code).toBe(0);
  });

  it('template new and edit refuse control characters but line breaks and tabs (and a body too long, as before)', () => {
    refusedWith(['template', 'new', 'hi', '--body', 'Hello\x1b]0;x\x07 {{ customer.name }}'], CONTROL);
    refusedWith(['template', 'new', 'hi', '--body', 'x'.repeat(20_001)], /^crm: the template is longer than 20000 characters\n$/);
    expect(crm(['template', 'new', 'hi', '--body', 'Hello\n\t{{ customer.name }}'], { db }).code).toBe(0);
    refusedWith(['template', 'edit', 'hi', '--body', 'Bye\x7f'], CONTROL);
    expect(crm(['template', 'show', 'hi', '--format', 'json'], { db }).stdout).toContain('Hello\\n\\t{{ customer.name }}');
  });

  it('survey record refuses a free-text answer holding control characters or too long', () => {
    refusedWith(['survey', 'record', 'Ada', '--answer', 'nps=9', '--answer', 'overall=4', '--answer', 'comment=great\x1b[2J'], CONTROL);
    refusedWith(['survey', 'record', 'Ada', '--answer', 'nps=9', '--answer', 'overall=4', '--answer', `comment=${'c'.repeat(2001)}`], /more than the 2000 an answer may have/);
    expect(crm(['survey', 'record', 'Ada', '--answer', 'nps=9', '--answer', 'overall=4', '--answer', 'comment=great'], { db }).code).toBe(0);
  });

  it('a merge keeps a merged value that would pass a field\'s length cut with …, and never fails for it', async () => {
    const mdb = tempDb();
    const [a, b] = ['a'.repeat(1500), 'b'.repeat(1500)];
    await setUp(['customer', 'add', '--name', 'Ada', '--phone', '13800138000', '--note', a], { db: mdb });
    await setUp(['customer', 'add', '--name', 'Ada Z', '--phone', '13900139000', '--note', b], { db: mdb });
    await setUp(['customer', 'add', '--name', 'Ada Y', '--phone', '13700137000', '--note', 'c'.repeat(3000)], { db: mdb });
    const r = crm(['merge', '1', '2', '3', '--yes'], { db: mdb });
    expect(r.code, r.stderr).toBe(0);
    const c = crmJson<{ customer: Row }>(['customer', 'show', '1'], { db: mdb }).customer;
    const kept = c['merged:note'] as string;
    expect([...kept]).toHaveLength(2000);
    expect(kept.startsWith(`${b}; ccc`)).toBe(true);
    expect(kept.endsWith('…')).toBe(true);
    // The record is still one crm takes: an edit of it goes through.
    expect(crm(['customer', 'edit', '1', '--city', '上海'], { db: mdb }).code).toBe(0);
  });
});

describe('field names are data', () => {
  const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

  it('keeps __proto__, constructor, toString as fields through add, show, list, export and import into another shop', () => {
    const db = tempDb();
    const add = crm(['customer', 'add', '--name', 'Ada', '--phone', '13800138000', ...NAMES.flatMap((k) => ['--field', `${k}=${k} value`])], { db });
    expect(add.code, add.stderr).toBe(0);
    const want = Object.fromEntries(NAMES.map((k) => [k, `${k} value`]));
    const shown = JSON.parse(crm(['customer', 'show', 'Ada', '--format', 'json'], { db }).stdout) as { customer: Row };
    expect(Object.fromEntries(NAMES.map((k) => [k, Object.hasOwn(shown.customer, k) ? shown.customer[k] : undefined]))).toEqual(want);
    const table = crm(['customer', 'show', 'Ada'], { db }).stdout;
    for (const k of NAMES) expect(table).toMatch(new RegExp(`^${k}\\s+${k} value$`, 'm'));
    const out = path.join(tempDir(), 'all.csv');
    expect(crm(['export', 'customers', '--out', out], { db }).code).toBe(0);
    const [header, row] = readRows(out);
    for (const k of NAMES) expect(row![header!.indexOf(k)]).toBe(`${k} value`);
    const other = tempDb();
    const imported = crm(['import', 'customers', out], { db: other });
    expect(imported.code, imported.stderr).toBe(0);
    const again = JSON.parse(crm(['customer', 'show', 'Ada', '--format', 'json'], { db: other }).stdout) as { customer: Row };
    expect(Object.fromEntries(NAMES.map((k) => [k, Object.hasOwn(again.customer, k) ? again.customer[k] : undefined]))).toEqual(want);
    // A column picked by that name, and a field of that name removed.
    expect(crm(['customer', 'list', '--columns', 'name,__proto__', '--format', 'csv'], { db: other }).stdout).toBe('name,__proto__\nAda,__proto__ value\n');
    expect(crm(['customer', 'edit', 'Ada', '--unset-field', '__proto__'], { db: other }).code).toBe(0);
    expect(Object.hasOwn(crmJson<{ customer: Row }>(['customer', 'show', 'Ada'], { db: other }).customer, '__proto__')).toBe(false);
  });

  it('imports a spreadsheet column headed __proto__ or constructor as a custom field, and a header without its control characters', () => {
    const db = tempDb();
    const file = csvFile('name,phone,__proto__,constructor,Eve\x1b]0;x\x07\nAda,13800138000,p,c,e\n');
    const r = crm(['import', 'customers', file], { db });
    expect(r.code, r.stderr).toBe(0);
    const csv = crm(['customer', 'list', '--format', 'csv'], { db }).stdout;
    const [header, row] = Papa.parse<string[]>(csv).data;
    const value = (k: string) => row![header!.indexOf(k)];
    expect([value('__proto__'), value('constructor'), value('Eve]0;x')]).toEqual(['p', 'c', 'e']);
  });
});

describe('on the way out to a terminal', () => {
  // What an earlier version let in: written straight into the database.
  const db = tempDb();
  const LONG = '1'.repeat(100_000) + '张';
  beforeAll(async () => {
    await setUp(['customer', 'add', '--name', 'Eve', '--phone', '13800138000', '--field', 'wechat=wx', '--note', 'n'], { db });
    await setUp(['customer', 'add', '--name', 'Long', '--phone', '13800138002'], { db });
    const sql = new Database(db);
    sql.prepare('UPDATE customers SET name = ?, note = ?, fields = ? WHERE id = 1').run(ESC_NAME, 'ok\rPAID\0', JSON.stringify({ wechat: 'wx\x1b[2J', 'x\x1b]0;t\x07': 'v' }));
    sql.prepare('UPDATE customers SET name = ? WHERE id = 2').run(LONG);
    sql.close();
  });

  describe('a stored colour code, and prompts', () => {
    const rdb = tempDb();
    beforeAll(async () => {
      await setUp(['customer', 'add', '--name', 'Eve', '--phone', '13800138000', '--note', 'n', '--tag', 'VIP'], { db: rdb });
      const sql = new Database(rdb);
      sql.prepare('UPDATE customers SET name = ?, note = ? WHERE id = 1').run(RED_NAME, 'paid \x1b[31min red\x1b[0m');
      sql.close();
    });
    // What a stored value must never send: its title change, its colour code.
    const RAW = /\x1b\]0;PWNED|\x1b\[31m/;

    it('customer show writes a colour code a value holds as \\e[31m, with colour on or off, and keeps crm\'s own colours', async () => {
      for (const env of [{ NO_COLOR: '1' }, { FORCE_COLOR: '1' }]) {
        const r = await atTerminal(rdb, ['customer', 'show', '1'], 100, env);
        expect(r.code, r.err).toBe(0);
        expect(r.out).not.toMatch(RAW);
        expect(r.out).toContain('#1 Eve\\e]0;PWNED\\a\\e[31mRED');
        expect(r.out).toContain('paid \\e[31min red\\e[0m');
        if (env.FORCE_COLOR) expect(r.out).toContain('\x1b[1m#1 Eve\\e]0;PWNED');
      }
    });

    it('customer list --format csv|json and export customers write control characters out at a terminal, and keep them exactly through a pipe and in a file', async () => {
      for (const argv of [['customer', 'list', '--format', 'csv'], ['customer', 'list', '--format', 'json'], ['export', 'customers'], ['export', 'customers', '--format', 'json']]) {
        const r = await atTerminal(rdb, argv);
        expect(r.code, r.err).toBe(0);
        expect(r.out, argv.join(' ')).not.toMatch(SENT);
        // JSON writes the escape as \u001b already; CSV as crm writes controls for people.
        expect(r.out, argv.join(' ')).toContain(argv.includes('json') ? 'Eve\\u001b]0;PWNED' : 'Eve\\e]0;PWNED\\a\\e[31mRED');
      }
      expect(crm(['customer', 'list', '--format', 'csv'], { db: rdb }).stdout).toContain(RED_NAME);
      expect(crm(['export', 'customers'], { db: rdb }).stdout).toContain(RED_NAME);
      const out = path.join(tempDir(), 'all.csv');
      expect((await atTerminal(rdb, ['export', 'customers', '--out', out])).code).toBe(0);
      expect(fs.readFileSync(out, 'utf8')).toContain(RED_NAME);
    });

    it('customer rm and customer edit ask with the stored name written out', async () => {
      const rm = await prompted(rdb, ['customer', 'rm', '1'], [[/Remove #1/, 'n\r']]);
      expect(rm.left).toBe(0);
      expect(rm.screen).not.toMatch(RAW);
      expect(rm.screen).toContain('Eve\\e]0;PWNED\\a\\e[31mRED');
      const edit = await prompted(rdb, ['customer', 'edit', '1'], [
        [/Name/, '\u0015Eve\r'],
        [/Email/, '\r'],
        [/Gender/, '\r'],
        [/Birthday/, '\r'],
        [/City/, '\r'],
        [/Address/, '\r'],
        [/Note/, '\u0015paid\r'],
      ]);
      expect([edit.code, edit.left]).toEqual([0, 0]);
      expect(edit.screen).not.toMatch(RAW);
      expect(edit.screen).toContain('Eve\\e]0;PWNED\\a\\e[31mRED');
      expect(edit.screen).toContain('paid \\e[31min red\\e[0m');
      expect(crmJson<{ customer: Row }>(['customer', 'show', '1'], { db: rdb }).customer).toMatchObject({ name: 'Eve', note: 'paid', tags: ['VIP'] });
    });
  });

  it('shows a record\'s control characters written out in a table, a profile and a message, and never sends them', async () => {
    const table = await atTerminal(db, ['find', '13800138000', '--columns', 'id,name,note,wechat']);
    expect(table.code, table.err).toBe(0);
    expect(table.out).not.toMatch(SENT);
    expect(table.out).toContain('Eve\\e]0;PWNED\\a\\e[2J');
    expect(table.out).toContain('ok\\rPAID\\0');
    expect(table.out.split('\n').every((l) => displayWidth(l) <= 100)).toBe(true);
    const profile = await atTerminal(db, ['customer', 'show', '1']);
    expect(profile.out).not.toMatch(SENT);
    expect(profile.out).toContain('#1 Eve\\e]0;PWNED\\a\\e[2J');
    expect(profile.out).toMatch(/^x\\e\]0;t\\a\s+v$/m);
    expect(profile.out).toMatch(/^wechat\s+wx\\e\[2J$/m);
    const edited = await atTerminal(db, ['customer', 'edit', '1', '--city', '上海']);
    expect(edited.out).toBe('Updated customer #1 Eve\\e]0;PWNED\\a\\e[2J\n');
    // Through a pipe, CSV and JSON keep the stored text as it is (they are data, not a terminal's).
    expect(crm(['customer', 'show', '1', '--format', 'json'], { db }).stdout).toContain('"name": "Eve\\u001b]0;PWNED\\u0007\\u001b[2J"');
  });

  it('writes out the control characters and line breaks of a value an error line quotes', async () => {
    const r = await atTerminal(db, ['customer', 'show', 'nobody\x1b[2J\nsecond line']);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')[0]).toMatch(/^crm: .*nobody\\e\[2J\\nsecond line/);
    expect(r.err).not.toMatch(SENT);
  });

  it('lays out a 100,000-character name in a table at a terminal about as fast as CSV (minutes before)', async () => {
    const t0 = performance.now();
    const csv = await atTerminal(db, ['find', '13800138002', '--format', 'csv']);
    const t1 = performance.now();
    const table = await atTerminal(db, ['find', '13800138002']);
    const t2 = performance.now();
    expect(csv.out).toContain(LONG);
    expect(table.code, table.err).toBe(0);
    expect(table.out).toContain('+8613800138002');
    expect(table.out.split('\n').every((l) => displayWidth(l) <= 100)).toBe(true);
    expect(t2 - t1, `table ${Math.round(t2 - t1)} ms, CSV ${Math.round(t1 - t0)} ms`).toBeLessThan(Math.max(5000, 5 * (t1 - t0)));
  });
});
