import { Injectable } from '@nestjs/common';
import { HitCounter } from '../cluster/hit-counter';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';

const WINDOW_MS = 60_000;

/**
 * Brute-force brake for credential routes: fixed one-minute windows per client address, and per
 * account from that address. An account is never braked as a whole: a stranger who knows a login
 * name would otherwise lock its owner out, while the owner's right password from another address
 * still gets in. Guessing one account from many addresses is slowed by the per-address brake on
 * each of them and made hopeless by the password policy (common and breached passwords refused).
 * The counters live in the cluster's HitCounter: in memory on a single node, in the database when
 * several nodes share the load, so the limit holds whichever node is asked.
 */
@Injectable()
export class LoginRateLimiter {
  constructor(
    private readonly config: AppConfig,
    private readonly counter: HitCounter,
  ) {}

  /** Counts one attempt; throws RATE_LIMITED (429 + Retry-After) once a limit is passed. */
  async attempt(ip: string, account?: string, now = Date.now()): Promise<void> {
    const waits = [await this.take(`login:ip:${ip}`, this.config.loginRateLimitPerIpPerMinute, now)];
    if (account)
      waits.push(
        await this.take(
          `login:acct:${account.toLowerCase()}:ip:${ip}`,
          this.config.loginRateLimitPerMinute,
          now,
        ),
      );
    const wait = Math.max(...waits);
    if (wait > 0) {
      throw new DomainError('RATE_LIMITED', 'Too many attempts; retry later', {
        retryAfterSeconds: Math.ceil(wait / 1000),
      });
    }
  }

  /** Milliseconds to wait, or 0 when the attempt is within the limit. */
  private async take(key: string, limit: number, now: number): Promise<number> {
    const { count, resetAt } = await this.counter.hit(key, WINDOW_MS, now);
    return count > limit ? resetAt - now : 0;
  }
}
