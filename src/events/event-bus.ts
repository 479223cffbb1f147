import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ClusterTransport } from '../cluster/cluster-transport';
import type { DomainEvent, EventType } from './domain-event';

export type EventListener = (event: DomainEvent) => void | Promise<void>;

/**
 * Where a listener hears events from:
 * - `origin`: only events published on this node — for work that must happen once per event,
 *   whatever the number of nodes (queueing webhook deliveries);
 * - `cluster`: events published on any node — for fan-out to clients connected here (`/events`).
 */
export type ListenerScope = 'origin' | 'cluster';

/**
 * The domain event bus. Publishers call `publish` after their transaction committed; listeners
 * (webhooks, the live socket) run asynchronously and a failing listener never affects the
 * publisher or the other listeners. With a broker, every event also goes to the other nodes,
 * whose `cluster` listeners receive it.
 */
@Injectable()
export class EventBus implements OnModuleDestroy {
  private readonly logger = new Logger(EventBus.name);
  private readonly listeners = new Map<EventListener, ListenerScope>();
  private readonly stopRemote: () => void;

  constructor(private readonly transport: ClusterTransport) {
    this.stopRemote = transport.onRemoteEvent((event) => this.deliver(event as DomainEvent, 'cluster'));
  }

  publish<T extends object>(input: {
    type: EventType;
    tenantId: string;
    userId?: string | null;
    stationId?: string | null;
    data: T;
  }): DomainEvent<T> {
    const event: DomainEvent<T> = { id: randomUUID(), occurredAt: new Date().toISOString(), ...input };
    this.deliver(event as DomainEvent, 'origin');
    try {
      this.transport.publishEvent(event);
    } catch (err) {
      this.logger.error({ err, eventType: event.type }, 'Event not sent to the other nodes');
    }
    return event;
  }

  subscribe(listener: EventListener, options: { scope: ListenerScope }): () => void {
    this.listeners.set(listener, options.scope);
    return () => this.listeners.delete(listener);
  }

  onModuleDestroy(): void {
    this.stopRemote();
  }

  /** `from`: 'origin' for an event published here (every listener), 'cluster' for a remote one. */
  private deliver(event: DomainEvent, from: ListenerScope): void {
    for (const [listener, scope] of this.listeners) {
      if (from === 'cluster' && scope === 'origin') continue;
      queueMicrotask(() => {
        Promise.resolve()
          .then(() => listener(event))
          .catch((err: unknown) =>
            this.logger.error({ err, eventType: event.type }, 'Event listener failed'),
          );
      });
    }
  }
}
