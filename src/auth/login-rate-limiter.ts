import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';

interface Window {
  count: number;
  resetAt: number;
}

const WINDOW_MS = 60_000;
const MAX_TRACKED = 50_000;

/**
 * Brute-force brake for credential routes: fixed one-minute windows per client address and per
 * account. Kept in memory per node; with N nodes behind a balancer an attacker gets at most N times
 * the limit, still far too few guesses against argon2id-hashed passwords.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly config: AppConfig) {}

  /** Counts one attempt; throws RATE_LIMITED (429 + Retry-After) once a limit is passed. */
  attempt(ip: string, account?: string, now = Date.now()): void {
    const waits = [this.take(`ip:${ip}`, this.config.loginRateLimitPerIpPerMinute, now)];
    if (account)
      waits.push(this.take(`acct:${account.toLowerCase()}`, this.config.loginRateLimitPerMinute, now));
    const wait = Math.max(...waits);
    if (wait > 0) {
      throw new DomainError('RATE_LIMITED', 'Too many attempts; retry later', {
        retryAfterSeconds: Math.ceil(wait / 1000),
      });
    }
  }

  /** Milliseconds to wait, or 0 when the attempt is within the limit. */
  private take(key: string, limit: number, now: number): number {
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      if (this.windows.size >= MAX_TRACKED) this.prune(now);
      w = { count: 0, resetAt: now + WINDOW_MS };
      this.windows.set(key, w);
    }
    w.count += 1;
    return w.count > limit ? w.resetAt - now : 0;
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
    // Under a flood of distinct keys, forget the oldest rather than grow without bound.
    for (const key of this.windows.keys()) {
      if (this.windows.size < MAX_TRACKED) break;
      this.windows.delete(key);
    }
  }
}
