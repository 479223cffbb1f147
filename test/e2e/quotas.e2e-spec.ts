import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin, anAccount, anApiKey } from '../factories/accounts';

describe('quotas per API key and per account', () => {
  let t: TestApp;
  let tenant: { tenantId: string; admin: TestAccount };
  beforeAll(async () => {
    t = await startApp({ API_KEY_RATE_LIMIT_PER_MINUTE: '3', USER_RATE_LIMIT_PER_MINUTE: '4' });
    tenant = await aTenantWithAdmin(t);
  });
  afterAll(() => t.close());
  // Admins are accounts with a quota too: a fresh one per step keeps set-up calls out of the counts.
  const anAdmin = () => anAccount(t, { tenantId: tenant.tenantId, role: 'admin' });

  it('counts down X-RateLimit-* per key and answers 429 with Retry-After past the limit', async () => {
    const key = await anApiKey(t, await anAdmin());
    for (const remaining of [2, 1, 0]) {
      const res = await t.http.get('/api/v1/stations').set(key.header).expect(200);
      expect(res.headers['x-ratelimit-limit']).toBe('3');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(remaining));
      expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
    }
    const refused = await t.http.get('/api/v1/stations').set(key.header).expect(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
  });

  it('gives every key its own quota', async () => {
    const a = await anApiKey(t, await anAdmin());
    const b = await anApiKey(t, await anAdmin());
    for (let i = 0; i < 3; i++) await t.http.get('/api/v1/sites').set(a.header).expect(200);
    await t.http.get('/api/v1/sites').set(a.header).expect(429);
    await t.http.get('/api/v1/sites').set(b.header).expect(200);
  });

  it('counts a key’s client-credentials token against the key’s quota', async () => {
    const key = await anApiKey(t, await anAdmin());
    const token = await t.http
      .post('/api/v1/auth/token')
      .send({ keyId: key.id, secret: key.secret })
      .expect(200);
    const bearer = { Authorization: `Bearer ${token.body.accessToken}` };
    await t.http.get('/api/v1/sites').set(key.header).expect(200);
    await t.http.get('/api/v1/sites').set(bearer).expect(200);
    await t.http.get('/api/v1/sites').set(key.header).expect(200);
    await t.http.get('/api/v1/sites').set(bearer).expect(429);
  });

  it('applies a key’s own rateLimitPerMinute, set by its admin, on the next request', async () => {
    const admin = await anAdmin();
    const key = await anApiKey(t, admin);
    const patched = await t.http
      .patch(`/api/v1/api-keys/${key.id}/security`)
      .set(admin.auth)
      .send({ rateLimitPerMinute: 5 })
      .expect(200);
    expect(patched.body).toMatchObject({ rateLimitPerMinute: 5, effectiveRateLimitPerMinute: 5 });
    for (let i = 0; i < 5; i++) {
      const res = await t.http.get('/api/v1/sites').set(key.header).expect(200);
      expect(res.headers['x-ratelimit-limit']).toBe('5');
    }
    await t.http.get('/api/v1/sites').set(key.header).expect(429);
    const reset = await t.http
      .patch(`/api/v1/api-keys/${key.id}/security`)
      .set(admin.auth)
      .send({ rateLimitPerMinute: null })
      .expect(200);
    expect(reset.body).toMatchObject({ rateLimitPerMinute: null, effectiveRateLimitPerMinute: 3 });
  });

  it('limits each account to USER_RATE_LIMIT_PER_MINUTE, leaving other accounts alone', async () => {
    const user = await anAccount(t, { tenantId: tenant.tenantId });
    const other = await anAccount(t, { tenantId: tenant.tenantId });
    for (let i = 0; i < 4; i++) {
      const res = await t.http.get('/api/v1/sites').set(user.auth).expect(200);
      expect(res.headers['x-ratelimit-limit']).toBe('4');
    }
    const refused = await t.http.get('/api/v1/auth/me').set(user.auth).expect(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await t.http.get('/api/v1/sites').set(other.auth).expect(200);
  });

  it('records one rate_limited security event per window, visible to the tenant admin', async () => {
    const key = await anApiKey(t, await anAdmin());
    for (let i = 0; i < 3; i++) await t.http.get('/api/v1/sites').set(key.header).expect(200);
    for (let i = 0; i < 3; i++) await t.http.get('/api/v1/sites').set(key.header).expect(429);
    const admin = await anAdmin();
    const events = await t.http
      .get('/api/v1/security-events?type=rate_limited&limit=200')
      .set(admin.auth)
      .expect(200);
    const mine = events.body.items.filter((e: { apiKeyId: string }) => e.apiKeyId === key.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ tenantId: tenant.tenantId, details: { limitPerMinute: 3 } });
  });
});
