import { TestApp, startApp } from '../app';
import {
  TEST_PASSWORD,
  TestAccount,
  aTenantWithAdmin,
  aUser,
  anApiKey,
  theRoot,
} from '../factories/accounts';

describe('API keys', () => {
  let t: TestApp;
  let root: TestAccount;
  let tenant: { tenantId: string; admin: TestAccount };
  let foreign: { tenantId: string; admin: TestAccount };
  beforeAll(async () => {
    t = await startApp();
    root = await theRoot(t);
    tenant = await aTenantWithAdmin(t);
    foreign = await aTenantWithAdmin(t);
  });
  afterAll(() => t.close());

  it('issues a key whose secret is shown once; listing shows the prefix, never the secret or its hash', async () => {
    const res = await t.http
      .post('/api/v1/api-keys')
      .set(tenant.admin.auth)
      .send({ name: 'App backend', scopes: ['read', 'charge'] })
      .expect(201);
    expect(res.body).toMatchObject({
      name: 'App backend',
      scopes: ['read', 'charge'],
      tenantId: tenant.tenantId,
    });
    expect(res.body.key).toBe(`kw_${res.body.prefix}_${res.body.secret}`);
    const list = await t.http.get('/api/v1/api-keys').set(tenant.admin.auth).expect(200);
    const listed = list.body.items.find((k: { id: string }) => k.id === res.body.id);
    expect(listed).toMatchObject({ prefix: res.body.prefix, lastUsedAt: null, revokedAt: null });
    const text =
      JSON.stringify(list.body) +
      JSON.stringify((await t.http.get(`/api/v1/api-keys/${res.body.id}`).set(tenant.admin.auth)).body);
    expect(text).not.toContain(res.body.secret);
    expect(text).not.toMatch(/secretHash|secret_hash|"secret"|"key"/);
  });

  it('names the bad fields of an invalid key request', async () => {
    const res = await t.http
      .post('/api/v1/api-keys')
      .set(tenant.admin.auth)
      .send({ name: '', scopes: ['root'] })
      .expect(400);
    const fields = res.body.details.fields.map((f: { field: string }) => f.field).sort();
    expect(fields).toEqual(['name', 'scopes']);
  });

  it('authenticates X-API-Key and records when the key was last used', async () => {
    const key = await anApiKey(t, tenant.admin, ['admin']);
    await t.http.get('/api/v1/users').set(key.header).expect(200);
    const after = await t.http.get(`/api/v1/api-keys/${key.id}`).set(tenant.admin.auth).expect(200);
    expect(new Date(after.body.lastUsedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('a revoked key answers 401, and so does a token exchanged for it before', async () => {
    const key = await anApiKey(t, tenant.admin, ['admin']);
    const token = await t.http
      .post('/api/v1/auth/token')
      .send({ keyId: key.id, secret: key.secret })
      .expect(200);
    const bearer = { Authorization: `Bearer ${token.body.accessToken}` };
    await t.http.get('/api/v1/users').set(bearer).expect(200);
    await t.http.delete(`/api/v1/api-keys/${key.id}`).set(tenant.admin.auth).expect(204);
    const res = await t.http.get('/api/v1/users').set(key.header).expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    await t.http.get('/api/v1/users').set(bearer).expect(401);
    await t.http.post('/api/v1/auth/token').send({ keyId: key.id, secret: key.secret }).expect(401);
    const listed = await t.http.get(`/api/v1/api-keys/${key.id}`).set(tenant.admin.auth).expect(200);
    expect(listed.body.revokedAt).not.toBeNull();
  });

  it('an expired key answers 401', async () => {
    const expiresAt = t.clock.nowMs() + 60_000;
    const key = await anApiKey(t, tenant.admin, ['read'], { expiresAt: new Date(expiresAt).toISOString() });
    await t.http.get('/api/v1/id-tags').set(key.header).expect(403); // valid, but the route needs an account
    t.clock.advance(expiresAt - t.clock.nowMs() - 1_000);
    await t.http.get('/api/v1/id-tags').set(key.header).expect(403); // a second before its expiry
    t.clock.advance(2_000);
    const res = await t.http.get('/api/v1/id-tags').set(key.header).expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('answers 401 for a wrong secret with a real prefix, and for malformed keys', async () => {
    const key = await anApiKey(t, tenant.admin, ['admin']);
    const prefix = key.key.split('_')[1];
    for (const bad of [`kw_${prefix}_${'A'.repeat(43)}`, 'kw_nope', key.key.slice(0, -1), `${key.key}x`]) {
      await t.http.get('/api/v1/users').set('X-API-Key', bad).expect(401);
    }
  });

  it('exchanges key id and secret for a short-lived bearer token that acts as the key', async () => {
    const key = await anApiKey(t, tenant.admin, ['read', 'charge']);
    const res = await t.http
      .post('/api/v1/auth/token')
      .send({ keyId: key.id, secret: key.secret })
      .expect(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 300, scopes: ['read', 'charge'] });
    const claims = JSON.parse(Buffer.from(res.body.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(300);
    const bearer = { Authorization: `Bearer ${res.body.accessToken}` };
    await t.http.get('/api/v1/users').set(bearer).expect(403); // read scope acts as role user
    const wrong = await t.http.post('/api/v1/auth/token').send({ keyId: key.id, secret: 'nope' }).expect(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    await t.http.post('/api/v1/auth/token').send({ keyId: 'not-a-uuid', secret: key.secret }).expect(401);
  });

  it('maps scopes: read cannot write, admin does its tenant’s admin routes, and a key is never root', async () => {
    const read = await anApiKey(t, tenant.admin, ['read']);
    const admin = await anApiKey(t, tenant.admin, ['admin']);
    const rootKey = await anApiKey(t, root, ['admin']); // root's key acts in root's tenant, as admin
    await t.http.post('/api/v1/id-tags').set(read.header).send({ idTag: 'READKEY01' }).expect(403);
    const created = await t.http
      .post('/api/v1/id-tags')
      .set(admin.header)
      .send({ idTag: 'ADMINKEY01', vehicleLabel: 'Fleet van' })
      .expect(201);
    expect(created.body.tenantId).toBe(tenant.tenantId);
    for (const k of [admin, rootKey]) {
      await t.http.get('/api/v1/tenants').set(k.header).expect(403);
      await t.http
        .post('/api/v1/users')
        .set(k.header)
        .send({ username: 'keyroot', password: TEST_PASSWORD, role: 'root' })
        .expect(403);
    }
  });

  it('keys cannot manage keys', async () => {
    const admin = await anApiKey(t, tenant.admin, ['admin']);
    await t.http.get('/api/v1/api-keys').set(admin.header).expect(403);
    await t.http
      .post('/api/v1/api-keys')
      .set(admin.header)
      .send({ name: 'x', scopes: ['admin'] })
      .expect(403);
  });

  it("answers 404 for another tenant's key on get and revoke, and leaves it working", async () => {
    const theirs = await anApiKey(t, foreign.admin, ['admin']);
    await t.http.get(`/api/v1/api-keys/${theirs.id}`).set(tenant.admin.auth).expect(404);
    await t.http.delete(`/api/v1/api-keys/${theirs.id}`).set(tenant.admin.auth).expect(404);
    await t.http.get('/api/v1/users').set(theirs.header).expect(200);
    const mine = await t.http
      .get('/api/v1/api-keys')
      .query({ limit: 200 })
      .set(tenant.admin.auth)
      .expect(200);
    expect(mine.body.items.map((k: { id: string }) => k.id)).not.toContain(theirs.id);
    const res = await t.http
      .post('/api/v1/api-keys')
      .set(tenant.admin.auth)
      .send({ name: 'x', scopes: ['read'], tenantId: foreign.tenantId })
      .expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('root issues keys for any tenant and lists them per tenant', async () => {
    const key = await anApiKey(t, root, ['read'], { tenantId: foreign.tenantId });
    expect(key.tenantId).toBe(foreign.tenantId);
    const list = await t.http
      .get('/api/v1/api-keys')
      .query({ tenantId: foreign.tenantId })
      .set(root.auth)
      .expect(200);
    for (const k of list.body.items) expect(k.tenantId).toBe(foreign.tenantId);
    expect(list.body.items.map((k: { id: string }) => k.id)).toContain(key.id);
  });

  it('a user cannot issue keys', async () => {
    const u = await aUser(t);
    await t.http
      .post('/api/v1/api-keys')
      .set(u.auth)
      .send({ name: 'x', scopes: ['read'] })
      .expect(403);
  });

  it('ignores X-API-Key when a bearer token is also sent: one credential per request', async () => {
    const key = await anApiKey(t, tenant.admin, ['admin']);
    await t.http.get('/api/v1/users').set(key.header).set('Authorization', 'Bearer garbage').expect(401);
  });
});
