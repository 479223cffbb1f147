/** The charger a message came from, resolved by the gateway at the handshake. */
export interface ChargerContext {
  chargePointId: string;
  stationId: string;
  tenantId: string;
  /** Whitepaper security profile 0-3 the charger's connection was admitted under. */
  securityProfile?: number;
}

/**
 * One incoming OCPP action, in either protocol. The gateway has already authenticated the charger
 * and validated the frame against the official JSON schema of its protocol; the handler (in
 * `ocpp/v16` or `ocpp/v201`) translates the protocol's words into ours, calls the domain services
 * and shapes the reply — returning only after the data is committed.
 */
export type Handler<TReq, TConf> = (ctx: ChargerContext & { params: TReq }) => Promise<TConf>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler = Handler<any, any>;
