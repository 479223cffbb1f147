import { Injectable } from '@nestjs/common';
import { and, desc, eq, getTableColumns, gt, inArray, lte, sql } from 'drizzle-orm';
import { createdAtKey } from '../common/keyset';
import { InjectDb } from '../database/database.module';
import { type Db, PreparedStatements } from '../database/database';
import { isUniqueViolation } from '../database/db-errors';
import type { TenantScope } from '../stations/tenant-scope';
import { ReservationRow, ReservationStatus, reservations } from './commands.tables';
import { beforeCursor } from './newest-first';

export type NewReservation = Omit<typeof reservations.$inferInsert, 'reservationId'>;

export interface ReservationFilters {
  userId?: string;
  stationId?: string;
  status?: ReservationStatus;
}

@Injectable()
export class ReservationsRepository {
  private readonly statements = new PreparedStatements('reservations');

  constructor(@InjectDb() private readonly db: Db) {}

  /** Inserts a pending reservation; null when the connector already has a live one. */
  async insertPending(
    tenantId: string,
    row: Omit<NewReservation, 'tenantId'>,
  ): Promise<ReservationRow | null> {
    try {
      const [inserted] = await this.db
        .insert(reservations)
        .values({ ...row, tenantId })
        .returning();
      return inserted;
    } catch (e) {
      if (isUniqueViolation(e)) return null;
      throw e;
    }
  }

  async setStatus(
    tenantId: string,
    id: string,
    status: ReservationStatus,
    chargerStatus?: string,
  ): Promise<ReservationRow> {
    const [row] = await this.db
      .update(reservations)
      .set({ status, ...(chargerStatus !== undefined && { chargerStatus }), updatedAt: new Date() })
      .where(and(eq(reservations.tenantId, tenantId), eq(reservations.id, id)))
      .returning();
    return row;
  }

  /**
   * Marks live reservations past their expiry expired (of one connector, or all; `scope` null:
   * of every tenant, the periodic sweep); returns how many.
   */
  async expire(
    scope: TenantScope,
    now: Date,
    connector?: { stationId: string; connectorId: number },
  ): Promise<number> {
    const rows = await this.db
      .update(reservations)
      .set({ status: 'expired', updatedAt: now })
      .where(
        and(
          scope === null ? undefined : eq(reservations.tenantId, scope),
          inArray(reservations.status, ['pending', 'active']),
          lte(reservations.expiresAt, now),
          connector ? eq(reservations.stationId, connector.stationId) : undefined,
          connector ? eq(reservations.connectorId, connector.connectorId) : undefined,
        ),
      )
      .returning({ id: reservations.id });
    return rows.length;
  }

  /**
   * Ends a station's live (pending or active) reservation by the reservationId the station knows
   * it by, as the station reported; false when there is none (already ended, or unknown).
   */
  async endLive(
    tenantId: string,
    stationId: string,
    reservationId: number,
    status: Extract<ReservationStatus, 'expired' | 'cancelled'>,
  ): Promise<boolean> {
    const rows = await this.db
      .update(reservations)
      .set({ status, updatedAt: new Date() })
      .where(
        and(
          eq(reservations.tenantId, tenantId),
          eq(reservations.stationId, stationId),
          eq(reservations.reservationId, reservationId),
          inArray(reservations.status, ['pending', 'active']),
        ),
      )
      .returning({ id: reservations.id });
    return rows.length > 0;
  }

  /** The connector's active, unexpired reservation, if any. */
  async findLive(
    tenantId: string,
    stationId: string,
    connectorId: number,
    now: Date,
  ): Promise<ReservationRow | null> {
    const statement = this.statements.get('live', () =>
      this.db
        .select()
        .from(reservations)
        .where(
          and(
            eq(reservations.tenantId, sql.placeholder('tenantId')),
            eq(reservations.stationId, sql.placeholder('stationId')),
            eq(reservations.connectorId, sql.placeholder('connectorId')),
            eq(reservations.status, 'active'),
            gt(reservations.expiresAt, sql.placeholder('now')),
          ),
        ),
    );
    const [row] = await statement.execute({ tenantId, stationId, connectorId, now });
    return row ?? null;
  }

  async findByReservationId(
    tenantId: string,
    stationId: string,
    reservationId: number,
  ): Promise<ReservationRow | null> {
    const [row] = await this.db
      .select()
      .from(reservations)
      .where(
        and(
          eq(reservations.tenantId, tenantId),
          eq(reservations.stationId, stationId),
          eq(reservations.reservationId, reservationId),
        ),
      );
    return row ?? null;
  }

  async findById(tenantId: string | null, id: string): Promise<ReservationRow | null> {
    const [row] = await this.db
      .select()
      .from(reservations)
      .where(
        and(eq(reservations.id, id), tenantId === null ? undefined : eq(reservations.tenantId, tenantId)),
      );
    return row ?? null;
  }

  /** `scope` null: every tenant (root). */
  async list(
    scope: TenantScope,
    f: ReservationFilters,
    limit: number,
    cursor: string | undefined,
  ): Promise<Array<ReservationRow & { cursorKey: string }>> {
    return this.db
      .select({ ...getTableColumns(reservations), cursorKey: createdAtKey(reservations.createdAt) })
      .from(reservations)
      .where(
        and(
          scope === null ? undefined : eq(reservations.tenantId, scope),
          f.userId ? eq(reservations.userId, f.userId) : undefined,
          f.stationId ? eq(reservations.stationId, f.stationId) : undefined,
          f.status ? eq(reservations.status, f.status) : undefined,
          beforeCursor(reservations.createdAt, reservations.id, cursor),
        ),
      )
      .orderBy(desc(reservations.createdAt), desc(reservations.id))
      .limit(limit);
  }
}
