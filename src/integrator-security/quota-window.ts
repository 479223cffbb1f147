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

const WINDOW_MS = 60_000;
const MAX_TRACKED = 100_000;

interface Window {
  count: number;
  resetAt: number;
}

/**
 * Fixed one-minute windows per subject (an API key or an account), in this node's memory. With N
 * nodes a subject gets at most N times its quota until the limits move to a shared store.
 */
export class QuotaWindows {
  private readonly windows = new Map<string, Window>();

  take(subject: string, limit: number, now = Date.now()): QuotaDecision {
    let w = this.windows.get(subject);
    if (!w || w.resetAt <= now) {
      if (this.windows.size >= MAX_TRACKED) this.prune(now);
      w = { count: 0, resetAt: now + WINDOW_MS };
      this.windows.set(subject, w);
    }
    w.count += 1;
    return {
      allowed: w.count <= limit,
      limit,
      remaining: Math.max(0, limit - w.count),
      resetSeconds: Math.max(1, Math.ceil((w.resetAt - now) / 1000)),
      firstRefusal: w.count === limit + 1,
    };
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
    for (const key of this.windows.keys()) {
      if (this.windows.size < MAX_TRACKED) break;
      this.windows.delete(key);
    }
  }
}
