import { bigserial, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { stations } from '../stations/stations.tables';
import { tenants } from '../tenants/tenants.tables';

/** The station reports Kilowatt refreshes as a whole set: its display messages and its monitors. */
export type RefreshedReport = 'display_messages' | 'monitoring';

/**
 * A request Kilowatt sent for a station's whole set (GetDisplayMessages, GetMonitoringReport of
 * every monitor): when the report's last part comes, what it did not list and was not set since
 * the request is removed.
 */
export const reportRefreshes = pgTable(
  'report_refreshes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    stationId: uuid('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    report: text('report').$type<RefreshedReport>().notNull(),
    requestId: integer('request_id').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
  },
  (t) => [unique('report_refreshes_key').on(t.stationId, t.report, t.requestId)],
);
