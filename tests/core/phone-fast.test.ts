// tryNormalizePhone answers a mainland mobile and digits too short for any number from
// libphonenumber's metadata alone (crm find 13800138000, crm find 6978 load none of its code): it must
// say what the library says, in a CN shop and in shops of countries whose plans differ (short
// numbers, shared calling codes, a national prefix that transforms, several IDD prefixes).
import { Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { plainCnMobile, tryNormalizePhone } from '../../src/core/phone.js';

/** What the library alone says of the text (as tryNormalizePhone's last step asks it). */
function library(text: string, country: string): string | null {
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: country as CountryCode });
  return parsed && parsed.isValid() ? parsed.number : null;
}

/** A deterministic stream of digit strings (xorshift). */
function* digitStrings(seed: number, count: number, lengths: number[]): Generator<string> {
  let x = seed;
  for (let i = 0; i < count; i++) {
    let s = '';
    const n = lengths[i % lengths.length]!;
    for (let j = 0; j < n; j++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      s += String((x >>> 0) % 10);
    }
    yield s;
  }
}

describe('tryNormalizePhone without the library', () => {
  it('reads the CN mobile pattern from the metadata as the library gives it', () => {
    const md = new Metadata();
    md.selectNumberingPlan('CN');
    const mobile = new RegExp(`^(?:${md.numberingPlan!.type('MOBILE')!.pattern()})$`);
    for (const d of ['13800138000', '17400000000', '17405123456', '17406123456', '19912345678', '17912345678', '12345678901', '16101234567']) {
      expect([d, plainCnMobile(d, 'CN')]).toEqual([d, mobile.test(d) ? `+86${d}` : null]);
    }
  });

  it('says what the library says of every string of up to 3 digits in a CN shop, of 4 to 8 digits sampled, and of the queries of the bench', () => {
    const texts = ['13800', '6978', '13800138000', '1380013', '138001380', '8613800138000', '008613800138000', '+8613800138000', '138 0013 8000', '0086 138 0013 8000', '02164871234', '2164871234', '12593', '1259313800138000'];
    for (let n = 1; n <= 3; n++) for (let i = 0; i < 10 ** n; i++) texts.push(String(i).padStart(n, '0'));
    texts.push(...digitStrings(86, 1500, [4, 5, 6, 7, 8]));
    for (const t of texts) expect([t, tryNormalizePhone(t, 'CN')]).toEqual([t, library(t, 'CN')]);
  });

  it('says what the library says of digit strings of 1 to 12 digits in other countries', () => {
    const countries = ['US', 'CA', 'GB', 'TH', 'HK', 'TW', 'SG', 'JP', 'DE', 'AR', 'MX', 'RU', 'KZ', 'NU', 'SH', 'TK', 'AU', 'IT', 'FR', 'BR', 'cn'];
    const lengths = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    for (const country of countries) {
      for (const t of digitStrings(country.charCodeAt(0) * 31 + country.charCodeAt(1), 240, lengths)) {
        expect([country, t, tryNormalizePhone(t, country)]).toEqual([country, t, library(t, country.toUpperCase())]);
      }
    }
  });
});
