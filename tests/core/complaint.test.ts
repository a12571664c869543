// The rules of complaints on hand-worked cases: every allowed and refused move, the deadlines the
// SLA policy gives in all hours and in business hours (a weekend, the 2026 Spring Festival with its
// make-up working Saturdays, from the shipped 2026 notice), the clocks stopping while waiting on the
// customer and going on after, reopening, what a move settles (met or missed, as it stood), when an
// overdue complaint goes up a level, and the periods and the comparison of the report.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addWorkingTime, parseHolidayFile, parseOpeningHours, workingMinutesBetween, type WorkCalendar } from '../../src/core/business-hours.js';
import {
  ACTIONS, advanceClocks, allowedActions, deadlines, DEFAULT_SLA, escalationLevel, expectedShare, minutesLeft, move, periodLabel, reportPeriods, settledClocks,
  startClocks, STATUSES, type Action, type ClockState, type Status, type WorkingTime,
} from '../../src/core/complaint.js';
import { shippedHolidayFiles } from '../../src/io/holiday.js';
import { errorOf } from '../helpers/errors.js';

const ZONE = 'Asia/Shanghai';
/** A local Shanghai time as a UTC ISO instant, and back. */
const iso = (local: string) => DateTime.fromISO(local.replace(' ', 'T'), { zone: ZONE }).toUTC().toISO()!;
const local = (at: string | null) => (at === null ? null : DateTime.fromISO(at).setZone(ZONE).toFormat('yyyy-MM-dd HH:mm'));

/** Every hour counts. */
const ALL: WorkingTime = { add: (s, m) => new Date(s.getTime() + m * 60_000), between: (a, b) => Math.max(0, (b.getTime() - a.getTime()) / 60_000) };

/** An office open Monday to Friday 09:00-18:00, with the shipped 2026 notice (holidays and make-up days). */
function office(): WorkingTime {
  const notice = shippedHolidayFiles().map((f) => parseHolidayFile(f.text, f.file)).find((n) => n.year === 2026)!;
  const cal: WorkCalendar = { hours: parseOpeningHours('mon-fri 09:00-18:00; sat-sun closed'), days: new Map(notice.days.map((d) => [d.date, d])), years: new Set([2026]) };
  return { add: (s, m) => addWorkingTime(s, m, cal, ZONE).at, between: (a, b) => workingMinutesBetween(a, b, cal, ZONE).minutes };
}

/** The local deadlines of clocks under a severity's limits. */
function dues(c: ClockState, w: WorkingTime, severity: keyof typeof DEFAULT_SLA = 'urgent') {
  const d = deadlines(c, DEFAULT_SLA[severity], w);
  return { respond: local(d.respondDue), update: local(d.updateDue), solve: local(d.solveDue), due: local(d.dueAt) };
}

/** Clocks after a list of moves at local times, from a complaint recorded at `start`. */
function after(start: string, moves: [Action, string][], w: WorkingTime): ClockState {
  return moves.reduce((c, [a, at]) => advanceClocks(c, a, iso(at), w), startClocks(iso(start)));
}

describe('moves between states', () => {
  const allowed: Record<Status, Partial<Record<Action, Status>>> = {
    open: { ack: 'acknowledged', update: 'in_progress', resolve: 'resolved' },
    acknowledged: { update: 'in_progress', wait: 'waiting', resolve: 'resolved' },
    in_progress: { update: 'in_progress', wait: 'waiting', resolve: 'resolved' },
    waiting: { update: 'in_progress', resolve: 'resolved' },
    resolved: { close: 'closed', reopen: 'open' },
    closed: { reopen: 'open' },
  };
  const cases = STATUSES.flatMap((s) => ACTIONS.map((a) => [s, a, allowed[s][a] ?? null] as const));

  it.each(cases.filter(([, , to]) => to !== null))('%s + %s -> %s', (status, action, to) => {
    expect(move(status, action)).toBe(to);
  });

  it.each(cases.filter(([, , to]) => to === null))('%s + %s is refused, naming the state and the moves it allows', (status, action) => {
    const e = errorOf(() => move(status, action));
    expect(e.id).toBe('err.complaint.move');
    expect(e.exitCode).toBe(2);
    const moves = Object.keys(allowed[status]);
    expect(e.params).toEqual({ action, status, allowed: moves.join(', ') });
    expect(e.message).toBe(`cannot ${action} a complaint that is ${status}; allowed now: ${moves.join(', ')}`);
  });

  it('lists the allowed moves of each state', () => {
    for (const s of STATUSES) expect(allowedActions(s)).toEqual(Object.keys(allowed[s]));
  });
});

describe('deadlines from the SLA policy', () => {
  it('counts every hour when the shop says all hours', () => {
    expect(dues(startClocks(iso('2026-11-20 17:00')), ALL)).toEqual({ respond: '2026-11-20 19:00', update: null, solve: '2026-11-21 17:00', due: '2026-11-20 19:00' });
    expect(dues(startClocks(iso('2026-11-20 17:00')), ALL, 'normal')).toMatchObject({ respond: '2026-11-21 17:00', solve: '2026-11-23 17:00' });
  });

  it('counts only opening hours in business hours: a Friday evening complaint is due on Monday', () => {
    // Urgent: 2 working hours to answer, 1 on Friday (17:00-18:00) and 1 on Monday; 24 to solve.
    expect(dues(startClocks(iso('2026-11-20 17:00')), office())).toEqual({ respond: '2026-11-23 10:00', update: null, solve: '2026-11-25 14:00', due: '2026-11-23 10:00' });
  });

  it('works the make-up Saturday before the 2026 Spring Festival and skips the nine days off', () => {
    const w = office();
    // Friday 13 Feb 17:00: an hour on Friday, the next on Saturday the 14th, a working day (调休).
    expect(dues(startClocks(iso('2026-02-13 17:00')), w).respond).toBe('2026-02-14 10:00');
    // Saturday 14th 17:00: an hour that day, then 15-23 February are off: Tuesday the 24th.
    expect(dues(startClocks(iso('2026-02-14 17:00')), w).respond).toBe('2026-02-24 10:00');
    // Friday 27th 17:30: half an hour, then the make-up Saturday the 28th.
    expect(dues(startClocks(iso('2026-02-27 17:30')), w).respond).toBe('2026-02-28 10:30');
    // A plain Saturday (7 March) is closed: Friday 6 March 17:00 is due on Monday the 9th.
    expect(dues(startClocks(iso('2026-03-06 17:00')), w).respond).toBe('2026-03-09 10:00');
  });
});

describe('waiting on the customer', () => {
  it('stops every clock while waiting and goes on from where it was', () => {
    const acked = after('2026-11-23 10:00', [['ack', '2026-11-23 10:30']], ALL);
    // Answered: the update clock (4 h) starts; the solution is due 24 h after recording.
    expect(dues(acked, ALL)).toEqual({ respond: null, update: '2026-11-23 14:30', solve: '2026-11-24 10:00', due: '2026-11-23 14:30' });
    const waiting = advanceClocks(acked, 'wait', iso('2026-11-23 11:00'), ALL);
    expect(dues(waiting, ALL)).toEqual({ respond: null, update: null, solve: null, due: null });
    expect(waiting.solve).toMatchObject({ used: 60, since: null, done: false });
    // Four hours later the customer answers: the solution clock has 23 h left, the update clock starts again.
    const back = advanceClocks(waiting, 'update', iso('2026-11-23 15:00'), ALL);
    expect(dues(back, ALL)).toEqual({ respond: null, update: '2026-11-23 19:00', solve: '2026-11-24 14:00', due: '2026-11-23 19:00' });
  });

  it('waits across a weekend in business hours without using working time', () => {
    const w = office();
    const c = after('2026-11-20 09:00', [['ack', '2026-11-20 09:30'], ['wait', '2026-11-20 10:00'], ['update', '2026-11-25 09:00']], w);
    // 60 working minutes used on Friday; 23 h of working time left from Wednesday 09:00: 2 days of 9 h and 5 h.
    expect(c.solve.used).toBe(60);
    expect(dues(c, w).solve).toBe('2026-11-27 14:00');
  });
});

describe('what a move settles', () => {
  it('the first reply settles the first response: in time or late, with the deadline that stood', () => {
    const c = startClocks(iso('2026-11-23 10:00'));
    expect(settledClocks(c, 'ack', iso('2026-11-23 11:59'), DEFAULT_SLA.urgent, ALL)).toEqual({ first_response: { due: iso('2026-11-23 12:00'), used: 119, limit: 120, met: true } });
    expect(settledClocks(c, 'update', iso('2026-11-23 12:01'), DEFAULT_SLA.urgent, ALL)?.first_response).toMatchObject({ used: 121, met: false });
    // A later reply settles nothing new.
    expect(settledClocks(advanceClocks(c, 'ack', iso('2026-11-23 11:00'), ALL), 'update', iso('2026-11-23 13:00'), DEFAULT_SLA.urgent, ALL)).toBeNull();
  });

  it('a resolution is judged on the working time used: waiting does not count against it', () => {
    const c = after('2026-11-23 10:00', [['ack', '2026-11-23 10:30'], ['wait', '2026-11-23 11:00'], ['update', '2026-11-25 10:00']], ALL);
    // 50 hours after recording, but only 3 of the 24 allowed were used.
    expect(settledClocks(c, 'resolve', iso('2026-11-25 12:00'), DEFAULT_SLA.urgent, ALL)).toEqual({ solution: { due: iso('2026-11-26 09:00'), used: 180, limit: 1440, met: true } });
    // Resolved straight from waiting: the clock was paused, so no deadline stood, and it was met.
    const waiting = advanceClocks(c, 'wait', iso('2026-11-25 11:00'), ALL);
    expect(settledClocks(waiting, 'resolve', iso('2026-11-27 11:00'), DEFAULT_SLA.urgent, ALL)).toEqual({ solution: { due: null, used: 120, limit: 1440, met: true } });
    // Resolving at once answers too: both clocks are settled.
    expect(Object.keys(settledClocks(startClocks(iso('2026-11-23 10:00')), 'resolve', iso('2026-11-24 11:00'), DEFAULT_SLA.urgent, ALL)!)).toEqual(['first_response', 'solution']);
  });
});

describe('reopening', () => {
  it('starts the update and solution clocks again, keeping the time used; the first response stays met', () => {
    const resolved = after('2026-11-23 10:00', [['ack', '2026-11-23 10:30'], ['resolve', '2026-11-23 13:00']], ALL);
    expect(dues(resolved, ALL)).toEqual({ respond: null, update: null, solve: null, due: null });
    const reopened = advanceClocks(resolved, 'reopen', iso('2026-11-26 10:00'), ALL);
    expect(move('resolved', 'reopen')).toBe('open');
    // 3 h of the 24 were used: 21 h from the reopening; a reply is due within 4 h.
    expect(dues(reopened, ALL)).toEqual({ respond: null, update: '2026-11-26 14:00', solve: '2026-11-27 07:00', due: '2026-11-26 14:00' });
  });
});

describe('escalation timing', () => {
  const due = iso('2026-11-23 12:00');
  it.each([
    ['2026-11-23 11:00', 0],
    ['2026-11-23 13:59', 0],
    ['2026-11-23 14:00', 1],
    ['2026-11-23 15:59', 1],
    ['2026-11-23 16:00', 2],
    ['2026-11-24 09:00', 2],
  ] as const)('a deadline of 12:00 missed, at %s: level %i', (now, level) => {
    expect(escalationLevel(due, new Date(iso(now)), ALL)).toBe(level);
  });

  it('counts the time over in working hours: a Friday 17:00 deadline reaches level 1 on Monday at 10:00', () => {
    const w = office();
    const friday = iso('2026-11-20 17:00');
    expect(escalationLevel(friday, new Date(iso('2026-11-23 09:59')), w)).toBe(0);
    expect(escalationLevel(friday, new Date(iso('2026-11-23 10:00')), w)).toBe(1);
    expect(escalationLevel(friday, new Date(iso('2026-11-23 12:00')), w)).toBe(2);
    expect(escalationLevel(null, new Date(iso('2026-11-23 12:00')), w)).toBe(0);
  });

  it('gives minutes left, negative when over', () => {
    expect(minutesLeft(due, new Date(iso('2026-11-23 10:30')))).toBe(90);
    expect(minutesLeft(due, new Date(iso('2026-11-23 13:15')))).toBe(-75);
  });
});

describe('the report', () => {
  it('names and bounds its periods, the last ending today', () => {
    expect(reportPeriods('2026-09-15', '2026-11-22', 'month')).toEqual([
      { label: '2026-09', first: '2026-09-01', last: '2026-09-30' },
      { label: '2026-10', first: '2026-10-01', last: '2026-10-31' },
      { label: '2026-11', first: '2026-11-01', last: '2026-11-22' },
    ]);
    expect(reportPeriods('2026-02-01', '2026-11-22', 'quarter').map((p) => [p.label, p.first, p.last])).toEqual([
      ['2026-Q1', '2026-01-01', '2026-03-31'], ['2026-Q2', '2026-04-01', '2026-06-30'], ['2026-Q3', '2026-07-01', '2026-09-30'], ['2026-Q4', '2026-10-01', '2026-11-22'],
    ]);
    expect(periodLabel('2025-01-01', 'year')).toBe('2025');
  });

  it('expects the complainants to buy as their segments do', () => {
    // 10 champions (80% of others bought) and 30 at risk (20%): 0.25 × 0.8 + 0.75 × 0.2 = 0.35.
    const complainants = [{ segment: 'champions', customers: 10, kept: 5 }, { segment: 'atRisk', customers: 30, kept: 3 }];
    const baseline = [{ segment: 'champions', customers: 100, kept: 80 }, { segment: 'atRisk', customers: 400, kept: 80 }, { segment: 'lost', customers: 500, kept: 0 }];
    expect(expectedShare(complainants, baseline)).toBeCloseTo(0.35, 10);
    // A segment no other customer is in takes the share of them all (160 of 1000).
    expect(expectedShare([{ segment: 'new', customers: 4, kept: 1 }], baseline)).toBeCloseTo(0.16, 10);
    expect(expectedShare([], baseline)).toBeNull();
    expect(expectedShare(complainants, [])).toBeNull();
  });
});
