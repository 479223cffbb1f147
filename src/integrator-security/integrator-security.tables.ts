import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { apiKeys } from '../auth/auth.tables';
import { tenants } from '../tenants/tenants.tables';

/**
 * Per API key security settings, beside the key (one row once an admin touched them). The signing
 * and encryption keys are symmetric, so the server keeps them: AES-256-GCM-encrypted under
 * KEY_ENCRYPTION_SECRET, bound to the key id.
 */
export const apiKeySecurity = pgTable('api_key_security', {
  apiKeyId: uuid('api_key_id')
    .primaryKey()
    .references(() => apiKeys.id),
  tenantId: uuid('tenant_id')
    .notNull()
    .references(() => tenants.id),
  requireSignature: boolean('require_signature').notNull().default(false),
  requireEncryption: boolean('require_encryption').notNull().default(false),
  /** null: API_KEY_RATE_LIMIT_PER_MINUTE. */
  rateLimitPerMinute: integer('rate_limit_per_minute'),
  signingKeyEncrypted: text('signing_key_encrypted'),
  encryptionKeyEncrypted: text('encryption_key_encrypted'),
  keysIssuedAt: timestamp('keys_issued_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Nonces of signed requests, kept until their timestamp leaves the window; shared by every node. */
export const apiKeyNonces = pgTable(
  'api_key_nonces',
  {
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id),
    nonce: text('nonce').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.nonce] }), index('api_key_nonces_expiry_idx').on(t.expiresAt)],
);

export type ApiKeySecurityRow = typeof apiKeySecurity.$inferSelect;
