import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { HitCounter } from '../cluster/hit-counter';
import { AppConfig } from '../config/app-config';
import { SecurityEventsService } from './audit/security-events.service';
import { KeySecurityService } from './key-security.service';
import { QUOTA_WINDOW_MS, quotaDecision } from './quota-window';

/**
 * Per API key (its own rateLimitPerMinute, else API_KEY_RATE_LIMIT_PER_MINUTE) and per account
 * (USER_RATE_LIMIT_PER_MINUTE) request quotas. Runs after the ActorGuard, so only authenticated
 * requests count; the per-address limit before it covers everyone else. The counters are the
 * cluster's HitCounter, so a quota holds across nodes when several run.
 */
@Injectable()
export class QuotaGuard implements CanActivate {
  constructor(
    private readonly keys: KeySecurityService,
    private readonly audit: SecurityEventsService,
    private readonly config: AppConfig,
    private readonly counter: HitCounter,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: Actor }>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const actor = req.user;
    if (!actor || (!actor.apiKeyId && !actor.userId)) return true;
    const [subject, limit] = actor.apiKeyId
      ? [
          `key:${actor.apiKeyId}`,
          (await this.keys.ofRequest(req, actor.apiKeyId, actor.tenantId)).rateLimitPerMinute,
        ]
      : [`user:${actor.userId}`, this.config.integrator.userRateLimitPerMinute];
    const d = quotaDecision(await this.counter.hit(`quota:${subject}`, QUOTA_WINDOW_MS), limit);
    res.setHeader('X-RateLimit-Limit', String(d.limit));
    res.setHeader('X-RateLimit-Remaining', String(d.remaining));
    res.setHeader('X-RateLimit-Reset', String(d.resetSeconds));
    if (d.allowed) return true;
    if (d.firstRefusal) {
      await this.audit.record({
        type: 'rate_limited',
        tenantId: actor.tenantId,
        userId: actor.userId,
        apiKeyId: actor.apiKeyId,
        details: { limitPerMinute: d.limit, method: req.method, path: req.path },
      });
    }
    throw new DomainError('RATE_LIMITED', `More than ${d.limit} requests a minute; retry later`, {
      retryAfterSeconds: d.resetSeconds,
    });
  }
}
