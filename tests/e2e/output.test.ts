// What a person sees at a terminal: colour only on a TTY without NO_COLOR, tables that fit.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { Context } from '../../src/context.js';
import { barChart, percent, roundTo, signedPercent } from '../../src/io/output.js';
import { crm, NOW, tempDb } from '../helpers/crm.js';

async function atTerminal(argv: string[], env: Record<string, string>, columns = 80) {
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns });
  let out = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await run(argv, { stdin: new PassThrough(), stdout, stderr: new PassThrough() }, { CRM_NOW: NOW, LANG: 'en_US.UTF-8', ...env });
  return { code, out };
}

const ANSI = /\x1b\[[0-9;]*m/;

describe('terminal output', () => {
  const db = tempDb();
  crm(['customer', 'add', '--name', '欧阳娜娜', '--phone', '13800138000', '--city', '上海市', '--address', '上海市徐汇区漕溪北路1234号华亭宾馆东楼二十三层', '--tag', 'VIP', '--note', 'a long note '.repeat(8)], { db });

  it('colours a terminal, and not with NO_COLOR or through a pipe', async () => {
    expect((await atTerminal(['customer', 'list'], { CRM_DB: db })).out).toMatch(ANSI);
    expect((await atTerminal(['customer', 'list'], { CRM_DB: db, NO_COLOR: '1' })).out).not.toMatch(ANSI);
    expect(crm(['customer', 'list'], { db }).stdout).not.toMatch(ANSI);
  });

  it('fits tables to the terminal width, counting Chinese characters as two columns', async () => {
    const { out } = await atTerminal(['customer', 'list', '--columns', 'id,name,city,address,note'], { CRM_DB: db, NO_COLOR: '1' }, 60);
    const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uff60]/.test(ch) ? 2 : 1), 0);
    const lines = out.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(3); // wrapped
    for (const line of lines) expect(width(line)).toBeLessThanOrEqual(60);
  });
});

describe('import progress', () => {
  it('shows rows, rows per second and the time left on a terminal, and nothing through a pipe', async () => {
    const { default: fs } = await import('node:fs');
    const path = await import('node:path');
    const { tempDir } = await import('../helpers/crm.js');
    const file = path.join(tempDir(), 'big.csv');
    fs.writeFileSync(file, ['name,phone', ...Array.from({ length: 6000 }, (_, i) => `C${i},139${String(i).padStart(8, '0')}`)].join('\n'));
    const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
    let shown = '';
    stderr.on('data', (d: Buffer) => (shown += d.toString()));
    const code = await run(['import', 'customers', file], { stdin: new PassThrough(), stdout: new PassThrough(), stderr }, { CRM_DB: tempDb(), CRM_NOW: NOW, LANG: 'en_US.UTF-8' });
    expect(code).toBe(0);
    expect(shown).toMatch(/\d+\/6000 rows \| \d+ rows\/s \| ETA/);
    expect(crm(['import', 'customers', file], { db: tempDb() }).stderr).toBe('');
  });
});

describe('numbers and charts for people', () => {
  it('formats shares and changes one way everywhere', () => {
    expect(percent(0.1234)).toBe('12.3%');
    expect(percent(null)).toBe('—');
    expect(signedPercent(0.161)).toBe('+16.1%');
    expect(signedPercent(-0.03)).toBe('−3.0%');
    expect(signedPercent(0.0001)).toBe('±0.0%');
    expect(roundTo(0.123456, 4)).toBe(0.1235);
  });

  it('draws bars scaled to the largest, labels padded by display width, at least one block for any value above 0', () => {
    const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 40 });
    let out = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    const ctx = new Context({ stdin: new PassThrough(), stdout, stderr: new PassThrough() }, {}, 'en');
    barChart(ctx, [
      { label: '冠军', value: 10, text: '10' },
      { label: 'Lost', value: 0.01, text: 'tiny', fill: '░' },
      { label: 'None', value: 0, text: '0' },
    ]);
    const [a, b, c] = out.trimEnd().split('\n');
    // 40 columns − label 4 − 12: bars up to 24 wide.
    expect(a).toBe(`冠军  ${'█'.repeat(24)} 10`);
    expect(b).toBe('Lost  ░ tiny');
    expect(c).toBe('None   0');
  });
});
