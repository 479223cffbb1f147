import { Injectable } from '@nestjs/common';
import { Actor, ApiKeyScope, isRoot, tenantScopeOf } from '../common/actor';
import { Clock } from '../common/clock';
import { notFound } from '../common/domain-error';
import { isUuid, keysetPage } from '../common/keyset';
import type { Page } from '../common/pagination';
import { SecurityEventsService } from '../integrator-security/audit/security-events.service';
import { TenantsService } from '../tenants/tenants.service';
import { CredentialRevocations } from '../users/credential-revocations';
import type { ApiKeyRow } from './auth.tables';
import { ApiKeyResponse, CreateApiKeyDto, IssuedApiKeyResponse, ListApiKeysQuery } from './dto/api-key.dto';
import { ApiKeysRepository } from './api-keys.repository';
import { apiKeyPrefix, formatApiKey, parseApiKey, randomSecret, sameHash, sha256 } from './secrets';

/** lastUsedAt is written at most this often per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The actor an API key acts as: its tenant, `admin` with the admin scope else `user`, never root. */
export const actorOfKey = (key: Pick<ApiKeyRow, 'id' | 'tenantId' | 'scopes'>): Actor => ({
  tenantId: key.tenantId,
  role: key.scopes.includes('admin') ? 'admin' : 'user',
  apiKeyId: key.id,
  scopes: [...key.scopes] as ApiKeyScope[],
});

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly repo: ApiKeysRepository,
    private readonly tenants: TenantsService,
    private readonly audit: SecurityEventsService,
    private readonly revocations: CredentialRevocations,
    private readonly clock: Clock,
  ) {}

  /** An admin issues keys for its tenant; root for any tenant. The secret is returned only here. */
  async issue(actor: Actor, dto: CreateApiKeyDto): Promise<IssuedApiKeyResponse> {
    let tenantId = actor.tenantId;
    if (dto.tenantId && dto.tenantId !== actor.tenantId) {
      const tenant = isRoot(actor) ? await this.tenants.findById(dto.tenantId) : null;
      if (!tenant) throw notFound('Tenant', dto.tenantId);
      tenantId = tenant.id;
    }
    const secret = randomSecret();
    const prefix = apiKeyPrefix();
    const row = await this.repo.insert(tenantId, {
      name: dto.name,
      prefix,
      secretHash: sha256(secret),
      scopes: dto.scopes,
      createdByUserId: actor.userId ?? null,
      expiresAt: dto.expiresAt ?? null,
    });
    await this.audit.record({
      type: 'key_issued',
      tenantId,
      userId: actor.userId,
      apiKeyId: row.id,
      details: { name: row.name, prefix: row.prefix, scopes: row.scopes },
    });
    return { ...ApiKeyResponse.of(row), key: formatApiKey(prefix, secret), secret };
  }

  async list(actor: Actor, q: ListApiKeysQuery): Promise<Page<ApiKeyResponse>> {
    const limit = q.limit ?? 50;
    const rows = await this.repo.list(tenantScopeOf(actor, q.tenantId), { limit, cursor: q.cursor });
    return keysetPage(rows, limit, ApiKeyResponse.of);
  }

  async get(actor: Actor, id: string): Promise<ApiKeyRow> {
    const row = await this.repo.findInTenant(tenantScopeOf(actor), id);
    if (!row) throw notFound('API key', id);
    return row;
  }

  /** Revoking is immediate: the key, tokens exchanged for it and its live sockets are refused from now on. */
  async revoke(actor: Actor, id: string): Promise<void> {
    const row = await this.get(actor, id);
    await this.repo.revoke(row.tenantId, row.id);
    await this.revocations.announce({ kind: 'api_key', apiKeyId: row.id, reason: 'revoked' });
    await this.audit.record({
      type: 'key_revoked',
      tenantId: row.tenantId,
      userId: actor.userId,
      apiKeyId: row.id,
    });
  }

  /** `X-API-Key: kw_<prefix>_<secret>` → the key's actor, or false. */
  async authenticate(raw: string): Promise<Actor | false> {
    const parsed = parseApiKey(raw);
    if (!parsed) return false;
    const row = await this.repo.findByPrefix(parsed.prefix);
    return this.accept(row, parsed.secret);
  }

  /** Client credentials: key id + secret → the key's actor, or false. */
  async authenticateSecret(keyId: string, secret: string): Promise<Actor | false> {
    if (!isUuid(keyId)) return false;
    return this.accept(await this.repo.findById(keyId), secret);
  }

  /** For a token exchanged earlier: the key must still be usable. */
  async actorForKeyId(keyId: string, tenantId: string): Promise<Actor | false> {
    if (!isUuid(keyId)) return false;
    const row = await this.repo.findInTenant(tenantId, keyId);
    if (!row || !(await this.usable(row))) return false;
    await this.touch(row);
    return actorOfKey(row);
  }

  private async accept(row: ApiKeyRow | null, secret: string): Promise<Actor | false> {
    // Hash even when the key is unknown, so timing does not tell which prefixes exist.
    const presented = sha256(secret);
    if (!row || !sameHash(row.secretHash, presented) || !(await this.usable(row))) return false;
    await this.touch(row);
    return actorOfKey(row);
  }

  private async usable(row: ApiKeyRow): Promise<boolean> {
    if (row.revokedAt) return false;
    if (row.expiresAt && row.expiresAt.getTime() <= this.clock.nowMs()) return false;
    const tenant = await this.tenants.findById(row.tenantId);
    return tenant?.status === 'active';
  }

  private async touch(row: ApiKeyRow): Promise<void> {
    const now = this.clock.now();
    if (row.lastUsedAt && now.getTime() - row.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
    await this.repo.touch(row.tenantId, row.id, now, LAST_USED_RESOLUTION_MS);
  }
}
