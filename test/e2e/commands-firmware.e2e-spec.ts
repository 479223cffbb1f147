import { createRPCError } from 'ocpp-rpc';
import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aTenantWithAdmin, aUser } from '../factories/accounts';
import { eventually } from '../factories/chargers';
import { CommandStation, aConnectedCharger, aRegisteredStation, commandUrl } from './commands.helpers';

const FIRMWARE = 'https://firmware.example.com/wb-2.4.1.bin';

describe('Firmware: UpdateFirmware with tracked progress, and rollouts to many stations', () => {
  let t: TestApp;
  let admin: TestAccount;
  const chargers: ChargerSimulator[] = [];

  beforeAll(async () => {
    t = await startApp({ OCPP_CALL_TIMEOUT_MS: '400' });
    admin = await aDefaultTenantAdmin(t);
  });
  afterAll(async () => {
    for (const c of chargers) await c.close();
    await t.close();
  });

  async function aStationWithCharger(model: string, body: Record<string, unknown> = {}) {
    const station = await aRegisteredStation(t, admin, body);
    const charger = await aConnectedCharger(t, station, { model, firmwareStepDelayMs: 20 });
    chargers.push(charger);
    return { station, charger };
  }

  const firmwareOf = async (station: CommandStation) =>
    (await t.http.get(`/api/v1/stations/${station.id}/firmware`).set(admin.auth).expect(200)).body;

  /** A charger whose installation fails after downloading. */
  const failingInstall = (charger: ChargerSimulator) =>
    charger.respond('UpdateFirmware', () => {
      setTimeout(() => {
        void (async () => {
          for (const s of ['Downloading', 'Downloaded', 'Installing', 'InstallationFailed'] as const)
            await charger.firmwareStatusNotification(s);
        })();
      }, 20);
      return {};
    });

  it('update-firmware is accepted and the station shows the progress up to Installed', async () => {
    const { station, charger } = await aStationWithCharger('WB-1');
    const res = await t.http
      .post(commandUrl(station, 'update-firmware'))
      .set(admin.auth)
      .send({ location: FIRMWARE, retries: 2 })
      .expect(200);
    expect(res.body).toEqual({ status: 'Accepted', firmwareUpdateId: expect.any(String) });
    const sent = await charger.waitFor('UpdateFirmware');
    expect(sent).toMatchObject({ location: FIRMWARE, retries: 2 });
    expect(Date.parse(sent.retrieveDate)).toBeLessThanOrEqual(Date.now());

    const shown = await eventually(async () => {
      const f = await firmwareOf(station);
      expect(f.updates[0]).toMatchObject({ id: res.body.firmwareUpdateId, status: 'Installed' });
      // The station's status and the update's are two reads; the last notification may land between them.
      expect(f.firmwareStatus).toBe('Installed');
      return f;
    });
    expect(shown.firmwareStatus).toBe('Installed');
    // The charger logs a notification once answered, after Kilowatt committed what the API shows.
    await eventually(async () =>
      expect(
        charger.sent.filter((c) => c.action === 'FirmwareStatusNotification').map((c) => c.params.status),
      ).toEqual(['Downloading', 'Downloaded', 'Installing', 'Installed']),
    );
  });

  it('update-firmware to an offline station answers 409 and records the update as offline', async () => {
    const station = await aRegisteredStation(t, admin);
    const res = await t.http
      .post(commandUrl(station, 'update-firmware'))
      .set(admin.auth)
      .send({ location: FIRMWARE })
      .expect(409);
    expect(res.body.code).toBe('STATION_OFFLINE');
    expect((await firmwareOf(station)).updates[0]).toMatchObject({
      status: 'offline',
      errorCode: 'STATION_OFFLINE',
    });
  });

  it('refuses a location that is not a URL, naming the field', async () => {
    const { station } = await aStationWithCharger('WB-1');
    const res = await t.http
      .post(commandUrl(station, 'update-firmware'))
      .set(admin.auth)
      .send({ location: 'not a url' })
      .expect(400);
    expect(res.body.details.fields[0].field).toBe('location');
  });

  it('a rollout by model reaches every station of that model, each with its own status', async () => {
    const ok = await aStationWithCharger('WB-2');
    const failing = await aStationWithCharger('WB-2');
    failingInstall(failing.charger);
    const gone = await aStationWithCharger('WB-2');
    await gone.charger.close();
    const other = await aStationWithCharger('WB-3');
    await eventually(async () => {
      const s = await t.http.get(`/api/v1/stations/${gone.station.id}`).set(admin.auth).expect(200);
      expect(s.body.online).toBe(false);
    });

    const created = await t.http
      .post('/api/v1/firmware-rollouts')
      .set(admin.auth)
      .send({ location: FIRMWARE, model: 'WB-2' })
      .expect(201);
    expect(created.body.target).toEqual({ model: 'WB-2' });
    expect(created.body.stations).toHaveLength(3);
    expect(created.body.summary).toEqual({ pending: 3 });

    const done = await eventually(async () => {
      const r = await t.http.get(`/api/v1/firmware-rollouts/${created.body.id}`).set(admin.auth).expect(200);
      const byStation = Object.fromEntries(
        r.body.stations.map((s: { stationId: string; status: string }) => [s.stationId, s.status]),
      );
      expect(byStation).toEqual({
        [ok.station.id]: 'Installed',
        [failing.station.id]: 'InstallationFailed',
        [gone.station.id]: 'offline',
      });
      return r.body;
    });
    expect(done.summary).toEqual({ Installed: 1, InstallationFailed: 1, offline: 1 });
    expect(other.charger.received.some((c) => c.action === 'UpdateFirmware')).toBe(false);
  });

  it('a rollout by site or by list records rejections and timeouts per station', async () => {
    const site = await t.http.post('/api/v1/sites').set(admin.auth).send({ name: 'Depot' }).expect(201);
    const refusing = await aStationWithCharger('WB-4', { siteId: site.body.id });
    refusing.charger.respond('UpdateFirmware', () => {
      throw createRPCError('NotSupported', 'firmware is managed locally');
    });
    const silent = await aStationWithCharger('WB-4', { siteId: site.body.id });
    silent.charger.respond('UpdateFirmware', 'silent');

    const bySite = await t.http
      .post('/api/v1/firmware-rollouts')
      .set(admin.auth)
      .send({ location: FIRMWARE, siteId: site.body.id })
      .expect(201);
    await eventually(async () => {
      const r = await t.http.get(`/api/v1/firmware-rollouts/${bySite.body.id}`).set(admin.auth).expect(200);
      expect(r.body.summary).toEqual({ rejected: 1, timeout: 1 });
    });

    const ok = await aStationWithCharger('WB-5');
    const byList = await t.http
      .post('/api/v1/firmware-rollouts')
      .set(admin.auth)
      .send({ location: FIRMWARE, stationIds: [ok.station.id, refusing.station.id] })
      .expect(201);
    await eventually(async () => {
      const r = await t.http.get(`/api/v1/firmware-rollouts/${byList.body.id}`).set(admin.auth).expect(200);
      expect(r.body.summary).toEqual({ Installed: 1, rejected: 1 });
    });
  });

  it('refuses a rollout without exactly one target, or one that matches nothing', async () => {
    const none = await t.http
      .post('/api/v1/firmware-rollouts')
      .set(admin.auth)
      .send({ location: FIRMWARE })
      .expect(400);
    expect(none.body.details.fields.map((f: { field: string }) => f.field)).toEqual([
      'siteId',
      'model',
      'stationIds',
    ]);
    await t.http
      .post('/api/v1/firmware-rollouts')
      .set(admin.auth)
      .send({ location: FIRMWARE, model: 'WB-2', siteId: '3f1c6f1d-9a11-4d8e-9d43-0b6f3a5252d4' })
      .expect(400);
    const nothing = await t.http
      .post('/api/v1/firmware-rollouts')
      .set(admin.auth)
      .send({ location: FIRMWARE, model: 'No such model' })
      .expect(400);
    expect(nothing.body.code).toBe('VALIDATION_FAILED');
  });

  it('keeps rollouts and stations inside the tenant', async () => {
    const { station } = await aStationWithCharger('WB-6');
    const mine = await t.http
      .post('/api/v1/firmware-rollouts')
      .set(admin.auth)
      .send({ location: FIRMWARE, stationIds: [station.id] })
      .expect(201);
    const other = await aTenantWithAdmin(t);
    await t.http
      .post('/api/v1/firmware-rollouts')
      .set(other.admin.auth)
      .send({ location: FIRMWARE, stationIds: [station.id] })
      .expect(404);
    await t.http.get(`/api/v1/firmware-rollouts/${mine.body.id}`).set(other.admin.auth).expect(404);
    await t.http.get(`/api/v1/stations/${station.id}/firmware`).set(other.admin.auth).expect(404);
    const user = await aUser(t);
    await t.http.get(`/api/v1/firmware-rollouts/${mine.body.id}`).set(user.auth).expect(403);
  });
});
