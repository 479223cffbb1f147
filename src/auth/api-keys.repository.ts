import { Injectable } from '@nestjs/common';
import { SQL, and, asc, eq, getTableColumns, isNull, lt, or } from 'drizzle-orm';
import { afterCursor, createdAtKey } from '../common/keyset';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import { ApiKeyRow, apiKeys } from './auth.tables';

export type NewApiKey = Pick<ApiKeyRow, 'tenantId' | 'name' | 'prefix' | 'secretHash' | 'scopes'> &
  Partial<Pick<ApiKeyRow, 'createdByUserId' | 'expiresAt'>>;

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDb() private readonly db: Db) {}

  async insert(tenantId: string, values: Omit<NewApiKey, 'tenantId'>): Promise<ApiKeyRow> {
    const [row] = await this.db
      .insert(apiKeys)
      .values({ ...values, tenantId })
      .returning();
    return row;
  }

  async findByPrefix(prefix: string): Promise<ApiKeyRow | null> {
    const [row] = await this.db.select().from(apiKeys).where(eq(apiKeys.prefix, prefix));
    return row ?? null;
  }

  async findById(id: string): Promise<ApiKeyRow | null> {
    const [row] = await this.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    return row ?? null;
  }

  /** `tenantId` undefined: any tenant (root). */
  async findInTenant(tenantId: string | undefined, id: string): Promise<ApiKeyRow | null> {
    const where: SQL[] = [eq(apiKeys.id, id)];
    if (tenantId) where.push(eq(apiKeys.tenantId, tenantId));
    const [row] = await this.db
      .select()
      .from(apiKeys)
      .where(and(...where));
    return row ?? null;
  }

  /** `tenantId` undefined: every tenant (root). */
  async list(tenantId: string | undefined, f: { limit: number; cursor?: string }) {
    const where: SQL[] = [];
    if (tenantId) where.push(eq(apiKeys.tenantId, tenantId));
    const after = afterCursor(apiKeys.createdAt, apiKeys.id, f.cursor);
    if (after) where.push(after);
    return this.db
      .select({ ...getTableColumns(apiKeys), cursorKey: createdAtKey(apiKeys.createdAt) })
      .from(apiKeys)
      .where(and(...where))
      .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))
      .limit(f.limit + 1);
  }

  async revoke(tenantId: string, id: string): Promise<void> {
    await this.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
  }

  /** Records use, at most once per `coalesceMs` per key whichever node serves it. */
  async touch(tenantId: string, id: string, now: Date, coalesceMs: number): Promise<void> {
    await this.db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(apiKeys.tenantId, tenantId),
          eq(apiKeys.id, id),
          or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - coalesceMs))),
        ),
      );
  }
}
