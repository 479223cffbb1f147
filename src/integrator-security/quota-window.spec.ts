import { MemoryHitCounter } from '../cluster/hit-counter';
import { QUOTA_WINDOW_MS, quotaDecision } from './quota-window';

describe('quotaDecision over a fixed one-minute window', () => {
  const take = async (c: MemoryHitCounter, subject: string, limit: number, now: number) =>
    quotaDecision(await c.hit(subject, QUOTA_WINDOW_MS, now), limit, now);

  it('counts down the remaining requests and refuses past the limit until the minute is over', async () => {
    const c = new MemoryHitCounter();
    const t0 = 1_000_000;
    expect(await take(c, 'key:a', 2, t0)).toMatchObject({ allowed: true, remaining: 1, resetSeconds: 60 });
    expect(await take(c, 'key:a', 2, t0 + 1000)).toMatchObject({
      allowed: true,
      remaining: 0,
      resetSeconds: 59,
    });
    expect(await take(c, 'key:a', 2, t0 + 30_000)).toMatchObject({
      allowed: false,
      remaining: 0,
      resetSeconds: 30,
      firstRefusal: true,
    });
    expect(await take(c, 'key:a', 2, t0 + 30_001)).toMatchObject({ allowed: false, firstRefusal: false });
    expect(await take(c, 'key:a', 2, t0 + 60_000)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('keeps subjects apart', async () => {
    const c = new MemoryHitCounter();
    expect((await take(c, 'user:a', 1, 0)).allowed).toBe(true);
    expect((await take(c, 'user:a', 1, 0)).allowed).toBe(false);
    expect((await take(c, 'user:b', 1, 0)).allowed).toBe(true);
  });
});
