import { Injectable } from '@nestjs/common';
import { SQL, and, asc, eq, gt, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { InjectDb } from '../database/database.module';
import { type Db, PreparedStatements } from '../database/database';
import { type ConnectorStandard, typeOfStandard } from './connector-standards';
import type { GeoPoint } from './site-rules';
import { ConnectorRow, StationRow, connectors, sites, stations } from './stations.tables';
import type { TenantScope } from './tenant-scope';

export type NewStation = typeof stations.$inferInsert;
export type StationChanges = Partial<
  Pick<
    NewStation,
    | 'name'
    | 'siteId'
    | 'securityProfile'
    | 'passwordHash'
    | 'previousPasswordHash'
    | 'registrationStatus'
    | 'ocppVersions'
  >
>;

export interface StationFilters {
  acceptedOnly: boolean;
  near?: GeoPoint;
  radiusM?: number;
  siteId?: string;
  status?: string;
  connectorType?: string;
  minPowerW?: number;
}

export interface ConnectorStatusReport {
  status: string;
  errorCode?: string;
  info?: string | null;
  vendorErrorCode?: string | null;
  at?: Date;
}

/** What an operator declares about a connector; the optional facts are null when left out. */
export interface DeclaredConnector {
  connectorId: number;
  evseId?: number | null;
  standard: ConnectorStandard;
  format: 'SOCKET' | 'CABLE';
  powerType: 'AC_1_PHASE' | 'AC_3_PHASE' | 'DC';
  maxPowerW: number;
  maxVoltageV?: number | null;
  maxAmperageA?: number | null;
}

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance from a point to the station's site (haversine; null without coordinates). */
const distanceFrom = (
  p: GeoPoint,
): SQL<number> => sql<number>`(${EARTH_RADIUS_M}::float8 * 2 * asin(least(1, sqrt(
  power(sin(radians(${sites.latitude} - ${p.latitude}::float8) / 2), 2) +
  cos(radians(${p.latitude}::float8)) * cos(radians(${sites.latitude})) *
  power(sin(radians(${sites.longitude} - ${p.longitude}::float8) / 2), 2)))))`;

const inScope = (scope: TenantScope) => (scope === null ? undefined : eq(stations.tenantId, scope));

@Injectable()
export class StationsRepository {
  private readonly statements = new PreparedStatements('stations');

  constructor(@InjectDb() private readonly db: Db) {}

  /** A new station with the connectors declared for it, in one transaction. */
  async insert(
    tenantId: string,
    values: Omit<NewStation, 'tenantId'>,
    declared: DeclaredConnector[] = [],
  ): Promise<StationRow> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(stations)
        .values({ ...values, tenantId })
        .returning();
      await this.declare(tx, row, declared);
      return row;
    });
  }

  /**
   * Declares connectors, or replaces what was declared about them; their live status, and the
   * connectors not listed, stay as they are. A new connector is 'Unknown' until the charger reports it.
   */
  private async declare(db: Pick<Db, 'insert'>, station: StationRow, declared: DeclaredConnector[]) {
    if (declared.length === 0) return;
    const now = new Date();
    await db
      .insert(connectors)
      .values(
        declared.map((d) => ({
          tenantId: station.tenantId,
          stationId: station.id,
          connectorId: d.connectorId,
          type: typeOfStandard(d.standard),
          evseId: d.evseId ?? null,
          standard: d.standard,
          format: d.format,
          powerType: d.powerType,
          maxPowerW: d.maxPowerW,
          maxVoltageV: d.maxVoltageV ?? null,
          maxAmperageA: d.maxAmperageA ?? null,
        })),
      )
      .onConflictDoUpdate({
        target: [connectors.stationId, connectors.connectorId],
        set: {
          type: sql`excluded.type`,
          evseId: sql`excluded.evse_id`,
          standard: sql`excluded.standard`,
          format: sql`excluded.format`,
          powerType: sql`excluded.power_type`,
          maxPowerW: sql`excluded.max_power_w`,
          maxVoltageV: sql`excluded.max_voltage_v`,
          maxAmperageA: sql`excluded.max_amperage_a`,
          updatedAt: now,
        },
      });
  }

  /** Removes a connector the charger has never reported; false when there is none such. */
  async deleteUnreportedConnector(
    tenantId: string,
    stationId: string,
    connectorId: number,
  ): Promise<boolean> {
    const rows = await this.db
      .delete(connectors)
      .where(
        and(
          eq(connectors.tenantId, tenantId),
          eq(connectors.stationId, stationId),
          eq(connectors.connectorId, connectorId),
          isNull(connectors.statusAt),
        ),
      )
      .returning({ id: connectors.id });
    return rows.length > 0;
  }

  findById(scope: TenantScope, id: string, acceptedOnly = false): Promise<StationRow | null> {
    return this.findOne('id', id, scope, acceptedOnly);
  }

  findByChargePointId(
    scope: TenantScope,
    chargePointId: string,
    acceptedOnly = false,
  ): Promise<StationRow | null> {
    return this.findOne('charge_point_id', chargePointId, scope, acceptedOnly);
  }

  /** One station by id or chargePointId (both unique), as a prepared statement per filter combination. */
  private async findOne(
    by: 'id' | 'charge_point_id',
    value: string,
    scope: TenantScope,
    acceptedOnly: boolean,
  ): Promise<StationRow | null> {
    const name = `by_${by}_${scope === null ? 'any_tenant' : 'tenant'}_${acceptedOnly ? 'accepted' : 'any_status'}`;
    const statement = this.statements.get(name, () =>
      this.db
        .select()
        .from(stations)
        .where(
          and(
            eq(by === 'id' ? stations.id : stations.chargePointId, sql.placeholder('value')),
            scope === null ? undefined : eq(stations.tenantId, sql.placeholder('tenantId')),
            acceptedOnly ? eq(stations.registrationStatus, 'accepted') : undefined,
          ),
        ),
    );
    const [row] = await statement.execute({ value, tenantId: scope });
    return row ?? null;
  }

  /**
   * One page of stations matching every filter. Connector filters must hold for one and the same
   * connector. With `near`, only stations of sites with coordinates, by distance then id (the
   * cursor key is the distance); otherwise by chargePointId.
   */
  async listPage(
    scope: TenantScope,
    f: StationFilters,
    limit: number,
    after: { k: string; id: string } | null,
  ): Promise<{ station: StationRow; distanceM: number | null }[]> {
    const connectorConditions = [
      f.status ? sql`c.status = ${f.status}` : undefined,
      f.connectorType
        ? sql`(lower(c.type) = lower(${f.connectorType}) or lower(c.standard) = lower(${f.connectorType}))`
        : undefined,
      f.minPowerW !== undefined ? sql`c.max_power_w >= ${f.minPowerW}` : undefined,
    ].filter((c): c is SQL => c !== undefined);
    const hasConnector = connectorConditions.length
      ? sql`exists (select 1 from ${connectors} c where c.station_id = ${stations.id} and ${sql.join(connectorConditions, sql` and `)})`
      : undefined;
    const distance = f.near ? distanceFrom(f.near) : undefined;
    const where: (SQL | undefined)[] = [
      inScope(scope),
      f.acceptedOnly ? eq(stations.registrationStatus, 'accepted') : undefined,
      f.siteId ? eq(stations.siteId, f.siteId) : undefined,
      hasConnector,
    ];
    if (distance) {
      where.push(isNotNull(sites.latitude), isNotNull(sites.longitude));
      if (f.radiusM !== undefined) where.push(sql`${distance} <= ${f.radiusM}::float8`);
      if (after) {
        const k = sql`${Number(after.k)}::float8`;
        where.push(sql`(${distance} > ${k} or (${distance} = ${k} and ${stations.id} > ${after.id}))`);
      }
    } else if (after) {
      where.push(
        or(
          gt(stations.chargePointId, after.k),
          and(eq(stations.chargePointId, after.k), gt(stations.id, after.id)),
        ),
      );
    }
    const rows = await this.db
      .select({ station: stations, distanceM: distance ?? sql<null>`null` })
      .from(stations)
      .leftJoin(sites, eq(sites.id, stations.siteId))
      .where(and(...where))
      .orderBy(
        ...(distance ? [asc(distance), asc(stations.id)] : [asc(stations.chargePointId), asc(stations.id)]),
      )
      .limit(limit);
    return rows.map((r) => ({
      station: r.station,
      distanceM: r.distanceM === null ? null : Number(r.distanceM),
    }));
  }

  connectorsOf(scope: TenantScope, stationIds: string[]): Promise<ConnectorRow[]> {
    if (stationIds.length === 0) return Promise.resolve([]);
    if (stationIds.length === 1) {
      const name = `connectors_of_one_${scope === null ? 'any_tenant' : 'tenant'}`;
      const statement = this.statements.get(name, () =>
        this.db
          .select()
          .from(connectors)
          .where(
            and(
              scope === null ? undefined : eq(connectors.tenantId, sql.placeholder('tenantId')),
              eq(connectors.stationId, sql.placeholder('stationId')),
            ),
          )
          .orderBy(asc(connectors.connectorId)),
      );
      return statement.execute({ tenantId: scope, stationId: stationIds[0] });
    }
    return this.db
      .select()
      .from(connectors)
      .where(
        and(
          scope === null ? undefined : eq(connectors.tenantId, scope),
          inArray(connectors.stationId, stationIds),
        ),
      )
      .orderBy(asc(connectors.stationId), asc(connectors.connectorId));
  }

  async findConnector(
    tenantId: string,
    stationId: string,
    connectorId: number,
  ): Promise<ConnectorRow | null> {
    const [row] = await this.db
      .select()
      .from(connectors)
      .where(
        and(
          eq(connectors.tenantId, tenantId),
          eq(connectors.stationId, stationId),
          eq(connectors.connectorId, connectorId),
        ),
      );
    return row ?? null;
  }

  /** Changes a station and declares connectors for it (see `declare`), in one transaction. */
  async update(
    scope: TenantScope,
    id: string,
    changes: StationChanges,
    declared: DeclaredConnector[] = [],
  ): Promise<StationRow | null> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(stations)
        .set({ ...changes, updatedAt: new Date() })
        .where(and(eq(stations.id, id), inScope(scope)))
        .returning();
      if (row) await this.declare(tx, row, declared);
      return row ?? null;
    });
  }

  /**
   * Makes `next` the station's password and keeps the current one as the previous; false while an
   * earlier change still waits for the charger (a previous password is kept).
   */
  async beginPasswordChange(tenantId: string, id: string, next: string): Promise<boolean> {
    const rows = await this.db
      .update(stations)
      .set({ passwordHash: next, previousPasswordHash: sql`${stations.passwordHash}`, updatedAt: new Date() })
      .where(and(eq(stations.id, id), eq(stations.tenantId, tenantId), isNull(stations.previousPasswordHash)))
      .returning({ id: stations.id });
    return rows.length > 0;
  }

  /** The charger refused `next`: its previous password is the password again. */
  async abandonPasswordChange(tenantId: string, id: string, next: string): Promise<void> {
    await this.db
      .update(stations)
      .set({
        passwordHash: sql`${stations.previousPasswordHash}`,
        previousPasswordHash: null,
        updatedAt: new Date(),
      })
      .where(and(eq(stations.id, id), eq(stations.tenantId, tenantId), eq(stations.passwordHash, next)));
  }

  async delete(scope: TenantScope, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(stations)
      .where(and(eq(stations.id, id), inScope(scope)))
      .returning({ id: stations.id });
    return rows.length > 0;
  }

  /** Admin-set connector properties; creates the connector ('Unknown') before the charger reports it. */
  async upsertConnectorSettings(
    tenantId: string,
    stationId: string,
    connectorId: number,
    settings: { type?: string | null; maxPowerW?: number | null },
  ): Promise<ConnectorRow> {
    const [row] = await this.db
      .insert(connectors)
      .values({ tenantId, stationId, connectorId, ...settings })
      .onConflictDoUpdate({
        target: [connectors.stationId, connectors.connectorId],
        set: { ...settings, updatedAt: new Date() },
        setWhere: eq(connectors.tenantId, tenantId),
      })
      .returning();
    return row;
  }

  /** A connector's live status as a charger reports it (StatusNotification); keeps type and power. */
  async upsertConnectorStatus(
    tenantId: string,
    stationId: string,
    connectorId: number,
    r: ConnectorStatusReport,
  ): Promise<ConnectorRow> {
    const values = {
      status: r.status,
      errorCode: r.errorCode ?? 'NoError',
      info: r.info ?? null,
      vendorErrorCode: r.vendorErrorCode ?? null,
      statusAt: r.at ?? new Date(),
    };
    const [row] = await this.db
      .insert(connectors)
      .values({ tenantId, stationId, connectorId, ...values })
      .onConflictDoUpdate({
        target: [connectors.stationId, connectors.connectorId],
        set: { ...values, updatedAt: new Date() },
        setWhere: eq(connectors.tenantId, tenantId),
      })
      .returning();
    return row;
  }

  /** What pricing needs to know about a station: its site and the site's time zone. */
  async pricingContext(
    tenantId: string,
    stationId: string,
  ): Promise<{ stationId: string; siteId: string | null; timeZone: string } | null> {
    const statement = this.statements.get('pricing_context', () =>
      this.db
        .select({ stationId: stations.id, siteId: stations.siteId, timeZone: sites.timeZone })
        .from(stations)
        .leftJoin(sites, eq(sites.id, stations.siteId))
        .where(
          and(
            eq(stations.id, sql.placeholder('stationId')),
            eq(stations.tenantId, sql.placeholder('tenantId')),
          ),
        ),
    );
    const [row] = await statement.execute({ stationId, tenantId });
    return row ? { ...row, timeZone: row.timeZone ?? 'UTC' } : null;
  }
}
