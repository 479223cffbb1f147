import { sql } from 'drizzle-orm';
import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { OCPP_VERSIONS } from '../common/ocpp-versions';
import { tenants } from '../tenants/tenants.tables';
import { CONNECTOR_FORMATS, CONNECTOR_STANDARDS, POWER_TYPES } from './connector-standards';

export const sites = pgTable(
  'sites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    street: text('street'),
    city: text('city'),
    postalCode: text('postal_code'),
    country: text('country'),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    /** IANA zone; tariffs' time-of-use windows and report buckets follow it. */
    timeZone: text('time_zone').notNull().default('UTC'),
    /** e.g. { "mon": [["07:00","22:00"]], ... }; null = always open. */
    openingHours: jsonb('opening_hours').$type<Record<string, [string, string][]> | null>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sites_tenant_idx').on(t.tenantId)],
);

export const REGISTRATION_STATUSES = ['accepted', 'pending', 'rejected'] as const;

export const stations = pgTable(
  'stations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    siteId: uuid('site_id').references(() => sites.id),
    /** The id in the charger's URL `/ocpp/{chargePointId}`: unique across the platform. */
    chargePointId: text('charge_point_id').notNull(),
    name: text('name'),
    registrationStatus: text('registration_status', { enum: REGISTRATION_STATUSES })
      .notNull()
      .default('accepted'),
    /** OCPP security profile 0-3 (whitepaper): 0 none, 1 Basic Auth, 2 TLS + Basic Auth, 3 mutual TLS. */
    securityProfile: integer('security_profile').notNull().default(0),
    passwordHash: text('password_hash'),
    /** The password before an AuthorizationKey change, valid until the charger proves the new one. */
    previousPasswordHash: text('previous_password_hash'),
    vendor: text('vendor'),
    model: text('model'),
    serialNumber: text('serial_number'),
    firmwareVersion: text('firmware_version'),
    iccid: text('iccid'),
    imsi: text('imsi'),
    meterType: text('meter_type'),
    meterSerialNumber: text('meter_serial_number'),
    /** Connector 0 of StatusNotification: the charge point as a whole. */
    status: text('status'),
    errorCode: text('error_code'),
    online: boolean('online').notNull().default(false),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    lastBootAt: timestamp('last_boot_at', { withTimezone: true }),
    firmwareStatus: text('firmware_status'),
    diagnosticsStatus: text('diagnostics_status'),
    /** The OCPP-J subprotocol of the station's current or last connection. */
    ocppVersion: text('ocpp_version', { enum: OCPP_VERSIONS }),
    /** The subprotocols the station may connect with; null: any (2.0.1 preferred when offered). */
    ocppVersions: text('ocpp_versions', { enum: OCPP_VERSIONS }).array(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('stations_charge_point_id_key').on(t.chargePointId),
    index('stations_tenant_idx').on(t.tenantId),
    index('stations_site_idx').on(t.siteId),
  ],
);

export const connectors = pgTable(
  'connectors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    stationId: uuid('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    /** OCPP connectorId, 1..n. */
    connectorId: integer('connector_id').notNull(),
    /** Live OCPP status; 'Unknown' until the charger first reports the connector. */
    status: text('status').notNull().default('Unknown'),
    errorCode: text('error_code').notNull().default('NoError'),
    info: text('info'),
    vendorErrorCode: text('vendor_error_code'),
    /** e.g. Type2, CCS2, CHAdeMO; declaring a `standard` sets it to the standard's common name. */
    type: text('type'),
    maxPowerW: integer('max_power_w'),
    // Declared by an operator (OCPI 2.2.1 words); a charger's StatusNotification never touches them.
    evseId: integer('evse_id'),
    standard: text('standard', { enum: CONNECTOR_STANDARDS }),
    format: text('format', { enum: CONNECTOR_FORMATS }),
    powerType: text('power_type', { enum: POWER_TYPES }),
    maxVoltageV: integer('max_voltage_v'),
    maxAmperageA: integer('max_amperage_a'),
    statusAt: timestamp('status_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('connectors_station_connector_key').on(t.stationId, t.connectorId),
    index('connectors_tenant_status_idx').on(t.tenantId, t.status),
  ],
);

/**
 * One row per WebSocket connection of a station: open while `disconnectedAt` is null. Written
 * only on connect and disconnect (never per frame); the uptime report sums these intervals.
 */
export const stationPresence = pgTable(
  'station_presence',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    stationId: uuid('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    connectedAt: timestamp('connected_at', { withTimezone: true }).notNull(),
    disconnectedAt: timestamp('disconnected_at', { withTimezone: true }),
  },
  (t) => [
    // The reports module sums a tenant's intervals over a range.
    index('station_presence_tenant_connected_idx').on(t.tenantId, t.connectedAt),
    // At most one open interval per station: a reconnect closes the previous one first.
    uniqueIndex('station_presence_open_key')
      .on(t.stationId)
      .where(sql`${t.disconnectedAt} is null`),
  ],
);

export type SiteRow = typeof sites.$inferSelect;
export type StationRow = typeof stations.$inferSelect;
export type ConnectorRow = typeof connectors.$inferSelect;
