import { Injectable } from '@nestjs/common';
import { and, eq, isNull } from 'drizzle-orm';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import { RefreshTokenRow, refreshTokens } from './auth.tables';

@Injectable()
export class RefreshTokensRepository {
  constructor(@InjectDb() private readonly db: Db) {}

  async insert(
    tenantId: string,
    values: Pick<RefreshTokenRow, 'userId' | 'familyId' | 'tokenHash' | 'createdAt' | 'expiresAt'>,
  ) {
    await this.db.insert(refreshTokens).values({ ...values, tenantId });
  }

  async findByHash(tokenHash: string): Promise<RefreshTokenRow | null> {
    const [row] = await this.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash));
    return row ?? null;
  }

  /** True when this call revoked it; false when it was already revoked (a reuse, or a race). */
  async revokeIfActive(tenantId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(
        and(eq(refreshTokens.tenantId, tenantId), eq(refreshTokens.id, id), isNull(refreshTokens.revokedAt)),
      )
      .returning({ id: refreshTokens.id });
    return rows.length === 1;
  }

  async revokeFamily(tenantId: string, familyId: string): Promise<void> {
    await this.db
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(refreshTokens.tenantId, tenantId),
          eq(refreshTokens.familyId, familyId),
          isNull(refreshTokens.revokedAt),
        ),
      );
  }

  async revokeAllOfUser(userId: string): Promise<void> {
    await this.db
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
  }
}
