import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import * as client from '../../examples/typescript-client/kilowatt-client';
import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin } from '../factories/accounts';
import { SecuredKey, aSecuredKey, signedRequest, verifies } from './integrator.helpers';

const flipLastByte = (b64: string) => {
  const raw = Buffer.from(b64, 'base64');
  raw[raw.length - 1] ^= 0x01;
  return raw.toString('base64');
};

describe('integrator security: encrypted bodies', () => {
  let t: TestApp;
  let tenant: { tenantId: string; admin: TestAccount };
  let key: SecuredKey;
  beforeAll(async () => {
    t = await startApp();
    tenant = await aTenantWithAdmin(t);
    key = await aSecuredKey(t, tenant.admin, { requireSignature: true, requireEncryption: true });
  });
  afterAll(() => t.close());

  const envelope = (plaintext: string, encryptionKey = key.encryptionKey) =>
    JSON.stringify({ encrypted: client.encrypt(encryptionKey, plaintext) });

  it('decrypts the request, validates the plaintext, and answers encrypted and signed', async () => {
    const body = envelope(JSON.stringify({ name: 'Sealed depot', city: 'Hamburg' }));
    const { res, nonce } = await signedRequest(t, key, { method: 'POST', path: '/api/v1/sites', body });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['encrypted']);
    expect(res.text).not.toContain('Sealed depot');
    expect(verifies(key, nonce, res)).toBe(true);
    const site = JSON.parse(client.decrypt(key.encryptionKey, res.body.encrypted));
    expect(site).toMatchObject({ name: 'Sealed depot', city: 'Hamburg', id: expect.any(String) });
  });

  it('runs DTO validation on the decrypted body (400 naming the field, signed, readable)', async () => {
    const body = envelope(JSON.stringify({ name: '', unknownField: 1 }));
    const { res, nonce } = await signedRequest(t, key, { method: 'POST', path: '/api/v1/sites', body });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(
      expect.arrayContaining(['name', 'unknownField']),
    );
    expect(verifies(key, nonce, res)).toBe(true);
  });

  it('encrypts GET responses too', async () => {
    const { res, nonce } = await signedRequest(t, key, { method: 'GET', path: '/api/v1/sites' });
    expect(res.status).toBe(200);
    expect(verifies(key, nonce, res)).toBe(true);
    const page = JSON.parse(client.decrypt(key.encryptionKey, res.body.encrypted));
    expect(page.items.map((s: { name: string }) => s.name)).toContain('Sealed depot');
  });

  it.each([
    ['a plain JSON body', () => JSON.stringify({ name: 'Plain depot' })],
    [
      'an envelope with a corrupted tag',
      () => JSON.stringify({ encrypted: flipLastByte(client.encrypt(key.encryptionKey, '{"name":"x"}')) }),
    ],
    ['an envelope made with the signing key', () => envelope('{"name":"x"}', key.signingKey)],
    [
      'an envelope with extra fields',
      () => JSON.stringify({ encrypted: client.encrypt(key.encryptionKey, '{}'), name: 'x' }),
    ],
    ['an envelope that is not base64', () => JSON.stringify({ encrypted: '***' })],
    ['an envelope whose plaintext is not JSON', () => envelope('not json')],
  ])('answers 400 ENVELOPE_INVALID to %s', async (_name, makeBody) => {
    const { res, nonce } = await signedRequest(t, key, {
      method: 'POST',
      path: '/api/v1/sites',
      body: makeBody(),
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('ENVELOPE_INVALID');
    expect(verifies(key, nonce, res)).toBe(true);
  });

  it('checks the signature before opening the envelope: a tampered envelope is SIGNATURE_INVALID', async () => {
    const sent = envelope('{"name":"x"}');
    const { res } = await signedRequest(t, key, {
      method: 'POST',
      path: '/api/v1/sites',
      body: sent,
      signed: { body: envelope('{"name":"x"}') },
    });
    expect(res.body.code).toBe('SIGNATURE_INVALID');
  });

  it('lets an encryption-only key send encrypted bodies without signing', async () => {
    const sealedOnly = await aSecuredKey(t, tenant.admin, { requireEncryption: true });
    const res = await t.http
      .post('/api/v1/sites')
      .set(sealedOnly.header)
      .set('Content-Type', 'application/json')
      .send(envelope('{"name":"Only sealed"}', sealedOnly.encryptionKey))
      .expect(201);
    expect(res.headers['x-signature']).toBeUndefined();
    expect(JSON.parse(client.decrypt(sealedOnly.encryptionKey, res.body.encrypted)).name).toBe('Only sealed');
  });

  it('works with the example client: signed and encrypted both ways, responses verified', async () => {
    const c = new client.KilowattClient({
      baseUrl: t.baseUrl,
      apiKey: key.key,
      signingKey: key.signingKey,
      encryptionKey: key.encryptionKey,
    });
    const created = await c.request<{ id: string; name: string }>('POST', '/api/v1/sites', {
      name: 'Client sealed',
    });
    expect(created).toMatchObject({ status: 201, verified: true, body: { name: 'Client sealed' } });
    const stations = await c.request<{ items: unknown[] }>('GET', '/api/v1/stations?limit=10');
    expect(stations).toMatchObject({ status: 200, verified: true, body: { items: [] } });
    const missing = await c.request<{ code: string }>(
      'GET',
      '/api/v1/sites/00000000-0000-4000-8000-000000000000',
    );
    expect(missing).toMatchObject({ status: 404, verified: true, body: { code: 'NOT_FOUND' } });
  });
});

describe('integrator security over HTTPS (TLS_CERT_FILE / TLS_KEY_FILE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kilowatt-integrator-tls-'));
  let t: TestApp;
  let key: SecuredKey;
  beforeAll(async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        'server.key',
        '-out',
        'server.crt',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { cwd: dir, stdio: 'ignore' },
    );
    t = await startApp({ TLS_CERT_FILE: join(dir, 'server.crt'), TLS_KEY_FILE: join(dir, 'server.key') });
    const tenant = await aTenantWithAdmin(t);
    // The admin's own setup calls go over https too, trusting the test certificate.
    const trusted = {
      ...t,
      http: request.agent(t.app.getHttpServer()).ca(readFileSync(join(dir, 'server.crt'))),
    };
    key = await aSecuredKey(trusted as TestApp, tenant.admin, {
      requireSignature: true,
      requireEncryption: true,
    });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a signed, encrypted request over https and answers verifiably', async () => {
    const port = (t.app.getHttpServer().address() as { port: number }).port;
    const body = JSON.stringify({ encrypted: client.encrypt(key.encryptionKey, '{"name":"TLS depot"}') });
    const headers = client.signatureHeaders(key.signingKey, 'POST', '/api/v1/sites', body);
    const res = await new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
      (resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/v1/sites',
            ca: readFileSync(join(dir, 'server.crt')),
            headers: { ...headers, 'X-API-Key': key.key, 'Content-Type': 'application/json' },
          },
          (r) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () =>
              resolve({ status: r.statusCode ?? 0, headers: r.headers, body: Buffer.concat(chunks) }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      },
    );
    expect(res.status).toBe(201);
    const sig = {
      timestamp: String(res.headers['x-timestamp']),
      signature: String(res.headers['x-signature']),
    };
    expect(client.verifyResponse(key.signingKey, headers['X-Nonce'], 201, sig, res.body)).toBe(true);
    const envelopeBody = JSON.parse(res.body.toString('utf8'));
    expect(JSON.parse(client.decrypt(key.encryptionKey, envelopeBody.encrypted)).name).toBe('TLS depot');
  });
});
