import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import type { Page } from '../common/pagination';
import { AppConfig } from '../config/app-config';
import type { MonitorSetResult, MonitoringEvent, ReportedMonitor } from './monitoring';
import { MonitoringRepository } from './monitoring.repository';
import type { StationMonitorRow, StationMonitoringEventRow } from './monitoring.tables';

const HOUR_MS = 3_600_000;

/**
 * The variable monitors of OCPP 2.0.1 stations, set by Kilowatt or reported by the station
 * (NotifyMonitoringReport), and the events stations report (NotifyEvent), kept as long as the OCPP
 * message log.
 */
@Injectable()
export class MonitoringRecordsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MonitoringRecordsService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repository: MonitoringRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.repository
        .purgeEventsOlderThan(this.config.ocpp.messageLogRetentionDays)
        .catch((err: unknown) => this.logger.warn({ err }, 'Monitoring event purge failed'));
    }, HOUR_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  recordSetResults(tenantId: string, stationId: string, results: readonly MonitorSetResult[]): Promise<void> {
    return this.repository.recordSetResults(tenantId, stationId, results, this.clock.now());
  }

  list(
    tenantId: string,
    stationId: string,
    page: { component?: string; variable?: string; limit: number; cursor?: string },
  ): Promise<Page<StationMonitorRow>> {
    return this.repository.listByStation(tenantId, stationId, page);
  }

  find(tenantId: string, stationId: string, monitorId: number): Promise<StationMonitorRow | undefined> {
    return this.repository.findByMonitorId(tenantId, stationId, monitorId);
  }

  remove(tenantId: string, stationId: string, monitorId: number): Promise<void> {
    return this.repository.removeMonitor(tenantId, stationId, monitorId);
  }

  /** Before a GetMonitoringReport of every monitor is sent, so a report that overtakes the reply finds it. */
  startReportRefresh(tenantId: string, stationId: string, requestId: number): Promise<void> {
    return this.repository.startReportRefresh(tenantId, stationId, requestId, this.clock.now());
  }

  /** The station has no monitor at all (GetMonitoringReport of every monitor answered EmptyResultSet). */
  onNoneReported(tenantId: string, stationId: string, requestId: number): Promise<void> {
    return this.repository.recordReported(tenantId, stationId, requestId, [], true, this.clock.now());
  }

  /** A NotifyMonitoringReport part; `last` when it is the report's last (no `tbc`). Resolves once committed. */
  onReported(
    tenantId: string,
    stationId: string,
    requestId: number,
    monitors: readonly ReportedMonitor[],
    last: boolean,
  ): Promise<void> {
    return this.repository.recordReported(tenantId, stationId, requestId, monitors, last, this.clock.now());
  }

  /**
   * Stores the items of a NotifyEvent, each with the severity of the monitor that fired when
   * Kilowatt knows it (set or reported); resolves once committed, with what was stored.
   */
  async onEvents(
    tenantId: string,
    stationId: string,
    events: readonly MonitoringEvent[],
  ): Promise<(MonitoringEvent & { severity: number | null })[]> {
    const ids = events.flatMap((e) => (e.variableMonitoringId === null ? [] : [e.variableMonitoringId]));
    const severities = await this.repository.severities(tenantId, stationId, ids);
    const stored = events.map((e) => ({
      ...e,
      severity: e.variableMonitoringId === null ? null : (severities.get(e.variableMonitoringId) ?? null),
    }));
    await this.repository.recordEvents(tenantId, stationId, stored, this.clock.now());
    return stored;
  }

  listEvents(
    tenantId: string,
    stationId: string,
    q: { component?: string; variable?: string; from?: Date; to?: Date; limit: number; cursor?: string },
  ): Promise<Page<StationMonitoringEventRow>> {
    return this.repository.listEvents(tenantId, stationId, q);
  }
}
