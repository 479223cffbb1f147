import fc from 'fast-check';
import { DomainError } from '../common/domain-error';
import type { AppConfig } from '../config/app-config';
import { MemoryHitCounter } from '../cluster/hit-counter';
import { LoginRateLimiter } from './login-rate-limiter';

const limiter = () =>
  new LoginRateLimiter(
    { loginRateLimitPerMinute: 2, loginRateLimitPerIpPerMinute: 3 } as AppConfig,
    new MemoryHitCounter(),
  );

const retryAfterOf = async (fn: () => Promise<void>): Promise<number | null> => {
  try {
    await fn();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('RATE_LIMITED');
    return (e as DomainError).details?.retryAfterSeconds as number;
  }
};

describe('LoginRateLimiter', () => {
  it.each([
    {
      name: 'the account limit from one address',
      attempts: [
        ['1.1.1.1', 'a'],
        ['1.1.1.1', 'a'],
      ],
      next: ['1.1.1.1', 'A'],
      limited: true,
    },
    {
      name: 'the account limit from other addresses only',
      attempts: [
        ['1.1.1.1', 'a'],
        ['1.1.1.2', 'a'],
        ['1.1.1.2', 'a'],
      ],
      next: ['1.1.1.3', 'a'],
      limited: false,
    },
    {
      name: 'the address limit',
      attempts: [
        ['1.1.1.1', 'a'],
        ['1.1.1.1', 'b'],
        ['1.1.1.1', 'c'],
      ],
      next: ['1.1.1.1', 'd'],
      limited: true,
    },
    {
      name: 'neither limit',
      attempts: [
        ['1.1.1.1', 'a'],
        ['1.1.1.2', 'b'],
      ],
      next: ['1.1.1.3', 'c'],
      limited: false,
    },
  ])('limits once $name is passed: $limited', async ({ attempts, next, limited }) => {
    const l = limiter();
    const t0 = 1_000_000;
    for (const [ip, acct] of attempts) expect(await retryAfterOf(() => l.attempt(ip, acct, t0))).toBeNull();
    const retry = await retryAfterOf(() => l.attempt(next[0], next[1], t0 + 15_000));
    if (limited) expect(retry).toBe(45);
    else expect(retry).toBeNull();
  });

  it('never brakes the owner at a fresh address, whatever strangers tried on the account', async () => {
    const stranger = fc.record({
      ip: fc.ipV4().filter((ip) => ip !== '192.0.2.1'),
      login: fc.constantFrom('owner', 'OWNER', 'Owner', 'other'),
      offsetMs: fc.nat(59_999),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(stranger, { maxLength: 40 }), async (attempts) => {
        const l = limiter();
        for (const a of attempts) await retryAfterOf(() => l.attempt(a.ip, a.login, a.offsetMs));
        expect(await retryAfterOf(() => l.attempt('192.0.2.1', 'owner', 59_999))).toBeNull();
      }),
    );
  });

  it('opens again when the minute is over', async () => {
    const l = limiter();
    for (let i = 0; i < 2; i++) await l.attempt('ip', 'acct', 0);
    expect(await retryAfterOf(() => l.attempt('ip', 'acct', 59_999))).toBe(1);
    expect(await retryAfterOf(() => l.attempt('ip', 'acct', 60_000))).toBeNull();
  });
});
