import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin, aUser, loginAs, theRoot } from '../factories/accounts';
import { aSite, aStation, aTariff } from '../factories/stations';
import { TariffsService } from '../../src/tariffs/tariffs.service';
import { UsersService } from '../../src/users/users.service';

const fieldsOf = (body: { details?: { fields?: { field: string }[] } }) =>
  (body.details?.fields ?? []).map((f) => f.field).sort();

describe('tariffs', () => {
  let t: TestApp;
  let tenantId: string;
  let admin: TestAccount;
  let user: TestAccount;
  let root: TestAccount;
  let other: { tenantId: string; admin: TestAccount };

  /** A user account inside the admin's tenant (plain signups land in the default tenant). */
  async function aUserOf(tenant: string): Promise<TestAccount> {
    const username = `driver${Math.random().toString(36).slice(2, 10)}`;
    await t.app
      .get(UsersService)
      .createAccount({ tenantId: tenant, username, password: 'password-123', role: 'user' });
    return loginAs(t, username, 'password-123');
  }

  beforeAll(async () => {
    t = await startApp();
    [{ tenantId, admin }, root, other] = await Promise.all([
      aTenantWithAdmin(t),
      theRoot(t),
      aTenantWithAdmin(t),
    ]);
    user = await aUserOf(tenantId);
  });
  afterAll(() => t.close());

  describe('who may call', () => {
    it('answers 401 to anonymous callers on every route', async () => {
      const tariff = await aTariff(t, admin);
      const calls = [
        t.http.get('/api/v1/tariffs'),
        t.http.get(`/api/v1/tariffs/${tariff.id}`),
        t.http.post('/api/v1/tariffs').send({}),
        t.http.patch(`/api/v1/tariffs/${tariff.id}`).send({}),
        t.http.delete(`/api/v1/tariffs/${tariff.id}`),
      ];
      for (const res of await Promise.all(calls))
        expect([res.status, res.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    });

    it('lets a user read tariffs and the plan of a station but not write', async () => {
      const tariff = await aTariff(t, admin);
      const station = await aStation(t, admin);
      await t.http.get(`/api/v1/tariffs/${tariff.id}`).set(user.auth).expect(200);
      await t.http.get('/api/v1/tariffs').set(user.auth).expect(200);
      await t.http.get(`/api/v1/stations/${station.id}/tariff`).set(user.auth).expect(200);
      const writes = [
        t.http
          .post('/api/v1/tariffs')
          .set(user.auth)
          .send({ name: 'x', currency: 'EUR', energyPerKwhMinor: 1 }),
        t.http.patch(`/api/v1/tariffs/${tariff.id}`).set(user.auth).send({ energyPerKwhMinor: 1 }),
        t.http.delete(`/api/v1/tariffs/${tariff.id}`).set(user.auth),
      ];
      for (const res of await Promise.all(writes))
        expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
    });

    it('lets an admin create, change and delete a full plan', async () => {
      const site = await aSite(t, admin);
      const body = {
        name: 'Night saver',
        currency: 'EUR',
        energyPerKwhMinor: 39,
        timePerHourMinor: 120,
        sessionFeeMinor: 50,
        idleFeePerMinuteMinor: 10,
        idleGraceMinutes: 60,
        timeOfUse: [{ days: [1, 2, 3, 4, 5], start: '22:00', end: '06:00', energyPerKwhMinor: 29 }],
        taxRatePercent: 19.5,
        pricesIncludeTax: true,
        minSessionMinor: 100,
        maxSessionMinor: 9000,
        siteId: site.id,
      };
      const created = await t.http.post('/api/v1/tariffs').set(admin.auth).send(body).expect(201);
      expect(created.body).toMatchObject({ ...body, scope: 'site', stationId: null, version: 1, tenantId });
      const changed = await t.http
        .patch(`/api/v1/tariffs/${created.body.id}`)
        .set(admin.auth)
        .send({ energyPerKwhMinor: 42, maxSessionMinor: null })
        .expect(200);
      expect(changed.body).toMatchObject({
        energyPerKwhMinor: 42,
        maxSessionMinor: null,
        version: 2,
        timePerHourMinor: 120,
      });
      await t.http.delete(`/api/v1/tariffs/${created.body.id}`).set(admin.auth).expect(204);
      await t.http.get(`/api/v1/tariffs/${created.body.id}`).set(admin.auth).expect(404);
    });

    it('lets root create a tenant default for another tenant and change it', async () => {
      const created = await aTariff(t, root, { tenantId: other.tenantId, name: 'By root' });
      expect(created).toMatchObject({ tenantId: other.tenantId, scope: 'tenant' });
      await t.http
        .patch(`/api/v1/tariffs/${created.id}`)
        .set(root.auth)
        .send({ sessionFeeMinor: 5 })
        .expect(200);
      await t.http.get(`/api/v1/tariffs/${created.id}`).set(other.admin.auth).expect(200);
      await t.http.delete(`/api/v1/tariffs/${created.id}`).set(root.auth).expect(204);
    });
  });

  describe('validation', () => {
    const base = { name: 'x', currency: 'EUR', energyPerKwhMinor: 30 };
    const window = { days: [1], start: '08:00', end: '10:00', energyPerKwhMinor: 20 };
    it.each([
      [{ currency: 'eur' }, ['currency']],
      [{ currency: 'EURO' }, ['currency']],
      [{ energyPerKwhMinor: -1 }, ['energyPerKwhMinor']],
      [{ energyPerKwhMinor: 0.5 }, ['energyPerKwhMinor']],
      [{ taxRatePercent: 101 }, ['taxRatePercent']],
      [{ taxRatePercent: 7.12345 }, ['taxRatePercent']],
      [{ timeOfUse: [{ ...window, start: '25:00' }] }, ['timeOfUse.0.start']],
      [{ timeOfUse: [{ ...window, start: '8:00' }] }, ['timeOfUse.0.start']],
      [{ timeOfUse: [{ ...window, end: '24:01' }] }, ['timeOfUse.0.end']],
      [{ timeOfUse: [window, { ...window, days: [0, 8] }] }, ['timeOfUse.1.days']],
      [{ timeOfUse: [{ ...window, days: [] }] }, ['timeOfUse.0.days']],
      [{ minSessionMinor: 500, maxSessionMinor: 100 }, ['minSessionMinor']],
      [{ validFrom: '2027-01-02T00:00:00Z', validUntil: '2027-01-01T00:00:00Z' }, ['validUntil']],
      [{ validFrom: 'tomorrow' }, ['validFrom']],
      [{ surcharge: 5 }, ['surcharge']],
    ])('names the bad fields of %j', async (overrides, fields) => {
      const res = await t.http
        .post('/api/v1/tariffs')
        .set(admin.auth)
        .send({ ...base, ...overrides })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res.body)).toEqual(fields);
    });

    it('refuses a tariff for a station and a site at once', async () => {
      const site = await aSite(t, admin);
      const station = await aStation(t, admin);
      const res = await t.http
        .post('/api/v1/tariffs')
        .set(admin.auth)
        .send({ ...base, siteId: site.id, stationId: station.id })
        .expect(400);
      expect(fieldsOf(res.body)).toEqual(['siteId', 'stationId']);
    });

    it('refuses to clear a required field or to break min <= max by a change', async () => {
      const tariff = await aTariff(t, admin, { maxSessionMinor: 1000 });
      const cleared = await t.http
        .patch(`/api/v1/tariffs/${tariff.id}`)
        .set(admin.auth)
        .send({ currency: null, name: null });
      expect([cleared.status, fieldsOf(cleared.body)]).toEqual([400, ['currency', 'name']]);
      const crossed = await t.http
        .patch(`/api/v1/tariffs/${tariff.id}`)
        .set(admin.auth)
        .send({ minSessionMinor: 2000 });
      expect([crossed.status, fieldsOf(crossed.body)]).toEqual([400, ['minSessionMinor']]);
    });
  });

  describe('tenant isolation', () => {
    it("answers 404 for another tenant's tariff, station and site and leaves its tariffs out of lists", async () => {
      const foreign = await aTariff(t, other.admin, { name: 'Foreign' });
      const foreignStation = await aStation(t, other.admin);
      const foreignSite = await aSite(t, other.admin);
      const calls = [
        t.http.get(`/api/v1/tariffs/${foreign.id}`).set(user.auth),
        t.http.patch(`/api/v1/tariffs/${foreign.id}`).set(admin.auth).send({ energyPerKwhMinor: 1 }),
        t.http.delete(`/api/v1/tariffs/${foreign.id}`).set(admin.auth),
        t.http
          .post('/api/v1/tariffs')
          .set(admin.auth)
          .send({ name: 'x', currency: 'EUR', energyPerKwhMinor: 1, stationId: foreignStation.id }),
        t.http
          .post('/api/v1/tariffs')
          .set(admin.auth)
          .send({ name: 'x', currency: 'EUR', energyPerKwhMinor: 1, siteId: foreignSite.id }),
        t.http.get(`/api/v1/stations/${foreignStation.id}/tariff`).set(admin.auth),
      ];
      for (const res of await Promise.all(calls))
        expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
      const list = await t.http.get('/api/v1/tariffs?limit=200').set(admin.auth).expect(200);
      expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(foreign.id);
      expect(await t.app.get(TariffsService).planFor(tenantId, foreignStation.id, new Date())).toBeNull();
    });
  });

  it('pages through tariffs by name and filters by station', async () => {
    const { admin: a } = await aTenantWithAdmin(t);
    const station = await aStation(t, a);
    for (const name of ['B', 'C']) await aTariff(t, a, { name });
    await aTariff(t, a, { name: 'A', stationId: station.id });
    const first = await t.http.get('/api/v1/tariffs?limit=2').set(a.auth).expect(200);
    expect(first.body.items.map((x: { name: string }) => x.name)).toEqual(['A', 'B']);
    const second = await t.http
      .get(`/api/v1/tariffs?limit=2&cursor=${first.body.nextCursor}`)
      .set(a.auth)
      .expect(200);
    expect(second.body).toMatchObject({ items: [{ name: 'C' }], nextCursor: null });
    const forStation = await t.http.get(`/api/v1/tariffs?stationId=${station.id}`).set(a.auth).expect(200);
    expect(forStation.body.items.map((x: { name: string }) => x.name)).toEqual(['A']);
  });

  it('lets a signed-up user of another tenant see none of these tariffs', async () => {
    const stranger = await aUser(t);
    const res = await t.http.get('/api/v1/tariffs?limit=200').set(stranger.auth).expect(200);
    expect(res.body.items.every((x: { tenantId: string }) => x.tenantId !== tenantId)).toBe(true);
  });
});
