import { Injectable } from '@nestjs/common';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { AppConfig } from '../config/app-config';
import { Db } from '../database/database';
import { InjectDb } from '../database/database.module';
import { chargerPresence } from './cluster.tables';

export interface HeldCharger {
  chargePointId: string;
  stationId: string;
}

/**
 * Which node holds which charger, in the database every node shares. Written by the gateway of
 * the holding node; entries of a node that stopped refreshing them expire after PRESENCE_TTL_MS.
 */
@Injectable()
export class ChargerPresenceService {
  constructor(
    @InjectDb() private readonly db: Db,
    private readonly config: AppConfig,
  ) {}

  get nodeId(): string {
    return this.config.cluster.nodeId;
  }

  /** This node now holds the charger; a previous owner's entry is replaced. */
  async claim(charger: HeldCharger, at = new Date()): Promise<void> {
    await this.db
      .insert(chargerPresence)
      .values({ ...charger, nodeId: this.nodeId, connectedAt: at, heartbeatAt: at })
      .onConflictDoUpdate({
        target: chargerPresence.chargePointId,
        set: { stationId: charger.stationId, nodeId: this.nodeId, connectedAt: at, heartbeatAt: at },
      });
  }

  /** Forgets the charger, unless another node has taken it over meanwhile. */
  async release(chargePointId: string): Promise<void> {
    await this.db
      .delete(chargerPresence)
      .where(and(eq(chargerPresence.chargePointId, chargePointId), eq(chargerPresence.nodeId, this.nodeId)));
  }

  /**
   * Refreshes this node's entries for the chargers it holds (re-creating one a peer expired
   * while this node was slow), never overwriting another node's newer claim.
   */
  async refresh(held: HeldCharger[], at = new Date()): Promise<void> {
    if (held.length === 0) return;
    await this.db
      .insert(chargerPresence)
      .values(held.map((c) => ({ ...c, nodeId: this.nodeId, connectedAt: at, heartbeatAt: at })))
      .onConflictDoUpdate({
        target: chargerPresence.chargePointId,
        set: { heartbeatAt: sql`excluded.heartbeat_at` },
        setWhere: sql`${chargerPresence.nodeId} = excluded.node_id`,
      });
  }

  /** The node holding the charger now, or null when no live node does. */
  async ownerOf(chargePointId: string, now = new Date()): Promise<string | null> {
    const [row] = await this.db
      .select({ nodeId: chargerPresence.nodeId })
      .from(chargerPresence)
      .where(
        and(
          eq(chargerPresence.chargePointId, chargePointId),
          gt(chargerPresence.heartbeatAt, this.staleBefore(now)),
        ),
      );
    return row?.nodeId ?? null;
  }

  /** Deletes the entries of dead nodes and returns them, so their stations can be marked offline. */
  async expireStale(now = new Date()): Promise<HeldCharger[]> {
    return this.db
      .delete(chargerPresence)
      .where(lt(chargerPresence.heartbeatAt, this.staleBefore(now)))
      .returning({ chargePointId: chargerPresence.chargePointId, stationId: chargerPresence.stationId });
  }

  private staleBefore(now: Date): Date {
    return new Date(now.getTime() - this.config.cluster.presenceTtlMs);
  }
}
