import type { TariffPlan } from './tariff-pricing';
import { formatDays, formatMinor, summarizePlan } from './tariff-summary';

const plan = (overrides: Partial<TariffPlan> = {}): TariffPlan => ({
  currency: 'EUR',
  energyPerKwhMinor: 35,
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
  ...overrides,
});

describe('formatMinor', () => {
  it.each([
    [35, 'EUR', '0.35 EUR'],
    [1234, 'EUR', '12.34 EUR'],
    [5, 'EUR', '0.05 EUR'],
    [0, 'EUR', '0.00 EUR'],
    [-250, 'EUR', '-2.50 EUR'],
    [500, 'JPY', '500 JPY'],
    [1500, 'KWD', '1.500 KWD'],
  ])('writes %d %s as %s', (minor, currency, text) => {
    expect(formatMinor(minor, currency)).toBe(text);
  });
});

describe('formatDays', () => {
  it.each([
    [[1, 2, 3, 4, 5], 'Mon–Fri'],
    [[1, 2, 3, 4, 5, 6, 7], 'daily'],
    [[6, 7], 'Sat, Sun'],
    [[1, 3, 5], 'Mon, Wed, Fri'],
    [[5, 4, 3], 'Wed–Fri'],
  ])('writes %j as %s', (days, text) => {
    expect(formatDays(days)).toBe(text);
  });
});

describe('summarizePlan', () => {
  it('names only the energy price and the absence of tax for a plain plan', () => {
    expect(summarizePlan(plan())).toBe('0.35 EUR/kWh, no tax');
  });

  it('names every component of a full plan', () => {
    const text = summarizePlan(
      plan({
        timePerHourMinor: 200,
        sessionFeeMinor: 100,
        idleFeePerMinuteMinor: 10,
        idleGraceMinutes: 60,
        timeOfUse: [{ days: [1, 2, 3, 4, 5], start: '22:00', end: '06:00', energyPerKwhMinor: 25 }],
        taxRatePercent: 19,
        pricesIncludeTax: true,
        minSessionMinor: 200,
        maxSessionMinor: 5000,
      }),
    );
    expect(text).toBe(
      '0.35 EUR/kWh (0.25 EUR/kWh Mon–Fri 22:00–06:00, Europe/Berlin time), 2.00 EUR/h, 1.00 EUR per session, ' +
        'idle 0.10 EUR/min after 60 min once charging has ended, minimum 2.00 EUR, maximum 50.00 EUR, incl. 19% tax',
    );
  });

  it('says tax comes on top when prices exclude it', () => {
    expect(summarizePlan(plan({ taxRatePercent: 7.5 }))).toContain('plus 7.5% tax');
  });
});
