import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { Cursor, Page, decodeCursor, toPage } from '../common/pagination';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import { type MonitorSetResult, type MonitoringEvent, REPORTED, type ReportedMonitor } from './monitoring';
import {
  type StationMonitorRow,
  type StationMonitoringEventRow,
  stationMonitoringEvents,
  stationMonitors,
} from './monitoring.tables';
import { finishRefresh, startRefresh } from './report-refreshes';

const m = stationMonitors;
const e = stationMonitoringEvents;

/** The station_monitors and station_monitoring_events tables, and the monitoring reports' refreshes. */
@Injectable()
export class MonitoringRepository {
  constructor(@InjectDb() private readonly db: Db) {}

  /**
   * Stores each result of a SetVariableMonitoring in one transaction: an accepted monitor by the id
   * the station gave it (replacing what that id held), a refused one as a row without id.
   */
  async recordSetResults(
    tenantId: string,
    stationId: string,
    results: readonly MonitorSetResult[],
    at: Date,
  ): Promise<void> {
    if (results.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const result of results)
        await tx
          .insert(m)
          .values({ ...result, tenantId, stationId, createdAt: at, updatedAt: at })
          .onConflictDoUpdate({
            target: [m.stationId, m.monitorId],
            set: { ...result, reportRequestId: null, updatedAt: at },
            setWhere: eq(m.tenantId, tenantId),
          });
    });
  }

  startReportRefresh(tenantId: string, stationId: string, requestId: number, at: Date): Promise<void> {
    return startRefresh(this.db, tenantId, stationId, 'monitoring', requestId, at);
  }

  /**
   * One part of a NotifyMonitoringReport: its monitors are stored as Reported, by the station's id.
   * Its last part, of a refresh Kilowatt asked for, also removes the monitors with an id that the
   * report did not list and that were not set since the request; `monitors` empty and `last`: the
   * station has none (GetMonitoringReport answered EmptyResultSet). Refused monitors (no id) stay.
   * One transaction, committed before the station is answered.
   */
  async recordReported(
    tenantId: string,
    stationId: string,
    requestId: number,
    monitors: readonly ReportedMonitor[],
    last: boolean,
    at: Date,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      // The same id twice in a part counts once, the last wins.
      const unique = [...new Map(monitors.map((mon) => [mon.monitorId, mon])).values()];
      if (unique.length > 0)
        await tx
          .insert(m)
          .values(
            unique.map((mon) => ({
              ...mon,
              tenantId,
              stationId,
              status: REPORTED,
              statusInfo: null,
              reportRequestId: requestId,
              createdAt: at,
              updatedAt: at,
            })),
          )
          .onConflictDoUpdate({
            target: [m.stationId, m.monitorId],
            set: {
              componentName: sql`excluded.component_name`,
              componentInstance: sql`excluded.component_instance`,
              evseId: sql`excluded.evse_id`,
              connectorId: sql`excluded.connector_id`,
              variableName: sql`excluded.variable_name`,
              variableInstance: sql`excluded.variable_instance`,
              type: sql`excluded.type`,
              value: sql`excluded.value`,
              severity: sql`excluded.severity`,
              transaction: sql`excluded.transaction`,
              status: REPORTED,
              statusInfo: null,
              reportRequestId: requestId,
              updatedAt: at,
            },
            setWhere: eq(m.tenantId, tenantId),
          });
      if (!last) return;
      const requestedAt = await finishRefresh(tx, tenantId, stationId, 'monitoring', requestId);
      if (!requestedAt) return;
      await tx
        .delete(m)
        .where(
          and(
            eq(m.tenantId, tenantId),
            eq(m.stationId, stationId),
            isNotNull(m.monitorId),
            or(isNull(m.reportRequestId), ne(m.reportRequestId, requestId)),
            lt(m.updatedAt, requestedAt),
          ),
        );
    });
  }

  async listByStation(
    tenantId: string,
    stationId: string,
    page: { component?: string; variable?: string; limit: number; cursor?: string },
  ): Promise<Page<StationMonitorRow>> {
    const after = decodeCursor(page.cursor, 'number', 'serial');
    const rows = await this.db
      .select()
      .from(m)
      .where(
        and(
          eq(m.tenantId, tenantId),
          eq(m.stationId, stationId),
          page.component === undefined ? undefined : eq(m.componentName, page.component),
          page.variable === undefined ? undefined : eq(m.variableName, page.variable),
          after ? gt(m.id, Number(after.id)) : undefined,
        ),
      )
      .orderBy(asc(m.id))
      .limit(page.limit + 1);
    return toPage(
      rows,
      page.limit,
      (r) => r,
      (r): Cursor => ({ k: String(r.id), id: String(r.id) }),
    );
  }

  async findByMonitorId(
    tenantId: string,
    stationId: string,
    monitorId: number,
  ): Promise<StationMonitorRow | undefined> {
    const [row] = await this.db
      .select()
      .from(m)
      .where(and(eq(m.tenantId, tenantId), eq(m.stationId, stationId), eq(m.monitorId, monitorId)));
    return row;
  }

  async removeMonitor(tenantId: string, stationId: string, monitorId: number): Promise<void> {
    await this.db
      .delete(m)
      .where(and(eq(m.tenantId, tenantId), eq(m.stationId, stationId), eq(m.monitorId, monitorId)));
  }

  /** The severity of each of the station's monitors among `monitorIds` that Kilowatt knows (set or reported). */
  async severities(
    tenantId: string,
    stationId: string,
    monitorIds: readonly number[],
  ): Promise<Map<number, number>> {
    if (monitorIds.length === 0) return new Map();
    const rows = await this.db
      .select({ monitorId: m.monitorId, severity: m.severity })
      .from(m)
      .where(
        and(
          eq(m.tenantId, tenantId),
          eq(m.stationId, stationId),
          isNotNull(m.monitorId),
          inArray(m.monitorId, [...new Set(monitorIds)]),
        ),
      );
    return new Map(rows.map((r) => [r.monitorId!, r.severity]));
  }

  /** Inserts a NotifyEvent's items in one statement; resolves once committed. */
  async recordEvents(
    tenantId: string,
    stationId: string,
    events: readonly (MonitoringEvent & { severity: number | null })[],
    receivedAt: Date,
  ): Promise<void> {
    if (events.length === 0) return;
    await this.db.insert(e).values(events.map((ev) => ({ ...ev, tenantId, stationId, receivedAt })));
  }

  /** Newest received first (a station's own clock may read 1970); `from`/`to` bound the time received. */
  async listEvents(
    tenantId: string,
    stationId: string,
    q: { component?: string; variable?: string; from?: Date; to?: Date; limit: number; cursor?: string },
  ): Promise<Page<StationMonitoringEventRow>> {
    const after = decodeCursor(q.cursor, 'timestamp', 'serial');
    const rows = await this.db
      .select()
      .from(e)
      .where(
        and(
          eq(e.tenantId, tenantId),
          eq(e.stationId, stationId),
          q.component === undefined ? undefined : eq(e.componentName, q.component),
          q.variable === undefined ? undefined : eq(e.variableName, q.variable),
          q.from === undefined ? undefined : gte(e.receivedAt, q.from),
          q.to === undefined ? undefined : lt(e.receivedAt, q.to),
          after
            ? or(
                lt(e.receivedAt, new Date(after.k)),
                and(eq(e.receivedAt, new Date(after.k)), lt(e.id, Number(after.id))),
              )
            : undefined,
        ),
      )
      .orderBy(desc(e.receivedAt), desc(e.id))
      .limit(q.limit + 1);
    return toPage(
      rows,
      q.limit,
      (r) => r,
      (r): Cursor => ({ k: r.receivedAt.toISOString(), id: String(r.id) }),
    );
  }

  /** Events received before `days` ago; runs across tenants (retention). */
  async purgeEventsOlderThan(days: number): Promise<void> {
    await this.db.delete(e).where(lt(e.receivedAt, sql`now() - make_interval(days => ${days})`));
  }
}
