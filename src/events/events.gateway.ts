import { Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import type { Actor } from '../common/actor';
import { AppConfig } from '../config/app-config';
import { KeySecurityService } from '../integrator-security/key-security.service';
import { CredentialRevocations, Revocation } from '../users/credential-revocations';
import type { DomainEvent } from './domain-event';
import { EventBus } from './event-bus';
import { canReceive, isEventPattern, matchesAny } from './event-visibility';
import { CredentialsService } from '../auth/credentials.service';
import { SocketCredentials, credentialsOf, sameActor } from './socket-auth';

/** Close codes in the private 4000-4999 range, mirroring HTTP statuses. */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FORBIDDEN = 4403;
export const CLOSE_TOO_SLOW = 4408;
export const CLOSE_TOO_MANY = 4429;

const UNAUTHORIZED = 'Unauthorized: missing, invalid or expired credentials';

/** Whether credentials (still) open the socket, and how to close it if not. */
type Verdict = { ok: true; actor: Actor } | { ok: false; code: number; reason: string };

interface Subscriber {
  actor: Actor | null;
  credentials: SocketCredentials;
  /** Patterns the client narrowed to with `{"subscribe": [...]}`; null = everything it may see. */
  patterns: string[] | null;
  alive: boolean;
}

/** Whom the per-account socket cap counts: the account, or the API key. */
const holderOf = (actor: Actor) => (actor.apiKeyId ? `key:${actor.apiKeyId}` : `user:${actor.userId}`);

const REVOKED_REASONS: Record<Revocation['reason'], string> = {
  disabled: 'Unauthorized: the account was disabled',
  role_changed: "Unauthorized: the account's role changed; reconnect",
  password_changed: 'Unauthorized: the password changed; reconnect with a new token',
  logout: 'Unauthorized: logged out everywhere',
  revoked: 'Unauthorized: the API key was revoked',
};

/**
 * The live `/events` socket. Each event the bus carries is serialised once and pushed to every
 * authenticated subscriber allowed to see it. Sending never waits: a subscriber that cannot keep
 * up is disconnected instead of slowing the publisher. A socket lives no longer than the access
 * its credentials grant: a revocation made on this node closes it at once, and every socket's
 * credentials are checked again periodically, which catches changes made on other nodes.
 */
// Clients only ever send small `subscribe` messages; `ws` would otherwise accept 100 MiB frames.
@WebSocketGateway<{ path: string; maxPayload: number }>({ path: '/events', maxPayload: 16 * 1024 })
export class EventsGateway
  implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, OnModuleDestroy
{
  private readonly logger = new Logger(EventsGateway.name);
  private readonly subscribers = new Map<WebSocket, Subscriber>();
  private unsubscribe: (() => void) | null = null;
  private stopRevocations: (() => void) | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private recheck: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;

  constructor(
    private readonly bus: EventBus,
    private readonly credentials: CredentialsService,
    private readonly keySecurity: KeySecurityService,
    private readonly revocations: CredentialRevocations,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((event) => this.push(event), { scope: 'cluster' });
    this.stopRevocations = this.revocations.listen((r) => this.onRevocation(r));
    this.heartbeat = setInterval(() => this.beat(), this.config.liveEvents.heartbeatMs);
    this.heartbeat.unref();
    this.recheck = setInterval(() => void this.recheckAll(), this.config.liveEvents.recheckIntervalMs);
    this.recheck.unref();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.stopRevocations?.();
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.recheck) clearInterval(this.recheck);
    for (const ws of this.subscribers.keys()) ws.close(1001, 'Server shutting down');
  }

  async handleConnection(ws: WebSocket, req: IncomingMessage): Promise<void> {
    const sub: Subscriber = { actor: null, credentials: credentialsOf(req), patterns: null, alive: true };
    ws.on('pong', () => (sub.alive = true));
    ws.on('message', (raw) => this.onMessage(ws, sub, raw.toString()));
    let verdict: Verdict = { ok: false, code: CLOSE_UNAUTHORIZED, reason: UNAUTHORIZED };
    try {
      verdict = await this.verify(sub.credentials);
    } catch (err) {
      this.logger.warn({ err }, 'Live socket authentication failed');
    }
    if (ws.readyState !== WebSocket.OPEN) return;
    if (!verdict.ok) {
      ws.close(verdict.code, verdict.reason);
      return;
    }
    // Counted after the last await, so concurrent handshakes cannot all slip under the cap.
    const holder = holderOf(verdict.actor);
    const max = this.config.liveEvents.maxSocketsPerActor;
    if ([...this.subscribers.values()].filter((s) => s.actor && holderOf(s.actor) === holder).length >= max) {
      ws.close(CLOSE_TOO_MANY, `Too many live sockets: at most ${max} per account or API key`);
      return;
    }
    sub.actor = verdict.actor;
    this.subscribers.set(ws, sub);
    ws.send(JSON.stringify({ ready: true, role: sub.actor.role, subscribed: sub.patterns ?? ['*'] }));
  }

  handleDisconnect(ws: WebSocket): void {
    this.subscribers.delete(ws);
  }

  /**
   * The HTTP rules, plus one of the socket's own: a key that requires signed or encrypted requests
   * is refused, since a socket can neither sign each message nor carry the envelope.
   */
  private async verify(credentials: SocketCredentials): Promise<Verdict> {
    const actor = await this.credentials.actorFor(credentials);
    if (!actor) return { ok: false, code: CLOSE_UNAUTHORIZED, reason: UNAUTHORIZED };
    if (actor.apiKeyId) {
      const security = await this.keySecurity.forKey(actor.apiKeyId, actor.tenantId);
      if (security.requireSignature || security.requireEncryption) {
        return {
          ok: false,
          code: CLOSE_FORBIDDEN,
          reason: 'Forbidden: this API key requires signed or encrypted requests; use a webhook',
        };
      }
    }
    return { ok: true, actor };
  }

  private onRevocation(r: Revocation): void {
    for (const [ws, sub] of this.subscribers) {
      const hit = r.kind === 'account' ? sub.actor?.userId === r.userId : sub.actor?.apiKeyId === r.apiKeyId;
      if (hit) this.drop(ws, CLOSE_UNAUTHORIZED, REVOKED_REASONS[r.reason]);
    }
  }

  /**
   * One round of re-checks, run every EVENTS_RECHECK_INTERVAL_MS; public so a test can run one
   * instead of waiting. A round already under way is joined, not doubled.
   */
  recheckAll(): Promise<void> {
    this.round ??= this.recheckRound().finally(() => (this.round = null));
    return this.round;
  }

  /** Checks every socket's credentials again; one check per distinct credential per round. */
  private async recheckRound(): Promise<void> {
    if (this.subscribers.size === 0) return;
    const verdicts = new Map<string, Promise<Verdict>>();
    try {
      await Promise.all(
        [...this.subscribers].map(async ([ws, sub]) => {
          const key = JSON.stringify(sub.credentials);
          let verdict = verdicts.get(key);
          if (!verdict) {
            verdict = this.verify(sub.credentials);
            verdicts.set(key, verdict);
          }
          const now = await verdict;
          if (!this.subscribers.has(ws) || !sub.actor) return;
          if (!now.ok) this.drop(ws, now.code, now.reason);
          else if (!sameActor(sub.actor, now.actor))
            this.drop(ws, CLOSE_UNAUTHORIZED, REVOKED_REASONS.role_changed);
        }),
      );
    } catch (err) {
      // A database hiccup must not close every socket; the next round tries again.
      this.logger.warn({ err }, 'Re-checking live socket credentials failed');
    }
  }

  /** Client messages: only `{"subscribe": ["session.*", ...]}`, answered with what is now subscribed. */
  private onMessage(ws: WebSocket, sub: Subscriber, text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      msg = null;
    }
    const wanted = (msg as { subscribe?: unknown } | null)?.subscribe;
    if (!Array.isArray(wanted) || wanted.length === 0 || !wanted.every(isEventPattern)) {
      this.sendIfOpen(
        ws,
        JSON.stringify({
          error: 'Expected {"subscribe": ["session.*" | "station.*" | <event type> | "*", ...]}',
        }),
      );
      return;
    }
    sub.patterns = [...new Set(wanted)];
    this.sendIfOpen(ws, JSON.stringify({ subscribed: sub.patterns }));
  }

  private push(event: DomainEvent): void {
    if (this.subscribers.size === 0) return;
    const message = JSON.stringify({
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt,
      stationId: event.stationId ?? null,
      data: event.data,
    });
    for (const [ws, sub] of this.subscribers) {
      if (!sub.actor || !canReceive(sub.actor, event)) continue;
      if (sub.patterns && !matchesAny(sub.patterns, event.type)) continue;
      if (ws.bufferedAmount > this.config.liveEvents.maxBufferedBytes) {
        this.drop(ws, CLOSE_TOO_SLOW, 'Too slow: send buffer exceeded; reconnect');
        continue;
      }
      this.sendIfOpen(ws, message);
    }
  }

  private sendIfOpen(ws: WebSocket, message: string): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(message);
  }

  /** A client that did not answer the previous ping is gone (half-open TCP); free it. */
  private beat(): void {
    for (const [ws, sub] of this.subscribers) {
      if (!sub.alive) {
        this.subscribers.delete(ws);
        ws.terminate();
        continue;
      }
      sub.alive = false;
      ws.ping();
    }
  }

  private drop(ws: WebSocket, code: number, reason: string): void {
    this.subscribers.delete(ws);
    ws.close(code, reason);
    // The close frame waits behind the full buffer; do not wait for it long.
    setTimeout(() => ws.terminate(), 1000).unref();
  }
}
