import { ConnectorMeter, parseMeasurands } from './meter';

describe('ConnectorMeter', () => {
  const clock = (startMs = 0) => {
    let now = startMs;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it.each([
    [11_000, 60 * 60_000, 11_000],
    [11_000, 60_000, 183],
    [7_400, 30 * 60_000, 3_700],
    [3_600_000, 1, 1],
  ])('adds %i W for %i ms as %i Wh to the register', (powerW, elapsedMs, expectedWh) => {
    const time = clock();
    const meter = new ConnectorMeter({ powerW }, time.now, 0);

    meter.startCharging();
    time.advance(elapsedMs);

    expect(meter.registerWh).toBe(expectedWh);
  });

  it('holds the register while not charging and continues from a reported value', () => {
    const time = clock();
    const meter = new ConnectorMeter({ powerW: 3_600 }, time.now, 500);

    time.advance(60 * 60_000);
    const idle = meter.registerWh;
    meter.startCharging();
    time.advance(10 * 60_000);
    meter.setRegister(10_000);
    time.advance(10 * 60_000);
    meter.stopCharging();
    time.advance(60 * 60_000);

    expect(idle).toBe(500);
    expect(meter.registerWh).toBe(10_600);
    expect(meter.powerW).toBe(0);
  });

  it('samples energy, power, SoC and per-phase voltage and current', () => {
    const time = clock(Date.UTC(2025, 0, 1));
    const meter = new ConnectorMeter(
      { powerW: 11_040, batteryCapacityWh: 50_000, initialSocPercent: 30 },
      time.now,
      1_000,
    );
    meter.startCharging();
    time.advance(30 * 60_000);

    const sample = meter.sample('Sample.Periodic');

    expect(sample.timestamp).toBe('2025-01-01T00:30:00.000Z');
    expect(sample.sampledValue).toEqual([
      {
        context: 'Sample.Periodic',
        location: 'Outlet',
        measurand: 'Energy.Active.Import.Register',
        unit: 'Wh',
        value: '6520',
      },
      {
        context: 'Sample.Periodic',
        location: 'Outlet',
        measurand: 'Power.Active.Import',
        unit: 'W',
        value: '11040',
      },
      { context: 'Sample.Periodic', location: 'EV', measurand: 'SoC', unit: 'Percent', value: '41' },
      ...['L1-N', 'L2-N', 'L3-N'].map((phase) => ({
        context: 'Sample.Periodic',
        location: 'Outlet',
        measurand: 'Voltage',
        phase,
        unit: 'V',
        value: '230.0',
      })),
      ...['L1', 'L2', 'L3'].map((phase) => ({
        context: 'Sample.Periodic',
        location: 'Outlet',
        measurand: 'Current.Import',
        phase,
        unit: 'A',
        value: '16.0',
      })),
    ]);
  });

  it.each([
    [undefined, 5],
    ['Energy.Active.Import.Register', 1],
    ['Energy.Active.Import.Register, Voltage', 2],
    ['', 0],
  ])('reads MeterValuesSampledData %p as %i measurands', (list, count) => {
    expect(parseMeasurands(list)).toHaveLength(count);
  });
});
