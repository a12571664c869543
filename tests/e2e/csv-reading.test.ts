// How `crm import` reads hostile CSV files: line endings however a file mixes them, rows in
// another encoding than the rest, broken quotes, U+FFFD written as text, huge lines quoted in
// errors, and a leading apostrophe through export and import. Fixtures: tests/fixtures/hostile/.
import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { crm, crmJson, ROOT, tempDb, tempDir } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';

const require = createRequire(import.meta.url);
const iconv = require('iconv-lite') as typeof import('iconv-lite');
const HOSTILE = path.join(ROOT, 'tests', 'fixtures', 'hostile');

type Customer = { name: string; phone: string | null; city: string | null; note: string | null };
type Summary = { rows: number; inserted: number; rejected: number; encoding: string; rejects_file: string | null };
const customers = (db: string) => crmJson<Customer[]>(['customer', 'list', '--limit', '100000'], { db });

/** A fixture copied to a fresh folder (the rejects file is written beside it). */
function copy(name: string): string {
  const file = path.join(tempDir(), name);
  fs.copyFileSync(path.join(HOSTILE, name), file);
  return file;
}

function write(bytes: string | Buffer, name = 'in.csv'): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** Imports customers; returns the JSON summary, the messages on stderr and the exit code. */
function importCustomers(file: string, db: string, ...flags: string[]): { summary: Summary; stderr: string; code: number } {
  const r = crm(['import', 'customers', file, '--format', 'json', ...flags], { db });
  return { summary: JSON.parse(r.stdout) as Summary, stderr: r.stderr, code: r.code };
}

function rejects(file: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
}

describe('line endings', () => {
  it('reads 5,000 CRLF rows followed by 5,000 LF rows as 10,000 rows', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => `客户${i},1380${String(i).padStart(7, '0')},${i < 5000 ? '上海' : '北京'}`);
    const text = '姓名,手机,城市\r\n' + rows.slice(0, 5000).join('\r\n') + '\r\n' + rows.slice(5000).join('\n') + '\n';
    const db = tempDb();
    const { summary, code } = importCustomers(write(text), db);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ rows: 10_000, inserted: 10_000, rejected: 0 });
    const list = customers(db);
    expect(list.at(-1)).toMatchObject({ name: '客户9999', city: '北京' });
    expect(list.find((c) => c.name === '客户5000')).toMatchObject({ city: '北京', phone: ['+8613800005000'] });
  });

  it('ends a row at CRLF, LF or a lone CR, in one file and in files of old Macs', () => {
    const db = tempDb();
    expect(importCustomers(copy('mixed-endings.csv'), db).summary).toMatchObject({ rows: 6, inserted: 6, rejected: 0 });
    expect(customers(db).map((c) => [c.name, c.city])).toEqual([
      ['王芳', '北京'], ['李娜', '上海'], ['刘洋', '广州'], ['陈静', '深圳'], ['杨磊', '杭州'], ['赵敏', '成都'],
    ]);
    const mac = tempDb();
    expect(importCustomers(copy('mac-cr.csv'), mac).summary).toMatchObject({ rows: 3, inserted: 3 });
    expect(customers(mac).map((c) => c.city)).toEqual(['Berlin', 'Hamburg', 'Munich']);
    const utf16 = tempDb();
    expect(importCustomers(copy('utf16-crlf.csv'), utf16).summary).toMatchObject({ encoding: 'utf-16le', rows: 2, inserted: 2 });
    expect(customers(utf16).map((c) => c.name)).toEqual(['王芳', '李娜']);
  });

  it('skips blank lines and keeps line breaks inside quoted cells, counting the lines after them right', () => {
    const db = tempDb();
    expect(importCustomers(copy('blank-lines.csv'), db).summary).toMatchObject({ rows: 2, inserted: 2, rejected: 0 });
    const quoted = tempDb();
    const file = write(Buffer.concat([fs.readFileSync(path.join(HOSTILE, 'quoted-line-breaks.csv')), Buffer.from('孙丽,备注,13800138005,多出来的一格\r\n')]));
    const { summary, stderr } = importCustomers(file, quoted);
    expect(summary).toMatchObject({ rows: 5, inserted: 4, rejected: 1 });
    // 王芳 takes lines 2-3, 李娜 4-6, 刘洋 7-8 (a lone CR), 陈静 9: the extra row is line 10.
    expect(stderr).toContain('line 10: 1 cell(s) beyond the 3 columns of the header');
    expect(customers(quoted).map((c) => c.note)).toEqual(['第一行\r\n第二行', '一\n二\n三', '甲\r乙', '说 "你好"']);
  });
});

describe('broken quotes', () => {
  it('refuses only the line a stray quote breaks; the lines it seemed to take are read on their own', () => {
    const db = tempDb();
    const { summary, stderr } = importCustomers(copy('stray-quote.csv'), db);
    expect(summary).toMatchObject({ rows: 4, inserted: 3, rejected: 1 });
    expect(stderr).toContain('line 2: its quotes are broken');
    expect(stderr).not.toMatch(/line [345]:/);
    expect(customers(db).map((c) => [c.name, c.note])).toEqual([['李娜', '好'], ['刘洋', '好'], ['陈静', '好']]);
    const back = rejects(summary.rejects_file!);
    expect(back.map((r) => [r['姓名'], r['备注']])).toEqual([['王芳', '他说"好']]);
  });

  it('writes a refused line to the rejects file so that importing it reads the cells the line meant, not its quote marks', () => {
    const text = '姓名,手机,城市,备注\n张伟,13800138000,"上海","他说"好\n李娜,13900139000,北京,ok\n王芳,13700137000,"广州","fine"\n';
    const db = tempDb();
    const first = importCustomers(write(text), db);
    expect(first.summary).toMatchObject({ rows: 3, inserted: 2, rejected: 1 });
    expect(first.stderr).toContain('line 2: its quotes are broken');
    expect(customers(db).map((c) => [c.name, c.city, c.note])).toEqual([['李娜', '北京', 'ok'], ['王芳', '广州', 'fine']]);
    const back = rejects(first.summary.rejects_file!);
    expect(back.map((r) => [r['姓名'], r['城市'], r['备注']])).toEqual([['张伟', '上海', '他说"好']]);
    // The rejects file imported again (here as it is) gives those cells: no quote marks kept as text.
    const again = importCustomers(first.summary.rejects_file!, db);
    expect(again.summary).toMatchObject({ rows: 1, inserted: 1, rejected: 0 });
    expect(customers(db).find((c) => c.name === '张伟')).toMatchObject({ city: '上海', note: '他说"好' });
  });

  it('keeps a quoted note of 250 lines as one cell, through crm\'s own export and import, and counts the lines after it', async () => {
    const note = Array.from({ length: 250 }, (_, i) => `第${i}次回访`).join('\n');
    const from = tempDb();
    // Set up in this process (what is checked, the export and the import, runs the built binary).
    await setUp(['customer', 'add', '--name', '张伟', '--phone', '13800138000', '--note', note], { db: from });
    const file = path.join(tempDir(), 'q.csv');
    expect(crm(['export', 'customers', '--out', file], { db: from }).code).toBe(0);
    const to = tempDb();
    const { summary, stderr } = importCustomers(file, to);
    expect(summary, stderr).toMatchObject({ rows: 1, inserted: 1, rejected: 0 });
    expect(customers(to)[0]!.note).toBe(note);
    // Cells after the note, and a bad phone after the row: 张伟 takes lines 2-251, 李娜 is line 252.
    const db = tempDb();
    const r = importCustomers(write(`姓名,备注,手机\n张伟,"${note}",13800138000\n李娜,好,12345\n`), db);
    expect(r.summary).toMatchObject({ rows: 2, inserted: 1, rejected: 1 });
    expect(r.stderr).toContain('line 252, 手机: phone: "12345" is not a valid phone number');
    expect(customers(db).map((c) => [c.name, c.phone])).toEqual([['张伟', ['+8613800138000']]]);
  });

  it('refuses only the line of a quote that never closes, never the thousands of rows after it', () => {
    const small = tempDb();
    const { summary, stderr } = importCustomers(copy('unclosed-quote.csv'), small);
    expect(summary).toMatchObject({ rows: 4, inserted: 3, rejected: 1 });
    expect(stderr).toContain('line 3: its quotes are broken');
    expect(customers(small).map((c) => c.name)).toEqual(['王芳', '刘洋', '陈静']);
    const rows = Array.from({ length: 3000 }, (_, i) => `客户${i},1390${String(i).padStart(7, '0')},${i === 10 ? '"说到一半' : '好'}`);
    const big = tempDb();
    const r = importCustomers(write(`姓名,手机,备注\n${rows.join('\n')}\n`), big);
    expect(r.summary).toMatchObject({ rows: 3000, inserted: 2999, rejected: 1 });
    expect(r.stderr).toContain('line 12: its quotes are broken');
  });

  it('gives up on a quote open for more than 4 MB at its own line, and reads the lines after it', () => {
    // Without a limit the quote would close on line 6 and take the 5 MB between as one cell.
    const long = 'x'.repeat(1_700_000);
    const text = `姓名,手机,备注\n张伟,13800138000,"说到一半\n${[1, 2, 3].map((i) => `客户${i},1390000000${i},${long}`).join('\n')}\n",李娜,13900139000\n`;
    const r = importCustomers(write(text), tempDb());
    expect(r.summary).toMatchObject({ rows: 5, inserted: 0, rejected: 5 });
    for (const line of [2, 6]) expect(r.stderr).toContain(`line ${line}: its quotes are broken`);
    for (const line of [3, 4, 5]) expect(r.stderr).toContain(`line ${line}, 备注: note: 1700000 characters`);
  });

  it('reads 50,000 lines that each open a quote that never closes in linear time, refusing each', () => {
    // Before, every refused line searched the rest of the file again: 29 s for these 1.6 MB.
    const lines = Array.from({ length: 50_000 }, (_, i) => `N${i},+1415555${String(i % 10000).padStart(4, '0')},"5 inch box`);
    const r = importCustomers(write(`name,phone,note\n${lines.join('\n')}\n`), tempDb(), '--dry-run');
    expect(r.summary).toMatchObject({ rows: 50_000, inserted: 0, rejected: 50_000 });
    expect(r.stderr).toContain('line 2: its quotes are broken');
    expect(rejects(r.summary.rejects_file!).at(-1)).toMatchObject({ name: 'N49999', note: '5 inch box' });
  });
});

describe('encodings', () => {
  it('reads the UTF-8 rows of a GBK file as UTF-8, never as mojibake', () => {
    const db = tempDb();
    const { summary, code, stderr } = importCustomers(copy('mixed-gbk-utf8.csv'), db);
    expect(code, stderr).toBe(0);
    expect(summary).toMatchObject({ encoding: 'gb18030', rows: 6, inserted: 6, rejected: 0 });
    const names = customers(db).map((c) => `${c.name} ${c.city}`);
    expect(names).toEqual(['王芳 北京', '李娜 上海', '张伟 广州', '刘洋 深圳', '陈静 杭州', '杨磊 成都']);
    expect(names.join()).not.toContain('寮犱紵');
  });

  it('reads a UTF-8 row whose bytes also pair into GBK characters (天津 would be 澶╂触) as UTF-8', () => {
    const gbk = iconv.encode('姓名,手机,城市\r\n王芳,13800138001,北京\r\n', 'gbk');
    const db = tempDb();
    importCustomers(write(Buffer.concat([gbk, Buffer.from('Tom Lee,13800138002,天津\r\n', 'utf8'), iconv.encode('李娜,13800138003,上海\r\n', 'gbk')])), db);
    expect(customers(db).map((c) => c.city)).toEqual(['北京', '天津', '上海']);
  });

  it('reads GBK names beyond GB2312 (莫詩, 钱蓮) as GBK, though their bytes are also valid UTF-8, with or without --encoding gbk', () => {
    const file = write(iconv.encode('姓名,手机,备注\r\n莫詩,13800138000,\r\n钱蓮,13900139000,\r\n', 'gbk'));
    for (const flags of [[], ['--encoding', 'gbk']]) {
      const db = tempDb();
      expect(importCustomers(file, db, ...flags).summary).toMatchObject({ rows: 2, inserted: 2, rejected: 0 });
      expect(customers(db).map((c) => c.name)).toEqual(['莫詩', '钱蓮']);
    }
    // All 990 GBK characters whose two bytes are valid UTF-8 (聽 職 聲 蓮 詩 話 見 車 …), in a file
    // that is valid UTF-8 throughout (its header is ASCII): GBK, read as GBK.
    const chars: string[] = [];
    const inGb2312 = (b: number, t: number) => ((b >= 0xa1 && b <= 0xa9) || (b >= 0xb0 && b <= 0xf7)) && t >= 0xa1;
    for (let b = 0xc2; b <= 0xdf; b++) for (let t = 0x80; t <= 0xbf; t++) {
      const ch = iconv.decode(Buffer.from([b, t]), 'gbk');
      if (!inGb2312(b, t) && ch.length === 1 && ch !== '\uFFFD') chars.push(ch);
    }
    expect(chars.length).toBe(990);
    const bytes = iconv.encode(`name,phone\n${chars.map((ch, i) => `莫${ch},1380013${String(i).padStart(4, '0')}`).join('\n')}\n`, 'gbk');
    expect(isUtf8(bytes)).toBe(true);
    const db = tempDb();
    const { summary, stderr } = importCustomers(write(bytes), db);
    expect(summary, stderr).toMatchObject({ encoding: 'gb18030', rows: 990, inserted: 990, rejected: 0 });
    expect(customers(db).map((c) => c.name)).toEqual(chars.map((ch) => `莫${ch}`));
  });

  it('takes an encoding given with --encoding as given, never reading a line as the other of UTF-8 and GBK', () => {
    // A UTF-8 file with a GBK line: detected, the line is read as GBK; with --encoding utf-8, it is refused as not UTF-8.
    const file = write(Buffer.concat([Buffer.from('姓名,城市\n王芳,北京\n', 'utf8'), iconv.encode('李娜,上海\n', 'gbk')]));
    const detected = tempDb();
    expect(importCustomers(file, detected).summary).toMatchObject({ rows: 2, inserted: 2 });
    expect(customers(detected).map((c) => c.city)).toEqual(['北京', '上海']);
    const given = importCustomers(file, tempDb(), '--encoding', 'utf-8');
    expect(given.summary).toMatchObject({ rows: 2, inserted: 1, rejected: 1 });
    expect(given.stderr).toContain('line 3: it holds bytes that are not UTF-8 text (shown as');
  });

  it('refuses a file in a legacy encoding that is not GBK, naming the --encoding to give, rather than store mojibake', () => {
    const cases = [
      { encoding: 'windows-1252', text: 'name,phone,city\nJürgen Müller,+4915112345678,München\nJosé Peña,+34612345678,Málaga\n', shown: 'J黵gen M黮ler', names: ['Jürgen Müller', 'José Peña'] },
      { encoding: 'big5', text: '姓名,手機,城市\n陳大文,+85291234567,香港\n許志明,+85291234568,台北\n', shown: '﹎', names: ['陳大文', '許志明'] },
    ];
    for (const c of cases) {
      const file = write(iconv.encode(c.text, c.encoding));
      const db = tempDb();
      const r = crm(['import', 'customers', file], { db });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`does not read as Chinese text in GBK (a line reads as "${c.shown}`);
      expect(r.stderr).toContain(`import it with --encoding ${c.encoding}`);
      expect(crm(['import', 'customers', file], { db, env: { LANG: 'zh_CN.UTF-8' } }).stderr).toContain(`按 GBK 读不成中文`);
      expect(importCustomers(file, db, '--encoding', c.encoding).summary).toMatchObject({ inserted: 2, rejected: 0 });
      expect(customers(db).map((x) => x.name)).toEqual(c.names);
    }
  });

  it('reads the GBK rows of a UTF-8 file as GBK, a BOM before GBK as GBK, and refuses a row that is neither, saying so', () => {
    const db = tempDb();
    const { summary, stderr } = importCustomers(copy('mixed-utf8-gbk.csv'), db);
    expect(summary).toMatchObject({ rows: 5, inserted: 4, rejected: 1 });
    expect(stderr).toMatch(/line 5: it holds bytes that are not (gb18030|utf-8) text, nor (utf-8|gbk)/);
    const list = customers(db);
    expect(list.map((c) => c.name)).toEqual(['王芳', '李娜', '刘洋', '陈静']);
    expect(JSON.stringify(list)).not.toContain('\uFFFD');
    const bom = tempDb();
    expect(importCustomers(copy('bom-then-gbk.csv'), bom).summary).toMatchObject({ rows: 2, inserted: 2, rejected: 0 });
    expect(customers(bom).map((c) => `${c.name} ${c.city}`)).toEqual(['王芳 北京', '李娜 上海']);
  });

  it('imports valid UTF-8 that holds U+FFFD as text, and still refuses a byte that is not text', () => {
    const db = tempDb();
    const { summary, code } = importCustomers(copy('utf8-replacement-char.csv'), db);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ encoding: 'utf-8', rows: 2, inserted: 2, rejected: 0 });
    expect(customers(db).map((c) => c.name)).toEqual(['王\uFFFD芳', '李娜']);
    const broken = tempDb();
    const file = write(Buffer.concat([Buffer.from('姓名,城市\n张伟,上海\n李'), Buffer.from([0x96]), Buffer.from('娜,北京\n')]));
    const r = importCustomers(file, broken);
    expect(r.summary).toMatchObject({ rows: 2, inserted: 1, rejected: 1 });
    expect(r.stderr).toContain('line 3: it holds bytes that are not utf-8 text, nor gbk');
  });
});

describe('what errors quote', () => {
  it('cuts a 10 MB first line to a few dozen characters in the error, with or without a header', () => {
    const file = write('x'.repeat(10_000_000) + '\n' + 'y'.repeat(100) + '\n');
    for (const flags of [[], ['--no-header']]) {
      const r = crm(['import', 'customers', file, ...flags], { db: tempDb() });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('no column holds the customer');
      expect(r.stderr).toContain('x'.repeat(40) + '…');
      expect(r.stderr.length).toBeLessThan(600);
    }
  });

  it('cuts a long cell quoted in a refused row\'s reason', () => {
    // A phone has no length limit of its own: its value is quoted, cut.
    const r = crm(['import', 'customers', write(`姓名,手机\n张伟,${'1'.repeat(5000)}\n`)], { db: tempDb() });
    expect(r.stderr).toContain('is not a valid phone number');
    expect(r.stderr).toContain('1'.repeat(40) + '…');
    expect(r.stderr.length).toBeLessThan(1000);
  });
});

describe('a leading apostrophe', () => {
  it('comes back the same through export and import, with and without --excel', async () => {
    const notes = ["'=x", "'0123", "'hello", "''=y", '=z', "'+8613800138000"];
    const from = tempDb();
    // Set up in this process (what is checked, the export and the import, runs the built binary).
    for (const [i, note] of notes.entries()) await setUp(['customer', 'add', '--name', `客户${i}`, '--note', note], { db: from });
    for (const flags of [[], ['--excel']]) {
      const file = path.join(tempDir(), 'out.csv');
      expect(crm(['export', 'customers', '--out', file, ...flags], { db: from }).code).toBe(0);
      const to = tempDb();
      expect(importCustomers(file, to).summary).toMatchObject({ inserted: notes.length, rejected: 0 });
      expect(customers(to).map((c) => c.note)).toEqual(notes);
    }
  });
});
