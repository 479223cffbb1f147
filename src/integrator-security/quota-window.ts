import type { Hit } from '../cluster/hit-counter';

/** The outcome of counting one request against a per-minute quota. */
export interface QuotaDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets (at least 1). */
  resetSeconds: number;
  /** True for the first refused request of a window (audit it once, not on every refusal). */
  firstRefusal: boolean;
}

export const QUOTA_WINDOW_MS = 60_000;

/**
 * Judges one counted request. The counting itself is the cluster's HitCounter: in this node's
 * memory on a single node, shared through the database when several nodes run.
 */
export function quotaDecision(hit: Hit, limit: number, now = Date.now()): QuotaDecision {
  return {
    allowed: hit.count <= limit,
    limit,
    remaining: Math.max(0, limit - hit.count),
    resetSeconds: Math.max(1, Math.ceil((hit.resetAt - now) / 1000)),
    firstRefusal: hit.count === limit + 1,
  };
}
