import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { Actor } from '../common/actor';
import { AppConfig } from '../config/app-config';
import { TenantsService } from '../tenants/tenants.service';
import { UsersService } from '../users/users.service';
import type { Role } from '../users/users.tables';

export interface AccessTokenClaims {
  sub: string;
  tid: string;
  role: Role;
  typ: 'access';
  iat: number;
  exp: number;
}

/** Bearer access tokens: HS256 only (an `alg: none` or RS256 token is refused by the verifier). */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly users: UsersService,
    private readonly tenants: TenantsService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  /** Returning false makes the guard answer 401. The account is re-read so a disabled one stops at once. */
  async validate(claims: AccessTokenClaims): Promise<Actor | false> {
    if (claims.typ !== 'access' || typeof claims.sub !== 'string') return false;
    const user = await this.users.findActiveById(claims.sub);
    if (!user || user.tenantId !== claims.tid) return false;
    if (Math.floor(user.tokensValidAfter.getTime() / 1000) > claims.iat) return false;
    const tenant = await this.tenants.findById(user.tenantId);
    if (!tenant || (tenant.status !== 'active' && user.role !== 'root')) return false;
    return { tenantId: user.tenantId, userId: user.id, role: user.role };
  }
}
