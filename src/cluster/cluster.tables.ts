import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Which node holds which charger's socket, cluster-wide. The holder refreshes `heartbeatAt`
 * every PRESENCE_HEARTBEAT_MS; a row older than PRESENCE_TTL_MS belongs to a dead node and is
 * expired by the surviving nodes. A reconnect elsewhere overwrites the row (the new owner wins).
 */
export const chargerPresence = pgTable(
  'charger_presence',
  {
    chargePointId: text('charge_point_id').primaryKey(),
    stationId: uuid('station_id').notNull(),
    nodeId: text('node_id').notNull(),
    connectedAt: timestamp('connected_at', { withTimezone: true }).notNull(),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('charger_presence_node_idx').on(t.nodeId),
    index('charger_presence_heartbeat_idx').on(t.heartbeatAt),
  ],
);

/** Fixed-window request counters shared by every node (API rate limit, login brake). */
export const rateLimitHits = pgTable(
  'rate_limit_hits',
  {
    key: text('key').primaryKey(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [index('rate_limit_hits_expires_idx').on(t.expiresAt)],
);
