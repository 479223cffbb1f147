import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DomainEvent, EventType } from './domain-event';

export type EventListener = (event: DomainEvent) => void | Promise<void>;

/**
 * The domain event bus. Publishers call `publish` after their transaction committed; listeners
 * (webhooks, the live socket) run asynchronously and a failing listener never affects the
 * publisher or the other listeners.
 */
@Injectable()
export class EventBus {
  private readonly logger = new Logger(EventBus.name);
  private readonly listeners = new Set<EventListener>();

  publish<T extends object>(input: {
    type: EventType;
    tenantId: string;
    userId?: string | null;
    stationId?: string | null;
    data: T;
  }): DomainEvent<T> {
    const event: DomainEvent<T> = { id: randomUUID(), occurredAt: new Date().toISOString(), ...input };
    for (const listener of this.listeners) {
      queueMicrotask(() => {
        Promise.resolve()
          .then(() => listener(event as DomainEvent))
          .catch((err: unknown) =>
            this.logger.error({ err, eventType: event.type }, 'Event listener failed'),
          );
      });
    }
    return event;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
