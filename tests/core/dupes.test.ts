import { describe, it, expect } from 'vitest';
import { pinyin } from 'pinyin-pro';
import {
  DUPE_KINDS,
  HOMOPHONES,
  generateLabelled,
  type LabelledOptions,
  type LabelledRow,
} from '../generators/dupes.js';

const HEADERS = ['name', 'phone', 'email', 'gender', 'birthday', 'city', 'address', 'note'];

function list(people: number, extra: Partial<LabelledOptions> = {}): LabelledRow[] {
  return [...generateLabelled({ people, ...extra })];
}

let cached: LabelledRow[] | undefined;
/** One shared list of 2,000 people for the property checks. */
function sample(): LabelledRow[] {
  cached ??= list(2000, { seed: 7 });
  return cached;
}

function originals(rows: LabelledRow[]): Map<number, LabelledRow['row']> {
  const map = new Map<number, LabelledRow['row']>();
  for (const r of rows) if (r.kind === 'original') map.set(r.entity, r.row);
  return map;
}

const toneless = (s: string): string => pinyin(s, { toneType: 'none', type: 'array' }).join(' ');
const fold = (s: string): string => s.normalize('NFKC').toLowerCase();
/** A written mobile back to its 11 digits: full-width folded, separators and +86 / 0086 / 86- dropped. */
const mobile = (s: string): string => s.normalize('NFKC').replace(/\D/g, '').replace(/^(0086|86)(?=1\d{10}$)/, '');
const isLookAlike = (r: LabelledRow): boolean => r.kind === 'same-name' || r.kind === 'family-phone';

describe('generateLabelled: determinism and size', () => {
  it('gives the same rows for the same seed and different rows for another', () => {
    const a = list(1000, { seed: 3 }).slice(0, 200);
    expect(list(1000, { seed: 3 }).slice(0, 200)).toEqual(a);
    expect(list(1000, { seed: 4 }).slice(0, 200).map((r) => r.row)).not.toEqual(a.map((r) => r.row));
    expect(list(50)).toEqual(list(50, { seed: 1 }));
  });

  it('yields about people * (1 + duplicateRate * 2 + lookAlikeRate) rows', () => {
    for (const [people, duplicateRate, lookAlikeRate] of [[2000, 0.3, 0.05], [3000, 0.6, 0.2], [1000, 0, 0]] as const) {
      const rows = list(people, { seed: 11, duplicateRate, lookAlikeRate });
      const expected = people * (1 + duplicateRate * 2 + lookAlikeRate);
      expect(Math.abs(rows.length - expected) / expected).toBeLessThan(0.05);
      expect(rows.filter((r) => r.kind === 'original')).toHaveLength(people);
    }
    expect(list(0)).toHaveLength(0);
  });

  it('is lazy: the first rows of a huge list come at once', () => {
    const it = generateLabelled({ people: 10_000_000 });
    for (let k = 0; k < 5; k++) expect(it.next().done).toBe(false);
  });

  it('rejects bad options', () => {
    expect(() => list(-1)).toThrow(RangeError);
    expect(() => list(1.5)).toThrow(RangeError);
    expect(() => list(10, { duplicateRate: 2 })).toThrow(RangeError);
    expect(() => list(10, { seed: Number.NaN })).toThrow(RangeError);
  });
});

describe('generateLabelled: rows', () => {
  it('has CSV-ready rows: the eight headers, all strings', () => {
    for (const r of sample()) {
      expect(Object.keys(r.row)).toEqual(HEADERS);
      for (const v of Object.values(r.row)) expect(typeof v).toBe('string');
    }
  });

  it('makes matchable originals: name, a mainland mobile, gender, city; most with email, birthday, address', () => {
    const orig = [...originals(sample()).values()];
    for (const o of orig) {
      expect(o.name).not.toBe('');
      expect(o.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(o.gender).toMatch(/^(male|female)$/);
      expect(o.city).not.toBe('');
      if (o.birthday !== '') {
        expect(o.birthday).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(new Date(`${o.birthday}T00:00:00Z`).toISOString().slice(0, 10)).toBe(o.birthday);
      }
    }
    const share = (f: (o: LabelledRow['row']) => boolean): number => orig.filter(f).length / orig.length;
    expect(share((o) => o.email !== '')).toBeGreaterThan(0.45);
    expect(share((o) => o.email !== '')).toBeLessThan(0.65);
    expect(share((o) => o.birthday !== '')).toBeGreaterThan(0.75);
    expect(share((o) => o.address !== '')).toBeGreaterThan(0.55);
    expect(share((o) => o.note !== '')).toBeGreaterThan(0.03);
    expect(share((o) => /^[A-Za-z]/.test(o.name))).toBeGreaterThan(0.03);
  });

  it('makes every duplicate kind, about equally often', () => {
    const count = new Map<string, number>();
    for (const r of sample()) count.set(r.kind, (count.get(r.kind) ?? 0) + 1);
    const dupes = DUPE_KINDS.reduce((sum, k) => sum + (count.get(k) ?? 0), 0);
    for (const k of DUPE_KINDS) {
      expect(count.get(k) ?? 0).toBeGreaterThan((dupes / DUPE_KINDS.length) * 0.6);
      expect(count.get(k) ?? 0).toBeLessThan((dupes / DUPE_KINDS.length) * 1.4);
    }
    expect(count.get('same-name') ?? 0).toBeGreaterThan(0);
    expect(count.get('family-phone') ?? 0).toBeGreaterThan(0);
    // Each kind also shows up in a list of 1,000.
    const small = new Set(list(1000, { seed: 99 }).map((r) => r.kind));
    for (const k of DUPE_KINDS) expect(small.has(k)).toBe(true);
  });

  it('gives duplicates their original’s entity and look-alikes new ones', () => {
    const rows = sample();
    const orig = originals(rows);
    const people = 2000;
    const lookAlikes = rows.filter(isLookAlike).map((r) => r.entity);
    for (const r of rows) {
      if (r.kind === 'original') expect(r.entity).toBeLessThan(people);
      else if (isLookAlike(r)) expect(orig.has(r.entity)).toBe(false);
      else expect(orig.has(r.entity)).toBe(true);
    }
    expect(new Set(lookAlikes).size).toBe(lookAlikes.length);
    expect([...lookAlikes].sort((a, b) => a - b)).toEqual(lookAlikes.map((_, k) => people + k));
  });

  it('changes each duplicate the way its kind says', () => {
    const rows = sample();
    const orig = originals(rows);
    for (const r of rows) {
      const o = orig.get(r.entity);
      if (!o || r.kind === 'original') continue;
      const d = r.row;
      switch (r.kind) {
        case 'phone-format':
          expect(d.phone).not.toBe(o.phone);
          expect(mobile(d.phone)).toBe(o.phone);
          expect(d.name).toBe(o.name);
          break;
        case 'name-space':
          expect(d.name).not.toBe(o.name);
          expect(d.name.trim().replace(/\s+/g, /^[A-Za-z]/.test(o.name) ? ' ' : '')).toBe(o.name);
          break;
        case 'traditional':
          expect(d.name).not.toBe(o.name);
          expect([...d.name]).toHaveLength([...o.name].length);
          expect(d.phone).toBe(o.phone);
          break;
        case 'full-width':
          expect(/[\uff01-\uff5e]/.test(d.phone + d.email)).toBe(true);
          expect(mobile(d.phone)).toBe(o.phone);
          expect(fold(d.email)).toBe(o.email);
          break;
        case 'email-case':
          expect(d.phone).toBe('');
          expect(d.email).not.toBe(o.email);
          expect(d.email.toLowerCase()).toBe(o.email);
          break;
        case 'same-pinyin':
          expect(d.name).not.toBe(o.name);
          expect(toneless(d.name)).toBe(toneless(o.name));
          expect(d.birthday).not.toBe('');
          expect([d.birthday, d.city, d.address]).toEqual([o.birthday, o.city, o.address]);
          expect(['', o.phone]).toContain(d.phone);
          break;
        case 'typo':
          expect(d.name).not.toBe(o.name);
          expect(d.phone).toBe('');
          expect((d.email !== '' && d.email === o.email) || (d.birthday !== '' && d.birthday === o.birthday && d.address === o.address && d.address !== '')).toBe(true);
          break;
        case 'partial':
          expect(d).toEqual({ name: o.name, phone: o.phone, email: '', gender: '', birthday: '', city: '', address: '', note: '' });
          break;
        case 'other-phone':
          expect(d.name).toBe(o.name);
          expect(d.phone).toMatch(/^1[3-9]\d{9}$/);
          expect(d.phone).not.toBe(o.phone);
          expect(d.email).not.toBe('');
          expect([d.email, d.birthday]).toEqual([o.email, o.birthday]);
          break;
      }
    }
  });

  it('makes plausible look-alikes', () => {
    const rows = sample();
    const orig = [...originals(rows).values()];
    const byPhone = new Map(orig.map((o) => [o.phone, o]));
    const names = new Set(orig.map((o) => o.name));
    for (const r of rows) {
      if (r.kind === 'same-name') {
        expect(names.has(r.row.name)).toBe(true);
        expect(byPhone.has(r.row.phone)).toBe(false);
        expect(r.row.birthday).not.toBe('');
      } else if (r.kind === 'family-phone') {
        const o = byPhone.get(r.row.phone);
        expect(o).toBeDefined();
        expect(r.row.name).not.toBe(o?.name);
        expect(r.row.birthday).not.toBe(o?.birthday);
        expect(r.row.birthday).not.toBe('');
        expect(r.row.email).toBe('');
      }
    }
  });

  it('shares a phone between entities only for family-phone look-alikes, and an email never', () => {
    const rows = list(5000, { seed: 5, lookAlikeRate: 0.2 });
    const phoneOwners = new Map<string, Set<number>>();
    const emailOwners = new Map<string, Set<number>>();
    const family = new Set(rows.filter((r) => r.kind === 'family-phone').map((r) => r.entity));
    for (const r of rows) {
      if (r.row.phone) phoneOwners.set(mobile(r.row.phone), (phoneOwners.get(mobile(r.row.phone)) ?? new Set()).add(r.entity));
      if (r.row.email) emailOwners.set(fold(r.row.email), (emailOwners.get(fold(r.row.email)) ?? new Set()).add(r.entity));
    }
    let shared = 0;
    for (const owners of phoneOwners.values()) {
      if (owners.size === 1) continue;
      shared++;
      expect(owners.size).toBe(2);
      expect([...owners].filter((e) => family.has(e))).toHaveLength(1);
    }
    expect(shared).toBe(family.size);
    for (const owners of emailOwners.values()) expect(owners.size).toBe(1);
  });

  it('does not group rows by entity', () => {
    const rows = sample();
    let dupes = 0;
    let adjacent = 0;
    for (let k = 1; k < rows.length; k++) {
      const r = rows[k] as LabelledRow;
      if (r.kind === 'original' || isLookAlike(r)) continue;
      dupes++;
      const before = rows[k - 1] as LabelledRow;
      if (before.entity === r.entity && before.kind === 'original') adjacent++;
    }
    expect(adjacent / dupes).toBeLessThan(0.2);
    // Nor in entity order: the first rows come from all over the list.
    const first = rows.slice(0, 100).map((r) => r.entity);
    expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(500);
  });
});

describe('tables', () => {
  it('lists only true homophones (toneless pinyin), each character in one group', () => {
    for (const groups of [HOMOPHONES.surname, HOMOPHONES.given]) {
      const seen = new Set<string>();
      for (const g of groups) {
        const chars = [...g];
        expect(chars.length).toBeGreaterThan(1);
        const readings = new Set(chars.map((c) => pinyin(c, { toneType: 'none' })));
        expect([g, readings.size]).toEqual([g, 1]);
        for (const c of chars) {
          expect(seen.has(c)).toBe(false);
          seen.add(c);
        }
      }
    }
  });
});
