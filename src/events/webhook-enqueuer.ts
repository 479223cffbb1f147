import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EventBus } from './event-bus';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhooksService } from './webhooks.service';

/**
 * Turns each event published on this node into durable delivery rows. Only the node whose
 * transaction produced the event publishes it, and the queue's claim makes each row go out once,
 * whatever the number of nodes.
 */
@Injectable()
export class WebhookEnqueuer implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WebhookEnqueuer.name);
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly bus: EventBus,
    private readonly webhooks: WebhooksService,
    private readonly worker: WebhookDeliveryWorker,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe(
      async (event) => {
        const queued = await this.webhooks.enqueue(event);
        if (queued > 0) {
          this.logger.debug(
            { eventId: event.id, eventType: event.type, queued },
            'Webhook deliveries queued',
          );
          void this.worker.poll();
        }
      },
      { scope: 'origin' },
    );
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
