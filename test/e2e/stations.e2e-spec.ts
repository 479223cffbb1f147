import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aTenantWithAdmin, aUser, theRoot } from '../factories/accounts';
import { aChargePointId, aSite, aStation, withConnectorStatus } from '../factories/stations';
import { StationsRepository } from '../../src/stations/stations.repository';
import { StationsService } from '../../src/stations/stations.service';
import { verifyPassword } from '../../src/common/passwords';

const fieldsOf = (body: { details?: { fields?: { field: string }[] } }) =>
  (body.details?.fields ?? []).map((f) => f.field).sort();
const PASSWORD = 'a-charger-secret-0001';

describe('stations', () => {
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

  const hashOf = async (id: string) => (await t.app.get(StationsRepository).findById(null, id))!.passwordHash;

  describe('who may call', () => {
    it('answers 401 to anonymous callers on every route', async () => {
      const s = await aStation(t, admin);
      const calls = [
        t.http.get('/api/v1/stations'),
        t.http.get(`/api/v1/stations/${s.id}`),
        t.http.post('/api/v1/stations').send({ chargePointId: 'X' }),
        t.http.patch(`/api/v1/stations/${s.id}`).send({ name: 'x' }),
        t.http.put(`/api/v1/stations/${s.id}/password`).send({ password: PASSWORD }),
        t.http.patch(`/api/v1/stations/${s.id}/connectors/1`).send({ type: 'CCS2' }),
        t.http.delete(`/api/v1/stations/${s.id}`),
        t.http.get(`/api/v1/stations/${s.id}/connectors/1/qr`),
        t.http.get(`/api/v1/stations/${s.id}/tariff`),
      ];
      for (const res of await Promise.all(calls))
        expect([res.status, res.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    });

    it('lets a user read the public part of stations but refuses every write with 403', async () => {
      const s = await aStation(t, admin, { name: 'Readable' });
      const read = await t.http.get(`/api/v1/stations/${s.id}`).set(user.auth).expect(200);
      expect(read.body.name).toBe('Readable');
      // Charger credentials and registration are admin business.
      for (const key of ['securityProfile', 'hasPassword', 'registrationStatus'])
        expect(read.body).not.toHaveProperty(key);
      const writes = [
        t.http.post('/api/v1/stations').set(user.auth).send({ chargePointId: aChargePointId() }),
        t.http.patch(`/api/v1/stations/${s.id}`).set(user.auth).send({ name: 'x' }),
        t.http.put(`/api/v1/stations/${s.id}/password`).set(user.auth).send({ password: PASSWORD }),
        t.http.patch(`/api/v1/stations/${s.id}/connectors/1`).set(user.auth).send({ type: 'CCS2' }),
        t.http.delete(`/api/v1/stations/${s.id}`).set(user.auth),
      ];
      for (const res of await Promise.all(writes))
        expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
    });

    it('lets root register, change and delete a station, and read any tenant’s', async () => {
      const s = await aStation(t, root, { name: 'Root CP' });
      await t.http.patch(`/api/v1/stations/${s.id}`).set(root.auth).send({ name: 'Root CP 2' }).expect(200);
      const foreign = await aStation(t, other.admin);
      await t.http.get(`/api/v1/stations/${foreign.id}`).set(root.auth).expect(200);
      await t.http.delete(`/api/v1/stations/${s.id}`).set(root.auth).expect(204);
      await t.http.get(`/api/v1/stations/${s.id}`).set(root.auth).expect(404);
    });
  });

  describe('registration', () => {
    it('registers a station with the fixed response shape and never shows the password', async () => {
      const site = await aSite(t, admin);
      const chargePointId = aChargePointId();
      const res = await t.http
        .post('/api/v1/stations')
        .set(admin.auth)
        .send({ chargePointId, siteId: site.id, name: 'Bay 1', securityProfile: 1, password: PASSWORD })
        .expect(201);
      expect(res.body).toMatchObject({
        chargePointId,
        siteId: site.id,
        name: 'Bay 1',
        online: false,
        lastSeenAt: null,
        vendor: null,
        model: null,
        serialNumber: null,
        firmwareVersion: null,
        connectors: [],
        securityProfile: 1,
        hasPassword: true,
        registrationStatus: 'accepted',
      });
      expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
      expect(JSON.stringify(res.body)).not.toMatch(/argon2|passwordHash/);
      const hash = await hashOf(res.body.id);
      expect(hash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(hash!, PASSWORD)).toBe(true);
    });

    it.each([
      [{ securityProfile: 1 }, ['password']],
      [{ securityProfile: 2 }, ['password']],
      [{ securityProfile: 0, password: PASSWORD }, ['password']],
      [{ securityProfile: 1, password: 'short' }, ['password']],
      [{ securityProfile: 4 }, ['securityProfile']],
      [{ chargePointId: 'has space' }, ['chargePointId']],
      [{ chargePointId: 'X'.repeat(49) }, ['chargePointId']],
      [{ siteId: 'nope' }, ['siteId']],
    ])('refuses %j naming the bad fields', async (body, fields) => {
      const res = await t.http
        .post('/api/v1/stations')
        .set(admin.auth)
        .send({ chargePointId: aChargePointId(), ...body })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res.body)).toEqual(fields);
    });

    it('answers 409 CHARGE_POINT_ID_TAKEN for a taken id, even in another tenant, without details', async () => {
      const s = await aStation(t, other.admin, { name: 'Secret name' });
      const res = await t.http
        .post('/api/v1/stations')
        .set(admin.auth)
        .send({ chargePointId: s.chargePointId })
        .expect(409);
      expect(res.body.code).toBe('CHARGE_POINT_ID_TAKEN');
      expect(res.body.details).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toContain(s.id);
      expect(JSON.stringify(res.body)).not.toContain('Secret name');
      expect(JSON.stringify(res.body)).not.toContain(other.tenantId);
    });

    it('answers 404 for a site of another tenant', async () => {
      const site = await aSite(t, other.admin);
      await t.http
        .post('/api/v1/stations')
        .set(admin.auth)
        .send({ chargePointId: aChargePointId(), siteId: site.id })
        .expect(404);
    });

    it('rotates the password and switches security profiles', async () => {
      const s = await aStation(t, admin);
      const noPassword = await t.http
        .patch(`/api/v1/stations/${s.id}`)
        .set(admin.auth)
        .send({ securityProfile: 2 })
        .expect(400);
      expect(fieldsOf(noPassword.body)).toEqual(['password']);
      const rotateOnZero = await t.http
        .put(`/api/v1/stations/${s.id}/password`)
        .set(admin.auth)
        .send({ password: PASSWORD });
      expect(rotateOnZero.status).toBe(400);

      const two = await t.http
        .patch(`/api/v1/stations/${s.id}`)
        .set(admin.auth)
        .send({ securityProfile: 2, password: PASSWORD })
        .expect(200);
      expect(two.body).toMatchObject({ securityProfile: 2, hasPassword: true });
      const next = 'another-secret-00002';
      await t.http
        .put(`/api/v1/stations/${s.id}/password`)
        .set(admin.auth)
        .send({ password: next })
        .expect(204);
      expect(await verifyPassword((await hashOf(s.id))!, next)).toBe(true);
      expect(await verifyPassword((await hashOf(s.id))!, PASSWORD)).toBe(false);

      const three = await t.http
        .patch(`/api/v1/stations/${s.id}`)
        .set(admin.auth)
        .send({ securityProfile: 3 })
        .expect(200);
      expect(three.body).toMatchObject({ securityProfile: 3, hasPassword: false });
      expect(await hashOf(s.id)).toBeNull();
    });

    it('keeps a pending self-registered charger from users until an admin accepts it', async () => {
      // Stands in for the OCPP side creating an unknown charger as pending.
      const s = await aStation(t, admin);
      await t.app.get(StationsRepository).update(null, s.id, { registrationStatus: 'pending' });
      await t.http.get(`/api/v1/stations/${s.id}`).set(user.auth).expect(404);
      const listed = await t.http.get('/api/v1/stations?limit=200').set(user.auth).expect(200);
      expect(listed.body.items.map((x: { id: string }) => x.id)).not.toContain(s.id);
      const seen = await t.http.get(`/api/v1/stations/${s.id}`).set(admin.auth).expect(200);
      expect(seen.body.registrationStatus).toBe('pending');

      await t.http
        .patch(`/api/v1/stations/${s.id}`)
        .set(admin.auth)
        .send({ registrationStatus: 'accepted' })
        .expect(200);
      await t.http.get(`/api/v1/stations/${s.id}`).set(user.auth).expect(200);
      const bad = await t.http
        .patch(`/api/v1/stations/${s.id}`)
        .set(admin.auth)
        .send({ registrationStatus: 'maybe' })
        .expect(400);
      expect(fieldsOf(bad.body)).toEqual(['registrationStatus']);
    });
  });

  it('moves a station to another site of the tenant and detaches it', async () => {
    const [a, b, foreign] = [await aSite(t, admin), await aSite(t, admin), await aSite(t, other.admin)];
    const s = await aStation(t, admin, { siteId: a.id, name: 'Mover' });
    const moved = await t.http
      .patch(`/api/v1/stations/${s.id}`)
      .set(admin.auth)
      .send({ siteId: b.id })
      .expect(200);
    expect(moved.body).toMatchObject({ siteId: b.id, name: 'Mover' });
    await t.http.patch(`/api/v1/stations/${s.id}`).set(admin.auth).send({ siteId: foreign.id }).expect(404);
    const detached = await t.http
      .patch(`/api/v1/stations/${s.id}`)
      .set(admin.auth)
      .send({ siteId: null, name: null })
      .expect(200);
    expect(detached.body).toMatchObject({ siteId: null, name: null });
  });

  describe('tenant isolation', () => {
    it("answers 404 for another tenant's station on every route and leaves it out of lists", async () => {
      const foreign = await aStation(t, other.admin);
      await withConnectorStatus(t, foreign.id, 1, 'Available');
      const calls = [
        t.http.get(`/api/v1/stations/${foreign.id}`).set(user.auth),
        t.http.get(`/api/v1/stations/${foreign.id}`).set(admin.auth),
        t.http.patch(`/api/v1/stations/${foreign.id}`).set(admin.auth).send({ name: 'Mine' }),
        t.http.put(`/api/v1/stations/${foreign.id}/password`).set(admin.auth).send({ password: PASSWORD }),
        t.http.patch(`/api/v1/stations/${foreign.id}/connectors/1`).set(admin.auth).send({ type: 'CCS2' }),
        t.http.delete(`/api/v1/stations/${foreign.id}`).set(admin.auth),
        t.http.get(`/api/v1/stations/${foreign.id}/connectors/1/qr`).set(user.auth),
        t.http.get(`/api/v1/stations/${foreign.id}/tariff`).set(user.auth),
      ];
      for (const res of await Promise.all(calls))
        expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
      const list = await t.http.get('/api/v1/stations?limit=200').set(admin.auth).expect(200);
      expect(list.body.items.map((s: { id: string }) => s.id)).not.toContain(foreign.id);
      await t.http.get(`/api/v1/stations/${foreign.id}`).set(other.admin.auth).expect(200);
    });

    it('finds stations by id and chargePointId for the sessions module only within the tenant', async () => {
      const own = await aStation(t, admin);
      const foreign = await aStation(t, other.admin);
      const service = t.app.get(StationsService);
      const actor = {
        tenantId: (await t.http.get(`/api/v1/stations/${own.id}`).set(admin.auth)).body.tenantId,
        role: 'user' as const,
      };
      expect((await service.findByChargePointIdForActor(actor, own.chargePointId)).station.id).toBe(own.id);
      expect((await service.findByIdForActor(actor, own.id)).connectors).toEqual([]);
      await expect(service.findByChargePointIdForActor(actor, foreign.chargePointId)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(service.findByIdForActor(actor, foreign.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
});
