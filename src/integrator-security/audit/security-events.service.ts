import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Actor, tenantScopeOf } from '../../common/actor';
import { notFound } from '../../common/domain-error';
import { isUuid, keysetPage } from '../../common/keyset';
import type { Page } from '../../common/pagination';
import { AppConfig } from '../../config/app-config';
import type { SecurityEventType } from './security-events.tables';
import { currentOrigin } from './request-context';
import { SecurityEventPage, SecurityEventQueryDto, SecurityEventResponse } from './security-events.dto';
import { SecurityEventsRepository } from './security-events.repository';

export interface SecurityEventInput {
  type: SecurityEventType;
  /** null: belongs to no tenant we may name (unknown account); only root sees it. */
  tenantId: string | null;
  userId?: string | null;
  apiKeyId?: string | null;
  details?: Record<string, unknown>;
}

const PRUNE_EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The security audit log: auth and integrator security record here; admins read their tenant's. */
@Injectable()
export class SecurityEventsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SecurityEventsService.name);
  private pruneTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly repo: SecurityEventsRepository,
    private readonly config: AppConfig,
  ) {}

  /**
   * Records an event with the current request's address and user agent. A failure to write is
   * logged, never thrown: the audit log must not turn a login or a refusal into a 500.
   */
  async record(e: SecurityEventInput): Promise<void> {
    const origin = currentOrigin();
    try {
      await this.repo.insert(e.tenantId, {
        type: e.type,
        userId: e.userId ?? null,
        apiKeyId: e.apiKeyId ?? null,
        ip: origin?.ip ?? null,
        userAgent: origin?.userAgent ?? null,
        details: e.details ?? {},
      });
    } catch (err) {
      this.logger.error({ err, type: e.type }, 'Could not record a security event');
    }
  }

  async list(actor: Actor, q: SecurityEventQueryDto): Promise<Page<SecurityEventResponse>> {
    const limit = q.limit ?? 50;
    const rows = await this.repo.listPage(
      tenantScopeOf(actor, q.tenantId),
      { type: q.type, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined },
      limit,
      q.cursor,
    );
    return keysetPage(rows, limit, SecurityEventResponse.of) as SecurityEventPage;
  }

  async get(actor: Actor, id: string): Promise<SecurityEventResponse> {
    const row = isUuid(id) ? await this.repo.findInTenant(tenantScopeOf(actor), id) : null;
    if (!row) throw notFound('Security event', id);
    return SecurityEventResponse.of(row);
  }

  onApplicationBootstrap(): void {
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
  }

  async prune(now = new Date()): Promise<void> {
    const cutoff = new Date(now.getTime() - this.config.integrator.securityEventsRetentionDays * DAY_MS);
    try {
      await this.repo.pruneBefore(cutoff);
    } catch (err) {
      this.logger.error({ err }, 'Could not prune the security audit log');
    }
  }
}
