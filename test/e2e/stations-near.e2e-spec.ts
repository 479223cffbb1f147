import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin } from '../factories/accounts';
import { aConnector, aSite, aStation } from '../factories/stations';

type Station = { id: string; chargePointId: string; distanceM?: number };
const ids = (body: { items: Station[] }) => body.items.map((s) => s.chargePointId);

// Known places and their great-circle distances from Berlin Alexanderplatz (52.5219, 13.4132).
const ALEX = '52.5219,13.4132';

describe('stations near me', () => {
  let t: TestApp;
  let admin: TestAccount;
  let other: TestAccount;
  let sites: Record<string, { id: string }>;

  beforeAll(async () => {
    t = await startApp();
    [{ admin }, { admin: other }] = await Promise.all([aTenantWithAdmin(t), aTenantWithAdmin(t)]);
    sites = {
      brandenburgGate: await aSite(t, admin, {
        name: 'Brandenburger Tor',
        latitude: 52.5163,
        longitude: 13.3777,
      }),
      potsdam: await aSite(t, admin, { name: 'Potsdam Hbf', latitude: 52.3917, longitude: 13.0664 }),
      hamburg: await aSite(t, admin, { name: 'Hamburg Hbf', latitude: 53.553, longitude: 10.0069 }),
      nowhere: await aSite(t, admin, { name: 'No coordinates', latitude: null, longitude: null }),
    };
    const station = async (cp: string, site: string, connectors: Parameters<typeof aConnector>[4][]) => {
      const s = await aStation(t, admin, { chargePointId: cp, siteId: sites[site].id });
      for (const [i, c] of connectors.entries()) await aConnector(t, admin, s.id, i + 1, c);
    };
    await station('GATE-AC', 'brandenburgGate', [{ status: 'Charging', type: 'Type2', maxPowerW: 22000 }]);
    await station('GATE-DC', 'brandenburgGate', [
      { status: 'Available', type: 'CCS2', maxPowerW: 150000 },
      { status: 'Available', type: 'Type2', maxPowerW: 11000 },
    ]);
    await station('POTSDAM', 'potsdam', [{ status: 'Available', type: 'Type2', maxPowerW: 22000 }]);
    await station('HAMBURG', 'hamburg', [{ status: 'Available', type: 'CCS2', maxPowerW: 50000 }]);
    await station('NOWHERE', 'nowhere', [{ status: 'Available', type: 'CCS2', maxPowerW: 50000 }]);
    // Another tenant's charger next door must never show up.
    const next = await aSite(t, other, { latitude: 52.5219, longitude: 13.4132 });
    await aStation(t, other, { chargePointId: 'OTHER-ALEX', siteId: next.id });
  });
  afterAll(() => t.close());

  it('sorts by distance, reports distanceM and leaves out sites without coordinates', async () => {
    const res = await t.http.get(`/api/v1/stations?near=${ALEX}`).set(admin.auth).expect(200);
    expect(ids(res.body).slice(0, 2).sort()).toEqual(['GATE-AC', 'GATE-DC']);
    expect(ids(res.body).slice(2)).toEqual(['POTSDAM', 'HAMBURG']);
    const d = Object.fromEntries(res.body.items.map((s: Station) => [s.chargePointId, s.distanceM]));
    expect(d['GATE-AC']).toBeGreaterThan(2_300);
    expect(d['GATE-AC']).toBeLessThan(2_600);
    expect(d.POTSDAM).toBeGreaterThan(27_000);
    expect(d.POTSDAM).toBeLessThan(28_200);
    expect(d.HAMBURG).toBeGreaterThan(250_000);
    expect(d.HAMBURG).toBeLessThan(262_000);
  });

  it('lists everything by chargePointId without near, with no distance', async () => {
    const res = await t.http.get('/api/v1/stations').set(admin.auth).expect(200);
    expect(ids(res.body)).toEqual(['GATE-AC', 'GATE-DC', 'HAMBURG', 'NOWHERE', 'POTSDAM']);
    expect(res.body.items[0].distanceM).toBeUndefined();
  });

  it('limits to a radius', async () => {
    const res = await t.http.get(`/api/v1/stations?near=${ALEX}&radiusKm=30`).set(admin.auth).expect(200);
    expect(ids(res.body).sort()).toEqual(['GATE-AC', 'GATE-DC', 'POTSDAM']);
  });

  it.each([
    ['status=Available', ['GATE-DC', 'POTSDAM', 'HAMBURG']],
    ['status=Charging', ['GATE-AC']],
    ['connectorType=ccs2', ['GATE-DC', 'HAMBURG']],
    ['minPowerW=50000', ['GATE-DC', 'HAMBURG']],
    ['connectorType=Type2&minPowerW=20000', ['GATE-AC', 'POTSDAM']],
    // One connector must match every filter: GATE-DC's Type2 is Available but only 11 kW.
    ['status=Available&connectorType=Type2&minPowerW=20000', ['POTSDAM']],
  ])('filters connectors by %s', async (filter, expected) => {
    const res = await t.http.get(`/api/v1/stations?near=${ALEX}&${filter}`).set(admin.auth).expect(200);
    expect(ids(res.body)).toEqual(expected);
  });

  it('filters by site', async () => {
    const res = await t.http
      .get(`/api/v1/stations?siteId=${sites.brandenburgGate.id}`)
      .set(admin.auth)
      .expect(200);
    expect(ids(res.body)).toEqual(['GATE-AC', 'GATE-DC']);
  });

  it('pages by distance with a cursor without skipping or repeating', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/stations?near=${ALEX}&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.http.get(url).set(admin.auth).expect(200);
      seen.push(...ids(res.body));
      cursor = res.body.nextCursor;
    } while (cursor && seen.length < 10);
    const all = await t.http.get(`/api/v1/stations?near=${ALEX}`).set(admin.auth).expect(200);
    expect(seen).toEqual(ids(all.body));
    expect(seen).toHaveLength(4);
  });

  it.each([
    ['near=52.5', 'near'],
    ['near=91,13', 'near'],
    ['near=abc,def', 'near'],
    ['radiusKm=5', 'radiusKm'],
    [`near=${ALEX}&radiusKm=-1`, 'radiusKm'],
    ['status=Sleeping', 'status'],
    ['minPowerW=fast', 'minPowerW'],
    ['siteId=nope', 'siteId'],
    ['cursor=%%%', 'cursor'],
  ])('answers 400 naming the bad query in %s', async (query, field) => {
    const res = await t.http.get(`/api/v1/stations?${query}`).set(admin.auth).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
  });
});
