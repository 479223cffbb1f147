// Pure session pricing: (tariff plan, session facts) → cost breakdown in integer minor units.
//
// Rounding (the only rule): every amount is computed exactly as a rational number of minor units
// with bigint arithmetic and rounded once, half up, by `roundMinor`. Energy lines round
// Wh × price-per-kWh / 1000, the time line seconds × price-per-hour / 3600, the tax line the tax
// on the already-rounded sum. Idle fees, the session fee and min/max adjustments are exact.
// Energy is priced on its exact share per price, not on whole-Wh quantities: re-rounding shares
// of Wh across three prices would let 2 Wh cost less than 1 Wh, and more energy must never cost less.
//
// Energy: meterStopWh − meterStartWh is billed (0 if negative). Samples only spread it over time:
// they are sorted (one reading per instant, the highest), each is clamped between the previous
// reading and the stop reading, and energy is interpolated linearly between readings. Samples
// outside (startedAt, stoppedAt) are ignored; readings are integer Wh.
//   The session is split wherever the local wall clock of plan.timeZone reaches a window start or
// end, a midnight or a DST change. A moment belongs to a window when its local time lies in
// [start, end) on one of `days` (or, for a window crossing midnight, its part after midnight on
// the following day); the first matching window in array order wins, otherwise the plan's energy
// price applies. Times the clock skips (spring forward) make a window shorter; times it repeats
// (fall back) count twice, making it longer. One energy line per distinct price, in order of first
// use; its amount is priced on the exact interpolated energy, and its quantity is that energy in
// whole Wh (rounded cumulatively with roundMinor, so the quantities add up to the metered energy).
//   Bounded work: each window's open time is counted per week in closed form (WeeklySchedule), so
// the cost is one time-zone probe per day of span, a few per DST change, and a walk of at most a
// week per meter sample; a session longer than MAX_PRICED_SPAN_MS (366 days) is refused.
//
// Time: whole seconds of startedAt..stoppedAt (a sub-second remainder is free). Idle: whole
// completed minutes from chargingEndedAt to (pluggedOutAt ?? stoppedAt), minus idleGraceMinutes.
// Lines: a component appears whenever the plan prices it (time, session fee, idle) or it received
// energy; adjustments only when applied; the tax line always (amount 0 at a 0 % rate).
//
// Min/max bring the sum of lines (pre-tax when prices exclude tax, gross when they include it) up
// to minSessionMinor or down to maxSessionMinor with an adjustment line. Tax excluded: tax =
// round(net × rate), total = net + tax. Tax included: total = gross, tax = round(gross × rate /
// (1 + rate)) is the tax contained, net = total − tax. Always netMinor + taxMinor = totalMinor.
import { isValidTimeZone, offsetSpans, wallClockMs } from '../common/time-zones';
import { WeeklySchedule, WeeklyWindow, findWeeklyWindow } from './local-time';

export interface TimeOfUseWindow {
  days: number[]; // ISO weekday 1=Mon..7=Sun of the day the window starts
  start: string; // 'HH:MM' local
  end: string; // 'HH:MM' local, '24:00' allowed; end <= start crosses midnight
  energyPerKwhMinor: number;
}
export interface TariffPlan {
  currency: string;
  energyPerKwhMinor: number;
  timePerHourMinor: number;
  sessionFeeMinor: number;
  idleFeePerMinuteMinor: number;
  idleGraceMinutes: number;
  timeOfUse: TimeOfUseWindow[];
  taxRatePercent: number; // e.g. 20 or 7.5, at most 4 decimals
  pricesIncludeTax: boolean;
  minSessionMinor: number | null;
  maxSessionMinor: number | null;
  timeZone: string; // IANA, e.g. 'Europe/Berlin'
}
export interface MeterSample {
  at: Date;
  energyWh: number; // cumulative register reading
}
export interface SessionFacts {
  startedAt: Date;
  stoppedAt: Date;
  meterStartWh: number;
  meterStopWh: number;
  samples?: MeterSample[];
  chargingEndedAt?: Date | null;
  pluggedOutAt?: Date | null;
}
export type CostLineKind =
  'energy' | 'time' | 'session_fee' | 'idle' | 'minimum_adjustment' | 'maximum_adjustment' | 'tax';
// unitPriceMinor is the plan's price as configured (per kWh, per hour, per minute, per session);
// on the tax line it is the base the rate applies to (net when excluded, gross when included).
export interface CostLine {
  kind: CostLineKind;
  description: string;
  quantity: number;
  unit: 'Wh' | 'second' | 'minute' | 'session' | 'percent';
  unitPriceMinor: number;
  amountMinor: number;
}
export interface CostBreakdown {
  currency: string;
  lines: CostLine[];
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export type TariffPricingErrorCode = 'INVALID_TARIFF' | 'INVALID_SESSION';
export class TariffPricingError extends Error {
  override readonly name = 'TariffPricingError';
  constructor(
    readonly code: TariffPricingErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

// The longest session this function prices. Its work grows with the number of local days the
// session spans (one time-zone probe a day, see offsetSpans) and with the meter samples, so a
// bounded span keeps every call bounded; settlement caps spans long before this
// (sessions/charger-clock-policy.ts).
export const MAX_PRICED_SPAN_MS = 366 * 86_400_000;

// An order's amounts are 32-bit integers where they are stored; a bill beyond that is refused
// (settlement records pricing_failed) rather than stored wrong or failing the charger's stop.
export const MAX_AMOUNT_MINOR = 2_147_483_647;

export function roundMinor(numerator: bigint, denominator: bigint): number {
  const twice = 2n * numerator + denominator; // floor(n/d + 1/2) = floor((2n + d) / 2d)
  const div = 2n * denominator;
  const q = twice / div;
  return Number(twice % div < 0n ? q - 1n : q);
}

interface Window extends WeeklyWindow {
  price: number;
  label: string;
}
interface Point {
  at: number;
  wh: number;
}

export function priceSession(plan: TariffPlan, facts: SessionFacts): CostBreakdown {
  const windows = validatePlan(plan);
  const startMs = instant(facts.startedAt, 'startedAt');
  const stopMs = instant(facts.stoppedAt, 'stoppedAt');
  if (stopMs < startMs) throw new TariffPricingError('INVALID_SESSION', 'stoppedAt', 'is before startedAt');
  if (stopMs - startMs > MAX_PRICED_SPAN_MS)
    throw new TariffPricingError('INVALID_SESSION', 'stoppedAt', 'is more than 366 days after startedAt');

  const lines = energyLines(plan, windows, meterCurve(facts, startMs, stopMs));
  const seconds = Math.floor((stopMs - startMs) / 1000);
  if (plan.timePerHourMinor > 0) {
    const amountMinor = roundMinor(BigInt(seconds) * BigInt(plan.timePerHourMinor), 3600n);
    lines.push(line('time', 'Charging time', seconds, 'second', plan.timePerHourMinor, amountMinor));
  }
  if (plan.sessionFeeMinor > 0) {
    lines.push(line('session_fee', 'Session fee', 1, 'session', plan.sessionFeeMinor, plan.sessionFeeMinor));
  }
  const idledMinutes = idleMinutes(facts, startMs, stopMs);
  if (plan.idleFeePerMinuteMinor > 0) {
    const minutes = Math.max(0, idledMinutes - plan.idleGraceMinutes);
    const text = `Idle fee after ${plan.idleGraceMinutes} min grace`;
    const price = plan.idleFeePerMinuteMinor;
    lines.push(line('idle', text, minutes, 'minute', price, minutes * price));
  }

  let sum = lines.reduce((acc, l) => acc + l.amountMinor, 0);
  if (plan.minSessionMinor !== null && sum < plan.minSessionMinor) {
    const diff = plan.minSessionMinor - sum;
    lines.push(line('minimum_adjustment', 'Minimum session price', 1, 'session', diff, diff));
    sum = plan.minSessionMinor;
  } else if (plan.maxSessionMinor !== null && sum > plan.maxSessionMinor) {
    const diff = plan.maxSessionMinor - sum;
    lines.push(line('maximum_adjustment', 'Maximum session price', 1, 'session', diff, diff));
    sum = plan.maxSessionMinor;
  }

  const rateE4 = BigInt(Math.round(plan.taxRatePercent * 10_000)); // percent × 10^4
  const taxMinor = plan.pricesIncludeTax
    ? roundMinor(BigInt(sum) * rateE4, 1_000_000n + rateE4)
    : roundMinor(BigInt(sum) * rateE4, 1_000_000n);
  const taxText = `Tax ${plan.taxRatePercent}%${plan.pricesIncludeTax ? ' (included)' : ''}`;
  lines.push(line('tax', taxText, plan.taxRatePercent, 'percent', sum, taxMinor));
  const totalMinor = plan.pricesIncludeTax ? sum : sum + taxMinor;
  if (
    ![totalMinor, taxMinor, ...lines.map((l) => l.amountMinor)].every((a) => Math.abs(a) <= MAX_AMOUNT_MINOR)
  )
    throw new TariffPricingError(
      'INVALID_SESSION',
      'totalMinor',
      `is beyond ${MAX_AMOUNT_MINOR}, the largest amount an order holds`,
    );
  return { currency: plan.currency, lines, netMinor: totalMinor - taxMinor, taxMinor, totalMinor };
}

function line(
  kind: CostLineKind,
  description: string,
  quantity: number,
  unit: CostLine['unit'],
  unitPriceMinor: number,
  amountMinor: number,
): CostLine {
  return { kind, description, quantity, unit, unitPriceMinor, amountMinor };
}

function idleMinutes(facts: SessionFacts, startMs: number, stopMs: number): number {
  if (facts.chargingEndedAt == null) return 0;
  const from = Math.max(startMs, instant(facts.chargingEndedAt, 'chargingEndedAt'));
  const to = facts.pluggedOutAt == null ? stopMs : instant(facts.pluggedOutAt, 'pluggedOutAt');
  return Math.max(0, Math.floor((to - from) / 60_000));
}

function meterCurve(facts: SessionFacts, startMs: number, stopMs: number): Point[] {
  const startWh = wattHours(facts.meterStartWh, 'meterStartWh');
  const stopWh = Math.max(startWh, wattHours(facts.meterStopWh, 'meterStopWh'));
  const byInstant = new Map<number, number>();
  for (const [i, s] of (facts.samples ?? []).entries()) {
    const at = instant(s.at, `samples[${i}].at`);
    const wh = wattHours(s.energyWh, `samples[${i}].energyWh`);
    if (at > startMs && at < stopMs) byInstant.set(at, Math.max(wh, byInstant.get(at) ?? wh));
  }
  const curve: Point[] = [{ at: startMs, wh: startWh }];
  for (const at of [...byInstant.keys()].sort((a, b) => a - b)) {
    curve.push({ at, wh: Math.min(stopWh, Math.max(curve[curve.length - 1].wh, byInstant.get(at)!)) });
  }
  curve.push({ at: stopMs, wh: stopWh });
  return curve;
}

// Exact energy per price as a fraction num/den Wh, keyed in order of first use.
function energyLines(plan: TariffPlan, windows: Window[], curve: Point[]): CostLine[] {
  const startMs = curve[0].at;
  const stopMs = curve[curve.length - 1].at;
  const buckets = new Map<number, { label: string; num: bigint; den: bigint }>();
  const add = (w: Window | undefined, num: bigint, den: bigint) => {
    const price = w?.price ?? plan.energyPerKwhMinor;
    const label = price === plan.energyPerKwhMinor || !w ? 'Energy' : w.label;
    const b = buckets.get(price) ?? { label, num: 0n, den: 1n };
    if (b.label !== label) b.label = 'Energy (time of use)';
    b.num = b.num * den + num * b.den;
    b.den *= den;
    const g = gcd(b.num, b.den);
    [b.num, b.den] = [b.num / g, b.den / g];
    buckets.set(price, b);
  };
  const windowAt = (atMs: number) => findWeeklyWindow(windows, wallClockMs(plan.timeZone, atMs));
  if (stopMs === startMs) add(windowAt(startMs), BigInt(curve[1].wh - curve[0].wh), 1n);

  // Between two meter points the energy flows evenly; within one offset span wall time runs with
  // the clock, so each window's share is its open time on the weekly schedule (closed form).
  const schedule = new WeeklySchedule(windows);
  const spans =
    windows.length === 0 ? [{ fromMs: startMs, offsetMs: 0 }] : offsetSpans(plan.timeZone, startMs, stopMs);
  for (let k = 0, j = 0; k + 1 < curve.length; k++) {
    const [p, q] = [curve[k], curve[k + 1]];
    const [wh, length] = [BigInt(q.wh - p.wh), BigInt(q.at - p.at)];
    for (let a = p.at; a < q.at;) {
      while (j + 1 < spans.length && spans[j + 1].fromMs <= a) j++;
      const b = j + 1 < spans.length ? Math.min(q.at, spans[j + 1].fromMs) : q.at;
      const offset = spans[j].offsetMs;
      for (const [w, ms] of schedule.openMs(a + offset, b + offset)) add(w, wh * BigInt(ms), length);
      a = b;
    }
  }

  const lines: CostLine[] = [];
  let cumulative = { num: 0n, den: 1n };
  let shownWh = 0;
  for (const [price, b] of buckets) {
    if (b.num === 0n) continue;
    cumulative = { num: cumulative.num * b.den + b.num * cumulative.den, den: cumulative.den * b.den };
    const upToHere = roundMinor(cumulative.num, cumulative.den);
    const amountMinor = roundMinor(b.num * BigInt(price), b.den * 1000n);
    lines.push(line('energy', b.label, upToHere - shownWh, 'Wh', price, amountMinor));
    shownWh = upToHere;
  }
  return lines;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

function validatePlan(plan: TariffPlan): Window[] {
  const bad = (field: string, message: string) => new TariffPricingError('INVALID_TARIFF', field, message);
  const price = (value: unknown, field: string) => {
    if (!Number.isSafeInteger(value) || (value as number) < 0) throw bad(field, 'must be an integer >= 0');
  };
  if (!/^[A-Z]{3}$/.test(plan.currency)) throw bad('currency', 'must be an ISO 4217 code');
  const amounts = [
    'energyPerKwhMinor',
    'timePerHourMinor',
    'sessionFeeMinor',
    'idleFeePerMinuteMinor',
  ] as const;
  for (const key of [...amounts, 'idleGraceMinutes', 'minSessionMinor', 'maxSessionMinor'] as const) {
    if (plan[key] !== null) price(plan[key], key);
  }
  if ((plan.minSessionMinor ?? 0) > (plan.maxSessionMinor ?? Infinity)) {
    throw bad('minSessionMinor', 'is above maxSessionMinor');
  }
  const rate = plan.taxRatePercent;
  if (
    !Number.isFinite(rate) ||
    rate < 0 ||
    rate > 100 ||
    Math.abs(rate * 10_000 - Math.round(rate * 10_000)) > 1e-6
  ) {
    throw bad('taxRatePercent', 'must be 0..100 with at most 4 decimals');
  }
  if (typeof plan.timeZone !== 'string' || !isValidTimeZone(plan.timeZone)) {
    throw bad('timeZone', 'is not a known IANA time zone');
  }
  return plan.timeOfUse.map((w, i) => {
    const field = `timeOfUse[${i}]`;
    price(w.energyPerKwhMinor, `${field}.energyPerKwhMinor`);
    if (w.days.length === 0 || w.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
      throw bad(`${field}.days`, 'must list ISO weekdays 1..7');
    }
    const startMin = clockMinutes(w.start, `${field}.start`, 1439);
    const endMin = clockMinutes(w.end, `${field}.end`, 1440);
    return {
      days: new Set(w.days),
      startMin,
      endMin,
      price: w.energyPerKwhMinor,
      label: `Energy ${w.start}–${w.end}`,
    };
  });
}

function clockMinutes(text: string, field: string, max: number): number {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || Number(m[2]) > 59 || !(minutes <= max)) {
    throw new TariffPricingError(
      'INVALID_TARIFF',
      field,
      `'${text}' is not a time 'HH:MM' up to ${max === 1440 ? '24:00' : '23:59'}`,
    );
  }
  return minutes;
}

function instant(value: Date, field: string): number {
  const ms = value instanceof Date ? value.getTime() : NaN;
  if (Number.isNaN(ms)) throw new TariffPricingError('INVALID_SESSION', field, 'must be a valid date');
  return ms;
}

function wattHours(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new TariffPricingError('INVALID_SESSION', field, 'must be an integer Wh >= 0');
  return value;
}

/** Throws TariffPricingError('INVALID_TARIFF', field, …) when the plan cannot be priced. */
export function checkTariffPlan(plan: TariffPlan): void {
  validatePlan(plan);
}
