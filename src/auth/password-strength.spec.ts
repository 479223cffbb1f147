import fc from 'fast-check';
import { MIN_PASSWORD_SCORE, passwordStrength, weakPasswordMessage } from './password-strength';

describe('passwordStrength', () => {
  it.each([
    ['password', []],
    ['12345678', []],
    ['password-123', []],
    ['qwertyuiop', []],
    ['P@ssw0rd!', []],
    ['iloveyou1', []],
    ['aaaaaaaaaaaa', []],
    ['abcdefgh1234', []],
    ['alice2024!', ['alice']],
    ['password'.repeat(8), []],
  ])('refuses %s', async (password, context) => {
    const verdict = await passwordStrength.judge(password, context);
    expect(verdict.score).toBeLessThan(MIN_PASSWORD_SCORE);
  });

  it.each([
    'correct horse battery staple',
    'a-brand-new-Passphrase-77',
    'Amber-Kettle-Orbit-42',
    'vq8#Lr2!xTz9',
  ])('accepts %s', async (password) => {
    expect((await passwordStrength.judge(password, [])).score).toBeGreaterThanOrEqual(MIN_PASSWORD_SCORE);
  });

  it('says what makes a password weak', async () => {
    const verdict = await passwordStrength.judge('password', []);
    expect(weakPasswordMessage('password', verdict)).toMatch(
      /^password is too easy to guess: .*used password/,
    );
  });

  it('judges any input with a score of 0-4, off the event loop', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 256, unit: 'binary' }), async (password) => {
        const { score } = await passwordStrength.judge(password, []);
        expect([0, 1, 2, 3, 4]).toContain(score);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps the event loop free while pathological passwords are judged', async () => {
    // Repeats of l33t-rich blocks are zxcvbn's slowest inputs.
    const slow = ['aB3$'.repeat(64), '1234567890'.repeat(25), 'p4ssw0rd'.repeat(32), '!@#$%^&*()'.repeat(25)];
    let maxLagMs = 0;
    let last = Date.now();
    const ticker = setInterval(() => {
      const now = Date.now();
      maxLagMs = Math.max(maxLagMs, now - last - 5);
      last = now;
    }, 5);
    const started = Date.now();
    // Eight rounds: judged on the event loop they would stall it for hundreds of milliseconds, far
    // above what a busy machine's scheduling adds to a free loop.
    const rounds = Array.from({ length: 8 }, () => slow).flat();
    await Promise.all(rounds.map((p) => passwordStrength.judge(p, [])));
    const tookMs = Date.now() - started;
    clearInterval(ticker);
    // On the event loop the ticker would stall for the whole check.
    expect(tookMs).toBeGreaterThan(200);
    expect(maxLagMs).toBeLessThan(Math.max(150, tookMs / 2));
  });
});
