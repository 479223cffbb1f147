import fc from 'fast-check';
import { DAY_MS } from '../common/time-zones';
import { WEEK_MS, WeeklySchedule, findWeeklyWindow, isoWeekday } from './local-time';

const utc = (iso: string) => Date.parse(iso);

describe('local time', () => {
  it.each([
    ['1970-01-01', 4],
    ['2026-05-04', 1],
    ['2026-05-09', 6],
    ['2026-05-10', 7],
    ['1969-12-28', 7],
  ])('gives %s the ISO weekday %i', (date, weekday) => {
    expect(isoWeekday(utc(`${date}T00:00:00Z`) / DAY_MS)).toBe(weekday);
  });

  describe('weekly windows', () => {
    const friNight = { name: 'fri-night', days: new Set([5]), startMin: 22 * 60, endMin: 6 * 60 };
    const weekdayDay = {
      name: 'weekday-day',
      days: new Set([1, 2, 3, 4, 5]),
      startMin: 5 * 60,
      endMin: 23 * 60,
    };
    const allDay = { name: 'all-day', days: new Set([6]), startMin: 0, endMin: 0 };
    const windows = [friNight, weekdayDay, allDay];
    it.each([
      ['2026-05-08T21:59:59Z', 'weekday-day'], // Friday
      ['2026-05-08T22:00:00Z', 'fri-night'], // wins over weekday-day by array order
      ['2026-05-09T05:59:59Z', 'fri-night'], // Saturday, the window started Friday
      ['2026-05-09T06:00:00Z', 'all-day'],
      ['2026-05-09T23:59:59Z', 'all-day'],
      ['2026-05-10T00:00:00Z', undefined], // Sunday: the Saturday all-day window ends at 00:00
      ['2026-05-04T04:59:59Z', undefined], // Monday before 05:00
      ['2026-05-04T05:00:00Z', 'weekday-day'],
      ['2026-05-04T23:00:00Z', undefined],
    ])('finds the window open at wall time %s: %s', (wall, name) => {
      expect(findWeeklyWindow(windows, utc(wall))?.name).toBe(name);
    });
  });

  describe('weekly schedule', () => {
    const night = { name: 'night', days: new Set([1, 2, 3, 4, 5, 6, 7]), startMin: 22 * 60, endMin: 6 * 60 };
    const friEvening = { name: 'fri-evening', days: new Set([5]), startMin: 17 * 60, endMin: 23 * 60 };
    const schedule = new WeeklySchedule([friEvening, night]);
    const hours = (open: Map<{ name: string } | undefined, number>) =>
      Object.fromEntries([...open].map(([w, ms]) => [w?.name ?? 'none', ms / 3_600_000]));

    it.each([
      ['a Friday', '2026-05-08T00:00:00Z', '2026-05-09T00:00:00Z', { night: 7, none: 11, 'fri-evening': 6 }],
      [
        'Friday 16:00 to Saturday 07:00',
        '2026-05-08T16:00:00Z',
        '2026-05-09T07:00:00Z',
        { none: 2, 'fri-evening': 6, night: 7 },
      ],
      [
        'one week',
        '2026-05-04T00:00:00Z',
        '2026-05-11T00:00:00Z',
        { night: 55, none: 107, 'fri-evening': 6 },
      ],
      [
        'three weeks and a day',
        '2026-05-04T00:00:00Z',
        '2026-05-26T00:00:00Z',
        { night: 55 * 3 + 8, none: 107 * 3 + 16, 'fri-evening': 18 },
      ],
    ])('counts the open hours of each window over %s, in order of first opening', (_, from, to, expected) => {
      const open = hours(schedule.openMs(utc(from), utc(to)));
      expect(open).toEqual(expected);
      expect(Object.keys(open)).toEqual(Object.keys(expected));
    });

    it('agrees with looking up every minute, for any interval of up to three weeks', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: -500_000, max: 500_000 }),
          fc.integer({ min: 0, max: 3 * 7 * 1440 }),
          (startMinute, minutes) => {
            const expected = new Map<unknown, number>();
            for (let m = startMinute; m < startMinute + minutes; m++) {
              const w = findWeeklyWindow([friEvening, night], m * 60_000);
              expected.set(w, (expected.get(w) ?? 0) + 60_000);
            }
            const open = schedule.openMs(startMinute * 60_000, (startMinute + minutes) * 60_000);
            expect([...open]).toEqual([...expected]);
          },
        ),
        { numRuns: 60 },
      );
    });

    it('walks at most one week, whatever the length of the interval', () => {
      const long = schedule.openMs(0, 8000 * 52 * WEEK_MS);
      expect([...long.values()].reduce((a, b) => a + b, 0)).toBe(8000 * 52 * WEEK_MS);
      expect(long.get(friEvening)).toBe(8000 * 52 * 6 * 3_600_000);
    });
  });
});
