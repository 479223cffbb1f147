import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sites, stations } from '../stations/stations.tables';
import { tenants } from '../tenants/tenants.tables';
import type { TimeOfUseWindow } from './tariff-pricing';

/**
 * Price plans. A row with neither stationId nor siteId is a tenant default; the most specific
 * plan in force wins. Rows are edited in place (`version` counts the edits): a session freezes the
 * resolved plan as a JSON snapshot when it starts, so editing never reprices a started session.
 */
export const tariffs = pgTable(
  'tariffs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    stationId: uuid('station_id').references(() => stations.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id').references(() => sites.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    currency: text('currency').notNull(),
    energyPerKwhMinor: integer('energy_per_kwh_minor').notNull(),
    timePerHourMinor: integer('time_per_hour_minor').notNull().default(0),
    sessionFeeMinor: integer('session_fee_minor').notNull().default(0),
    idleFeePerMinuteMinor: integer('idle_fee_per_minute_minor').notNull().default(0),
    idleGraceMinutes: integer('idle_grace_minutes').notNull().default(0),
    timeOfUse: jsonb('time_of_use').$type<TimeOfUseWindow[]>().notNull().default([]),
    /** Percent × 10 000 (19 % = 190 000), so 4 decimals stay exact integers. */
    taxRateE4: integer('tax_rate_e4').notNull().default(0),
    pricesIncludeTax: boolean('prices_include_tax').notNull().default(false),
    minSessionMinor: integer('min_session_minor'),
    maxSessionMinor: integer('max_session_minor'),
    /** In force from/until these instants; null = unbounded. */
    validFrom: timestamp('valid_from', { withTimezone: true }),
    validUntil: timestamp('valid_until', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('tariffs_tenant_idx').on(t.tenantId),
    index('tariffs_station_idx').on(t.stationId),
    index('tariffs_site_idx').on(t.siteId),
    check('tariffs_one_scope', sql`${t.stationId} is null or ${t.siteId} is null`),
  ],
);

export type TariffRow = typeof tariffs.$inferSelect;
