import type { TariffPlan } from '../tariffs/tariff-pricing';
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

describe('settle', () => {
  it.each([
    ['energy only', plan(), 10_000, 300],
    ['energy and session fee', plan({ sessionFeeMinor: 50 }), 10_000, 350],
    ['energy, one hour of time, 20 % tax', plan({ timePerHourMinor: 120, taxRatePercent: 20 }), 10_000, 504],
    ['rounded once, half up', plan({ energyPerKwhMinor: 33 }), 1_500, 50],
  ])('prices %s', (_name, p, wh, total) => {
    const s = settle({
      plan: p,
      startedAt: t(0),
      stoppedAt: t(60),
      meterStartWh: 5_000,
      meterStopWh: 5_000 + wh,
      samples: [],
    });
    expect(s.breakdown.totalMinor).toBe(total);
    expect(s.energyWh).toBe(wh);
    expect(s.meterStopBelowStart).toBe(false);
  });

  it('bills no energy and flags a meterStop below meterStart', () => {
    const s = settle({
      plan: plan({ sessionFeeMinor: 50 }),
      startedAt: t(0),
      stoppedAt: t(10),
      meterStartWh: 9_000,
      meterStopWh: 8_000,
      samples: [],
    });
    expect(s.meterStopBelowStart).toBe(true);
    expect(s.energyWh).toBe(0);
    expect(s.breakdown.totalMinor).toBe(50);
  });

  it('charges the idle fee from the moment the register stopped moving', () => {
    const samples = [
      { at: t(10), energyWh: 2_000 },
      { at: t(20), energyWh: 3_000 },
      { at: t(30), energyWh: 3_000 },
    ];
    const p = plan({ idleFeePerMinuteMinor: 10, idleGraceMinutes: 5 });
    const s = settle({
      plan: p,
      startedAt: t(0),
      stoppedAt: t(50),
      meterStartWh: 1_000,
      meterStopWh: 3_000,
      samples,
    });
    expect(s.chargingEndedAt).toEqual(t(20));
    const idle = s.breakdown.lines.find((l) => l.kind === 'idle');
    expect(idle).toMatchObject({ quantity: 25, amountMinor: 250 });
    expect(s.breakdown.totalMinor).toBe(60 + 250);
  });

  it('treats a stop timestamp before the start as zero duration', () => {
    const p = plan({ timePerHourMinor: 600 });
    const s = settle({
      plan: p,
      startedAt: t(30),
      stoppedAt: t(0),
      meterStartWh: 0,
      meterStopWh: 1_000,
      samples: [],
    });
    expect(s.breakdown.lines.find((l) => l.kind === 'time')?.amountMinor).toBe(0);
    expect(s.breakdown.totalMinor).toBe(30);
  });
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
      startedAt: t(0),
      now: t(30),
      meterStartWh: 100,
      latestEnergyWh: 5_100,
      samples: [],
    });
    expect(b.totalMinor).toBe(150 + 30);
  });
  it('is the fixed fees only before any reading', () => {
    const b = estimateSoFar({
      plan: plan({ sessionFeeMinor: 25 }),
      startedAt: t(0),
      now: t(1),
      meterStartWh: 100,
      latestEnergyWh: null,
      samples: [],
    });
    expect(b.totalMinor).toBe(25);
  });
});
