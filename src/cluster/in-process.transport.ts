import { DomainError } from '../common/domain-error';
import { ChargerCall, ClusterTransport } from './cluster-transport';

/** No broker: this node is the whole cluster; a charger not held here is connected nowhere. */
export class InProcessTransport extends ClusterTransport {
  readonly clustered = false;

  constructor(readonly nodeId: string) {
    super();
  }

  async callCharger(chargePointId: string, _call: ChargerCall): Promise<object> {
    throw new DomainError('STATION_OFFLINE', `${chargePointId} is not connected`);
  }

  serveCharger(): () => void {
    return () => undefined;
  }

  announceTakeover(): void {}

  onTakeover(): () => void {
    return () => undefined;
  }

  publishEvent(): void {}

  onRemoteEvent(): () => void {
    return () => undefined;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
