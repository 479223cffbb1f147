// Wall-clock arithmetic for one IANA time zone and weekly local windows, built on Intl alone (the
// runtime's tz database).
// A "wall" value is the local date and time packed into epoch milliseconds as if it were UTC, so
// `Math.floor(wall / DAY_MS)` is the local day number and the remainder is the time of day.

export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function wallClockMs(timeZone: string, atMs: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(atMs)))
    fields[part.type] = Number(part.value);
  const wholeSeconds = Date.UTC(
    fields.year,
    fields.month - 1,
    fields.day,
    fields.hour % 24, // some ICU builds print midnight as 24
    fields.minute,
    fields.second,
  );
  return wholeSeconds + (((atMs % 1000) + 1000) % 1000);
}

export function offsetMs(timeZone: string, atMs: number): number {
  return wallClockMs(timeZone, atMs) - atMs;
}

// An instant whose wall clock reads `wall` is `wall - offset` for one of these offsets, as long as
// the zone changes its offset at most once within a day of that date (true of every real zone).
export function offsetsNearDay(timeZone: string, day: number): number[] {
  const probes = [day * DAY_MS - DAY_MS, day * DAY_MS + DAY_MS / 2, day * DAY_MS + 2 * DAY_MS];
  return [...new Set(probes.map((p) => offsetMs(timeZone, p)))];
}

// Instants in [fromMs, toMs] at which the zone's offset changes (DST starts and ends). Offsets
// only change on whole seconds; probing every 6 hours assumes no two changes that close together.
export function offsetTransitions(timeZone: string, fromMs: number, toMs: number): number[] {
  const step = DAY_MS / 4;
  const found: number[] = [];
  for (let lo = fromMs - step; lo < toMs; lo += step) {
    const hi = lo + step;
    if (offsetMs(timeZone, lo) === offsetMs(timeZone, hi)) continue;
    let a = Math.floor(lo / 1000);
    let b = Math.ceil(hi / 1000);
    const before = offsetMs(timeZone, a * 1000);
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      if (offsetMs(timeZone, mid * 1000) === before) a = mid;
      else b = mid;
    }
    if (b * 1000 >= fromMs && b * 1000 <= toMs) found.push(b * 1000);
  }
  return found;
}

export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1; // day 0 = 1970-01-01, a Thursday (4)
}

// A weekly window is open from startMin to endMin (minutes of the local day, endMin up to 1440) on
// its ISO weekdays; endMin <= startMin runs past midnight into the following day.
export interface WeeklyWindow {
  days: ReadonlySet<number>;
  startMin: number;
  endMin: number;
}

// The first window in array order that is open at this wall time, start inclusive, end exclusive.
export function findWeeklyWindow<W extends WeeklyWindow>(windows: readonly W[], wall: number): W | undefined {
  const day = Math.floor(wall / DAY_MS);
  const minute = (wall - day * DAY_MS) / 60_000;
  const [today, yesterday] = [isoWeekday(day), isoWeekday(day - 1)];
  return windows.find((w) =>
    w.endMin > w.startMin
      ? w.days.has(today) && minute >= w.startMin && minute < w.endMin
      : (w.days.has(today) && minute >= w.startMin) || (w.days.has(yesterday) && minute < w.endMin),
  );
}

// Sorted instants in [fromMs, toMs], including both ends, that contain every moment at which the
// wall clock reaches one of `minutesOfDay` or midnight (each occurrence, so twice on a fall-back
// night) and every offset change. Between two neighbours the local time runs without a jump and
// without crossing such a minute, so any weekly window is either open or closed throughout.
export function wallClockCuts(
  timeZone: string,
  minutesOfDay: number[],
  fromMs: number,
  toMs: number,
): number[] {
  const cuts = new Set([fromMs, toMs, ...offsetTransitions(timeZone, fromMs, toMs)]);
  const minutes = new Set([0, ...minutesOfDay.map((m) => m % 1440)]);
  const lastDay = Math.floor(wallClockMs(timeZone, toMs) / DAY_MS) + 1;
  for (let day = Math.floor(wallClockMs(timeZone, fromMs) / DAY_MS) - 1; day <= lastDay; day++) {
    for (const offset of offsetsNearDay(timeZone, day)) {
      for (const m of minutes) cuts.add(day * DAY_MS + m * 60_000 - offset);
    }
  }
  return [...cuts].filter((t) => t >= fromMs && t <= toMs).sort((a, b) => a - b);
}
