import fc from 'fast-check';
import type { MeterSample, TariffPlan } from '../tariffs/tariff-pricing';
import type { ChargerDataPolicy, StartReport, StopReport } from './charger-data-policy';
import { chargingEndedAt, estimateSoFar, orderNumber, settle } from './settlement';

const plan = (over: Partial<TariffPlan> = {}): TariffPlan => ({
  currency: 'EUR',
  energyPerKwhMinor: 30,
  timePerHourMinor: 0,
  sessionFeeMinor: 0,
  idleFeePerMinuteMinor: 0,
  idleGraceMinutes: 0,
  timeOfUse: [],
  taxRatePercent: 0,
  pricesIncludeTax: false,
  minSessionMinor: null,
  maxSessionMinor: null,
  timeZone: 'UTC',
  ...over,
});
const t = (min: number) => new Date(Date.UTC(2026, 4, 4, 10, min));
const HOUR = 3_600_000;
const policy: ChargerDataPolicy = { clockSkewMs: 300_000, maxSpanMs: 168 * HOUR, maxPowerW: 4_000_000 };
const registered = new Date(Date.UTC(2026, 0, 1));
// A charger whose clock agrees with ours: each message arrives the moment it is dated.
const start = (at: Date, meterStartWh: number, over: Partial<StartReport> = {}): StartReport => ({
  stationRegisteredAt: registered,
  startedAt: at,
  startReceivedAt: at,
  meterStartWh,
  ...over,
});
const stop = (at: Date, meterStopWh: number, over: Partial<StopReport> = {}): StopReport => ({
  stoppedAt: at,
  stopReceivedAt: at,
  meterStopWh,
  ...over,
});
const kinds = (s: ReturnType<typeof settle>) => [...s.billed.atStart, ...s.billed.atStop].map((f) => f.kind);

describe('settle', () => {
  it.each([
    ['energy only', plan(), 10_000, 300],
    ['energy and session fee', plan({ sessionFeeMinor: 50 }), 10_000, 350],
    ['energy, one hour of time, 20 % tax', plan({ timePerHourMinor: 120, taxRatePercent: 20 }), 10_000, 504],
    ['rounded once, half up', plan({ energyPerKwhMinor: 33 }), 1_500, 50],
  ])('prices %s', (_name, p, wh, total) => {
    const s = settle({
      plan: p,
      start: start(t(0), 5_000),
      stop: stop(t(60), 5_000 + wh),
      policy,
      samples: [],
    });
    expect(s.breakdown.totalMinor).toBe(total);
    expect(s.energyWh).toBe(wh);
    expect(kinds(s)).toEqual([]);
  });

  it('charges the idle fee from the moment the register stopped moving', () => {
    const samples = [
      { at: t(10), energyWh: 2_000 },
      { at: t(20), energyWh: 3_000 },
      { at: t(30), energyWh: 3_000 },
    ];
    const p = plan({ idleFeePerMinuteMinor: 10, idleGraceMinutes: 5 });
    const s = settle({ plan: p, start: start(t(0), 1_000), stop: stop(t(50), 3_000), policy, samples });
    expect(s.chargingEndedAt).toEqual(t(20));
    const idle = s.breakdown.lines.find((l) => l.kind === 'idle');
    expect(idle).toMatchObject({ quantity: 25, amountMinor: 250 });
    expect(s.breakdown.totalMinor).toBe(60 + 250);
  });

  const now = new Date(Date.UTC(2026, 11, 3, 12, 0));
  const hourAgo = new Date(now.getTime() - HOUR);
  const p = plan({ energyPerKwhMinor: 40, timePerHourMinor: 600, sessionFeeMinor: 5 });
  it.each([
    [
      'a 1970 start (the clock lost at a power loss): billed from when the start arrived',
      start(new Date(0), 0, { startReceivedAt: hourAgo }),
      stop(now, 0),
      ['implausible_start_time'],
      { seconds: 3600, wh: 0, total: 600 + 5 },
    ],
    [
      'a stop in 9999: billed up to when the stop arrived',
      start(hourAgo, 1_000),
      stop(new Date('9999-12-31T23:59:59Z'), 11_000, { stopReceivedAt: now }),
      ['implausible_stop_time'],
      { seconds: 3600, wh: 10_000, total: 400 + 600 + 5 },
    ],
    [
      'both clocks at 1970, two hours apart: billed between the arrivals',
      start(new Date(0), 0, { startReceivedAt: hourAgo }),
      stop(new Date(2 * HOUR), 1_000, { stopReceivedAt: now }),
      ['implausible_start_time', 'implausible_stop_time'],
      { seconds: 3600, wh: 1_000, total: 40 + 600 + 5 },
    ],
    [
      'a start 10 minutes in the future (beyond the 5 minute skew): billed from its arrival',
      start(new Date(hourAgo.getTime() + 10 * 60_000), 0, { startReceivedAt: hourAgo }),
      stop(now, 1_000),
      ['implausible_start_time'],
      { seconds: 3600, wh: 1_000, total: 40 + 600 + 5 },
    ],
    [
      'a start 4 minutes in the future (within the skew): believed',
      start(new Date(hourAgo.getTime() + 4 * 60_000), 0, { startReceivedAt: hourAgo }),
      stop(now, 1_000),
      [],
      { seconds: 3360, wh: 1_000, total: 40 + 560 + 5 },
    ],
    [
      'a stop before its start: no time',
      start(now, 1_000),
      stop(hourAgo, 2_000, { stopReceivedAt: now }),
      ['stop_before_start'],
      { seconds: 0, wh: 1_000, total: 40 + 5 },
    ],
    [
      'meterStart -1: 0 Wh',
      start(hourAgo, -1),
      stop(now, 5_000),
      ['negative_meter_reading'],
      { seconds: 3600, wh: 0, total: 600 + 5 },
    ],
    [
      'a negative meterStop: 0 Wh',
      start(hourAgo, 1_000),
      stop(now, -5),
      ['negative_meter_reading'],
      { seconds: 3600, wh: 0, total: 600 + 5 },
    ],
    [
      'a meterStop below meterStart (a reset register): 0 Wh',
      start(hourAgo, 9_000),
      stop(now, 8_000),
      ['meter_stop_below_start'],
      { seconds: 3600, wh: 0, total: 600 + 5 },
    ],
    [
      'ten days, more than the 168 h allowed: time stops at 168 h, energy billed whole',
      start(new Date(now.getTime() - 240 * HOUR), 0),
      stop(now, 10_000),
      ['span_over_maximum'],
      { seconds: 168 * 3600, wh: 10_000, total: 400 + 168 * 600 + 5 },
    ],
  ])('bills %s', (_, s0, s1, expectedKinds, { seconds, wh, total }) => {
    const s = settle({ plan: p, start: s0, stop: s1, policy, samples: [] });
    expect(kinds(s)).toEqual(expectedKinds);
    expect(s.energyWh).toBe(wh);
    expect(s.breakdown.lines.find((l) => l.kind === 'time')?.quantity).toBe(seconds);
    expect(s.breakdown.totalMinor).toBe(total);
  });

  it('ignores samples dated by a clock it did not believe, so they start no idle time', () => {
    const s = settle({
      plan: plan({ idleFeePerMinuteMinor: 10 }),
      start: start(new Date(0), 0, { startReceivedAt: hourAgo }),
      stop: stop(now, 2_000),
      policy,
      samples: [{ at: new Date(60_000), energyWh: 2_000 }],
    });
    expect(s.chargingEndedAt).toBeNull();
    expect(s.breakdown.totalMinor).toBe(60);
  });

  describe('properties', () => {
    const instant = fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_000 }); // years 1..9999
    const register = fc.oneof(fc.integer({ min: -1_000, max: 2_000_000 }), fc.constant(-1), fc.constant(0));
    const arbPlan = fc
      .record({
        energyPerKwhMinor: fc.nat(500),
        timePerHourMinor: fc.nat(300),
        sessionFeeMinor: fc.nat(200),
        idleFeePerMinuteMinor: fc.nat(50),
        tou: fc.boolean(),
        timeZone: fc.constantFrom('Europe/Berlin', 'America/New_York', 'UTC', 'Australia/Lord_Howe'),
      })
      .map(({ tou, ...rest }) =>
        plan({
          ...rest,
          timeOfUse: tou
            ? [{ days: [1, 2, 3, 4, 5], start: '22:00', end: '06:00', energyPerKwhMinor: 10 }]
            : [],
        }),
      );
    const arbCase = fc.record({
      plan: arbPlan,
      registered: instant,
      startedAt: instant,
      startReceivedAt: instant,
      stoppedAt: instant,
      afterStart: fc.integer({ min: 0, max: 30 * 86_400_000 }),
      meterStartWh: register,
      meterStopWh: register,
      samples: fc.array(fc.tuple(instant, register), { maxLength: 5 }),
      maxSpanHours: fc.integer({ min: 1, max: 8784 }),
    });
    const run = (c: typeof arbCase extends fc.Arbitrary<infer T> ? T : never) => {
      const stationRegisteredAt = new Date(Math.min(c.registered, c.startReceivedAt));
      const samples: MeterSample[] = c.samples.map(([at, energyWh]) => ({ at: new Date(at), energyWh }));
      return settle({
        plan: c.plan,
        start: {
          stationRegisteredAt,
          startedAt: new Date(c.startedAt),
          startReceivedAt: new Date(c.startReceivedAt),
          meterStartWh: c.meterStartWh,
        },
        stop: {
          stoppedAt: new Date(c.stoppedAt),
          stopReceivedAt: new Date(Math.min(c.startReceivedAt + c.afterStart, 8.64e15)),
          meterStopWh: c.meterStopWh,
        },
        policy: { clockSkewMs: 300_000, maxSpanMs: c.maxSpanHours * HOUR, maxPowerW: 4_000_000 },
        samples,
      });
    };

    it('never bills negative energy or money, and never more time than the maximum span', () => {
      fc.assert(
        fc.property(arbCase, (c) => {
          const s = run(c);
          expect(s.energyWh).toBeGreaterThanOrEqual(0);
          const registersBelieved = c.meterStartWh >= 0 && c.meterStopWh >= c.meterStartWh;
          expect(s.energyWh).toBe(registersBelieved ? c.meterStopWh - c.meterStartWh : 0);
          for (const l of s.breakdown.lines) expect(l.amountMinor).toBeGreaterThanOrEqual(0);
          expect(s.breakdown.totalMinor).toBeGreaterThanOrEqual(0);
          const seconds = s.breakdown.lines.find((l) => l.kind === 'time')?.quantity ?? 0;
          expect(seconds).toBeLessThanOrEqual(c.maxSpanHours * 3600);
          expect(s.billed.stoppedAt.getTime()).toBeGreaterThanOrEqual(s.billed.startedAt.getTime());
        }),
        { numRuns: 300 },
      );
    });

    it('does bounded work whatever the span: at most one time-zone probe per billed day, plus a few', () => {
      fc.assert(
        fc.property(arbCase, (c) => {
          const probes = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
          try {
            run(c);
            expect(probes.mock.calls.length).toBeLessThanOrEqual(c.maxSpanHours / 24 + 1 + 4 * 20);
          } finally {
            probes.mockRestore();
          }
        }),
        { numRuns: 100 },
      );
    });
  });

  it.each([
    ['a day', 86_400_000],
    ['a year', 365 * 86_400_000],
    ['8000 years', Date.parse('9999-12-31T23:59:59Z') - Date.parse('2000-01-01T00:00:00Z')],
  ])(
    'prices a time-of-use session the charger says lasted %s with work bounded by the maximum span',
    (_, ms) => {
      const tou = plan({
        timeZone: 'Europe/Berlin',
        timePerHourMinor: 60,
        timeOfUse: [{ days: [1, 2, 3, 4, 5], start: '22:00', end: '06:00', energyPerKwhMinor: 10 }],
      });
      const from = Date.parse('2000-01-01T00:00:00Z');
      const probes = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
      try {
        const s = settle({
          plan: tou,
          start: start(new Date(from), 0, { stationRegisteredAt: new Date(from) }),
          stop: stop(new Date(from + ms), 7_000),
          policy: { clockSkewMs: 300_000, maxSpanMs: 366 * 86_400_000, maxPowerW: 4_000_000 },
          samples: [],
        });
        expect(s.energyWh).toBe(7_000);
        expect(probes.mock.calls.length).toBeLessThanOrEqual(367 + 4 * 20);
      } finally {
        probes.mockRestore();
      }
    },
  );
});

describe('chargingEndedAt', () => {
  it('is null while the register was still moving at the stop', () => {
    expect(chargingEndedAt([{ at: t(10), energyWh: 100 }], 200, t(20))).toBeNull();
  });
  it('ignores samples at or after the stop', () => {
    expect(chargingEndedAt([{ at: t(20), energyWh: 200 }], 200, t(20))).toBeNull();
  });
});

describe('orderNumber', () => {
  it('is readable and carries the settlement day and transaction id', () => {
    expect(orderNumber(new Date('2026-11-22T23:59:59Z'), 42)).toBe('KW-20261122-0000042');
  });
});

describe('estimateSoFar', () => {
  it('prices the energy so far and the elapsed time', () => {
    const b = estimateSoFar({
      plan: plan({ timePerHourMinor: 60 }),
      start: start(t(0), 100),
      now: t(30),
      latestEnergyWh: 5_100,
      samples: [],
      policy,
    });
    expect(b.totalMinor).toBe(150 + 30);
  });
  it('is the fixed fees only before any reading', () => {
    const b = estimateSoFar({
      plan: plan({ sessionFeeMinor: 25 }),
      start: start(t(0), 100),
      now: t(1),
      latestEnergyWh: null,
      samples: [],
      policy,
    });
    expect(b.totalMinor).toBe(25);
  });
  it.each([
    ['began 8000 years ago by its clock (before the station existed)', new Date(-200_000_000_000_000), 60],
    ['began 11 months ago', new Date(Date.UTC(2026, 0, 2)), 168 * 60],
    ['begins in 9999 by its clock', new Date('9999-12-31T23:59:59Z'), 60],
  ])('prices a session that %s on what it believes, at most the maximum span', (_, startedAt, minutes) => {
    const now = new Date(Date.UTC(2026, 11, 3, 12));
    const b = estimateSoFar({
      plan: plan({ timePerHourMinor: 60 }),
      start: start(startedAt, 0, { startReceivedAt: new Date(now.getTime() - HOUR) }),
      now,
      latestEnergyWh: 0,
      samples: [],
      policy,
    });
    expect(b.totalMinor).toBe(minutes);
  });
});
