import { Injectable } from '@nestjs/common';
import { SQL, and, desc, eq, getTableColumns, gte, lte } from 'drizzle-orm';
import { createdAtKey } from '../common/keyset';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import { redactSecrets, redactText } from '../ocpp/gateway/frame-redaction';
import { CommandAuditRow, commandAudit } from './commands.tables';
import { beforeCursor } from './newest-first';

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

  /** Stored with its secrets masked (AuthorizationKey values, diagnostics upload tokens). */
  async insert(tenantId: string, entry: Omit<NewAuditEntry, 'tenantId'>): Promise<CommandAuditRow> {
    const [row] = await this.db
      .insert(commandAudit)
      .values({
        ...entry,
        tenantId,
        request: redactSecrets(entry.request),
        reply: redactSecrets(entry.reply),
        errorMessage: entry.errorMessage && redactText(entry.errorMessage),
      })
      .returning();
    return row;
  }

  /** The charger's reply, or why none came, on an entry written before the call was sent. */
  async recordOutcome(
    tenantId: string,
    id: string,
    outcome: Pick<NewAuditEntry, 'reply' | 'errorCode' | 'errorMessage' | 'durationMs'>,
  ): Promise<void> {
    await this.db
      .update(commandAudit)
      .set({
        ...outcome,
        reply: redactSecrets(outcome.reply),
        errorMessage: outcome.errorMessage && redactText(outcome.errorMessage),
      })
      .where(and(eq(commandAudit.tenantId, tenantId), eq(commandAudit.id, id)));
  }

  /** Newest first; `tenantId` null lists every tenant (root). */
  async listPage(
    tenantId: string | null,
    f: AuditFilters,
    limit: number,
    cursor: string | undefined,
  ): Promise<Array<CommandAuditRow & { cursorKey: string }>> {
    const conditions: (SQL | undefined)[] = [
      tenantId === null ? undefined : eq(commandAudit.tenantId, tenantId),
      f.stationId ? eq(commandAudit.stationId, f.stationId) : undefined,
      f.action ? eq(commandAudit.action, f.action) : undefined,
      f.from ? gte(commandAudit.at, f.from) : undefined,
      f.to ? lte(commandAudit.at, f.to) : undefined,
      beforeCursor(commandAudit.at, commandAudit.id, cursor),
    ];
    return this.db
      .select({ ...getTableColumns(commandAudit), cursorKey: createdAtKey(commandAudit.at) })
      .from(commandAudit)
      .where(and(...conditions))
      .orderBy(desc(commandAudit.at), desc(commandAudit.id))
      .limit(limit);
  }
}
