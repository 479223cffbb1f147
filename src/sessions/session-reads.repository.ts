import { Injectable } from '@nestjs/common';
import {
  SQL,
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  gt,
  gte,
  inArray,
  isNotNull,
  lt,
  lte,
  or,
  sql,
} from 'drizzle-orm';
import type { Cursor } from '../common/pagination';
import { InjectDb } from '../database/database.module';
import { type Db, type DbOrTx, PreparedStatements, rowsOf } from '../database/database';
import { connectors, stations } from '../stations/stations.tables';
import type { TenantScope } from '../stations/tenant-scope';
import { ENERGY_REGISTER, NormalisedSample } from './meter-readings';
import {
  AnomalyRow,
  SessionRow,
  SessionStatus,
  chargingSessions as s,
  meterValues,
  sessionAnomalies,
} from './sessions.tables';

const LIVE = ['pending', 'active'] as const;

/** Where a MeterValues message points: its transaction, or else its connector's live session. */
export interface MeterTarget {
  stationId: string;
  connectorId: number;
  transactionId?: number;
}

export interface SessionFilter {
  userId?: string;
  status?: SessionStatus;
  stationId?: string;
  siteId?: string;
  from?: Date;
  to?: Date;
}

export type SessionWithChargePoint = SessionRow & { chargePointId: string };

const toView = (r: { session: SessionRow; chargePointId: string }): SessionWithChargePoint => ({
  ...r.session,
  chargePointId: r.chargePointId,
});

/** Every read of the sessions module's tables (their writes: SessionWrites). */
@Injectable()
export class SessionReads {
  private readonly statements = new PreparedStatements('session_reads');

  constructor(@InjectDb() private readonly db: Db) {}

  /** Pending and active sessions of every tenant, for the platform's operator (metrics); read through the partial indexes. */
  async countOpenByStatus(): Promise<{ status: 'pending' | 'active'; count: number }[]> {
    const rows = await this.db.execute<{ status: 'pending' | 'active'; count: number }>(sql`
      select 'pending' as status, (select count(*) from ${s} where ${s.status} = 'pending')::int as count
      union all
      select 'active', (select count(*) from ${s} where ${s.status} = 'active')::int`);
    return rowsOf(rows);
  }

  /** One session with its charger's id, as `list` returns it, within the scope and, if given, the user's own. */
  async findView(scope: TenantScope, id: string, userId?: string): Promise<SessionWithChargePoint | null> {
    const name = `view_${scope === null ? 'any_tenant' : 'tenant'}_${userId === undefined ? 'any_user' : 'user'}`;
    const statement = this.statements.get(name, () =>
      this.views().where(
        and(
          eq(s.id, sql.placeholder('id')),
          scope === null ? undefined : eq(s.tenantId, sql.placeholder('tenantId')),
          userId === undefined ? undefined : eq(s.userId, sql.placeholder('userId')),
        ),
      ),
    );
    const [row] = await statement.execute({ id, tenantId: scope, userId });
    return row ? toView(row) : null;
  }

  async findByIdempotencyKey(tenantId: string, key: string): Promise<SessionRow | null> {
    const [row] = await this.db
      .select()
      .from(s)
      .where(and(eq(s.tenantId, tenantId), eq(s.idempotencyKey, key)));
    return row ?? null;
  }

  async findLiveByConnector(
    tenantId: string,
    stationId: string,
    connectorId: number,
    db: DbOrTx = this.db,
  ): Promise<SessionRow | null> {
    const [row] = await db
      .select()
      .from(s)
      .where(
        and(
          eq(s.tenantId, tenantId),
          eq(s.stationId, stationId),
          eq(s.connectorId, connectorId),
          inArray(s.status, LIVE),
        ),
      )
      .for('update');
    return row ?? null;
  }

  async findLiveByIdTag(tenantId: string, idTag: string, db: DbOrTx = this.db): Promise<SessionRow | null> {
    const [row] = await db
      .select()
      .from(s)
      .where(
        and(
          eq(s.tenantId, tenantId),
          eq(s.idTag, idTag),
          inArray(s.status, LIVE),
          eq(s.concurrentIdTag, false),
        ),
      );
    return row ?? null;
  }

  /** When the station was registered: no charger timestamp before it is believed. */
  async stationRegisteredAt(tenantId: string, stationId: string, db: DbOrTx = this.db): Promise<Date> {
    const [row] = await db
      .select({ createdAt: stations.createdAt })
      .from(stations)
      .where(and(eq(stations.tenantId, tenantId), eq(stations.id, stationId)));
    return row.createdAt;
  }

  /** Which of these stations have a pending or active session. */
  async stationsWithLiveSessions(stationIds: string[], db: DbOrTx = this.db): Promise<Set<string>> {
    const rows = await db
      .selectDistinct({ stationId: s.stationId })
      .from(s)
      .where(and(inArray(s.stationId, [...new Set(stationIds)]), inArray(s.status, LIVE)));
    return new Set(rows.map((r) => r.stationId));
  }

  async listLiveByStation(tenantId: string, stationId: string, db: DbOrTx = this.db): Promise<SessionRow[]> {
    return db
      .select()
      .from(s)
      .where(and(eq(s.tenantId, tenantId), eq(s.stationId, stationId), inArray(s.status, LIVE)))
      .for('update');
  }

  /** The session a (retried) StartTransaction already created, matched on what the charger sent. */
  async findStarted(
    tenantId: string,
    stationId: string,
    m: { connectorId: number; idTag: string; startedAt: Date; meterStartWh: number },
  ): Promise<SessionRow | null> {
    const [row] = await this.db
      .select()
      .from(s)
      .where(
        and(
          eq(s.tenantId, tenantId),
          eq(s.stationId, stationId),
          eq(s.connectorId, m.connectorId),
          eq(s.idTag, m.idTag),
          eq(s.startedAt, m.startedAt),
          eq(s.meterStartWh, m.meterStartWh),
        ),
      )
      .limit(1);
    return row ?? null;
  }

  async findByTransactionId(
    tenantId: string,
    stationId: string,
    transactionId: number,
    db: DbOrTx = this.db,
  ): Promise<SessionRow | null> {
    const [row] = await db
      .select()
      .from(s)
      .where(and(eq(s.tenantId, tenantId), eq(s.stationId, stationId), eq(s.transactionId, transactionId)))
      .for('update');
    return row ?? null;
  }

  /** An OCPP 2.0.1 transaction, by the charger's own id (unique per station). */
  async findByChargerTransactionId(
    tenantId: string,
    stationId: string,
    chargerTransactionId: string,
    db: DbOrTx = this.db,
  ): Promise<SessionRow | null> {
    const [row] = await db
      .select()
      .from(s)
      .where(
        and(
          eq(s.tenantId, tenantId),
          eq(s.stationId, stationId),
          eq(s.chargerTransactionId, chargerTransactionId),
        ),
      )
      .limit(1);
    return row ?? null;
  }

  /** Several 2.0.1 transactions at once, in one indexed query: one row (or null) per key, in order. */
  async findByChargerTransactionIds(
    keys: { stationId: string; chargerTransactionId: string }[],
  ): Promise<(SessionRow | null)[]> {
    const rows = await this.db
      .select()
      .from(s)
      .where(
        or(
          ...keys.map((k) =>
            and(eq(s.stationId, k.stationId), eq(s.chargerTransactionId, k.chargerTransactionId)),
          ),
        ),
      );
    const byKey = new Map(rows.map((r) => [`${r.stationId}/${r.chargerTransactionId}`, r]));
    return keys.map((k) => byKey.get(`${k.stationId}/${k.chargerTransactionId}`) ?? null);
  }

  /** The pending remote start of this station that sent `remoteStartId` (OCPP 2.0.1), locked. */
  async findPendingByRemoteStartId(
    tenantId: string,
    stationId: string,
    remoteStartId: number,
    db: DbOrTx,
  ): Promise<SessionRow | null> {
    const [row] = await db
      .select()
      .from(s)
      .where(
        and(
          eq(s.tenantId, tenantId),
          eq(s.stationId, stationId),
          eq(s.remoteStartId, remoteStartId),
          eq(s.status, 'pending'),
        ),
      )
      .for('update');
    return row ?? null;
  }

  /**
   * The session each MeterValues message belongs to (null: none), in two indexed queries for a
   * whole batch: by transaction id, checked against the sending station, or else the connector's
   * live session.
   */
  async findMeterTargets(targets: MeterTarget[], db: DbOrTx = this.db): Promise<(string | null)[]> {
    const txIds = [
      ...new Set(targets.flatMap((t) => (t.transactionId !== undefined ? [t.transactionId] : []))),
    ];
    const liveStations = [
      ...new Set(targets.flatMap((t) => (t.transactionId === undefined ? [t.stationId] : []))),
    ];
    const cols = {
      id: s.id,
      stationId: s.stationId,
      connectorId: s.connectorId,
      transactionId: s.transactionId,
    };
    const byTx = new Map<string, string>();
    const byConnector = new Map<string, string>();
    for (const r of txIds.length > 0
      ? await db.select(cols).from(s).where(inArray(s.transactionId, txIds))
      : [])
      byTx.set(`${r.stationId}/${r.transactionId}`, r.id);
    if (liveStations.length > 0) {
      const live = await db
        .select(cols)
        .from(s)
        .where(and(inArray(s.stationId, liveStations), inArray(s.status, LIVE)));
      for (const r of live) byConnector.set(`${r.stationId}/${r.connectorId}`, r.id);
    }
    return targets.map((t) =>
      t.transactionId !== undefined
        ? (byTx.get(`${t.stationId}/${t.transactionId}`) ?? null)
        : (byConnector.get(`${t.stationId}/${t.connectorId}`) ?? null),
    );
  }

  async energySamples(
    tenantId: string,
    sessionId: string,
    db: DbOrTx = this.db,
  ): Promise<NormalisedSample[]> {
    return db
      .select({
        at: meterValues.at,
        measurand: meterValues.measurand,
        phase: meterValues.phase,
        location: meterValues.location,
        context: meterValues.context,
        unit: meterValues.unit,
        value: meterValues.value,
      })
      .from(meterValues)
      .innerJoin(s, and(eq(s.id, meterValues.sessionId), eq(s.tenantId, tenantId)))
      .where(and(eq(meterValues.sessionId, sessionId), eq(meterValues.measurand, ENERGY_REGISTER)))
      .orderBy(asc(meterValues.at));
  }

  async meterValuesOf(tenantId: string, sessionId: string, limit: number) {
    return this.db
      .select(getTableColumns(meterValues))
      .from(meterValues)
      .innerJoin(s, and(eq(s.id, meterValues.sessionId), eq(s.tenantId, tenantId)))
      .where(eq(meterValues.sessionId, sessionId))
      .orderBy(asc(meterValues.at), asc(meterValues.id))
      .limit(limit);
  }

  async anomaliesOf(scope: TenantScope, sessionIds: string[]): Promise<AnomalyRow[]> {
    if (sessionIds.length === 0) return [];
    return this.db
      .select()
      .from(sessionAnomalies)
      .where(
        and(
          scope === null ? undefined : eq(sessionAnomalies.tenantId, scope),
          inArray(sessionAnomalies.sessionId, sessionIds),
        ),
      )
      .orderBy(asc(sessionAnomalies.occurredAt));
  }

  async listAnomalies(tenantId: string | null, limit: number, after: Cursor | null): Promise<AnomalyRow[]> {
    const conds: (SQL | undefined)[] = [
      tenantId === null ? undefined : eq(sessionAnomalies.tenantId, tenantId),
    ];
    if (after) {
      const k = new Date(after.k);
      conds.push(
        or(
          lt(sessionAnomalies.occurredAt, k),
          and(eq(sessionAnomalies.occurredAt, k), lt(sessionAnomalies.id, after.id)),
        ),
      );
    }
    return this.db
      .select()
      .from(sessionAnomalies)
      .where(and(...conds))
      .orderBy(desc(sessionAnomalies.occurredAt), desc(sessionAnomalies.id))
      .limit(limit);
  }

  /** Sessions joined to their station for the charger id: what `list` and `findView` read. */
  private views() {
    return this.db
      .select({ session: s, chargePointId: stations.chargePointId })
      .from(s)
      .innerJoin(stations, eq(stations.id, s.stationId));
  }

  /** Newest first, keyset-paginated on (requestedAt, id). */
  async list(
    scope: TenantScope,
    f: SessionFilter,
    limit: number,
    after: Cursor | null,
  ): Promise<SessionWithChargePoint[]> {
    const conds: (SQL | undefined)[] = [
      scope === null ? undefined : eq(s.tenantId, scope),
      f.userId ? eq(s.userId, f.userId) : undefined,
      f.status ? eq(s.status, f.status) : undefined,
      f.stationId ? eq(s.stationId, f.stationId) : undefined,
      f.siteId ? eq(stations.siteId, f.siteId) : undefined,
      f.from ? gte(s.requestedAt, f.from) : undefined,
      f.to ? lte(s.requestedAt, f.to) : undefined,
    ];
    if (after) {
      const k = new Date(after.k);
      conds.push(or(lt(s.requestedAt, k), and(eq(s.requestedAt, k), lt(s.id, after.id))));
    }
    const rows = await this.views()
      .where(and(...conds))
      .orderBy(desc(s.requestedAt), desc(s.id))
      .limit(limit);
    return rows.map(toView);
  }

  /** Active sessions recorded before `before` and not yet flagged stale, oldest first. */
  /** Active OCPP 2.0.1 sessions (those with the charger's transaction id), by id after `afterId`. */
  async listActiveWithChargerTransaction(
    afterId: string | null,
    limit: number,
  ): Promise<SessionWithChargePoint[]> {
    const rows = await this.views()
      .where(
        and(
          eq(s.status, 'active'),
          isNotNull(s.chargerTransactionId),
          afterId === null ? undefined : gt(s.id, afterId),
        ),
      )
      .orderBy(asc(s.id))
      .limit(limit);
    return rows.map(toView);
  }

  async listStaleActive(before: Date, limit: number): Promise<SessionWithChargePoint[]> {
    const rows = await this.views()
      .where(
        and(
          eq(s.status, 'active'),
          lt(s.createdAt, before),
          sql`not exists (select 1 from ${sessionAnomalies} a where a.session_id = ${s.id} and a.kind = 'session_stale')`,
        ),
      )
      .orderBy(asc(s.createdAt))
      .limit(limit);
    return rows.map(toView);
  }

  /**
   * Active sessions whose connector has reported Available since before `before` (and that were
   * recorded before then too), not yet flagged: the car has most likely left.
   */
  async listActiveOnAvailableConnector(before: Date, limit: number): Promise<SessionWithChargePoint[]> {
    const rows = await this.views()
      .innerJoin(
        connectors,
        and(eq(connectors.stationId, s.stationId), eq(connectors.connectorId, s.connectorId)),
      )
      .where(
        and(
          eq(s.status, 'active'),
          eq(connectors.status, 'Available'),
          lt(s.createdAt, before),
          lt(sql`coalesce(${connectors.statusAt}, ${connectors.updatedAt})`, before),
          sql`not exists (select 1 from ${sessionAnomalies} a where a.session_id = ${s.id} and a.kind = 'connector_available')`,
        ),
      )
      .orderBy(asc(s.createdAt))
      .limit(limit);
    return rows.map(toView);
  }

  /** Pending sessions requested before `before`: the charger never started them. */
  async listStalePending(before: Date, limit: number): Promise<SessionRow[]> {
    return this.db
      .select()
      .from(s)
      .where(and(eq(s.status, 'pending'), lt(s.requestedAt, before)))
      .orderBy(asc(s.requestedAt))
      .limit(limit);
  }
}
