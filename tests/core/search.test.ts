import { describe, expect, it } from 'vitest';
import { planSearch, searchDocument, searchVector, splitCjk } from '../../src/core/search.js';

describe('search', () => {
  it('indexes each CJK character as a token and keeps latin words whole', () => {
    expect(splitCjk('张小明 Emily-Chen 3号楼')).toBe('张 小 明 Emily Chen 3 号 楼');
  });

  it('splits common text in its fast pass exactly as the Unicode-aware expression does', () => {
    const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u3005';
    const TOKEN = new RegExp(`[${CJK}]|(?:(?![${CJK}])[\\p{L}\\p{N}])+`, 'gu');
    const expected = (t: string) => (t.match(TOKEN) ?? []).join(' ');
    const samples = ['', ' ', '张伟', '张 伟', 'zhang_wei@163.com', 'M000123', '上海市徐汇区漕溪北路123号5栋', 'VIP,老客户', '  a--b  ', '3号楼', 'x张y', '㐀乙', '鿯'];
    // And random strings over ASCII, common Chinese and the characters the fast pass leaves to the expression.
    const alphabet = [...'aZ09 _-@.,\t张伟号㐀', 'é', 'ア', '한', '々', '𠀀', '\u00a0', '，'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) samples.push(Array.from({ length: Math.floor(next() * 12) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
    for (const s of samples) expect(splitCjk(s), JSON.stringify(s)).toBe(expected(s));
  });

  it('indexes phones forwards and backwards so prefixes and suffixes match', () => {
    const doc = searchDocument({ name: '张伟', phones: [{ e164: '+8613800138000', raw: null }], email: 'zw@qq.com', externalId: 'M001', note: '喜欢绿茶', tags: ['VIP'], fields: { 微信: 'zw_1' } });
    expect(doc.name).toBe('张 伟');
    expect(doc.contact.split(' ')).toEqual(expect.arrayContaining(['8613800138000', '13800138000', 'r00083100831', 'zw', 'qq', 'com', 'M001']));
    const landline = searchDocument({ name: 'x', phones: [{ e164: '+862164871234', raw: null }], email: null, externalId: null, note: null, tags: [], fields: {} });
    expect(landline.contact.split(' ')).toEqual(['862164871234', '2164871234', 'r4321784612', '02164871234']);
    expect(doc.body).toBe('喜 欢 绿 茶 VIP zw 1');
  });

  it('turns a Chinese query into a phrase of characters', () => {
    expect(planSearch('小明', 'CN').match).toBe('"小 明"');
    expect(planSearch('张', 'CN')).toMatchObject({ match: '"张"', namePrefix: '张', name: '张' });
  });

  it('turns latin words into prefix phrases, all required', () => {
    expect(planSearch('Emi chen', 'CN').match).toBe('"emi" * AND "chen" *');
    expect(planSearch('zhang.wei@gmail', 'CN').match).toBe('"zhang wei gmail" *');
  });

  it('searches digits as phone prefix or suffix, and a whole phone exactly', () => {
    expect(planSearch('8000', 'CN')).toMatchObject({ match: '"8000" * OR contact : "r0008" *', phone: null });
    expect(planSearch('+86 138-0013-8000', 'CN').phone).toBe('+8613800138000');
  });

  it('finds nothing to search in punctuation', () => {
    expect(planSearch('!!!', 'CN').match).toBeNull();
    expect(planSearch('12', 'CN').match).toBeNull();
  });
});

describe('the PostgreSQL search vector', () => {
  it('holds the tokens FTS5 makes, by column: name A, contact B, the rest unweighted', () => {
    const doc = searchDocument({ name: 'Émily 王小明', phones: [{ e164: '+8613800138000', raw: null }], email: 'Emily.W@163.com', externalId: 'VIP-001', note: '喜欢 绿茶', tags: ['新客'], fields: {} });
    const v = searchVector(doc);
    expect(v.split(' ').filter((t) => t.endsWith('A'))).toEqual(["'emily':1A", "'王':2A", "'小':3A", "'明':4A"]);
    expect(v).toContain("'8613800138000':4001B");
    expect(v).toContain("'emily':"); // the e-mail's first token too
    expect(v).toMatch(/'163':\d+B/);
    expect(v).toMatch(/'vip':\d+B '001':\d+B/);
    expect(v).toMatch(/'喜':8001 '欢':8002 '绿':8003 '茶':8004 '新':8005 '客':8006$/);
  });
});
