/**
 * The one way the rest of the system talks to chargers. Implemented by the OCPP gateway; a
 * service injects `ChargerCommands` and never sees a socket. In a cluster, a call for a charger
 * held by another node is routed there and answers exactly as a local one would.
 *
 * `call` resolves with the charger's CALLRESULT payload, or rejects with a DomainError:
 * `STATION_OFFLINE` (not connected), `CHARGER_TIMEOUT` (no answer in time) or `CHARGER_ERROR`
 * (the charger answered with a CALLERROR; `details.ocppErrorCode` carries its code).
 */
export abstract class ChargerCommands {
  abstract call<TConf extends object = Record<string, unknown>>(
    chargePointId: string,
    action: string,
    payload: object,
    options?: { timeoutMs?: number },
  ): Promise<TConf>;

  abstract isConnected(chargePointId: string): Promise<boolean>;
}
