/**
 * Counts failed charger handshakes per source address in fixed one-minute windows. Once a source
 * reaches the limit, every handshake from it is refused until its window ends — even with the
 * right password, so guessing cannot go on in parallel.
 */
export class AuthFailureLimiter {
  private readonly windows = new Map<string, { startedAt: number; failures: number }>();

  constructor(
    private readonly limitPerMinute: number,
    private readonly windowMs = 60_000,
    private readonly maxSources = 100_000,
  ) {}

  /** Seconds until the source may try again, or 0 when it is not blocked. */
  retryAfterSeconds(source: string, now = Date.now()): number {
    const w = this.windows.get(source);
    if (!w) return 0;
    if (now - w.startedAt >= this.windowMs) {
      this.windows.delete(source);
      return 0;
    }
    return w.failures >= this.limitPerMinute ? Math.ceil((w.startedAt + this.windowMs - now) / 1000) : 0;
  }

  recordFailure(source: string, now = Date.now()): void {
    const w = this.windows.get(source);
    if (w && now - w.startedAt < this.windowMs) {
      w.failures++;
      return;
    }
    if (this.windows.size >= this.maxSources) this.sweep(now);
    this.windows.set(source, { startedAt: now, failures: 1 });
  }

  /** Drops finished windows; called as the map grows and periodically by the gateway. */
  sweep(now = Date.now()): void {
    for (const [source, w] of this.windows) {
      if (now - w.startedAt >= this.windowMs) this.windows.delete(source);
    }
    // Under a flood of distinct addresses, forget the oldest rather than grow without bound.
    while (this.windows.size >= this.maxSources) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) break;
      this.windows.delete(oldest);
    }
  }
}
