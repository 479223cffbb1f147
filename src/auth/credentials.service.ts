import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { UsersService } from '../users/users.service';
import { AppConfig } from '../config/app-config';
import { ApiKeysService } from './api-keys.service';
import { BearerTokenVerifier } from './bearer-token-verifier';
import type { AccessTokenClaims } from './token-claims';

const unauthenticated = () => new DomainError('UNAUTHENTICATED', 'Missing, invalid or expired credentials');
const BEARER = /^Bearer ([A-Za-z0-9_.-]+)$/;

/**
 * Turns a request's credentials into an Actor. Held per application instance (no process-wide
 * strategy registry), so several apps in one process each check tokens against their own keys.
 */
@Injectable()
export class CredentialsService {
  private readonly bearer: BearerTokenVerifier;

  constructor(
    config: AppConfig,
    private readonly users: UsersService,
    private readonly apiKeys: ApiKeysService,
  ) {
    this.bearer = new BearerTokenVerifier(config.jwtSecret);
  }

  /** null when no credentials were sent; throws UNAUTHENTICATED for bad ones. One credential per request. */
  async authenticate(req: Request): Promise<Actor | null> {
    const authorization = req.headers.authorization;
    const apiKey = req.headers['x-api-key'];
    if (authorization !== undefined) {
      const m = BEARER.exec(authorization.trim());
      const actor = m ? await this.actorOfBearer(m[1]) : false;
      if (!actor) throw unauthenticated();
      return actor;
    }
    if (apiKey !== undefined) {
      const actor = typeof apiKey === 'string' ? await this.actorOfApiKey(apiKey) : false;
      if (!actor) throw unauthenticated();
      return actor;
    }
    return null;
  }

  /**
   * A bearer token (account access token or client-credentials token) → its actor, or false.
   * Public for other transports (the live /events socket) so they apply exactly the HTTP rules.
   */
  async actorOfBearer(token: string): Promise<Actor | false> {
    const claims = await this.bearer.verify(token);
    if (!claims) return false;
    if (typeof claims.sub !== 'string' || typeof claims.tid !== 'string') return false;
    if (claims.typ === 'client') return this.apiKeys.actorForKeyId(claims.sub, claims.tid);
    if (claims.typ !== 'access') return false;
    return this.fromAccessToken(claims);
  }

  /** Credentials presented outside an HTTP request (the live /events socket): the same rules. */
  async actorFor(creds: { bearer?: string; apiKey?: string }): Promise<Actor | false> {
    if (creds.bearer) return this.actorOfBearer(creds.bearer);
    if (creds.apiKey) return this.actorOfApiKey(creds.apiKey);
    return false;
  }

  /** `kw_<prefix>_<secret>` → the key's actor, or false. */
  actorOfApiKey(key: string): Promise<Actor | false> {
    return this.apiKeys.authenticate(key);
  }

  /** The account is re-read on every request, so disabling it or a password change applies at once. */
  private async fromAccessToken(claims: AccessTokenClaims): Promise<Actor | false> {
    const found = await this.users.findActiveWithTenantStatus(claims.tid, claims.sub);
    if (!found) return false;
    const { user, tenantStatus } = found;
    const issuedAtMs = typeof claims.iatMs === 'number' ? claims.iatMs : claims.iat * 1000;
    // tokensValidAfter equals createdAt until a password change, logout-everywhere or disable bumps it.
    const bumped = user.tokensValidAfter.getTime() > user.createdAt.getTime();
    if (bumped && issuedAtMs < user.tokensValidAfter.getTime()) return false;
    if (tenantStatus !== 'active' && user.role !== 'root') return false;
    return { tenantId: user.tenantId, userId: user.id, role: user.role };
  }
}
