// planSearch splits common text (Chinese characters of the basic blocks, ASCII) without the
// Unicode-aware expression: its queries must be those the expression makes, for every kind of text.
import { describe, expect, it } from 'vitest';
import { planSearch } from '../../src/core/search.js';
import { normalizeText } from '../../src/core/text.js';

// The rule as written before the fast path: one CJK character, or a run of other letters and digits.
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u3005';
const TOKEN = new RegExp(`[${CJK}]|(?:(?![${CJK}])[\\p{L}\\p{N}])+`, 'gu');
const CJK_CHAR = new RegExp(`[${CJK}]`, 'u');

function expectedMatch(text: string): string | null {
  const q = normalizeText(text.normalize('NFKC')) ?? '';
  const chunks = q
    .split(' ')
    .map((chunk) => chunk.toLowerCase().match(TOKEN) ?? [])
    .filter((tokens) => tokens.length > 0);
  if (chunks.length === 0) return null;
  return chunks.map((t) => `"${t.join(' ')}"${CJK_CHAR.test(t[t.length - 1]!) ? '' : ' *'}`).join(' AND ');
}

const QUERIES = [
  '张', '王', '晓东', '张伟', '欧阳 明', 'u12345', 'emily', 'emi', 'VIP', 'Emily Chen', '绿茶', 'linchen@163.com', 'chen_lei-14@qq.com',
  '王a', 'a王b', '张伟 vip', '张伟vip8', '〇', '々', 'ひらがな', 'カタカナ', '한국어', '𠀀𠀁', '㐀', '鿯', '鿰', 'café', 'Ünal', 'naïve 王',
  'ＡＢＣ１２３', '张　伟', '#VIP', '"quoted"', 'x', '...', '😀', '王😀', 'Ⅻ', 'ß', 'İstanbul', 'ǅ',
];

describe('planSearch tokens', () => {
  it.each(QUERIES)('%s is searched as the Unicode rule splits it', (q) => {
    expect(planSearch(q, 'CN').match).toBe(expectedMatch(q));
  });
});
