import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import { TenantsModule } from '../tenants/tenants.module';
import { UsersModule } from '../users/users.module';
import { EventBus } from './event-bus';
import { EventsGateway } from './events.gateway';
import { SocketAuthenticator } from './socket-auth';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookEnqueuer } from './webhook-enqueuer';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** The event bus (global, for every publisher), webhooks and the live `/events` socket. */
@Global()
@Module({
  imports: [
    UsersModule,
    TenantsModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [WebhooksController],
  providers: [
    EventBus,
    WebhooksRepository,
    WebhooksService,
    WebhookEnqueuer,
    WebhookDeliveryWorker,
    SocketAuthenticator,
    EventsGateway,
  ],
  exports: [EventBus],
})
export class EventsModule {}
