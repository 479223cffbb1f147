import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/database';
import type { OcppMeterValue } from './meter-readings';
import { ChargerRef, SessionCloser } from './session-closer';
import type { SessionRow } from './sessions.tables';
import { SessionView, energyOf } from './session-view';

/** What the charger's own StopTransaction says about the end of its transaction. */
export interface ChargerStop {
  stoppedAt: Date;
  meterStopWh: number;
  reason: string;
  stopIdTag: string | null;
  transactionData: OcppMeterValue[] | null;
}

/** The facts an operator compares when a bill changed: kept before and after in the record. */
const billOf = (s: SessionRow) => ({
  stoppedAt: s.stoppedAt?.toISOString() ?? null,
  meterStopWh: s.meterStopWh,
  energyWh: energyOf(s),
  stopReason: s.stopReason,
  totalMinor: s.totalMinor,
  currency: s.currency,
});

/**
 * The charger's StopTransaction is the authoritative end of its transaction. A session the central
 * system closed by inference (a reboot, a newer transaction on the connector, an operator's soft
 * stop) is settled again when it arrives: its energy, stop time and cost, priced with the session's
 * frozen tariff, keeping its order number; the change is recorded with the bill before and after.
 */
@Injectable()
export class SessionCorrections {
  constructor(private readonly closer: SessionCloser) {}

  /** Only a session still closed by inference; the caller holds its row lock. */
  async correct(tx: Tx, charger: ChargerRef, session: SessionRow, stop: ChargerStop): Promise<SessionView> {
    const corrected = await this.closer.close(tx, charger, session, { ...stop, inferred: false });
    const before = billOf(session);
    const after = billOf(corrected);
    const changed =
      before.stoppedAt !== after.stoppedAt ||
      before.energyWh !== after.energyWh ||
      before.totalMinor !== after.totalMinor;
    await this.closer.anomaly(
      tx,
      charger,
      session,
      'stop_corrected',
      `${session.stopReason} close replaced by the charger's StopTransaction (${stop.reason}): ` +
        (changed
          ? `${before.energyWh} -> ${after.energyWh} Wh, ${before.totalMinor ?? '-'} -> ${after.totalMinor ?? '-'} ${after.currency ?? ''}`.trimEnd()
          : 'stop time, energy and bill unchanged'),
      { before, after, paymentStatus: session.paymentStatus },
    );
    return corrected;
  }
}
