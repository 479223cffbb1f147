import type { StatusNotificationRequest, TransactionEventRequest } from './messages';

/**
 * OCPP 2.0.1 addresses an EVSE and, within it, a connector; Kilowatt's API shows a station's
 * connectors. Connector n of a 2.0.1 station is EVSE n: the norm of one connector per EVSE reads
 * the same in both protocols, and a remote start names EVSE n. An EVSE with several connectors
 * (one used at a time, as 2.0.1 requires) shows as one connector carrying the status of the one
 * last reported. EVSE 0 is the station as a whole, as connector 0 is in 1.6.
 */
export const connectorOfEvse = (evseId: number): number => evseId;

/**
 * A 2.0.1 connector status in the words of the protocol-neutral view (those of OCPP 1.6, which
 * the API, filters and the start rules use): Occupied — a vehicle is plugged in — reads Preparing
 * until a transaction's chargingState says more.
 */
export function neutralStatus(s: StatusNotificationRequest['connectorStatus']): {
  status: string;
  errorCode: string;
} {
  switch (s) {
    case 'Occupied':
      return { status: 'Preparing', errorCode: 'NoError' };
    case 'Faulted':
      // 2.0.1 reports the fault itself with NotifyEvent; the status says only that there is one.
      return { status: 'Faulted', errorCode: 'OtherError' };
    default:
      return { status: s, errorCode: 'NoError' };
  }
}

/** The connector status a running transaction's chargingState implies; null when it implies none. */
export function statusOfChargingState(
  state: NonNullable<TransactionEventRequest['transactionInfo']['chargingState']>,
): string | null {
  switch (state) {
    case 'Charging':
    case 'SuspendedEV':
    case 'SuspendedEVSE':
      return state;
    case 'EVConnected':
      return 'Preparing';
    case 'Idle':
      return null;
  }
}
