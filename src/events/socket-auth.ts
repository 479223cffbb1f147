import { Inject, Injectable, Optional } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { IncomingMessage } from 'node:http';
import type { Actor } from '../common/actor';
import type { AccessTokenClaims } from '../auth/jwt.strategy';
import { TenantsService } from '../tenants/tenants.service';
import { UsersService } from '../users/users.service';

/** What a client may present on the `/events` upgrade request. */
export interface SocketCredentials {
  bearer?: string;
  apiKey?: string;
}

/**
 * The seam for API keys on the live socket: provide this token with the auth module's key lookup
 * (`(key) => Actor | null`, constant-time, hashed). Until it is provided, `X-API-Key` is refused.
 */
export const SOCKET_API_KEY_RESOLVER = Symbol('SOCKET_API_KEY_RESOLVER');
export type SocketApiKeyResolver = (apiKey: string) => Promise<Actor | null>;

/** `Authorization: Bearer`, else `?access_token=` (browsers cannot set headers), plus `X-API-Key`. */
export function credentialsOf(req: IncomingMessage): SocketCredentials {
  const header = req.headers.authorization;
  const bearer = typeof header === 'string' && /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1];
  const query = new URL(req.url ?? '/', 'ws://localhost').searchParams.get('access_token');
  const apiKey = req.headers['x-api-key'];
  return {
    bearer: bearer || query || undefined,
    apiKey: typeof apiKey === 'string' && apiKey ? apiKey : undefined,
  };
}

/** Resolves socket credentials to an actor with the same rules as the HTTP guard, or null. */
@Injectable()
export class SocketAuthenticator {
  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    private readonly tenants: TenantsService,
    @Optional() @Inject(SOCKET_API_KEY_RESOLVER) private readonly apiKeys?: SocketApiKeyResolver,
  ) {}

  async authenticate(creds: SocketCredentials): Promise<Actor | null> {
    if (creds.bearer) return this.fromAccessToken(creds.bearer);
    if (creds.apiKey && this.apiKeys) return this.apiKeys(creds.apiKey);
    return null;
  }

  /** Mirrors src/auth/jwt.strategy.ts: HS256 access tokens of an active account in an active tenant. */
  private async fromAccessToken(token: string): Promise<Actor | null> {
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
    } catch {
      return null;
    }
    if (claims.typ !== 'access' || typeof claims.sub !== 'string') return null;
    const user = await this.users.findActiveById(claims.sub);
    if (!user || user.tenantId !== claims.tid) return null;
    if (Math.floor(user.tokensValidAfter.getTime() / 1000) > claims.iat) return null;
    const tenant = await this.tenants.findById(user.tenantId);
    if (!tenant || (tenant.status !== 'active' && user.role !== 'root')) return null;
    return { tenantId: user.tenantId, userId: user.id, role: user.role };
  }
}
