/** One OCPP call to run on the node that holds the charger's socket. */
export interface ChargerCall {
  action: string;
  payload: object;
  timeoutMs: number;
}

/** Runs a call on a locally held socket; rejects with the gateway's DomainErrors. */
export type ChargerCallExecutor = (call: ChargerCall) => Promise<object>;

/**
 * How nodes talk to each other. Chosen at boot: in-process when no broker is configured (this
 * node is the whole cluster, exactly the single-node behaviour), NATS when NATS_URL is set.
 */
export abstract class ClusterTransport {
  abstract readonly nodeId: string;
  /** True when other nodes may exist, i.e. a broker is configured. */
  abstract readonly clustered: boolean;

  /**
   * Sends a call to whichever node serves `chargePointId`. Rejects with STATION_OFFLINE at once
   * when no node serves it, CHARGER_TIMEOUT / CHARGER_ERROR as the holding node answered.
   */
  abstract callCharger(chargePointId: string, call: ChargerCall): Promise<object>;

  /** Answers calls for `chargePointId` from other nodes; returns the function that stops it. */
  abstract serveCharger(chargePointId: string, execute: ChargerCallExecutor): () => void;

  /** Tells every other node that this node now holds `chargePointId`. */
  abstract announceTakeover(chargePointId: string): void;

  /** `handler(chargePointId, nodeId)` runs when another node took a charger over. */
  abstract onTakeover(handler: (chargePointId: string, nodeId: string) => void): () => void;

  /** Sends a domain event to every other node. */
  abstract publishEvent(event: object): void;

  /** `listener` receives the events other nodes published. */
  abstract onRemoteEvent(listener: (event: unknown) => void): () => void;

  /** Resolves when the broker answers (at once without one); rejects otherwise. */
  abstract ping(): Promise<void>;

  abstract close(): Promise<void>;
}
