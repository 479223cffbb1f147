import { Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import { TenantRow, tenants } from './tenants.tables';

export const DEFAULT_TENANT_SLUG = 'default';

@Injectable()
export class TenantsService {
  constructor(@InjectDb() private readonly db: Db) {}

  /** Idempotent, and safe when several nodes start at once. */
  async ensureDefaultTenant(): Promise<TenantRow> {
    await this.db
      .insert(tenants)
      .values({ slug: DEFAULT_TENANT_SLUG, name: 'Default' })
      .onConflictDoNothing({ target: tenants.slug });
    const [row] = await this.db.select().from(tenants).where(eq(tenants.slug, DEFAULT_TENANT_SLUG));
    return row;
  }

  async create(input: { slug: string; name: string; allowAutoRegistration?: boolean }): Promise<TenantRow> {
    const [row] = await this.db.insert(tenants).values(input).returning();
    return row;
  }

  async findById(id: string): Promise<TenantRow | null> {
    const [row] = await this.db.select().from(tenants).where(eq(tenants.id, id));
    return row ?? null;
  }
}
