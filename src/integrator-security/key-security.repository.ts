import { Injectable } from '@nestjs/common';
import { and, eq, lt, lte, sql } from 'drizzle-orm';
import { InjectDb } from '../database/database.module';
import type { Db } from '../database/database';
import { ApiKeySecurityRow, apiKeyNonces, apiKeySecurity } from './integrator-security.tables';

export type SecuritySettingsPatch = Partial<
  Pick<ApiKeySecurityRow, 'requireSignature' | 'requireEncryption' | 'rateLimitPerMinute'>
>;

export interface EncryptedKeys {
  signingKeyEncrypted: string;
  encryptionKeyEncrypted: string;
  keysIssuedAt: Date;
}

@Injectable()
export class KeySecurityRepository {
  constructor(@InjectDb() private readonly db: Db) {}

  async findByKeyId(tenantId: string, apiKeyId: string): Promise<ApiKeySecurityRow | null> {
    const [row] = await this.db
      .select()
      .from(apiKeySecurity)
      .where(and(eq(apiKeySecurity.tenantId, tenantId), eq(apiKeySecurity.apiKeyId, apiKeyId)));
    return row ?? null;
  }

  /** Creates the key's row on first use; `patch` only changes the fields it names. */
  async upsert(
    tenantId: string,
    apiKeyId: string,
    patch: SecuritySettingsPatch & Partial<EncryptedKeys>,
  ): Promise<ApiKeySecurityRow> {
    const now = new Date();
    const [row] = await this.db
      .insert(apiKeySecurity)
      .values({ apiKeyId, tenantId, ...patch, updatedAt: now })
      .onConflictDoUpdate({
        target: apiKeySecurity.apiKeyId,
        set: { ...patch, updatedAt: now },
        setWhere: eq(apiKeySecurity.tenantId, tenantId),
      })
      .returning();
    return row;
  }

  /**
   * Claims a nonce for a key until `expiresAt`; false when it is already held by a request still
   * inside its window. One statement, so two nodes racing with the same nonce cannot both win.
   */
  async claimNonce(apiKeyId: string, nonce: string, expiresAt: Date, now: Date): Promise<boolean> {
    const rows = await this.db
      .insert(apiKeyNonces)
      .values({ apiKeyId, nonce, expiresAt })
      .onConflictDoUpdate({
        target: [apiKeyNonces.apiKeyId, apiKeyNonces.nonce],
        set: { expiresAt: sql`excluded.expires_at` },
        setWhere: lte(apiKeyNonces.expiresAt, now),
      })
      .returning({ nonce: apiKeyNonces.nonce });
    return rows.length === 1;
  }

  async pruneNonces(now: Date): Promise<void> {
    await this.db.delete(apiKeyNonces).where(lt(apiKeyNonces.expiresAt, now));
  }
}
