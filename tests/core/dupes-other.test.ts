import { describe, it, expect } from 'vitest';
import { generateOther, OTHER_DUPE_KINDS, type OtherRow } from '../generators/dupes-other.js';

const LOOK_ALIKES = new Set(['same-name-city', 'twin', 'spouse']);
const PEOPLE = 3000;
const rows: OtherRow[] = [...generateOther({ people: PEOPLE, seed: 5 })];
const originals = new Map(rows.filter((r) => r.kind === 'original').map((r) => [r.entity, r.row]));

describe('generateOther', () => {
  it('gives the same rows for a seed, and other rows for another seed', () => {
    expect([...generateOther({ people: 500, seed: 2 })]).toEqual([...generateOther({ people: 500, seed: 2 })]);
    const a = [...generateOther({ people: 500, seed: 2 })].slice(0, 100).map((r) => r.row);
    const b = [...generateOther({ people: 500, seed: 3 })].slice(0, 100).map((r) => r.row);
    expect(b).not.toEqual(a);
    expect([...generateOther({ people: 50 })]).toEqual([...generateOther({ people: 50, seed: 1 })]);
    expect(() => [...generateOther({ people: -1 })]).toThrow(RangeError);
  });

  it('has one original per person, about 25% of them with 1-2 duplicates, and about 8% with a look-alike', () => {
    expect(originals.size).toBe(PEOPLE);
    const dupesOf = new Map<number, number>();
    let lookAlikes = 0;
    for (const r of rows) {
      if (LOOK_ALIKES.has(r.kind)) lookAlikes++;
      else if (r.kind !== 'original') {
        expect(OTHER_DUPE_KINDS.has(r.kind as never)).toBe(true);
        dupesOf.set(r.entity, (dupesOf.get(r.entity) ?? 0) + 1);
      }
    }
    expect(dupesOf.size / PEOPLE).toBeGreaterThan(0.21);
    expect(dupesOf.size / PEOPLE).toBeLessThan(0.29);
    for (const n of dupesOf.values()) expect(n === 1 || n === 2).toBe(true);
    expect(lookAlikes / PEOPLE).toBeGreaterThan(0.06);
    expect(lookAlikes / PEOPLE).toBeLessThan(0.1);
    for (const r of rows) expect(Object.keys(r.row)).toEqual(['name', 'phone', 'email', 'gender', 'birthday', 'city', 'address', 'note']);
  });

  it('gives look-alikes entities of their own, and makes them look alike', () => {
    const look = rows.filter((r) => LOOK_ALIKES.has(r.kind));
    const entities = look.map((r) => r.entity);
    expect(new Set(entities).size).toBe(entities.length);
    for (const e of entities) expect(originals.has(e)).toBe(false);
    const byPhone = new Map([...originals].map(([e, o]) => [o.phone, e]));
    const byNameCity = new Set([...originals.values()].map((o) => `${o.name}|${o.city}`));
    const kinds = new Set<string>();
    for (const r of look) {
      kinds.add(r.kind);
      if (r.kind === 'same-name-city') {
        // In the same city (where the original said it: 8% of originals leave the city out).
        expect(byNameCity.has(`${r.row.name}|${r.row.city}`) || byNameCity.has(`${r.row.name}|`)).toBe(true);
        expect(byPhone.has(r.row.phone)).toBe(false);
      } else {
        // Twin or spouse: the phone of another person, another name.
        const e = byPhone.get(r.row.phone);
        expect(e).toBeDefined();
        const o = originals.get(e as number) as OtherRow['row'];
        expect(e).not.toBe(r.entity);
        expect(r.row.name).not.toBe(o.name);
        expect(r.row.address).toBe(o.address);
        if (r.kind === 'twin') expect([r.row.name[0], r.row.birthday]).toEqual([o.name[0], o.birthday]);
        else expect(r.row.birthday === '' || r.row.birthday !== o.birthday).toBe(true);
      }
    }
    expect(kinds).toEqual(new Set(LOOK_ALIKES));
  });
});
