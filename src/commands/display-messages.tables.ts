import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
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

/** Where a component of the station shows a message (OCPP 2.0.1 ComponentType), as given. */
export interface DisplayRef {
  name: string;
  instance?: string;
  evse?: { id: number; connectorId?: number };
}

/**
 * The display messages of each OCPP 2.0.1 station as Kilowatt knows them: the ones it set
 * (SetDisplayMessage, with the station's answer) and the ones the station reported
 * (NotifyDisplayMessages), one row per message id of the station.
 */
export const stationDisplayMessages = pgTable(
  'station_display_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    stationId: uuid('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    /** The message's id at the station (MessageInfoType.id). */
    messageId: integer('message_id').notNull(),
    /** AlwaysFront, InFront or NormalCycle. */
    priority: text('priority').notNull(),
    /** Charging, Faulted, Idle or Unavailable: shown only in that state; null = always. */
    state: text('state'),
    startDateTime: timestamp('start_date_time', { withTimezone: true }),
    endDateTime: timestamp('end_date_time', { withTimezone: true }),
    transactionId: text('transaction_id'),
    /** ASCII, HTML, URI or UTF8. */
    format: text('format').notNull(),
    language: text('language'),
    content: text('content').notNull(),
    display: jsonb('display').$type<DisplayRef | null>(),
    /**
     * What the station last said of it: its answer to SetDisplayMessage (Accepted,
     * NotSupportedMessageFormat, Rejected, …), or Reported when it came in a NotifyDisplayMessages.
     */
    status: text('status').notNull(),
    /** The GetDisplayMessages request whose report last listed it. */
    reportRequestId: integer('report_request_id'),
    createdAt: timestamp('created_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [unique('station_display_messages_key').on(t.stationId, t.messageId)],
);

/**
 * The last message id Kilowatt gave out for a station's SetDisplayMessage without an id: taken in
 * one statement, so two requests at once (on one node or two) never get the same id.
 */
export const displayMessageIds = pgTable('display_message_ids', {
  stationId: uuid('station_id')
    .primaryKey()
    .references(() => stations.id, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id')
    .notNull()
    .references(() => tenants.id),
  lastId: bigint('last_id', { mode: 'number' }).notNull(),
});

export type StationDisplayMessageRow = typeof stationDisplayMessages.$inferSelect;
export type NewStationDisplayMessage = typeof stationDisplayMessages.$inferInsert;
