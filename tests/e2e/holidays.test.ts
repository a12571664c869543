// crm holidays as a shop owner uses it: the shipped notices listed, a year without data noted, a
// new year's notice typed up and imported (and imported again, replacing it), a shipped year
// replaced, and bad files refused with the file, the line and the field, leaving the data as it
// was. One shop, the tests in order.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crm, crmJson, ROOT, tempDb, tempDir } from '../helpers/crm.js';

interface DayJson {
  day: string;
  weekday: string;
  name: string;
  off: boolean;
  source: 'shipped' | 'imported';
}

const db = tempDb();
const dir = tempDir();
// A shop to read from (a read-only command refuses a path with no crm database).
crm(['config', 'set', 'shop_name', '测试店'], { db });
const run = (args: string[], env: Record<string, string> = {}) => crm(args, { db, env });
const list = (year: number) => crmJson<DayJson[]>(['holidays', 'list', '--year', String(year)], { db });

/** A notice file in the holiday-cn format (made-up days for the test, one per line). */
function notice(name: string, year: number | string, days: [string, string, boolean][]): string {
  const lines = days.map(([n, date, off]) => `    {"name": "${n}", "date": "${date}", "isOffDay": ${off}}`);
  const file = path.join(dir, name);
  fs.writeFileSync(file, `{\n  "year": ${year},\n  "days": [\n${lines.join(',\n')}\n  ]\n}\n`);
  return file;
}

describe('crm holidays', () => {
  it('lists the shipped 2026 notice with its make-up working days', () => {
    const days = list(2026);
    expect(days).toHaveLength(39);
    expect(days.find((d) => d.day === '2026-02-14')).toEqual({ day: '2026-02-14', weekday: 'sat', name: '春节', off: false, source: 'shipped' });
    expect(days.find((d) => d.day === '2026-10-01')).toMatchObject({ name: '国庆节', off: true });
    const table = run(['holidays', 'list', '--year', '2026']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/2026-02-14\s*│\s*Sat\s*│\s*春节\s*│\s*working day\s*│\s*shipped/);
    expect(table.stderr).toBe('');
    const zh = run(['holidays', 'list', '--year', '2026', '--lang', 'zh']);
    expect(zh.stdout).toMatch(/2026-02-14\s*│\s*周六\s*│\s*春节\s*│\s*调休上班\s*│\s*内置/);
    // This year (CRM_NOW is in 2026) by default.
    expect(crmJson<DayJson[]>(['holidays', 'list'], { db })).toHaveLength(39);
  });

  it('says on stderr when a year has no data', () => {
    const r = run(['holidays', 'list', '--year', '2027', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('day,weekday,name,off,source');
    expect(r.stderr).toContain('no holiday data for 2027: deadlines in 2027 count plain weekly hours');
  });

  it("imports a new year's notice, and again to replace it", () => {
    const first = notice('2027.json', 2027, [
      ['元旦', '2027-01-01', true],
      ['春节', '2027-02-06', false],
      ['春节', '2027-02-08', true],
    ]);
    const r = run(['holidays', 'import', first]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`Imported the 2027 notice from ${first}: 3 days (2 off, 1 make-up working days)`);
    expect(list(2027)).toEqual([
      { day: '2027-01-01', weekday: 'fri', name: '元旦', off: true, source: 'imported' },
      { day: '2027-02-06', weekday: 'sat', name: '春节', off: false, source: 'imported' },
      { day: '2027-02-08', weekday: 'mon', name: '春节', off: true, source: 'imported' },
    ]);
    expect(run(['holidays', 'list', '--year', '2027']).stderr).toBe('');

    const corrected = notice('2027-corrected.json', 2027, [['元旦', '2027-01-01', true]]);
    const again = run(['holidays', 'import', corrected]);
    expect(again.stdout).toContain('It replaces the 3 days imported for 2027 before.');
    expect(list(2027).map((d) => d.day)).toEqual(['2027-01-01']);
  });

  it('replaces a shipped year with an imported one', () => {
    const shipped = fs.readFileSync(path.join(ROOT, 'data', 'holidays', '2026.json'), 'utf8');
    const file = path.join(dir, '2026.json');
    fs.writeFileSync(file, shipped.replace('"2026-10-10",\n            "isOffDay": false', '"2026-10-10",\n            "isOffDay": true'));
    const r = run(['holidays', 'import', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('It replaces the shipped data for 2026 (39 days).');
    const days = list(2026);
    expect(days).toHaveLength(39);
    expect(days.every((d) => d.source === 'imported')).toBe(true);
    expect(days.find((d) => d.day === '2026-10-10')?.off).toBe(true);
  });

  it('refuses a bad file with the file, the line and the field, and changes nothing', () => {
    const before = list(2027);
    const refused = (file: string, line: string) => {
      const r = run(['holidays', 'import', file]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim()).toBe(`crm: ${line}`);
      expect(list(2027)).toEqual(before);
    };
    const wrongYear = notice('wrong-year.json', 2027, [
      ['元旦', '2027-01-01', true],
      ['春节', '2028-02-06', true],
    ]);
    refused(wrongYear, `${wrongYear}:5: days[1].date: 2028-02-06 is not in 2027 (a notice holds days of its year and of the December before)`);
    const badDate = notice('bad-date.json', 2027, [['春节', '2027-02-29', true]]);
    refused(badDate, `${badDate}:4: days[0].date: "2027-02-29" is not a date written YYYY-MM-DD`);
    const syntax = path.join(dir, 'syntax.json');
    fs.writeFileSync(syntax, '{\n  "year": 2027,\n  "days": [\n    {"name": "元旦", "date": "2027-01-01" "isOffDay": true}\n  ]\n}\n');
    refused(syntax, `${syntax}:4: not valid JSON: unexpected "`);
    const missing = path.join(dir, 'missing.json');
    fs.writeFileSync(missing, '{\n  "year": 2027,\n  "days": [\n    {"name": "元旦",\n     "date": "2027-01-01"}\n  ]\n}\n');
    refused(missing, `${missing}:4: days[0].isOffDay is missing`);
    // A file that is not there: the operating system's error, in the catalog's line and hint.
    const nowhere = run(['holidays', 'import', path.join(dir, 'nowhere.json')]);
    expect([nowhere.code, nowhere.stderr.split('\n')[0]]).toEqual([1, `crm: ${path.join(dir, 'nowhere.json')}: no such file or folder`]);
    expect(list(2027)).toEqual(before);
  });

  it('refuses a year that is not one', () => {
    const r = run(['holidays', 'list', '--year', '26']);
    expect([r.code, r.stderr.trim()]).toEqual([2, 'crm: --year: "26" is not a year such as 2026']);
  });

  it('refuses opening hours that are no time of day', () => {
    const r = run(['config', 'set', 'business_hours', 'mon-fri 09:00-24:30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not opening hours such as');
    expect(run(['config', 'set', 'business_hours', 'mon-fri 09:00-12:00,13:30-18:00; sat 10:00-24:00; sun closed']).code).toBe(0);
  });
});
