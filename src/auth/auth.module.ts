import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import { SecurityEventsModule } from '../integrator-security/audit/security-events.module';
import { TenantsModule } from '../tenants/tenants.module';
import { UsersModule } from '../users/users.module';
import { ActorGuard } from './actor.guard';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { CredentialsService } from './credentials.service';
import { LoginRateLimiter } from './login-rate-limiter';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { RefreshTokensService } from './refresh-tokens.service';
import { SeedAuthController } from './seed-auth.controller';

@Module({
  imports: [
    UsersModule,
    TenantsModule,
    SecurityEventsModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, SeedAuthController, ApiKeysController],
  providers: [
    AuthService,
    ApiKeysService,
    ApiKeysRepository,
    RefreshTokensService,
    RefreshTokensRepository,
    LoginRateLimiter,
    CredentialsService,
    ActorGuard,
  ],
  exports: [AuthService, ApiKeysService, CredentialsService, ActorGuard],
})
export class AuthModule {}
