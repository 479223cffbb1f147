import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { RPCServer } from 'ocpp-rpc';
import { Counter, Gauge, Histogram } from 'prom-client';
import type RpcServerClient from 'ocpp-rpc/lib/server-client';
import type { IHandshakeInterface } from 'ocpp-rpc/lib/server-client';
import { WebSocket } from 'ws';
import { DomainError } from '../../common/domain-error';
import { MetricsService } from '../../common/metrics.service';
import { UpgradeRoutes } from '../../common/upgrade-routes';
import { AppConfig } from '../../config/app-config';
import { ChargerAdmission, ChargerSession, OCPP16, OCPP_PATH, SUBPROTOCOLS } from './charger-admission';
import { ChargerCommands } from './charger-commands';
import { TrustProxy, clientAddress } from './client-address';
import { ClusterPresence } from './cluster-presence';
import { ConnectionPresence } from './connection-presence';
import { frameListeners } from './frame-listeners';
import { MessageLogService } from './message-log.service';
import { OcppDispatcher } from './ocpp-dispatcher';
import { StrictValidator, replyOutcome, sendCall, validateCall } from './outbound-call';
import { RequestedBoots, asksForBoot } from './requested-boots';

interface Connection {
  client: RpcServerClient;
  session: ChargerSession;
  /** The online write, so the offline write of the same socket always lands after it. */
  presence: Promise<unknown>;
}

const HOUR_MS = 3_600_000;
/** How long shutdown waits for chargers to acknowledge the close before going on. */
const SHUTDOWN_GRACE_MS = 2_000;

/** The outcome label of a call to a charger that got no CALLRESULT. */
const CALL_OUTCOMES: Partial<Record<string, string>> = {
  CHARGER_TIMEOUT: 'timeout',
  CHARGER_ERROR: 'callerror',
  STATION_OFFLINE: 'disconnected',
};

/**
 * The session of a socket admitted only to be closed: the charger offered no subprotocol we speak
 * (OCPP-J 1.6 and 2.0.1 §3.1.2: complete the handshake without one, then close at once).
 */
const NO_SUBPROTOCOL: Readonly<Record<string, never>> = Object.freeze({});

/**
 * The sockets of this server. A charger that offered no subprotocol at all gets no
 * Sec-WebSocket-Protocol answer (RFC 6455 §4.2.2), yet is spoken to, and schema-checked, in
 * OCPP 1.6: ocpp-rpc picks its strict-mode validator by the socket's `protocol`.
 */
class Ocpp16Socket extends WebSocket {}
const negotiatedProtocol = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'protocol')!.get!;
Object.defineProperty(Ocpp16Socket.prototype, 'protocol', {
  get(this: WebSocket): string {
    return (negotiatedProtocol.call(this) as string) || OCPP16;
  },
});

type AuthCallback = Parameters<RPCServer['auth']>[0];
type Accept = Parameters<AuthCallback>[0];
type Reject = Parameters<AuthCallback>[1];

/**
 * The OCPP-J central system endpoint: the WebSocket server at `/ocpp/...` on the app's HTTP
 * server, in OCPP 2.0.1 or 1.6, with every frame checked against its protocol's schemas (ocpp-rpc
 * strict mode). It holds this node's sockets and sends outbound calls on them; admission decides
 * who connects (`ChargerAdmission`), `OcppDispatcher` answers the chargers' calls,
 * `ConnectionPresence` writes whether they are connected, and the frame listeners keep the
 * message log.
 */
@Injectable()
export class OcppGatewayService
  extends ChargerCommands
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(OcppGatewayService.name);
  private readonly rpc: RPCServer;
  private readonly connections = new Map<string, Connection>();
  private readonly listeners: ReturnType<typeof frameListeners>;
  private removeRoute?: () => void;
  private timers: NodeJS.Timeout[] = [];
  private stopTakeovers: () => void = () => undefined;
  private readonly refusals: Counter<string>;
  private readonly callDuration: Histogram<string>;

  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly admission: ChargerAdmission,
    private readonly dispatcher: OcppDispatcher,
    private readonly presence: ConnectionPresence,
    private readonly messageLog: MessageLogService,
    private readonly cluster: ClusterPresence,
    private readonly requestedBoots: RequestedBoots,
    metrics: MetricsService,
  ) {
    super();
    this.listeners = frameListeners(
      messageLog,
      presence,
      this.logger,
      metrics.counter(
        'kilowatt_ocpp_messages_total',
        'OCPP CALLs by protocol, direction (in: from chargers) and action',
        ['protocol', 'direction', 'action'],
      ),
    );
    this.callDuration = metrics.histogram(
      'kilowatt_ocpp_outbound_call_duration_seconds',
      "Calls to chargers by protocol, action and outcome (the reply's status, answered, callerror, timeout, disconnected)",
      ['protocol', 'action', 'outcome'],
    );
    this.refusals = metrics.counter(
      'kilowatt_ocpp_handshakes_refused_total',
      'Charger handshakes refused, by HTTP status (1002: completed without a subprotocol, then closed)',
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
      // The order is the preference; admission picks per station (chooseSubprotocol).
      protocols: [...SUBPROTOCOLS],
      strictMode: config.ocpp.strictValidation,
      strictModeValidators: SUBPROTOCOLS.map((p) => new StrictValidator(p)),
      callTimeoutMs: config.ocpp.callTimeoutMs,
      // A charger whose pong has not come back by the next ping is terminated (then marked offline).
      pingIntervalMs: config.ocpp.pingIntervalMs,
      // ws reads a frame's length from its header and closes with 1009 before buffering a payload
      // over the cap (its own default is 100 MiB).
      wssOptions: { maxPayload: config.ocpp.maxFrameBytes, WebSocket: Ocpp16Socket },
      // OCPP-J allows one outstanding CALL per direction: commands to a charger queue behind each other.
      callConcurrency: 1,
      // Malformed frames get a CALLERROR and the socket stays open.
      maxBadMessages: Infinity,
      respondWithDetailedErrors: false,
    });
    this.rpc.auth((accept, reject, handshake) => this.admitHandshake(accept, reject, handshake));
    this.rpc.on('client', (client: RpcServerClient) => this.onClient(client));
    this.rpc.on('error', (err: unknown) => this.logger.warn({ err }, 'OCPP server error'));
  }

  /** Express's compiled TRUST_PROXY, the same the REST routes' client address is found with. */
  private get trustProxy(): TrustProxy {
    return this.adapterHost.httpAdapter.getInstance().get('trust proxy fn') as TrustProxy;
  }

  /**
   * Admits or refuses a charger's upgrade within OCPP_HANDSHAKE_TIMEOUT_MS (503 past it), and logs
   * every refusal once: station id, client address, status and reason — never the password.
   */
  private async admitHandshake(
    accept: Accept,
    reject: Reject,
    handshake: IHandshakeInterface,
  ): Promise<void> {
    const source = clientAddress(handshake.request, this.trustProxy);
    // The id comes from the request path: bounded, so a refused stranger cannot write long lines.
    const chargePointId = handshake.identity.slice(0, 100);
    let decided = false;
    const refused = (status: number, reason: string) => {
      decided = true;
      this.refusals.inc({ status: String(status) });
      this.logger.warn({ chargePointId, source, status, reason }, 'Charger handshake refused');
    };
    const timeoutMs = this.config.ocpp.handshakeTimeoutMs;
    const timer = setTimeout(() => {
      refused(503, `not decided within ${timeoutMs} ms`);
      reject(503, 'Service unavailable');
    }, timeoutMs);
    try {
      const outcome = await this.admission.admit(handshake, source, (id) => this.isConnected(id));
      if (decided) return;
      if (!outcome.ok) {
        refused(outcome.status, outcome.reason);
        reject(outcome.status, outcome.message);
      } else if (outcome.subprotocol === null) {
        refused(1002, `no supported subprotocol offered (${[...handshake.protocols].join(', ')})`);
        accept(NO_SUBPROTOCOL, false);
      } else {
        decided = true;
        accept(outcome.session, outcome.subprotocol);
      }
    } catch (err) {
      if (decided) return;
      this.logger.error({ err, identity: handshake.identity }, 'Charger admission failed');
      refused(503, 'admission failed');
      reject(503, 'Service unavailable');
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.presence.starting();
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.removeRoute = UpgradeRoutes.of(server).add(
      OCPP_PATH,
      (req, socket, head) => void this.rpc.handleUpgrade(req, socket as never, head),
      { subpaths: true },
    );
    const every = (ms: number, task: () => Promise<unknown>) => {
      const timer = setInterval(() => this.presence.track(task()), ms);
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
    this.presence.track(this.messageLog.purgeOlderThan(this.config.ocpp.messageLogRetentionDays));
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t);
    this.stopTakeovers();
    this.removeRoute?.();
    const open = [...this.connections.values()];
    // Forgotten first, so the sockets' close events change nothing; presence is written here.
    this.connections.clear();
    const grace = new AbortController();
    await Promise.race([
      Promise.allSettled(open.map((c) => c.client.close({ code: 1001, reason: 'Server shutting down' }))),
      delay(SHUTDOWN_GRACE_MS, undefined, { signal: grace.signal }).catch(() => undefined),
    ]);
    grace.abort();
    for (const c of open) this.presence.offline(c.session, c.presence);
    await this.rpc.close({ code: 1001, force: true });
    await this.presence.settled();
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

  /** Sends a call on a socket this node holds, checked against the schemas of its protocol. */
  private async callLocal<TConf extends object>(
    chargePointId: string,
    action: string,
    payload: object,
    timeoutMs: number,
  ): Promise<TConf> {
    const conn = this.connections.get(chargePointId);
    if (!conn) throw new DomainError('STATION_OFFLINE', `${chargePointId} is not connected`);
    const { protocol } = conn.session;
    validateCall(protocol, action, payload);
    const bootAsked = asksForBoot(action, payload);
    if (bootAsked) this.requestedBoots.expect(chargePointId);
    const timer = this.callDuration.startTimer({ protocol, action });
    try {
      const reply = (await sendCall(
        conn.client,
        protocol,
        chargePointId,
        action,
        payload,
        timeoutMs,
      )) as TConf;
      timer({ outcome: replyOutcome(reply) });
      if (bootAsked && (reply as { status?: unknown }).status !== 'Accepted')
        this.requestedBoots.forget(chargePointId);
      return reply;
    } catch (err) {
      timer({ outcome: CALL_OUTCOMES[(err as DomainError).code] ?? 'failed' });
      if (bootAsked) this.requestedBoots.forget(chargePointId);
      throw err;
    }
  }

  /** Writes coalesced lastSeenAt values and the buffered message log (unpaced when `final`). */
  async flush({ final = false } = {}): Promise<void> {
    await this.presence.flush();
    await this.messageLog.flush({ final });
  }

  private onClient(client: RpcServerClient): void {
    if (client.session === NO_SUBPROTOCOL) {
      void client.close({ code: 1002, reason: `Subprotocol ${SUBPROTOCOLS.join(' or ')} required` });
      return;
    }
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

    const { message, call, response, badMessage, socketError } = this.listeners;
    client.on('message', message);
    client.on('call', call);
    client.on('response', response);
    client.on('badMessage', badMessage);
    client.on('socketError', socketError);
    // One handler for every action (the strict validator has refused unknown ones already).
    client.handle(({ method, params, messageId }) =>
      this.dispatcher.dispatch(session, String(method), params, messageId),
    );
    client.once('close', ({ code, reason }: { code: number; reason: unknown }) =>
      this.onClose(conn, code, String(reason ?? '')),
    );
    const { chargePointId, protocol, securityProfile, source } = session;
    this.logger.log({ chargePointId, protocol, securityProfile, source }, 'Charger connected');
    conn.presence = this.presence.online(session, (c) =>
      this.callLocal(chargePointId, c.action, c.payload, c.timeoutMs),
    );
  }

  private onClose(conn: Connection, code: number, reason: string): void {
    const { chargePointId } = conn.session;
    this.logger.log({ chargePointId, code, reason }, 'Charger disconnected');
    // A replaced socket closing must not mark its successor offline.
    if (this.connections.get(chargePointId) !== conn) return;
    this.connections.delete(chargePointId);
    this.presence.offline(conn.session, conn.presence);
  }

  /**
   * Another node admitted this charger (its authenticated reconnect wins, as on one node): close
   * the stale socket here without touching the presence and online flag the new holder wrote.
   */
  private onTakenOver(chargePointId: string): void {
    const conn = this.connections.get(chargePointId);
    if (!conn) return;
    this.connections.delete(chargePointId);
    this.presence.takenOver(conn.session, conn.presence);
    void conn.client.close({ code: 4000, reason: 'Replaced by a newer connection on another node' });
  }
}
