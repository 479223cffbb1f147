import { Injectable } from '@nestjs/common';
import { SQL, and, desc, eq, getTableColumns, gte, lt, lte } from 'drizzle-orm';
import { beforeCursor } from '../../commands/newest-first';
import { createdAtKey } from '../../common/keyset';
import { InjectDb } from '../../database/database.module';
import type { Db } from '../../database/database';
import { SecurityEventRow, SecurityEventType, securityEvents } from './security-events.tables';

export type NewSecurityEvent = typeof securityEvents.$inferInsert;

export interface SecurityEventFilters {
  type?: SecurityEventType;
  from?: Date;
  to?: Date;
}

@Injectable()
export class SecurityEventsRepository {
  constructor(@InjectDb() private readonly db: Db) {}

  /** `tenantId` null: an event no tenant is known for (a login with an unknown name). */
  async insert(tenantId: string | null, event: Omit<NewSecurityEvent, 'tenantId'>): Promise<void> {
    await this.db.insert(securityEvents).values({ ...event, tenantId });
  }

  /** Newest first; `tenantId` undefined lists every tenant and the tenant-less events (root). */
  listPage(
    tenantId: string | undefined,
    f: SecurityEventFilters,
    limit: number,
    cursor: string | undefined,
  ): Promise<Array<SecurityEventRow & { cursorKey: string }>> {
    const conditions: (SQL | undefined)[] = [
      tenantId === undefined ? undefined : eq(securityEvents.tenantId, tenantId),
      f.type ? eq(securityEvents.type, f.type) : undefined,
      f.from ? gte(securityEvents.at, f.from) : undefined,
      f.to ? lte(securityEvents.at, f.to) : undefined,
      beforeCursor(securityEvents.at, securityEvents.id, cursor),
    ];
    return this.db
      .select({ ...getTableColumns(securityEvents), cursorKey: createdAtKey(securityEvents.at) })
      .from(securityEvents)
      .where(and(...conditions))
      .orderBy(desc(securityEvents.at), desc(securityEvents.id))
      .limit(limit + 1);
  }

  async findInTenant(tenantId: string | undefined, id: string): Promise<SecurityEventRow | null> {
    const where = [eq(securityEvents.id, id), ...(tenantId ? [eq(securityEvents.tenantId, tenantId)] : [])];
    const [row] = await this.db
      .select()
      .from(securityEvents)
      .where(and(...where));
    return row ?? null;
  }

  async pruneBefore(cutoff: Date): Promise<void> {
    await this.db.delete(securityEvents).where(lt(securityEvents.at, cutoff));
  }
}
