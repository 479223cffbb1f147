import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aUser } from '../factories/accounts';
import { eventually } from '../factories/chargers';
import { CommandStation, aConnectedCharger, aRegisteredStation, commandUrl } from './commands.helpers';

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const schedule = (...periods: [number, number][]) => ({
  chargingRateUnit: 'A',
  chargingSchedulePeriod: periods.map(([startPeriod, limit]) => ({ startPeriod, limit })),
});

/** What OCPP 1.6 allows is not refused by the REST validation: the charger decides. */
describe('commands OCPP 1.6 allows', () => {
  let t: TestApp;
  let admin: TestAccount;
  const chargers: ChargerSimulator[] = [];
  const online = async (opts: Parameters<typeof aConnectedCharger>[2] = {}) => {
    const station = await aRegisteredStation(t, admin);
    const charger = await aConnectedCharger(t, station, opts);
    chargers.push(charger);
    return { station, charger };
  };
  const send = (station: CommandStation, command: string, body: object) =>
    t.http.post(commandUrl(station, command)).set(admin.auth).send(body);
  const compositeLimits = async (station: CommandStation, connectorId: number) => {
    const res = await send(station, 'get-composite-schedule', {
      connectorId,
      duration: 3600,
      chargingRateUnit: 'A',
    }).expect(200);
    return res.body.chargingSchedule.chargingSchedulePeriod.map((p: { limit: number }) => p.limit);
  };

  beforeAll(async () => {
    t = await startApp();
    admin = await aDefaultTenantAdmin(t);
  });
  afterAll(async () => {
    for (const c of chargers) await c.close();
    await t.close();
  });

  it("sets a TxProfile without transactionId on the connector's running transaction, pausing it with a limit of 0", async () => {
    const { station, charger } = await online();
    const user = await aUser(t);
    await charger.startCharging({ connectorId: 1, idTag: user.idTag });
    const res = await send(station, 'set-charging-profile', {
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 7,
        stackLevel: 1,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: schedule([0, 0]),
      },
    }).expect(200);
    expect(res.body).toEqual({ status: 'Accepted' });
    const sent = await charger.waitFor('SetChargingProfile');
    expect(sent.csChargingProfiles).not.toHaveProperty('transactionId');
    expect(sent.csChargingProfiles.chargingSchedule.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 0 },
    ]);
    expect(await compositeLimits(station, 1)).toEqual([0]);
  });

  it('sets a default profile that pauses charging for a while (limit 0 between two limits)', async () => {
    const { station } = await online();
    const res = await send(station, 'set-charging-profile', {
      connectorId: 2,
      csChargingProfiles: {
        chargingProfileId: 8,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: { ...schedule([0, 0], [1800, 10]), startSchedule: new Date().toISOString() },
      },
    }).expect(200);
    expect(res.body).toEqual({ status: 'Accepted' });
    expect(await compositeLimits(station, 2)).toEqual([0, 10]);
  });

  it('still names a negative limit with 400 and sends nothing', async () => {
    const { station, charger } = await online();
    const res = await send(station, 'set-charging-profile', {
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 9,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: schedule([0, -1]),
      },
    }).expect(400);
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual([
      'csChargingProfiles.chargingSchedule.chargingSchedulePeriod.0.limit',
    ]);
    expect(charger.received.some((c) => c.action === 'SetChargingProfile')).toBe(false);
  });

  it('reserves connector 0 on a charger that supports it; the holder’s start uses the reservation up', async () => {
    const { station, charger } = await online({ reserveConnectorZero: true });
    const user = await aUser(t);
    const res = await send(station, 'reserve-now', {
      connectorId: 0,
      expiryDate: inMinutes(10),
      idTag: user.idTag,
    }).expect(200);
    expect(res.body).toMatchObject({ status: 'Accepted' });
    expect(await charger.waitFor('ReserveNow')).toMatchObject({ connectorId: 0, idTag: user.idTag });
    const listed = async () =>
      (await t.http.get(`/api/v1/reservations?stationId=${station.id}`).set(admin.auth).expect(200)).body
        .items;
    expect(await listed()).toEqual([expect.objectContaining({ connectorId: 0, status: 'active' })]);

    await charger.startCharging({ connectorId: 2, idTag: user.idTag });
    expect(charger.sent.find((c) => c.action === 'StartTransaction')?.params).toMatchObject({
      connectorId: 2,
      reservationId: res.body.reservationId,
    });
    await eventually(async () => expect((await listed())[0].status).toBe('used'));
  });

  it('answers the charger’s Rejected for connector 0 when it does not support it', async () => {
    const { station } = await online();
    const res = await send(station, 'reserve-now', {
      connectorId: 0,
      expiryDate: inMinutes(10),
      idTag: 'ANYONE',
    }).expect(200);
    expect(res.body).toMatchObject({ status: 'Rejected' });
  });
});
