import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Actor, accountOf, hasScope, isApiKey } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { SecurityEventsService } from '../integrator-security/audit/security-events.service';
import { TenantsService } from '../tenants/tenants.service';
import { timingDummyHash, verifyPassword } from '../common/passwords';
import { UsersService } from '../users/users.service';
import type { UserRow } from '../users/users.tables';
import { ApiKeysService } from './api-keys.service';
import type { AccessTokenClaims, ClientTokenClaims } from './token-claims';
import { LoginRateLimiter } from './login-rate-limiter';
import { RefreshTokensService } from './refresh-tokens.service';

export interface IssuedSession {
  accessToken: string;
  expiresIn: number;
  /** Absent for the seed-compatible routes, which have no place for it. */
  refresh?: { token: string; expiresIn: number };
  idTag: string;
  user: UserRow;
}

export interface ClientInfo {
  ip: string;
  /** Issue a refresh token too (v1 routes); the seed-compatible routes only take an access token. */
  withRefresh: boolean;
}

/**
 * A refresh token older than the account's last revocation (disable, password change, logout
 * everywhere). The rows are revoked too; this holds even if that write was lost. tokensValidAfter
 * equals createdAt (the database's clock) until bumped with the application's clock.
 */
const issuedBeforeRevocation = (issuedAt: Date, user: UserRow) =>
  user.tokensValidAfter.getTime() > user.createdAt.getTime() &&
  issuedAt.getTime() < user.tokensValidAfter.getTime();

const wrongCredentials = () => new DomainError('INVALID_CREDENTIALS', 'Wrong username or password');

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly tenants: TenantsService,
    private readonly apiKeys: ApiKeysService,
    private readonly refreshTokens: RefreshTokensService,
    private readonly limiter: LoginRateLimiter,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly audit: SecurityEventsService,
  ) {}

  /**
   * A signup sent with a tenant's API key lands in that tenant; otherwise in the default one.
   * Creating accounts is a write on the tenant, so the key needs the `admin` scope, like POST /users.
   */
  async signup(
    input: { username: string; password: string; email?: string },
    via: Actor | undefined,
    client: ClientInfo,
  ): Promise<IssuedSession> {
    const viaKey = via && isApiKey(via) ? via : undefined;
    if (viaKey && !hasScope(viaKey, 'admin'))
      throw new DomainError('FORBIDDEN', 'Signing up through an API key needs a key with the admin scope');
    const tenantId = viaKey ? viaKey.tenantId : (await this.tenants.ensureDefaultTenant()).id;
    const { user, idTag } = await this.users.createAccount({ ...input, tenantId, role: 'user' });
    return this.sessionFor(user, idTag, client.withRefresh);
  }

  /**
   * Rate-limited per address and per login name before any password is checked. Audited: a failure
   * for an unknown login has no tenant (root sees it), so the log does not tell admins which names exist.
   */
  async login(login: string, password: string, client: ClientInfo): Promise<IssuedSession> {
    await this.limiter.attempt(client.ip, login);
    const user = await this.users.findByLogin(login);
    if (!user) {
      await verifyPassword(await timingDummyHash(), password);
      await this.audit.record({ type: 'login_failed', tenantId: null, details: { method: 'password' } });
      throw wrongCredentials();
    }
    if (!(await verifyPassword(user.passwordHash, password)) || !(await this.mayLogIn(user))) {
      await this.audit.record({
        type: 'login_failed',
        tenantId: user.tenantId,
        userId: user.id,
        details: { method: 'password' },
      });
      throw wrongCredentials();
    }
    await this.audit.record({
      type: 'login_succeeded',
      tenantId: user.tenantId,
      userId: user.id,
      details: { method: 'password' },
    });
    return this.sessionFor(user, await this.users.appIdTagOf(user.tenantId, user.id), client.withRefresh);
  }

  /** Rotates the refresh token: the presented one is spent, a new one in the same family is returned. */
  async refresh(token: string, ip: string): Promise<IssuedSession> {
    await this.limiter.attempt(ip);
    const spent = await this.refreshTokens.consume(token);
    const user = await this.users.findActiveById(spent.tenantId, spent.userId);
    if (!user || issuedBeforeRevocation(spent.createdAt, user) || !(await this.mayLogIn(user))) {
      throw new DomainError('UNAUTHENTICATED', 'The refresh token is invalid, expired or revoked');
    }
    const idTag = await this.users.appIdTagOf(user.tenantId, user.id);
    return {
      ...this.issueAccessToken(user),
      refresh: await this.refreshTokens.issue(user, spent.familyId),
      idTag,
      user,
    };
  }

  async logout(actor: Actor, input: { refreshToken?: string; everywhere?: boolean }): Promise<void> {
    const userId = accountOf(actor);
    if (input.everywhere) {
      await this.users.revokeAccessTokens(actor.tenantId, userId);
    } else if (input.refreshToken) {
      await this.refreshTokens.revokeSessionOf(userId, input.refreshToken);
    }
  }

  /** Every other session ends: refresh tokens revoked, earlier access tokens and live sockets refused. */
  async changePassword(actor: Actor, current: string, next: string, ip: string): Promise<IssuedSession> {
    const user = await this.users.get(actor, accountOf(actor));
    await this.limiter.attempt(ip, user.username);
    if (!(await verifyPassword(user.passwordHash, current))) {
      throw new DomainError('VALIDATION_FAILED', 'The current password is wrong', {
        fields: [{ field: 'currentPassword', errors: ['currentPassword is wrong'] }],
      });
    }
    const updated = await this.users.setPassword(user.tenantId, user.id, next);
    return this.sessionFor(updated, await this.users.appIdTagOf(user.tenantId, user.id), true);
  }

  async me(actor: Actor): Promise<{ user: UserRow; idTag: string }> {
    const user = await this.users.get(actor, accountOf(actor));
    return { user, idTag: await this.users.appIdTagOf(user.tenantId, user.id) };
  }

  /** Client credentials: API key id + secret → a short-lived bearer token that acts as the key. */
  async clientToken(keyId: string, secret: string, ip: string) {
    await this.limiter.attempt(ip, `key:${keyId}`);
    const actor = await this.apiKeys.authenticateSecret(keyId, secret);
    if (!actor) {
      await this.audit.record({
        type: 'login_failed',
        tenantId: null,
        details: { method: 'client_credentials' },
      });
      throw new DomainError('INVALID_CREDENTIALS', 'Wrong key id or secret');
    }
    await this.audit.record({
      type: 'login_succeeded',
      tenantId: actor.tenantId,
      apiKeyId: keyId,
      details: { method: 'client_credentials' },
    });
    const claims: Omit<ClientTokenClaims, 'iat' | 'exp'> = { sub: keyId, tid: actor.tenantId, typ: 'client' };
    const expiresIn = this.config.apiTokenTtlSeconds;
    return {
      accessToken: this.jwt.sign(claims, { expiresIn, algorithm: 'HS256' }),
      tokenType: 'Bearer' as const,
      expiresIn,
      scopes: actor.scopes ?? [],
    };
  }

  issueAccessToken(user: UserRow): { accessToken: string; expiresIn: number } {
    const claims: Omit<AccessTokenClaims, 'iat' | 'exp'> = {
      sub: user.id,
      tid: user.tenantId,
      role: user.role,
      typ: 'access',
      iatMs: Date.now(),
    };
    const expiresIn = this.config.accessTokenTtlSeconds;
    return { accessToken: this.jwt.sign(claims, { expiresIn, algorithm: 'HS256' }), expiresIn };
  }

  private async sessionFor(user: UserRow, idTag: string, withRefresh: boolean): Promise<IssuedSession> {
    const refresh = withRefresh ? await this.refreshTokens.issue(user) : undefined;
    return { ...this.issueAccessToken(user), ...(refresh ? { refresh } : {}), idTag, user };
  }

  private async mayLogIn(user: UserRow): Promise<boolean> {
    if (user.status !== 'active') return false;
    if (user.role === 'root') return true;
    const tenant = await this.tenants.findById(user.tenantId);
    return tenant?.status === 'active';
  }
}
