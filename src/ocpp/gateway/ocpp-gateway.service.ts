import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { RPCServer, createRPCError } from 'ocpp-rpc';
import { Counter, Gauge } from 'prom-client';
import type RpcServerClient from 'ocpp-rpc/lib/server-client';
import { DomainError } from '../../common/domain-error';
import { AppConfig } from '../../config/app-config';
import { MetricsService } from '../../health/metrics.service';
import { ChargerStateService } from '../../stations/charger-state.service';
import type { Handler } from '../v16/handler';
import { ChargerAdmission, ChargerSession, OCPP16, OCPP_PATH } from './charger-admission';
import { ChargerCommands } from './charger-commands';
import { ClusterPresence } from './cluster-presence';
import { redactSecrets } from './frame-redaction';
import { MessageLogService } from './message-log.service';
import { ocppErrorCodeOf, rewriteCallError16 } from './ocpp-error-codes';
import { Strict16Validator, sendCall, validateCall16 } from './outbound-call';
import { UpgradeRouter } from './upgrade-router';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler = Handler<any, any>;

interface Connection {
  client: RpcServerClient;
  session: ChargerSession;
  /** The online write, so the offline write of the same socket always lands after it. */
  presence: Promise<unknown>;
}

const HOUR_MS = 3_600_000;
/** How long shutdown waits for chargers to acknowledge the close before going on. */
const SHUTDOWN_GRACE_MS = 2_000;

/**
 * The OCPP-J central system endpoint: admits chargers at `/ocpp/...` on the app's HTTP server,
 * validates every frame against the OCPP 1.6 schemas (ocpp-rpc strict mode), dispatches calls to
 * the v16 handlers, keeps stations' presence and the message log, and sends outbound calls.
 */
@Injectable()
export class OcppGatewayService
  extends ChargerCommands
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(OcppGatewayService.name);
  private readonly rpc: RPCServer;
  private readonly connections = new Map<string, Connection>();
  /** stationId → last frame received; written to the database in batches, not per message. */
  private lastSeen = new Map<string, Date>();
  private readonly pendingWrites = new Set<Promise<unknown>>();
  private handlers = new Map<string, AnyHandler>();
  private router?: UpgradeRouter;
  private timers: NodeJS.Timeout[] = [];
  private stopTakeovers: () => void = () => undefined;
  private readonly refusals: Counter<string>;

  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly admission: ChargerAdmission,
    private readonly chargerState: ChargerStateService,
    private readonly messageLog: MessageLogService,
    private readonly cluster: ClusterPresence,
    metrics: MetricsService,
  ) {
    super();
    this.refusals = metrics.counter(
      'kilowatt_ocpp_handshakes_refused_total',
      'Charger handshakes refused, by HTTP status',
      ['status'],
    );
    const connections = this.connections;
    new Gauge({
      name: 'kilowatt_ocpp_connections',
      help: 'Chargers connected to this node',
      registers: [metrics.registry],
      collect() {
        this.set(connections.size);
      },
    });
    new Gauge({
      name: 'kilowatt_ocpp_message_log_dropped',
      help: 'OCPP frames not written to the message log (buffer full or write failed)',
      registers: [metrics.registry],
      collect() {
        this.set(messageLog.dropped);
      },
    });
    this.rpc = new RPCServer({
      protocols: [OCPP16],
      strictMode: config.ocpp.strictValidation,
      strictModeValidators: [new Strict16Validator()],
      callTimeoutMs: config.ocpp.callTimeoutMs,
      pingIntervalMs: 30_000,
      // OCPP-J allows one outstanding CALL per direction: commands to a charger queue behind each other.
      callConcurrency: 1,
      // Malformed frames get a CALLERROR and the socket stays open.
      maxBadMessages: Infinity,
      respondWithDetailedErrors: false,
    });
    this.rpc.auth(async (accept, reject, handshake) => {
      try {
        const outcome = await this.admission.admit(handshake, (id) => this.isConnected(id));
        if (outcome.ok) accept(outcome.session, OCPP16);
        else {
          this.refusals.inc({ status: String(outcome.status) });
          reject(outcome.status, outcome.message);
        }
      } catch (err) {
        this.logger.error({ err, identity: handshake.identity }, 'Charger admission failed');
        reject(503, 'Service unavailable');
      }
    });
    this.rpc.on('client', (client: RpcServerClient) => this.onClient(client));
    this.rpc.on('error', (err: unknown) => this.logger.warn({ err }, 'OCPP server error'));
  }

  /** The v16 actions this central system answers; any other action gets NotImplemented. */
  useHandlers(handlers: Record<string, AnyHandler>): void {
    this.handlers = new Map(Object.entries(handlers));
  }

  async onApplicationBootstrap(): Promise<void> {
    // Without a broker this node holds every charger, so none is connected before it starts.
    if (!this.config.natsUrl) await this.chargerState.markAllOffline();
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.router = new UpgradeRouter(server, OCPP_PATH, (req, socket, head) => {
      void this.rpc.handleUpgrade(req, socket as never, head);
    });
    this.router.install();
    const every = (ms: number, task: () => Promise<unknown>) => {
      const timer = setInterval(() => this.track(task()), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.config.ocpp.flushIntervalMs, () => this.flush());
    every(HOUR_MS, () => this.messageLog.purgeOlderThan(this.config.ocpp.messageLogRetentionDays));
    every(60_000, async () => this.admission.failures.sweep());
    if (this.cluster.clustered) {
      every(this.cluster.heartbeatMs, () =>
        this.cluster.beat(
          [...this.connections.values()].map(({ session: { chargePointId, stationId } }) => ({
            chargePointId,
            stationId,
          })),
        ),
      );
      this.stopTakeovers = this.cluster.transport.onTakeover((id) => this.onTakenOver(id));
    }
    this.track(this.messageLog.purgeOlderThan(this.config.ocpp.messageLogRetentionDays));
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t);
    this.stopTakeovers();
    this.router?.uninstall();
    const open = [...this.connections.values()];
    // Forgotten first, so the sockets' close events change nothing; presence is written here.
    this.connections.clear();
    const grace = new AbortController();
    await Promise.race([
      Promise.allSettled(open.map((c) => c.client.close({ code: 1001, reason: 'Server shutting down' }))),
      delay(SHUTDOWN_GRACE_MS, undefined, { signal: grace.signal }).catch(() => undefined),
    ]);
    grace.abort();
    for (const c of open) this.markOffline(c);
    await this.rpc.close({ code: 1001, force: true });
    await Promise.allSettled([...this.pendingWrites]);
    await this.flush({ final: true });
  }

  async isConnected(chargePointId: string): Promise<boolean> {
    return this.connections.has(chargePointId) || (await this.cluster.heldAnywhere(chargePointId));
  }

  async call<TConf extends object = Record<string, unknown>>(
    chargePointId: string,
    action: string,
    payload: object,
    options: { timeoutMs?: number } = {},
  ): Promise<TConf> {
    if (!this.cluster.clustered && !this.connections.has(chargePointId))
      throw new DomainError('STATION_OFFLINE', `${chargePointId} is not connected`);
    validateCall16(action, payload);
    const timeoutMs = options.timeoutMs ?? this.config.ocpp.callTimeoutMs;
    // Held elsewhere (or nowhere): the node holding the socket runs it, or STATION_OFFLINE at once.
    if (!this.connections.has(chargePointId))
      return (await this.cluster.transport.callCharger(chargePointId, {
        action,
        payload,
        timeoutMs,
      })) as TConf;
    return this.callLocal<TConf>(chargePointId, action, payload, timeoutMs);
  }

  /** Sends a call on a socket this node holds. */
  private async callLocal<TConf extends object>(
    chargePointId: string,
    action: string,
    payload: object,
    timeoutMs: number,
  ): Promise<TConf> {
    const conn = this.connections.get(chargePointId);
    if (!conn) throw new DomainError('STATION_OFFLINE', `${chargePointId} is not connected`);
    return (await sendCall(conn.client, chargePointId, action, payload, timeoutMs)) as TConf;
  }

  /** Writes coalesced lastSeenAt values and the buffered message log (unpaced when `final`). */
  async flush({ final = false } = {}): Promise<void> {
    const seen = this.lastSeen;
    this.lastSeen = new Map();
    try {
      await this.chargerState.recordLastSeen(seen);
    } catch (err) {
      for (const [id, at] of seen) if (!this.lastSeen.has(id)) this.lastSeen.set(id, at);
      this.logger.warn({ err }, 'lastSeenAt flush failed; will retry');
    }
    await this.messageLog.flush({ final });
  }

  private onClient(client: RpcServerClient): void {
    const session = client.session as ChargerSession;
    const conn: Connection = { client, session, presence: Promise.resolve() };
    const previous = this.connections.get(session.chargePointId);
    if (previous && !session.authenticated) {
      // Two unauthenticated handshakes raced past admission: the first one keeps its place.
      void client.close({ code: 4001, reason: 'Already connected' });
      return;
    }
    this.connections.set(session.chargePointId, conn);
    // Admission let this one in only because it authenticated: the newer socket wins.
    if (previous) void previous.client.close({ code: 4000, reason: 'Replaced by a newer connection' });

    const { message, call, response, badMessage } = this.socketListeners;
    client.on('message', message);
    client.on('call', call);
    client.on('response', response);
    client.on('badMessage', badMessage);
    // One handler for every action (the strict validator has refused unknown ones already).
    client.handle(({ method, params }) => this.dispatch(conn, String(method), params));
    client.once('close', () => this.onClose(conn));
    const { chargePointId, stationId } = session;
    conn.presence = Promise.all([
      this.chargerState.markOnline(stationId, new Date()),
      this.cluster.hold({ chargePointId, stationId }, (c) =>
        this.callLocal(chargePointId, c.action, c.payload, c.timeoutMs),
      ),
    ]);
    this.track(conn.presence);
  }

  /**
   * The frame listeners every socket shares: an EventEmitter calls a listener with the socket as
   * `this`, so a connection costs no closures for them (10 000 chargers are held per node).
   */
  private readonly socketListeners = (() => {
    const log = (client: RpcServerClient, direction: 'in' | 'out', frame: unknown) => {
      const { tenantId, stationId } = client.session as ChargerSession;
      this.messageLog.record({ tenantId, stationId, direction, frame: redactSecrets(frame) });
    };
    const seen = (client: RpcServerClient) =>
      this.lastSeen.set((client.session as ChargerSession).stationId, new Date());
    return {
      message(this: RpcServerClient, { outbound }: { outbound: boolean }) {
        if (!outbound) seen(this);
      },
      call(this: RpcServerClient, { outbound, payload }: { outbound: boolean; payload: unknown[] }) {
        log(this, outbound ? 'out' : 'in', payload);
      },
      response(this: RpcServerClient, { outbound, payload }: { outbound: boolean; payload: unknown[] }) {
        // The payload is sent after this event: a 2.0.1-only error code is rewritten in place.
        if (outbound && payload[0] === 4) rewriteCallError16(payload);
        log(this, outbound ? 'out' : 'in', payload);
      },
      badMessage(
        this: RpcServerClient,
        { buffer, response }: { buffer: Buffer; response: unknown[] | null },
      ) {
        log(this, 'in', { raw: buffer.toString('utf8').slice(0, 4096) });
        if (response) {
          rewriteCallError16(response);
          log(this, 'out', response);
        }
      },
    };
  })();

  private async dispatch(
    conn: Connection,
    action: string,
    params: unknown,
  ): Promise<Record<string, unknown>> {
    const { session } = conn;
    const handler = this.handlers.get(action);
    if (!handler) throw createRPCError('NotImplemented', `${action} is not handled by this central system`);
    // OCPP 1.6 §4.2: until accepted, a charger sends nothing but BootNotification.
    if (!session.accepted && action !== 'BootNotification')
      throw createRPCError('SecurityError', `${session.chargePointId} is not accepted by the central system`);
    try {
      const { chargePointId, stationId, tenantId } = session;
      const conf = (await handler({ chargePointId, stationId, tenantId, params })) as Record<string, unknown>;
      if (action === 'BootNotification') session.accepted = conf.status === 'Accepted';
      return conf;
    } catch (err) {
      if (err instanceof DomainError) throw createRPCError(ocppErrorCodeOf(err.code), err.message);
      this.logger.error({ err, action, chargePointId: session.chargePointId }, 'OCPP handler failed');
      throw createRPCError('InternalError', `The central system could not process ${action}`);
    }
  }

  private onClose(conn: Connection): void {
    const { chargePointId } = conn.session;
    // A replaced socket closing must not mark its successor offline.
    if (this.connections.get(chargePointId) !== conn) return;
    this.connections.delete(chargePointId);
    this.markOffline(conn);
  }

  private markOffline(conn: Connection): void {
    const { stationId, chargePointId } = conn.session;
    const seen = this.lastSeen.get(stationId);
    this.lastSeen.delete(stationId);
    this.track(
      conn.presence
        .catch(() => undefined)
        .then(() => this.cluster.drop(chargePointId, { release: true }))
        // The charger may have reconnected to another node before this socket's close was seen.
        .then((heldElsewhere) =>
          heldElsewhere ? undefined : this.chargerState.markOffline(stationId, seen),
        ),
    );
  }

  /**
   * Another node admitted this charger (its authenticated reconnect wins, as on one node): close
   * the stale socket here without touching the presence and online flag the new holder wrote.
   */
  private onTakenOver(chargePointId: string): void {
    const conn = this.connections.get(chargePointId);
    if (!conn) return;
    this.connections.delete(chargePointId);
    this.lastSeen.delete(conn.session.stationId);
    this.track(
      conn.presence.catch(() => undefined).then(() => this.cluster.drop(chargePointId, { release: false })),
    );
    void conn.client.close({ code: 4000, reason: 'Replaced by a newer connection on another node' });
  }

  private track(work: Promise<unknown>): void {
    const p = work
      .catch((err: unknown) => this.logger.warn({ err }, 'OCPP background write failed'))
      .finally(() => this.pendingWrites.delete(p));
    this.pendingWrites.add(p);
  }
}
