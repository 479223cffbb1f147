import { MemoryHitCounter } from './hit-counter';
import { SharedThrottlerStorage } from './shared-throttler.storage';

describe('SharedThrottlerStorage', () => {
  it('blocks once the limit is passed, until the window ends', async () => {
    const storage = new SharedThrottlerStorage(new MemoryHitCounter());
    const hit = () => storage.increment('1.2.3.4', 60_000, 2, 60_000, 'global');
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false, timeToBlockExpire: 0 });
    expect(await hit()).toMatchObject({ totalHits: 2, isBlocked: false });
    const third = await hit();
    expect(third).toMatchObject({ totalHits: 3, isBlocked: true });
    expect(third.timeToExpire).toBeGreaterThan(0);
    expect(third.timeToExpire).toBeLessThanOrEqual(60);
    expect(third.timeToBlockExpire).toBe(third.timeToExpire);
  });

  it('counts each throttler and each client apart', async () => {
    const storage = new SharedThrottlerStorage(new MemoryHitCounter());
    await storage.increment('a', 60_000, 1, 60_000, 'global');
    expect((await storage.increment('b', 60_000, 1, 60_000, 'global')).isBlocked).toBe(false);
    expect((await storage.increment('a', 60_000, 1, 60_000, 'other')).isBlocked).toBe(false);
  });
});
