import { Injectable } from '@nestjs/common';
import { and, desc, eq, getTableColumns, gt, inArray, isNull } from 'drizzle-orm';
import { createdAtKey } from '../common/keyset';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import { DiagnosticsRequestRow, DiagnosticsRequestStatus, diagnosticsRequests } from './commands.tables';
import { beforeCursor } from './newest-first';

export type NewDiagnosticsRequest = typeof diagnosticsRequests.$inferInsert;

@Injectable()
export class DiagnosticsRepository {
  constructor(@InjectDb() private readonly db: Db) {}

  async insert(
    tenantId: string,
    row: Omit<NewDiagnosticsRequest, 'tenantId'>,
  ): Promise<DiagnosticsRequestRow> {
    const [inserted] = await this.db
      .insert(diagnosticsRequests)
      .values({ ...row, tenantId })
      .returning();
    return inserted;
  }

  async update(
    tenantId: string,
    id: string,
    changes: Partial<Pick<DiagnosticsRequestRow, 'status' | 'fileName'>>,
  ): Promise<void> {
    await this.db
      .update(diagnosticsRequests)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(diagnosticsRequests.tenantId, tenantId), eq(diagnosticsRequests.id, id)));
  }

  /** The request an unexpired, unused upload token belongs to. */
  async findByOpenToken(tokenHash: string, now: Date): Promise<DiagnosticsRequestRow | null> {
    const [row] = await this.db
      .select()
      .from(diagnosticsRequests)
      .where(
        and(
          eq(diagnosticsRequests.tokenHash, tokenHash),
          gt(diagnosticsRequests.tokenExpiresAt, now),
          isNull(diagnosticsRequests.receivedAt),
        ),
      );
    return row ?? null;
  }

  /** Records the file once; false when another upload with the same token won. */
  async markReceived(
    tenantId: string,
    id: string,
    file: { fileName: string; sizeBytes: number; sha256: string; contentType: string | null },
  ): Promise<boolean> {
    const rows = await this.db
      .update(diagnosticsRequests)
      .set({ ...file, status: 'Uploaded', receivedAt: new Date(), updatedAt: new Date() })
      .where(
        and(
          eq(diagnosticsRequests.tenantId, tenantId),
          eq(diagnosticsRequests.id, id),
          isNull(diagnosticsRequests.receivedAt),
        ),
      )
      .returning({ id: diagnosticsRequests.id });
    return rows.length === 1;
  }

  /** From DiagnosticsStatusNotification: the station's newest request still waiting for its file. */
  /**
   * Moves the station's upload in progress on: the one asked with `requestId` when the station
   * names one (2.0.1), else the newest.
   */
  async advanceLatest(
    tenantId: string,
    stationId: string,
    status: DiagnosticsRequestStatus,
    requestId?: number,
  ): Promise<void> {
    const [latest] = await this.db
      .select({ id: diagnosticsRequests.id })
      .from(diagnosticsRequests)
      .where(
        and(
          eq(diagnosticsRequests.tenantId, tenantId),
          eq(diagnosticsRequests.stationId, stationId),
          isNull(diagnosticsRequests.receivedAt),
          inArray(diagnosticsRequests.status, ['requested', 'Uploading']),
          requestId === undefined ? undefined : eq(diagnosticsRequests.requestId, requestId),
        ),
      )
      .orderBy(desc(diagnosticsRequests.createdAt))
      .limit(1);
    if (latest) await this.update(tenantId, latest.id, { status });
  }

  async listForStation(
    tenantId: string,
    stationId: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<Array<DiagnosticsRequestRow & { cursorKey: string }>> {
    return this.db
      .select({
        ...getTableColumns(diagnosticsRequests),
        cursorKey: createdAtKey(diagnosticsRequests.createdAt),
      })
      .from(diagnosticsRequests)
      .where(
        and(
          eq(diagnosticsRequests.tenantId, tenantId),
          eq(diagnosticsRequests.stationId, stationId),
          beforeCursor(diagnosticsRequests.createdAt, diagnosticsRequests.id, cursor),
        ),
      )
      .orderBy(desc(diagnosticsRequests.createdAt), desc(diagnosticsRequests.id))
      .limit(limit);
  }

  async findForStation(
    tenantId: string,
    stationId: string,
    id: string,
  ): Promise<DiagnosticsRequestRow | null> {
    const [row] = await this.db
      .select()
      .from(diagnosticsRequests)
      .where(
        and(
          eq(diagnosticsRequests.tenantId, tenantId),
          eq(diagnosticsRequests.stationId, stationId),
          eq(diagnosticsRequests.id, id),
        ),
      );
    return row ?? null;
  }
}
