import { Injectable } from '@nestjs/common';
import { SQL, and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import { afterCursor, createdAtKey } from '../common/keyset';
import { InjectDb } from '../database/database.module';
import { type Db, type DbOrTx, PreparedStatements } from '../database/database';
import { IdTagRow, idTags, users } from './users.tables';

export interface IdTagFilter {
  userId?: string;
  limit: number;
  cursor?: string;
}

export type NewIdTag = Pick<IdTagRow, 'idTag' | 'kind'> &
  Partial<
    Pick<IdTagRow, 'userId' | 'status' | 'expiresAt' | 'parentIdTag' | 'vehicleLabel' | 'vehiclePlate'>
  >;

export type IdTagPatch = Partial<
  Pick<IdTagRow, 'status' | 'expiresAt' | 'parentIdTag' | 'vehicleLabel' | 'vehiclePlate'>
>;

@Injectable()
export class IdTagsRepository {
  private readonly statements = new PreparedStatements('id_tags');

  constructor(@InjectDb() private readonly db: Db) {}

  async insert(tenantId: string, values: NewIdTag, tx: DbOrTx = this.db): Promise<IdTagRow> {
    const [row] = await tx
      .insert(idTags)
      .values({ ...values, tenantId })
      .returning();
    return row;
  }

  async findInTenant(tenantId: string | undefined, id: string): Promise<IdTagRow | null> {
    const where: SQL[] = [eq(idTags.id, id)];
    if (tenantId) where.push(eq(idTags.tenantId, tenantId));
    const [row] = await this.db
      .select()
      .from(idTags)
      .where(and(...where));
    return row ?? null;
  }

  async findByValue(tenantId: string, idTag: string): Promise<IdTagRow | null> {
    const statement = this.statements.get('by_value', () =>
      this.db
        .select()
        .from(idTags)
        .where(
          and(eq(idTags.tenantId, sql.placeholder('tenantId')), eq(idTags.idTag, sql.placeholder('idTag'))),
        ),
    );
    const [row] = await statement.execute({ tenantId, idTag });
    return row ?? null;
  }

  /** The account's own app idTag (the first one created with it). */
  async appTagOf(tenantId: string, userId: string): Promise<IdTagRow | null> {
    const [row] = await this.db
      .select()
      .from(idTags)
      .where(and(eq(idTags.tenantId, tenantId), eq(idTags.userId, userId), eq(idTags.kind, 'app')))
      .orderBy(asc(idTags.createdAt))
      .limit(1);
    return row ?? null;
  }

  /** `tenantId` undefined: every tenant (root). */
  async list(tenantId: string | undefined, f: IdTagFilter): Promise<Array<IdTagRow & { cursorKey: string }>> {
    const where: SQL[] = [];
    if (tenantId) where.push(eq(idTags.tenantId, tenantId));
    if (f.userId) where.push(eq(idTags.userId, f.userId));
    const after = afterCursor(idTags.createdAt, idTags.id, f.cursor);
    if (after) where.push(after);
    return this.db
      .select({ ...getTableColumns(idTags), cursorKey: createdAtKey(idTags.createdAt) })
      .from(idTags)
      .where(and(...where))
      .orderBy(asc(idTags.createdAt), asc(idTags.id))
      .limit(f.limit + 1);
  }

  async update(tenantId: string, id: string, patch: IdTagPatch): Promise<IdTagRow> {
    const [row] = await this.db
      .update(idTags)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(idTags.tenantId, tenantId), eq(idTags.id, id)))
      .returning();
    return row;
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.db.delete(idTags).where(and(eq(idTags.tenantId, tenantId), eq(idTags.id, id)));
  }

  /** Every idTag of the tenant with its owner's account status (read-only, for local lists). */
  async listWithOwnerStatus(tenantId: string): Promise<Array<IdTagRow & { ownerStatus: string | null }>> {
    return this.db
      .select({ ...getTableColumns(idTags), ownerStatus: users.status })
      .from(idTags)
      .leftJoin(users, eq(users.id, idTags.userId))
      .where(eq(idTags.tenantId, tenantId))
      .orderBy(asc(idTags.idTag));
  }
}
