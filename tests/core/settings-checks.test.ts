// The settings' checks without luxon (core/settings.ts, read at every start) accept and refuse
// exactly what the checks they replace did: the time zone as luxon's IANAZone.isValidZone, the
// opening hours as the pattern and core/business-hours.ts parseOpeningHours (same error, same
// text in it); a length of time is still checked by core/duration.ts, loaded for that key only.
import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseOpeningHours } from '../../src/core/business-hours.js';
import { isZoneName, parseBusinessHours, parseSetting, resolveSettings } from '../../src/core/settings.js';
import { badInput, CrmError } from '../../src/errors.js';

/** What a call gives: its value, or the error's id and parameters. */
async function outcome(fn: () => unknown): Promise<unknown> {
  try {
    return { value: await fn() };
  } catch (e) {
    if (e instanceof CrmError) return { id: e.id, params: e.params };
    throw e;
  }
}

/** The check business_hours had: its pattern, then parseOpeningHours for what the pattern lets through. */
function oldBusinessHours(raw: string): string {
  const v = raw.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  if (!/^((mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))? (closed|([01]?\d|2[0-4]):[0-5]\d-([01]?\d|2[0-4]):[0-5]\d(,([01]?\d|2[0-4]):[0-5]\d-([01]?\d|2[0-4]):[0-5]\d)*)(; ?|$))+$/.test(v)) {
    throw badInput('err.setting.businessHours', { value: raw });
  }
  parseOpeningHours(v);
  return v;
}

describe('time zone', () => {
  it('takes every zone of the runtime list, as luxon does', () => {
    for (const z of Intl.supportedValuesOf('timeZone')) expect([z, isZoneName(z)]).toEqual([z, IANAZone.isValidZone(z)]);
  });

  it('takes and refuses what luxon does beyond the list: aliases, another case, offsets, nonsense', () => {
    const zones = ['Asia/Calcutta', 'US/Pacific', 'Asia/Saigon', 'UTC', 'Etc/UTC', 'GMT', 'Etc/GMT+8', 'Etc/GMT-14', 'Europe/Kiev', 'asia/shanghai', 'ASIA/SHANGHAI', 'utc', 'PRC', 'ROC', 'Japan', 'EST5EDT', 'CST6CDT', 'EST', 'Z', '+08:00', 'UTC+8', 'GMT+8', 'Asia/Beijing', 'Mars/Olympus', 'Asia/', '', ' ', 'Asia/Shanghai ', 'local', 'system'];
    for (const z of zones) expect([z, isZoneName(z)]).toEqual([z, IANAZone.isValidZone(z)]);
  });
});

describe('business_hours', () => {
  const days = ['mon', 'tue', 'sun', 'mon-fri', 'fri-mon', 'sat-sun', 'xyz', 'mon - fri', 'MON'];
  const spans = ['09:00-18:00', '9:00-18:00', '00:00-24:00', '24:00-01:00', '23:59-24:00', '18:00-02:00', '10:00-10:00', '09:00-24:30', '09:00-24:01', '0:00-0:00', '09:60-18:00', '09:00-18:00,13:30-18:00', '09:00-12:00,12:00-12:00', '09:00-12:00, 13:00-24:00', 'closed', '9-18', '25:00-26:00', '20:00-24:00,24:00-24:00'];
  const texts = new Set<string>(['', ' ', ';', 'mon-sun 09:00-21:00', 'Mon-Fri 09:00-18:00; Sat 10:00-16:00; Sun closed', 'mon-fri ０９:００-１８:００', 'mon  09:00-18:00 ;tue 10:00-11:00', 'mon 09:00-18:00;', 'mon 09:00-18:00; ', 'mon 09:00-18:00;;tue closed']);
  for (const d of days) for (const s of spans) {
    texts.add(`${d} ${s}`);
    texts.add(`mon-fri 09:00-18:00; ${d} ${s}`);
    texts.add(`${d} ${s}; sun closed`);
  }

  it(`accepts and refuses ${texts.size} texts as the pattern and parseOpeningHours did, with the same error`, async () => {
    for (const t of texts) expect([t, await outcome(() => parseBusinessHours(t))]).toEqual([t, await outcome(() => oldBusinessHours(t))]);
  });
});

describe('settings read and set', () => {
  const env = {
    lang: 'en' as const,
    get zone(): string {
      throw new Error('the machine zone is asked only for a default that needs it');
    },
  };

  it('reads a shop with its own zone without asking for the machine zone', async () => {
    const s = await resolveSettings({ timezone: 'Asia/Shanghai', business_hours: 'Mon-Fri 09:00-18:00', remind_catch_up: '２d' }, env);
    expect([s.timezone, s.business_hours, s.remind_catch_up]).toEqual(['Asia/Shanghai', 'mon-fri 09:00-18:00', '2d']);
  });

  it('falls back to the default for a stored value that does not check, the machine zone for a bad zone', async () => {
    const s = await resolveSettings({ timezone: 'Mars/Olympus', business_hours: 'mon 24:00-01:00', remind_catch_up: '2m' }, { lang: 'en', zone: 'Europe/Berlin' });
    expect([s.timezone, s.business_hours, s.remind_catch_up]).toEqual(['Europe/Berlin', 'mon-sun 09:00-21:00', '3d']);
  });

  it('checks a length of time as core/duration.ts does', async () => {
    expect(await outcome(() => parseSetting('remind_catch_up', ' 12h '))).toEqual({ value: ['remind_catch_up', '12h'] });
    expect(await outcome(() => parseSetting('remind_catch_up', '2m'))).toMatchObject({ id: 'err.length.minutesOrMonths' });
    expect(await outcome(() => parseSetting('remind_catch_up', '2y'))).toMatchObject({ id: 'err.setting.catchUp' });
    expect(await outcome(() => parseSetting('timezone', 'Asia/Calcutta'))).toEqual({ value: ['timezone', 'Asia/Calcutta'] });
    expect(await outcome(() => parseSetting('timezone', 'Mars/Olympus'))).toMatchObject({ id: 'err.setting.timezone' });
  });
});
