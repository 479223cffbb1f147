import { Injectable } from '@nestjs/common';
import { and, count, desc, eq, gte, isNull } from 'drizzle-orm';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import {
  type CertificateDeliveryStatus,
  type IssuedCertificateRow,
  issuedCertificates,
} from './certificates.tables';

const t = issuedCertificates;

/** The issued_certificates table: what Kilowatt's CA signed for each station. */
@Injectable()
export class CertificatesRepository {
  constructor(@InjectDb() private readonly db: Db) {}

  async insertIssued(
    tenantId: string,
    row: Omit<typeof t.$inferInsert, 'tenantId' | 'id' | 'deliveryStatus' | 'deliveryError'>,
  ): Promise<IssuedCertificateRow> {
    const [inserted] = await this.db
      .insert(t)
      .values({ ...row, tenantId })
      .returning();
    return inserted;
  }

  async recordDelivery(
    tenantId: string,
    id: string,
    status: Exclude<CertificateDeliveryStatus, 'pending'>,
    error: string | null,
    at: Date,
  ): Promise<void> {
    await this.db
      .update(t)
      .set({ deliveryStatus: status, deliveryError: error, deliveredAt: at })
      .where(and(eq(t.tenantId, tenantId), eq(t.id, id)));
  }

  async countIssuedSince(tenantId: string, stationId: string, since: Date): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.stationId, stationId), gte(t.issuedAt, since)));
    return row.n;
  }

  findBySerial(serialNumber: string): Promise<IssuedCertificateRow | undefined> {
    return this.db
      .select()
      .from(t)
      .where(eq(t.serialNumber, serialNumber))
      .then(([row]) => row);
  }

  /**
   * Revokes one of the station's certificates once (a second revocation keeps the first time);
   * `revokedNow` tells whether this call did it.
   */
  async revoke(
    tenantId: string,
    stationId: string,
    id: string,
    at: Date,
  ): Promise<{ row: IssuedCertificateRow; revokedNow: boolean } | undefined> {
    const mine = and(eq(t.tenantId, tenantId), eq(t.stationId, stationId), eq(t.id, id));
    const [revoked] = await this.db
      .update(t)
      .set({ revokedAt: at })
      .where(and(mine, isNull(t.revokedAt)))
      .returning();
    if (revoked) return { row: revoked, revokedNow: true };
    const [row] = await this.db.select().from(t).where(mine);
    return row && { row, revokedNow: false };
  }

  /** Newest first. */
  listByStation(tenantId: string, stationId: string, limit: number): Promise<IssuedCertificateRow[]> {
    return this.db
      .select()
      .from(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.stationId, stationId)))
      .orderBy(desc(t.issuedAt), desc(t.id))
      .limit(limit);
  }
}
