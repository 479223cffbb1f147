import fc from 'fast-check';
import { DAY_MS, isValidTimeZone, offsetMs, offsetSpans, wallClockMs } from './time-zones';

const utc = (iso: string) => Date.parse(iso);

describe('time zones', () => {
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
    ['America/Argentina/Buenos_Aires', true],
    ['Europe/Berlin; drop table', false],
    ['x'.repeat(65), false],
  ])('knows whether %p is a time zone', (zone, valid) => {
    expect(isValidTimeZone(zone)).toBe(valid);
  });

  it.each([
    ['2026-03-29', [['2026-03-29T01:00:00Z', 7_200_000]]],
    ['2026-10-25', [['2026-10-25T01:00:00Z', 3_600_000]]],
    ['2026-05-04', []],
  ] as [string, [string, number][]][])(
    'finds the offset changes of Europe/Berlin around %s',
    (date, expected) => {
      const day = utc(`${date}T00:00:00Z`);
      const spans = offsetSpans('Europe/Berlin', day - DAY_MS, day + DAY_MS);
      expect(spans[0].fromMs).toBe(day - DAY_MS);
      expect(spans.slice(1)).toEqual(expected.map(([at, offsetMs]) => ({ fromMs: utc(at), offsetMs })));
    },
  );

  it('finds both changes of a year, and Lord Howe’s half-hour ones, probing about once a day', () => {
    const from = utc('2026-01-01T00:00:00Z');
    const to = utc('2027-01-01T00:00:00Z');
    const probes = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    try {
      expect(offsetSpans('Europe/Berlin', from, to).map((s) => s.offsetMs)).toEqual([
        3_600_000, 7_200_000, 3_600_000,
      ]);
      expect(probes.mock.calls.length).toBeLessThan(366 + 2 * 20 + 5);
    } finally {
      probes.mockRestore();
    }
    expect(offsetSpans('Australia/Lord_Howe', from, to).map((s) => s.offsetMs / 60_000)).toEqual([
      660, 630, 660,
    ]);
  });

  it.each([
    ['Berlin local mean time (+0:53:28) in 1850', '1850-06-01T12:00:00Z', '1850-06-01T12:53:28Z'],
    ['a year below 100, which Date.UTC would read as 19xx', '0050-06-01T12:00:00Z', '0050-06-01T12:53:28Z'],
  ])('reads the wall clock of Europe/Berlin for %s', (_what, at, wall) => {
    expect(wallClockMs('Europe/Berlin', utc(at))).toBe(utc(wall));
  });

  it('answers an offset of whole seconds within ±15 h for any instant of ±300 years', () => {
    const zones = [
      'Europe/Berlin',
      'America/New_York',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'Pacific/Kiritimati',
    ];
    const year = 365.25 * DAY_MS;
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: -300 * year, max: 300 * year }),
        (zone, at) => {
          const offset = offsetMs(zone, at);
          expect(Number.isInteger(offset / 1000)).toBe(true);
          expect(Math.abs(offset)).toBeLessThanOrEqual(15 * 3_600_000);
          expect(wallClockMs(zone, at)).toBe(at + offset);
        },
      ),
    );
  });
});
