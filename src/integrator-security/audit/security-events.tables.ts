import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../../tenants/tenants.tables';

export const SECURITY_EVENT_TYPES = [
  'login_succeeded',
  'login_failed',
  'key_issued',
  'key_revoked',
  'key_security_changed',
  'key_secrets_issued',
  'signature_failed',
  'envelope_failed',
  'rate_limited',
  'certificate_revoked',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/**
 * The security audit log. `tenant_id` is null for events that belong to no tenant we may name
 * (a failed login for an unknown account): only root sees those. Never holds secrets or passwords.
 */
export const securityEvents = pgTable(
  'security_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').references(() => tenants.id),
    type: text('type', { enum: SECURITY_EVENT_TYPES }).notNull(),
    userId: uuid('user_id'),
    apiKeyId: uuid('api_key_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('security_events_tenant_at_idx').on(t.tenantId, t.at),
    index('security_events_at_idx').on(t.at),
  ],
);

export type SecurityEventRow = typeof securityEvents.$inferSelect;
