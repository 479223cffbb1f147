import { Injectable } from '@nestjs/common';
import { SQL, and, asc, desc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import { InjectDb } from '../database/database.module';
import { type Db, PreparedStatements } from '../database/database';
import { TariffRow, tariffs } from './tariffs.tables';

export type NewTariff = typeof tariffs.$inferInsert;
export type TariffChanges = Partial<Omit<NewTariff, 'id' | 'tenantId' | 'createdAt' | 'version'>>;
/** null = every tenant (root). */
type Scope = string | null;

const inScope = (scope: Scope): SQL | undefined => (scope === null ? undefined : eq(tariffs.tenantId, scope));

@Injectable()
export class TariffsRepository {
  private readonly statements = new PreparedStatements('tariffs');

  constructor(@InjectDb() private readonly db: Db) {}

  async insert(tenantId: string, values: Omit<NewTariff, 'tenantId'>): Promise<TariffRow> {
    const [row] = await this.db
      .insert(tariffs)
      .values({ ...values, tenantId })
      .returning();
    return row;
  }

  async findById(scope: Scope, id: string): Promise<TariffRow | null> {
    const [row] = await this.db
      .select()
      .from(tariffs)
      .where(and(eq(tariffs.id, id), inScope(scope)));
    return row ?? null;
  }

  /** By name then id; the cursor key is the name. */
  listPage(
    scope: Scope,
    filter: { stationId?: string; siteId?: string },
    limit: number,
    after: { k: string; id: string } | null,
  ): Promise<TariffRow[]> {
    return this.db
      .select()
      .from(tariffs)
      .where(
        and(
          inScope(scope),
          filter.stationId ? eq(tariffs.stationId, filter.stationId) : undefined,
          filter.siteId ? eq(tariffs.siteId, filter.siteId) : undefined,
          after
            ? or(gt(tariffs.name, after.k), and(eq(tariffs.name, after.k), gt(tariffs.id, after.id)))
            : undefined,
        ),
      )
      .orderBy(asc(tariffs.name), asc(tariffs.id))
      .limit(limit);
  }

  /** Edits in place and bumps the version. */
  async update(scope: Scope, id: string, changes: TariffChanges): Promise<TariffRow | null> {
    const [row] = await this.db
      .update(tariffs)
      .set({ ...changes, version: sql`${tariffs.version} + 1`, updatedAt: new Date() })
      .where(and(eq(tariffs.id, id), inScope(scope)))
      .returning();
    return row ?? null;
  }

  async delete(scope: Scope, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(tariffs)
      .where(and(eq(tariffs.id, id), inScope(scope)))
      .returning({ id: tariffs.id });
    return rows.length > 0;
  }

  /**
   * The tariff in force at `at` for a station: station-specific beats site beats tenant default;
   * within one level the latest validFrom (an open start counts as oldest), then the newest, wins.
   */
  async inForce(
    tenantId: string,
    stationId: string,
    siteId: string | null,
    at: Date,
  ): Promise<TariffRow | null> {
    const statement = this.statements.get(siteId ? 'in_force_with_site' : 'in_force', () => {
      const tenantDefault = and(isNull(tariffs.stationId), isNull(tariffs.siteId));
      const asOf = sql.placeholder('at');
      return this.db
        .select()
        .from(tariffs)
        .where(
          and(
            eq(tariffs.tenantId, sql.placeholder('tenantId')),
            or(
              eq(tariffs.stationId, sql.placeholder('stationId')),
              siteId ? eq(tariffs.siteId, sql.placeholder('siteId')) : undefined,
              tenantDefault,
            ),
            or(isNull(tariffs.validFrom), lte(tariffs.validFrom, asOf)),
            or(isNull(tariffs.validUntil), gt(tariffs.validUntil, asOf)),
          ),
        )
        .orderBy(
          sql`case when ${tariffs.stationId} is not null then 0 when ${tariffs.siteId} is not null then 1 else 2 end`,
          sql`${tariffs.validFrom} desc nulls last`,
          desc(tariffs.createdAt),
          desc(tariffs.id),
        )
        .limit(1);
    });
    const [row] = await statement.execute({ tenantId, stationId, siteId, at });
    return row ?? null;
  }
}
