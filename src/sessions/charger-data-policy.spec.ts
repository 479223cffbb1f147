import { ChargerDataPolicy, billable, judgeStart } from './charger-data-policy';

const policy: ChargerDataPolicy = { clockSkewMs: 300_000, maxSpanMs: 24 * 3_600_000, maxPowerW: 4_000_000 };
const registered = Date.parse('2026-06-01T00:00:00Z');
const received = Date.parse('2026-12-03T12:00:00Z');
const report = (startedAt: number, meterStartWh = 0) => ({
  stationRegisteredAt: new Date(registered),
  startedAt: new Date(startedAt),
  startReceivedAt: new Date(received),
  meterStartWh,
});

describe('judgeStart', () => {
  it.each([
    ['5 minutes before the station was registered (the skew)', registered - 300_000, true],
    ['5 minutes and 1 ms before the station was registered', registered - 300_001, false],
    ['5 minutes after it was received (the skew)', received + 300_000, true],
    ['5 minutes and 1 ms after it was received', received + 300_001, false],
    ['at 1970-01-01', 0, false],
    ['in 9999', Date.parse('9999-12-31T23:59:59Z'), false],
    ['a day before it was received (a queued start)', received - 86_400_000, true],
  ])('believes a start time %s: %p', (_, at, believed) => {
    const judged = judgeStart(report(at), policy);
    expect(judged.startedAt.getTime()).toBe(believed ? at : received);
    expect(judged.findings.map((f) => f.kind)).toEqual(believed ? [] : ['implausible_start_time']);
  });

  it('flags a negative meterStart when the StartTransaction arrives, keeping the value in the details', () => {
    const judged = judgeStart(report(received, -1), policy);
    expect(judged.findings).toEqual([
      expect.objectContaining({ kind: 'negative_meter_reading', details: { meterStartWh: -1 } }),
    ]);
  });
});

describe('billable', () => {
  it('reports start findings apart from the stop findings, so each is recorded once', () => {
    const b = billable(
      report(0, -1),
      { stoppedAt: new Date(8.64e15), stopReceivedAt: new Date(received + 3_600_000), meterStopWh: 50 },
      policy,
    );
    expect(b.atStart.map((f) => f.kind)).toEqual(['implausible_start_time', 'negative_meter_reading']);
    expect(b.atStop.map((f) => f.kind)).toEqual(['implausible_stop_time']);
    expect(b).toMatchObject({
      startedAt: new Date(received),
      stoppedAt: new Date(received + 3_600_000),
      meterStartWh: 0,
      meterStopWh: 0,
      energyTrusted: false,
    });
  });

  it('caps the span at the maximum and says from when to when it billed', () => {
    const b = billable(
      report(received - 48 * 3_600_000),
      { stoppedAt: new Date(received), stopReceivedAt: new Date(received), meterStopWh: 10 },
      policy,
    );
    expect(b.stoppedAt.getTime() - b.startedAt.getTime()).toBe(policy.maxSpanMs);
    expect(b.atStop).toEqual([
      expect.objectContaining({
        kind: 'span_over_maximum',
        details: {
          billedFrom: '2026-12-01T12:00:00.000Z',
          stoppedAt: '2026-12-03T12:00:00.000Z',
          billedTo: '2026-12-02T12:00:00.000Z',
        },
      }),
    ]);
    expect(b.meterStopWh - b.meterStartWh).toBe(10);
  });
});

describe('energy no charger could deliver', () => {
  const stopAfter = (ms: number, meterStopWh: number) => ({
    stoppedAt: new Date(received + ms),
    stopReceivedAt: new Date(received + ms),
    meterStopWh,
  });
  it.each([
    ['4 MWh in a moment (the hour of slack)', 0, 4_000_000, true],
    ['4 MWh and 1 Wh in a moment', 0, 4_000_001, false],
    ['8 MWh over an hour', 3_600_000, 8_000_000, true],
    ['2^40 Wh over a day', 86_400_000, 2 ** 40, false],
  ])('believes %s: %p', (_, ms, energyWh, believed) => {
    const b = billable(report(received, 0), stopAfter(ms, energyWh), policy);
    expect(b.energyTrusted).toBe(believed);
    expect(b.meterStopWh).toBe(believed ? energyWh : 0);
    expect(b.atStop.map((f) => f.kind)).toEqual(believed ? [] : ['implausible_energy']);
  });
});
