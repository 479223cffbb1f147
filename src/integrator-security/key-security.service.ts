import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ApiKeysService } from '../auth/api-keys.service';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { AtRestCipher } from './at-rest';
import { IssuedKeySecretsResponse, KeySecurityResponse, UpdateKeySecurityDto } from './dto/key-security.dto';
import { SecurityEventsService } from './audit/security-events.service';
import type { ApiKeySecurityRow } from './integrator-security.tables';
import { KeySecurityRepository } from './key-security.repository';

/** What the request guards need to know about the calling key. */
export interface KeySecurity {
  apiKeyId: string;
  tenantId: string;
  requireSignature: boolean;
  requireEncryption: boolean;
  rateLimitPerMinute: number;
  signingKey: Buffer | null;
  encryptionKey: Buffer | null;
}

const PRUNE_NONCES_EVERY_MS = 60_000;

@Injectable()
export class KeySecurityService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(KeySecurityService.name);
  private readonly cipher: AtRestCipher;
  private pruneTimer: NodeJS.Timeout | null = null;
  private readonly perRequest = new WeakMap<object, Promise<KeySecurity>>();
  private readonly resolved = new WeakMap<object, KeySecurity>();

  constructor(
    private readonly repo: KeySecurityRepository,
    private readonly apiKeys: ApiKeysService,
    private readonly audit: SecurityEventsService,
    private readonly config: AppConfig,
  ) {
    this.cipher = new AtRestCipher(config.integrator.keyEncryptionSecret);
  }

  async settings(actor: Actor, apiKeyId: string): Promise<KeySecurityResponse> {
    const key = await this.apiKeys.get(actor, apiKeyId);
    return this.toResponse(key.id, await this.repo.findByKeyId(key.tenantId, key.id));
  }

  /** Requirements need issued keys first, so a key is never locked out by a switch alone. */
  async update(actor: Actor, apiKeyId: string, dto: UpdateKeySecurityDto): Promise<KeySecurityResponse> {
    const key = await this.apiKeys.get(actor, apiKeyId);
    const current = await this.repo.findByKeyId(key.tenantId, key.id);
    if ((dto.requireSignature || dto.requireEncryption) && !current?.keysIssuedAt) {
      throw new DomainError(
        'CONFLICT',
        `Issue the key's signing and encryption keys first: POST /api/v1/api-keys/${key.id}/security/keys`,
      );
    }
    const patch = {
      ...(dto.requireSignature !== undefined ? { requireSignature: dto.requireSignature } : {}),
      ...(dto.requireEncryption !== undefined ? { requireEncryption: dto.requireEncryption } : {}),
      ...(dto.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: dto.rateLimitPerMinute } : {}),
    };
    const row = await this.repo.upsert(key.tenantId, key.id, patch);
    await this.audit.record({
      type: 'key_security_changed',
      tenantId: key.tenantId,
      userId: actor.userId,
      apiKeyId: key.id,
      details: { ...patch },
    });
    return this.toResponse(key.id, row);
  }

  /** New random signing and encryption keys (32 bytes each), shown once; the previous ones stop working. */
  async issueKeys(actor: Actor, apiKeyId: string): Promise<IssuedKeySecretsResponse> {
    const key = await this.apiKeys.get(actor, apiKeyId);
    if (key.revokedAt) throw new DomainError('CONFLICT', `API key ${key.id} is revoked`);
    const signingKey = randomBytes(32);
    const encryptionKey = randomBytes(32);
    const row = await this.repo.upsert(key.tenantId, key.id, {
      signingKeyEncrypted: this.cipher.seal(key.id, 'signing', signingKey),
      encryptionKeyEncrypted: this.cipher.seal(key.id, 'encryption', encryptionKey),
      keysIssuedAt: new Date(),
    });
    await this.audit.record({
      type: 'key_secrets_issued',
      tenantId: key.tenantId,
      userId: actor.userId,
      apiKeyId: key.id,
    });
    return {
      ...this.toResponse(key.id, row),
      signingKey: signingKey.toString('base64'),
      encryptionKey: encryptionKey.toString('base64'),
    };
  }

  /** The calling key's requirements and keys (decrypted), read fresh so changes apply on every node at once. */
  async forKey(apiKeyId: string, tenantId: string): Promise<KeySecurity> {
    const row = await this.repo.findByKeyId(tenantId, apiKeyId);
    return {
      apiKeyId,
      tenantId,
      requireSignature: row?.requireSignature ?? false,
      requireEncryption: row?.requireEncryption ?? false,
      rateLimitPerMinute: row?.rateLimitPerMinute ?? this.config.integrator.apiKeyRateLimitPerMinute,
      signingKey: row?.signingKeyEncrypted
        ? this.cipher.open(apiKeyId, 'signing', row.signingKeyEncrypted)
        : null,
      encryptionKey: row?.encryptionKeyEncrypted
        ? this.cipher.open(apiKeyId, 'encryption', row.encryptionKeyEncrypted)
        : null,
    };
  }

  /** `forKey`, read once per request whichever guard or the response sealer asks first. */
  ofRequest(req: object, apiKeyId: string, tenantId: string): Promise<KeySecurity> {
    let found = this.perRequest.get(req);
    if (!found) {
      found = this.forKey(apiKeyId, tenantId);
      found.then((v) => this.resolved.set(req, v)).catch(() => undefined);
      this.perRequest.set(req, found);
    }
    return found;
  }

  /** What `ofRequest` found, once it has: lets the response sealer decide without waiting. */
  knownFor(req: object): KeySecurity | undefined {
    return this.resolved.get(req);
  }

  /** False when the nonce was already used by this key inside the window. */
  claimNonce(apiKeyId: string, nonce: string, timestampSeconds: number): Promise<boolean> {
    const expiresAt = new Date((timestampSeconds + this.config.integrator.signatureWindowSeconds) * 1000);
    return this.repo.claimNonce(apiKeyId, nonce, expiresAt, new Date());
  }

  onApplicationBootstrap(): void {
    this.pruneTimer = setInterval(() => void this.pruneNonces(), PRUNE_NONCES_EVERY_MS);
    this.pruneTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
  }

  async pruneNonces(now = new Date()): Promise<void> {
    try {
      await this.repo.pruneNonces(now);
    } catch (err) {
      this.logger.error({ err }, 'Could not prune used nonces');
    }
  }

  private toResponse(apiKeyId: string, row: ApiKeySecurityRow | null): KeySecurityResponse {
    return {
      apiKeyId,
      requireSignature: row?.requireSignature ?? false,
      requireEncryption: row?.requireEncryption ?? false,
      rateLimitPerMinute: row?.rateLimitPerMinute ?? null,
      effectiveRateLimitPerMinute: row?.rateLimitPerMinute ?? this.config.integrator.apiKeyRateLimitPerMinute,
      signatureWindowSeconds: this.config.integrator.signatureWindowSeconds,
      keysIssuedAt: row?.keysIssuedAt ?? null,
    };
  }
}
