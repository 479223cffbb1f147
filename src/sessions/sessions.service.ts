import { Injectable, Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { ReservationsService } from '../commands/reservations.service';
import { BURST_LINGER_MS, Batcher } from '../database/batcher';
import { EventBus } from '../events/event-bus';
import { MetricsService } from '../common/metrics.service';
import { minorDigits } from '../tariffs/tariff-summary';
import { TariffsService } from '../tariffs/tariffs.service';
import { isUniqueViolation } from '../database/db-errors';
import { IdTagsService } from '../users/id-tags.service';
import { OcppMeterValue, normaliseMeterValues } from './meter-readings';
import { MeterValuesWriter } from './meter-values-writer';
import { SessionReads } from './session-reads.repository';
import { SessionWrites } from './session-writes.repository';
import { ChargerRef, Outbox, SessionCloser } from './session-closer';
import { SessionCorrections } from './session-corrections';
import { toSessionResponse } from './session-view';
import type { SessionRow } from './sessions.tables';

export type { ChargerRef } from './session-closer';

export type IdTagStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';
export interface IdTagVerdict {
  status: IdTagStatus;
  expiryDate?: Date;
  parentIdTag?: string;
}

export interface TransactionStarted {
  connectorId: number;
  idTag: string;
  meterStartWh: number;
  startedAt: Date;
  reservationId?: number;
  /** OCPP 2.0.1: the charger's own transaction id; Kilowatt still allocates its integer one. */
  chargerTransactionId?: string;
  /** OCPP 2.0.1: the id of the remote start this transaction answers (RequestStartTransaction). */
  remoteStartId?: number;
}

export interface TransactionStopped {
  transactionId: number;
  meterStopWh: number;
  stoppedAt: Date;
  reason?: string;
  idTag?: string;
  transactionData?: OcppMeterValue[];
}

/**
 * The charger side of a session's life: StartTransaction, MeterValues, StopTransaction (with
 * settlement in the same database transaction), reboots, and events after each commit.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);
  private readonly transitions: Counter<string>;
  private readonly meterRows: Counter<string>;

  private readonly liveCheck = new Batcher<string, boolean>(
    async (stationIds) => {
      const live = await this.reads.stationsWithLiveSessions(stationIds);
      return stationIds.map((id) => live.has(id));
    },
    {
      name: 'live-session check',
      maxBatchWeight: 1_000,
      maxQueuedWeight: 100_000,
      lingerMs: BURST_LINGER_MS,
    },
  );

  /** 2.0.1 TransactionEvents of a burst look their sessions up together. */
  private readonly chargerTransactions = new Batcher<
    { stationId: string; chargerTransactionId: string },
    SessionRow | null
  >((keys) => this.reads.findByChargerTransactionIds(keys), {
    name: 'charger transaction lookup',
    maxBatchWeight: 200,
    maxQueuedWeight: 100_000,
    lingerMs: BURST_LINGER_MS,
  });

  constructor(
    private readonly reads: SessionReads,
    private readonly writes: SessionWrites,
    private readonly tariffs: TariffsService,
    private readonly idTags: IdTagsService,
    private readonly events: EventBus,
    private readonly closer: SessionCloser,
    private readonly reservations: ReservationsService,
    private readonly meterWriter: MeterValuesWriter,
    private readonly corrections: SessionCorrections,
    metrics: MetricsService,
  ) {
    this.transitions = metrics.counter(
      'kilowatt_session_events_total',
      'Session lifecycle events published',
      ['type'],
    );
    this.meterRows = metrics.counter(
      'kilowatt_meter_values_stored_total',
      'Normalised meter readings stored',
    );
    metrics.gauge(
      'kilowatt_sessions_open',
      'Sessions waiting for the charger (pending) and charging (active), all tenants',
      ['status'],
      async () =>
        (await reads.countOpenByStatus()).map(({ status, count }) => ({ labels: { status }, value: count })),
    );
  }

  async onTransactionStarted(
    charger: ChargerRef,
    m: TransactionStarted,
  ): Promise<{ transactionId: number; sessionId: string; idTagInfo: IdTagVerdict }> {
    try {
      return await this.recordStart(charger, m);
    } catch (e) {
      // Two deliveries of the same 2.0.1 transaction raced: the first one recorded it.
      if (
        m.chargerTransactionId === undefined ||
        !isUniqueViolation(e, 'charging_sessions_charger_transaction_key')
      )
        throw e;
      return this.recordStart(charger, m);
    }
  }

  private async recordStart(
    charger: ChargerRef,
    m: TransactionStarted,
  ): Promise<{ transactionId: number; sessionId: string; idTagInfo: IdTagVerdict }> {
    const receivedAt = new Date();
    const auth = await this.idTags.authorize(charger.tenantId, m.idTag);
    const verdict: IdTagVerdict = {
      status: auth.status,
      ...(auth.expiryDate ? { expiryDate: auth.expiryDate } : {}),
      ...(auth.parentIdTag ? { parentIdTag: auth.parentIdTag } : {}),
    };
    // A retried StartTransaction (same connector, idTag, timestamp and meterStart), or a 2.0.1
    // transaction already known by the charger's id, gets the same session.
    const retried =
      m.chargerTransactionId !== undefined
        ? await this.reads.findByChargerTransactionId(
            charger.tenantId,
            charger.stationId,
            m.chargerTransactionId,
          )
        : await this.reads.findStarted(charger.tenantId, charger.stationId, m);
    if (retried?.transactionId != null) {
      return {
        transactionId: retried.transactionId,
        sessionId: retried.id,
        idTagInfo: { ...verdict, status: retried.concurrentIdTag ? 'ConcurrentTx' : verdict.status },
      };
    }
    // The charger's clock as sent is kept; the tariff is the one in force when we believe it began.
    const judged = await this.closer.judgeStart(charger, m, receivedAt);
    const plan = await this.tariffs.planFor(charger.tenantId, charger.stationId, judged.startedAt);
    const outbox: Outbox = [];
    const started = await this.writes.transaction(async (tx) => {
      const live = await this.reads.findLiveByConnector(
        charger.tenantId,
        charger.stationId,
        m.connectorId,
        tx,
      );
      const transactionId = await this.writes.nextTransactionId(tx);
      const startFacts = {
        transactionId,
        chargerTransactionId: m.chargerTransactionId ?? null,
        startedAt: m.startedAt,
        meterStartWh: m.meterStartWh,
        lastEnergyWh: m.meterStartWh,
        startReceivedAt: receivedAt,
      };
      // OCPP 2.0.1 names the remote start it answers; the charger may have picked the EVSE.
      const asked =
        m.remoteStartId === undefined
          ? null
          : await this.reads.findPendingByRemoteStartId(
              charger.tenantId,
              charger.stationId,
              m.remoteStartId,
              tx,
            );
      if (asked) {
        if (live && live.id !== asked.id) await this.closer.supersede(tx, charger, live, m.startedAt, outbox);
        const changes = { status: 'active' as const, connectorId: m.connectorId, ...startFacts };
        const row = await this.writes.update(charger.tenantId, asked.id, ['pending'], changes, tx);
        await this.closer.flag(tx, charger, row!, judged.findings);
        return row!;
      }
      if (live?.status === 'pending' && live.idTag === m.idTag) {
        const row = await this.writes.update(
          charger.tenantId,
          live.id,
          ['pending'],
          { status: 'active', ...startFacts },
          tx,
        );
        await this.closer.flag(tx, charger, row!, judged.findings);
        return row!;
      }
      if (live) await this.closer.supersede(tx, charger, live, m.startedAt, outbox);
      // An idTag of '' is a 2.0.1 transaction whose idToken is not known yet: it conflicts with none.
      const concurrent =
        m.idTag === '' ? null : await this.reads.findLiveByIdTag(charger.tenantId, m.idTag, tx);
      const row = await this.writes.insert(
        charger.tenantId,
        {
          stationId: charger.stationId,
          connectorId: m.connectorId,
          userId: auth.userId ?? null,
          idTag: m.idTag,
          status: 'active',
          origin: 'local',
          concurrentIdTag: concurrent !== null,
          requestedAt: judged.startedAt,
          tariffId: plan?.tariffId ?? null,
          tariffSnapshot: plan?.plan ?? null,
          ...startFacts,
        },
        tx,
      );
      await this.closer.flag(tx, charger, row, judged.findings);
      if (concurrent) {
        await this.closer.anomaly(
          tx,
          charger,
          row,
          'concurrent_id_tag',
          `idTag ${m.idTag} is already charging in session ${concurrent.id}`,
        );
      }
      if (!plan)
        await this.closer.anomaly(
          tx,
          charger,
          row,
          'tariff_missing',
          'No price plan applied when the session started',
        );
      return row;
    });
    outbox.push({ type: 'session.started', session: { ...started, chargePointId: charger.chargePointId } });
    this.publish(outbox);
    // The holder's transaction began: its reservation of this connector is used up.
    await this.reservations
      .markUsed(charger.tenantId, charger.stationId, m.connectorId, m.idTag)
      .catch((err: unknown) => this.logger.error({ err }, 'Could not mark the reservation used'));
    return {
      transactionId: started.transactionId!,
      sessionId: started.id,
      idTagInfo: started.concurrentIdTag ? { ...verdict, status: 'ConcurrentTx' } : verdict,
    };
  }

  /** Stores the readings (one multi-row insert) and refreshes the live view; acknowledges after commit. */
  /** Answered once the readings are committed, in a group commit with other chargers' messages. */
  async onMeterValues(
    charger: ChargerRef,
    m: { connectorId: number; transactionId?: number; meterValue: OcppMeterValue[] },
  ): Promise<void> {
    const { samples, skipped } = normaliseMeterValues(m.meterValue);
    if (skipped > 0)
      this.logger.warn(
        { chargePointId: charger.chargePointId, skipped },
        'Unreadable sampled values skipped',
      );
    if (samples.length === 0) return;
    const { stored, updated } = await this.meterWriter.write({
      stationId: charger.stationId,
      connectorId: m.connectorId,
      transactionId: m.transactionId,
      samples,
    });
    if (stored > 0) this.meterRows.inc(stored);
    if (updated)
      this.publish([
        { type: 'session.updated', session: { ...updated, chargePointId: charger.chargePointId } },
      ]);
  }

  /**
   * Closes and settles in one transaction; a retry answers the same and never settles twice. For a
   * session closed by inference (reboot, supersede, soft stop) it is the authoritative end: the
   * session is settled again on what the charger reports (session-corrections.ts).
   */
  async onTransactionStopped(
    charger: ChargerRef,
    m: TransactionStopped,
  ): Promise<{ idTagInfo?: IdTagVerdict }> {
    // The idTag that stopped is judged as is: its own session is still live here, so no ConcurrentTx.
    const idTagInfo = m.idTag ? await this.verdictFor(charger.tenantId, m.idTag) : undefined;
    const outbox: Outbox = [];
    await this.writes.transaction(async (tx) => {
      const session = await this.reads.findByTransactionId(
        charger.tenantId,
        charger.stationId,
        m.transactionId,
        tx,
      );
      if (!session) {
        await this.writes.insertAnomaly(
          charger.tenantId,
          {
            stationId: charger.stationId,
            sessionId: null,
            transactionId: m.transactionId,
            kind: 'unknown_transaction_stop',
            message: `StopTransaction for unknown transaction ${m.transactionId} on ${charger.chargePointId}`,
            details: { ...m, stoppedAt: m.stoppedAt.toISOString() },
          },
          tx,
        );
        return;
      }
      const correcting = session.status === 'completed' && session.stopInferred;
      if (session.status !== 'active' && !correcting) {
        // A plain retry is answered the same. A second stop that disagrees with the charger's first
        // one is kept for review, not re-billed.
        const sameStop =
          session.meterStopWh === m.meterStopWh && session.stoppedAt?.getTime() === m.stoppedAt.getTime();
        if (!sameStop) {
          await this.closer.anomaly(
            tx,
            charger,
            session,
            'stop_after_close',
            `StopTransaction for transaction ${m.transactionId}, already closed (${session.stopReason}); not billed again`,
            {
              meterStopWh: m.meterStopWh,
              stoppedAt: m.stoppedAt.toISOString(),
              reason: m.reason ?? null,
            },
          );
        }
        return;
      }
      if (m.transactionData?.length) {
        const { samples } = normaliseMeterValues(m.transactionData);
        await this.writes.insertMeterValues(
          samples.map((s) => ({ sessionId: session.id, ...s })),
          tx,
        );
      }
      if (correcting) {
        const corrected = await this.corrections.correct(tx, charger, session, {
          stoppedAt: m.stoppedAt,
          meterStopWh: m.meterStopWh,
          reason: m.reason ?? 'Local',
          stopIdTag: m.idTag ?? null,
          transactionData: m.transactionData ?? null,
        });
        outbox.push({ type: 'session.updated', session: corrected });
        return;
      }
      const closed = await this.closer.close(tx, charger, session, {
        stoppedAt: m.stoppedAt,
        meterStopWh: m.meterStopWh,
        reason: m.reason ?? 'Local',
        stopIdTag: m.idTag ?? null,
        transactionData: m.transactionData ?? null,
      });
      outbox.push({ type: 'session.completed', session: closed });
    });
    this.publish(outbox);
    // The charger must not retry forever: an unknown transaction is acknowledged (and recorded).
    return idTagInfo ? { idTagInfo } : {};
  }

  /**
   * A charger rebooted: whatever it had running is over. Closed at the last reading, with the
   * reason, flagged and marked inferred: the charger's queued StopTransaction corrects it.
   */
  async onStationRebooted(charger: ChargerRef, at = new Date()): Promise<number> {
    // Nearly every boot finds nothing live: then one read shared with the burst's other boots, not
    // BEGIN/SELECT FOR UPDATE/COMMIT (bench/connect.bench.ts: a boot's round trips limit the rate).
    if (!(await this.liveCheck.run(charger.stationId))) return 0;
    const outbox: Outbox = [];
    await this.writes.transaction(async (tx) => {
      for (const live of await this.reads.listLiveByStation(charger.tenantId, charger.stationId, tx)) {
        if (live.status === 'pending') {
          const failed = await this.writes.update(
            charger.tenantId,
            live.id,
            ['pending'],
            { status: 'failed', failureReason: 'STATION_REBOOTED', stoppedAt: at },
            tx,
          );
          if (failed)
            outbox.push({
              type: 'session.failed',
              session: { ...failed, chargePointId: charger.chargePointId },
            });
          continue;
        }
        const closed = await this.closer.close(tx, charger, live, {
          stoppedAt: live.lastMeterAt ?? at,
          meterStopWh: live.lastEnergyWh ?? live.meterStartWh ?? 0,
          reason: 'Reboot',
          inferred: true,
        });
        await this.closer.anomaly(
          tx,
          charger,
          live,
          'station_rebooted',
          `${charger.chargePointId} rebooted mid-session; closed at the last reading`,
        );
        outbox.push({ type: 'session.completed', session: closed });
      }
    });
    this.publish(outbox);
    return outbox.length;
  }

  /**
   * OCPP 2.0.1: the idToken of a transaction that began without one (started when the cable was
   * plugged in, authorized afterwards) arrived. The session takes the idTag and its account; an
   * idTag already charging elsewhere is recorded anyway and flagged, as a 1.6 ConcurrentTx start is.
   */
  async onTransactionAuthorized(
    charger: ChargerRef,
    sessionId: string,
    idTag: string,
  ): Promise<IdTagVerdict> {
    const auth = await this.idTags.authorize(charger.tenantId, idTag);
    const outbox: Outbox = [];
    let concurrent = false;
    await this.writes.transaction(async (tx) => {
      const live = await this.reads.findLiveByIdTag(charger.tenantId, idTag, tx);
      concurrent = live !== null && live.id !== sessionId;
      const row = await this.writes.update(
        charger.tenantId,
        sessionId,
        ['active', 'completed'],
        { idTag, userId: auth.userId ?? null, concurrentIdTag: concurrent },
        tx,
      );
      if (!row) return;
      if (concurrent)
        await this.closer.anomaly(
          tx,
          charger,
          row,
          'concurrent_id_tag',
          `idTag ${idTag} is already charging in session ${live!.id}`,
        );
      outbox.push({ type: 'session.updated', session: { ...row, chargePointId: charger.chargePointId } });
    });
    this.publish(outbox);
    const verdict = await this.verdictFor(charger.tenantId, idTag);
    return concurrent && verdict.status === 'Accepted' ? { ...verdict, status: 'ConcurrentTx' } : verdict;
  }

  /**
   * A settled session's total in its currency's major units (OCPP 2.0.1 totalCost, a decimal);
   * null while unpriced.
   */
  totalCostOf(session: SessionRow): number | null {
    if (session.totalMinor === null || session.currency === null) return null;
    return session.totalMinor / 10 ** minorDigits(session.currency);
  }

  /** A 2.0.1 transaction's session by the charger's transaction id, if Kilowatt knows it. */
  findChargerTransaction(stationId: string, chargerTransactionId: string): Promise<SessionRow | null> {
    return this.chargerTransactions.run({ stationId, chargerTransactionId });
  }

  /** The idTag's status within the tenant, whatever it is doing. */
  async verdictFor(tenantId: string, idTag: string): Promise<IdTagVerdict> {
    const auth = await this.idTags.authorize(tenantId, idTag);
    const verdict: IdTagVerdict = { status: auth.status };
    if (auth.expiryDate) verdict.expiryDate = auth.expiryDate;
    if (auth.parentIdTag) verdict.parentIdTag = auth.parentIdTag;
    return verdict;
  }

  /**
   * Authorize's answer: the idTag's status, ConcurrentTx when it already has a live session. The
   * pending session this central system itself asked the charger to start is no conflict: a charger
   * with AuthorizeRemoteTxRequests=true authorizes the idTag of a RemoteStartTransaction first.
   */
  async authorizeAt(
    charger: Pick<ChargerRef, 'tenantId' | 'stationId'>,
    idTag: string,
  ): Promise<IdTagVerdict> {
    const verdict = await this.verdictFor(charger.tenantId, idTag);
    if (verdict.status !== 'Accepted') return verdict;
    const live = await this.reads.findLiveByIdTag(charger.tenantId, idTag);
    const askedToStart = live?.status === 'pending' && live.stationId === charger.stationId;
    return live && !askedToStart ? { ...verdict, status: 'ConcurrentTx' } : verdict;
  }

  /** Publishes after the commit, with the same shape as GET /sessions/{id}. */
  publish(outbox: Outbox): void {
    const now = new Date();
    for (const { type, session } of outbox) {
      this.transitions.inc({ type });
      this.events.publish({
        type,
        tenantId: session.tenantId,
        userId: session.userId,
        stationId: session.stationId,
        data: toSessionResponse(session, [], now),
      });
    }
  }
}
