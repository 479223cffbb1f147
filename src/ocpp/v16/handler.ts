/** The charger a message came from, resolved by the gateway at the handshake. */
export interface ChargerContext {
  chargePointId: string;
  stationId: string;
  tenantId: string;
}

/**
 * One incoming OCPP 1.6 action. The gateway has already authenticated the charger and validated
 * the frame against the official JSON schema; the handler translates OCPP words into ours, calls
 * one service method and shapes the `.conf` — returning only after the data is committed.
 */
export type Handler<TReq, TConf> = (ctx: ChargerContext & { params: TReq }) => Promise<TConf>;
