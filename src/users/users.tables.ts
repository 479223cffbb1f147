import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ROLES } from '../common/actor';
import { tenants } from '../tenants/tenants.tables';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    /** Stored lower-case; unique across the platform so login needs no tenant. */
    username: text('username').notNull(),
    email: text('email'),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ROLES }).notNull().default('user'),
    status: text('status', { enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    /** Bumped on password change and logout-everywhere; tokens issued before it are refused. */
    tokensValidAfter: timestamp('tokens_valid_after', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_username_key').on(t.username),
    uniqueIndex('users_email_key')
      .on(t.email)
      .where(sql`${t.email} is not null`),
    index('users_tenant_idx').on(t.tenantId),
  ],
);

export const idTags = pgTable(
  'id_tags',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    userId: uuid('user_id').references(() => users.id),
    /** OCPP 1.6 IdToken: at most 20 characters. */
    idTag: text('id_tag').notNull(),
    kind: text('kind', { enum: ['app', 'rfid'] }).notNull(),
    status: text('status', { enum: ['active', 'blocked'] })
      .notNull()
      .default('active'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    parentIdTag: text('parent_id_tag'),
    vehicleLabel: text('vehicle_label'),
    vehiclePlate: text('vehicle_plate'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('id_tags_tenant_tag_key').on(t.tenantId, t.idTag),
    index('id_tags_user_idx').on(t.userId),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type IdTagRow = typeof idTags.$inferSelect;
