import type { HabitsResponse, SummaryFigures, SummaryResponse } from './dto/report.response';
import { toCsv } from '../common/csv';

/** One row per group then a `total` row; one revenue column per currency present. */
export function summaryCsv(r: SummaryResponse): string {
  const currencies = [
    ...new Set([...r.rows, r.totals].flatMap((x) => x.revenue.map((m) => m.currency))),
  ].sort();
  const header = [
    'key',
    'label',
    'sessions',
    'failedSessions',
    'energyWh',
    ...currencies.map((c) => `revenueMinor${c}`),
    'avgDurationSeconds',
    'avgEnergyWh',
    'utilisation',
    'uptime',
  ];
  const line = (key: string, label: string, f: SummaryFigures) => [
    key,
    label,
    f.sessions,
    f.failedSessions,
    f.energyWh,
    ...currencies.map((c) => f.revenue.find((m) => m.currency === c)?.amountMinor ?? 0),
    f.avgDurationSeconds,
    f.avgEnergyWh,
    f.utilisation,
    f.uptime,
  ];
  return toCsv([header, ...r.rows.map((x) => line(x.key, x.label, x)), line('total', 'total', r.totals)]);
}

/** Long format: `section,bin,value`, one line per histogram bin and per figure. */
export function habitsCsv(r: HabitsResponse): string {
  const rows: unknown[][] = [
    ...r.startHours.map((b) => ['startHour', b.bin, b.sessions]),
    ...r.weekdays.map((b) => ['weekday', b.label ?? b.bin, b.sessions]),
    ...r.durationMinutes.map((b) => ['durationMinutes', b.bin, b.sessions]),
    ...r.energyKwh.map((b) => ['energyKwh', b.bin, b.sessions]),
    ['users', 'repeat', r.users.repeatUsers],
    ['users', 'oneTime', r.users.oneTimeUsers],
    ['users', 'anonymousSessions', r.users.anonymousSessions],
    ['idle', 'sessions', r.idle.sessions],
    ['idle', 'medianSeconds', r.idle.medianSeconds],
    ['idle', 'averageSeconds', r.idle.averageSeconds],
  ];
  return toCsv([['section', 'bin', 'value'], ...rows]);
}
