import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { Tx } from '../database/database';
import type { EventType } from '../events/domain-event';
import { TariffPricingError } from '../tariffs/tariff-pricing';
import type { OcppMeterValue } from './meter-readings';
import { energyRegister } from './meter-readings';
import { SessionReads } from './session-reads.repository';
import { NewAnomaly, SessionWrites } from './session-writes.repository';
import type { SessionRow } from './sessions.tables';
import { Finding, StartReport, billable, judgeStart } from './charger-data-policy';
import { orderNumber, settle } from './settlement';
import type { SessionView } from './session-view';

/** Which charger a message came from (resolved by the OCPP gateway). */
export interface ChargerRef {
  chargePointId: string;
  stationId: string;
  tenantId: string;
}

export interface Close {
  stoppedAt: Date;
  meterStopWh: number;
  reason: string;
  stopIdTag?: string | null;
  transactionData?: OcppMeterValue[] | null;
  /** The central system's inference, not the charger's StopTransaction (which corrects it later). */
  inferred?: boolean;
}

/** Events to publish once the transaction that produced them has committed. */
export type Outbox = { type: EventType; session: SessionView }[];

/**
 * Closing a session inside the caller's database transaction: final reading, the bill priced with
 * the frozen tariff, the order number, and the anomalies worth flagging. Bills only what the
 * charger-data policy believes (charger-data-policy.ts), from the start on.
 */
@Injectable()
export class SessionCloser {
  constructor(
    private readonly reads: SessionReads,
    private readonly writes: SessionWrites,
    private readonly config: AppConfig,
  ) {}

  /** The start time to bill from and price at, and what is implausible about this start. */
  async judgeStart(
    charger: ChargerRef,
    m: { startedAt: Date; meterStartWh: number },
    receivedAt: Date,
  ): Promise<{ startedAt: Date; findings: Finding[] }> {
    const stationRegisteredAt = await this.reads.stationRegisteredAt(charger.tenantId, charger.stationId);
    return judgeStart({ ...m, stationRegisteredAt, startReceivedAt: receivedAt }, this.config.chargerData);
  }

  async flag(tx: Tx, charger: ChargerRef, s: SessionRow, findings: Finding[]): Promise<void> {
    for (const f of findings) await this.anomaly(tx, charger, s, f.kind, f.message, f.details);
  }

  async supersede(tx: Tx, charger: ChargerRef, live: SessionRow, at: Date, outbox: Outbox): Promise<void> {
    if (live.status === 'pending') {
      const failed = await this.writes.update(
        charger.tenantId,
        live.id,
        ['pending'],
        { status: 'failed', failureReason: 'CONNECTOR_TAKEN', stoppedAt: at },
        tx,
      );
      if (failed)
        outbox.push({ type: 'session.failed', session: { ...failed, chargePointId: charger.chargePointId } });
      return;
    }
    const closed = await this.close(tx, charger, live, {
      stoppedAt: live.lastMeterAt ?? at,
      meterStopWh: live.lastEnergyWh ?? live.meterStartWh ?? 0,
      reason: 'Superseded',
      inferred: true,
    });
    await this.anomaly(
      tx,
      charger,
      live,
      'superseded_by_new_transaction',
      `A new transaction started on connector ${live.connectorId} while this one was active`,
    );
    outbox.push({ type: 'session.completed', session: closed });
  }

  /**
   * Closes an active session; or settles again, keeping its order number, one closed by inference
   * when the charger's own StopTransaction arrives (session-corrections.ts).
   */
  async close(tx: Tx, charger: ChargerRef, session: SessionRow, c: Close): Promise<SessionView> {
    const now = new Date();
    const correcting = session.status === 'completed' && session.stopInferred;
    const meterStartWh = session.meterStartWh ?? 0;
    const base = {
      status: 'completed' as const,
      stoppedAt: c.stoppedAt,
      meterStopWh: c.meterStopWh,
      stopReason: c.reason,
      stopIdTag: c.stopIdTag ?? null,
      transactionData: c.transactionData ?? null,
      stopInferred: c.inferred ?? false,
      orderNumber: session.orderNumber ?? orderNumber(now, session.transactionId!),
      paymentStatus: session.paymentStatus ?? ('unpaid' as const),
      settledAt: now,
    };
    const start: StartReport = {
      stationRegisteredAt: await this.reads.stationRegisteredAt(charger.tenantId, charger.stationId, tx),
      startedAt: session.startedAt!,
      startReceivedAt: session.startReceivedAt ?? session.createdAt,
      meterStartWh,
    };
    const stop = { stoppedAt: c.stoppedAt, stopReceivedAt: now, meterStopWh: c.meterStopWh };
    const policy = this.config.chargerData;
    const billed = billable(start, stop, policy);
    await this.flag(tx, charger, session, billed.atStop);
    let priced: Partial<SessionRow> = { billedEnergyWh: billed.meterStopWh - billed.meterStartWh };
    if (session.tariffSnapshot) {
      try {
        const samples = energyRegister(await this.reads.energySamples(charger.tenantId, session.id, tx));
        const b = settle({ plan: session.tariffSnapshot, start, stop, policy, samples }).breakdown;
        priced = {
          ...priced,
          currency: b.currency,
          costLines: b.lines,
          netMinor: b.netMinor,
          taxMinor: b.taxMinor,
          totalMinor: b.totalMinor,
        };
      } catch (e) {
        if (!(e instanceof TariffPricingError)) throw e;
        await this.anomaly(
          tx,
          charger,
          session,
          'pricing_failed',
          `The frozen price plan could not price the session: ${e.message}`,
        );
      }
    }
    const row = await this.writes.update(
      charger.tenantId,
      session.id,
      [correcting ? 'completed' : 'active'],
      { ...base, ...priced },
      tx,
    );
    return { ...row!, chargePointId: charger.chargePointId };
  }

  anomaly(
    tx: Tx,
    charger: ChargerRef,
    s: SessionRow,
    kind: NewAnomaly['kind'],
    message: string,
    details?: Record<string, unknown>,
  ) {
    return this.writes.insertAnomaly(
      charger.tenantId,
      {
        stationId: charger.stationId,
        sessionId: s.id,
        transactionId: s.transactionId,
        kind,
        message,
        details,
      },
      tx,
    );
  }
}
