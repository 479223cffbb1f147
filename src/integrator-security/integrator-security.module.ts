import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { SecurityEventsModule } from './audit/security-events.module';
import { KeySecurityController } from './key-security.controller';
import { KeySecurityRepository } from './key-security.repository';
import { KeySecurityService } from './key-security.service';
import { QuotaGuard } from './quota.guard';
import { RequestSecurityGuard } from './request-security.guard';
import { ResponseSealerMiddleware } from './response-sealer.middleware';

/**
 * Integrator security on top of auth: per-key signature and envelope requirements, per-key and
 * per-account quotas, signed (and encrypted) responses. Its guards run after the ActorGuard
 * (registered in AppModule, in order).
 */
@Module({
  imports: [AuthModule, SecurityEventsModule],
  controllers: [KeySecurityController],
  providers: [KeySecurityService, KeySecurityRepository, QuotaGuard, RequestSecurityGuard],
  exports: [QuotaGuard, RequestSecurityGuard, KeySecurityService],
})
export class IntegratorSecurityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ResponseSealerMiddleware).forRoutes('*');
  }
}
