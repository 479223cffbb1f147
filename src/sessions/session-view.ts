import { Actor, isAdmin } from '../common/actor';
import { toCsv } from '../common/csv';
import type { CostBreakdown } from '../tariffs/tariff-pricing';
import { AnomalyResponse, SessionResponse } from './dto/session.response';
import type { AnomalyRow, SessionRow } from './sessions.tables';

/** A session row with its station's charge point id, as every read and event carries it. */
export type SessionView = SessionRow & { chargePointId: string };

/**
 * Which sessions an actor sees: root every tenant's, an admin or a tenant's API key the tenant's,
 * a user only its own.
 */
export function visibleTo(actor: Actor): { tenantId: string | null; userId?: string } {
  const tenantId = actor.role === 'root' ? null : actor.tenantId;
  if (isAdmin(actor) || actor.apiKeyId !== undefined) return { tenantId };
  return { tenantId, userId: actor.userId ?? '00000000-0000-0000-0000-000000000000' };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The transaction id the charger knows: the charger's own string for OCPP 2.0.1, the id Kilowatt
 * handed out for 1.6 (Kilowatt allocates one for every session either way, for its order numbers).
 */
export const chargerTransactionIdOf = (s: SessionRow): number | string | null =>
  s.chargerTransactionId ?? s.transactionId;

export const toAnomalyResponse = (a: AnomalyRow): AnomalyResponse => ({
  kind: a.kind,
  message: a.message,
  occurredAt: a.occurredAt.toISOString(),
  transactionId: a.transactionId,
});

/** Energy so far (active) or billed (completed); never negative, 0 from a negative register. */
export function energyOf(s: SessionRow): number {
  if (s.status === 'completed' && s.billedEnergyWh !== null) return s.billedEnergyWh;
  if (s.meterStartWh === null || s.meterStartWh < 0) return 0;
  const end = s.status === 'completed' ? s.meterStopWh : s.lastEnergyWh;
  return end === null ? 0 : Math.max(0, end - s.meterStartWh);
}

export function elapsedSecondsOf(s: SessionRow, now: Date): number | null {
  if (!s.startedAt) return null;
  const end = s.stoppedAt ?? (s.status === 'active' ? now : null);
  return end ? Math.max(0, Math.floor((end.getTime() - s.startedAt.getTime()) / 1000)) : null;
}

export function toSessionResponse(
  s: SessionView,
  anomalies: AnomalyRow[],
  now: Date,
  estimate: CostBreakdown | null = null,
): SessionResponse {
  const settled = s.status === 'completed' && s.totalMinor !== null && s.currency !== null;
  return {
    id: s.id,
    status: s.status,
    stationId: s.stationId,
    chargePointId: s.chargePointId,
    connectorId: s.connectorId,
    idTag: s.idTag,
    userId: s.userId,
    transactionId: chargerTransactionIdOf(s),
    origin: s.origin,
    requestedAt: s.requestedAt.toISOString(),
    startedAt: iso(s.startedAt),
    stoppedAt: iso(s.stoppedAt),
    energyWh: energyOf(s),
    meterStartWh: s.meterStartWh,
    meterStopWh: s.meterStopWh,
    powerW: s.status === 'active' ? s.lastPowerW : null,
    socPercent: s.lastSocPercent,
    lastMeterAt: iso(s.lastMeterAt),
    elapsedSeconds: elapsedSecondsOf(s, now),
    estimatedCost: estimate ? { amountMinor: estimate.totalMinor, currency: estimate.currency } : null,
    cost: settled
      ? {
          amountMinor: s.totalMinor!,
          currency: s.currency!,
          netMinor: s.netMinor!,
          taxMinor: s.taxMinor!,
          lines: s.costLines ?? [],
        }
      : null,
    orderNumber: s.orderNumber,
    paymentStatus: s.paymentStatus,
    stopReason: s.stopReason,
    failureReason: s.failureReason,
    anomalies: anomalies.map(toAnomalyResponse),
  };
}

const CSV_COLUMNS = [
  'id',
  'orderNumber',
  'status',
  'chargePointId',
  'connectorId',
  'userId',
  'idTag',
  'transactionId',
  'requestedAt',
  'startedAt',
  'stoppedAt',
  'energyWh',
  'amountMinor',
  'currency',
  'paymentStatus',
  'stopReason',
  'anomalyCount',
] as const;

export const CSV_HEADER = toCsv([CSV_COLUMNS]);

export function toCsvRow(s: SessionView): string {
  const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    id: s.id,
    orderNumber: s.orderNumber,
    status: s.status,
    chargePointId: s.chargePointId,
    connectorId: s.connectorId,
    userId: s.userId,
    idTag: s.idTag,
    transactionId: chargerTransactionIdOf(s),
    requestedAt: s.requestedAt,
    startedAt: s.startedAt,
    stoppedAt: s.stoppedAt,
    energyWh: energyOf(s),
    amountMinor: s.totalMinor,
    currency: s.currency,
    paymentStatus: s.paymentStatus,
    stopReason: s.stopReason ?? s.failureReason,
    anomalyCount: s.anomalyCount,
  };
  return toCsv([CSV_COLUMNS.map((c) => values[c])]);
}
