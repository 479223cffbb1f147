import { Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import type { Actor } from '../common/actor';
import { AppConfig } from '../config/app-config';
import type { DomainEvent } from './domain-event';
import { EventBus } from './event-bus';
import { canReceive, isEventPattern, matchesAny } from './event-visibility';
import { CredentialsService } from '../auth/credentials.service';
import { credentialsOf } from './socket-auth';

/** Close codes in the private 4000-4999 range, mirroring HTTP statuses. */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_TOO_SLOW = 4408;

interface Subscriber {
  actor: Actor | null;
  /** Patterns the client narrowed to with `{"subscribe": [...]}`; null = everything it may see. */
  patterns: string[] | null;
  alive: boolean;
}

/**
 * The live `/events` socket. Each event the bus carries is serialised once and pushed to every
 * authenticated subscriber allowed to see it. Sending never waits: a subscriber that cannot keep
 * up is disconnected instead of slowing the publisher.
 */
// Clients only ever send small `subscribe` messages; `ws` would otherwise accept 100 MiB frames.
@WebSocketGateway<{ path: string; maxPayload: number }>({ path: '/events', maxPayload: 16 * 1024 })
export class EventsGateway
  implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, OnModuleDestroy
{
  private readonly logger = new Logger(EventsGateway.name);
  private readonly subscribers = new Map<WebSocket, Subscriber>();
  private unsubscribe: (() => void) | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly bus: EventBus,
    private readonly credentials: CredentialsService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((event) => this.push(event), { scope: 'cluster' });
    this.heartbeat = setInterval(() => this.beat(), this.config.liveEvents.heartbeatMs);
    this.heartbeat.unref();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const ws of this.subscribers.keys()) ws.close(1001, 'Server shutting down');
  }

  async handleConnection(ws: WebSocket, req: IncomingMessage): Promise<void> {
    const sub: Subscriber = { actor: null, patterns: null, alive: true };
    ws.on('pong', () => (sub.alive = true));
    ws.on('message', (raw) => this.onMessage(ws, sub, raw.toString()));
    let actor: Actor | null = null;
    try {
      actor = (await this.credentials.actorFor(credentialsOf(req))) || null;
    } catch (err) {
      this.logger.warn({ err }, 'Live socket authentication failed');
    }
    if (ws.readyState !== WebSocket.OPEN) return;
    if (!actor) {
      ws.close(CLOSE_UNAUTHORIZED, 'Unauthorized: missing, invalid or expired credentials');
      return;
    }
    sub.actor = actor;
    this.subscribers.set(ws, sub);
    ws.send(JSON.stringify({ ready: true, role: actor.role, subscribed: sub.patterns ?? ['*'] }));
  }

  handleDisconnect(ws: WebSocket): void {
    this.subscribers.delete(ws);
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
