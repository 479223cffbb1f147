import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { stations } from '../stations/stations.tables';
import { tenants } from '../tenants/tenants.tables';

/** Every command sent to a charger: who, when, which station, what was asked and answered. */
export const commandAudit = pgTable(
  'command_audit',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    stationId: uuid('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    chargePointId: text('charge_point_id').notNull(),
    actorUserId: uuid('actor_user_id'),
    actorApiKeyId: uuid('actor_api_key_id'),
    actorRole: text('actor_role').notNull(),
    /** The OCPP action, e.g. `Reset`. */
    action: text('action').notNull(),
    request: jsonb('request').$type<Record<string, unknown>>().notNull(),
    reply: jsonb('reply').$type<Record<string, unknown> | null>(),
    /** Set when no reply came: STATION_OFFLINE, CHARGER_TIMEOUT, CHARGER_ERROR. */
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** Null while the charger has not answered: the entry is written before the call is sent. */
    durationMs: integer('duration_ms'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('command_audit_tenant_at_idx').on(t.tenantId, t.at),
    index('command_audit_station_at_idx').on(t.stationId, t.at),
  ],
);

export const FIRMWARE_UPDATE_STATUSES = [
  'pending',
  'sent',
  'rejected',
  'offline',
  'timeout',
  'Downloading',
  'Downloaded',
  'DownloadFailed',
  'Installing',
  'Installed',
  'InstallationFailed',
] as const;
export type FirmwareUpdateStatus = (typeof FIRMWARE_UPDATE_STATUSES)[number];

/** A firmware update sent to many stations at once, chosen by site, model or list. */
export const firmwareRollouts = pgTable(
  'firmware_rollouts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    location: text('location').notNull(),
    retrieveDate: timestamp('retrieve_date', { withTimezone: true }).notNull(),
    retries: integer('retries'),
    retryInterval: integer('retry_interval'),
    /** How the stations were chosen: `{ siteId }`, `{ model }` or `{ stationIds }`. */
    target: jsonb('target').$type<Record<string, unknown>>().notNull(),
    createdByUserId: uuid('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('firmware_rollouts_tenant_idx').on(t.tenantId, t.createdAt)],
);

/** One UpdateFirmware for one station, alone or as part of a rollout, with its progress. */
export const firmwareUpdates = pgTable(
  'firmware_updates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    stationId: uuid('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    chargePointId: text('charge_point_id').notNull(),
    rolloutId: uuid('rollout_id').references(() => firmwareRollouts.id, { onDelete: 'cascade' }),
    location: text('location').notNull(),
    retrieveDate: timestamp('retrieve_date', { withTimezone: true }).notNull(),
    status: text('status', { enum: FIRMWARE_UPDATE_STATUSES }).notNull().default('pending'),
    errorCode: text('error_code'),
    /** OCPP 2.0.1: the UpdateFirmware requestId, echoed by the station's FirmwareStatusNotifications. */
    requestId: integer('request_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('firmware_updates_station_idx').on(t.stationId, t.createdAt),
    index('firmware_updates_rollout_idx').on(t.rolloutId),
  ],
);

export const DIAGNOSTICS_STATUSES = [
  'requested',
  'Uploading',
  'Uploaded',
  'UploadFailed',
  'rejected',
  'offline',
  'timeout',
] as const;
export type DiagnosticsRequestStatus = (typeof DIAGNOSTICS_STATUSES)[number];

/**
 * A GetDiagnostics sent with a one-time upload URL of our own. The token is stored only as its
 * SHA-256; the file lands in DATA_DIR/diagnostics/{id}.
 */
export const diagnosticsRequests = pgTable(
  'diagnostics_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    stationId: uuid('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    tokenExpiresAt: timestamp('token_expires_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: DIAGNOSTICS_STATUSES }).notNull().default('requested'),
    /** The name the charger said it would upload under (GetDiagnostics.conf). */
    fileName: text('file_name'),
    /** DiagnosticsLog, or an OCPP 2.0.1 station's SecurityLog (GetLog logType). */
    logType: text('log_type').notNull().default('DiagnosticsLog'),
    /** OCPP 2.0.1: the GetLog requestId, echoed by the station's LogStatusNotifications. */
    requestId: integer('request_id'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    sha256: text('sha256'),
    contentType: text('content_type'),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    requestedByUserId: uuid('requested_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('diagnostics_requests_token_key').on(t.tokenHash),
    index('diagnostics_requests_station_idx').on(t.stationId, t.createdAt),
  ],
);

export const RESERVATION_STATUSES = [
  'pending',
  'active',
  'rejected',
  'failed',
  'cancelled',
  'expired',
  'used',
] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** ReserveNow: `reservationId` is the integer the charger knows it by. */
export const reservations = pgTable(
  'reservations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reservationId: integer('reservation_id').generatedAlwaysAsIdentity().notNull(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    stationId: uuid('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    connectorId: integer('connector_id').notNull(),
    idTag: text('id_tag').notNull(),
    parentIdTag: text('parent_id_tag'),
    /** The user it was made for (a user's own reservation), when known. */
    userId: uuid('user_id'),
    createdByUserId: uuid('created_by_user_id'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: RESERVATION_STATUSES }).notNull().default('pending'),
    /** The charger's ReserveNow.conf status. */
    chargerStatus: text('charger_status'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('reservations_reservation_id_key').on(t.reservationId),
    // One live reservation per connector; a concurrent second one fails on this index.
    uniqueIndex('reservations_live_connector_key')
      .on(t.stationId, t.connectorId)
      .where(sql`${t.status} in ('pending', 'active')`),
    index('reservations_connector_idx').on(t.stationId, t.connectorId, t.status),
    index('reservations_tenant_idx').on(t.tenantId, t.createdAt),
  ],
);

export interface LocalListEntry {
  status: 'Accepted' | 'Blocked' | 'Expired';
  expiryDate?: string;
  parentIdTag?: string;
  /** What the idTag is (an account's app idTag or an RFID card): its OCPP 2.0.1 IdToken type. Absent in lists stored before. */
  kind?: 'app' | 'rfid';
}

/** The local authorization list a charger accepted last: its version and entries by idTag. */
export const localLists = pgTable('local_lists', {
  stationId: uuid('station_id')
    .primaryKey()
    .references(() => stations.id, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id')
    .notNull()
    .references(() => tenants.id),
  listVersion: integer('list_version').notNull(),
  entries: jsonb('entries').$type<Record<string, LocalListEntry>>().notNull(),
  sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
});

export type CommandAuditRow = typeof commandAudit.$inferSelect;
export type FirmwareRolloutRow = typeof firmwareRollouts.$inferSelect;
export type FirmwareUpdateRow = typeof firmwareUpdates.$inferSelect;
export type DiagnosticsRequestRow = typeof diagnosticsRequests.$inferSelect;
export type ReservationRow = typeof reservations.$inferSelect;
export type LocalListRow = typeof localLists.$inferSelect;
