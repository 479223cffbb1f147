import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ActorGuard } from './auth/actor.guard';
import { AuthModule } from './auth/auth.module';
import { ClusterModule } from './cluster/cluster.module';
import { Clock, ClockModule } from './common/clock';
import { logDestination, requestLogMessage } from './common/logging';
import { HitCounter } from './cluster/hit-counter';
import { SharedThrottlerStorage } from './cluster/shared-throttler.storage';
import { CertificateAuthority } from './commands/certificate-authority';
import { CertificateAuthorityModule } from './commands/certificates.module';
import { CommandsModule } from './commands/commands.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { HttpMetricsMiddleware } from './health/http-metrics.middleware';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { IntegratorSecurityModule } from './integrator-security/integrator-security.module';
import { QuotaGuard } from './integrator-security/quota.guard';
import { RequestSecurityGuard } from './integrator-security/request-security.guard';
import { StationsModule } from './stations/stations.module';
import { TariffsModule } from './tariffs/tariffs.module';
import { OcppModule } from './ocpp/ocpp.module';
import { ReportsModule } from './reports/reports.module';
import { SessionsModule } from './sessions/sessions.module';
import { TenantsModule } from './tenants/tenants.module';
import { UsersModule } from './users/users.module';
import { DeclaredErrorsInterceptor, UndeclaredErrors } from './common/api-errors';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

@Module({})
export class AppModule implements NestModule {
  /**
   * `ca`: the CSMS certificate authority, loaded before the TLS server that trusts it.
   * `clock`: the time the application decides by; the system clock unless the tests give one.
   */
  static forRoot(config: AppConfig, ca: CertificateAuthority, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(clock),
        CertificateAuthorityModule.forRoot(ca),
        LoggerModule.forRoot({
          pinoHttp: [
            {
              level: config.logLevel,
              genReqId: (req: IncomingMessage, res: ServerResponse) => {
                const given = req.headers['x-request-id'];
                const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
                res.setHeader('X-Request-Id', id);
                return id;
              },
              redact: {
                paths: [
                  'req.headers.authorization',
                  'req.headers["x-api-key"]',
                  'req.headers.cookie',
                  '*.password',
                ],
                censor: '[redacted]',
              },
              autoLogging: { ignore: (req: IncomingMessage) => req.url === '/metrics' },
              customSuccessMessage: requestLogMessage,
              customErrorMessage: (req: IncomingMessage, res: ServerResponse, err: Error) =>
                `${req.method ?? '?'} ${req.url ?? '?'} ${res.statusCode} failed: ${err.message}`,
            },
            logDestination(config.logFormat),
          ],
        }),
        DatabaseModule,
        ClusterModule,
        ThrottlerModule.forRootAsync({
          inject: [HitCounter],
          useFactory: (counter: HitCounter) => ({
            throttlers: [{ name: 'global', ttl: 60_000, limit: config.rateLimitPerMinute }],
            // In a cluster the counters are shared; one node keeps the throttler's own memory store.
            ...(config.natsUrl ? { storage: new SharedThrottlerStorage(counter) } : {}),
          }),
        }),
        HealthModule,
        EventsModule,
        TenantsModule,
        UsersModule,
        AuthModule,
        IntegratorSecurityModule,
        StationsModule,
        TariffsModule,
        OcppModule,
        SessionsModule,
        CommandsModule,
        ReportsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        UndeclaredErrors,
        { provide: APP_INTERCEPTOR, useClass: DeclaredErrorsInterceptor },
        // Order matters: the rate limit applies before any credential is checked.
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useExisting: ActorGuard },
        // Then per-key/per-account quotas, then the key's signature and envelope requirements.
        { provide: APP_GUARD, useExisting: QuotaGuard },
        { provide: APP_GUARD, useExisting: RequestSecurityGuard },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }
}
