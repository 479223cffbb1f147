import { KilowattClient } from '../../examples/typescript-client/kilowatt-client';
import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin, anAccount, anApiKey } from '../factories/accounts';
import * as client from '../../examples/typescript-client/kilowatt-client';
import { aStation, withConnectorStatus } from '../factories/stations';
import { SecuredKey, aSecuredKey, nowSeconds, signedRequest, verifies } from './integrator.helpers';

describe('integrator security: signed requests', () => {
  let t: TestApp;
  let tenant: { tenantId: string; admin: TestAccount };
  let key: SecuredKey;
  beforeAll(async () => {
    t = await startApp();
    tenant = await aTenantWithAdmin(t);
    key = await aSecuredKey(t, tenant.admin, { requireSignature: true });
  });
  afterAll(() => t.close());

  describe('key security settings', () => {
    it('start with nothing required and the server default rate limit', async () => {
      const plain = await anApiKey(t, tenant.admin);
      const res = await t.http
        .get(`/api/v1/api-keys/${plain.id}/security`)
        .set(tenant.admin.auth)
        .expect(200);
      expect(res.body).toEqual({
        apiKeyId: plain.id,
        requireSignature: false,
        requireEncryption: false,
        rateLimitPerMinute: null,
        effectiveRateLimitPerMinute: 600,
        signatureWindowSeconds: 300,
        keysIssuedAt: null,
      });
    });

    it('refuses to require a signature before the keys are issued (409), so no key is locked out', async () => {
      const plain = await anApiKey(t, tenant.admin);
      const res = await t.http
        .patch(`/api/v1/api-keys/${plain.id}/security`)
        .set(tenant.admin.auth)
        .send({ requireSignature: true })
        .expect(409);
      expect(res.body.code).toBe('CONFLICT');
    });

    it('issues two distinct random 32-byte keys, shown once and never listed', async () => {
      const plain = await anApiKey(t, tenant.admin);
      const res = await t.http
        .post(`/api/v1/api-keys/${plain.id}/security/keys`)
        .set(tenant.admin.auth)
        .expect(201);
      expect(Buffer.from(res.body.signingKey, 'base64')).toHaveLength(32);
      expect(Buffer.from(res.body.encryptionKey, 'base64')).toHaveLength(32);
      expect(res.body.signingKey).not.toBe(res.body.encryptionKey);
      const again = await t.http
        .get(`/api/v1/api-keys/${plain.id}/security`)
        .set(tenant.admin.auth)
        .expect(200);
      expect(JSON.stringify(again.body)).not.toContain(res.body.signingKey);
      expect(again.body.keysIssuedAt).toEqual(expect.any(String));
    });

    it('answers 404 for another tenant’s key, 403 to a user and to an API key', async () => {
      const other = await aTenantWithAdmin(t);
      await t.http.get(`/api/v1/api-keys/${key.id}/security`).set(other.admin.auth).expect(404);
      await t.http.post(`/api/v1/api-keys/${key.id}/security/keys`).set(other.admin.auth).expect(404);
      const user = await anAccount(t, { tenantId: tenant.tenantId });
      await t.http.get(`/api/v1/api-keys/${key.id}/security`).set(user.auth).expect(403);
      const adminKey = await anApiKey(t, tenant.admin, ['admin']);
      await t.http.get(`/api/v1/api-keys/${key.id}/security`).set(adminKey.header).expect(403);
    });

    it('names the bad fields of a settings change', async () => {
      const res = await t.http
        .patch(`/api/v1/api-keys/${key.id}/security`)
        .set(tenant.admin.auth)
        .send({ requireSignature: 'yes', rateLimitPerMinute: 0 })
        .expect(400);
      expect(res.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
        'rateLimitPerMinute',
        'requireSignature',
      ]);
    });
  });

  it('accepts a signed GET and signs the response so the client can verify it', async () => {
    const { res, nonce } = await signedRequest(t, key, { method: 'GET', path: '/api/v1/stations?limit=5' });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    expect(verifies(key, nonce, res)).toBe(true);
    expect(verifies({ ...key, signingKey: key.encryptionKey }, nonce, res)).toBe(false);
  });

  it('accepts a signed POST and validates its body as usual', async () => {
    const body = JSON.stringify({ name: 'Depot North', city: 'Berlin' });
    const { res, nonce } = await signedRequest(t, key, { method: 'POST', path: '/api/v1/sites', body });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Depot North', city: 'Berlin' });
    expect(verifies(key, nonce, res)).toBe(true);
    const bad = await signedRequest(t, key, { method: 'POST', path: '/api/v1/sites', body: '{"name":""}' });
    expect(bad.res.status).toBe(400);
    expect(bad.res.body.code).toBe('VALIDATION_FAILED');
  });

  it('answers 401 SIGNATURE_MISSING without the headers, and signs that error too', async () => {
    const res = await t.http.get('/api/v1/stations').set(key.header).expect(401);
    expect(res.body.code).toBe('SIGNATURE_MISSING');
    expect(verifies(key, '', res)).toBe(true);
    const partial = await t.http
      .get('/api/v1/stations')
      .set(key.header)
      .set({ 'X-Timestamp': nowSeconds(), 'X-Nonce': 'abcdefabcdefabcdef01' })
      .expect(401);
    expect(partial.body.code).toBe('SIGNATURE_MISSING');
  });

  it('answers SIGNATURE_INVALID for a signature made with the wrong key', async () => {
    const { res } = await signedRequest(t, key, {
      method: 'GET',
      path: '/api/v1/stations',
      signingKey: key.encryptionKey,
    });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('SIGNATURE_INVALID');
  });

  it.each([
    ['a tampered body', { body: '{"name":"Depot South"}' }],
    ['a tampered path', { path: '/api/v1/sites?x=1' }],
    ['a different method', { method: 'PATCH' }],
  ])('answers SIGNATURE_INVALID for %s', async (_name, signed) => {
    const { res } = await signedRequest(t, key, {
      method: 'POST',
      path: '/api/v1/sites',
      body: '{"name":"Depot North"}',
      signed,
    });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('SIGNATURE_INVALID');
  });

  it('answers SIGNATURE_INVALID for a tampered query string', async () => {
    const { res } = await signedRequest(t, key, {
      method: 'GET',
      path: '/api/v1/stations?limit=50',
      signed: { path: '/api/v1/stations?limit=5' },
    });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('SIGNATURE_INVALID');
  });

  it.each([
    ['6 minutes old', -360],
    ['6 minutes ahead', 360],
  ])('answers TIMESTAMP_OUT_OF_WINDOW for a correctly signed request %s', async (_name, offset) => {
    const timestamp = String(Math.floor(Date.now() / 1000) + offset);
    const { res } = await signedRequest(t, key, { method: 'GET', path: '/api/v1/stations', timestamp });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TIMESTAMP_OUT_OF_WINDOW');
  });

  it('accepts a timestamp 4 minutes off, inside the default ±5 minute window', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000) - 240);
    const { res } = await signedRequest(t, key, { method: 'GET', path: '/api/v1/stations', timestamp });
    expect(res.status).toBe(200);
  });

  it('answers NONCE_REUSED to a replay of an accepted request, even with a fresh signature', async () => {
    const call = { method: 'GET' as const, path: '/api/v1/sites', nonce: `replay-${Date.now()}-abcdef` };
    expect((await signedRequest(t, key, call)).res.status).toBe(200);
    const replay = await signedRequest(t, key, call);
    expect(replay.res.status).toBe(401);
    expect(replay.res.body.code).toBe('NONCE_REUSED');
  });

  it('keeps nonces per key: another key may use the same nonce', async () => {
    const other = await aSecuredKey(t, tenant.admin, { requireSignature: true });
    const nonce = `shared-${Date.now()}-abcdef`;
    expect((await signedRequest(t, key, { method: 'GET', path: '/api/v1/sites', nonce })).res.status).toBe(
      200,
    );
    expect((await signedRequest(t, other, { method: 'GET', path: '/api/v1/sites', nonce })).res.status).toBe(
      200,
    );
  });

  it('requires the signature from a client-credentials token of the key too', async () => {
    const token = await t.http
      .post('/api/v1/auth/token')
      .send({ keyId: key.id, secret: key.secret })
      .expect(200);
    const bearer = { Authorization: `Bearer ${token.body.accessToken}` };
    const res = await t.http.get('/api/v1/stations').set(bearer).expect(401);
    expect(res.body.code).toBe('SIGNATURE_MISSING');
  });

  it('stops accepting the old signing key once the keys are rotated', async () => {
    const rotating = await aSecuredKey(t, tenant.admin, { requireSignature: true });
    const rotated = await t.http
      .post(`/api/v1/api-keys/${rotating.id}/security/keys`)
      .set(tenant.admin.auth)
      .expect(201);
    const old = await signedRequest(t, rotating, { method: 'GET', path: '/api/v1/sites' });
    expect(old.res.body.code).toBe('SIGNATURE_INVALID');
    const fresh = await signedRequest(
      t,
      { ...rotating, signingKey: rotated.body.signingKey },
      {
        method: 'GET',
        path: '/api/v1/sites',
      },
    );
    expect(fresh.res.status).toBe(200);
  });

  it('keeps keys without requirements working unsigned, and verifies a signature they send anyway', async () => {
    const plain = await aSecuredKey(t, tenant.admin, {});
    const res = await t.http.get('/api/v1/stations').set(plain.header).expect(200);
    expect(res.headers['x-signature']).toBeUndefined();
    const signed = await signedRequest(t, plain, { method: 'GET', path: '/api/v1/stations' });
    expect(signed.res.status).toBe(200);
    expect(verifies(plain, signed.nonce, signed.res)).toBe(true);
    const wrong = await signedRequest(t, plain, {
      method: 'GET',
      path: '/api/v1/stations',
      signingKey: plain.encryptionKey,
    });
    expect(wrong.res.body.code).toBe('SIGNATURE_INVALID');
  });

  it('leaves accounts (JWT) untouched by signature requirements', async () => {
    const res = await t.http.get('/api/v1/stations').set(tenant.admin.auth).expect(200);
    expect(res.headers['x-signature']).toBeUndefined();
  });

  it('works with the example client end to end, verifying every response', async () => {
    const c = new KilowattClient({ baseUrl: t.baseUrl, apiKey: key.key, signingKey: key.signingKey });
    const created = await c.request<{ id: string; name: string }>('POST', '/api/v1/sites', {
      name: 'Client depot',
    });
    expect(created).toMatchObject({ status: 201, verified: true, body: { name: 'Client depot' } });
    const read = await c.request<{ id: string }>('GET', `/api/v1/sites/${created.body.id}`);
    expect(read).toMatchObject({ status: 200, verified: true, body: { id: created.body.id } });
  });

  it('signs a refusal made before its own checks run (a read-only key calling a write route: 403)', async () => {
    const readOnly = await aSecuredKey(t, tenant.admin, { requireSignature: true }, ['read']);
    const { res, nonce } = await signedRequest(t, readOnly, {
      method: 'POST',
      path: '/api/v1/sites',
      body: '{"name":"x"}',
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(verifies(readOnly, nonce, res)).toBe(true);
  });

  it('signs binary responses over their bytes (a connector QR code as PNG)', async () => {
    const station = await aStation(t, tenant.admin);
    await withConnectorStatus(t, station.id, 1, 'Available');
    const path = `/api/v1/stations/${station.id}/connectors/1/qr`;
    const headers = client.signatureHeaders(key.signingKey, 'GET', path, '');
    const res = await t.http
      .get(path)
      .set(key.header)
      .set(headers as unknown as Record<string, string>)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const png = res.body as Buffer;
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(res.headers['content-length']).toBe(String(png.length));
    const sig = { timestamp: res.headers['x-timestamp'], signature: res.headers['x-signature'] };
    expect(client.verifyResponse(key.signingKey, headers['X-Nonce'], 200, sig, png)).toBe(true);
  });

  it('describes the signature headers, the envelope and the security routes in Swagger', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    expect(doc.components.parameters.XSignature).toMatchObject({
      in: 'header',
      name: 'X-Signature',
      required: false,
    });
    expect(doc.components.headers.XRateLimitRemaining.description).toContain('left');
    const listStations = doc.paths['/api/v1/stations'].get;
    expect(listStations.parameters).toEqual(
      expect.arrayContaining([
        { $ref: '#/components/parameters/XTimestamp' },
        { $ref: '#/components/parameters/XNonce' },
      ]),
    );
    expect(listStations.responses['200'].headers['X-Signature']).toEqual({
      $ref: '#/components/headers/XSignature',
    });
    expect(doc.components.schemas.EncryptedEnvelope.properties.encrypted.type).toBe('string');
    expect(doc.info.description).toContain('ENVELOPE_INVALID');
    expect(doc.paths['/api/v1/api-keys/{id}/security/keys'].post.responses['201']).toBeDefined();
    expect(doc.paths['/api/v1/security-events'].get.responses['200']).toBeDefined();
    expect(doc.info.description).toContain('429 `RATE_LIMITED` with `Retry-After`');
  });
});
