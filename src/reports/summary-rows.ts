import type { SummaryFigures, SummaryRow } from './dto/report.response';
import { GroupBy, average, bucketLabel, isTimeGrouping, ratio } from './report-buckets';
import {
  emptyAggregate,
  type ReportScope,
  type ReportsQueries,
  type SessionAggregate,
  type StationFleetRow,
} from './reports.queries';

/** What one group holds before it becomes a row: numerators and denominators, not ratios. */
interface Group {
  key: string;
  label: string;
  agg: SessionAggregate;
  revenue: Map<string, number>;
  /** Connector-seconds and station-seconds available in the group; 0 when not meaningful. */
  connectorSeconds: number;
  stationSeconds: number;
  onlineSeconds: number;
}

/**
 * Builds the summary from per-group SQL aggregates (never from sessions). Utilisation is time
 * charging ÷ (connectors × time); uptime is time online ÷ (stations × time). Both assume every
 * connector and station in scope today existed for the whole range (an approximation: the
 * connector table holds no history).
 */
export async function composeSummary(
  queries: ReportsQueries,
  scope: ReportScope,
  groupBy: GroupBy,
): Promise<{ rows: SummaryRow[]; totals: SummaryFigures }> {
  const [{ aggregates, revenue }, fleet, buckets] = await Promise.all([
    queries.sessionAggregates(scope, groupBy),
    queries.fleet(scope),
    isTimeGrouping(groupBy) ? queries.timeBuckets(scope, groupBy) : [],
  ]);
  const period = (scope.to.getTime() - scope.from.getTime()) / 1000;
  const connectorCount = fleet.reduce((n, s) => n + s.connectorIds.length, 0);
  const groups = new Map<string, Group>();
  const groupOf = (key: string, label = key): Group => {
    let g = groups.get(key);
    if (!g) {
      g = {
        key,
        label,
        agg: emptyAggregate(key),
        revenue: new Map(),
        connectorSeconds: 0,
        stationSeconds: 0,
        onlineSeconds: 0,
      };
      groups.set(key, g);
    }
    return g;
  };

  if (isTimeGrouping(groupBy)) {
    for (const b of buckets) {
      const g = groupOf(b.key, bucketLabel(groupBy, b.key));
      g.connectorSeconds = b.seconds * connectorCount;
      g.stationSeconds = b.seconds * fleet.length;
      g.onlineSeconds = b.onlineSeconds;
    }
  } else if (groupBy !== 'user') {
    for (const s of fleet) addStation(groupBy, s, period, groupOf);
  }
  const users =
    groupBy === 'user'
      ? await queries.usernames(
          scope.tenantId,
          aggregates.map((a) => a.key).filter((k) => k !== 'none'),
        )
      : new Map<string, string>();
  for (const a of aggregates) {
    const g = groupOf(a.key, groupBy === 'user' ? (users.get(a.key) ?? 'unknown tag') : a.key);
    g.agg = a;
  }
  for (const r of revenue) {
    const g = groupOf(r.key);
    g.revenue.set(r.currency, (g.revenue.get(r.currency) ?? 0) + r.amountMinor);
  }

  const rows = [...groups.values()]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((g) => ({
      key: g.key,
      label: g.label,
      ...figures(g.agg, g.revenue, g.connectorSeconds, g.stationSeconds, g.onlineSeconds),
    }));
  const total = emptyAggregate('total');
  const totalRevenue = new Map<string, number>();
  for (const g of groups.values()) {
    for (const k of [
      'sessions',
      'failedSessions',
      'energyWh',
      'durationSumSeconds',
      'durationCount',
      'chargingSeconds',
    ] as const)
      total[k] += g.agg[k];
    for (const [c, v] of g.revenue) totalRevenue.set(c, (totalRevenue.get(c) ?? 0) + v);
  }
  const online = fleet.reduce((n, s) => n + s.onlineSeconds, 0);
  return {
    rows,
    totals: figures(total, totalRevenue, period * connectorCount, period * fleet.length, online),
  };
}

function addStation(
  groupBy: 'site' | 'station' | 'connector',
  s: StationFleetRow,
  period: number,
  groupOf: (key: string, label?: string) => Group,
): void {
  if (groupBy === 'connector') {
    for (const c of s.connectorIds) {
      const g = groupOf(`${s.stationId}:${c}`, `${s.chargePointId}#${c}`);
      g.connectorSeconds = period;
      g.stationSeconds = period;
      g.onlineSeconds = s.onlineSeconds;
    }
    return;
  }
  const g =
    groupBy === 'station'
      ? groupOf(s.stationId, s.chargePointId)
      : groupOf(s.siteId ?? 'none', s.siteName ?? 'no site');
  g.connectorSeconds += period * s.connectorIds.length;
  g.stationSeconds += period;
  g.onlineSeconds += s.onlineSeconds;
}

function figures(
  a: SessionAggregate,
  revenue: Map<string, number>,
  connectorSeconds: number,
  stationSeconds: number,
  onlineSeconds: number,
): SummaryFigures {
  return {
    sessions: a.sessions,
    failedSessions: a.failedSessions,
    energyWh: a.energyWh,
    revenue: [...revenue]
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([currency, amountMinor]) => ({ currency, amountMinor })),
    avgDurationSeconds: average(a.durationSumSeconds, a.durationCount),
    avgEnergyWh: average(a.energyWh, a.sessions),
    utilisation: ratio(a.chargingSeconds, connectorSeconds),
    uptime: ratio(onlineSeconds, stationSeconds),
  };
}
