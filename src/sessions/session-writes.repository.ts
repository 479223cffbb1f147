import { Injectable } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { InjectDb } from '../database/database.module';
import { type Db, type DbOrTx, PreparedStatements, type Tx, rowsOf, batchTable } from '../database/database';
import type { TariffPlan } from '../tariffs/tariff-pricing';
import {
  AnomalyKind,
  NewMeterValueRow,
  NewSessionRow,
  PaymentStatus,
  SessionRow,
  SessionStatus,
  chargingSessions as s,
  meterValues,
  sessionAnomalies,
} from './sessions.tables';

export interface LiveReadingsUpdate {
  sessionId: string;
  at: Date;
  energyWh: number | null;
  powerW: number | null;
  socPercent: number | null;
}

/**
 * What a start from the API knows when it records the pending session. Only the nullable text and
 * uuid columns may be null: a prepared statement's placeholder goes through its column's encoder
 * even when null, and the jsonb encoder would store a JSON null rather than SQL NULL.
 */
export interface PendingSession {
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

export interface NewAnomaly {
  stationId: string;
  sessionId: string | null;
  transactionId: number | null;
  kind: AnomalyKind;
  message: string;
  details?: Record<string, unknown>;
}

/** Every write to the sessions module's tables (their reads: SessionReads). */
@Injectable()
export class SessionWrites {
  private readonly statements = new PreparedStatements('session_writes');

  constructor(@InjectDb() private readonly db: Db) {}

  /** Runs `work` in one transaction; reads and writes take its `tx`. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async insert(
    tenantId: string,
    row: Omit<NewSessionRow, 'tenantId'>,
    db: DbOrTx = this.db,
  ): Promise<SessionRow> {
    const [created] = await db
      .insert(s)
      .values({ ...row, tenantId })
      .returning();
    return created;
  }

  /** A start from the API: the session, pending until the charger starts it. */
  async insertPending(tenantId: string, p: PendingSession): Promise<SessionRow> {
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
    const [created] = await statement.execute({ ...p, tenantId });
    return created;
  }

  /** A pending session the charger never started (refused, timed out, cancelled); null if it had moved on. */
  async failPending(tenantId: string, id: string, reason: string, at: Date): Promise<SessionRow | null> {
    const statement = this.statements.get('fail_pending', () =>
      this.db
        .update(s)
        .set({
          status: 'failed',
          failureReason: sql`${sql.placeholder('reason')}`,
          stoppedAt: sql`${sql.placeholder('at')}::timestamptz`,
          updatedAt: sql`${sql.placeholder('at')}::timestamptz`,
        })
        .where(
          and(
            eq(s.tenantId, sql.placeholder('tenantId')),
            eq(s.id, sql.placeholder('id')),
            eq(s.status, 'pending'),
          ),
        )
        .returning(),
    );
    const [row] = await statement.execute({ tenantId, id, reason, at: at.toISOString() });
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
    tenantId: string,
    id: string,
    expected: readonly SessionStatus[],
    changes: Partial<NewSessionRow>,
    db: DbOrTx = this.db,
  ): Promise<SessionRow | null> {
    const [row] = await db
      .update(s)
      .set({ ...changes, updatedAt: new Date() })
      .where(and(eq(s.tenantId, tenantId), eq(s.id, id), inArray(s.status, expected)))
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

  /**
   * Records an anomaly; a duplicate (a retried unknown stop, a flag already raised) is ignored.
   * True when it was recorded.
   */
  async insertAnomaly(tenantId: string, a: NewAnomaly, db: DbOrTx = this.db): Promise<boolean> {
    const inserted = await db
      .insert(sessionAnomalies)
      .values({ ...a, tenantId, details: a.details ?? {} })
      .onConflictDoNothing()
      .returning({ id: sessionAnomalies.id });
    if (inserted.length === 0) return false;
    if (a.sessionId) {
      await db
        .update(s)
        .set({ anomalyCount: sql`${s.anomalyCount} + 1` })
        .where(and(eq(s.tenantId, tenantId), eq(s.id, a.sessionId)));
    }
    return true;
  }
}
