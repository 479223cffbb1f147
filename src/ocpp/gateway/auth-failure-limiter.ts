/**
 * Counts failed charger handshakes per key in fixed one-minute windows. Once a key reaches the
 * limit, every handshake under it is refused until its window ends — even with the right
 * password, so guessing cannot go on in parallel. The gateway's key is the client address and the
 * station id together (see ChargerAdmission).
 */
export class AuthFailureLimiter {
  private readonly windows = new Map<string, { startedAt: number; failures: number }>();

  constructor(
    private readonly limitPerMinute: number,
    private readonly windowMs = 60_000,
    private readonly maxKeys = 100_000,
  ) {}

  /** Seconds until the key may try again, or 0 when it is not blocked. */
  retryAfterSeconds(key: string, now = Date.now()): number {
    const w = this.windows.get(key);
    if (!w) return 0;
    if (now - w.startedAt >= this.windowMs) {
      this.windows.delete(key);
      return 0;
    }
    return w.failures >= this.limitPerMinute ? Math.ceil((w.startedAt + this.windowMs - now) / 1000) : 0;
  }

  recordFailure(key: string, now = Date.now()): void {
    const w = this.windows.get(key);
    if (w && now - w.startedAt < this.windowMs) {
      w.failures++;
      return;
    }
    if (this.windows.size >= this.maxKeys) this.sweep(now);
    this.windows.set(key, { startedAt: now, failures: 1 });
  }

  /** Drops finished windows; called as the map grows and periodically by the gateway. */
  sweep(now = Date.now()): void {
    for (const [key, w] of this.windows) {
      if (now - w.startedAt >= this.windowMs) this.windows.delete(key);
    }
    // Under a flood of distinct keys (one address can make up ids), forget the oldest that are not
    // braked first: flooding must not buy a braked guesser a fresh window.
    for (const [key, w] of this.windows) {
      if (this.windows.size < this.maxKeys) return;
      if (w.failures < this.limitPerMinute) this.windows.delete(key);
    }
    while (this.windows.size >= this.maxKeys) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) break;
      this.windows.delete(oldest);
    }
  }
}
