// A readable one-line summary of a price plan, e.g.
// "0.35 EUR/kWh (0.25 EUR/kWh Mon–Fri 22:00–06:00), 2.00 EUR/h, incl. 19% tax".
import type { TariffPlan, TimeOfUseWindow } from './tariff-pricing';

const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Digits after the decimal point of a currency (EUR 2, JPY 0, KWD 3). */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** Integer minor units as a decimal string without floating point: 1234 EUR → "12.34 EUR". */
export function formatMinor(amountMinor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const abs = String(Math.abs(amountMinor)).padStart(digits + 1, '0');
  const units = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  return `${sign}${units} ${currency}`;
}

export function formatDays(days: number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return 'daily';
  const contiguous = sorted.every((d, i) => i === 0 || d === sorted[i - 1] + 1);
  if (contiguous && sorted.length > 2)
    return `${DAY_NAMES[sorted[0] - 1]}–${DAY_NAMES[sorted[sorted.length - 1] - 1]}`;
  return sorted.map((d) => DAY_NAMES[d - 1]).join(', ');
}

const windowText = (w: TimeOfUseWindow, currency: string) =>
  `${formatMinor(w.energyPerKwhMinor, currency)}/kWh ${formatDays(w.days)} ${w.start}–${w.end}`;

export function summarizePlan(plan: TariffPlan): string {
  const c = plan.currency;
  const energy = `${formatMinor(plan.energyPerKwhMinor, c)}/kWh`;
  const parts = [
    plan.timeOfUse.length
      ? `${energy} (${plan.timeOfUse.map((w) => windowText(w, c)).join('; ')}, ${plan.timeZone} time)`
      : energy,
  ];
  if (plan.timePerHourMinor > 0) parts.push(`${formatMinor(plan.timePerHourMinor, c)}/h`);
  if (plan.sessionFeeMinor > 0) parts.push(`${formatMinor(plan.sessionFeeMinor, c)} per session`);
  if (plan.idleFeePerMinuteMinor > 0) {
    const grace = plan.idleGraceMinutes > 0 ? ` after ${plan.idleGraceMinutes} min` : '';
    parts.push(`idle ${formatMinor(plan.idleFeePerMinuteMinor, c)}/min${grace} once charging has ended`);
  }
  if (plan.minSessionMinor !== null) parts.push(`minimum ${formatMinor(plan.minSessionMinor, c)}`);
  if (plan.maxSessionMinor !== null) parts.push(`maximum ${formatMinor(plan.maxSessionMinor, c)}`);
  if (plan.taxRatePercent > 0) {
    parts.push(`${plan.pricesIncludeTax ? 'incl.' : 'plus'} ${plan.taxRatePercent}% tax`);
  } else {
    parts.push('no tax');
  }
  return parts.join(', ');
}
