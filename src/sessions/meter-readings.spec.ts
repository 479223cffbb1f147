import { NormalisedSample, energyRegister, latestReadings, normaliseMeterValues } from './meter-readings';

const T0 = '2026-05-04T10:00:00.000Z';
const T1 = '2026-05-04T10:01:00.000Z';

describe('normaliseMeterValues', () => {
  it.each([
    [{ value: '1234' }, 'Energy.Active.Import.Register', 'Wh', 1234],
    [{ value: '12.5', unit: 'kWh' }, 'Energy.Active.Import.Register', 'Wh', 12500],
    [{ value: '7.2', unit: 'kW', measurand: 'Power.Active.Import' }, 'Power.Active.Import', 'W', 7200],
    [{ value: '3600', measurand: 'Power.Active.Import' }, 'Power.Active.Import', 'W', 3600],
    [
      { value: '2', unit: 'kvarh', measurand: 'Energy.Reactive.Import.Register' },
      'Energy.Reactive.Import.Register',
      'varh',
      2000,
    ],
    [
      { value: '1.5', unit: 'kvar', measurand: 'Power.Reactive.Import' },
      'Power.Reactive.Import',
      'var',
      1500,
    ],
    [{ value: '80', measurand: 'SoC' }, 'SoC', '%', 80],
    [{ value: '80', unit: 'Percent', measurand: 'SoC' }, 'SoC', '%', 80],
    [{ value: '16.1', unit: 'A', measurand: 'Current.Import', phase: 'L1' }, 'Current.Import', 'A', 16.1],
    [{ value: '230', measurand: 'Voltage', phase: 'L1-N' }, 'Voltage', 'V', 230],
    [{ value: '212', unit: 'Fahrenheit', measurand: 'Temperature' }, 'Temperature', 'Celsius', 100],
    [{ value: '300.15', unit: 'K', measurand: 'Temperature' }, 'Temperature', 'Celsius', 27],
  ])('normalises %p to %s in %s', (sv, measurand, unit, value) => {
    const { samples, skipped } = normaliseMeterValues([{ timestamp: T0, sampledValue: [sv] }]);
    expect(skipped).toBe(0);
    expect(samples).toHaveLength(1);
    expect(samples[0]).toMatchObject({ measurand, unit, context: 'Sample.Periodic' });
    expect(samples[0].value).toBeCloseTo(value, 9);
    expect(samples[0].at.toISOString()).toBe(T0);
  });

  it('keeps phase, location and context as sent', () => {
    const { samples } = normaliseMeterValues([
      {
        timestamp: T0,
        sampledValue: [
          {
            value: '5',
            measurand: 'Current.Import',
            phase: 'L2',
            location: 'Outlet',
            context: 'Transaction.Begin',
          },
        ],
      },
    ]);
    expect(samples[0]).toMatchObject({ phase: 'L2', location: 'Outlet', context: 'Transaction.Begin' });
  });

  it.each([
    [{ value: 'abc' }],
    [{ value: '' }],
    [{ value: 'Infinity' }],
    [{ value: '0A1B2C', format: 'SignedData' }],
    // No meter reads 10²² Wh; stored, it would not fit the live energy register (bigint).
    [{ value: '1e19', unit: 'kWh' }],
    [{ value: '-2e15', measurand: 'Power.Active.Import', unit: 'W' }],
  ])('skips and counts a value it cannot read: %p', (sv) => {
    const { samples, skipped } = normaliseMeterValues([
      { timestamp: T0, sampledValue: [sv, { value: '1' }] },
    ]);
    expect(skipped).toBe(1);
    expect(samples).toHaveLength(1);
  });

  it('skips values with an unreadable timestamp', () => {
    const { samples, skipped } = normaliseMeterValues([
      { timestamp: 'yesterday', sampledValue: [{ value: '1' }] },
    ]);
    expect(samples).toHaveLength(0);
    expect(skipped).toBe(1);
  });
});

const sample = (
  at: string,
  measurand: string,
  value: number,
  over: Partial<NormalisedSample> = {},
): NormalisedSample => ({
  at: new Date(at),
  measurand,
  value,
  phase: null,
  location: null,
  context: 'Sample.Periodic',
  unit: 'Wh',
  ...over,
});

describe('energyRegister', () => {
  it('uses the unphased register and rounds to whole Wh, sorted by time', () => {
    const reg = energyRegister([
      sample(T1, 'Energy.Active.Import.Register', 2000.6),
      sample(T0, 'Energy.Active.Import.Register', 1000.4),
      sample(T0, 'Energy.Active.Import.Interval', 99),
    ]);
    expect(reg).toEqual([
      { at: new Date(T0), energyWh: 1000 },
      { at: new Date(T1), energyWh: 2001 },
    ]);
  });

  it('sums L1..L3 when the charger reports the register per phase only', () => {
    const reg = energyRegister([
      sample(T0, 'Energy.Active.Import.Register', 100, { phase: 'L1' }),
      sample(T0, 'Energy.Active.Import.Register', 110, { phase: 'L2' }),
      sample(T0, 'Energy.Active.Import.Register', 120, { phase: 'L3' }),
    ]);
    expect(reg).toEqual([{ at: new Date(T0), energyWh: 330 }]);
  });

  it('prefers the total over per-phase values at the same instant', () => {
    const reg = energyRegister([
      sample(T0, 'Energy.Active.Import.Register', 100, { phase: 'L1' }),
      sample(T0, 'Energy.Active.Import.Register', 400),
    ]);
    expect(reg).toEqual([{ at: new Date(T0), energyWh: 400 }]);
  });

  it('ignores readings taken at the EV rather than the outlet', () => {
    const reg = energyRegister([sample(T0, 'Energy.Active.Import.Register', 100, { location: 'EV' })]);
    expect(reg).toEqual([]);
  });
});

describe('latestReadings', () => {
  it('picks the latest energy, power and state of charge', () => {
    const r = latestReadings([
      sample(T0, 'Energy.Active.Import.Register', 1000),
      sample(T1, 'Energy.Active.Import.Register', 1500),
      sample(T0, 'Power.Active.Import', 7000, { unit: 'W' }),
      sample(T1, 'Power.Active.Import', 7100, { unit: 'W' }),
      sample(T1, 'SoC', 42, { unit: '%' }),
    ]);
    expect(r).toEqual({ at: new Date(T1), energyWh: 1500, powerW: 7100, socPercent: 42 });
  });

  it('answers nulls when nothing relevant was sampled', () => {
    expect(latestReadings([sample(T0, 'Voltage', 230, { unit: 'V' })])).toEqual({
      at: null,
      energyWh: null,
      powerW: null,
      socPercent: null,
    });
  });
});
