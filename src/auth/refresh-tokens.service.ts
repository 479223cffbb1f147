import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { CredentialRevocations } from '../users/credential-revocations';
import type { UserRow } from '../users/users.tables';
import type { RefreshTokenRow } from './auth.tables';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { randomSecret, sha256 } from './secrets';

const invalid = () => new DomainError('UNAUTHENTICATED', 'The refresh token is invalid, expired or revoked');

/**
 * Rotating refresh tokens. Each use revokes the presented token and issues its successor in the
 * same family; presenting a revoked token again means it leaked, so the whole family is revoked.
 * Disabling an account, changing its role or password and logging out everywhere revoke them all.
 */
@Injectable()
export class RefreshTokensService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RefreshTokensService.name);
  private stopListening: (() => void) | null = null;

  constructor(
    private readonly repo: RefreshTokensRepository,
    private readonly config: AppConfig,
    private readonly revocations: CredentialRevocations,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.revocations.listen(async (r) => {
      if (r.kind === 'account') await this.revokeAllOf(r.userId);
    });
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  async issue(user: UserRow, familyId: string = randomUUID()): Promise<{ token: string; expiresIn: number }> {
    const token = randomSecret();
    const expiresIn = this.config.refreshTokenTtlSeconds;
    const now = Date.now();
    await this.repo.insert(user.tenantId, {
      userId: user.id,
      familyId,
      tokenHash: sha256(token),
      // The application's clock, like the account's tokensValidAfter it is compared with.
      createdAt: new Date(now),
      expiresAt: new Date(now + expiresIn * 1000),
    });
    return { token, expiresIn };
  }

  /** Consumes a refresh token; the caller issues the successor in the returned family. */
  async consume(token: string): Promise<RefreshTokenRow> {
    const row = await this.repo.findByHash(sha256(token));
    if (!row) throw invalid();
    if (row.revokedAt || !(await this.repo.revokeIfActive(row.tenantId, row.id))) {
      this.logger.warn({ userId: row.userId, familyId: row.familyId }, 'Refresh token reuse; family revoked');
      await this.repo.revokeFamily(row.tenantId, row.familyId);
      throw invalid();
    }
    if (row.expiresAt.getTime() <= Date.now()) throw invalid();
    return row;
  }

  /** Logout: the login session the token belongs to ends. Another account's token is ignored. */
  async revokeSessionOf(userId: string, token: string): Promise<void> {
    const row = await this.repo.findByHash(sha256(token));
    if (row && row.userId === userId) await this.repo.revokeFamily(row.tenantId, row.familyId);
  }

  async revokeAllOf(userId: string): Promise<void> {
    await this.repo.revokeAllOfUser(userId);
  }
}
