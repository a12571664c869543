import { describe, expect, it } from 'vitest';
import { crm, crmJson, tempDb } from '../helpers/crm.js';

function shop(): string {
  const db = tempDb();
  const add = (...args: string[]) => expect(crm(['customer', 'add', ...args], { db }).code).toBe(0);
  add('--name', '张小明', '--phone', '13800138000');
  add('--name', '李明', '--phone', '13900139000', '--note', '喜欢绿茶');
  add('--name', '张伟', '--phone', '13700137000', '--email', 'zhang.wei@gmail.com');
  add('--name', '王芳', '--phone', '13600138000', '--tag', '团购');
  add('--name', 'Emily Chen', '--email', 'emily@example.com');
  add('--name', 'Mitchell Green', '--phone', '+44 20 7946 0958', '--external-id', 'M000123');
  add('--name', '小明', '--phone', '13500135000');
  return db;
}

const names = (db: string, ...text: string[]) => crmJson<{ name: string }[]>(['find', ...text], { db }).map((c) => c.name);

describe('crm find', () => {
  const db = shop();

  it('matches one and two Chinese characters anywhere in a name, exact name first', () => {
    expect(names(db, '张')).toEqual(['张伟', '张小明']);
    expect(names(db, '明').sort()).toEqual(['小明', '张小明', '李明']);
    expect(names(db, '小明')).toEqual(['小明', '张小明']);
  });

  it('matches a phone in any form exactly, and by its first or last digits', () => {
    expect(names(db, '+86 138-0013-8000')).toEqual(['张小明']);
    expect(names(db, '8000')).toEqual(expect.arrayContaining(['张小明', '王芳']));
    expect(names(db, '8000')).toHaveLength(2);
    expect(names(db, '1390')).toEqual(['李明']);
  });

  it('matches emails, notes, tags, member numbers and latin prefixes', () => {
    expect(names(db, 'zhang.wei@gmail.com')).toEqual(['张伟']);
    expect(names(db, 'emily@example.com')).toEqual(['Emily Chen']);
    expect(names(db, '绿茶')).toEqual(['李明']);
    expect(names(db, '团购')).toEqual(['王芳']);
    expect(names(db, 'M000123')).toEqual(['Mitchell Green']);
    expect(names(db, 'mitch')).toEqual(['Mitchell Green']);
    expect(names(db, 'chen', 'emi')).toEqual(['Emily Chen']);
  });

  it('finds nothing quietly, and refuses an empty query', () => {
    expect(names(db, '赵')).toEqual([]);
    expect(crm(['find', '!!'], { db }).code).toBe(2);
  });

  it('keeps the index current when a customer changes or goes', () => {
    const db2 = shop();
    crm(['customer', 'edit', '张伟', '--name', '赵伟'], { db: db2 });
    expect(names(db2, '赵')).toEqual(['赵伟']);
    expect(names(db2, '张')).toEqual(['张小明']);
    crm(['customer', 'rm', '赵伟', '--yes'], { db: db2 });
    expect(names(db2, '伟')).toEqual([]);
  });
});
