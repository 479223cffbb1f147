import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../common/passwords';
import { ChargerCredentials, isHighEntropy, isKeyedHash, keyedHash } from './charger-credentials';

const PEPPER = 'a-server-pepper-of-at-least-32-characters';
const credentials = new ChargerCredentials(PEPPER);
const hexKey = () => randomBytes(20).toString('hex');

describe('ChargerCredentials', () => {
  it.each([
    ['an AuthorizationKey of 20 random bytes in hex', hexKey(), true],
    ['24 random base64url characters', randomBytes(18).toString('base64url'), true],
    ['a dictionary phrase of 21 characters', 'a-charger-secret-0001', false],
    ['a keyboard walk', 'qwertyuiopasdfgh', false],
    ['digits and a common word', 'password12345678', false],
    ['16 random characters (10^16 guesses)', 'x8Jk2LmQ9pRz4TvW', false],
  ])('%s: stored under the keyed hash only if strong', async (_name, secret, keyed) => {
    expect(isHighEntropy(secret)).toBe(keyed);
    const stored = await credentials.hash(secret);
    expect(isKeyedHash(stored)).toBe(keyed);
    if (!keyed) expect(stored.startsWith('$argon2id$')).toBe(true);
    await expect(credentials.verify(stored, secret)).resolves.toEqual({ ok: true, rehashed: null });
    await expect(credentials.verify(stored, `${secret}x`)).resolves.toEqual({ ok: false });
  });

  it('never stores the secret itself, and another pepper does not verify it', async () => {
    const secret = hexKey();
    const stored = await credentials.hash(secret);
    expect(stored).not.toContain(secret);
    await expect(new ChargerCredentials(`${PEPPER}-other`).verify(stored, secret)).resolves.toEqual({
      ok: false,
    });
  });

  it('accepts exactly the keyed secret, whatever the other candidate', () => {
    const stored = keyedHash(PEPPER, 'the-right-key-0123456789abcdef');
    return fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 64 }), async (candidate) => {
        const { ok } = await credentials.verify(stored, candidate);
        expect(ok).toBe(candidate === 'the-right-key-0123456789abcdef');
      }),
    );
  });

  it('upgrades a legacy argon2 hash of a strong secret to the keyed hash on a successful check', async () => {
    const secret = hexKey();
    const legacy = await hashPassword(secret);
    await expect(credentials.verify(legacy, 'wrong')).resolves.toEqual({ ok: false });
    const match = await credentials.verify(legacy, secret);
    expect(match).toEqual({ ok: true, rehashed: keyedHash(PEPPER, secret) });
  });

  it('keeps a legacy argon2 hash of a guessable secret as it is', async () => {
    const legacy = await hashPassword('aVeryLongSecret123');
    await expect(credentials.verify(legacy, 'aVeryLongSecret123')).resolves.toEqual({
      ok: true,
      rehashed: null,
    });
  });

  it('judges every random 40-digit hex key strong (zxcvbn with bounded l33t substitutions)', () => {
    // How long the judgement and the keyed check take is measured by the connect bench, whose
    // chargers authenticate with such keys (bench/README.md), not here.
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) =>
        isHighEntropy(Buffer.from(bytes).toString('hex')),
      ),
      { numRuns: 25 },
    );
  });
});
