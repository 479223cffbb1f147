import { spawnSync } from 'node:child_process';
import { ChargerPresenceService } from '../../src/cluster/charger-presence.service';
import { ChargingStation201 } from '../../src/simulator/v201/charging-station';
import { TestApp, freshDatabase, startApp } from '../app';
import { TestAccount, aTenantWithAdmin } from '../factories/accounts';
import { eventually } from '../factories/chargers';
import { aRegisteredStation, commandUrl } from './commands.helpers';

const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** Whether a TCP connection to the broker opens within a second (as in cluster.e2e-spec.ts). */
function natsReachable(url: string): boolean {
  const { hostname, port } = new URL(url);
  const probe = `require('net').connect(${Number(port) || 4222}, ${JSON.stringify(hostname)})
    .on('connect', () => process.exit(0)).on('error', () => process.exit(1))
    .setTimeout(1000, () => process.exit(1));`;
  return spawnSync(process.execPath, ['-e', probe], { timeout: 3000 }).status === 0;
}

const skipReason = !process.env.TEST_DATABASE_URL
  ? 'needs TEST_DATABASE_URL (PostgreSQL shared by both nodes)'
  : !natsReachable(NATS_URL)
    ? `needs a NATS server at ${NATS_URL}`
    : null;
const describeCluster = skipReason ? describe.skip : describe;
if (skipReason) console.warn(`SKIPPED [postgres only]: the station report suite ${skipReason}`);

const CLUSTER_ENV = {
  NATS_URL,
  NATS_SUBJECT_PREFIX: `kwtest-reports-${process.pid}-${Date.now().toString(36)}`,
  JWT_SECRET: 'cluster-test-secret-shared-by-both-nodes-0123456789',
  CHARGER_CREDENTIAL_PEPPER: 'cluster-test-pepper-shared-by-both-nodes-0123456789',
  PRESENCE_HEARTBEAT_MS: '300',
  PRESENCE_TTL_MS: '1500',
  OCPP_CALL_TIMEOUT_MS: '3000',
};

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
      expect(sim.sent.filter((c) => c.action === 'ReportChargingProfiles').length).toBeGreaterThan(1);
    });
  },
);
