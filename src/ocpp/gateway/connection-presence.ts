import { Injectable, Logger } from '@nestjs/common';
import type { ChargerCallExecutor } from '../../cluster/cluster-transport';
import { Clock } from '../../common/clock';
import type { ChargerSession } from './charger-admission';
import { StationPresence } from './charger-directory';
import { ClusterPresence } from './cluster-presence';

/**
 * What the sockets of this node say about their stations' presence: online at connect (with the
 * cluster's claim), offline at close unless another node holds the charger by then, and the time
 * of each station's last frame, coalesced in memory and written in batches, not per message.
 * Every write is tracked, so shutdown can wait for them.
 */
@Injectable()
export class ConnectionPresence {
  private readonly logger = new Logger(ConnectionPresence.name);
  /** stationId → last frame received, since the last flush. */
  private lastSeen = new Map<string, Date>();
  private readonly pendingWrites = new Set<Promise<unknown>>();

  constructor(
    private readonly stations: StationPresence,
    private readonly cluster: ClusterPresence,
    private readonly clock: Clock,
  ) {}

  /** A frame from the station arrived now. */
  seen(stationId: string): void {
    this.lastSeen.set(stationId, this.clock.now());
  }

  /**
   * The socket of `session` is open on this node: the station is online, in the protocol of the
   * socket, and the cluster routes the charger's calls to `execute`. Resolves once both are written.
   */
  online(session: ChargerSession, execute: ChargerCallExecutor): Promise<unknown> {
    const { chargePointId, stationId, protocol } = session;
    const written = Promise.all([
      this.stations.markOnline(stationId, this.clock.now(), protocol),
      this.cluster.hold({ chargePointId, stationId }, execute),
    ]);
    this.track(written);
    return written;
  }

  /**
   * The socket closed: after its online write (`online`), the station goes offline at its last
   * frame — unless the charger has reconnected to another node meanwhile.
   */
  offline(session: ChargerSession, online: Promise<unknown>): void {
    const { stationId, chargePointId } = session;
    const seen = this.lastSeen.get(stationId);
    this.lastSeen.delete(stationId);
    this.track(
      online
        .catch(() => undefined)
        .then(() => this.cluster.drop(chargePointId, { release: true }))
        .then((heldElsewhere) => (heldElsewhere ? undefined : this.stations.markOffline(stationId, seen))),
    );
  }

  /** Another node holds the charger now: its presence and online flag are that node's to write. */
  takenOver(session: ChargerSession, online: Promise<unknown>): void {
    this.lastSeen.delete(session.stationId);
    this.track(
      online.catch(() => undefined).then(() => this.cluster.drop(session.chargePointId, { release: false })),
    );
  }

  /** Writes the coalesced last-seen times; kept for the next flush when the write fails. */
  async flush(): Promise<void> {
    const seen = this.lastSeen;
    this.lastSeen = new Map();
    try {
      await this.stations.recordLastSeen(seen);
    } catch (err) {
      for (const [id, at] of seen) if (!this.lastSeen.has(id)) this.lastSeen.set(id, at);
      this.logger.warn({ err }, 'lastSeenAt flush failed; will retry');
    }
  }

  /** Without a broker this node holds every charger, so none is connected before it starts. */
  async starting(): Promise<void> {
    if (!this.cluster.clustered) await this.stations.markAllOffline();
  }

  /** Runs `work` in the background, logged if it fails, awaited by `settled`. */
  track(work: Promise<unknown>): void {
    const p = work
      .catch((err: unknown) => this.logger.warn({ err }, 'OCPP background write failed'))
      .finally(() => this.pendingWrites.delete(p));
    this.pendingWrites.add(p);
  }

  /** Every write started so far has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pendingWrites]);
  }
}
