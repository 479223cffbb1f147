import { ChargerPresenceService } from '../../src/cluster/charger-presence.service';
import { ChargingStation201 } from '../../src/simulator/v201/charging-station';
import { TestApp, freshDatabase, startApp } from '../app';
import { TestAccount, aTenantWithAdmin } from '../factories/accounts';
import { eventually } from '../factories/chargers';
import { clusterEnv, clusterSkipReason } from '../factories/cluster';
import { aRegisteredStation, commandUrl } from './commands.helpers';

const skipReason = clusterSkipReason('the station report suite');
const describeCluster = skipReason ? describe.skip : describe;

const CLUSTER_ENV = { ...clusterEnv('reports'), OCPP_CALL_TIMEOUT_MS: '3000' };

describeCluster(
  `a 2.0.1 station's report read through another node [postgres only]${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let a: TestApp;
    let b: TestApp;
    let admin: TestAccount;
    let sim: ChargingStation201;

    beforeAll(async () => {
      db = await freshDatabase();
      a = await startApp({ ...CLUSTER_ENV, NODE_ID: 'a' }, { databaseUrl: db.env.DATABASE_URL });
      b = await startApp({ ...CLUSTER_ENV, NODE_ID: 'b' }, { databaseUrl: db.env.DATABASE_URL });
    }, 60_000);

    afterAll(async () => {
      await sim?.close().catch(() => undefined);
      await a?.close();
      await b?.close();
      await db?.drop();
    }, 30_000);

    it('lists through B the profiles a station connected to A reports in parts', async () => {
      ({ admin } = await aTenantWithAdmin(a));
      const station = await aRegisteredStation(a, admin);
      sim = new ChargingStation201({
        url: `${a.wsUrl}/ocpp`,
        chargePointId: station.chargePointId,
        evses: 2,
        meterIntervalMs: 0,
      });
      await sim.connect();
      await sim.boot();
      await eventually(async () =>
        expect(await b.app.get(ChargerPresenceService).ownerOf(station.chargePointId)).toBe('a'),
      );
      for (const id of [1, 2, 3])
        await b.http
          .post(commandUrl(station, 'set-charging-profile'))
          .set(admin.auth)
          .send({
            connectorId: 1,
            csChargingProfiles: {
              chargingProfileId: id,
              stackLevel: id,
              chargingProfilePurpose: 'TxDefaultProfile',
              chargingProfileKind: 'Relative',
              chargingSchedule: {
                chargingRateUnit: 'A',
                chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }],
              },
            },
          })
          .expect(200, { status: 'Accepted' });

      const res = await b.http
        .get(`/api/v1/stations/${station.id}/charging-profiles`)
        .set(admin.auth)
        .expect(200);
      expect(res.body.status).toBe('Accepted');
      expect(
        res.body.profiles.map((p: { chargingProfile: { id: number } }) => p.chargingProfile.id).sort(),
      ).toEqual([1, 2, 3]);
      // The route answers once the last part is committed; the station logs it once answered.
      await eventually(async () =>
        expect(sim.sent.filter((c) => c.action === 'ReportChargingProfiles').length).toBeGreaterThan(1),
      );
    });
  },
);
