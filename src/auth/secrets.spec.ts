import { apiKeyPrefix, formatApiKey, parseApiKey, randomSecret, sameHash, sha256 } from './secrets';

describe('API key secrets', () => {
  it('formats and parses a key round trip', () => {
    const prefix = apiKeyPrefix();
    const secret = randomSecret();
    expect(parseApiKey(formatApiKey(prefix, secret))).toEqual({ prefix, secret });
  });

  it.each([
    '',
    'kw_',
    'kw_short_secret',
    `kw_ABCDEFGHIJKL_${'a'.repeat(43)}`,
    `xx_abcdefghijkl_${'a'.repeat(43)}`,
    `kw_abcdefghijkl_${'a'.repeat(44)}`,
  ])('rejects the malformed key %p', (raw) => expect(parseApiKey(raw)).toBeNull());

  it('compares hashes exactly', () => {
    expect(sameHash(sha256('a'), sha256('a'))).toBe(true);
    expect(sameHash(sha256('a'), sha256('b'))).toBe(false);
    expect(sameHash(sha256('a'), '')).toBe(false);
  });
});
