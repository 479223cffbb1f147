import { sql } from 'drizzle-orm';
import type { Db } from '../src/database/database';

/** node-postgres answers `{ rows }`, PGlite too. */
export const rowsOf = <T>(result: unknown): T[] =>
  Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);

export interface BenchShape {
  sessions: number;
  stations: number;
  sites: number;
  users: number;
  /** Sessions are spread evenly over the year that starts here. */
  start: Date;
}

const BATCH = 100_000;

/**
 * Generates a tenant's year of history in a few set-based statements (generate_series), never
 * one round trip per row: sites, stations with two connectors, users, sessions (2% failed, 10%
 * of unknown RFID tags, EUR), a power reading for one completed session in ten, and one
 * presence interval of 23 h per station and day; then VACUUM ANALYZE.
 */
export async function generateYear(db: Db, shape: BenchShape, log: (m: string) => void): Promise<string> {
  const [tenant] = rowsOf<{ id: string }>(
    await db.execute(
      sql`insert into tenants (slug, name) values (${`bench-${Date.now()}`}, 'Bench') returning id`,
    ),
  );
  const t = tenant.id;
  await db.execute(sql`
    insert into sites (tenant_id, name, time_zone)
    select ${t}, 'Site ' || g, 'Europe/Berlin' from generate_series(1, ${shape.sites}::int) g`);
  await db.execute(sql`
    with s as (select id, (row_number() over (order by id)) - 1 as n from sites where tenant_id = ${t})
    insert into stations (tenant_id, site_id, charge_point_id)
    select ${t}, s.id, 'BENCH' || ${t.slice(0, 8)} || '-' || g
    from generate_series(0, ${shape.stations - 1}::int) g join s on s.n = g % ${shape.sites}`);
  await db.execute(sql`
    insert into connectors (tenant_id, station_id, connector_id, status)
    select ${t}, st.id, c, 'Available' from stations st, generate_series(1, 2) c where st.tenant_id = ${t}`);
  await db.execute(sql`
    insert into users (tenant_id, username, password_hash)
    select ${t}, 'bench-' || ${t.slice(0, 8)} || '-' || g, 'x' from generate_series(1, ${shape.users}::int) g`);
  log(`  ${shape.sites} sites, ${shape.stations} stations, ${shape.users} users`);

  const start = shape.start.toISOString();
  for (let first = 1; first <= shape.sessions; first += BATCH) {
    const last = Math.min(shape.sessions, first + BATCH - 1);
    await db.execute(sql`
      with st as (select array_agg(id order by charge_point_id) as a from stations where tenant_id = ${t}),
           us as (select array_agg(id order by username) as a from users where tenant_id = ${t})
      insert into charging_sessions (tenant_id, station_id, connector_id, user_id, id_tag, status, origin,
        requested_at, started_at, stopped_at, meter_start_wh, meter_stop_wh, currency, net_minor, tax_minor,
        total_minor)
      select ${t}, st.a[1 + g % ${shape.stations}], 1 + (g / ${shape.stations}) % 2,
        case when g % 10 = 0 then null else us.a[1 + ((g::bigint * 7919) % ${shape.users})::int] end,
        'BT' || g, case when g % 50 = 0 then 'failed' else 'completed' end, 'local',
        x.began, case when g % 50 = 0 then null else x.began end,
        case when g % 50 = 0 then x.began else x.began + x.dur end,
        case when g % 50 = 0 then null else 0 end, case when g % 50 = 0 then null else x.wh end,
        case when g % 50 = 0 then null else 'EUR' end,
        case when g % 50 = 0 then null else x.wh * 30 / 1000 end, case when g % 50 = 0 then null else 0 end,
        case when g % 50 = 0 then null else x.wh * 30 / 1000 end
      from generate_series(${first}::int, ${last}::int) g cross join st cross join us
      cross join lateral (select
        ${start}::timestamptz + (g::float8 / ${shape.sessions}) * interval '365 days'
          + (random() * 3600) * interval '1 second' as began,
        (10 + random() * 300) * interval '1 minute' as dur,
        (random() * 60000)::bigint as wh) x`);
    log(`  sessions ${last}/${shape.sessions}`);
  }
  await db.execute(sql`
    insert into meter_values (session_id, at, measurand, context, unit, value)
    select id, stopped_at - interval '10 minutes', 'Power.Active.Import', 'Sample.Periodic', 'W', 7000
    from charging_sessions where tenant_id = ${t} and status = 'completed' and right(id_tag, 1) = '0'`);
  await db.execute(sql`
    insert into station_presence (tenant_id, station_id, connected_at, disconnected_at)
    select ${t}, st.id, ${start}::timestamptz + d * interval '1 day',
      ${start}::timestamptz + d * interval '1 day' + interval '23 hours'
    from stations st, generate_series(0, 364) d where st.tenant_id = ${t}`);
  // As a database in service would be: vacuumed (visibility map set) and analysed, so no
  // autovacuum of the fresh rows runs while the queries are timed.
  await db.execute(sql`vacuum analyze`);
  return t;
}
