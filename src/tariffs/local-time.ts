// Weekly local windows (tariff periods) over wall-clock time; the zone arithmetic that turns
// instants into wall time is in common/time-zones.ts.
import { DAY_MS } from '../common/time-zones';

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
