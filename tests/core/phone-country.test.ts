// isCountry reads libphonenumber's metadata without loading the library's code (every start of a
// shop whose country is set checks it): it must say what the library's isSupportedCountry says.
import { describe, expect, it } from 'vitest';
import { getCountries, isSupportedCountry } from 'libphonenumber-js/max';
import { countryCodeOf, isCountry } from '../../src/core/phone.js';

describe('isCountry', () => {
  it("agrees with libphonenumber's isSupportedCountry on every pair of letters", () => {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (const a of letters) for (const b of letters) expect(isCountry(a + b), a + b).toBe(isSupportedCountry(a + b));
    expect(getCountries().every((c) => isCountry(c))).toBe(true);
  });

  it('takes lower case, and refuses what is no code', () => {
    expect(isCountry('cn')).toBe(true);
    expect(isCountry('th')).toBe(true);
    for (const x of ['', 'C', 'CHN', '001', 'constructor', 'hasOwnProperty', '__proto__']) expect(isCountry(x), x).toBe(false);
    expect(countryCodeOf('us')).toBe('US');
    expect(countryCodeOf('xx')).toBeNull();
  });
});
