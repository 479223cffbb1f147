import { Injectable } from '@nestjs/common';
import { and, asc, eq, gt, or, SQL } from 'drizzle-orm';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import { SiteRow, sites } from './stations.tables';
import type { TenantScope } from './tenant-scope';

export type NewSite = typeof sites.$inferInsert;
export type SiteChanges = Partial<Omit<NewSite, 'id' | 'tenantId' | 'createdAt'>>;

const inScope = (scope: TenantScope): SQL | undefined =>
  scope === null ? undefined : eq(sites.tenantId, scope);

@Injectable()
export class SitesRepository {
  constructor(@InjectDb() private readonly db: Db) {}

  async insert(tenantId: string, values: Omit<NewSite, 'tenantId'>): Promise<SiteRow> {
    const [row] = await this.db
      .insert(sites)
      .values({ ...values, tenantId })
      .returning();
    return row;
  }

  async findById(scope: TenantScope, id: string): Promise<SiteRow | null> {
    const [row] = await this.db
      .select()
      .from(sites)
      .where(and(eq(sites.id, id), inScope(scope)));
    return row ?? null;
  }

  /** Ordered by name then id; `after` is the last (name, id) of the previous page. */
  listPage(
    scope: TenantScope,
    limit: number,
    after: { name: string; id: string } | null,
  ): Promise<SiteRow[]> {
    const keyset = after
      ? or(gt(sites.name, after.name), and(eq(sites.name, after.name), gt(sites.id, after.id)))
      : undefined;
    return this.db
      .select()
      .from(sites)
      .where(and(inScope(scope), keyset))
      .orderBy(asc(sites.name), asc(sites.id))
      .limit(limit);
  }

  async update(scope: TenantScope, id: string, changes: SiteChanges): Promise<SiteRow | null> {
    const [row] = await this.db
      .update(sites)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(sites.id, id), inScope(scope)))
      .returning();
    return row ?? null;
  }

  async delete(scope: TenantScope, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(sites)
      .where(and(eq(sites.id, id), inScope(scope)))
      .returning({ id: sites.id });
    return rows.length > 0;
  }
}
