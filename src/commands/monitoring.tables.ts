import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { stations } from '../stations/stations.tables';
import { tenants } from '../tenants/tenants.tables';

/**
 * The variable monitors of each OCPP 2.0.1 station as Kilowatt knows them: one row per result of a
 * SetVariableMonitoring it sent (`monitorId` is the id the station gave an accepted monitor, null
 * for a refused one), and one per monitor the station listed in a NotifyMonitoringReport (its own,
 * preconfigured or hard-wired ones included), by the station's monitor id.
 */
export const stationMonitors = pgTable(
  'station_monitors',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    stationId: uuid('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    monitorId: integer('monitor_id'),
    componentName: text('component_name').notNull(),
    componentInstance: text('component_instance'),
    evseId: integer('evse_id'),
    connectorId: integer('connector_id'),
    variableName: text('variable_name').notNull(),
    variableInstance: text('variable_instance'),
    /** UpperThreshold, LowerThreshold, Delta, Periodic or PeriodicClockAligned. */
    type: text('type').notNull(),
    value: doublePrecision('value').notNull(),
    /** 0 (Danger) … 9 (Debug). */
    severity: integer('severity').notNull(),
    transaction: boolean('transaction').notNull().default(false),
    /**
     * The station's answer to SetVariableMonitoring (Accepted, UnknownComponent, UnknownVariable,
     * UnsupportedMonitorType, Rejected, Duplicate), or Reported when it came in a NotifyMonitoringReport.
     */
    status: text('status').notNull(),
    statusInfo: jsonb('status_info').$type<Record<string, unknown> | null>(),
    /** The GetMonitoringReport request whose report last listed it. */
    reportRequestId: integer('report_request_id'),
    createdAt: timestamp('created_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
  },
  // Null ids (refused monitors) are distinct, so only the station's ids are unique.
  (t) => [unique('station_monitors_key').on(t.stationId, t.monitorId)],
);

/** One eventData item of a station's NotifyEvent, as reported, with the time it was received. */
export const stationMonitoringEvents = pgTable(
  'station_monitoring_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    stationId: uuid('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    eventId: integer('event_id').notNull(),
    /** The station's clock, as reported (it may read 1970 until the station has set its time). */
    timestamp: text('timestamp').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    /** Alerting, Delta or Periodic. */
    trigger: text('trigger').notNull(),
    actualValue: text('actual_value').notNull(),
    componentName: text('component_name').notNull(),
    componentInstance: text('component_instance'),
    evseId: integer('evse_id'),
    connectorId: integer('connector_id'),
    variableName: text('variable_name').notNull(),
    variableInstance: text('variable_instance'),
    cause: integer('cause'),
    techCode: text('tech_code'),
    techInfo: text('tech_info'),
    cleared: boolean('cleared'),
    transactionId: text('transaction_id'),
    variableMonitoringId: integer('variable_monitoring_id'),
    /** HardWiredNotification, HardWiredMonitor, PreconfiguredMonitor or CustomMonitor. */
    eventNotificationType: text('event_notification_type').notNull(),
    /** The severity of the monitor that fired, when Kilowatt set it. */
    severity: integer('severity'),
  },
  (t) => [
    index('station_monitoring_events_station_idx').on(t.stationId, t.receivedAt.desc(), t.id.desc()),
    index('station_monitoring_events_received_idx').on(t.receivedAt),
  ],
);

export type StationMonitorRow = typeof stationMonitors.$inferSelect;
export type NewStationMonitor = typeof stationMonitors.$inferInsert;
export type StationMonitoringEventRow = typeof stationMonitoringEvents.$inferSelect;
export type NewStationMonitoringEvent = typeof stationMonitoringEvents.$inferInsert;
