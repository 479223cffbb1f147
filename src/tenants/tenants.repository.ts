import { Injectable } from '@nestjs/common';
import { SQL, and, asc, eq, getTableColumns } from 'drizzle-orm';
import { afterCursor, createdAtKey } from '../common/keyset';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import { TenantRow, tenants } from './tenants.tables';

export type NewTenant = Pick<TenantRow, 'slug' | 'name'> &
  Partial<Pick<TenantRow, 'allowAutoRegistration' | 'allowUserReservations'>>;
export type TenantPatch = Partial<
  Pick<TenantRow, 'name' | 'status' | 'allowAutoRegistration' | 'allowUserReservations'>
>;

@Injectable()
export class TenantsRepository {
  constructor(@InjectDb() private readonly db: Db) {}

  async insertIfAbsent(values: NewTenant): Promise<void> {
    await this.db.insert(tenants).values(values).onConflictDoNothing({ target: tenants.slug });
  }

  async insert(values: NewTenant): Promise<TenantRow> {
    const [row] = await this.db.insert(tenants).values(values).returning();
    return row;
  }

  async findById(id: string): Promise<TenantRow | null> {
    const [row] = await this.db.select().from(tenants).where(eq(tenants.id, id));
    return row ?? null;
  }

  async findBySlug(slug: string): Promise<TenantRow | null> {
    const [row] = await this.db.select().from(tenants).where(eq(tenants.slug, slug));
    return row ?? null;
  }

  async list(f: {
    status?: TenantRow['status'];
    limit: number;
    cursor?: string;
  }): Promise<Array<TenantRow & { cursorKey: string }>> {
    const where: SQL[] = [];
    if (f.status) where.push(eq(tenants.status, f.status));
    const after = afterCursor(tenants.createdAt, tenants.id, f.cursor);
    if (after) where.push(after);
    return this.db
      .select({ ...getTableColumns(tenants), cursorKey: createdAtKey(tenants.createdAt) })
      .from(tenants)
      .where(and(...where))
      .orderBy(asc(tenants.createdAt), asc(tenants.id))
      .limit(f.limit + 1);
  }

  async update(id: string, patch: TenantPatch): Promise<TenantRow> {
    const [row] = await this.db
      .update(tenants)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(tenants.id, id))
      .returning();
    return row;
  }
}
