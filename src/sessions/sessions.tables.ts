import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { CostLine, TariffPlan } from '../tariffs/tariff-pricing';
import { stations } from '../stations/stations.tables';
import { tenants } from '../tenants/tenants.tables';
import { users } from '../users/users.tables';

export const SESSION_STATUSES = ['pending', 'active', 'completed', 'failed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export const PAYMENT_STATUSES = ['unpaid', 'paid'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const ANOMALY_KINDS = [
  'meter_stop_below_start',
  'unknown_transaction_stop',
  'station_rebooted',
  'concurrent_id_tag',
  'superseded_by_new_transaction',
  'stopped_without_start',
  'tariff_missing',
  'pricing_failed',
  'stop_after_close',
  'stop_corrected',
  'force_stopped',
  'session_stale',
  'connector_available',
  // Implausible charger data (charger-data-policy.ts): kept as sent, billed on what we stand behind.
  'implausible_start_time',
  'implausible_stop_time',
  'stop_before_start',
  'negative_meter_reading',
  'span_over_maximum',
  'implausible_energy',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** OCPP transactionIds are 32-bit integers handed out by the central system: one global sequence. */
export const transactionIdSequence = pgSequence('charging_transaction_id_seq', {
  startWith: 1,
  maxValue: 2147483647,
});

export const chargingSessions = pgTable(
  'charging_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    stationId: uuid('station_id')
      .notNull()
      .references(() => stations.id),
    connectorId: integer('connector_id').notNull(),
    /** Null for an RFID tag that belongs to no account. */
    userId: uuid('user_id').references(() => users.id),
    idTag: text('id_tag').notNull(),
    status: text('status', { enum: SESSION_STATUSES }).notNull(),
    /** `remote`: started from the API (has a pending phase); `local`: started at the charger. */
    origin: text('origin', { enum: ['remote', 'local'] }).notNull(),
    /** Ours: allocated from the sequence for every started session, whatever the protocol. */
    transactionId: integer('transaction_id'),
    /** OCPP 2.0.1: the charger's own transactionId (a string of up to 36 characters). */
    chargerTransactionId: text('charger_transaction_id'),
    /** OCPP 2.0.1: the id sent in RequestStartTransaction, echoed by the charger's TransactionEvent. */
    remoteStartId: integer('remote_start_id'),
    /**
     * True when the charger started a transaction for an idTag that was already charging
     * (answered ConcurrentTx). It is recorded anyway and kept out of the one-per-idTag guarantee.
     */
    concurrentIdTag: boolean('concurrent_id_tag').notNull().default(false),
    meterStartWh: bigint('meter_start_wh', { mode: 'number' }),
    meterStopWh: bigint('meter_stop_wh', { mode: 'number' }),
    /**
     * The energy billed at settlement (charger-data-policy.ts): meterStop − meterStart when the
     * registers are believed, else 0. Null for sessions settled before it was kept.
     */
    billedEnergyWh: bigint('billed_energy_wh', { mode: 'number' }),
    /** Latest readings while active (the live view). */
    lastEnergyWh: bigint('last_energy_wh', { mode: 'number' }),
    lastPowerW: doublePrecision('last_power_w'),
    lastSocPercent: doublePrecision('last_soc_percent'),
    lastMeterAt: timestamp('last_meter_at', { withTimezone: true }),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    /** The charger's start time, as sent (charger-data-policy.ts decides whether it is billed). */
    startedAt: timestamp('started_at', { withTimezone: true }),
    /** When the CSMS received the StartTransaction: billed from when startedAt is not believed. */
    startReceivedAt: timestamp('start_received_at', { withTimezone: true }),
    /**
     * The UTC quarter hour the session began in (started, or requested if it never started). The
     * reports find a session's local day, week or month from it, since a quarter hour lies within
     * one local hour of every current time zone; its statistics tell the planner there are few
     * groups, so it aggregates in parallel by hash instead of sorting every session.
     */
    beganQuarter: timestamp('began_quarter', { withTimezone: true }).generatedAlwaysAs(
      sql`date_bin('15 minutes', coalesce(started_at, requested_at), timestamptz '2000-01-01 00:00:00+00')`,
    ),
    stoppedAt: timestamp('stopped_at', { withTimezone: true }),
    stopReason: text('stop_reason'),
    /**
     * True while the end is the central system's inference (a reboot, a newer transaction on the
     * connector, an operator's soft stop), not the charger's StopTransaction: that one, when it
     * arrives, corrects the session and clears this.
     */
    stopInferred: boolean('stop_inferred').notNull().default(false),
    failureReason: text('failure_reason'),
    stopIdTag: text('stop_id_tag'),
    /** OCPP StopTransaction.transactionData, kept as sent. */
    transactionData: jsonb('transaction_data').$type<unknown[] | null>(),
    /** The tariff in force when the session started, frozen: settlement uses this, never today's. */
    tariffId: uuid('tariff_id'),
    tariffSnapshot: jsonb('tariff_snapshot').$type<TariffPlan | null>(),
    idempotencyKey: text('idempotency_key'),
    /** Hash of the request that created the session under `idempotencyKey`. */
    requestFingerprint: text('request_fingerprint'),
    orderNumber: text('order_number'),
    currency: text('currency'),
    costLines: jsonb('cost_lines').$type<CostLine[] | null>(),
    netMinor: integer('net_minor'),
    taxMinor: integer('tax_minor'),
    totalMinor: integer('total_minor'),
    paymentStatus: text('payment_status', { enum: PAYMENT_STATUSES }),
    settledAt: timestamp('settled_at', { withTimezone: true }),
    anomalyCount: integer('anomaly_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The database, not the service, guarantees one live session per connector and per idTag:
    // of two racing starts exactly one insert succeeds.
    uniqueIndex('charging_sessions_live_connector_key')
      .on(t.stationId, t.connectorId)
      .where(sql`${t.status} in ('pending', 'active')`),
    uniqueIndex('charging_sessions_live_id_tag_key')
      .on(t.tenantId, t.idTag)
      // A 2.0.1 transaction may begin before its idToken is known: idTag '' until then.
      .where(sql`${t.status} in ('pending', 'active') and ${t.concurrentIdTag} = false and ${t.idTag} <> ''`),
    uniqueIndex('charging_sessions_charger_transaction_key')
      .on(t.stationId, t.chargerTransactionId)
      .where(sql`${t.chargerTransactionId} is not null`),
    uniqueIndex('charging_sessions_remote_start_key')
      .on(t.remoteStartId)
      .where(sql`${t.remoteStartId} is not null`),
    uniqueIndex('charging_sessions_transaction_id_key').on(t.transactionId),
    uniqueIndex('charging_sessions_order_number_key').on(t.orderNumber),
    uniqueIndex('charging_sessions_idempotency_key')
      .on(t.tenantId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    index('charging_sessions_tenant_requested_idx').on(t.tenantId, t.requestedAt, t.id),
    index('charging_sessions_user_requested_idx').on(t.userId, t.requestedAt),
    index('charging_sessions_station_requested_idx').on(t.stationId, t.requestedAt),
    // For the reports module: it aggregates a tenant's sessions by the time they began (a failed
    // session that never started counts at its request time).
    index('charging_sessions_tenant_began_idx').on(
      t.tenantId,
      sql`coalesce(${t.startedAt}, ${t.requestedAt})`,
    ),
    index('charging_sessions_pending_idx')
      .on(t.requestedAt)
      .where(sql`${t.status} = 'pending'`),
    // For the zombie reconciler: active sessions by the time the central system recorded them.
    index('charging_sessions_active_created_idx')
      .on(t.createdAt)
      .where(sql`${t.status} = 'active'`),
  ],
);

/** Normalised meter readings: one row per sampled value, value in the canonical unit. */
export const meterValues = pgTable(
  'meter_values',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => chargingSessions.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    measurand: text('measurand').notNull(),
    phase: text('phase'),
    location: text('location'),
    context: text('context').notNull(),
    /** Wh, varh, W, var, A, V, %, Celsius, Hz — converted from k-prefixed units. */
    unit: text('unit').notNull(),
    value: doublePrecision('value').notNull(),
  },
  (t) => [index('meter_values_session_at_idx').on(t.sessionId, t.at)],
);

/**
 * Everything odd the chargers told us, kept for an operator to review: a stop below the start
 * reading, a stop for an unknown transaction, a reboot mid-session...
 */
export const sessionAnomalies = pgTable(
  'session_anomalies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    stationId: uuid('station_id')
      .notNull()
      .references(() => stations.id),
    sessionId: uuid('session_id').references(() => chargingSessions.id, { onDelete: 'cascade' }),
    transactionId: integer('transaction_id'),
    kind: text('kind', { enum: ANOMALY_KINDS }).notNull(),
    message: text('message').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('session_anomalies_session_idx').on(t.sessionId),
    index('session_anomalies_tenant_idx').on(t.tenantId, t.occurredAt),
    // A retried StopTransaction for the same unknown transaction is recorded once.
    uniqueIndex('session_anomalies_unknown_stop_key')
      .on(t.stationId, t.transactionId)
      .where(sql`${t.kind} = 'unknown_transaction_stop'`),
    // The zombie reconciler raises each flag once per session, however often it runs.
    uniqueIndex('session_anomalies_flag_key')
      .on(t.sessionId, t.kind)
      .where(sql`${t.kind} in ('session_stale', 'connector_available')`),
  ],
);

export type SessionRow = typeof chargingSessions.$inferSelect;
export type NewSessionRow = typeof chargingSessions.$inferInsert;
export type MeterValueRow = typeof meterValues.$inferSelect;
export type NewMeterValueRow = typeof meterValues.$inferInsert;
export type AnomalyRow = typeof sessionAnomalies.$inferSelect;
