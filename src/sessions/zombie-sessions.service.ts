import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Actor, hasScope, isAdmin } from '../common/actor';
import { DomainError, notFound } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { EventBus } from '../events/event-bus';
import { SessionCloser } from './session-closer';
import { SessionReads, SessionWithChargePoint } from './session-reads.repository';
import { SessionWrites } from './session-writes.repository';
import { SessionsService } from './sessions.service';
import type { AnomalyKind } from './sessions.tables';
import { SessionView, toSessionResponse, visibleTo } from './session-view';

/** Sessions flagged per kind and run at most: a backlog is worked off over the next runs. */
const RECONCILE_BATCH = 500;
/** The stop reason of an operator's soft stop; the operator's own words are in its record. */
export const FORCE_STOP_REASON = 'ForceStopped';

/**
 * Zombie sessions: a charger that never sends its StopTransaction (lost, a firmware bug, replaced
 * hardware) leaves its session active and its connector blocked. An operator may soft-stop such a
 * session without the charger, billed on the last known reading and corrected when the real
 * StopTransaction arrives after all; the reconciler flags the likely zombies for them, and never
 * closes anything itself.
 */
@Injectable()
export class ZombieSessionsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ZombieSessionsService.name);
  private timer?: NodeJS.Timeout;
  private reconciling = false;

  constructor(
    private readonly reads: SessionReads,
    private readonly writes: SessionWrites,
    private readonly closer: SessionCloser,
    private readonly sessions: SessionsService,
    private readonly events: EventBus,
    private readonly config: AppConfig,
  ) {}

  /**
   * Closes an active session without the charger: at its last reading (energy and time; the start
   * when it never sent one), priced with its frozen tariff, the reason and the operator recorded.
   */
  async forceStop(actor: Actor, id: string, reason: string): Promise<SessionView> {
    if (!isAdmin(actor) || !hasScope(actor, 'admin'))
      throw new DomainError('FORBIDDEN', 'A soft stop is for an admin or an API key with the admin scope');
    const { tenantId, userId } = visibleTo(actor);
    const view = await this.reads.findView(tenantId, id, userId);
    if (!view) throw notFound('Session', id);
    const charger = { chargePointId: view.chargePointId, stationId: view.stationId, tenantId: view.tenantId };
    const closed = await this.writes.transaction(async (tx) => {
      const live = await this.reads.findLiveByConnector(view.tenantId, view.stationId, view.connectorId, tx);
      if (live?.id !== view.id || live.status !== 'active')
        throw new DomainError('SESSION_NOT_ACTIVE', `Session ${id} is not active`);
      const session = await this.closer.close(tx, charger, live, {
        stoppedAt: live.lastMeterAt ?? live.startedAt ?? new Date(),
        meterStopWh: live.lastEnergyWh ?? live.meterStartWh ?? 0,
        reason: FORCE_STOP_REASON,
        inferred: true,
      });
      await this.closer.anomaly(
        tx,
        charger,
        live,
        'force_stopped',
        `Soft-stopped by an operator: ${reason}`,
        {
          reason,
          actorRole: actor.role,
          actorUserId: actor.userId ?? null,
          actorApiKeyId: actor.apiKeyId ?? null,
        },
      );
      return session;
    });
    this.sessions.publish([{ type: 'session.completed', session: closed }]);
    return closed;
  }

  onModuleInit(): void {
    this.timer = setInterval(
      () => void this.reconcile(),
      this.config.sessionReconciler.intervalSeconds * 1000,
    );
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /**
   * Flags, once each, active sessions open past SESSION_STALE_AFTER_HOURS and those whose connector
   * has reported Available past SESSION_AVAILABLE_GRACE_SECONDS. Returns how many it flagged.
   */
  async reconcile(now = new Date()): Promise<number> {
    if (this.reconciling) return 0;
    this.reconciling = true;
    let flagged = 0;
    try {
      const { staleAfterHours, availableGraceSeconds } = this.config.sessionReconciler;
      const staleBefore = new Date(now.getTime() - staleAfterHours * 3_600_000);
      for (const s of await this.reads.listStaleActive(staleBefore, RECONCILE_BATCH)) {
        const since = s.createdAt.toISOString();
        const message = `Active since ${since}, past SESSION_STALE_AFTER_HOURS (${staleAfterHours} h)`;
        if (await this.flag(s, 'session_stale', message, { since, staleAfterHours })) flagged++;
      }
      const availableBefore = new Date(now.getTime() - availableGraceSeconds * 1000);
      for (const s of await this.reads.listActiveOnAvailableConnector(availableBefore, RECONCILE_BATCH)) {
        const message = `Connector ${s.connectorId} reports Available while this session is active`;
        if (await this.flag(s, 'connector_available', message, { availableGraceSeconds })) flagged++;
      }
    } catch (err) {
      this.logger.error({ err }, 'Zombie session reconciliation failed');
    } finally {
      this.reconciling = false;
    }
    return flagged;
  }

  /** One flag per session and kind, even with several nodes reconciling; announced when raised. */
  private async flag(
    s: SessionWithChargePoint,
    kind: AnomalyKind,
    message: string,
    details: Record<string, unknown>,
  ): Promise<boolean> {
    const raised = await this.writes.insertAnomaly(s.tenantId, {
      stationId: s.stationId,
      sessionId: s.id,
      transactionId: s.transactionId,
      kind,
      message,
      details,
    });
    if (!raised) return false;
    const now = new Date();
    this.events.publish({
      type: 'session.updated',
      tenantId: s.tenantId,
      userId: s.userId,
      stationId: s.stationId,
      data: toSessionResponse(
        { ...s, anomalyCount: s.anomalyCount + 1 },
        await this.reads.anomaliesOf(s.tenantId, [s.id]),
        now,
      ),
    });
    return true;
  }
}
