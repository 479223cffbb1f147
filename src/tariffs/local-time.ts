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

export interface OffsetSpan {
  fromMs: number; // the span runs from here to the next span's fromMs (or the end of the interval)
  offsetMs: number;
}

// The zone's offsets over [fromMs, toMs]: one span per offset in force, the first from fromMs, the
// next from each instant the offset changes (DST starts and ends, whole seconds). Probing once a
// day, then bisecting to the second, assumes no offset changes twice within one day and comes
// back (true of every real zone): the work is one Intl call per day of the interval plus about 17
// per change, so callers bound the interval.
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

export const WEEK_MS = 7 * DAY_MS;

interface Stretch<W> {
  from: number; // wall milliseconds since the start of the week (Thursday 1970-01-01 00:00)
  to: number;
  window: W | undefined;
}

// The week cut wherever the wall clock reaches a window's start or end or a midnight, each stretch
// with the window open throughout it (findWeeklyWindow). The windows repeat every week of wall
// time, so how long each is open over any wall interval is whole weeks in closed form plus at most
// one walk through these stretches: the work does not grow with the interval.
export class WeeklySchedule<W extends WeeklyWindow> {
  private readonly stretches: Stretch<W>[] = [];

  constructor(windows: readonly W[]) {
    const minutes = [...new Set([0, ...windows.flatMap((w) => [w.startMin % 1440, w.endMin % 1440])])];
    const cuts = [
      ...new Set([
        WEEK_MS,
        ...[0, 1, 2, 3, 4, 5, 6].flatMap((d) => minutes.map((m) => d * DAY_MS + m * 60_000)),
      ]),
    ];
    cuts.sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [from, to] = [cuts[i], cuts[i + 1]];
      this.stretches.push({ from, to, window: findWeeklyWindow(windows, Math.floor((from + to) / 2)) });
    }
  }

  // Milliseconds of the wall interval [fromWall, toWall) each window is open (undefined: none),
  // in the order the windows are first open.
  openMs(fromWall: number, toWall: number): Map<W | undefined, number> {
    const open = new Map<W | undefined, number>();
    const weeks = Math.floor((toWall - fromWall) / WEEK_MS);
    if (weeks > 0) {
      this.walk(fromWall, fromWall + WEEK_MS, open);
      for (const [w, ms] of open) open.set(w, ms * weeks);
    }
    this.walk(fromWall + weeks * WEEK_MS, toWall, open);
    return open;
  }

  // Adds [from, to), at most a week long, stretch by stretch in time order.
  private walk(from: number, to: number, open: Map<W | undefined, number>): void {
    const weekStart = Math.floor(from / WEEK_MS) * WEEK_MS;
    let i = this.stretches.findIndex((s) => weekStart + s.to > from);
    for (let base = weekStart, at = from; at < to;) {
      const s = this.stretches[i];
      const end = Math.min(to, base + s.to);
      open.set(s.window, (open.get(s.window) ?? 0) + (end - at));
      at = end;
      if (++i === this.stretches.length) [i, base] = [0, base + WEEK_MS];
    }
  }
}
