import { BeforeApplicationShutdown, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Batcher } from '../database/batcher';
import type { DomainEvent } from './domain-event';
import { EventBus } from './event-bus';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhooksService } from './webhooks.service';

/**
 * Turns each event published on this node into durable delivery rows. Only the node whose
 * transaction produced the event publishes it, and the queue's claim makes each row go out once,
 * whatever the number of nodes. Events are written in group commits: a busy node writes one
 * statement per batch, not one per event (a MeterValues-heavy load publishes thousands of
 * `session.updated` a second).
 */
@Injectable()
export class WebhookEnqueuer implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookEnqueuer.name);
  private readonly commits: Batcher<DomainEvent, void>;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly bus: EventBus,
    webhooks: WebhooksService,
    worker: WebhookDeliveryWorker,
  ) {
    this.commits = new Batcher(
      async (events) => {
        const queued = await webhooks.enqueue(events);
        if (queued > 0) {
          this.logger.debug({ events: events.length, queued }, 'Webhook deliveries queued');
          void worker.poll();
        }
        return events.map(() => undefined);
      },
      { name: 'webhook enqueue', maxBatchWeight: 1_000, maxQueuedWeight: 100_000 },
    );
  }

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe(
      (event) =>
        this.commits
          .run(event)
          .catch((err: unknown) =>
            this.logger.error(
              { err, eventId: event.id, eventType: event.type },
              'Webhook deliveries not queued',
            ),
          ),
      { scope: 'origin' },
    );
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.drained();
  }

  /** Every event published here so far is queued (or refused, and logged). */
  drained(): Promise<void> {
    return this.commits.drained();
  }
}
