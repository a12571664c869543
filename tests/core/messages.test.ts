// The catalog is split by feature (src/messages/<feature>.ts); every id lives in exactly one file,
// and every message has an English and a Chinese text with the same placeholders.
import { describe, expect, it } from 'vitest';
import { FEATURES, MESSAGE_IDS, translate } from '../../src/messages/index.js';

describe('the message catalog', () => {
  it('has each id in one feature file only', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [feature, entries] of Object.entries(FEATURES)) {
      for (const id of Object.keys(entries)) {
        if (seen.has(id)) twice.push(`${id} (${seen.get(id)}, ${feature})`);
        seen.set(id, feature);
      }
    }
    expect(twice).toEqual([]);
    expect(seen.size).toBe(MESSAGE_IDS.length);
  });

  it('says every message in both languages with the same placeholders', () => {
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const bad = MESSAGE_IDS.filter((id) => {
      const en = translate('en', id), zh = translate('zh', id);
      return !en || !zh || JSON.stringify(holes(en)) !== JSON.stringify(holes(zh));
    });
    expect(bad).toEqual([]);
  });
});
