import { Injectable } from '@nestjs/common';
import { SQL, and, asc, eq, getTableColumns, ne, sql } from 'drizzle-orm';
import type { Role } from '../common/actor';
import { afterCursor, createdAtKey } from '../common/keyset';
import { InjectDb } from '../database/database.module';
import { type Db, type DbOrTx, PreparedStatements } from '../database/database';
import { TenantRow, tenants } from '../tenants/tenants.tables';
import { UserRow, users } from './users.tables';

/** Which accounts a caller may see: `tenantId` undefined means every tenant (root). */
export interface UserScope {
  tenantId?: string;
  /** Tenant admins neither see nor manage the platform's root accounts. */
  includeRoot: boolean;
}

export interface UserListFilter {
  role?: Role;
  status?: 'active' | 'disabled';
  limit: number;
  cursor?: string;
}

export type UserPatch = Partial<
  Pick<UserRow, 'email' | 'role' | 'status' | 'passwordHash' | 'tokensValidAfter'>
>;

@Injectable()
export class UsersRepository {
  private readonly statements = new PreparedStatements('users');

  constructor(@InjectDb() private readonly db: Db) {}

  private scopeFilter(scope: UserScope): SQL[] {
    const where: SQL[] = [];
    if (scope.tenantId) where.push(eq(users.tenantId, scope.tenantId));
    if (!scope.includeRoot) where.push(ne(users.role, 'root'));
    return where;
  }

  async insert(
    tenantId: string,
    values: { username: string; email: string | null; passwordHash: string; role: Role },
    tx: DbOrTx = this.db,
  ): Promise<UserRow> {
    const [row] = await tx
      .insert(users)
      .values({ ...values, tenantId })
      .returning();
    return row;
  }

  async findByUsername(username: string): Promise<UserRow | null> {
    const [row] = await this.db.select().from(users).where(eq(users.username, username));
    return row ?? null;
  }

  async findByEmail(email: string): Promise<UserRow | null> {
    const [row] = await this.db.select().from(users).where(eq(users.email, email));
    return row ?? null;
  }

  async findById(tenantId: string, id: string): Promise<UserRow | null> {
    const [row] = await this.db
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
    return row ?? null;
  }

  /** The account with its tenant's status, in one query (read on every authenticated request). */
  async findWithTenantStatus(
    tenantId: string,
    id: string,
  ): Promise<{ user: UserRow; tenantStatus: TenantRow['status'] } | null> {
    const statement = this.statements.get('with_tenant_status', () =>
      this.db
        .select({ user: users, tenantStatus: tenants.status })
        .from(users)
        .innerJoin(tenants, eq(tenants.id, users.tenantId))
        .where(and(eq(users.tenantId, sql.placeholder('tenantId')), eq(users.id, sql.placeholder('id')))),
    );
    const [row] = await statement.execute({ tenantId, id });
    return row ?? null;
  }

  async findInScope(scope: UserScope, id: string): Promise<UserRow | null> {
    const [row] = await this.db
      .select()
      .from(users)
      .where(and(eq(users.id, id), ...this.scopeFilter(scope)));
    return row ?? null;
  }

  async anyRoot(): Promise<boolean> {
    const [row] = await this.db.select({ id: users.id }).from(users).where(eq(users.role, 'root')).limit(1);
    return Boolean(row);
  }

  async list(scope: UserScope, f: UserListFilter): Promise<Array<UserRow & { cursorKey: string }>> {
    const where = this.scopeFilter(scope);
    if (f.role) where.push(eq(users.role, f.role));
    if (f.status) where.push(eq(users.status, f.status));
    const after = afterCursor(users.createdAt, users.id, f.cursor);
    if (after) where.push(after);
    return this.db
      .select({ ...getTableColumns(users), cursorKey: createdAtKey(users.createdAt) })
      .from(users)
      .where(and(...where))
      .orderBy(asc(users.createdAt), asc(users.id))
      .limit(f.limit + 1);
  }

  async update(tenantId: string, id: string, patch: UserPatch, tx: DbOrTx = this.db): Promise<UserRow> {
    const [row] = await tx
      .update(users)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(users.tenantId, tenantId), eq(users.id, id)))
      .returning();
    return row;
  }
}
