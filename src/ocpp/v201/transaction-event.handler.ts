import type { SessionsService } from '../../sessions/sessions.service';
import type { ChargerStateService } from '../../stations/charger-state.service';
import { chargerTime, chargerTimeOr } from '../charger-time';
import type { Handler } from '../gateway/handler';
import { connectorOfEvse, statusOfChargingState } from './connectors';
import { idTagOf, toIdTokenInfo } from './id-tokens';
import type { IdTokenInfo, TransactionEventRequest, TransactionEventResponse } from './messages';
import { requireStorableIds } from './ids';
import { energyRegisterWh, toNeutralMeterValues } from './readings';

/** What a metering event needs of its transaction: a charger transaction's session, EVSE and Kilowatt id never change. */
interface TransactionRef {
  transactionId: number;
  connectorId: number;
  /** The chargingState last heard for it on this node, so a repeated one writes no status. */
  chargingState?: string;
}

/** Transactions remembered per node; the oldest is forgotten first (and looked up again if it speaks). */
const MAX_REMEMBERED_TRANSACTIONS = 50_000;

/**
 * OCPP 2.0.1 TransactionEvent onto the protocol-neutral session: the first event Kilowatt hears of
 * a transaction (Started, or an Updated or Ended whose Started was lost) records it, every event's
 * readings are stored, and Ended closes and settles it — each committed before the answer. The
 * charger's transactionId is the key, so an offline replay (`offline: true`, past timestamps, a
 * seqNo sent again) finds the same session and never bills twice. The answer to Ended carries the
 * settled `totalCost` for the charger's display.
 *
 * Meter start is the energy register in context Transaction.Begin (else the first reading of the
 * first event, else 0); meter stop the Transaction.End register (else the last reading Kilowatt
 * has). An idToken arriving after the start (a transaction begun on plug-in, authorized later)
 * gives the session its idTag and account.
 */
export const transactionEvent = (
  sessions: SessionsService,
  chargerState: ChargerStateService,
): Handler<TransactionEventRequest, TransactionEventResponse> => {
  // A charger sends an Updated every few seconds for hours: after its first event, one without an
  // idToken needs no lookup. Started and Ended, and any event with an idToken, always look up.
  const remembered = new Map<string, TransactionRef>();
  const remember = (key: string, ref: TransactionRef) => {
    remembered.delete(key);
    remembered.set(key, ref);
    if (remembered.size > MAX_REMEMBERED_TRANSACTIONS) remembered.delete(remembered.keys().next().value!);
  };
  return async ({ chargePointId, stationId, tenantId, params }) => {
    const charger = { chargePointId, stationId, tenantId };
    requireStorableIds({
      'evse.id': params.evse?.id,
      'evse.connectorId': params.evse?.connectorId,
      'transactionInfo.remoteStartId': params.transactionInfo.remoteStartId,
      reservationId: params.reservationId,
    });
    const {
      transactionId: chargerTransactionId,
      remoteStartId,
      chargingState,
      stoppedReason,
    } = params.transactionInfo;
    const idTag = idTagOf(params.idToken);
    const key = `${stationId} ${chargerTransactionId}`;
    const ref = params.eventType === 'Updated' && !idTag ? remembered.get(key) : undefined;
    if (ref) {
      await meterAndStatus(ref, params.evse ? connectorOfEvse(params.evse.id) : ref.connectorId);
      return {};
    }
    const known = await sessions.findChargerTransaction(stationId, chargerTransactionId);
    // The first event of a transaction names its EVSE (2.0.1 E01); a later one may omit it.
    const connectorId = params.evse ? connectorOfEvse(params.evse.id) : (known?.connectorId ?? 1);
    let idTokenInfo: IdTokenInfo | undefined;
    let session: { id: string; transactionId: number };
    if (!known) {
      const begin =
        energyRegisterWh(params.meterValue, 'first', 'Transaction.Begin') ??
        energyRegisterWh(params.meterValue, 'first');
      // A Started dated where the database cannot store it is refused, as 1.6's StartTransaction
      // is; a transaction first heard of at its Updated or Ended begins at its earliest reading.
      const startedAt =
        params.eventType === 'Started'
          ? chargerTime(params.timestamp, 'timestamp')
          : (begin?.at ?? chargerTimeOr(params.timestamp, new Date()));
      const started = await sessions.onTransactionStarted(charger, {
        connectorId,
        idTag,
        meterStartWh: begin?.wh ?? 0,
        startedAt,
        reservationId: params.reservationId,
        chargerTransactionId,
        remoteStartId,
      });
      session = { id: started.sessionId, transactionId: started.transactionId };
      if (idTag) idTokenInfo = toIdTokenInfo(started.idTagInfo);
    } else {
      session = { id: known.id, transactionId: known.transactionId! };
      if (idTag && known.idTag === '')
        idTokenInfo = toIdTokenInfo(await sessions.onTransactionAuthorized(charger, known.id, idTag));
      else if (idTag) idTokenInfo = toIdTokenInfo(await sessions.verdictFor(tenantId, idTag));
    }

    if (params.eventType !== 'Ended') {
      const current: TransactionRef = {
        transactionId: session.transactionId,
        connectorId: known?.connectorId ?? connectorId,
        chargingState: remembered.get(key)?.chargingState,
      };
      remember(key, current);
      await meterAndStatus(current, connectorId);
      return idTokenInfo ? { idTokenInfo } : {};
    }
    remembered.delete(key);
    const meterValue = toNeutralMeterValues(params.meterValue);

    const end =
      energyRegisterWh(params.meterValue, 'last', 'Transaction.End') ??
      energyRegisterWh(params.meterValue, 'last');
    const current =
      known && known.id === session.id
        ? known
        : await sessions.findChargerTransaction(stationId, chargerTransactionId);
    await sessions.onTransactionStopped(charger, {
      transactionId: session.transactionId,
      meterStopWh: end?.wh ?? current?.lastEnergyWh ?? current?.meterStartWh ?? 0,
      // A stop is never refused (the charger would resend it forever): an unreadable time is now.
      stoppedAt: chargerTimeOr(params.timestamp, new Date()),
      reason: stoppedReason ?? 'Local',
      idTag: idTag || undefined,
      transactionData: meterValue,
    });
    const settled = await sessions.findChargerTransaction(stationId, chargerTransactionId);
    const totalCost = settled ? sessions.totalCostOf(settled) : null;
    return { ...(totalCost !== null && { totalCost }), ...(idTokenInfo && { idTokenInfo }) };

    /** A Started or Updated event's readings, and its chargingState when that is news. */
    async function meterAndStatus(session: TransactionRef, connectorId: number): Promise<void> {
      const readings = toNeutralMeterValues(params.meterValue);
      if (readings.length > 0)
        await sessions.onMeterValues(charger, {
          connectorId,
          transactionId: session.transactionId,
          meterValue: readings,
        });
      // 2.0.1 sends chargingState "when state has changed", whatever the event's trigger (a station
      // may report Charging first in a MeterValuePeriodic Updated); some repeat it on every event.
      // It is news at the start, when the trigger says so, or when it differs from the last one heard.
      const changed =
        params.eventType === 'Started' ||
        params.triggerReason === 'ChargingStateChanged' ||
        chargingState !== session.chargingState;
      if (chargingState) session.chargingState = chargingState;
      const status = chargingState && changed ? statusOfChargingState(chargingState) : null;
      if (status)
        await chargerState.recordStatus(tenantId, stationId, {
          connectorId,
          status,
          errorCode: 'NoError',
          statusAt: chargerTimeOr(params.timestamp, new Date()),
        });
    }
  };
};
