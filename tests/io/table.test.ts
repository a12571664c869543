// The table layout: what fits where, what gives way first, and what never gives way.
import { describe, expect, it } from 'vitest';
import { drawTable, inferFit, layoutTable, shorten, wrapHeader, wrapText, type TableColumn } from '../../src/io/table.js';
import { displayWidth, splitAnsi } from '../../src/io/width.js';

const col = (header: string, cells: string[], more: Partial<TableColumn> = {}): TableColumn => ({ header, align: 'left', cells, ...more });
const draw = (cols: TableColumn[], width?: number) => {
  const layout = layoutTable(cols, width);
  return { layout, lines: drawTable(cols, layout).split('\n') };
};
const widest = (lines: string[]) => Math.max(...lines.map(displayWidth));

describe('telling whole values from free text', () => {
  it.each([
    [['+8613800138000', '+86 138-0013-8000'], 'whole'],
    [['¥1,280.50', '−¥3.00', '1280元', '99 CNY'], 'whole'],
    [['2026-11-22', '2026-11-22 10:00', '10:00', '2026-11-22T10:00:00+08:00'], 'whole'],
    [['12.3%', '+4.2%', '±0.0%', '−0.9 pts', '+3.9 个百分点', '—', ''], 'whole'],
    [['SO-001', '#42', '278'], 'whole'],
    [['+8613800138000, +8613900139000'], 'whole'],
    [['a@b.com'], 'whole'],
    [['张伟', 'Daniel Zhang'], 'shorten'],
    [['上海市徐汇区漕溪北路1234号'], 'shorten'],
    [['苏州市姑苏区观前街56号3栋2501室'], 'shorten'],
    [['same phone, same name'], 'shorten'],
    [['Most valuable', '12'], 'shorten'],
  ] as const)('%j is %s', (cells, fit) => {
    expect(inferFit(cells)).toBe(fit);
  });
});

describe('shortening and wrapping', () => {
  it('shortens to the width in cells, Chinese counted two, ending in …', () => {
    expect(shorten('Potential Loyalists', 10)).toBe('Potential…');
    expect(shorten('上海市徐汇区漕溪北路', 9)).toBe('上海市徐…');
    expect(displayWidth(shorten('上海市徐汇区漕溪北路', 9))).toBe(9);
    expect(shorten('short', 10)).toBe('short');
  });

  it('keeps colour codes whole when it shortens (so a colour still ends), and does not count them', () => {
    const cut = shorten('\x1b[1mPotential Loyalists\x1b[22m', 10);
    expect(cut).toBe('\x1b[1mPotential…\x1b[22m');
    expect(splitAnsi(cut).filter((p) => p.ansi).map((p) => p.text)).toEqual(['\x1b[1m', '\x1b[22m']);
  });

  it('wraps headers between words and pairs of Chinese characters, never inside a word', () => {
    expect(wrapHeader('Days since order', 10)).toEqual(['Days since', 'order']);
    expect(wrapHeader('Last order', 5)).toEqual(['Last', 'order']);
    expect(wrapHeader('Orders', 3)).toEqual(['Orders']);
    expect(wrapHeader('距上次消费天数', 8)).toEqual(['距上次消', '费天数']);
    expect(wrapHeader('订单数', 2)).toEqual(['订单数']);
  });

  it('wraps prose for a record, cutting only a word longer than the line', () => {
    expect(wrapText('prefers email; allergic to peanuts', 16)).toEqual(['prefers email;', 'allergic to', 'peanuts']);
    expect(wrapText('老客户喜欢新鲜水果', 8).every((l) => displayWidth(l) <= 8)).toBe(true);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
});

describe('laying out a table', () => {
  const customers = [
    col('ID', ['1', '278', '301'], { align: 'right' }),
    col('Name', ['王娟芳', 'Alexandra Montgomery-Fitzgerald', '欧阳娜娜']),
    col('Phone', ['+8618699603353', '+8615154266244', '+8613800138000, +8613900139000, +14155552671']),
    col('Note', ['', '老客户，喜欢新鲜水果，每周六上午来店里买两箱苹果', 'prefers email; allergic to peanuts']),
    col('Spend', ['¥0.00', '¥50,880.00', '¥12,345.67'], { align: 'right' }),
    col('Last order', ['', '2026-09-09', '2026-11-01']),
  ];

  it('draws the border crm has always drawn: top rule, header, rows, bottom rule, one space of padding', () => {
    const { lines } = draw([col('ID', ['1', '22'], { align: 'right' }), col('Name', ['张伟', 'Amy'])]);
    expect(lines).toEqual([
      '┌────┬──────┐',
      '│ ID │ Name │',
      '│  1 │ 张伟 │',
      '│ 22 │ Amy  │',
      '└────┴──────┘',
    ]);
  });

  it('without a width, gives every column what it needs', () => {
    const { layout, lines } = draw(customers);
    expect(layout.dropped).toEqual([]);
    expect(lines.join('\n')).toContain('Alexandra Montgomery-Fitzgerald');
    expect(lines.join('\n')).toContain('+8613800138000, +8613900139000, +14155552671');
  });

  it.each([120, 80, 60, 40, 30])('fits %i cells, whole values whole, every row on one line', (width) => {
    const { layout, lines } = draw(customers, width);
    expect(widest(lines)).toBeLessThanOrEqual(width);
    expect(lines).toHaveLength(customers[0]!.cells.length + 3 + (layout.headers.reduce((h, l) => Math.max(h, l.length), 1) - 1));
    const text = lines.join('\n');
    for (const k of layout.shown) {
      if (k === 2) for (const phone of ['+8618699603353', '+8615154266244', '+8613800138000']) expect(text).toContain(phone);
      if (k === 4) for (const amount of ['¥0.00', '¥50,880.00', '¥12,345.67']) expect(text).toContain(amount);
      if (k === 5) expect(text).toContain('2026-09-09');
    }
    expect(layout.shown[0]).toBe(0);
  });

  it('shortens free text before it leaves anything out, and shows a list of phones as its first and …', () => {
    const { layout, lines } = draw(customers, 80);
    expect(layout.dropped).toEqual([]);
    const text = lines.join('\n');
    expect(text).toContain('+8613800138000 …');
    expect(text).toMatch(/Alexand[^│]*…/);
    expect(text).not.toContain('+861390013900 '); // no phone cut short
  });

  it('leaves out the rightmost columns first, never the first, and an empty one before any other', () => {
    expect(draw(customers, 40).layout.dropped.sort()).toEqual([3, 4, 5]);
    const withEmpty = [...customers.slice(0, 3), col('Birthday', ['', '', '']), ...customers.slice(3)];
    expect(draw(withEmpty, 80).layout.dropped).toEqual([3]);
    expect(draw([col('Name', ['Alexandra Montgomery-Fitzgerald']), col('Phone', ['+8618699603353'])], 10).layout.shown).toEqual([0]);
  });

  it('leaves out the lowest keep first', () => {
    const kept = customers.map((c, i) => (i === 5 ? { ...c, keep: 1 } : i === 3 ? { ...c, keep: -1 } : c));
    const { layout } = draw(kept, 60);
    expect(layout.shown).toContain(5);
    expect(layout.dropped[0]).toBe(3);
  });

  it('wraps a header wider than its cells before it shortens anything', () => {
    const cols = [col('Segment', ['Potential Loyalists']), col('Days since order', ['11.6', '605'], { align: 'right' })];
    const { layout, lines } = draw(cols, 36);
    expect(layout.headers[1]).toEqual(['Days since', 'order']);
    expect(lines.join('\n')).toContain('Potential Loyalists');
    expect(lines[1]).toBe('│ Segment             │ Days since │');
    expect(lines[2]).toBe('│                     │      order │');
  });

  it('measures colour codes as nothing and applies bold after the layout', () => {
    const cols = [col('Name', ['\x1b[31mAlexandra Montgomery-Fitzgerald\x1b[39m']), col('Phone', ['+8618699603353'])];
    const layout = layoutTable(cols, 30);
    const lines = drawTable(cols, layout, (s) => `\x1b[1m${s}\x1b[22m`).split('\n');
    expect(widest(lines)).toBeLessThanOrEqual(30);
    expect(lines[1]).toContain('\x1b[1mName\x1b[22m');
    expect(lines[2]).toContain('\x1b[39m'); // the colour still ends
    expect(lines.join('\n')).toContain('+8618699603353');
  });
});

describe('which columns are of least use', () => {
  it('leaves out a column that says the same on every row before the others of its keep', () => {
    const cols = [
      col('ID', ['1', '2', '3']),
      col('Name', ['张伟', '李娜', '王芳']),
      col('City', ['上海', '上海', '上海']),
      col('Phone', ['+8613800138000', '+8613900139000', '+8613700137000']),
      col('Spend', ['¥1.00', '¥2.00', '¥3.00']),
    ];
    expect(layoutTable(cols, 44).dropped).toEqual([2]);
  });
});
