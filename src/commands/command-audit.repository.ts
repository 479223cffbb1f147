import { Injectable } from '@nestjs/common';
import { SQL, and, desc, eq, gte, lt, lte, or } from 'drizzle-orm';
import type { Cursor } from '../common/pagination';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import { CommandAuditRow, commandAudit } from './commands.tables';

export type NewAuditEntry = typeof commandAudit.$inferInsert;

export interface AuditFilters {
  stationId?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

@Injectable()
export class CommandAuditRepository {
  constructor(@InjectDb() private readonly db: Db) {}

  async insert(entry: NewAuditEntry): Promise<CommandAuditRow> {
    const [row] = await this.db.insert(commandAudit).values(entry).returning();
    return row;
  }

  /** Newest first; `tenantId` null lists every tenant (root). */
  async listPage(
    tenantId: string | null,
    f: AuditFilters,
    limit: number,
    after: Cursor | null,
  ): Promise<CommandAuditRow[]> {
    const conditions: (SQL | undefined)[] = [
      tenantId === null ? undefined : eq(commandAudit.tenantId, tenantId),
      f.stationId ? eq(commandAudit.stationId, f.stationId) : undefined,
      f.action ? eq(commandAudit.action, f.action) : undefined,
      f.from ? gte(commandAudit.at, f.from) : undefined,
      f.to ? lte(commandAudit.at, f.to) : undefined,
    ];
    if (after) {
      const at = new Date(after.k);
      conditions.push(
        or(lt(commandAudit.at, at), and(eq(commandAudit.at, at), lt(commandAudit.id, after.id))),
      );
    }
    return this.db
      .select()
      .from(commandAudit)
      .where(and(...conditions))
      .orderBy(desc(commandAudit.at), desc(commandAudit.id))
      .limit(limit);
  }
}
