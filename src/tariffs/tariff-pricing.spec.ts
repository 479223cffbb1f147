import fc from 'fast-check';
import {
  CostBreakdown,
  CostLineKind,
  SessionFacts,
  TariffPlan,
  TariffPricingError,
  TimeOfUseWindow,
  checkTariffPlan,
  priceSession,
  roundMinor,
} from './tariff-pricing';

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
  timeZone: 'Europe/Berlin',
  ...over,
});
// May 2026 in Berlin is UTC+2; 2026-05-04 is a Monday, 2026-05-08 a Friday.
const at = (local: string, offset = '+02:00') =>
  new Date(`${local.replace(' ', 'T')}${local.length === 16 ? ':00' : ''}${offset}`);
const session = (from: string, to: string, wh: number, over: Partial<SessionFacts> = {}): SessionFacts => ({
  startedAt: at(from),
  stoppedAt: at(to),
  meterStartWh: 1_000_000,
  meterStopWh: 1_000_000 + wh,
  ...over,
});
const amountOf = (b: CostBreakdown, kind: CostLineKind) =>
  b.lines.filter((l) => l.kind === kind).reduce((sum, l) => sum + l.amountMinor, 0);
const energyByPrice = (b: CostBreakdown) =>
  Object.fromEntries(b.lines.filter((l) => l.kind === 'energy').map((l) => [l.unitPriceMinor, l.quantity]));
const window = (start: string, end: string, energyPerKwhMinor = 50, days = [1, 2, 3, 4, 5, 6, 7]) =>
  ({ days, start, end, energyPerKwhMinor }) satisfies TimeOfUseWindow;

describe('roundMinor', () => {
  it.each([
    [5n, 10n, 1],
    [4n, 10n, 0],
    [15n, 10n, 2],
    [25n, 10n, 3],
    [1n, 3n, 0],
    [2n, 3n, 1],
    [0n, 7n, 0],
    [-5n, 10n, 0],
    [-6n, 10n, -1],
  ])('rounds %p/%p half up to %p', (n, d, expected) => {
    expect(roundMinor(n, d)).toBe(expected);
  });
});

describe('priceSession', () => {
  it.each([
    [10_000, 30, 300],
    [1, 30, 0],
    [17, 30, 1], // 0.51
    [50, 10, 1], // 0.5 rounds up
    [149, 10, 1], // 1.49
    [150, 10, 2], // 1.5 rounds up
    [12_345, 37, 457], // 456.765
  ])('charges %i Wh at %i per kWh as %i', (wh, price, expected) => {
    const b = priceSession(
      plan({ energyPerKwhMinor: price }),
      session('2026-05-04 10:00', '2026-05-04 11:00', wh),
    );
    expect(b.lines[0]).toMatchObject({ kind: 'energy', quantity: wh, unit: 'Wh', unitPriceMinor: price });
    expect(b.totalMinor).toBe(expected);
  });

  it.each([
    ['no energy', 1_000_000, 1_000_000],
    ['a stop reading below the start reading', 1_000_000, 999_000],
  ])('bills nothing and shows no energy line for %s', (_, meterStartWh, meterStopWh) => {
    const b = priceSession(
      plan(),
      session('2026-05-04 10:00', '2026-05-04 11:00', 0, { meterStartWh, meterStopWh }),
    );
    expect(b.lines.map((l) => l.kind)).toEqual(['tax']);
    expect(b.totalMinor).toBe(0);
  });

  it.each([
    ['one hour', '2026-05-04 10:00', '2026-05-04 11:00', 3600, 120],
    ['90 seconds', '2026-05-04 10:00', '2026-05-04 10:01:30', 90, 3],
    ['15 seconds (0.5 rounds up)', '2026-05-04 10:00', '2026-05-04 10:00:15', 15, 1],
    ['14 seconds', '2026-05-04 10:00', '2026-05-04 10:00:14', 14, 0],
    ['no time', '2026-05-04 10:00', '2026-05-04 10:00', 0, 0],
  ])('charges time per second: %s', (_, from, to, seconds, expected) => {
    const b = priceSession(plan({ timePerHourMinor: 120 }), session(from, to, 0));
    expect(b.lines[0]).toMatchObject({
      kind: 'time',
      quantity: seconds,
      unit: 'second',
      amountMinor: expected,
    });
  });

  it('drops a sub-second remainder of the duration', () => {
    const facts = {
      ...session('2026-05-04 10:00', '2026-05-04 10:00', 0),
      stoppedAt: new Date(at('2026-05-04 10:00').getTime() + 1999),
    };
    expect(priceSession(plan({ timePerHourMinor: 3600 }), facts).lines[0]).toMatchObject({
      quantity: 1,
      amountMinor: 1,
    });
  });

  it.each([
    ['with energy and time', 5_000, '2026-05-04 11:00', 99 + 150],
    ['with zero energy and zero duration', 0, '2026-05-04 10:00', 99],
  ])('adds the session fee once %s', (_, wh, to, expected) => {
    const b = priceSession(plan({ sessionFeeMinor: 99 }), session('2026-05-04 10:00', to, wh));
    expect(b.lines.filter((l) => l.kind === 'session_fee')).toHaveLength(1);
    expect(b.totalMinor).toBe(expected);
  });

  it.each([
    ['idle beyond grace', '2026-05-04 11:00', null, 45, 450],
    ['idle exactly the grace', '2026-05-04 11:45', null, 0, 0],
    ['15 min 59 s idle (within grace)', '2026-05-04 11:44:01', null, 0, 0],
    ['16 min 59 s idle (one completed minute)', '2026-05-04 11:43:01', null, 1, 10],
    ['plug-out after the stop', '2026-05-04 11:45', '2026-05-04 12:15', 15, 150],
    ['plug-out before charging ended', '2026-05-04 11:00', '2026-05-04 10:30', 0, 0],
  ])('charges idle minutes after a 15 min grace: %s', (_, endedAt, pluggedOut, minutes, expected) => {
    const p = plan({ energyPerKwhMinor: 0, idleFeePerMinuteMinor: 10, idleGraceMinutes: 15 });
    const facts = session('2026-05-04 10:00', '2026-05-04 12:00', 0, {
      chargingEndedAt: at(endedAt),
      pluggedOutAt: pluggedOut ? at(pluggedOut) : null,
    });
    expect(priceSession(p, facts).lines[0]).toMatchObject({
      kind: 'idle',
      quantity: minutes,
      amountMinor: expected,
    });
  });

  it('charges no idle minutes when charging never ended', () => {
    const p = plan({ idleFeePerMinuteMinor: 10 });
    expect(amountOf(priceSession(p, session('2026-05-04 10:00', '2026-05-04 12:00', 0)), 'idle')).toBe(0);
  });

  describe('time of use (18:00–20:00 at 50, otherwise 30)', () => {
    const p = plan({ timeOfUse: [window('18:00', '20:00')] });
    it.each([
      ['ending exactly at the window start', '2026-05-04 17:00', '2026-05-04 18:00', 1000, { 30: 1000 }],
      ['starting exactly at the window start', '2026-05-04 18:00', '2026-05-04 19:00', 1000, { 50: 1000 }],
      ['across the window start', '2026-05-04 17:00', '2026-05-04 19:00', 2000, { 30: 1000, 50: 1000 }],
      ['across the window end', '2026-05-04 19:30', '2026-05-04 20:30', 1000, { 50: 500, 30: 500 }],
      ['starting exactly at the window end', '2026-05-04 20:00', '2026-05-04 21:00', 1000, { 30: 1000 }],
      ['spanning the whole window', '2026-05-04 17:00', '2026-05-04 21:00', 4000, { 30: 2000, 50: 2000 }],
    ])('splits energy %s', (_, from, to, wh, expected) => {
      expect(energyByPrice(priceSession(p, session(from, to, wh)))).toEqual(expected);
    });

    it.each([
      ['before the boundary', 1000, { 30: 1000 }],
      ['after the boundary', 0, { 50: 1000 }],
      ['most before the boundary', 800, { 30: 800, 50: 200 }],
      ['spiking above the stop reading, clamped to it', 5000, { 30: 1000 }],
      ['dipping below the start reading, clamped to it', -500, { 50: 1000 }],
    ])('follows meter samples: energy %s', (_, whAtBoundary, expected) => {
      const samples = [{ at: at('2026-05-04 18:00'), energyWh: 1_000_000 + whAtBoundary }];
      expect(
        energyByPrice(priceSession(p, session('2026-05-04 17:00', '2026-05-04 19:00', 1000, { samples }))),
      ).toEqual(expected);
    });

    it('prices the exact interpolated energy and shows whole Wh that add up', () => {
      const b = priceSession(p, session('2026-05-04 17:00', '2026-05-04 20:00', 1001));
      expect(energyByPrice(b)).toEqual({ 30: 334, 50: 667 }); // 333.67 and 667.33 shown cumulatively
      expect(b.totalMinor).toBe(10 + 33); // 10.01 and 33.37
    });

    it('prices exact energy, so one more Wh spread over three prices never lowers the total', () => {
      const three = plan({
        energyPerKwhMinor: 0,
        timeOfUse: [window('18:00', '18:40', 500), window('18:40', '20:00', 1)],
      });
      const totals = [1, 2, 10, 11, 19, 20].map(
        (wh) => priceSession(three, session('2026-05-04 17:00', '2026-05-04 20:00', wh)).totalMinor,
      );
      expect(totals).toEqual([0, 0, 1, 1, 2, 2]); // whole-Wh pricing would give 1, 0, 2, 1, 3, 2
    });

    it('lets the first of overlapping windows win', () => {
      const overlapping = plan({ timeOfUse: [window('18:00', '20:00', 50), window('19:00', '21:00', 70)] });
      expect(
        energyByPrice(priceSession(overlapping, session('2026-05-04 18:00', '2026-05-04 21:00', 3000))),
      ).toEqual({ 50: 2000, 70: 1000 });
    });

    it('merges windows with the same price into one line', () => {
      const twoCheap = plan({ timeOfUse: [window('00:00', '06:00', 20), window('12:00', '13:00', 20)] });
      const b = priceSession(twoCheap, session('2026-05-04 05:00', '2026-05-04 13:00', 8000));
      expect(energyByPrice(b)).toEqual({ 20: 2000, 30: 6000 });
    });
  });

  it.each([
    [
      'through the night',
      window('22:00', '06:00', 20),
      '2026-05-04 21:00',
      '2026-05-05 07:00',
      { 30: 2000, 20: 8000 },
    ],
    ['around midnight', window('22:00', '06:00', 20), '2026-05-04 23:00', '2026-05-05 01:00', { 20: 2000 }],
    [
      'ending at 24:00',
      window('22:00', '24:00', 20),
      '2026-05-04 23:00',
      '2026-05-05 01:00',
      { 20: 1000, 30: 1000 },
    ],
    [
      'all day (00:00–00:00)',
      window('00:00', '00:00', 20),
      '2026-05-04 23:00',
      '2026-05-05 01:00',
      { 20: 2000 },
    ],
  ])('applies a window crossing midnight: %s', (_, w, from, to, expected) => {
    const wh = (at(to).getTime() - at(from).getTime()) / 3600; // 1000 Wh per hour
    expect(energyByPrice(priceSession(plan({ timeOfUse: [w] }), session(from, to, wh)))).toEqual(expected);
  });

  describe('weekday selection (Friday 22:00–06:00 at 20)', () => {
    const p = plan({ timeOfUse: [window('22:00', '06:00', 20, [5])] });
    it.each([
      [
        'Saturday 01:00–03:00, the window started Friday',
        '2026-05-09 01:00',
        '2026-05-09 03:00',
        { 20: 2000 },
      ],
      ['Friday 21:00 – Saturday 07:00', '2026-05-08 21:00', '2026-05-09 07:00', { 30: 2000, 20: 8000 }],
      ['Saturday 22:00–23:00', '2026-05-09 22:00', '2026-05-09 23:00', { 30: 1000 }],
      ['Friday 01:00–03:00, after a Thursday night', '2026-05-08 01:00', '2026-05-08 03:00', { 30: 2000 }],
      [
        'Sunday 02:00–03:00 in Berlin, still Saturday in UTC',
        '2026-05-10 00:30',
        '2026-05-10 01:30',
        { 30: 1000 },
      ],
    ])('%s', (_, from, to, expected) => {
      const wh = (at(to).getTime() - at(from).getTime()) / 3600;
      expect(energyByPrice(priceSession(p, session(from, to, wh)))).toEqual(expected);
    });
  });

  // Europe/Berlin: 2026-03-29 02:00 CET jumps to 03:00 CEST; 2026-10-25 03:00 CEST falls back to 02:00 CET.
  it.each([
    [
      'spring forward: 01:00–03:00 lasts one hour',
      '01:00',
      '03:00',
      '2026-03-28T23:00:00Z',
      '2026-03-29T02:00:00Z',
      1000,
    ],
    [
      'spring forward: 02:00–02:30 never happens',
      '02:00',
      '02:30',
      '2026-03-28T23:00:00Z',
      '2026-03-29T02:00:00Z',
      0,
    ],
    [
      'spring forward: 01:30–02:30 ends at the jump',
      '01:30',
      '02:30',
      '2026-03-28T23:00:00Z',
      '2026-03-29T02:00:00Z',
      500,
    ],
    [
      'fall back: 01:00–03:00 lasts three hours',
      '01:00',
      '03:00',
      '2026-10-24T22:00:00Z',
      '2026-10-25T03:00:00Z',
      3000,
    ],
    [
      'fall back: 02:00–02:30 happens twice',
      '02:00',
      '02:30',
      '2026-10-24T22:00:00Z',
      '2026-10-25T03:00:00Z',
      1000,
    ],
    [
      'fall back: 02:30–04:00 skips the repeated 02:00–02:30',
      '02:30',
      '04:00',
      '2026-10-24T22:00:00Z',
      '2026-10-25T03:00:00Z',
      2000,
    ],
  ])('handles daylight saving in Europe/Berlin, %s', (_, start, end, from, to, windowWh) => {
    const [startedAt, stoppedAt] = [new Date(from), new Date(to)];
    const wh = (stoppedAt.getTime() - startedAt.getTime()) / 3600;
    const p = plan({ timeOfUse: [window(start, end, 20)], timePerHourMinor: 60 });
    const b = priceSession(p, { startedAt, stoppedAt, meterStartWh: 0, meterStopWh: wh });
    expect(energyByPrice(b)[20] ?? 0).toBe(windowWh);
    expect(b.lines.find((l) => l.kind === 'time')?.quantity).toBe(wh * 3.6); // elapsed seconds, not wall clock
  });

  it.each([
    ['lifts a cheap session to the minimum', { minSessionMinor: 200 }, 100, 'minimum_adjustment', 100, 200],
    ['leaves a session above the minimum', { minSessionMinor: 200 }, 300, null, 0, 300],
    [
      'cuts an expensive session to the maximum',
      { maxSessionMinor: 500 },
      800,
      'maximum_adjustment',
      -300,
      500,
    ],
    ['leaves a session exactly at the maximum', { maxSessionMinor: 500 }, 500, null, 0, 500],
    [
      'applies the minimum before tax is added',
      { minSessionMinor: 200, taxRatePercent: 20 },
      100,
      'minimum_adjustment',
      100,
      240,
    ],
    [
      'applies the maximum to the gross when tax is included',
      { maxSessionMinor: 500, taxRatePercent: 20, pricesIncludeTax: true },
      800,
      'maximum_adjustment',
      -300,
      500,
    ],
  ])('%s', (_, over: Partial<TariffPlan>, netMinor, kind, adjustment, total) => {
    const b = priceSession(
      plan({ energyPerKwhMinor: 100, ...over }),
      session('2026-05-04 10:00', '2026-05-04 11:00', netMinor * 10),
    );
    const adjustments = b.lines.filter((l) => l.kind.endsWith('_adjustment'));
    expect(adjustments.map((l) => [l.kind, l.amountMinor])).toEqual(kind ? [[kind, adjustment]] : []);
    expect(b.totalMinor).toBe(total);
  });

  it('charges a zero session the session fee, then lifts it to the minimum', () => {
    const b = priceSession(
      plan({ sessionFeeMinor: 50, minSessionMinor: 200 }),
      session('2026-05-04 10:00', '2026-05-04 10:00', 0),
    );
    expect(b.lines.map((l) => [l.kind, l.amountMinor])).toEqual([
      ['session_fee', 50],
      ['minimum_adjustment', 150],
      ['tax', 0],
    ]);
    expect(b.totalMinor).toBe(200);
  });

  it.each([
    ['excluded 20 %', 20, false, 300, 300, 60, 360],
    ['included 20 %', 20, true, 300, 250, 50, 300],
    ['excluded 7.5 % (24.975)', 7.5, false, 333, 333, 25, 358],
    ['included 7.5 % (23.23)', 7.5, true, 333, 310, 23, 333],
    ['excluded 19 %, 47.5 rounds up', 19, false, 250, 250, 48, 298],
    ['excluded 19 %, 9.5 rounds up', 19, false, 50, 50, 10, 60],
    ['included 20 %, 1.5 rounds up', 20, true, 9, 7, 2, 9],
    ['included 20 %, 1.33 rounds down', 20, true, 8, 7, 1, 8],
    ['excluded 0 %', 0, false, 300, 300, 0, 300],
  ])('computes tax %s', (_, taxRatePercent, pricesIncludeTax, linesMinor, net, tax, total) => {
    const p = plan({ energyPerKwhMinor: 100, taxRatePercent, pricesIncludeTax });
    const b = priceSession(p, session('2026-05-04 10:00', '2026-05-04 11:00', linesMinor * 10));
    expect([b.netMinor, b.taxMinor, b.totalMinor]).toEqual([net, tax, total]);
    expect(b.lines.at(-1)).toMatchObject({
      kind: 'tax',
      quantity: taxRatePercent,
      unit: 'percent',
      amountMinor: tax,
    });
  });

  it('reports the currency of the plan', () => {
    expect(
      priceSession(plan({ currency: 'CHF' }), session('2026-05-04 10:00', '2026-05-04 11:00', 1)).currency,
    ).toBe('CHF');
  });

  it.each([
    ['a negative energy price', plan({ energyPerKwhMinor: -1 }), {}, 'energyPerKwhMinor'],
    ['a fractional session fee', plan({ sessionFeeMinor: 1.5 }), {}, 'sessionFeeMinor'],
    ['a NaN time price', plan({ timePerHourMinor: NaN }), {}, 'timePerHourMinor'],
    [
      'a negative window price',
      plan({ timeOfUse: [window('18:00', '20:00', -5)] }),
      {},
      'timeOfUse[0].energyPerKwhMinor',
    ],
    ['an unknown time zone', plan({ timeZone: 'Europe/Atlantis' }), {}, 'timeZone'],
    ['a malformed window start', plan({ timeOfUse: [window('8:00', '20:00')] }), {}, 'timeOfUse[0].start'],
    ['a window start of 24:00', plan({ timeOfUse: [window('24:00', '06:00')] }), {}, 'timeOfUse[0].start'],
    ['a window end of 24:30', plan({ timeOfUse: [window('18:00', '24:30')] }), {}, 'timeOfUse[0].end'],
    ['minutes past 59', plan({ timeOfUse: [window('18:60', '20:00')] }), {}, 'timeOfUse[0].start'],
    ['a weekday 0', plan({ timeOfUse: [window('18:00', '20:00', 50, [0])] }), {}, 'timeOfUse[0].days'],
    ['a tax rate above 100', plan({ taxRatePercent: 120 }), {}, 'taxRatePercent'],
    ['a tax rate with 5 decimals', plan({ taxRatePercent: 7.12345 }), {}, 'taxRatePercent'],
    [
      'a minimum above the maximum',
      plan({ minSessionMinor: 500, maxSessionMinor: 100 }),
      {},
      'minSessionMinor',
    ],
    ['a lowercase currency', plan({ currency: 'eur' }), {}, 'currency'],
    ['a stop before the start', plan(), { stoppedAt: at('2026-05-04 09:00') }, 'stoppedAt'],
    ['an invalid start date', plan(), { startedAt: new Date('nope') }, 'startedAt'],
    ['a fractional meter reading', plan(), { meterStopWh: 1_000_000.5 }, 'meterStopWh'],
    [
      'a NaN sample',
      plan(),
      { samples: [{ at: at('2026-05-04 10:30'), energyWh: NaN }] },
      'samples[0].energyWh',
    ],
    ['an invalid charging end', plan(), { chargingEndedAt: new Date(NaN) }, 'chargingEndedAt'],
  ])('refuses %s', (_, p, over: Partial<SessionFacts>, field) => {
    const price = () => priceSession(p, session('2026-05-04 10:00', '2026-05-04 11:00', 1000, over));
    expect(price).toThrow(TariffPricingError);
    const code = Object.keys(over).length > 0 ? 'INVALID_SESSION' : 'INVALID_TARIFF';
    expect(price).toThrow(expect.objectContaining({ field, code }));
  });
});

describe('priceSession work', () => {
  const touPlan = plan({
    timePerHourMinor: 60,
    timeOfUse: [window('22:00', '06:00', 20), window('17:00', '20:00', 50, [1, 2, 3, 4, 5])],
  });
  const from = Date.parse('2026-01-01T10:00:00Z');
  const timeZoneProbes = (work: () => unknown) => {
    const probes = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    try {
      work();
      return probes.mock.calls.length;
    } finally {
      probes.mockRestore();
    }
  };
  const span = (ms: number): SessionFacts => ({
    startedAt: new Date(from),
    stoppedAt: new Date(from + ms),
    meterStartWh: 0,
    meterStopWh: 50_000,
  });

  it.each([
    ['a day', 86_400_000, 5],
    ['a week', 7 * 86_400_000, 11],
    ['365 days', 365 * 86_400_000, 366 + 2 * 20],
  ])('prices %s of time of use with about one time-zone probe per day', (_, ms, bound) => {
    let b: CostBreakdown | undefined;
    expect(timeZoneProbes(() => (b = priceSession(touPlan, span(ms))))).toBeLessThanOrEqual(bound);
    expect(b!.lines.filter((l) => l.kind === 'energy').reduce((s, l) => s + l.quantity, 0)).toBe(50_000);
    expect(b!.lines.find((l) => l.kind === 'time')?.quantity).toBe(ms / 1000);
  });

  it('refuses a span of 8000 years at once instead of pricing it', () => {
    const eightThousandYears = span(Date.parse('9999-12-31T23:59:59Z') - from);
    expect(
      timeZoneProbes(() =>
        expect(() => priceSession(touPlan, eightThousandYears)).toThrow(
          expect.objectContaining({ code: 'INVALID_SESSION', field: 'stoppedAt' }),
        ),
      ),
    ).toBe(0);
  });
});

describe('priceSession amounts', () => {
  it.each([
    ['an energy line', plan({ energyPerKwhMinor: 2_000_000_000 }), 2_000],
    ['the total with tax', plan({ energyPerKwhMinor: 2_000_000_000, taxRatePercent: 19 }), 1_000],
  ])('refuses a bill whose %s is beyond what an order holds, instead of storing it wrong', (_, p, wh) => {
    expect(() => priceSession(p, session('2026-05-04 10:00', '2026-05-04 11:00', wh))).toThrow(
      expect.objectContaining({ code: 'INVALID_SESSION', field: 'totalMinor' }),
    );
  });

  it('prices a bill of exactly the largest amount', () => {
    const b = priceSession(
      plan({ energyPerKwhMinor: 2_147_483_647 }),
      session('2026-05-04 10:00', '2026-05-04 11:00', 1_000),
    );
    expect(b.totalMinor).toBe(2_147_483_647);
  });
});

describe('priceSession properties', () => {
  const hhmm = fc.constantFrom(
    '00:00',
    '01:30',
    '02:00',
    '02:30',
    '03:00',
    '06:00',
    '12:15',
    '18:00',
    '22:00',
    '23:59',
  );
  const arbPlan: fc.Arbitrary<TariffPlan> = fc
    .record({
      energyPerKwhMinor: fc.nat(500),
      timePerHourMinor: fc.nat(300),
      sessionFeeMinor: fc.nat(200),
      idleFeePerMinuteMinor: fc.nat(50),
      idleGraceMinutes: fc.nat(60),
      timeOfUse: fc.array(
        fc.record({
          days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
          start: hhmm,
          end: fc.oneof(hhmm, fc.constant('24:00')),
          energyPerKwhMinor: fc.nat(500),
        }),
        { maxLength: 3 },
      ),
      taxRatePercent: fc.constantFrom(0, 7.5, 19, 20, 8.875),
      pricesIncludeTax: fc.boolean(),
      limits: fc.tuple(fc.option(fc.nat(2000)), fc.option(fc.nat(2000))),
      timeZone: fc.constantFrom(
        'Europe/Berlin',
        'America/New_York',
        'UTC',
        'Asia/Kolkata',
        'Australia/Lord_Howe',
      ),
    })
    .map(({ limits: [a, b], ...rest }) => ({
      ...rest,
      currency: 'EUR',
      minSessionMinor: a !== null && b !== null ? Math.min(a, b) : a,
      maxSessionMinor: a !== null && b !== null ? Math.max(a, b) : b,
    }));
  const arbFacts: fc.Arbitrary<SessionFacts> = fc
    .record({
      startMs: fc.integer({
        min: Date.parse('2026-03-27T00:00:00Z'),
        max: Date.parse('2026-11-03T00:00:00Z'),
      }),
      durationMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 * 86_400_000 })),
      meterStartWh: fc.nat(1_000_000),
      energyWh: fc.integer({ min: -100, max: 150_000 }),
      samples: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(1_200_000)), {
        maxLength: 6,
      }),
      idle: fc.option(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(3 * 3_600_000))),
    })
    .map(({ startMs, durationMs, meterStartWh, energyWh, samples, idle }) => ({
      startedAt: new Date(startMs),
      stoppedAt: new Date(startMs + durationMs),
      meterStartWh,
      meterStopWh: Math.max(0, meterStartWh + energyWh),
      samples: samples.map(([f, wh]) => ({
        at: new Date(startMs + Math.round(f * durationMs)),
        energyWh: wh,
      })),
      chargingEndedAt: idle ? new Date(startMs + Math.round(idle[0] * durationMs)) : null,
      pluggedOutAt: idle ? new Date(startMs + durationMs + idle[1]) : null,
    }));

  it('never charges less for more energy (a higher stop reading, same samples)', () => {
    fc.assert(
      fc.property(arbPlan, arbFacts, fc.integer({ min: 1, max: 50_000 }), (p, f, extraWh) => {
        const more = priceSession(p, { ...f, meterStopWh: f.meterStopWh + extraWh });
        expect(more.totalMinor).toBeGreaterThanOrEqual(priceSession(p, f).totalMinor);
      }),
    );
  });

  it('always yields integer amounts and a total >= 0', () => {
    fc.assert(
      fc.property(arbPlan, arbFacts, (p, f) => {
        const b = priceSession(p, f);
        const numbers = [
          b.netMinor,
          b.taxMinor,
          b.totalMinor,
          ...b.lines.flatMap((l) => [l.amountMinor, l.quantity]),
        ];
        expect(numbers.every((n) => Number.isFinite(n))).toBe(true);
        expect(
          [b.netMinor, b.taxMinor, b.totalMinor, ...b.lines.map((l) => l.amountMinor)].every(
            Number.isSafeInteger,
          ),
        ).toBe(true);
        expect(b.totalMinor).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('adds up: lines (+ tax when excluded) = total = net + tax, energy lines = metered Wh', () => {
    fc.assert(
      fc.property(arbPlan, arbFacts, (p, f) => {
        const b = priceSession(p, f);
        const priced = b.lines.filter((l) => l.kind !== 'tax').reduce((s, l) => s + l.amountMinor, 0);
        expect(priced + (p.pricesIncludeTax ? 0 : b.taxMinor)).toBe(b.totalMinor);
        expect(b.netMinor + b.taxMinor).toBe(b.totalMinor);
        const energyWh = b.lines.filter((l) => l.kind === 'energy').reduce((s, l) => s + l.quantity, 0);
        expect(energyWh).toBe(Math.max(0, f.meterStopWh - f.meterStartWh));
      }),
    );
  });

  it('does not depend on the order of meter samples', () => {
    fc.assert(
      fc.property(arbPlan, arbFacts, fc.context(), (p, f, ctx) => {
        const reversed = [...(f.samples ?? [])].reverse();
        ctx.log(`${reversed.length} samples`);
        expect(priceSession(p, { ...f, samples: reversed })).toEqual(priceSession(p, f));
      }),
    );
  });
});

describe('checkTariffPlan', () => {
  it('accepts a plan the pricing function can price', () => {
    expect(() =>
      checkTariffPlan(
        plan({ timeOfUse: [{ days: [1], start: '22:00', end: '06:00', energyPerKwhMinor: 20 }] }),
      ),
    ).not.toThrow();
  });

  it.each([
    [{ currency: 'eur' }, 'currency'],
    [{ minSessionMinor: 10, maxSessionMinor: 5 }, 'minSessionMinor'],
    [{ timeZone: 'Nowhere/Land' }, 'timeZone'],
    [
      { timeOfUse: [{ days: [1], start: '24:00', end: '06:00', energyPerKwhMinor: 20 }] },
      'timeOfUse[0].start',
    ],
  ] as [Partial<TariffPlan>, string][])('names the field of a plan it cannot price: %j', (over, field) => {
    expect(() => checkTariffPlan(plan(over))).toThrow(
      expect.objectContaining({ code: 'INVALID_TARIFF', field }),
    );
  });
});
