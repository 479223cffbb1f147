import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { IntegratorSecurityModule } from '../integrator-security/integrator-security.module';
import { UsersModule } from '../users/users.module';
import { EventBus } from './event-bus';
import { EventsGateway } from './events.gateway';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookEnqueuer } from './webhook-enqueuer';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** The event bus (global, for every publisher), webhooks and the live `/events` socket. */
@Global()
@Module({
  imports: [AuthModule, UsersModule, IntegratorSecurityModule],
  controllers: [WebhooksController],
  providers: [
    EventBus,
    WebhooksRepository,
    WebhooksService,
    WebhookEnqueuer,
    WebhookDeliveryWorker,
    EventsGateway,
  ],
  exports: [EventBus],
})
export class EventsModule {}
