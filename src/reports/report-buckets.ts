/**
 * Pure rules of the reports: time zones, ranges, histogram bins, ratios and CSV. No Nest imports.
 *
 * Attribution rule: a session belongs to the bucket (hour, weekday, day, week, month) of the
 * moment it began — `startedAt`, or `requestedAt` for a failed session that never started —
 * read in the report's time zone. A session crossing midnight therefore counts entirely on the
 * day it started, including its charging time.
 */

export const GROUP_BYS = ['day', 'week', 'month', 'site', 'station', 'connector', 'user'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
export type TimeUnit = 'day' | 'week' | 'month';

export const isTimeGrouping = (g: GroupBy): g is TimeUnit => g === 'day' || g === 'week' || g === 'month';

/** The longest range one report may cover: about three years. */
export const MAX_RANGE_DAYS = 1100;

/** Upper bounds (exclusive) of the duration bins, in minutes; the last bin is open-ended. */
export const DURATION_BIN_MINUTES = [15, 30, 60, 120, 240] as const;
/** Upper bounds (exclusive) of the energy bins, in kWh; the last bin is open-ended. */
export const ENERGY_BIN_KWH = [5, 10, 20, 40] as const;

/** The problems with a requested range, empty when it is usable. */
export function rangeProblems(from: Date, to: Date): string[] {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return ['from and to must be ISO dates'];
  if (from.getTime() >= to.getTime()) return ['from must be before to'];
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000)
    return [`the range may cover at most ${MAX_RANGE_DAYS} days`];
  return [];
}

/** Labels of half-open bins given their upper bounds: `0-15`, `15-30`, …, `240+`. */
export function binLabels(bounds: readonly number[]): string[] {
  const lows = [0, ...bounds];
  return lows.map((low, i) => (i < bounds.length ? `${low}-${bounds[i]}` : `${low}+`));
}

/** Fills a dense histogram from sparse SQL rows (bin index → count), zeros elsewhere. */
export function denseCounts(
  size: number,
  rows: ReadonlyArray<{ bin: number; count: number }>,
  offset = 0,
): number[] {
  const counts = new Array<number>(size).fill(0);
  for (const r of rows) {
    const i = r.bin - offset;
    if (i >= 0 && i < size) counts[i] += r.count;
  }
  return counts;
}

/** A share rounded to 4 decimals; null when there is nothing to divide by. */
export function ratio(part: number, whole: number): number | null {
  if (!(whole > 0)) return null;
  return Math.round((part / whole) * 10_000) / 10_000;
}

/** An average rounded to a whole unit; null for no samples. */
export function average(sum: number, n: number): number | null {
  return n > 0 ? Math.round(sum / n) : null;
}

/** Label of a time bucket from its local start date (YYYY-MM-DD): ISO week `2026-W13`, month `2026-03`. */
export function bucketLabel(unit: TimeUnit, localDate: string): string {
  if (unit === 'day') return localDate;
  if (unit === 'month') return localDate.slice(0, 7);
  const [y, m, d] = localDate.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  // ISO 8601: the week belongs to the year of its Thursday.
  const thursday = new Date(date.getTime() + (3 - ((date.getUTCDay() + 6) % 7)) * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / (7 * 86_400_000)) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
