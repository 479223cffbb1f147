import { QuotaWindows } from './quota-window';

describe('QuotaWindows', () => {
  it('counts down the remaining requests and refuses past the limit until the minute is over', () => {
    const q = new QuotaWindows();
    const t0 = 1_000_000;
    expect(q.take('key:a', 2, t0)).toMatchObject({ allowed: true, remaining: 1, resetSeconds: 60 });
    expect(q.take('key:a', 2, t0 + 1000)).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 59 });
    expect(q.take('key:a', 2, t0 + 30_000)).toMatchObject({
      allowed: false,
      remaining: 0,
      resetSeconds: 30,
      firstRefusal: true,
    });
    expect(q.take('key:a', 2, t0 + 30_001)).toMatchObject({ allowed: false, firstRefusal: false });
    expect(q.take('key:a', 2, t0 + 60_000)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('keeps subjects apart', () => {
    const q = new QuotaWindows();
    expect(q.take('user:a', 1, 0).allowed).toBe(true);
    expect(q.take('user:a', 1, 0).allowed).toBe(false);
    expect(q.take('user:b', 1, 0).allowed).toBe(true);
  });
});
