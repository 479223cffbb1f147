import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT_PASSWORD, TestApp, freshDatabase, startApp } from '../app';
import { TEST_PASSWORD, aDefaultTenantAdmin, aTenantWithAdmin, aUser, loginAs } from '../factories/accounts';

describe('foundation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('answers health with the database engine in use', async () => {
    const res = await t.http.get('/api/v1/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      database: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite',
    });
  });

  it('serves Prometheus metrics including HTTP timings', async () => {
    await t.http.get('/api/v1/health');
    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toContain('kilowatt_http_request_duration_seconds_bucket');
    expect(res.text).toContain('route="/api/v1/health"');
  });

  it('publishes Swagger JSON with both security schemes', async () => {
    const res = await t.http.get('/docs-json').expect(200);
    expect(Object.keys(res.body.components.securitySchemes).sort()).toEqual(['api-key', 'bearer']);
    expect(res.body.paths['/api/signup']).toBeDefined();
    const html = await t.http.get('/docs').expect(200);
    expect(html.text).toContain('swagger');
  });

  it('documents the live /events socket: handshake, authentication, messages and close codes', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    const op = doc.paths['/events'].get;
    expect(Object.keys(op.responses)).toContain('101');
    for (const text of ['Upgrade: websocket', 'access_token', '"subscribe"', '4401', '4403', '4408', '4429'])
      expect(op.description).toContain(text);
    expect(doc.components.schemas.ErrorResponse).toBeDefined();
  });

  it('serves Swagger UI that works over plain http at any host name', async () => {
    const page = await t.http.get('/docs').set('Host', 'kilowatt.example.com:3000').expect(200);
    expect(page.text).toContain('<title>Kilowatt open interface</title>');
    // upgrade-insecure-requests would make the browser fetch the UI's assets over https.
    expect(page.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    const init = await t.http.get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('"persistAuthorization": true');
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    expect(doc.tags.map((tag: { name: string }) => tag.name).slice(0, 2)).toEqual([
      'auth',
      'seed-compatible',
    ]);
    // "Try it out" must not send example signature headers for keys that need none.
    const signature = doc.components.parameters.XSignature;
    expect(signature.schema.example).toBeUndefined();
  });

  it('answers an unknown route with the error shape and a stable code', async () => {
    const res = await t.http.get('/api/v1/nothing-here').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'NOT_FOUND' });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('rejects unknown fields and names every bad field', async () => {
    const res = await t.http
      .post('/api/signup')
      .send({ username: 'x', password: 'short', role: 'root' })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.details.fields.map((f: { field: string }) => f.field).sort();
    expect(fields).toEqual(['password', 'role', 'username']);
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const res = await t.http
      .post('/api/login')
      .set('Content-Type', 'application/json')
      .send('{"username":')
      .expect(400);
    expect(res.body.code).toBe('BAD_REQUEST');
  });

  it('echoes a given request id and generates one otherwise', async () => {
    const given = await t.http.get('/api/v1/health').set('X-Request-Id', 'trace-abc-123');
    expect(given.headers['x-request-id']).toBe('trace-abc-123');
    const generated = await t.http.get('/api/v1/health');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers', async () => {
    const res = await t.http.get('/api/v1/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('created the root account from ROOT_PASSWORD on first start', async () => {
    const root = await loginAs(t, 'root', ROOT_PASSWORD);
    expect(root.token).toEqual(expect.any(String));
  });

  it('signs up and logs in with the seed-compatible shapes', async () => {
    const signup = await t.http
      .post('/api/signup')
      .send({ username: 'seeduser', password: TEST_PASSWORD })
      .expect(201);
    expect(Object.keys(signup.body).sort()).toEqual(['access_token', 'idTag']);
    expect(signup.body.idTag).toMatch(/^[0-9A-Z]{1,20}$/);
    const login = await t.http
      .post('/api/login')
      .send({ username: 'seeduser', password: TEST_PASSWORD })
      .expect(200);
    expect(login.body.idTag).toBe(signup.body.idTag);
    await t.http.post('/api/login').send({ username: 'seeduser', password: 'wrong-password' }).expect(401);
  });

  it('gives each account a distinct idTag of at most 20 characters', async () => {
    const a = await aUser(t);
    const b = await aUser(t);
    expect(a.idTag).not.toBe(b.idTag);
    expect(a.idTag.length).toBeLessThanOrEqual(20);
  });
});

describe('restart', () => {
  it('keeps accounts and the generated JWT key across a restart', async () => {
    // PGlite keeps its data in the data directory; a PostgreSQL run keeps it in one database.
    const dir = mkdtempSync(join(tmpdir(), 'kilowatt-restart-'));
    const pg = process.env.TEST_DATABASE_URL ? await freshDatabase() : null;
    const opts = { dataDir: dir, databaseUrl: pg?.env.DATABASE_URL };
    try {
      const first = await startApp({}, opts);
      const signup = await first.http
        .post('/api/signup')
        .send({ username: 'survivor', password: TEST_PASSWORD });
      await first.close();
      const second = await startApp({}, opts);
      const login = await second.http
        .post('/api/login')
        .send({ username: 'survivor', password: TEST_PASSWORD })
        .expect(200);
      expect(login.body.idTag).toBe(signup.body.idTag);
      // The generated JWT key was kept too: the old token still works.
      await second.http
        .get('/api/v1/health')
        .set('Authorization', `Bearer ${signup.body.access_token}`)
        .expect(200);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await pg?.drop();
    }
  });
});

describe('configuration', () => {
  const run = promisify(execFile);
  it('stops with one clear line naming a bad variable', async () => {
    const err = await run(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      env: { ...process.env, PORT: 'abc', LOG_LEVEL: 'loud' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    const stderr = (err as { stderr: string }).stderr.trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('LOG_LEVEL');
  });
});

describe('test factories', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('creates a second tenant with a working admin login', async () => {
    const { tenantId, admin } = await aTenantWithAdmin(t);
    const other = await aDefaultTenantAdmin(t);
    expect(tenantId).toMatch(/^[0-9a-f-]{36}$/);
    expect(admin.token).not.toBe(other.token);
  });
});
