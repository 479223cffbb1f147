import {
  DAY_MS,
  findWeeklyWindow,
  isValidTimeZone,
  isoWeekday,
  offsetTransitions,
  offsetsNearDay,
  wallClockCuts,
  wallClockMs,
} from './local-time';

const utc = (iso: string) => Date.parse(iso);

describe('local time', () => {
  it.each([
    ['Europe/Berlin', '2026-01-15T12:00:00.250Z', '2026-01-15T13:00:00.250Z'],
    ['Europe/Berlin', '2026-07-15T23:30:00Z', '2026-07-16T01:30:00Z'],
    ['Europe/Berlin', '2026-03-29T00:59:59Z', '2026-03-29T01:59:59Z'],
    ['Europe/Berlin', '2026-03-29T01:00:00Z', '2026-03-29T03:00:00Z'],
    ['Europe/Berlin', '2026-10-25T00:30:00Z', '2026-10-25T02:30:00Z'],
    ['Europe/Berlin', '2026-10-25T01:30:00Z', '2026-10-25T02:30:00Z'],
    ['Asia/Kolkata', '2026-01-01T00:00:00Z', '2026-01-01T05:30:00Z'],
    ['America/New_York', '2026-01-01T03:00:00Z', '2025-12-31T22:00:00Z'],
  ])('reads the wall clock of %s at %s as %s', (zone, at, wall) => {
    expect(wallClockMs(zone, utc(at))).toBe(utc(wall));
  });

  it.each([
    ['Europe/Berlin', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
    ['+01:00', false],
  ])('knows whether %p is a time zone', (zone, valid) => {
    expect(isValidTimeZone(zone)).toBe(valid);
  });

  it.each([
    ['2026-03-29', ['2026-03-29T01:00:00Z']],
    ['2026-10-25', ['2026-10-25T01:00:00Z']],
    ['2026-05-04', []],
  ])('finds the offset changes of Europe/Berlin around %s', (date, expected) => {
    const day = utc(`${date}T00:00:00Z`);
    expect(offsetTransitions('Europe/Berlin', day - DAY_MS, day + DAY_MS)).toEqual(expected.map(utc));
  });

  it('lists both offsets in force around a daylight-saving change', () => {
    const day = utc('2026-03-29T00:00:00Z') / DAY_MS;
    expect(offsetsNearDay('Europe/Berlin', day).sort()).toEqual([3_600_000, 7_200_000]);
    expect(offsetsNearDay('Europe/Berlin', day + 30)).toEqual([7_200_000]);
  });

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

  it.each([
    [
      'a summer day',
      [18 * 60],
      '2026-05-04T12:00:00Z',
      '2026-05-05T12:00:00Z',
      ['2026-05-04T16:00:00Z', '2026-05-04T22:00:00Z'],
    ],
    [
      'spring forward, the jump past 02:30',
      [150],
      '2026-03-28T23:30:00Z',
      '2026-03-29T03:00:00Z',
      ['2026-03-29T01:00:00Z'],
    ],
    [
      'fall back, 02:30 shows twice',
      [150],
      '2026-10-24T23:30:00Z',
      '2026-10-25T03:00:00Z',
      ['2026-10-25T00:30:00Z', '2026-10-25T01:00:00Z', '2026-10-25T01:30:00Z'],
    ],
  ])(
    'cuts a Berlin interval at least where the wall clock reaches 02:30 or 18:00: %s',
    (_, minutes, from, to, inner) => {
      const cuts = wallClockCuts('Europe/Berlin', minutes, utc(from), utc(to));
      expect([cuts[0], cuts.at(-1)]).toEqual([utc(from), utc(to)]);
      expect(cuts).toEqual([...cuts].sort((a, b) => a - b));
      expect(cuts).toEqual(expect.arrayContaining(inner.map(utc)));
    },
  );
});
