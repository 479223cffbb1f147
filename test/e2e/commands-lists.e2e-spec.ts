import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin, aUser } from '../factories/accounts';
import { CommandStation, aConnectedCharger, aRegisteredStation, commandUrl } from './commands.helpers';

const PROFILE = {
  chargingProfileId: 101,
  stackLevel: 1,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Absolute',
  chargingSchedule: {
    chargingRateUnit: 'A',
    chargingSchedulePeriod: [
      { startPeriod: 0, limit: 10 },
      { startPeriod: 600, limit: 6 },
    ],
  },
};

describe('Local authorization lists and smart charging commands', () => {
  let t: TestApp;
  let admin: TestAccount;
  let station: CommandStation;
  let charger: ChargerSimulator;

  beforeAll(async () => {
    t = await startApp({ OCPP_CALL_TIMEOUT_MS: '400' });
    ({ admin } = await aTenantWithAdmin(t));
    station = await aRegisteredStation(t, admin);
    charger = await aConnectedCharger(t, station);
  });
  afterAll(async () => {
    await charger.close();
    await t.close();
  });

  const send = (command: string, body: object = {}, at: CommandStation = station) =>
    t.http.post(commandUrl(at, command)).set(admin.auth).send(body);
  const anRfidTag = async (idTag: string) =>
    (await t.http.post('/api/v1/id-tags').set(admin.auth).send({ idTag }).expect(201)).body.id as string;
  const block = (tagId: string) =>
    t.http.patch(`/api/v1/id-tags/${tagId}`).set(admin.auth).send({ status: 'blocked' }).expect(200);
  const statusOf = (idTag: string) => charger.localAuthList.get(idTag)?.status;

  describe('SendLocalList / GetLocalListVersion', () => {
    let first: string;
    let third: string;

    it('a full update sends every idTag of the tenant, and only those, with its status', async () => {
      await aUser(t); // a driver of another tenant: never on this tenant's chargers
      first = await anRfidTag('RFID0001');
      third = await anRfidTag('RFID0003');
      await block(third);
      const res = await send('send-local-list', { updateType: 'Full' }).expect(200);
      expect(res.body).toEqual({ status: 'Accepted', listVersion: 1, entries: 3 });
      expect(Object.fromEntries([...charger.localAuthList].map(([tag, info]) => [tag, info.status]))).toEqual(
        {
          [admin.idTag]: 'Accepted',
          RFID0001: 'Accepted',
          RFID0003: 'Blocked',
        },
      );
      expect(charger.localListVersion).toBe(1);
    });

    it('a differential update sends only what changed since, removals included', async () => {
      await block(first);
      await anRfidTag('RFID0004');
      await t.http.delete(`/api/v1/id-tags/${third}`).set(admin.auth).expect(204);
      const res = await send('send-local-list', { updateType: 'Differential' }).expect(200);
      expect(res.body).toEqual({ status: 'Accepted', listVersion: 2, entries: 3 });
      const sent = await charger.waitFor('SendLocalList', (p) => p.updateType === 'Differential');
      expect(sent.localAuthorizationList).toEqual([
        { idTag: 'RFID0001', idTagInfo: { status: 'Blocked' } },
        { idTag: 'RFID0004', idTagInfo: { status: 'Accepted' } },
        { idTag: 'RFID0003' },
      ]);
      expect(statusOf('RFID0001')).toBe('Blocked');
      expect(statusOf('RFID0004')).toBe('Accepted');
      expect(statusOf('RFID0003')).toBeUndefined();
    });

    it('reads the charger’s list version next to the last one it accepted from us', async () => {
      const res = await send('get-local-list-version').expect(200);
      expect(res.body).toEqual({ listVersion: 2, lastSentListVersion: 2 });
    });

    it('answers the charger’s refusal and keeps the last accepted list', async () => {
      await send('change-configuration', { key: 'LocalAuthListEnabled', value: 'false' }).expect(200);
      const res = await send('send-local-list', { updateType: 'Full' }).expect(200);
      expect(res.body.status).toBe('NotSupported');
      expect((await send('get-local-list-version').expect(200)).body).toEqual({
        listVersion: -1,
        lastSentListVersion: 2,
      });
      await send('change-configuration', { key: 'LocalAuthListEnabled', value: 'true' }).expect(200);
    });

    it('refuses a differential update before any full one with 409', async () => {
      const fresh = await aRegisteredStation(t, admin);
      const freshCharger = await aConnectedCharger(t, fresh);
      const res = await send('send-local-list', { updateType: 'Differential' }, fresh).expect(409);
      expect(res.body.code).toBe('CONFLICT');
      expect(freshCharger.received.some((c) => c.action === 'SendLocalList')).toBe(false);
      await freshCharger.close();
    });
  });

  describe('SetChargingProfile / ClearChargingProfile / GetCompositeSchedule', () => {
    it('installs a valid profile that the composite schedule then follows', async () => {
      const res = await send('set-charging-profile', { connectorId: 1, csChargingProfiles: PROFILE }).expect(
        200,
      );
      expect(res.body).toEqual({ status: 'Accepted' });
      const schedule = await send('get-composite-schedule', {
        connectorId: 1,
        duration: 1200,
        chargingRateUnit: 'A',
      }).expect(200);
      expect(schedule.body).toMatchObject({
        status: 'Accepted',
        connectorId: 1,
        chargingSchedule: {
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 10 },
            { startPeriod: 600, limit: 6 },
          ],
        },
      });
      const station0 = await send('get-composite-schedule', { connectorId: 0, duration: 600 }).expect(200);
      expect(station0.body.status).toBe('Accepted');
    });

    it('refuses an invalid profile with 400 naming each field, and sends nothing', async () => {
      const before = charger.received.filter((c) => c.action === 'SetChargingProfile').length;
      const res = await send('set-charging-profile', {
        connectorId: 1,
        csChargingProfiles: {
          ...PROFILE,
          transactionId: 5,
          chargingSchedule: {
            chargingRateUnit: 'A',
            chargingSchedulePeriod: [
              { startPeriod: 60, limit: 16 },
              { startPeriod: 30, limit: -1 },
            ],
          },
        },
      }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual([
        'csChargingProfiles.transactionId',
        'csChargingProfiles.chargingSchedule.chargingSchedulePeriod.0.startPeriod',
        'csChargingProfiles.chargingSchedule.chargingSchedulePeriod.1.startPeriod',
        'csChargingProfiles.chargingSchedule.chargingSchedulePeriod.1.limit',
      ]);
      const unit = await send('set-charging-profile', {
        connectorId: 1,
        csChargingProfiles: {
          ...PROFILE,
          chargingSchedule: { ...PROFILE.chargingSchedule, chargingRateUnit: 'kW' },
        },
      }).expect(400);
      expect(unit.body.details.fields.map((f: { field: string }) => f.field)).toEqual([
        'csChargingProfiles.chargingSchedule.chargingRateUnit',
      ]);
      expect(charger.received.filter((c) => c.action === 'SetChargingProfile')).toHaveLength(before);
    });

    it('answers the charger’s Rejected for a profile it cannot hold', async () => {
      const res = await send('set-charging-profile', {
        connectorId: 1,
        csChargingProfiles: { ...PROFILE, chargingProfileId: 102, stackLevel: 50 },
      }).expect(200);
      expect(res.body).toEqual({ status: 'Rejected' });
    });

    it('clears a profile by id, and says Unknown the second time', async () => {
      await expect(send('clear-charging-profile', { id: 101 }).expect(200)).resolves.toMatchObject({
        body: { status: 'Accepted' },
      });
      expect(charger.chargingProfiles.all).toEqual([]);
      const again = await send('clear-charging-profile', { id: 101 }).expect(200);
      expect(again.body).toEqual({ status: 'Unknown' });
    });
  });
});
