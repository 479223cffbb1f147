import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import type { TenantScope } from '../stations/tenant-scope';
import {
  FirmwareRolloutRow,
  FirmwareUpdateRow,
  FirmwareUpdateStatus,
  firmwareRollouts,
  firmwareUpdates,
} from './commands.tables';

/** Updates whose progress a FirmwareStatusNotification continues. */
const IN_PROGRESS: FirmwareUpdateStatus[] = ['pending', 'sent', 'Downloading', 'Downloaded', 'Installing'];

export type NewRollout = typeof firmwareRollouts.$inferInsert;
export type NewFirmwareUpdate = typeof firmwareUpdates.$inferInsert;

@Injectable()
export class FirmwareRepository {
  constructor(@InjectDb() private readonly db: Db) {}

  async insertRollout(
    tenantId: string,
    rollout: Omit<NewRollout, 'tenantId'>,
    targets: { stationId: string; chargePointId: string }[],
  ): Promise<{ rollout: FirmwareRolloutRow; updates: FirmwareUpdateRow[] }> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(firmwareRollouts)
        .values({ ...rollout, tenantId })
        .returning();
      const updates =
        targets.length === 0
          ? []
          : await tx
              .insert(firmwareUpdates)
              .values(
                targets.map(({ stationId, chargePointId }) => ({
                  tenantId,
                  stationId,
                  chargePointId,
                  rolloutId: row.id,
                  location: row.location,
                  retrieveDate: row.retrieveDate,
                })),
              )
              .returning();
      return { rollout: row, updates };
    });
  }

  async insertUpdate(
    tenantId: string,
    update: Omit<NewFirmwareUpdate, 'tenantId'>,
  ): Promise<FirmwareUpdateRow> {
    const [row] = await this.db
      .insert(firmwareUpdates)
      .values({ ...update, tenantId })
      .returning();
    return row;
  }

  async setStatus(
    tenantId: string,
    id: string,
    status: FirmwareUpdateStatus,
    errorCode: string | null = null,
  ): Promise<void> {
    await this.db
      .update(firmwareUpdates)
      .set({ status, errorCode, updatedAt: new Date() })
      .where(and(eq(firmwareUpdates.tenantId, tenantId), eq(firmwareUpdates.id, id)));
  }

  async markSent(tenantId: string, id: string): Promise<void> {
    await this.db
      .update(firmwareUpdates)
      .set({ status: 'sent', updatedAt: new Date() })
      .where(
        and(
          eq(firmwareUpdates.tenantId, tenantId),
          eq(firmwareUpdates.id, id),
          eq(firmwareUpdates.status, 'pending'),
        ),
      );
  }

  /** The UpdateFirmware requestId of a 2.0.1 station's update, stored before it is sent. */
  async setRequestId(tenantId: string, id: string, requestId: number): Promise<void> {
    await this.db
      .update(firmwareUpdates)
      .set({ requestId })
      .where(and(eq(firmwareUpdates.tenantId, tenantId), eq(firmwareUpdates.id, id)));
  }

  /**
   * Moves the station's update in progress on: the one sent with `requestId` when the station
   * names one (2.0.1), else the newest; false when none is in progress.
   */
  async advanceLatest(
    tenantId: string,
    stationId: string,
    status: FirmwareUpdateStatus,
    requestId?: number,
  ): Promise<boolean> {
    const [latest] = await this.db
      .select({ id: firmwareUpdates.id })
      .from(firmwareUpdates)
      .where(
        and(
          eq(firmwareUpdates.tenantId, tenantId),
          eq(firmwareUpdates.stationId, stationId),
          inArray(firmwareUpdates.status, IN_PROGRESS),
          requestId === undefined ? undefined : eq(firmwareUpdates.requestId, requestId),
        ),
      )
      .orderBy(desc(firmwareUpdates.createdAt))
      .limit(1);
    if (!latest) return false;
    await this.setStatus(tenantId, latest.id, status);
    return true;
  }

  async findRollout(tenantId: string | null, id: string): Promise<FirmwareRolloutRow | null> {
    const [row] = await this.db
      .select()
      .from(firmwareRollouts)
      .where(
        and(
          eq(firmwareRollouts.id, id),
          tenantId === null ? undefined : eq(firmwareRollouts.tenantId, tenantId),
        ),
      );
    return row ?? null;
  }

  async updatesOfRollout(tenantId: string, rolloutId: string): Promise<FirmwareUpdateRow[]> {
    return this.db
      .select()
      .from(firmwareUpdates)
      .where(and(eq(firmwareUpdates.tenantId, tenantId), eq(firmwareUpdates.rolloutId, rolloutId)))
      .orderBy(asc(firmwareUpdates.chargePointId));
  }

  /** `scope` null: the station in whichever tenant (root). */
  async updatesOfStation(scope: TenantScope, stationId: string, limit: number): Promise<FirmwareUpdateRow[]> {
    return this.db
      .select()
      .from(firmwareUpdates)
      .where(
        and(
          scope === null ? undefined : eq(firmwareUpdates.tenantId, scope),
          eq(firmwareUpdates.stationId, stationId),
        ),
      )
      .orderBy(desc(firmwareUpdates.createdAt))
      .limit(limit);
  }
}
