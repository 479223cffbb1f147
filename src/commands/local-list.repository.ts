import { Injectable } from '@nestjs/common';
import { and, eq } from 'drizzle-orm';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import { LocalListEntry, LocalListRow, localLists } from './commands.tables';

@Injectable()
export class LocalListRepository {
  constructor(@InjectDb() private readonly db: Db) {}

  async find(tenantId: string, stationId: string): Promise<LocalListRow | null> {
    const [row] = await this.db
      .select()
      .from(localLists)
      .where(and(eq(localLists.tenantId, tenantId), eq(localLists.stationId, stationId)));
    return row ?? null;
  }

  async save(
    tenantId: string,
    stationId: string,
    listVersion: number,
    entries: Record<string, LocalListEntry>,
  ): Promise<void> {
    const values = { tenantId, stationId, listVersion, entries, sentAt: new Date() };
    await this.db
      .insert(localLists)
      .values(values)
      .onConflictDoUpdate({
        target: localLists.stationId,
        set: { listVersion, entries, sentAt: values.sentAt },
      });
  }
}
