import { Injectable } from '@nestjs/common';
import { SQL, sql } from 'drizzle-orm';
import { Clock } from '../common/clock';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import { DURATION_BIN_MINUTES, ENERGY_BIN_KWH, GroupBy, TimeUnit, isTimeGrouping } from './report-buckets';

/** What every report query is restricted to. `tenantId` undefined: every tenant (root only). */
export interface ReportScope {
  tenantId?: string;
  from: Date;
  to: Date;
  timeZone: string;
  siteId?: string;
  stationId?: string;
  userId?: string;
}

export interface SessionAggregate {
  key: string;
  sessions: number;
  failedSessions: number;
  energyWh: number;
  durationSumSeconds: number;
  durationCount: number;
  chargingSeconds: number;
}

export const emptyAggregate = (key: string): SessionAggregate => ({
  key,
  sessions: 0,
  failedSessions: 0,
  energyWh: 0,
  durationSumSeconds: 0,
  durationCount: 0,
  chargingSeconds: 0,
});

export interface RevenueRow {
  key: string;
  currency: string;
  amountMinor: number;
}

export interface StationFleetRow {
  stationId: string;
  chargePointId: string;
  siteId: string | null;
  siteName: string | null;
  connectorIds: number[];
  onlineSeconds: number;
}

export interface TimeBucketRow {
  key: string;
  seconds: number;
  onlineSeconds: number;
}

export interface HabitsFigures {
  hours: { bin: number; count: number }[];
  weekdays: { bin: number; count: number }[];
  durations: { bin: number; count: number }[];
  energies: { bin: number; count: number }[];
  users: { repeatUsers: number; oneTimeUsers: number; anonymousSessions: number };
  idle: { sessions: number; medianSeconds: number | null; averageSeconds: number | null };
}

/** node-postgres answers `{ rows }`, PGlite too. */
const rowsOf = <T>(result: unknown): T[] =>
  Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * The one cross-module reader (STYLE.md): read-only SQL over the sessions and stations tables.
 * Every figure is aggregated by the database; only one row per group comes back.
 */
@Injectable()
export class ReportsQueries {
  constructor(
    @InjectDb() private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs one report statement in a read-only transaction. JIT is off for it: PostgreSQL's
   * planner overestimates the rows of generate_series and spent seconds compiling plans that run
   * in milliseconds. More work memory keeps a year of sessions' aggregation in memory.
   */
  private async rows<T>(query: SQL): Promise<T[]> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`set transaction read only`);
      await tx.execute(sql`set local jit = off`);
      await tx.execute(sql`set local work_mem = '64MB'`);
      return rowsOf<T>(await tx.execute(query));
    });
  }

  /**
   * Completed, failed and active sessions that began in [from, to), with per-session measures.
   * `site_id` is read from the stations only when `withSite` or a site filter needs it.
   */
  private sessionsIn(
    scope: ReportScope,
    {
      statuses = sql`('completed', 'failed', 'active')`,
      withSite = false,
    }: { statuses?: SQL; withSite?: boolean } = {},
  ): SQL {
    const began = sql`coalesce(s.started_at, s.requested_at)`;
    const site = withSite || scope.siteId !== undefined;
    return sql`
      select s.station_id, s.connector_id, s.user_id, s.status, ${site ? sql`st.site_id` : sql`null::uuid as site_id`},
        s.currency, s.total_minor,
        s.began_quarter,
        case when s.status = 'completed'
          then coalesce(s.billed_energy_wh,
            greatest(0, coalesce(s.meter_stop_wh, s.last_energy_wh) - s.meter_start_wh)) end as energy_wh,
        case when s.status = 'completed' and s.started_at is not null and s.stopped_at is not null
          then greatest(interval '0', s.stopped_at - s.started_at) end as duration,
        case when s.status in ('completed', 'active') and s.started_at is not null
          then greatest(interval '0', least(coalesce(s.stopped_at, now()), ${ts(scope.to)})
            - greatest(s.started_at, ${ts(scope.from)})) end as charging,
        s.id, s.stopped_at
      from charging_sessions s ${site ? sql`join stations st on st.id = s.station_id` : sql``}
      where s.status in ${statuses}
        and ${began} >= ${ts(scope.from)} and ${began} < ${ts(scope.to)}
        ${scope.tenantId ? sql`and s.tenant_id = ${scope.tenantId}` : sql``}
        ${scope.siteId ? sql`and st.site_id = ${scope.siteId}` : sql``}
        ${scope.stationId ? sql`and s.station_id = ${scope.stationId}` : sql``}
        ${scope.userId ? sql`and s.user_id = ${scope.userId}` : sql``}`;
  }

  /**
   * The local starts of the buckets (days, weeks or months) that cover [from, to), in order, as
   * two arrays: `starts` the instants (for width_bucket, a binary search) and `local` the
   * wall-clock times. A session's bucket is then one search, not a time-zone conversion per
   * session; a DST day is still 23 or 25 hours long because the starts are converted.
   */
  private bucketStarts(scope: ReportScope, unit: TimeUnit): SQL {
    const tz = scope.timeZone;
    return sql`
      select array_agg(g at time zone ${tz} order by g) as starts, array_agg(g order by g) as local
      from generate_series(date_trunc(${unit}, ${ts(scope.from)} at time zone ${tz}),
        ${ts(scope.to)} at time zone ${tz}, ${`1 ${unit}`}::interval) g`;
  }

  /** The group of a session as two raw columns (fast to hash), and how the key text is made from them. */
  private keyOf(groupBy: GroupBy): { k1: SQL; k2: SQL; text: SQL } {
    if (isTimeGrouping(groupBy))
      return {
        k1: sql`width_bucket(b.began_quarter, (select t.starts from t))`,
        k2: sql`0`,
        text: sql`to_char(t.local[g.k1], 'YYYY-MM-DD')`,
      };
    switch (groupBy) {
      case 'site':
        return { k1: sql`b.site_id`, k2: sql`0`, text: sql`coalesce(g.k1::text, 'none')` };
      case 'station':
        return { k1: sql`b.station_id`, k2: sql`0`, text: sql`g.k1::text` };
      case 'connector':
        return { k1: sql`b.station_id`, k2: sql`b.connector_id`, text: sql`g.k1::text || ':' || g.k2` };
      case 'user':
        return { k1: sql`b.user_id`, k2: sql`0`, text: sql`coalesce(g.k1::text, 'none')` };
    }
  }

  /**
   * Per group: counts, energy, durations and charging time, plus the settled totals per
   * currency (amounts in different currencies are never added). One pass over the sessions
   * grouped by (group, currency), which PostgreSQL runs in parallel; the few rows per group are
   * added up here.
   *
   * A session's day, week or month is the bucket of its `began_quarter`: bucket starts are local
   * midnights, and every time-zone offset in use since 1972 is a whole number of quarter hours, so
   * a quarter hour never straddles two buckets. Unlike the exact start, the column has statistics
   * that tell the planner there are few groups, so it aggregates in parallel by hash instead of
   * sorting every session.
   */
  async sessionAggregates(
    scope: ReportScope,
    groupBy: GroupBy,
  ): Promise<{ aggregates: SessionAggregate[]; revenue: RevenueRow[] }> {
    const key = this.keyOf(groupBy);
    const time = isTimeGrouping(groupBy);
    const rows = await this.rows<Record<string, unknown>>(sql`
      ${time ? sql`with t as materialized (${this.bucketStarts(scope, groupBy)})` : sql``}
      select ${key.text} as key, g.* from (
        select ${key.k1} as k1, ${key.k2} as k2, b.currency,
          count(*) filter (where b.status = 'completed') as sessions,
          count(*) filter (where b.status = 'failed') as failed,
          coalesce(sum(b.energy_wh), 0) as energy_wh,
          coalesce(date_part('epoch', sum(b.duration)), 0) as duration_sum,
          count(b.duration) as duration_n,
          coalesce(date_part('epoch', sum(b.charging)), 0) as charging_s,
          sum(b.total_minor) filter (where b.status = 'completed') as amount
        from (${this.sessionsIn(scope, { withSite: groupBy === 'site' })}) b
        group by 1, 2, 3
      ) g ${time ? sql`cross join t` : sql``} order by 1`);
    const groups = new Map<string, SessionAggregate>();
    const revenue: RevenueRow[] = [];
    for (const r of rows) {
      const k = String(r.key);
      if (r.currency !== null && r.amount !== null)
        revenue.push({ key: k, currency: String(r.currency), amountMinor: num(r.amount) });
      const a = groups.get(k) ?? emptyAggregate(k);
      a.sessions += num(r.sessions);
      a.failedSessions += num(r.failed);
      a.energyWh += num(r.energy_wh);
      a.durationSumSeconds += num(r.duration_sum);
      a.durationCount += num(r.duration_n);
      a.chargingSeconds += num(r.charging_s);
      groups.set(k, a);
    }
    return { aggregates: [...groups.values()], revenue };
  }

  /**
   * Presence intervals of the stations in scope that overlap [from, to). The stations are joined
   * only for a site filter: a presence row carries its tenant and station.
   */
  private presenceIn(scope: ReportScope): SQL {
    return sql`
      select p.station_id, p.connected_at, coalesce(p.disconnected_at, ${ts(this.clock.now())}) as disconnected_at
      from station_presence p ${scope.siteId ? sql`join stations st on st.id = p.station_id` : sql``}
      where p.connected_at < ${ts(scope.to)}
        and (p.disconnected_at is null or p.disconnected_at > ${ts(scope.from)})
        ${scope.tenantId ? sql`and p.tenant_id = ${scope.tenantId}` : sql``}
        ${scope.siteId ? sql`and st.site_id = ${scope.siteId}` : sql``}
        ${scope.stationId ? sql`and p.station_id = ${scope.stationId}` : sql``}`;
  }

  /** The stations in scope with their connectors and time online within [from, to). */
  async fleet(scope: ReportScope): Promise<StationFleetRow[]> {
    const rows = await this.rows<Record<string, unknown>>(sql`
      with online as (
        select p.station_id, date_part('epoch', sum(
          least(p.disconnected_at, ${ts(scope.to)}) - greatest(p.connected_at, ${ts(scope.from)}))) as s
        from (${this.presenceIn(scope)}) p group by 1
      ), conn as (
        select c.station_id, array_agg(c.connector_id order by c.connector_id) as ids
        from connectors c join stations st on st.id = c.station_id
        where c.connector_id >= 1 ${scope.tenantId ? sql`and c.tenant_id = ${scope.tenantId}` : sql``}
        group by 1
      )
      select st.id, st.charge_point_id, st.site_id, si.name as site_name,
        coalesce(conn.ids, '{}') as connector_ids, coalesce(online.s, 0) as online_s
      from stations st left join sites si on si.id = st.site_id
        left join conn on conn.station_id = st.id left join online on online.station_id = st.id
      where true
        ${scope.tenantId ? sql`and st.tenant_id = ${scope.tenantId}` : sql``}
        ${scope.siteId ? sql`and st.site_id = ${scope.siteId}` : sql``}
        ${scope.stationId ? sql`and st.id = ${scope.stationId}` : sql``}
      order by st.charge_point_id`);
    return rows.map((r) => ({
      stationId: String(r.id),
      chargePointId: String(r.charge_point_id),
      siteId: (r.site_id as string | null) ?? null,
      siteName: (r.site_name as string | null) ?? null,
      connectorIds: parseIntArray(r.connector_ids),
      onlineSeconds: Math.max(0, num(r.online_s)),
    }));
  }

  /**
   * Every bucket of the range in the time zone (a DST day lasts 23 or 25 hours), clipped to
   * [from, to), with the time the stations in scope were online during it.
   *
   * The presence intervals, clipped to the range, are grouped by the buckets of their two ends
   * (b1, b2: binary searches over the bucket starts), keeping the count and the sums of both ends
   * in seconds after `from`. An interval within one bucket adds z − a to it; one that crosses adds
   * (end of b1 − a) to b1, (z − start of b2) to b2 and the whole length of every bucket between.
   * Each of those terms is a sum over the group, so the cost is one pass over the intervals, with
   * no per-interval set-returning function and no time-zone conversion per interval.
   */
  async timeBuckets(scope: ReportScope, unit: TimeUnit): Promise<TimeBucketRow[]> {
    const from = ts(scope.from);
    const to = ts(scope.to);
    // Bucket i spans [starts[i], starts[i + 1]), the last one up to `to`; both clipped to the range.
    const bStart = (i: SQL) => sql`greatest(t.starts[${i}], ${from})`;
    const bEnd = (i: SQL) => sql`least(coalesce(t.starts[${i} + 1], ${to}), ${to})`;
    const rel = (x: SQL) => sql`date_part('epoch', ${x} - ${from})`;
    const span = (i: SQL) => sql`date_part('epoch', ${bEnd(i)} - ${bStart(i)})`;
    const rows = await this.rows<Record<string, unknown>>(sql`
      with t as materialized (${this.bucketStarts(scope, unit)}),
      ends as (
        select width_bucket(c.a, t.starts) as b1, width_bucket(c.z, t.starts) as b2, count(*) as n,
          date_part('epoch', sum(c.a - ${from})) as sa, date_part('epoch', sum(c.z - ${from})) as sz
        from (select greatest(p.connected_at, ${from}) as a, least(p.disconnected_at, ${to}) as z
          from (${this.presenceIn(scope)}) p) c cross join t
        where c.z > c.a
        group by 1, 2
      ),
      online as (
        select b1 as i, case when b1 = b2 then sz - sa else n * ${rel(bEnd(sql`b1`))} - sa end as s
        from ends cross join t
        union all
        select b2, sz - n * ${rel(bStart(sql`b2`))} from ends cross join t where b2 > b1
        union all
        select k.i, n * ${span(sql`k.i`)}
        from ends cross join t cross join lateral generate_series(b1 + 1, b2 - 1) k(i) where b2 > b1 + 1
      )
      select to_char(t.local[k.i], 'YYYY-MM-DD') as key,
        ${span(sql`k.i`)} as seconds,
        coalesce(o.s, 0) as online_s
      from t cross join generate_subscripts(t.starts, 1) k(i)
        left join (select i, sum(s) as s from online group by i) o on o.i = k.i
      where ${bStart(sql`k.i`)} < ${bEnd(sql`k.i`)} order by k.i`);
    return rows.map((r) => ({
      key: String(r.key),
      seconds: num(r.seconds),
      onlineSeconds: Math.max(0, num(r.online_s)),
    }));
  }

  /** The site's time zone, or null when the site is not in the tenant. */
  async siteTimeZone(tenantId: string | undefined, siteId: string): Promise<string | null> {
    const [row] = await this.rows<{ time_zone: string }>(sql`
      select time_zone from sites where id = ${siteId} ${tenantId ? sql`and tenant_id = ${tenantId}` : sql``}`);
    return row?.time_zone ?? null;
  }

  async stationExists(tenantId: string | undefined, stationId: string): Promise<boolean> {
    const rows = await this.rows(sql`
      select 1 from stations where id = ${stationId} ${tenantId ? sql`and tenant_id = ${tenantId}` : sql``}`);
    return rows.length > 0;
  }

  async userExists(tenantId: string | undefined, userId: string): Promise<boolean> {
    const rows = await this.rows(sql`
      select 1 from users where id = ${userId} ${tenantId ? sql`and tenant_id = ${tenantId}` : sql``}`);
    return rows.length > 0;
  }

  /** Usernames by id. The ids (uuids read from the sessions) go as one array parameter, not one each. */
  async usernames(tenantId: string | undefined, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.rows<{ id: string; username: string }>(sql`
      select u.id, u.username from users u
      where u.id = any(${`{${ids.join(',')}}`}::uuid[])
        ${tenantId ? sql`and u.tenant_id = ${tenantId}` : sql``}`);
    return new Map(rows.map((r) => [r.id, r.username]));
  }

  /**
   * Habits over completed sessions only (the ones that actually charged), in one statement of
   * four passes over the sessions: start times per UTC quarter hour, duration and energy bins,
   * sessions per user, and idle time (joined to the power readings).
   */
  async habits(scope: ReportScope): Promise<HabitsFigures> {
    const tz = scope.timeZone;
    const durationBins = sql.raw(
      `array[${DURATION_BIN_MINUTES.map((m) => `'${m} minutes'`).join(',')}]::interval[]`,
    );
    const energyBins = sql.raw(`array[${ENERGY_BIN_KWH.join(',')}]::float8[]`);
    const completed = this.sessionsIn(scope, { statuses: sql`('completed')` });
    // Each part is its own pass over the sessions, so PostgreSQL can run it in parallel
    // (a shared materialized CTE, or GROUPING SETS, would run on one core).
    const [r] = await this.rows<Record<string, unknown>>(sql`
      with per_quarter as (
        select b.began_quarter as q, count(*) as n
        from (${completed}) b group by 1
      ), per_bin as (
        select width_bucket(coalesce(b.duration, interval '0'), ${durationBins}) as db,
          width_bucket(coalesce(b.energy_wh, 0)::float8 / 1000, ${energyBins}) as eb, count(*) as n
        from (${completed}) b group by 1, 2
      ), hist as (
        -- Every UTC quarter hour lies within one local hour of any zone (offsets and their changes
        -- are whole quarter hours), so the zone is applied per quarter hour, not per session.
        select case when grouping(h) = 0 then 'h' else 'd' end as k, coalesce(h, d) as bin, sum(n) as n
        from (select date_part('hour', q at time zone ${tz})::int as h,
            date_part('isodow', q at time zone ${tz})::int as d, n from per_quarter) l
        group by grouping sets ((h), (d))
        union all
        select case when grouping(db) = 0 then 'db' else 'eb' end, coalesce(db, eb), sum(n)
        from per_bin group by grouping sets ((db), (eb))
      ), per_user as (
        select b.user_id, count(*) as n from (${completed}) b group by 1
      ), idle as (
        -- Charging ended at the last reading that still showed power; plugged out at stoppedAt. A
        -- join (not a per-session lookup) lets the planner pick a hash join over many sessions.
        select date_part('epoch', b.stopped_at - max(mv.at)) as s
        from (${completed}) b join meter_values mv on mv.session_id = b.id
        where mv.measurand = 'Power.Active.Import' and mv.value > 0
        group by b.id, b.stopped_at
        having b.stopped_at >= max(mv.at)
      )
      select (select coalesce(json_agg(json_build_object('k', k, 'bin', bin, 'n', n)), '[]') from hist) as hist,
        (select count(*) from per_user where user_id is not null and n >= 2) as repeat_users,
        (select count(*) from per_user where user_id is not null and n = 1) as one_time_users,
        (select coalesce(sum(n), 0) from per_user where user_id is null) as anonymous_sessions,
        (select count(*) from idle) as idle_n,
        (select percentile_cont(0.5) within group (order by s) from idle) as idle_median,
        (select avg(s) from idle) as idle_avg`);
    const raw = typeof r.hist === 'string' ? JSON.parse(r.hist) : r.hist;
    const hist = (raw as { k: string; bin: number; n: number }[]).map((x) => ({ ...x, n: num(x.n) }));
    const bins = (k: string) => hist.filter((x) => x.k === k).map((x) => ({ bin: num(x.bin), count: x.n }));
    const seconds = (v: unknown) => (v === null || v === undefined ? null : Math.round(num(v)));
    return {
      hours: bins('h'),
      weekdays: bins('d'),
      durations: bins('db'),
      energies: bins('eb'),
      users: {
        repeatUsers: num(r.repeat_users),
        oneTimeUsers: num(r.one_time_users),
        anonymousSessions: num(r.anonymous_sessions),
      },
      idle: {
        sessions: num(r.idle_n),
        medianSeconds: seconds(r.idle_median),
        averageSeconds: seconds(r.idle_avg),
      },
    };
  }
}

/** PGlite and node-postgres both parse int[]; a driver that answers the text form is handled too. */
function parseIntArray(v: unknown): number[] {
  if (Array.isArray(v)) return v.map(Number);
  if (typeof v === 'string') return v.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number);
  return [];
}
