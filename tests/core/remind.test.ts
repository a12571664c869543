// The reminder core: cron in the shop's zone (a DST zone too), the run window and its catch-up cap,
// quiet hours, consent and the holdout, delivery ids, uplift, and the rules as stored.
import { describe, expect, it } from 'vitest';
import { decide, FLAG } from '../../src/core/remind/audience.js';
import { defaultRules, isMarketing, parseClock, parseRule, parseShare, readRules, rulesToJson, ruleTemplate, surveyQuarter } from '../../src/core/remind/rules.js';
import { atLocal, checkCron, cronTimes, daysFrom, deliveryId, heldOut, isQuiet, nextCronTime, quietEnd, runWindow } from '../../src/core/remind/schedule.js';
import { uplift } from '../../src/core/remind/uplift.js';
import { errorOf } from '../helpers/errors.js';

const iso = (d: Date) => d.toISOString();

describe('cron in the shop zone', () => {
  it('fires Mondays 9:00 Shanghai time, which is 01:00 UTC', () => {
    const times = cronTimes('0 9 * * 1', 'Asia/Shanghai', new Date('2027-03-01T00:00:00Z'), new Date('2027-03-16T00:00:00Z'));
    expect(times.map(iso)).toEqual(['2027-03-01T01:00:00.000Z', '2027-03-08T01:00:00.000Z', '2027-03-15T01:00:00.000Z']);
  });

  it('keeps 9:00 local across a DST change (New York, 2027-03-14)', () => {
    const times = cronTimes('0 9 * * *', 'America/New_York', new Date('2027-03-12T00:00:00Z'), new Date('2027-03-16T00:00:00Z'));
    expect(times.map(iso)).toEqual(['2027-03-12T14:00:00.000Z', '2027-03-13T14:00:00.000Z', '2027-03-14T13:00:00.000Z', '2027-03-15T13:00:00.000Z']);
  });

  it('gives the window as (from, to]: a time equal to from is not fired again', () => {
    const from = new Date('2027-03-01T01:00:00Z');
    expect(cronTimes('0 9 * * 1', 'Asia/Shanghai', from, new Date('2027-03-01T02:00:00Z'))).toEqual([]);
    expect(cronTimes('0 9 * * 1', 'Asia/Shanghai', new Date('2027-03-01T00:59:59Z'), from).map(iso)).toEqual([iso(from)]);
  });

  it('caps how many fire times a window yields', () => {
    expect(cronTimes('* * * * *', 'UTC', new Date('2027-01-01T00:00:00Z'), new Date('2027-02-01T00:00:00Z'), { max: 50 })).toHaveLength(50);
    const newest = cronTimes('0 * * * *', 'UTC', new Date('2027-01-01T00:00:00Z'), new Date('2027-01-03T00:00:00Z'), { max: 5, newest: true });
    expect(newest.map(iso)).toEqual(['2027-01-02T20:00:00.000Z', '2027-01-02T21:00:00.000Z', '2027-01-02T22:00:00.000Z', '2027-01-02T23:00:00.000Z', '2027-01-03T00:00:00.000Z']);
  });

  it('refuses a bad expression with one line naming it', () => {
    expect(errorOf(() => checkCron('0 9 * *', 'UTC')).message).toContain('has 4 fields');
    expect(errorOf(() => checkCron('0 25 * * *', 'UTC')).message).toContain('"0 25 * * *" is not a cron schedule');
    expect(() => checkCron('*/15 * * * *', 'Asia/Shanghai')).not.toThrow();
  });

  it('says the next time', () => {
    expect(iso(nextCronTime('0 10 1 * *', 'Asia/Shanghai', new Date('2027-02-06T12:00:00+08:00'))!)).toBe('2027-03-01T02:00:00.000Z');
  });
});

describe('the run window', () => {
  const now = new Date('2027-02-06T09:05:00+08:00');
  const day = 86_400_000;

  it('looks back the catch-up length on the first run', () => {
    const w = runWindow(now, null, 3 * day);
    expect(w.start).toEqual(new Date(now.getTime() - 3 * day));
    expect(w.late).toEqual(w.start);
  });

  it('re-reads the catch-up length even after a recent run (records are unique, so nothing repeats)', () => {
    const w = runWindow(now, new Date(now.getTime() - 15 * 60_000), 3 * day);
    expect(w.start).toEqual(new Date(now.getTime() - 3 * day));
  });

  it('after a month off starts at the last run and marks older occasions as late', () => {
    const last = new Date(now.getTime() - 30 * day);
    const w = runWindow(now, last, 3 * day);
    expect(w.start).toEqual(last);
    expect(w.late).toEqual(new Date(now.getTime() - 3 * day));
  });

  it('lists shop days and the send time of a day', () => {
    expect(daysFrom('2027-02-27', '2027-03-02')).toEqual(['2027-02-27', '2027-02-28', '2027-03-01', '2027-03-02']);
    expect(iso(atLocal('2027-02-06', '09:00', 'Asia/Shanghai'))).toBe('2027-02-06T01:00:00.000Z');
  });
});

describe('quiet hours', () => {
  const quiet = { from: 21 * 60, to: 9 * 60 };
  const zone = 'Asia/Shanghai';
  it('hold from 21:00 to 09:00 shop time, passing midnight', () => {
    expect(isQuiet(new Date('2027-02-06T22:30:00+08:00'), zone, quiet)).toBe(true);
    expect(isQuiet(new Date('2027-02-06T08:59:00+08:00'), zone, quiet)).toBe(true);
    expect(isQuiet(new Date('2027-02-06T09:00:00+08:00'), zone, quiet)).toBe(false);
    expect(isQuiet(new Date('2027-02-06T20:59:00+08:00'), zone, quiet)).toBe(false);
    expect(isQuiet(new Date('2027-02-06T22:30:00+08:00'), zone, null)).toBe(false);
  });

  it('end at the next morning', () => {
    expect(iso(quietEnd(new Date('2027-02-06T22:30:00+08:00'), zone, quiet))).toBe('2027-02-07T01:00:00.000Z');
    expect(iso(quietEnd(new Date('2027-02-07T03:00:00+08:00'), zone, quiet))).toBe('2027-02-07T01:00:00.000Z');
  });

  it('may be a range within a day', () => {
    expect(isQuiet(new Date('2027-02-06T13:00:00+08:00'), zone, { from: 12 * 60, to: 14 * 60 })).toBe(true);
    expect(isQuiet(new Date('2027-02-06T15:00:00+08:00'), zone, { from: 12 * 60, to: 14 * 60 })).toBe(false);
  });
});

describe('consent, address and holdout', () => {
  const occasion = { rule: 'holiday', occasion: 'holiday:spring_festival:2027', marketing: true, needs: 'phone' as const, holdout: 0, missed: false };
  const reachable = FLAG.exists | FLAG.phone | FLAG.email;

  it('never sends to a do-not-contact customer, whatever the rule', () => {
    expect(decide(reachable | FLAG.doNotContact, { ...occasion, marketing: false }, 1)).toEqual({ status: 'skipped', reason: 'do_not_contact' });
  });

  it('holds marketing back from an opted-out customer, but not a service message', () => {
    expect(decide(reachable | FLAG.noMarketing, occasion, 1)).toEqual({ status: 'skipped', reason: 'no_marketing' });
    expect(decide(reachable | FLAG.noMarketing, { ...occasion, marketing: false }, 1).status).toBe('pending');
  });

  it('needs a phone for the outbox and an email for email', () => {
    expect(decide(FLAG.exists | FLAG.email, occasion, 1).reason).toBe('no_phone');
    expect(decide(FLAG.exists | FLAG.phone, { ...occasion, needs: 'email' }, 1).reason).toBe('no_email');
    expect(decide(FLAG.exists, { ...occasion, needs: null }, 1).status).toBe('pending');
  });

  it('records a missed occasion as skipped', () => {
    expect(decide(reachable, { ...occasion, missed: true }, 1)).toEqual({ status: 'skipped', reason: 'missed' });
  });

  it('holds out about the share asked, the same customers every time', () => {
    let held = 0;
    for (let id = 1; id <= 20_000; id++) if (heldOut('winback', id, 0.1)) held++;
    expect(held / 20_000).toBeGreaterThan(0.09);
    expect(held / 20_000).toBeLessThan(0.11);
    expect(heldOut('winback', 7, 0.1)).toBe(heldOut('winback', 7, 0.1));
    // The same customers every time (the occasion does not enter): a holdout that got last week's message would be no control group.
    const week = (occasion: string) => Array.from({ length: 200 }, (_, i) => decide(FLAG.exists | FLAG.phone, { ...occasion0, occasion, holdout: 0.3 }, i + 1).status);
    expect(week('2027-03-01')).toEqual(week('2027-03-08'));
    expect(heldOut('winback', 7, 0)).toBe(false);
  });
});

const occasion0 = { rule: 'reminder:3', occasion: '', marketing: false, needs: null, holdout: 0, missed: false };

describe('delivery ids', () => {
  it('are 16 characters without look-alikes, the same for the same occurrence, different otherwise', () => {
    const id = deliveryId('birthday', 42, 'birthday:2027-02-06');
    expect(id).toMatch(/^[a-hjkmnp-z2-9]{16}$/);
    expect(deliveryId('birthday', 42, 'birthday:2027-02-06')).toBe(id);
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(deliveryId('holiday', i, 'holiday:spring_festival:2027'));
    expect(seen.size).toBe(100_000);
  });
});

describe('uplift', () => {
  it('compares buying in the sent group with the holdout, with a 95% interval', () => {
    const u = uplift(900, 180, 100, 10)!;
    expect(u.sentRate).toBeCloseTo(0.2);
    expect(u.holdoutRate).toBeCloseTo(0.1);
    expect(u.difference).toBeCloseTo(0.1);
    expect(u.low).toBeGreaterThan(0.03);
    expect(u.high).toBeLessThan(0.17);
    expect(u.enough).toBe(true);
    expect(u.significant).toBe(true);
  });

  it('says when the groups are too small to tell', () => {
    const u = uplift(20, 5, 3, 0)!;
    expect(u.enough).toBe(false);
    expect(u.significant).toBe(false);
    expect(uplift(10, 1, 0, 0)).toBeNull();
  });
});

describe('the built-in rules', () => {
  it('start useful: birthdays, major holidays, welcome and call-back on stdout; the rest off', () => {
    const r = defaultRules();
    expect(Object.entries(r).filter(([, c]) => c.on).map(([k]) => k)).toEqual(['birthday', 'holiday', 'welcome', 'callback']);
    expect(r.holiday.holidays).toContain('spring_festival');
    expect(r.welcome.hoursAfter).toBe(24);
    expect(r.callback.hoursAfter).toBe(48);
    expect(new Set(Object.values(r).map((c) => c.channel))).toEqual(new Set(['stdout']));
  });

  it('read stored changes over the defaults', () => {
    const r = defaultRules();
    r.birthday.daysBefore = 2;
    const back = readRules(rulesToJson(r).replace('"welcome":', '"ignored":'));
    expect(back.birthday.daysBefore).toBe(2);
    expect(back.welcome.hoursAfter).toBe(24);
    expect(readRules('not json').birthday.daysBefore).toBe(0);
  });

  it('count a coupon as marketing, and name the template of an occasion', () => {
    const r = defaultRules();
    expect(isMarketing('birthday')).toBe(false);
    expect(isMarketing('holiday')).toBe(true);
    expect(isMarketing('winback')).toBe(true);
    expect(ruleTemplate('holiday', r.holiday, 'holiday:mid_autumn:2027')).toBe('mid_autumn');
    expect(ruleTemplate('birthday', r.birthday, 'birthday:2027-02-06', true)).toBe('birthday_lunar');
  });

  it('parse what the owner types', () => {
    expect(parseRule('Replenishment')).toBe('replenish');
    expect(errorOf(() => parseRule('easter')).message).toContain('no rule "easter"');
    expect(parseClock('9:30', '--at')).toBe('09:30');
    expect(() => parseClock('25:00', '--at')).toThrow();
    expect(parseShare('10%', '--holdout')).toBe(0.1);
    expect(parseShare('0.2', '--holdout')).toBe(0.2);
    expect(() => parseShare('80%', '--holdout')).toThrow();
  });
});

describe('the survey rule', () => {
  it('invites on the first day of a quarter for the quarter before', () => {
    expect(surveyQuarter('2027-01-01')).toEqual({ label: '2026-Q4', from: '2026-10-01', to: '2027-01-01' });
    expect(surveyQuarter('2027-04-01')).toEqual({ label: '2027-Q1', from: '2027-01-01', to: '2027-04-01' });
    expect(surveyQuarter('2027-10-01')).toEqual({ label: '2027-Q3', from: '2027-07-01', to: '2027-10-01' });
    expect(surveyQuarter('2027-04-02')).toBeNull();
    expect(defaultRules().survey.on).toBe(false);
  });
});
