import type { Response } from 'supertest';
import { TestApp, startApp } from '../app';
import {
  TestAccount,
  aTenantWithAdmin,
  anAccount,
  anApiKey,
  theRoot,
  uniqueName,
} from '../factories/accounts';

describe('tenants', () => {
  let t: TestApp;
  let root: TestAccount;
  beforeAll(async () => {
    t = await startApp();
    root = await theRoot(t);
  });
  afterAll(() => t.close());

  it('the default tenant exists from the first start', async () => {
    const res = await t.http.get('/api/v1/tenants').set(root.auth).expect(200);
    expect(res.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ slug: 'default', status: 'active' })]),
    );
  });

  it('root creates, reads, lists and updates a tenant', async () => {
    const slug = uniqueName('t');
    const created = await t.http
      .post('/api/v1/tenants')
      .set(root.auth)
      .send({ name: 'Voltway', slug, allowAutoRegistration: true })
      .expect(201);
    expect(created.body).toMatchObject({
      slug,
      name: 'Voltway',
      status: 'active',
      allowAutoRegistration: true,
      allowUserReservations: false,
    });
    const got = await t.http.get(`/api/v1/tenants/${created.body.id}`).set(root.auth).expect(200);
    expect(got.body.id).toBe(created.body.id);
    const patched = await t.http
      .patch(`/api/v1/tenants/${created.body.id}`)
      .set(root.auth)
      .send({ name: 'Voltway Ltd', allowUserReservations: true })
      .expect(200);
    expect(patched.body).toMatchObject({
      name: 'Voltway Ltd',
      allowUserReservations: true,
      allowAutoRegistration: true,
    });
    const unchanged = await t.http
      .patch(`/api/v1/tenants/${created.body.id}`)
      .set(root.auth)
      .send({ name: null })
      .expect(200);
    expect(unchanged.body.name).toBe('Voltway Ltd');
  });

  it('answers 409 SLUG_TAKEN for a duplicate slug and 400 naming a bad slug', async () => {
    const slug = uniqueName('t');
    await t.http.post('/api/v1/tenants').set(root.auth).send({ name: 'A', slug }).expect(201);
    const dup = await t.http.post('/api/v1/tenants').set(root.auth).send({ name: 'B', slug }).expect(409);
    expect(dup.body.code).toBe('SLUG_TAKEN');
    const bad = await t.http
      .post('/api/v1/tenants')
      .set(root.auth)
      .send({ name: 'C', slug: 'Not A Slug!' })
      .expect(400);
    expect(bad.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['slug']);
  });

  it('pages through tenants with a cursor', async () => {
    for (let i = 0; i < 3; i++) {
      await t.http
        .post('/api/v1/tenants')
        .set(root.auth)
        .send({ name: 'P', slug: uniqueName('p') })
        .expect(201);
    }
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Response = await t.http
        .get('/api/v1/tenants')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(root.auth)
        .expect(200);
      ids.push(...page.body.items.map((x: { id: string }) => x.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(4);
  });

  it('answers 404 for an unknown tenant', async () => {
    await t.http.get('/api/v1/tenants/00000000-0000-4000-8000-000000000000').set(root.auth).expect(404);
    await t.http
      .patch('/api/v1/tenants/00000000-0000-4000-8000-000000000000')
      .set(root.auth)
      .send({})
      .expect(404);
  });

  it('refuses tenant routes to admins, even for their own tenant', async () => {
    const { tenantId, admin } = await aTenantWithAdmin(t);
    await t.http.get(`/api/v1/tenants/${tenantId}`).set(admin.auth).expect(403);
    await t.http.patch(`/api/v1/tenants/${tenantId}`).set(admin.auth).send({ name: 'mine' }).expect(403);
  });

  it('cannot disable the default tenant', async () => {
    const list = await t.http.get('/api/v1/tenants').query({ limit: 200 }).set(root.auth);
    const def = list.body.items.find((x: { slug: string }) => x.slug === 'default');
    const res = await t.http
      .patch(`/api/v1/tenants/${def.id}`)
      .set(root.auth)
      .send({ status: 'disabled' })
      .expect(409);
    expect(res.body.code).toBe('CONFLICT');
  });

  it("disabling a tenant stops its accounts' logins and tokens and its API keys; enabling restores them", async () => {
    const { tenantId, admin } = await aTenantWithAdmin(t);
    const user = await anAccount(t, { tenantId });
    const key = await anApiKey(t, admin, ['read']);
    await t.http.get('/api/v1/id-tags').set(key.header).expect(403); // authenticated; refused for scope only
    await t.http.patch(`/api/v1/tenants/${tenantId}`).set(root.auth).send({ status: 'disabled' }).expect(200);

    await t.http.get('/api/v1/auth/me').set(user.auth).expect(401);
    await t.http.get('/api/v1/users').set(admin.auth).expect(401);
    await t.http
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: 'password-123' })
      .expect(401);
    await t.http.get('/api/v1/id-tags').set(key.header).expect(401);
    await t.http.post('/api/v1/auth/token').send({ keyId: key.id, secret: key.secret }).expect(401);
    const disabled = await t.http
      .get('/api/v1/tenants')
      .query({ status: 'disabled', limit: 200 })
      .set(root.auth);
    expect(disabled.body.items.map((x: { id: string }) => x.id)).toContain(tenantId);

    await t.http.patch(`/api/v1/tenants/${tenantId}`).set(root.auth).send({ status: 'active' }).expect(200);
    await t.http.get('/api/v1/auth/me').set(user.auth).expect(200);
    await t.http.post('/api/v1/auth/token').send({ keyId: key.id, secret: key.secret }).expect(200);
  });
});
