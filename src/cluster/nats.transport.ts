import { Logger } from '@nestjs/common';
import { ErrorCode as NatsErrorCode, JSONCodec, NatsConnection, NatsError, connect } from 'nats';
import { DomainError, ErrorCode } from '../common/domain-error';
import { ChargerCall, ChargerCallExecutor, ClusterTransport } from './cluster-transport';

/** Beyond the charger's own timeout, time for the hop to the holding node and back. */
const ROUTING_MARGIN_MS = 2_000;
/** Errors a holding node may answer with; anything else arrives as SERVICE_UNAVAILABLE. */
const FORWARDED: ReadonlySet<ErrorCode> = new Set([
  'STATION_OFFLINE',
  'CHARGER_TIMEOUT',
  'CHARGER_ERROR',
  'VALIDATION_FAILED',
]);

type Reply =
  | { ok: true; result: object }
  | { ok: false; code: ErrorCode; message: string; details?: Record<string, unknown> };

interface Envelope<T> {
  nodeId: string;
  body: T;
}

/**
 * A charge point id in one NATS subject token: letters, digits, `_` and `-` as they are, any
 * other character (`.`, `*`, `>`, space...) as `~` and its UTF-8 bytes in hex.
 */
export const subjectToken = (chargePointId: string): string =>
  [...Buffer.from(chargePointId, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9_-]/.test(c) ? c : `~${b.toString(16).padStart(2, '0')}`;
    })
    .join('');

export const callSubject = (prefix: string, chargePointId: string) =>
  `${prefix}.charger.${subjectToken(chargePointId)}.call`;

/**
 * NATS request-reply between nodes. The node holding a charger's socket subscribes to that
 * charger's call subject, so a request needs no lookup, and a charger connected nowhere gets
 * the server's immediate "no responders" instead of a timeout.
 */
export class NatsTransport extends ClusterTransport {
  readonly clustered = true;
  private readonly logger = new Logger(NatsTransport.name);
  private readonly jc = JSONCodec();
  private readonly events: string;
  private readonly takeovers: string;

  private constructor(
    readonly nodeId: string,
    private readonly prefix: string,
    private readonly nc: NatsConnection,
  ) {
    super();
    this.events = `${prefix}.events`;
    this.takeovers = `${prefix}.takeover`;
  }

  static async connect(url: string, nodeId: string, prefix: string): Promise<NatsTransport> {
    const nc = await connect({ servers: url, name: `${prefix}-${nodeId}`, maxReconnectAttempts: -1 });
    return new NatsTransport(nodeId, prefix, nc);
  }

  async callCharger(chargePointId: string, call: ChargerCall): Promise<object> {
    let reply: Reply;
    try {
      const msg = await this.nc.request(callSubject(this.prefix, chargePointId), this.jc.encode(call), {
        timeout: call.timeoutMs + ROUTING_MARGIN_MS,
      });
      reply = this.jc.decode(msg.data) as Reply;
    } catch (err) {
      const code = (err as NatsError).code;
      if (code === NatsErrorCode.NoResponders)
        throw new DomainError('STATION_OFFLINE', `${chargePointId} is not connected`);
      if (code === NatsErrorCode.Timeout)
        throw new DomainError('CHARGER_TIMEOUT', `${chargePointId} did not answer ${call.action} in time`);
      this.logger.warn({ err, chargePointId }, 'Routing a charger call through NATS failed');
      throw new DomainError('SERVICE_UNAVAILABLE', 'The message broker is unavailable');
    }
    if (reply.ok) return reply.result;
    throw new DomainError(reply.code, reply.message, reply.details);
  }

  serveCharger(chargePointId: string, execute: ChargerCallExecutor): () => void {
    const sub = this.nc.subscribe(callSubject(this.prefix, chargePointId), {
      callback: (err, msg) => {
        if (err) return;
        const call = this.jc.decode(msg.data) as ChargerCall;
        void execute(call)
          .then((result): Reply => ({ ok: true, result }))
          .catch((e: unknown): Reply => {
            if (e instanceof DomainError && FORWARDED.has(e.code))
              return { ok: false, code: e.code, message: e.message, details: e.details };
            this.logger.error({ err: e, chargePointId }, 'Remote charger call failed');
            return {
              ok: false,
              code: 'SERVICE_UNAVAILABLE',
              message: 'The holding node could not run the call',
            };
          })
          .then((reply) => {
            if (!this.nc.isClosed()) msg.respond(this.jc.encode(reply));
          });
      },
    });
    return () => sub.unsubscribe();
  }

  announceTakeover(chargePointId: string): void {
    this.send(this.takeovers, chargePointId);
  }

  onTakeover(handler: (chargePointId: string, nodeId: string) => void): () => void {
    return this.listen<string>(this.takeovers, (body, nodeId) => handler(body, nodeId));
  }

  publishEvent(event: object): void {
    this.send(this.events, event);
  }

  onRemoteEvent(listener: (event: unknown) => void): () => void {
    return this.listen<unknown>(this.events, (body) => listener(body));
  }

  async ping(): Promise<void> {
    if (this.nc.isClosed()) throw new Error('NATS connection closed');
    await Promise.race([
      this.nc.rtt(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('NATS did not answer')), 2000).unref()),
    ]);
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain();
  }

  private send<T>(subject: string, body: T): void {
    if (this.nc.isClosed() || this.nc.isDraining()) return;
    const envelope: Envelope<T> = { nodeId: this.nodeId, body };
    this.nc.publish(subject, this.jc.encode(envelope));
  }

  /** Messages on `subject` from other nodes; this node's own are skipped. */
  private listen<T>(subject: string, handler: (body: T, nodeId: string) => void): () => void {
    const sub = this.nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) return;
        const { nodeId, body } = this.jc.decode(msg.data) as Envelope<T>;
        if (nodeId === this.nodeId) return;
        try {
          handler(body, nodeId);
        } catch (e) {
          this.logger.error({ err: e, subject }, 'Cluster message handler failed');
        }
      },
    });
    return () => sub.unsubscribe();
  }
}
