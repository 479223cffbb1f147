import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { stations } from '../stations/stations.tables';
import { tenants } from '../tenants/tenants.tables';

export const OCPP_DIRECTIONS = ['in', 'out'] as const;
export type OcppDirection = (typeof OCPP_DIRECTIONS)[number];

/**
 * Every OCPP-J frame to and from a station, for diagnostics. Written in batches, off the
 * request path, and purged after OCPP_MESSAGE_LOG_RETENTION_DAYS.
 */
export const ocppMessages = pgTable(
  'ocpp_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    stationId: uuid('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    direction: text('direction', { enum: OCPP_DIRECTIONS }).notNull(),
    /** OCPP-J message type: 2 CALL, 3 CALLRESULT, 4 CALLERROR; null for an unparseable frame. */
    messageType: integer('message_type'),
    messageId: text('message_id'),
    action: text('action'),
    /** The frame as JSON, or `{ "raw": "..." }` when it was not valid JSON. */
    frame: jsonb('frame').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('ocpp_messages_station_created_idx').on(t.stationId, t.createdAt, t.id),
    index('ocpp_messages_created_idx').on(t.createdAt),
  ],
);

export type OcppMessageRow = typeof ocppMessages.$inferSelect;
export type NewOcppMessage = typeof ocppMessages.$inferInsert;

/** The notification action listed as a station's security events (`GET …/security-events`). */
export const SECURITY_EVENT = 'SecurityEventNotification';

/**
 * What an OCPP 2.0.1 station reports besides charging (NotifyReport, NotifyEvent,
 * SecurityEventNotification, NotifyEVChargingNeeds, …), one row per message as sent, committed
 * before the station is answered. Purged with the message log (OCPP_MESSAGE_LOG_RETENTION_DAYS).
 */
export const chargerNotifications = pgTable(
  'charger_notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    stationId: uuid('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    action: text('action').notNull(),
    payload: jsonb('payload').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('charger_notifications_station_received_idx').on(t.stationId, t.receivedAt, t.id),
    index('charger_notifications_received_idx').on(t.receivedAt),
    // The security events are a few among many reports: their list reads only them.
    index('charger_notifications_security_idx')
      .on(t.stationId, t.receivedAt, t.id)
      .where(sql`action = 'SecurityEventNotification'`),
  ],
);

export type ChargerNotificationRow = typeof chargerNotifications.$inferSelect;
