import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
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

/** How a variable may be changed, as the station reports it. */
export const VARIABLE_MUTABILITIES = ['ReadOnly', 'WriteOnly', 'ReadWrite'] as const;

/** What the station says of a variable besides its value: unit, data type, limits, allowed values. */
export interface VariableCharacteristics {
  unit?: string;
  dataType: string;
  minLimit?: number;
  maxLimit?: number;
  valuesList?: string;
  supportsMonitoring: boolean;
}

/**
 * The last known device model of each OCPP 2.0.1 station: one row per attribute of a variable of
 * a component, as its reports (GetBaseReport/GetReport) and accepted SetVariables left it. A
 * missing instance, EVSE or connector is null, and two nulls are the same key (NULLS NOT DISTINCT).
 */
export const stationVariables = pgTable(
  'station_variables',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    stationId: uuid('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    componentName: text('component_name').notNull(),
    componentInstance: text('component_instance'),
    evseId: integer('evse_id'),
    connectorId: integer('connector_id'),
    variableName: text('variable_name').notNull(),
    variableInstance: text('variable_instance'),
    /** Actual, Target, MinSet or MaxSet. */
    attributeType: text('attribute_type').notNull().default('Actual'),
    /** Null when the station reported none (a WriteOnly variable, or no value yet). */
    value: text('value'),
    mutability: text('mutability', { enum: VARIABLE_MUTABILITIES }),
    persistent: boolean('persistent'),
    constant: boolean('constant'),
    characteristics: jsonb('characteristics').$type<VariableCharacteristics | null>(),
    /** The outcome of the last SetVariables sent for this attribute (Accepted, Rejected, RebootRequired, …). */
    lastSetStatus: text('last_set_status'),
    /** The value that SetVariables asked for; it is `value` too once Accepted. */
    lastSetValue: text('last_set_value'),
    lastSetAt: timestamp('last_set_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [
    unique('station_variables_key')
      .on(
        t.stationId,
        t.componentName,
        t.componentInstance,
        t.evseId,
        t.connectorId,
        t.variableName,
        t.variableInstance,
        t.attributeType,
      )
      .nullsNotDistinct(),
  ],
);

export type StationVariableRow = typeof stationVariables.$inferSelect;
export type NewStationVariable = typeof stationVariables.$inferInsert;
