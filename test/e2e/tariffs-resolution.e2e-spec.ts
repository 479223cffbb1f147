import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aTenantWithAdmin, aUser } from '../factories/accounts';
import { aSite, aStation, aTariff } from '../factories/stations';
import { priceSession } from '../../src/tariffs/tariff-pricing';
import { TariffsService } from '../../src/tariffs/tariffs.service';

describe('tariff resolution', () => {
  let t: TestApp;
  let admin: TestAccount;
  let user: TestAccount;

  beforeAll(async () => {
    t = await startApp();
    [admin, user] = await Promise.all([aDefaultTenantAdmin(t), aUser(t)]);
  });
  afterAll(() => t.close());

  describe('the plan in force at a station', () => {
    it('prefers the station, then the site, then the tenant default', async () => {
      const { admin: a } = await aTenantWithAdmin(t);
      const site = await aSite(t, a, { timeZone: 'America/New_York' });
      const [onSite, alsoOnSite, alone] = [
        await aStation(t, a, { siteId: site.id }),
        await aStation(t, a, { siteId: site.id }),
        await aStation(t, a),
      ];
      const current = async (id: string) =>
        (await t.http.get(`/api/v1/stations/${id}/tariff`).set(a.auth).expect(200)).body;

      const none = await t.http.get(`/api/v1/stations/${onSite.id}/tariff`).set(a.auth).expect(404);
      expect(none.body.message).toContain('No tariff');

      const tenantDefault = await aTariff(t, a, { name: 'Default', energyPerKwhMinor: 30 });
      expect(await current(onSite.id)).toMatchObject({ tariffId: tenantDefault.id, scope: 'tenant' });
      const siteTariff = await aTariff(t, a, { name: 'Site', energyPerKwhMinor: 40, siteId: site.id });
      const stationTariff = await aTariff(t, a, {
        name: 'Station',
        energyPerKwhMinor: 50,
        stationId: onSite.id,
      });

      expect(await current(onSite.id)).toMatchObject({ tariffId: stationTariff.id, scope: 'station' });
      expect(await current(alsoOnSite.id)).toMatchObject({ tariffId: siteTariff.id, scope: 'site' });
      const lone = await current(alone.id);
      expect(lone).toMatchObject({ tariffId: tenantDefault.id, scope: 'tenant', plan: { timeZone: 'UTC' } });

      await t.http.delete(`/api/v1/tariffs/${stationTariff.id}`).set(a.auth).expect(204);
      expect(await current(onSite.id)).toMatchObject({
        tariffId: siteTariff.id,
        plan: { timeZone: 'America/New_York' },
      });
    });

    it('honours validFrom and validUntil, the latest start winning', async () => {
      const { admin: a } = await aTenantWithAdmin(t);
      const station = await aStation(t, a);
      const day = 86_400_000;
      const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
      await aTariff(t, a, { name: 'Expired', validUntil: iso(-day) });
      const base = await aTariff(t, a, { name: 'Base' });
      const newer = await aTariff(t, a, { name: 'Since yesterday', validFrom: iso(-day) });
      await aTariff(t, a, { name: 'Next month', validFrom: iso(30 * day) });
      const res = await t.http.get(`/api/v1/stations/${station.id}/tariff`).set(a.auth).expect(200);
      expect(res.body.tariffId).toBe(newer.id);
      await t.http
        .patch(`/api/v1/tariffs/${newer.id}`)
        .set(a.auth)
        .send({ validUntil: iso(-1000) })
        .expect(200);
      const after = await t.http.get(`/api/v1/stations/${station.id}/tariff`).set(a.auth).expect(200);
      expect(after.body.tariffId).toBe(base.id);
    });

    it("gives the plan with the site's time zone and a readable summary", async () => {
      const site = await aSite(t, admin, { timeZone: 'Europe/Berlin' });
      const station = await aStation(t, admin, { siteId: site.id });
      await aTariff(t, admin, {
        stationId: station.id,
        name: 'Summarised',
        energyPerKwhMinor: 35,
        timePerHourMinor: 200,
        timeOfUse: [{ days: [1, 2, 3, 4, 5], start: '22:00', end: '06:00', energyPerKwhMinor: 25 }],
        taxRatePercent: 19,
        pricesIncludeTax: true,
      });
      const res = await t.http.get(`/api/v1/stations/${station.id}/tariff`).set(user.auth).expect(200);
      expect(res.body).toMatchObject({
        stationId: station.id,
        name: 'Summarised',
        tariffVersion: 1,
        plan: {
          currency: 'EUR',
          energyPerKwhMinor: 35,
          timePerHourMinor: 200,
          taxRatePercent: 19,
          timeZone: 'Europe/Berlin',
        },
        summary:
          '0.35 EUR/kWh (0.25 EUR/kWh Mon–Fri 22:00–06:00, Europe/Berlin time), 2.00 EUR/h, incl. 19% tax',
      });
      expect(Date.parse(res.body.at)).toBeGreaterThan(Date.now() - 60_000);
    });

    it('resolves a plan snapshot that a change to the tariff leaves untouched', async () => {
      const { tenantId: tid, admin: a } = await aTenantWithAdmin(t);
      const station = await aStation(t, a);
      const tariff = await aTariff(t, a, { energyPerKwhMinor: 30 });
      const service = t.app.get(TariffsService);
      const startedAt = new Date('2026-11-22T10:00:00Z');
      // What a session stores at start: a JSON copy of the resolved plan.
      const frozen = JSON.parse(JSON.stringify(await service.planFor(tid, station.id, new Date())));
      expect(frozen).toMatchObject({ tariffId: tariff.id, tariffVersion: 1 });

      await t.http
        .patch(`/api/v1/tariffs/${tariff.id}`)
        .set(a.auth)
        .send({ energyPerKwhMinor: 90 })
        .expect(200);
      const facts = {
        startedAt,
        stoppedAt: new Date(startedAt.getTime() + 3_600_000),
        meterStartWh: 0,
        meterStopWh: 10_000,
      };
      expect(priceSession(frozen.plan, facts).totalMinor).toBe(300);
      const now = await service.planFor(tid, station.id, new Date());
      expect(now).toMatchObject({ tariffVersion: 2 });
      expect(priceSession(now!.plan, facts).totalMinor).toBe(900);
    });
  });
});
