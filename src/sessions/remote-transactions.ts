import type { OcppVersion } from '../common/ocpp-versions';

/** A request to a charger: the OCPP action and its payload. */
export interface ChargerRequest {
  action: string;
  payload: Record<string, unknown>;
}

/**
 * The charger requests behind `POST /sessions` and `POST /sessions/{id}/stop`, in the words of the
 * station's OCPP version: the one place the sessions module names OCPP actions. A station that has
 * never connected is addressed in 1.6 (the call then fails STATION_OFFLINE anyway).
 *
 * OCPP 2.0.1 addresses an EVSE: Kilowatt's connector n of a 2.0.1 station is EVSE n (see
 * docs/ocpp201.md). The user's idTag goes as an idToken of type Central (issued by the CSMS), and
 * `remoteStartId` comes back in the charger's TransactionEvent, which links it to the pending session.
 */
export function remoteStartRequest(
  version: OcppVersion | null,
  start: { connectorId: number; idTag: string; remoteStartId: number | null },
): ChargerRequest {
  if (version === 'ocpp2.0.1')
    return {
      action: 'RequestStartTransaction',
      payload: {
        evseId: start.connectorId,
        idToken: { idToken: start.idTag, type: 'Central' },
        remoteStartId: start.remoteStartId,
      },
    };
  return {
    action: 'RemoteStartTransaction',
    payload: { connectorId: start.connectorId, idTag: start.idTag },
  };
}

/** Stops the charger's transaction: its own string id in 2.0.1, the integer Kilowatt issued in 1.6. */
export function remoteStopRequest(
  version: OcppVersion | null,
  session: { transactionId: number | null; chargerTransactionId: string | null },
): ChargerRequest {
  if (version === 'ocpp2.0.1' && session.chargerTransactionId !== null)
    return { action: 'RequestStopTransaction', payload: { transactionId: session.chargerTransactionId } };
  return { action: 'RemoteStopTransaction', payload: { transactionId: session.transactionId } };
}
