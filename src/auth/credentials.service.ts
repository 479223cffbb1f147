import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
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

const unauthenticated = () => new DomainError('UNAUTHENTICATED', 'Missing, invalid or expired credentials');
const BEARER = /^Bearer ([A-Za-z0-9_.-]+)$/;

/**
 * Turns a request's credentials into an Actor. Held per application instance (no process-wide
 * strategy registry), so several apps in one process each check tokens against their own keys.
 */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    private readonly tenants: TenantsService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /** null when no credentials were sent; throws UNAUTHENTICATED for bad ones. One credential per request. */
  async authenticate(req: Request): Promise<Actor | null> {
    const authorization = req.headers.authorization;
    const apiKey = req.headers['x-api-key'];
    if (authorization === undefined && apiKey === undefined) return null;
    const actor = await this.actorFor({
      bearer: authorization === undefined ? undefined : (BEARER.exec(authorization.trim())?.[1] ?? ''),
      apiKey: typeof apiKey === 'string' || apiKey === undefined ? apiKey : '',
    });
    if (!actor) throw unauthenticated();
    return actor;
  }

  /**
   * The one rule for every transport (HTTP, the live socket): a bearer token (account or
   * client-credentials) wins over an API key; false when what was presented is not valid.
   */
  async actorFor(creds: { bearer?: string; apiKey?: string }): Promise<Actor | false> {
    if (creds.bearer !== undefined) return creds.bearer ? this.fromBearer(creds.bearer) : false;
    if (creds.apiKey !== undefined) return creds.apiKey ? this.apiKeys.authenticate(creds.apiKey) : false;
    return false;
  }

  /** HS256 only: an `alg: none` or otherwise signed token fails verification. */
  private async fromBearer(token: string): Promise<Actor | false> {
    let claims: AccessTokenClaims | ClientTokenClaims;
    try {
      claims = await this.jwt.verifyAsync(token, { algorithms: ['HS256'] });
    } catch {
      return false;
    }
    if (typeof claims.sub !== 'string' || typeof claims.tid !== 'string') return false;
    if (claims.typ === 'client') return this.apiKeys.actorForKeyId(claims.sub, claims.tid);
    if (claims.typ !== 'access') return false;
    return this.fromAccessToken(claims);
  }

  /** The account is re-read on every request, so disabling it or a password change applies at once. */
  private async fromAccessToken(claims: AccessTokenClaims): Promise<Actor | false> {
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
