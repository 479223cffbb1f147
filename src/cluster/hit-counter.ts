import { sql } from 'drizzle-orm';
import { Db } from '../database/database';
import { rateLimitHits } from './cluster.tables';

export interface Hit {
  /** Hits in the current window, this one included. */
  count: number;
  /** When the current window ends (epoch ms). */
  resetAt: number;
}

/**
 * Fixed-window counters for rate limits, a window per key opened by its first hit: in memory (one
 * node) or in the database (a cluster).
 */
export abstract class HitCounter {
  abstract hit(key: string, windowMs: number, now?: number): Promise<Hit>;
  /** Forgets windows that ended; returns how many. */
  abstract purgeExpired(now?: number): Promise<number>;
}

const MAX_TRACKED = 50_000;

export class MemoryHitCounter extends HitCounter {
  private readonly windows = new Map<string, Hit>();

  async hit(key: string, windowMs: number, now = Date.now()): Promise<Hit> {
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      if (this.windows.size >= MAX_TRACKED) this.prune(now);
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count += 1;
    return { ...w };
  }

  async purgeExpired(now = Date.now()): Promise<number> {
    const before = this.windows.size;
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
    return before - this.windows.size;
  }

  private prune(now: number): void {
    void this.purgeExpired(now);
    // Under a flood of distinct keys, forget the oldest rather than grow without bound.
    for (const key of this.windows.keys()) {
      if (this.windows.size < MAX_TRACKED) break;
      this.windows.delete(key);
    }
  }
}

/**
 * Counters every node shares: one upsert per hit. As in memory, a key's window opens at its first
 * hit (not at a multiple of `windowMs`, where a burst split across the boundary would count
 * twice the limit), and every node reads that window from the row.
 */
export class DbHitCounter extends HitCounter {
  constructor(private readonly db: Db) {
    super();
  }

  async hit(key: string, windowMs: number, now = Date.now()): Promise<Hit> {
    const at = new Date(now);
    const [row] = await this.db
      .insert(rateLimitHits)
      .values({ key, windowStart: at, expiresAt: new Date(now + windowMs), count: 1 })
      .onConflictDoUpdate({
        target: rateLimitHits.key,
        set: {
          count: sql`case when rate_limit_hits.expires_at > ${at} then rate_limit_hits.count + 1 else 1 end`,
          windowStart: sql`case when rate_limit_hits.expires_at > ${at} then rate_limit_hits.window_start else excluded.window_start end`,
          expiresAt: sql`case when rate_limit_hits.expires_at > ${at} then rate_limit_hits.expires_at else excluded.expires_at end`,
        },
      })
      .returning({ count: rateLimitHits.count, expiresAt: rateLimitHits.expiresAt });
    return { count: row.count, resetAt: row.expiresAt.getTime() };
  }

  async purgeExpired(now = Date.now()): Promise<number> {
    const gone = await this.db
      .delete(rateLimitHits)
      .where(sql`${rateLimitHits.expiresAt} <= ${new Date(now)}`)
      .returning({ key: rateLimitHits.key });
    return gone.length;
  }
}
