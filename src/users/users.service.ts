import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/domain-error';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import { TenantsService } from '../tenants/tenants.service';
import { generateIdTag } from './id-tag-generator';
import { hashPassword } from './passwords';
import { Role, UserRow, idTags, users } from './users.tables';

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

const isUniqueViolation = (e: unknown) =>
  (e as { code?: string })?.code === '23505' || (e as { cause?: { code?: string } })?.cause?.code === '23505';

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectDb() private readonly db: Db,
    private readonly tenants: TenantsService,
    private readonly config: AppConfig,
  ) {}

  /** Creates the account and its app idTag in one transaction. */
  async createAccount(input: NewAccount): Promise<AccountWithTag> {
    try {
      return await this.db.transaction(async (tx) => {
        const [user] = await tx
          .insert(users)
          .values({
            tenantId: input.tenantId,
            username: input.username.toLowerCase(),
            email: input.email?.toLowerCase() ?? null,
            passwordHash: await hashPassword(input.password),
            role: input.role,
          })
          .returning();
        const [tag] = await tx
          .insert(idTags)
          .values({ tenantId: input.tenantId, userId: user.id, idTag: generateIdTag(), kind: 'app' })
          .returning();
        return { user, idTag: tag.idTag };
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new DomainError('USERNAME_TAKEN', 'That username or email is already registered');
      throw e;
    }
  }

  async findByLogin(login: string): Promise<UserRow | null> {
    const key = login.toLowerCase();
    const column = key.includes('@') ? users.email : users.username;
    const [row] = await this.db.select().from(users).where(eq(column, key));
    return row ?? null;
  }

  async findActiveById(id: string): Promise<UserRow | null> {
    const [row] = await this.db
      .select()
      .from(users)
      .where(and(eq(users.id, id), eq(users.status, 'active')));
    return row ?? null;
  }

  /** The account's own app idTag (the first one created with it). */
  async appIdTagOf(tenantId: string, userId: string): Promise<string> {
    const [row] = await this.db
      .select({ idTag: idTags.idTag })
      .from(idTags)
      .where(and(eq(idTags.tenantId, tenantId), eq(idTags.userId, userId), eq(idTags.kind, 'app')))
      .orderBy(idTags.createdAt)
      .limit(1);
    if (!row) throw new DomainError('NOT_FOUND', 'The account has no app idTag');
    return row.idTag;
  }

  /** First start: the default tenant and a root account; a generated password is logged once. */
  async ensureRootAccount(): Promise<void> {
    const tenant = await this.tenants.ensureDefaultTenant();
    const [existing] = await this.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.role, 'root'))
      .limit(1);
    if (existing) return;
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
      this.logger.warn(
        `Created root account "${this.config.rootUsername}" with generated password: ${password} — shown once, change it`,
      );
    }
  }
}
