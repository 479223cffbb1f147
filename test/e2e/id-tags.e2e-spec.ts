import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin, anAccount } from '../factories/accounts';
import { IdTagsService } from '../../src/users/id-tags.service';

describe('idTags', () => {
  let t: TestApp;
  let tenant: { tenantId: string; admin: TestAccount };
  let foreign: { tenantId: string; admin: TestAccount };
  let user: TestAccount;
  let seq = 0;
  const tag = (p = 'RF') => `${p}${Date.now().toString(36).toUpperCase()}${seq++}`.slice(0, 20);

  beforeAll(async () => {
    t = await startApp();
    tenant = await aTenantWithAdmin(t);
    foreign = await aTenantWithAdmin(t);
    user = await anAccount(t, { tenantId: tenant.tenantId });
  });
  afterAll(() => t.close());

  const addAsAdmin = (body: object) => t.http.post('/api/v1/id-tags').set(tenant.admin.auth).send(body);

  it("lists a user's own tags, starting with its app idTag", async () => {
    const res = await t.http.get('/api/v1/id-tags').set(user.auth).expect(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      idTag: user.idTag,
      kind: 'app',
      status: 'active',
      userId: user.userId,
    });
    const viaUser = await t.http.get(`/api/v1/users/${user.userId}/id-tags`).set(user.auth).expect(200);
    expect(viaUser.body.items[0].id).toBe(res.body.items[0].id);
  });

  it('a user adds an RFID tag to itself and labels the vehicle; it cannot add one to someone else', async () => {
    const idTag = tag();
    const res = await t.http
      .post('/api/v1/id-tags')
      .set(user.auth)
      .send({ idTag, vehicleLabel: 'Blue Zoe', vehiclePlate: 'AB-123-CD' })
      .expect(201);
    expect(res.body).toMatchObject({ idTag, kind: 'rfid', userId: user.userId, vehiclePlate: 'AB-123-CD' });
    await t.http
      .post(`/api/v1/users/${tenant.admin.userId}/id-tags`)
      .set(user.auth)
      .send({ idTag: tag() })
      .expect(404);
    await t.http
      .post('/api/v1/id-tags')
      .set(user.auth)
      .send({ idTag: tag(), userId: tenant.admin.userId })
      .expect(404);
  });

  it('validates the OCPP idTag: at most 20 printable characters', async () => {
    for (const idTag of ['X'.repeat(21), 'has space', '']) {
      const res = await t.http.post('/api/v1/id-tags').set(user.auth).send({ idTag }).expect(400);
      expect(res.body.details.fields[0].field).toBe('idTag');
    }
  });

  it('answers 409 ID_TAG_TAKEN for a tag already in the tenant, but allows it in another tenant', async () => {
    const idTag = tag();
    await addAsAdmin({ idTag }).expect(201);
    const dup = await t.http.post('/api/v1/id-tags').set(user.auth).send({ idTag }).expect(409);
    expect(dup.body.code).toBe('ID_TAG_TAKEN');
    await t.http.post('/api/v1/id-tags').set(foreign.admin.auth).send({ idTag }).expect(201);
  });

  it('a user blocks its own tag but only an admin unblocks it; expiry and parent are admin-only', async () => {
    const created = await t.http.post('/api/v1/id-tags').set(user.auth).send({ idTag: tag() }).expect(201);
    const path = `/api/v1/id-tags/${created.body.id}`;
    await t.http.patch(path).set(user.auth).send({ status: 'blocked' }).expect(200);
    await t.http.patch(path).set(user.auth).send({ status: 'active' }).expect(403);
    await t.http.patch(path).set(user.auth).send({ expiresAt: '2030-01-01T00:00:00Z' }).expect(403);
    await t.http
      .post('/api/v1/id-tags')
      .set(user.auth)
      .send({ idTag: tag(), parentIdTag: user.idTag })
      .expect(403);
    const res = await t.http.patch(path).set(tenant.admin.auth).send({ status: 'active' }).expect(200);
    expect(res.body.status).toBe('active');
  });

  it('an admin gives a tag to an account, an expiry, a parent of the same tenant and a vehicle', async () => {
    const parent = (await addAsAdmin({ idTag: tag('FLEET') }).expect(201)).body;
    const res = await t.http
      .post(`/api/v1/users/${user.userId}/id-tags`)
      .set(tenant.admin.auth)
      .send({
        idTag: tag(),
        expiresAt: '2031-06-30T00:00:00.000Z',
        parentIdTag: parent.idTag,
        vehicleLabel: 'Van 3',
      })
      .expect(201);
    expect(res.body).toMatchObject({
      userId: user.userId,
      parentIdTag: parent.idTag,
      expiresAt: '2031-06-30T00:00:00.000Z',
      vehicleLabel: 'Van 3',
    });
    const cleared = await t.http
      .patch(`/api/v1/id-tags/${res.body.id}`)
      .set(tenant.admin.auth)
      .send({ expiresAt: null, parentIdTag: null, vehiclePlate: 'ZZ-999-ZZ' })
      .expect(200);
    expect(cleared.body).toMatchObject({ expiresAt: null, parentIdTag: null, vehiclePlate: 'ZZ-999-ZZ' });
  });

  it("refuses a parent idTag that does not exist in the tenant (another tenant's tag is not found)", async () => {
    const theirs = (
      await t.http
        .post('/api/v1/id-tags')
        .set(foreign.admin.auth)
        .send({ idTag: tag('P') })
    ).body;
    const res = await addAsAdmin({ idTag: tag(), parentIdTag: theirs.idTag }).expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
    const own = (await addAsAdmin({ idTag: tag() }).expect(201)).body;
    await t.http
      .patch(`/api/v1/id-tags/${own.id}`)
      .set(tenant.admin.auth)
      .send({ parentIdTag: own.idTag })
      .expect(400);
  });

  it("an admin lists the tenant's tags, optionally of one account, and nothing of other tenants", async () => {
    const all = await t.http.get('/api/v1/id-tags').query({ limit: 200 }).set(tenant.admin.auth).expect(200);
    for (const x of all.body.items) expect(x.tenantId).toBe(tenant.tenantId);
    expect(all.body.items.length).toBeGreaterThan(2);
    const one = await t.http
      .get('/api/v1/id-tags')
      .query({ userId: user.userId })
      .set(tenant.admin.auth)
      .expect(200);
    for (const x of one.body.items) expect(x.userId).toBe(user.userId);
  });

  it("answers 404 for another tenant's tag and account on every route", async () => {
    const theirs = (await t.http.post('/api/v1/id-tags').set(foreign.admin.auth).send({ idTag: tag() })).body;
    for (const req of [
      t.http.get(`/api/v1/id-tags/${theirs.id}`),
      t.http.patch(`/api/v1/id-tags/${theirs.id}`).send({ status: 'blocked' }),
      t.http.delete(`/api/v1/id-tags/${theirs.id}`),
      t.http.get(`/api/v1/users/${foreign.admin.userId}/id-tags`),
      t.http.post(`/api/v1/users/${foreign.admin.userId}/id-tags`).send({ idTag: tag() }),
    ]) {
      const res = await req.set(tenant.admin.auth).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    const still = await t.http.get(`/api/v1/id-tags/${theirs.id}`).set(foreign.admin.auth).expect(200);
    expect(still.body.status).toBe('active');
  });

  it("a user gets 404 for another account's tag of its own tenant", async () => {
    const other = (await addAsAdmin({ idTag: tag(), userId: tenant.admin.userId }).expect(201)).body;
    await t.http.get(`/api/v1/id-tags/${other.id}`).set(user.auth).expect(404);
    await t.http.patch(`/api/v1/id-tags/${other.id}`).set(user.auth).send({ status: 'blocked' }).expect(404);
  });

  it('deletes an RFID tag, but an app idTag can only be blocked', async () => {
    const rfid = (await t.http.post('/api/v1/id-tags').set(user.auth).send({ idTag: tag() })).body;
    await t.http.delete(`/api/v1/id-tags/${rfid.id}`).set(user.auth).expect(204);
    await t.http.get(`/api/v1/id-tags/${rfid.id}`).set(user.auth).expect(404);
    const app = (await t.http.get('/api/v1/id-tags').set(user.auth)).body.items.find(
      (x: { kind: string }) => x.kind === 'app',
    );
    const res = await t.http.delete(`/api/v1/id-tags/${app.id}`).set(user.auth).expect(409);
    expect(res.body.code).toBe('CONFLICT');
  });

  describe('authorize (for chargers)', () => {
    const authorize = (tenantId: string, idTag: string) =>
      t.app.get(IdTagsService).authorize(tenantId, idTag);

    it('accepts an active tag with its user, expiry and parent', async () => {
      const parent = (await addAsAdmin({ idTag: tag('G') }).expect(201)).body;
      const x = (
        await addAsAdmin({
          idTag: tag(),
          userId: user.userId,
          parentIdTag: parent.idTag,
          expiresAt: '2040-01-01T00:00:00Z',
        }).expect(201)
      ).body;
      await expect(authorize(tenant.tenantId, x.idTag)).resolves.toEqual({
        status: 'Accepted',
        userId: user.userId,
        parentIdTag: parent.idTag,
        expiryDate: new Date('2040-01-01T00:00:00Z'),
      });
      await expect(authorize(tenant.tenantId, user.idTag)).resolves.toMatchObject({ status: 'Accepted' });
    });

    it('answers Blocked, Expired and Invalid (unknown, or of another tenant)', async () => {
      const blocked = (await addAsAdmin({ idTag: tag() }).expect(201)).body;
      await t.http.patch(`/api/v1/id-tags/${blocked.id}`).set(tenant.admin.auth).send({ status: 'blocked' });
      await expect(authorize(tenant.tenantId, blocked.idTag)).resolves.toMatchObject({ status: 'Blocked' });

      const expired = (await addAsAdmin({ idTag: tag(), expiresAt: '2020-01-01T00:00:00Z' }).expect(201))
        .body;
      await expect(authorize(tenant.tenantId, expired.idTag)).resolves.toMatchObject({ status: 'Expired' });

      await expect(authorize(tenant.tenantId, 'NEVER-SEEN')).resolves.toEqual({ status: 'Invalid' });
      await expect(authorize(foreign.tenantId, user.idTag)).resolves.toEqual({ status: 'Invalid' });
    });

    it('answers Blocked for the tags of a disabled account', async () => {
      const driver = await anAccount(t, { tenantId: tenant.tenantId });
      await t.http
        .patch(`/api/v1/users/${driver.userId}`)
        .set(tenant.admin.auth)
        .send({ status: 'disabled' });
      await expect(authorize(tenant.tenantId, driver.idTag)).resolves.toMatchObject({
        status: 'Blocked',
        userId: driver.userId,
      });
    });
  });
});
