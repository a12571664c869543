// What crm accepts of free text (src/core/limits.ts), field maps whose names are data
// (src/core/fields.ts), phones with letters before the digits, what a terminal is shown
// (escapeControls), and a table laid out in time linear in its text.
import { describe, expect, it } from 'vitest';
import { parseCustomerInput, applyCustomerEdit } from '../../src/core/customer.js';
import { fieldsOf, fieldValue, setField, emptyFields } from '../../src/core/fields.js';
import { customerFromRow, orderFromRow, type RowContext, RowError } from '../../src/core/import/index.js';
import { mapColumns } from '../../src/core/import/columns.js';
import { checkText, cleanNote, LIMITS } from '../../src/core/limits.js';
import { normalizePhone, tryNormalizePhone } from '../../src/core/phone.js';
import { parseInteractionType } from '../../src/core/interaction.js';
import { layoutTable, drawTable } from '../../src/io/table.js';
import { displayWidth, escapeControls, ownStyle, terminalText } from '../../src/io/width.js';
import { errorOf } from '../helpers/errors.js';

const CN = { country: 'CN' };
const ESC_NAME = 'Eve\x1b]0;PWNED\x07\x1b[2J';

describe('lengths', () => {
  it('keeps a value of exactly the limit and refuses one character more, counting characters, not UTF-16 units', () => {
    expect(checkText('name', '张'.repeat(LIMITS.name))).toBe('张'.repeat(LIMITS.name));
    expect(checkText('name', '𠀀'.repeat(LIMITS.name))).toHaveLength(LIMITS.name * 2); // outside the BMP: two units each
    const e = errorOf(() => checkText('name', '张'.repeat(LIMITS.name + 1)));
    expect(e.id).toBe('err.tooLong.name');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(`name: 201 characters ("${'张'.repeat(12)}…"), more than the 200 a name may have`);
  });

  it('holds names, cities, addresses, notes, member numbers, tags and custom fields to theirs on add and edit', () => {
    const long = (n: number) => 'x'.repeat(n + 1);
    const cases: [Parameters<typeof parseCustomerInput>[0], string][] = [
      [{ name: long(LIMITS.name) }, 'err.tooLong.name'],
      [{ name: 'A', city: long(LIMITS.city) }, 'err.tooLong.city'],
      [{ name: 'A', address: long(LIMITS.address) }, 'err.tooLong.address'],
      [{ name: 'A', note: long(LIMITS.note) }, 'err.tooLong.note'],
      [{ name: 'A', externalId: long(LIMITS.externalId) }, 'err.tooLong.externalId'],
      [{ name: 'A', tags: [long(LIMITS.tag)] }, 'err.tooLong.tag'],
      [{ name: 'A', fields: [`${long(LIMITS.fieldName)}=v`] }, 'err.tooLong.fieldName'],
      [{ name: 'A', fields: [`k=${long(LIMITS.fieldValue)}`] }, 'err.tooLong.fieldValue'],
      [{ name: 'A', email: `${long(LIMITS.email)}@example.com` }, 'err.tooLong.email'],
    ];
    for (const [input, id] of cases) expect(errorOf(() => parseCustomerInput(input, CN)).id, id).toBe(id);
    const c = parseCustomerInput({ name: 'A' }, CN);
    expect(errorOf(() => applyCustomerEdit(c, { note: long(LIMITS.note) }, CN)).id).toBe('err.tooLong.note');
    expect(errorOf(() => applyCustomerEdit(c, { name: long(LIMITS.name) }, CN)).id).toBe('err.tooLong.name');
  });
});

describe('control characters', () => {
  it('refuses them in names, saying which and where, and in one-line fields after white space is folded', () => {
    const e = errorOf(() => parseCustomerInput({ name: ESC_NAME }, CN));
    expect(e.id).toBe('err.text.control');
    expect(e.params).toMatchObject({ char: '\\e', at: 4 });
    expect(e.message).not.toMatch(/\p{Cc}/u);
    expect(errorOf(() => parseCustomerInput({ name: 'Ada\0' }, CN)).params).toMatchObject({ char: '\\0', at: 4 });
    expect(errorOf(() => parseCustomerInput({ name: 'A', city: 'Shang\x7fhai' }, CN)).params).toMatchObject({ char: '\\x7f' });
    expect(errorOf(() => parseCustomerInput({ name: 'A', address: 'Road\x85 1' }, CN)).params).toMatchObject({ char: '\\x85' });
    // Tabs and line breaks in a name are white space, folded to one space as always.
    expect(parseCustomerInput({ name: 'Ada\t\r\nLovelace' }, CN).name).toBe('Ada Lovelace');
  });

  it('lets a note and a field value break lines (LF, CRLF or a lone CR) and hold tabs', () => {
    expect(cleanNote('  first\r\nsecond\nthird\tend ')).toBe('first\r\nsecond\nthird\tend');
    expect(cleanNote('PAID\rUNPAID')).toBe('PAID\rUNPAID');
    expect(cleanNote('   ')).toBeNull();
    expect(errorOf(() => cleanNote('bell\x07')).id).toBe('err.text.control');
    const c = parseCustomerInput({ name: 'A', fields: ['尺码=L\r\nXL'] }, CN);
    expect(c.fields['尺码']).toBe('L\r\nXL');
    expect(errorOf(() => parseCustomerInput({ name: 'A', fields: ['k=\x1b[2J'] }, CN)).id).toBe('err.text.control');
    expect(errorOf(() => parseCustomerInput({ name: 'A', fields: ['k\x1b=v'] }, CN)).id).toBe('err.text.control');
  });
});

describe('phones', () => {
  it('refuses letters before the digits, which libphonenumber would read past (a label such as Tel: or 电话 aside)', () => {
    for (const raw of ['xx18073398248', 'abc13800138000', 'telx13800138000', '号码是13800138000', '138\x0000138000']) {
      expect(errorOf(() => normalizePhone(raw, 'CN')).id, raw).toBe('err.phone');
      expect(tryNormalizePhone(raw, 'CN'), raw).toBeNull();
    }
    expect(normalizePhone('+86 138-0013-8000', 'CN').e164).toBe('+8613800138000');
    expect(normalizePhone('１３８ ００１３ ８０００', 'CN').e164).toBe('+8613800138000');
    expect(normalizePhone('tel13800138000', 'CN').e164).toBe('+8613800138000');
    expect(normalizePhone('电话13800138000', 'CN').e164).toBe('+8613800138000');
  });
});

describe('field names are data', () => {
  const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

  it('keeps __proto__, constructor and the like as fields, through an edit and a copy', () => {
    const c = parseCustomerInput({ name: 'A', fields: NAMES.map((k) => `${k}=${k}!`) }, CN);
    expect(Object.keys(c.fields)).toEqual(NAMES);
    expect(JSON.stringify(c.fields)).toBe(JSON.stringify(Object.fromEntries(NAMES.map((k) => [k, `${k}!`]))));
    const edited = applyCustomerEdit(c, { fields: ['__proto__=changed'], unsetFields: ['constructor'] }, CN);
    expect(Object.entries(edited.fields)).toEqual([['__proto__', 'changed'], ['toString', 'toString!'], ['hasOwnProperty', 'hasOwnProperty!'], ['valueOf', 'valueOf!']]);
    // What a stored record's JSON gives back.
    const back = fieldsOf(JSON.parse(JSON.stringify(edited.fields)) as Record<string, string>);
    expect(fieldValue(back, '__proto__')).toBe('changed');
    expect(fieldValue(back, 'constructor')).toBeUndefined();
  });

  it('has no field a customer lacks, whatever its name', () => {
    const f = emptyFields();
    expect(fieldValue(f, 'constructor')).toBeUndefined();
    expect('toString' in f).toBe(false);
    setField(f, '__proto__', 'x');
    expect(Object.getPrototypeOf(f)).toBeNull();
    expect(Object.keys(f)).toEqual(['__proto__']);
  });

  it('imports a column named __proto__ or constructor as a custom field', () => {
    const header = ['name', 'phone', '__proto__', 'constructor', 'Eve\x1b]0;x\x07'];
    const map = mapColumns('customers', header);
    expect(map.map((m) => m.key).slice(2)).toEqual(['__proto__', 'constructor', 'Eve]0;x']);
    const ctx = { country: 'CN', countrySaid: false, strict: false, currency: 'CNY', zone: 'Asia/Shanghai', dateOrders: new Map(), ladder: { rules: [] }, today: '2026-11-22' } as unknown as RowContext;
    const row = customerFromRow(['Ada', '13800138000', 'p', 'c', 'e'], map, ctx);
    expect(Object.entries(row.fields.fields)).toEqual([['__proto__', 'p'], ['constructor', 'c'], ['Eve]0;x', 'e']]);
  });

  it('takes no type from Object: crm log --type constructor is unknown', () => {
    expect(errorOf(() => parseInteractionType('constructor')).id).toBe('err.interactionType');
    expect(errorOf(() => parseInteractionType('__proto__')).id).toBe('err.interactionType');
  });
});

describe('import rows', () => {
  const ctx = { country: 'CN', countrySaid: false, strict: false, currency: 'CNY', zone: 'Asia/Shanghai', dateOrders: new Map(), ladder: { rules: [] }, today: '2026-11-22' } as unknown as RowContext;
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof RowError) return { column: e.column, id: e.id };
      throw e;
    }
    throw new Error('expected a RowError');
  };

  it('refuses a row with a value too long or holding a control character, naming the column', () => {
    const map = mapColumns('customers', ['姓名', '手机', '备注', '地址', '微信']);
    expect(refusal(() => customerFromRow(['张'.repeat(100_000), '13800138000', '', '', ''], map, ctx))).toEqual({ column: '姓名', id: 'err.tooLong.name' });
    expect(refusal(() => customerFromRow(['Ada\0', '13800138000', '', '', ''], map, ctx))).toEqual({ column: '姓名', id: 'err.text.control' });
    expect(refusal(() => customerFromRow(['Ada', '13800138000', 'x'.repeat(LIMITS.note + 1), '', ''], map, ctx))).toEqual({ column: '备注', id: 'err.tooLong.note' });
    expect(refusal(() => customerFromRow(['Ada', '13800138000', '', 'a\x1b[2J', ''], map, ctx))).toEqual({ column: '地址', id: 'err.text.control' });
    expect(refusal(() => customerFromRow(['Ada', '13800138000', '', '', 'wx\0id'], map, ctx))).toEqual({ column: '微信', id: 'err.text.control' });
    expect(refusal(() => customerFromRow(['Ada', 'xx18073398248', '', '', ''], map, ctx))).toEqual({ column: '手机', id: 'err.phone' });
    const ok = customerFromRow(['Ada', '13800138000', 'line 1\r\nline 2', '', 'wx_1'], map, ctx);
    expect(ok.fields.note).toBe('line 1\r\nline 2');
  });

  it('refuses an order row whose note cell holds a control character', () => {
    const map = mapColumns('orders', ['订单号', '手机', '金额', '日期', '备注']);
    expect(refusal(() => orderFromRow(['SO-1', '13800138000', '10', '2026-11-01', 'gift\x07'], map, ctx))).toEqual({ column: '备注', id: 'err.text.control' });
  });
});

describe('what a terminal is shown', () => {
  it('writes out every control character, keeping what it is told to', () => {
    expect(escapeControls(ESC_NAME)).toBe('Eve\\e]0;PWNED\\a\\e[2J');
    expect(escapeControls('a\0b\rc\x7fd\x9be')).toBe('a\\0b\\rc\\x7fd\\x9be');
    expect(escapeControls('one\r\ntwo\tthree\rfour', { newline: true, tab: 'space' })).toBe('one\ntwo three\\rfour');
    // At a terminal only crm's own colour codes stay: one a value holds is written out.
    expect(terminalText(`${ownStyle(1, 22)('bold')} \x1b[31mRED\x1b]0;t\x07`, true)).toBe('\x1b[1mbold\x1b[22m \\e[31mRED\\e]0;t\\a');
    expect(terminalText(`${ownStyle(1, 22)('bold')} \x1b[31mRED`, false)).toBe('\x1b[1mbold\x1b[22m \x1b[31mRED');
    expect(displayWidth(ownStyle(1, 22)('张伟'))).toBe(4);
    expect(escapeControls('plain 张伟')).toBe('plain 张伟');
  });
});

describe('a table of a very long cell', () => {
  // Digits ending in Chinese: the shape that made the whole-value patterns backtrack (minutes before).
  const cells = ['1'.repeat(100_000) + '张', '张'.repeat(100_000)];

  it.each(cells.map((c, i) => [i === 0 ? 'digits then Chinese' : 'Chinese', c]))('lays out 100,000 characters of %s in well under a second, fitted to the terminal', (_, cell) => {
    const started = performance.now();
    const columns = [
      { header: 'id', align: 'right' as const, cells: ['1', '2'] },
      { header: 'name', align: 'left' as const, cells: [cell, 'Ada'] },
      { header: 'phone', align: 'left' as const, cells: ['+8613800138000', '+8613800138001'] },
    ];
    const text = drawTable(columns, layoutTable(columns, 100));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(text.split('\n').every((l) => displayWidth(l) <= 100)).toBe(true);
    expect(text).toContain('+8613800138000');
    expect(text).toContain('…');
  });
});
