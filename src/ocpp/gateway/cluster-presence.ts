import { Injectable, Logger } from '@nestjs/common';
import { ChargerPresenceService, HeldCharger } from '../../cluster/charger-presence.service';
import { ChargerCallExecutor, ClusterTransport } from '../../cluster/cluster-transport';
import { AppConfig } from '../../config/app-config';
import { StationPresence } from './charger-directory';

/**
 * The gateway's side of a cluster: announces the chargers this node holds (presence rows, the
 * per-charger call subject, a takeover notice to the node that held it before), keeps the
 * presence fresh, and expires the chargers of dead nodes. Without a broker every method is a
 * no-op and the gateway behaves as a single node.
 */
@Injectable()
export class ClusterPresence {
  private readonly logger = new Logger(ClusterPresence.name);
  private readonly serving = new Map<string, () => void>();

  constructor(
    private readonly config: AppConfig,
    readonly transport: ClusterTransport,
    private readonly presence: ChargerPresenceService,
    private readonly stations: StationPresence,
  ) {}

  get clustered(): boolean {
    return this.transport.clustered;
  }

  get heartbeatMs(): number {
    return this.config.cluster.presenceHeartbeatMs;
  }

  /** This node holds the charger now: answer its calls, claim it, and tell the previous holder. */
  async hold(charger: HeldCharger, execute: ChargerCallExecutor): Promise<void> {
    if (!this.clustered) return;
    this.serving.get(charger.chargePointId)?.();
    this.serving.set(charger.chargePointId, this.transport.serveCharger(charger.chargePointId, execute));
    await this.presence.claim(charger);
    this.transport.announceTakeover(charger.chargePointId);
  }

  /**
   * Stops answering for the charger; `release` also drops the presence row (not after a
   * takeover). Resolves with whether another live node holds the charger now — then its
   * online flag is that node's to write.
   */
  async drop(chargePointId: string, { release }: { release: boolean }): Promise<boolean> {
    this.serving.get(chargePointId)?.();
    this.serving.delete(chargePointId);
    if (!this.clustered) return false;
    if (release) await this.presence.release(chargePointId);
    const owner = await this.presence.ownerOf(chargePointId);
    return owner !== null && owner !== this.presence.nodeId;
  }

  /** Whether any live node holds the charger. */
  async heldAnywhere(chargePointId: string): Promise<boolean> {
    return this.clustered && (await this.presence.ownerOf(chargePointId)) !== null;
  }

  /** One heartbeat: refresh this node's rows, then mark the chargers of dead nodes offline. */
  async beat(held: HeldCharger[]): Promise<void> {
    if (!this.clustered) return;
    await this.presence.refresh(held);
    const expired = await this.presence.expireStale();
    for (const c of expired) {
      // Reconnected elsewhere since the row was read: that node has marked it online.
      if (await this.presence.ownerOf(c.chargePointId)) continue;
      this.logger.log({ chargePointId: c.chargePointId }, 'Presence of a silent node expired');
      await this.stations.markOffline(c.stationId, undefined);
    }
  }
}
