// Phones written with a label in front (Tel: 138…, 手机：138…) are phones; other letters in front
// (xx18073398248) are not; normalizePhone and likelyCountry read them alike.
import { describe, expect, it } from 'vitest';
import { likelyCountry, normalizePhone, phoneText, tryNormalizePhone } from '../../src/core/phone.js';

const LABELLED = ['Tel: 13800138001', 'tel.13800138001', 'TEL：13800138001', 'Phone 13800138001', '手机:13800138001', '手机：13800138001', '手机号 13800138001', 'Mob 13800138001', 'mobile: 13800138001', 'cell 13800138001', 'M:13800138001', '电话13800138001', 'T:13800138001', '联系电话：13800138001', 'Tel: +86 138 0013 8001'];

describe('a phone written with a label', () => {
  it.each(LABELLED)('reads %s as the number after its label', (raw) => {
    const p = normalizePhone(raw, 'CN');
    expect(p.e164).toBe('+8613800138001');
    expect(p.raw).toBe(raw);
    expect(tryNormalizePhone(raw, 'CN')).toBe('+8613800138001');
  });

  it('reads a labelled landline through the full parse', () => {
    expect(normalizePhone('座机 021-6487-1234', 'CN').e164).toBe('+862164871234');
  });

  it.each(['xx18073398248', 'abc13800138000', 'telx 13800138000', 'Tel: xx13800138000', 'mob\x1b13800138000', 'Mo 13800138000'])('refuses %s: other letters before the digits', (raw) => {
    expect(phoneText(raw)).toBeNull();
    expect(() => normalizePhone(raw, 'CN')).toThrow(/phone/);
    expect(tryNormalizePhone(raw, 'CN')).toBeNull();
  });

  it('likelyCountry applies the same reading: letters in front fit no country, a label is read past', () => {
    expect(likelyCountry(['xx18073398248', 'abc13800138000', 'zz13900139000'])).toBeNull();
    expect(likelyCountry(['Tel: 081 234 5678', 'Mob 089 123 4567', '手机：086 345 6789'])?.country).toBe('TH');
  });
});
