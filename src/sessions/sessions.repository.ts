import { Injectable } from '@nestjs/common';
import { SQL, and, asc, desc, eq, gt, gte, inArray, isNotNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Cursor } from '../common/pagination';
import { InjectDb } from '../database/database.module';
import { type Db, type DbOrTx, PreparedStatements, type Tx, rowsOf, batchTable } from '../database/database';
import { connectors, stations } from '../stations/stations.tables';
import type { TariffPlan } from '../tariffs/tariff-pricing';
import { ENERGY_REGISTER, NormalisedSample } from './meter-readings';
import {
  AnomalyKind,
  AnomalyRow,
  NewMeterValueRow,
  NewSessionRow,
  PaymentStatus,
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

export interface LiveReadingsUpdate {
  sessionId: string;
  at: Date;
  energyWh: number | null;
  powerW: number | null;
  socPercent: number | null;
}

export interface SessionFilter {
  /** null: every tenant (root). */
  tenantId: string | null;
  userId?: string;
  status?: SessionStatus;
  stationId?: string;
  siteId?: string;
  from?: Date;
  to?: Date;
}

/**
 * What a start from the API knows when it records the pending session. Only the nullable text and
 * uuid columns may be null: a prepared statement's placeholder goes through its column's encoder
 * even when null, and the jsonb encoder would store a JSON null rather than SQL NULL.
 */
export interface PendingSession {
  tenantId: string;
  stationId: string;
  connectorId: number;
  userId: string | null;
  idTag: string;
  requestedAt: Date;
  tariffId: string;
  tariffSnapshot: TariffPlan;
  idempotencyKey: string | null;
  requestFingerprint: string | null;
  /** OCPP 2.0.1: the id sent in RequestStartTransaction; null for 1.6. */
  remoteStartId: number | null;
}

export type SessionWithChargePoint = SessionRow & { chargePointId: string };

const toView = (r: { session: SessionRow; chargePointId: string }): SessionWithChargePoint => ({
  ...r.session,
  chargePointId: r.chargePointId,
});

export interface NewAnomaly {
  tenantId: string;
  stationId: string;
  sessionId: string | null;
  transactionId: number | null;
  kind: AnomalyKind;
  message: string;
  details?: Record<string, unknown>;
}

/** Every query on the sessions module's tables. */
@Injectable()
export class SessionsRepository {
  private readonly statements = new PreparedStatements('sessions');

  constructor(@InjectDb() private readonly db: Db) {}

  /** Pending and active sessions of every tenant, for the platform's operator (metrics); read through the partial indexes. */
  async countOpenByStatus(): Promise<{ status: 'pending' | 'active'; count: number }[]> {
    const rows = await this.db.execute<{ status: 'pending' | 'active'; count: number }>(sql`
      select 'pending' as status, (select count(*) from ${s} where ${s.status} = 'pending')::int as count
      union all
      select 'active', (select count(*) from ${s} where ${s.status} = 'active')::int`);
    return rowsOf(rows);
  }

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async insert(row: NewSessionRow, db: DbOrTx = this.db): Promise<SessionRow> {
    const [created] = await db.insert(s).values(row).returning();
    return created;
  }

  /** A start from the API: the session, pending until the charger starts it. */
  async insertPending(p: PendingSession): Promise<SessionRow> {
    const statement = this.statements.get('insert_pending', () =>
      this.db
        .insert(s)
        .values({
          tenantId: sql.placeholder('tenantId'),
          stationId: sql.placeholder('stationId'),
          connectorId: sql.placeholder('connectorId'),
          userId: sql.placeholder('userId'),
          idTag: sql.placeholder('idTag'),
          status: 'pending',
          origin: 'remote',
          requestedAt: sql.placeholder('requestedAt'),
          tariffId: sql.placeholder('tariffId'),
          tariffSnapshot: sql.placeholder('tariffSnapshot'),
          idempotencyKey: sql.placeholder('idempotencyKey'),
          requestFingerprint: sql.placeholder('requestFingerprint'),
          remoteStartId: sql.placeholder('remoteStartId'),
        })
        .returning(),
    );
    const [created] = await statement.execute({ ...p });
    return created;
  }

  /** A pending session the charger never started (refused, timed out, cancelled); null if it had moved on. */
  async failPending(id: string, reason: string, at: Date): Promise<SessionRow | null> {
    const statement = this.statements.get('fail_pending', () =>
      this.db
        .update(s)
        .set({
          status: 'failed',
          failureReason: sql`${sql.placeholder('reason')}`,
          stoppedAt: sql`${sql.placeholder('at')}::timestamptz`,
          updatedAt: sql`${sql.placeholder('at')}::timestamptz`,
        })
        .where(and(eq(s.id, sql.placeholder('id')), eq(s.status, 'pending')))
        .returning(),
    );
    const [row] = await statement.execute({ id, reason, at: at.toISOString() });
    return row ?? null;
  }

  /** One session with its charger's id, as `list` returns it, within the tenant and, if given, the user's own. */
  async findView(
    f: { tenantId: string | null; userId?: string },
    id: string,
  ): Promise<SessionWithChargePoint | null> {
    const name = `view_${f.tenantId === null ? 'any_tenant' : 'tenant'}_${f.userId === undefined ? 'any_user' : 'user'}`;
    const statement = this.statements.get(name, () =>
      this.views().where(
        and(
          eq(s.id, sql.placeholder('id')),
          f.tenantId === null ? undefined : eq(s.tenantId, sql.placeholder('tenantId')),
          f.userId === undefined ? undefined : eq(s.userId, sql.placeholder('userId')),
        ),
      ),
    );
    const [row] = await statement.execute({ id, tenantId: f.tenantId, userId: f.userId });
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
    stationId: string,
    connectorId: number,
    db: DbOrTx = this.db,
  ): Promise<SessionRow | null> {
    const [row] = await db
      .select()
      .from(s)
      .where(and(eq(s.stationId, stationId), eq(s.connectorId, connectorId), inArray(s.status, LIVE)))
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
  async stationRegisteredAt(stationId: string, db: DbOrTx = this.db): Promise<Date> {
    const [row] = await db
      .select({ createdAt: stations.createdAt })
      .from(stations)
      .where(eq(stations.id, stationId));
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

  async listLiveByStation(stationId: string, db: DbOrTx = this.db): Promise<SessionRow[]> {
    return db
      .select()
      .from(s)
      .where(and(eq(s.stationId, stationId), inArray(s.status, LIVE)))
      .for('update');
  }

  /** The session a (retried) StartTransaction already created, matched on what the charger sent. */
  async findStarted(
    stationId: string,
    m: { connectorId: number; idTag: string; startedAt: Date; meterStartWh: number },
  ): Promise<SessionRow | null> {
    const [row] = await this.db
      .select()
      .from(s)
      .where(
        and(
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
    stationId: string,
    transactionId: number,
    db: DbOrTx = this.db,
  ): Promise<SessionRow | null> {
    const [row] = await db
      .select()
      .from(s)
      .where(and(eq(s.stationId, stationId), eq(s.transactionId, transactionId)))
      .for('update');
    return row ?? null;
  }

  /** An OCPP 2.0.1 transaction, by the charger's own id (unique per station). */
  async findByChargerTransactionId(
    stationId: string,
    chargerTransactionId: string,
    db: DbOrTx = this.db,
  ): Promise<SessionRow | null> {
    const [row] = await db
      .select()
      .from(s)
      .where(and(eq(s.stationId, stationId), eq(s.chargerTransactionId, chargerTransactionId)))
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
    stationId: string,
    remoteStartId: number,
    db: DbOrTx,
  ): Promise<SessionRow | null> {
    const [row] = await db
      .select()
      .from(s)
      .where(and(eq(s.stationId, stationId), eq(s.remoteStartId, remoteStartId), eq(s.status, 'pending')))
      .for('update');
    return row ?? null;
  }

  async nextTransactionId(db: DbOrTx = this.db): Promise<number> {
    const rows = await db.execute<{ id: number }>(
      sql`select nextval('charging_transaction_id_seq')::int as id`,
    );
    return Number(rowsOf<{ id: number }>(rows)[0].id);
  }

  /** Changes a session only while it still has the expected status; null when it had moved on. */
  async update(
    id: string,
    expected: readonly SessionStatus[],
    changes: Partial<NewSessionRow>,
    db: DbOrTx = this.db,
  ): Promise<SessionRow | null> {
    const [row] = await db
      .update(s)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(s.id, id), inArray(s.status, expected)))
      .returning();
    return row ?? null;
  }

  async setPaymentStatus(
    tenantId: string | null,
    id: string,
    status: PaymentStatus,
  ): Promise<SessionRow | null> {
    const where = and(
      eq(s.id, id),
      eq(s.status, 'completed'),
      tenantId === null ? undefined : eq(s.tenantId, tenantId),
    );
    const [row] = await this.db
      .update(s)
      .set({ paymentStatus: status, updatedAt: new Date() })
      .where(where)
      .returning();
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

  /**
   * All rows in one INSERT with a single parameter: the rows as a JSON array, unpacked by
   * `json_to_recordset`. Building thousands of bound parameters costs more CPU than the insert.
   */
  async insertMeterValues(rows: NewMeterValueRow[], db: DbOrTx = this.db): Promise<void> {
    if (rows.length === 0) return;
    const json = JSON.stringify(
      rows.map((r) => ({
        session_id: r.sessionId,
        at: r.at,
        measurand: r.measurand,
        phase: r.phase ?? null,
        location: r.location ?? null,
        context: r.context,
        unit: r.unit,
        value: r.value,
      })),
    );
    await db.execute(sql`
      insert into ${meterValues} (session_id, at, measurand, phase, location, context, unit, value)
      select session_id, at, measurand, phase, location, context, unit, value
      from json_to_recordset(${json}::json) as r(session_id uuid, at timestamptz, measurand text,
        phase text, location text, context text, unit text, value double precision)`);
  }

  /**
   * Moves active sessions' live readings on, in one statement; a reading older than the stored
   * one, or a session no longer active, is left as it is. A null reading keeps the stored value.
   * Returns the sessions it changed.
   */
  async updateLiveReadings(updates: LiveReadingsUpdate[], db: DbOrTx = this.db): Promise<SessionRow[]> {
    if (updates.length === 0) return [];
    const values = batchTable(
      'v',
      {
        id: 'uuid',
        at: 'timestamptz',
        energy_wh: 'bigint',
        power_w: 'double precision',
        soc_percent: 'double precision',
      },
      updates.map((u) => [u.sessionId, u.at, u.energyWh, u.powerW, u.socPercent]),
    );
    const changed = rowsOf<{ id: string }>(
      await db.execute(sql`
        update ${s} set
          last_meter_at = v.at,
          last_energy_wh = coalesce(v.energy_wh, ${s.lastEnergyWh}),
          last_power_w = coalesce(v.power_w, ${s.lastPowerW}),
          last_soc_percent = coalesce(v.soc_percent, ${s.lastSocPercent}),
          updated_at = now()
        from ${values}
        where ${s.id} = v.id and ${s.status} = 'active'
          and (${s.lastMeterAt} is null or ${s.lastMeterAt} <= v.at)
        returning ${s.id} as id`),
    );
    if (changed.length === 0) return [];
    return db
      .select()
      .from(s)
      .where(
        inArray(
          s.id,
          changed.map((c) => c.id),
        ),
      );
  }

  async energySamples(sessionId: string, db: DbOrTx = this.db): Promise<NormalisedSample[]> {
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
      .where(and(eq(meterValues.sessionId, sessionId), eq(meterValues.measurand, ENERGY_REGISTER)))
      .orderBy(asc(meterValues.at));
  }

  async meterValuesOf(sessionId: string, limit: number) {
    return this.db
      .select()
      .from(meterValues)
      .where(eq(meterValues.sessionId, sessionId))
      .orderBy(asc(meterValues.at), asc(meterValues.id))
      .limit(limit);
  }

  /**
   * Records an anomaly; a duplicate (a retried unknown stop, a flag already raised) is ignored.
   * True when it was recorded.
   */
  async insertAnomaly(a: NewAnomaly, db: DbOrTx = this.db): Promise<boolean> {
    const inserted = await db
      .insert(sessionAnomalies)
      .values({ ...a, details: a.details ?? {} })
      .onConflictDoNothing()
      .returning({ id: sessionAnomalies.id });
    if (inserted.length === 0) return false;
    if (a.sessionId) {
      await db
        .update(s)
        .set({ anomalyCount: sql`${s.anomalyCount} + 1` })
        .where(eq(s.id, a.sessionId));
    }
    return true;
  }

  async anomaliesOf(sessionIds: string[]): Promise<AnomalyRow[]> {
    if (sessionIds.length === 0) return [];
    return this.db
      .select()
      .from(sessionAnomalies)
      .where(inArray(sessionAnomalies.sessionId, sessionIds))
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
  async list(f: SessionFilter, limit: number, after: Cursor | null): Promise<SessionWithChargePoint[]> {
    const conds: (SQL | undefined)[] = [
      f.tenantId === null ? undefined : eq(s.tenantId, f.tenantId),
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
