import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { RequestOriginMiddleware } from './request-context';
import { SecurityEventsController } from './security-events.controller';
import { SecurityEventsRepository } from './security-events.repository';
import { SecurityEventsService } from './security-events.service';

/** The security audit log. Imports no feature module, so auth can record into it. */
@Module({
  controllers: [SecurityEventsController],
  providers: [SecurityEventsService, SecurityEventsRepository],
  exports: [SecurityEventsService],
})
export class SecurityEventsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestOriginMiddleware).forRoutes('*');
  }
}
