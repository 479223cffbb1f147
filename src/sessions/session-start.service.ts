import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Actor, hasScope, isAdmin } from '../common/actor';
import { DomainError, ErrorCode, notFound } from '../common/domain-error';
import { ReservationsService } from '../commands/reservations.service';
import { AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/db-errors';
import { ChargerCommands } from '../ocpp/gateway/charger-commands';
import { parseConnectorQr } from '../stations/qr-payload';
import { StationsService } from '../stations/stations.service';
import { TariffsService } from '../tariffs/tariffs.service';
import { IdTagsService, type IdTagAuthorization } from '../users/id-tags.service';
import { UsersService } from '../users/users.service';
import { StartSessionDto } from './dto/start-session.dto';
import { SessionReads } from './session-reads.repository';
import { SessionWrites } from './session-writes.repository';
import { SessionsService } from './sessions.service';
import { remoteStartRequest, remoteStopRequest } from './remote-transactions';
import type { SessionRow } from './sessions.tables';
import { SessionView, visibleTo } from './session-view';

/** Connector states in which a new session may begin (OCPP 1.6 ChargePointStatus). */
const TAKES_SESSION = new Set(['Available', 'Preparing', 'Reserved']);
/** Start failures a retried request with the same Idempotency-Key answers again. */
const REPLAYED: ReadonlySet<string> = new Set<ErrorCode>([
  'CHARGER_REJECTED',
  'CHARGER_TIMEOUT',
  'STATION_OFFLINE',
  'CHARGER_ERROR',
]);

function requireScope(actor: Actor, scope: 'charge' | 'admin'): void {
  if (!hasScope(actor, scope)) throw new DomainError('FORBIDDEN', `This API key lacks the ${scope} scope`);
}

/**
 * Starting and stopping from the API: checks, the pending session (the database lets exactly one
 * of two racing starts in), RemoteStart/StopTransaction, idempotent retries, and the sweep that
 * fails sessions a charger never started.
 */
@Injectable()
export class SessionStartService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SessionStartService.name);
  private sweepTimer?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    private readonly reads: SessionReads,
    private readonly writes: SessionWrites,
    private readonly sessions: SessionsService,
    private readonly stations: StationsService,
    private readonly tariffs: TariffsService,
    private readonly idTags: IdTagsService,
    private readonly users: UsersService,
    private readonly chargers: ChargerCommands,
    private readonly reservations: ReservationsService,
    private readonly config: AppConfig,
  ) {}

  async start(actor: Actor, dto: StartSessionDto, idempotencyKey?: string): Promise<SessionView> {
    requireScope(actor, 'charge');
    const target = this.targetOf(dto);
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([target, dto.idTag ?? null, actor.userId ?? actor.apiKeyId ?? null]))
      .digest('base64url');
    if (idempotencyKey) {
      const prior = await this.reads.findByIdempotencyKey(actor.tenantId, idempotencyKey);
      if (prior) return this.replay(actor, prior, fingerprint);
    }
    const { station, connectors } =
      'stationId' in target
        ? await this.stations.findByIdForActor(actor, target.stationId)
        : await this.stations.findByChargePointIdForActor(actor, target.chargePointId);
    if (!station.online || station.registrationStatus !== 'accepted') {
      throw new DomainError('STATION_OFFLINE', `${station.chargePointId} is not connected`);
    }
    const connector = connectors.find((c) => c.connectorId === target.connectorId);
    if (!connector) throw notFound(`Connector of ${station.chargePointId}`, target.connectorId);
    if (!TAKES_SESSION.has(connector.status)) {
      throw new DomainError(
        'CONNECTOR_UNAVAILABLE',
        `Connector ${connector.connectorId} is ${connector.status}`,
      );
    }
    const tag = await this.idTagFor(actor, station.tenantId, dto.idTag);
    const { idTag, userId } = tag;
    const auth = tag.auth ?? (await this.idTags.authorize(station.tenantId, idTag));
    if (auth.status !== 'Accepted')
      throw new DomainError('ID_TAG_REJECTED', `idTag ${idTag} is ${auth.status}`);
    // A reserved connector takes only its holder: 409 CONNECTOR_RESERVED for anyone else.
    await this.reservations.assertCanStart(
      station.tenantId,
      station.id,
      connector.connectorId,
      idTag,
      auth.parentIdTag,
    );
    const now = new Date();
    const plan = await this.tariffs.planFor(station.tenantId, station.id, now);
    if (!plan)
      throw new DomainError(
        'NO_TARIFF',
        `${station.chargePointId} has no price plan; an operator must assign one`,
      );

    // OCPP 2.0.1 links the charger's transaction to this session by an id we send.
    const remoteStartId = station.ocppVersion === 'ocpp2.0.1' ? await this.writes.nextTransactionId() : null;
    let session: SessionRow;
    try {
      session = await this.writes.insertPending(station.tenantId, {
        stationId: station.id,
        connectorId: connector.connectorId,
        userId: userId ?? auth.userId ?? null,
        idTag,
        requestedAt: now,
        tariffId: plan.tariffId,
        tariffSnapshot: plan.plan,
        idempotencyKey: idempotencyKey ?? null,
        requestFingerprint: idempotencyKey ? fingerprint : null,
        remoteStartId,
      });
    } catch (e) {
      if (isUniqueViolation(e, 'charging_sessions_idempotency_key')) {
        const prior = await this.reads.findByIdempotencyKey(actor.tenantId, idempotencyKey!);
        if (prior) return this.replay(actor, prior, fingerprint);
      }
      if (isUniqueViolation(e, 'charging_sessions_live_connector_key')) {
        throw new DomainError('CONNECTOR_BUSY', `Connector ${connector.connectorId} already has a session`);
      }
      if (isUniqueViolation(e, 'charging_sessions_live_id_tag_key'))
        throw new DomainError('ALREADY_CHARGING', `idTag ${idTag} is already charging`);
      throw e;
    }

    const view = { ...session, chargePointId: station.chargePointId };
    try {
      const { action, payload } = remoteStartRequest(station.ocppVersion, {
        connectorId: connector.connectorId,
        idTag,
        remoteStartId,
      });
      const reply = await this.chargers.call<{ status?: string }>(station.chargePointId, action, payload, {
        timeoutMs: this.config.chargerCommandTimeoutMs,
      });
      if (reply.status !== 'Accepted') {
        throw new DomainError(
          'CHARGER_REJECTED',
          `${station.chargePointId} refused to start (${reply.status ?? 'no status'})`,
        );
      }
    } catch (e) {
      const code: ErrorCode = e instanceof DomainError ? e.code : 'CHARGER_ERROR';
      const failed = await this.writes.failPending(session.tenantId, session.id, code, new Date());
      if (failed) {
        this.sessions.publish([
          { type: 'session.failed', session: { ...failed, chargePointId: station.chargePointId } },
        ]);
        throw e;
      }
      // The charger's StartTransaction beat its late or lost reply: the session did start.
    }
    return this.current(view);
  }

  /** Stops an active session (RemoteStopTransaction) or cancels a pending one. Owner or admin. */
  async stop(actor: Actor, id: string): Promise<SessionView> {
    requireScope(actor, 'charge');
    const { tenantId, userId } = visibleTo(actor);
    const session = await this.reads.findView(tenantId, id, userId);
    if (!session) throw notFound('Session', id);
    return this.stopSession(session);
  }

  /** The seed app's stop: the live session on a charger's connector. */
  async stopAtConnector(actor: Actor, chargePointId: string, connectorId: number): Promise<SessionView> {
    requireScope(actor, 'charge');
    const { station } = await this.stations.findByChargePointIdForActor(actor, chargePointId);
    const live = await this.reads.findLiveByConnector(station.tenantId, station.id, connectorId);
    const owner = visibleTo(actor).userId;
    if (!live || (owner !== undefined && live.userId !== owner)) {
      throw notFound(`Session on ${chargePointId} connector`, connectorId);
    }
    return this.stopSession({ ...live, chargePointId: station.chargePointId });
  }

  onModuleInit(): void {
    const everyMs = Math.min(30_000, Math.max(250, (this.config.sessionStartTimeoutSeconds * 1000) / 4));
    this.sweepTimer = setInterval(() => void this.sweepStalePending(), everyMs);
    this.sweepTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
  }

  /** Pending sessions whose charger never sent StartTransaction in time become failed. */
  async sweepStalePending(now = new Date()): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    let count = 0;
    try {
      const before = new Date(now.getTime() - this.config.sessionStartTimeoutSeconds * 1000);
      for (const stale of await this.reads.listStalePending(before, 100)) {
        const failed = await this.writes.failPending(stale.tenantId, stale.id, 'START_TIMEOUT', now);
        if (!failed) continue;
        const view = await this.reads.findView(failed.tenantId, failed.id);
        if (view) this.sessions.publish([{ type: 'session.failed', session: view }]);
        count++;
      }
    } catch (err) {
      this.logger.error({ err }, 'Pending-session sweep failed');
    } finally {
      this.sweeping = false;
    }
    return count;
  }

  private async stopSession(session: SessionView): Promise<SessionView> {
    if (session.status === 'pending') {
      const cancelled = await this.writes.failPending(session.tenantId, session.id, 'CANCELLED', new Date());
      if (cancelled) {
        const view = { ...cancelled, chargePointId: session.chargePointId };
        this.sessions.publish([{ type: 'session.failed', session: view }]);
        return view;
      }
      return this.stopSession(await this.current(session));
    }
    if (session.status !== 'active')
      throw new DomainError('SESSION_NOT_ACTIVE', `Session ${session.id} is ${session.status}`);
    const { action, payload } = remoteStopRequest(
      await this.stations.ocppVersionOf(session.tenantId, session.stationId),
      session,
    );
    const reply = await this.chargers.call<{ status?: string }>(session.chargePointId, action, payload, {
      timeoutMs: this.config.chargerCommandTimeoutMs,
    });
    if (reply.status !== 'Accepted') {
      throw new DomainError(
        'CHARGER_REJECTED',
        `${session.chargePointId} refused to stop (${reply.status ?? 'no status'})`,
      );
    }
    return this.current(session);
  }

  private async replay(actor: Actor, prior: SessionRow, fingerprint: string): Promise<SessionView> {
    if (prior.requestFingerprint !== fingerprint) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used for a different request',
      );
    }
    if (prior.status === 'failed' && prior.failureReason && REPLAYED.has(prior.failureReason)) {
      throw new DomainError(
        prior.failureReason as ErrorCode,
        `The first request with this Idempotency-Key failed: ${prior.failureReason}`,
      );
    }
    return (await this.reads.findView(prior.tenantId, prior.id))!;
  }

  private async current(session: SessionView): Promise<SessionView> {
    return (await this.reads.findView(session.tenantId, session.id))!;
  }

  private targetOf(
    dto: StartSessionDto,
  ): { stationId: string; connectorId: number } | { chargePointId: string; connectorId: number } {
    const given = [dto.stationId, dto.chargePointId, dto.qr].filter((v) => v !== undefined).length;
    const invalid = (field: string, message: string) =>
      new DomainError('VALIDATION_FAILED', message, { fields: [{ field, errors: [message] }] });
    if (given !== 1) throw invalid('stationId', 'give exactly one of stationId, chargePointId or qr');
    if (dto.qr !== undefined) {
      if (dto.connectorId !== undefined) throw invalid('connectorId', 'connectorId comes from the qr code');
      return parseConnectorQr(dto.qr);
    }
    if (dto.connectorId === undefined) throw invalid('connectorId', 'connectorId is required with a station');
    return dto.stationId !== undefined
      ? { stationId: dto.stationId, connectorId: dto.connectorId }
      : { chargePointId: dto.chargePointId!, connectorId: dto.connectorId };
  }

  /**
   * The idTag to start with and its account. Users charge with their own tags; admins and API keys
   * may name any tag of the tenant. A named tag's authorization, read to decide that, is returned
   * too, so the start does not read it again.
   */
  private async idTagFor(
    actor: Actor,
    tenantId: string,
    requested?: string,
  ): Promise<{ idTag: string; userId: string | null; auth?: IdTagAuthorization }> {
    if (requested === undefined) {
      if (!actor.userId)
        throw new DomainError('VALIDATION_FAILED', 'idTag is required for an API key', {
          fields: [{ field: 'idTag', errors: ['idTag is required for an API key'] }],
        });
      return { idTag: await this.users.appIdTagOf(actor.tenantId, actor.userId), userId: actor.userId };
    }
    const auth = await this.idTags.authorize(tenantId, requested);
    if (!isAdmin(actor) && actor.userId && auth.userId !== actor.userId) {
      throw new DomainError('FORBIDDEN', 'A user may charge only with its own idTag');
    }
    return { idTag: requested, userId: auth.userId ?? null, auth };
  }
}
