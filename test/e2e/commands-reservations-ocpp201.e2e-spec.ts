import { ChargingStation201 } from '../../src/simulator/v201/charging-station';
import { aSimulatedStation201 } from '../factories/charger201';
import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin, aUser } from '../factories/accounts';
import { eventually } from '../factories/chargers';
import { CommandStation, aRegisteredStation, commandUrl } from './commands.helpers';

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

interface Received {
  action: string;
  params: Record<string, unknown>;
}

describe('Reservations on OCPP 2.0.1 stations: ReserveNow, CancelReservation, ReservationStatusUpdate', () => {
  let t: TestApp;
  let admin: TestAccount;
  const open: ChargingStation201[] = [];

  beforeAll(async () => {
    // The sweep waits a minute: an expiry seen here is the station's ReservationStatusUpdate.
    t = await startApp({ OCPP_CALL_TIMEOUT_MS: '2000', RESERVATION_SWEEP_SECONDS: '60' });
    ({ admin } = await aTenantWithAdmin(t));
  });
  afterAll(async () => {
    for (const s of open) await s.close();
    await t.close();
  });

  async function aStation(body: Record<string, unknown> = {}) {
    const station = await aRegisteredStation(t, admin, body);
    const sim = await aSimulatedStation201(t, station.chargePointId, open, { evses: 2 });
    await sim.announceStatuses();
    return { station, sim };
  }

  const reserve = (station: CommandStation, body: object, who = admin) =>
    t.http.post(commandUrl(station, 'reserve-now')).set(who.auth).send(body);
  const reservation = async (station: CommandStation, id: string) =>
    (
      (await t.http.get(`/api/v1/reservations?stationId=${station.id}`).set(admin.auth).expect(200)).body
        .items as { id: string; status: string; chargerStatus: string | null }[]
    ).find((r) => r.id === id);
  const lastReceived = (sim: ChargingStation201, action: string) =>
    (sim.received as readonly Received[]).filter((c) => c.action === action).at(-1)?.params;

  it('sends ReserveNow with the EVSE and a Central idToken, and CancelReservation by the same id', async () => {
    const { station, sim } = await aStation();
    const expiry = inMinutes(10);
    const res = await reserve(station, {
      connectorId: 2,
      expiryDate: expiry,
      idTag: 'HOLDER01',
      parentIdTag: 'FLEET01',
    }).expect(200);
    expect(res.body).toEqual({
      status: 'Accepted',
      reservationId: expect.any(Number),
      id: expect.any(String),
    });
    expect(lastReceived(sim, 'ReserveNow')).toEqual({
      id: res.body.reservationId,
      expiryDateTime: expiry,
      idToken: { idToken: 'HOLDER01', type: 'Central' },
      groupIdToken: { idToken: 'FLEET01', type: 'Central' },
      evseId: 2,
    });
    expect(sim.reservations.get(res.body.reservationId)).toMatchObject({ evseId: 2, idToken: 'HOLDER01' });
    await eventually(async () => {
      const s = await t.http.get(`/api/v1/stations/${station.id}`).set(admin.auth).expect(200);
      expect(s.body.connectors).toContainEqual(
        expect.objectContaining({ connectorId: 2, status: 'Reserved' }),
      );
    });
    expect(await reservation(station, res.body.id)).toMatchObject({
      status: 'active',
      chargerStatus: 'Accepted',
    });

    const cancelled = await t.http
      .post(`/api/v1/reservations/${res.body.id}/cancel`)
      .set(admin.auth)
      .expect(200);
    expect(cancelled.body).toMatchObject({ id: res.body.id, status: 'cancelled' });
    expect(lastReceived(sim, 'CancelReservation')).toEqual({ reservationId: res.body.reservationId });
    expect(sim.reservations.size).toBe(0);

    // The command route cancels the same way; the station no longer knows this one.
    const again = await reserve(station, { connectorId: 1, expiryDate: inMinutes(10), idTag: 'HOLDER01' });
    await t.http
      .post(commandUrl(station, 'cancel-reservation'))
      .set(admin.auth)
      .send({ reservationId: again.body.reservationId })
      .expect(200, { status: 'Accepted' });
    expect(lastReceived(sim, 'CancelReservation')).toEqual({ reservationId: again.body.reservationId });
    await t.http
      .post(commandUrl(station, 'cancel-reservation'))
      .set(admin.auth)
      .send({ reservationId: again.body.reservationId })
      .expect(200, { status: 'Rejected' });
  });

  it('addresses the declared EVSE of a connector, and none for connector 0', async () => {
    const { station, sim } = await aStation({
      connectors: [
        {
          connectorId: 1,
          evseId: 2,
          standard: 'IEC_62196_T2',
          format: 'SOCKET',
          powerType: 'AC_3_PHASE',
          maxPowerW: 22000,
        },
      ],
    });
    await reserve(station, { connectorId: 1, expiryDate: inMinutes(10), idTag: 'HOLDER02' }).expect(200);
    expect(lastReceived(sim, 'ReserveNow')).toMatchObject({ evseId: 2 });
    const any = await reserve(station, {
      connectorId: 0,
      expiryDate: inMinutes(10),
      idTag: 'HOLDER03',
    }).expect(200);
    expect(any.body.status).toBe('Accepted');
    expect(lastReceived(sim, 'ReserveNow')).not.toHaveProperty('evseId');
  });

  it('records the station’s refusal: Occupied while charging, Rejected for an unknown EVSE', async () => {
    const { station, sim } = await aStation();
    await sim.startCharging(1, 'DRIVER01');
    const busy = await reserve(station, {
      connectorId: 1,
      expiryDate: inMinutes(10),
      idTag: 'HOLDER01',
    }).expect(200);
    expect(busy.body.status).toBe('Occupied');
    expect(await reservation(station, busy.body.id)).toMatchObject({
      status: 'rejected',
      chargerStatus: 'Occupied',
    });
    const unknown = await reserve(station, {
      connectorId: 7,
      expiryDate: inMinutes(10),
      idTag: 'HOLDER01',
    }).expect(200);
    expect(unknown.body.status).toBe('Rejected');
  });

  it('marks a reservation expired when the station reports it Expired, and cancelled when Removed', async () => {
    const { station, sim } = await aStation();
    const res = await reserve(station, {
      connectorId: 1,
      expiryDate: new Date(Date.now() + 1500).toISOString(),
      idTag: 'HOLDER01',
    }).expect(200);
    await sim.waitForSent('ReservationStatusUpdate', () => true, 6000);
    await eventually(async () => expect((await reservation(station, res.body.id))?.status).toBe('expired'));
    // Once the station has said so the connector is free again.
    await eventually(async () => {
      const s = await t.http.get(`/api/v1/stations/${station.id}`).set(admin.auth).expect(200);
      expect(s.body.connectors).toContainEqual(
        expect.objectContaining({ connectorId: 1, status: 'Available' }),
      );
    });

    const removed = await reserve(station, {
      connectorId: 2,
      expiryDate: inMinutes(10),
      idTag: 'HOLDER01',
    }).expect(200);
    await expect(
      sim.call('ReservationStatusUpdate', {
        reservationId: removed.body.reservationId,
        reservationUpdateStatus: 'Removed',
      }),
    ).resolves.toEqual({});
    expect(await reservation(station, removed.body.id)).toMatchObject({ status: 'cancelled' });
    // An update for a reservation that has ended, or never was, changes nothing and is still answered.
    await expect(
      sim.call('ReservationStatusUpdate', {
        reservationId: removed.body.reservationId,
        reservationUpdateStatus: 'Expired',
      }),
    ).resolves.toEqual({});
    expect(await reservation(station, removed.body.id)).toMatchObject({ status: 'cancelled' });
    await expect(
      sim.call('ReservationStatusUpdate', {
        reservationId: 2_000_000_000,
        reservationUpdateStatus: 'Expired',
      }),
    ).resolves.toEqual({});
  });

  it('keeps another tenant’s reservations to that tenant', async () => {
    const { station, sim } = await aStation();
    const res = await reserve(station, {
      connectorId: 1,
      expiryDate: inMinutes(10),
      idTag: 'HOLDER01',
    }).expect(200);
    // The same reservationId reported by a station of another tenant ends nothing here.
    const other = await aTenantWithAdmin(t);
    const foreign = await aRegisteredStation(t, other.admin);
    const foreignSim = new ChargingStation201({
      url: `${t.wsUrl}/ocpp`,
      chargePointId: foreign.chargePointId,
      evses: 1,
      meterIntervalMs: 0,
    });
    open.push(foreignSim);
    await foreignSim.connect();
    await foreignSim.boot();
    await foreignSim.call('ReservationStatusUpdate', {
      reservationId: res.body.reservationId,
      reservationUpdateStatus: 'Removed',
    });
    expect(await reservation(station, res.body.id)).toMatchObject({ status: 'active' });
    await reserve(station, { connectorId: 2, expiryDate: inMinutes(10), idTag: 'X' }, other.admin).expect(
      404,
    );
    await reserve(station, { connectorId: 2, expiryDate: inMinutes(10), idTag: 'X' }, await aUser(t)).expect(
      403,
    );
    expect(sim.reservations.size).toBe(1);
  });
});
