import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { ChargingStation201 } from '../../src/simulator/v201/charging-station';
import { PROFILES_PER_REPORT } from '../../src/simulator/v201/smart-charging';
import { aSimulatedStation201 } from '../factories/charger201';
import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin } from '../factories/accounts';
import { eventually } from '../factories/chargers';
import { CommandStation, aConnectedCharger, aRegisteredStation, commandUrl } from './commands.helpers';

interface Received {
  action: string;
  params: Record<string, unknown>;
}

const profile = (id: number, extra: Record<string, unknown> = {}) => ({
  chargingProfileId: id,
  stackLevel: id % 10,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Absolute',
  chargingSchedule: {
    startSchedule: '2026-01-01T00:00:00Z',
    chargingRateUnit: 'A',
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }],
  },
  ...extra,
});

describe('Smart charging and local lists on OCPP 2.0.1 stations, through the 1.6 routes', () => {
  let t: TestApp;
  let admin: TestAccount;
  let station: CommandStation;
  let sim: ChargingStation201;
  const open: { close(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    t = await startApp({ OCPP_CALL_TIMEOUT_MS: '1500' });
    ({ admin } = await aTenantWithAdmin(t));
    ({ station, sim } = await aStation());
  });
  afterAll(async () => {
    for (const s of open) await s.close();
    await t.close();
  });

  async function aStation() {
    const registered = await aRegisteredStation(t, admin);
    const s = await aSimulatedStation201(t, registered.chargePointId, open, { evses: 2 });
    await s.announceStatuses();
    return { station: registered, sim: s };
  }

  const send = (command: string, body: object = {}, at: CommandStation = station, who = admin) =>
    t.http.post(commandUrl(at, command)).set(who.auth).send(body);
  const profilesOf = (at: CommandStation, query = '', who = admin) =>
    t.http.get(`/api/v1/stations/${at.id}/charging-profiles${query}`).set(who.auth);
  const lastReceived = (s: ChargingStation201, action: string) =>
    (s.received as readonly Received[]).filter((c) => c.action === action).at(-1)?.params;

  describe('charging profiles', () => {
    it('sets a profile translated to 2.0.1: EVSE, id, a one-element schedule list', async () => {
      await send('set-charging-profile', { connectorId: 1, csChargingProfiles: profile(101) }).expect(200, {
        status: 'Accepted',
      });
      expect(lastReceived(sim, 'SetChargingProfile')).toEqual({
        evseId: 1,
        chargingProfile: {
          id: 101,
          stackLevel: 1,
          chargingProfilePurpose: 'TxDefaultProfile',
          chargingProfileKind: 'Absolute',
          chargingSchedule: [
            {
              id: 101,
              startSchedule: '2026-01-01T00:00:00.000Z',
              chargingRateUnit: 'A',
              chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }],
            },
          ],
        },
      });
    });

    it('sends a ChargePointMaxProfile as a ChargingStationMaxProfile on EVSE 0', async () => {
      await send('set-charging-profile', {
        connectorId: 0,
        csChargingProfiles: profile(1, {
          chargingProfilePurpose: 'ChargePointMaxProfile',
          chargingSchedule: {
            chargingRateUnit: 'W',
            startSchedule: '2026-01-01T00:00:00Z',
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }],
          },
        }),
      }).expect(200, { status: 'Accepted' });
      expect(lastReceived(sim, 'SetChargingProfile')).toMatchObject({
        evseId: 0,
        chargingProfile: { id: 1, chargingProfilePurpose: 'ChargingStationMaxProfile' },
      });
    });

    it("limits a running session with a TxProfile naming the charger's string transactionId", async () => {
      const transactionId = await sim.startCharging(2, 'RFID0001');
      const res = await send('set-charging-profile', {
        connectorId: 2,
        csChargingProfiles: profile(7, {
          chargingProfilePurpose: 'TxProfile',
          chargingProfileKind: 'Relative',
          transactionId,
          chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 8 }] },
        }),
      }).expect(200);
      expect(res.body).toEqual({ status: 'Accepted' });
      expect(lastReceived(sim, 'SetChargingProfile')).toMatchObject({
        evseId: 2,
        chargingProfile: { id: 7, transactionId, chargingProfilePurpose: 'TxProfile' },
      });
      await sim.stopCharging(2);
    });

    it('passes on the station’s statusInfo with a Rejected', async () => {
      // The station has no EVSE 3: it rejects, saying why.
      const res = await send('set-charging-profile', {
        connectorId: 3,
        csChargingProfiles: profile(33),
      }).expect(200);
      expect(res.body).toEqual({
        status: 'Rejected',
        statusInfo: { reasonCode: 'InvalidProfile', additionalInfo: 'no EVSE 3' },
      });
    });

    it.each([
      [
        'a TxProfile without a transactionId',
        { connectorId: 1, csChargingProfiles: profile(8, { chargingProfilePurpose: 'TxProfile' }) },
        'csChargingProfiles.transactionId',
      ],
      [
        'a TxProfile with a 1.6 integer transactionId',
        {
          connectorId: 1,
          csChargingProfiles: profile(8, { chargingProfilePurpose: 'TxProfile', transactionId: 5 }),
        },
        'csChargingProfiles.transactionId',
      ],
      [
        'a TxProfile on the station as a whole',
        {
          connectorId: 0,
          csChargingProfiles: profile(8, { chargingProfilePurpose: 'TxProfile', transactionId: 'tx-1' }),
        },
        'csChargingProfiles.connectorId',
      ],
      [
        'a station-wide profile on an EVSE',
        {
          connectorId: 1,
          csChargingProfiles: profile(8, { chargingProfilePurpose: 'ChargePointMaxProfile' }),
        },
        'csChargingProfiles.chargingProfilePurpose',
      ],
      [
        'periods out of order',
        {
          connectorId: 1,
          csChargingProfiles: profile(8, {
            chargingSchedule: {
              chargingRateUnit: 'A',
              startSchedule: '2026-01-01T00:00:00Z',
              chargingSchedulePeriod: [
                { startPeriod: 0, limit: 10 },
                { startPeriod: 0, limit: 6 },
              ],
            },
          }),
        },
        'csChargingProfiles.chargingSchedule.chargingSchedulePeriod.1.startPeriod',
      ],
      [
        'a negative limit',
        {
          connectorId: 1,
          csChargingProfiles: profile(8, {
            chargingSchedule: {
              chargingRateUnit: 'A',
              chargingSchedulePeriod: [{ startPeriod: 0, limit: -1 }],
            },
          }),
        },
        'csChargingProfiles.chargingSchedule.chargingSchedulePeriod.0.limit',
      ],
      [
        'a negative stack level',
        { connectorId: 1, csChargingProfiles: profile(8, { stackLevel: -1 }) },
        'csChargingProfiles.stackLevel',
      ],
      [
        'a rate unit other than A or W',
        {
          connectorId: 1,
          csChargingProfiles: profile(8, {
            chargingSchedule: {
              chargingRateUnit: 'kW',
              chargingSchedulePeriod: [{ startPeriod: 0, limit: 1 }],
            },
          }),
        },
        'csChargingProfiles.chargingSchedule.chargingRateUnit',
      ],
      [
        'more than 1024 periods',
        {
          connectorId: 1,
          csChargingProfiles: profile(8, {
            chargingSchedule: {
              chargingRateUnit: 'A',
              chargingSchedulePeriod: Array.from({ length: 1025 }, (_, i) => ({
                startPeriod: i * 60,
                limit: 6,
              })),
            },
          }),
        },
        'csChargingProfiles.chargingSchedule.chargingSchedulePeriod',
      ],
    ])('refuses %s with 400 naming the field, sending nothing', async (_case, body, field) => {
      const before = sim.received.length;
      const res = await send('set-charging-profile', body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(sim.received.length).toBe(before);
    });

    it('lists what the station holds, from a report in several parts, with filters', async () => {
      for (const id of [102, 103, 104])
        await send('set-charging-profile', { connectorId: 1, csChargingProfiles: profile(id) }).expect(200);
      const res = await profilesOf(station).expect(200);
      expect(res.body.status).toBe('Accepted');
      const ids = (res.body.profiles as { evseId: number; chargingProfile: { id: number } }[])
        .map((p) => [p.evseId, p.chargingProfile.id])
        .sort((a, b) => a[1] - b[1]);
      expect(ids).toEqual([
        [0, 1],
        [1, 101],
        [1, 102],
        [1, 103],
        [1, 104],
      ]);
      expect(res.body.profiles[0]).toMatchObject({ chargingLimitSource: 'CSO' });
      // Five profiles on two EVSEs came in three parts, tbc on all but the last.
      const request = lastReceived(sim, 'GetChargingProfiles')!;
      // The route answers once the last part is committed; the station logs it once answered.
      await eventually(async () => {
        const parts = (sim.sent as readonly Received[]).filter(
          (c) => c.action === 'ReportChargingProfiles' && c.params.requestId === request.requestId,
        );
        expect(parts.length).toBe(1 + Math.ceil(4 / PROFILES_PER_REPORT));
        expect(parts.map((p) => p.params.tbc ?? false)).toEqual([true, true, false]);
      });

      const filtered = await profilesOf(station, '?evseId=1&purpose=TxDefaultProfile&stackLevel=2').expect(
        200,
      );
      expect(
        filtered.body.profiles.map((p: { chargingProfile: { id: number } }) => p.chargingProfile.id),
      ).toEqual([102]);
      expect(lastReceived(sim, 'GetChargingProfiles')).toEqual({
        requestId: expect.any(Number),
        evseId: 1,
        chargingProfile: { chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 2 },
      });
      expect(lastReceived(sim, 'GetChargingProfiles')!.requestId).not.toBe(request.requestId);
    });

    it('answers the composite schedule in the 1.6 shape, from the station’s profiles', async () => {
      const res = await send('get-composite-schedule', {
        connectorId: 1,
        duration: 3600,
        chargingRateUnit: 'A',
      }).expect(200);
      expect(lastReceived(sim, 'GetCompositeSchedule')).toEqual({
        evseId: 1,
        duration: 3600,
        chargingRateUnit: 'A',
      });
      expect(res.body).toEqual({
        status: 'Accepted',
        connectorId: 1,
        scheduleStart: expect.any(String),
        chargingSchedule: {
          duration: 3600,
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 10, numberPhases: 3 }],
        },
      });
      const unknown = await send('get-composite-schedule', { connectorId: 9, duration: 60 }).expect(200);
      expect(unknown.body).toMatchObject({ status: 'Rejected', statusInfo: { reasonCode: 'UnknownEvse' } });
    });

    it('clears by id and by criteria, then the station reports no profiles', async () => {
      await send('clear-charging-profile', { id: 101 }).expect(200, { status: 'Accepted' });
      expect(lastReceived(sim, 'ClearChargingProfile')).toEqual({ chargingProfileId: 101 });
      await send('clear-charging-profile', { id: 101 }).expect(200, { status: 'Unknown' });
      await send('clear-charging-profile', {
        connectorId: 1,
        chargingProfilePurpose: 'TxDefaultProfile',
      }).expect(200, { status: 'Accepted' });
      expect(lastReceived(sim, 'ClearChargingProfile')).toEqual({
        chargingProfileCriteria: { evseId: 1, chargingProfilePurpose: 'TxDefaultProfile' },
      });
      await send('clear-charging-profile', { chargingProfilePurpose: 'ChargePointMaxProfile' }).expect(200, {
        status: 'Accepted',
      });
      expect(lastReceived(sim, 'ClearChargingProfile')).toEqual({
        chargingProfileCriteria: { chargingProfilePurpose: 'ChargingStationMaxProfile' },
      });
      await profilesOf(station).expect(200, { status: 'NoProfiles', profiles: [] });
    });

    describe('in the 2.0.1 shape', () => {
      const native = (extra: Record<string, unknown> = {}, evseId = 1) => ({
        evseId,
        chargingProfile: {
          id: 201,
          stackLevel: 3,
          chargingProfilePurpose: 'TxDefaultProfile',
          chargingProfileKind: 'Absolute',
          chargingSchedule: [
            {
              id: 1,
              startSchedule: '2026-01-01T01:00:00+01:00',
              chargingRateUnit: 'W',
              chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000, numberPhases: 3 }],
            },
            {
              id: 2,
              chargingRateUnit: 'A',
              startSchedule: '2026-01-01T00:00:00Z',
              chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 2 }],
            },
          ],
          ...extra,
        },
      });

      it('sends it as given (times in UTC), with several schedules, and lists it', async () => {
        await send('set-charging-profile', native()).expect(200, { status: 'Accepted' });
        const sent = lastReceived(sim, 'SetChargingProfile') as { chargingProfile: Record<string, unknown> };
        expect(sent).toEqual({
          evseId: 1,
          chargingProfile: {
            ...native().chargingProfile,
            chargingSchedule: [
              { ...native().chargingProfile.chargingSchedule[0], startSchedule: '2026-01-01T00:00:00.000Z' },
              { ...native().chargingProfile.chargingSchedule[1], startSchedule: '2026-01-01T00:00:00.000Z' },
            ],
          },
        });
        const listed = await profilesOf(station, '?evseId=1').expect(200);
        expect(listed.body.profiles).toEqual([
          { evseId: 1, chargingLimitSource: 'CSO', chargingProfile: sent.chargingProfile },
        ]);
        await send('clear-charging-profile', { id: 201 }).expect(200, { status: 'Accepted' });
      });

      it.each([
        [
          'ChargingStationExternalConstraints',
          native({ chargingProfilePurpose: 'ChargingStationExternalConstraints' }, 0),
          'chargingProfile.chargingProfilePurpose',
        ],
        [
          'a ChargingStationMaxProfile on an EVSE',
          native({ chargingProfilePurpose: 'ChargingStationMaxProfile' }),
          'chargingProfile.chargingProfilePurpose',
        ],
        [
          'a TxProfile without transactionId',
          native({ chargingProfilePurpose: 'TxProfile' }),
          'chargingProfile.transactionId',
        ],
        [
          'periods out of order in the second schedule',
          native({
            chargingSchedule: [
              { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }] },
              {
                id: 2,
                chargingRateUnit: 'A',
                chargingSchedulePeriod: [
                  { startPeriod: 0, limit: 6 },
                  { startPeriod: 0, limit: 8 },
                ],
              },
            ],
          }),
          'chargingProfile.chargingSchedule.1.chargingSchedulePeriod.1.startPeriod',
        ],
        [
          'two schedules with one id',
          native({
            chargingSchedule: [1, 1].map((id) => ({
              id,
              chargingRateUnit: 'A',
              startSchedule: '2026-01-01T00:00:00Z',
              chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }],
            })),
          }),
          'chargingProfile.chargingSchedule.1.id',
        ],
        [
          'four schedules',
          native({
            chargingSchedule: [1, 2, 3, 4].map((id) => ({
              id,
              chargingRateUnit: 'A',
              chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }],
            })),
          }),
          'chargingProfile.chargingSchedule',
        ],
        ['no profile', { evseId: 1 }, 'chargingProfile'],
        ['a field of neither shape', { ...native(), connectorId: 1 }, 'connectorId'],
        ['a 1.6 field inside', native({ chargingProfileId: 5 }), 'chargingProfile.chargingProfileId'],
      ])('refuses %s with 400 naming the field, sending nothing', async (_case, body, field) => {
        const before = sim.received.length;
        const res = await send('set-charging-profile', body).expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
        expect(sim.received.length).toBe(before);
      });
    });

    it('times out when the station never sends the last part', async () => {
      const { station: other, sim: silent } = await aStation();
      silent.respond('GetChargingProfiles' as never, { status: 'Accepted' } as never);
      const res = await profilesOf(other).expect(504);
      expect(res.body.code).toBe('CHARGER_TIMEOUT');
    });

    it('refuses bad filters with 400', async () => {
      for (const q of [
        '?evseId=-1',
        '?evseId=x',
        '?purpose=ChargePointMaxProfile',
        '?stackLevel=-2',
        '?other=1',
      ])
        expect((await profilesOf(station, q).expect(400)).body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('local list', () => {
    it('sends a full list with typed IdTokens, a differential one, and reads the version', async () => {
      const rfid = (
        await t.http.post('/api/v1/id-tags').set(admin.auth).send({ idTag: 'CARD0001' }).expect(201)
      ).body.id as string;
      await t.http.post('/api/v1/id-tags').set(admin.auth).send({ idTag: 'CARD0002' }).expect(201);
      const full = await send('send-local-list', { updateType: 'Full' }).expect(200);
      expect(full.body).toEqual({ status: 'Accepted', listVersion: 1, entries: 3 });
      expect(lastReceived(sim, 'SendLocalList')).toEqual({
        versionNumber: 1,
        updateType: 'Full',
        localAuthorizationList: [
          { idToken: { idToken: 'CARD0001', type: 'ISO14443' }, idTokenInfo: { status: 'Accepted' } },
          { idToken: { idToken: 'CARD0002', type: 'ISO14443' }, idTokenInfo: { status: 'Accepted' } },
          { idToken: { idToken: admin.idTag, type: 'Central' }, idTokenInfo: { status: 'Accepted' } },
        ].sort((a, b) => (a.idToken.idToken < b.idToken.idToken ? -1 : 1)),
      });
      expect(sim.smartCharging.localListVersion).toBe(1);

      await t.http.patch(`/api/v1/id-tags/${rfid}`).set(admin.auth).send({ status: 'blocked' }).expect(200);
      const diff = await send('send-local-list', { updateType: 'Differential' }).expect(200);
      expect(diff.body).toEqual({ status: 'Accepted', listVersion: 2, entries: 1 });
      expect(lastReceived(sim, 'SendLocalList')).toEqual({
        versionNumber: 2,
        updateType: 'Differential',
        localAuthorizationList: [
          { idToken: { idToken: 'CARD0001', type: 'ISO14443' }, idTokenInfo: { status: 'Blocked' } },
        ],
      });
      expect(sim.smartCharging.localList.get('CARD0001')?.idTokenInfo).toEqual({ status: 'Blocked' });

      // Nothing changed: the list is left out, as 2.0.1 wants no empty list.
      await send('send-local-list', { updateType: 'Differential' }).expect(200, {
        status: 'Accepted',
        listVersion: 3,
        entries: 0,
      });
      expect(lastReceived(sim, 'SendLocalList')).toEqual({ versionNumber: 3, updateType: 'Differential' });

      await send('get-local-list-version').expect(200, { listVersion: 3, lastSentListVersion: 3 });
      expect(lastReceived(sim, 'GetLocalListVersion')).toEqual({});
    });

    it('keeps the stored version when the station refuses (VersionMismatch)', async () => {
      const res = await send('send-local-list', { updateType: 'Differential', listVersion: 2 }).expect(200);
      expect(res.body).toEqual({ status: 'VersionMismatch', listVersion: 2, entries: 0 });
      await send('get-local-list-version').expect(200, { listVersion: 3, lastSentListVersion: 3 });
    });
  });

  describe('tenancy and protocol', () => {
    it("is 404 for another tenant's station, whatever the body", async () => {
      const { admin: foreign } = await aTenantWithAdmin(t);
      for (const [command, body] of [
        ['set-charging-profile', { connectorId: 1, csChargingProfiles: profile(9) }],
        ['clear-charging-profile', {}],
        ['get-composite-schedule', { connectorId: 1, duration: 60 }],
        ['send-local-list', { updateType: 'Full' }],
        ['get-local-list-version', {}],
      ] as const)
        await send(command, body, station, foreign).expect(404);
      await profilesOf(station, '', foreign).expect(404);
    });

    it('answers 409 UNSUPPORTED_BY_PROTOCOL for the charging profile list of a 1.6 station', async () => {
      const station16 = await aRegisteredStation(t, admin);
      const charger: ChargerSimulator = await aConnectedCharger(t, station16);
      open.push(charger);
      const res = await profilesOf(station16).expect(409);
      expect(res.body.code).toBe('UNSUPPORTED_BY_PROTOCOL');
      const native = await send(
        'set-charging-profile',
        {
          evseId: 1,
          chargingProfile: {
            id: 1,
            stackLevel: 0,
            chargingProfilePurpose: 'TxDefaultProfile',
            chargingProfileKind: 'Relative',
            chargingSchedule: [
              { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }] },
            ],
          },
        },
        station16,
      ).expect(409);
      expect(native.body.code).toBe('UNSUPPORTED_BY_PROTOCOL');
      // The 1.6 routes still speak 1.6 to it, and a 1.6 transactionId is an integer.
      await send(
        'set-charging-profile',
        { connectorId: 1, csChargingProfiles: profile(5) },
        station16,
      ).expect(200, {
        status: 'Accepted',
      });
      const bad = await send(
        'set-charging-profile',
        {
          connectorId: 1,
          csChargingProfiles: profile(5, { chargingProfilePurpose: 'TxProfile', transactionId: 'x' }),
        },
        station16,
      ).expect(400);
      expect(bad.body.details.fields[0].field).toBe('csChargingProfiles.transactionId');
    });
  });
});
