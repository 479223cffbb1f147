import { AuthFailureLimiter } from './auth-failure-limiter';

describe('AuthFailureLimiter', () => {
  it('blocks a source once it reaches the limit within a minute', () => {
    const limiter = new AuthFailureLimiter(3);
    for (let i = 0; i < 2; i++) limiter.recordFailure('10.0.0.1', 1_000 + i);
    expect(limiter.retryAfterSeconds('10.0.0.1', 1_010)).toBe(0);
    limiter.recordFailure('10.0.0.1', 1_020);
    expect(limiter.retryAfterSeconds('10.0.0.1', 1_030)).toBe(60);
  });

  it('keeps other sources unaffected', () => {
    const limiter = new AuthFailureLimiter(1);
    limiter.recordFailure('10.0.0.1', 0);
    expect(limiter.retryAfterSeconds('10.0.0.1', 1)).toBeGreaterThan(0);
    expect(limiter.retryAfterSeconds('10.0.0.2', 1)).toBe(0);
  });

  it('lets the source try again when its window has passed', () => {
    const limiter = new AuthFailureLimiter(1);
    limiter.recordFailure('10.0.0.1', 0);
    expect(limiter.retryAfterSeconds('10.0.0.1', 59_999)).toBe(1);
    expect(limiter.retryAfterSeconds('10.0.0.1', 60_000)).toBe(0);
  });

  it('stays bounded under a flood of distinct sources', () => {
    const limiter = new AuthFailureLimiter(1, 60_000, 100);
    for (let i = 0; i < 1_000; i++) limiter.recordFailure(`10.0.${i >> 8}.${i & 255}`, i);
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(100);
  });

  it('keeps a braked key when a flood of distinct keys fills it', () => {
    const limiter = new AuthFailureLimiter(3, 60_000, 100);
    for (let i = 0; i < 3; i++) limiter.recordFailure('198.51.100.1 CP-VICTIM', i);
    for (let i = 0; i < 1_000; i++) limiter.recordFailure(`198.51.100.1 CP-MADE-UP-${i}`, 10 + i);
    expect(limiter.retryAfterSeconds('198.51.100.1 CP-VICTIM', 2_000)).toBeGreaterThan(0);
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(100);
  });
});
