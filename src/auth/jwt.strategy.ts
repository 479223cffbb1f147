import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { Actor } from '../common/actor';
import { AppConfig } from '../config/app-config';
import { TenantsService } from '../tenants/tenants.service';
import { UsersService } from '../users/users.service';
import type { Role } from '../users/users.tables';
import { ApiKeysService } from './api-keys.service';

/** An account's access token. `iatMs` makes revocation exact to the millisecond. */
export interface AccessTokenClaims {
  sub: string;
  tid: string;
  role: Role;
  typ: 'access';
  iatMs: number;
  iat: number;
  exp: number;
}

/** A client-credentials token exchanged for an API key: it acts as the key. */
export interface ClientTokenClaims {
  sub: string;
  tid: string;
  typ: 'client';
  iat: number;
  exp: number;
}

/** Bearer tokens: HS256 only (an `alg: none` or RS256 token is refused by the verifier). */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly users: UsersService,
    private readonly tenants: TenantsService,
    private readonly apiKeys: ApiKeysService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  /** Returning false makes the guard answer 401. Account and key are re-read so revocation is immediate. */
  async validate(claims: AccessTokenClaims | ClientTokenClaims): Promise<Actor | false> {
    if (typeof claims.sub !== 'string' || typeof claims.tid !== 'string') return false;
    if (claims.typ === 'client') return this.apiKeys.actorForKeyId(claims.sub, claims.tid);
    if (claims.typ !== 'access') return false;
    const user = await this.users.findActiveById(claims.sub);
    if (!user || user.tenantId !== claims.tid) return false;
    const issuedAtMs = typeof claims.iatMs === 'number' ? claims.iatMs : claims.iat * 1000;
    // tokensValidAfter equals createdAt until a password change, logout-everywhere or disable bumps it.
    const bumped = user.tokensValidAfter.getTime() > user.createdAt.getTime();
    if (bumped && issuedAtMs < user.tokensValidAfter.getTime()) return false;
    const tenant = await this.tenants.findById(user.tenantId);
    if (!tenant || (tenant.status !== 'active' && user.role !== 'root')) return false;
    return { tenantId: user.tenantId, userId: user.id, role: user.role };
  }
}
