import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { stations } from '../stations/stations.tables';
import { tenants } from '../tenants/tenants.tables';

/**
 * Whether a signed certificate reached its station: `pending` until the station answered,
 * `accepted`/`rejected` by its answer, `failed` when it was offline, silent or answered an error.
 */
export const CERTIFICATE_DELIVERY_STATUSES = ['pending', 'accepted', 'rejected', 'failed'] as const;
export type CertificateDeliveryStatus = (typeof CERTIFICATE_DELIVERY_STATUSES)[number];

/** Every certificate Kilowatt's CSMS certificate authority signed for a station. */
export const issuedCertificates = pgTable(
  'issued_certificates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    stationId: uuid('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    /** Lower-case hex, as in the certificate. */
    serialNumber: text('serial_number').notNull().unique(),
    /** SHA-256 of the DER certificate, lower-case hex. */
    sha256Fingerprint: text('sha256_fingerprint').notNull(),
    subject: text('subject').notNull(),
    notBefore: timestamp('not_before', { withTimezone: true }).notNull(),
    notAfter: timestamp('not_after', { withTimezone: true }).notNull(),
    /** What was sent: the certificate, and the CA's when it is an intermediate. */
    certificateChain: text('certificate_chain').notNull(),
    deliveryStatus: text('delivery_status', { enum: CERTIFICATE_DELIVERY_STATUSES })
      .notNull()
      .default('pending'),
    /** Why delivery failed (STATION_OFFLINE, CHARGER_TIMEOUT, CHARGER_ERROR), or null. */
    deliveryError: text('delivery_error'),
    issuedAt: timestamp('issued_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    /** Set when an operator revoked it: from then on it admits its station no more. */
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('issued_certificates_station_idx').on(t.stationId, t.issuedAt)],
);

export type IssuedCertificateRow = typeof issuedCertificates.$inferSelect;
