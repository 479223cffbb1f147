import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aTenantWithAdmin, aUser, theRoot } from '../factories/accounts';
import { aSite, aStation } from '../factories/stations';

const fieldsOf = (body: { details?: { fields?: { field: string }[] } }) =>
  (body.details?.fields ?? []).map((f) => f.field).sort();

describe('sites', () => {
  let t: TestApp;
  let admin: TestAccount;
  let user: TestAccount;
  let root: TestAccount;
  let other: { tenantId: string; admin: TestAccount };

  beforeAll(async () => {
    t = await startApp();
    [admin, user, root, other] = await Promise.all([
      aDefaultTenantAdmin(t),
      aUser(t),
      theRoot(t),
      aTenantWithAdmin(t),
    ]);
  });
  afterAll(() => t.close());

  describe('who may call', () => {
    it('answers 401 to anonymous callers on every route', async () => {
      const site = await aSite(t, admin);
      const calls = [
        t.http.get('/api/v1/sites'),
        t.http.get(`/api/v1/sites/${site.id}`),
        t.http.post('/api/v1/sites').send({ name: 'x' }),
        t.http.patch(`/api/v1/sites/${site.id}`).send({ name: 'x' }),
        t.http.delete(`/api/v1/sites/${site.id}`),
        t.http.get(`/api/v1/sites/${site.id}/qr-sheet`),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('UNAUTHENTICATED');
      }
    });

    it('lets a user read sites but refuses every write with 403', async () => {
      const site = await aSite(t, admin);
      await t.http.get(`/api/v1/sites/${site.id}`).set(user.auth).expect(200);
      const list = await t.http.get('/api/v1/sites').set(user.auth).expect(200);
      expect(list.body.items.map((s: { id: string }) => s.id)).toContain(site.id);
      const writes = [
        t.http.post('/api/v1/sites').set(user.auth).send({ name: 'Mine' }),
        t.http.patch(`/api/v1/sites/${site.id}`).set(user.auth).send({ name: 'Mine' }),
        t.http.delete(`/api/v1/sites/${site.id}`).set(user.auth),
        t.http.get(`/api/v1/sites/${site.id}/qr-sheet`).set(user.auth),
      ];
      for (const res of await Promise.all(writes)) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
    });

    it('lets an admin create, read, change and delete a site', async () => {
      const created = await t.http
        .post('/api/v1/sites')
        .set(admin.auth)
        .send({
          name: 'Hauptbahnhof P2',
          street: 'Invalidenstraße 10',
          city: 'Berlin',
          postalCode: '10557',
          country: 'DE',
          latitude: 52.5251,
          longitude: 13.3694,
          timeZone: 'Europe/Berlin',
          openingHours: {
            mon: [['07:00', '22:00']],
            sun: [
              ['10:00', '12:00'],
              ['14:00', '24:00'],
            ],
          },
        })
        .expect(201);
      expect(created.body).toMatchObject({
        name: 'Hauptbahnhof P2',
        city: 'Berlin',
        country: 'DE',
        latitude: 52.5251,
        longitude: 13.3694,
        timeZone: 'Europe/Berlin',
        openingHours: { mon: [['07:00', '22:00']] },
      });
      const id = created.body.id;
      const changed = await t.http
        .patch(`/api/v1/sites/${id}`)
        .set(admin.auth)
        .send({ name: 'Hbf P3', street: null, openingHours: null })
        .expect(200);
      expect(changed.body).toMatchObject({
        name: 'Hbf P3',
        street: null,
        openingHours: null,
        city: 'Berlin',
      });
      await t.http.get(`/api/v1/sites/${id}`).set(admin.auth).expect(200);
      await t.http.delete(`/api/v1/sites/${id}`).set(admin.auth).expect(204);
      await t.http.get(`/api/v1/sites/${id}`).set(admin.auth).expect(404);
    });

    it("lets root write in its own tenant, read every tenant's sites and create one for another tenant", async () => {
      const own = await aSite(t, root, { name: 'Root site' });
      await t.http.patch(`/api/v1/sites/${own.id}`).set(root.auth).send({ city: 'Bonn' }).expect(200);
      const foreign = await aSite(t, other.admin);
      await t.http.get(`/api/v1/sites/${foreign.id}`).set(root.auth).expect(200);
      const forOther = await aSite(t, root, { tenantId: other.tenantId });
      expect(forOther.tenantId).toBe(other.tenantId);
      await t.http.get(`/api/v1/sites/${forOther.id}`).set(other.admin.auth).expect(200);
      await t.http.delete(`/api/v1/sites/${own.id}`).set(root.auth).expect(204);
    });

    it('refuses an admin that names another tenant', async () => {
      const res = await t.http
        .post('/api/v1/sites')
        .set(admin.auth)
        .send({ name: 'Sneaky', tenantId: other.tenantId })
        .expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });
  });

  describe('tenant isolation', () => {
    it("answers 404 for another tenant's site on every route and leaves it out of lists", async () => {
      const foreign = await aSite(t, other.admin, { name: 'Foreign' });
      for (const who of [admin, user]) {
        const res = await t.http.get(`/api/v1/sites/${foreign.id}`).set(who.auth).expect(404);
        expect(res.body.code).toBe('NOT_FOUND');
      }
      await t.http.patch(`/api/v1/sites/${foreign.id}`).set(admin.auth).send({ name: 'Mine' }).expect(404);
      await t.http.delete(`/api/v1/sites/${foreign.id}`).set(admin.auth).expect(404);
      await t.http.get(`/api/v1/sites/${foreign.id}/qr-sheet`).set(admin.auth).expect(404);
      const list = await t.http.get('/api/v1/sites?limit=200').set(admin.auth).expect(200);
      expect(list.body.items.map((s: { id: string }) => s.id)).not.toContain(foreign.id);
      const still = await t.http.get(`/api/v1/sites/${foreign.id}`).set(other.admin.auth).expect(200);
      expect(still.body.name).toBe('Foreign');
    });
  });

  describe('validation', () => {
    it.each([
      [{ name: 'x', timeZone: 'Mars/Olympus' }, ['timeZone']],
      [{ name: 'x', latitude: 91, longitude: 0 }, ['latitude']],
      [{ name: 'x', latitude: 0, longitude: -181 }, ['longitude']],
      [{ name: 'x', latitude: 10 }, ['longitude']],
      [{ name: '', country: 'Germany' }, ['country', 'name']],
      [{ name: 'x', colour: 'red' }, ['colour']],
    ])('names the bad fields of %j', async (body, fields) => {
      const res = await t.http.post('/api/v1/sites').set(admin.auth).send(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res.body)).toEqual(fields);
    });

    it.each([
      [{ mon: [['25:00', '26:00']] }, ['openingHours.mon[0]']],
      [{ mon: [['10:00', '09:00']], tue: 'always' }, ['openingHours.mon[0]', 'openingHours.tue']],
      [{ funday: [] }, ['openingHours.funday']],
    ])('names the bad opening hours in %j', async (openingHours, fields) => {
      const res = await t.http
        .post('/api/v1/sites')
        .set(admin.auth)
        .send({ name: 'x', openingHours })
        .expect(400);
      expect(fieldsOf(res.body)).toEqual(fields);
    });

    it('refuses to clear a required field', async () => {
      const site = await aSite(t, admin);
      const res = await t.http
        .patch(`/api/v1/sites/${site.id}`)
        .set(admin.auth)
        .send({ name: null })
        .expect(400);
      expect(fieldsOf(res.body)).toEqual(['name']);
    });

    it('answers a malformed id with 400 naming it', async () => {
      const res = await t.http.get('/api/v1/sites/not-a-uuid').set(admin.auth).expect(400);
      expect(fieldsOf(res.body)).toEqual(['id']);
    });
  });

  it('pages through sites by name with a cursor', async () => {
    const tenant = await aTenantWithAdmin(t);
    for (const name of ['C', 'A', 'B']) await aSite(t, tenant.admin, { name });
    const first = await t.http.get('/api/v1/sites?limit=2').set(tenant.admin.auth).expect(200);
    expect(first.body.items.map((s: { name: string }) => s.name)).toEqual(['A', 'B']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.http
      .get(`/api/v1/sites?limit=2&cursor=${first.body.nextCursor}`)
      .set(tenant.admin.auth)
      .expect(200);
    expect(second.body).toEqual({ items: [expect.objectContaining({ name: 'C' })], nextCursor: null });
  });

  it('refuses to delete a site that still has stations', async () => {
    const site = await aSite(t, admin);
    await aStation(t, admin, { siteId: site.id });
    const res = await t.http.delete(`/api/v1/sites/${site.id}`).set(admin.auth).expect(409);
    expect(res.body.code).toBe('CONFLICT');
  });
});
