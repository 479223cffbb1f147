import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { HitCounter } from './hit-counter';

/**
 * The API rate limit's counters in a HitCounter (the database in a cluster), so a client gets
 * RATE_LIMIT_PER_MINUTE requests whichever nodes the balancer sends it to. A client over the
 * limit stays refused until its window ends.
 */
export class SharedThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly counter: HitCounter) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _block: number,
    name: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const { count, resetAt } = await this.counter.hit(`api:${name}:${key}`, ttl, now);
    const secondsLeft = Math.max(1, Math.ceil((resetAt - now) / 1000));
    const isBlocked = count > limit;
    return {
      totalHits: count,
      timeToExpire: secondsLeft,
      isBlocked,
      timeToBlockExpire: isBlocked ? secondsLeft : 0,
    };
  }
}
