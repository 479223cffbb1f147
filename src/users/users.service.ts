import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Actor, Role, accountOf, isAdmin, isRoot, tenantScopeOf } from '../common/actor';
import { DomainError, notFound } from '../common/domain-error';
import { keysetPage } from '../common/keyset';
import type { Page } from '../common/pagination';
import { AppConfig } from '../config/app-config';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import { isUniqueViolation } from '../database/db-errors';
import { TenantsService } from '../tenants/tenants.service';
import { CreateUserDto, ListUsersQuery, UpdateUserDto, UserResponse } from './dto/user.dto';
import { CredentialRevocations } from './credential-revocations';
import { generateIdTag } from './id-tag-generator';
import { IdTagsRepository } from './id-tags.repository';
import { hashPassword } from '../common/passwords';
import { UserPatch, UserScope, UsersRepository } from './users.repository';
import type { UserRow } from './users.tables';

export interface NewAccount {
  tenantId: string;
  username: string;
  email?: string | null;
  password: string;
  role: Role;
}

export interface AccountWithTag {
  user: UserRow;
  idTag: string;
}

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectDb() private readonly db: Db,
    private readonly repo: UsersRepository,
    private readonly tags: IdTagsRepository,
    private readonly tenants: TenantsService,
    private readonly config: AppConfig,
    private readonly revocations: CredentialRevocations,
  ) {}

  /** Creates the account and its app idTag in one transaction. No authorization: callers decide. */
  async createAccount(input: NewAccount): Promise<AccountWithTag> {
    const passwordHash = await hashPassword(input.password);
    try {
      return await this.db.transaction(async (tx) => {
        const user = await this.repo.insert(
          input.tenantId,
          {
            username: input.username.toLowerCase(),
            email: input.email?.toLowerCase() ?? null,
            passwordHash,
            role: input.role,
          },
          tx,
        );
        const tag = await this.tags.insert(
          input.tenantId,
          { userId: user.id, idTag: generateIdTag(), kind: 'app' },
          tx,
        );
        return { user, idTag: tag.idTag };
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new DomainError('USERNAME_TAKEN', 'That username or email is already registered');
      throw e;
    }
  }

  /** An admin registers accounts in its own tenant; only root picks another tenant or creates root. */
  async register(actor: Actor, dto: CreateUserDto): Promise<AccountWithTag> {
    const role = dto.role ?? 'user';
    if (role === 'root' && !isRoot(actor))
      throw new DomainError('FORBIDDEN', 'Only root creates root accounts');
    let tenantId = actor.tenantId;
    if (dto.tenantId && dto.tenantId !== actor.tenantId) {
      const tenant = isRoot(actor) ? await this.tenants.findById(dto.tenantId) : null;
      if (!tenant) throw notFound('Tenant', dto.tenantId);
      tenantId = tenant.id;
    }
    return this.createAccount({ ...dto, tenantId, role });
  }

  async list(actor: Actor, q: ListUsersQuery): Promise<Page<UserResponse>> {
    const limit = q.limit ?? 50;
    const rows = await this.repo.list(this.scopeOf(actor, q.tenantId), { ...q, limit });
    return keysetPage(rows, limit, UserResponse.of);
  }

  /** Self for a user; the tenant's accounts for an admin; anyone for root. Else 404. */
  async get(actor: Actor, id: string): Promise<UserRow> {
    if (!isAdmin(actor) && accountOf(actor) !== id) throw notFound('User', id);
    const user = await this.repo.findInScope(this.scopeOf(actor), id);
    if (!user) throw notFound('User', id);
    return user;
  }

  async update(actor: Actor, id: string, dto: UpdateUserDto): Promise<UserRow> {
    const target = await this.get(actor, id);
    const patch: UserPatch = {};
    if (dto.email !== undefined) patch.email = dto.email?.toLowerCase() ?? null;
    if (dto.role != null || dto.status != null) {
      if (!isAdmin(actor)) throw new DomainError('FORBIDDEN', 'Only an admin changes roles or status');
      if (target.id === actor.userId)
        throw new DomainError('FORBIDDEN', 'You cannot change your own role or status');
      if (dto.role === 'root' && !isRoot(actor))
        throw new DomainError('FORBIDDEN', 'Only root grants the root role');
      if (dto.role) patch.role = dto.role;
      if (dto.status) patch.status = dto.status;
      // A disabled account's tokens must not come back to life if it is enabled again.
      if (dto.status === 'disabled' && target.status !== 'disabled') patch.tokensValidAfter = new Date();
    }
    if (Object.keys(patch).length === 0) return target;
    let updated: UserRow;
    try {
      updated = await this.repo.update(target.tenantId, target.id, patch);
    } catch (e) {
      if (isUniqueViolation(e)) throw new DomainError('USERNAME_TAKEN', 'That email is already registered');
      throw e;
    }
    // Refresh tokens and live sockets were granted to the account as it was: they end.
    if (patch.tokensValidAfter)
      await this.revocations.announce({ kind: 'account', userId: target.id, reason: 'disabled' });
    else if (patch.role && patch.role !== target.role)
      await this.revocations.announce({ kind: 'account', userId: target.id, reason: 'role_changed' });
    return updated;
  }

  /** Sets a new password; every earlier access token, refresh token and live socket ends. */
  async setPassword(tenantId: string, userId: string, password: string): Promise<UserRow> {
    const updated = await this.repo.update(tenantId, userId, {
      passwordHash: await hashPassword(password),
      tokensValidAfter: new Date(),
    });
    await this.revocations.announce({ kind: 'account', userId, reason: 'password_changed' });
    return updated;
  }

  /** Every access token, refresh token and live socket of the account issued before now ends. */
  async revokeAccessTokens(tenantId: string, userId: string): Promise<void> {
    await this.repo.update(tenantId, userId, { tokensValidAfter: new Date() });
    await this.revocations.announce({ kind: 'account', userId, reason: 'logout' });
  }

  async findByLogin(login: string): Promise<UserRow | null> {
    const key = login.toLowerCase();
    return key.includes('@') ? this.repo.findByEmail(key) : this.repo.findByUsername(key);
  }

  async findActiveById(tenantId: string, id: string): Promise<UserRow | null> {
    const user = await this.repo.findById(tenantId, id);
    return user?.status === 'active' ? user : null;
  }

  /** An active account and its tenant's status: what every authenticated request checks. */
  async findActiveWithTenantStatus(tenantId: string, id: string) {
    const found = await this.repo.findWithTenantStatus(tenantId, id);
    return found?.user.status === 'active' ? found : null;
  }

  /** The account's own app idTag (the first one created with it). */
  async appIdTagOf(tenantId: string, userId: string): Promise<string> {
    const tag = await this.tags.appTagOf(tenantId, userId);
    if (!tag) throw new DomainError('NOT_FOUND', 'The account has no app idTag');
    return tag.idTag;
  }

  private scopeOf(actor: Actor, requestedTenant?: string): UserScope {
    return { tenantId: tenantScopeOf(actor, requestedTenant), includeRoot: isRoot(actor) || !isAdmin(actor) };
  }

  /** First start: the default tenant and a root account; a generated password is logged once. */
  async ensureRootAccount(): Promise<void> {
    const tenant = await this.tenants.ensureDefaultTenant();
    if (await this.repo.anyRoot()) return;
    const password = this.config.rootPassword ?? randomBytes(18).toString('base64url');
    try {
      await this.createAccount({
        tenantId: tenant.id,
        username: this.config.rootUsername,
        password,
        role: 'root',
      });
    } catch (e) {
      if (e instanceof DomainError && e.code === 'USERNAME_TAKEN') return; // another node won the race
      throw e;
    }
    if (this.config.rootPassword) {
      this.logger.log(`Created root account "${this.config.rootUsername}" with ROOT_PASSWORD`);
    } else {
      // Passwords never reach a log: the generated one goes to a file only the service user can read.
      const file = join(this.config.dataDir, 'root-password.txt');
      mkdirSync(this.config.dataDir, { recursive: true });
      writeFileSync(file, `${password}\n`, { mode: 0o600 });
      this.logger.warn(
        `Created root account "${this.config.rootUsername}"; its generated password is in ${file} — read it, change it, delete the file`,
      );
    }
  }
}
