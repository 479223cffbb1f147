import type { Response } from 'supertest';
import { TestApp, startApp } from '../app';
import {
  TEST_PASSWORD,
  TestAccount,
  aDefaultTenantAdmin,
  aTenantWithAdmin,
  aUser,
  anAccount,
  anApiKey,
  theRoot,
  uniqueName,
} from '../factories/accounts';

describe('users', () => {
  let t: TestApp;
  let root: TestAccount;
  let admin: TestAccount;
  let other: { tenantId: string; admin: TestAccount };
  beforeAll(async () => {
    t = await startApp();
    root = await theRoot(t);
    admin = await aDefaultTenantAdmin(t);
    other = await aTenantWithAdmin(t);
  });
  afterAll(() => t.close());

  const register = (by: TestAccount, body: object) => t.http.post('/api/v1/users').set(by.auth).send(body);

  describe('an admin', () => {
    it('registers users and admins in its own tenant, each with an idTag, and they can log in', async () => {
      const username = uniqueName();
      const res = await register(other.admin, { username, password: TEST_PASSWORD, role: 'admin' }).expect(
        201,
      );
      expect(res.body).toMatchObject({ username, role: 'admin', tenantId: other.tenantId, status: 'active' });
      expect(res.body.idTag).toMatch(/^[0-9A-Z]{1,20}$/);
      expect(res.body.password).toBeUndefined();
      const login = await t.http
        .post('/api/v1/auth/login')
        .send({ username, password: TEST_PASSWORD })
        .expect(200);
      expect(login.body.role).toBe('admin');
    });

    it('cannot create a root account', async () => {
      const res = await register(admin, {
        username: uniqueName(),
        password: TEST_PASSWORD,
        role: 'root',
      }).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it("cannot create accounts in another tenant: that tenant's id answers 404", async () => {
      const res = await register(admin, {
        username: uniqueName(),
        password: TEST_PASSWORD,
        tenantId: other.tenantId,
      }).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });

    it("lists only its tenant's accounts, paginated with a cursor, and never root accounts", async () => {
      const { tenantId, admin: a } = await aTenantWithAdmin(t);
      for (let i = 0; i < 3; i++)
        await register(a, { username: uniqueName(), password: TEST_PASSWORD }).expect(201);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Response = await t.http
          .get('/api/v1/users')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(a.auth)
          .expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        for (const u of page.body.items) {
          expect(u.tenantId).toBe(tenantId);
          seen.push(u.id);
        }
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(4);
      expect(new Set(seen).size).toBe(4);
      const defaultList = await t.http.get('/api/v1/users').query({ limit: 200 }).set(admin.auth).expect(200);
      expect(defaultList.body.items.map((u: { role: string }) => u.role)).not.toContain('root');
    });

    it('answers 400 for a forged cursor', async () => {
      const forged = Buffer.from(JSON.stringify({ k: "1'; drop table users;--", id: 'x' })).toString(
        'base64url',
      );
      const res = await t.http.get('/api/v1/users').query({ cursor: forged }).set(admin.auth).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('filters by role', async () => {
      const res = await t.http
        .get('/api/v1/users')
        .query({ role: 'admin' })
        .set(other.admin.auth)
        .expect(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      for (const u of res.body.items) expect(u.role).toBe('admin');
    });

    it('changes a user to admin and back, and disables and re-enables an account', async () => {
      const u = await anAccount(t, { tenantId: other.tenantId });
      const path = `/api/v1/users/${u.userId}`;
      await t.http.patch(path).set(other.admin.auth).send({ role: 'admin' }).expect(200);
      await t.http.get('/api/v1/users').set(u.auth).expect(200); // the role applies at once
      await t.http.patch(path).set(other.admin.auth).send({ role: 'user' }).expect(200);
      await t.http.get('/api/v1/users').set(u.auth).expect(403);
      const disabled = await t.http
        .patch(path)
        .set(other.admin.auth)
        .send({ status: 'disabled' })
        .expect(200);
      expect(disabled.body.status).toBe('disabled');
      await t.http.get('/api/v1/auth/me').set(u.auth).expect(401);
      await t.http.patch(path).set(other.admin.auth).send({ status: 'active' }).expect(200);
      await t.http.get('/api/v1/auth/me').set(u.auth).expect(401); // old tokens stay dead
      await t.http
        .post('/api/v1/auth/login')
        .send({ username: u.username, password: TEST_PASSWORD })
        .expect(200);
    });

    it('cannot grant root, nor change its own role or status', async () => {
      const u = await anAccount(t, { tenantId: other.tenantId });
      await t.http
        .patch(`/api/v1/users/${u.userId}`)
        .set(other.admin.auth)
        .send({ role: 'root' })
        .expect(403);
      const self = `/api/v1/users/${other.admin.userId}`;
      await t.http.patch(self).set(other.admin.auth).send({ role: 'root' }).expect(403);
      await t.http.patch(self).set(other.admin.auth).send({ role: 'user' }).expect(403);
      await t.http.patch(self).set(other.admin.auth).send({ status: 'disabled' }).expect(403);
    });

    it("answers 404 for another tenant's account on every route, and for root accounts", async () => {
      const foreign = await anAccount(t, { tenantId: other.tenantId });
      for (const req of [
        t.http.get(`/api/v1/users/${foreign.userId}`),
        t.http.patch(`/api/v1/users/${foreign.userId}`).send({ status: 'disabled' }),
        t.http.get(`/api/v1/users/${foreign.userId}/id-tags`),
        t.http.get(`/api/v1/users/${root.userId}`),
        t.http.patch(`/api/v1/users/${root.userId}`).send({ status: 'disabled' }),
      ]) {
        const res = await req.set(admin.auth).expect(404);
        expect(res.body.code).toBe('NOT_FOUND');
      }
      await t.http.get(`/api/v1/auth/me`).set(foreign.auth).expect(200); // untouched
    });

    it('answers 404 for an id that is not a UUID', async () => {
      await t.http.get('/api/v1/users/not-a-uuid').set(admin.auth).expect(404);
    });
  });

  describe('a user', () => {
    it('reads itself and changes its own email', async () => {
      const u = await aUser(t);
      const res = await t.http.get(`/api/v1/users/${u.userId}`).set(u.auth).expect(200);
      expect(res.body).toMatchObject({ id: u.userId, role: 'user' });
      const email = `${u.username}@example.org`;
      const patched = await t.http.patch(`/api/v1/users/${u.userId}`).set(u.auth).send({ email }).expect(200);
      expect(patched.body.email).toBe(email);
    });

    it('cannot raise its own role, disable itself, or move to another tenant', async () => {
      const u = await aUser(t);
      const self = `/api/v1/users/${u.userId}`;
      for (const role of ['admin', 'root']) {
        const res = await t.http.patch(self).set(u.auth).send({ role }).expect(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      await t.http.patch(self).set(u.auth).send({ status: 'disabled' }).expect(403);
      const move = await t.http.patch(self).set(u.auth).send({ tenantId: other.tenantId }).expect(400);
      expect(move.body.details.fields[0].field).toBe('tenantId');
      const me = await t.http.get('/api/v1/auth/me').set(u.auth).expect(200);
      expect(me.body).toMatchObject({
        role: 'user',
        tenantId: (await t.http.get(self).set(u.auth)).body.tenantId,
      });
      expect(me.body.tenantId).not.toBe(other.tenantId);
    });

    it('answers 404 for another account of its own tenant', async () => {
      const a = await aUser(t);
      const b = await aUser(t);
      await t.http.get(`/api/v1/users/${b.userId}`).set(a.auth).expect(404);
      await t.http
        .patch(`/api/v1/users/${b.userId}`)
        .set(a.auth)
        .send({ email: 'x@example.com' })
        .expect(404);
    });
  });

  describe('root', () => {
    it('creates admins and root accounts in any tenant and lists across tenants', async () => {
      const username = uniqueName('admin');
      const created = await register(root, {
        username,
        password: TEST_PASSWORD,
        role: 'admin',
        tenantId: other.tenantId,
      }).expect(201);
      expect(created.body.tenantId).toBe(other.tenantId);
      const newRoot = await register(root, {
        username: uniqueName('root'),
        password: TEST_PASSWORD,
        role: 'root',
      });
      expect(newRoot.status).toBe(201);
      const scoped = await t.http
        .get('/api/v1/users')
        .query({ tenantId: other.tenantId, limit: 200 })
        .set(root.auth);
      expect(scoped.body.items.map((u: { id: string }) => u.id)).toContain(created.body.id);
      for (const u of scoped.body.items) expect(u.tenantId).toBe(other.tenantId);
      await t.http.get(`/api/v1/users/${created.body.id}`).set(root.auth).expect(200);
    });

    it('answers 404 for an unknown tenant', async () => {
      await register(root, {
        username: uniqueName(),
        password: TEST_PASSWORD,
        tenantId: '00000000-0000-4000-8000-000000000000',
      }).expect(404);
    });
  });

  describe('API keys on user routes', () => {
    it('an admin-scoped key manages its tenant’s accounts but cannot create root or reach other tenants', async () => {
      const key = await anApiKey(t, other.admin, ['admin']);
      const res = await t.http
        .post('/api/v1/users')
        .set(key.header)
        .send({ username: uniqueName(), password: TEST_PASSWORD })
        .expect(201);
      expect(res.body.tenantId).toBe(other.tenantId);
      await t.http
        .post('/api/v1/users')
        .set(key.header)
        .send({ username: uniqueName(), password: TEST_PASSWORD, role: 'root' })
        .expect(403);
      await t.http.get(`/api/v1/users/${admin.userId}`).set(key.header).expect(404);
      const list = await t.http.get('/api/v1/users').set(key.header).expect(200);
      for (const u of list.body.items) expect(u.tenantId).toBe(other.tenantId);
    });

    it('a read-only key cannot list accounts or change them', async () => {
      const key = await anApiKey(t, other.admin, ['read']);
      await t.http.get('/api/v1/users').set(key.header).expect(403);
      await t.http.patch(`/api/v1/users/${other.admin.userId}`).set(key.header).send({}).expect(403);
    });
  });
});
