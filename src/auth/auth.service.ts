import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { TenantsService } from '../tenants/tenants.service';
import { timingDummyHash, verifyPassword } from '../users/passwords';
import { UsersService } from '../users/users.service';
import type { UserRow } from '../users/users.tables';
import type { AccessTokenClaims } from './jwt.strategy';

export interface IssuedSession {
  accessToken: string;
  expiresIn: number;
  idTag: string;
  user: UserRow;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly tenants: TenantsService,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  /** A signup carrying a tenant's credentials lands in that tenant; otherwise in the default one. */
  async signup(
    input: { username: string; password: string; email?: string },
    via: Actor | undefined,
  ): Promise<IssuedSession> {
    const tenantId = via?.tenantId ?? (await this.tenants.ensureDefaultTenant()).id;
    const { user, idTag } = await this.users.createAccount({ ...input, tenantId, role: 'user' });
    return { ...this.issueAccessToken(user), idTag, user };
  }

  async login(login: string, password: string): Promise<IssuedSession> {
    const user = await this.users.findByLogin(login);
    if (!user) {
      await verifyPassword(await timingDummyHash(), password);
      throw new DomainError('INVALID_CREDENTIALS', 'Wrong username or password');
    }
    if (!(await verifyPassword(user.passwordHash, password)) || user.status !== 'active') {
      throw new DomainError('INVALID_CREDENTIALS', 'Wrong username or password');
    }
    const tenant = await this.tenants.findById(user.tenantId);
    if (tenant?.status !== 'active' && user.role !== 'root') {
      throw new DomainError('INVALID_CREDENTIALS', 'Wrong username or password');
    }
    const idTag = await this.users.appIdTagOf(user.tenantId, user.id);
    return { ...this.issueAccessToken(user), idTag, user };
  }

  issueAccessToken(user: UserRow): { accessToken: string; expiresIn: number } {
    const claims: Omit<AccessTokenClaims, 'iat' | 'exp'> = {
      sub: user.id,
      tid: user.tenantId,
      role: user.role,
      typ: 'access',
    };
    const expiresIn = this.config.accessTokenTtlSeconds;
    return { accessToken: this.jwt.sign(claims, { expiresIn, algorithm: 'HS256' }), expiresIn };
  }
}
