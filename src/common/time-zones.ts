import { IANAZone } from 'luxon';

/**
 * IANA time zones through Luxon (whose zones read the runtime's tz database): whether a name is
 * one, its UTC offset at an instant, the local wall clock, and where the offset changes.
 * A "wall" value is the local date and time packed into epoch milliseconds as if it were UTC, so
 * `Math.floor(wall / DAY_MS)` is the local day number and the remainder is the time of day.
 */

export const DAY_MS = 86_400_000;

export function isValidTimeZone(name: string): boolean {
  return name.length > 0 && name.length <= 64 && IANAZone.isValidZone(name);
}

/** The zone's offset from UTC at `atMs`, in milliseconds (whole seconds for historical zones). */
export function offsetMs(timeZone: string, atMs: number): number {
  return Math.round(IANAZone.create(timeZone).offset(atMs) * 60) * 1000;
}

export function wallClockMs(timeZone: string, atMs: number): number {
  return atMs + offsetMs(timeZone, atMs);
}

export interface OffsetSpan {
  fromMs: number; // the span runs from here to the next span's fromMs (or the end of the interval)
  offsetMs: number;
}

/**
 * The zone's offsets over [fromMs, toMs]: one span per offset in force, the first from fromMs, the
 * next from each instant the offset changes (DST starts and ends, whole seconds). Luxon answers
 * offsets, not transitions: probing once a day, then bisecting to the second, assumes no offset
 * changes twice within one day and comes back (true of every real zone). The work is one offset
 * lookup per day of the interval plus about 17 per change, so callers bound the interval.
 */
export function offsetSpans(timeZone: string, fromMs: number, toMs: number): OffsetSpan[] {
  const spans = [{ fromMs, offsetMs: offsetMs(timeZone, fromMs) }];
  for (let lo = fromMs; lo < toMs;) {
    const before = spans[spans.length - 1].offsetMs;
    const hi = Math.min(lo + DAY_MS, toMs);
    if (offsetMs(timeZone, hi) === before) {
      lo = hi;
      continue;
    }
    let a = Math.floor(lo / 1000);
    let b = Math.ceil(hi / 1000);
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      if (offsetMs(timeZone, mid * 1000) === before) a = mid;
      else b = mid;
    }
    lo = b * 1000;
    spans.push({ fromMs: lo, offsetMs: offsetMs(timeZone, lo) });
  }
  return spans;
}
